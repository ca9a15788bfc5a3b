//! Output: write the site into a staging folder beside the output, then swap it in, so a
//! failed or killed build never leaves a half-written site behind.

mod manifest;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::site::OutputFile;
use manifest::{Entry, Fingerprint, Manifest, Status};

/// Writes `files` as the new content of `output`, replacing the old content in one step.
pub fn write_atomically(output: &Path, files: &[OutputFile]) -> io::Result<()> {
    let staging = Staging::create(output)?;
    files
        .par_iter()
        .try_for_each(|file| staging.write(&file.path, &file.bytes))?;
    staging.commit()
}

/// A folder beside the output that a build writes into while it renders, file by file
/// and from many threads; [`Staging::commit`] swaps it in. Dropped without a commit (the
/// build failed), the output is left as it was.
///
/// Creating and deleting files is most of what writing a large site costs the file
/// system, so a rebuild avoids both. The output a build replaces is kept beside it as the
/// *spare* (`.public.fixbook-spare` for `public`), and the next build writes into the
/// spare: a file whose bytes did not change is left alone, a changed one is rewritten in
/// place, and files the site no longer has are removed before the swap. The live output is
/// never written to. Without a spare (the first rebuild), files whose bytes did not change
/// are hard-linked from the output being replaced.
///
/// Telling an unchanged file needs no reading when the [manifest](manifest) the build
/// that last wrote the spare left beside it still vouches for the file; otherwise the file
/// is read and compared.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    spare: PathBuf,
    /// What manifests beside the output are called, up to the folder's inode.
    manifest_prefix: String,
    /// What the reused spare held when the build began (empty for a new folder).
    listing: Listing,
    /// Whether `dir` is the spare, reused: then files this build did not write are pruned.
    reused: bool,
    /// The reused spare's manifest, if it has a trustworthy one.
    known: Option<Manifest>,
    /// Every file written, with what the next manifest will say of it.
    written: Mutex<HashMap<String, Option<Entry>>>,
    /// How many files were read back to compare them (the manifest spares that).
    read_back: std::sync::atomic::AtomicUsize,
    /// The output being replaced, when there is one and no spare is reused: unchanged files
    /// are hard-linked from it.
    previous: Option<PathBuf>,
    committed: bool,
}

impl Staging {
    /// Prepares the folder a build of `output` writes into: the spare when there is one,
    /// else a new empty folder. Staging folders of killed builds are removed.
    pub fn create(output: &Path) -> io::Result<Staging> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = output
            .file_name()
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "the output path has no folder name",
                )
            })?
            .to_string_lossy()
            .into_owned();
        std::fs::create_dir_all(&parent)?;
        let spare = parent.join(format!(".{name}.fixbook-spare"));
        let manifest_prefix = format!(".{name}.fixbook-manifest-");
        remove_stale_staging(&parent, &name, &spare, &manifest_prefix);
        let output_is_dir = std::fs::symlink_metadata(output).is_ok_and(|m| m.is_dir());
        let spare_is_dir = std::fs::symlink_metadata(&spare).is_ok_and(|m| m.is_dir());
        let listing = (output_is_dir && spare_is_dir)
            .then(|| survey(&spare).ok())
            .flatten();
        let reused = listing.is_some();
        let dir = if reused {
            spare.clone()
        } else {
            if std::fs::symlink_metadata(&spare).is_ok() {
                remove_tree_or_file(&spare)?;
            }
            let dir = parent.join(format!(".{name}.fixbook-staging-{}", std::process::id()));
            if dir.exists() {
                remove_tree(&dir)?;
            }
            std::fs::create_dir(&dir)?;
            dir
        };
        let known = if reused {
            Manifest::load(&dir, &manifest_prefix)
        } else {
            None
        };
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            spare,
            manifest_prefix,
            listing: listing.unwrap_or_default(),
            reused,
            known,
            written: Mutex::new(HashMap::new()),
            read_back: std::sync::atomic::AtomicUsize::new(0),
            previous: (output_is_dir && !reused).then(|| output.to_path_buf()),
            committed: false,
        })
    }

    /// Writes one file (`path` relative, with `/`), creating its folders as needed. Safe to
    /// call from many threads at once.
    pub fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let relative = safe_relative(path)?;
        let target = self.dir.join(relative);
        let fingerprint = Fingerprint::of(bytes);
        let status = self.put(path, relative, &target, bytes, fingerprint)?;
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(
                path.to_owned(),
                status.map(|status| Entry {
                    fingerprint,
                    status,
                }),
            );
        Ok(())
    }

    /// Puts `bytes` at `target` unless it already holds them; the file's status after.
    fn put(
        &self,
        path: &str,
        relative: &Path,
        target: &Path,
        bytes: &[u8],
        fingerprint: Fingerprint,
    ) -> io::Result<Option<Status>> {
        if self.reused {
            let vouched = self
                .known
                .as_ref()
                .and_then(|known| known.vouches(path, target, fingerprint));
            if let Some(status) = vouched {
                return Ok(Some(status));
            }
            self.read_back
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if let Some(status) = unchanged(target, bytes) {
                return Ok(Some(status));
            }
            // Never write through: the spare's file may be a hard link of the live output's.
            match std::fs::symlink_metadata(target) {
                Ok(meta) if meta.is_dir() => remove_tree(target)?,
                Ok(_) => std::fs::remove_file(target)?,
                Err(_) => {}
            }
        }
        let old = self
            .previous
            .as_ref()
            .map(|previous| previous.join(relative))
            .filter(|old| unchanged(old, bytes).is_some());
        // Once linked, the file is the live output's: never written to, even if its status
        // cannot be read (it is then left out of the manifest).
        let put = |target: &Path| match &old {
            Some(old) if std::fs::hard_link(old, target).is_ok() => {
                Ok(std::fs::symlink_metadata(target)
                    .ok()
                    .and_then(|meta| Status::of(&meta)))
            }
            _ => write_new(target, bytes),
        };
        match put(target) {
            Err(err) if err.kind() == io::ErrorKind::NotFound || self.reused => {
                // Most pages live in a folder of their own (`articles/x/index.html`): one
                // failed open per new folder is cheaper than checking first every time.
                // In a reused spare a file may stand where a folder is now needed.
                if let Some(dir) = target.parent() {
                    if self.reused {
                        clear_files_on_the_way(&self.dir, dir)?;
                    }
                    std::fs::create_dir_all(dir)?;
                }
                // A missing folder was the expected cause; otherwise report the first error.
                put(target).map_err(|again| {
                    if err.kind() == io::ErrorKind::NotFound {
                        again
                    } else {
                        err
                    }
                })
            }
            other => other,
        }
    }

    /// Swaps the staging folder in as the output; the replaced output becomes the spare.
    pub fn commit(mut self) -> io::Result<()> {
        self.committed = true;
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        if self.reused {
            prune(&self.dir, &self.listing, &written)?;
        }
        let entries: HashMap<String, Entry> = written
            .into_iter()
            .filter_map(|(path, entry)| Some((path, entry?)))
            .collect();
        // Only a help for the next builds: without it they read and compare instead.
        let _ = Manifest::store(
            &self.dir,
            &self.manifest_prefix,
            &entries,
            &[&self.dir, &self.output],
        );
        let result = swap_in(&self.dir, &self.output, &self.spare);
        if result.is_err() && !self.reused {
            let _ = remove_tree(&self.dir);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A spare that was being updated stays: the next build checks every file anyway.
        if !self.committed && !self.reused {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// The files and folders of a reused spare, relative to it: as `/`-separated keys (how
/// output paths are written) and as paths.
#[derive(Debug, Default)]
struct Listing {
    files: Vec<(String, PathBuf)>,
    dirs: Vec<(String, PathBuf)>,
}

/// Threads that read the spare's folders. Listing a large tree is waiting on the disk when
/// the cache is cold, so many requests in flight help, and the build's own threads, busy
/// computing, are not used for it.
const SURVEY_THREADS: usize = 8;

/// Lists the spare's files and folders, removing everything that is neither (symbolic links
/// above all) so that writing into it never follows a link out of it.
fn survey(spare: &Path) -> io::Result<Listing> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(SURVEY_THREADS)
        .thread_name(|i| format!("fixbook-survey-{i}"))
        .build()
        .map_err(io::Error::other)?;
    let listing = Mutex::new(Listing::default());
    pool.install(|| survey_folder(spare, Path::new(""), &listing))?;
    Ok(listing.into_inner().unwrap_or_else(|e| e.into_inner()))
}

fn survey_folder(dir: &Path, relative: &Path, listing: &Mutex<Listing>) -> io::Result<()> {
    let entries: Vec<std::fs::DirEntry> =
        std::fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        let kind = entry.file_type()?;
        let path = relative.join(entry.file_name());
        let key = path.to_string_lossy().replace('\\', "/");
        if kind.is_dir() || kind.is_file() {
            let mut listing = listing.lock().unwrap_or_else(|e| e.into_inner());
            let list = if kind.is_dir() {
                &mut listing.dirs
            } else {
                &mut listing.files
            };
            list.push((key, path.clone()));
        }
        if kind.is_dir() {
            survey_folder(&entry.path(), &path, listing)
        } else if kind.is_file() {
            Ok(())
        } else {
            std::fs::remove_file(entry.path())
        }
    })
}

/// Removes files of the spare that stand where `dir` (inside `root`) needs a folder.
fn clear_files_on_the_way(root: &Path, dir: &Path) -> io::Result<()> {
    let Ok(inside) = dir.strip_prefix(root) else {
        return Ok(());
    };
    let mut at = root.to_path_buf();
    for part in inside.components() {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(&at)?;
        }
    }
    Ok(())
}

/// Removes from a reused spare every file it held that this build did not write, then the
/// folders no written file lies in, deepest first.
fn prune<T>(root: &Path, listing: &Listing, written: &HashMap<String, T>) -> io::Result<()> {
    for (key, path) in &listing.files {
        // A file of the listing may have become a folder during the build: left alone.
        let path = root.join(path);
        if !written.contains_key(key) && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
        {
            std::fs::remove_file(&path)?;
        }
    }
    let mut needed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for key in written.keys() {
        let mut folder = key.as_str();
        while let Some(slash) = folder.rfind('/') {
            folder = &folder[..slash];
            if !needed.insert(folder) {
                break;
            }
        }
    }
    let mut unneeded: Vec<&(String, PathBuf)> = listing
        .dirs
        .iter()
        .filter(|(key, _)| !needed.contains(key.as_str()))
        .collect();
    unneeded.sort_by_key(|(key, _)| std::cmp::Reverse(key.matches('/').count()));
    for (_, path) in unneeded {
        // Fails, as it should, for a folder that still holds something.
        let _ = std::fs::remove_dir(root.join(path));
    }
    Ok(())
}

fn remove_tree_or_file(path: &Path) -> io::Result<()> {
    if std::fs::symlink_metadata(path)?.is_dir() {
        remove_tree(path)
    } else {
        std::fs::remove_file(path)
    }
}

/// Writes a new file; its status after.
fn write_new(target: &Path, bytes: &[u8]) -> io::Result<Option<Status>> {
    use std::io::Write as _;
    let mut file = std::fs::File::create(target)?;
    file.write_all(bytes)?;
    Ok(file.metadata().ok().and_then(|meta| Status::of(&meta)))
}

/// Whether `old` is a regular file (never followed through a symbolic link) holding exactly
/// `bytes`: its status if so.
fn unchanged(old: &Path, bytes: &[u8]) -> Option<Status> {
    use rustix::fs::{Mode, OFlags};
    use std::io::Read as _;
    let fd = rustix::fs::open(
        old,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()?;
    let mut file = std::fs::File::from(fd);
    let status = file.metadata().ok().and_then(|meta| Status::of(&meta))?;
    if status.size() != bytes.len() as u64 {
        return None;
    }
    let mut content = Vec::with_capacity(bytes.len());
    (file.read_to_end(&mut content).is_ok() && content == bytes).then_some(status)
}

/// Staging folders of builds that were killed are removed before the next build.
fn remove_stale_staging(parent: &Path, name: &str, spare: &Path, manifests: &str) {
    let prefix = format!(".{name}.fixbook-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&prefix)
            && !file_name.starts_with(manifests)
            && entry.path() != spare
        {
            let _ = remove_tree_or_file(&entry.path());
        }
    }
}

/// Removes a folder and everything in it, the subfolders in parallel: a site of 10,000
/// pages is 10,000 folders, and unlinking them one by one is a large part of a rebuild.
/// Symbolic links are removed, never followed.
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries: Vec<std::fs::DirEntry> =
        std::fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            remove_tree(&path)
        } else {
            std::fs::remove_file(&path)
        }
    })?;
    std::fs::remove_dir(dir)
}

/// Output paths come from ids that were validated, but the writer checks again: nothing is
/// ever written outside the output folder.
fn safe_relative(path: &str) -> io::Result<&Path> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if ok {
        Ok(p)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: `{path}`"),
        ))
    }
}

/// Swaps the staging folder in; on Linux both folders are exchanged atomically, and the
/// replaced output becomes the spare.
fn swap_in(staging: &Path, output: &Path, spare: &Path) -> io::Result<()> {
    if !output.exists() {
        return std::fs::rename(staging, output);
    }
    if !output.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("`{}` exists and is not a folder", output.display()),
        ));
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, output, RenameFlags::EXCHANGE).is_ok() {
            if staging == spare {
                return Ok(());
            }
            return std::fs::rename(staging, spare).or_else(|_| remove_tree(staging));
        }
    }
    let old = staging.with_extension("old");
    std::fs::rename(output, &old)?;
    if let Err(err) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(err);
    }
    remove_tree(&old)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        write_atomically(&out, &[file("old.html", "old"), file("a/index.html", "1")])?;
        write_atomically(&out, &[file("a/index.html", "2")])?;
        assert!(!out.join("old.html").exists());
        assert_eq!(std::fs::read_to_string(out.join("a/index.html"))?, "2");
        let mut leftovers: Vec<_> = std::fs::read_dir(dir.path())?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        leftovers.sort();
        // The two folders, and at most one manifest for each.
        use std::os::unix::fs::MetadataExt as _;
        let manifest_of = |folder: &str| -> io::Result<String> {
            let inode = std::fs::metadata(dir.path().join(folder))?.ino();
            Ok(format!(".public.fixbook-manifest-{inode}"))
        };
        let mut expected = vec![
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
        let staging = Staging::create(out)?;
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
            write_atomically(&out, files)?;
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
    fn links_planted_in_the_spare_are_removed_never_followed() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        write_atomically(&out, &[file("a/index.html", "1")])?;
        write_atomically(&out, &[file("a/index.html", "2")])?;
        let spare = dir.path().join(".public.fixbook-spare");
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside)?;
        std::fs::write(outside.join("index.html"), "keep me")?;
        std::fs::remove_dir_all(spare.join("a"))?;
        std::os::unix::fs::symlink(&outside, spare.join("a"))?;
        write_atomically(&out, &[file("a/index.html", "3")])?;
        assert_eq!(
            std::fs::read_to_string(outside.join("index.html"))?,
            "keep me"
        );
        assert_eq!(std::fs::read_to_string(out.join("a/index.html"))?, "3");
        assert!(std::fs::symlink_metadata(out.join("a"))?.is_dir());
        Ok(())
    }

    #[test]
    fn unchanged_files_are_linked_from_the_old_output_and_changed_ones_written() -> io::Result<()> {
        use std::os::unix::fs::MetadataExt as _;
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        write_atomically(
            &out,
            &[file("same.html", "same"), file("a/changed.html", "old")],
        )?;
        let before = std::fs::metadata(out.join("same.html"))?.ino();
        let changed_before = std::fs::metadata(out.join("a/changed.html"))?.ino();
        write_atomically(
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
        write_atomically(
            &out,
            &[file("same.html", "edited"), file("a/changed.html", "new!")],
        )?;
        assert_eq!(std::fs::read_to_string(&live)?, "edited");
        let spare = out.with_file_name(".public.fixbook-spare");
        assert_eq!(std::fs::read_to_string(spare.join("same.html"))?, "same");
        Ok(())
    }

    #[test]
    fn a_symbolic_link_in_the_old_output_is_never_reused() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("public");
        std::fs::create_dir(&out)?;
        std::fs::write(dir.path().join("elsewhere.html"), "same")?;
        std::os::unix::fs::symlink(dir.path().join("elsewhere.html"), out.join("page.html"))?;
        write_atomically(&out, &[file("page.html", "same")])?;
        let page = std::fs::symlink_metadata(out.join("page.html"))?;
        assert!(
            page.is_file(),
            "the new output holds a file, not the old link"
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
}
