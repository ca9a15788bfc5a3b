//! Syntax highlighting with CSS classes (no inline styles), loaded once per build.

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Class prefix of highlighted tokens, so they never clash with the theme's own classes.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The loaded syntax definitions.
pub struct Highlighter {
    syntaxes: SyntaxSet,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self {
            syntaxes: SyntaxSet::load_defaults_newlines(),
        }
    }
}

impl Highlighter {
    /// Highlights `code` as `lang` into a `<pre>` block; unknown languages come out plain.
    pub fn block(&self, code: &str, lang: &str) -> String {
        let lang_attr = html_escape(lang);
        let syntax = (!lang.is_empty())
            .then(|| self.syntaxes.find_syntax_by_token(lang))
            .flatten();
        let Some(syntax) = syntax else {
            return format!(
                "<pre class=\"code hl-code\" data-lang=\"{lang_attr}\"><code>{}</code></pre>\n",
                html_escape(code)
            );
        };
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            if generator
                .parse_html_for_line_which_includes_newline(line)
                .is_err()
            {
                return format!(
                    "<pre class=\"code hl-code\" data-lang=\"{lang_attr}\"><code>{}</code></pre>\n",
                    html_escape(code)
                );
            }
        }
        format!(
            "<pre class=\"code hl-code\" data-lang=\"{lang_attr}\"><code>{}</code></pre>\n",
            generator.finalize()
        )
    }
}

/// The light and dark highlighting stylesheets, `(syntax-light.css, syntax-dark.css)`.
///
/// The dark one is scoped to an explicit dark theme and to the system dark preference when
/// the reader has not chosen light, so one page can switch without reloading.
pub fn stylesheets() -> (String, String) {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    let light = css("InspiredGitHub");
    let dark_rules = css("base16-ocean.dark");
    let dark = format!(
        "{}\n@media (prefers-color-scheme: dark) {{\n{}}}\n",
        scope_css(&dark_rules, "html[data-theme=\"dark\"]"),
        scope_css(&dark_rules, "html:not([data-theme=\"light\"])")
    );
    (light, dark)
}

/// Prefixes every selector of flat CSS rules (as syntect writes them) with `scope`.
fn scope_css(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let selectors = strip_comments(&rest[..open]);
        let scoped: Vec<String> = selectors
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("{scope} {s}"))
            .collect();
        if !scoped.is_empty() {
            out.push_str(&scoped.join(",\n"));
            out.push_str(" {");
            out.push_str(&rest[open + 1..close]);
            out.push_str("}\n");
        }
        rest = &rest[close + 1..];
    }
    out
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start..].find("*/") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes_and_no_inline_style() {
        let html = Highlighter::default().block("echo hi # note\n", "sh");
        assert!(html.starts_with("<pre class=\"code hl-code\" data-lang=\"sh\"><code><span class=\"hl-source hl-shell"), "{html}");
        assert!(!html.contains("style="));
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let html = Highlighter::default().block("<b>x</b>", "nonsense");
        assert_eq!(
            html,
            "<pre class=\"code hl-code\" data-lang=\"nonsense\"><code>&lt;b&gt;x&lt;/b&gt;</code></pre>\n"
        );
    }

    #[test]
    fn dark_stylesheet_is_scoped() {
        let (light, dark) = stylesheets();
        assert!(light.contains(".hl-comment"));
        assert!(dark.contains("html[data-theme=\"dark\"] .hl-comment"));
        assert!(dark.contains("@media (prefers-color-scheme: dark)"));
        assert!(!dark.lines().any(|l| l.starts_with(".hl-")));
    }
}
