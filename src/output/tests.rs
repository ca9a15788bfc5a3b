//! The output writer over real folders: what a rebuild leaves, links, the manifest.

use super::*;

/// Writes `files` into `out` as a build does, without `--force`; what it set aside.
fn write(out: &Path, files: &[OutputFile]) -> io::Result<Vec<String>> {
    write_atomically(out, files, false).map_err(|err| match err {
        OutputError::Io(err) => err,
        OutputError::Refused(refusal) => io::Error::other(refusal.message()),
    })
}

/// The folders beside `out` where a build set things aside.
fn kept_folders(out: &Path) -> Vec<PathBuf> {
    let prefix = format!("{}.kept-", out.file_name().unwrap().to_string_lossy());
    let mut kept: Vec<PathBuf> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    kept.sort();
    kept
}

fn file(path: &str, text: &str) -> OutputFile {
    OutputFile {
        path: path.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

#[test]
fn replaces_old_output_completely() -> io::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("public");
    write(&out, &[file("old.html", "old"), file("a/index.html", "1")])?;
    write(&out, &[file("a/index.html", "2")])?;
    assert!(!out.join("old.html").exists());
    assert_eq!(std::fs::read_to_string(out.join("a/index.html"))?, "2");
    let mut leftovers: Vec<_> = std::fs::read_dir(dir.path())?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    leftovers.sort();
    // The two folders, the lock, and at most one manifest for each.
    use std::os::unix::fs::MetadataExt as _;
    let manifest_of = |folder: &str| -> io::Result<String> {
        let inode = std::fs::metadata(dir.path().join(folder))?.ino();
        Ok(format!(".public.fixbook-manifest-{inode}"))
    };
    let mut expected = vec![
        ".public.fixbook-lock".to_owned(),
        ".public.fixbook-spare".to_owned(),
        "public".to_owned(),
        manifest_of("public")?,
        manifest_of(".public.fixbook-spare")?,
    ];
    expected.retain(|name| leftovers.contains(name) || !name.contains("manifest"));
    expected.sort();
    assert_eq!(leftovers, expected);
    Ok(())
}

/// Writes `files` through a staging folder, waiting before the commit so that the
/// manifest can vouch for them; how many files were read back to compare.
fn settled_build(out: &Path, files: &[OutputFile]) -> io::Result<usize> {
    let staging = Staging::create(out, false).map_err(|err| match err {
        OutputError::Io(err) => err,
        OutputError::Refused(refusal) => io::Error::other(refusal.message()),
    })?;
    for file in files {
        staging.write(&file.path, &file.bytes)?;
    }
    std::thread::sleep(std::time::Duration::from_millis(80));
    let read_back = staging.read_back.load(std::sync::atomic::Ordering::Relaxed);
    staging.commit()?;
    Ok(read_back)
}

#[test]
fn the_manifest_spares_reading_untouched_files_and_misses_no_change() -> io::Result<()> {
    use std::os::unix::fs::MetadataExt as _;
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("public");
    let files = [file("a/index.html", "one"), file("b.html", "two")];
    settled_build(&out, &files)?;
    settled_build(&out, &files)?;
    // Through each folder once more: now both have manifests that vouch for their files.
    settled_build(&out, &files)?;
    settled_build(&out, &files)?;
    let fine_times = std::fs::metadata(out.join("b.html"))?.ctime_nsec() != 0;
    let read_back = settled_build(&out, &files)?;
    if fine_times {
        assert_eq!(read_back, 0, "every file was vouched for");
    }
    assert_eq!(
        tree(&out),
        [
            ("a/index.html".to_owned(), "one".to_owned()),
            ("b.html".to_owned(), "two".to_owned()),
        ]
    );
    // Edited in place behind fixbook's back, same length: the next build that writes
    // into that folder must notice and put the right bytes back.
    let spare = out.with_file_name(".public.fixbook-spare");
    std::fs::write(spare.join("b.html"), "TWO")?;
    std::fs::write(out.join("b.html"), "TWO")?;
    settled_build(&out, &files)?;
    assert_eq!(std::fs::read_to_string(out.join("b.html"))?, "two");
    settled_build(&out, &files)?;
    assert_eq!(std::fs::read_to_string(out.join("b.html"))?, "two");
    Ok(())
}

/// Every file of `dir`, relative, with its text.
fn tree(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn rebuilds_through_the_spare_give_exactly_the_new_files() -> io::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("public");
    let spare = dir.path().join(".public.fixbook-spare");
    let builds: [&[OutputFile]; 4] = [
        &[
            file("a/index.html", "1"),
            file("b/index.html", "b"),
            file("gone.html", "x"),
        ],
        &[file("a/index.html", "2"), file("b/index.html", "b")],
        // `b` turns from a folder into a file, `c/d` appears.
        &[
            file("a/index.html", "2"),
            file("b", "file now"),
            file("c/d/index.html", "d"),
        ],
        &[
            file("a/index.html", "3"),
            file("b/index.html", "folder again"),
        ],
    ];
    let mut previous = Vec::new();
    for files in builds {
        write(&out, files)?;
        let mut expected: Vec<(String, String)> = files
            .iter()
            .map(|f| {
                (
                    f.path.clone(),
                    String::from_utf8_lossy(&f.bytes).into_owned(),
                )
            })
            .collect();
        expected.sort();
        assert_eq!(tree(&out), expected);
        if !previous.is_empty() {
            assert_eq!(tree(&spare), previous, "the spare is the replaced output");
        }
        previous = expected;
    }
    Ok(())
}

#[test]
fn links_planted_in_the_spare_are_set_aside_never_followed() -> io::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("public");
    write(&out, &[file("a/index.html", "1")])?;
    write(&out, &[file("a/index.html", "2")])?;
    let spare = dir.path().join(".public.fixbook-spare");
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside)?;
    std::fs::write(outside.join("index.html"), "keep me")?;
    std::fs::remove_dir_all(spare.join("a"))?;
    std::os::unix::fs::symlink(&outside, spare.join("a"))?;
    let notes = write(&out, &[file("a/index.html", "3")])?;
    assert_eq!(
        std::fs::read_to_string(outside.join("index.html"))?,
        "keep me"
    );
    assert_eq!(std::fs::read_to_string(out.join("a/index.html"))?, "3");
    assert!(std::fs::symlink_metadata(out.join("a"))?.is_dir());
    let kept = kept_folders(&out);
    assert_eq!(kept.len(), 1, "{notes:?}");
    assert!(std::fs::symlink_metadata(kept[0].join("a"))?.is_symlink());
    assert_eq!(notes.len(), 1);
    assert!(notes[0].contains("`a`"), "{notes:?}");
    Ok(())
}

#[test]
fn unchanged_files_are_linked_from_the_old_output_and_changed_ones_written() -> io::Result<()> {
    use std::os::unix::fs::MetadataExt as _;
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("public");
    write(
        &out,
        &[file("same.html", "same"), file("a/changed.html", "old")],
    )?;
    let before = std::fs::metadata(out.join("same.html"))?.ino();
    let changed_before = std::fs::metadata(out.join("a/changed.html"))?.ino();
    write(
        &out,
        &[file("same.html", "same"), file("a/changed.html", "new!")],
    )?;
    // The unchanged file is the same inode, linked from the new output and the spare.
    let same = std::fs::metadata(out.join("same.html"))?;
    assert_eq!(same.ino(), before);
    assert_eq!(same.nlink(), 2);
    // The old file still exists (in the spare), so the new one is another inode.
    let changed = std::fs::metadata(out.join("a/changed.html"))?;
    assert_ne!(changed.ino(), changed_before);
    assert_eq!(std::fs::read_to_string(out.join("a/changed.html"))?, "new!");
    // A third build rewrites a changed file in the spare without touching the live one.
    let live = out.join("same.html");
    write(
        &out,
        &[file("same.html", "edited"), file("a/changed.html", "new!")],
    )?;
    assert_eq!(std::fs::read_to_string(&live)?, "edited");
    let spare = out.with_file_name(".public.fixbook-spare");
    assert_eq!(std::fs::read_to_string(spare.join("same.html"))?, "same");
    Ok(())
}

#[test]
fn a_folder_fixbook_did_not_write_is_refused_and_with_force_moved_aside_whole() -> io::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("public");
    std::fs::create_dir(&out)?;
    std::fs::write(dir.path().join("elsewhere.html"), "same")?;
    std::os::unix::fs::symlink(dir.path().join("elsewhere.html"), out.join("page.html"))?;
    std::fs::write(out.join("thesis.txt"), "precious")?;
    let before: Vec<String> = std::fs::read_dir(dir.path())?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    match write_atomically(&out, &[file("page.html", "same")], false) {
        Err(OutputError::Refused(Refusal::NotOurs { holds, .. })) => {
            assert_eq!(holds, ["`page.html`", "`thesis.txt`"]);
        }
        other => panic!("not refused: {other:?}"),
    }
    let after: Vec<String> = std::fs::read_dir(dir.path())?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(before, after, "a refusal leaves nothing behind");
    let notes = write_atomically(&out, &[file("page.html", "same")], true)
        .map_err(|err| io::Error::other(format!("{err:?}")))?;
    assert!(std::fs::symlink_metadata(out.join("page.html"))?.is_file());
    let kept = kept_folders(&out);
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read_to_string(kept[0].join("thesis.txt"))?,
        "precious"
    );
    assert!(std::fs::symlink_metadata(kept[0].join("page.html"))?.is_symlink());
    assert!(notes[0].contains("moved what was in"), "{notes:?}");
    // The next build knows the output as its own: no refusal, nothing more set aside.
    assert!(write(&out, &[file("page.html", "again")])?.is_empty());
    Ok(())
}

#[test]
fn a_git_repository_is_never_an_output_even_with_force() -> io::Result<()> {
    let dir = tempfile::tempdir()?;
    for (case, git) in [("top", ".git"), ("deep", "project/.git")] {
        let out = dir.path().join(case);
        std::fs::create_dir_all(out.join(git))?;
        std::fs::write(out.join(git).join("HEAD"), "ref: refs/heads/main")?;
        for force in [false, true] {
            let result = write_atomically(&out, &[file("index.html", "x")], force);
            let refused = matches!(result, Err(OutputError::Refused(Refusal::Git { .. })));
            // Without force a repository deeper down is refused as not fixbook's.
            let not_ours = matches!(result, Err(OutputError::Refused(Refusal::NotOurs { .. })));
            assert!(
                refused || (!force && not_ours),
                "{case} {force}: {result:?}"
            );
        }
        assert!(out.join(git).join("HEAD").is_file());
    }
    let git = dir.path().join(".git");
    std::fs::create_dir(&git)?;
    let result = write_atomically(&git, &[file("index.html", "x")], true);
    assert!(matches!(
        result,
        Err(OutputError::Refused(Refusal::Git { .. }))
    ));
    Ok(())
}

#[test]
fn a_file_someone_put_in_the_output_is_set_aside_never_deleted() -> io::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("public");
    let site = [file("index.html", "home"), file("a/index.html", "a")];
    write(&out, &site)?;
    write(&out, &site)?;
    std::fs::write(out.join("notes.txt"), "mine")?;
    std::fs::write(out.join("a/extra.html"), "also mine")?;
    // Each of the two folders a build alternates between is reused in turn; by the second
    // build the added files have been found and set aside.
    let mut notes = write(&out, &site)?;
    notes.extend(write(&out, &site)?);
    assert_eq!(
        tree(&out),
        [
            ("a/index.html".to_owned(), "a".to_owned()),
            ("index.html".to_owned(), "home".to_owned())
        ]
    );
    let kept = kept_folders(&out);
    assert_eq!(kept.len(), 1, "{notes:?}");
    assert_eq!(
        tree(&kept[0]),
        [
            ("a/extra.html".to_owned(), "also mine".to_owned()),
            ("notes.txt".to_owned(), "mine".to_owned())
        ]
    );
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("`a/extra.html`, `notes.txt`"),
        "{notes:?}"
    );
    Ok(())
}

#[test]
fn a_spare_without_a_manifest_is_kept_not_reused() -> io::Result<()> {
    // What an earlier fixbook left: a user's folder moved aside as the spare.
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("mydocs");
    write(&out, &[file("index.html", "home")])?;
    let spare = dir.path().join(".mydocs.fixbook-spare");
    std::fs::create_dir(&spare)?;
    std::fs::write(spare.join("thesis.txt"), "precious")?;
    write(&out, &[file("index.html", "home")])?;
    let kept = kept_folders(&out);
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read_to_string(kept[0].join("thesis.txt"))?,
        "precious"
    );
    Ok(())
}

#[test]
fn a_second_build_into_the_same_output_waits_for_the_first() -> io::Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("public");
    let first = Staging::create(&out, false).map_err(|e| io::Error::other(format!("{e:?}")))?;
    first.write("page.html", b"first")?;
    let (tx, rx) = std::sync::mpsc::channel();
    let second = {
        let out = out.clone();
        std::thread::spawn(move || {
            let staging = Staging::create(&out, false);
            let _ = tx.send(());
            let staging = staging.map_err(|e| io::Error::other(format!("{e:?}")))?;
            staging.write("page.html", b"second")?;
            staging.write("second-only.html", b"2")?;
            staging.commit()
        })
    };
    assert!(
        rx.recv_timeout(std::time::Duration::from_millis(300))
            .is_err(),
        "the second build did not wait"
    );
    first.write("first-only.html", b"1")?;
    first.commit()?;
    rx.recv_timeout(std::time::Duration::from_secs(10))
        .map_err(|_| io::Error::other("the second build never started"))?;
    second
        .join()
        .map_err(|_| io::Error::other("the second build panicked"))??;
    assert_eq!(
        tree(&out),
        [
            ("page.html".to_owned(), "second".to_owned()),
            ("second-only.html".to_owned(), "2".to_owned())
        ]
    );
    Ok(())
}

#[test]
fn refuses_paths_that_escape() {
    assert!(safe_relative("../x").is_err());
    assert!(safe_relative("/etc/passwd").is_err());
    assert!(safe_relative("a/./b").is_ok());
    assert!(safe_relative("").is_err());
}
