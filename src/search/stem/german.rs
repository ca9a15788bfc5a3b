//! A light German stemmer: CISTEM (Weissweiler & Fraser, 2017, case-insensitive variant) on
//! folded words, with participles of separable verbs joined to their verb. Mirrored rule
//! for rule in `assets/search-engine.js` (`stemGerman`).
//!
//! CISTEM is a published suffix stripper that does better than Snowball German on German
//! gold standards and is a few lines long, so the browser's copy stays provably equal. It
//! folds umlauts and `ß` itself, which [`normalize`](super::super::normalize::normalize)
//! has already done. Only words of ASCII letters change (digits or other characters keep a
//! word whole). Rules, in order:
//!
//! 1. a leading `ge-` goes when 4+ letters follow ("geladen" → "laden"), except in the few
//!    words of `ge` and three letters whose longer forms would lose it (`GE_KEPT`:
//!    "Gerät", "Geräte");
//!    otherwise a `-ge-` after a separable prefix goes when 4+ letters follow
//!    ("hochgeladen" → "hochladen", "eingestellt" → "einstellt");
//! 2. `sch`, `ei`, `ie` count as one letter and a doubled letter as two distinct ones, so
//!    the lengths below are CISTEM's;
//! 3. while more than 3 letters remain: `-em`, `-er`, `-nd` go when more than 5 remain,
//!    else a final `-t`, else a final `-e`, `-s` or `-n`; stop when none applies.
//!
//! "hochgeladen", "hochladen", "hochlädt" → "hochlad"; "Fotos", "Foto" → "foto";
//! "synchronisiert", "synchronisieren" → "synchronisier".

use std::borrow::Cow;

/// Words of `ge` and three letters (and their longer forms) that keep their `ge`.
const GE_KEPT: &[&str] = &["gebet", "gebot", "geld", "gelb", "genau", "gerat"];

/// Separable verb prefixes, before the `ge` of a participle ("aufgeladen").
const SEPARABLE: &[&str] = &[
    "ab", "an", "auf", "aus", "bei", "durch", "ein", "fest", "her", "herunter", "hin", "hoch",
    "los", "mit", "nach", "um", "vor", "weg", "wieder", "zu", "zuruck", "zusammen",
];

/// Shortest rest after a `ge` that is dropped.
const MIN_REST: usize = 4;

/// The German stem of a normalized word; the word itself, unallocated, when no rule
/// applies.
pub(super) fn stem(word: &str) -> Cow<'_, str> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    let w = without_ge(word);
    // Placeholders are upper case: normalized words have none.
    let w = w.replace("sch", "S").replace("ei", "E").replace("ie", "I");
    let mut w = mark_doubles(&w);
    while w.len() > 3 {
        if w.len() > 5 && (w.ends_with("em") || w.ends_with("er") || w.ends_with("nd")) {
            w.truncate(w.len() - 2);
        } else if w.ends_with('t') || w.ends_with(['e', 's', 'n']) {
            w.pop();
        } else {
            break;
        }
    }
    let w = unmark_doubles(&w)
        .replace('S', "sch")
        .replace('E', "ei")
        .replace('I', "ie");
    if w == word {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(w)
    }
}

/// `word` without the `ge` of a participle (rule 1).
fn without_ge(word: &str) -> String {
    if let Some(rest) = word.strip_prefix("ge") {
        if rest.len() >= MIN_REST && !GE_KEPT.iter().any(|kept| word.starts_with(kept)) {
            return rest.to_owned();
        }
        return word.to_owned();
    }
    for prefix in SEPARABLE {
        if let Some(rest) = word
            .strip_prefix(prefix)
            .and_then(|after| after.strip_prefix("ge"))
            && rest.len() >= MIN_REST
        {
            return format!("{prefix}{rest}");
        }
    }
    word.to_owned()
}

/// The second letter of each pair of equal letters, left to right, as `*` ("stellen" →
/// "stel*en").
fn mark_doubles(w: &str) -> String {
    let bytes = w.as_bytes();
    let mut out = String::with_capacity(w.len());
    let mut i = 0;
    while i < bytes.len() {
        out.push(char::from(bytes[i]));
        if bytes.get(i + 1) == Some(&bytes[i]) {
            out.push('*');
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

fn unmark_doubles(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut last = None;
    for c in w.chars() {
        match (c, last) {
            ('*', Some(previous)) => out.push(previous),
            _ => out.push(c),
        }
        last = Some(c);
    }
    out
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
    fn inflections_of_one_word_share_a_stem() {
        same_stem(&["hochgeladen", "hochladen", "hochladt", "hochlade"]);
        same_stem(&["fotos", "foto"]);
        same_stem(&["synchronisiert", "synchronisieren"]);
        same_stem(&["geloscht", "loschen", "loscht"]);
        same_stem(&["eingestellt", "einstellen", "einstellt"]);
        same_stem(&["drucker", "druckers"]);
        same_stem(&["gerat", "gerate", "geraten", "gerates"]);
        same_stem(&["einstellung", "einstellungen"]);
        same_stem(&["gesendet", "senden", "sendet"]);
        same_stem(&["gehen", "geht"]);
        assert_eq!(stem("hochgeladen"), "hochlad");
        assert_eq!(stem("synchronisiert"), "synchronisier");
        assert_eq!(stem("fotos"), "foto");
    }

    #[test]
    fn doubled_letters_and_sch_ei_ie_survive() {
        assert_eq!(stem("stellen"), "stell");
        assert_eq!(stem("loschen"), "losch");
        assert_eq!(stem("schreiben"), "schreib");
        assert_eq!(stem("papierstau"), "papierstau");
    }

    #[test]
    fn short_words_numbers_and_non_ascii_are_kept_whole() {
        for word in [
            "",
            "a",
            "an",
            "ist",
            "den",
            "1234",
            "ipv6",
            "usb3",
            "日本語",
            "é",
            "ge",
        ] {
            assert_eq!(stem(word), word, "{word}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_word_gives_a_shorter_or_equal_stem_of_its_letters(word in "[a-z]{0,24}|.{0,12}") {
            let stemmed = stem(&word);
            proptest::prop_assert!(stemmed.len() <= word.len());
            proptest::prop_assert_eq!(stemmed.is_empty(), word.is_empty());
            proptest::prop_assert!(stemmed.bytes().all(|b| word.as_bytes().contains(&b)));
        }
    }

    #[test]
    fn stems_keep_three_letters() {
        for word in ["teste", "tests", "ernten", "essen", "nennt", "gesetzt"] {
            assert!(stem(word).len() >= 3, "{word} → {}", stem(word));
        }
    }
}
