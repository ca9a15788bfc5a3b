//! The light English stemmer, mirrored rule for rule in `assets/search-engine.js`
//! (`stemEnglish`).
//!
//! Deliberately small (suffix stripping, no dictionary) so the two copies stay provably
//! equal. Only words of 4+ ASCII letters change; numbers, short words and words with other
//! characters are kept whole. Rules, in order:
//!
//! 1. plurals: `-ies` → `-y` (5+ letters), `-sses` → `-ss`; `-ss`, `-us`, `-is` stay;
//!    otherwise a final `-s` goes ("photos" → "photo");
//! 2. the first of `-ied` → `-y`, `-ing`, `-ed`, `-ly` that leaves 3+ letters with a vowel
//!    (4+ for `-ly`, so "apply" stays), then a doubled final consonant other than l, s, z
//!    is undoubled when 3+ letters remain ("stopped" → "stop", "adding" → "add");
//! 3. a final `-e` goes when 3+ letters remain, so "update", "updates", "updated" and
//!    "updating" all become "updat".

use std::borrow::Cow;

/// Shortest word the stemmer changes.
const MIN_LEN: usize = 4;
/// Shortest stem a rule may leave.
const MIN_STEM: usize = 3;

/// The English stem of a normalized word; the word itself, unallocated, when no rule
/// applies (most words of a text).
pub(super) fn stem(word: &str) -> Cow<'_, str> {
    if word.len() < MIN_LEN || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    let mut w = plural(word);
    suffix(&mut w);
    if w.len() > MIN_STEM && w.ends_with('e') {
        w.pop();
    }
    if w == word {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(w)
    }
}

fn plural(word: &str) -> String {
    if word.len() >= 5
        && let Some(head) = word.strip_suffix("ies")
    {
        return format!("{head}y");
    }
    if let Some(head) = word.strip_suffix("sses") {
        return format!("{head}ss");
    }
    if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        return word.to_owned();
    }
    word.strip_suffix('s').unwrap_or(word).to_owned()
}

fn suffix(w: &mut String) {
    for (ending, replacement, min) in [
        ("ied", "y", MIN_STEM),
        ("ing", "", MIN_STEM),
        ("ed", "", MIN_STEM),
        ("ly", "", MIN_STEM + 1),
    ] {
        let Some(head) = w.strip_suffix(ending) else {
            continue;
        };
        if head.len() < min || !head.bytes().any(is_vowel) {
            continue;
        }
        let mut head = format!("{head}{replacement}");
        if replacement.is_empty() {
            undouble(&mut head);
        }
        *w = head;
        return;
    }
}

fn undouble(w: &mut String) {
    let bytes = w.as_bytes();
    let n = bytes.len();
    if n > MIN_STEM
        && bytes[n - 1] == bytes[n - 2]
        && !is_vowel(bytes[n - 1])
        && !matches!(bytes[n - 1], b'l' | b's' | b'z')
    {
        w.pop();
    }
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_stem(words: &[&str]) {
        let stems: Vec<Cow<str>> = words.iter().map(|w| stem(w)).collect();
        assert!(
            stems.windows(2).all(|p| p[0] == p[1]),
            "{words:?} → {stems:?}"
        );
    }

    #[test]
    fn inflections_of_one_verb_share_a_stem() {
        same_stem(&["update", "updates", "updated", "updating"]);
        same_stem(&["pause", "paused", "pausing", "pauses"]);
        same_stem(&["sync", "syncs", "synced", "syncing"]);
        same_stem(&["upload", "uploads", "uploaded", "uploading"]);
        same_stem(&["stop", "stops", "stopped", "stopping"]);
        same_stem(&["share", "shared", "sharing"]);
        same_stem(&["set", "setting", "settings"]);
        same_stem(&["add", "adding", "added"]);
    }

    #[test]
    fn plurals_lose_their_ending() {
        assert_eq!(stem("photos"), "photo");
        assert_eq!(stem("batteries"), "battery");
        assert_eq!(stem("addresses"), "address");
        assert_eq!(stem("devices"), stem("device"));
        same_stem(&["empty", "emptied", "empties"]);
    }

    #[test]
    fn words_that_only_look_inflected_are_kept() {
        for word in [
            "status", "access", "this", "analysis", "string", "apply", "need",
        ] {
            assert_eq!(stem(word), word, "{word}");
        }
    }

    #[test]
    fn adverbs_lose_ly() {
        assert_eq!(stem("slowly"), "slow");
        assert_eq!(stem("completely"), stem("complete"));
    }

    #[test]
    fn doubled_l_s_z_stay() {
        assert_eq!(stem("installing"), "install");
        assert_eq!(stem("missing"), "miss");
        assert_eq!(stem("buzzing"), "buzz");
        assert_eq!(stem("running"), "run");
    }

    #[test]
    fn short_words_numbers_and_non_ascii_are_kept_whole() {
        for word in [
            "ios",
            "mac",
            "use",
            "1234",
            "ipv6s",
            "échouées",
            "größes",
            "",
        ] {
            assert_eq!(stem(word), word, "{word}");
        }
    }

    #[test]
    fn stemming_never_shortens_below_three_letters() {
        for word in [
            "uses", "used", "using", "tied", "ties", "eyes", "aged", "ring",
        ] {
            assert!(stem(word).len() >= MIN_STEM, "{word} → {}", stem(word));
        }
    }
}
