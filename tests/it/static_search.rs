//! Search quality of the static index on the shipped knowledge base, through the browser's
//! own code: the bundle `fixbook build` writes is read by `assets/search-engine.js` under node
//! (files from disk instead of fetch), over the same query set and with the same acceptance
//! as tantivy's in `search.rs`. Needs `node` (CI installs it when missing).

use std::process::Command;

use fixbook::search::{QueryRules, StatusLookup, build_static_bundle};

use crate::search::{Engine, Quality, misses, quality_set};
use crate::support::repo_root;

/// One answer of the static index: the result URLs and the text scores, the status lead
/// (if any) having none.
struct Found {
    urls: Vec<String>,
    scores: Vec<f64>,
    lead: bool,
}

/// Runs each `(query, platform)` as the results page does (status lead, then the static
/// index's text results, ten in all) over the bundle of the shipped knowledge base.
fn search_in_node(queries: &[(&str, &str)]) -> Vec<Found> {
    let (config, docs) =
        fixbook::search_documents(&repo_root()).unwrap_or_else(|f| panic!("{:?}", f.diagnostics()));
    let lookup = StatusLookup::from_docs(&docs).with_rules(QueryRules::from_config(&config));
    let bundle = build_static_bundle(&docs, &lookup).unwrap_or_else(|e| panic!("{e}"));
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
                out.push({
                    urls: found.results.map(r => r.url),
                    scores: results.scores,
                    lead: found.status !== null,
                });
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
    let found: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"));
    found
        .into_iter()
        .map(|f| Found {
            urls: f["urls"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|u| u.as_str().map(str::to_owned))
                .collect(),
            scores: f["scores"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(serde_json::Value::as_f64)
                .collect(),
            lead: f["lead"].as_bool().unwrap_or(false),
        })
        .collect()
}

fn asked(set: &[Quality]) -> Vec<(&str, &str)> {
    set.iter()
        .map(|q| (q.query.as_str(), q.platform.as_str()))
        .collect()
}

#[test]
fn static_search_finds_the_page_of_every_query_of_the_quality_set() {
    let set = quality_set();
    let found: Vec<Vec<String>> = search_in_node(&asked(&set))
        .into_iter()
        .map(|f| f.urls)
        .collect();
    let failures = misses(&set, &found);
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Scores of the two engines closer than this (relative) are a tie: the static index stores
/// weights rounded to 1/8 (coarse on purpose: finer ones cost every query download bytes),
/// so such pages may come in either order.
const TIE: f64 = 0.06;

#[test]
fn cli_and_static_index_give_the_same_top_three_for_every_query_of_the_quality_set() {
    let set = quality_set();
    let engine = Engine::shipped();
    let statics = search_in_node(&asked(&set));
    let mut failures = Vec::new();
    for (q, found) in set.iter().zip(&statics) {
        let hits = engine.hits(
            &q.query,
            Some(q.platform.as_str()).filter(|p| !p.is_empty()),
        );
        let rust: Vec<&str> = hits.iter().map(|h| h.url.as_str()).collect();
        let score_of = |url: &str| {
            hits.iter()
                .find(|h| h.url == url)
                .map(|h| f64::from(h.score))
        };
        for k in 0..3.min(rust.len().max(found.urls.len())) {
            let (Some(ours), Some(theirs)) = (rust.get(k), found.urls.get(k)) else {
                failures.push(format!("{:?}: {rust:?} / {:?}", q.query, found.urls));
                break;
            };
            if ours == theirs {
                continue;
            }
            // A different page here is fine only if the two pages tie in tantivy's scores.
            let tie = match (score_of(ours), score_of(theirs)) {
                (Some(a), Some(b)) => (a - b).abs() <= TIE * a.max(b),
                _ => false,
            };
            if !tie {
                failures.push(format!(
                    "{:?} at {}: cli {ours} ({:?}), static {theirs} ({:?})",
                    q.query,
                    k + 1,
                    score_of(ours),
                    score_of(theirs)
                ));
            }
        }
        // The text scores agree too, up to the static index's rounding (a status lead moves
        // a page to the top, so only lists without one compare position by position).
        if found.lead {
            continue;
        }
        let text: Vec<f64> = hits.iter().map(|h| f64::from(h.score)).take(3).collect();
        for (ours, theirs) in text.iter().zip(&found.scores) {
            if (ours - theirs).abs() > TIE * ours.max(*theirs) + 0.05 {
                failures.push(format!(
                    "{:?}: scores {text:?} / {:?}",
                    q.query, found.scores
                ));
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn static_search_platform_filter_excludes_other_platforms_pages() {
    let found: Vec<Vec<String>> =
        search_in_node(&[("icloud for windows", "mac"), ("icloud for windows", "")])
            .into_iter()
            .map(|f| f.urls)
            .collect();
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
