//! What a query asks for, before any engine ranks it: its words corrected, its synonyms
//! added, its stop words dropped and the platforms it names. tantivy's query
//! ([`query`](super::query)) and the static index (`assets/search-engine.js`, `understand`)
//! rank the same [`Plan`], built by the same steps:
//!
//! 1. the query's words ([`query_tokens`]), each stemmed by the language's
//!    [`Stemmer`](super::stem::Stemmer);
//! 2. a word of 4+ characters that is not a stop word, a number, a synonym or a word of the
//!    site is corrected to the nearest word of the site that starts with the same two
//!    characters (the static index's shard), within the status lookup's tolerance (1 edit up
//!    to 6 characters, 2 beyond); the closest wins, then the most frequent, then the first
//!    in alphabetical order;
//! 3. adjacent words (no numbers, the first not a stop word) make the pairs that match
//!    status messages and titles;
//! 4. from left to right, the longest run of words that is a synonym entry becomes one
//!    concept whose alternatives are every entry of its groups; any other word that is not
//!    a stop word is a concept of its own (a query of stop words only keeps them all);
//! 5. a concept with an alternative that names a platform boosts that platform's pages.

use super::normalize::{is_number, query_tokens};
use super::rules::QueryRules;
use super::static_bundle::shard_key;
use super::status_lookup::tolerance;

/// Most concepts a query is ranked by.
pub(crate) const MAX_CONCEPTS: usize = 16;
/// Shortest word (in characters) that is corrected.
const MIN_CORRECTED_CHARS: usize = 4;

/// The words a site's documents have, for correcting typos.
pub(crate) trait Vocabulary {
    /// Whether `term` (a stem) is a word of some document.
    fn contains(&self, term: &str) -> bool;
    /// Every word in the shard of `term` (its first two characters) with the number of
    /// documents that have it.
    fn shard_words(&self, term: &str) -> Vec<(String, u64)>;
}

/// One thing the query asks for, in any of its alternative wordings (stems, in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Concept {
    pub alternatives: Vec<Vec<String>>,
}

/// A query, understood.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    pub concepts: Vec<Concept>,
    /// Adjacent stems, for phrase matches in status messages and titles.
    pub pairs: Vec<(String, String)>,
    /// Platform keys the query names.
    pub platforms: Vec<String>,
    /// The query with its corrected words, when a word was corrected.
    pub corrected: Option<String>,
}

/// Understands `query` under `rules`, correcting against `vocabulary`.
pub(crate) fn understand(query: &str, rules: &QueryRules, vocabulary: &dyn Vocabulary) -> Plan {
    let tokens = query_tokens(query);
    let stop = rules.stop_set();
    let synonym = |stems: &[String]| {
        rules
            .synonyms
            .iter()
            .any(|group| group.iter().any(|entry| entry.as_slice() == stems))
    };
    let mut stems: Vec<String> = Vec::with_capacity(tokens.len());
    let mut shown: Vec<String> = Vec::with_capacity(tokens.len());
    let mut corrected = false;
    for token in &tokens {
        let own = rules.stemmer.stem(token).into_owned();
        let fixed = (!stop.contains(token.as_str())
            && !is_number(token)
            && token.chars().count() >= MIN_CORRECTED_CHARS
            && !synonym(std::slice::from_ref(&own))
            && !vocabulary.contains(&own))
        .then(|| correction(&own, vocabulary))
        .flatten();
        match fixed {
            Some(better) => {
                corrected = true;
                shown.push(match token.strip_prefix(own.as_str()) {
                    Some(ending) => format!("{better}{ending}"),
                    None => better.clone(),
                });
                stems.push(better);
            }
            None => {
                shown.push(token.clone());
                stems.push(own);
            }
        }
    }
    let mut pairs = Vec::new();
    for i in 1..tokens.len() {
        // A pair lives in its first word's shard: one led by a stop word would cost the
        // static index a download for little.
        if is_number(&tokens[i - 1])
            || is_number(&tokens[i])
            || stop.contains(tokens[i - 1].as_str())
        {
            continue;
        }
        let pair = (stems[i - 1].clone(), stems[i].clone());
        if !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    let mut concepts: Vec<Concept> = Vec::new();
    let push = |concept: Concept, concepts: &mut Vec<Concept>| {
        if !concepts.contains(&concept) && concepts.len() < MAX_CONCEPTS {
            concepts.push(concept);
        }
    };
    let mut i = 0;
    while i < stems.len() {
        if let Some((len, alternatives)) = longest_synonym(&stems[i..], rules) {
            push(Concept { alternatives }, &mut concepts);
            i += len;
            continue;
        }
        if !stop.contains(tokens[i].as_str()) {
            push(single(&stems[i]), &mut concepts);
        }
        i += 1;
    }
    if concepts.is_empty() {
        for stem in &stems {
            push(single(stem), &mut concepts);
        }
    }
    let mut platforms = Vec::new();
    for (key, names) in &rules.platforms {
        let named = concepts.iter().any(|concept| {
            concept
                .alternatives
                .iter()
                .any(|alternative| alternative.len() == 1 && names.contains(&alternative[0]))
        });
        if named {
            platforms.push(key.clone());
        }
    }
    Plan {
        concepts,
        pairs,
        platforms,
        corrected: corrected.then(|| shown.join(" ")),
    }
}

fn single(stem: &str) -> Concept {
    Concept {
        alternatives: vec![vec![stem.to_owned()]],
    }
}

/// The longest synonym entry that `stems` starts with: its length and the alternatives of
/// every group that has it (the entry itself first).
fn longest_synonym(stems: &[String], rules: &QueryRules) -> Option<(usize, Vec<Vec<String>>)> {
    let len = rules
        .synonyms
        .iter()
        .flatten()
        .filter(|entry| stems.starts_with(entry))
        .map(Vec::len)
        .max()?;
    let matched = &stems[..len];
    let mut alternatives = vec![matched.to_vec()];
    for group in &rules.synonyms {
        if group.iter().any(|entry| entry.as_slice() == matched) {
            for entry in group {
                if !alternatives.contains(entry) {
                    alternatives.push(entry.clone());
                }
            }
        }
    }
    Some((len, alternatives))
}

/// The word of the site `term` was most likely meant to be.
fn correction(term: &str, vocabulary: &dyn Vocabulary) -> Option<String> {
    let chars: Vec<char> = term.chars().collect();
    let allowed = tolerance(chars.len());
    if allowed == 0 {
        return None;
    }
    let key = shard_key(term);
    let mut best: Option<(usize, u64, String)> = None;
    for (word, docs) in vocabulary.shard_words(term) {
        if word.contains(' ') || shard_key(&word) != key {
            continue;
        }
        let other: Vec<char> = word.chars().collect();
        if other.len().abs_diff(chars.len()) > allowed {
            continue;
        }
        let distance = strsim::generic_damerau_levenshtein(&chars, &other);
        if distance == 0 || distance > allowed {
            continue;
        }
        let better = best.as_ref().is_none_or(|(d, n, w)| {
            (distance, std::cmp::Reverse(docs), &word) < (*d, std::cmp::Reverse(*n), w)
        });
        if better {
            best = Some((distance, docs, word));
        }
    }
    best.map(|(_, _, word)| word)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Words(Vec<(&'static str, u64)>);

    impl Vocabulary for Words {
        fn contains(&self, term: &str) -> bool {
            self.0.iter().any(|(w, _)| *w == term)
        }
        fn shard_words(&self, term: &str) -> Vec<(String, u64)> {
            let key = shard_key(term);
            self.0
                .iter()
                .filter(|(w, _)| shard_key(w) == key)
                .map(|(w, n)| ((*w).to_owned(), *n))
                .collect()
        }
    }

    fn words() -> Words {
        Words(vec![
            ("photo", 40),
            ("upload", 30),
            ("ipad", 10),
            ("iphon", 20),
            ("wifi", 3),
            ("cellular", 4),
            ("data", 5),
            ("blurry", 2),
        ])
    }

    fn rules() -> QueryRules {
        let groups: Vec<Vec<String>> = [
            &["wi-fi", "wifi", "wireless network"][..],
            &["cellular data", "mobile data", "4g"][..],
        ]
        .iter()
        .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
        .collect();
        QueryRules::new(
            "en",
            &groups,
            &[
                ("ipad".to_owned(), "iPad".to_owned()),
                ("iphone".to_owned(), "iPhone".to_owned()),
            ],
        )
    }

    fn alternatives(plan: &Plan) -> Vec<Vec<String>> {
        plan.concepts
            .iter()
            .map(|c| c.alternatives.iter().map(|a| a.join(" ")).collect())
            .collect()
    }

    #[test]
    fn typos_are_corrected_to_words_of_the_site() {
        let plan = understand("photso not uplaoding on my ipda", &rules(), &words());
        assert_eq!(
            plan.corrected.as_deref(),
            Some("photo not uploading on my ipad")
        );
        assert_eq!(
            alternatives(&plan),
            [vec!["photo"], vec!["not"], vec!["upload"], vec!["ipad"]]
        );
        assert_eq!(plan.platforms, ["ipad"]);
    }

    #[test]
    fn stop_words_are_dropped_but_never_all_of_them() {
        let plan = understand("why is my photo blurry", &rules(), &words());
        assert_eq!(alternatives(&plan), [vec!["photo"], vec!["blurry"]]);
        let plan = understand("how do i", &rules(), &words());
        assert_eq!(alternatives(&plan).len(), 3);
        assert!(plan.corrected.is_none());
    }

    #[test]
    fn multi_word_synonyms_become_one_concept() {
        let plan = understand("mobile data for photos", &rules(), &words());
        assert_eq!(
            alternatives(&plan)[0],
            ["mobil data", "cellular data", "4g"]
        );
        assert_eq!(alternatives(&plan)[1], ["photo"]);
        let plan = understand("wireless network", &rules(), &words());
        assert_eq!(
            alternatives(&plan),
            [vec!["wireless network", "wi fi", "wifi"]]
        );
    }

    #[test]
    fn pairs_skip_numbers() {
        let plan = understand("paused uploading 34 items", &rules(), &words());
        assert_eq!(plan.pairs, [("paus".to_owned(), "upload".to_owned())]);
    }

    #[test]
    fn short_words_numbers_and_known_words_are_not_corrected() {
        let plan = understand("ipd 1234 photo", &rules(), &words());
        assert!(plan.corrected.is_none(), "{plan:?}");
    }
}
