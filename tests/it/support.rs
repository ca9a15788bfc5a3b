//! Helpers shared by the integration tests: fixture paths, running the binary, building.

use std::path::{Path, PathBuf};
use std::process::Output;

/// The folder of a fixture site.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The repository root, which is also the shipped knowledge base's site root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the fixbook binary with `args`, with GITHUB_ACTIONS unset so output is stable.
pub fn fixbook(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_fixbook"))
        .args(args)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap_or_else(|err| panic!("cannot run fixbook: {err}"))
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Copies a fixture into a fresh temporary folder, so a test can change it.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("tempdir: {err}"));
    copy_tree(&fixture(name), dir.path());
    // Tests that check a fixture in place leave its cache there: a copy starts without.
    let cache = dir.path().join(".fixbook");
    if cache.exists() {
        std::fs::remove_dir_all(&cache).unwrap_or_else(|err| panic!("{err}"));
    }
    dir
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap_or_else(|err| panic!("walk {}: {err}", from.display()));
        let rel = entry
            .path()
            .strip_prefix(from)
            .unwrap_or_else(|err| panic!("{err}"));
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)
                .unwrap_or_else(|err| panic!("mkdir {}: {err}", target.display()));
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|err| panic!("copy {}: {err}", target.display()));
        }
    }
}

/// Every file under `dir` as (relative path, bytes), sorted.
pub fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (rel, bytes)
        })
        .collect();
    files.sort();
    files
}

/// Builds the site at `root` into `out` with the fixbook binary, failing the test if the
/// build fails.
pub fn build_into(root: &Path, out: &Path) {
    build_reporting(root, out);
}

/// [`build_into`], returning what the build printed (its summary line and warnings).
pub fn build_reporting(root: &Path, out: &Path) -> String {
    let built = fixbook(&[
        "--root",
        &root.to_string_lossy(),
        "build",
        "--output",
        &out.to_string_lossy(),
    ]);
    let err = stderr(&built);
    assert!(built.status.success(), "{err}");
    err
}
