//! `assets/search.js` must find the same status messages as [`StatusLookup`]: the same
//! queries go through both and the ranked matches must be identical. Needs `node` (CI
//! installs it when missing).

use std::path::PathBuf;
use std::process::Command;

use super::fixtures::sample_lookup;
use super::normalize::normalize;

fn search_js() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    ["templates/assets/search.js"]
        .into_iter()
        .map(|path| root.join(path))
        .find(|path| path.exists())
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
    let Some(script) = search_js() else {
        panic!("assets/search.js not found");
    };
    let queries = queries();
    let lookup = sample_lookup();
    let driver = format!(
        r#"
        const s = require({script:?});
        const lookup = s.buildStatusLookup(JSON.parse(process.argv[1]));
        const queries = JSON.parse(process.argv[2]);
        const out = queries.map(q => ({{
            normalized: s.normalize(q),
            matches: s.statusLookup(lookup, q),
            decided: (s.looksLikeStatus(s.statusLookup(lookup, q)) || {{}}).slug || null,
        }}));
        process.stdout.write(JSON.stringify(out));
        "#,
        script = script.display().to_string()
    );
    let output = match Command::new("node")
        .arg("-e")
        .arg(&driver)
        .arg(lookup.to_browser_json())
        .arg(serde_json::to_string(&queries).unwrap())
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
    let js: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
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
