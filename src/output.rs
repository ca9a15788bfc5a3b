//! Output: write the site into a staging folder beside the output, then swap it in, so a
//! failed or killed build never leaves a half-written site behind.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::site::OutputFile;

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
/// build failed), it is removed and the output is left as it was.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// The output being replaced, when there is one: files whose bytes did not change are
    /// hard-linked from it instead of written again (see [`Staging::write`]).
    previous: Option<PathBuf>,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder for `output`, removing those of killed builds.
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
        remove_stale_staging(&parent, &name);
        let dir = parent.join(format!(".{name}.fixbook-staging-{}", std::process::id()));
        if dir.exists() {
            remove_tree(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        let previous = std::fs::symlink_metadata(output)
            .is_ok_and(|m| m.is_dir())
            .then(|| output.to_path_buf());
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            previous,
            committed: false,
        })
    }

    /// Writes one file (`path` relative, with `/`), creating its folders as needed. Safe to
    /// call from many threads at once.
    ///
    /// A file whose bytes equal those of the same path in the output being replaced is
    /// hard-linked from there rather than written: a rebuild then creates (and its swap
    /// deletes) only the files that changed, and creating and deleting inodes is most of
    /// what writing a large site costs the file system. The old output is never modified,
    /// so a failed build still leaves it exactly as it was.
    pub fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let relative = safe_relative(path)?;
        let target = self.dir.join(relative);
        let old = self
            .previous
            .as_ref()
            .map(|previous| previous.join(relative))
            .filter(|old| unchanged(old, bytes));
        let put = |target: &Path| match &old {
            Some(old) => std::fs::hard_link(old, target).or_else(|_| std::fs::write(target, bytes)),
            None => std::fs::write(target, bytes),
        };
        match put(&target) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                // Most pages live in a folder of their own (`articles/x/index.html`): one
                // failed open per new folder is cheaper than checking first every time.
                if let Some(dir) = target.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                put(&target)
            }
            other => other,
        }
    }

    /// Swaps the staging folder in as the output and removes the old output.
    pub fn commit(mut self) -> io::Result<()> {
        self.committed = true;
        let result = swap_in(&self.dir, &self.output);
        if result.is_err() {
            let _ = remove_tree(&self.dir);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// Whether `old` is a regular file (never followed through a symbolic link) holding exactly
/// `bytes`.
fn unchanged(old: &Path, bytes: &[u8]) -> bool {
    use rustix::fs::{Mode, OFlags};
    use std::io::Read as _;
    let Ok(fd) = rustix::fs::open(
        old,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    ) else {
        return false;
    };
    let mut file = std::fs::File::from(fd);
    let same_size = file
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    if !same_size {
        return false;
    }
    let mut content = Vec::with_capacity(bytes.len());
    file.read_to_end(&mut content).is_ok() && content == bytes
}

/// Staging folders of builds that were killed are removed before the next build.
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}.fixbook-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = remove_tree(&entry.path());
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

/// Swaps the staging folder in; on Linux both folders are exchanged atomically.
fn swap_in(staging: &Path, output: &Path) -> io::Result<()> {
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
            return remove_tree(staging);
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
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())?
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, [std::ffi::OsString::from("public")]);
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
        // The unchanged file is the same inode, now linked only from the new output.
        let same = std::fs::metadata(out.join("same.html"))?;
        assert_eq!(same.ino(), before);
        assert_eq!(same.nlink(), 1);
        let changed = std::fs::metadata(out.join("a/changed.html"))?;
        assert_ne!(changed.ino(), changed_before);
        assert_eq!(std::fs::read_to_string(out.join("a/changed.html"))?, "new!");
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
