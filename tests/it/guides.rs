//! Guides: every article's guided mode and the authored guides of `content/guides/`, their
//! pages, and that every step is reachable by plain links (their checks: `guides_checks`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::{build_into, fixbook};

/// A small site: an article with a low-risk fix on both platforms and a high-risk one on
/// Windows, a status message, and an article without fixes; `guide` (if any) is
/// `content/guides/printer-trouble.md`.
pub fn guide_site(guide: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let files = [
        (
            "fixbook.toml",
            "title = \"Printer Help\"\nbase_url = \"https://kb.example.org/\"\n\n[platforms]\nwindows = \"Windows\"\nmac = \"Mac\"\n",
        ),
        (
            "content/articles/printer-offline.md",
            "---\ntitle: Printer shows as offline\ndate: 2025-03-02\nplatforms: [windows, mac]\nstatus_messages: [offline]\nfixes: [reinstall-driver, restart-printer, check-cable]\nrelated: [printer-basics]\nget_help:\n  when: Call the help desk if it stays offline.\n  prepare:\n    - The printer model\n    - The exact message in the queue\n---\n\nThe printer is on, but the computer says it is offline.\n",
        ),
        (
            "content/articles/printer-basics.md",
            "---\ntitle: Printer basics\ndate: 2025-03-01\nplatforms: [windows, mac]\n---\n\nHow printers talk to computers.\n",
        ),
        (
            "content/fixes/restart-printer.md",
            "---\ntitle: Restart the printer\nrisk: low\nduration: 2 min\nplatforms: [windows, mac]\n---\n\nTurn it off and on.\n\n::: platform windows\n1. Open **Printers & scanners**.\n:::\n\n::: platform mac\n1. Open **Printers & Scanners** in System Settings.\n:::\n",
        ),
        (
            "content/fixes/check-cable.md",
            "---\ntitle: Check the cable\nrisk: low\nduration: 1 min\nplatforms: [windows, mac]\n---\n\nPush the cable in firmly at both ends.\n",
        ),
        (
            "content/fixes/reinstall-driver.md",
            "---\ntitle: Reinstall the printer driver\nrisk: high\nduration: 20 min\nplatforms: [windows]\nwarning: Saved printer settings are deleted; note them down first.\n---\n\nRemove the printer, then add it again.\n",
        ),
        (
            "content/status/offline.md",
            "---\nmessage: Printer Offline\nmeaning: The computer cannot reach the printer.\nplatforms: [windows, mac]\nfixes: [restart-printer]\n---\n\nShown in the queue.\n",
        ),
    ];
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    if let Some(guide) = guide {
        write(dir.path(), "content/guides/printer-trouble.md", guide);
    }
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{rel}: {e}"));
}

/// A guide that passes every check.
pub const GUIDE: &str = "---
title: What is wrong with the printer?
description: Two questions to the right fix.
questions:
  - id: start
    ask: What do you see?
    answers:
      - answer: The queue says offline
        question: cable
      - answer: The panel shows a message
        status: offline
      - answer: Something else
        get_help: true
  - id: cable
    ask: Is the cable plugged in?
    hint: Look at both ends.
    answers:
      - answer: I am not sure
        fix: check-cable
      - answer: Yes, and it is still offline
        article: printer-offline
      - answer: It has no cable
        article: printer-basics
      - answer: Nothing works
        get_help: true
---
";

/// The built site of `guide_site(guide)`.
fn built(guide: Option<&str>) -> (tempfile::TempDir, tempfile::TempDir) {
    let site = guide_site(guide);
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    build_into(site.path(), out.path());
    (site, out)
}

fn read(out: &tempfile::TempDir, path: &str) -> String {
    std::fs::read_to_string(out.path().join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .replace(
            concat!("fixbook ", env!("CARGO_PKG_VERSION")),
            "fixbook [version]",
        )
}

#[test]
fn an_article_guide_page() {
    let (_site, out) = built(None);
    insta::assert_snapshot!(read(&out, "articles/printer-offline/guide/index.html"));
}

#[test]
fn a_decision_guide_page() {
    let (_site, out) = built(Some(GUIDE));
    insta::assert_snapshot!(read(&out, "guides/printer-trouble/index.html"));
}

#[test]
fn articles_with_fixes_link_their_guide_and_others_have_none() {
    let (_site, out) = built(None);
    let article = read(&out, "articles/printer-offline/index.html");
    assert!(
        article.contains(r#"<a class="button" href="/articles/printer-offline/guide/" data-guide-link data-tried-label="Tried in the guide">Guide me through it</a>"#),
        "{article}"
    );
    assert!(!out.path().join("articles/printer-basics/guide").exists());
    assert!(!read(&out, "articles/printer-basics/index.html").contains("data-guide-link"));
    // Without authored guides there is no guide list, and the home page offers none.
    assert!(!out.path().join("guides").exists());
    assert!(!read(&out, "index.html").contains("guide-offer"));
}

#[test]
fn the_windows_track_goes_safest_first_and_stops_before_the_high_risk_fix() {
    let (_site, out) = built(None);
    let page = read(&out, "articles/printer-offline/guide/index.html");
    let panels = panels(&page);
    let order: Vec<&str> = panels.keys().map(String::as_str).collect();
    assert_eq!(
        order,
        [
            "choose",
            "mac-1",
            "mac-1-worked",
            "mac-2",
            "mac-2-worked",
            "mac-help-2",
            "windows-1",
            "windows-1-worked",
            "windows-2",
            "windows-2-worked",
            "windows-3",
            "windows-3-ready",
            "windows-3-worked",
            "windows-help-2",
            "windows-help-3",
        ]
    );
    assert!(page.contains("Step 1 of 3 for Windows") && page.contains("Step 2 of 2 for Mac"));
    let step = |id: &str| panels[id].as_str();
    assert!(step("windows-1").contains("Restart the printer"));
    assert!(step("windows-1").contains("Open <strong>Printers &amp; scanners</strong>."));
    assert!(
        !step("windows-1").contains("System Settings"),
        "{}",
        step("windows-1")
    );
    assert!(
        step("mac-1").contains("System Settings")
            && !step("mac-1").contains("Printers &amp; scanners")
    );
    assert!(step("windows-2").contains(r##"href="#windows-3-ready""##));
    assert!(step("windows-3-ready").contains("Saved printer settings are deleted"));
    assert!(step("windows-3-ready").contains(r##"<a class="button button-primary" href="#windows-3">I&#39;m ready</a> <a class="button" href="#windows-help-2">Get help instead</a>"##));
    // Only the Windows track has the driver fix.
    assert!(!page.contains(r#"id="mac-3""#));
    assert!(step("windows-help-3").contains(
        "<pre class=\"guide-summary\" data-guide-summary>Problem: Printer shows as offline\nPlatform: Windows\nSteps tried, in order:\n1. Restart the printer: did not fix it\n2. Check the cable: did not fix it\n3. Reinstall the printer driver: did not fix it\nWhat I have ready:\n- The printer model\n- The exact message in the queue\nGuide: https://kb.example.org/articles/printer-offline/guide/</pre>"
    ), "{}", step("windows-help-3"));
    assert!(
        step("windows-help-2").contains("2. Check the cable: did not fix it\nWhat I have ready")
    );
}

/// Every panel of a guide page (`<section class="guide-panel …" id="…">` to its
/// `</section>`), by id.
fn panels(page: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut rest = page;
    while let Some(start) = rest.find("<section class=\"guide-panel") {
        let tail = &rest[start..];
        let end = tail.find("\n    </section>").map_or(tail.len(), |e| e + 15);
        let panel = &tail[..end];
        let id = panel
            .split(" id=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_default();
        found.insert(id.to_owned(), panel.to_owned());
        rest = &tail[end..];
    }
    found
}

/// The `#anchor` links of a panel.
fn anchors(panel: &str) -> Vec<String> {
    panel
        .split("href=\"#")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// Which panels a reader reaches from the first by following links, with no script.
fn reachable(page: &str) -> (BTreeSet<String>, BTreeMap<String, String>) {
    let panels = panels(page);
    let first = panels
        .iter()
        .find(|(_, p)| p.contains(" data-first"))
        .map(|(id, _)| id.clone())
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    let mut todo = vec![first];
    while let Some(id) = todo.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let panel = panels
            .get(&id)
            .unwrap_or_else(|| panic!("a link leads to #{id}, which is no panel"));
        todo.extend(anchors(panel));
    }
    (seen, panels)
}

#[test]
fn without_javascript_every_step_is_reachable_by_links() {
    let (_site, out) = built(Some(GUIDE));
    for page in [
        "articles/printer-offline/guide/index.html",
        "guides/printer-trouble/index.html",
    ] {
        let html = read(&out, page);
        let (seen, panels) = reachable(&html);
        let all: BTreeSet<String> = panels.keys().cloned().collect();
        assert_eq!(seen, all, "{page}: some panels cannot be reached");
        assert_eq!(
            html.matches(" data-first").count(),
            1,
            "{page}: one panel shows first"
        );
    }
}

#[test]
fn a_decision_guide_shows_the_answers_so_far_and_leads_to_the_right_pages() {
    let (_site, out) = built(Some(GUIDE));
    let page = read(&out, "guides/printer-trouble/index.html");
    let panels = panels(&page);
    let order: Vec<&str> = panels.keys().map(String::as_str).collect();
    assert_eq!(order, ["help", "help--2", "q-cable", "q-start"]);
    let cable = &panels["q-cable"];
    assert!(cable.contains(r##"<span class="guide-crumb-ask">What do you see?</span> <strong class="guide-crumb-answer">The queue says offline</strong> <a class="guide-change" href="#q-start">Change my answer"##), "{cable}");
    assert!(cable.contains(r#"href="/fixes/check-cable/""#));
    assert!(cable.contains(r#"href="/articles/printer-offline/guide/""#));
    assert!(
        cable.contains(r#"href="/articles/printer-basics/""#),
        "an article without fixes has no guide"
    );
    assert!(panels["q-start"].contains(r#"href="/status/offline/""#));
    assert!(panels["help--2"].contains(
        "1. What do you see? The queue says offline\n2. Is the cable plugged in? Nothing works\n"
    ));
}

#[test]
fn guides_are_listed_offered_on_the_home_page_and_in_the_sitemap_and_search() {
    let (site, out) = built(Some(GUIDE));
    let list = read(&out, "guides/index.html");
    assert!(list.contains(r#"<a class="card-link" href="/guides/printer-trouble/">What is wrong with the printer?</a>"#), "{list}");
    let home = read(&out, "index.html");
    assert!(
        home.contains("Not sure what is wrong?")
            && home.contains(r#"href="/guides/printer-trouble/""#),
        "{home}"
    );
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://kb.example.org/guides/</loc>"));
    assert!(sitemap.contains("<loc>https://kb.example.org/guides/printer-trouble/</loc>"));
    assert!(
        !sitemap.contains("/guide/</loc>"),
        "an article's guide repeats the article: {sitemap}"
    );
    let search = fixbook(&[
        "--root",
        &site.path().to_string_lossy(),
        "search",
        "what is wrong with the printer",
    ]);
    let found = crate::support::stdout(&search);
    assert!(
        found.starts_with("1. What is wrong with the printer? (guide)\n   https://kb.example.org/guides/printer-trouble/\n"),
        "{found}"
    );
    let docs = std::fs::read_to_string(out.path().join("search-index/docs/0.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(docs.contains(r#""kind":"guide""#), "{docs}");
}
