//! Rendered HTML of each page kind, reviewed like code (`cargo insta review`).

use crate::support::{fixbook, fixture};

fn built() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = fixbook(&[
        "--root",
        &fixture("valid-site").to_string_lossy(),
        "build",
        "--output",
        &out.path().to_string_lossy(),
    ]);
    assert!(output.status.success());
    out
}

/// The page's HTML with the generator's version masked, so that a release changes no
/// snapshot.
fn page(out: &tempfile::TempDir, path: &str) -> String {
    std::fs::read_to_string(out.path().join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .replace(
            concat!("fixbook ", env!("CARGO_PKG_VERSION")),
            "fixbook [version]",
        )
}

#[test]
fn article_page() {
    let out = built();
    insta::assert_snapshot!(page(&out, "articles/printer-offline/index.html"));
}

#[test]
fn fix_page() {
    let out = built();
    insta::assert_snapshot!(page(&out, "fixes/restart-printer/index.html"));
}

#[test]
fn status_page() {
    let out = built();
    insta::assert_snapshot!(page(&out, "status/offline/index.html"));
}

#[test]
fn home_page() {
    let out = built();
    insta::assert_snapshot!(page(&out, "index.html"));
}
