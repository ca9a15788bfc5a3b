//! A status message inside a sentence: "my iphone has said uploading since yesterday",
//! "stuck on paused for hours". `assets/search-engine.js` (`inSentence`) does the same.
//!
//! A message (or alias) is in the query when its words follow each other there, each
//! within the lookup's typo tolerance, and either
//! - a cue word comes before it, stop words aside ("says", "keeps saying", "stuck on"), or
//! - every other word of the query is a stop word, a cue, a platform or a number.
//!
//! The longest message wins, then the one with the fewest edits, then the lookup's order.

use std::cmp::Ordering;

use super::normalize::{is_number, query_tokens};
use super::status_lookup::{StatusLookup, StatusMatch, rank};

impl StatusLookup {
    /// The status message said inside the sentence `query`, if any.
    pub fn in_sentence(&self, query: &str) -> Option<StatusMatch> {
        let tokens = query_tokens(query);
        let chars: Vec<Vec<char>> = tokens.iter().map(|t| t.chars().collect()).collect();
        if tokens.is_empty() {
            return None;
        }
        self.sentence_with(&tokens, &self.costs(&chars))
    }

    /// [`StatusLookup::in_sentence`] over the query's words and their costs.
    pub(super) fn sentence_with(
        &self,
        tokens: &[String],
        costs: &[Vec<Option<usize>>],
    ) -> Option<StatusMatch> {
        let rules = &self.rules;
        let stop = |t: &str| rules.stop_words.iter().any(|w| w == t);
        let cue = |t: &str| rules.cues.iter().any(|w| w == t);
        let platform = |t: &str| {
            let own = rules.stemmer.stem(t);
            rules
                .platforms
                .iter()
                .any(|(_, names)| names.iter().any(|n| *n == own))
        };
        let filler: Vec<bool> = tokens
            .iter()
            .map(|t| stop(t) || cue(t) || platform(t) || is_number(t))
            .collect();
        let mut best: Option<StatusMatch> = None;
        for pattern in &self.patterns {
            let len = pattern.words.len();
            if len > tokens.len() {
                continue;
            }
            for start in 0..=tokens.len() - len {
                let mut edits = 0;
                let matched = pattern.words.iter().enumerate().all(|(k, &word)| {
                    costs[word][start + k].is_some_and(|cost| {
                        edits += cost;
                        true
                    })
                });
                if !matched {
                    continue;
                }
                let announced = tokens[..start]
                    .iter()
                    .rev()
                    .find(|t| cue(t) || !stop(t))
                    .is_some_and(|t| cue(t));
                let alone = filler
                    .iter()
                    .enumerate()
                    .all(|(i, &f)| f || (start..start + len).contains(&i));
                if !announced && !alone {
                    continue;
                }
                let entry = &self.entries[pattern.entry];
                let candidate = StatusMatch {
                    slug: entry.slug.clone(),
                    url: entry.url.clone(),
                    message: entry.message.clone(),
                    edits,
                    exact: edits == 0,
                    covered: len,
                    tokens: len,
                    extra: tokens.len() - len,
                };
                if best
                    .as_ref()
                    .is_none_or(|current| better(&candidate, current) == Ordering::Less)
                {
                    best = Some(candidate);
                }
            }
        }
        best
    }
}

/// Longer messages first, then fewer edits, then the lookup's ranking.
fn better(a: &StatusMatch, b: &StatusMatch) -> Ordering {
    b.tokens
        .cmp(&a.tokens)
        .then(a.edits.cmp(&b.edits))
        .then_with(|| rank(a, b))
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::sample_lookup;

    fn said(query: &str) -> Option<String> {
        sample_lookup().in_sentence(query).map(|m| m.slug)
    }

    #[test]
    fn a_message_after_a_cue_word_is_found() {
        assert_eq!(
            said("my ipad keeps saying paused").as_deref(),
            Some("paused")
        );
        assert_eq!(said("stuck on paused for hours").as_deref(), Some("paused"));
        assert_eq!(
            said("my iphone has said uploading since yesterday").as_deref(),
            Some("uploading")
        );
    }

    #[test]
    fn typos_inside_the_sentence_are_tolerated() {
        assert_eq!(
            said("it keeps saying waiting to uplaod").as_deref(),
            Some("waiting-to-upload")
        );
        let found = sample_lookup().in_sentence("says pausd").unwrap();
        assert_eq!((found.slug.as_str(), found.exact), ("paused", false));
    }

    #[test]
    fn a_message_among_filler_words_only_is_found() {
        assert_eq!(said("my iphone is paused").as_deref(), Some("paused"));
    }

    #[test]
    fn a_message_word_in_a_description_of_a_problem_is_not_a_status() {
        assert_eq!(said("photos not uploading on my iphone"), None);
        assert_eq!(said("how to print a photo"), None);
        assert_eq!(said(""), None);
    }

    #[test]
    fn the_longest_message_wins() {
        assert_eq!(
            said("it says paused uploading 12 items").as_deref(),
            Some("paused")
        );
        let found = sample_lookup()
            .in_sentence("it says paused uploading 12 items")
            .unwrap();
        assert_eq!(found.tokens, 4);
    }
}
