//! The output folder: fixbook replaces only what it can prove it wrote, keeps what it did
//! not, takes one build at a time, and leaves nothing behind when it refuses.

use std::path::Path;
use std::process::Output;

use crate::support::{fixbook, fixture, snapshot_tree, stderr};

fn build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--root",
        root.to_str().unwrap_or_default(),
        "build",
        "--output",
        out.to_str().unwrap_or_default(),
    ];
    args.extend_from_slice(extra);
    fixbook(&args)
}

/// The folders in `dir` where builds of `output` kept what fixbook did not write.
fn kept_folders(dir: &Path, output: &str) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with(&format!("{output}.kept-")))
        .collect()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_folder_of_documents_is_refused_and_nothing_is_touched() {
    let x = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let docs = x.path().join("mydocs");
    std::fs::create_dir(&docs).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(docs.join("thesis.txt"), "precious").unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..2 {
        let output = build(&fixture("valid-site"), &docs, &[]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert_eq!(
            stderr(&output),
            format!(
                "error: refusing to build into `{docs}`: it already holds files fixbook did \
                 not write (`thesis.txt`)\n  = help: choose a new or empty folder with \
                 `--output`, or pass `--force` to move this folder aside (kept, never deleted) \
                 and build in its place\n\nfailed: 1 error(s), 0 warning(s)\n",
                docs = docs.display()
            )
        );
        assert_eq!(
            names(x.path()),
            ["mydocs"],
            "a refusal leaves nothing beside it"
        );
        assert_eq!(names(&docs), ["thesis.txt"]);
    }
}

#[test]
fn force_moves_the_folder_aside_and_keeps_it_across_rebuilds() {
    let x = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let docs = x.path().join("mydocs");
    std::fs::create_dir(&docs).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(docs.join("thesis.txt"), "precious").unwrap_or_else(|e| panic!("{e}"));
    let forced = build(&fixture("valid-site"), &docs, &["--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(
        stderr(&forced).contains("warning: moved what was in"),
        "{}",
        stderr(&forced)
    );
    for _ in 0..3 {
        let again = build(&fixture("valid-site"), &docs, &[]);
        assert!(again.status.success(), "{}", stderr(&again));
        assert!(
            !stderr(&again).contains("fixbook did not write")
                && !stderr(&again).contains("not written by fixbook"),
            "{}",
            stderr(&again)
        );
    }
    let kept = kept_folders(x.path(), "mydocs");
    assert_eq!(kept.len(), 1, "{:?}", names(x.path()));
    assert_eq!(
        std::fs::read_to_string(x.path().join(&kept[0]).join("thesis.txt")).ok(),
        Some("precious".to_owned())
    );
    assert!(docs.join("index.html").is_file());
}

#[test]
fn a_git_checkout_is_never_an_output() {
    let x = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let repo = x.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot_tree(x.path());
    for force in [&[][..], &["--force"][..]] {
        let output = build(&fixture("valid-site"), &repo, force);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("it is or holds a git repository"),
            "{}",
            stderr(&output)
        );
        assert_eq!(snapshot_tree(x.path()), before);
        assert_eq!(names(x.path()), ["repo"]);
    }
}

#[test]
fn a_file_added_to_the_output_is_moved_aside_with_a_warning() {
    let x = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let public = x.path().join("public");
    let site = fixture("valid-site");
    for _ in 0..2 {
        let built = build(&site, &public, &[]);
        assert!(built.status.success(), "{}", stderr(&built));
    }
    std::fs::write(public.join("CNAME"), "help.example.com").unwrap_or_else(|e| panic!("{e}"));
    let mut warnings = String::new();
    for _ in 0..2 {
        let built = build(&site, &public, &[]);
        assert!(built.status.success(), "{}", stderr(&built));
        warnings.push_str(&stderr(&built));
    }
    assert!(
        warnings.contains("warning: a file in `") && warnings.contains("not written by fixbook"),
        "{warnings}"
    );
    assert!(warnings.contains("`CNAME`"), "{warnings}");
    let kept = kept_folders(x.path(), "public");
    assert_eq!(kept.len(), 1, "{:?}", names(x.path()));
    assert_eq!(
        std::fs::read_to_string(x.path().join(&kept[0]).join("CNAME")).ok(),
        Some("help.example.com".to_owned())
    );
    assert!(!public.join("CNAME").exists());
}

#[test]
fn a_file_where_the_output_should_be_is_refused_leaving_nothing() {
    let x = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = x.path().join("public");
    std::fs::write(&out, "a file").unwrap_or_else(|e| panic!("{e}"));
    let output = build(&fixture("valid-site"), &out, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("it exists and is not a folder"));
    assert_eq!(names(x.path()), ["public"]);
}

#[test]
fn a_symbolic_link_as_the_output_is_refused() {
    let x = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let real = x.path().join("real");
    std::fs::create_dir(&real).unwrap_or_else(|e| panic!("{e}"));
    let link = x.path().join("public");
    std::os::unix::fs::symlink(&real, &link).unwrap_or_else(|e| panic!("{e}"));
    let output = build(&fixture("valid-site"), &link, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("it is a symbolic link"));
    assert_eq!(names(x.path()), ["public", "real"]);
}

#[test]
fn concurrent_builds_into_one_folder_never_mix() {
    // Two sites whose outputs differ in every page; built at once into one folder, the
    // result must be exactly one of them.
    let x = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let first = fixture("valid-site");
    let second = fixture("bad-inputs-base");
    let expected: Vec<Vec<(String, Vec<u8>)>> = [&first, &second]
        .iter()
        .map(|site| {
            let out = x.path().join(format!("alone-{}", names(x.path()).len()));
            let built = build(site, &out, &[]);
            assert!(built.status.success(), "{}", stderr(&built));
            snapshot_tree(&out)
        })
        .collect();
    let shared = x.path().join("shared");
    for round in 0..4 {
        let runs: Vec<std::thread::JoinHandle<Output>> = [first.clone(), second.clone()]
            .into_iter()
            .map(|site| {
                let shared = shared.clone();
                std::thread::spawn(move || build(&site, &shared, &[]))
            })
            .collect();
        for run in runs {
            let output = run
                .join()
                .unwrap_or_else(|_| panic!("a build thread panicked"));
            assert!(
                output.status.success(),
                "round {round}: {}",
                stderr(&output)
            );
        }
        let got = snapshot_tree(&shared);
        assert!(
            expected.contains(&got),
            "round {round}: the output mixes two builds"
        );
    }
}
