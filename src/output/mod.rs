//! Output: write the site into a staging folder beside the output, then swap it in, so a
//! failed or killed build never leaves a half-written site behind.

mod claim;
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
use claim::{Found, Keeper, Lock, free_space, inspect, size_of_tree};
pub use claim::{OutputError, Refusal};
use files::{safe_relative, unchanged, write_new};
use manifest::{Entry, Fingerprint, Manifest, Status};
use survey::{Listing, Owned, clear_files_on_the_way, clear_folder, prune, survey};
pub use swap::remove_tree;
use swap::{remove_stale_staging, swap_in};

/// Writes `files` as the new content of `output`, replacing the old content in one step;
/// what the build has to tell (files it set aside).
pub fn write_atomically(
    output: &Path,
    files: &[OutputFile],
    force: bool,
) -> Result<Vec<String>, OutputError> {
    let staging = Staging::create(output, force)?;
    files
        .par_iter()
        .try_for_each(|file| staging.write(&file.path, &file.bytes))?;
    Ok(staging.commit()?)
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
///
/// Only an output fixbook can prove it wrote is ever replaced, and only files its manifest
/// lists are ever deleted (see [`claim`]); one build at a time holds the output's lock.
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
    /// The reused spare's manifest (a spare is reused only with one).
    known: Manifest,
    /// Where files fixbook did not write go.
    keeper: Keeper,
    /// Set when a write failed because the disk is full: the spare is then given up.
    disk_full: std::sync::atomic::AtomicBool,
    /// Bytes written so far, for the message when the disk is full.
    bytes: std::sync::atomic::AtomicU64,
    _lock: Lock,
    /// Every file written, with what the next manifest will say of it.
    written: Mutex<HashMap<String, Option<Entry>>>,
    /// How many files were read back to compare them (the manifest spares that).
    read_back: std::sync::atomic::AtomicUsize,
    /// The output being replaced, when there is one and no spare is reused: unchanged files
    /// are hard-linked from it.
    previous: Option<PathBuf>,
    /// The manifest of the output being replaced, when it has one.
    previous_known: Manifest,
    committed: bool,
}

impl Staging {
    /// Prepares the folder a build of `output` writes into: the spare when there is one,
    /// else a new empty folder. Staging folders of killed builds are removed. An output
    /// fixbook did not write is refused, or with `force` moved aside.
    pub fn create(output: &Path, force: bool) -> Result<Staging, OutputError> {
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
        let manifest_prefix = format!(".{name}.fixbook-manifest-");
        // Looked at before anything is created, so that a refusal leaves nothing behind,
        // and again once the lock is held, since another build may have been at work.
        inspect(output, &manifest_prefix, force)?;
        std::fs::create_dir_all(&parent)?;
        let lock = Lock::take(&parent.join(format!(".{name}.fixbook-lock")), output)?;
        let found = inspect(output, &manifest_prefix, force)?;
        let keeper = Keeper::new(&parent, &name);
        if found == Found::Foreign {
            keeper.keep_folder(output)?;
        }
        let spare = parent.join(format!(".{name}.fixbook-spare"));
        remove_stale_staging(&parent, &name, &spare, &manifest_prefix);
        let output_is_dir = std::fs::symlink_metadata(output).is_ok_and(|m| m.is_dir());
        let spare_meta = std::fs::symlink_metadata(&spare).ok();
        let known = spare_meta
            .as_ref()
            .filter(|meta| meta.is_dir())
            .and_then(|_| Manifest::load(&spare, &manifest_prefix));
        let reusable = output_is_dir && known.is_some();
        let listing = reusable.then(|| survey(&spare).ok()).flatten();
        if let Some(listing) = &listing {
            // Links and anything else fixbook never writes: out of the way before writing.
            for other in &listing.others {
                keeper.set_aside(&spare, other)?;
            }
        } else if let Some(meta) = &spare_meta {
            give_up_spare(&spare, meta, known.as_ref(), &keeper)?;
        }
        let reused = listing.is_some();
        let dir = if reused {
            spare.clone()
        } else {
            let dir = parent.join(format!(".{name}.fixbook-staging-{}", std::process::id()));
            if dir.exists() {
                remove_tree(&dir)?;
            }
            std::fs::create_dir(&dir)?;
            dir
        };
        let previous_known = output_is_dir
            .then(|| Manifest::load(output, &manifest_prefix))
            .flatten()
            .unwrap_or_default();
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            spare,
            manifest_prefix,
            listing: listing.unwrap_or_default(),
            reused,
            known: if reused {
                known.unwrap_or_default()
            } else {
                Manifest::default()
            },
            keeper,
            disk_full: std::sync::atomic::AtomicBool::new(false),
            bytes: std::sync::atomic::AtomicU64::new(0),
            _lock: lock,
            written: Mutex::new(HashMap::new()),
            read_back: std::sync::atomic::AtomicUsize::new(0),
            previous_known,
            previous: (output_is_dir && !reused).then(|| output.to_path_buf()),
            committed: false,
        })
    }

    /// What this build knows it owns in the spare: files its manifest lists, and files
    /// this build wrote.
    fn owned(&self) -> Owned<'_> {
        Owned {
            manifest: &self.known,
            keeper: &self.keeper,
        }
    }

    /// When writing failed because the disk is full: how much the site needs and how much
    /// is free, as far as they can be told.
    pub fn space_report(&self) -> Option<String> {
        if !self.disk_full.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        // What the files written so far came to, at least; the site before took as much.
        let written = self.bytes.load(std::sync::atomic::Ordering::Relaxed);
        let previous = size_of_tree(&self.output, false);
        let needed = written.max(previous);
        // What this build wrote is given up when it fails: that space counts as free.
        let free = self
            .dir
            .parent()
            .and_then(free_space)
            .map(|free| free + size_of_tree(&self.dir, true))
            .map(|free| format!(", and {} are free", megabytes(free)))
            .unwrap_or_default();
        Some(format!(
            "the disk is full: a build needs about {} beside the current output{free}",
            megabytes(needed)
        ))
    }

    /// Writes one file (`path` relative, with `/`), creating its folders as needed. Safe to
    /// call from many threads at once.
    pub fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let relative = safe_relative(path)?;
        let target = self.dir.join(relative);
        let fingerprint = Fingerprint::of(bytes);
        self.bytes
            .fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
        let status = self
            .put(path, relative, &target, bytes, fingerprint)
            .inspect_err(|err| {
                if err.kind() == io::ErrorKind::StorageFull {
                    self.disk_full
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                }
            })?;
        self.note(path, fingerprint, status);
        Ok(())
    }

    /// Keeps the reused spare's file at `path` as it is, when the spare's manifest vouches
    /// that it holds bytes with `fingerprint` (or, with `None`, that it holds the bytes
    /// fixbook stored there: for a file whose name says what it holds), its status
    /// unchanged since: true when kept. Only a reused spare can tell without reading it.
    pub fn keep(&self, path: &str, fingerprint: Option<Fingerprint>) -> io::Result<bool> {
        if !self.reused {
            return self.link_previous(path, fingerprint);
        }
        let target = self.dir.join(safe_relative(path)?);
        // The spare's own manifest, or the live output's: a file the last build linked
        // from the spare is the same file in both, which only the later manifest knows.
        let vouched = [&self.known, &self.previous_known]
            .into_iter()
            .find_map(|manifest| {
                manifest
                    .untouched(path, &target)
                    .filter(|(_, stored)| fingerprint.is_none_or(|f| f == *stored))
            });
        // A file written too recently for its times to be trusted is only listed: reading
        // it tells.
        let read = || {
            let expected = fingerprint?;
            let meta = std::fs::symlink_metadata(&target).ok()?;
            if !meta.is_file() || meta.len() != expected.len() {
                return None;
            }
            self.read_back
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let bytes = std::fs::read(&target).ok()?;
            (Fingerprint::of(&bytes) == expected).then(|| (Status::of(&meta), expected))
        };
        let Some((status, fingerprint)) = vouched
            .map(|(status, fingerprint)| (Some(status), fingerprint))
            .or_else(read)
        else {
            return Ok(false);
        };
        self.note_kept(path, fingerprint, status);
        Ok(true)
    }

    /// Keeps the output's file at `path` by linking it into the new folder, when it holds
    /// bytes with `fingerprint`: as its manifest vouches, or else as reading it shows (an
    /// output restored from elsewhere, whose files the manifest no longer knows). With
    /// `None`, only the manifest can tell. True when kept.
    fn link_previous(&self, path: &str, fingerprint: Option<Fingerprint>) -> io::Result<bool> {
        let Some(previous) = &self.previous else {
            return Ok(false);
        };
        let relative = safe_relative(path)?;
        let old = previous.join(relative);
        let vouched = self
            .previous_known
            .untouched(path, &old)
            .filter(|(_, stored)| fingerprint.is_none_or(|f| f == *stored))
            .map(|(_, stored)| stored);
        let Some(fingerprint) = vouched.or_else(|| {
            let expected = fingerprint?;
            let bytes = std::fs::read(&old).ok()?;
            (Fingerprint::of(&bytes) == expected).then_some(expected)
        }) else {
            return Ok(false);
        };
        let target = self.dir.join(relative);
        let linked = match std::fs::hard_link(&old, &target) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                if let Some(dir) = target.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::hard_link(&old, &target)
            }
            other => other,
        };
        if linked.is_err() {
            // Another file system, or links refused: the caller renders and writes it.
            return Ok(false);
        }
        let status = std::fs::symlink_metadata(&target)
            .ok()
            .and_then(|meta| Status::of(&meta));
        self.note_kept(path, fingerprint, status);
        Ok(true)
    }

    /// Notes that the output has the bytes with `fingerprint` at `path`, and their status
    /// when it can be trusted (else the manifest lists the file without vouching for it).
    fn note(&self, path: &str, fingerprint: Fingerprint, status: Option<Status>) {
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
    }

    /// [`Staging::note`] for a file kept rather than written, counting its bytes.
    fn note_kept(&self, path: &str, fingerprint: Fingerprint, status: Option<Status>) {
        self.bytes
            .fetch_add(fingerprint.len(), std::sync::atomic::Ordering::Relaxed);
        self.note(path, fingerprint, status);
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
            let vouched = self.known.vouches(path, target, fingerprint);
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
                Ok(meta) if meta.is_dir() => clear_folder(&self.dir, relative, &self.owned())?,
                Ok(_) => self.owned().discard(&self.dir, relative)?,
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
                        clear_files_on_the_way(&self.dir, dir, &self.owned())?;
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
    /// What the build has to tell: what it set aside.
    pub fn commit(mut self) -> io::Result<Vec<String>> {
        self.committed = true;
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let result = self.finish(&written);
        if result.is_err() && !self.reused {
            let _ = remove_tree(&self.dir);
            self.forget_manifest();
        }
        result?;
        Ok(self.keeper.notes(&self.output))
    }

    fn finish(&self, written: &HashMap<String, Option<Entry>>) -> io::Result<()> {
        if self.reused {
            prune(&self.dir, &self.listing, written, &self.owned())?;
        }
        // The manifest is the proof that fixbook wrote the folder: without it the next build
        // would refuse the output, so failing to store it fails the build.
        Manifest::store(
            &self.dir,
            &self.manifest_prefix,
            written,
            &[&self.dir, &self.output],
        )?;
        swap_in(&self.dir, &self.output, &self.spare)
    }

    /// Removes the manifest stored for the staging folder (which is going away).
    fn forget_manifest(&self) {
        use std::os::unix::fs::MetadataExt as _;
        if let Ok(meta) = std::fs::symlink_metadata(&self.dir) {
            let name = format!("{}{}", self.manifest_prefix, meta.ino());
            let _ = std::fs::remove_file(self.dir.with_file_name(name));
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if !self.reused {
            self.forget_manifest();
            let _ = remove_tree(&self.dir);
        } else if self.disk_full.load(std::sync::atomic::Ordering::Relaxed) {
            // The half-updated spare holds the space the next attempt needs: given up, with
            // whatever fixbook did not write set aside first. Otherwise it stays, and the
            // next build checks every file anyway.
            let written =
                std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
            let nothing = HashMap::<String, Option<Entry>>::new();
            if prune(&self.dir, &self.listing, &nothing, &self.owned()).is_ok() {
                for path in written.keys() {
                    let _ = std::fs::remove_file(self.dir.join(path));
                }
                self.forget_manifest();
                let _ = clear_folder(&self.dir, Path::new(""), &self.owned());
            }
        }
    }
}

impl crate::site::Sink for Staging {
    fn put(&self, file: OutputFile) -> io::Result<()> {
        self.write(&file.path, &file.bytes)
    }

    fn keep(&self, path: &str, expected: Option<(u64, u128)>) -> io::Result<bool> {
        Staging::keep(
            self,
            path,
            expected.map(|(len, hash)| Fingerprint::from_parts(len, hash)),
        )
    }
}

/// A spare that will not be reused goes: its files fixbook wrote are removed, the rest set
/// aside. Without a manifest, nothing in it is known to be fixbook's, so all of it is kept.
fn give_up_spare(
    spare: &Path,
    meta: &std::fs::Metadata,
    known: Option<&Manifest>,
    keeper: &Keeper,
) -> io::Result<()> {
    if !meta.is_dir() {
        return std::fs::remove_file(spare);
    }
    match known {
        Some(manifest) => clear_folder(spare, Path::new(""), &Owned { manifest, keeper }),
        None if std::fs::read_dir(spare)?.next().is_none() => std::fs::remove_dir(spare),
        None => keeper.keep_folder(spare).map(drop),
    }
}

/// `bytes` for people: `412.3 MB`.
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[cfg(test)]
mod tests;
