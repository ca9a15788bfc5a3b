//! The tantivy index behind `fixbook search` and `/api/search`.
//!
//! Fields and their weights (see [`schema`](super::schema)): status messages (unstemmed,
//! lowercased: the exact words matter) > title > symptoms > description > body (stemmed
//! in the index's language, see [`analyzer`](super::analyzer)). Platforms are raw tokens used as a
//! filter. One writer thread, one commit, no merges: the same documents in the same order
//! give the same doc ids and so the same ranking, ties included.

use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, TantivyDocument, Value};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, Term};

use super::analyzer;
use super::query::build_query;
use super::rules::QueryRules;
use super::schema::{Fields, Statistics};
use super::snippet::Snippets;
use super::stem::Stemmer;
use super::understand::{Plan, Vocabulary, understand};
use super::{SearchDoc, SearchError, SearchHit};
use crate::content::Kind;

/// Indexing memory: enough for 10k+ articles in one segment, small next to the build.
const WRITER_MEMORY_BUDGET: usize = 50_000_000;
/// Writes the index of `docs`, stemmed by `stemmer`, into `dir`, which must be absent or
/// empty.
pub fn build_index(docs: &[SearchDoc], dir: &Path, stemmer: Stemmer) -> Result<(), SearchError> {
    let io = |source| SearchError::Io {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    if std::fs::read_dir(dir).map_err(io)?.next().is_some() {
        return Err(SearchError::DirNotEmpty(dir.to_path_buf()));
    }
    let index = Index::create_in_dir(dir, Fields::schema())?;
    write_docs(&index, docs, stemmer)
}

fn write_docs(index: &Index, docs: &[SearchDoc], stemmer: Stemmer) -> Result<(), SearchError> {
    analyzer::register(index, stemmer);
    let fields = Fields::from_schema(&index.schema())?;
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(1, WRITER_MEMORY_BUDGET)?;
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    for doc in docs {
        writer.add_document(fields.document(doc))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// A searchable index, on disk or in memory. Cheap to share between threads (`&self`).
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    stemmer: Stemmer,
}

impl SearchIndex {
    /// Opens an index written by [`build_index`] with the same `stemmer`.
    pub fn open(dir: &Path, stemmer: Stemmer) -> Result<SearchIndex, SearchError> {
        SearchIndex::from_index(Index::open_in_dir(dir)?, stemmer)
    }

    /// Builds the index of `docs`, stemmed by `stemmer`, in memory (tests, `fixbook serve`).
    pub fn from_docs(docs: &[SearchDoc], stemmer: Stemmer) -> Result<SearchIndex, SearchError> {
        let index = Index::create_in_ram(Fields::schema());
        write_docs(&index, docs, stemmer)?;
        SearchIndex::from_index(index, stemmer)
    }

    fn from_index(index: Index, stemmer: Stemmer) -> Result<SearchIndex, SearchError> {
        analyzer::register(&index, stemmer);
        let fields = Fields::from_schema(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            reader,
            fields,
            stemmer,
        })
    }

    /// Number of documents indexed.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The best `limit` documents for `query`, restricted to `platform` when given (documents
    /// naming no platform apply to all), with English stop words, no synonyms and the
    /// index's stemmer. Any text is a valid query: it is tokenized, never parsed, so query
    /// syntax characters are just punctuation.
    pub fn search(
        &self,
        query: &str,
        platform: Option<&str>,
        limit: usize,
    ) -> Result<Vec<SearchHit>, SearchError> {
        let rules = QueryRules {
            stemmer: self.stemmer,
            ..QueryRules::english(&[])
        };
        let plan = self.understand(query, &rules);
        self.search_plan(&plan, platform, limit)
    }

    /// What `query` asks for under `rules`, its typos corrected against this index's words.
    pub(crate) fn understand(&self, query: &str, rules: &QueryRules) -> Plan {
        let words = Words {
            searcher: self.reader.searcher(),
            all: self.fields.all,
        };
        understand(query, rules, &words)
    }

    /// The best `limit` documents for an understood query.
    pub(crate) fn search_plan(
        &self,
        plan: &Plan,
        platform: Option<&str>,
        limit: usize,
    ) -> Result<Vec<SearchHit>, SearchError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let Some(query) = build_query(&self.fields, plan, platform) else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        let statistics = Statistics {
            searcher: &searcher,
            all: self.fields.all,
        };
        let top = searcher.search_with_statistics_provider(
            &*query,
            &TopDocs::with_limit(limit).order_by_score(),
            &statistics,
        )?;
        let snippets = Snippets::new(&searcher, &*query, &self.fields)?;
        top.into_iter()
            .map(|(score, address)| self.hit(&searcher, address, score, Some(&snippets)))
            .collect()
    }

    /// The document at `url` as a hit (its description as the snippet), if indexed.
    pub fn get_by_url(&self, url: &str) -> Result<Option<SearchHit>, SearchError> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.url, url),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(
            &query as &dyn Query,
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        top.into_iter()
            .next()
            .map(|(_, address)| self.hit(&searcher, address, 0.0, None))
            .transpose()
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        snippets: Option<&Snippets>,
    ) -> Result<SearchHit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|value| value.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        let description = text(self.fields.description);
        let snippet_html = match snippets {
            Some(snippets) => snippets.html(&doc, &description),
            None => super::snippet::plain_excerpt(&description),
        };
        Ok(SearchHit {
            kind: Kind::parse(&text(self.fields.kind)).unwrap_or(Kind::Article),
            url: text(self.fields.url),
            title: text(self.fields.title),
            description,
            snippet_html,
            score,
        })
    }
}

/// The words of the index, from its `all` field.
struct Words {
    searcher: Searcher,
    all: Field,
}

impl Vocabulary for Words {
    fn contains(&self, term: &str) -> bool {
        self.searcher
            .doc_freq(&Term::from_field_text(self.all, term))
            .is_ok_and(|n| n > 0)
    }

    fn shard_words(&self, term: &str) -> Vec<(String, u64)> {
        let prefix: String = term.chars().take(2).collect();
        let mut found: std::collections::BTreeMap<String, u64> = Default::default();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.all) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream()
            else {
                continue;
            };
            while stream.advance() {
                let Ok(word) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if !word.starts_with(&prefix) {
                    break;
                }
                *found.entry(word.to_owned()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
        found.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::sample_docs;
    use super::*;

    fn index() -> SearchIndex {
        SearchIndex::from_docs(&sample_docs(), Stemmer::English).unwrap()
    }

    fn urls(hits: &[SearchHit]) -> Vec<&str> {
        hits.iter().map(|hit| hit.url.as_str()).collect()
    }

    #[test]
    fn status_page_outranks_articles_that_mention_its_message() {
        let hits = index().search("waiting to upload", None, 10).unwrap();
        assert_eq!(
            hits[0].url,
            "/status/waiting-to-upload/",
            "{:?}",
            urls(&hits)
        );
        assert_eq!(hits[0].kind, Kind::Status);
        assert_eq!(hits[1].url, "/articles/shared-album-stopped-updating/");
    }

    #[test]
    fn status_message_field_beats_body_mentions() {
        // "paused" is a status of two articles and appears in a fix's description only.
        let hits = index().search("paused", None, 10).unwrap();
        let found = urls(&hits);
        assert_eq!(found[0], "/status/paused/");
        let article = found
            .iter()
            .position(|u| u.starts_with("/articles/"))
            .unwrap();
        let fix = found
            .iter()
            .position(|u| *u == "/fixes/turn-off-low-power-mode/")
            .unwrap();
        assert!(article < fix, "{found:?}");
    }

    #[test]
    fn title_beats_body() {
        let hits = index().search("low power mode", None, 10).unwrap();
        assert_eq!(hits[0].url, "/fixes/turn-off-low-power-mode/");
    }

    #[test]
    fn symptoms_are_searchable_with_stemming() {
        let hits = index().search("tray icon spins", None, 10).unwrap();
        assert_eq!(
            hits[0].url,
            "/articles/icloud-photos-not-syncing-on-windows/"
        );
    }

    #[test]
    fn platform_filter_keeps_matching_and_platformless_docs() {
        let hits = index().search("photos", Some("windows"), 20).unwrap();
        assert!(!hits.is_empty());
        let docs = sample_docs();
        for hit in &hits {
            let doc = docs.iter().find(|d| d.url == hit.url).unwrap();
            assert!(
                doc.platforms.is_empty() || doc.platforms.iter().any(|p| p == "windows"),
                "{} is not for windows",
                hit.url
            );
        }
        assert!(urls(&hits).contains(&"/status/waiting-for-photos/"));
        let iphone = index()
            .search("waiting for photos", Some("iphone"), 20)
            .unwrap();
        assert!(!urls(&iphone).contains(&"/status/waiting-for-photos/"));
    }

    #[test]
    fn platform_filter_does_not_change_scores() {
        let all = index().search("uploads", None, 20).unwrap();
        let iphone = index().search("uploads", Some("iPhone"), 20).unwrap();
        for hit in &iphone {
            let same = all.iter().find(|h| h.url == hit.url).unwrap();
            assert!((same.score - hit.score).abs() < 1e-6);
        }
    }

    #[test]
    fn snippets_mark_matches_and_escape_markup() {
        let hits = index().search("script ad network", None, 5).unwrap();
        let pasted = hits
            .iter()
            .find(|h| h.url == "/articles/pasted-ad-page/")
            .unwrap();
        assert!(
            pasted.snippet_html.contains("&lt;<mark>script</mark>&gt;"),
            "{}",
            pasted.snippet_html
        );
        assert!(!pasted.snippet_html.contains("<script"));
        assert!(pasted.snippet_html.contains("<mark>network</mark>"));
        // Stored text comes back as written; escaping it is the template's job.
        assert_eq!(
            pasted.description,
            "A page saved from the web with <b>markup</b> in its text."
        );
    }

    #[test]
    fn snippet_falls_back_to_the_description() {
        let hits = index().search("print button missing", None, 5).unwrap();
        assert_eq!(hits[0].url, "/articles/print-a-photo-from-an-album/");
        assert!(!hits[0].snippet_html.is_empty());
    }

    #[test]
    fn query_syntax_is_just_text() {
        let index = index();
        for query in [
            "title:paused",
            "\"waiting to",
            "(upload AND",
            "-paused +",
            "paused^3",
            "[a TO z]",
            "*",
            "",
            "   ",
            "\u{0}",
        ] {
            assert!(index.search(query, None, 5).is_ok(), "{query}");
        }
        let hits = index.search("\"Waiting To Upload\"", None, 5).unwrap();
        assert_eq!(hits[0].url, "/status/waiting-to-upload/");
    }

    #[test]
    fn same_docs_rank_the_same() {
        let a = index().search("photos upload", None, 20).unwrap();
        let b = index().search("photos upload", None, 20).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn get_by_url_returns_the_document() {
        let hit = index().get_by_url("/status/paused/").unwrap().unwrap();
        assert_eq!(hit.title, "Paused");
        assert_eq!(hit.kind, Kind::Status);
        assert!(index().get_by_url("/nope/").unwrap().is_none());
    }

    #[test]
    fn on_disk_index_answers_like_the_ram_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        build_index(&sample_docs(), &path, Stemmer::English).unwrap();
        let disk = SearchIndex::open(&path, Stemmer::English).unwrap();
        assert_eq!(disk.num_docs(), sample_docs().len() as u64);
        let ram = index();
        assert_eq!(
            disk.search("waiting for photos", None, 10).unwrap(),
            ram.search("waiting for photos", None, 10).unwrap()
        );
    }

    #[test]
    fn building_into_a_used_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keep.txt"), "x").unwrap();
        let err = build_index(&sample_docs(), dir.path(), Stemmer::English).unwrap_err();
        assert!(matches!(err, SearchError::DirNotEmpty(_)), "{err}");
    }

    proptest::proptest! {
        #[test]
        fn search_never_fails_on_any_input(query in "\\PC{0,300}", platform in proptest::option::of("\\PC{0,12}")) {
            let index = index();
            let hits = index.search(&query, platform.as_deref(), 5);
            proptest::prop_assert!(hits.is_ok());
        }
    }
}
