//! Guides under incremental rebuilds: after editing an article's fixes, a fix, or a guide,
//! the rebuilt site is byte for byte what a full build of the same files gives.

use std::path::{Path, PathBuf};

use fixbook::config::Config;
use fixbook::incremental::{Changes, Incremental, Update};
use fixbook::site::SiteOptions;

use crate::guides::{GUIDE, guide_site};

const OPTIONS: SiteOptions = SiteOptions { live_reload: false };

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    path
}

fn replace(root: &Path, rel: &str, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert!(text.contains(from), "{rel} has no {from:?}");
    write(root, rel, &text.replacen(from, to, 1))
}

fn assert_matches_full_build(root: &Path, site: &Incremental<'_>, update: &Update, what: &str) {
    let full = fixbook::compile(root, OPTIONS)
        .unwrap_or_else(|f| panic!("{what}: the full build fails: {:#?}", f.diagnostics()));
    let mut files = (*update.files).clone();
    let search = site
        .search_inputs()
        .static_files()
        .unwrap_or_else(|d| panic!("{what}: the search stage fails: {d:?}"));
    for file in search {
        files.insert(file.path, file.bytes.into());
    }
    let rebuilt: Vec<&str> = files.keys().map(String::as_str).collect();
    let built: Vec<&str> = full.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(rebuilt, built, "{what}: the rebuilt site has other files");
    for file in &full.files {
        assert!(
            files[&file.path][..] == file.bytes[..],
            "{what}: {} differs from a full build:\n--- rebuilt\n{}\n--- full\n{}",
            file.path,
            String::from_utf8_lossy(&files[&file.path]),
            String::from_utf8_lossy(&file.bytes)
        );
    }
    assert_eq!(update.warnings, full.warnings, "{what}");
}

type Edit = dyn Fn(&Path) -> Vec<PathBuf>;

#[test]
fn rebuilds_after_editing_fixes_and_guides_equal_full_builds() {
    let dir = guide_site(Some(GUIDE));
    let root = dir.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
    let config = Config::load(&root).unwrap_or_else(|d| panic!("{d:#?}"));
    let mut site = Incremental::new(&root, &config, OPTIONS);
    let first = site
        .rebuild(&Changes::everything())
        .unwrap_or_else(|f| panic!("{:#?}", f.diagnostics()));
    assert_matches_full_build(&root, &site, &first, "the first build");
    let article = "content/articles/printer-offline.md";
    let guide = "content/guides/printer-trouble.md";
    let steps: Vec<(&str, &str, Box<Edit>)> = vec![
        (
            "an article's fixes reordered and one removed",
            "articles/printer-offline/guide/index.html",
            Box::new(move |root| {
                vec![replace(
                    root,
                    article,
                    "fixes: [reinstall-driver, restart-printer, check-cable]",
                    "fixes: [check-cable, reinstall-driver]",
                )]
            }),
        ),
        (
            "a fix becomes high risk",
            "articles/printer-offline/guide/index.html",
            Box::new(|root| {
                vec![replace(
                    root,
                    "content/fixes/check-cable.md",
                    "risk: low",
                    "risk: high\nwarning: Unplugging it cancels the jobs in the queue.",
                )]
            }),
        ),
        (
            "an article gains its first fix, and with it a guide",
            "articles/printer-basics/guide/index.html",
            Box::new(|root| {
                vec![replace(
                    root,
                    "content/articles/printer-basics.md",
                    "platforms: [windows, mac]\n",
                    "platforms: [windows, mac]\nfixes: [restart-printer]\n",
                )]
            }),
        ),
        (
            "a guide's answer reworded and sent elsewhere",
            "guides/printer-trouble/index.html",
            Box::new(move |root| {
                vec![replace(
                    root,
                    guide,
                    "      - answer: It has no cable\n        article: printer-basics",
                    "      - answer: It is wireless\n        fix: restart-printer",
                )]
            }),
        ),
        (
            "a guide retitled",
            "guides/index.html",
            Box::new(move |root| {
                vec![replace(
                    root,
                    guide,
                    "title: What is wrong with the printer?",
                    "title: Printer trouble?",
                )]
            }),
        ),
        (
            "a second guide",
            "guides/second/index.html",
            Box::new(|root| {
                vec![write(
                    root,
                    "content/guides/second.md",
                    "---\ntitle: Second\nquestions:\n  - id: only\n    ask: Offline?\n    answers:\n      - answer: Yes\n        article: printer-offline\n---\n",
                )]
            }),
        ),
        (
            "every guide removed",
            "index.html",
            Box::new(move |root| {
                let paths = vec![root.join(guide), root.join("content/guides/second.md")];
                for path in &paths {
                    std::fs::remove_file(path).unwrap_or_else(|e| panic!("{e}"));
                }
                paths
            }),
        ),
    ];
    for (what, page, edit) in steps {
        let paths = edit(&root);
        let update = site
            .rebuild(&Changes::from_paths(&root, paths))
            .unwrap_or_else(|f| panic!("{what}: {:#?}", f.diagnostics()));
        assert!(
            update.changed.iter().any(|c| c == page),
            "{what}: {page} not in {:?}",
            update.changed
        );
        assert_matches_full_build(&root, &site, &update, what);
    }
}
