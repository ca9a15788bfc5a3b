//! The folders a rebuild writes into: listing the reused spare, clearing the way for a
//! folder, and pruning what the site no longer has.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

/// The files and folders of a reused spare, relative to it: as `/`-separated keys (how
/// output paths are written) and as paths.
#[derive(Debug, Default)]
pub(super) struct Listing {
    pub(super) files: Vec<(String, PathBuf)>,
    pub(super) dirs: Vec<(String, PathBuf)>,
}

/// Threads that read the spare's folders. Listing a large tree is waiting on the disk when
/// the cache is cold, so many requests in flight help, and the build's own threads, busy
/// computing, are not used for it.
const SURVEY_THREADS: usize = 8;

/// Lists the spare's files and folders, removing everything that is neither (symbolic links
/// above all) so that writing into it never follows a link out of it.
pub(super) fn survey(spare: &Path) -> io::Result<Listing> {
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
pub(super) fn clear_files_on_the_way(root: &Path, dir: &Path) -> io::Result<()> {
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
pub(super) fn prune<T>(
    root: &Path,
    listing: &Listing,
    written: &HashMap<String, T>,
) -> io::Result<()> {
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
