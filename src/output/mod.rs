//! Output: write the site into a staging folder beside the output, then swap it in, so a
//! failed or killed build never leaves a half-written site behind.

mod files;
mod manifest;
mod survey;
mod swap;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::site::OutputFile;
use files::{safe_relative, unchanged, write_new};
use manifest::{Entry, Fingerprint, Manifest, Status};
use survey::{Listing, clear_files_on_the_way, prune, survey};
pub use swap::remove_tree;
use swap::{remove_stale_staging, remove_tree_or_file, swap_in};

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

#[cfg(test)]
mod tests;
