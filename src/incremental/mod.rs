//! Incremental rebuilds, for `fixbook serve`: after an edit, only the changed files are read
//! and rendered again, and only the pages whose inputs changed are rendered again.
//!
//! The pipeline is the one [`crate::compile`] runs, kept warm between runs:
//!
//! 1. **Sources**: the library and its rendered bodies stay in memory; a changed file is
//!    read, parsed and rendered again, and the folder is walked again only when files may
//!    have been created, removed or renamed. When the set of pages links can point to
//!    changes, the bodies that may link to them are rendered again too.
//! 2. **Checks**: validation runs over the whole library (it is cheap), so diagnostics are
//!    exactly those of a full build.
//! 3. **Pages**: every page has a fingerprint, a digest of what it shows (its item, the
//!    list entries of the items it lists, the back-links and counts, its template and the
//!    templates that template uses). Pages whose fingerprint changed are rendered again;
//!    pages that no longer exist are dropped.
//!
//! The result is byte-identical to a full build of the same files (the integration tests
//! compare both after every kind of edit). A changed `fixbook.toml` changes everything: the
//! caller starts a new [`Incremental`] with the new configuration.

mod languages;
mod media;
mod sources;
mod stored;

pub use stored::{BUILD_CACHE, BuildCache, ScopedKey};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::config::{CONFIG_FILE, Config, STATIC_DIR};
use crate::content::{CONTENT_DIR, Library};
use crate::diagnostic::{self, Diagnostic};
use crate::render::Renderer;
use crate::search::{self, SearchDoc, StatusLookup};
use crate::site::theme::{TEMPLATES_DIR, Theme};
use crate::site::{self, Drawings, Graph, PageId, Site, SiteOptions, StaticFiles};
use crate::{Failure, validate};
use sources::Sources;

/// The built site in memory: output path (`articles/foo/index.html`) → bytes.
pub type SiteFiles = BTreeMap<String, Bytes>;

/// What changed on disk since the last rebuild, sorted by what it affects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Read everything again (the file watcher lost track of events).
    pub everything: bool,
    /// `fixbook.toml` changed: start a new [`Incremental`] with the new configuration.
    pub config: bool,
    /// Something under `templates/` changed.
    pub templates: bool,
    /// Something under `static/` changed (or the folder itself).
    pub statics: bool,
    /// Absolute paths under `content/` that were created, changed or removed.
    pub content: BTreeSet<PathBuf>,
}

impl Changes {
    /// A change to everything.
    pub fn everything() -> Self {
        Changes {
            everything: true,
            ..Changes::default()
        }
    }

    /// Sorts absolute paths reported by a file watcher for the site at `root` (absolute).
    /// Paths outside the site's sources, and hidden files, which a build never reads, are
    /// left out.
    pub fn from_paths(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Self {
        let mut changes = Changes::default();
        for path in paths {
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            let mut parts = relative.components().map(|c| c.as_os_str());
            let Some(first) = parts.next() else {
                continue;
            };
            let hidden = parts.any(|part| part.to_string_lossy().starts_with('.'));
            if first == CONTENT_DIR && relative.components().count() == 1 {
                // content/ itself appeared, vanished or was replaced.
                changes.everything = true;
            } else if first == CONFIG_FILE {
                changes.config = true;
            } else if first == TEMPLATES_DIR && !hidden {
                changes.templates = true;
            } else if first == STATIC_DIR && !hidden {
                changes.statics = true;
            } else if first == CONTENT_DIR && !hidden {
                changes.content.insert(path);
            }
        }
        changes
    }

    /// True when nothing a build reads changed.
    pub fn is_empty(&self) -> bool {
        !self.everything
            && !self.config
            && !self.templates
            && !self.statics
            && self.content.is_empty()
    }

    /// Adds the changes of `other`.
    pub fn merge(&mut self, other: Changes) {
        self.everything |= other.everything;
        self.config |= other.config;
        self.templates |= other.templates;
        self.statics |= other.statics;
        self.content.extend(other.content);
    }
}

/// What a successful rebuild produced.
#[derive(Debug, Clone)]
pub struct Update {
    /// The whole site, as a full build would write it.
    pub files: Arc<SiteFiles>,
    /// Output paths that were added, changed or removed by this rebuild, sorted.
    pub changed: Vec<String>,
    /// Request paths under the base that are old addresses (`aliases:`) → the address
    /// of the page that has them now, which a server answers with a 301.
    pub redirects: Arc<BTreeMap<String, String>>,
    /// The site's warnings, sorted.
    pub warnings: Vec<Diagnostic>,
    /// What the rebuild did and how long it took.
    pub stats: Stats,
    /// List pages put off to publish the others sooner (see
    /// [`Incremental::deferring_lists`]): the next rebuild renders them, changes or not.
    pub deferred: usize,
}

/// What one rebuild did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Content files read and parsed.
    pub files_read: usize,
    /// Bodies rendered from Markdown.
    pub bodies_rendered: usize,
    /// Pages rendered from templates.
    pub pages_rendered: usize,
    /// Whether `content/` was walked again.
    pub walked: bool,
    /// Reading and rendering content.
    pub content: Duration,
    /// Validating the whole library.
    pub validate: Duration,
    /// Back-links, lists and page fingerprints.
    pub plan: Duration,
    /// Rendering the pages that changed.
    pub pages: Duration,
    /// The whole rebuild.
    pub total: Duration,
}

/// What the search stage reads: taken after a good rebuild, and used after the pages are
/// published, so that a reload never waits for the search indexes.
#[derive(Debug, Clone, Default)]
pub struct SearchInputs {
    /// One document per article, fix and status message.
    pub docs: Vec<SearchDoc>,
    /// How the site understands queries (language, synonyms, platforms).
    pub rules: search::QueryRules,
    /// The language of the documents.
    pub language: String,
    /// The same for each other language of the site, by code.
    pub languages: Vec<(String, SearchInputs)>,
}

impl SearchInputs {
    /// The static search files a full build writes (static index and status index).
    pub fn static_files(&self) -> Result<Vec<site::OutputFile>, Diagnostic> {
        crate::search::static_files(&self.docs, &self.rules)
    }

    /// The typo-tolerant status-message lookup.
    pub fn status_lookup(&self) -> StatusLookup {
        StatusLookup::from_docs(&self.docs).with_rules(self.rules.clone())
    }

    /// The browser's status-message index alone, as the static bundle has it but without
    /// the static index's `meta.json` in it: what pages need when they search through
    /// `/api/search` rather than the static index.
    pub fn status_index(&self) -> site::OutputFile {
        site::OutputFile {
            path: search::STATUS_INDEX_PATH.to_owned(),
            bytes: self.status_lookup().to_browser_json().into_bytes(),
        }
    }
}

/// A site kept compiled in memory for one configuration, rebuilt edit by edit.
pub struct Incremental<'cfg> {
    root: PathBuf,
    config: &'cfg Config,
    options: SiteOptions,
    renderer: Option<Renderer<'cfg>>,
    sources: Sources,
    theme: Option<Result<Theme, Vec<Diagnostic>>>,
    theme_prepared: bool,
    /// The entries the last rebuild's site drew, for the next one (of the same theme).
    drawings: Drawings,
    /// The last rebuild's back-links, with the [key](Graph::key) of what they
    /// were made from.
    graph: Option<(u64, Graph)>,
    /// The site's `static/` files, with the problems found reading them.
    statics: (StaticFiles, Vec<Diagnostic>),
    static_pending: bool,
    static_paths: BTreeSet<String>,
    fingerprints: HashMap<PageId, u64>,
    media: media::Published,
    files: Arc<SiteFiles>,
    /// The other languages' pages of the last rebuild, and their search inputs.
    language_paths: BTreeSet<String>,
    language_search: Vec<(String, SearchInputs)>,
    /// With more pages than this to render, an edit publishes the pages that are not lists
    /// first (see [`Incremental::deferring_lists`]).
    defer_above: Option<usize>,
}

/// Up to this many pages to render, `fixbook serve` renders them all at once.
pub const DEFER_ABOVE: usize = 24;

impl<'cfg> Incremental<'cfg> {
    /// An empty state for the site at `root`, built by the first [`Incremental::rebuild`].
    pub fn new(root: &Path, config: &'cfg Config, options: SiteOptions) -> Self {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        Incremental {
            root,
            config,
            options,
            renderer: None,
            sources: Sources::default(),
            theme: None,
            theme_prepared: false,
            drawings: Drawings::default(),
            graph: None,
            statics: (StaticFiles::default(), Vec::new()),
            static_pending: true,
            static_paths: BTreeSet::new(),
            fingerprints: HashMap::new(),
            media: media::Published::default(),
            files: Arc::default(),
            language_paths: BTreeSet::new(),
            language_search: Vec::new(),
            defer_above: None,
        }
    }

    /// After an edit that leaves more than `above` pages to render (adding an article
    /// shifts every page of the lists it joins), publishes the pages that are not lists
    /// first and leaves the lists to the next rebuild, which the caller runs at once unless
    /// more changes wait: the edit shows sooner, and the lists follow. The first build, a
    /// rebuild of everything and a rebuild with no changes render every page.
    #[must_use]
    pub fn deferring_lists(mut self, above: usize) -> Self {
        self.defer_above = Some(above);
        self
    }

    /// The absolute site root that changed paths are reported against.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The library as of the last rebuild (including one that failed).
    pub fn library(&self) -> &Library {
        &self.sources.library
    }

    /// The rendered bodies, index-aligned with [`Incremental::library`].
    pub fn bodies(&self) -> &crate::render::Bodies {
        &self.sources.bodies
    }

    /// The search documents of the current library; call after a good rebuild.
    pub fn search_inputs(&self) -> SearchInputs {
        SearchInputs {
            docs: search::documents(&self.sources.library, &self.sources.bodies),
            rules: search::QueryRules::from_config(self.config),
            language: self.config.language.clone(),
            languages: self.language_search.clone(),
        }
    }

    /// Brings the site up to date with `changes`. On failure the last good site is kept and
    /// the next rebuild starts from it, so nothing is lost by failing.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Update, Failure> {
        let started = Instant::now();
        let mut stats = Stats::default();
        let first = self.theme.is_none();
        if first || changes.everything || changes.templates {
            self.theme = Some(Theme::load(&self.root));
            self.theme_prepared = false;
            self.drawings = Drawings::default();
            self.static_pending = true;
        }
        if first || changes.everything || changes.statics {
            self.statics = StaticFiles::load(&self.root, self.config);
            self.static_pending = true;
        }
        let mut changed_content = changes.content.clone();
        // A folder removed or restored as a whole names no files: everything is read again.
        let everything = changes.everything
            || changed_content
                .iter()
                .any(|path| self.sources.is_folder(path));
        if everything {
            changed_content.clear();
            self.sources = Sources::default();
        }
        let walk = first || everything;
        let report = self
            .sources
            .update(
                &self.root,
                self.config,
                &mut self.renderer,
                &changed_content,
                walk,
            )
            .map_err(Failure::Setup)?;
        stats.files_read = report.read;
        stats.bodies_rendered = report.rendered;
        stats.walked = report.walked;
        stats.content = started.elapsed();

        let checked = Instant::now();
        let (mut diagnostics, broken) = self.sources.diagnostics();
        diagnostics.extend(validate::validate(
            self.config,
            &self.sources.library,
            &broken,
        ));
        diagnostics.extend(crate::render::check_anchors(
            &self.sources.library,
            &self.sources.bodies,
        ));
        diagnostics.extend(self.sources.catalog.diagnostics().cloned());
        diagnostics.extend(crate::render::check_media(
            &self.sources.library,
            &self.sources.bodies,
            &self.sources.catalog,
        ));
        diagnostics.extend(self.statics.1.iter().cloned());
        let theme = match &mut self.theme {
            Some(Ok(theme)) => Some(theme),
            Some(Err(found)) => {
                diagnostics.extend(found.iter().cloned());
                None
            }
            None => None,
        };
        diagnostic::sort(&mut diagnostics);
        diagnostics.dedup();
        stats.validate = checked.elapsed();
        let Some(theme) = theme.filter(|_| !diagnostics.iter().any(Diagnostic::is_error)) else {
            return Err(Failure::Content(diagnostics));
        };

        let planned = Instant::now();
        let entries = std::mem::take(&mut self.sources.entries);
        let graph_key = Graph::key(&self.sources.library, &self.sources.digests);
        let graph = match self.graph.take() {
            Some((key, graph)) if key == graph_key => graph,
            _ => Graph::new(&self.sources.library),
        };
        let mut site = Site::with_entries(
            self.config,
            &self.sources.library,
            &self.sources.bodies,
            entries,
            graph,
        )
        .with_static_files(&self.statics.0)
        .with_media(&self.sources.catalog)
        .with_drawings(std::mem::take(&mut self.drawings), &self.sources.digests);
        let collisions = site.collisions(theme, &site.page_ids(), self.options);
        if !collisions.is_empty() {
            (self.sources.entries, _) = site.into_entries();
            let mut errors = collisions;
            errors.extend(diagnostics.iter().cloned());
            diagnostic::sort(&mut errors);
            return Err(Failure::Content(errors));
        }
        if self.theme_prepared {
            site.use_words(theme);
        } else {
            site.prepare(theme, self.options);
            self.theme_prepared = true;
        }
        let fingerprints = site.fingerprints(theme, &self.sources.digests);
        let mut dirty: Vec<PageId> = fingerprints
            .iter()
            .filter(|(id, fingerprint)| self.fingerprints.get(id) != Some(fingerprint))
            .map(|(id, _)| id.clone())
            .collect();
        let mut deferred = Vec::new();
        let defer = self.defer_above.is_some_and(|above| dirty.len() > above);
        if defer && !first && !everything && !changes.is_empty() {
            (deferred, dirty) = dirty.into_iter().partition(PageId::is_listing);
        }
        stats.plan = planned.elapsed();

        let rendering = Instant::now();
        let rendered = site.render(theme, &dirty);
        let redirects = Arc::new(site.redirect_locations());
        self.drawings = site.take_drawings(&self.sources.digests);
        let graph;
        (self.sources.entries, graph) = site.into_entries();
        self.graph = Some((graph_key, graph));
        let rendered = rendered.map_err(|mut errors| {
            errors.extend(diagnostics.iter().cloned());
            diagnostic::sort(&mut errors);
            Failure::Content(errors)
        })?;
        let localized = languages::render(
            self.config,
            &self.sources.library,
            &self.sources.catalog,
            &self.statics.0,
            theme,
            self.options,
        );
        if self.config.is_multilingual() {
            // The theme now speaks the last language: the default is prepared again.
            self.theme_prepared = false;
        }
        let localized = localized.map_err(|mut errors| {
            errors.extend(diagnostics.iter().cloned());
            diagnostic::sort(&mut errors);
            Failure::Content(errors)
        })?;
        if !localized.diagnostics.is_empty() {
            diagnostics.extend(localized.diagnostics);
            diagnostic::sort(&mut diagnostics);
            diagnostics.dedup();
            if diagnostics.iter().any(Diagnostic::is_error) {
                return Err(Failure::Content(diagnostics));
            }
        }
        stats.pages_rendered = rendered.len() + localized.files.len();
        stats.pages = rendering.elapsed();

        let mut fingerprints: HashMap<PageId, u64> = fingerprints.into_iter().collect();
        // A page put off keeps its last fingerprint (or none), so the next rebuild renders it.
        for id in &deferred {
            match self.fingerprints.get(id) {
                Some(&old) => fingerprints.insert(id.clone(), old),
                None => fingerprints.remove(id),
            };
        }
        let mut files = (*self.files).clone();
        let mut changed = Vec::new();
        for id in self.fingerprints.keys() {
            if !fingerprints.contains_key(id) {
                let path = id.output_path();
                if files.remove(&path).is_some() {
                    changed.push(path);
                }
            }
        }
        let statics = self
            .static_pending
            .then(|| site::static_files(self.config, theme, &self.statics.0, self.options));
        if let Some(statics) = &statics {
            // Gone first: a static/robots.txt removed gives way to the generated page.
            let paths: BTreeSet<String> = statics.iter().map(|f| f.path.clone()).collect();
            for gone in self.static_paths.difference(&paths) {
                if files.remove(gone).is_some() {
                    changed.push(gone.clone());
                }
            }
            self.static_paths = paths;
        }
        let language_paths: BTreeSet<String> =
            localized.files.iter().map(|f| f.path.clone()).collect();
        for gone in self.language_paths.difference(&language_paths) {
            if files.remove(gone).is_some() {
                changed.push(gone.clone());
            }
        }
        let mut publish = |path: String, bytes: Vec<u8>| {
            if files.get(&path).is_none_or(|old| old[..] != bytes[..]) {
                files.insert(path.clone(), Bytes::from(bytes));
                changed.push(path);
            }
        };
        for file in rendered {
            publish(file.path, file.bytes);
        }
        for file in localized.files {
            publish(file.path, file.bytes);
        }
        for file in statics.into_iter().flatten() {
            publish(file.path, file.bytes);
        }
        let media = self
            .media
            .update(&self.root, self.config, &self.sources, &mut files)
            .map_err(|err| {
                Failure::Setup(vec![Diagnostic::site_error(format!(
                    "cannot publish the media files: {err}"
                ))])
            })?;
        changed.extend(media.changed);
        diagnostics.extend(media.diagnostics);
        diagnostic::sort(&mut diagnostics);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Failure::Content(diagnostics));
        }
        self.static_pending = false;
        changed.sort();
        changed.dedup();
        self.fingerprints = fingerprints;
        self.files = Arc::new(files);
        self.language_paths = language_paths;
        self.language_search = localized.search;
        stats.total = started.elapsed();
        Ok(Update {
            files: Arc::clone(&self.files),
            changed,
            redirects,
            warnings: diagnostics,
            stats,
            deferred: deferred.len(),
        })
    }
}
