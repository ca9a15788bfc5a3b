//! The fast path for plain Markdown ([`canonical`]) gives byte for byte what the
//! sanitizer gives, over the shipped knowledge base and over generated Markdown.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use proptest::prelude::*;

use super::markdown::{BodyState, to_html};
use super::*;

/// The shipped knowledge base, loaded once for all cases.
static SHIPPED: LazyLock<(Config, Library)> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(root).unwrap_or_else(|d| panic!("{d:?}"));
    let library = crate::content::load(root)
        .unwrap_or_else(|d| panic!("{d:?}"))
        .library;
    (config, library)
});

/// A renderer over the shipped knowledge base, so that links to its files resolve.
static RENDERER: LazyLock<Renderer<'static>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let media = crate::media::Catalog::probe(root, &SHIPPED.0, &SHIPPED.1.media);
    Renderer::new(&SHIPPED.0, &SHIPPED.1).with_media(media)
});

/// Renders `text` as a body of `source`; when the renderer trusts it, the fast path must
/// equal the sanitizer's output. Returns whether it was trusted.
fn fast_path_matches(renderer: &Renderer<'_>, source: &SourceFile, text: &str) -> bool {
    let mut state = BodyState::new(source);
    let raw = to_html(renderer, text, 0, true, &mut state);
    if raw.trusted {
        assert_eq!(
            canonical::canonical(&raw.html),
            renderer.sanitizer.clean(&raw.html).html,
            "fast path differs for:\n{text}"
        );
    }
    raw.trusted
}

fn article_source(body: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from("content/articles/generated.md"),
        body: body.to_owned(),
        body_line: 1,
        lang: None,
        unverified: None,
    }
}

#[test]
fn shipped_bodies_on_the_fast_path_match_the_sanitizer() {
    let renderer = &*RENDERER;
    let library = &SHIPPED.1;
    let sources = library
        .articles
        .iter()
        .map(|a| &a.source)
        .chain(library.fixes.iter().map(|f| &f.source))
        .chain(library.statuses.iter().map(|s| &s.source));
    let mut trusted = 0;
    let mut total = 0;
    for source in sources {
        let segments = platform_tabs::segments(&source.body).unwrap_or_default();
        for segment in segments {
            let texts: Vec<&str> = match segment {
                Segment::Common { text, .. } => vec![text],
                Segment::Tabs(panels) => panels.iter().map(|p| p.text).collect(),
            };
            for text in texts {
                total += 1;
                trusted += usize::from(fast_path_matches(renderer, source, text));
            }
        }
    }
    // Most shipped bodies are plain Markdown; the rest (external links) take the full path.
    assert!(
        trusted * 3 >= total,
        "{trusted} of {total} segments trusted"
    );
}

#[test]
fn what_the_sanitizer_must_see_is_not_trusted() {
    let renderer = &*RENDERER;
    let source = article_source("");
    for text in [
        "<b>raw</b> html",
        "a <span>inline</span> tag",
        "![image](https://elsewhere.example/x.png)",
        "[off site](https://elsewhere.example/)",
        "[script](javascript:alert(1))",
        "[titled](#x \"a title\")",
        "a footnote[^1]\n\n[^1]: note",
        "- [ ] task",
        "| a |\n|:--|\n| b |",
        "<!-- ad -->\nbuy\n<!-- /ad -->",
    ] {
        assert!(
            !fast_path_matches(renderer, &source, text),
            "trusted: {text}"
        );
    }
    for text in [
        "plain *text* with `co<de>` & a < b > c \"quoted\" 'single'",
        "[a fix](../fixes/restart-device.md) and [a section](#why)",
        "```sh\necho \"it's\" > out\n```",
        "> [!WARNING]\n> careful",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "line  \nbreak\n\n---\n",
    ] {
        assert!(
            fast_path_matches(renderer, &source, text),
            "not trusted: {text}"
        );
    }
}

/// Markdown made of what the fast path takes, with text full of characters to escape.
fn markdown() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        "[a-zA-Z]{1,8}",
        Just("&".to_owned()),
        Just("&amp;".to_owned()),
        Just("<tag>".to_owned()),
        Just("1 < 2 > 0".to_owned()),
        Just("\"q\"".to_owned()),
        Just("it's".to_owned()),
        Just("a\u{a0}b".to_owned()),
        Just("Ünï—“x”".to_owned()),
        Just("*em*".to_owned()),
        Just("**strong**".to_owned()),
        Just("~~del~~".to_owned()),
        Just("`co<d>e \"x\"`".to_owned()),
        Just("[fix](../fixes/restart-device.md)".to_owned()),
        Just("[here](#a-b)".to_owned()),
        Just(
            "![The \"Shared Albums\" switch & more](../media/shared-albums-switch.svg)".to_owned()
        ),
        Just("![](../media/photos-library-status-line.svg \"It's <here>\")".to_owned()),
        Just("&copy;".to_owned()),
        Just("\\*".to_owned()),
    ];
    let line = proptest::collection::vec(word, 1..8).prop_map(|w| w.join(" "));
    let block = prop_oneof![
        line.clone(),
        line.clone().prop_map(|l| format!("## {l}")),
        line.clone().prop_map(|l| format!("### {l} {{#custom-id}}")),
        proptest::collection::vec(line.clone(), 1..4)
            .prop_map(|items| items.iter().map(|i| format!("- {i}\n")).collect::<String>()),
        proptest::collection::vec(line.clone(), 1..4).prop_map(|items| items
            .iter()
            .enumerate()
            .map(|(n, i)| format!("{}. {i}\n", n + 3))
            .collect::<String>()),
        line.clone().prop_map(|l| format!("> {l}")),
        line.clone().prop_map(|l| format!("> [!TIP]\n> {l}")),
        (line.clone(), line.clone())
            .prop_map(|(a, b)| format!("| {a} | x |\n|---|---|\n| {b} | y |")),
        (
            prop_oneof![Just("sh"), Just("rust"), Just(""), Just("nonsense")],
            line.clone()
        )
            .prop_map(|(lang, code)| format!("```{lang}\n{code}\n  indented \"q\" 'a'\n```")),
        line.clone().prop_map(|l| format!("{l}  \nnext")),
        Just("---".to_owned()),
    ];
    proptest::collection::vec(block, 1..6).prop_map(|blocks| blocks.join("\n\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_markdown_on_the_fast_path_matches_the_sanitizer(text in markdown()) {
        fast_path_matches(&RENDERER, &article_source(&text), &text);
    }
}

#[test]
fn every_link_to_another_site_a_page_keeps_is_listed_where_it_is_written() {
    let body = "Read [the guide](https://vendor.example/guide#setup) first.\n\
        \n\
        <p>Or <a href=\"http://other.example/a\">this</a>, <a href=\"../fixes/x/\">ours</a>.</p>\n\
        \n\
        ![Panel](https://cdn.example/panel.png) and [a deal](https://shop.example/p?aff_id=1)\n\
        \n\
        <script>var a = '<a href=\"https://hidden.example/\">';</script>\n\
        [Home](https://help.example.org/) and [mail](mailto:help@example.org)\n";
    let (config, library) = &*SHIPPED;
    let mut config = config.clone();
    config.base_url = "https://help.example.org/".to_owned();
    let renderer = Renderer::new(&config, library);
    let (rendered, _) = renderer.render(&article_source(body), "t");
    let found: Vec<(&str, usize, usize)> = rendered
        .external_links
        .iter()
        .map(|link| (link.url.as_str(), link.line, link.column))
        .collect();
    assert_eq!(
        found,
        [
            ("https://vendor.example/guide#setup", 1, 6),
            ("http://other.example/a", 3, 7),
            ("https://cdn.example/panel.png", 5, 1),
        ]
    );
}

#[test]
fn local_images_keep_a_body_on_the_fast_path_with_the_sanitizers_markup() {
    let site = tempfile::tempdir().unwrap();
    let media = site.path().join("content/media");
    std::fs::create_dir_all(&media).unwrap();
    // A landscape photo, a phone-shaped screenshot and an animation: each markup kind.
    image::RgbImage::from_pixel(1200, 800, image::Rgb([20, 90, 160]))
        .save(media.join("wide.png"))
        .unwrap();
    image::RgbImage::from_pixel(390, 844, image::Rgb([200, 200, 200]))
        .save(media.join("phone.jpg"))
        .unwrap();
    image::RgbImage::from_pixel(40, 30, image::Rgb([9, 9, 9]))
        .save(media.join("spinner.gif"))
        .unwrap();
    let paths: Vec<PathBuf> = ["wide.png", "phone.jpg", "spinner.gif"]
        .iter()
        .map(|name| PathBuf::from("content/media").join(name))
        .collect();
    let (config, library) = &*SHIPPED;
    let catalog = crate::media::Catalog::probe(site.path(), config, &paths);
    let renderer = Renderer::new(config, library).with_media(catalog);
    let body = "Open **Settings**:\n\n\
        ![The \"Photos\" row & its switch](../media/wide.png)\n\n\
        Then ![it's here](../media/phone.jpg \"Step 2\") and\n\n\
        [![Spinner](../media/spinner.gif)](../fixes/restart-device.md)\n";
    let source = article_source(body);
    assert!(fast_path_matches(&renderer, &source, body));
    let (rendered, diagnostics) = renderer.render(&source, "t");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let html = rendered.html.unpack();
    assert!(html.contains("<picture><source type=\"image/webp\""));
    assert!(html.contains("media media-portrait"));
    // An off-site image is not the renderer's own markup, and the sanitizer spells `<` in
    // attributes its own way: both take the full path.
    for text in [
        "![Panel](https://cdn.example/panel.png)\n",
        "![a <b> c](../media/wide.png)\n",
    ] {
        assert!(!fast_path_matches(&renderer, &article_source(text), text));
    }
}
