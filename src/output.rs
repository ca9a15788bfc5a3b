//! Output: write the site into a staging folder beside the output, then swap it in, so a
//! failed or killed build never leaves a half-written site behind.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::site::OutputFile;

/// Writes `files` as the new content of `output`, replacing the old content in one step.
pub fn write_atomically(output: &Path, files: &[OutputFile]) -> io::Result<()> {
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
    let staging = parent.join(format!(".{name}.fixbook-staging-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir(&staging)?;
    if let Err(err) = write_tree(&staging, files) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(err);
    }
    if let Err(err) = swap_in(&staging, output) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(err);
    }
    Ok(())
}

/// Staging folders of builds that were killed are removed before the next build.
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}.fixbook-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn write_tree(root: &Path, files: &[OutputFile]) -> io::Result<()> {
    let mut dirs = BTreeSet::new();
    for file in files {
        let path = safe_relative(&file.path)?;
        if let Some(dir) = path.parent() {
            dirs.insert(dir.to_path_buf());
        }
    }
    for dir in &dirs {
        std::fs::create_dir_all(root.join(dir))?;
    }
    files
        .par_iter()
        .try_for_each(|file| std::fs::write(root.join(&file.path), &file.bytes))
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
            return std::fs::remove_dir_all(staging);
        }
    }
    let old = staging.with_extension("old");
    std::fs::rename(output, &old)?;
    if let Err(err) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(err);
    }
    std::fs::remove_dir_all(&old)
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
