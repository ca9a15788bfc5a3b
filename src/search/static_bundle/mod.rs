//! The serverless search bundle: fixbook's own sharded static index, built from the same
//! [`SearchDoc`]s as tantivy and read by `assets/search.js`, plus the browser's status index
//! ([`STATUS_INDEX_PATH`]).
//!
//! Everything but the status index lives under [`BUNDLE_DIR`]:
//!
//! ```text
//! search-index/meta.json        {version, docs, chunk, scale, k1, b, fields, shards, query}
//!                               (query.stemmer: the documents' stemmer, English when absent)
//! search-index/terms/<key>.json term → [doc, weight, doc delta, weight, …], or for a term
//!                               most pages have, a string of one weight per page (terms.rs)
//! search-index/docs/<n>.json    documents n·chunk … as [{url, title, kind, description, excerpt}]
//! search-index/platforms.json   {"any": docs naming no platform, "platforms": {key: docs}}
//! ```
//!
//! The status index carries `meta.json` too, as `index`: pages load it anyway, so a first
//! query fetches the status index, one shard per query word and the chunks of the
//! documents it shows: a few small files, whatever the size of the site. Document lists in
//! `platforms.json` are delta-encoded like posting lists.

mod terms;

use std::collections::BTreeMap;

use super::snippet::truncate_words;
use super::status_lookup::LookupSources;
use super::stem::Stemmer;
use super::{QueryRules, SearchDoc, SearchError, StatusLookup};
use terms::{B, BOOSTS, FIELDS, K1, Postings, SCALE};

pub(crate) use terms::shard_key;

/// Folder of the static index, relative to the output root. Not `search/`: that is the
/// search page's own folder.
pub use crate::site::SEARCH_BUNDLE_DIR as BUNDLE_DIR;
/// Where the browser status index goes, relative to the output root.
pub use crate::site::STATUS_INDEX_PATH;
/// Format version in `meta.json`; `search.js` refuses any other.
pub const FORMAT_VERSION: u32 = 3;
/// Documents per `docs/<n>.json` chunk. The best results of a query are scattered over the
/// site, so each result costs about one chunk: at 10,000 articles a 64-document chunk is
/// ~7 KB gzipped (~70 KB for ten results, ~200 KB for a results page of 30), a 16-document
/// one under 2 KB, for ~700 files.
pub const DOC_CHUNK: usize = 16;
/// Longest description kept for results, in characters.
const DESCRIPTION_CHARS: usize = 160;
/// Longest body excerpt kept for snippets, in characters.
const EXCERPT_CHARS: usize = 240;

/// Builds the static search files: `(path under the output root, bytes)`, sorted by path.
/// The same input gives the same bytes.
pub fn build_static_bundle(
    docs: &[SearchDoc],
    lookup: &StatusLookup,
) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    let mut bundle = Bundle::new(lookup.rules().stemmer);
    for doc in docs {
        bundle.add(doc)?;
    }
    bundle.files(lookup)
}

/// [`build_static_bundle`] of documents read one at a time, with the status lookup
/// [`StatusLookup::from_docs`] makes of them and `rules`: each document's body is let go
/// once it is indexed, so a site of 100,000 articles never holds all their text at once.
/// The same bytes as from the documents collected.
pub fn build_static_bundle_from(
    docs: impl IntoIterator<Item = SearchDoc>,
    rules: &QueryRules,
) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
    let mut bundle = Bundle::new(rules.stemmer);
    let mut sources = LookupSources::default();
    for doc in docs {
        bundle.add(&doc)?;
        sources.add(&doc);
    }
    bundle.files(&sources.lookup().with_rules(rules.clone()))
}

/// The static index made one document at a time: the terms' postings, what each result
/// shows (written out a chunk at a time), and each platform's documents.
struct Bundle {
    postings: Postings,
    /// The documents added.
    count: usize,
    /// The entries of the chunk being filled.
    entries: Vec<DocEntry>,
    /// The chunks filled, as their files.
    chunks: Vec<(String, Vec<u8>)>,
    /// Documents naming no platform, and those of each platform (lowercased).
    any: Vec<u32>,
    by_platform: BTreeMap<String, Vec<u32>>,
}

impl Bundle {
    fn new(stemmer: Stemmer) -> Bundle {
        Bundle {
            postings: Postings::new(stemmer),
            count: 0,
            entries: Vec::with_capacity(DOC_CHUNK),
            chunks: Vec::new(),
            any: Vec::new(),
            by_platform: BTreeMap::new(),
        }
    }

    fn add(&mut self, doc: &SearchDoc) -> Result<(), SearchError> {
        let number = self.count as u32;
        self.count += 1;
        self.postings.add(doc);
        self.entries.push(DocEntry {
            url: doc.url.clone(),
            title: doc.title.clone(),
            kind: doc.kind.as_str(),
            description: truncate_words(&doc.description, DESCRIPTION_CHARS),
            excerpt: truncate_words(&doc.body, EXCERPT_CHARS),
        });
        if doc.platforms.is_empty() {
            self.any.push(number);
        }
        for platform in &doc.platforms {
            let list = self.by_platform.entry(platform.to_lowercase()).or_default();
            // A platform named twice must not list the document twice.
            if list.last() != Some(&number) {
                list.push(number);
            }
        }
        if self.entries.len() == DOC_CHUNK {
            self.finish_chunk()?;
        }
        Ok(())
    }

    /// Writes the chunk being filled as its file.
    fn finish_chunk(&mut self) -> Result<(), SearchError> {
        let number = self.chunks.len();
        let file = json(&self.entries)?;
        self.chunks
            .push((bundle_path(&format!("docs/{number}.json")), file));
        self.entries.clear();
        Ok(())
    }

    fn files(mut self, lookup: &StatusLookup) -> Result<Vec<(String, Vec<u8>)>, SearchError> {
        if !self.entries.is_empty() {
            self.finish_chunk()?;
        }
        let shards = self.postings.shards();
        let mut out: Vec<(String, Vec<u8>)> =
            Vec::with_capacity(shards.len() + self.chunks.len() + 4);
        let meta = meta(self.count, &shards, lookup.rules())?;
        out.push((
            STATUS_INDEX_PATH.to_owned(),
            status_index_with(lookup, &meta)?,
        ));
        out.push((bundle_path("meta.json"), meta));
        out.push((
            bundle_path("platforms.json"),
            platforms(&self.any, self.by_platform)?,
        ));
        out.append(&mut self.chunks);
        out.extend(
            shards
                .into_iter()
                .map(|(key, json)| (bundle_path(&format!("terms/{key}.json")), json.into_bytes())),
        );
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }
}

/// The browser's status index with the static index's `meta.json` in it (`index`): every
/// page loads the status index, so a first query needs one file fewer.
fn status_index_with(lookup: &StatusLookup, meta: &[u8]) -> Result<Vec<u8>, SearchError> {
    let invalid = |err: serde_json::Error| SearchError::StaticBundle(err.to_string());
    let mut status: serde_json::Value =
        serde_json::from_str(&lookup.to_browser_json()).map_err(invalid)?;
    if let Some(fields) = status.as_object_mut() {
        fields.insert(
            "index".to_owned(),
            serde_json::from_slice(meta).map_err(invalid)?,
        );
    }
    json(&status)
}

fn bundle_path(name: &str) -> String {
    format!("{BUNDLE_DIR}/{name}")
}

fn json(value: &impl serde::Serialize) -> Result<Vec<u8>, SearchError> {
    serde_json::to_vec(value).map_err(|err| SearchError::StaticBundle(err.to_string()))
}

fn meta(
    docs: usize,
    shards: &BTreeMap<String, String>,
    rules: &super::QueryRules,
) -> Result<Vec<u8>, SearchError> {
    let fields: serde_json::Map<String, serde_json::Value> = FIELDS
        .iter()
        .zip(BOOSTS)
        .map(|(name, boost)| ((*name).to_owned(), serde_json::json!(boost)))
        .collect();
    json(&serde_json::json!({
        "version": FORMAT_VERSION,
        "docs": docs,
        "chunk": DOC_CHUNK,
        "scale": SCALE,
        "k1": K1,
        "b": B,
        "fields": fields,
        // The client asks only for shards that exist: no 404s for words the site lacks.
        "shards": shards.keys().collect::<Vec<_>>(),
        // Stop words, synonyms and platform words: the query is understood as in Rust.
        "query": rules.to_json(),
    }))
}

/// One document as a result needs it.
#[derive(serde::Serialize)]
struct DocEntry {
    url: String,
    title: String,
    kind: &'static str,
    description: String,
    excerpt: String,
}

/// Which documents each platform filter keeps. A document naming no platform applies to
/// all, as in tantivy (`ANY_PLATFORM`): the browser adds the `any` list to every filter.
fn platforms(any: &[u32], by_platform: BTreeMap<String, Vec<u32>>) -> Result<Vec<u8>, SearchError> {
    let by_platform: BTreeMap<String, Vec<u32>> = by_platform
        .into_iter()
        .map(|(key, list)| (key, delta_encode(&list)))
        .collect();
    json(&serde_json::json!({ "any": delta_encode(any), "platforms": by_platform }))
}

/// `[3, 5, 9]` → `[3, 2, 4]`: small numbers that compress well.
fn delta_encode(sorted: &[u32]) -> Vec<u32> {
    let mut previous = 0;
    sorted
        .iter()
        .map(|&n| {
            let delta = n - previous;
            previous = n;
            delta
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{sample_docs, sample_lookup};
    use super::*;

    fn bundle() -> Vec<(String, Vec<u8>)> {
        build_static_bundle(&sample_docs(), &sample_lookup()).unwrap()
    }

    fn file(files: &[(String, Vec<u8>)], path: &str) -> serde_json::Value {
        let bytes = &files.iter().find(|(name, _)| name == path).unwrap().1;
        serde_json::from_slice(bytes).unwrap()
    }

    #[test]
    fn same_docs_give_the_same_bytes() {
        assert_eq!(bundle(), bundle());
    }

    #[test]
    fn documents_read_one_at_a_time_give_the_same_files() {
        let docs = sample_docs();
        let mut rules = sample_lookup().rules().clone();
        rules.stemmer = Stemmer::German;
        let lookup = StatusLookup::from_docs(&docs).with_rules(rules.clone());
        let collected = build_static_bundle(&docs, &lookup).unwrap();
        assert_eq!(build_static_bundle_from(docs, &rules).unwrap(), collected);
    }

    #[test]
    fn files_are_sorted_and_under_the_bundle_folder_or_the_status_index() {
        let files = bundle();
        let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        for name in &names {
            assert!(
                name.starts_with("search-index/") || *name == STATUS_INDEX_PATH,
                "{name}"
            );
            assert!(
                !name.starts_with("search/"),
                "{name} collides with the search page"
            );
        }
        for required in [
            "search-index/meta.json",
            "search-index/platforms.json",
            "search-index/docs/0.json",
            "search-index/terms/up.json",
        ] {
            assert!(
                names.contains(&required),
                "{required} missing from {names:?}"
            );
        }
    }

    #[test]
    fn meta_lists_every_shard_and_the_document_count() {
        let files = bundle();
        let meta = file(&files, "search-index/meta.json");
        assert_eq!(meta["version"], FORMAT_VERSION);
        assert_eq!(meta["docs"], sample_docs().len());
        assert_eq!(meta["chunk"], DOC_CHUNK);
        assert_eq!(meta["fields"]["status"], 5.0);
        assert_eq!(meta["fields"]["body"], 1.0);
        let listed: Vec<String> = meta["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|key| format!("search-index/terms/{}.json", key.as_str().unwrap()))
            .collect();
        let present: Vec<&String> = files
            .iter()
            .map(|(name, _)| name)
            .filter(|name| name.starts_with("search-index/terms/"))
            .collect();
        assert_eq!(listed.iter().collect::<Vec<_>>(), present);
    }

    #[test]
    fn doc_chunks_hold_what_a_result_shows_in_document_order() {
        let mut docs = sample_docs();
        docs[0].description = "word ".repeat(100);
        let files = build_static_bundle(&docs, &sample_lookup()).unwrap();
        let chunk = file(&files, "search-index/docs/0.json");
        let chunk = chunk.as_array().unwrap();
        assert_eq!(chunk.len(), docs.len().min(DOC_CHUNK));
        for (entry, doc) in chunk.iter().zip(&docs) {
            assert_eq!(entry["url"], doc.url.as_str());
            assert_eq!(entry["title"], doc.title.as_str());
            assert_eq!(entry["kind"], doc.kind.as_str());
        }
        let description = chunk[0]["description"].as_str().unwrap();
        assert!(description.chars().count() <= DESCRIPTION_CHARS + 1);
        assert!(description.ends_with("word…"), "{description}");
        let pasted = chunk
            .iter()
            .find(|e| e["url"] == "/articles/pasted-ad-page/")
            .unwrap();
        assert!(
            pasted["excerpt"]
                .as_str()
                .unwrap()
                .starts_with("The old page contained <script>")
        );
    }

    #[test]
    fn chunks_split_every_doc_chunk_documents() {
        let mut docs = Vec::new();
        for i in 0..(DOC_CHUNK * 2 + 1) {
            let mut doc = sample_docs().remove(0);
            doc.url = format!("/d{i}/");
            docs.push(doc);
        }
        let files = build_static_bundle(&docs, &sample_lookup()).unwrap();
        assert_eq!(
            file(&files, "search-index/docs/1.json")[0]["url"],
            format!("/d{DOC_CHUNK}/")
        );
        assert_eq!(
            file(&files, "search-index/docs/2.json")
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert!(
            !files
                .iter()
                .any(|(name, _)| name == "search-index/docs/3.json")
        );
    }

    #[test]
    fn platforms_list_each_platforms_documents_and_the_platformless_ones() {
        let files = bundle();
        let platforms = file(&files, "search-index/platforms.json");
        let decode = |list: &serde_json::Value| -> Vec<usize> {
            let mut at = 0;
            list.as_array()
                .unwrap()
                .iter()
                .map(|delta| {
                    at += delta.as_u64().unwrap() as usize;
                    at
                })
                .collect()
        };
        let docs = sample_docs();
        let windows = decode(&platforms["platforms"]["windows"]);
        let expected: Vec<usize> = (0..docs.len())
            .filter(|&i| docs[i].platforms.iter().any(|p| p == "windows"))
            .collect();
        assert_eq!(windows, expected);
        let any = decode(&platforms["any"]);
        assert_eq!(any.len(), 1);
        assert_eq!(docs[any[0]].url, "/articles/pasted-ad-page/");
    }

    #[test]
    fn status_index_is_the_lookup_browser_json_with_the_index_meta() {
        let files = bundle();
        let mut status = file(&files, STATUS_INDEX_PATH);
        let index = status.as_object_mut().unwrap().remove("index").unwrap();
        assert_eq!(index, file(&files, "search-index/meta.json"));
        let lookup: serde_json::Value =
            serde_json::from_str(&sample_lookup().to_browser_json()).unwrap();
        assert_eq!(status, lookup);
    }

    #[test]
    fn delta_encoding_keeps_the_first_number_and_the_gaps() {
        assert_eq!(delta_encode(&[3, 5, 9]), vec![3, 2, 4]);
        assert!(delta_encode(&[]).is_empty());
    }
}
