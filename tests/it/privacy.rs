//! Ad-free and private by construction: pages saved from the web build clean, every removal
//! is reported with its line, and no built page loads anything from another host.

use std::path::Path;

use crate::support::{fixbook, fixture, stderr};

/// `check` on a fixture: (exit code, standard error).
fn check(case: &str, extra: &[&str]) -> (i32, String) {
    let root = fixture(case);
    let mut args = vec!["--root", root.to_str().unwrap_or_default(), "check"];
    args.extend_from_slice(extra);
    let output = fixbook(&args);
    (output.status.code().unwrap_or(-1), stderr(&output))
}

/// Builds a fixture into a temporary folder and returns it with the build's stderr.
fn build(case: &str) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let root = fixture(case);
    let output = fixbook(&[
        "--root",
        root.to_str().unwrap_or_default(),
        "build",
        "--output",
        out.path().join("public").to_str().unwrap_or_default(),
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    (out, err)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `<div class="prose">` of a built page: the sanitized body.
fn prose(page: &str) -> &str {
    let start = page
        .find("<div class=\"prose\">")
        .unwrap_or_else(|| panic!("no prose in {page}"));
    let end = page[start..]
        .find("</div>\n    <footer")
        .map_or(page.len(), |e| start + e);
    &page[start..end]
}

const SAVED_ARTICLE_WARNINGS: &str = r#"warning: removed an ad block (lines 17–20)
  --> content/articles/router-keeps-dropping-wifi.md:17:1
  = help: pasted pages carry ads and trackers: fixbook leaves them out of the site; delete it from the file to silence this warning

warning: replaced the off-site image `https://static.example.com/uploads/router-lights.jpg` with a link
  --> content/articles/router-keeps-dropping-wifi.md:25:1
  = help: pages load nothing from other sites: copy the image into the site and link it relatively, or add `static.example.com` to `allowed_image_hosts` in fixbook.toml

warning: removed an ad block (lines 27–29)
  --> content/articles/router-keeps-dropping-wifi.md:27:1
  = help: pasted pages carry ads and trackers: fixbook leaves them out of the site; delete it from the file to silence this warning

warning: removed a `<script>` element loading `https://pagead.adnet.example/js/adsbygoogle.js?client=ca-pub-0000`
  --> content/articles/router-keeps-dropping-wifi.md:43:1
  = help: pages cannot carry scripts, styles or head elements from content; pasted pages carry ads and trackers: fixbook leaves them out of the site; delete it from the file to silence this warning

warning: removed an `<ins>` element
  --> content/articles/router-keeps-dropping-wifi.md:44:1
  = help: pasted pages carry ads and trackers: fixbook leaves them out of the site; delete it from the file to silence this warning

warning: removed a `<script>` element
  --> content/articles/router-keeps-dropping-wifi.md:48:1
  = help: pages cannot carry scripts, styles or head elements from content; pasted pages carry ads and trackers: fixbook leaves them out of the site; delete it from the file to silence this warning

warning: removed the `onclick` event handler of a `<p>` element
  --> content/articles/router-keeps-dropping-wifi.md:56:1
  = help: pages never run scripts from content; pasted pages carry ads and trackers: fixbook leaves them out of the site; delete it from the file to silence this warning

warning: removed the `style` attribute of a `<p>` element
  --> content/articles/router-keeps-dropping-wifi.md:56:1
  = help: the Content-Security-Policy forbids inline styles: format with Markdown instead

warning: removed a link with affiliate tracking (`aff_id`) to `shop.example.net`
  --> content/articles/router-keeps-dropping-wifi.md:56:58
  = help: links that earn someone a commission are ads; link to the maker's own page without tracking parameters, or delete it from the file to silence this warning

warning: removed an `<iframe>` element loading `https://video.example.net/embed/abc123`
  --> content/articles/router-keeps-dropping-wifi.md:58:1
  = help: pasted pages carry ads and trackers: fixbook leaves them out of the site; delete it from the file to silence this warning

warning: removed a `javascript:` link (its text is kept)
  --> content/articles/router-keeps-dropping-wifi.md:60:1
  = help: links may use http, https, mailto and tel, or point at another page of the site

checked 1 articles, 0 fixes and 0 status messages: no errors
"#;

const TABS_WARNINGS: &str = r#"warning: replaced the off-site video `https://video.example.net/howto.mp4` with a link
  --> content/articles/wifi-password-lost.md:9:1
  = help: pages load nothing from other sites: copy the file into the site and link it relatively

warning: removed the off-site `<track>` file `https://subs.example.net/reset.vtt`
  --> content/articles/wifi-password-lost.md:11:41
  = help: pages load nothing from other sites: copy the file into the site and link it relatively

warning: removed a link with affiliate tracking (`affid`) to `shop.example.net`
  --> content/articles/wifi-password-lost.md:13:19
  = help: links that earn someone a commission are ads; link to the maker's own page without tracking parameters, or delete it from the file to silence this warning

warning: replaced the off-site image `https://cdn.example.com/compare.png` with a link
  --> content/articles/wifi-password-lost.md:13:91
  = help: pages load nothing from other sites: copy the image into the site and link it relatively, or add `cdn.example.com` to `allowed_image_hosts` in fixbook.toml

warning: removed a `javascript:` link (its text is kept)
  --> content/articles/wifi-password-lost.md:13:136
  = help: links may use http, https, mailto and tel, or point at another page of the site

warning: removed an ad block (lines 14–16)
  --> content/fixes/reset-the-router.md:14:1
  = help: pasted pages carry ads and trackers: fixbook leaves them out of the site; delete it from the file to silence this warning

warning: replaced the off-site image `http://media.example.org/reset.png` with a link
  --> content/fixes/reset-the-router.md:24:1
  = help: pages load nothing over plain http or from other sites: copy the file into the site and link it relatively, or use an `https://` address on a host listed in `allowed_image_hosts`

checked 1 articles, 1 fixes and 0 status messages: no errors
"#;

#[test]
fn check_names_every_removal_with_its_line() {
    let (code, err) = check("web-saved-article", &[]);
    assert_eq!(code, 0);
    assert_eq!(err, SAVED_ARTICLE_WARNINGS);
}

#[test]
fn removals_inside_platform_tabs_and_fixes_point_at_their_file_lines() {
    let (code, err) = check("web-tabs-and-allowed-hosts", &[]);
    assert_eq!(code, 0);
    assert_eq!(err, TABS_WARNINGS);
}

#[test]
fn strict_makes_removals_fail_the_check() {
    let (code, err) = check("web-saved-article", &["--strict"]);
    assert_eq!(code, 1);
    assert!(
        err.ends_with("failed: 11 warning(s) with --strict\n"),
        "{err}"
    );
}

#[test]
fn build_reports_the_same_removals_and_still_builds() {
    let (_out, err) = build("web-saved-article");
    let warnings = SAVED_ARTICLE_WARNINGS
        .rsplit_once("checked")
        .map_or(SAVED_ARTICLE_WARNINGS, |(w, _)| w);
    assert!(err.starts_with(warnings), "{err}");
    assert!(err.contains("built "), "{err}");
}

#[test]
fn saved_web_page_builds_as_a_clean_article_keeping_its_content() {
    let (out, _) = build("web-saved-article");
    let page = read(
        &out.path()
            .join("public/articles/router-keeps-dropping-wifi/index.html"),
    );
    let body = prose(&page);
    for kept in [
        "<h2 id=\"1-restart-the-router\">1. Restart the Router",
        "<h2 id=\"2-pick-a-quieter-channel\">",
        "<h2 id=\"3-update-the-firmware\">",
        "<th align=\"center\">Good channels</th>",
        "<td align=\"right\">they do not overlap</td>",
        "networksetup",
        "<li>Find the <strong>Firmware</strong> or <strong>Update</strong> section.</li>",
        "<a href=\"https://static.example.com/uploads/router-lights.jpg\" rel=\"noopener noreferrer nofollow\">router status lights</a>",
        "<a href=\"https://docs.example.org/wifi-basics\" rel=\"noopener noreferrer nofollow\">the vendor's Wi-Fi basics</a>",
        "<img src=\"https://media.example.org/diagrams/channels.png\" alt=\"Channel overlap diagram\">",
        "<p>Still stuck?",
    ] {
        assert!(body.contains(kept), "lost `{kept}`:\n{body}");
    }
    for gone in [
        "adnet",
        "shop.example.net",
        "AFFILIATE",
        "<script",
        "<iframe",
        "<ins",
        "adsbygoogle",
        "onclick",
        "style=",
        "javascript:",
        "video.example.net",
        "Buy a mesh kit",
        "<!--",
    ] {
        assert!(!body.contains(gone), "`{gone}` survived:\n{body}");
    }
    assert!(
        page.contains("<p class=\"doc-lead\">This Article Explains Why"),
        "excerpt is the description"
    );
    assert!(
        page.contains("href=\"/tags/routers/\""),
        "categories become tags"
    );
}

#[test]
fn allowed_hosts_keep_their_images_and_media_stays_on_the_site() {
    let (out, _) = build("web-tabs-and-allowed-hosts");
    let fix = read(&out.path().join("public/fixes/reset-the-router/index.html"));
    assert!(fix.contains(
        "<img src=\"https://media.example.org/router-back.png\" alt=\"Back of the router\">"
    ));
    assert!(
        fix.contains("<img src=\"/images/reset-pin.png\" alt=\"Paper clip in the reset hole\">")
    );
    assert!(!fix.contains("deals.example.net"));
    let article = read(
        &out.path()
            .join("public/articles/wifi-password-lost/index.html"),
    );
    let body = prose(&article);
    assert!(body.contains("<a href=\"https://video.example.net/howto.mp4\" rel=\"noopener noreferrer nofollow\">Video on video.example.net</a>"), "{body}");
    assert!(
        body.contains("<video src=\"/videos/reset.mp4\" controls=\"\"></video>"),
        "{body}"
    );
    assert!(
        body.contains("<p>Still locked out?  or compare <a href=\"https://cdn.example.com/compare.png\" rel=\"noopener noreferrer nofollow\">image from cdn.example.com</a> and <a>this <em>JavaScript</em> link</a>.</p>"),
        "{body}"
    );
}

#[test]
fn no_built_page_refers_to_an_off_site_resource() {
    for case in ["web-saved-article", "web-tabs-and-allowed-hosts"] {
        let (out, _) = build(case);
        for entry in walkdir::WalkDir::new(out.path())
            .into_iter()
            .filter_map(Result::ok)
        {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let page = read(path);
            for attribute in [" src=\"", " srcset=\"", " poster=\"", " data=\""] {
                for (at, _) in page.match_indices(attribute) {
                    let value = &page[at + attribute.len()..];
                    let value = &value[..value.find('"').unwrap_or(value.len())];
                    let on_site =
                        !value.contains("//") || value.starts_with("https://media.example.org/");
                    assert!(on_site, "{}: {attribute}{value}", path.display());
                }
            }
        }
    }
}
