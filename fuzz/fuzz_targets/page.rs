//! The whole single-page pipeline on arbitrary bytes: front matter, Markdown, sanitizing
//! and the page template. A panic is a bug, and so is a sanitized body that still holds a
//! script, an event handler, a style attribute or an off-site resource.

#![no_main]

use std::path::Path;
use std::sync::{LazyLock, Mutex};

use fixbook::config::Config;
use fixbook::content::{self, Kind};
use fixbook::render::{self, sanitize::Sanitizer};
use fixbook::site::{Site, SiteOptions, theme::Theme};
use libfuzzer_sys::fuzz_target;

static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    Config::parse(include_str!("../site/fixbook.toml"))
        .unwrap_or_else(|d| panic!("fuzz/site/fixbook.toml: {d:?}"))
});

/// Templates are compiled once; every run renders with them.
static THEME: LazyLock<Mutex<Theme>> = LazyLock::new(|| {
    let built_in_only = Path::new(env!("CARGO_MANIFEST_DIR")).join("site");
    Mutex::new(Theme::load(&built_in_only).unwrap_or_else(|d| panic!("theme: {d:?}")))
});

static SANITIZER: LazyLock<Sanitizer> = LazyLock::new(|| Sanitizer::new(&CONFIG));

fuzz_target!(|data: &[u8]| {
    let path = Path::new("content/articles/page.md");
    let loaded = content::load_bytes(Kind::Article, "page", path, data.to_vec());
    let _ = fixbook::validate::validate(&CONFIG, &loaded.library, &loaded.broken);
    let renderer = render::Renderer::new(&CONFIG, &loaded.library);
    let (bodies, _) = render::render_library(&renderer, &loaded.library);
    for body in &bodies.articles {
        let violations = SANITIZER.audit(&body.html);
        assert!(violations.is_empty(), "{violations:?} in {}", body.html);
        // Tab markup is trusted output added after sanitizing; other bodies are fixed points.
        if !body.html.contains("data-platform-tabs") {
            assert_eq!(
                SANITIZER.clean_html(&body.html),
                body.html,
                "sanitizing a sanitized body changed it"
            );
        }
    }
    let mut theme = THEME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let _ =
        Site::new(&CONFIG, &loaded.library, &bodies).generate(&mut theme, SiteOptions::default());
});
