//! The theme's own words per language (`i18n/<code>.toml`: navigation, labels, search
//! placeholders, notices), built in and overridable key by key by a site's
//! `templates/i18n/<code>.toml`. Templates ask with `t(key="nav_problems")`; a key a
//! language lacks comes from English, so a partial translation still renders.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The folder of the word files inside the theme.
pub const WORDS_DIR: &str = "i18n/";

/// The language every other falls back to, key by key.
const FALLBACK: &str = "en";

/// Every language's words: code → key → text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    languages: BTreeMap<String, BTreeMap<String, String>>,
}

impl Words {
    /// Reads the word file `name` (`i18n/de.toml`) over what is known of its language;
    /// `shown` is the path to name in diagnostics.
    pub(super) fn add(&mut self, name: &str, bytes: &[u8], shown: &Path) -> Option<Diagnostic> {
        let code = name.strip_prefix(WORDS_DIR)?.strip_suffix(".toml")?;
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                return Some(Diagnostic::error(
                    shown,
                    0,
                    0,
                    "the word file is not valid UTF-8",
                ));
            }
        };
        let table: BTreeMap<String, String> = match toml::from_str(text) {
            Ok(table) => table,
            Err(err) => {
                let (line, column) = err
                    .span()
                    .map_or((0, 0), |span| crate::diagnostic::line_col(text, span.start));
                return Some(
                    Diagnostic::error(shown, line, column, err.message().trim().to_owned())
                        .with_hint("a word file holds `key = \"text\"` lines, e.g. `nav_problems = \"Probleme\"`"),
                );
            }
        };
        self.languages
            .entry(code.to_owned())
            .or_default()
            .extend(table);
        None
    }

    /// The words of language `code` (by its primary subtag when the full tag has no file),
    /// every missing key filled from English.
    pub fn for_language(&self, code: &str) -> BTreeMap<String, String> {
        let primary = code.split('-').next().unwrap_or(code);
        let mut words = self.languages.get(FALLBACK).cloned().unwrap_or_default();
        for tag in [primary, code] {
            if tag != FALLBACK
                && let Some(own) = self.languages.get(tag)
            {
                words.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        words
    }

    /// The languages that have a word file.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.languages.keys().map(String::as_str)
    }

    /// The keys of language `code`'s own file.
    pub fn keys(&self, code: &str) -> Vec<&str> {
        self.languages
            .get(code)
            .map(|w| w.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// A digest of every word, for rebuilds that skip unchanged pages.
    pub fn digest(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        self.languages.hash(&mut hasher);
        hasher.finish()
    }
}

/// A word looked up in `words`, or its key when no language has it.
pub fn word(words: &BTreeMap<String, String>, key: &str) -> String {
    words.get(key).cloned().unwrap_or_else(|| key.to_owned())
}

/// The form of `key` for a count of `n`: `<key>_one` for 1, `<key>_two` for 2 and
/// `<key>_other` otherwise (a language without a `_two` form uses `_other`).
pub fn plural(words: &BTreeMap<String, String>, key: &str, n: i64) -> String {
    let form = match n {
        1 => "one",
        2 if words.contains_key(&format!("{key}_two")) => "two",
        _ => "other",
    };
    word(words, &format!("{key}_{form}"))
}

/// `n` with the language's digit grouping (`number_group`: "" for none, "." in German).
pub fn number(words: &BTreeMap<String, String>, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let group = words.get("number_group").map_or("", String::as_str);
    let mut out = String::with_capacity(digits.len() + 4);
    if n < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && !group.is_empty() && (digits.len() - i).is_multiple_of(3) {
            out.push_str(group);
        }
        out.push(digit);
    }
    out
}

/// An ISO date (`2024-08-13`) for readers, by the language's `date_format` (with `{day}`,
/// `{month}` and `{year}`) and month names (`month_1` … `month_12`); the text unchanged
/// when it is not such a date.
pub fn date(words: &BTreeMap<String, String>, iso: &str) -> String {
    let mut parts = iso.get(..10).unwrap_or(iso).split('-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else {
        return iso.to_owned();
    };
    let (Ok(month), Ok(day)) = (month.parse::<u8>(), day.parse::<u8>()) else {
        return iso.to_owned();
    };
    word(words, "date_format")
        .replace("{day}", &day.to_string())
        .replace("{month}", &word(words, &format!("month_{month}")))
        .replace("{year}", year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Words {
        let mut words = Words::default();
        for name in super::super::builtin_names() {
            if let Some(bytes) = super::super::builtin_file(&name) {
                assert!(
                    words.add(&name, &bytes, Path::new(&name)).is_none(),
                    "{name}"
                );
            }
        }
        words
    }

    #[test]
    fn every_shipped_language_has_every_english_word() {
        let words = shipped();
        let english = words.keys("en");
        assert!(english.len() > 40, "{english:?}");
        for code in ["de", "ar"] {
            assert_eq!(words.keys(code), english, "{code} lacks or adds words");
        }
    }

    #[test]
    fn a_missing_word_comes_from_english_and_a_region_from_its_language() {
        let mut words = shipped();
        assert!(
            words
                .add(
                    "i18n/fr.toml",
                    b"nav_fixes = \"Solutions\"\n",
                    Path::new("fr")
                )
                .is_none()
        );
        let french = words.for_language("fr-ca");
        assert_eq!(french["nav_fixes"], "Solutions");
        assert_eq!(french["nav_problems"], "Problems");
        let german = words.for_language("de");
        assert_eq!(number(&german, 1234567), "1.234.567");
        assert_eq!(number(&words.for_language("en"), 10000), "10000");
        assert_eq!(date(&german, "2024-08-13"), "13. August 2024");
        assert_eq!(
            date(&words.for_language("en"), "2024-08-13"),
            "13 August 2024"
        );
        assert_eq!(plural(&german, "problem", 1), "Problem");
        assert_eq!(plural(&german, "problem", 3), "Probleme");
        let bad = words.add(
            "i18n/xx.toml",
            b"nav = [1]\n",
            Path::new("templates/i18n/xx.toml"),
        );
        assert!(bad.is_some_and(|d| d.line == 1));
    }
}
