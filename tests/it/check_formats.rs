//! `fixbook check` for CI: every diagnostic in one run as GitHub workflow commands or a
//! stable JSON array (snapshots), `--strict`, and the exit codes 0 / 1 / 2.

use fixbook::diagnostic::{self, Diagnostic, Format};

use crate::support::{copy_fixture, fixbook, fixture, stderr, stdout};

fn check(root: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--root", root.to_str().unwrap_or_default(), "check"];
    all.extend_from_slice(args);
    fixbook(&all)
}

#[test]
fn github_format_annotates_every_problem() {
    let output = check(&fixture("invalid-many-problems"), &["--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stderr(&output));
}

#[test]
fn json_format_is_a_stable_array_of_every_problem() {
    let output = check(&fixture("invalid-many-problems"), &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "", "JSON runs print nothing else");
    insta::assert_snapshot!(stdout(&output));
}

/// A site without a single warning: what `fixbook init` writes.
fn clean_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    fixbook::scaffold::init_site(dir.path(), fixbook::scaffold::today())
        .unwrap_or_else(|e| panic!("{e}"));
    dir
}

#[test]
fn json_format_of_a_clean_site_is_an_empty_array() {
    let site = clean_site();
    let output = check(site.path(), &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "[]\n");
}

#[test]
fn github_commands_escape_percent_newlines_colons_and_commas() {
    let found = [
        Diagnostic::error(
            "content/articles/50%,off:x.md",
            3,
            7,
            "50% done\r\nnext: a, b",
        )
        .with_hint("fix it"),
        Diagnostic::warning("content/fixes/a.md", 0, 0, "no position"),
    ];
    assert_eq!(
        diagnostic::render(&found, Format::Github),
        "::error file=content/articles/50%25%2Coff%3Ax.md,line=3,col=7,title=fixbook error::50%25 done%0D%0Anext: a, b%0Ahelp: fix it\n\
         ::warning file=content/fixes/a.md,title=fixbook warning::no position\n"
    );
}

#[cfg(unix)]
#[test]
fn github_format_escapes_a_file_name_with_separators() {
    let site = copy_fixture("valid-site");
    std::fs::write(
        site.path().join("content/articles/50%,off:x.md"),
        "---\ntitle: X\ndate: 2025-01-01\n---\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = check(site.path(), &["--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).lines().next(),
        Some(
            "::error file=content/articles/50%25%2Coff%3Ax.md,title=fixbook error::`50%25,off:x` is not a valid article id%0Ahelp: file names are ids: use lowercase letters, digits and dashes, e.g. `50-off-x.md`"
        )
    );
}

#[test]
fn strict_turns_warnings_into_a_failure() {
    let site = clean_site();
    let fix = site.path().join("content/fixes/check-connection.md");
    let text = std::fs::read_to_string(&fix).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&fix, text.replace("risk: low", "risk: high")).unwrap_or_else(|e| panic!("{e}"));

    let lenient = check(site.path(), &[]);
    assert_eq!(lenient.status.code(), Some(0), "{}", stderr(&lenient));
    assert!(stderr(&lenient).contains("warning: high-risk fix has no `warning`"));
    let strict = check(site.path(), &["--strict", "--format", "github"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stderr(&strict).starts_with("::warning file=content/fixes/check-connection.md,line=4,col=7,title=fixbook warning::high-risk fix has no `warning`"),
        "{}",
        stderr(&strict)
    );
}

#[test]
fn exit_codes_separate_content_errors_from_usage_and_setup_errors() {
    let code = |output: std::process::Output| output.status.code();
    assert_eq!(code(check(&fixture("valid-site"), &[])), Some(0));
    assert_eq!(code(check(&fixture("invalid-dangling-fix"), &[])), Some(1));
    assert_eq!(
        code(check(&fixture("valid-site"), &["--format", "xml"])),
        Some(2),
        "usage"
    );
    let broken_config = copy_fixture("valid-site");
    std::fs::write(
        broken_config.path().join("fixbook.toml"),
        "title = \"KB\"\nbase_url = \n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = check(broken_config.path(), &[]);
    assert_eq!(code(output), Some(2), "configuration");
    let nowhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        code(check(&nowhere.path().join("missing"), &[])),
        Some(2),
        "I/O"
    );
}
