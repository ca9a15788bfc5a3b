//! Bad input of every kind: a clear diagnostic (file, line, what to do), never a panic, never
//! a write outside the output folder, never a damaged previous output.

use std::path::Path;
use std::process::Output;

use crate::support::{copy_fixture, fixbook, snapshot_tree, stderr};

const BASE: &str = "bad-inputs-base";

/// A copy of the base site with `files` written over it.
pub(crate) fn site_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let site = copy_fixture(BASE);
    for (path, bytes) in files {
        write(&site.path().join(path), bytes);
    }
    site
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn run(root: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--root", root.to_str().unwrap_or_default()];
    all.extend_from_slice(args);
    fixbook(&all)
}

/// `check`: (exit code, standard error).
pub(crate) fn check(root: &Path) -> (i32, String) {
    let output = run(root, &["check"]);
    (output.status.code().unwrap_or(-1), stderr(&output))
}

pub(crate) fn build(root: &Path, out: &Path) -> Output {
    run(
        root,
        &["build", "--output", out.to_str().unwrap_or_default()],
    )
}

/// Checks the site, then builds it over a previous output: both must fail with `expected`,
/// and the previous output must be untouched.
pub(crate) fn fails_cleanly(site: &Path, expected: &str) {
    let (code, err) = check(site);
    assert_eq!(err, expected);
    assert_eq!(code, 1, "{err}");
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let public = out.path().join("public");
    let previous = build(&crate::support::fixture(BASE), &public);
    assert!(previous.status.success(), "{}", stderr(&previous));
    let before = snapshot_tree(out.path());
    let output = build(site, &public);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(stderr(&output), expected);
    assert!(
        snapshot_tree(out.path()) == before,
        "the previous output changed"
    );
}

#[test]
fn invalid_utf8_is_located_at_the_first_bad_byte() {
    let site = site_with(&[(
        "content/articles/latin-1.md",
        b"---\ntitle: Caf\xe9 scanner\ndate: 2024-01-01\n---\nBody\n",
    )]);
    fails_cleanly(
        site.path(),
        "error: the file is not valid UTF-8 text\n  --> content/articles/latin-1.md:2:11\n  = help: save it as UTF-8 in your editor; binary files do not belong in content/\n\nfailed: 1 error(s), 0 warning(s)\n",
    );
}

#[test]
fn empty_file_says_it_is_empty() {
    let site = site_with(&[("content/articles/draft-idea.md", b"")]);
    fails_cleanly(
        site.path(),
        "error: the file is empty\n  --> content/articles/draft-idea.md:1:1\n  = help: start it with front matter (a `---` line, at least `title:`, and another `---` line) and some Markdown, or delete it\n\nfailed: 1 error(s), 0 warning(s)\n",
    );
}

#[test]
fn front_matter_without_its_closing_line_is_reported_at_its_start() {
    let site = site_with(&[(
        "content/articles/unclosed.md",
        b"---\ntitle: Unclosed\ndate: 2024-01-01\n\nThe body starts here.\n",
    )]);
    fails_cleanly(
        site.path(),
        "error: the front matter starting here is never closed\n  --> content/articles/unclosed.md:1:1\n  = help: add a line with just `---` after the last front-matter key\n\nfailed: 1 error(s), 0 warning(s)\n",
    );
}

#[test]
fn yaml_alias_bomb_is_refused_before_it_expands() {
    // Each level repeats the previous one nine times: 9^8 copies if it were expanded. Ids
    // are strings, so the first nested alias is refused without expanding anything.
    let mut yaml = String::from(
        "---\ntitle: Laughs\ndate: 2024-01-01\nsymptoms: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for level in 1..9 {
        let refs = vec![format!("*a{}", level - 1); 9].join(", ");
        yaml.push_str(&format!("related: &a{level} [{refs}]\n"));
    }
    yaml.push_str("---\nBody\n");
    let site = site_with(&[("content/articles/laughs.md", yaml.as_bytes())]);
    fails_cleanly(
        site.path(),
        "error: invalid front matter: expected string scalar\n  --> content/articles/laughs.md:5:15\n  = help: front matter is YAML: check indentation, and quote values containing `: ` or starting with `[`, `{`, `*`, `&` or `#`\n\nfailed: 1 error(s), 0 warning(s)\n",
    );
}

#[test]
fn more_aliases_than_front_matter_needs_are_refused() {
    let refs = vec!["*a"; 100].join(", ");
    let yaml =
        format!("---\ntitle: Aliases\ndate: 2024-01-01\nsymptoms: [&a lol, {refs}]\n---\nBody\n");
    let site = site_with(&[("content/articles/aliases.md", yaml.as_bytes())]);
    fails_cleanly(
        site.path(),
        "error: the front matter is too large to read: it uses more than 64 YAML anchors or aliases (`&name`, `*name`)\n  --> content/articles/aliases.md:4:276\n  = help: front matter holds a few short keys: write lists out instead of repeating them with anchors and aliases, and move long text into the body\n\nfailed: 1 error(s), 0 warning(s)\n",
    );
}

#[test]
fn aliases_repeating_a_long_text_are_refused() {
    let text = "x".repeat(100_000);
    let refs = vec!["*a"; 60].join(", ");
    let yaml = format!(
        "---\ntitle: Amplified\ndate: 2024-01-01\nsymptoms: [&a \"{text}\", {refs}]\n---\nBody\n"
    );
    let site = site_with(&[("content/articles/amplified.md", yaml.as_bytes())]);
    fails_cleanly(
        site.path(),
        "error: the front matter is too large to read: its text adds up to more than 1 MB once aliases are expanded\n  --> content/articles/amplified.md:4:100055\n  = help: front matter holds a few short keys: write lists out instead of repeating them with anchors and aliases, and move long text into the body\n\nfailed: 1 error(s), 0 warning(s)\n",
    );
}

#[test]
fn deeply_nested_yaml_is_refused() {
    let yaml = format!(
        "---\ntitle: Deep\ndate: 2024-01-01\ntags: {}{}\n---\nBody\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let site = site_with(&[("content/articles/deep.md", yaml.as_bytes())]);
    fails_cleanly(
        site.path(),
        "error: the front matter is too large to read: it nests lists or maps more than 16 levels deep\n  --> content/articles/deep.md:4:23\n  = help: front matter holds a few short keys: write lists out instead of repeating them with anchors and aliases, and move long text into the body\n\nfailed: 1 error(s), 0 warning(s)\n",
    );
}

#[test]
fn a_10_mb_article_is_refused_with_its_size() {
    let mut text = String::from("---\ntitle: Huge\ndate: 2024-01-01\n---\n");
    let line = "A line of a log that someone pasted into the article by mistake.\n";
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(line);
    }
    let site = site_with(&[("content/articles/huge.md", text.as_bytes())]);
    fails_cleanly(
        site.path(),
        "error: the file is 10.0 MB, more than the 8 MB a content file may have\n  --> content/articles/huge.md\n  = help: split it into several articles, and keep logs, data and images out of the Markdown\n\nfailed: 1 error(s), 0 warning(s)\n",
    );
}

#[test]
fn binary_files_in_content_are_named() {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
    let site = site_with(&[
        ("content/articles/screenshot.png", PNG),
        ("content/articles/scan.md", PNG),
        ("content/fixes/blob.md", b"---\ntitle: x\0y\n---\n"),
    ]);
    fails_cleanly(
        site.path(),
        "error: the file is not valid UTF-8 text\n  --> content/articles/scan.md:1:1\n  = help: save it as UTF-8 in your editor; binary files do not belong in content/\n\nerror: this PNG image is corrupt or truncated: unexpected end of file\n  --> content/articles/screenshot.png\n  = help: open it in an image viewer; export or copy it again from the original\n\nerror: the file contains a NUL byte, so it is not a text file\n  --> content/fixes/blob.md:2:9\n  = help: binary files do not belong in content/; save the article as plain UTF-8 text\n\nfailed: 3 error(s), 0 warning(s)\n",
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_site_are_ignored_with_a_warning() {
    let site = site_with(&[]);
    let articles = site.path().join("content/articles");
    let link = |target: &str, name: &str| {
        std::os::unix::fs::symlink(target, articles.join(name))
            .unwrap_or_else(|e| panic!("symlink {name}: {e}"));
    };
    link(".", "loop");
    link("../articles", "up");
    link("/etc/passwd", "passwd.md");
    link("missing.md", "dangling.md");
    let (code, err) = check(site.path());
    let help = "  = help: content files must be regular files inside content/; copy the file instead of linking it\n\n";
    assert_eq!(
        err,
        format!(
            "warning: symbolic link ignored\n  --> content/articles/dangling.md\n{help}warning: symbolic link ignored\n  --> content/articles/loop\n{help}warning: symbolic link ignored\n  --> content/articles/passwd.md\n{help}warning: symbolic link ignored\n  --> content/articles/up\n{help}checked 1 articles, 1 fixes and 1 status messages: no errors\n"
        )
    );
    assert_eq!(code, 0);
    assert_eq!(
        run(site.path(), &["check", "--strict"]).status.code(),
        Some(1)
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_in_content_is_skipped_not_read() {
    let site = site_with(&[]);
    let fifo = site.path().join("content/articles/pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap_or_else(|e| panic!("mkfifo: {e}"));
    assert!(made.success());
    let (code, err) = check(site.path());
    assert_eq!(
        err,
        "warning: ignored: not a regular file\n  --> content/articles/pipe.md\n  = help: content/ may only hold folders and Markdown files; move this out of content/\n\nchecked 1 articles, 1 fixes and 1 status messages: no errors\n"
    );
    assert_eq!(code, 0);
}

#[test]
fn ids_and_links_with_dot_dot_or_absolute_paths_never_leave_the_site() {
    let article = "---\ntitle: Escape attempts\ndate: 2024-01-01\ntags: [\"../../../outside\", \"/etc\"]\nrelated: [../../etc/passwd]\nfixes: [/etc/passwd]\nthumbnail: /etc/passwd\n---\nSee [the secrets](../../../../etc/passwd.md) and [this](/etc/shadow).\n";
    let site = site_with(&[("content/articles/escape.md", article.as_bytes())]);
    let (code, err) = check(site.path());
    assert_eq!(
        err,
        "error: unknown related article `../../etc/passwd`\n  --> content/articles/escape.md:5:11\n  = help: create content/articles/../../etc/passwd.md or remove the reference\n\nerror: unknown fix `/etc/passwd`\n  --> content/articles/escape.md:6:9\n  = help: create content/fixes//etc/passwd.md or remove the reference\n\nerror: link to `../../../../etc/passwd.md` does not match any content file\n  --> content/articles/escape.md:9:5\n  = help: links to other pages point at their source file, relative to this one, e.g. `../fixes/restart-device.md`\n\nfailed: 3 error(s), 0 warning(s)\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn tags_with_dot_dot_become_plain_page_names_inside_the_output() {
    let article = "---\ntitle: Tag escape\ndate: 2024-01-01\ntags: [\"../../../outside\", \"/etc\", \"..\\\\win\"]\nthumbnail: /etc/passwd\n---\nBody.\n";
    let site = site_with(&[("content/articles/tag-escape.md", article.as_bytes())]);
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let public = out.path().join("site/public");
    let output = build(site.path(), &public);
    assert!(output.status.success(), "{}", stderr(&output));
    let outside: Vec<String> = snapshot_tree(out.path())
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| {
            !path.starts_with("site/public/") && !is_bookkeeping(path.trim_start_matches("site/"))
        })
        .collect();
    assert!(
        outside.is_empty(),
        "written outside the output: {outside:?}"
    );
    for page in [
        "tags/outside/index.html",
        "tags/etc/index.html",
        "tags/win/index.html",
    ] {
        assert!(public.join(page).is_file(), "{page}");
    }
}

#[test]
fn a_tag_without_letters_or_digits_is_an_error() {
    let article = "---\ntitle: Odd tags\ndate: 2024-01-01\ntags: [\"..\", scanning]\n---\nBody.\n";
    let site = site_with(&[("content/articles/odd-tags.md", article.as_bytes())]);
    fails_cleanly(
        site.path(),
        "error: the tag `..` has no letters or digits to name its page after\n  --> content/articles/odd-tags.md:4:9\n  = help: use words for tags and categories, e.g. `shared-albums`\n\nfailed: 1 error(s), 0 warning(s)\n",
    );
}

#[test]
fn duplicate_ids_and_ids_that_differ_only_in_case_are_errors() {
    let body = b"---\ntitle: Copy\ndate: 2024-01-01\n---\nBody.\n";
    let site = site_with(&[
        ("content/articles/old/scanner-not-found.md", body),
        ("content/articles/Scanner-Not-Found.md", body),
    ]);
    fails_cleanly(
        site.path(),
        "error: `Scanner-Not-Found` is not a valid article id\n  --> content/articles/Scanner-Not-Found.md\n  = help: file names are ids: use lowercase letters, digits and dashes, e.g. `scanner-not-found.md`\n\nerror: duplicate article id `scanner-not-found`\n  --> content/articles/scanner-not-found.md\n  = help: `content/articles/old/scanner-not-found.md` has the same id; ids come from file names and must be unique per kind\n\nwarning: no article lists the status message `offline`\n  --> content/status/offline.md:1:1\n  = help: add it to `status_messages:` of the articles where readers see it\n\nfailed: 2 error(s), 1 warning(s)\n",
    );
}

#[test]
fn tags_that_differ_only_in_case_share_one_page() {
    let article = "---\ntitle: Same tag\ndate: 2024-01-01\ntags: [connection]\n---\nBody.\n";
    let site = site_with(&[("content/articles/same-tag.md", article.as_bytes())]);
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = build(site.path(), out.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let tags: Vec<String> = snapshot_tree(&out.path().join("tags"))
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        tags,
        ["connection/index.html", "index.html", "scanning/index.html"]
    );
    let page = std::fs::read_to_string(out.path().join("tags/connection/index.html"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(page.contains("The computer cannot find the scanner") && page.contains("Same tag"));
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_build_like_plain_files() {
    let plain = copy_fixture(BASE);
    let windows = copy_fixture(BASE);
    for entry in walkdir::WalkDir::new(windows.path().join("content")) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_else(|e| panic!("{e}"));
            let converted = format!("\u{feff}{}", text.replace('\n', "\r\n"));
            write(entry.path(), converted.as_bytes());
        }
    }
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = (out.path().join("plain"), out.path().join("windows"));
    for (root, public) in [(plain.path(), &a), (windows.path(), &b)] {
        let output = build(root, public);
        assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
        assert!(output.status.success());
    }
    let (a, b) = (snapshot_tree(&a), snapshot_tree(&b));
    assert_eq!(a.len(), b.len());
    for ((path_a, bytes_a), (path_b, bytes_b)) in a.iter().zip(&b) {
        assert_eq!(path_a, path_b);
        let (text_a, text_b) = (
            String::from_utf8_lossy(bytes_a),
            String::from_utf8_lossy(bytes_b),
        );
        assert_eq!(text_a, text_b.replace("\r\n", "\n"), "{path_a}");
    }
}

#[test]
fn crlf_files_report_the_same_positions() {
    let text = "---\ntitle: Positions\ndate: 2024-01-01\nfixes: [restart-scaner]\n---\nSee [x](../fixes/nope.md).\n";
    let lf = site_with(&[("content/articles/positions.md", text.as_bytes())]);
    let crlf_text = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let crlf = site_with(&[("content/articles/positions.md", crlf_text.as_bytes())]);
    let (_, expected) = check(lf.path());
    assert!(
        expected.contains("positions.md:4:9") && expected.contains("positions.md:6:5"),
        "{expected}"
    );
    assert_eq!(check(crlf.path()).1, expected);
}

#[test]
fn a_missing_content_folder_is_a_setup_error() {
    let site = copy_fixture(BASE);
    std::fs::remove_dir_all(site.path().join("content")).unwrap_or_else(|e| panic!("{e}"));
    let output = run(site.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "error: there is no `content` folder in `{}`\n  = help: create content/articles, content/fixes and content/status, or start from `fixbook init DIR`\n\nfailed: 1 error(s), 0 warning(s)\n",
            site.path().display()
        )
    );
}

#[test]
fn an_output_folder_that_cannot_be_written_is_a_setup_error() {
    let site = copy_fixture(BASE);
    // A regular file where the output's parent folder should be: no user, root included,
    // can create a folder inside it.
    let blocker = site.path().join("not-a-folder");
    write(&blocker, b"x");
    let target = blocker.join("public");
    let output = build(site.path(), &target);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "error: cannot write the site to `{}`: Not a directory (os error 20)\n  = help: check that the output folder's parent exists and is writable, or choose another with `--output`\n\nfailed: 1 error(s), 0 warning(s)\n",
            target.display()
        )
    );
    assert_eq!(std::fs::read(&blocker).ok().as_deref(), Some(&b"x"[..]));
}

#[cfg(unix)]
#[test]
fn a_read_only_output_parent_leaves_the_previous_output_alone() {
    use std::os::unix::fs::PermissionsExt as _;
    let site = copy_fixture(BASE);
    let parent = site.path().join("deploy");
    let public = parent.join("public");
    assert!(build(site.path(), &public).status.success());
    let before = snapshot_tree(&public);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555))
        .unwrap_or_else(|e| panic!("{e}"));
    let probe = parent.join(".probe");
    let root_ignores_permissions = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    let output = build(site.path(), &public);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
    if root_ignores_permissions {
        // Running as root: the write succeeds, so only the outcome can be checked.
        assert!(output.status.success(), "{}", stderr(&output));
    } else {
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("Permission denied"),
            "{}",
            stderr(&output)
        );
    }
    assert!(snapshot_tree(&public) == before, "the output changed");
    // Nothing but the output, and the spare, manifests and lock a successful rebuild keeps, is
    // left beside it.
    let stray: Vec<String> = std::fs::read_dir(&parent)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "public" && n != ".public.fixbook-spare" && !is_bookkeeping(n))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

/// Writes a site of `count` generated articles, each with a few paragraphs and a fix.
fn generated_site(count: usize) -> tempfile::TempDir {
    let site = copy_fixture(BASE);
    let paragraph = "The scanner is reachable again once the computer and the scanner agree on the network. Check the cable, the Wi-Fi name and the sleep settings, one at a time, and scan a test page after each change.\n\n";
    for i in 0..count {
        let text = format!(
            "---\ntitle: Generated problem {i}\ndate: 2024-01-01\ntags: [generated, batch-{}]\nfixes: [restart-scanner]\n---\n## Symptoms\n\n{}## Steps\n\n1. First step for {i}.\n2. Second step.\n",
            i % 50,
            paragraph.repeat(6)
        );
        write(
            &site
                .path()
                .join(format!("content/articles/generated-{i:05}.md")),
            text.as_bytes(),
        );
    }
    site
}

#[cfg(unix)]
#[test]
fn a_build_killed_halfway_leaves_the_previous_output_intact() {
    let site = generated_site(3000);
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let public = out.path().join("public");
    let first = build(site.path(), &public);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = snapshot_tree(&public);
    // Change every page, so that a half-written output would be visible.
    let config = site.path().join("fixbook.toml");
    let text = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
    write(
        &config,
        text.replace("Scanner Help", "Scanner Help, Second Edition")
            .as_bytes(),
    );

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fixbook"))
        .args([
            "--root",
            site.path().to_str().unwrap_or_default(),
            "build",
            "--output",
        ])
        .arg(&public)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    let staging_started = || {
        std::fs::read_dir(out.path()).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".public.fixbook-staging")
            })
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !staging_started() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the build finished ({status}) before it could be killed while writing");
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the build never started writing"
        );
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    child.kill().unwrap_or_else(|e| panic!("kill: {e}"));
    let status = child.wait().unwrap_or_else(|e| panic!("wait: {e}"));
    assert!(!status.success(), "killed builds do not succeed");
    assert!(
        snapshot_tree(&public) == before,
        "a killed build changed the output"
    );

    let again = build(site.path(), &public);
    assert!(again.status.success(), "{}", stderr(&again));
    let mut leftovers: Vec<String> = std::fs::read_dir(out.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !is_bookkeeping(n))
        .collect();
    leftovers.sort();
    // The replaced output stays as the spare the next build writes into; no staging folder.
    assert_eq!(
        leftovers,
        [".public.fixbook-spare", "public"],
        "stale staging folders remain"
    );
    let home = std::fs::read_to_string(public.join("index.html")).unwrap_or_else(|e| panic!("{e}"));
    assert!(home.contains("Second Edition"));
}

/// The manifests a build keeps beside the output (`.public.fixbook-manifest-<inode>`), which
/// let the next builds tell unchanged files without reading them.
/// The files fixbook keeps beside an output `public`: its manifests and its build lock.
fn is_bookkeeping(name: &str) -> bool {
    name == ".public.fixbook-lock"
        || name
            .strip_prefix(".public.fixbook-manifest-")
            .is_some_and(|inode| !inode.is_empty() && inode.bytes().all(|b| b.is_ascii_digit()))
}
