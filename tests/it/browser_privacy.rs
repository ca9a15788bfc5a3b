//! The built shipped site in a real headless Chromium: every kind of page loads with no
//! request to another origin, no console error and no Content-Security-Policy violation.

use std::path::Path;

use crate::browser::{Browser, serve_dir};
use crate::support::{build_into, repo_root};

/// One URL per kind of page: the list pages, the first page of each kind, search and 404.
fn page_of_each_kind(site: &Path) -> Vec<String> {
    let mut urls = vec![
        "/".to_owned(),
        "/search/".to_owned(),
        "/no-such-page/".to_owned(),
    ];
    for kind in ["articles", "fixes", "status", "platforms", "tags"] {
        urls.push(format!("/{kind}/"));
        let mut members: Vec<String> = std::fs::read_dir(site.join(kind))
            .unwrap_or_else(|e| panic!("{kind}: {e}"))
            .flatten()
            .filter(|e| e.path().join("index.html").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        members.sort();
        let first = members.first().unwrap_or_else(|| panic!("no {kind} pages"));
        urls.push(format!("/{kind}/{first}/"));
    }
    urls
}

#[test]
fn every_page_kind_of_the_shipped_site_loads_only_from_its_own_origin() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let public = out.path().join("public");
    build_into(&repo_root(), &public);

    let (_addr, server) = serve_dir(&public);
    let origin = server.origin();
    let browser = Browser::launch();
    let page = browser.page();
    let mut problems = Vec::new();
    let urls = page_of_each_kind(&public);
    for path in &urls {
        page.goto(&format!("{origin}{path}"));
        let seen = page.take();
        let elsewhere: Vec<&String> = seen
            .requests
            .iter()
            .filter(|url| !(url.starts_with(&format!("{origin}/")) || url.starts_with("data:")))
            .collect();
        if !elsewhere.is_empty() {
            problems.push(format!("{path}: requests to other origins: {elsewhere:?}"));
        }
        let errors: Vec<&String> = seen
            .console
            .iter()
            .filter(|line| line.starts_with("Error") || line.contains("Content Security Policy"))
            // The 404 page is served with status 404 on purpose.
            .filter(|line| {
                !(path == "/no-such-page/"
                    && line.contains("status of 404")
                    && line.contains(path.as_str()))
            })
            .collect();
        if !errors.is_empty() {
            problems.push(format!("{path}: console errors: {errors:?}"));
        }
        if !seen.exceptions.is_empty() {
            problems.push(format!(
                "{path}: uncaught exceptions: {:?}",
                seen.exceptions
            ));
        }
        if !seen.csp_violations.is_empty() {
            problems.push(format!("{path}: CSP violations: {:?}", seen.csp_violations));
        }
        assert!(
            seen.requests
                .iter()
                .any(|url| url.ends_with("/assets/fixbook.css")),
            "{path}: the page did not load its own stylesheet: {:?}",
            seen.requests
        );
    }
    assert!(urls.len() >= 13, "{urls:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_saved_web_page_makes_no_third_party_request_in_the_browser() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let public = out.path().join("public");
    build_into(&crate::support::fixture("web-saved-article"), &public);
    let (_addr, server) = serve_dir(&public);
    let origin = server.origin();
    let browser = Browser::launch();
    let page = browser.page();
    page.goto(&format!("{origin}/articles/router-keeps-dropping-wifi/"));
    let seen = page.take();
    // The only image the page may load is on the allowed host, which the test cannot reach:
    // its request is allowed, everything else must stay on the loopback origin.
    let elsewhere: Vec<&String> = seen
        .requests
        .iter()
        .filter(|url| !url.starts_with(&format!("{origin}/")))
        .filter(|url| !url.starts_with("https://media.example.org/"))
        .collect();
    assert!(elsewhere.is_empty(), "{elsewhere:?}");
    assert!(seen.csp_violations.is_empty(), "{:?}", seen.csp_violations);
    assert!(seen.exceptions.is_empty(), "{:?}", seen.exceptions);
    assert_eq!(page.eval("document.querySelectorAll('.prose iframe, .prose script, .prose ins, .prose [style]').length"), serde_json::json!(0));
    assert_eq!(
        page.eval("document.querySelectorAll('.prose table td[align=center]').length"),
        serde_json::json!(2)
    );
    let png = page.screenshot();
    assert!(png.starts_with(b"\x89PNG"), "not a PNG screenshot");
}

#[test]
fn the_harness_sees_violations_console_errors_and_other_origins() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let html = "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; img-src 'self' http://127.0.0.2:9\"></head><body><img src=\"http://127.0.0.2:9/pixel.gif\"><script>document.title = 'inline ran';</script><p style=\"color:red\">x</p></body></html>";
    std::fs::write(dir.path().join("index.html"), html).unwrap_or_else(|e| panic!("{e}"));
    let (_addr, server) = serve_dir(dir.path());
    let browser = Browser::launch();
    let page = browser.page();
    page.goto(&format!("{}/", server.origin()));
    let seen = page.take();
    assert!(
        seen.requests
            .iter()
            .any(|u| u.starts_with("http://127.0.0.2:9/")),
        "{seen:?}"
    );
    assert!(
        seen.csp_violations
            .iter()
            .any(|v| v.starts_with("script-src")),
        "{seen:?}"
    );
    assert!(
        seen.csp_violations
            .iter()
            .any(|v| v.starts_with("style-src")),
        "{seen:?}"
    );
    assert!(
        seen.console.iter().any(|l| l.starts_with("Error")),
        "{seen:?}"
    );
    assert_ne!(page.eval("document.title"), serde_json::json!("inline ran"));
}
