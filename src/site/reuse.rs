//! Pages a build may take from the previous output instead of rendering them again.
//!
//! The previous build left, for each page it wrote, the page's fingerprint (a digest of
//! everything the page shows, see `fingerprint.rs`) and the fingerprint of the bytes it
//! wrote. When a page's fingerprint is the same now, the bytes would be the same too: the
//! page is not rendered, and the output keeps the file it has, provided the sink can prove
//! the file still holds those bytes ([`Sink::keep`]). Whoever keeps this between builds
//! (`.fixbook/cache/`) must key it by everything fingerprints leave out: the fixbook
//! version, the configuration, the site options and the whole theme.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// What one page was, as a build wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenPage {
    /// The page's fingerprint (what it shows).
    pub fingerprint: u64,
    /// The length of the bytes written.
    pub len: u64,
    /// Their 128-bit XXH3.
    pub hash: u128,
}

impl WrittenPage {
    /// The record of a page with `fingerprint` whose bytes are `bytes`.
    pub fn of(fingerprint: u64, bytes: &[u8]) -> WrittenPage {
        WrittenPage {
            fingerprint,
            len: bytes.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_128(bytes),
        }
    }
}

/// The pages of the previous build, and those of this one as they are made.
#[derive(Debug, Default)]
pub struct PageReuse {
    previous: HashMap<String, WrittenPage>,
    written: Mutex<Vec<(String, WrittenPage)>>,
    kept: std::sync::atomic::AtomicUsize,
}

impl PageReuse {
    /// Reuse of the pages of a previous build, by output path.
    pub fn new(previous: HashMap<String, WrittenPage>) -> Self {
        PageReuse {
            previous,
            ..PageReuse::default()
        }
    }

    /// What the previous build wrote at `path`, if its fingerprint was `fingerprint`.
    pub(super) fn unchanged(&self, path: &str, fingerprint: u64) -> Option<WrittenPage> {
        self.previous
            .get(path)
            .filter(|page| page.fingerprint == fingerprint)
            .copied()
    }

    /// Notes what this build has at `path`; `kept` when it was not rendered again.
    pub(super) fn note(&self, path: String, page: WrittenPage, kept: bool) {
        if kept {
            self.kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path, page));
    }

    /// How many pages were kept without rendering.
    pub fn kept(&self) -> usize {
        self.kept.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The pages this build has, for the next one, sorted by path.
    pub fn into_written(self) -> Vec<(String, WrittenPage)> {
        let mut written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        written.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        written
    }
}
