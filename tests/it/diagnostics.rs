//! Invalid sites: the exact diagnostics, their positions, and the exit codes.

use crate::support::{fixbook, fixture, stderr, stdout};

fn check(case: &str) -> (i32, String) {
    let root = fixture(case);
    let output = fixbook(&["--root", &root.to_string_lossy(), "check"]);
    (output.status.code().unwrap_or(-1), stderr(&output))
}

#[test]
fn bad_yaml_is_located_in_the_markdown_file() {
    let (code, err) = check("invalid-bad-yaml");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: invalid front matter: illegal placement of ':' indicator\n  --> content/articles/printer-offline.md:5:6\n  = help: front matter is YAML: check indentation, and quote values containing `: ` or starting with `[`, `{`, `*`, `&` or `#`\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn unknown_key_suggests_the_nearest_valid_key() {
    let (code, err) = check("invalid-unknown-key");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: unknown front-matter key `symtoms`\n  --> content/articles/printer-offline.md:7:1\n  = help: did you mean `symptoms`?\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn dangling_fix_id_points_at_the_list_item() {
    let (code, err) = check("invalid-dangling-fix");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: unknown fix `restart-printr`\n  --> content/articles/printer-offline.md:6:26\n  = help: did you mean `restart-printer`?\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn duplicate_slug_names_both_files() {
    let (code, err) = check("invalid-duplicate-slug");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: duplicate article id `printer-offline`\n  --> content/articles/printer-offline.md\n  = help: `content/articles/archive/printer-offline.md` has the same id; ids come from file names and must be unique per kind\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn unknown_platform_suggests_a_declared_one() {
    let (code, err) = check("invalid-unknown-platform");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: unknown platform `macos`\n  --> content/articles/printer-offline.md:4:22\n  = help: did you mean `mac`?\n\nfailed: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn check_reports_every_problem_of_every_file_in_one_run_sorted() {
    let (code, err) = check("invalid-many-problems");
    assert_eq!(code, 1);
    let locations: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("  --> "))
        .collect();
    assert_eq!(
        locations,
        [
            "content/articles/paper-jam.md:3:7",
            "content/articles/paper-jam.md:4:11",
            "content/articles/paper-jam.md:7:5",
            "content/articles/printer-offline.md:4:13",
            "content/articles/printer-offline.md:6:9",
            "content/articles/toner.md:4:1",
        ]
    );
    assert!(err.contains("error: `yesterday` is not a date\n"));
    assert!(err.contains("error: unknown related article `printer-ofline`\n"));
    assert!(err.contains("error: link to `../fixes/restart.md` does not match any content file\n  --> content/articles/paper-jam.md:7:5\n  = help: did you mean `../fixes/restart-printer.md`?\n"));
    assert!(err.ends_with("failed: 6 error(s), 0 warning(s)\n"));
}

#[test]
fn json_format_is_a_machine_readable_array_on_stdout() {
    let root = fixture("invalid-dangling-fix");
    let output = fixbook(&[
        "--root",
        &root.to_string_lossy(),
        "check",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let parsed: serde_json::Value =
        serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed[0]["severity"], "error");
    assert_eq!(parsed[0]["path"], "content/articles/printer-offline.md");
    assert_eq!(parsed[0]["line"], 6);
    assert_eq!(parsed[0]["column"], 26);
    assert_eq!(parsed[0]["hint"], "did you mean `restart-printer`?");
}

#[test]
fn github_format_is_chosen_on_github_actions() {
    let root = fixture("invalid-dangling-fix");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_fixbook"))
        .args(["--root", &root.to_string_lossy(), "check"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        stderr(&output).lines().next(),
        Some(
            "::error file=content/articles/printer-offline.md,line=6,col=26,title=fixbook error::unknown fix `restart-printr`%0Ahelp: did you mean `restart-printer`?"
        )
    );
}

#[test]
fn missing_config_is_a_setup_error_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = fixbook(&["--root", &dir.path().to_string_lossy(), "check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot read"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("= help: run fixbook in a site folder, pass `--root DIR`"));
}
