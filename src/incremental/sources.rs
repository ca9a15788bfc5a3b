//! The content kept between rebuilds: every file's parse result and rendered body, patched
//! file by file instead of reloaded.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Kind, Library, Parsed, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::render::{Bodies, RenderedBody, Renderer};
use crate::site::ItemDigests;

/// A content item's identity: its kind and id.
pub type ItemKey = (Kind, String);

/// What the last read of one content file gave.
struct FileState {
    /// Absolute path, as discovery found it.
    path: PathBuf,
    /// The file's diagnostics: warnings when it parsed, errors when it did not.
    loaded: Result<Vec<Diagnostic>, Vec<Diagnostic>>,
    /// Problems found while rendering its body.
    rendered: Vec<Diagnostic>,
}

/// What one [`Sources::update`] did.
#[derive(Debug, Default, Clone, Copy)]
pub struct SourcesReport {
    /// Files read and parsed.
    pub read: usize,
    /// Bodies rendered.
    pub rendered: usize,
    /// Whether the folder was walked again.
    pub walked: bool,
}

/// The library, its rendered bodies and their digests, index-aligned and sorted by id as a
/// full load would produce them, plus what is needed to reproduce its diagnostics.
#[derive(Default)]
pub struct Sources {
    files: BTreeMap<ItemKey, FileState>,
    by_path: HashMap<PathBuf, ItemKey>,
    discovery: Vec<Diagnostic>,
    /// The files that parsed.
    pub library: Library,
    /// Their rendered bodies.
    pub bodies: Bodies,
    /// Their digests, for page fingerprints.
    pub digests: ItemDigests,
}

impl Sources {
    /// True when `path` (absolute) is a content file this cache knows.
    pub fn knows(&self, path: &Path) -> bool {
        self.by_path.contains_key(path)
    }

    /// Brings the cache up to date. `changed` are absolute paths of content files known to
    /// have changed; with `walk`, the folder is walked again to find files created, removed
    /// or renamed (and files it finds at a new path are read too). `renderer` is replaced
    /// when the set of pages that links can point to changes.
    pub fn update<'cfg>(
        &mut self,
        root: &Path,
        config: &'cfg Config,
        renderer: &mut Option<Renderer<'cfg>>,
        changed: &BTreeSet<PathBuf>,
        walk: bool,
    ) -> Result<SourcesReport, Vec<Diagnostic>> {
        let mut to_read: BTreeMap<ItemKey, PathBuf> = changed
            .iter()
            .filter_map(|p| self.by_path.get(p).map(|key| (key.clone(), p.clone())))
            .collect();
        let mut removed: Vec<ItemKey> = Vec::new();
        if walk {
            let (found, diagnostics) = content::discover_files(root)?;
            self.discovery = diagnostics;
            let found: BTreeMap<ItemKey, PathBuf> = found
                .into_iter()
                .map(|(kind, slug, path)| ((kind, slug), path))
                .collect();
            removed = self
                .files
                .keys()
                .filter(|key| !found.contains_key(*key))
                .cloned()
                .collect();
            // Read what is new, moved, or reported changed; nothing that is gone.
            to_read.clear();
            for (key, path) in found {
                let moved = self.files.get(&key).is_none_or(|state| state.path != path);
                if moved || changed.contains(&path) {
                    to_read.insert(key, path);
                }
            }
        }
        let read: Vec<(ItemKey, PathBuf, _)> = to_read
            .into_par_iter()
            .map(|((kind, slug), path)| {
                let result = content::read_one(root, kind, &slug, &path);
                ((kind, slug), path, result)
            })
            .collect();
        let mut report = SourcesReport {
            read: read.len(),
            walked: walk,
            ..SourcesReport::default()
        };

        // Pages that links resolve to: a change among them changes how other bodies render.
        let mut link_targets: BTreeSet<String> = BTreeSet::new();
        let mut to_render: BTreeSet<ItemKey> = BTreeSet::new();
        for key in removed {
            if let Some(state) = self.files.remove(&key) {
                self.by_path.remove(&state.path);
            }
            if self.remove_item(&key).is_some() {
                link_targets.insert(key.1.clone());
            }
        }
        for (key, path, result) in read {
            let old_source = self.remove_item(&key);
            let (loaded, item) = match result {
                Ok((parsed, diagnostics)) => (Ok(diagnostics), Some(parsed)),
                Err(errors) => (Err(errors), None),
            };
            let new_path = item.and_then(|parsed| self.insert_item(parsed));
            if old_source != new_path {
                link_targets.insert(key.1.clone());
            }
            if new_path.is_some() {
                to_render.insert(key.clone());
            }
            if let Some(state) = self.files.get(&key) {
                self.by_path.remove(&state.path);
            }
            self.by_path.insert(path.clone(), key.clone());
            self.files.insert(
                key,
                FileState {
                    path,
                    loaded,
                    rendered: Vec::new(),
                },
            );
        }

        if !link_targets.is_empty() || renderer.is_none() {
            *renderer = Some(Renderer::new(config, &self.library));
            for (kind, slug, source) in self.sources() {
                let key = (kind, slug.to_owned());
                let failed_links = self
                    .files
                    .get(&key)
                    .is_some_and(|state| state.rendered.iter().any(Diagnostic::is_error));
                if failed_links || may_link_to(&source.body, &link_targets) {
                    to_render.insert(key);
                }
            }
        }
        let Some(renderer) = renderer.as_ref() else {
            return Ok(report);
        };
        report.rendered = to_render.len();
        self.render(renderer, to_render);
        Ok(report)
    }

    /// Every diagnostic a full load and render of the same files gives (unsorted), and the
    /// ids of the files that did not parse.
    pub fn diagnostics(&self) -> (Vec<Diagnostic>, BTreeSet<ItemKey>) {
        let mut diagnostics = self.discovery.clone();
        let mut broken = BTreeSet::new();
        for (key, state) in &self.files {
            match &state.loaded {
                Ok(found) => diagnostics.extend(found.iter().cloned()),
                Err(errors) => {
                    diagnostics.extend(errors.iter().cloned());
                    broken.insert(key.clone());
                }
            }
            diagnostics.extend(state.rendered.iter().cloned());
        }
        (diagnostics, broken)
    }

    fn sources(&self) -> impl Iterator<Item = (Kind, &str, &SourceFile)> {
        let library = &self.library;
        let articles = library
            .articles
            .iter()
            .map(|a| (Kind::Article, a.slug.as_str(), &a.source));
        let fixes = library
            .fixes
            .iter()
            .map(|f| (Kind::Fix, f.slug.as_str(), &f.source));
        let statuses = library
            .statuses
            .iter()
            .map(|s| (Kind::Status, s.slug.as_str(), &s.source));
        articles.chain(fixes).chain(statuses)
    }

    /// Renders the bodies of `keys` (all in the library) and records their digests.
    fn render(&mut self, renderer: &Renderer<'_>, keys: BTreeSet<ItemKey>) {
        let library = &self.library;
        let jobs: Vec<(ItemKey, usize, &SourceFile)> = keys
            .into_iter()
            .filter_map(|(kind, slug)| {
                let (index, source) = match kind {
                    Kind::Article => {
                        let i = find(&library.articles, &slug, |a| &a.slug)?;
                        (i, &library.articles[i].source)
                    }
                    Kind::Fix => {
                        let i = find(&library.fixes, &slug, |f| &f.slug)?;
                        (i, &library.fixes[i].source)
                    }
                    Kind::Status => {
                        let i = find(&library.statuses, &slug, |s| &s.slug)?;
                        (i, &library.statuses[i].source)
                    }
                };
                Some(((kind, slug), index, source))
            })
            .collect();
        let results: Vec<(ItemKey, usize, RenderedBody, Vec<Diagnostic>, u64)> = jobs
            .into_par_iter()
            .map(|(key, index, source)| {
                let (body, found) = renderer.render(source, &key.1);
                let digest = match key.0 {
                    Kind::Article => item_digest(&library.articles[index], &body),
                    Kind::Fix => item_digest(&library.fixes[index], &body),
                    Kind::Status => item_digest(&library.statuses[index], &body),
                };
                (key, index, body, found, digest)
            })
            .collect();
        for (key, index, body, found, digest) in results {
            let (bodies, digests) = lists(&mut self.bodies, &mut self.digests, key.0);
            bodies[index] = body;
            digests[index] = digest;
            if let Some(state) = self.files.get_mut(&key) {
                state.rendered = found;
            }
        }
    }

    /// Takes an item out of the library (with its body and digest); returns its source path.
    fn remove_item(&mut self, (kind, slug): &ItemKey) -> Option<PathBuf> {
        let library = &mut self.library;
        let (bodies, digests) = lists(&mut self.bodies, &mut self.digests, *kind);
        match kind {
            Kind::Article => take(&mut library.articles, bodies, digests, slug, |a| &a.slug)
                .map(|a| a.source.path),
            Kind::Fix => {
                take(&mut library.fixes, bodies, digests, slug, |f| &f.slug).map(|f| f.source.path)
            }
            Kind::Status => take(&mut library.statuses, bodies, digests, slug, |s| &s.slug)
                .map(|s| s.source.path),
        }
    }

    /// Puts a parsed item into the library in id order, with a body still to render;
    /// returns its source path (drafts are not published and return nothing).
    fn insert_item(&mut self, parsed: Parsed) -> Option<PathBuf> {
        let library = &mut self.library;
        match parsed {
            Parsed::Article(a) => {
                let path = a.source.path.clone();
                let (b, d) = lists(&mut self.bodies, &mut self.digests, Kind::Article);
                put(&mut library.articles, b, d, a, |a| &a.slug);
                Some(path)
            }
            Parsed::Fix(f) => {
                let path = f.source.path.clone();
                let (b, d) = lists(&mut self.bodies, &mut self.digests, Kind::Fix);
                put(&mut library.fixes, b, d, f, |f| &f.slug);
                Some(path)
            }
            Parsed::Status(s) => {
                let path = s.source.path.clone();
                let (b, d) = lists(&mut self.bodies, &mut self.digests, Kind::Status);
                put(&mut library.statuses, b, d, s, |s| &s.slug);
                Some(path)
            }
            Parsed::Draft => None,
        }
    }
}

/// The body and digest lists of one kind.
fn lists<'a>(
    bodies: &'a mut Bodies,
    digests: &'a mut ItemDigests,
    kind: Kind,
) -> (&'a mut Vec<RenderedBody>, &'a mut Vec<u64>) {
    match kind {
        Kind::Article => (&mut bodies.articles, &mut digests.articles),
        Kind::Fix => (&mut bodies.fixes, &mut digests.fixes),
        Kind::Status => (&mut bodies.statuses, &mut digests.statuses),
    }
}

fn find<T>(items: &[T], slug: &str, key: impl Fn(&T) -> &String) -> Option<usize> {
    items
        .binary_search_by(|item| key(item).as_str().cmp(slug))
        .ok()
}

fn take<T>(
    items: &mut Vec<T>,
    bodies: &mut Vec<RenderedBody>,
    digests: &mut Vec<u64>,
    slug: &str,
    key: impl Fn(&T) -> &String,
) -> Option<T> {
    let i = find(items, slug, key)?;
    bodies.remove(i);
    digests.remove(i);
    Some(items.remove(i))
}

fn put<T>(
    items: &mut Vec<T>,
    bodies: &mut Vec<RenderedBody>,
    digests: &mut Vec<u64>,
    item: T,
    key: impl Fn(&T) -> &String,
) {
    let i = items.partition_point(|x| key(x) < key(&item));
    items.insert(i, item);
    bodies.insert(i, RenderedBody::default());
    digests.insert(i, 0);
}

/// Whether a body may contain a link to one of `stems` (`../fixes/<stem>.md`). Link targets
/// are compared after Markdown unescaping, so a body with a backslash escape or a character
/// reference anywhere is assumed to link to anything.
fn may_link_to(markdown: &str, stems: &BTreeSet<String>) -> bool {
    markdown.contains(['\\', '&']) || stems.iter().any(|stem| markdown.contains(stem.as_str()))
}

/// A digest of everything a page can show of one item: its parsed fields and its body.
fn item_digest(item: &impl std::fmt::Debug, body: &RenderedBody) -> u64 {
    struct HashWriter(DefaultHasher);
    impl std::fmt::Write for HashWriter {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut writer = HashWriter(DefaultHasher::new());
    let _ = write!(writer, "{item:?}{body:?}");
    writer.0.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_that_may_link_are_found_by_file_stem_or_escapes() {
        let stems = BTreeSet::from(["restart-printer".to_owned()]);
        assert!(may_link_to("see [x](../fixes/restart-printer.md)", &stems));
        assert!(may_link_to(
            "see [x](../fixes/restart&#45;printer.md)",
            &stems
        ));
        assert!(!may_link_to("see [x](../fixes/check-cable.md)", &stems));
    }
}
