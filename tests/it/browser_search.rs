//! Search in a real headless Chromium on the shipped site hosted as plain files (no fixbook
//! server): a misspelled status message finds its status page first, in the header's
//! instant results and on the results page.

use crate::browser::{Browser, Page, serve_dir};
use crate::support::{fixbook, repo_root, stderr};

fn built_site() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = repo_root();
    let built = fixbook(&[
        "--root",
        &root.to_string_lossy(),
        "build",
        "--output",
        &out.path().to_string_lossy(),
    ]);
    assert!(built.status.success(), "{}", stderr(&built));
    out
}

fn no_errors(page: &Page) {
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
