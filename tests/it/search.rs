//! Search quality on the shipped knowledge base, measured on a fixed query set
//! (`tests/fixtures/search-quality.tsv`): status messages (exact, lower-cased, misspelled,
//! inside sentences) land on their page first; readers' own words find the right problem
//! or fix in the top three.

use fixbook::search::{QueryRules, SearchHit, SearchIndex, StatusLookup, Stemmer, search_all};

use crate::support::{fixbook, repo_root, stdout};

pub(crate) struct Engine {
    index: SearchIndex,
    lookup: StatusLookup,
}

impl Engine {
    /// The shipped knowledge base with its own rules (language, synonyms, platforms).
    pub(crate) fn shipped() -> Engine {
        let (config, docs) = fixbook::search_documents(&repo_root())
            .unwrap_or_else(|f| panic!("{:?}", f.diagnostics()));
        let index = SearchIndex::from_docs(&docs, Stemmer::for_tag(&config.language))
            .unwrap_or_else(|e| panic!("{e}"));
        Engine {
            index,
            lookup: StatusLookup::from_docs(&docs).with_rules(QueryRules::from_config(&config)),
        }
    }

    /// The first ten results as `fixbook search` and `/api/search` give them.
    pub(crate) fn hits(&self, query: &str, platform: Option<&str>) -> Vec<SearchHit> {
        search_all(&self.index, &self.lookup, query, platform, 10)
            .unwrap_or_else(|e| panic!("{query}: {e}"))
    }

    fn urls(&self, query: &str, platform: Option<&str>) -> Vec<String> {
        self.hits(query, platform)
            .into_iter()
            .map(|hit| hit.url)
            .collect()
    }
}

/// One query of the quality set: its page must come first (a status message) or be in the
/// top three.
pub(crate) struct Quality {
    pub first: bool,
    pub query: String,
    pub platform: String,
    pub want: String,
}

/// The quality set, `tests/fixtures/search-quality.tsv`: readers' queries over the shipped
/// knowledge base (status messages alone and inside sentences, questions, synonyms, typos
/// in prose, platform words, pasted lines, one word).
pub(crate) fn quality_set() -> Vec<Quality> {
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/search-quality.tsv"))
        .unwrap_or_else(|e| panic!("{e}"));
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 4, "{line:?}");
            assert!(matches!(cells[0], "first" | "top3"), "{line:?}");
            Quality {
                first: cells[0] == "first",
                query: cells[1].to_owned(),
                platform: cells[2].to_owned(),
                want: cells[3].to_owned(),
            }
        })
        .collect()
}

/// The queries of `set` whose page is not where it must be in `found`.
pub(crate) fn misses(set: &[Quality], found: &[Vec<String>]) -> Vec<String> {
    set.iter()
        .zip(found)
        .filter(|(q, urls)| {
            let top = if q.first { 1 } else { 3 };
            !urls.iter().take(top).any(|u| *u == q.want)
        })
        .map(|(q, urls)| {
            format!(
                "{:?} on {:?}: wanted {} {}, got {:?}",
                q.query,
                q.platform,
                q.want,
                if q.first { "first" } else { "in the top 3" },
                &urls[..urls.len().min(3)]
            )
        })
        .collect()
}

#[test]
fn quality_set_has_at_least_120_queries_of_every_kind() {
    let set = quality_set();
    assert!(set.len() >= 120, "{}", set.len());
    assert!(set.iter().filter(|q| q.first).count() >= 30);
    assert!(set.iter().any(|q| !q.platform.is_empty()));
}

#[test]
fn every_query_of_the_quality_set_finds_its_page() {
    let engine = Engine::shipped();
    let set = quality_set();
    let found: Vec<Vec<String>> = set
        .iter()
        .map(|q| {
            engine.urls(
                &q.query,
                Some(q.platform.as_str()).filter(|p| !p.is_empty()),
            )
        })
        .collect();
    let failures = misses(&set, &found);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn platform_filter_excludes_other_platforms_pages() {
    let engine = Engine::shipped();
    // The Windows article applies to Windows and iPhone, the set-up fix to Windows only.
    let urls = engine.urls("icloud for windows", Some("mac"));
    assert!(!urls.is_empty());
    for windows_only in [
        "/articles/icloud-photos-windows-not-syncing/",
        "/fixes/set-up-icloud-for-windows/",
    ] {
        assert!(!urls.iter().any(|u| u == windows_only), "{urls:?}");
    }
    let unfiltered = engine.urls("icloud for windows", None);
    assert!(
        unfiltered
            .iter()
            .any(|u| u == "/fixes/set-up-icloud-for-windows/"),
        "{unfiltered:?}"
    );
}

#[test]
fn cli_search_prints_the_status_page_first_with_its_address() {
    let output = fixbook(&[
        "--root",
        &repo_root().to_string_lossy(),
        "search",
        "waiting",
        "to",
        "uplaod",
        "--limit",
        "3",
    ]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "1. Waiting To Upload (status)\n   https://help.example.org/status/waiting-to-upload/\n"
        ),
        "{text}"
    );
}

#[test]
fn cli_search_json_lists_hits_with_absolute_urls() {
    let output = fixbook(&[
        "--root",
        &repo_root().to_string_lossy(),
        "search",
        "PAUSED",
        "--json",
        "--limit",
        "2",
    ]);
    assert!(output.status.success());
    let hits: serde_json::Value =
        serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(hits[0]["kind"], "status");
    assert_eq!(hits[0]["url"], "https://help.example.org/status/paused/");
    assert_eq!(hits.as_array().map(Vec::len), Some(2));
}
