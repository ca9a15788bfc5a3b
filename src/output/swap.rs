//! Swapping a finished staging folder in, and removing folders fixbook made.

use std::io;
use std::path::Path;

use rayon::prelude::*;

/// Swaps the staging folder in; on Linux both folders are exchanged atomically, and the
/// replaced output becomes the spare.
pub(super) fn swap_in(staging: &Path, output: &Path, spare: &Path) -> io::Result<()> {
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

/// Staging folders of builds that were killed are removed before the next build (which
/// holds the output's lock, so no other build is at work on them).
pub(super) fn remove_stale_staging(parent: &Path, name: &str, spare: &Path, manifests: &str) {
    let prefix = format!(".{name}.fixbook-");
    let lock = format!(".{name}.fixbook-lock");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&prefix)
            && !file_name.starts_with(manifests)
            && file_name != lock
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

pub(super) fn remove_tree_or_file(path: &Path) -> io::Result<()> {
    if std::fs::symlink_metadata(path)?.is_dir() {
        remove_tree(path)
    } else {
        std::fs::remove_file(path)
    }
}
