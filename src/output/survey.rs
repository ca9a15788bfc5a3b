//! The folders a rebuild writes into: listing the reused spare, clearing the way for a
//! folder, and pruning what the site no longer has. Only files the spare's manifest lists
//! are ever deleted; anything else is set aside (see [`super::claim`]).

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::claim::Keeper;
use super::manifest::Manifest;

/// What a build may delete in the spare, and where everything else goes.
pub(super) struct Owned<'a> {
    pub(super) manifest: &'a Manifest,
    pub(super) keeper: &'a Keeper,
}

impl Owned<'_> {
    /// Removes the file at `root/relative` if fixbook wrote it, else sets it aside.
    pub(super) fn discard(&self, root: &Path, relative: &Path) -> io::Result<()> {
        let key = relative.to_string_lossy().replace('\\', "/");
        let is_file = std::fs::symlink_metadata(root.join(relative)).is_ok_and(|m| m.is_file());
        if is_file && self.manifest.lists(&key) {
            std::fs::remove_file(root.join(relative))
        } else {
            self.keeper.set_aside(root, relative)
        }
    }
}

/// The files and folders of a reused spare, relative to it: as `/`-separated keys (how
/// output paths are written) and as paths.
#[derive(Debug, Default)]
pub(super) struct Listing {
    pub(super) files: Vec<(String, PathBuf)>,
    pub(super) dirs: Vec<(String, PathBuf)>,
    /// Everything that is neither (symbolic links above all): fixbook never writes them.
    pub(super) others: Vec<PathBuf>,
}

/// Threads that read the spare's folders. Listing a large tree is waiting on the disk when
/// the cache is cold, so many requests in flight help, and the build's own threads, busy
/// computing, are not used for it.
const SURVEY_THREADS: usize = 8;

/// Lists the spare's files and folders, and what is neither (which the caller sets aside
/// so that writing into the spare never follows a link out of it).
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
        {
            let mut listing = listing.lock().unwrap_or_else(|e| e.into_inner());
            if kind.is_dir() {
                listing.dirs.push((key, path.clone()));
            } else if kind.is_file() {
                listing.files.push((key, path.clone()));
            } else {
                listing.others.push(path.clone());
                return Ok(());
            }
        }
        if kind.is_dir() {
            survey_folder(&entry.path(), &path, listing)
        } else {
            Ok(())
        }
    })
}

/// Clears files of the spare that stand where `dir` (inside `root`) needs a folder.
pub(super) fn clear_files_on_the_way(root: &Path, dir: &Path, owned: &Owned) -> io::Result<()> {
    let Ok(inside) = dir.strip_prefix(root) else {
        return Ok(());
    };
    let mut at = PathBuf::new();
    for part in inside.components() {
        at.push(part);
        if std::fs::symlink_metadata(root.join(&at)).is_ok_and(|m| !m.is_dir()) {
            owned.discard(root, &at)?;
        }
    }
    Ok(())
}

/// Clears the folder `root/relative` where a file is now needed: files fixbook wrote are
/// removed, the rest set aside, then the emptied folders go.
pub(super) fn clear_folder(root: &Path, relative: &Path, owned: &Owned) -> io::Result<()> {
    let dir = root.join(relative);
    for entry in std::fs::read_dir(&dir)? {
        let entry = entry?;
        let inner = relative.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            clear_folder(root, &inner, owned)?;
        } else {
            owned.discard(root, &inner)?;
        }
    }
    std::fs::remove_dir(dir)
}

/// Removes from a reused spare every file it held that this build did not write (setting
/// aside those fixbook never wrote), then the folders no written file lies in, deepest
/// first.
pub(super) fn prune<T>(
    root: &Path,
    listing: &Listing,
    written: &HashMap<String, T>,
    owned: &Owned,
) -> io::Result<()> {
    for (key, path) in &listing.files {
        // A file of the listing may have become a folder during the build: left alone.
        if !written.contains_key(key)
            && std::fs::symlink_metadata(root.join(path)).is_ok_and(|m| m.is_file())
        {
            owned.discard(root, path)?;
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
