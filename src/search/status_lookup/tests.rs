//! Tests of the status lookup.

use super::super::fixtures::sample_lookup;
use super::*;

fn best(query: &str) -> Option<String> {
    sample_lookup()
        .looks_like_status(query)
        .map(|found| found.slug)
}

#[test]
fn transposed_letters_still_find_the_status() {
    assert_eq!(
        best("waiting to uplaod").as_deref(),
        Some("waiting-to-upload")
    );
}

#[test]
fn shouted_status_is_found_exactly() {
    let found = sample_lookup().looks_like_status("PAUSED").unwrap();
    assert_eq!(found.slug, "paused");
    assert!(found.exact);
    assert_eq!(found.edits, 0);
}

#[test]
fn ascii_ellipsis_matches_the_unicode_one() {
    let found = sample_lookup()
        .looks_like_status("syncing with icloud...")
        .unwrap();
    assert_eq!(found.slug, "syncing-with-icloud");
    assert!(found.exact);
}

#[test]
fn exact_message_is_exact() {
    let found = sample_lookup()
        .looks_like_status("Waiting for photos")
        .unwrap();
    assert_eq!(found.slug, "waiting-for-photos");
    assert!(found.exact);
}

#[test]
fn alias_finds_its_status() {
    assert_eq!(best("Upload paused").as_deref(), Some("paused"));
}

#[test]
fn any_count_matches_an_alias_with_a_count() {
    let found = sample_lookup()
        .looks_like_status("Paused uploading 1,205 items")
        .unwrap();
    assert_eq!(found.slug, "paused");
    assert!(found.exact);
}

#[test]
fn count_typo_and_case_together() {
    assert_eq!(best("paused uplaoding 7 itmes").as_deref(), Some("paused"));
}

#[test]
fn unrelated_question_is_not_a_status() {
    assert_eq!(best("how do I print a photo"), None);
}

#[test]
fn short_words_tolerate_no_typo() {
    // "to" has 0 edits allowed, so "too" does not cover the message.
    assert_eq!(best("waiting too upload"), None);
    assert!(!sample_lookup().lookup("waiting too upload").is_empty());
}

#[test]
fn long_words_tolerate_two_typos_but_not_three() {
    assert_eq!(
        best("wiatnig to uplaod").as_deref(),
        Some("waiting-to-upload")
    );
    assert_eq!(best("wtng to upload"), None);
}

#[test]
fn status_inside_a_short_question_still_counts() {
    assert_eq!(
        best("waiting to upload iphone").as_deref(),
        Some("waiting-to-upload")
    );
    assert_eq!(
        best("why does my iphone keep saying waiting to upload").as_deref(),
        Some("waiting-to-upload")
    );
    assert_eq!(best("why do my photos need waiting to upload"), None);
}

#[test]
fn partial_message_is_suggested_but_not_decided() {
    let matches = sample_lookup().lookup("waiting to");
    assert_eq!(matches[0].slug, "waiting-to-upload");
    assert_eq!((matches[0].covered, matches[0].tokens), (2, 3));
    assert_eq!(best("waiting to"), None);
}

#[test]
fn exact_beats_fuzzy_and_ties_break_by_slug() {
    let matches = sample_lookup().lookup("uploading");
    assert_eq!(matches[0].slug, "uploading");
    assert!(matches[0].exact);
}

#[test]
fn empty_and_punctuation_only_queries_find_nothing() {
    assert!(sample_lookup().lookup("").is_empty());
    assert!(sample_lookup().lookup(" …?! ").is_empty());
}

#[test]
fn tolerance_grows_with_word_length() {
    assert_eq!(tolerance(3), 0);
    assert_eq!(tolerance(4), 1);
    assert_eq!(tolerance(6), 1);
    assert_eq!(tolerance(7), 2);
}

#[test]
fn browser_json_lists_every_entry_with_aliases() {
    let json: serde_json::Value = serde_json::from_str(&sample_lookup().to_browser_json()).unwrap();
    assert_eq!(json["version"], 2);
    assert!(json["stop"].as_array().unwrap().iter().any(|w| w == "my"));
    assert!(json["cues"].as_array().unwrap().iter().any(|w| w == "says"));
    let statuses = json["statuses"].as_array().unwrap();
    assert_eq!(statuses.len(), sample_lookup().entries().len());
    let paused = statuses.iter().find(|s| s["slug"] == "paused").unwrap();
    assert_eq!(paused["aliases"][0], "Paused uploading 34 items");
}

proptest::proptest! {
    #[test]
    fn lookup_never_panics(query in "\\PC{0,300}") {
        let lookup = sample_lookup();
        let _ = lookup.lookup(&query);
        let _ = lookup.looks_like_status(&query);
    }

    #[test]
    fn lookup_never_panics_on_status_like_noise(
        query in "(?i)(waiting|to|upload|paused|1,234|…|\\.\\.\\.|’| ){0,40}"
    ) {
        let _ = sample_lookup().lookup(&query);
    }
}
