//! Search quality of the static index on the shipped knowledge base, through the browser's
//! own code: the bundle `fixbook build` writes is read by `assets/search-engine.js` under node
//! (files from disk instead of fetch), over the same query set and with the same acceptance
//! as tantivy's in `search.rs`. Needs `node` (CI installs it when missing).

use std::process::Command;

use fixbook::search::{StatusLookup, build_static_bundle};

use crate::search::{PLATFORM_QUERIES, STATUS_QUERIES, TOPIC_QUERIES};
use crate::support::repo_root;

/// Runs each `(query, platform)` as the results page does (status lead, then the static
/// index's text results, ten in all) and returns the result URLs.
fn search_in_node(queries: &[(&str, &str)]) -> Vec<Vec<String>> {
    let (_, docs) =
        fixbook::search_documents(&repo_root()).unwrap_or_else(|f| panic!("{:?}", f.diagnostics()));
    let bundle = build_static_bundle(&docs, &StatusLookup::from_docs(&docs))
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (path, bytes) in bundle {
        let file = dir.path().join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&file, bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    let script = repo_root().join("templates/assets/search-engine.js");
    let driver = r#"
        const fs = require("fs");
        const path = require("path");
        const s = require(process.argv[1]);
        const site = process.argv[2];
        const read = p => JSON.parse(fs.readFileSync(path.join(site, p), "utf8"));
        const index = s.createStaticIndex(p => read(path.join("search-index", p)));
        const lookup = s.buildStatusLookup(read("status-index.json"));
        const queries = JSON.parse(process.argv[3]);
        (async () => {
            const out = [];
            for (const [query, platform] of queries) {
                const results = await index.search(query, platform, 11);
                const found = s.combineResults(s.statusLookup(lookup, query), { results, error: null }, 10);
                out.push(found.results.map(r => r.url));
            }
            process.stdout.write(JSON.stringify(out));
        })();
    "#;
    let output = Command::new("node")
        .arg("-e")
        .arg(driver)
        .arg(&script)
        .arg(dir.path())
        .arg(serde_json::to_string(queries).unwrap_or_else(|e| panic!("{e}")))
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run node, which this test needs (apt-get install nodejs): {e}")
        });
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"))
}

/// `(query, wanted URL, failure)` for each query whose results miss `wanted` in the first
/// `top` places.
fn misses(queries: &[(&str, &str, &str)], top: usize) -> Vec<String> {
    let asked: Vec<(&str, &str)> = queries.iter().map(|(q, p, _)| (*q, *p)).collect();
    let found = search_in_node(&asked);
    queries
        .iter()
        .zip(found)
        .filter(|((_, _, want), urls)| !urls.iter().take(top).any(|u| u == want))
        .map(|((query, platform, want), urls)| {
            format!(
                "{query:?} on {platform:?}: wanted {want} in the top {top}, got {:?}",
                &urls[..urls.len().min(3)]
            )
        })
        .collect()
}

#[test]
fn static_search_puts_status_pages_first_even_with_typos() {
    let queries: Vec<(&str, &str, String)> = STATUS_QUERIES
        .iter()
        .map(|(query, slug)| (*query, "", format!("/status/{slug}/")))
        .collect();
    let queries: Vec<(&str, &str, &str)> = queries
        .iter()
        .map(|(q, p, w)| (*q, *p, w.as_str()))
        .collect();
    let failures = misses(&queries, 1);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn static_search_finds_readers_words_in_the_top_three() {
    let queries: Vec<(&str, &str, &str)> = TOPIC_QUERIES
        .iter()
        .map(|(q, want)| (*q, "", *want))
        .collect();
    let failures = misses(&queries, 3);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn static_search_platform_filter_keeps_the_platforms_pages_on_top() {
    let failures = misses(PLATFORM_QUERIES, 3);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn static_search_platform_filter_excludes_other_platforms_pages() {
    let found = search_in_node(&[("icloud for windows", "mac"), ("icloud for windows", "")]);
    assert!(!found[0].is_empty());
    for windows_only in [
        "/articles/icloud-photos-windows-not-syncing/",
        "/fixes/set-up-icloud-for-windows/",
    ] {
        assert!(
            !found[0].iter().any(|u| u == windows_only),
            "{:?}",
            found[0]
        );
    }
    assert!(
        found[1]
            .iter()
            .any(|u| u == "/fixes/set-up-icloud-for-windows/"),
        "{:?}",
        found[1]
    );
}
