//! A site's rules for understanding queries, the same on every surface: the stop words,
//! cue words and stemmer of its language, its synonyms (`[search] synonyms` in fixbook.toml) and the
//! words that name each of its platforms. `fixbook search` and `/api/search` apply them in
//! Rust; the static index ships them in `meta.json` and `status-index.json` for
//! `assets/search-engine.js`, which applies them rule for rule.

use std::collections::HashSet;

use super::language::Language;
use super::normalize::normalize;
use super::stem::Stemmer;
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
    /// How the language's words are stemmed (the stems above are its stems).
    pub stemmer: Stemmer,
}

impl QueryRules {
    /// The rules of a language with the given synonym groups (as written) and platforms
    /// (key, label).
    pub fn new(language: &str, synonyms: &[Vec<String>], platforms: &[(String, String)]) -> Self {
        let language = Language::for_tag(language);
        let stemmer = language.stemmer;
        let stems = |text: &str| stemmer.stems(&normalize(text));
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
            stemmer,
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
        let mut json = serde_json::json!({
            "stop": self.stop_words,
            "synonyms": self.synonyms.iter().map(|group| {
                group.iter().map(|entry| entry.join(" ")).collect::<Vec<_>>()
            }).collect::<Vec<_>>(),
            "platforms": self.platforms.iter().map(|(key, names)| {
                serde_json::json!([key, names])
            }).collect::<Vec<_>>(),
        });
        self.stemmer_into(&mut json);
        json
    }

    /// Adds the stemmer's name to a JSON object for `search-engine.js`; English, the
    /// stemmer of a file without one, is left out so English files stay as they were.
    pub(crate) fn stemmer_into(&self, json: &mut serde_json::Value) {
        if self.stemmer != Stemmer::English
            && let Some(object) = json.as_object_mut()
        {
            object.insert("stemmer".to_owned(), self.stemmer.name().into());
        }
    }
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
    fn the_language_stems_its_synonyms_and_names_its_stemmer_for_the_browser() {
        let german = QueryRules::new("de", &groups(&[&["Fotos", "Bilder"]]), &[]);
        assert_eq!(german.stemmer, Stemmer::German);
        assert_eq!(
            german.synonyms,
            vec![vec![vec!["foto".to_owned()], vec!["bild".to_owned()]]]
        );
        assert_eq!(german.to_json()["stemmer"], "de");
        assert_eq!(QueryRules::new("ja", &[], &[]).to_json()["stemmer"], "none");
        // English, the stemmer of a file that names none, stays out of English files.
        assert!(
            QueryRules::new("en", &[], &[])
                .to_json()
                .get("stemmer")
                .is_none()
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
