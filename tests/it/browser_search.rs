//! Search in a real headless Chromium on sites hosted as plain files (no fixbook server),
//! answered by the static index: a misspelled status message finds its status page first,
//! in the header's instant results and on the results page; the platform filter narrows the
//! results; a site under a base path searches too.

use crate::browser::{Browser, Page, Recorded, serve_dir};
use crate::support::{build_into, fixture, repo_root};

fn built_site() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    build_into(&repo_root(), out.path());
    out
}

/// Waits until the results page lists results.
fn wait_for_results(page: &Page) {
    page.wait_for("document.querySelectorAll('#search-results .search-result-title a').length > 0");
}

/// The `href` of every result link on the results page.
fn result_links(page: &Page) -> Vec<String> {
    let links = page.eval(
        "[...document.querySelectorAll('#search-results .search-result-title a')].map(a => a.getAttribute('href'))",
    );
    serde_json::from_value(links).unwrap_or_else(|e| panic!("{e}"))
}

/// Asserts that the page threw nothing and broke no CSP rule; returns what it recorded.
fn no_errors(page: &Page) -> Recorded {
    let seen = page.take();
    assert!(
        seen.exceptions.is_empty(),
        "uncaught exceptions: {:?}",
        seen.exceptions
    );
    assert!(
        seen.csp_violations.is_empty(),
        "CSP violations: {:?}",
        seen.csp_violations
    );
    seen
}

#[test]
fn header_search_puts_the_status_page_first_for_a_misspelled_message() {
    let site = built_site();
    let (_addr, server) = serve_dir(site.path());
    let browser = Browser::launch();
    let page = browser.page();
    page.goto(&format!("{}/articles/", server.origin()));
    page.eval(
        "(() => { const input = document.querySelector('#site-search'); input.focus(); input.value = 'waiting to uplaod'; input.dispatchEvent(new Event('input', { bubbles: true })); return true; })()",
    );
    page.wait_for("document.querySelectorAll('#site-search-option-0 a[href]').length > 0");
    let first = page.eval("document.querySelector('#site-search-option-0 a').getAttribute('href')");
    assert_eq!(first, serde_json::json!("/status/waiting-to-upload/"));
    let listbox_visible = page.eval("document.querySelector('[role=listbox]') !== null && !document.querySelector('[role=listbox]').hidden");
    assert_eq!(listbox_visible, serde_json::Value::Bool(true));
    no_errors(&page);
}

#[test]
fn results_page_from_a_url_puts_the_status_page_first_for_a_misspelled_message() {
    let site = built_site();
    let (_addr, server) = serve_dir(site.path());
    let browser = Browser::launch();
    let page = browser.page();
    page.goto(&format!("{}/search/?q=waiting+to+uplaod", server.origin()));
    page.wait_for("document.querySelectorAll('#search-results a[href]').length > 1");
    let first = page.eval("document.querySelector('#search-results a[href]').getAttribute('href')");
    assert_eq!(first, serde_json::json!("/status/waiting-to-upload/"));
    assert_eq!(
        page.eval("document.querySelector('#search-page-input').value"),
        serde_json::json!("waiting to uplaod")
    );
    // Text results from the static bundle follow the status page.
    page.wait_for("[...document.querySelectorAll('#search-results a[href]')].some(a => a.getAttribute('href') === '/articles/stuck-waiting-to-upload/')");
    no_errors(&page);
}

#[test]
fn results_page_platform_filter_narrows_static_results() {
    let site = built_site();
    let (_addr, server) = serve_dir(site.path());
    let browser = Browser::launch();
    let page = browser.page();
    page.goto(&format!(
        "{}/search/?q=icloud+for+windows&platform=mac",
        server.origin()
    ));
    wait_for_results(&page);
    assert_eq!(
        page.eval("document.querySelector('#search-platform').value"),
        serde_json::json!("mac")
    );
    let on_mac = result_links(&page);
    // The Windows article applies to Windows and iPhone, the set-up fix to Windows only.
    for windows_only in [
        "/articles/icloud-photos-windows-not-syncing/",
        "/fixes/set-up-icloud-for-windows/",
    ] {
        assert!(!on_mac.iter().any(|u| u == windows_only), "{on_mac:?}");
    }
    page.eval(
        "(() => { const s = document.querySelector('#search-platform'); s.value = 'windows'; s.dispatchEvent(new Event('change')); return true; })()",
    );
    page.wait_for("[...document.querySelectorAll('#search-results .search-result-title a')].slice(0, 3).some(a => a.getAttribute('href') === '/fixes/set-up-icloud-for-windows/')");
    assert_eq!(
        page.eval("location.search"),
        serde_json::json!("?q=icloud+for+windows&platform=windows")
    );
    let requests = no_errors(&page).requests;
    assert!(
        requests
            .iter()
            .any(|r| r.ends_with("/search-index/platforms.json")),
        "{requests:?}"
    );
}

#[test]
fn static_search_works_under_a_base_path() {
    // The fixture's base_url is https://kb.example.org/help/: host it under /help/.
    let host = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    build_into(&fixture("valid-site"), &host.path().join("help"));
    let (_addr, server) = serve_dir(host.path());
    let browser = Browser::launch();
    let page = browser.page();
    page.goto(&format!(
        "{}/help/search/?q=jobs+never+print",
        server.origin()
    ));
    wait_for_results(&page);
    let links = result_links(&page);
    assert!(
        links
            .iter()
            .take(3)
            .any(|u| u == "/help/articles/printer-offline/"),
        "{links:?}"
    );
    assert!(links.iter().all(|u| u.starts_with("/help/")), "{links:?}");
    let snippet =
        page.eval("document.querySelector('#search-results .search-result-snippet mark') !== null");
    assert_eq!(snippet, serde_json::Value::Bool(true));
    // The index's meta.json comes inside the status index: one request fewer.
    let requests = no_errors(&page).requests;
    assert!(
        requests
            .iter()
            .any(|r| r.ends_with("/help/status-index.json")),
        "{requests:?}"
    );
    assert!(
        requests
            .iter()
            .any(|r| r.contains("/help/search-index/terms/")),
        "{requests:?}"
    );
    assert!(
        !requests.iter().any(|r| r.ends_with("meta.json")),
        "{requests:?}"
    );
}

#[test]
fn results_page_offers_the_corrected_query_for_typos_in_prose() {
    let site = built_site();
    let (_addr, server) = serve_dir(site.path());
    let browser = Browser::launch();
    let page = browser.page();
    page.goto(&format!(
        "{}/search/?q=photso+not+uplaoding+on+my+ipda",
        server.origin()
    ));
    wait_for_results(&page);
    page.wait_for("[...document.querySelectorAll('.search-did-you-mean a')].some(a => a.textContent.includes('photo not uploading on my ipad'))");
    let links = result_links(&page);
    assert!(
        links
            .iter()
            .take(3)
            .any(|u| u == "/articles/icloud-photos-not-syncing-iphone/"),
        "{links:?}"
    );
    no_errors(&page);
}

#[test]
fn results_page_without_results_shows_top_problems_and_the_status_messages() {
    let site = built_site();
    let (_addr, server) = serve_dir(site.path());
    let browser = Browser::launch();
    let page = browser.page();
    page.goto(&format!("{}/search/?q=zqxj+vvkw", server.origin()));
    page.wait_for("document.querySelectorAll('.search-help-statuses a').length > 0");
    let statuses = page
        .eval("[...document.querySelectorAll('.search-help-statuses a')].map(a => a.textContent)");
    let statuses: Vec<String> = serde_json::from_value(statuses).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(statuses.len(), 7, "{statuses:?}");
    let mut sorted = statuses.clone();
    sorted.sort_by_key(|s| s.to_lowercase());
    assert_eq!(statuses, sorted, "A to Z");
    let problems = page.eval("document.querySelectorAll('.search-help-problems a').length");
    assert_eq!(problems, serde_json::json!(8));
    no_errors(&page);
}
