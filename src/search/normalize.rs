//! Normalization of status messages and queries, shared by the status lookup and mirrored
//! character for character in `assets/search.js` (`normalize`, `tokens`).
//!
//! A reader copies what the screen shows with whatever keyboard they have: curly or straight
//! quotes, "…" or "...", odd spacing, any case. All of those must compare equal.

/// Longest query the lookup looks at, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most tokens the lookup looks at; the rest are ignored.
pub const MAX_QUERY_TOKENS: usize = 24;

/// Lowercases, drops apostrophes ("can't" = "cant"), joins digit groups ("1,234" = "1234"),
/// turns every other non-alphanumeric character (quotes, ellipses, punctuation) into a space
/// and collapses whitespace.
pub fn normalize(text: &str) -> String {
    let lower = text.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut out = String::with_capacity(lower.len());
    let mut pending_space = false;
    for (i, &c) in chars.iter().enumerate() {
        let dropped =
            is_apostrophe(c) || ((c == ',' || c == '.') && is_digit_group_separator(&chars, i));
        if dropped {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
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

fn is_digit_group_separator(chars: &[char], i: usize) -> bool {
    let before = i.checked_sub(1).and_then(|j| chars.get(j));
    let after = chars.get(i + 1);
    matches!((before, after), (Some(b), Some(a)) if b.is_ascii_digit() && a.is_ascii_digit())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests fail loudly by design
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
    fn non_ascii_letters_are_kept_and_lowercased() {
        assert_eq!(normalize("Mise à jour ÉCHOUÉE"), "mise à jour échouée");
    }

    #[test]
    fn query_tokens_are_capped() {
        let long = "word ".repeat(100);
        assert_eq!(query_tokens(&long).len(), MAX_QUERY_TOKENS);
        assert!(query_tokens("").is_empty());
        assert!(query_tokens("…!?").is_empty());
    }

    #[test]
    fn numbers_are_ascii_digit_runs() {
        assert!(is_number("34"));
        assert!(!is_number("3a"));
        assert!(!is_number(""));
    }
}
