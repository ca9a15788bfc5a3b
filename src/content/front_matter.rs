//! Front matter: YAML → typed records, with every problem located in the `.md` file.

use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use super::{
    Article, Fix, GetHelp, Kind, Located, PageDate, Risk, Severity, SourceFile, StatusMessage,
    aliases,
};
use crate::diagnostic::Diagnostic;

/// Where the YAML sits inside the file, to turn YAML positions into file positions.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin<'a> {
    pub path: &'a Path,
    pub first_line: usize,
}

impl Origin<'_> {
    pub(super) fn locate<T>(&self, spanned: Spanned<T>) -> Located<T> {
        let (line, column) = self.position(&spanned.referenced);
        Located {
            value: spanned.value,
            line,
            column,
        }
    }

    fn position(&self, location: &serde_saphyr::Location) -> (usize, usize) {
        let line = usize::try_from(location.line()).unwrap_or(0);
        let column = usize::try_from(location.column()).unwrap_or(0);
        if line == 0 {
            (self.first_line.saturating_sub(1).max(1), 1)
        } else {
            (line + self.first_line - 1, column)
        }
    }

    fn error(&self, (line, column): (usize, usize), message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.path, line, column, message)
    }

    fn date(
        &self,
        spanned: Spanned<String>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<PageDate> {
        let located = self.locate(spanned);
        match PageDate::parse(&located.value) {
            Ok(date) => Some(date),
            Err(message) => {
                diagnostics.push(
                    self.error((located.line, located.column), message)
                        .with_hint(
                            "write `2024-08-13` or an RFC 3339 time such as `2024-08-13T23:49:06Z`",
                        ),
                );
                None
            }
        }
    }

    /// Keeps a translation's `unverified:` note on its source; an original in the default
    /// language has nothing to verify against, so the key is an error there.
    pub(super) fn with_unverified(
        &self,
        mut source: SourceFile,
        note: Option<Spanned<String>>,
    ) -> Result<SourceFile, Vec<Diagnostic>> {
        let Some(note) = note.map(|n| self.locate(n)) else {
            return Ok(source);
        };
        if source.lang.is_none() {
            return Err(vec![
                self.error(
                    (note.line, note.column),
                    "`unverified` is only for translations",
                )
                .with_hint(
                    "this file is in the site's default language; remove the key, or move \
                     the note to the translation it is about (e.g. `slug.de.md`)",
                ),
            ]);
        }
        if note.value.trim().is_empty() {
            return Err(vec![
                self.error((note.line, note.column), "`unverified` is empty")
                    .with_hint("say what could not be confirmed, e.g. `unverified: \"the on-screen wording\"`"),
            ]);
        }
        source.unverified = Some(note);
        Ok(source)
    }

    fn list(&self, items: Vec<Spanned<String>>) -> Vec<Located<String>> {
        items.into_iter().map(|item| self.locate(item)).collect()
    }

    /// The old addresses of `aliases:` entries, each where it is written; a malformed one
    /// is reported there and left out.
    fn old_addresses(
        &self,
        kind: Kind,
        entries: Vec<Spanned<String>>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<Located<String>> {
        let mut addresses = Vec::new();
        for entry in entries {
            let located = self.locate(entry);
            match aliases::old_address(kind, &located.value) {
                Ok(value) if addresses.iter().any(|a: &Located<String>| a.value == value) => {
                    diagnostics.push(
                        Diagnostic::warning(
                            self.path,
                            located.line,
                            located.column,
                            format!("alias `/{value}` is listed twice"),
                        )
                        .with_hint("remove the second mention"),
                    );
                }
                Ok(value) => addresses.push(Located { value, ..located }),
                Err(err) => diagnostics.push(
                    self.error((located.line, located.column), err.message)
                        .with_hint(err.hint),
                ),
            }
        }
        addresses
    }
}

/// The invisible characters that embed, override or isolate the direction of text
/// (U+202A–U+202E, U+2066–U+2069). In a title they can make it read differently from how
/// it is written ("Trojan Source"); the marks U+200E and U+200F, which right-to-left text
/// needs, are not among them.
const BIDI_CONTROLS: &[char] = &[
    '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}',
];

/// Whether `text` holds one of [`BIDI_CONTROLS`]. Each is three bytes in UTF-8, `E2 80 AA`
/// to `E2 80 AE` and `E2 81 A6` to `E2 81 A9`: only the places of the byte `E2` (found
/// with SIMD) need a look, where a test of every character would take a front matter's
/// whole length.
fn has_bidi_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xE2, bytes).any(|at| {
        matches!(
            bytes.get(at + 1..at + 3),
            Some([0x80, 0xAA..=0xAE] | [0x81, 0xA6..=0xA9])
        )
    })
}

/// The front matter without bidirectional control characters, and a warning at each one
/// removed: titles, messages and every other front-matter text reach pages without them.
pub(super) fn without_bidi_controls<'y>(
    yaml: &'y str,
    origin: Origin<'_>,
) -> (std::borrow::Cow<'y, str>, Vec<Diagnostic>) {
    if !has_bidi_control(yaml) {
        return (std::borrow::Cow::Borrowed(yaml), Vec::new());
    }
    let mut warnings = Vec::new();
    for (index, line) in yaml.lines().enumerate() {
        for (column, c) in line.chars().enumerate() {
            if BIDI_CONTROLS.contains(&c) {
                warnings.push(
                    Diagnostic::warning(
                        origin.path,
                        origin.first_line + index,
                        column + 1,
                        format!(
                            "invisible direction control U+{:04X} in the front matter can make \
                             text read in another order than it is written",
                            u32::from(c)
                        ),
                    )
                    .with_hint("delete it; fixbook leaves it out of the page"),
                );
            }
        }
    }
    (
        std::borrow::Cow::Owned(yaml.replace(BIDI_CONTROLS, "")),
        warnings,
    )
}

/// Parses YAML into `T`, turning any YAML or schema error into a located diagnostic.
pub(super) fn parse<T: DeserializeOwned>(yaml: &str, origin: Origin<'_>) -> Result<T, Diagnostic> {
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_saphyr::from_str_with_options(yaml, super::source::yaml_options())
        .map_err(|err| yaml_diagnostic(&err, origin))
}

fn yaml_diagnostic(err: &serde_saphyr::Error, origin: Origin<'_>) -> Diagnostic {
    let err = err.without_snippet();
    let position = err.location().map_or((origin.first_line, 1), |location| {
        origin.position(&location)
    });
    match err {
        serde_saphyr::Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let hint = match crate::diagnostic::nearest(field, expected.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the keys allowed here are: {}", expected.join(", ")),
            };
            origin
                .error(position, format!("unknown front-matter key `{field}`"))
                .with_hint(hint)
        }
        serde_saphyr::Error::SerdeMissingField { field, .. } => origin
            .error(
                position,
                format!("missing required front-matter key `{field}`"),
            )
            .with_hint(format!("add `{field}:` to the front matter")),
        serde_saphyr::Error::SerdeUnknownVariant {
            variant, expected, ..
        } => origin
            .error(
                position,
                format!("`{variant}` is not one of the allowed values"),
            )
            .with_hint(format!("use one of: {}", expected.join(", "))),
        other if super::source::yaml_budget_message(other).is_some() => origin
            .error(
                position,
                super::source::yaml_budget_message(other).unwrap_or_default(),
            )
            .with_hint(super::source::YAML_BUDGET_HINT),
        other => {
            let text = super::source::yaml_innermost(other).to_string();
            let message = text.lines().next().unwrap_or("invalid YAML").trim();
            let message = strip_location_suffix(message);
            origin
                .error(position, format!("invalid front matter: {message}"))
                .with_hint("front matter is YAML: check indentation, and quote values containing `: ` or starting with `[`, `{`, `*`, `&` or `#`")
        }
    }
}

/// serde-saphyr appends " at line X, column Y" to some messages; the diagnostic has its own.
fn strip_location_suffix(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(cut) => &message[..cut],
        None => message,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleFront {
    title: String,
    description: Option<String>,
    /// Pages saved from the web call the description `excerpt`.
    excerpt: Option<String>,
    date: Spanned<String>,
    updated: Option<Spanned<String>>,
    #[serde(default)]
    platforms: Vec<Spanned<String>>,
    #[serde(default)]
    tags: Vec<String>,
    /// Pages saved from the web carry `categories`; they become tags.
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    symptoms: Vec<String>,
    #[serde(default)]
    status_messages: Vec<Spanned<String>>,
    #[serde(default)]
    fixes: Vec<Spanned<String>>,
    #[serde(default)]
    related: Vec<Spanned<String>>,
    /// Old addresses of the page: paths (`/articles/old/`) or old slugs.
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    get_help: Option<GetHelp>,
    /// Pages saved from the web carry a `thumbnail`; it becomes the social image.
    thumbnail: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    /// On a translation: what could not be confirmed, for reviewers.
    unverified: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FixFront {
    title: String,
    description: Option<String>,
    risk: Spanned<Risk>,
    duration: Option<String>,
    platforms: Vec<Spanned<String>>,
    warning: Option<String>,
    /// Old addresses of the page: paths (`/fixes/old/`) or old slugs.
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    /// On a translation: what could not be confirmed, for reviewers.
    unverified: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusFront {
    message: String,
    /// Other spellings of the message; entries starting with `/` are old addresses.
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    meaning: String,
    #[serde(default)]
    severity: Severity,
    platforms: Vec<Spanned<String>>,
    #[serde(default)]
    fixes: Vec<Spanned<String>>,
    /// On a translation: what could not be confirmed, for reviewers.
    unverified: Option<Spanned<String>>,
}

/// Parses an article's front matter; `None` for drafts. A bad date is reported but the
/// article is kept, so its other references are still checked in the same run.
pub(super) fn article(
    slug: String,
    yaml: &str,
    origin: Origin<'_>,
    source: SourceFile,
) -> Result<(Option<Article>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let front: ArticleFront = parse(yaml, origin).map_err(|d| vec![d])?;
    let source = origin.with_unverified(source, front.unverified)?;
    if front.draft {
        return Ok((None, Vec::new()));
    }
    let mut diagnostics = Vec::new();
    let date = origin
        .date(front.date, &mut diagnostics)
        .unwrap_or(PageDate {
            timestamp: jiff::Timestamp::UNIX_EPOCH,
        });
    let updated = front.updated.and_then(|u| origin.date(u, &mut diagnostics));
    let mut tags = front.tags;
    for category in front.categories {
        if !tags.contains(&category) {
            tags.push(category);
        }
    }
    let article = Article {
        slug,
        source,
        title: front.title,
        description: front
            .description
            .or(front.excerpt)
            .filter(|d| !d.trim().is_empty()),
        date,
        updated,
        platforms: origin.list(front.platforms),
        tags,
        symptoms: front.symptoms,
        status_messages: origin.list(front.status_messages),
        fixes: origin.list(front.fixes),
        related: origin.list(front.related),
        old_addresses: origin.old_addresses(Kind::Article, front.aliases, &mut diagnostics),
        get_help: front.get_help,
        thumbnail: front.thumbnail.map(|t| origin.locate(t)),
    };
    Ok((Some(article), diagnostics))
}

/// Parses a fix's front matter; a malformed alias is reported but the fix is kept.
pub(super) fn fix(
    slug: String,
    yaml: &str,
    origin: Origin<'_>,
    source: SourceFile,
) -> Result<(Fix, Vec<Diagnostic>), Vec<Diagnostic>> {
    let front: FixFront = parse(yaml, origin).map_err(|d| vec![d])?;
    let source = origin.with_unverified(source, front.unverified)?;
    let mut diagnostics = Vec::new();
    let old_addresses = origin.old_addresses(Kind::Fix, front.aliases, &mut diagnostics);
    let fix = Fix {
        slug,
        source,
        title: front.title,
        description: front.description.filter(|d| !d.trim().is_empty()),
        risk: origin.locate(front.risk),
        duration: front.duration,
        platforms: origin.list(front.platforms),
        warning: front.warning.filter(|w| !w.trim().is_empty()),
        old_addresses,
    };
    Ok((fix, diagnostics))
}

/// Parses a status message's front matter. Its `aliases:` are other spellings of the
/// message, except entries starting with `/`, which are old addresses of its page.
pub(super) fn status(
    slug: String,
    yaml: &str,
    origin: Origin<'_>,
    source: SourceFile,
) -> Result<(StatusMessage, Vec<Diagnostic>), Vec<Diagnostic>> {
    let front: StatusFront = parse(yaml, origin).map_err(|d| vec![d])?;
    let source = origin.with_unverified(source, front.unverified)?;
    let (addresses, spellings): (Vec<_>, Vec<_>) = front
        .aliases
        .into_iter()
        .partition(|entry| aliases::is_address(&entry.value));
    let mut diagnostics = Vec::new();
    let old_addresses = origin.old_addresses(Kind::Status, addresses, &mut diagnostics);
    let status = StatusMessage {
        slug,
        source,
        message: front.message,
        aliases: spellings.into_iter().map(|entry| entry.value).collect(),
        meaning: front.meaning,
        severity: front.severity,
        platforms: origin.list(front.platforms),
        fixes: origin.list(front.fixes),
        old_addresses,
    };
    Ok((status, diagnostics))
}

/// Every front-matter key the loader accepts for `kind`, as serde lists them for an
/// unknown one (for the test that `fixbook new` explains them all).
#[cfg(test)]
pub(crate) fn accepted_keys(kind: super::Kind) -> Vec<&'static str> {
    match kind {
        super::Kind::Article => keys_of::<ArticleFront>(),
        super::Kind::Fix => keys_of::<FixFront>(),
        super::Kind::Status => keys_of::<StatusFront>(),
        super::Kind::Guide => super::guide::accepted_keys(),
    }
}

/// The keys serde lists for an unknown key of `T`.
#[cfg(test)]
pub(super) fn keys_of<T: DeserializeOwned>() -> Vec<&'static str> {
    let Err(err) = serde_saphyr::from_str::<T>("not-a-key-of-any-kind: 1\n") else {
        return Vec::new();
    };
    match err.without_snippet() {
        serde_saphyr::Error::SerdeUnknownField { expected, .. } => expected.to_vec(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{BIDI_CONTROLS, has_bidi_control};

    #[test]
    fn every_character_near_the_controls_is_told_as_a_full_scan_tells_it() {
        // Every character sharing the controls' first byte, alone and between others.
        for c in ('\u{2000}'..='\u{2fff}').chain(['\u{200e}', '\u{200f}', 'a', '’']) {
            let alone = c.to_string();
            let amid = format!("title: “x{c}y” — ok");
            assert_eq!(
                has_bidi_control(&alone),
                BIDI_CONTROLS.contains(&c),
                "U+{:04X}",
                u32::from(c)
            );
            assert_eq!(has_bidi_control(&amid), amid.contains(BIDI_CONTROLS));
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_told_as_a_full_scan_tells_it(
            text in "[a-z \u{2019}\u{2026}\u{202a}-\u{202f}\u{2060}-\u{206f}\u{e2}]{0,24}|\\PC{0,40}"
        ) {
            proptest::prop_assert_eq!(has_bidi_control(&text), text.contains(BIDI_CONTROLS));
        }
    }
}
