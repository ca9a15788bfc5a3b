//! Search per language: German status messages (exact, lower-case, misspelled, inside a
//! sentence) land first and paraphrases in the top three on tantivy and the status lookup;
//! Japanese typed without spaces finds its page; the static index of each language answers
//! the same under `search-engine.js`; `fixbook search --lang`; German words are found in
//! another inflection than the page's (German stemming) on every surface.

use std::path::Path;

use fixbook::search::{QueryRules, SearchIndex, StatusLookup, Stemmer, search_all, search_answer};

use crate::support::{fixbook, fixture, stderr};

/// tantivy and the status lookup of one language of a site, as `fixbook search --lang`
/// and `/api/search?lang=` answer.
fn engine(root: &Path, lang: &str) -> (SearchIndex, StatusLookup) {
    let (config, docs) = fixbook::search_documents_in(root, Some(lang))
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics()));
    let index = SearchIndex::from_docs(&docs, Stemmer::for_tag(&config.language))
        .unwrap_or_else(|e| panic!("{e}"));
    let lookup = StatusLookup::from_docs(&docs).with_rules(QueryRules::from_config(&config));
    (index, lookup)
}

fn urls(index: &SearchIndex, lookup: &StatusLookup, query: &str) -> Vec<String> {
    search_all(index, lookup, query, None, 10)
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .into_iter()
        .map(|hit| hit.url)
        .collect()
}

/// German queries and where they must land: `true` first, `false` in the top three.
const GERMAN: &[(bool, &str, &str)] = &[
    (true, "Papierstau", "/status/paper-jam/"),
    (true, "papierstau", "/status/paper-jam/"),
    (true, "Papirstau", "/status/paper-jam/"),
    (true, "Drucker offline", "/status/offline/"),
    (true, "drucker ofline", "/status/offline/"),
    (true, "Drucker ist offline", "/status/offline/"),
    (true, "mein drucker zeigt offline an", "/status/offline/"),
    (
        false,
        "Papier staut sich immer wieder",
        "/articles/paper-jam-keeps-coming-back/",
    ),
    (
        false,
        "Aufträge bleiben hängen",
        "/articles/printer-offline/",
    ),
    (false, "Drucker neu starten", "/fixes/restart-printer/"),
    (false, "kabel prufen", "/fixes/check-cable/"),
];

#[test]
fn german_readers_find_german_pages_by_message_typo_and_their_own_words() {
    let (index, lookup) = engine(&fixture("multilingual"), "de");
    let mut misses = Vec::new();
    for (first, query, want) in GERMAN {
        let found = urls(&index, &lookup, query);
        let top = if *first { 1 } else { 3 };
        if !found.iter().take(top).any(|u| u == want) {
            misses.push(format!(
                "{query:?}: wanted {want} in the top {top}, got {found:?}"
            ));
        }
    }
    assert!(misses.is_empty(), "{misses:#?}");
    // The English index does not know the German message.
    let (index, lookup) = engine(&fixture("multilingual"), "en");
    assert_eq!(
        urls(&index, &lookup, "Printer Offline")[0],
        "/status/offline/"
    );
    assert!(lookup.looks_like_status("Papierstau").is_none());
}

#[test]
fn search_lang_answers_from_the_languages_pages_and_names_an_unknown_one() {
    let root = fixture("multilingual");
    let root = root.to_string_lossy();
    let output = fixbook(&["--root", &root, "search", "--lang", "de", "Papirstau"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = crate::support::stdout(&output);
    assert!(
        out.starts_with(
            "1. Papierstau (status)\n   https://kb.example.org/help/de/status/paper-jam/\n"
        ),
        "{out}"
    );
    let output = fixbook(&["--root", &root, "search", "--lang", "dee", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: the site has no language `dee`\n  = help: did you mean `de`?\n\n"
    );
}

#[test]
fn cjk_text_is_found_by_a_query_without_spaces() {
    let root = fixture("cjk");
    let (index, lookup) = engine(&root, "ja");
    for (query, want) in [
        ("写真が同期されない", "/articles/photos-not-syncing/"),
        ("同期されない", "/articles/photos-not-syncing/"),
        ("招待が届かない", "/articles/album-invitation/"),
        ("アップロード待ち", "/status/waiting-to-upload/"),
        ("アップロ一ド待ち", "/status/waiting-to-upload/"),
    ] {
        let found = urls(&index, &lookup, query);
        assert_eq!(
            found.first().map(String::as_str),
            Some(want),
            "{query}: {found:?}"
        );
    }
}

#[test]
fn the_static_index_of_each_language_answers_like_the_browser() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    crate::support::build_into(&fixture("multilingual"), out.path());
    let cjk = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    crate::support::build_into(&fixture("cjk"), cjk.path());
    let found = static_search(&[
        (out.path().join("de"), "papirstau"),
        (out.path().join("de"), "Drucker offline"),
        (out.path().join("de"), "Papier staut sich"),
        (out.path().to_path_buf(), "paper jam"),
        (cjk.path().to_path_buf(), "写真が同期されない"),
        (cjk.path().to_path_buf(), "アップロード待ち"),
    ]);
    let first: Vec<&str> = found
        .iter()
        .map(|urls| urls.first().map_or("", String::as_str))
        .collect();
    assert_eq!(
        first,
        [
            "/status/paper-jam/",
            "/status/offline/",
            "/articles/paper-jam-keeps-coming-back/",
            "/status/paper-jam/",
            "/articles/photos-not-syncing/",
            "/status/waiting-to-upload/",
        ]
    );
}

/// The multilingual fixture with a fix whose German page says "hochgeladen",
/// "eingestellt", "synchronisiert".
fn site_with_firmware_fix() -> tempfile::TempDir {
    let site = crate::support::copy_fixture("multilingual");
    let fixes = site.path().join("content/fixes");
    let write = |name: &str, text: &str| {
        std::fs::write(fixes.join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
    };
    write(
        "upload-firmware.md",
        "---\ntitle: Upload new firmware\nrisk: medium\nduration: 10 min\n\
         platforms: [windows, mac]\n---\n\n\
         Once the firmware is uploaded, the printer is set up again.\n",
    );
    write(
        "upload-firmware.de.md",
        "---\ntitle: Neue Firmware aufspielen\nrisk: medium\nduration: 10 Min.\n\
         platforms: [windows, mac]\n---\n\n\
         Sobald die Firmware hochgeladen ist, wird der Drucker neu eingestellt und \
         die Aufträge werden synchronisiert.\n",
    );
    site
}

#[test]
fn german_queries_find_other_inflections_of_the_pages_words() {
    let site = site_with_firmware_fix();
    let want = "/fixes/upload-firmware/";
    let (index, lookup) = engine(site.path(), "de");
    for query in [
        "hochladen",
        "Drucker einstellen",
        "synchronisieren",
        "hochgeladen",
    ] {
        let answer = search_answer(&index, &lookup, query, None, 10)
            .unwrap_or_else(|e| panic!("{query}: {e}"));
        let found: Vec<&str> = answer.hits.iter().map(|h| h.url.as_str()).collect();
        assert_eq!(found.first(), Some(&want), "{query}: {found:?}");
        assert_eq!(
            answer.corrected, None,
            "{query}: found as written, not corrected"
        );
    }
    let root = site.path().to_string_lossy();
    let output = fixbook(&["--root", &root, "search", "--lang", "de", "einstellen"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = crate::support::stdout(&output);
    assert!(
        out.starts_with(
            "1. Neue Firmware aufspielen (fix)\n   https://kb.example.org/help/de/fixes/upload-firmware/\n"
        ),
        "{out}"
    );
    let built = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    crate::support::build_into(site.path(), built.path());
    let de = built.path().join("de");
    let found = static_search(&[
        (de.clone(), "hochladen"),
        (de.clone(), "Drucker einstellen"),
        (de, "synchronisieren"),
        (built.path().to_path_buf(), "uploading firmware"),
    ]);
    for (urls, query) in found.iter().zip([
        "hochladen",
        "Drucker einstellen",
        "synchronisieren",
        "uploading firmware",
    ]) {
        assert_eq!(
            urls.first().map(String::as_str),
            Some(want),
            "{query}: {urls:?}"
        );
    }
}

/// The results the search page shows for each (language folder, query), through
/// `assets/search-engine.js` under node over the built files.
fn static_search(queries: &[(std::path::PathBuf, &str)]) -> Vec<Vec<String>> {
    let script = crate::support::repo_root().join("templates/assets/search-engine.js");
    let driver = r#"
        const fs = require("fs");
        const path = require("path");
        const s = require(process.argv[1]);
        const queries = JSON.parse(process.argv[2]);
        (async () => {
            const out = [];
            for (const [site, query] of queries) {
                const read = p => JSON.parse(fs.readFileSync(path.join(site, p), "utf8"));
                const index = s.createStaticIndex(p => read(path.join("search-index", p)));
                const lookup = s.buildStatusLookup(read("status-index.json"));
                const results = await index.search(query, "", 11);
                const found = s.combineResults(s.statusLookup(lookup, query), { results, error: null }, 10);
                out.push(found.results.map(r => r.url));
            }
            process.stdout.write(JSON.stringify(out));
        })();
    "#;
    let asked: Vec<(String, &str)> = queries
        .iter()
        .map(|(dir, q)| (dir.to_string_lossy().into_owned(), *q))
        .collect();
    let output = std::process::Command::new("node")
        .arg("-e")
        .arg(driver)
        .arg(&script)
        .arg(serde_json::to_string(&asked).unwrap_or_else(|e| panic!("{e}")))
        .output()
        .unwrap_or_else(|e| panic!("cannot run node, which this test needs: {e}"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"))
}
