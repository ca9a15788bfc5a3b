//! A site's rules for understanding queries, the same on every surface: the stop words and
//! cue words of its language, its synonyms (`[search] synonyms` in fixbook.toml) and the
//! words that name each of its platforms. `fixbook search` and `/api/search` apply them in
//! Rust; the static index ships them in `meta.json` and `status-index.json` for
//! `assets/search-engine.js`, which applies them rule for rule.

use std::collections::HashSet;

use super::language::Language;
use super::normalize::normalize;
use super::stem::stem;
use crate::config::Config;

/// How queries are understood on one site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryRules {
    /// Normalized words left out of a query.
    pub stop_words: Vec<String>,
    /// Normalized words that announce a message shown on screen.
    pub cues: Vec<String>,
    /// Groups of entries that mean the same; each entry is its stems, in order
    /// (`["wireless network"]` → `["wireless", "network"]`).
    pub synonyms: Vec<Vec<Vec<String>>>,
    /// Each platform key with the stems that name it (its key and one-word label).
    pub platforms: Vec<(String, Vec<String>)>,
}

impl QueryRules {
    /// The rules of a language with the given synonym groups (as written) and platforms
    /// (key, label).
    pub fn new(language: &str, synonyms: &[Vec<String>], platforms: &[(String, String)]) -> Self {
        let language = Language::for_tag(language);
        let owned = |words: &[&str]| words.iter().map(|w| (*w).to_owned()).collect();
        let synonyms = synonyms
            .iter()
            .map(|group| {
                let mut entries: Vec<Vec<String>> = Vec::new();
                for entry in group {
                    let stems = stems(entry);
                    if !stems.is_empty() && !entries.contains(&stems) {
                        entries.push(stems);
                    }
                }
                entries
            })
            .filter(|entries| entries.len() > 1)
            .collect();
        let platforms = platforms
            .iter()
            .map(|(key, label)| {
                let mut names = vec![stems(key).join(" ")];
                let label = stems(label);
                if label.len() == 1 && !names.contains(&label[0]) {
                    names.push(label[0].clone());
                }
                (key.to_lowercase(), names)
            })
            .collect();
        QueryRules {
            stop_words: owned(language.stop_words),
            cues: owned(language.cues),
            synonyms,
            platforms,
        }
    }

    /// The rules of a site: its language, `[search] synonyms` and `[platforms]`.
    pub fn from_config(config: &Config) -> QueryRules {
        let platforms: Vec<(String, String)> = config
            .platforms
            .iter()
            .map(|p| (p.key.clone(), p.label.clone()))
            .collect();
        QueryRules::new(&config.language, &config.search.synonyms, &platforms)
    }

    /// English rules with no synonyms, for the platforms named in `keys`.
    pub fn english(keys: &[String]) -> QueryRules {
        let platforms: Vec<(String, String)> =
            keys.iter().map(|k| (k.clone(), k.clone())).collect();
        QueryRules::new("en", &[], &platforms)
    }

    /// The stop words as a set.
    pub(crate) fn stop_set(&self) -> HashSet<&str> {
        self.stop_words.iter().map(String::as_str).collect()
    }

    /// What `search-engine.js` needs to understand queries as the Rust side does.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "stop": self.stop_words,
            "synonyms": self.synonyms.iter().map(|group| {
                group.iter().map(|entry| entry.join(" ")).collect::<Vec<_>>()
            }).collect::<Vec<_>>(),
            "platforms": self.platforms.iter().map(|(key, names)| {
                serde_json::json!([key, names])
            }).collect::<Vec<_>>(),
        })
    }
}

/// The stems of the words of `text`, in order.
pub(crate) fn stems(text: &str) -> Vec<String> {
    normalize(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| stem(w).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(list: &[&[&str]]) -> Vec<Vec<String>> {
        list.iter()
            .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
            .collect()
    }

    #[test]
    fn synonym_entries_are_stemmed_word_sequences() {
        let rules = QueryRules::new(
            "en",
            &groups(&[&["Wi-Fi", "wifi", "wireless network"], &["alone"]]),
            &[],
        );
        assert_eq!(
            rules.synonyms,
            vec![vec![
                vec!["wi".to_owned(), "fi".to_owned()],
                vec!["wifi".to_owned()],
                vec!["wireless".to_owned(), "network".to_owned()],
            ]]
        );
    }

    #[test]
    fn platforms_are_named_by_key_and_one_word_label() {
        let rules = QueryRules::new(
            "en",
            &[],
            &[
                ("windows".to_owned(), "Windows PC".to_owned()),
                ("mac".to_owned(), "Macintosh".to_owned()),
            ],
        );
        assert_eq!(
            rules.platforms[0],
            ("windows".to_owned(), vec!["window".to_owned()])
        );
        assert_eq!(
            rules.platforms[1],
            (
                "mac".to_owned(),
                vec!["mac".to_owned(), "macintosh".to_owned()]
            )
        );
    }
}
