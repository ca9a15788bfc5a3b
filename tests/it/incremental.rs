//! Incremental rebuilds: after every kind of edit, the rebuilt site is byte for byte the
//! site a full build of the same files gives, and an edit renders only what depends on it.

use std::path::{Path, PathBuf};

use fixbook::config::Config;
use fixbook::incremental::{Changes, Incremental, Update};
use fixbook::site::SiteOptions;

use crate::support::copy_fixture;

const OPTIONS: SiteOptions = SiteOptions { live_reload: true };

/// A copy of a fixture with its incremental build, edited step by step.
struct Session {
    dir: tempfile::TempDir,
    root: PathBuf,
}

impl Session {
    fn new(fixture: &str) -> Self {
        let dir = copy_fixture(fixture);
        let root = dir.path().canonicalize().unwrap_or_else(|e| panic!("{e}"));
        Session { dir, root }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        path
    }

    fn replace(&self, rel: &str, from: &str, to: &str) -> PathBuf {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    fn remove(&self, rel: &str) -> PathBuf {
        let path = self.path(rel);
        std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        path
    }

    fn changes(&self, paths: &[PathBuf]) -> Changes {
        Changes::from_paths(&self.root, paths.iter().cloned())
    }

    /// Asserts that `update`, with the search stage that follows it, is exactly what a
    /// full build of the folder gives.
    fn assert_matches_full_build(&self, site: &Incremental<'_>, update: &Update) {
        let full = fixbook::compile(&self.root, OPTIONS)
            .unwrap_or_else(|f| panic!("the full build fails: {:#?}", f.diagnostics()));
        let mut files = (*update.files).clone();
        let search = site
            .search_inputs()
            .static_files()
            .unwrap_or_else(|d| panic!("the search stage fails: {d:?}"));
        for file in search {
            files.insert(file.path, file.bytes.into());
        }
        let rebuilt: Vec<&str> = files.keys().map(String::as_str).collect();
        let built: Vec<&str> = full.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(rebuilt, built, "the rebuilt site has other files");
        for file in &full.files {
            let bytes = &files[&file.path];
            assert!(
                bytes[..] == file.bytes[..],
                "{} differs from a full build:\n--- rebuilt\n{}\n--- full\n{}",
                file.path,
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&file.bytes)
            );
        }
        assert_eq!(update.warnings, full.warnings);
    }
}

/// An edit of the site: returns the paths it touched.
type Edit = dyn Fn(&Session) -> Vec<PathBuf>;

fn rebuild(site: &mut Incremental<'_>, changes: &Changes) -> Update {
    site.rebuild(changes)
        .unwrap_or_else(|f| panic!("the rebuild fails: {:#?}", f.diagnostics()))
}

/// The site of `session`, built once.
fn started<'c>(session: &Session, config: &'c Config) -> Incremental<'c> {
    let mut site = Incremental::new(&session.root, config, OPTIONS);
    rebuild(&mut site, &Changes::everything());
    site
}

fn config(session: &Session) -> Config {
    Config::load(&session.root).unwrap_or_else(|d| panic!("{d:#?}"))
}

#[test]
fn rebuilds_after_adding_changing_renaming_and_deleting_articles_equal_full_builds() {
    let s = Session::new("valid-site");
    let config = config(&s);
    let mut site = Incremental::new(&s.root, &config, OPTIONS);
    let first = rebuild(&mut site, &Changes::everything());
    s.assert_matches_full_build(&site, &first);

    let steps: Vec<(&str, Box<Edit>)> = vec![
        (
            "a body edit",
            Box::new(|s| {
                vec![s.replace(
                    "content/articles/printer-offline.md",
                    "every few seconds",
                    "every minute",
                )]
            }),
        ),
        (
            "a title edit",
            Box::new(|s| {
                vec![s.replace(
                    "content/articles/printer-offline.md",
                    "title: Printer shows as offline",
                    "title: Printer says offline",
                )]
            }),
        ),
        (
            "a new article with a new tag",
            Box::new(|s| {
                vec![s.write(
                    "content/articles/toner-low.md",
                    "---\ntitle: Toner low warning\ndate: 2025-05-01\nplatforms: [mac]\ntags: [supplies, hardware]\nsymptoms:\n  - Pages come out faint\nstatus_messages: [offline]\nfixes: [restart-printer, check-cable]\nrelated: [printer-offline]\n---\n\nFaint pages mean the toner is low. See [the cable fix](../fixes/check-cable.md).\n",
                )]
            }),
        ),
        (
            "a renamed article",
            Box::new(|s| {
                let text = s.read("content/articles/toner-low.md");
                vec![
                    s.remove("content/articles/toner-low.md"),
                    s.write("content/articles/toner-running-out.md", &text),
                ]
            }),
        ),
        (
            "the renamed article keeps its old address",
            Box::new(|s| {
                vec![s.replace(
                    "content/articles/toner-running-out.md",
                    "title: Toner low warning",
                    "aliases: [toner-low]\ntitle: Toner low warning",
                )]
            }),
        ),
        (
            "a status message's old address, beside its spellings",
            Box::new(|s| {
                vec![s.replace(
                    "content/status/offline.md",
                    "aliases: [\"Offline\"]",
                    "aliases: [\"Offline\", /status/printer-offline/]",
                )]
            }),
        ),
        (
            "a link to the renamed article",
            Box::new(|s| {
                vec![s.replace(
                    "content/articles/paper-jam-keeps-coming-back.md",
                    "if the printer",
                    "or [the toner page](toner-running-out.md) if the printer",
                )]
            }),
        ),
        (
            "a fix many pages use, changed",
            Box::new(|s| {
                vec![s.replace(
                    "content/fixes/check-cable.md",
                    "title: Check the cable\nrisk: low",
                    "title: Reseat both cable ends\nrisk: medium",
                )]
            }),
        ),
        (
            "a status message, reworded",
            Box::new(|s| {
                vec![s.replace(
                    "content/status/paper-jam.md",
                    "message: Paper Jam",
                    "message: Paper jam in tray 2",
                )]
            }),
        ),
        (
            "a platform dropped from a status message",
            Box::new(|s| {
                vec![s.replace(
                    "content/status/offline.md",
                    "platforms: [windows, mac]",
                    "platforms: [windows]",
                )]
            }),
        ),
        (
            "a deleted article",
            Box::new(|s| {
                vec![
                    s.remove("content/articles/toner-running-out.md"),
                    s.replace(
                        "content/articles/paper-jam-keeps-coming-back.md",
                        "or [the toner page](toner-running-out.md) ",
                        "",
                    ),
                ]
            }),
        ),
        (
            "a nested folder",
            Box::new(|s| {
                vec![s.write(
                    "content/articles/archive/old-driver.md",
                    "---\ntitle: Old driver\ndate: 2020-01-01\nplatforms: [windows]\ntags: [Printing Basics]\nfixes: [reinstall-driver]\n---\n\nOlder drivers stop printing after an update.\n",
                )]
            }),
        ),
        (
            "a template override",
            Box::new(|s| {
                vec![s.write(
                    "templates/partials/footer.html",
                    "<footer class=\"site-footer\"><p>Local footer for {{ site.title }}</p></footer>\n",
                )]
            }),
        ),
        (
            "a template override removed",
            Box::new(|s| vec![s.remove("templates/partials/footer.html")]),
        ),
        (
            // Components are global: no page names the file, and drawn cards use them.
            "a component override",
            Box::new(|s| {
                vec![s.write(
                    "templates/partials/site-components.html",
                    "{% component duration(text) -%}\n{%- if text %}<span class=\"meta-item duration\">about {{ text }}</span>{% endif -%}\n{%- endcomponent duration %}\n",
                )]
            }),
        ),
        (
            "a component override removed",
            Box::new(|s| vec![s.remove("templates/partials/site-components.html")]),
        ),
        (
            "a static file",
            Box::new(|s| vec![s.write("static/CNAME", "help.example.org\n")]),
        ),
        (
            "a static robots.txt, which replaces the generated one",
            Box::new(|s| vec![s.write("static/robots.txt", "User-agent: *\nDisallow: /\n")]),
        ),
        (
            "a static robots.txt removed, which brings the generated one back",
            Box::new(|s| vec![s.remove("static/robots.txt")]),
        ),
        (
            "a static file changed",
            Box::new(|s| vec![s.write("static/CNAME", "kb.example.org\n")]),
        ),
    ];
    for (what, edit) in steps {
        let paths = edit(&s);
        let update = rebuild(&mut site, &s.changes(&paths));
        assert!(!update.changed.is_empty(), "{what}: nothing changed");
        s.assert_matches_full_build(&site, &update);
    }
    drop(s.dir);
}

#[test]
fn a_body_edit_renders_only_the_article_page() {
    let s = Session::new("valid-site");
    let config = config(&s);
    let mut site = started(&s, &config);
    let path = s.replace(
        "content/articles/printer-offline.md",
        "every few seconds",
        "every minute",
    );
    let update = rebuild(&mut site, &s.changes(&[path]));
    assert_eq!(update.changed, ["articles/printer-offline/index.html"]);
    assert_eq!(update.stats.files_read, 1);
    assert_eq!(update.stats.bodies_rendered, 1);
    assert!(!update.stats.walked);
    assert!(update.stats.pages_rendered <= 2, "{:?}", update.stats);
    s.assert_matches_full_build(&site, &update);
}

#[test]
fn a_fix_title_edit_renders_the_pages_that_show_the_fix() {
    let s = Session::new("valid-site");
    let config = config(&s);
    let mut site = started(&s, &config);
    let path = s.replace(
        "content/fixes/restart-printer.md",
        "title: Restart the printer",
        "title: Power-cycle the printer",
    );
    let update = rebuild(&mut site, &s.changes(&[path]));
    for page in [
        "fixes/restart-printer/index.html",
        "fixes/index.html",
        "articles/printer-offline/index.html",
        "status/offline/index.html",
        "platforms/mac/index.html",
        "platforms/windows/index.html",
    ] {
        assert!(
            update.changed.iter().any(|c| c == page),
            "{page} not in {:?}",
            update.changed
        );
    }
    assert!(
        !update
            .changed
            .iter()
            .any(|c| c == "articles/paper-jam-keeps-coming-back/index.html"),
        "an article without the fix was rendered again"
    );
    s.assert_matches_full_build(&site, &update);
}

#[test]
fn a_broken_edit_fails_like_a_full_build_and_the_fix_recovers() {
    let s = Session::new("valid-site");
    let config = config(&s);
    let mut site = started(&s, &config);
    let broken = s.replace(
        "content/articles/printer-offline.md",
        "fixes: [reinstall-driver",
        "fixes: [reinstal-driver",
    );
    let failure = site
        .rebuild(&s.changes(&[broken]))
        .err()
        .unwrap_or_else(|| panic!("a dangling fix id must fail"));
    let full = fixbook::compile(&s.root, OPTIONS)
        .err()
        .unwrap_or_else(|| panic!("the full build must fail too"));
    assert_eq!(failure.diagnostics(), full.diagnostics());

    let yaml = s.replace("content/fixes/check-cable.md", "risk: low", "risk: [low");
    let failure = site
        .rebuild(&s.changes(&[yaml]))
        .err()
        .unwrap_or_else(|| panic!("bad YAML must fail"));
    let full = fixbook::compile(&s.root, OPTIONS)
        .err()
        .unwrap_or_else(|| panic!("the full build must fail too"));
    assert_eq!(failure.diagnostics(), full.diagnostics());

    let fixed = [
        s.replace(
            "content/articles/printer-offline.md",
            "reinstal-driver",
            "reinstall-driver",
        ),
        s.replace("content/fixes/check-cable.md", "risk: [low", "risk: low"),
    ];
    let update = rebuild(&mut site, &s.changes(&fixed));
    s.assert_matches_full_build(&site, &update);
}

#[test]
fn a_link_to_a_missing_file_resolves_once_the_file_exists() {
    let s = Session::new("valid-site");
    let config = config(&s);
    let mut site = started(&s, &config);
    let linking = s.replace(
        "content/fixes/check-cable.md",
        "at both ends.",
        "at both ends, or [replace it](replace-cable.md).",
    );
    assert!(site.rebuild(&s.changes(&[linking])).is_err());
    let created = s.write(
        "content/fixes/replace-cable.md",
        "---\ntitle: Replace the cable\nrisk: low\nplatforms: [windows, mac]\n---\n\nA new cable rules out a broken one.\n",
    );
    let update = rebuild(&mut site, &s.changes(&[created]));
    s.assert_matches_full_build(&site, &update);
}

#[test]
fn a_touched_file_renders_nothing_new() {
    let s = Session::new("valid-site");
    let config = config(&s);
    let mut site = started(&s, &config);
    let text = s.read("content/status/offline.md");
    let path = s.write("content/status/offline.md", &text);
    let update = rebuild(&mut site, &s.changes(&[path]));
    assert_eq!(update.changed, Vec::<String>::new());
    assert_eq!(update.stats.pages_rendered, 0);
}

#[test]
fn watcher_paths_are_sorted_by_what_they_rebuild() {
    let root = Path::new("/site");
    let changes = Changes::from_paths(
        root,
        [
            "/site/fixbook.toml",
            "/site/templates/base.html",
            "/site/content/articles/a.md",
            "/site/content/articles/.a.md.swp",
            "/site/public/index.html",
            "/elsewhere/content/b.md",
        ]
        .map(PathBuf::from),
    );
    assert!(changes.config && changes.templates && !changes.everything);
    assert!(!changes.statics);
    assert_eq!(
        changes.content.into_iter().collect::<Vec<_>>(),
        [PathBuf::from("/site/content/articles/a.md")]
    );
    let statics = Changes::from_paths(root, [PathBuf::from("/site/static/img/logo.svg")]);
    assert!(statics.statics && !statics.is_empty());
    let hidden = Changes::from_paths(root, [PathBuf::from("/site/static/.DS_Store")]);
    assert!(hidden.is_empty());
}

#[test]
fn a_template_edit_renders_only_the_pages_that_use_it() {
    let s = Session::new("valid-site");
    let config = config(&s);
    let mut site = started(&s, &config);
    let builtin = std::fs::read_to_string(crate::support::repo_root().join("templates/tag.html"))
        .unwrap_or_else(|e| panic!("{e}"));
    let changed_tag_template = builtin.replacen("{% block", "{# local #}{% block", 1);
    assert_ne!(changed_tag_template, builtin);
    let path = s.write(
        "templates/tag.html",
        &changed_tag_template.replacen("</h1>", " (local)</h1>", 1),
    );
    let update = rebuild(&mut site, &s.changes(&[path]));
    assert!(!update.changed.is_empty());
    assert!(
        update
            .changed
            .iter()
            .all(|p| p.starts_with("tags/") && p != "tags/index.html"),
        "{:?}",
        update.changed
    );
    assert_eq!(update.stats.pages_rendered, 3, "{:?}", update.stats);
    s.assert_matches_full_build(&site, &update);
}

#[test]
fn list_pages_follow_articles_that_are_added_retitled_and_deleted() {
    let s = Session::new("valid-site");
    s.replace(
        "fixbook.toml",
        "language = \"en\"",
        "language = \"en\"\npaginate_by = 1",
    );
    let config = config(&s);
    assert_eq!(config.paginate_by, 1);
    let mut site = Incremental::new(&s.root, &config, OPTIONS);
    let first = rebuild(&mut site, &Changes::everything());
    s.assert_matches_full_build(&site, &first);
    assert!(first.files.contains_key("articles/page/2/index.html"));
    assert!(!first.files.contains_key("articles/page/3/index.html"));

    let added = s.write(
        "content/articles/a-toner-warning.md",
        "---\ntitle: A toner warning\ndate: 2025-05-01\nplatforms: [mac]\ntags: [hardware]\nstatus_messages: [offline]\nfixes: [restart-printer]\n---\n\nFaint pages mean the toner is low.\n",
    );
    let update = rebuild(&mut site, &s.changes(&[added]));
    s.assert_matches_full_build(&site, &update);
    assert!(update.files.contains_key("articles/page/3/index.html"));

    let retitled = s.replace(
        "content/articles/a-toner-warning.md",
        "title: A toner warning",
        "title: Zebra stripes on every page",
    );
    let update = rebuild(&mut site, &s.changes(&[retitled]));
    s.assert_matches_full_build(&site, &update);

    let deleted = s.remove("content/articles/a-toner-warning.md");
    let update = rebuild(&mut site, &s.changes(&[deleted]));
    s.assert_matches_full_build(&site, &update);
    assert!(!update.files.contains_key("articles/page/3/index.html"));
    assert!(
        update
            .changed
            .iter()
            .any(|p| p == "articles/page/3/index.html")
    );
}

#[test]
fn adding_editing_and_removing_aliases_updates_redirects_like_a_full_build() {
    let s = Session::new("valid-site");
    let config = config(&s);
    let mut site = Incremental::new(&s.root, &config, OPTIONS);
    let first = rebuild(&mut site, &Changes::everything());
    s.assert_matches_full_build(&site, &first);
    let article = "content/articles/paper-jam-keeps-coming-back.md";
    let steps: [(&str, &str, &[&str]); 3] = [
        (
            "title:",
            "aliases: [jam, /old/jam.html]\ntitle:",
            &[
                "_redirects",
                "articles/jam/index.html",
                "old/jam.html",
                "redirects.nginx.conf",
            ],
        ),
        (
            "aliases: [jam, /old/jam.html]",
            "aliases: [paper-jams, /old/jam.html]",
            &[
                "_redirects",
                "articles/jam/index.html",
                "articles/paper-jams/index.html",
                "redirects.nginx.conf",
            ],
        ),
        (
            "aliases: [paper-jams, /old/jam.html]\n",
            "",
            &[
                "_redirects",
                "articles/paper-jams/index.html",
                "old/jam.html",
                "redirects.nginx.conf",
            ],
        ),
    ];
    for (from, to, expected) in steps {
        let touched = s.replace(article, from, to);
        let update = rebuild(&mut site, &s.changes(&[touched]));
        s.assert_matches_full_build(&site, &update);
        let changed: Vec<&str> = update
            .changed
            .iter()
            .map(String::as_str)
            .filter(|p| !p.starts_with("articles/paper-jam-keeps-coming-back/"))
            .collect();
        assert_eq!(changed, expected, "after {to:?}");
    }
}

#[test]
fn an_added_article_is_published_before_the_lists_that_follow_it() {
    let s = Session::new("valid-site");
    let config = config(&s);
    let mut site = started(&s, &config).deferring_lists(0);
    let path = s.write(
        "content/articles/toner-low.md",
        "---\ntitle: Toner low warning\ndate: 2025-05-01\nplatforms: [mac]\ntags: [hardware]\nsymptoms:\n  - Pages come out faint\nfixes: [check-cable]\n---\n\nFaint pages mean the toner is low.\n",
    );
    let first = rebuild(&mut site, &s.changes(&[path]));
    // Created in place: no walk of content/ was needed to find it.
    assert!(!first.stats.walked, "{:?}", first.stats);
    assert!(
        first
            .changed
            .iter()
            .any(|c| c == "articles/toner-low/index.html")
    );
    assert!(first.deferred > 0, "{first:?}");
    for list in [
        "articles/index.html",
        "sitemap.xml",
        "tags/hardware/index.html",
    ] {
        assert!(
            !first.changed.iter().any(|c| c == list),
            "{list} was not put off"
        );
    }
    // The next rebuild, with nothing new, renders the lists and matches a full build.
    let rest = rebuild(&mut site, &Changes::default());
    assert_eq!(rest.deferred, 0);
    for list in [
        "articles/index.html",
        "sitemap.xml",
        "tags/hardware/index.html",
    ] {
        assert!(
            rest.changed.iter().any(|c| c == list),
            "{list} not in {:?}",
            rest.changed
        );
    }
    s.assert_matches_full_build(&site, &rest);

    // Deleted, likewise: found gone without a walk, and the lists follow.
    let gone = s.remove("content/articles/toner-low.md");
    let first = rebuild(&mut site, &s.changes(&[gone]));
    assert!(!first.stats.walked, "{:?}", first.stats);
    assert!(
        first
            .changed
            .iter()
            .any(|c| c == "articles/toner-low/index.html")
    );
    let rest = rebuild(&mut site, &Changes::default());
    s.assert_matches_full_build(&site, &rest);
}

#[test]
fn a_new_file_discovery_would_report_is_found_by_a_walk() {
    let s = Session::new("valid-site");
    let config = config(&s);
    let mut site = started(&s, &config);
    // An invalid id: only the walk gives its diagnostic, as a full build would.
    let path = s.write(
        "content/articles/Toner_Low.md",
        "---\ntitle: Toner low\ndate: 2025-05-01\nplatforms: [mac]\n---\n\nLow.\n",
    );
    let failure = site.rebuild(&s.changes(&[path])).err();
    let messages: Vec<String> = failure
        .iter()
        .flat_map(|f| f.diagnostics())
        .map(|d| d.message.clone())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`Toner_Low` is not a valid")),
        "{messages:?}"
    );
}
