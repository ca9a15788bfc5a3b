//! `fixbook init` and `fixbook new`: a new site builds and passes `check --strict` as it is;
//! new content files are valid, dated today, never overwrite, and take valid ids only.

use std::path::Path;

use crate::support::{fixbook, stderr, stdout};

fn run(args: &[&str]) -> std::process::Output {
    fixbook(args)
}

fn init(dir: &Path) -> std::process::Output {
    run(&["init", &dir.to_string_lossy()])
}

fn new(root: &Path, kind: &str, slug: &str) -> std::process::Output {
    run(&["--root", &root.to_string_lossy(), "new", kind, slug])
}

fn today() -> String {
    fixbook::scaffold::today().to_string()
}

#[test]
fn init_creates_a_site_that_builds_and_passes_check_strict() {
    let parent = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = parent.path().join("help");
    let created = init(&site);
    assert_eq!(created.status.code(), Some(0), "{}", stderr(&created));
    for file in [
        "fixbook.toml",
        "content/articles/changes-do-not-sync.md",
        "content/fixes/check-connection.md",
        "content/status/waiting-to-sync.md",
    ] {
        assert!(site.join(file).is_file(), "{file} missing");
    }
    let root = site.to_string_lossy();
    let checked = run(&["--root", &root, "check", "--strict"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    assert!(
        !stderr(&checked).contains("warning"),
        "{}",
        stderr(&checked)
    );
    let out = parent.path().join("public");
    let built = run(&["--root", &root, "build", "--output", &out.to_string_lossy()]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    for page in [
        "index.html",
        "articles/changes-do-not-sync/index.html",
        "fixes/check-connection/index.html",
        "status/waiting-to-sync/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    let article = std::fs::read_to_string(site.join("content/articles/changes-do-not-sync.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(article.contains(&format!("date: {}\n", today())));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap_or_else(|e| panic!("{e}"));
    let refused = init(dir.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("is not empty"),
        "{}",
        stderr(&refused)
    );
    assert!(!dir.path().join("fixbook.toml").exists());
}

#[test]
fn new_writes_valid_dated_files_of_each_kind() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = dir.path().join("site");
    assert!(init(&site).status.success());
    for (kind, slug, path) in [
        (
            "article",
            "printer-jams",
            "content/articles/printer-jams.md",
        ),
        ("fix", "reset-network", "content/fixes/reset-network.md"),
        ("status", "not-connected", "content/status/not-connected.md"),
    ] {
        let created = new(&site, kind, slug);
        assert_eq!(created.status.code(), Some(0), "{}", stderr(&created));
        assert_eq!(stdout(&created).trim(), site.join(path).to_string_lossy());
        let text = std::fs::read_to_string(site.join(path)).unwrap_or_else(|e| panic!("{e}"));
        assert!(text.starts_with("---\n# "), "fields are explained: {text}");
        assert!(
            text.contains("platforms: [windows, mac, iphone, android]"),
            "{text}"
        );
    }
    let article = std::fs::read_to_string(site.join("content/articles/printer-jams.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(article.contains(&format!("\ndate: {}\n", today())));
    assert!(article.contains("\ntitle: Printer jams\n"));
    // Valid: no errors. A new fix and status message are not used by anything yet, which
    // is a warning until an article lists them.
    let checked = run(&["--root", &site.to_string_lossy(), "check"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    assert!(!stderr(&checked).contains("error:"), "{}", stderr(&checked));
}

#[test]
fn new_refuses_to_overwrite_or_reuse_an_id() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = dir.path().join("site");
    assert!(init(&site).status.success());
    let existing = site.join("content/articles/changes-do-not-sync.md");
    let before = std::fs::read_to_string(&existing).unwrap_or_else(|e| panic!("{e}"));
    let refused = new(&site, "article", "changes-do-not-sync");
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("already exists"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read_to_string(&existing).ok(), Some(before));

    std::fs::create_dir_all(site.join("content/fixes/archive")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        site.join("content/fixes/archive/old-fix.md"),
        "---\ntitle: Old\nrisk: low\nplatforms: [mac]\n---\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let nested = new(&site, "fix", "old-fix");
    assert_eq!(nested.status.code(), Some(2));
    assert!(
        stderr(&nested).contains("content/fixes/archive/old-fix.md"),
        "{}",
        stderr(&nested)
    );
    assert!(!site.join("content/fixes/old-fix.md").exists());
}

#[test]
fn new_validates_the_id() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = dir.path().join("site");
    assert!(init(&site).status.success());
    for bad in ["Printer Jams", "../escape", "a--b", "x-"] {
        let refused = new(&site, "article", bad);
        assert_eq!(refused.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&refused).contains("is not a valid article id"),
            "{}",
            stderr(&refused)
        );
    }
    let suggestion = new(&site, "status", "Waiting To Upload");
    assert!(
        stderr(&suggestion).contains("e.g. `waiting-to-upload`"),
        "{}",
        stderr(&suggestion)
    );
    assert!(!site.join("escape.md").exists() && !site.join("content/escape.md").exists());
}

#[test]
fn new_outside_a_site_points_at_init() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let refused = new(dir.path(), "article", "x");
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("fixbook init DIR"),
        "{}",
        stderr(&refused)
    );
}
