//! Search: one [`SearchDoc`] model built from the validated content feeds every engine.
//!
//! - [`index`]: the tantivy index behind `fixbook search` and `/api/search`.
//! - [`status_lookup`]: a typo-tolerant matcher for exact status messages, mirrored in
//!   `assets/search.js` so the browser ranks status pages the same way.
//! - [`static_bundle`]: the sharded static index and the browser status index for plain
//!   hosting, read by `assets/search.js`.
//!
//! [`search_all`] combines the first two: a query that looks like a status message lands on
//! that status page first.

pub mod cache;
mod documents;
pub mod export;
mod index;
mod normalize;
mod sentence;
mod static_bundle;
mod status_lookup;
mod stem;

mod analyzer;
mod language;
mod query;
mod rules;
mod schema;
mod snippet;
mod understand;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod js_parity;

use std::path::PathBuf;

pub use documents::{documents, documents_iter};
pub use index::{SearchIndex, build_index};
pub use rules::QueryRules;
pub use static_bundle::{STATUS_INDEX_PATH, build_static_bundle, build_static_bundle_from};
pub use status_lookup::{StatusEntry, StatusLookup, StatusMatch};
pub use stem::Stemmer;

use crate::content::Kind;

/// One searchable page, built once from the validated content and fed to every engine.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchDoc {
    pub kind: Kind,
    pub slug: String,
    pub url: String,   // site-relative, e.g. "/status/waiting-to-upload/"
    pub title: String, // for a status doc: the exact message
    pub description: String,
    pub status_messages: Vec<String>, // exact texts as displayed (+ aliases for a status doc; for an article: the messages of the statuses it shows)
    pub symptoms: Vec<String>,
    pub body: String,           // plain text of the body, no code blocks
    pub platforms: Vec<String>, // platform keys, e.g. "iphone"
}

/// One result, ready for the CLI, `/api/search` (as JSON) and the results page.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchHit {
    pub kind: Kind,
    /// Site-relative, as in [`SearchDoc::url`].
    pub url: String,
    pub title: String,
    pub description: String,
    /// An HTML-escaped excerpt with the matched words wrapped in `<mark>`.
    pub snippet_html: String,
    pub score: f32,
}

/// What can go wrong while building or querying a search index. User queries never produce
/// one: they are tokenized, not parsed, so only I/O and index corruption remain.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index directory {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "search index directory {} is not empty; build the index into a fresh directory",
        .0.display()
    )]
    DirNotEmpty(PathBuf),
    #[error("static search bundle: {0}")]
    StaticBundle(String),
}

/// The results of a query with what the search understood of it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchAnswer {
    pub hits: Vec<SearchHit>,
    /// The query with its misspelled words corrected, when some were ("did you mean").
    pub corrected: Option<String>,
}

/// Searches the index, putting the status page first when `query` looks like a status
/// message (typos tolerated, alone or inside a sentence), then the text results without
/// duplicates. The query is understood by the lookup's rules (stop words, synonyms,
/// platform words), as the static index understands it.
///
/// The status page leads whatever the platform filter: a reader who typed the exact message
/// wants its page. Its score is raised to the best text score so the list stays ordered.
pub fn search_all(
    index: &SearchIndex,
    lookup: &StatusLookup,
    query: &str,
    platform: Option<&str>,
    limit: usize,
) -> Result<Vec<SearchHit>, SearchError> {
    Ok(search_answer(index, lookup, query, platform, limit)?.hits)
}

/// [`search_all`] with the corrected query.
pub fn search_answer(
    index: &SearchIndex,
    lookup: &StatusLookup,
    query: &str,
    platform: Option<&str>,
    limit: usize,
) -> Result<SearchAnswer, SearchError> {
    let plan = index.understand(query, lookup.rules());
    let corrected = plan.corrected.clone();
    if limit == 0 {
        return Ok(SearchAnswer {
            hits: Vec::new(),
            corrected,
        });
    }
    let mut hits = index.search_plan(&plan, platform, limit + 1)?;
    if let Some(status) = lookup.looks_like_status(query) {
        let found = hits.iter().position(|hit| hit.url == status.url);
        let lead = match found {
            Some(position) => Some(hits.remove(position)),
            None => index.get_by_url(&status.url)?,
        };
        let mut lead = lead.unwrap_or_else(|| SearchHit {
            kind: Kind::Status,
            url: status.url.clone(),
            title: status.message.clone(),
            description: String::new(),
            snippet_html: snippet::escape_html(&status.message),
            score: 0.0,
        });
        if let Some(best) = hits.first() {
            lead.score = lead.score.max(best.score);
        }
        hits.insert(0, lead);
    }
    let mut seen = std::collections::HashSet::new();
    hits.retain(|hit| seen.insert(hit.url.clone()));
    hits.truncate(limit);
    Ok(SearchAnswer { hits, corrected })
}

/// The serverless search bundle and the browser's status-message index, with the site's
/// rules for understanding queries.
pub fn static_files(
    docs: &[SearchDoc],
    rules: &QueryRules,
) -> Result<Vec<crate::site::OutputFile>, crate::diagnostic::Diagnostic> {
    let lookup = StatusLookup::from_docs(docs).with_rules(rules.clone());
    output_files(build_static_bundle(docs, &lookup))
}

/// [`static_files`] of documents made one at a time ([`documents_iter`]): what a build
/// uses, holding one document's text at a time.
pub fn static_files_from(
    docs: impl IntoIterator<Item = SearchDoc>,
    rules: &QueryRules,
) -> Result<Vec<crate::site::OutputFile>, crate::diagnostic::Diagnostic> {
    output_files(build_static_bundle_from(docs, rules))
}

fn output_files(
    bundle: Result<Vec<(String, Vec<u8>)>, SearchError>,
) -> Result<Vec<crate::site::OutputFile>, crate::diagnostic::Diagnostic> {
    let bundle = bundle.map_err(|err| {
        crate::diagnostic::Diagnostic::site_error(format!(
            "cannot build the static search bundle: {err}"
        ))
    })?;
    Ok(bundle
        .into_iter()
        .map(|(path, bytes)| crate::site::OutputFile { path, bytes })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::fixtures::{sample_docs, sample_lookup};
    use super::*;

    fn first_url(query: &str) -> String {
        let index = SearchIndex::from_docs(&sample_docs(), Stemmer::English).unwrap();
        let hits = search_all(&index, &sample_lookup(), query, None, 10).unwrap();
        hits.first().map(|hit| hit.url.clone()).unwrap_or_default()
    }

    #[test]
    fn typo_in_status_message_lands_on_its_status_page_first() {
        assert_eq!(first_url("waiting to uplaod"), "/status/waiting-to-upload/");
    }

    #[test]
    fn uppercase_status_message_lands_on_its_status_page_first() {
        assert_eq!(first_url("PAUSED"), "/status/paused/");
    }

    #[test]
    fn status_message_with_ellipsis_lands_on_its_status_page_first() {
        assert_eq!(
            first_url("syncing with icloud..."),
            "/status/syncing-with-icloud/"
        );
    }

    #[test]
    fn exact_status_message_lands_on_its_status_page_first() {
        assert_eq!(
            first_url("Waiting for photos"),
            "/status/waiting-for-photos/"
        );
    }

    #[test]
    fn status_lead_is_not_repeated_further_down() {
        let index = SearchIndex::from_docs(&sample_docs(), Stemmer::English).unwrap();
        let hits = search_all(&index, &sample_lookup(), "Waiting To Upload", None, 10).unwrap();
        let count = hits
            .iter()
            .filter(|hit| hit.url == "/status/waiting-to-upload/")
            .count();
        assert_eq!(count, 1);
        assert!(hits.len() > 1, "articles mentioning the status follow it");
    }

    #[test]
    fn unrelated_question_gets_no_status_lead() {
        let index = SearchIndex::from_docs(&sample_docs(), Stemmer::English).unwrap();
        let hits =
            search_all(&index, &sample_lookup(), "how do I print a photo", None, 10).unwrap();
        assert_eq!(
            hits[0].url, "/articles/print-a-photo-from-an-album/",
            "{hits:#?}"
        );
    }

    #[test]
    fn zero_limit_returns_nothing() {
        let index = SearchIndex::from_docs(&sample_docs(), Stemmer::English).unwrap();
        assert!(
            search_all(&index, &sample_lookup(), "paused", None, 0)
                .unwrap()
                .is_empty()
        );
    }
}
