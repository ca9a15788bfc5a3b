//! The build cache (`.fixbook/cache/build.bin`): a rebuild with it gives exactly the site a
//! cold build of the same files gives, keeps what did not change, never reuses work across
//! a config or template change, and survives a damaged cache file.

use std::path::{Path, PathBuf};

use crate::support::{
    build_into, build_reporting, copy_fixture, copy_tree, fixbook, snapshot_tree, stderr,
};

const CACHE: &str = ".fixbook/cache/build.bin";
const PAGES: &str = ".fixbook/cache/pages.bin";

/// Builds `root` into `out`, returning the build's summary line and its warnings.
fn build(root: &Path, out: &Path) -> (String, String) {
    let err = build_reporting(root, out);
    let summary = err
        .lines()
        .find(|l| l.starts_with("built "))
        .unwrap_or_else(|| panic!("no summary in {err}"))
        .to_owned();
    (summary, err)
}

/// A copy of the valid fixture, and a folder of its own for outputs (`site` in it first).
fn fixture_with_output() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let site = copy_fixture("valid-site");
    let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = folder.path().join("site");
    (site, folder, out)
}

/// The site a build without any cache gives for the files now at `root`.
fn cold_build_of(root: &Path) -> Vec<(String, Vec<u8>)> {
    let copy = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(root, copy.path());
    std::fs::remove_dir_all(copy.path().join(".fixbook")).unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = out.path().join("site");
    build_into(copy.path(), &out);
    snapshot_tree(&out)
}

fn replace(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap_or_else(|e| panic!("{e}"));
}

fn kept(summary: &str) -> usize {
    summary
        .split(", ")
        .find_map(|part| part.strip_suffix(" unchanged pages kept"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_title_edit_keeps_the_other_pages_and_matches_a_cold_build() {
    let (site, _folder, out) = fixture_with_output();
    let (first, _) = build(site.path(), &out);
    assert_eq!(kept(&first), 0, "{first}");
    assert!(site.path().join(CACHE).is_file());

    replace(
        site.path(),
        "content/articles/printer-offline.md",
        "title: Printer shows as offline",
        "title: Printer says it is offline",
    );
    let (second, warnings) = build(site.path(), &out);
    assert!(!warnings.contains("build cache"), "{warnings}");
    // Pages that show the title (the article, listings, tags) are made again; the rest,
    // such as other articles and fixes that do not list it, are kept.
    assert!(kept(&second) > 0, "{second}");
    let rebuilt = snapshot_tree(&out);
    assert_eq!(rebuilt, cold_build_of(site.path()));
    let page = std::fs::read_to_string(out.join("articles/printer-offline/index.html"))
        .unwrap_or_default();
    assert!(page.contains("Printer says it is offline"));
}

#[test]
fn a_config_change_reuses_no_page() {
    let (site, _folder, out) = fixture_with_output();
    build(site.path(), &out);
    let (unchanged, _) = build(site.path(), &out);
    assert!(kept(&unchanged) > 0, "{unchanged}");

    replace(
        site.path(),
        "fixbook.toml",
        "title = \"Printer Help\"",
        "title = \"Print Desk\"",
    );
    let (changed, _) = build(site.path(), &out);
    assert_eq!(kept(&changed), 0, "{changed}");
    let rebuilt = snapshot_tree(&out);
    assert_eq!(rebuilt, cold_build_of(site.path()));
    let home = std::fs::read_to_string(out.join("index.html")).unwrap_or_default();
    assert!(home.contains("Print Desk") && !home.contains("Printer Help"));
}

#[test]
fn a_template_change_reuses_no_page() {
    let (site, _folder, out) = fixture_with_output();
    build(site.path(), &out);

    let ejected = fixbook(&[
        "--root",
        &site.path().to_string_lossy(),
        "theme",
        "eject",
        "base.html",
    ]);
    assert!(ejected.status.success(), "{}", stderr(&ejected));
    replace(
        site.path(),
        "templates/base.html",
        "<body",
        "<body data-desk=\"print\"",
    );
    let (changed, _) = build(site.path(), &out);
    assert_eq!(kept(&changed), 0, "{changed}");
    let fix =
        std::fs::read_to_string(out.join("fixes/restart-printer/index.html")).unwrap_or_default();
    assert!(fix.contains("data-desk=\"print\""), "{fix}");
    assert_eq!(snapshot_tree(&out), cold_build_of(site.path()));
}

#[test]
fn a_damaged_cache_is_reported_and_what_it_held_is_built_again() {
    let (site, _folder, out) = fixture_with_output();
    build(site.path(), &out);

    let cases = [
        (CACHE, "every body is rendered again"),
        (PAGES, "every page is built again"),
    ];
    for (file, redone) in cases {
        let cache = site.path().join(file);
        let bytes = std::fs::read(&cache).unwrap_or_default();
        assert!(bytes.len() > 100, "{file}");
        for damaged in [bytes[..bytes.len() / 2].to_vec(), {
            let mut flipped = bytes.clone();
            flipped[bytes.len() / 3] ^= 0x55;
            flipped
        }] {
            std::fs::write(&cache, &damaged).unwrap_or_else(|e| panic!("{e}"));
            replace(
                site.path(),
                "content/fixes/restart-printer.md",
                "\n---\n",
                "\n---\n\nFirst, save your work.\n",
            );
            let (summary, warnings) = build(site.path(), &out);
            assert!(
                warnings.contains(&format!(
                    "warning: the build cache `{file}` is damaged (its contents do not match \
                     its checksum): {redone}"
                )),
                "{warnings}"
            );
            if file == PAGES {
                assert_eq!(kept(&summary), 0, "{summary}");
            }
            assert_eq!(snapshot_tree(&out), cold_build_of(site.path()));

            // That build stored a good file: the next one reads it without a word.
            let (next, quiet) = build(site.path(), &out);
            assert!(!quiet.contains("build cache"), "{quiet}");
            assert!(kept(&next) > 0, "{next}");
        }
    }
}

#[test]
fn the_cache_forgets_what_is_gone_and_a_restored_cache_builds_into_a_fresh_folder() {
    let (site, folder, out) = fixture_with_output();
    let again = site.path().join("content/articles/paper-jam-again.md");
    std::fs::copy(
        site.path()
            .join("content/articles/paper-jam-keeps-coming-back.md"),
        &again,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    build(site.path(), &out);
    std::fs::remove_file(&again).unwrap_or_else(|e| panic!("{e}"));
    build(site.path(), &out);
    let warm = std::fs::read(site.path().join(CACHE)).unwrap_or_default();

    // A cold build of the same files stores the same cache: nothing of the removed
    // article is left in the warm one.
    let cold = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    copy_tree(site.path(), cold.path());
    std::fs::remove_dir_all(cold.path().join(".fixbook")).unwrap_or_else(|e| panic!("{e}"));
    build(cold.path(), &folder.path().join("cold"));
    assert_eq!(
        warm,
        std::fs::read(cold.path().join(CACHE)).unwrap_or_default()
    );

    // CI restores only `.fixbook/` and builds into a fresh folder: the result is the same.
    let fresh = folder.path().join("fresh");
    build(site.path(), &fresh);
    assert_eq!(snapshot_tree(&fresh), snapshot_tree(&out));
}
