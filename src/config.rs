//! `fixbook.toml` → [`Config`].

mod images;
mod languages;
pub(crate) mod link_check;
mod redirects;
mod theme;

use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::diagnostic::Diagnostic;
pub use images::ImagesConfig;
pub use languages::{Direction, Language, is_language_code};
pub use link_check::LinkCheckConfig;
pub use redirects::RedirectFormat;
pub use theme::{FooterLink, STATIC_DIR, ThemeConfig, css_colour};

/// The name of the site configuration file at the site root.
pub const CONFIG_FILE: &str = "fixbook.toml";

/// The folder under the site root where builds keep what they can reuse (the search
/// index, processed images); git-ignore it, and restore it in CI to rebuild faster.
/// The folder under the site root where fixbook keeps what it can rebuild (the search index,
/// the link check's answers); git-ignore it.
pub const CACHE_DIR: &str = ".fixbook";

/// A platform readers use, declared in `[platforms]` (key → label), in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    /// The id used in front matter, e.g. `iphone`.
    pub key: String,
    /// The label shown to readers, e.g. `iPhone`.
    pub label: String,
}

/// The site configuration, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The site's name.
    pub title: String,
    /// Absolute URL of the site, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`, starting and ending in `/` (`/` or `/kb/`).
    pub base_path: String,
    /// One sentence about the site, for the home page and meta tags.
    pub description: String,
    /// BCP 47 language tag of the content (of these pages, in a language's config).
    pub language: String,
    /// `[languages]`: every language the site is published in, the default first; empty
    /// for a site in one language.
    pub languages: Vec<Language>,
    /// The site's own absolute URL (the default language's `base_url`), where the theme's
    /// assets and every language's folder live.
    pub root_url: String,
    /// The path part of `root_url`.
    pub root_path: String,
    /// URL template for "edit this page" links; `{path}` is the source file's path.
    pub edit_url: Option<String>,
    /// Hosts from which content may embed images.
    pub allowed_image_hosts: Vec<String>,
    /// The declared platforms, in display order.
    pub platforms: Vec<Platform>,
    /// Problems per page on the problem list, tag pages and platform playbooks.
    pub paginate_by: usize,
    /// `[theme]`: accent colour, logo and footer links.
    pub theme: ThemeConfig,
    /// `[images]`: the widths, quality and budgets of published images.
    pub images: ImagesConfig,
    /// `[redirects] formats`: the redirect files written for old addresses, in order.
    pub redirects: Vec<RedirectFormat>,
    /// `[search]`: how queries are understood.
    pub search: SearchConfig,
    /// `[link_check]`: how `check --external` treats off-site links.
    pub link_check: LinkCheckConfig,
}

/// `[search]` in fixbook.toml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Groups of words or phrases that mean the same to readers, e.g.
    /// `[["wi-fi", "wifi", "wireless network"], ["iphone", "phone"]]`.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
}

/// Problems per list page when `paginate_by` is not set: enough to scan, small enough
/// that a list of 100,000 problems is not one 40 MB page.
pub const DEFAULT_PAGINATE_BY: usize = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    edit_url: Option<String>,
    #[serde(default)]
    allowed_image_hosts: Vec<String>,
    #[serde(default)]
    platforms: IndexMap<String, String>,
    #[serde(default = "default_paginate_by")]
    paginate_by: usize,
    #[serde(default)]
    theme: theme::RawTheme,
    #[serde(default)]
    images: images::RawImages,
    #[serde(default)]
    redirects: redirects::RawRedirects,
    #[serde(default)]
    search: SearchConfig,
    #[serde(default)]
    link_check: link_check::RawLinkCheck,
    #[serde(default)]
    languages: IndexMap<String, languages::RawLanguage>,
}

fn default_paginate_by() -> usize {
    DEFAULT_PAGINATE_BY
}

fn default_language() -> String {
    "en".to_owned()
}

impl Config {
    /// Finds a platform by key.
    pub fn platform(&self, key: &str) -> Option<&Platform> {
        self.platforms.iter().find(|p| p.key == key)
    }

    /// The error for a platform `key` written at `line`:`column` of `path`, unless it is
    /// declared: with the nearest declared key, or the list of them. Front matter and
    /// per-platform sections of a body both ask here, so the same typo reads the same.
    pub fn unknown_platform(
        &self,
        path: &Path,
        line: usize,
        column: usize,
        key: &str,
    ) -> Option<Diagnostic> {
        if self.platform(key).is_some() {
            return None;
        }
        let keys = self.platforms.iter().map(|p| p.key.as_str());
        let hint = match crate::diagnostic::nearest(key, keys.clone()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if self.platforms.is_empty() => "declare platforms in fixbook.toml under \
                `[platforms]`, e.g. `iphone = \"iPhone\"`"
                .to_owned(),
            None => format!(
                "declared platforms are {}; add it to `[platforms]` in fixbook.toml if it is new",
                keys.map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        Some(
            Diagnostic::error(path, line, column, format!("unknown platform `{key}`"))
                .with_hint(hint),
        )
    }

    /// The site-relative URL (with the base path) of a path like `articles/foo/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// The absolute URL of a path like `articles/foo/`.
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// Reads and validates `fixbook.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|err| {
            vec![
                Diagnostic::site_error(format!("cannot read `{}`: {err}", path.display()))
                    .with_hint("run fixbook in a site folder, pass `--root DIR`, or create one with `fixbook init DIR`"),
            ]
        })?;
        Self::parse(&text)
    }

    /// Parses and validates the text of a `fixbook.toml`.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = toml::from_str(text).map_err(|err| {
            let (line, column) = err
                .span()
                .map(|span| crate::diagnostic::line_col(text, span.start))
                .unwrap_or((0, 0));
            vec![toml_diagnostic(err.message().trim(), line, column)]
        })?;
        let mut diagnostics = Vec::new();
        let locate = |needle: &str| {
            text.find(needle)
                .map(|offset| crate::diagnostic::line_col(text, offset))
                .unwrap_or((0, 0))
        };
        let base_url = normalize_base_url(&raw.base_url).unwrap_or_else(|message| {
            let (line, column) = locate("base_url");
            diagnostics.push(
                Diagnostic::error(CONFIG_FILE, line, column, message)
                    .with_hint("use the absolute address the site is published at, e.g. `https://help.example.org/`"),
            );
            "http://localhost/".to_owned()
        });
        let base_path = url::Url::parse(&base_url)
            .map(|u| u.path().to_owned())
            .unwrap_or_else(|_| "/".to_owned());
        let mut platforms = Vec::new();
        for (key, label) in raw.platforms {
            if !crate::id::is_valid_slug(&key) {
                let (line, column) = locate(&key);
                diagnostics.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        column,
                        format!("platform key `{key}` is not a valid id"),
                    )
                    .with_hint("use lowercase letters, digits and dashes, e.g. `iphone`"),
                );
            }
            platforms.push(Platform { key, label });
        }
        if let Some(template) = &raw.edit_url
            && !template.contains("{path}")
        {
            let (line, column) = locate("edit_url");
            diagnostics.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    column,
                    "`edit_url` has no `{path}` placeholder",
                )
                .with_hint("e.g. `https://github.com/org/repo/edit/main/{path}`"),
            );
        }
        if raw.paginate_by == 0 {
            let (line, column) = locate("paginate_by");
            diagnostics.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    column,
                    "`paginate_by` must be at least 1",
                )
                .with_hint(format!(
                    "the number of problems per list page; leave it out for {DEFAULT_PAGINATE_BY}"
                )),
            );
        }
        let (theme, found) = raw.theme.validate(text);
        diagnostics.extend(found);
        let (images, found) = raw.images.validate(text);
        diagnostics.extend(found);
        let (redirects, found) = raw.redirects.validate(text);
        diagnostics.extend(found);
        diagnostics.extend(check_synonyms(&raw.search, text));
        let (link_check, found) = raw.link_check.validate(text);
        diagnostics.extend(found);
        let (languages, found) = languages::validate(
            raw.languages,
            &raw.language,
            &raw.title,
            &raw.description,
            &platforms,
            text,
        );
        diagnostics.extend(found);
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        Ok(Config {
            title: raw.title,
            root_url: base_url.clone(),
            root_path: base_path.clone(),
            base_url,
            base_path,
            languages,
            description: raw.description,
            language: raw.language,
            edit_url: raw.edit_url,
            allowed_image_hosts: raw.allowed_image_hosts,
            platforms,
            paginate_by: raw.paginate_by,
            theme,
            images,
            redirects,
            search: raw.search,
            link_check,
        })
    }
}

/// Each synonym group needs two entries with words in them.
fn check_synonyms(search: &SearchConfig, text: &str) -> Vec<Diagnostic> {
    let at = text
        .find("synonyms")
        .map_or((0, 0), |offset| crate::diagnostic::line_col(text, offset));
    let mut found = Vec::new();
    for group in &search.synonyms {
        let empty = group
            .iter()
            .find(|entry| !entry.chars().any(char::is_alphanumeric));
        let problem = match empty {
            Some(entry) => format!("the synonym `{entry}` has no letters or digits"),
            None if group.len() < 2 => format!(
                "the synonym group [{}] has one entry: a group lists words that mean the same",
                group
                    .iter()
                    .map(|e| format!("\"{e}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => continue,
        };
        found.push(
            Diagnostic::error(CONFIG_FILE, at.0, at.1, problem).with_hint(
                "write each group as a list of two or more words or phrases, e.g. \
                 `synonyms = [[\"wi-fi\", \"wifi\", \"wireless network\"]]`",
            ),
        );
    }
    found
}

fn normalize_base_url(raw: &str) -> Result<String, String> {
    let parsed =
        url::Url::parse(raw).map_err(|err| format!("`base_url` is not an absolute URL: {err}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "`base_url` must start with http:// or https://, not `{}:`",
            parsed.scheme()
        ));
    }
    let mut normalized = parsed.to_string();
    if let Some(cut) = normalized.find(['?', '#']) {
        normalized.truncate(cut);
    }
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    Ok(normalized)
}

/// A TOML error as a diagnostic; an unknown key gets the nearest allowed one, as unknown
/// front-matter keys do.
fn toml_diagnostic(message: &str, line: usize, column: usize) -> Diagnostic {
    // serde's wording: "unknown field `titel`, expected one of `title`, `base_url`, …"
    // (or "expected `title`").
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(field, rest)| {
            let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
            (field, expected)
        });
    let Some((field, expected)) = unknown else {
        return Diagnostic::error(CONFIG_FILE, line, column, message);
    };
    let hint = match crate::diagnostic::nearest(field, expected.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!(
            "the keys allowed here are: {}",
            expected
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::error(CONFIG_FILE, line, column, format!("unknown key `{field}`")).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_keep_their_declared_order() {
        let config = Config::parse(
            "title = \"KB\"\nbase_url = \"https://kb.example.org/help\"\n[platforms]\nmac = \"Mac\"\niphone = \"iPhone\"\n",
        )
        .map_err(|d| format!("{d:?}"));
        let config = config.unwrap_or_else(|e| panic!("{e}"));
        let keys: Vec<_> = config.platforms.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["mac", "iphone"]);
        assert_eq!(config.base_url, "https://kb.example.org/help/");
        assert_eq!(config.base_path, "/help/");
        assert_eq!(config.url("articles/a/"), "/help/articles/a/");
    }

    #[test]
    fn search_synonyms_are_read_and_an_unknown_search_key_gets_the_nearest() {
        let base = "title = \"T\"\nbase_url = \"https://x.org/\"\n";
        let config = Config::parse(&format!(
            "{base}[search]\nsynonyms = [[\"wi-fi\", \"wifi\"], [\"pc\", \"windows computer\"]]\n"
        ))
        .unwrap();
        assert_eq!(config.search.synonyms[1], ["pc", "windows computer"]);
        let errors = Config::parse(&format!("{base}[search]\nsynonym = []\n")).unwrap_err();
        assert_eq!(errors[0].message, "unknown key `synonym`");
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `synonyms`?"));
        assert_eq!((errors[0].line, errors[0].column), (4, 1));
    }

    #[test]
    fn a_synonym_group_of_one_entry_is_an_error() {
        let errors = Config::parse(
            "title = \"T\"\nbase_url = \"https://x.org/\"\n[search]\nsynonyms = [[\"wifi\"], [\"a\", \"…\"]]\n",
        )
        .unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the synonym group [\"wifi\"] has one entry: a group lists words that mean the same",
                "the synonym `…` has no letters or digits",
            ]
        );
        assert_eq!((errors[0].line, errors[0].column), (4, 1));
    }

    #[test]
    fn unknown_key_is_reported_with_its_position() {
        let errors =
            Config::parse("title = \"KB\"\nbase_url = \"https://x.org/\"\ntitel = \"x\"\n")
                .err()
                .unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (3, 1));
        assert_eq!(errors[0].message, "unknown key `titel`");
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `title`?"));
        let errors = Config::parse("title = \"KB\"\nbase_url = \"https://x.org/\"\nzzz = 1\n")
            .err()
            .unwrap_or_default();
        assert!(
            errors[0]
                .hint
                .as_deref()
                .is_some_and(|h| h.starts_with("the keys allowed here are: `title`")),
            "{:?}",
            errors[0].hint
        );
    }

    #[test]
    fn paginate_by_defaults_and_must_be_positive() {
        let config = Config::parse("title = \"KB\"\nbase_url = \"https://x.org/\"\n")
            .map_err(|d| format!("{d:?}"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.paginate_by, DEFAULT_PAGINATE_BY);
        let errors =
            Config::parse("title = \"KB\"\nbase_url = \"https://x.org/\"\npaginate_by = 0\n")
                .err()
                .unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (3, 1));
        assert_eq!(errors[0].message, "`paginate_by` must be at least 1");
    }

    #[test]
    fn relative_base_url_is_rejected() {
        let errors = Config::parse("title = \"KB\"\nbase_url = \"/kb\"\n")
            .err()
            .unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 2);
    }
}
