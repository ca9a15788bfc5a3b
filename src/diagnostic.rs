//! Diagnostics: what went wrong, where, and what to do about it; and the helpers every stage
//! uses to say so: line and column of an offset, and the nearest name for a typo.
//!
//! Every stage reports problems as [`Diagnostic`]s; they are collected for a whole run,
//! sorted, and printed rustc-style for people, as GitHub workflow commands in CI, or as JSON.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site cannot be built until this is fixed.
    Error,
    /// The site builds, but something deserves a look (`--strict` fails on these).
    Warning,
}

/// One problem in the site's sources, with its position and a hint on how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root (`content/articles/foo.md`), if the problem has one.
    pub path: Option<PathBuf>,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column in characters, 0 when unknown.
    pub column: usize,
    /// What is wrong, in one sentence without a trailing period.
    pub message: String,
    /// What to do about it, if there is something specific to say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a position in a file.
    pub fn error(
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            path: Some(path.into()),
            line,
            column,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at a position in a file.
    pub fn warning(
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, line, column, message)
        }
    }

    /// An error that concerns the whole site rather than one file.
    pub fn site_error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path: None,
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning that concerns the whole site rather than one file.
    pub fn site_warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::site_error(message)
        }
    }

    /// Adds a hint on what to do.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors, false for warnings.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn location(&self) -> Option<String> {
        let path = self.path.as_deref()?;
        let path = display_path(path);
        Some(match (self.line, self.column) {
            (0, _) => path,
            (line, 0) => format!("{path}:{line}"),
            (line, column) => format!("{path}:{line}:{column}"),
        })
    }
}

/// The candidate closest to `needle`, if it is close enough to be a likely typo.
///
/// Close means a few edits away (more for longer words), or one being a prefix of the other
/// (`macos` → `mac`).
pub fn nearest<'a>(needle: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (needle.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .filter_map(|c| {
            let distance = strsim::damerau_levenshtein(needle, c);
            let prefix = c.len() >= 3 && (needle.starts_with(c) || c.starts_with(needle));
            (distance <= limit || prefix).then_some((distance, c))
        })
        .min()
        .map(|(_, c)| c)
}

/// The 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut cut = offset;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let before = &text[..cut];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Paths are printed with forward slashes on every platform so that output is stable.
fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Sorts diagnostics by file, position, then severity and message, so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
    });
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// rustc-style text for people.
    #[default]
    Human,
    /// GitHub Actions workflow commands (`::error file=…::`).
    Github,
    /// A JSON array for other tools.
    Json,
}

/// Renders diagnostics in the chosen format; an empty list renders as nothing (or `[]` in JSON).
pub fn render(diagnostics: &[Diagnostic], format: Format) -> String {
    match format {
        Format::Human => diagnostics.iter().map(human).collect(),
        Format::Github => diagnostics.iter().map(github).collect(),
        Format::Json => {
            let mut out =
                serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".to_owned());
            out.push('\n');
            out
        }
    }
}

/// rustc-style: `error: message`, ` --> file:line:col`, ` = help: hint`, then a blank line.
fn human(d: &Diagnostic) -> String {
    let mut out = String::new();
    let label = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(out, "{label}: {}", d.message);
    if let Some(location) = d.location() {
        let _ = writeln!(out, "  --> {location}");
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "  = help: {hint}");
    }
    out.push('\n');
    out
}

/// A GitHub Actions workflow command, escaped as the runner expects.
fn github(d: &Diagnostic) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = Vec::new();
    if let Some(path) = &d.path {
        properties.push(format!("file={}", escape_property(&display_path(path))));
        if d.line > 0 {
            properties.push(format!("line={}", d.line));
        }
        if d.column > 0 {
            properties.push(format!("col={}", d.column));
        }
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("fixbook {command}"))
    ));
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        message.push_str("\nhelp: ");
        message.push_str(hint);
    }
    format!(
        "::{command} {}::{}\n",
        properties.join(","),
        escape_data(&message)
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagnostic {
        Diagnostic::error(
            "content/articles/a.md",
            9,
            36,
            "unknown fix `sign-out-and-inn`",
        )
        .with_hint("did you mean `sign-out-and-in`?")
    }

    #[test]
    fn human_output_matches_rustc_layout() {
        assert_eq!(
            render(&[sample()], Format::Human),
            "error: unknown fix `sign-out-and-inn`\n  --> content/articles/a.md:9:36\n  = help: did you mean `sign-out-and-in`?\n\n"
        );
    }

    #[test]
    fn github_output_escapes_separators_and_newlines() {
        let d = Diagnostic::warning("a,b:c.md", 2, 0, "50% done\nnext");
        assert_eq!(
            render(&[d], Format::Github),
            "::warning file=a%2Cb%3Ac.md,line=2,title=fixbook warning::50%25 done%0Anext\n"
        );
    }

    #[test]
    fn sorting_orders_by_file_then_position() {
        let mut list = vec![
            Diagnostic::error("b.md", 1, 1, "x"),
            Diagnostic::error("a.md", 5, 1, "y"),
            Diagnostic::error("a.md", 2, 9, "z"),
        ];
        sort(&mut list);
        let order: Vec<_> = list.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["z", "y", "x"]);
    }
}
