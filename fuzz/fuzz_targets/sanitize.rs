//! The sanitizer alone, on arbitrary HTML: fast enough to explore lol_html and ammonia
//! deeply. Its output must pass the audit and be a fixed point.

#![no_main]

use std::sync::LazyLock;

use fixbook::config::Config;
use fixbook::render::sanitize::Sanitizer;
use libfuzzer_sys::fuzz_target;

static SANITIZER: LazyLock<Sanitizer> = LazyLock::new(|| {
    let config = Config::parse(include_str!("../site/fixbook.toml"))
        .unwrap_or_else(|d| panic!("fuzz/site/fixbook.toml: {d:?}"));
    Sanitizer::new(&config)
});

fuzz_target!(|html: &str| {
    let cleaned = SANITIZER.clean(html);
    for (offset, _) in &cleaned.removals {
        assert!(*offset <= html.len(), "removal offset {offset} past the input");
    }
    let violations = SANITIZER.audit(&cleaned.html);
    assert!(violations.is_empty(), "{violations:?} in {}", cleaned.html);
    let again = SANITIZER.clean(&cleaned.html);
    assert_eq!(again.html, cleaned.html, "sanitizing twice changed the output");
});
