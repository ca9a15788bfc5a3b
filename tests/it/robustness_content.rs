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

#[test]
fn raw_html_nested_past_the_budget_is_an_error_at_the_first_tag_too_deep() {
    // 100,000 of these took 69 s to check; past 512 levels the file is refused at once.
    let body = format!("Intro.\n\n{}\n", "<div>".repeat(600));
    let site = site_with(&[("content/articles/pasting.md", &article(&body))]);
    fails_cleanly(
        site.path(),
        "error: raw HTML nests more than 512 elements deep here\n  --> content/articles/pasting.md:8:2561\n  = help: no page needs this many levels, and parsing them would stall the build: close the elements (`</div>`), or remove the pasted markup and write it in Markdown\n\nfailed: 1 error(s), 0 warning(s)\n",
    );
    // As deep as the budget allows, closed again, many times over: a page like any other.
    let block = format!("{}x{}", "<div>".repeat(500), "</div>".repeat(500));
    let body = format!("Intro.\n\n{}\n", block.repeat(20));
    let site = site_with(&[("content/articles/pasting.md", &article(&body))]);
    let (code, err) = check(site.path());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn more_footnotes_than_the_budget_are_an_error_where_the_budget_ends() {
    let n = 5_001;
    let references: String = (0..n).map(|i| format!("a[^{i}] ")).collect();
    let definitions: String = (0..n).map(|i| format!("[^{i}]: note\n")).collect();
    let body = format!("{references}\n\n{definitions}");
    let site = site_with(&[("content/articles/notes.md", &article(&body))]);
    // The 5,001st footnote event is the last reference, on the body's first line.
    let column = references.rfind("[^").map_or(0, |at| at + 1);
    fails_cleanly(
        site.path(),
        &format!(
            "error: more than 5000 footnote references and definitions in one file, from here on\n  --> content/articles/notes.md:6:{column}\n  = help: split the article, or turn the notes into a list of sources at its end\n\nfailed: 1 error(s), 0 warning(s)\n"
        ),
    );
}

#[test]
fn front_matter_with_too_many_values_says_so_in_the_writers_words() {
    let symptoms: String = (0..100_001).map(|i| format!("  - s{i}\n")).collect();
    let text = format!("---\ntitle: Many\ndate: 2024-01-01\nsymptoms:\n{symptoms}---\nBody\n");
    let site = site_with(&[("content/articles/many.md", text.as_bytes())]);
    let (code, err) = check(site.path());
    assert_eq!(code, 1, "{err}");
    let first = err.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "error: the front matter is too large to read: it holds more than 100000 values (list items, texts and keys)"
    );
    assert!(!err.contains("Events {"), "{err}");
}

#[test]
fn names_that_look_the_same_are_told_apart_by_their_code_points() {
    let body = b"---\ntitle: Cafe\ndate: 2024-01-01\n---\nBody.\n";
    let site = site_with(&[
        ("content/articles/caf\u{e9}.md", body),
        ("content/articles/cafe\u{301}.md", body),
    ]);
    let (code, err) = check(site.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: `caf\u{e9}` is not a valid article id (spelled c a f U+00E9)"),
        "{err}"
    );
    assert!(
        err.contains("error: `cafe\u{301}` is not a valid article id (spelled c a f e U+0301)"),
        "{err}"
    );
}

#[test]
fn direction_controls_in_front_matter_are_warned_at_and_left_out_of_the_page() {
    let text = "---\ntitle: \"Printer \u{202e}enilffo\u{202c} again\"\ndate: 2024-01-01\nfixes: [restart-scanner]\n---\nBody.\n";
    let site = site_with(&[("content/articles/reordered.md", text.as_bytes())]);
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let public = out.path().join("public");
    let built = build(site.path(), &public);
    assert!(built.status.success(), "{}", stderr(&built));
    let err = stderr(&built);
    for (column, point) in [(17, "202E"), (25, "202C")] {
        assert!(
            err.contains(&format!(
                "warning: invisible direction control U+{point} in the front matter can make text read in another order than it is written\n  --> content/articles/reordered.md:2:{column}\n"
            )),
            "{err}"
        );
    }
    let page = std::fs::read_to_string(public.join("articles/reordered/index.html"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        page.contains("Printer enilffo again"),
        "the title is kept, without the controls"
    );
    assert!(!page.contains('\u{202e}') && !page.contains('\u{202c}'));
}

#[test]
fn a_linked_content_folder_is_followed_without_a_warning_and_links_inside_it_are_not() {
    let outside = site_with(&[]);
    let site = site_with(&[]);
    let content = site.path().join("content");
    std::fs::remove_dir_all(&content).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(outside.path().join("content"), &content)
        .unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(
        outside.path().join("content/articles/scanner-not-found.md"),
        outside.path().join("content/articles/linked.md"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, err) = check(site.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "warning: symbolic link ignored\n  --> content/articles/linked.md\n  = help: content files must be regular files inside content/; copy the file instead of linking it\n\nchecked 1 articles, 1 fixes and 1 status messages: no errors\n"
    );
}
