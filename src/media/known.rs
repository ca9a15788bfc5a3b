//! What earlier builds learned about each media file, so that an unchanged file is not read
//! and hashed again: `.fixbook/cache/media.json` maps a file to its size, modification
//! time, inode and change time (what git's index compares too) and what probing found.
//!
//! Only files whose probe found nothing to report are kept, and never one modified in the
//! last two seconds (a later write within the same clock tick could go unseen). Any
//! difference in the file's metadata, or a damaged cache file, means the file is read again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Format;
use crate::config::CACHE_DIR;

const FILE: &str = "cache/media.json";

/// How a file looked on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Stamp {
    len: u64,
    modified_ns: i128,
    changed_ns: i128,
    inode: u64,
}

impl Stamp {
    /// The stamp of the file at `path`, unless it changed too recently to be trusted.
    pub(super) fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?;
        let age = std::time::SystemTime::now().duration_since(modified).ok()?;
        if age < std::time::Duration::from_secs(2) {
            return None;
        }
        let nanos = |t: std::time::SystemTime| {
            t.duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX))
        };
        #[cfg(unix)]
        let (changed_ns, inode) = {
            use std::os::unix::fs::MetadataExt as _;
            (
                i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
                meta.ino(),
            )
        };
        #[cfg(not(unix))]
        let (changed_ns, inode) = (0, 0);
        Some(Stamp {
            len: meta.len(),
            modified_ns: nanos(modified),
            changed_ns,
            inode,
        })
    }
}

/// What probing an unremarkable file found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Probed {
    pub stamp: Stamp,
    pub format: Format,
    pub hash: u64,
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
}

/// The probes of the last build, by path from the site root.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Known {
    version: u32,
    files: BTreeMap<PathBuf, Probed>,
}

impl Known {
    /// Reads what the last build stored; anything unreadable counts as nothing known.
    pub(super) fn load(root: &Path) -> Known {
        std::fs::read(root.join(CACHE_DIR).join(FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Known>(&bytes).ok())
            .filter(|known| known.version == super::PIPELINE_VERSION)
            .unwrap_or_default()
    }

    /// The probe of `path` if the file is still exactly as it was.
    pub(super) fn get(&self, path: &Path, stamp: Option<Stamp>) -> Option<Probed> {
        let probed = self.files.get(path)?;
        (Some(probed.stamp) == stamp).then_some(*probed)
    }

    /// Whether it holds exactly `files`.
    pub(super) fn same_as(&self, files: &BTreeMap<PathBuf, Probed>) -> bool {
        self.version == super::PIPELINE_VERSION && &self.files == files
    }

    /// Stores `files` for the next build (written beside and renamed into place); a cache
    /// that cannot be written only costs the next build time.
    pub(super) fn store(root: &Path, files: BTreeMap<PathBuf, Probed>) {
        let known = Known {
            version: super::PIPELINE_VERSION,
            files,
        };
        let Ok(json) = serde_json::to_vec(&known) else {
            return;
        };
        let path = root.join(CACHE_DIR).join(FILE);
        let Some(dir) = path.parent() else {
            return;
        };
        let temp = dir.join(format!(".media.json.{}.tmp", std::process::id()));
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&temp, json))
            .and_then(|()| std::fs::rename(&temp, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
    }
}
