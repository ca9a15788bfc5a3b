//! Tests of `rewrite`.

use super::*;

#[test]
fn character_references_are_decoded_like_a_browser_would() {
    assert_eq!(
        decode_attribute("https&#58;//x.example/a?b=1&amp;c=2"),
        "https://x.example/a?b=1&c=2"
    );
    assert_eq!(decode_attribute("a&colon;b"), "a:b");
    assert_eq!(decode_attribute("say \"hi\" &amp; go"), "say \"hi\" & go");
    assert_eq!(decode_attribute("plain"), "plain");
}

#[test]
fn only_a_lone_text_align_converts() {
    assert_eq!(text_align("text-align: center"), Some("center"));
    assert_eq!(text_align("text-align:RIGHT;"), Some("right"));
    assert_eq!(text_align("text-align: center; color: red"), None);
    assert_eq!(text_align("color: red"), None);
}
