//! The content kept between rebuilds: every file's parse result and rendered body, patched
//! file by file instead of reloaded.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Kind, Library, Parsed};
use crate::diagnostic::Diagnostic;
use crate::render::{Bodies, RenderedBody, Renderer};
use crate::site::context::{ArticleRef, FixCard, StatusRef};
use crate::site::{self, Entries, ItemDigests};

/// A content item's identity: its kind and id.
pub type ItemKey = (Kind, String);

/// A content file found, by its item's identity.
type FoundItem = (ItemKey, PathBuf);

/// What the last read of one content file gave.
struct FileState {
    /// Absolute path, as discovery found it.
    path: PathBuf,
    /// The file's diagnostics: warnings when it parsed, errors when it did not.
    loaded: Result<Vec<Diagnostic>, Vec<Diagnostic>>,
    /// Problems found while rendering its body.
    rendered: Vec<Diagnostic>,
    /// Which link targets its body may name, for an item with a body of its own (not a
    /// guide, draft or translation).
    links: Option<LinkStems>,
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
    /// What other pages show of them.
    pub entries: Entries,
    /// Their digests and their entries', for page fingerprints.
    pub digests: ItemDigests,
    /// The media files, probed.
    pub catalog: crate::media::Catalog,
}

impl Sources {
    /// True when `path` (absolute) is a content file this cache knows.
    pub fn knows(&self, path: &Path) -> bool {
        self.by_path.contains_key(path)
    }

    /// True when `path` (absolute) is a folder, or was one: a known file lies below it.
    /// A folder that changed as a whole (removed, moved, restored) says nothing about
    /// which of its files changed.
    pub fn is_folder(&self, path: &Path) -> bool {
        if path.is_dir() {
            return true;
        }
        if self.knows(path) {
            return false;
        }
        // Compared as bytes: `Path::starts_with` walks components, for every known file.
        let folder = path.as_os_str().as_encoded_bytes();
        self.by_path.keys().any(|known| {
            let known = known.as_os_str().as_encoded_bytes();
            known.len() > folder.len()
                && known.starts_with(folder)
                && std::path::is_separator(char::from(known[folder.len()]))
        })
    }

    /// Whether `path` (absolute) is a media file the last walk found, or a folder of some.
    fn had_media_at(&self, root: &Path, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(root) else {
            return false;
        };
        self.library.media.iter().any(|m| m.starts_with(relative))
    }

    /// Whether `path` (absolute) is one of the media files the library lists.
    fn is_media_file(&self, root: &Path, path: &Path) -> bool {
        path.strip_prefix(root)
            .is_ok_and(|relative| self.library.media.iter().any(|m| m == relative))
    }

    /// The files created and the items removed by `changed`, when they can be told without
    /// walking `content/` again: every path is a Markdown file discovery takes without a
    /// word, or a known file that is gone (or changed in place). `None` when only a walk
    /// can tell (a media file, a moved or unusual file, or a file created or removed in a
    /// folder with problems discovery reported).
    fn without_walk(
        &self,
        root: &Path,
        changed: &BTreeSet<PathBuf>,
    ) -> Option<(Vec<FoundItem>, Vec<ItemKey>)> {
        // A file reported once (a duplicate id, an ignored file) may be what a created or
        // removed file settles: then the walk finds out.
        let settled = self.discovery.is_empty();
        let mut created = Vec::new();
        let mut removed = Vec::new();
        for path in changed {
            let exists = match std::fs::symlink_metadata(path) {
                Ok(meta) => Some(meta.is_file()),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
                Err(_) => return None,
            };
            match (self.by_path.get(path), exists) {
                // A known file changed in place: read again without a walk.
                (Some(_), Some(true)) => {}
                (Some(key), None) if settled => removed.push(key.clone()),
                // A media file (or a folder of them) gone: the walk lists media again.
                (None, None) if self.had_media_at(root, path) => return None,
                // A known media file changed in place: it is probed again, with no walk.
                (None, Some(true)) if self.is_media_file(root, path) => {}
                // Written and removed before the rebuild (an editor's temporary file).
                (None, None) => {}
                (None, Some(true)) if settled => {
                    let key = content::plain_content_file(root, path)?;
                    if self.files.contains_key(&key) {
                        return None;
                    }
                    created.push((key, path.clone()));
                }
                _ => return None,
            }
        }
        Some((created, removed))
    }

    /// Brings the cache up to date. `changed` are absolute paths of content files known to
    /// have changed; with `walk` (or when a changed path is not a known file and the paths
    /// alone do not tell what changed), the folder is walked again to find files created,
    /// removed or renamed (and files it finds at a new path are read too). `renderer` is
    /// told where links lead when the set of pages that links can point to changes.
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
        // Files created, removed or renamed are found by walking the folder again, unless
        // the changed paths tell it all.
        let without_walk = if walk {
            None
        } else {
            self.without_walk(root, changed)
        };
        let walk = walk || without_walk.is_none();
        if let Some((created, gone)) = without_walk {
            for key in &gone {
                to_read.remove(key);
            }
            to_read.extend(created);
            removed = gone;
        }
        if walk {
            let discovered = content::discover_files(root)?;
            self.discovery = discovered.diagnostics;
            self.library.media = discovered.media;
            let found: BTreeMap<ItemKey, PathBuf> = discovered
                .files
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
                let links = match &result {
                    Ok((parsed, _)) => LinkStems::of_parsed(parsed),
                    Err(_) => None,
                };
                ((kind, slug), path, (result, links))
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
        for (key, path, (result, links)) in read {
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
                    links,
                },
            );
        }

        // Media files: the changed ones are probed again; bodies that show or link to one
        // whose entry changed (or that was missing) render again with its new names.
        let changed_media: BTreeSet<PathBuf> = changed
            .iter()
            .filter_map(|p| p.strip_prefix(root).ok())
            .filter(|p| p.extension().is_none_or(|e| e != "md"))
            .map(Path::to_path_buf)
            .collect();
        let first = renderer.is_none();
        let touched = self.catalog.refresh(
            root,
            config,
            &self.library.media,
            (!first).then_some(&changed_media),
        );
        if !touched.is_empty() {
            if let Some(renderer) = renderer.as_mut() {
                renderer.set_media(self.catalog.clone());
            }
            let touched: BTreeSet<&PathBuf> = touched.iter().collect();
            let bodies = self.sources_with_bodies();
            to_render.extend(
                bodies
                    .filter(|(_, body)| body.media.iter().any(|m| touched.contains(m)))
                    .map(|(key, _)| key),
            );
        }

        match renderer.as_mut() {
            // Only where links lead changed: the syntaxes and the sanitizer stay loaded.
            Some(renderer) if !link_targets.is_empty() => renderer.set_links(config, &self.library),
            Some(_) => {}
            None => {
                *renderer =
                    Some(Renderer::new(config, &self.library).with_media(self.catalog.clone()));
            }
        }
        if !link_targets.is_empty() {
            to_render.extend(
                self.files
                    .iter()
                    .filter(|(key, state)| {
                        let Some(links) = &state.links else {
                            return false;
                        };
                        !to_render.contains(*key)
                            && (state.rendered.iter().any(Diagnostic::is_error)
                                || links.may_link_to(&link_targets))
                    })
                    .map(|(key, _)| key.clone())
                    .collect::<Vec<_>>(),
            );
        }
        let Some(renderer) = renderer.as_ref() else {
            return Ok(report);
        };
        report.rendered = to_render.len();
        self.render(config, renderer, to_render);
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

    /// Every item's key with its rendered body.
    fn sources_with_bodies(&self) -> impl Iterator<Item = (ItemKey, &RenderedBody)> {
        let library = &self.library;
        let bodies = &self.bodies;
        let articles = library
            .articles
            .iter()
            .zip(&bodies.articles)
            .map(|(a, b)| ((Kind::Article, a.slug.clone()), b));
        let fixes = library
            .fixes
            .iter()
            .zip(&bodies.fixes)
            .map(|(f, b)| ((Kind::Fix, f.slug.clone()), b));
        let statuses = library
            .statuses
            .iter()
            .zip(&bodies.statuses)
            .map(|(s, b)| ((Kind::Status, s.slug.clone()), b));
        articles.chain(fixes).chain(statuses)
    }

    /// Renders the bodies of `keys` (all in the library) and makes their entries and digests.
    fn render(&mut self, config: &Config, renderer: &Renderer<'_>, keys: BTreeSet<ItemKey>) {
        let library = &self.library;
        let jobs: Vec<(ItemKey, usize)> = keys
            .into_iter()
            .filter_map(|(kind, slug)| {
                let index = match kind {
                    Kind::Article => find(&library.articles, &slug, |a| &a.slug),
                    Kind::Fix => find(&library.fixes, &slug, |f| &f.slug),
                    Kind::Status => find(&library.statuses, &slug, |s| &s.slug),
                    // A guide has no body to render: its pages read the library.
                    Kind::Guide => None,
                }?;
                Some(((kind, slug), index))
            })
            .collect();
        let results: Vec<(ItemKey, usize, Rendered)> = jobs
            .into_par_iter()
            .filter_map(|(key, index)| {
                let rendered = match key.0 {
                    Kind::Article => {
                        let article = &library.articles[index];
                        let (body, found) = renderer.render(&article.source, &key.1);
                        let entry = Entry::Article(site::article_entry(config, article, &body));
                        let links = site::Graph::article_inputs(article);
                        Rendered::new(article, body, found, entry, links)
                    }
                    Kind::Fix => {
                        let fix = &library.fixes[index];
                        let (body, found) = renderer.render(&fix.source, &key.1);
                        let entry = Entry::Fix(site::fix_entry(config, fix, &body));
                        Rendered::new(fix, body, found, entry, 0)
                    }
                    Kind::Status => {
                        let status = &library.statuses[index];
                        let (body, found) = renderer.render(&status.source, &key.1);
                        let entry = Entry::Status(site::status_entry(config, status));
                        let links = site::Graph::status_inputs(status);
                        Rendered::new(status, body, found, entry, links)
                    }
                    Kind::Guide => return None,
                };
                Some((key, index, rendered))
            })
            .collect();
        for (key, i, rendered) in results {
            let digests = &mut self.digests;
            match rendered.entry {
                Entry::Article(entry) => {
                    self.bodies.articles[i] = rendered.body;
                    digests.articles[i] = rendered.digest;
                    digests.article_entries[i] = rendered.entry_digest;
                    digests.article_links[i] = rendered.links;
                    self.entries.articles[i] = entry;
                }
                Entry::Fix(entry) => {
                    self.bodies.fixes[i] = rendered.body;
                    digests.fixes[i] = rendered.digest;
                    digests.fix_entries[i] = rendered.entry_digest;
                    self.entries.fixes[i] = entry;
                }
                Entry::Status(entry) => {
                    self.bodies.statuses[i] = rendered.body;
                    digests.statuses[i] = rendered.digest;
                    digests.status_entries[i] = rendered.entry_digest;
                    digests.status_links[i] = rendered.links;
                    self.entries.statuses[i] = entry;
                }
            }
            if let Some(state) = self.files.get_mut(&key) {
                state.rendered = rendered.diagnostics;
            }
        }
    }

    /// Takes an item out of the library (with its body, entry and digests); returns its
    /// source path.
    fn remove_item(&mut self, (kind, slug): &ItemKey) -> Option<PathBuf> {
        if let (slug, Some(code)) = content::split_language(slug) {
            return remove_translation(&mut self.library, *kind, slug, code);
        }
        let library = &mut self.library;
        let (i, path) = match kind {
            Kind::Article => {
                let i = find(&library.articles, slug, |a| &a.slug)?;
                (i, library.articles.remove(i).source.path)
            }
            Kind::Fix => {
                let i = find(&library.fixes, slug, |f| &f.slug)?;
                (i, library.fixes.remove(i).source.path)
            }
            Kind::Status => {
                let i = find(&library.statuses, slug, |s| &s.slug)?;
                (i, library.statuses.remove(i).source.path)
            }
            Kind::Guide => {
                let i = find(&library.guides, slug, |g| &g.slug)?;
                return Some(library.guides.remove(i).source.path);
            }
        };
        let d = &mut self.digests;
        match kind {
            Kind::Article => {
                self.bodies.articles.remove(i);
                self.entries.articles.remove(i);
                d.articles.remove(i);
                d.article_entries.remove(i);
                d.article_links.remove(i);
            }
            Kind::Fix => {
                self.bodies.fixes.remove(i);
                self.entries.fixes.remove(i);
                d.fixes.remove(i);
                d.fix_entries.remove(i);
            }
            Kind::Status => {
                self.bodies.statuses.remove(i);
                self.entries.statuses.remove(i);
                d.statuses.remove(i);
                d.status_entries.remove(i);
                d.status_links.remove(i);
            }
            Kind::Guide => {}
        }
        Some(path)
    }

    /// Puts a parsed item into the library in id order, with its body, entry and digests
    /// still to make; returns its source path (drafts are not published: nothing).
    fn insert_item(&mut self, parsed: Parsed) -> Option<PathBuf> {
        let lang = match &parsed {
            Parsed::Article(a) => a.source.lang.clone(),
            Parsed::Fix(f) => f.source.lang.clone(),
            Parsed::Status(s) => s.source.lang.clone(),
            Parsed::Guide(g) => g.source.lang.clone(),
            Parsed::Draft => None,
        };
        if let Some(code) = lang {
            // A translation has no body here: each language renders its own view.
            return insert_translation(self.library.translations.entry(code).or_default(), parsed);
        }
        let library = &mut self.library;
        let d = &mut self.digests;
        match parsed {
            Parsed::Article(a) => {
                let path = a.source.path.clone();
                let i = library.articles.partition_point(|x| x.slug < a.slug);
                library.articles.insert(i, a);
                self.bodies.articles.insert(i, RenderedBody::default());
                self.entries.articles.insert(i, Default::default());
                d.articles.insert(i, 0);
                d.article_entries.insert(i, 0);
                d.article_links.insert(i, 0);
                Some(path)
            }
            Parsed::Fix(f) => {
                let path = f.source.path.clone();
                let i = library.fixes.partition_point(|x| x.slug < f.slug);
                library.fixes.insert(i, f);
                self.bodies.fixes.insert(i, RenderedBody::default());
                self.entries.fixes.insert(i, Default::default());
                d.fixes.insert(i, 0);
                d.fix_entries.insert(i, 0);
                Some(path)
            }
            Parsed::Status(s) => {
                let path = s.source.path.clone();
                let i = library.statuses.partition_point(|x| x.slug < s.slug);
                library.statuses.insert(i, s);
                self.bodies.statuses.insert(i, RenderedBody::default());
                self.entries.statuses.insert(i, Default::default());
                d.statuses.insert(i, 0);
                d.status_entries.insert(i, 0);
                d.status_links.insert(i, 0);
                Some(path)
            }
            Parsed::Guide(g) => {
                let path = g.source.path.clone();
                let i = library.guides.partition_point(|x| x.slug < g.slug);
                library.guides.insert(i, g);
                // Read again, a guide's questions may now lead to other pages.
                Some(path)
            }
            Parsed::Draft => None,
        }
    }
}

/// Takes a translation out of its language's list; returns its source path.
fn remove_translation(
    library: &mut Library,
    kind: Kind,
    slug: &str,
    code: &str,
) -> Option<PathBuf> {
    let translated = library.translations.get_mut(code)?;
    let path = match kind {
        Kind::Article => {
            let i = find(&translated.articles, slug, |a| &a.slug)?;
            translated.articles.remove(i).source.path
        }
        Kind::Fix => {
            let i = find(&translated.fixes, slug, |f| &f.slug)?;
            translated.fixes.remove(i).source.path
        }
        Kind::Status => {
            let i = find(&translated.statuses, slug, |s| &s.slug)?;
            translated.statuses.remove(i).source.path
        }
        Kind::Guide => {
            let i = find(&translated.guides, slug, |g| &g.slug)?;
            translated.guides.remove(i).source.path
        }
    };
    if translated.articles.is_empty()
        && translated.fixes.is_empty()
        && translated.statuses.is_empty()
        && translated.guides.is_empty()
    {
        library.translations.remove(code);
    }
    Some(path)
}

/// Puts a translation into its language's list in id order; returns its source path.
fn insert_translation(translated: &mut Library, parsed: Parsed) -> Option<PathBuf> {
    match parsed {
        Parsed::Article(a) => {
            let path = a.source.path.clone();
            let i = translated.articles.partition_point(|x| x.slug < a.slug);
            translated.articles.insert(i, a);
            Some(path)
        }
        Parsed::Fix(f) => {
            let path = f.source.path.clone();
            let i = translated.fixes.partition_point(|x| x.slug < f.slug);
            translated.fixes.insert(i, f);
            Some(path)
        }
        Parsed::Status(s) => {
            let path = s.source.path.clone();
            let i = translated.statuses.partition_point(|x| x.slug < s.slug);
            translated.statuses.insert(i, s);
            Some(path)
        }
        Parsed::Guide(g) => {
            let path = g.source.path.clone();
            let i = translated.guides.partition_point(|x| x.slug < g.slug);
            translated.guides.insert(i, g);
            Some(path)
        }
        Parsed::Draft => None,
    }
}

/// An item's entry, whatever its kind.
enum Entry {
    Article(ArticleRef),
    Fix(FixCard),
    Status(StatusRef),
}

/// What rendering one item makes.
struct Rendered {
    body: RenderedBody,
    diagnostics: Vec<Diagnostic>,
    digest: u64,
    entry: Entry,
    entry_digest: u64,
    /// What the back-links read of the item ([`site::Graph::article_inputs`]; 0 for a fix).
    links: u64,
}

impl Rendered {
    fn new(
        item: &impl std::hash::Hash,
        body: RenderedBody,
        diagnostics: Vec<Diagnostic>,
        entry: Entry,
        links: u64,
    ) -> Self {
        let entry_digest = match &entry {
            Entry::Article(e) => site::digest(e),
            Entry::Fix(e) => site::digest(e),
            Entry::Status(e) => site::digest(e),
        };
        Rendered {
            digest: site::item_digest(item, &body),
            body,
            diagnostics,
            entry,
            entry_digest,
            links,
        }
    }
}

fn find<T>(items: &[T], slug: &str, key: impl Fn(&T) -> &String) -> Option<usize> {
    items
        .binary_search_by(|item| key(item).as_str().cmp(slug))
        .ok()
}

/// What a body may link to, worked out once when its file is read: the file stems written
/// before each `.md` (`../fixes/<stem>.md`), or anything at all. Link targets are compared
/// after Markdown unescaping, so a body with a backslash escape or a character reference
/// anywhere may link to anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum LinkStems {
    /// The body has an escape: any target.
    Anything,
    /// The stems before each `.md`, sorted and each once.
    Stems(Box<[Box<str>]>),
}

impl LinkStems {
    /// The stems of a Markdown body.
    pub(super) fn of(markdown: &str) -> Self {
        if has_escapes(markdown) {
            return LinkStems::Anything;
        }
        let mut stems: Vec<Box<str>> = stems_in(markdown).map(Box::from).collect();
        stems.sort_unstable();
        stems.dedup();
        LinkStems::Stems(stems.into_boxed_slice())
    }

    /// The stems of a parsed item that has a body of its own.
    fn of_parsed(parsed: &Parsed) -> Option<Self> {
        let source = match parsed {
            Parsed::Article(a) => &a.source,
            Parsed::Fix(f) => &f.source,
            Parsed::Status(s) => &s.source,
            Parsed::Guide(_) | Parsed::Draft => return None,
        };
        source.lang.is_none().then(|| LinkStems::of(&source.body))
    }

    /// Whether the body may link to one of `targets` (file stems).
    pub(super) fn may_link_to(&self, targets: &BTreeSet<String>) -> bool {
        match self {
            LinkStems::Anything => true,
            LinkStems::Stems(stems) => stems.iter().any(|stem| targets.contains(&**stem)),
        }
    }
}

/// Whether a body has a backslash escape or a character reference: then it may link to
/// anything.
fn has_escapes(markdown: &str) -> bool {
    markdown.contains(['\\', '&'])
}

/// The file stems written before each `.md` of a body.
fn stems_in(markdown: &str) -> impl Iterator<Item = &str> {
    markdown.match_indices(".md").map(|(end, _)| {
        let before = &markdown[..end];
        let start = before
            .rfind(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
            .map_or(0, |i| i + 1);
        &before[start..]
    })
}

/// Whether a body may contain a link to one of `stems` (see [`LinkStems`]), read from the
/// body itself without keeping anything.
pub(super) fn may_link_to(markdown: &str, stems: &BTreeSet<String>) -> bool {
    has_escapes(markdown) || stems_in(markdown).any(|stem| stems.contains(stem))
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
        assert!(!may_link_to(
            "see [x](../fixes/not-restart-printer.md)",
            &stems
        ));
        assert!(may_link_to("[x]: restart-printer.md#steps", &stems));
    }
}
