//! The shipped knowledge base: it passes `check --strict`, and its graph has no dead ends.

use fixbook::site::SiteOptions;

use crate::support::{fixbook, repo_root, stderr};

#[test]
fn shipped_content_checks_clean_with_no_warnings() {
    let output = fixbook(&[
        "--root",
        &repo_root().to_string_lossy(),
        "check",
        "--strict",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
}

#[test]
fn the_six_core_status_messages_each_have_a_page() {
    let compiled = fixbook::compile(&repo_root(), SiteOptions::default())
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics()));
    for message in [
        "Paused",
        "Waiting To Upload",
        "Updating",
        "Syncing With iCloud",
        "Uploading",
        "Waiting for photos",
    ] {
        let status = compiled
            .library
            .statuses
            .iter()
            .find(|s| s.message.eq_ignore_ascii_case(message))
            .unwrap_or_else(|| panic!("no status message {message:?}"));
        let page = format!("status/{}/index.html", status.slug);
        assert!(
            compiled.files.iter().any(|f| f.path == page),
            "no page {page}"
        );
    }
}

#[test]
fn every_fix_is_used_by_an_article_and_every_status_is_shown_by_one() {
    let compiled = fixbook::compile(&repo_root(), SiteOptions::default())
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics()));
    let library = &compiled.library;
    assert!(
        library.articles.len() >= 12 && library.fixes.len() >= 25 && library.statuses.len() >= 6
    );
    for fix in &library.fixes {
        assert!(
            library
                .articles
                .iter()
                .any(|a| a.fixes.iter().any(|f| f.value == fix.slug)),
            "fix {} unused",
            fix.slug
        );
    }
    for status in &library.statuses {
        assert!(
            library
                .articles
                .iter()
                .any(|a| a.status_messages.iter().any(|s| s.value == status.slug)),
            "status {} not shown by any article",
            status.slug
        );
    }
}
