//! Every stemmer of `search-engine.js` (`stemmer(name)`) against its Rust twin, over English
//! and German word lists: the shipped German pages and words built to hit each rule's edges.

use std::path::Path;

use super::super::fixtures::sample_docs;
use super::super::normalize::normalize;
use super::super::static_bundle::shard_key;
use super::super::stem::Stemmer;
use super::node;

/// Every word of the sample documents, and words built to hit each stemming rule's edges.
fn words() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for doc in sample_docs() {
        let text = [doc.title, doc.description, doc.body, doc.symptoms.join(" ")].join(" ");
        out.extend(normalize(&text).split(' ').map(str::to_owned));
    }
    let stems = [
        "sync", "upload", "stop", "pause", "add", "empt", "fl", "ab", "miss", "buzz",
    ];
    let endings = [
        "", "s", "es", "ies", "sses", "ss", "us", "is", "ied", "ing", "ed", "ly", "e", "ings",
        "edly", "ping", "ted", "lled",
    ];
    for stem in stems {
        for ending in endings {
            out.push(format!("{stem}{ending}"));
        }
    }
    out.extend(
        [
            "",
            "a",
            "ab",
            "abc",
            "ÉCHOUÉE",
            "échouées",
            "ipv6s",
            "1234",
            "日本語",
            "ǆx",
            "straße",
        ]
        .iter()
        .map(|w| normalize(w)),
    );
    out.sort();
    out.dedup();
    out
}

/// Every word of the German pages (shipped and fixtures), and words built to hit each of
/// the German stemmer's rules: `ge-` before and after separable prefixes, `sch`/`ei`/`ie`,
/// doubled letters, and each ending at each length.
fn german_words() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<String> = Vec::new();
    for dir in ["content", "tests/fixtures/multilingual/content"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
            let path = entry.unwrap().into_path();
            if path.to_string_lossy().ends_with(".de.md") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.extend(normalize(&text).split(' ').map(str::to_owned));
            }
        }
    }
    assert!(
        out.len() > 1000,
        "German pages not found: {} words",
        out.len()
    );
    let stems = [
        "lad",
        "hochlad",
        "stell",
        "einstell",
        "schreib",
        "lies",
        "ger",
        "gerat",
        "genau",
        "zu",
        "send",
        "ess",
        "synchronisier",
        "foto",
    ];
    let prefixes = ["", "ge", "hochge", "einge", "zuge", "zuruckge", "ange"];
    let endings = [
        "", "e", "en", "er", "em", "es", "s", "n", "t", "et", "nd", "end", "ern", "ten", "st",
    ];
    for stem in stems {
        for prefix in prefixes {
            for ending in endings {
                out.push(format!("{prefix}{stem}{ending}"));
            }
        }
    }
    out.extend(
        [
            "",
            "a",
            "ge",
            "gehe",
            "1234",
            "usb3",
            "日本語",
            "größe",
            "ǆx",
        ]
        .iter()
        .map(|w| normalize(w)),
    );
    out.sort();
    out.dedup();
    out
}

#[test]
fn search_js_stems_and_shards_words_like_rust_in_every_language() {
    let mut words = words();
    words.extend(german_words());
    words.sort();
    words.dedup();
    for stemmer in [Stemmer::English, Stemmer::German, Stemmer::Identity] {
        let js = node(
            r#"
            const [name, words] = [process.argv[1], JSON.parse(process.argv[2])];
            const stem = name === "en" ? s.stem : s.stemmer(name);
            process.stdout.write(JSON.stringify(words.map(w => [stem(w), s.shardKey(stem(w))])));
            "#,
            &[
                stemmer.name().to_owned(),
                serde_json::to_string(&words).unwrap(),
            ],
        );
        let js = js.as_array().unwrap();
        assert_eq!(js.len(), words.len());
        for (word, js) in words.iter().zip(js) {
            let rust = stemmer.stem(word);
            assert_eq!(js[0], rust.as_ref(), "{stemmer:?}: stem({word:?})");
            assert_eq!(js[1], shard_key(&rust).as_str(), "shard_key({rust:?})");
        }
    }
}

#[test]
fn the_german_word_list_is_stemmed() {
    let words = german_words();
    let changed = words
        .iter()
        .filter(|w| Stemmer::German.stem(w) != w.as_str())
        .count();
    assert!(changed * 2 > words.len(), "{changed} of {}", words.len());
}
