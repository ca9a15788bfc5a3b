//! Search quality per surface on a site, over a query set (default: the shipped knowledge
//! base and `tests/fixtures/search-quality.tsv`), and how often the two engines agree.
//!
//! usage:
//!   cargo run --release --example search_quality [SITE_ROOT [QUERY_FILE]]
//!
//! Runs every query through `fixbook search` (tantivy, as `/api/search` does) and through
//! the static index under node (`templates/assets/search-engine.js` over the bundle
//! `fixbook build` writes), and prints, per surface, how many queries pass: a `first` query's
//! page must be the first result, a `top3` query's among the first three.

use std::path::PathBuf;
use std::process::Command;

use fixbook::search::{QueryRules, SearchIndex, StatusLookup, build_static_bundle, search_all};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args
        .next()
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    let queries = args.next().map_or_else(
        || root.join("tests/fixtures/search-quality.tsv"),
        PathBuf::from,
    );
    let text = std::fs::read_to_string(&queries).unwrap_or_else(|e| panic!("{e}"));
    let set: Vec<(String, String, String, String)> = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let mut cells = line.split('\t').map(str::to_owned);
            let mut next = || cells.next().unwrap_or_default();
            (next(), next(), next(), next())
        })
        .collect();
    let (config, docs) = fixbook::search_documents(&root)
        .unwrap_or_else(|failure| panic!("{:?}", failure.diagnostics()));
    let index = SearchIndex::from_docs(&docs, fixbook::search::Stemmer::for_tag(&config.language))
        .unwrap_or_else(|e| panic!("{e}"));
    let lookup = StatusLookup::from_docs(&docs).with_rules(QueryRules::from_config(&config));
    let cli: Vec<Vec<String>> = set
        .iter()
        .map(|(_, query, platform, _)| {
            let platform = Some(platform.as_str()).filter(|p| !p.is_empty());
            search_all(&index, &lookup, query, platform, 10)
                .unwrap_or_else(|e| panic!("{e}"))
                .into_iter()
                .map(|hit| hit.url)
                .collect()
        })
        .collect();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (path, bytes) in build_static_bundle(&docs, &lookup).unwrap_or_else(|e| panic!("{e}")) {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap_or(dir.path()))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&file, bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    let asked: Vec<(&str, &str)> = set
        .iter()
        .map(|(_, q, p, _)| (q.as_str(), p.as_str()))
        .collect();
    let output = Command::new("node")
        .arg("-e")
        .arg(DRIVER)
        .arg(
            root.join("templates/assets/search-engine.js")
                .canonicalize()
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .arg(dir.path())
        .arg(serde_json::to_string(&asked).unwrap_or_else(|e| panic!("{e}")))
        .output()
        .unwrap_or_else(|e| panic!("node: {e}"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let web: Vec<Vec<String>> =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"));
    let passes = |found: &[Vec<String>], kind: &str| -> (usize, usize, Vec<String>) {
        let mut pass = 0;
        let mut total = 0;
        let mut failed = Vec::new();
        for ((expect, query, platform, want), urls) in set.iter().zip(found) {
            if expect != kind {
                continue;
            }
            total += 1;
            let top = if expect == "first" { 1 } else { 3 };
            if urls.iter().take(top).any(|u| u == want) {
                pass += 1;
            } else {
                failed.push(format!(
                    "  {query:?} {platform}: want {want}, got {:?}",
                    &urls[..urls.len().min(3)]
                ));
            }
        }
        (pass, total, failed)
    };
    for (name, found) in [
        ("fixbook search, /api/search", &cli),
        ("static index", &web),
    ] {
        let (first, firsts, f1) = passes(found, "first");
        let (top, tops, f3) = passes(found, "top3");
        println!(
            "{name}: status first {first}/{firsts}, page in top 3 {top}/{tops}, all {}/{}",
            first + top,
            firsts + tops
        );
        if std::env::var_os("VERBOSE").is_some() {
            f1.iter().chain(&f3).for_each(|line| println!("{line}"));
        }
    }
    let same = cli
        .iter()
        .zip(&web)
        .filter(|(a, b)| {
            let mut a: Vec<&String> = a.iter().take(3).collect();
            let mut b: Vec<&String> = b.iter().take(3).collect();
            a.sort();
            b.sort();
            a == b
        })
        .count();
    println!("same top 3 on both engines: {same}/{}", set.len());
    if std::env::var_os("VERBOSE").is_some() {
        for ((_, query, platform, _), (a, b)) in set.iter().zip(cli.iter().zip(&web)) {
            if a.iter().take(3).ne(b.iter().take(3)) {
                println!(
                    "  differ {query:?} {platform}: {:?} / {:?}",
                    &a[..a.len().min(3)],
                    &b[..b.len().min(3)]
                );
            }
        }
    }
}

const DRIVER: &str = r#"
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
