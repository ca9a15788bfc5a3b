//! Moved pages: `aliases:` write a redirect page at each old address and the hosts'
//! redirect files, colliding or malformed aliases are errors at their line, and
//! `check --against` finds published pages that would be lost.

use std::path::Path;

use fixbook::site::SiteOptions;

use crate::support::{copy_fixture, fixbook, stderr};

/// Adds `line` to the front matter of `rel`, as its first line (line 2 of the file).
fn front(root: &Path, rel: &str, line: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("{rel}: no front matter"));
    std::fs::write(&path, format!("---\n{line}\n{rest}")).unwrap_or_else(|e| panic!("{e}"));
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{rel}: {e}"));
}

/// The valid fixture (base path `/help/`) where the printer article was renamed from
/// `printer-not-responding`, and once lived at `/old/printer.html`.
fn renamed_site() -> tempfile::TempDir {
    let site = copy_fixture("valid-site");
    front(
        site.path(),
        "content/articles/printer-offline.md",
        "aliases: [printer-not-responding, /old/printer.html]",
    );
    site
}

fn compiled(root: &Path) -> fixbook::Compiled {
    fixbook::compile(root, SiteOptions::default())
        .unwrap_or_else(|f| panic!("{:#?}", f.diagnostics()))
}

fn file(compiled: &fixbook::Compiled, path: &str) -> String {
    let file = compiled
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"));
    String::from_utf8_lossy(&file.bytes).into_owned()
}

fn has(compiled: &fixbook::Compiled, path: &str) -> bool {
    compiled.files.iter().any(|f| f.path == path)
}

fn check(root: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--root", root.to_str().unwrap_or_default(), "check"];
    args.extend_from_slice(extra);
    fixbook(&args)
}

#[test]
fn each_old_address_gets_a_redirect_page_and_a_rule_in_both_redirect_files() {
    let site = renamed_site();
    let built = compiled(site.path());
    insta::assert_snapshot!("netlify_redirects", file(&built, "_redirects"));
    insta::assert_snapshot!("nginx_redirect_map", file(&built, "redirects.nginx.conf"));
    insta::assert_snapshot!(
        "redirect_page",
        file(&built, "articles/printer-not-responding/index.html")
    );
    assert!(has(&built, "old/printer.html"));
    // Redirect pages are for readers with old links, not for search engines or search.
    for listing in ["sitemap.xml", "atom.xml", "search-index/docs/0.json"] {
        let text = file(&built, listing);
        assert!(
            !text.contains("printer-not-responding") && !text.contains("old/printer"),
            "{listing} lists an old address"
        );
    }
    assert_eq!(
        built.docs.len(),
        7,
        "one search document per item, none per alias"
    );
}

#[test]
fn a_status_alias_starting_with_a_slash_is_an_old_address_and_the_rest_stay_spellings() {
    let site = copy_fixture("valid-site");
    let status = "content/status/offline.md";
    let text = std::fs::read_to_string(site.path().join(status)).unwrap_or_default();
    let text = text.replace(
        "aliases: [\"Offline\"]",
        "aliases: [\"Offline\", /status/printer-offline/]",
    );
    write(site.path(), status, &text);
    let built = compiled(site.path());
    let offline = built
        .library
        .status("offline")
        .unwrap_or_else(|| panic!("no status"));
    assert_eq!(offline.aliases, ["Offline"]);
    assert!(
        file(&built, "status/printer-offline/index.html").contains("url=/help/status/offline/")
    );
    assert!(file(&built, "status-index.json").contains("\"Offline\""));
    assert!(!file(&built, "status-index.json").contains("status/printer-offline"));
}

#[test]
fn redirect_formats_follow_the_configuration() {
    let site = renamed_site();
    let config = site.path().join("fixbook.toml");
    let base = std::fs::read_to_string(&config).unwrap_or_default();
    // A site's own `_redirects` is refused while fixbook writes one, and kept once it does not.
    write(site.path(), "static/_redirects", "/x /y 302\n");
    let output = check(site.path(), &[]);
    assert!(
        stderr(&output).contains("error: `/_redirects` is a file fixbook generates\n  --> static/_redirects\n  = help: fixbook writes it from the pages' `aliases:`; to keep your own, leave `netlify` out of `[redirects] formats` in fixbook.toml\n"),
        "{}",
        stderr(&output)
    );
    write(
        site.path(),
        "fixbook.toml",
        &format!("{base}\n[redirects]\nformats = [\"nginx\"]\n"),
    );
    let built = compiled(site.path());
    assert!(has(&built, "redirects.nginx.conf"));
    assert_eq!(file(&built, "_redirects"), "/x /y 302\n");
    assert!(
        has(&built, "old/printer.html"),
        "redirect pages are always written"
    );
    std::fs::remove_file(site.path().join("static/_redirects")).unwrap_or_else(|e| panic!("{e}"));

    write(
        site.path(),
        "fixbook.toml",
        &format!("{base}\n[redirects]\nformats = []\n"),
    );
    let built = compiled(site.path());
    assert!(!has(&built, "redirects.nginx.conf") && !has(&built, "_redirects"));

    write(
        site.path(),
        "fixbook.toml",
        &format!("{base}\n[redirects]\nformats = [\"nginix\"]\n"),
    );
    let output = check(site.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "error: unknown redirect format `nginix`\n  --> fixbook.toml:12:12\n  = help: did you mean `nginx`?\n"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn aliases_that_collide_with_a_page_or_another_alias_are_errors_naming_both_files() {
    let site = copy_fixture("valid-site");
    front(
        site.path(),
        "content/articles/printer-offline.md",
        "aliases: [paper-jam-keeps-coming-back, /tags/network/, /articles/printer-offline/, /assets/fixbook.css/x/, /jam/]",
    );
    front(
        site.path(),
        "content/fixes/check-cable.md",
        "aliases: [/jam/index.html, /cable/, /cable, /manual.html]",
    );
    write(site.path(), "static/Manual.html", "<p>The manual</p>\n");
    let output = check(site.path(), &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    for expected in [
        "error: alias `/articles/paper-jam-keeps-coming-back/` is still the address of a page (`content/articles/paper-jam-keeps-coming-back.md`)\n  --> content/articles/printer-offline.md:2:11\n  = help: an alias names an address no page has any more: remove it, or rename that page first\n",
        "error: alias `/tags/network/` is still the address of a page fixbook generates (`tags/network/index.html`)\n  --> content/articles/printer-offline.md:2:40\n",
        "error: alias `/articles/printer-offline/` is the page's own address\n  --> content/articles/printer-offline.md:2:56\n  = help: remove it: a page's own address needs no alias\n",
        "error: alias `/assets/fixbook.css/x/` lies inside `/assets/fixbook.css`, a file the site has\n  --> content/articles/printer-offline.md:2:84\n",
        "error: alias `/jam/` is also an alias of `content/articles/printer-offline.md`\n  --> content/fixes/check-cable.md:2:11\n  = help: an old address leads to one page: keep it on the page that replaced the old one\n",
        "warning: alias `/cable/` is listed twice\n  --> content/fixes/check-cable.md:2:37\n  = help: remove the second mention\n",
        // Compared without case: on macOS the two are one file.
        "error: alias `/manual.html` is still the address of a file of the site (`static/Manual.html`)\n  --> content/fixes/check-cable.md:2:45\n",
    ] {
        assert!(err.contains(expected), "missing:\n{expected}\nin:\n{err}");
    }
}

#[test]
fn malformed_aliases_are_errors_at_their_position() {
    let site = copy_fixture("valid-site");
    front(
        site.path(),
        "content/fixes/check-cable.md",
        "aliases: [\"/cable/?from=mail\", /a/../b/, //cable/, https://kb.example.org/help/cable/, Old Cable]",
    );
    let output = check(site.path(), &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    for expected in [
        "error: alias `/cable/?from=mail` has a query string; an old address is a path alone\n  --> content/fixes/check-cable.md:2:11\n  = help: static hosts answer the path whatever follows it: write `/cable/`\n",
        "error: alias `/a/../b/` has a `.` or `..` segment\n  --> content/fixes/check-cable.md:2:32\n",
        "error: alias `//cable/` has an empty segment (`//`)\n  --> content/fixes/check-cable.md:2:42\n",
        "error: alias `https://kb.example.org/help/cable/` is a full URL; an alias is an old address on this site\n  --> content/fixes/check-cable.md:2:52\n  = help: write its path under the site's base, e.g. `/help/cable/`\n",
        "error: alias `Old Cable` is neither an old address (starting with `/`) nor an old slug\n  --> content/fixes/check-cable.md:2:88\n  = help: write the old slug (`old-name` for `/fixes/old-name/`) or the old path, starting with `/`\n",
    ] {
        assert!(err.contains(expected), "missing:\n{expected}\nin:\n{err}");
    }
}

#[test]
fn after_two_renames_every_old_address_leads_straight_to_the_last_page() {
    let site = copy_fixture("valid-site");
    // printer-offline was first `printer-gone`, then `printer-not-found`: the file carries
    // both old slugs along.
    front(
        site.path(),
        "content/articles/printer-offline.md",
        "aliases: [printer-gone, printer-not-found]",
    );
    let built = compiled(site.path());
    let rules = file(&built, "_redirects");
    let mut froms = Vec::new();
    for line in rules.lines().filter(|l| !l.starts_with('#')) {
        let parts: Vec<&str> = line.split(' ').collect();
        assert_eq!(
            parts[1..],
            ["/help/articles/printer-offline/", "301"],
            "{line}"
        );
        froms.push(parts[0].to_owned());
    }
    assert_eq!(
        froms,
        [
            "/help/articles/printer-gone",
            "/help/articles/printer-gone/",
            "/help/articles/printer-not-found",
            "/help/articles/printer-not-found/"
        ]
    );
    assert!(
        file(&built, "articles/printer-gone/index.html")
            .contains("url=/help/articles/printer-offline/")
    );

    // A chain written by hand (an alias naming an address that is still a page) is refused.
    front(
        site.path(),
        "content/articles/paper-jam-keeps-coming-back.md",
        "aliases: [/articles/printer-offline/]",
    );
    let err = stderr(&check(site.path(), &[]));
    assert!(
        err.contains("error: alias `/articles/printer-offline/` is still the address of a page (`content/articles/printer-offline.md`)\n  --> content/articles/paper-jam-keeps-coming-back.md:2:11\n"),
        "{err}"
    );
}

#[test]
fn check_against_reports_a_published_page_that_is_gone_until_an_alias_covers_it() {
    let site = copy_fixture("valid-site");
    let published = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sitemap = published.path().join("published-sitemap.xml");
    // The published site: the valid fixture's pages (on another host, as after a move),
    // and one page since renamed.
    let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  <url><loc>https://old-host.example.org/help/</loc></url>\n  <url><loc>https://kb.example.org/help/articles/printer-offline/</loc></url>\n  <url>\n    <loc>https://kb.example.org/help/articles/printer-ofline/</loc>\n  </url>\n  <url><loc>https://kb.example.org/help/fixes/check-cable</loc></url>\n  <url><loc>https://kb.example.org/help/404.html</loc></url>\n</urlset>\n";
    std::fs::write(&sitemap, text).unwrap_or_else(|e| panic!("{e}"));
    let sitemap_arg = sitemap.to_string_lossy().into_owned();

    let output = check(site.path(), &["--against", &sitemap_arg]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    let expected = format!(
        "error: `https://kb.example.org/help/articles/printer-ofline/` was published, but the new build has no page there and no alias leads to it\n  --> {sitemap_arg}:6:5\n  = help: add `aliases: [/articles/printer-ofline/]` to the page that replaced it (did you mean `https://kb.example.org/help/articles/printer-offline/`?)\n"
    );
    assert!(err.contains(&expected), "missing:\n{expected}\nin:\n{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");

    front(
        site.path(),
        "content/articles/printer-offline.md",
        "aliases: [/articles/printer-ofline/]",
    );
    let output = check(site.path(), &["--against", &sitemap_arg]);
    assert!(output.status.success(), "{}", stderr(&output));

    std::fs::write(&sitemap, "<urlset><url><loc>x</url></urlset>")
        .unwrap_or_else(|e| panic!("{e}"));
    let output = check(site.path(), &["--against", &sitemap_arg]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the sitemap is not well-formed XML"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn serve_answers_an_old_address_with_a_301_to_the_page_and_follows_alias_edits() {
    use crate::serve::{Server, first_status, wait_for};
    let server = Server::start_in(renamed_site());
    for old in [
        "/help/articles/printer-not-responding/",
        "/help/articles/printer-not-responding",
        "/help/articles/printer-not-responding/index.html",
        "/help/old/printer.html",
    ] {
        let moved = server.get(old);
        assert_eq!(
            (moved.status, moved.header("location").as_deref()),
            (301, Some("/help/articles/printer-offline/")),
            "{old}: {}",
            moved.head
        );
    }
    let events = server.events();
    let before = first_status(&events);
    server.replace(
        "content/fixes/check-cable.md",
        "title: Check the cable",
        "aliases: [cable]\ntitle: Check the cable",
    );
    wait_for(&events, std::time::Duration::from_secs(10), |e| {
        e["ok"] == true && e["build"] != before["build"]
    })
    .unwrap_or_else(|| panic!("no rebuild; log:\n{}", server.log()));
    let moved = server.get("/help/fixes/cable/");
    assert_eq!(
        (moved.status, moved.header("location").as_deref()),
        (301, Some("/help/fixes/check-cable/"))
    );
    assert_eq!(server.get("/help/articles/printer-offline/").status, 200);
}
