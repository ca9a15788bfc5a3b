//! Pathological content: tags left open in prose, deep nesting, many footnotes, look-alike
//! file names and invisible reordering characters. Each is a clear, positioned diagnostic
//! (or a bounded cost), never a silently truncated page or a stalled build.

use crate::robustness::{build, check, fails_cleanly, site_with};
use crate::support::stderr;

/// An article of the base site whose body is `body`.
fn article(body: &str) -> Vec<u8> {
    format!("---\ntitle: Pasting tags\ndate: 2024-01-01\nfixes: [restart-scanner]\n---\n{body}")
        .into_bytes()
}

#[test]
fn a_raw_text_tag_left_open_in_prose_is_an_error_at_the_tag() {
    let body = "Intro.\n\n## Before you start\n\nNever paste a <script> tag into the form.\n\n## Steps\n\nRestart it.\n";
    let site = site_with(&[("content/articles/pasting.md", &article(body))]);
    fails_cleanly(
        site.path(),
        "error: `<script>` is never closed, so everything after it would vanish from the page\n  --> content/articles/pasting.md:10:15\n  = help: to write about the tag, put it in backticks (`` `<script>` ``); otherwise delete it\n\nfailed: 1 error(s), 0 warning(s)\n",
    );
}

#[test]
fn every_raw_text_element_left_open_is_an_error_and_a_closed_one_is_not() {
    for name in [
        "script", "style", "textarea", "title", "iframe", "noscript", "noembed", "noframes", "xmp",
    ] {
        let body = format!("<{name}>\n\n## Later heading\n\nText.\n");
        let site = site_with(&[("content/articles/pasting.md", &article(&body))]);
        let (code, err) = check(site.path());
        assert_eq!(code, 1, "{name}: {err}");
        assert!(
            err.contains(&format!("error: `<{name}>` is never closed"))
                && err.contains("content/articles/pasting.md:6:1"),
            "{name}: {err}"
        );
    }
    let body = "Intro.\n\n<plaintext>\n\n## Later\n";
    let site = site_with(&[("content/articles/pasting.md", &article(body))]);
    let (code, err) = check(site.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: `<plaintext>` turns the rest of the page into raw source"),
        "{err}"
    );
    // Written in backticks, or closed, nothing is wrong.
    let body = "Never paste a `<script>` tag.\n\n<textarea>kept</textarea>\n\n## Later heading\n";
    let site = site_with(&[("content/articles/pasting.md", &article(body))]);
    let (code, err) = check(site.path());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn the_table_of_contents_never_links_to_a_heading_that_is_not_on_the_page() {
    // A heading inside an element the sanitizer removes whole disappears with it.
    let body = "Intro.\n\n<form>\n\n## Inside the form\n\n</form>\n\n## Kept heading\n\nText.\n";
    let site = site_with(&[("content/articles/pasting.md", &article(body))]);
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let public = out.path().join("public");
    let built = build(site.path(), &public);
    assert!(built.status.success(), "{}", stderr(&built));
    let page = std::fs::read_to_string(public.join("articles/pasting/index.html"))
        .unwrap_or_else(|e| panic!("{e}"));
    for anchor in page.split("href=\"#").skip(1) {
        let id = anchor.split('"').next().unwrap_or_default();
        assert!(
            page.contains(&format!("id=\"{id}\"")),
            "the page links to #{id}, which it does not have"
        );
    }
    assert!(page.contains("id=\"kept-heading\""));
}
