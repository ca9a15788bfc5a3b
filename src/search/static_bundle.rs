//! The serverless search bundle: pagefind's index built from the same [`SearchDoc`]s as
//! tantivy, plus the browser's status index ([`STATUS_INDEX_PATH`]).
//!
//! Weights mirror tantivy's as far as pagefind allows. A custom record's content is read
//! word by word, and pagefind's own `___PAGEFIND_WEIGHT___N` … `___END_PAGEFIND_WEIGHT___`
//! markers (what `data-pagefind-weight` compiles to) set the weight of the words between
//! them, so the record reads: status messages (10, pagefind's maximum), title (7, an h1's
//! weight), symptoms (4), description (2), then the body (1). The title is also the `title`
//! meta, which pagefind ranks on its own.

use std::collections::{BTreeMap, BTreeSet};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::normalize::normalize;
use super::{SearchDoc, SearchError, StatusLookup};

/// Where the browser status index goes, relative to the output root.
pub const STATUS_INDEX_PATH: &str = "status-index.json";
/// Folder of the pagefind bundle, relative to the output root.
pub const BUNDLE_DIR: &str = "pagefind";
/// Language of the records: English stemming, like tantivy's prose fields.
const LANGUAGE: &str = "en";

const WEIGHT_STATUS: u8 = 10;
const WEIGHT_TITLE: u8 = 7;
const WEIGHT_SYMPTOMS: u8 = 4;
const WEIGHT_DESCRIPTION: u8 = 2;

/// Words of each body the static index keeps by default: see [`BundleOptions::body_words`].
pub const DEFAULT_BODY_WORDS: usize = 80;

/// What the static index keeps: recall on plain hosting against bytes and build memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundleOptions {
    /// Words of each body indexed, from the start (the lead paragraph); `None` indexes whole
    /// bodies. Status messages, titles, symptoms and descriptions are always indexed whole.
    ///
    /// pagefind fetches a word's entire posting list, positions included, so body words make
    /// the index chunks a first query downloads, and pagefind's build memory, grow with the
    /// body length. At 10,000 articles of ~300 words, whole bodies mean ~90 KB per query
    /// word and ~1 GB peak memory; an 80-word lead about a third of both. `fixbook serve`
    /// and `fixbook search` (tantivy) always search whole bodies.
    pub body_words: Option<usize>,
}

impl Default for BundleOptions {
    fn default() -> BundleOptions {
        BundleOptions {
            body_words: Some(DEFAULT_BODY_WORDS),
        }
    }
}

/// Builds the static search files with [`BundleOptions::default`]: `(path under the output
/// root, bytes)`, sorted by path. The same input gives the same bytes.
pub fn build_static_bundle(
    docs: &[SearchDoc],
    lookup: &StatusLookup,
) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    build_static_bundle_with(docs, lookup, &BundleOptions::default())
}

/// [`build_static_bundle`] with explicit options.
pub fn build_static_bundle_with(
    docs: &[SearchDoc],
    lookup: &StatusLookup,
    options: &BundleOptions,
) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    // pagefind's API is async; the generator is not. A one-thread runtime for the duration
    // of the call is enough: pagefind parallelizes its index build with rayon itself.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|err| SearchError::StaticBundle(format!("cannot start a runtime: {err}")))?;
    let files = runtime.block_on(pagefind_files(docs, options))?;
    let mut out: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .filter_map(|file| {
            let name = file.filename.to_string_lossy().replace('\\', "/");
            shipped(&name).then(|| (format!("{BUNDLE_DIR}/{name}"), file.contents))
        })
        .collect();
    out.push((
        STATUS_INDEX_PATH.to_owned(),
        lookup.to_browser_json().into_bytes(),
    ));
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

async fn pagefind_files(
    docs: &[SearchDoc],
    options: &BundleOptions,
) -> Result<Vec<pagefind::api::SyntheticFile>, SearchError> {
    let config = PagefindServiceConfig::builder()
        .force_language(LANGUAGE.to_owned())
        .keep_index_url(true)
        .build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|err| failed("setup", err))?;
    // A document naming no platform applies to all: give it every platform, so a platform
    // filter in the browser keeps it, as tantivy's does.
    let every_platform: Vec<String> = docs
        .iter()
        .flat_map(|doc| doc.platforms.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for doc in docs {
        // Only the title as meta: pagefind indexes every meta field's words a second time,
        // and the description is already in the content (and so in excerpts).
        let meta = BTreeMap::from([("title".to_owned(), doc.title.clone())]);
        let platforms = if doc.platforms.is_empty() {
            every_platform.clone()
        } else {
            doc.platforms.clone()
        };
        let mut filters = BTreeMap::from([("kind".to_owned(), vec![doc.kind.as_str().to_owned()])]);
        if !platforms.is_empty() {
            filters.insert("platform".to_owned(), platforms);
        }
        index
            .add_custom_record(
                doc.url.clone(),
                weighted_content(doc, options),
                LANGUAGE.to_owned(),
                Some(meta),
                Some(filters),
                None,
            )
            .await
            .map_err(|err| failed(&doc.url, err))?;
    }
    index.get_files().await.map_err(|err| failed("index", err))
}

fn failed(what: &str, err: impl std::fmt::Display) -> SearchError {
    SearchError::StaticBundle(format!("{what}: {err}"))
}

/// Whether a pagefind output file belongs in the site. The prebuilt UIs, the highlighter and
/// the language-neutral WebAssembly are never loaded by `search.js`: shipping them would
/// only add bytes.
fn shipped(name: &str) -> bool {
    const UNUSED: &[&str] = &[
        "pagefind-ui.",
        "pagefind-modular-ui.",
        "pagefind-component-ui.",
        "pagefind-highlight.",
        "playground/",
        "wasm.unknown.pagefind",
    ];
    !UNUSED.iter().any(|prefix| name.starts_with(prefix))
}

/// The record's text with pagefind weight markers around the high-weight parts.
fn weighted_content(doc: &SearchDoc, options: &BundleOptions) -> String {
    let mut out = String::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut messages = Vec::new();
    for message in &doc.status_messages {
        if seen.insert(normalize(message)) {
            messages.push(message.as_str());
        }
    }
    push_weighted(&mut out, WEIGHT_STATUS, &messages);
    // A status document's title is its message, already in at the top weight.
    if seen.insert(normalize(&doc.title)) {
        push_weighted(&mut out, WEIGHT_TITLE, &[doc.title.as_str()]);
    }
    let symptoms: Vec<&str> = doc.symptoms.iter().map(String::as_str).collect();
    push_weighted(&mut out, WEIGHT_SYMPTOMS, &symptoms);
    push_weighted(&mut out, WEIGHT_DESCRIPTION, &[doc.description.as_str()]);
    let limit = options.body_words.unwrap_or(usize::MAX);
    let body: Vec<&str> = doc.body.split_whitespace().take(limit).collect();
    push_sentence(&mut out, &body.join(" "));
    out
}

fn push_weighted(out: &mut String, weight: u8, texts: &[&str]) {
    if texts.iter().all(|text| text.trim().is_empty()) {
        return;
    }
    out.push_str(&format!(" ___PAGEFIND_WEIGHT___{weight} "));
    for text in texts {
        push_sentence(out, text);
    }
    out.push_str(" ___END_PAGEFIND_WEIGHT___ ");
}

/// Appends `text` as a sentence, so excerpts read "Paused. Waiting To Upload." and not
/// "Paused Waiting To Upload". Words that look like pagefind markers lose their underscores:
/// content must not be able to change weights.
fn push_sentence(out: &mut String, text: &str) {
    let mut words = text
        .split_whitespace()
        .map(|word| {
            if word.starts_with("___") {
                word.trim_start_matches('_')
            } else {
                word
            }
        })
        .filter(|word| !word.is_empty())
        .peekable();
    if words.peek().is_none() {
        return;
    }
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
    let mut last = "";
    for (i, word) in words.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
        last = word;
    }
    if !last.ends_with(['.', '!', '?', '…', ':']) {
        out.push('.');
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests fail loudly by design
mod tests {
    use super::super::fixtures::{sample_docs, sample_lookup};
    use super::*;

    fn bundle() -> Vec<(String, Vec<u8>)> {
        build_static_bundle(&sample_docs(), &sample_lookup()).unwrap()
    }

    #[test]
    fn bundle_has_the_loader_the_wasm_the_entry_and_index_files() {
        let files = bundle();
        let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
        for required in [
            "pagefind/pagefind.js",
            "pagefind/pagefind-worker.js",
            "pagefind/pagefind-entry.json",
            "pagefind/wasm.en.pagefind",
            STATUS_INDEX_PATH,
        ] {
            assert!(
                names.contains(&required),
                "{required} missing from {names:?}"
            );
        }
        for suffix in [".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"] {
            assert!(
                names.iter().any(|n| n.ends_with(suffix)),
                "no {suffix} in {names:?}"
            );
        }
        assert!(names.iter().any(|n| n.starts_with("pagefind/index/")));
        assert!(names.iter().any(|n| n.starts_with("pagefind/fragment/")));
    }

    #[test]
    fn unused_pagefind_ui_files_are_left_out() {
        let files = bundle();
        assert!(files.iter().all(|(name, _)| !name.contains("-ui.")
            && !name.contains("highlight")
            && !name.contains("unknown")));
    }

    #[test]
    fn same_docs_give_the_same_bytes() {
        assert_eq!(bundle(), bundle());
    }

    #[test]
    fn entry_declares_english_with_every_page() {
        let files = bundle();
        let entry = &files
            .iter()
            .find(|(name, _)| name == "pagefind/pagefind-entry.json")
            .unwrap()
            .1;
        let entry: serde_json::Value = serde_json::from_slice(entry).unwrap();
        assert_eq!(entry["languages"]["en"]["page_count"], sample_docs().len());
        assert_eq!(entry["languages"]["en"]["wasm"], "en");
    }

    #[test]
    fn status_index_is_the_lookup_browser_json() {
        let files = bundle();
        let status = &files
            .iter()
            .find(|(name, _)| name == STATUS_INDEX_PATH)
            .unwrap()
            .1;
        assert_eq!(status, sample_lookup().to_browser_json().as_bytes());
    }

    #[test]
    fn content_marks_weights_from_status_to_description() {
        let docs = sample_docs();
        let article = docs
            .iter()
            .find(|d| d.slug == "shared-album-stopped-updating")
            .unwrap();
        let content = weighted_content(article, &BundleOptions::default());
        let status = content
            .find("___PAGEFIND_WEIGHT___10 Waiting To Upload. Paused.")
            .unwrap();
        let title = content
            .find("___PAGEFIND_WEIGHT___7 Shared album stopped updating.")
            .unwrap();
        let symptoms = content.find("___PAGEFIND_WEIGHT___4 New photos").unwrap();
        let description = content
            .find("___PAGEFIND_WEIGHT___2 New photos in")
            .unwrap();
        assert!(status < title && title < symptoms && symptoms < description);
        assert!(content.trim_end().ends_with("the usual cause."));
    }

    #[test]
    fn body_is_cut_to_its_lead_unless_asked_for_whole() {
        let mut doc = sample_docs().remove(0);
        doc.body = (0..200)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let lead = weighted_content(&doc, &BundleOptions::default());
        assert!(lead.contains(&format!("w{}.", DEFAULT_BODY_WORDS - 1)));
        assert!(!lead.contains(&format!("w{}", DEFAULT_BODY_WORDS)));
        let whole = weighted_content(&doc, &BundleOptions { body_words: None });
        assert!(whole.ends_with("w199."));
    }

    #[test]
    fn status_title_is_not_repeated() {
        let docs = sample_docs();
        let status = docs.iter().find(|d| d.slug == "paused").unwrap();
        let content = weighted_content(status, &BundleOptions::default());
        assert!(!content.contains("___PAGEFIND_WEIGHT___7"));
        assert!(content.contains("Paused. Paused uploading 34 items. Upload paused."));
    }

    #[test]
    fn text_cannot_forge_weight_markers() {
        let mut doc = sample_docs().remove(0);
        doc.body = "x ___PAGEFIND_WEIGHT___10 y ___END_PAGEFIND_WEIGHT___".to_owned();
        let content = weighted_content(&doc, &BundleOptions::default());
        assert!(content.ends_with("x PAGEFIND_WEIGHT___10 y END_PAGEFIND_WEIGHT___."));
    }
}
