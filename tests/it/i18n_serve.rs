//! Multilingual sites under `fixbook serve` and in the browser: a rebuild after editing,
//! adding or removing a translation equals a full build, `/api/search?lang=` searches the
//! language's pages, and a right-to-left page at a phone's width is mirrored.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fixbook::config::Config;
use fixbook::incremental::{Changes, Incremental, Update};
use fixbook::site::SiteOptions;
use serde_json::Value;

use crate::serve::Server;
use crate::support::copy_fixture;

const OPTIONS: SiteOptions = SiteOptions { live_reload: true };

/// Asserts that `update`, with the search files a build writes, is what a full build of
/// the folder gives, file for file.
fn assert_matches_full_build(root: &std::path::Path, site: &Incremental<'_>, update: &Update) {
    let full = fixbook::compile(root, OPTIONS)
        .unwrap_or_else(|f| panic!("the full build fails: {:#?}", f.diagnostics()));
    let mut files = (*update.files).clone();
    let inputs = site.search_inputs();
    let mut search: Vec<(String, Vec<u8>)> = Vec::new();
    let static_files = |inputs: &fixbook::incremental::SearchInputs| {
        inputs
            .static_files()
            .unwrap_or_else(|d| panic!("the search stage fails: {d:?}"))
    };
    for file in static_files(&inputs) {
        search.push((file.path, file.bytes));
    }
    for (code, localized) in &inputs.languages {
        for file in static_files(localized) {
            search.push((format!("{code}/{}", file.path), file.bytes));
        }
    }
    for (path, bytes) in search {
        files.insert(path, bytes.into());
    }
    let rebuilt: Vec<&str> = files.keys().map(String::as_str).collect();
    let built: Vec<&str> = full.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(rebuilt, built, "the rebuilt site has other files");
    for file in &full.files {
        assert!(
            files[&file.path][..] == file.bytes[..],
            "{} differs from a full build:\n--- rebuilt\n{}\n--- full\n{}",
            file.path,
            String::from_utf8_lossy(&files[&file.path]),
            String::from_utf8_lossy(&file.bytes)
        );
    }
    assert_eq!(update.warnings, full.warnings);
}

#[test]
fn rebuilds_after_editing_adding_and_removing_translations_equal_full_builds() {
    let dir = copy_fixture("multilingual");
    let root = dir.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
    let config = Config::load(&root).unwrap_or_else(|d| panic!("{d:#?}"));
    let mut site = Incremental::new(&root, &config, OPTIONS);
    let rebuild = |site: &mut Incremental<'_>, paths: Vec<PathBuf>| {
        let changes = if paths.is_empty() {
            Changes::everything()
        } else {
            Changes::from_paths(&root, paths)
        };
        let update = site
            .rebuild(&changes)
            .unwrap_or_else(|f| panic!("the rebuild fails: {:#?}", f.diagnostics()));
        assert_matches_full_build(&root, site, &update);
        update
    };
    rebuild(&mut site, Vec::new());
    let path = |rel: &str| root.join(rel);
    let write = |rel: &str, text: &str| {
        std::fs::write(path(rel), text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        path(rel)
    };
    let read = |rel: &str| std::fs::read_to_string(path(rel)).unwrap_or_else(|e| panic!("{e}"));

    // A translated message.
    let status = read("content/status/offline.de.md");
    let edited = write(
        "content/status/offline.de.md",
        &status.replace("message: Drucker offline", "message: Drucker ist offline"),
    );
    let update = rebuild(&mut site, vec![edited]);
    assert!(
        update
            .changed
            .contains(&"de/status/offline/index.html".to_owned()),
        "{:?}",
        update.changed
    );
    assert!(
        !update.changed.iter().any(|p| p.starts_with("status/")),
        "{:?}",
        update.changed
    );

    // A new translation replaces a fallback page.
    let fix = read("content/fixes/reinstall-driver.md").replace(
        "title: Reinstall the printer driver",
        "title: Den Druckertreiber neu installieren",
    );
    let added = write("content/fixes/reinstall-driver.de.md", &fix);
    let update = rebuild(&mut site, vec![added.clone()]);
    let page =
        String::from_utf8_lossy(&update.files["de/fixes/reinstall-driver/index.html"]).into_owned();
    assert!(
        page.contains("Den Druckertreiber neu installieren")
            && !page.contains("untranslated-notice")
    );

    // Removed again, the page falls back.
    std::fs::remove_file(&added).unwrap_or_else(|e| panic!("{e}"));
    let update = rebuild(&mut site, vec![added]);
    let page =
        String::from_utf8_lossy(&update.files["de/fixes/reinstall-driver/index.html"]).into_owned();
    assert!(page.contains("untranslated-notice"));

    // An edit of an original shows on its fallback pages too.
    let edited = write(
        "content/fixes/reinstall-driver.md",
        &read("content/fixes/reinstall-driver.md").replace("20 min", "25 min"),
    );
    let update = rebuild(&mut site, vec![edited]);
    assert!(
        update
            .changed
            .contains(&"ar/fixes/reinstall-driver/index.html".to_owned())
    );
}

/// The answer of `/api/search` once the first index is ready.
fn search(server: &Server, query: &str) -> (u16, Value) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let response = server.get(query);
        if response.status != 503 || Instant::now() > deadline {
            let json = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
            return (response.status, json);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_search_api_answers_in_the_language_asked_for() {
    let server = Server::start("multilingual");
    let (status, german) = search(&server, "/help/api/search?q=Papirstau&lang=de");
    assert_eq!(status, 200, "{german}");
    assert_eq!(german["hits"][0]["url"], "/status/paper-jam/", "{german}");
    assert_eq!(german["hits"][0]["title"], "Papierstau", "{german}");
    let (_, english) = search(&server, "/help/api/search?q=paper%20jam");
    assert_eq!(english["hits"][0]["title"], "Paper Jam", "{english}");
    let (status, unknown) = search(&server, "/help/api/search?q=x&lang=fr");
    assert_eq!(status, 400);
    assert_eq!(
        unknown["error"], "the site has no language `fr`",
        "{unknown}"
    );
    // Each language's pages have their status index, and German pages under /de/.
    let index = server.get("/help/de/status-index.json");
    assert_eq!(index.status, 200);
    assert!(
        index.text().contains("\"message\":\"Papierstau\""),
        "{}",
        index.text()
    );
    let page = server.get("/help/de/status/paper-jam/");
    assert!(
        page.text().contains("<h1 class=\"status-pill\">"),
        "{}",
        page.text()
    );
}

#[test]
fn a_right_to_left_page_is_mirrored_at_a_phones_width() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let served = out.path().join("help");
    crate::support::build_into(&crate::support::fixture("multilingual"), &served);
    let (_, server) = crate::browser::serve_dir(out.path());
    let browser = crate::browser::Browser::launch();
    let page = browser.page();
    page.set_width(390, 900);
    page.goto(&format!("{}/help/ar/status/offline/", server.origin()));
    assert_eq!(page.eval("window.innerWidth"), serde_json::json!(390));
    assert_eq!(
        page.eval("getComputedStyle(document.documentElement).direction"),
        "rtl"
    );
    // Mirrored: the brand sits at the right edge, the theme button at the left, and the
    // page does not scroll sideways.
    let edges = page.eval(
        "JSON.stringify([document.querySelector('.brand').getBoundingClientRect().right, document.querySelector('.theme-toggle').getBoundingClientRect().left, document.documentElement.scrollWidth])",
    );
    let edges: (f64, f64, f64) =
        serde_json::from_str(edges.as_str().unwrap_or("[]")).unwrap_or_else(|e| panic!("{e}"));
    assert!(edges.0 > 300.0, "brand at {edges:?}");
    assert!(edges.1 < 90.0, "theme toggle at {edges:?}");
    assert!(edges.2 <= 390.0, "the page scrolls sideways: {edges:?}");
    let shot = page.screenshot();
    assert!(shot.len() > 10_000, "an empty screenshot");
    if let Ok(path) = std::env::var("FIXBOOK_SCREENSHOT") {
        std::fs::write(path, &shot).unwrap_or_else(|e| panic!("{e}"));
    }
    // The search page of a language searches that language's index, in its words.
    page.goto(&format!("{}/help/de/search/?q=papirstau", server.origin()));
    page.wait_for("document.querySelector('.search-result-title') !== null");
    let first = page.eval("document.querySelector('.search-result-title').textContent.trim()");
    assert_eq!(first, "Papierstau");
    let summary = page.eval("document.querySelector('.search-summary').textContent");
    assert!(
        summary
            .as_str()
            .is_some_and(|s| s.contains("Ergebnisse für „papirstau“")),
        "{summary}"
    );
    let recorded = page.take();
    assert!(recorded.console.is_empty(), "{:?}", recorded.console);
    assert!(
        recorded.csp_violations.is_empty(),
        "{:?}",
        recorded.csp_violations
    );
}
