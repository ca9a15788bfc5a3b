//! Source files: reading, splitting front matter from the body, and positions.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// One content file as read from disk, with its body located inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceFile {
    /// Path relative to the site root, e.g. `content/articles/foo.md`.
    pub path: PathBuf,
    /// The Markdown body after the front matter.
    pub body: String,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
    /// The language of a translation (`de` for `foo.de.md`); `None` for a file in the
    /// site's default language.
    pub lang: Option<String>,
    /// `unverified:` in front matter: what a translator could not confirm (e.g. a device's
    /// exact wording in the language), for reviewers.
    pub unverified: Option<super::Located<String>>,
}

/// The two parts of a content file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub front_matter: &'a str,
    /// 1-based line on which the YAML starts.
    pub front_matter_line: usize,
    /// Everything after the closing `---` line.
    pub body: &'a str,
    /// 1-based line on which the body starts.
    pub body_line: usize,
}

/// Why a file could not be split into front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    NoFrontMatter,
    /// The opening `---` has no closing `---`.
    Unclosed,
}

impl SplitError {
    /// The diagnostic for this error in `path`.
    pub fn diagnostic(self, path: impl Into<PathBuf>) -> Diagnostic {
        match self {
            SplitError::NoFrontMatter => Diagnostic::error(path, 1, 1, "the file has no front matter")
                .with_hint("start the file with a `---` line, the YAML keys (at least `title`), and another `---` line"),
            SplitError::Unclosed => Diagnostic::error(path, 1, 1, "the front matter starting here is never closed")
                .with_hint("add a line with just `---` after the last front-matter key"),
        }
    }
}

/// Splits `text` into YAML front matter and Markdown body.
///
/// A UTF-8 byte order mark is skipped and CRLF line endings are accepted, because editors on
/// Windows produce both.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::NoFrontMatter)?;
    if trim_eol(first) != "---" {
        return Err(SplitError::NoFrontMatter);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line, current) in (2..).zip(lines) {
        let marker = trim_eol(current);
        if marker == "---" || marker == "..." {
            let body_start = offset + current.len();
            return Ok(Split {
                front_matter: &text[yaml_start..offset],
                front_matter_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += current.len();
    }
    Err(SplitError::Unclosed)
}

fn trim_eol(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
        .trim_end_matches([' ', '\t'])
}

/// The most nested collections front matter may have: `get_help.prepare` is three deep.
pub const YAML_MAX_DEPTH: usize = 16;
/// The most aliases (`*name`) and anchors (`&name`) front matter may have.
pub const YAML_MAX_ALIASES: usize = 64;
/// The most text front matter may expand to, aliases included.
pub const YAML_MAX_TEXT_BYTES: usize = 1024 * 1024;

/// The most values (texts, lists, maps) front matter may hold: 100,000 symptoms are not an
/// article's.
pub const YAML_MAX_VALUES: usize = 100_000;

/// The YAML parser's input budget for front matter: a few dozen short keys in practice, so
/// anything far beyond (a "billion laughs" of aliases, thousands of nested lists) is refused
/// before it can use up memory or stack.
pub fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: YAML_MAX_DEPTH,
            max_aliases: YAML_MAX_ALIASES,
            max_anchors: YAML_MAX_ALIASES,
            max_total_scalar_bytes: YAML_MAX_TEXT_BYTES,
            max_events: YAML_MAX_VALUES,
            max_nodes: YAML_MAX_VALUES,
            max_documents: 1,
            flow_nesting_limit: YAML_MAX_DEPTH,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 10_000,
            max_replay_stack_depth: 8,
            max_alias_expansions_per_anchor: YAML_MAX_ALIASES,
        },
    }
}

/// What exceeded the front-matter budget, in words, for YAML errors that are about size
/// rather than syntax; `None` for other errors.
pub fn yaml_budget_message(err: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::budget::BudgetBreach;
    let what = match yaml_innermost(err) {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => {
                format!("it nests lists or maps more than {YAML_MAX_DEPTH} levels deep")
            }
            BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => {
                format!(
                    "it uses more than {YAML_MAX_ALIASES} YAML anchors or aliases (`&name`, `*name`)"
                )
            }
            BudgetBreach::ScalarBytes { .. } => format!(
                "its text adds up to more than {} MB once aliases are expanded",
                YAML_MAX_TEXT_BYTES / (1024 * 1024)
            ),
            BudgetBreach::Documents { .. } => "it holds more than one YAML document".to_owned(),
            BudgetBreach::Events { .. } | BudgetBreach::Nodes { .. } => {
                format!("it holds more than {YAML_MAX_VALUES} values (list items, texts and keys)")
            }
            BudgetBreach::InclusionDepth { .. } => {
                "it includes other files, which front matter cannot".to_owned()
            }
            _ => "it is larger than front matter can be".to_owned(),
        },
        serde_saphyr::Error::AliasReplayLimitExceeded { .. }
        | serde_saphyr::Error::AliasExpansionLimitExceeded { .. }
        | serde_saphyr::Error::AliasReplayStackDepthExceeded { .. }
        | serde_saphyr::Error::AliasReplayCounterOverflow { .. } => {
            "its aliases (`*name`) expand to too much".to_owned()
        }
        // The scanner's own guard against deeply nested `[[[…]]]`.
        other if other.to_string().contains("recursion limit exceeded") => {
            format!("it nests lists or maps more than {YAML_MAX_DEPTH} levels deep")
        }
        _ => return None,
    };
    Some(format!("the front matter is too large to read: {what}"))
}

/// The error itself, without the alias and snippet context serde-saphyr wraps around it
/// (a diagnostic has its own position).
pub fn yaml_innermost(mut err: &serde_saphyr::Error) -> &serde_saphyr::Error {
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = err
    {
        err = error;
    }
    err
}

/// The hint for [`yaml_budget_message`] errors.
pub const YAML_BUDGET_HINT: &str = "front matter holds a few short keys: write lists out instead of repeating them with anchors and aliases, and move long text into the body";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::line_col;
    use proptest::prelude::*;

    #[test]
    fn splits_front_matter_and_reports_body_line() {
        let split = split("---\ntitle: A\n---\n\nBody\n");
        assert_eq!(
            split,
            Ok(Split {
                front_matter: "title: A\n",
                front_matter_line: 2,
                body: "\nBody\n",
                body_line: 4
            })
        );
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let split = split("\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n");
        assert_eq!(
            split.map(|s| (s.front_matter, s.body)),
            Ok(("title: A\r\n", "Body\r\n"))
        );
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_distinguished() {
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unclosed));
        assert_eq!(split("# Just markdown\n"), Err(SplitError::NoFrontMatter));
        assert_eq!(split(""), Err(SplitError::NoFrontMatter));
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("x", 99), (1, 2));
    }

    proptest! {
        #[test]
        fn splitter_never_panics_and_parts_come_from_the_input(text in "(---\r?\n)?[-a-z: \r\n\u{feff}é]{0,80}") {
            if let Ok(split) = split(&text) {
                prop_assert!(text.contains(split.front_matter));
                prop_assert!(text.ends_with(split.body));
                prop_assert!(split.body_line > split.front_matter_line);
            }
        }

        #[test]
        fn splitter_never_panics_on_any_mix_of_markers_and_text(
            lines in proptest::collection::vec(
                prop_oneof![
                    Just("---".to_owned()),
                    Just("...".to_owned()),
                    Just("--- \t".to_owned()),
                    Just("\u{feff}---".to_owned()),
                    "\\PC{0,16}",
                ],
                0..10,
            ),
            crlf in any::<bool>(),
        ) {
            let text = lines.join(if crlf { "\r\n" } else { "\n" });
            if let Ok(split) = split(&text) {
                prop_assert!(text.ends_with(split.body));
                prop_assert!(text.contains(split.front_matter));
                // The body starts after the opening and closing lines.
                prop_assert!(split.body_line >= 3);
            }
        }

        #[test]
        fn line_col_never_panics(text in "\\PC{0,40}", offset in 0usize..60) {
            let (line, col) = line_col(&text, offset);
            prop_assert!(line >= 1 && col >= 1);
        }
    }
}
