//! Normalization of status messages and queries, shared by the status lookup and mirrored
//! character for character in `assets/search.js` (`normalize`, `tokens`).
//!
//! A reader copies what the screen shows with whatever keyboard they have: curly or straight
//! quotes, "…" or "...", odd spacing, any case, with or without accents ("Zurücksetzen",
//! "Zurucksetzen"). All of those must compare equal. Chinese and Japanese write no spaces:
//! a run of their characters becomes its overlapping pairs ("照片同步" → "照片 片同 同步"),
//! so a query typed without spaces finds the words inside it.

/// Longest query the lookup looks at, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most tokens the lookup looks at; the rest are ignored.
pub const MAX_QUERY_TOKENS: usize = 24;

/// Lowercases, drops apostrophes ("can't" = "cant"), joins digit groups ("1,234" = "1234"),
/// turns every other non-alphanumeric character (quotes, ellipses, punctuation) into a space
/// and collapses whitespace.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Most texts are plain ASCII: bytes are characters and lowercase one for one.
    if text.is_ascii() {
        normalize_ascii(text.as_bytes(), &mut out);
    } else {
        normalize_chars(&text.to_lowercase(), &mut out);
    }
    out
}

/// Calls `f` with each word of [`normalize`]`(text)` in order, as `split(' ')` would give
/// them, without building the normalized text when `text` is ASCII. `scratch` is a buffer
/// for the caller to reuse across texts.
pub fn for_each_word(text: &str, scratch: &mut String, mut f: impl FnMut(&str)) {
    scratch.clear();
    if !text.is_ascii() {
        normalize_chars(&text.to_lowercase(), scratch);
        scratch
            .split(' ')
            .filter(|word| !word.is_empty())
            .for_each(f);
        return;
    }
    // Words are runs of letters and digits, joined across the bytes that disappear
    // ("can't", "1,234"). Most are one run in lowercase already: a slice of `text`.
    let bytes = text.as_bytes();
    let run_end = |from: usize| {
        bytes[from..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| from + n)
    };
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        i = run_end(i);
        if i == bytes.len() || !is_dropped_ascii(bytes, i) {
            let word = &text[start..i];
            if word.bytes().any(|b| b.is_ascii_uppercase()) {
                scratch.clear();
                scratch.push_str(word);
                scratch.make_ascii_lowercase();
                f(scratch);
            } else {
                f(word);
            }
            continue;
        }
        scratch.clear();
        scratch.push_str(&text[start..i]);
        while i < bytes.len() {
            if bytes[i].is_ascii_alphanumeric() {
                let from = i;
                i = run_end(i);
                scratch.push_str(&text[from..i]);
            } else if is_dropped_ascii(bytes, i) {
                i += 1;
            } else {
                break;
            }
        }
        scratch.make_ascii_lowercase();
        f(scratch);
    }
    scratch.clear();
}

fn normalize_ascii(bytes: &[u8], out: &mut String) {
    let mut pending_space = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else if !is_dropped_ascii(bytes, i) {
            pending_space = true;
        }
    }
}

/// Whether the non-alphanumeric byte at `i` disappears without separating words: an
/// apostrophe, or a digit group separator ("1,234", "2.5").
fn is_dropped_ascii(bytes: &[u8], i: usize) -> bool {
    let b = bytes[i];
    is_apostrophe(char::from(b))
        || ((b == b',' || b == b'.')
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
}

/// The general case, over an already lowercased text: the whole text is lowercased at once
/// because a final capital sigma lowercases differently from one inside a word.
fn normalize_chars(lower: &str, out: &mut String) {
    let mut word = String::new();
    let mut before: Option<char> = None;
    let mut chars = lower.chars().peekable();
    while let Some(c) = chars.next() {
        let dropped = is_apostrophe(c)
            || is_dropped_mark(c)
            || ((c == ',' || c == '.')
                && before.is_some_and(|b| b.is_ascii_digit())
                && chars.peek().is_some_and(char::is_ascii_digit));
        before = Some(c);
        if dropped {
            continue;
        }
        if c.is_alphanumeric() {
            fold_into(c, &mut word);
        } else {
            push_word(&word, out);
            word.clear();
        }
    }
    push_word(&word, out);
}

/// Appends `c` without its accents: a Latin letter's canonical decomposition without its
/// combining marks (`é` → `e`, `ö` → `o`), `ß` → `ss`; other characters unchanged.
fn fold_into(c: char, word: &mut String) {
    use unicode_normalization::char::decompose_canonical;
    match c {
        'ß' => word.push_str("ss"),
        '\u{00c0}'..='\u{024f}' | '\u{1e00}'..='\u{1eff}' => {
            decompose_canonical(c, |part| {
                if !is_dropped_mark(part) {
                    word.push(part);
                }
            });
        }
        _ => word.push(c),
    }
}

/// Marks a reader may or may not type: combining accents (U+0300–U+036F) and Arabic
/// vowel signs and tatweel (U+064B–U+065F, U+0670, U+0640).
fn is_dropped_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{064b}'..='\u{065f}' | '\u{0670}' | '\u{0640}')
}

/// Chinese, Japanese (kana) and Korean characters: written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4dbf}' // CJK Extension A
        | '\u{4e00}'..='\u{9fff}' // CJK Unified Ideographs
        | '\u{f900}'..='\u{faff}' // CJK Compatibility Ideographs
        | '\u{ac00}'..='\u{d7af}' // Hangul syllables
        | '\u{ff66}'..='\u{ff9f}' // half-width Katakana
    )
}

/// Appends one word (space-separated): its CJK runs as overlapping pairs of characters (a
/// lone character as itself), the rest of it as words of their own.
fn push_word(word: &str, out: &mut String) {
    if word.is_empty() {
        return;
    }
    let mut push = |token: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(token);
    };
    if !word.chars().any(is_cjk) {
        push(word);
        return;
    }
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let cjk = is_cjk(chars[i]);
        let mut end = i;
        while end < chars.len() && is_cjk(chars[end]) == cjk {
            end += 1;
        }
        let run = &chars[i..end];
        if !cjk || run.len() == 1 {
            push(&run.iter().collect::<String>());
        } else {
            for pair in run.windows(2) {
                push(&pair.iter().collect::<String>());
            }
        }
        i = end;
    }
}

/// The normalized words of `text`, at most [`MAX_QUERY_TOKENS`] of them from its first
/// [`MAX_QUERY_CHARS`] characters.
pub fn query_tokens(text: &str) -> Vec<String> {
    let head: String = text.chars().take(MAX_QUERY_CHARS).collect();
    normalize(&head)
        .split(' ')
        .filter(|token| !token.is_empty())
        .take(MAX_QUERY_TOKENS)
        .map(str::to_owned)
        .collect()
}

/// The normalized words of a status message or alias (no length cap: writers control them).
pub fn message_tokens(text: &str) -> Vec<String> {
    normalize(text)
        .split(' ')
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A token made only of ASCII digits: in a message it stands for any count.
pub fn is_number(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit())
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '`' | '\u{00B4}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_surrounding_space_are_ignored() {
        assert_eq!(normalize("  Waiting   To\tUPLOAD "), "waiting to upload");
    }

    #[test]
    fn curly_and_straight_apostrophes_compare_equal() {
        assert_eq!(normalize("Can’t connect"), normalize("Can't connect"));
        assert_eq!(normalize("Can't connect"), "cant connect");
    }

    #[test]
    fn quotes_become_spaces() {
        assert_eq!(normalize("“Photos” is “Paused”"), "photos is paused");
        assert_eq!(normalize("\"Photos\" is \"Paused\""), "photos is paused");
    }

    #[test]
    fn unicode_and_ascii_ellipses_are_dropped() {
        assert_eq!(normalize("Syncing with iCloud…"), "syncing with icloud");
        assert_eq!(normalize("Syncing with iCloud..."), "syncing with icloud");
        assert_eq!(normalize("Syncing…with iCloud"), "syncing with icloud");
    }

    #[test]
    fn punctuation_separates_words() {
        assert_eq!(
            normalize("Upload failed: (error -36)."),
            "upload failed error 36"
        );
    }

    #[test]
    fn digit_groups_join_into_one_number() {
        assert_eq!(normalize("Uploading 1,234 items"), "uploading 1234 items");
        assert_eq!(normalize("Version 2.5 ready"), "version 25 ready");
    }

    #[test]
    fn accents_are_folded_and_other_letters_kept_lowercased() {
        assert_eq!(normalize("Mise à jour ÉCHOUÉE"), "mise a jour echouee");
        assert_eq!(normalize("Wird geladen … Größe"), "wird geladen grosse");
        assert_eq!(normalize("Zurücksetzen"), normalize("zurucksetzen"));
        assert_eq!(normalize("ΟΔΟΣ"), "οδος");
    }

    #[test]
    fn arabic_vowel_signs_are_dropped() {
        assert_eq!(normalize("الطَّابِعَة"), normalize("الطابعة"));
    }

    #[test]
    fn cjk_runs_become_overlapping_pairs() {
        assert_eq!(normalize("照片同步"), "照片 片同 同步");
        assert_eq!(normalize("iCloud照片"), "icloud 照片");
        assert_eq!(normalize("写"), "写");
        assert_eq!(
            normalize("アップロード待ち"),
            "アッ ップ プロ ロー ード ド待 待ち"
        );
    }

    #[test]
    fn query_tokens_are_capped() {
        let long = "word ".repeat(100);
        assert_eq!(query_tokens(&long).len(), MAX_QUERY_TOKENS);
        assert!(query_tokens("").is_empty());
        assert!(query_tokens("…!?").is_empty());
    }

    #[test]
    fn sigma_lowercases_by_its_place_in_the_word() {
        assert_eq!(normalize("ΟΔΟΣ ΟΔΟΣ."), "οδος οδος");
        assert_eq!(normalize("ΣΑΣ"), "σας");
    }

    fn words(text: &str, scratch: &mut String) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, scratch, |word| out.push(word.to_owned()));
        out
    }

    #[test]
    fn words_are_those_of_the_normalized_text() {
        let mut scratch = String::new();
        assert_eq!(
            words("  Can't upload 1,234 “photos”… (error -36).", &mut scratch),
            ["cant", "upload", "1234", "photos", "error", "36"]
        );
        assert_eq!(words("Mise à JOUR", &mut scratch), ["mise", "a", "jour"]);
        assert!(words(" …!? ", &mut scratch).is_empty());
        assert_eq!(words("x", &mut scratch), ["x"]);
    }

    /// The first implementation, kept as the definition the fast paths must match: words
    /// found one character at a time, each then folded and cut as [`push_word`] does.
    fn reference(text: &str) -> String {
        let lower = text.to_lowercase();
        let chars: Vec<char> = lower.chars().collect();
        let mut words: Vec<String> = vec![String::new()];
        for (i, &c) in chars.iter().enumerate() {
            let before = i.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(i + 1);
            let separator = matches!((before, after), (Some(b), Some(a)) if b.is_ascii_digit() && a.is_ascii_digit());
            if is_apostrophe(c) || is_dropped_mark(c) || ((c == ',' || c == '.') && separator) {
                continue;
            }
            if c.is_alphanumeric() {
                if let Some(word) = words.last_mut() {
                    fold_into(c, word);
                }
            } else {
                words.push(String::new());
            }
        }
        let mut out = String::new();
        for word in words {
            push_word(&word, &mut out);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn any_text_normalizes_and_splits_as_the_reference(
            text in "(?s).{0,60}|[ -~\\t\\n]{0,60}|[0-9.,'` aA\u{B4}\u{2019}\u{2026}\u{3A3}\u{3B1}\u{130}\u{212A}\u{FF11}]{0,60}"
        ) {
            let expected = reference(&text);
            proptest::prop_assert_eq!(&normalize(&text), &expected);
            let mut scratch = String::from("left over");
            let expected: Vec<&str> = expected.split(' ').filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(words(&text, &mut scratch), expected);
        }
    }

    #[test]
    fn numbers_are_ascii_digit_runs() {
        assert!(is_number("34"));
        assert!(!is_number("3a"));
        assert!(!is_number(""));
    }
}
