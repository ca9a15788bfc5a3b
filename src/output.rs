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
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            committed: false,
        })
    }

    /// Writes one file (`path` relative, with `/`), creating its folders as needed. Safe to
    /// call from many threads at once.
    pub fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let target = self.dir.join(safe_relative(path)?);
        match std::fs::write(&target, bytes) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                // Most pages live in a folder of their own (`articles/x/index.html`): one
                // failed open per new folder is cheaper than checking first every time.
                if let Some(dir) = target.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(&target, bytes)
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
    fn refuses_paths_that_escape() {
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("/etc/passwd").is_err());
        assert!(safe_relative("a/./b").is_ok());
        assert!(safe_relative("").is_err());
    }
}
