//! Processed variants kept between builds in `.fixbook/cache/media/`.
//!
//! An entry's name is a digest of everything that made it (the source's content, the
//! processing settings and version, and which variant it is), so an entry can only ever be
//! what a fresh encode would write. Each entry ends in a digest of its own bytes: a
//! truncated or damaged entry is noticed, reported, and made again. A full build removes
//! the entries it did not use.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::config::CACHE_DIR;

/// The media cache, under the site's cache folder.
pub const CACHE_SUBDIR: &str = "cache/media";

/// What each entry ends with: its length (8 bytes) and 128-bit XXH3 (16 bytes).
const TRAILER: usize = 24;

/// The media cache of one site, and the entries this build used.
#[derive(Debug)]
pub(super) struct Cache {
    dir: PathBuf,
    used: Mutex<BTreeSet<String>>,
}

/// What reading an entry found.
pub(super) enum Lookup {
    /// The entry, intact.
    Hit(Vec<u8>),
    /// No entry.
    Miss,
    /// An entry that is damaged (truncated, changed): it will be made again.
    Damaged,
}

impl Cache {
    pub(super) fn new(root: &Path) -> Self {
        Self {
            dir: root.join(CACHE_DIR).join(CACHE_SUBDIR),
            used: Mutex::new(BTreeSet::new()),
        }
    }

    /// The entry file for `key`, marking it used.
    fn entry(&self, key: &str) -> PathBuf {
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_owned());
        self.dir.join(key)
    }

    /// Reads the entry for `key`.
    pub(super) fn get(&self, key: &str) -> Lookup {
        let Ok(mut bytes) = std::fs::read(self.entry(key)) else {
            return Lookup::Miss;
        };
        if bytes.len() < TRAILER {
            return Lookup::Damaged;
        }
        let body = bytes.len() - TRAILER;
        if trailer(&bytes[..body]) != bytes[body..] {
            return Lookup::Damaged;
        }
        bytes.truncate(body);
        Lookup::Hit(bytes)
    }

    /// Marks the entry for `key` used by this build, so that pruning leaves it.
    pub(super) fn touch(&self, key: &str) {
        let _ = self.entry(key);
    }

    /// Stores `bytes` as the entry for `key`: written beside it and renamed into place, so
    /// that a build killed midway leaves no half entry under the real name.
    pub(super) fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.entry(key);
        std::fs::create_dir_all(&self.dir)?;
        let temp = self.dir.join(format!(
            ".{key}.{}.{:?}.tmp",
            std::process::id(),
            std::thread::current().id()
        ));
        let mut data = Vec::with_capacity(bytes.len() + TRAILER);
        data.extend_from_slice(bytes);
        data.extend_from_slice(&trailer(bytes));
        std::fs::write(&temp, &data)?;
        std::fs::rename(&temp, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })
    }

    /// Removes every entry this build did not use (after a full build); returns how many.
    pub(super) fn prune(&self) -> usize {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !used.contains(&name) && std::fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

/// The trailer of an entry holding `bytes`.
fn trailer(bytes: &[u8]) -> [u8; TRAILER] {
    let mut end = [0u8; TRAILER];
    end[..8].copy_from_slice(&(bytes.len() as u64).to_le_bytes());
    end[8..].copy_from_slice(&xxhash_rust::xxh3::xxh3_128(bytes).to_le_bytes());
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_damage_is_noticed_and_unused_ones_are_pruned() {
        let root = tempfile::tempdir().unwrap();
        let cache = Cache::new(root.path());
        cache.put("a.webp", b"pixels").unwrap();
        cache.put("b.webp", b"old").unwrap();
        assert!(matches!(cache.get("a.webp"), Lookup::Hit(b) if b == b"pixels"));
        let file = root
            .path()
            .join(CACHE_DIR)
            .join(CACHE_SUBDIR)
            .join("a.webp");
        let full = std::fs::read(&file).unwrap();
        std::fs::write(&file, &full[..full.len() - 3]).unwrap();
        assert!(matches!(cache.get("a.webp"), Lookup::Damaged));
        assert!(matches!(cache.get("c.webp"), Lookup::Miss));

        let next = Cache::new(root.path());
        next.get("a.webp");
        assert_eq!(next.prune(), 1);
        assert!(file.exists());
        assert!(
            !root
                .path()
                .join(CACHE_DIR)
                .join(CACHE_SUBDIR)
                .join("b.webp")
                .exists()
        );
    }
}
