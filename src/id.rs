//! Ids: what a content file's name, a platform key or a tag turns into, and the check that
//! a name already is one. Every stage that names things asks here.

/// True when `s` is a valid id: lowercase ASCII letters, digits and single dashes inside.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The URL-safe form of a free-form name such as a tag ("Shared Albums" → "shared-albums").
pub fn slugify(name: &str) -> String {
    slug::slugify(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_validity() {
        assert!(is_valid_slug("sign-out-and-in"));
        assert!(is_valid_slug("ios18"));
        for bad in ["", "Sign", "a--b", "-a", "a-", "a_b", "a b", "..", "é"] {
            assert!(!is_valid_slug(bad), "{bad:?}");
        }
    }

    #[test]
    fn tags_become_url_safe() {
        assert_eq!(slugify("Shared Albums"), "shared-albums");
        assert_eq!(slugify("iCloud & Photos"), "icloud-photos");
    }
}
