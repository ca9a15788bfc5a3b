//! `assets/search-engine.js` must agree with the Rust side: it finds the same status messages as
//! [`StatusLookup`](super::StatusLookup), stems and shards words like the static index
//! writer, and reads the static bundle to rank, filter and mark results. Needs `node` (CI
//! installs it when missing).

use std::path::PathBuf;
use std::process::Command;

mod stemmers;

use super::fixtures::{sample_docs, sample_lookup};
use super::normalize::normalize;
use super::static_bundle::build_static_bundle;

pub(super) fn search_js() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("templates/assets/search-engine.js");
    assert!(path.exists(), "{} not found", path.display());
    path
}

/// Runs `body` under node with `s` bound to search-engine.js's exports and `args` as
/// `process.argv[1..]`; returns what it writes to stdout, as JSON.
pub(super) fn node(body: &str, args: &[String]) -> serde_json::Value {
    let driver = format!(
        "const s = require({:?});\n{body}",
        search_js().display().to_string()
    );
    let output = match Command::new("node")
        .arg("-e")
        .arg(&driver)
        .args(args)
        .output()
    {
        Ok(output) => output,
        Err(err) => {
            panic!("cannot run node, which this test needs (apt-get install nodejs): {err}")
        }
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Misspellings, case, punctuation and counts around every message, deterministic.
fn queries() -> Vec<String> {
    let mut out: Vec<String> = [
        "waiting to uplaod",
        "PAUSED",
        "syncing with icloud...",
        "Waiting for photos",
        "how do I print a photo",
        "Paused uploading 1,205 items",
        "paused uplaoding 7 itmes",
        "waiting to",
        "wiatnig to uplaod",
        "wtng to upload",
        "why does my iphone keep saying waiting to upload",
        "“Upload paused”",
        "Can’t upload… 12",
        "ÉCHOUÉE ß İstanbul ǅ",
        "",
        "   ...   ",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n.max(1)
    };
    for entry in sample_lookup().entries() {
        for text in std::iter::once(&entry.message).chain(&entry.aliases) {
            for _ in 0..12 {
                let mut chars: Vec<char> = text.chars().collect();
                match next(6) {
                    0 if chars.len() > 2 => {
                        let i = next(chars.len() - 1);
                        chars.swap(i, i + 1);
                    }
                    1 if chars.len() > 1 => {
                        chars.remove(next(chars.len()));
                    }
                    2 => chars.insert(next(chars.len() + 1), ['x', ' ', '.', '’', '7'][next(5)]),
                    3 => chars = text.to_uppercase().chars().collect(),
                    4 => chars.extend(" on my iphone".chars()),
                    _ => chars.truncate(next(chars.len() + 1)),
                }
                out.push(chars.into_iter().collect());
            }
        }
    }
    out
}

#[test]
fn search_js_status_lookup_matches_rust() {
    let queries = queries();
    let lookup = sample_lookup();
    let js = node(
        r#"
        const lookup = s.buildStatusLookup(JSON.parse(process.argv[1]));
        const queries = JSON.parse(process.argv[2]);
        const out = queries.map(q => ({
            normalized: s.normalize(q),
            matches: s.statusLookup(lookup, q),
            decided: (s.looksLikeStatus(s.statusLookup(lookup, q)) || {}).slug || null,
        }));
        process.stdout.write(JSON.stringify(out));
        "#,
        &[
            lookup.to_browser_json(),
            serde_json::to_string(&queries).unwrap(),
        ],
    );
    let js = js.as_array().unwrap();
    assert_eq!(js.len(), queries.len());
    for (query, js) in queries.iter().zip(js) {
        assert_eq!(js["normalized"], normalize(query), "normalize({query:?})");
        let rust = serde_json::to_value(lookup.lookup(query)).unwrap();
        assert_eq!(js["matches"], rust, "lookup({query:?})");
        let decided = lookup.looks_like_status(query).map(|m| m.slug);
        assert_eq!(
            js["decided"],
            serde_json::to_value(decided).unwrap(),
            "{query:?}"
        );
    }
}

/// Texts of every language the theme ships words for, and of the languages written without
/// spaces, as readers type them: with and without accents and marks, in any case.
const SHIPPED_LANGUAGE_TEXTS: &[&str] = &[
    "Waiting to Upload",
    "Warten auf Upload … Zurücksetzen, GRÖSSE, Größe, straße",
    "Fotos werden nicht synchronisiert – „Optimieren“ ist aktiv",
    "Mise à jour échouée, réessayez",
    "الطابعة غير متصلة",
    "الطَّابِعَة غَيْر مُتَّصِلَة ـــ",
    "照片无法同步到iCloud",
    "写真がiCloudにアップロードされない",
    "アップロード待ち 1,234 項目",
    "사진 동기화 일시 정지됨",
    "ǅungla İstanbul ΟΔΟΣ Ŧ ǻ ḝ",
];

#[test]
fn search_js_normalizes_every_shipped_language_like_rust() {
    let mut texts: Vec<String> = Vec::new();
    for text in SHIPPED_LANGUAGE_TEXTS {
        texts.push((*text).to_owned());
        texts.push(text.to_uppercase());
        texts.push(text.to_lowercase());
        let chars: Vec<char> = text.chars().collect();
        for cut in [1, 3, 5] {
            texts.push(chars.iter().skip(cut).collect());
            texts.push(chars.iter().filter(|c| **c != ' ').collect());
        }
    }
    let js = node(
        "process.stdout.write(JSON.stringify(JSON.parse(process.argv[1]).map(t => [s.normalize(t), s.queryTokens(t)])));",
        &[serde_json::to_string(&texts).unwrap()],
    );
    let js = js.as_array().unwrap();
    assert_eq!(js.len(), texts.len());
    for (text, js) in texts.iter().zip(js) {
        assert_eq!(js[0], normalize(text), "normalize({text:?})");
        assert_eq!(
            js[1],
            serde_json::to_value(super::normalize::query_tokens(text)).unwrap(),
            "queryTokens({text:?})"
        );
    }
}

/// Runs static searches in node over the sample bundle: `[query, platform]` → results.
fn static_search(queries: &[(&str, &str)]) -> Vec<Vec<serde_json::Value>> {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in build_static_bundle(&sample_docs(), &sample_lookup()).unwrap() {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, bytes).unwrap();
    }
    let js = node(
        r#"
        const fs = require("fs");
        const path = require("path");
        const dir = path.join(process.argv[1], "search-index");
        const index = s.createStaticIndex(p => JSON.parse(fs.readFileSync(path.join(dir, p), "utf8")));
        const queries = JSON.parse(process.argv[2]);
        Promise.all(queries.map(([q, platform]) => index.search(q, platform, 10)))
            .then(out => process.stdout.write(JSON.stringify(out)));
        "#,
        &[
            dir.path().display().to_string(),
            serde_json::to_string(queries).unwrap(),
        ],
    );
    serde_json::from_value(js).unwrap()
}

fn urls(results: &[serde_json::Value]) -> Vec<&str> {
    results.iter().map(|r| r["url"].as_str().unwrap()).collect()
}

#[test]
fn static_search_ranks_status_messages_over_titles_over_bodies() {
    let found = static_search(&[("waiting to upload", ""), ("low power mode", "")]);
    let waiting = urls(&found[0]);
    assert_eq!(waiting[0], "/status/waiting-to-upload/", "{waiting:?}");
    assert_eq!(waiting[1], "/articles/shared-album-stopped-updating/");
    assert_eq!(urls(&found[1])[0], "/fixes/turn-off-low-power-mode/");
    let first = &found[0][0];
    assert_eq!(first["kind"], "status");
    assert_eq!(first["title"], "Waiting To Upload");
}

#[test]
fn static_search_completes_the_last_word_and_forgives_a_typo() {
    let found = static_search(&[
        ("turn off low pow", ""),
        ("print butt", ""),
        ("uplaod progress", ""),
        ("zzzz qqqq", ""),
    ]);
    assert_eq!(urls(&found[0])[0], "/fixes/turn-off-low-power-mode/");
    assert_eq!(urls(&found[1])[0], "/articles/print-a-photo-from-an-album/");
    assert_eq!(urls(&found[2])[0], "/articles/uploads-stuck-on-iphone/");
    assert!(found[3].is_empty());
}

#[test]
fn static_search_platform_filter_keeps_the_platforms_and_platformless_docs() {
    let found = static_search(&[
        ("photos", ""),
        ("photos", "windows"),
        ("photos", " Windows "),
    ]);
    let docs = sample_docs();
    let windows = urls(&found[1]);
    assert!(
        !windows.is_empty() && windows.len() < found[0].len(),
        "{windows:?}"
    );
    for url in &windows {
        let doc = docs.iter().find(|d| d.url == *url).unwrap();
        assert!(
            doc.platforms.is_empty() || doc.platforms.iter().any(|p| p == "windows"),
            "{url}"
        );
    }
    assert!(windows.contains(&"/status/waiting-for-photos/"));
    assert_eq!(found[1], found[2]);
}

#[test]
fn static_search_snippets_mark_matched_words_and_escape_markup() {
    let found = static_search(&[("script ad network", "")]);
    let pasted = found[0]
        .iter()
        .find(|r| r["url"] == "/articles/pasted-ad-page/")
        .unwrap();
    let html = pasted["snippet"]["html"].as_str().unwrap();
    assert!(html.contains("<mark>network</mark>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert_eq!(
        pasted["description"],
        "A page saved from the web with <b>markup</b> in its text."
    );
}

#[test]
fn static_search_answers_any_query_and_platform_without_throwing() {
    let odd = [
        "constructor",
        "__proto__ toString",
        "hasOwnProperty",
        "",
        "   ...   ",
        "a",
        "é",
        "日本語 ǆ ß İstanbul",
        "up",
        "1,234 items",
        "\"waiting to\" (upload AND -paused)",
    ];
    let mut queries: Vec<(String, String)> = Vec::new();
    for query in odd {
        for platform in ["", "constructor", "__proto__", "nope", "iPhone"] {
            queries.push((query.to_owned(), platform.to_owned()));
        }
    }
    queries.push(("word ".repeat(300), String::new()));
    queries.push(("page photo".to_owned(), "nope".to_owned()));
    let asked: Vec<(&str, &str)> = queries
        .iter()
        .map(|(q, p)| (q.as_str(), p.as_str()))
        .collect();
    let found = static_search(&asked);
    assert_eq!(found.len(), asked.len());
    for ((query, platform), results) in asked.iter().zip(&found) {
        assert!(results.len() <= 10, "{query:?} {platform:?}");
        for result in results {
            let url = result["url"].as_str().unwrap();
            assert!(
                sample_docs().iter().any(|d| d.url == url),
                "{query:?} {platform:?}: {url}"
            );
        }
    }
    // An unknown platform keeps only the documents that name none.
    let nope = urls(&found[found.len() - 1]);
    assert_eq!(nope, ["/articles/pasted-ad-page/"]);
}

#[test]
fn search_js_understands_queries_like_rust() {
    let ours = plans_alike(
        "en",
        &[
            "photso not uplaoding on my ipda",
            "why is my phone not on wireless network",
            "mobile data for photos",
            "how do i",
            "paused uploading 34 items",
            "Waiting To Uplaod on my mac",
            "sharde albmu stoped updatnig",
            "",
            "Can’t upload… 12 ÉCHOUÉE",
        ],
    );
    // The sample documents name the iPad only as a platform, not in their text.
    assert_eq!(ours[0]["corrected"], "photo not uploading on my ipda");
    assert_eq!(
        ours[2]["concepts"][0][1],
        serde_json::json!(["cellular", "data"])
    );
}

#[test]
fn search_js_understands_german_queries_like_rust() {
    let ours = plans_alike(
        "de",
        &[
            "Fotos werden nicht hochgeladen",
            "warum synchronisiert mein iphone nicht",
            "gespeicherte Fotos auf dem Mac",
            "Geräte eingestellt, hochladen pausiert",
            "uploading photos",
        ],
    );
    assert_eq!(ours[0]["concepts"][0][0], serde_json::json!(["foto"]));
}

/// The plans of `queries` under the sample documents and rules of `language`, after
/// checking that `search-engine.js` understands each the same.
fn plans_alike(language: &str, queries: &[&str]) -> Vec<serde_json::Value> {
    let groups: Vec<Vec<String>> = [
        &["wi-fi", "wifi", "wireless network"][..],
        &["cellular data", "mobile data", "4g"][..],
        &["iphone", "phone"][..],
    ]
    .iter()
    .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
    .collect();
    let platforms: Vec<(String, String)> = ["iphone", "ipad", "mac", "windows"]
        .iter()
        .map(|k| ((*k).to_owned(), (*k).to_owned()))
        .collect();
    let rules = super::QueryRules::new(language, &groups, &platforms);
    let docs = sample_docs();
    let lookup = sample_lookup().with_rules(rules.clone());
    let index = super::SearchIndex::from_docs(&docs, rules.stemmer).unwrap();
    let ours: Vec<serde_json::Value> = queries
        .iter()
        .map(|q| {
            let plan = index.understand(q, &rules);
            serde_json::json!({
                "concepts": plan.concepts.iter().map(|c| &c.alternatives).collect::<Vec<_>>(),
                "pairs": plan.pairs.iter().map(|(a, b)| [a, b]).collect::<Vec<_>>(),
                "platforms": plan.platforms,
                "corrected": plan.corrected,
            })
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in build_static_bundle(&docs, &lookup).unwrap() {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, bytes).unwrap();
    }
    let js = node(
        r#"
        const fs = require("fs");
        const path = require("path");
        const dir = path.join(process.argv[1], "search-index");
        const read = p => JSON.parse(fs.readFileSync(path.join(dir, p), "utf8"));
        const meta = read("meta.json");
        const shards = new Map();
        for (const key of meta.shards) {
            const lists = Object.entries(read("terms/" + key + ".json"))
                .map(([t, l]) => [t, typeof l === "string" ? s.undense(l) : l]);
            shards.set(key, new Map(lists));
        }
        const vocabulary = {
            contains: t => (shards.get(s.shardKey(t)) || new Map()).has(t),
            shardWords: t => [...(shards.get(s.shardKey(t)) || new Map())]
                .filter(([w]) => !w.includes(" ")).map(([w, l]) => [w, l.length / 2]),
        };
        const out = JSON.parse(process.argv[2]).map(q => {
            const plan = s.understand(q, meta.query, vocabulary);
            return { concepts: plan.concepts, pairs: plan.pairs, platforms: plan.platforms, corrected: plan.corrected };
        });
        process.stdout.write(JSON.stringify(out));
        "#,
        &[
            dir.path().display().to_string(),
            serde_json::to_string(&queries).unwrap(),
        ],
    );
    let js = js.as_array().unwrap();
    for ((query, ours), theirs) in queries.iter().zip(&ours).zip(js) {
        assert_eq!(ours, theirs, "{language}: {query:?}");
    }
    ours
}
