//! Multilingual sites over two fixtures: `multilingual` (English, German and Arabic, some
//! pages translated, the rest falling back to English) and `cjk` (a Japanese site, written
//! without spaces). Every page kind exists in every language, untranslated pages say so,
//! alternates and sitemaps link the languages, each language is searched on its own, and
//! every check on translations has its exact diagnostic. Search per language is in
//! `i18n_search`, serving and the browser in `i18n_serve`.

use std::collections::BTreeMap;
use std::path::Path;

use fixbook::site::SiteOptions;

use crate::support::{copy_fixture, fixbook, fixture, stderr};

/// Every file of a full build of the site at `root`, by path.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fixbook::compile(root, SiteOptions::default())
        .unwrap_or_else(|f| panic!("{:#?}", f.diagnostics()))
        .files
        .into_iter()
        .map(|f| (f.path, f.bytes))
        .collect()
}

fn text<'a>(files: &'a BTreeMap<String, Vec<u8>>, path: &str) -> &'a str {
    let bytes = files.get(path).unwrap_or_else(|| {
        panic!(
            "no {path} in {:?}",
            files.keys().take(40).collect::<Vec<_>>()
        )
    });
    std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_page_of_the_default_language_exists_in_every_language() {
    let files = files(&fixture("multilingual"));
    let site_wide = ["robots.txt", "_redirects", "redirects.nginx.conf"];
    let pages: Vec<&String> = files
        .keys()
        .filter(|p| !p.starts_with("de/") && !p.starts_with("ar/") && !p.starts_with("assets/"))
        .filter(|p| !site_wide.contains(&p.as_str()))
        .filter(|p| p.ends_with(".html") || p.ends_with(".xml"))
        .collect();
    assert!(pages.len() > 20, "{pages:?}");
    for code in ["de", "ar"] {
        for page in &pages {
            assert!(
                files.contains_key(&format!("{code}/{page}")),
                "{code}/{page} is missing"
            );
        }
        for file in [
            "status-index.json",
            "search-index/meta.json",
            "atom.xml",
            "sitemap.xml",
        ] {
            assert!(
                files.contains_key(&format!("{code}/{file}")),
                "{code}/{file}"
            );
        }
        // The theme's files and the site-wide ones exist once, at the root.
        assert!(
            !files
                .keys()
                .any(|p| p.starts_with(&format!("{code}/assets/")))
        );
        assert!(!files.contains_key(&format!("{code}/robots.txt")));
    }
}

#[test]
fn an_untranslated_page_shows_the_default_language_with_the_notice() {
    let files = files(&fixture("multilingual"));
    let fallback = text(&files, "de/fixes/reinstall-driver/index.html");
    assert!(
        fallback.contains("<html lang=\"de\" dir=\"ltr\""),
        "{fallback}"
    );
    assert!(
        fallback.contains("<main id=\"main\" class=\"site-main\" tabindex=\"-1\" lang=\"en\" dir=\"ltr\">\n<div class=\"container\"><p class=\"untranslated-notice\" role=\"note\" lang=\"de\" dir=\"ltr\">Diese Seite wurde noch nicht übersetzt. <a href=\"/help/fixes/reinstall-driver/\" hreflang=\"en\" lang=\"en\">English</a></p></div>"),
        "{fallback}"
    );
    assert!(fallback.contains("Reinstall the printer driver"));
    // Its links and fix lists stay in the language's pages.
    let article = text(&files, "de/articles/printer-offline/index.html");
    assert!(!article.contains("untranslated-notice"), "{article}");
    assert!(article.contains("<h1 class=\"doc-title\">Drucker wird als offline angezeigt</h1>"));
    assert!(article.contains("href=\"/help/de/fixes/reinstall-driver/\""));
    assert!(
        article.contains("href=\"/help/de/fixes/check-cable/\""),
        "a link to an original's file goes to the language's page"
    );
    // The theme's words and dates are the page's language.
    assert!(article.contains("Aktualisiert <time datetime=\"2025-04-10\">10. April 2025</time>"));
    assert!(article.contains(">Probleme</a></li>"));
    assert!(article.contains("placeholder=\"Probleme &amp; Meldungen suchen\""));
    assert!(article.contains("Geringes Risiko"));
    // The default language's pages have neither notice nor marks.
    let english = text(&files, "fixes/reinstall-driver/index.html");
    assert!(!english.contains("untranslated-notice"));
    assert!(english.contains("<main id=\"main\" class=\"site-main\" tabindex=\"-1\">"));
}

#[test]
fn pages_link_every_language_and_the_switcher_keeps_the_page() {
    let files = files(&fixture("multilingual"));
    let page = text(&files, "ar/status/offline/index.html");
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\" data-base=\"/help/ar/\" data-root=\"/help/\" data-lang=\"ar\">"));
    for (code, url) in [
        ("en", "https://kb.example.org/help/status/offline/"),
        ("de", "https://kb.example.org/help/de/status/offline/"),
        ("ar", "https://kb.example.org/help/ar/status/offline/"),
        ("x-default", "https://kb.example.org/help/status/offline/"),
    ] {
        let link = format!("<link rel=\"alternate\" hreflang=\"{code}\" href=\"{url}\">");
        assert!(page.contains(&link), "{link}");
    }
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://kb.example.org/help/ar/status/offline/\">"
    ));
    assert!(page.contains(
        "<li><a href=\"/help/de/status/offline/\" hreflang=\"de\" lang=\"de\">Deutsch</a></li>"
    ));
    assert!(page.contains("<li><a href=\"/help/ar/status/offline/\" hreflang=\"ar\" lang=\"ar\" aria-current=\"page\">العربية</a></li>"));
    assert!(page.contains("<span>الطابعة غير متصلة</span></h1>"));
}

#[test]
fn each_language_has_a_sitemap_with_every_alternate_and_a_feed() {
    let files = files(&fixture("multilingual"));
    let sitemap = text(&files, "de/sitemap.xml");
    assert!(sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"));
    assert!(sitemap.contains("  <url><loc>https://kb.example.org/help/de/fixes/check-cable/</loc><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://kb.example.org/help/fixes/check-cable/\"/><xhtml:link rel=\"alternate\" hreflang=\"de\" href=\"https://kb.example.org/help/de/fixes/check-cable/\"/><xhtml:link rel=\"alternate\" hreflang=\"ar\" href=\"https://kb.example.org/help/ar/fixes/check-cable/\"/></url>\n"), "{sitemap}");
    let robots = text(&files, "robots.txt");
    assert_eq!(
        robots,
        "User-agent: *\nAllow: /\n\nSitemap: https://kb.example.org/help/sitemap.xml\nSitemap: https://kb.example.org/help/de/sitemap.xml\nSitemap: https://kb.example.org/help/ar/sitemap.xml\n"
    );
    let feed = text(&files, "de/atom.xml");
    assert!(
        feed.contains(" xml:lang=\"de\">\n  <title>Druckerhilfe</title>"),
        "{feed}"
    );
    assert!(
        feed.contains("<link href=\"https://kb.example.org/help/de/articles/printer-offline/\"/>")
    );
}

#[test]
fn a_site_declaring_languages_without_translations_builds_every_page_as_a_fallback() {
    let site = copy_fixture("multilingual");
    for entry in walkdir::WalkDir::new(site.path().join("content")) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let name = entry.file_name().to_string_lossy();
        if name.ends_with(".de.md") || name.ends_with(".ar.md") {
            std::fs::remove_file(entry.path()).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let files = files(site.path());
    let pages: Vec<&String> = files
        .keys()
        .filter(|p| p.starts_with("de/") && p.ends_with("/index.html"))
        .filter(|p| p.contains("articles/") || p.contains("fixes/") || p.contains("status/"))
        .filter(|p| p.matches('/').count() == 3)
        .collect();
    assert_eq!(pages.len(), 7, "{pages:?}");
    for page in pages {
        assert!(text(&files, page).contains("untranslated-notice"), "{page}");
    }
}

#[test]
fn a_site_without_languages_has_no_language_folders_or_marks() {
    let files = files(&fixture("valid-site"));
    assert!(!files.keys().any(|p| p.starts_with("de/")));
    let page = text(&files, "index.html");
    assert!(
        !page.contains("hreflang")
            && !page.contains("data-lang")
            && !page.contains("fixbook-words")
    );
    assert!(page.contains("<html lang=\"en\" dir=\"ltr\" data-base=\"/help/\">"));
}

#[test]
fn builds_are_deterministic_in_every_language() {
    let root = fixture("multilingual");
    assert_eq!(files(&root), files(&root));
}

#[test]
fn check_prints_each_languages_coverage_and_lists_unverified_translations() {
    let root = fixture("multilingual");
    let output = fixbook(&["--root", &root.to_string_lossy(), "check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "checked 2 articles, 3 fixes and 2 status messages: no errors\n\
         translated into de: 2 of 2 articles, 2 of 3 fixes, 2 of 2 status messages (1 unverified)\n\
         translated into ar: 0 of 2 articles, 0 of 3 fixes, 1 of 2 status messages (1 unverified)\n\
         unverified: content/status/offline.ar.md: لم يتم التحقق من نص الرسالة على الشاشة\n\
         unverified: content/status/offline.de.md: Der genaue Wortlaut der Druckwarteschlange unter Windows ist nicht bestätigt\n"
    );
}

/// `fixbook check` of the multilingual fixture with `files` written over it.
fn check_with(files: &[(&str, &str)], strict: bool) -> (i32, String) {
    let site = copy_fixture("multilingual");
    for (path, text) in files {
        std::fs::write(site.path().join(path), text).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let root = site.path().to_string_lossy().into_owned();
    let mut args = vec!["--root", &root, "check"];
    if strict {
        args.push("--strict");
    }
    let output = fixbook(&args);
    (output.status.code().unwrap_or(-1), stderr(&output))
}

const STATUS_DE: &str = "---\nmessage: Drucker offline\nmeaning: Der Computer erreicht den Drucker nicht.\nseverity: warning\nplatforms: [windows, mac]\nfixes: [check-cable, restart-printer]\n---\n\nText.\n";

#[test]
fn a_translation_into_an_undeclared_language_is_an_error_with_the_nearest_code() {
    let (code, err) = check_with(&[("content/status/offline.dee.md", STATUS_DE)], false);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: unknown language `dee` in the file name\n  --> content/status/offline.dee.md\n  = help: did you mean `de`?\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
    let (code, err) = check_with(&[("content/status/offline.en.md", STATUS_DE)], false);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: `.en.md` is a translation into the site's default language\n  --> content/status/offline.en.md\n  = help: the original (without `.en`) is already in `en`; rename the file, or set another `language` in fixbook.toml\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn a_translation_without_an_original_is_an_error() {
    let (code, err) = check_with(&[("content/status/ofline.de.md", STATUS_DE)], false);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: translation of the status message `ofline`, which does not exist\n  --> content/status/ofline.de.md\n  = help: did you mean `offline`? A translation has its original's file name, with the language before `.md`\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn a_translation_whose_structure_differs_is_a_warning_that_strict_fails() {
    let changed = STATUS_DE.replace(
        "fixes: [check-cable, restart-printer]",
        "fixes: [restart-printer]",
    );
    let files = [("content/status/offline.de.md", changed.as_str())];
    let (code, err) = check_with(&files, false);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.starts_with("warning: `fixes` differs from the original's\n  --> content/status/offline.de.md:6:9\n  = help: a translation keeps the structure of `content/status/offline.md`: copy `fixes: [check-cable, restart-printer]` unchanged\n"),
        "{err}"
    );
    let (code, err) = check_with(&files, true);
    assert_eq!(code, 1);
    assert!(
        err.ends_with("failed: 1 warning(s) with --strict\n"),
        "{err}"
    );
}

#[test]
fn ids_in_a_translation_resolve_like_the_originals() {
    let text = STATUS_DE.replace(
        "fixes: [check-cable, restart-printer]",
        "fixes: [check-cable, restart-printr]",
    );
    let (code, err) = check_with(&[("content/status/offline.de.md", &text)], false);
    assert_eq!(code, 1);
    assert!(
        err.contains("error: unknown fix `restart-printr`\n  --> content/status/offline.de.md:6:22\n  = help: did you mean `restart-printer`?\n"),
        "{err}"
    );
}

#[test]
fn unverified_belongs_on_translations_only() {
    let original = "---\ntitle: Reinstall the printer driver\nrisk: high\nduration: 20 min\nplatforms: [windows]\nwarning: Print queues are deleted.\nunverified: not sure\n---\n\nRemove the printer.\n";
    let (code, err) = check_with(&[("content/fixes/reinstall-driver.md", original)], false);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: `unverified` is only for translations\n  --> content/fixes/reinstall-driver.md:7:13\n  = help: this file is in the site's default language; remove the key, or move the note to the translation it is about (e.g. `slug.de.md`)\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn a_language_that_is_not_a_code_is_an_error_in_the_config() {
    let site = copy_fixture("multilingual");
    let config = site.path().join("fixbook.toml");
    let text = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &config,
        text.replace("[languages.ar]", "[languages.Arabic]"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = fixbook(&["--root", &site.path().to_string_lossy(), "check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: `Arabic` is not a language code\n  --> fixbook.toml:19:1\n  = help: use a lowercase BCP 47 tag, e.g. `[languages.de]` or `[languages.pt-br]`\n"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn init_with_languages_writes_a_bilingual_starter_that_passes_check_strict() {
    for (languages, default, translated) in [("en,de", "en", "de"), ("de,en", "de", "en")] {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let site = dir.path().join("help");
        let site_arg = site.to_string_lossy().into_owned();
        let output = fixbook(&["init", &site_arg, "--languages", languages]);
        assert!(output.status.success(), "{}", stderr(&output));
        let config =
            std::fs::read_to_string(site.join("fixbook.toml")).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            config.contains(&format!("language = \"{default}\"")),
            "{config}"
        );
        assert!(
            config.contains(
                "[languages.en]\nlabel = \"English\"\n[languages.de]\nlabel = \"Deutsch\"\n"
            ) || config.contains(
                "[languages.de]\nlabel = \"Deutsch\"\n[languages.en]\nlabel = \"English\"\n"
            ),
            "{config}"
        );
        assert!(
            site.join(format!("content/status/waiting-to-sync.{translated}.md"))
                .is_file()
        );
        let checked = fixbook(&["--root", &site_arg, "check", "--strict"]);
        assert!(
            checked.status.success(),
            "{languages}: {}",
            stderr(&checked)
        );
        assert!(
            stderr(&checked).contains(&format!("translated into {translated}: 1 of 1 articles, 1 of 1 fixes, 1 of 1 status messages")),
            "{}",
            stderr(&checked)
        );
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let refused = fixbook(&[
        "init",
        &dir.path().join("x").to_string_lossy(),
        "--languages",
        "en,German",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("`German` is not a language code"),
        "{}",
        stderr(&refused)
    );
}
