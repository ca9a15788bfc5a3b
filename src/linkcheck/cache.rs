//! The link check's memory between runs, `.fixbook/cache/links.json`: each address's
//! definitive answer with when it was got, trusted for `cache_ttl`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::outcome::Outcome;
use crate::config::CACHE_DIR;

/// The file, from the site root.
pub const CACHE_FILE: &str = "cache/links.json";
/// Written into the file; a file of another version is not read.
const VERSION: u32 = 1;
/// A cache file bigger than this is not read (a million links take about 100 MB).
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// One address's answer and when it was got, in seconds since 1970.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    checked: u64,
    outcome: Outcome,
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    version: u32,
    links: BTreeMap<String, Entry>,
}

/// The answers still fresh, and the new ones of this run.
#[derive(Debug, Default)]
pub struct LinkCache {
    entries: BTreeMap<String, Entry>,
}

/// Where the cache of the site at `root` lives.
pub fn path(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join(CACHE_FILE)
}

impl LinkCache {
    /// Reads the cache of the site at `root`, keeping entries younger than `ttl` at `now`.
    /// A missing file is an empty cache; an unreadable or invalid one is too, with a note
    /// saying so (it is written again after the run).
    pub fn load(root: &Path, ttl: Duration, now: u64) -> (Self, Option<String>) {
        let path = path(root);
        let shown = format!("{CACHE_DIR}/{CACHE_FILE}");
        let text = match std::fs::metadata(&path) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return (Self::default(), None);
            }
            Ok(meta) if meta.len() > MAX_BYTES => Err(format!("it is over {MAX_BYTES} bytes")),
            _ => std::fs::read_to_string(&path).map_err(|err| err.to_string()),
        };
        let file = text.and_then(|text| {
            serde_json::from_str::<File>(&text).map_err(|err| format!("it is not valid ({err})"))
        });
        match file {
            Ok(file) if file.version == VERSION => {
                let mut entries = file.links;
                entries.retain(|_, entry| fresh(entry, ttl, now));
                (Self { entries }, None)
            }
            // Written by another version of fixbook: its answers are simply asked again.
            Ok(_) => (Self::default(), None),
            Err(why) => (
                Self::default(),
                Some(format!(
                    "ignored the link check cache `{shown}`: {why}; it is written again after this run"
                )),
            ),
        }
    }

    /// The cached answer for `url`, if any.
    pub fn get(&self, url: &str) -> Option<&Outcome> {
        self.entries.get(url).map(|entry| &entry.outcome)
    }

    /// Remembers `outcome` for `url` if it is definitive.
    pub fn put(&mut self, url: &str, outcome: &Outcome, now: u64) {
        if outcome.is_definitive() {
            self.entries.insert(
                url.to_owned(),
                Entry {
                    checked: now,
                    outcome: outcome.clone(),
                },
            );
        }
    }

    /// Writes the cache for the site at `root`: into a temporary file beside it, then renamed
    /// over it, so that a reader never sees half a file.
    pub fn store(&self, root: &Path) -> std::io::Result<()> {
        let path = path(root);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = File {
            version: VERSION,
            links: self.entries.clone(),
        };
        let text = serde_json::to_string(&file).map_err(std::io::Error::other)?;
        let temporary = path.with_extension(format!("json.{}.tmp", std::process::id()));
        std::fs::write(&temporary, text)?;
        std::fs::rename(&temporary, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
    }
}

fn fresh(entry: &Entry, ttl: Duration, now: u64) -> bool {
    entry.outcome.is_definitive() && entry.checked <= now && now - entry.checked < ttl.as_secs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_for_their_time_to_live_only() {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut cache = LinkCache::default();
        cache.put("https://a.example/", &Outcome::Ok, 1_000);
        cache.put("https://b.example/", &Outcome::TimedOut, 1_000);
        cache
            .store(root.path())
            .unwrap_or_else(|e| panic!("store: {e}"));
        let hour = Duration::from_secs(3600);
        let (later, note) = LinkCache::load(root.path(), hour, 1_000 + 3599);
        assert_eq!(note, None);
        assert_eq!(later.get("https://a.example/"), Some(&Outcome::Ok));
        assert_eq!(
            later.get("https://b.example/"),
            None,
            "a timeout is not kept"
        );
        let (expired, _) = LinkCache::load(root.path(), hour, 1_000 + 3600);
        assert_eq!(expired.get("https://a.example/"), None);
    }

    #[test]
    fn a_corrupt_cache_is_ignored_with_a_note() {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = path(root.path());
        std::fs::create_dir_all(file.parent().unwrap_or(root.path()))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&file, "{\"version\": 1, \"links\": [").unwrap_or_else(|e| panic!("{e}"));
        let (cache, note) = LinkCache::load(root.path(), Duration::from_secs(60), 0);
        assert!(cache.entries.is_empty());
        let note = note.unwrap_or_default();
        assert!(
            note.starts_with(
                "ignored the link check cache `.fixbook/cache/links.json`: it is not valid ("
            ),
            "{note}"
        );
    }
}
