//! `[theme]` in `fixbook.toml`: a site's brand over the built-in theme (accent colour,
//! logo, footer links), checked where it is written.

use serde::Deserialize;
use toml::Spanned;

use super::CONFIG_FILE;
use crate::content::Located;
use crate::diagnostic::Diagnostic;

/// The folder of a site whose files are copied to the output's root as they are.
pub const STATIC_DIR: &str = "static";

/// `[theme]`, validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeConfig {
    /// The accent colour (a CSS colour), for light pages and, without `accent_dark`, dark ones.
    pub accent: Option<String>,
    /// The accent colour of dark pages.
    pub accent_dark: Option<String>,
    /// The logo: a path under `static/` (`logo.svg`), with where `logo` is written.
    pub logo: Option<Located<String>>,
    /// Links the footer shows, in order.
    pub footer_links: Vec<FooterLink>,
}

/// One link of `footer_links`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FooterLink {
    /// The link's text.
    pub title: String,
    /// Where it goes: an absolute `http(s):` or `mailto:` URL, or a path from the domain root.
    pub url: String,
}

/// `[theme]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTheme {
    accent: Option<Spanned<String>>,
    accent_dark: Option<Spanned<String>>,
    logo: Option<Spanned<String>>,
    #[serde(default)]
    footer_links: Vec<RawFooterLink>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFooterLink {
    title: Spanned<String>,
    url: Spanned<String>,
}

impl RawTheme {
    /// Checks every value of `[theme]`; `text` is the file, for positions.
    pub(super) fn validate(self, text: &str) -> (ThemeConfig, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let at = |value: &Spanned<String>| crate::diagnostic::line_col(text, value.span().start);
        let mut colour = |key: &str, value: Option<Spanned<String>>| {
            let value = value?;
            match css_colour(value.get_ref()) {
                Ok(colour) => Some(colour),
                Err(why) => {
                    let (line, column) = at(&value);
                    diagnostics.push(
                        Diagnostic::error(
                            CONFIG_FILE,
                            line,
                            column,
                            format!("`{key}` is not a CSS colour: `{}` ({why})", value.get_ref()),
                        )
                        .with_hint(
                            "write a hex colour (`#0a7d5a` or `#0a5`), or `rgb(…)`, `hsl(…)` or \
                             `oklch(…)`, e.g. `oklch(52% 0.12 165)`",
                        ),
                    );
                    None
                }
            }
        };
        let accent = colour("accent", self.accent);
        let accent_dark = colour("accent_dark", self.accent_dark);
        let logo = self.logo.and_then(|logo| {
            let (line, column) = at(&logo);
            match static_path(logo.get_ref()) {
                Ok(path) => Some(Located {
                    value: path,
                    line,
                    column,
                }),
                Err(why) => {
                    diagnostics.push(
                        Diagnostic::error(
                            CONFIG_FILE,
                            line,
                            column,
                            format!(
                                "`logo` must name a file in the site's `{STATIC_DIR}/` folder: `{}` {why}",
                                logo.get_ref()
                            ),
                        )
                        .with_hint(format!(
                            "put the logo in `{STATIC_DIR}/` and write its path from there, e.g. `logo = \"logo.svg\"`"
                        )),
                    );
                    None
                }
            }
        });
        let mut footer_links = Vec::new();
        for link in self.footer_links {
            let mut fine = true;
            if link.title.get_ref().trim().is_empty() {
                let (line, column) = at(&link.title);
                diagnostics.push(Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    column,
                    "a footer link has an empty `title`",
                ));
                fine = false;
            }
            if let Err(why) = link_url(link.url.get_ref()) {
                let (line, column) = at(&link.url);
                diagnostics.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        column,
                        format!("footer link `url` `{}` {why}", link.url.get_ref()),
                    )
                    .with_hint(
                        "use an absolute `https://…` or `mailto:…` address, or a path such as `/status/`",
                    ),
                );
                fine = false;
            }
            if fine {
                footer_links.push(FooterLink {
                    title: link.title.into_inner().trim().to_owned(),
                    url: link.url.into_inner(),
                });
            }
        }
        let theme = ThemeConfig {
            accent,
            accent_dark,
            logo,
            footer_links,
        };
        (theme, diagnostics)
    }
}

/// A colour written as `#rgb`, `#rrggbb`, `rgb(…)`, `hsl(…)` or `oklch(…)`, lower-cased, or
/// why it is not one. Only numbers, percentages, angles, `none`, commas and a `/` before the
/// alpha may stand between the parentheses, so the value is safe to write into a stylesheet.
pub fn css_colour(value: &str) -> Result<String, String> {
    let value = value.trim().to_ascii_lowercase();
    if let Some(hex) = value.strip_prefix('#') {
        if !matches!(hex.len(), 3 | 6) {
            return Err(format!(
                "a hex colour has 3 or 6 digits, this one {}",
                hex.chars().count()
            ));
        }
        if let Some(bad) = hex.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Err(format!("`{bad}` is not a hex digit"));
        }
        return Ok(value);
    }
    let Some((function, rest)) = value.split_once('(') else {
        return Err("not a hex colour or a colour function".to_owned());
    };
    if !matches!(function, "rgb" | "rgba" | "hsl" | "hsla" | "oklch") {
        return Err(format!(
            "`{function}()` is not one of rgb(), hsl() and oklch()"
        ));
    }
    let Some(arguments) = rest.strip_suffix(')') else {
        return Err("the closing `)` is missing".to_owned());
    };
    let (channels, alpha) = match arguments.split_once('/') {
        Some((channels, alpha)) => (channels, Some(alpha)),
        None => (arguments, None),
    };
    let mut values: Vec<&str> = channels
        .split([',', ' '])
        .filter(|part| !part.is_empty())
        .collect();
    let commas = channels.contains(',');
    if let Some(alpha) = alpha {
        values.push(alpha.trim());
    }
    let expected = if commas || alpha.is_some() {
        3..=4
    } else {
        3..=3
    };
    if !expected.contains(&values.len()) {
        return Err(format!(
            "`{function}()` takes 3 values (and an alpha), not {}",
            values.len()
        ));
    }
    if let Some(bad) = values.iter().find(|v| !is_css_number(v)) {
        return Err(format!("`{bad}` is not a number, percentage or angle"));
    }
    Ok(value)
}

/// A CSS number with an optional `%` or angle unit, or `none`.
fn is_css_number(value: &str) -> bool {
    if value == "none" {
        return true;
    }
    let number = ["deg", "grad", "rad", "turn", "%"]
        .iter()
        .find_map(|unit| value.strip_suffix(unit))
        .unwrap_or(value);
    let number = number.strip_prefix(['+', '-']).unwrap_or(number);
    !number.is_empty()
        && number.chars().filter(|&c| c == '.').count() <= 1
        && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        && number.chars().any(|c| c.is_ascii_digit())
}

/// A path under `static/` as written in `fixbook.toml`, with `/` separators, or why it
/// leaves the folder.
fn static_path(path: &str) -> Result<String, &'static str> {
    let path = path.trim();
    if path.is_empty() {
        return Err("is empty");
    }
    if path.starts_with('/') || path.starts_with('\\') || path.contains(':') {
        return Err("is absolute");
    }
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    if parts.contains(&"..") {
        return Err("leaves it");
    }
    if parts.iter().any(|p| p.starts_with('.')) {
        return Err("is hidden (fixbook copies no hidden files)");
    }
    Ok(parts.join("/"))
}

/// Whether a footer link's address is one fixbook writes into pages, or why not.
fn link_url(url: &str) -> Result<(), &'static str> {
    if url.starts_with('/') && !url.starts_with("//") {
        return Ok(());
    }
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https" | "mailto") => Ok(()),
        Ok(_) => Err("is not an http(s) or mailto address"),
        Err(_) => Err("is not an absolute address or a path from the domain root"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_hex_or_one_of_three_functions() {
        for good in [
            "#0a7d5a",
            "#0A5",
            "rgb(10, 125, 90)",
            "rgb(10 125 90 / 50%)",
            "hsl(160deg 85% 27%)",
            "oklch(52% 0.12 165)",
            "oklch(0.52 0.12 165 / 0.8)",
        ] {
            assert!(css_colour(good).is_ok(), "{good}: {:?}", css_colour(good));
        }
        for bad in [
            "#0a7d5",
            "#0a7d5g",
            "green",
            "rgb(1, 2)",
            "rgb(1 2 3",
            "rgb(1 2 3); } body { display: none",
            "lab(50% 40 59)",
            "oklch(52% 0.12 x)",
            "url(x)",
        ] {
            assert!(css_colour(bad).is_err(), "{bad} passed");
        }
    }

    #[test]
    fn a_logo_path_stays_inside_the_static_folder() {
        assert_eq!(static_path("img/logo.svg"), Ok("img/logo.svg".to_owned()));
        assert!(static_path("../logo.svg").is_err());
        assert!(static_path("img/../../logo.svg").is_err());
        assert!(static_path("/etc/logo.svg").is_err());
        assert!(static_path("C:\\logo.svg").is_err());
        assert!(static_path("").is_err());
    }

    #[test]
    fn footer_links_go_to_web_or_mail_addresses_or_site_paths() {
        assert!(link_url("https://status.example.org/").is_ok());
        assert!(link_url("mailto:help@example.org").is_ok());
        assert!(link_url("/status/").is_ok());
        assert!(link_url("javascript:alert(1)").is_err());
        assert!(link_url("//evil.example").is_err());
        assert!(link_url("status").is_err());
    }
}
