//! The media files a rebuild publishes: only files that are new to the site or changed are
//! processed (and those come from the cache when an earlier build made them); the copies
//! of files no page uses any more are dropped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::SiteFiles;
use super::sources::Sources;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::media;

/// What the site publishes of each media file: the content hash it was made from and the
/// output paths.
#[derive(Debug, Default)]
pub(super) struct Published {
    done: BTreeMap<PathBuf, (u64, Vec<String>)>,
}

/// What one rebuild changed among the media outputs.
pub(super) struct MediaUpdate {
    /// Output paths added, changed or removed.
    pub changed: Vec<String>,
    /// Problems processing found (a corrupt image).
    pub diagnostics: Vec<Diagnostic>,
}

impl Published {
    /// Publishes into `files` what the sources now use. Nothing changes when processing
    /// finds an error: the rebuild fails and the last good site stays.
    pub(super) fn update(
        &mut self,
        root: &Path,
        config: &Config,
        sources: &Sources,
        files: &mut SiteFiles,
    ) -> std::io::Result<MediaUpdate> {
        let catalog = &sources.catalog;
        let wanted = crate::render::media_in_use(&sources.library, &sources.bodies, catalog);
        let current = |path: &PathBuf| catalog.get(path).map(|m| m.hash);
        let stale: Vec<PathBuf> = self
            .done
            .iter()
            .filter(|(path, (hash, _))| !wanted.contains(*path) || current(path) != Some(*hash))
            .map(|(path, _)| path.clone())
            .collect();
        let todo: BTreeSet<PathBuf> = wanted
            .iter()
            .filter(|path| !self.done.contains_key(*path) || stale.contains(path))
            .cloned()
            .collect();
        let made = Mutex::new(Vec::new());
        let put = |path: String, bytes: Vec<u8>| {
            made.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((path, bytes));
            Ok(())
        };
        let processed = if todo.is_empty() {
            media::Processed::default()
        } else {
            media::process(root, config, catalog, &todo, Some(&put), None, false)?
        };
        if processed.diagnostics.iter().any(Diagnostic::is_error) {
            return Ok(MediaUpdate {
                changed: Vec::new(),
                diagnostics: processed.diagnostics,
            });
        }
        let mut changed = Vec::new();
        for path in &stale {
            if let Some((_, outputs)) = self.done.remove(path) {
                for output in outputs {
                    // Two files with the same name and content publish one copy.
                    let shared = self.done.values().any(|(_, o)| o.contains(&output));
                    if !shared && files.remove(&output).is_some() {
                        changed.push(output);
                    }
                }
            }
        }
        for (path, bytes) in made.into_inner().unwrap_or_else(|e| e.into_inner()) {
            if files.get(&path).is_none_or(|old| old[..] != bytes[..]) {
                files.insert(path.clone(), bytes.into());
                changed.push(path);
            }
        }
        for path in todo {
            if let Some(media) = catalog.get(&path) {
                let outputs = media
                    .variants
                    .iter()
                    .chain(&media.fallback)
                    .map(|v| v.path.clone())
                    .collect();
                self.done.insert(path, (media.hash, outputs));
            }
        }
        Ok(MediaUpdate {
            changed,
            diagnostics: processed.diagnostics,
        })
    }
}
