//! Release binaries: every workflow is valid YAML, the release workflow builds the five
//! targets, `.ci/package` writes the archive cargo-binstall's metadata names, and both the
//! README's install steps and `.ci/install-fixbook` install it only when its checksum holds.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::repo_root;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn workflows() -> Vec<PathBuf> {
    let dir = repo_root().join(".github/workflows");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    found.sort();
    found
}

fn yaml(path: &Path) -> serde_json::Value {
    serde_saphyr::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_workflow_is_valid_yaml_with_jobs_and_pinned_actions() {
    let files = workflows();
    assert!(files.len() >= 2, "{files:?}");
    for file in files {
        let workflow = yaml(&file);
        let jobs = workflow["jobs"].as_object();
        assert!(jobs.is_some_and(|j| !j.is_empty()), "{}", file.display());
        for (name, job) in jobs.into_iter().flatten() {
            for step in job["steps"].as_array().into_iter().flatten() {
                if let Some(action) = step["uses"].as_str() {
                    assert!(
                        action.contains('@') || action.starts_with("./"),
                        "{}: job {name} uses `{action}` without a version",
                        file.display()
                    );
                }
                assert!(
                    step["uses"].is_string() || step["run"].is_string(),
                    "{}: a step of {name} neither uses an action nor runs a command",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn the_release_workflow_builds_five_targets_on_a_version_tag() {
    let workflow = yaml(&repo_root().join(".github/workflows/release.yml"));
    assert_eq!(workflow["on"]["push"]["tags"], serde_json::json!(["v*"]));
    let mut targets: Vec<&str> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry["target"].as_str())
        .collect();
    targets.sort_unstable();
    assert_eq!(
        targets,
        [
            "aarch64-apple-darwin",
            "aarch64-unknown-linux-musl",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-msvc",
            "x86_64-unknown-linux-musl",
        ]
    );
    assert_eq!(
        workflow["jobs"]["release"]["permissions"]["contents"],
        "write"
    );
}

/// The archive name cargo-binstall expects for `target`, from Cargo.toml's metadata.
fn binstall_names(target: &str) -> (String, String) {
    let manifest: toml::Value =
        toml::from_str(&read(&repo_root().join("Cargo.toml"))).unwrap_or_else(|e| panic!("{e}"));
    let package = &manifest["package"];
    let binstall = &package["metadata"]["binstall"];
    let version = package["version"].as_str().unwrap_or_default();
    let expand = |template: &str| {
        template
            .replace("{ repo }", "REPO")
            .replace("{ name }", "fixbook")
            .replace("{ bin }", "fixbook")
            .replace("{ version }", version)
            .replace("{ target }", target)
            .replace("{ binary-ext }", "")
    };
    let url = expand(binstall["pkg-url"].as_str().unwrap_or_default());
    let bin = expand(binstall["bin-dir"].as_str().unwrap_or_default());
    (url, bin)
}

const TARGET: &str = "x86_64-unknown-linux-gnu";

/// Packages a fixbook "binary" with `.ci/package` into `dist`, as a release does. The test
/// build's binary is 300 MB of debug information, so what is packaged is a two-line
/// stand-in that runs it: the archive's layout and checksums are what is tested.
fn package(dist: &Path) -> PathBuf {
    std::fs::create_dir_all(dist).unwrap_or_else(|e| panic!("{e}"));
    let stand_in = dist.join("built-fixbook");
    std::fs::write(
        &stand_in,
        format!(
            "#!/bin/sh\nexec '{}' \"$@\"\n",
            env!("CARGO_BIN_EXE_fixbook")
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = Command::new(repo_root().join(".ci/package"))
        .arg(TARGET)
        .arg(&stand_in)
        .arg(dist)
        .output()
        .unwrap_or_else(|e| panic!(".ci/package: {e}"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The release job's SHA256SUMS: every .sha256, sorted by file name.
    let mut sums: Vec<String> = std::fs::read_dir(dist)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "sha256"))
        .map(|entry| read(&entry.path()))
        .collect();
    sums.sort();
    std::fs::write(dist.join("SHA256SUMS"), sums.concat()).unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_file(&stand_in).unwrap_or_else(|e| panic!("{e}"));
    PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
}

/// A release folder `root/vX.Y.Z/` as GitHub serves it, and its `file://` download address.
fn release(root: &Path) -> (String, String) {
    let manifest: toml::Value =
        toml::from_str(&read(&repo_root().join("Cargo.toml"))).unwrap_or_else(|e| panic!("{e}"));
    let version = format!(
        "v{}",
        manifest["package"]["version"].as_str().unwrap_or_default()
    );
    package(&root.join(&version));
    (version, format!("file://{}", root.display()))
}

#[test]
fn the_packaged_archive_is_what_binstall_looks_for() {
    let dist = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let archive = package(dist.path());
    let (url, bin) = binstall_names(TARGET);
    let name = archive
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        url,
        format!("REPO/releases/download/v{version}/{name}"),
        "pkg-url"
    );
    let listing = Command::new("tar")
        .arg("-tzf")
        .arg(&archive)
        .output()
        .unwrap_or_else(|e| panic!("tar: {e}"));
    let listing = String::from_utf8_lossy(&listing.stdout);
    let mut entries: Vec<&str> = listing.lines().filter(|l| !l.ends_with('/')).collect();
    entries.sort_unstable();
    let folder = format!("fixbook-v{version}-{TARGET}");
    assert_eq!(
        entries,
        [
            format!("{folder}/LICENSE-APACHE"),
            format!("{folder}/LICENSE-MIT"),
            format!("{folder}/README.md"),
            format!("{folder}/fixbook"),
        ]
    );
    assert!(entries.contains(&bin.as_str()), "bin-dir {bin}");
    let sha = read(&dist.path().join(format!("{name}.sha256")));
    assert!(sha.ends_with(&format!("  {name}\n")), "{sha}");
}

fn install_with_script(
    download: &str,
    version: &str,
    dir: &Path,
    pinned: Option<&str>,
) -> std::process::Output {
    let mut command = Command::new(repo_root().join(".ci/install-fixbook"));
    command
        .args([version, dir.to_str().unwrap_or_default()])
        .env("FIXBOOK_DOWNLOAD", download)
        .env("FIXBOOK_TARGET", TARGET)
        .env_remove("FIXBOOK_SHA256");
    if let Some(pinned) = pinned {
        command.env("FIXBOOK_SHA256", pinned);
    }
    command
        .output()
        .unwrap_or_else(|e| panic!("install-fixbook: {e}"))
}

#[test]
fn the_install_script_checks_the_archive_before_installing_it() {
    let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (version, download) = release(&site.path().join("releases"));
    let bin = site.path().join("bin");
    let output = install_with_script(&download, &version, &bin, None);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!(
            "fixbook-v{0}-{TARGET}.tar.gz: OK\nfixbook {0}\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    std::fs::remove_dir_all(&bin).unwrap_or_else(|e| panic!("{e}"));

    let wrong = "0".repeat(64);
    let pinned = install_with_script(&download, &version, &bin, Some(&wrong));
    assert!(
        !pinned.status.success(),
        "a wrong pinned checksum installs nothing"
    );
    assert!(!bin.exists());

    // An archive replaced after SHA256SUMS was written is refused.
    let archive = site.path().join(format!(
        "releases/{version}/fixbook-{version}-{TARGET}.tar.gz"
    ));
    std::fs::write(&archive, b"not the release").unwrap_or_else(|e| panic!("{e}"));
    let tampered = install_with_script(&download, &version, &bin, None);
    assert!(!tampered.status.success());
    assert!(
        String::from_utf8_lossy(&tampered.stdout).contains("FAILED"),
        "{}",
        String::from_utf8_lossy(&tampered.stdout)
    );
    assert!(!bin.exists());
}

/// The shell lines of the README's "Install fixbook" step.
fn readme_install_steps() -> String {
    let readme = read(&repo_root().join("README.md"));
    let start = readme
        .find("    - name: Install fixbook\n")
        .unwrap_or_else(|| panic!("the README has no install step"));
    let rest = &readme[start..];
    let run = rest.find("run: |\n").map_or(0, |i| i + "run: |\n".len());
    rest[run..]
        .lines()
        .take_while(|line| line.starts_with("        "))
        .map(|line| format!("{}\n", line.trim_start()))
        .collect()
}

#[test]
fn the_readme_install_steps_verify_and_install_a_packaged_archive() {
    let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (version, download) = release(&site.path().join("releases"));
    let steps = readme_install_steps();
    assert!(steps.contains("sha256sum --check --strict"), "{steps}");
    let steps = steps.replace(
        "https://github.com/OWNER/fixbook/releases/download",
        &download,
    );
    let work = site.path().join("work");
    std::fs::create_dir_all(&work).unwrap_or_else(|e| panic!("{e}"));
    let github_path = site.path().join("github-path");
    let output = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &steps])
        .current_dir(&work)
        .env("HOME", site.path())
        .env("GITHUB_PATH", &github_path)
        .env("FIXBOOK_VERSION", &version)
        .env("FIXBOOK_TARGET", TARGET)
        .output()
        .unwrap_or_else(|e| panic!("bash: {e}"));
    assert!(
        output.status.success(),
        "{}\n{steps}",
        String::from_utf8_lossy(&output.stderr)
    );
    let installed = site.path().join(".fixbook/bin/fixbook");
    let version_output = Command::new(&installed)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", installed.display()));
    assert_eq!(
        String::from_utf8_lossy(&version_output.stdout),
        format!("fixbook {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        read(&github_path),
        format!("{}\n", site.path().join(".fixbook/bin").display())
    );
}

#[test]
fn the_readme_ci_steps_are_valid_workflow_yaml() {
    let readme = read(&repo_root().join("README.md"));
    let start = readme
        .find("    - name: Install fixbook\n")
        .unwrap_or_else(|| panic!("the README has no install step"));
    let end = readme[start..]
        .find("```")
        .map_or(readme.len(), |i| start + i);
    let steps: serde_json::Value = serde_saphyr::from_str(&readme[start..end])
        .unwrap_or_else(|e| panic!("the README's CI steps: {e}"));
    let runs: Vec<&str> = steps
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|step| step["run"].as_str())
        .collect();
    assert!(runs.contains(&"fixbook check --external"), "{runs:?}");
    assert!(runs.contains(&"fixbook build --output public"), "{runs:?}");
}
