//! `aliases:`: the old addresses of a page, which keep working after it was renamed or
//! moved. Each entry is read here into the path under the site's base that used to show
//! the page (`articles/old-name/`, `old/page.html`), or refused with what to write instead.

use super::Kind;

/// Why an `aliases:` entry is not an old address: the message and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasError {
    /// What is wrong.
    pub message: String,
    /// What to write instead.
    pub hint: String,
}

/// The characters an old address may have besides `/`: what slugs, file names and the
/// usual generated URLs use. Anything else (spaces, quotes, `;`, `%`) would need quoting or
/// decoding in the redirect files and is refused rather than guessed at.
fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')
}

/// The longest part between two slashes: a redirect page's folder or file name, which
/// disks limit to 255 bytes.
const MAX_SEGMENT: usize = 200;

/// True when an `aliases:` entry of a status message is an old address rather than another
/// spelling of the message: it starts with `/`.
pub fn is_address(entry: &str) -> bool {
    entry.starts_with('/')
}

/// Reads one `aliases:` entry of a page of `kind` into the old address it names, as a path
/// under the site's base: `/articles/old/` and `/articles/old` → `articles/old/`,
/// `/old/page.html` → `old/page.html`, `/old/index.html` → `old/`; on articles and fixes a
/// bare word is an old slug in the same section (`old` → `articles/old/`).
pub fn old_address(kind: Kind, entry: &str) -> Result<String, AliasError> {
    let fail = |message: String, hint: &str| {
        Err(AliasError {
            message,
            hint: hint.to_owned(),
        })
    };
    let trimmed = entry.trim();
    if trimmed.is_empty() {
        return fail(
            "an alias is empty".to_owned(),
            "write the old address, e.g. `/articles/old-name/`, or remove the entry",
        );
    }
    if trimmed.contains("://") {
        let path =
            url::Url::parse(trimmed).map_or_else(|_| "/".to_owned(), |u| u.path().to_owned());
        return Err(AliasError {
            message: format!(
                "alias `{trimmed}` is a full URL; an alias is an old address on this site"
            ),
            hint: format!("write its path under the site's base, e.g. `{path}`"),
        });
    }
    let Some(path) = trimmed.strip_prefix('/') else {
        if kind != Kind::Status && crate::id::is_valid_slug(trimmed) {
            return Ok(kind.page_path(trimmed));
        }
        return fail(
            format!(
                "alias `{trimmed}` is neither an old address (starting with `/`) nor an old slug"
            ),
            &format!(
                "write the old slug (`old-name` for `/{}/old-name/`) or the old path, starting with `/`",
                kind.dir()
            ),
        );
    };
    if let Some(cut) = path.find(['?', '#']) {
        let what = if path[cut..].starts_with('?') {
            "a query string"
        } else {
            "a fragment"
        };
        return fail(
            format!("alias `{trimmed}` has {what}; an old address is a path alone"),
            &format!(
                "static hosts answer the path whatever follows it: write `/{}`",
                &path[..cut]
            ),
        );
    }
    if path.contains("//") || path.starts_with('/') {
        return fail(
            format!("alias `{trimmed}` has an empty segment (`//`)"),
            "write the address with single slashes, e.g. `/articles/old-name/`",
        );
    }
    if path
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        return fail(
            format!("alias `{trimmed}` has a `.` or `..` segment"),
            "write the address as the browser shows it, from the site's base, without `.` or `..`",
        );
    }
    if path.split('/').any(|segment| segment.starts_with('.')) {
        return fail(
            format!("alias `{trimmed}` has a hidden segment (starting with `.`)"),
            "hosts do not serve hidden files and folders: an old address cannot be one",
        );
    }
    if let Some(bad) = path.chars().find(|&c| c != '/' && !allowed(c)) {
        return fail(
            format!(
                "alias `{trimmed}` has `{}`, which an old address may not have",
                bad.escape_default()
            ),
            "old addresses have letters, digits, `-`, `_`, `.` and `~` between their slashes",
        );
    }
    if path.split('/').any(|segment| segment.len() > MAX_SEGMENT) {
        return fail(
            format!("alias `{trimmed}` has a part longer than {MAX_SEGMENT} characters"),
            "disks refuse file names that long: shorten the old address",
        );
    }
    let last = path.rsplit('/').next().unwrap_or_default();
    let lower = last.to_ascii_lowercase();
    Ok(if last == "index.html" {
        path[..path.len() - last.len()].to_owned()
    } else if last.is_empty() || lower.ends_with(".html") || lower.ends_with(".htm") {
        path.to_owned()
    } else {
        format!("{path}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(kind: Kind, entry: &str) -> Result<String, String> {
        old_address(kind, entry).map_err(|e| e.message)
    }

    #[test]
    fn paths_and_slugs_become_addresses_under_the_base() {
        let ok = |kind, entry, expected: &str| {
            assert_eq!(read(kind, entry), Ok(expected.to_owned()), "{entry}")
        };
        ok(Kind::Article, "/articles/old-name/", "articles/old-name/");
        ok(Kind::Article, "/articles/old-name", "articles/old-name/");
        ok(Kind::Article, "old-name", "articles/old-name/");
        ok(Kind::Fix, "restart", "fixes/restart/");
        ok(Kind::Fix, "/old/page.html", "old/page.html");
        ok(Kind::Fix, "/Old_Page.htm", "Old_Page.htm");
        ok(Kind::Fix, "/OLD.HTML", "OLD.HTML");
        ok(Kind::Article, "/old/index.html", "old/");
        ok(Kind::Article, "/", "");
        ok(Kind::Status, "/status/old/", "status/old/");
    }

    #[test]
    fn malformed_entries_are_refused_with_the_reason() {
        let bad = |kind, entry: &str, start: &str| {
            let message = read(kind, entry).err().unwrap_or_default();
            assert!(message.starts_with(start), "{entry}: {message}");
        };
        bad(
            Kind::Article,
            "/a/?id=3",
            "alias `/a/?id=3` has a query string",
        );
        bad(Kind::Article, "/a/#top", "alias `/a/#top` has a fragment");
        bad(
            Kind::Article,
            "/a/../b/",
            "alias `/a/../b/` has a `.` or `..` segment",
        );
        bad(Kind::Article, "//a/", "alias `//a/` has an empty segment");
        bad(Kind::Article, "/a//b", "alias `/a//b` has an empty segment");
        bad(
            Kind::Article,
            "https://x.org/a/",
            "alias `https://x.org/a/` is a full URL",
        );
        bad(Kind::Article, "Old Name", "alias `Old Name` is neither");
        bad(Kind::Status, "old-name", "alias `old-name` is neither");
        bad(Kind::Article, "/a b/", "alias `/a b/` has ` `");
        bad(
            Kind::Article,
            "/.well-known/x",
            "alias `/.well-known/x` has a hidden segment",
        );
        bad(Kind::Article, "  ", "an alias is empty");
        bad(
            Kind::Article,
            &format!("/{}/", "a".repeat(201)),
            "alias `/aaaa",
        );
    }
}
