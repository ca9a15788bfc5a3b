//! Theming a site without copying the theme: `[theme]` keys, tokens and `custom.css`, one
//! component file overridden on its own, `fixbook theme eject`, and the `static/` folder.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::serve::{Server, first_status, wait_for};
use crate::support::{build_into, copy_fixture, fixbook, snapshot_tree, stderr, stdout};

/// A copy of the valid site with `theme` appended to its fixbook.toml as `[theme]`.
fn site_with_theme(theme: &str) -> tempfile::TempDir {
    let site = copy_fixture("valid-site");
    let config = site.path().join("fixbook.toml");
    let text = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&config, format!("{text}\n[theme]\n{theme}")).unwrap_or_else(|e| panic!("{e}"));
    site
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Builds `site` into a new folder: the folder's holder and the output.
fn built(site: &Path) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let public = out.path().join("public");
    build_into(site, &public);
    (out, public)
}

/// The stylesheets a page links, in order.
fn stylesheets(html: &str) -> Vec<String> {
    html.match_indices("<link rel=\"stylesheet\" href=\"")
        .map(|(at, prefix)| {
            let rest = &html[at + prefix.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_owned()
        })
        .collect()
}

/// `check` on `site`: exit code and standard error.
fn check(site: &Path) -> (Option<i32>, String) {
    let run = fixbook(&["--root", &site.to_string_lossy(), "check"]);
    (run.status.code(), stderr(&run))
}

#[test]
fn an_accent_reaches_pages_as_theme_css_linked_after_tokens_and_before_custom_css() {
    let site = site_with_theme("accent = \"#0a7d5a\"\naccent_dark = \"oklch(78% 0.13 165)\"\n");
    let (_out, public) = built(site.path());
    let css = read(&public, "assets/theme.css");
    assert!(
        css.contains(":root { --accent: light-dark(#0a7d5a, oklch(78% 0.13 165)) }"),
        "{css}"
    );
    assert!(read(&public, "assets/tokens.css").contains("--accent: light-dark("));
    // An article with fixes loads its guide's stylesheet too, before the site's own.
    for (page, guide) in [
        ("index.html", None),
        (
            "articles/printer-offline/index.html",
            Some("/help/assets/guide.css"),
        ),
        ("404.html", None),
    ] {
        let mut expected = vec![
            "/help/assets/tokens.css",
            "/help/assets/theme.css",
            "/help/assets/fixbook.css",
            "/help/assets/syntax-light.css",
            "/help/assets/syntax-dark.css",
        ];
        expected.extend(guide);
        expected.push("/help/assets/custom.css");
        assert_eq!(stylesheets(&read(&public, page)), expected, "{page}");
    }
    // Without `accent_dark`, dark pages use the accent too.
    let site = site_with_theme("accent = \"#0A7D5A\"\n");
    let (_out, public) = built(site.path());
    assert!(read(&public, "assets/theme.css").contains("--accent: light-dark(#0a7d5a, #0a7d5a)"));
}

#[test]
fn a_sites_custom_css_is_in_the_output_and_loaded_last() {
    let site = copy_fixture("valid-site");
    let custom = ":root { --accent: #b00b69; --radius: 2px; }\n";
    write(
        site.path(),
        "templates/assets/custom.css",
        custom.as_bytes(),
    );
    let (_out, public) = built(site.path());
    assert_eq!(read(&public, "assets/custom.css"), custom);
    let links = stylesheets(&read(&public, "fixes/restart-printer/index.html"));
    assert_eq!(
        links.last().map(String::as_str),
        Some("/help/assets/custom.css")
    );
    assert_eq!(
        links.iter().filter(|l| l.ends_with("custom.css")).count(),
        1
    );
}

#[test]
fn a_sites_cards_file_changes_the_cards_and_nothing_else() {
    let site = copy_fixture("valid-site");
    let (_plain, plain) = built(site.path());
    let builtin = read(
        &crate::support::repo_root(),
        "templates/partials/cards.html",
    );
    let card = "<li class=\"card article-card\">";
    assert!(builtin.contains(card));
    let mark = " data-site-card";
    write(
        site.path(),
        "templates/partials/cards.html",
        builtin
            .replace(card, &format!("<li class=\"card article-card\"{mark}>"))
            .as_bytes(),
    );
    let (_themed, themed) = built(site.path());
    let (plain, themed) = (snapshot_tree(&plain), snapshot_tree(&themed));
    assert_eq!(
        plain.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        themed.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    let mut changed = Vec::new();
    for ((path, before), (_, after)) in plain.iter().zip(&themed) {
        if before != after {
            let after = String::from_utf8_lossy(after).replace(mark, "");
            assert_eq!(
                after.as_bytes(),
                &before[..],
                "{path} changed beyond its cards"
            );
            changed.push(path.as_str());
        }
    }
    for page in [
        "index.html",
        "articles/index.html",
        "articles/printer-offline/index.html",
    ] {
        assert!(changed.contains(&page), "{page} not changed: {changed:?}");
    }
    // The fix cards and status rows live in other files: pages that show only those stay.
    assert!(!changed.contains(&"status/index.html"), "{changed:?}");
}

#[test]
fn eject_writes_the_named_files_and_refuses_to_overwrite_any() {
    let site = copy_fixture("valid-site");
    let root = site.path().to_string_lossy().into_owned();
    let run = fixbook(&[
        "--root",
        &root,
        "theme",
        "eject",
        "partials/cards.html",
        "assets/tokens.css",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let written: Vec<String> = stdout(&run).lines().map(str::to_owned).collect();
    let expected = [
        "templates/assets/tokens.css",
        "templates/partials/cards.html",
    ];
    assert_eq!(
        written,
        expected.map(|rel| site.path().join(rel).display().to_string())
    );
    for rel in ["partials/cards.html", "assets/tokens.css"] {
        assert_eq!(
            read(site.path(), &format!("templates/{rel}")),
            read(&crate::support::repo_root(), &format!("templates/{rel}"))
        );
    }
    // Changed since: a second eject that names it writes nothing at all.
    write(
        site.path(),
        "templates/partials/cards.html",
        b"{# mine #}\n",
    );
    let run = fixbook(&[
        "--root",
        &root,
        "theme",
        "eject",
        "partials/fixes.html",
        "partials/cards.html",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        stderr(&run),
        "error: `templates/partials/cards.html` already exists; nothing was written (move it away to eject the built-in one)\n"
    );
    assert_eq!(
        read(site.path(), "templates/partials/cards.html"),
        "{# mine #}\n"
    );
    assert!(!site.path().join("templates/partials/fixes.html").exists());
    assert!(stdout(&run).is_empty());
}

#[test]
fn eject_of_every_file_builds_the_same_site() {
    let site = copy_fixture("valid-site");
    let (_before, before) = built(site.path());
    let run = fixbook(&["--root", &site.path().to_string_lossy(), "theme", "eject"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(stdout(&run).lines().count() > 20, "{}", stdout(&run));
    assert!(
        site.path()
            .join("templates/partials/navigation.html")
            .is_file()
    );
    let (_after, after) = built(site.path());
    assert!(snapshot_tree(&before) == snapshot_tree(&after));
}

#[test]
fn eject_names_the_nearest_built_in_file_for_an_unknown_name() {
    let site = copy_fixture("valid-site");
    let run = fixbook(&[
        "--root",
        &site.path().to_string_lossy(),
        "theme",
        "eject",
        "partials/card.html",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        stderr(&run),
        "error: the built-in theme has no `partials/card.html`; the nearest is `partials/cards.html`\n"
    );
    assert!(!site.path().join("templates").exists());
}

#[test]
fn a_bad_accent_is_an_error_at_its_value() {
    let site = site_with_theme("accent = \"#0a7d5\"\n");
    let (code, err) = check(site.path());
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(
        err,
        "error: `accent` is not a CSS colour: `#0a7d5` (a hex colour has 3 or 6 digits, this one 5)\n  --> fixbook.toml:12:10\n  = help: write a hex colour (`#0a7d5a` or `#0a5`), or `rgb(…)`, `hsl(…)` or `oklch(…)`, e.g. `oklch(52% 0.12 165)`\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
    let site = site_with_theme("accent_dark = \"rgb(1 2 3); } body { display: none\"\n");
    let (code, err) = check(site.path());
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("error: `accent_dark` is not a CSS colour: `rgb(1 2 3); } body { display: none` (the closing `)` is missing)\n  --> fixbook.toml:12:15\n"),
        "{err}"
    );
}

#[test]
fn a_missing_logo_is_an_error_at_the_logo_key() {
    let site = site_with_theme("logo = \"brand/logo.svg\"\n");
    let (code, err) = check(site.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error: `logo` names `static/brand/logo.svg`, which does not exist\n  --> fixbook.toml:12:8\n  = help: put the logo in the site's `static/` folder, or correct the path in `logo`\n"),
        "{err}"
    );
    let site = site_with_theme("logo = \"../logo.svg\"\n");
    let (code, err) = check(site.path());
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("error: `logo` must name a file in the site's `static/` folder: `../logo.svg` leaves it\n  --> fixbook.toml:12:8\n"),
        "{err}"
    );
}

#[test]
fn a_logo_replaces_the_brand_mark_and_footer_links_show_in_the_footer() {
    let site = site_with_theme(
        "logo = \"img/logo.svg\"\nfooter_links = [{ title = \"Status page\", url = \"https://status.example.org/\" }, { title = \"Write to us\", url = \"mailto:help@example.org\" }]\n",
    );
    let logo = b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><rect width=\"8\" height=\"8\"/></svg>";
    write(site.path(), "static/img/logo.svg", logo);
    let (_out, public) = built(site.path());
    assert_eq!(
        std::fs::read(public.join("img/logo.svg")).ok().as_deref(),
        Some(&logo[..])
    );
    let home = read(&public, "index.html");
    assert!(home.contains("<img class=\"brand-logo\" src=\"/help/img/logo.svg\" alt=\"\">"));
    assert!(!home.contains("brand-mark"));
    let footer = &home[home.find("<footer class=\"site-footer\">").unwrap_or(0)..];
    let status = footer.find("<li><a href=\"https://status.example.org/\">Status page</a></li>");
    let mail = footer.find("<li><a href=\"mailto:help@example.org\">Write to us</a></li>");
    assert!(
        status.is_some() && mail.is_some() && status < mail,
        "{footer}"
    );
}

#[test]
fn static_files_are_copied_to_the_output_root_and_robots_txt_replaces_the_generated_one() {
    let site = copy_fixture("valid-site");
    write(site.path(), "static/CNAME", b"help.example.org\n");
    write(
        site.path(),
        "static/robots.txt",
        b"User-agent: *\nDisallow: /drafts/\n",
    );
    write(
        site.path(),
        "static/img/screen.png",
        &[0x89, b'P', b'N', b'G', 0, 1, 2],
    );
    write(site.path(), "static/.DS_Store", b"hidden");
    let (_out, public) = built(site.path());
    assert_eq!(read(&public, "CNAME"), "help.example.org\n");
    assert_eq!(
        read(&public, "robots.txt"),
        "User-agent: *\nDisallow: /drafts/\n"
    );
    assert_eq!(
        std::fs::read(public.join("img/screen.png")).ok(),
        Some(vec![0x89, b'P', b'N', b'G', 0, 1, 2])
    );
    assert!(!public.join(".DS_Store").exists());
}

#[test]
fn a_static_file_at_a_generated_path_is_an_error() {
    let site = copy_fixture("valid-site");
    write(site.path(), "static/index.html", b"<p>old home</p>");
    let (code, err) = check(site.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error: `/index.html` is a file fixbook generates\n  --> static/index.html\n  = help: rename or move the file: fixbook writes this path itself\n"),
        "{err}"
    );
}

#[test]
fn serve_serves_static_files_and_follows_their_changes() {
    let site = copy_fixture("valid-site");
    write(site.path(), "static/CNAME", b"help.example.org\n");
    let server = Server::start_in(site);
    let events = server.events();
    let before = first_status(&events);
    assert_eq!(before["ok"], true, "{before}");
    assert_eq!(server.get("/help/CNAME").text(), "help.example.org\n");
    server.write("static/CNAME", "kb.example.org\n");
    let reload = wait_for(&events, Duration::from_secs(5), |e| {
        e["ok"] == true && e["build"] != before["build"]
    })
    .unwrap_or_else(|| panic!("no reload after a static edit; log:\n{}", server.log()));
    assert_eq!(
        reload["changed"],
        serde_json::json!(["/help/CNAME"]),
        "{reload}"
    );
    assert_eq!(server.get("/help/CNAME").text(), "kb.example.org\n");
}

/// The header's row at desktop widths: every navigation link shows in full before the search
/// field, and nothing runs off the right edge, in English and in German (whose site name
/// and link names are longer), from the narrowest desktop width up; on a phone, an
/// article's buttons stay on the screen.
#[test]
fn the_header_and_an_articles_buttons_fit_the_screen_in_every_language() {
    let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = crate::support::repo_root();
    for part in ["content", "templates"] {
        crate::support::copy_tree(&root.join(part), &site.path().join(part));
    }
    std::fs::copy(root.join("fixbook.toml"), site.path().join("fixbook.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = site.path().join("public");
    build_into(site.path(), &out);
    let (_, server) = crate::browser::serve_dir(&out);
    let browser = crate::browser::Browser::launch();
    for width in [1024, 1280] {
        for path in ["/", "/de/"] {
            let page = browser.page();
            page.set_width(width, 800);
            page.goto(&format!("{}{path}", server.origin()));
            let edges = page.eval(
                "JSON.stringify([Math.max(...[...document.querySelectorAll('.site-nav a')].map(a => a.getBoundingClientRect().right)), document.querySelector('.header-search').getBoundingClientRect().left, document.querySelector('.theme-toggle').getBoundingClientRect().right, document.documentElement.clientWidth])",
            );
            let (links, search, toggle, window): (f64, f64, f64, f64) =
                serde_json::from_str(edges.as_str().unwrap_or("[]"))
                    .unwrap_or_else(|e| panic!("{e}: {edges}"));
            assert!(
                links <= search,
                "{path} at {width} px: the links end at {links}, under the search from {search}"
            );
            assert!(
                toggle <= window,
                "{path} at {width} px: the theme button ends at {toggle}, past {window}"
            );
        }
    }
    for path in [
        "/articles/blurry-low-resolution-photos/",
        "/de/articles/blurry-low-resolution-photos/",
    ] {
        let page = browser.page();
        page.set_width(390, 800);
        page.goto(&format!("{}{path}", server.origin()));
        let edges = page.eval(
            "JSON.stringify([Math.max(...[...document.querySelectorAll('.doc-actions .button')].map(b => b.getBoundingClientRect().right)), document.documentElement.clientWidth])",
        );
        let (buttons, window): (f64, f64) = serde_json::from_str(edges.as_str().unwrap_or("[]"))
            .unwrap_or_else(|e| panic!("{e}: {edges}"));
        assert!(
            buttons <= window,
            "{path} at 390 px: a button ends at {buttons}, past {window}"
        );
    }
}
