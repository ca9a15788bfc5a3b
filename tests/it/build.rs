//! Building a valid site: every page kind, deterministic bytes, and a failed build that
//! leaves the previous output alone.

use crate::support::{copy_fixture, fixbook, fixture, snapshot_tree, stderr};

fn build(root: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    fixbook(&[
        "--root",
        &root.to_string_lossy(),
        "build",
        "--output",
        &out.to_string_lossy(),
    ])
}

#[test]
fn valid_site_builds_every_page_kind() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let public = out.path().join("public");
    let output = build(&fixture("valid-site"), &public);
    assert!(output.status.success(), "{}", stderr(&output));
    let files: Vec<String> = snapshot_tree(&public).into_iter().map(|(p, _)| p).collect();
    for expected in [
        "index.html",
        "404.html",
        "articles/index.html",
        "articles/printer-offline/index.html",
        "articles/paper-jam-keeps-coming-back/index.html",
        "fixes/index.html",
        "fixes/restart-printer/index.html",
        "fixes/reinstall-driver/index.html",
        "status/index.html",
        "status/offline/index.html",
        "status/paper-jam/index.html",
        "platforms/index.html",
        "platforms/windows/index.html",
        "platforms/mac/index.html",
        "tags/index.html",
        "tags/network/index.html",
        "tags/printing-basics/index.html",
        "search/index.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        "assets/fixbook.css",
        "assets/fixbook.js",
        "assets/theme.js",
        "assets/syntax-light.css",
        "assets/syntax-dark.css",
    ] {
        assert!(
            files.iter().any(|f| f == expected),
            "missing {expected} in {files:?}"
        );
    }
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = (out.path().join("a"), out.path().join("b"));
    assert!(build(&fixture("valid-site"), &a).status.success());
    assert!(build(&fixture("valid-site"), &b).status.success());
    let (a, b) = (snapshot_tree(&a), snapshot_tree(&b));
    assert!(!a.is_empty());
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between two builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let site = copy_fixture("valid-site");
    let public = site.path().join("public");
    assert!(build(site.path(), &public).status.success());
    let before = snapshot_tree(&public);
    let article = site.path().join("content/articles/printer-offline.md");
    let text = std::fs::read_to_string(&article).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &article,
        text.replace("fixes: [reinstall-driver", "fixes: [reinstal-driver"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = build(site.path(), &public);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("error: unknown fix `reinstal-driver`"));
    assert_eq!(snapshot_tree(&public), before);
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("fixbook-staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn building_into_the_site_root_is_refused() {
    let site = copy_fixture("valid-site");
    let output = build(site.path(), site.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("it would replace the site's own files"),
        "{}",
        stderr(&output)
    );
    assert!(
        site.path()
            .join("content/articles/printer-offline.md")
            .exists()
    );
}

#[test]
fn internal_links_are_rewritten_to_page_urls_under_the_base_path() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    assert!(build(&fixture("valid-site"), out.path()).status.success());
    let html = std::fs::read_to_string(out.path().join("articles/printer-offline/index.html"))
        .unwrap_or_default();
    assert!(html.contains(r#"<a href="/help/status/paper-jam/#what-to-do">the jam page</a>"#));
    let jam = std::fs::read_to_string(
        out.path()
            .join("articles/paper-jam-keeps-coming-back/index.html"),
    )
    .unwrap_or_default();
    assert!(jam.contains(r#"<a href="/help/articles/printer-offline/">the offline guide</a>"#));
}

#[test]
fn article_lists_fixes_low_to_high_risk_with_the_warning_on_high() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    assert!(build(&fixture("valid-site"), out.path()).status.success());
    let html = std::fs::read_to_string(out.path().join("articles/printer-offline/index.html"))
        .unwrap_or_default();
    // Front matter order is reinstall-driver (high), restart-printer, check-cable (low).
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("{needle} not found"))
    };
    assert!(at("id=\"fix-restart-printer\"") < at("id=\"fix-check-cable\""));
    assert!(at("id=\"fix-check-cable\"") < at("id=\"fix-reinstall-driver\""));
    assert!(
        at("id=\"fix-reinstall-driver\"")
            < at("Print queues and saved printer settings are deleted")
    );
}

#[test]
fn fix_and_status_pages_link_back_to_every_article_that_uses_them() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    assert!(build(&fixture("valid-site"), out.path()).status.success());
    let read = |p: &str| std::fs::read_to_string(out.path().join(p)).unwrap_or_default();
    let fix = read("fixes/check-cable/index.html");
    assert!(fix.contains("/help/articles/printer-offline/"));
    assert!(fix.contains("/help/articles/paper-jam-keeps-coming-back/"));
    let status = read("status/paper-jam/index.html");
    assert!(status.contains("/help/articles/printer-offline/"));
    assert!(status.contains("/help/articles/paper-jam-keeps-coming-back/"));
}

#[test]
fn raw_script_in_content_never_reaches_the_page() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    assert!(build(&fixture("valid-site"), out.path()).status.success());
    let html = std::fs::read_to_string(out.path().join("articles/printer-offline/index.html"))
        .unwrap_or_default();
    assert!(html.contains("<p>Raw <b>bold</b> text stays.</p>"));
    assert!(!html.contains("alert("));
}

#[test]
fn feeds_sitemap_and_robots_use_absolute_urls() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    assert!(build(&fixture("valid-site"), out.path()).status.success());
    let read = |p: &str| std::fs::read_to_string(out.path().join(p)).unwrap_or_default();
    assert!(read("sitemap.xml").contains("<url><loc>https://kb.example.org/help/articles/printer-offline/</loc><lastmod>2025-04-10</lastmod></url>"));
    let atom = read("atom.xml");
    assert!(atom.contains("<updated>2025-04-10T08:30:00Z</updated>"));
    assert!(atom.find("printer-offline") < atom.find("paper-jam-keeps-coming-back"));
    assert_eq!(
        read("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://kb.example.org/help/sitemap.xml\n"
    );
}

#[test]
fn long_lists_are_cut_into_linked_pages() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().join("site");
    crate::support::copy_tree(
        &crate::support::repo_root().join("content"),
        &root.join("content"),
    );
    let config = std::fs::read_to_string(crate::support::repo_root().join("fixbook.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        root.join("fixbook.toml"),
        format!("paginate_by = 4\n{config}"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("public");
    let built = build(&root, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let read =
        |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let cards = |html: &str| html.matches("class=\"card article-card").count();

    // 19 problems at 4 a page: pages 1–5, the last with 3.
    let pages: Vec<String> = (1..=5)
        .map(|n| {
            read(&if n == 1 {
                "articles/index.html".to_owned()
            } else {
                format!("articles/page/{n}/index.html")
            })
        })
        .collect();
    assert!(!out.join("articles/page/6").exists());
    assert!(!out.join("articles/page/1").exists());
    assert_eq!(
        pages.iter().map(|p| cards(p)).collect::<Vec<_>>(),
        [4, 4, 4, 4, 3]
    );
    assert!(pages[1].contains("<title>All problems (page 2 of 5) · "));
    assert!(pages[1].contains("<link rel=\"prev\" href=\"/articles/\">"));
    assert!(pages[1].contains("<link rel=\"next\" href=\"/articles/page/3/\">"));
    assert!(
        pages[1].contains(
            "<link rel=\"canonical\" href=\"https://help.example.org/articles/page/2/\">"
        )
    );
    assert!(pages[1].contains("Showing 5–8 of 19"));
    assert!(pages[0].contains("19 problems, A–Z."));
    assert!(!pages[0].contains("rel=\"prev\""));
    assert!(!pages[4].contains("rel=\"next\""));

    // Platform playbooks: the status messages and fixes stay on the first page.
    let mac = read("platforms/mac/index.html");
    let mac_2 = read("platforms/mac/page/2/index.html");
    assert!(mac.contains("id=\"messages\"") && mac.contains("id=\"fixes\""));
    assert!(!mac_2.contains("id=\"messages\"") && !mac_2.contains("id=\"fixes\""));
    assert!(cards(&mac_2) > 0);

    // Only first pages are listed in the sitemap.
    assert!(!read("sitemap.xml").contains("/page/"));
}

/// Builds the valid site with every built-in component, `edit` applied, in one file of its
/// own (`partials/components.html`, as sites kept them before the components were split):
/// the output folder's holder, the output path, and the run.
fn build_with_components(
    edit: impl Fn(String) -> String,
) -> (tempfile::TempDir, std::path::PathBuf, std::process::Output) {
    let site = copy_fixture("valid-site");
    let builtin: String = ["icons", "badges", "cards", "fixes", "navigation"]
        .iter()
        .map(|name| {
            let path = crate::support::repo_root().join(format!("templates/partials/{name}.html"));
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
        .collect();
    let dir = site.path().join("templates/partials");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("components.html"), edit(builtin)).unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let public = out.path().join("public");
    let output = build(site.path(), &public);
    (out, public, output)
}

#[test]
fn cards_drawn_once_per_build_are_the_sites_own_components() {
    let (_out, public, output) = build_with_components(|text| {
        text.replace(
            "<details class=\"fix-card",
            "<details data-site-card=\"fix\" class=\"fix-card",
        )
        .replace(
            "<li class=\"card article-card\">",
            "<li class=\"card article-card\" data-site-card=\"article-h{{ heading }}\">",
        )
        .replace(
            "<a class=\"status-chip ",
            "<a data-site-card=\"status\" class=\"status-chip ",
        )
    });
    assert!(output.status.success(), "{}", stderr(&output));
    let page = |path: &str| {
        std::fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let count = |text: &str, needle: &str| text.matches(needle).count();
    // printer-offline lists three fixes, two status messages and one related article.
    let article = page("articles/printer-offline/index.html");
    assert_eq!(count(&article, "data-site-card=\"fix\""), 3);
    assert_eq!(count(&article, "data-site-card=\"status\""), 2);
    assert_eq!(count(&article, "data-site-card=\"article-h3\""), 1);
    // The problem list draws its cards with level-2 titles, the home page with level-3.
    let list = page("articles/index.html");
    assert_eq!(count(&list, "data-site-card=\"article-h2\""), 2, "{list}");
    assert!(count(&page("index.html"), "data-site-card=\"article-h3\"") > 0);
    // Status rows hold the status link: the status index shows every message once.
    assert_eq!(
        count(&page("status/index.html"), "data-site-card=\"status\""),
        2
    );
}

#[test]
fn a_card_that_fails_to_draw_fails_the_build_naming_its_component() {
    let (_out, public, output) = build_with_components(|text| {
        text.replace(
            "<span class=\"fix-title\">{{ fix.title }}</span>",
            "<span class=\"fix-title\">{{ fix.title | int }}</span>",
        )
    });
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("component `fix_card` failed to render"),
        "{err}"
    );
    assert!(!public.exists());
}
