//! Guides in a real headless Chromium: with JavaScript a guide is walked to its end, resumes
//! after a reload, marks the fixes tried on the article page and copies the summary; without
//! JavaScript every step is reached by following links.

use crate::browser::{Browser, Page, serve_dir};
use crate::guides::{GUIDE, guide_site};
use crate::support::build_into;

/// The guide panels shown, by id.
fn shown(page: &Page) -> serde_json::Value {
    page.eval(
        "Array.from(document.querySelectorAll('.guide-panel')).filter(p => getComputedStyle(p).display !== 'none').map(p => p.id)",
    )
}

fn assert_shown(page: &Page, id: &str) {
    page.wait_for(&format!(
        "location.hash === '#{id}' || document.querySelector('[data-first]').id === '{id}'"
    ));
    assert_eq!(shown(page), serde_json::json!([id]), "only #{id} shows");
}

fn built() -> (tempfile::TempDir, tempfile::TempDir) {
    let site = guide_site(Some(GUIDE));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    build_into(site.path(), out.path());
    (site, out)
}

#[test]
fn with_javascript_a_guide_resumes_marks_tried_fixes_and_copies_the_summary() {
    let (_site, out) = built();
    let (_addr, server) = serve_dir(out.path());
    let browser = Browser::launch();
    let page = browser.page();
    page.grant_clipboard(&server.origin());
    let guide = format!("{}/articles/printer-offline/guide/", server.origin());
    page.goto(&guide);
    assert_shown(&page, "choose");
    page.click("#choose a[data-platform=windows]");
    assert_shown(&page, "windows-1");
    assert_eq!(
        page.eval("document.querySelector('#windows-1 .guide-progress').textContent"),
        "Step 1 of 3 for Windows"
    );
    page.click("#windows-1 a[href='#windows-2']");
    assert_shown(&page, "windows-2");
    // Closing the tab and coming back: the guide resumes where the reader was.
    page.goto(&guide);
    assert_shown(&page, "windows-2");
    page.click("#windows-2 a[href='#windows-3-ready']");
    assert_shown(&page, "windows-3-ready");
    page.click("#windows-3-ready a[href='#windows-3']");
    assert_shown(&page, "windows-3");
    page.click("#windows-3 a[href='#windows-help-3']");
    assert_shown(&page, "windows-help-3");
    page.click("#windows-help-3 [data-guide-copy]");
    page.wait_for(
        "document.querySelector('#windows-help-3 [data-guide-copy]').textContent === 'Copied'",
    );
    page.eval("(navigator.clipboard.readText().then(t => { window.__clip = t; }), true)");
    page.wait_for("typeof window.__clip === 'string'");
    let clip = page.eval("window.__clip");
    let clip = clip.as_str().unwrap_or_default();
    assert!(
        clip.contains("Platform: Windows\nSteps tried, in order:\n1. Restart the printer: did not fix it\n2. Check the cable: did not fix it\n3. Reinstall the printer driver: did not fix it\nWhat I have ready:\n- The printer model\n- The exact message in the queue\n"),
        "{clip}"
    );
    // The article page marks the fixes tried in its guide.
    page.goto(&format!("{}/articles/printer-offline/", server.origin()));
    page.wait_for("document.querySelectorAll('.fix-tried').length === 3");
    assert_eq!(
        page.eval("document.querySelector('#fix-check-cable .fix-tried-badge').textContent"),
        "Tried in the guide"
    );
    // A reader who chose Mac on any platform tabs starts the Mac steps.
    page.eval("(localStorage.clear(), localStorage.setItem('fixbook.platform', 'mac'), true)");
    page.goto(&guide);
    assert_shown(&page, "mac-1");
    let recorded = page.take();
    assert!(recorded.exceptions.is_empty(), "{:?}", recorded.exceptions);
    assert!(
        recorded.csp_violations.is_empty(),
        "{:?}",
        recorded.csp_violations
    );
    let origin = server.origin();
    assert!(
        recorded.requests.iter().all(|r| r.starts_with(&origin)),
        "{:?}",
        recorded.requests
    );
}

#[test]
fn without_javascript_every_step_is_reached_by_links() {
    let (_site, out) = built();
    let (_addr, server) = serve_dir(out.path());
    let browser = Browser::launch();
    let page = browser.page();
    page.disable_scripts();
    let guide = format!("{}/articles/printer-offline/guide/", server.origin());
    page.goto(&guide);
    assert_shown(&page, "choose");
    // Walk to the end by clicking what a reader sees.
    for (link, next) in [
        ("#choose a[data-platform=windows]", "windows-1"),
        ("#windows-1 a[href='#windows-2']", "windows-2"),
        ("#windows-2 a[href='#windows-3-ready']", "windows-3-ready"),
        (
            "#windows-3-ready a[href='#windows-help-2']",
            "windows-help-2",
        ),
    ] {
        page.click(link);
        assert_shown(&page, next);
    }
    // The summary is there to select, and the copy button (which needs a script) is not.
    assert_eq!(
        page.eval(
            "getComputedStyle(document.querySelector('#windows-help-2 [data-guide-copy]')).display"
        ),
        "none"
    );
    assert!(
        page.eval("document.querySelector('#windows-help-2 pre').textContent")
            .as_str()
            .is_some_and(|t| t.contains("2. Check the cable: did not fix it")),
    );
    // Every panel of both guide pages shows, alone, when the address names it (which
    // links between the panels do: `tests/it/guides.rs` follows them all).
    for path in ["articles/printer-offline/guide/", "guides/printer-trouble/"] {
        page.goto(&format!("{}/{path}", server.origin()));
        let ids = page.eval("Array.from(document.querySelectorAll('.guide-panel')).map(p => p.id)");
        let ids: Vec<&str> = ids
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i.as_str())
            .collect();
        assert!(ids.len() > 3, "{path}: {ids:?}");
        for id in ids {
            page.eval(&format!("(location.hash = '#{id}', true)"));
            page.wait_for(&format!("location.hash === '#{id}'"));
            assert_eq!(shown(&page), serde_json::json!([id]), "{path}#{id}");
        }
    }
    // The decision guide: an answer leads on, and "change my answer" leads back.
    page.goto(&format!("{}/guides/printer-trouble/", server.origin()));
    assert_shown(&page, "q-start");
    page.click("#q-start a[href='#q-cable']");
    assert_shown(&page, "q-cable");
    page.click("#q-cable .guide-change");
    assert_shown(&page, "q-start");
    let recorded = page.take();
    assert!(recorded.exceptions.is_empty(), "{:?}", recorded.exceptions);
}
