//! Typo-tolerant lookup of exact status messages ("Waiting To Upload", "Paused").
//!
//! Readers type what their screen shows, often misspelled, in any case, with or without the
//! ellipsis. Text search ranks prose; this matcher answers one question well: *which status
//! message is this?* `assets/search.js` implements the same algorithm over
//! [`StatusLookup::to_browser_json`], so keep the two in step (see `statusLookup` there).
//!
//! Matching, per message and alias, after [`normalize`](super::normalize::normalize):
//! 1. tokens are aligned in order (a longest-common-subsequence over words) where a pair
//!    matches when its Damerau–Levenshtein distance is within the message word's tolerance:
//!    0 edits up to 3 characters, 1 up to 6, 2 beyond; a number in a message matches any
//!    number ("Paused uploading 34 items");
//! 2. the alignment covering the most message words with the fewest edits wins;
//! 3. results rank exact first, then fully covered, then by coverage, then by edits plus
//!    query words left unexplained.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::normalize::{is_number, message_tokens, query_tokens};
use super::rules::QueryRules;

/// One status message as the lookup sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StatusEntry {
    pub slug: String,
    /// Site-relative, as in [`SearchDoc::url`](super::SearchDoc::url).
    pub url: String,
    /// The exact text as displayed.
    pub message: String,
    /// Other texts that mean the same status (older wording, other platforms, with counts).
    pub aliases: Vec<String>,
}

/// A status message that matches a query, with how well it matches.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatusMatch {
    pub slug: String,
    pub url: String,
    pub message: String,
    /// Total character edits over the matched words.
    pub edits: usize,
    /// The query is the message or an alias, up to normalization and counts.
    pub exact: bool,
    /// Words of the matched message (or alias) found in the query.
    pub covered: usize,
    /// Words in the matched message (or alias).
    pub tokens: usize,
    /// Words of the query left unmatched.
    pub extra: usize,
}

/// The status messages of a site, prepared for repeated lookups, with the site's
/// [`QueryRules`]: every surface reads both from here, so they understand a query alike.
#[derive(Debug, Clone)]
pub struct StatusLookup {
    pub(super) entries: Vec<StatusEntry>,
    pub(super) patterns: Vec<Pattern>,
    pub(super) vocabulary: Vec<Word>,
    pub(super) rules: QueryRules,
    /// The problems shown when a search finds nothing: (title, url), most status messages
    /// first.
    pub(super) top: Vec<(String, String)>,
}

/// How many problems an empty search suggests.
const TOP_PROBLEMS: usize = 8;

/// A message or alias: an entry and its words as vocabulary ids.
#[derive(Debug, Clone)]
pub(super) struct Pattern {
    pub(super) entry: usize,
    pub(super) words: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(super) struct Word {
    pub(super) chars: Vec<char>,
    pub(super) number: bool,
}

/// What [`StatusLookup::from_docs`] reads of the documents, taken one document at a time:
/// the status documents, each article's title, address and number of status messages,
/// and the platforms named. A build indexing 100,000 documents in turn keeps only this.
#[derive(Default)]
pub struct LookupSources {
    platforms: std::collections::BTreeSet<String>,
    statuses: Vec<super::SearchDoc>,
    /// (status messages, title, url) of each article, in the documents' order.
    articles: Vec<(usize, String, String)>,
}

impl LookupSources {
    /// Takes what the lookup needs of `doc`.
    pub fn add(&mut self, doc: &super::SearchDoc) {
        for platform in &doc.platforms {
            if !self.platforms.contains(platform.as_str()) {
                self.platforms.insert(platform.to_lowercase());
            }
        }
        match doc.kind {
            crate::content::Kind::Status => self.statuses.push(super::SearchDoc {
                body: String::new(),
                ..doc.clone()
            }),
            crate::content::Kind::Article => self.articles.push((
                doc.status_messages.len(),
                doc.title.clone(),
                doc.url.clone(),
            )),
            _ => {}
        }
    }

    /// The lookup: the title of a status document is its message, its other status
    /// messages are aliases; the top problems are the articles showing the most status
    /// messages (then by title); the rules are English, with the platforms named.
    pub fn lookup(mut self) -> StatusLookup {
        let keys: Vec<String> = self.platforms.into_iter().collect();
        self.articles
            .sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut lookup =
            StatusLookup::from_status_docs(&self.statuses).with_rules(QueryRules::english(&keys));
        lookup.top = self
            .articles
            .into_iter()
            .take(TOP_PROBLEMS)
            .map(|(_, title, url)| (title, url))
            .collect();
        lookup
    }
}

impl StatusLookup {
    /// Prepares `entries` (any order; kept sorted by slug so results are deterministic).
    pub fn new(mut entries: Vec<StatusEntry>) -> StatusLookup {
        entries.sort_by(|a, b| a.slug.cmp(&b.slug));
        entries.dedup_by(|a, b| a.slug == b.slug);
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut vocabulary = Vec::new();
        let mut patterns = Vec::new();
        for (entry_index, entry) in entries.iter().enumerate() {
            for text in std::iter::once(&entry.message).chain(&entry.aliases) {
                let words: Vec<usize> = message_tokens(text)
                    .into_iter()
                    .map(|token| {
                        *ids.entry(token.clone()).or_insert_with(|| {
                            vocabulary.push(Word {
                                number: is_number(&token),
                                chars: token.chars().collect(),
                            });
                            vocabulary.len() - 1
                        })
                    })
                    .collect();
                if !words.is_empty() {
                    patterns.push(Pattern {
                        entry: entry_index,
                        words,
                    });
                }
            }
        }
        StatusLookup {
            entries,
            patterns,
            vocabulary,
            rules: QueryRules::english(&[]),
            top: Vec::new(),
        }
    }

    /// The lookup with the site's rules (stop words, cue words, synonyms, platforms).
    pub fn with_rules(mut self, rules: QueryRules) -> StatusLookup {
        self.rules = rules;
        self
    }

    /// The site's rules for understanding queries.
    pub fn rules(&self) -> &QueryRules {
        &self.rules
    }

    /// The lookup over the status documents among `docs`: the title is the message, the
    /// other status messages of the document are its aliases. The rules are English, with
    /// the platforms the documents name; see [`StatusLookup::with_rules`].
    pub fn from_docs(docs: &[super::SearchDoc]) -> StatusLookup {
        let mut sources = LookupSources::default();
        for doc in docs {
            sources.add(doc);
        }
        sources.lookup()
    }

    fn from_status_docs(docs: &[super::SearchDoc]) -> StatusLookup {
        let entries = docs
            .iter()
            .filter(|doc| doc.kind == crate::content::Kind::Status)
            .map(|doc| StatusEntry {
                slug: doc.slug.clone(),
                url: doc.url.clone(),
                message: doc.title.clone(),
                aliases: doc
                    .status_messages
                    .iter()
                    .filter(|text| {
                        super::normalize::normalize(text) != super::normalize::normalize(&doc.title)
                    })
                    .cloned()
                    .collect(),
            })
            .collect();
        StatusLookup::new(entries)
    }

    /// The entries, sorted by slug.
    pub fn entries(&self) -> &[StatusEntry] {
        &self.entries
    }

    /// Edits from each message word (by vocabulary id) to each query word, if within
    /// tolerance: computed once per query, as many messages share words.
    pub(super) fn costs(&self, query: &[Vec<char>]) -> Vec<Vec<Option<usize>>> {
        self.vocabulary
            .iter()
            .map(|word| query.iter().map(|q| word_cost(word, q)).collect())
            .collect()
    }

    /// Status messages matching `query`, best first. A message is listed when the query
    /// covers at least half of its words.
    pub fn lookup(&self, query: &str) -> Vec<StatusMatch> {
        let query: Vec<Vec<char>> = query_tokens(query)
            .iter()
            .map(|token| token.chars().collect())
            .collect();
        if query.is_empty() {
            return Vec::new();
        }
        let costs = self.costs(&query);
        self.lookup_with(&query, &costs)
    }

    /// [`StatusLookup::lookup`] over the query's characters and their costs.
    fn lookup_with(&self, query: &[Vec<char>], costs: &[Vec<Option<usize>>]) -> Vec<StatusMatch> {
        let mut best: Vec<Option<StatusMatch>> = vec![None; self.entries.len()];
        for pattern in &self.patterns {
            let (covered, edits) = align(&pattern.words, query.len(), costs);
            let tokens = pattern.words.len();
            if covered == 0 || covered * 2 < tokens {
                continue;
            }
            let entry = &self.entries[pattern.entry];
            let candidate = StatusMatch {
                slug: entry.slug.clone(),
                url: entry.url.clone(),
                message: entry.message.clone(),
                edits,
                exact: covered == tokens && edits == 0 && query.len() == tokens,
                covered,
                tokens,
                extra: query.len() - covered,
            };
            let slot = &mut best[pattern.entry];
            if slot
                .as_ref()
                .is_none_or(|current| rank(&candidate, current) == Ordering::Less)
            {
                *slot = Some(candidate);
            }
        }
        let mut matches: Vec<StatusMatch> = best.into_iter().flatten().collect();
        matches.sort_by(rank);
        matches
    }

    /// The status message `query` stands for, if it stands for one: the best match covers
    /// every word of the message within tolerance, and at least half the query's words; or
    /// the message is inside a sentence (see [`StatusLookup::in_sentence`]).
    pub fn looks_like_status(&self, query: &str) -> Option<StatusMatch> {
        let tokens = query_tokens(query);
        let chars: Vec<Vec<char>> = tokens.iter().map(|t| t.chars().collect()).collect();
        if chars.is_empty() {
            return None;
        }
        let costs = self.costs(&chars);
        self.lookup_with(&chars, &costs)
            .into_iter()
            .next()
            .filter(|best| best.covered == best.tokens && best.extra <= best.covered)
            .or_else(|| self.sentence_with(&tokens, &costs))
    }

    /// The browser's copy of the lookup: `{"version":2,"statuses":[{slug,url,message,aliases}],
    /// "stop":[…],"cues":[…],"platforms":[…],"top":[{title,url}],"stemmer"}`: the words
    /// [`StatusLookup::in_sentence`] needs, and the problems an empty search suggests.
    pub fn to_browser_json(&self) -> String {
        let statuses: Vec<serde_json::Value> = self
            .entries
            .iter()
            .map(|entry| {
                serde_json::json!({
                    "slug": entry.slug,
                    "url": entry.url,
                    "message": entry.message,
                    "aliases": entry.aliases,
                })
            })
            .collect();
        let mut json = serde_json::json!({
            "version": 2,
            "statuses": statuses,
            "stop": self.rules.stop_words,
            "cues": self.rules.cues,
            "platforms": self.rules.platforms.iter().flat_map(|(_, names)| names).collect::<Vec<_>>(),
            "top": self.top.iter().map(|(title, url)| serde_json::json!({"title": title, "url": url})).collect::<Vec<_>>(),
        });
        self.rules.stemmer_into(&mut json);
        json.to_string()
    }
}

/// Edits allowed in a message word of `len` characters.
pub fn tolerance(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

/// Edits to turn query word `query` into message word `word`, if within tolerance.
pub(super) fn word_cost(word: &Word, query: &[char]) -> Option<usize> {
    if word.number && !query.is_empty() && query.iter().all(char::is_ascii_digit) {
        return Some(0);
    }
    if word.chars == query {
        return Some(0);
    }
    let allowed = tolerance(word.chars.len());
    if allowed == 0 || word.chars.len().abs_diff(query.len()) > allowed {
        return None;
    }
    let a: String = word.chars.iter().collect();
    let b: String = query.iter().collect();
    let distance = strsim::damerau_levenshtein(&a, &b);
    (distance <= allowed).then_some(distance)
}

/// Best in-order alignment of message words to query words: (words covered, total edits),
/// maximizing coverage, then minimizing edits.
fn align(words: &[usize], query_len: usize, costs: &[Vec<Option<usize>>]) -> (usize, usize) {
    // dp[j] holds the best (covered, edits) for the message prefix so far and query prefix j.
    let mut previous = vec![(0usize, 0usize); query_len + 1];
    let mut current = previous.clone();
    for &word in words {
        current[0] = (0, 0);
        for j in 1..=query_len {
            let mut cell = better(previous[j], current[j - 1]);
            if let Some(cost) = costs[word][j - 1] {
                let (covered, edits) = previous[j - 1];
                cell = better(cell, (covered + 1, edits + cost));
            }
            current[j] = cell;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[query_len]
}

fn better(a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    if b.0 > a.0 || (b.0 == a.0 && b.1 < a.1) {
        b
    } else {
        a
    }
}

/// Ranking: exact, fully covered, higher coverage, fewer edits plus unexplained query words
/// (an extra word costs like an edit), fewer edits, shorter message, then slug.
pub(super) fn rank(a: &StatusMatch, b: &StatusMatch) -> Ordering {
    let full = |m: &StatusMatch| m.covered == m.tokens;
    b.exact
        .cmp(&a.exact)
        .then(full(b).cmp(&full(a)))
        .then((b.covered * a.tokens).cmp(&(a.covered * b.tokens)))
        .then((a.edits + a.extra).cmp(&(b.edits + b.extra)))
        .then(a.edits.cmp(&b.edits))
        .then(a.message.chars().count().cmp(&b.message.chars().count()))
        .then(a.slug.cmp(&b.slug))
}

#[cfg(test)]
mod tests;
