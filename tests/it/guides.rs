//! Guides: every article's guided mode and the authored guides of `content/guides/`, their
//! checks (exact diagnostics), their pages, and that every step is reachable by plain links.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::{build_into, fixbook, stderr};

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

/// `fixbook check` on a site with `guide`: the exit code and what it printed.
fn check(guide: &str) -> (i32, String) {
    let site = guide_site(Some(guide));
    let output = fixbook(&["--root", &site.path().to_string_lossy(), "check"]);
    (output.status.code().unwrap_or(-1), stderr(&output))
}

/// `GUIDE` with `from` replaced by `to`.
fn guide_with(from: &str, to: &str) -> String {
    assert!(GUIDE.contains(from), "the guide has no {from:?}");
    GUIDE.replacen(from, to, 1)
}

#[test]
fn a_valid_guide_checks_clean() {
    let (code, err) = check(GUIDE);
    assert_eq!(
        (code, err.as_str()),
        (
            0,
            "checked 2 articles, 3 fixes and 1 status messages: no errors\n"
        )
    );
}

#[test]
fn an_unknown_target_is_located_with_a_did_you_mean() {
    let cases = [
        (
            "question: cable",
            "question: cabel",
            "error: unknown question `cabel`\n  --> content/guides/printer-trouble.md:9:19\n  = help: did you mean `cable`?\n\nwarning: the question `cable` is never asked: no answer leads to it\n  --> content/guides/printer-trouble.md:14:9\n  = help: point an answer at it with `question: cable`, or remove it\n",
        ),
        (
            "article: printer-offline",
            "article: printer-ofline",
            "error: unknown article `printer-ofline`\n  --> content/guides/printer-trouble.md:21:18\n  = help: did you mean `printer-offline`?\n",
        ),
        (
            "fix: check-cable",
            "fix: check-cabel",
            "error: unknown fix `check-cabel`\n  --> content/guides/printer-trouble.md:19:14\n  = help: did you mean `check-cable`?\n",
        ),
        (
            "status: offline",
            "status: ofline",
            "error: unknown status message `ofline`\n  --> content/guides/printer-trouble.md:11:17\n  = help: did you mean `offline`?\n",
        ),
        (
            "fix: check-cable",
            "fix: replace-toner",
            "error: unknown fix `replace-toner`\n  --> content/guides/printer-trouble.md:19:14\n  = help: create content/fixes/replace-toner.md or point the answer elsewhere\n",
        ),
    ];
    for (from, to, expected) in cases {
        let (code, err) = check(&guide_with(from, to));
        assert_eq!(code, 1, "{to}: {err}");
        let warnings = expected.matches("warning: ").count();
        assert_eq!(
            err,
            format!("{expected}\nfailed: 1 error(s), {warnings} warning(s)\n")
        );
    }
}

#[test]
fn an_answer_that_leads_back_is_a_cycle_at_that_answer() {
    let (code, err) = check(&guide_with(
        "      - answer: Nothing works\n        get_help: true",
        "      - answer: Nothing works\n        question: start",
    ));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: this answer of `cable` leads back to the question `start`: readers would go round in circles\n  --> content/guides/printer-trouble.md:25:19\n  = help: send it to another question, an article, a fix, a status message or `get_help: true`\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn a_question_no_answer_leads_to_is_a_warning() {
    let guide = format!(
        "{}  - id: toner\n    ask: Is the toner low?\n    answers:\n      - answer: Yes\n        get_help: true\n---\n",
        GUIDE.strip_suffix("---\n").unwrap_or(GUIDE)
    );
    let (code, err) = check(&guide);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "warning: the question `toner` is never asked: no answer leads to it\n  --> content/guides/printer-trouble.md:26:9\n  = help: point an answer at it with `question: toner`, or remove it\n\nchecked 2 articles, 3 fixes and 1 status messages: no errors\n"
    );
}

#[test]
fn every_path_ends_somewhere() {
    let (code, err) = check(&guide_with(
        "      - answer: Something else\n        get_help: true\n",
        "      - answer: Something else\n",
    ));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: the answer “Something else” leads nowhere\n  --> content/guides/printer-trouble.md:12:17\n  = help: add one of `question:`, `article:`, `fix:`, `status:` or `get_help: true`\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
    let (code, err) = check(&guide_with(
        "    hint: Look at both ends.\n    answers:\n      - answer: I am not sure\n        fix: check-cable\n      - answer: Yes, and it is still offline\n        article: printer-offline\n      - answer: It has no cable\n        article: printer-basics\n      - answer: Nothing works\n        get_help: true\n",
        "    answers: []\n",
    ));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: the question `cable` has no answers: a reader who gets here is stuck\n  --> content/guides/printer-trouble.md:16:14\n  = help: add `answers:`, each with `answer:` and where it leads\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn the_answers_of_a_question_are_distinct_and_lead_to_one_place() {
    let (code, err) = check(&guide_with(
        "answer: It has no cable",
        "answer: i am  NOT sure",
    ));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: the question `cable` offers the answer “i am  NOT sure” twice\n  --> content/guides/printer-trouble.md:22:17\n  = help: readers cannot tell them apart: reword one or remove it\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
    let (code, err) = check(&guide_with(
        "        fix: check-cable\n",
        "        fix: check-cable\n        article: printer-offline\n",
    ));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: the answer “I am not sure” leads to two places\n  --> content/guides/printer-trouble.md:20:18\n  = help: keep one of `question:`, `article:`, `fix:`, `status:` and `get_help:`\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn question_ids_are_unique_ids() {
    let (code, err) = check(&guide_with("  - id: cable\n", "  - id: start\n"));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: unknown question `cable`\n  --> content/guides/printer-trouble.md:9:19\n  = help: add a question with `id: cable` or point the answer elsewhere\n\nerror: duplicate question id `start`\n  --> content/guides/printer-trouble.md:14:9\n  = help: line 5 has the same id; give each question its own\n\nfailed: 2 error(s), 0 warning(s)\n"
    );
    let (code, err) = check(&guide_with("  - id: start\n", "  - id: Start Here\n"));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: `Start Here` is not a valid question id\n  --> content/guides/printer-trouble.md:5:9\n  = help: ids name the question's anchor: use lowercase letters, digits and dashes, e.g. `start-here`\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn a_guide_without_questions_or_with_a_typo_in_a_key_is_refused() {
    let (code, err) = check("---\ntitle: Empty\n---\n");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: the guide has no questions\n  --> content/guides/printer-trouble.md:1:1\n  = help: add `questions:` with at least one question and its `answers:`\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
    let (code, err) = check(&guide_with(
        "        status: offline",
        "        staus: offline",
    ));
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: unknown front-matter key `staus`\n  --> content/guides/printer-trouble.md:11:9\n  = help: did you mean `status`?\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn a_guide_with_too_many_ways_through_it_is_refused() {
    // Twelve questions, each answered two ways that both lead to the next: 2^12 ways.
    let mut guide = String::from("---\ntitle: Many ways\nquestions:\n");
    for i in 0..12 {
        guide.push_str(&format!(
            "  - id: q{i}\n    ask: Question {i}?\n    answers:\n"
        ));
        for answer in ["Yes", "No"] {
            if i < 11 {
                guide.push_str(&format!(
                    "      - answer: {answer}\n        question: q{}\n",
                    i + 1
                ));
            } else {
                guide.push_str(&format!(
                    "      - answer: {answer}\n        get_help: true\n"
                ));
            }
        }
    }
    guide.push_str("---\n");
    let (code, err) = check(&guide);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: the guide has more than 1000 ways through it\n  --> content/guides/printer-trouble.md:4:9\n  = help: split it into several guides, or send more answers straight to articles\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

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
