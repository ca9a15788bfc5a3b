//! `[languages.<code>]`: the languages a site is published in, the default one first.

use indexmap::IndexMap;
use serde::Deserialize;

use super::{CONFIG_FILE, Config, Platform};
use crate::diagnostic::Diagnostic;

/// Which way a language's text runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Left to right (`dir="ltr"`).
    #[default]
    Ltr,
    /// Right to left (`dir="rtl"`): Arabic, Hebrew, Persian, Urdu.
    Rtl,
}

impl Direction {
    /// The value of `<html dir>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }

    /// The direction of a language tag's script, by its primary subtag.
    pub fn of(code: &str) -> Direction {
        let primary = code.split(['-', '_']).next().unwrap_or(code);
        if matches!(
            primary,
            "ar" | "he" | "fa" | "ur" | "ps" | "yi" | "dv" | "sd" | "ug" | "ckb"
        ) {
            Direction::Rtl
        } else {
            Direction::Ltr
        }
    }
}

/// One language the site is published in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// The BCP 47 tag, as in file names (`de` in `waiting-to-upload.de.md`).
    pub code: String,
    /// The language's name in itself, for the language switcher (`Deutsch`).
    pub label: String,
    /// The site's title in this language.
    pub title: String,
    /// The site's description in this language.
    pub description: String,
    /// Which way its text runs.
    pub direction: Direction,
    /// Platform labels that differ in this language (key → label).
    pub platforms: IndexMap<String, String>,
}

/// `[languages.<code>]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLanguage {
    title: Option<String>,
    description: Option<String>,
    label: Option<String>,
    #[serde(default)]
    platforms: IndexMap<String, String>,
}

/// Whether `code` can name a language in a file name and a URL: a BCP 47 shape of
/// lowercase ASCII subtags (`de`, `pt-br`, `zh-hans`), the first of 2 or 3 letters.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| {
            (2..=8).contains(&p.len())
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The languages of a site, the default (`language`) first, then the others in the order
/// written; none when `[languages]` is not given (a site in one language).
pub(super) fn validate(
    raw: IndexMap<String, RawLanguage>,
    default: &str,
    title: &str,
    description: &str,
    platforms: &[Platform],
    text: &str,
) -> (Vec<Language>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    if raw.is_empty() {
        return (Vec::new(), found);
    }
    let locate = |needle: &str| {
        text.find(needle)
            .map_or((0, 0), |offset| crate::diagnostic::line_col(text, offset))
    };
    let mut languages = Vec::new();
    if !raw.contains_key(default) {
        languages.push(Language {
            code: default.to_owned(),
            label: default.to_owned(),
            title: title.to_owned(),
            description: description.to_owned(),
            direction: Direction::of(default),
            platforms: IndexMap::new(),
        });
    }
    for (code, language) in raw {
        let (line, column) = locate(&format!("[languages.{code}]"));
        if !is_language_code(&code) {
            found.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    column,
                    format!("`{code}` is not a language code"),
                )
                .with_hint(
                    "use a lowercase BCP 47 tag, e.g. `[languages.de]` or `[languages.pt-br]`",
                ),
            );
            continue;
        }
        for key in language.platforms.keys() {
            if !platforms.iter().any(|p| &p.key == key) {
                let keys = platforms.iter().map(|p| p.key.as_str());
                let hint = crate::diagnostic::nearest(key, keys).map_or_else(
                    || "declare it under `[platforms]` first".to_owned(),
                    |best| format!("did you mean `{best}`?"),
                );
                found.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        column,
                        format!(
                            "`[languages.{code}.platforms]` names the unknown platform `{key}`"
                        ),
                    )
                    .with_hint(hint),
                );
            }
        }
        let entry = Language {
            label: language.label.unwrap_or_else(|| code.clone()),
            title: language.title.unwrap_or_else(|| title.to_owned()),
            description: language
                .description
                .unwrap_or_else(|| description.to_owned()),
            direction: Direction::of(&code),
            platforms: language.platforms,
            code,
        };
        if entry.code == default {
            languages.insert(0, entry);
        } else {
            languages.push(entry);
        }
    }
    (languages, found)
}

impl Config {
    /// Whether the site is published in more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The declared language with this code.
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The codes of the languages other than the default, in order.
    pub fn other_languages(&self) -> impl Iterator<Item = &Language> {
        self.languages.iter().skip(1)
    }

    /// The code of the site's default language (`language`, whatever language these
    /// pages are in).
    pub fn default_language(&self) -> &str {
        self.languages
            .first()
            .map_or(self.language.as_str(), |l| l.code.as_str())
    }

    /// The direction of the site's (or this language config's) text.
    pub fn direction(&self) -> Direction {
        self.language(&self.language)
            .map_or_else(|| Direction::of(&self.language), |l| l.direction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str =
        "title = \"KB\"\nbase_url = \"https://kb.example.org/help/\"\n[platforms]\nmac = \"Mac\"\n";

    #[test]
    fn the_default_language_comes_first_and_others_live_under_their_code() {
        let config = Config::parse(&format!(
            "{BASE}[languages.de]\ntitle = \"Hilfe\"\nlabel = \"Deutsch\"\nplatforms = {{ mac = \"Mac-Computer\" }}\n[languages.en]\nlabel = \"English\"\n"
        ))
        .unwrap_or_else(|d| panic!("{d:?}"));
        let codes: Vec<_> = config.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en", "de"]);
        let de = crate::site::language_config(&config, "de");
        assert_eq!(de.base_path, "/help/de/");
        assert_eq!(de.base_url, "https://kb.example.org/help/de/");
        assert_eq!(de.title, "Hilfe");
        assert_eq!(de.platforms[0].label, "Mac-Computer");
        assert_eq!(
            crate::site::language_config(&config, "en").base_path,
            "/help/"
        );
    }

    #[test]
    fn a_bad_code_and_an_unknown_platform_are_errors() {
        let errors = Config::parse(&format!(
            "{BASE}[languages.German]\n[languages.de]\nplatforms = {{ macc = \"Mac\" }}\n"
        ))
        .unwrap_err();
        let messages: Vec<_> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`German` is not a language code",
                "`[languages.de.platforms]` names the unknown platform `macc`"
            ]
        );
        assert_eq!(errors[1].hint.as_deref(), Some("did you mean `mac`?"));
    }

    #[test]
    fn arabic_and_hebrew_run_right_to_left() {
        assert_eq!(Direction::of("ar"), Direction::Rtl);
        assert_eq!(Direction::of("he-IL"), Direction::Rtl);
        assert_eq!(Direction::of("de"), Direction::Ltr);
    }
}
