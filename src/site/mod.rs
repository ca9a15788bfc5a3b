//! Site: every page, listing, back-link, sitemap and feed, from rendered content.

mod cards;
pub mod context;
mod decision;
pub mod eject;
mod entries;
mod feeds;
mod fingerprint;
mod graph;
mod guide_steps;
mod guided;
mod languages;
mod page_id;
mod pages;
mod pagination;
mod published;
mod redirects;
mod reuse;
mod sinks;
mod statics;
mod structured;
pub mod theme;

use std::sync::OnceLock;

use crate::config::Config;
use crate::content::{Article, Library, Located, PageDate, Risk};
use crate::diagnostic::Diagnostic;
use crate::render::{Bodies, html_escape};
pub use cards::Drawings;
use cards::{Drawn, DrawnCards, unset};
use context::{
    ArticleRef, Crumb, FixCard, PageMeta, PlatformRef, RiskGroup, SiteContext, StatusRef,
};
pub use entries::{Entries, article_entry, fix_entry, status_entry};
use entries::{article_description, platform_ref, platform_refs};
pub use fingerprint::{ItemDigests, digest, item_digest};
pub use graph::Graph;
pub use languages::{Alternate, alternates, language_config};
pub use page_id::{PageId, SEARCH_BUNDLE_DIR, STATUS_INDEX_PATH};
pub use published::{MAX_SITEMAP_BYTES, unpublished};
pub use redirects::{Redirect, Redirects};
pub use reuse::{PageReuse, WrittenPage};
pub use sinks::{Collect, Counted, Discard, InFolder, Listed, OutputFile, Sink};
pub use statics::{
    LIVE_RELOAD_ASSET, NO_STATIC_FILES, StaticFiles, THEME_CSS_ASSET, static_files, theme_css,
};
use theme::Theme;

/// Why generating into a [`Sink`] failed.
#[derive(Debug)]
pub enum GenerateError {
    /// Pages that could not be rendered (template errors), every one of them.
    Content(Vec<Diagnostic>),
    /// The sink could not take a file.
    Write(std::io::Error),
}

/// Options that change what is generated, not what is validated.
#[derive(Debug, Clone, Copy, Default)]
pub struct SiteOptions {
    /// Adds the live-reload script (only under `fixbook serve`).
    pub live_reload: bool,
}

/// Longest description derived from a first paragraph, in characters.
const DESCRIPTION_CHARS: usize = 160;

/// Everything page generation reads, computed once.
pub struct Site<'a> {
    config: &'a Config,
    library: &'a Library,
    bodies: &'a Bodies,
    statics: &'a StaticFiles,
    media: &'a crate::media::Catalog,
    graph: Graph,
    redirects: Redirects,
    article_refs: Vec<ArticleRef>,
    status_refs: Vec<StatusRef>,
    fix_cards: Vec<FixCard>,
    /// The entries as template values with their drawings (see [`Drawing`]), each made
    /// on first use and then shared by every page that shows it: a template value clones
    /// by reference count, not by copy. Of articles, only the drawings are kept.
    article_values: Vec<OnceLock<DrawnCards>>,
    status_values: Vec<OnceLock<Drawn>>,
    fix_values: Vec<OnceLock<Drawn>>,
    /// The theme's words in the pages' language, from [`Site::prepare`].
    words: OnceLock<std::collections::BTreeMap<String, String>>,
    /// Each fix's steps in guides, per platform (first without one, then in the order of
    /// fixbook.toml), each made on first use.
    guide_steps: Vec<Vec<OnceLock<String>>>,
    /// The previous build's pages, when unchanged pages may be kept (see [`PageReuse`]).
    reuse: Option<&'a PageReuse>,
}

impl<'a> Site<'a> {
    /// Prepares the shared lists and back-links.
    pub fn new(config: &'a Config, library: &'a Library, bodies: &'a Bodies) -> Self {
        Self::with_entries(
            config,
            library,
            bodies,
            Entries::new(config, library, bodies),
            Graph::new(library),
        )
    }

    /// Like [`Site::new`], with the items' entries and the back-links already made
    /// (incremental rebuilds keep them between builds); they must be those
    /// [`Entries::new`] and [`Graph::new`] would make.
    pub fn with_entries(
        config: &'a Config,
        library: &'a Library,
        bodies: &'a Bodies,
        entries: Entries,
        graph: Graph,
    ) -> Self {
        Site {
            config,
            library,
            bodies,
            statics: &NO_STATIC_FILES,
            media: &crate::media::NO_MEDIA,
            graph,
            redirects: Redirects::new(library),
            article_values: unset(entries.articles.len()),
            status_values: unset(entries.statuses.len()),
            fix_values: unset(entries.fixes.len()),
            guide_steps: (0..entries.fixes.len())
                .map(|_| {
                    (0..=config.platforms.len())
                        .map(|_| OnceLock::new())
                        .collect()
                })
                .collect(),
            article_refs: entries.articles,
            status_refs: entries.statuses,
            fix_cards: entries.fixes,
            words: OnceLock::new(),
            reuse: None,
        }
    }

    /// Keeps the pages whose fingerprint `reuse` knows from the previous build, when the
    /// sink can keep their files, instead of rendering them; notes every page in it.
    #[must_use]
    pub fn with_reuse(mut self, reuse: &'a PageReuse) -> Self {
        self.reuse = Some(reuse);
        self
    }

    /// The site's `static/` files, copied to the output's root (none unless given).
    #[must_use]
    pub fn with_static_files(mut self, statics: &'a StaticFiles) -> Self {
        self.statics = statics;
        self
    }

    /// The site's probed media files, which articles' `thumbnail` may name.
    pub fn with_media(mut self, media: &'a crate::media::Catalog) -> Self {
        self.media = media;
        self
    }

    /// The absolute URL of an article's social image, or "".
    fn social_image(&self, article: &crate::content::Article) -> String {
        let Some(thumbnail) = &article.thumbnail else {
            return String::new();
        };
        if !crate::media::is_file_reference(&thumbnail.value) {
            return thumbnail.value.clone();
        }
        match self.media.resolve(&article.source.path, &thumbnail.value) {
            crate::media::Resolved::Found(media) => media
                .social()
                .map(|v| self.config.absolute_url(&v.path))
                .unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// Gives the entries and the back-links back, for the next rebuild.
    pub fn into_entries(self) -> (Entries, Graph) {
        let entries = Entries {
            articles: self.article_refs,
            statuses: self.status_refs,
            fixes: self.fix_cards,
        };
        (entries, self.graph)
    }

    /// Renders every page and companion file.
    pub fn generate(
        &self,
        theme: &mut Theme,
        options: SiteOptions,
    ) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let collected = Collect::default();
        match self.generate_into(theme, options, &collected) {
            Ok(()) => Ok(collected.into_sorted()),
            Err(GenerateError::Content(errors)) => Err(errors),
            Err(GenerateError::Write(err)) => Err(vec![Diagnostic::site_error(err.to_string())]),
        }
    }

    /// Renders every page and companion file into `sink`, each as soon as it is ready.
    pub fn generate_into(
        &self,
        theme: &mut Theme,
        options: SiteOptions,
        sink: &dyn Sink,
    ) -> Result<(), GenerateError> {
        self.prepare(theme, options);
        let ids = self.page_ids();
        if !self.is_default_language() {
            // The theme's and the site's static files are the root's; the pages go into
            // the language's folder.
            let dir = PageId::language_dir(self.config, &self.config.language);
            return pages::render_into(self, theme, &ids, &sinks::InFolder::new(sink, dir));
        }
        let collisions = self.collisions(theme, &ids, options);
        if !collisions.is_empty() {
            return Err(GenerateError::Content(collisions));
        }
        for file in static_files(self.config, theme, self.statics, options) {
            sink.put(file).map_err(GenerateError::Write)?;
        }
        pages::render_into(self, theme, &ids, sink)
    }

    /// Files the site cannot have at once, as errors: `static/` files at paths fixbook
    /// generates, and old addresses (`aliases:`) that collide with a file or each other.
    pub fn collisions(
        &self,
        theme: &Theme,
        ids: &[PageId],
        options: SiteOptions,
    ) -> Vec<Diagnostic> {
        let generated = statics::generated(self.config, theme, options);
        // A static file at an old address is reported once, at the alias.
        let pages: Vec<PageId> = ids
            .iter()
            .filter(|id| !matches!(id, PageId::Redirect(_)))
            .cloned()
            .collect();
        let mut found = self.statics.collisions(&pages, &generated);
        if self.redirects.unique().next().is_some() {
            let taken = redirects::Owners::new(self.library, &pages, &generated, self.statics);
            let search_dir = format!("{SEARCH_BUNDLE_DIR}/");
            found.extend(self.redirects.collisions(&taken, &[search_dir.as_str()]));
        }
        found
    }

    /// Request paths under the base that lead to an old address → where to send them
    /// (see [`Redirects::locations`]).
    pub fn redirect_locations(&self) -> std::collections::BTreeMap<String, String> {
        self.redirects.locations(self.config)
    }

    /// Gives the theme the `site` value every template sees; call before [`Site::render`].
    pub fn prepare(&self, theme: &mut Theme, options: SiteOptions) {
        theme.set_language(&self.config.language);
        self.use_words(theme);
        theme.set_global("site", &self.site_context(options));
        theme.set_asset_base(&self.config.root_path);
    }

    /// Every page of the site: home and lists, then one per article, fix, status message,
    /// platform and tag, then the sitemap, feed and robots.txt.
    pub fn page_ids(&self) -> Vec<PageId> {
        let library = self.library;
        let mut ids = vec![
            PageId::Home,
            PageId::FixList,
            PageId::StatusIndex,
            PageId::PlatformList,
            PageId::TagList,
            PageId::Search,
            PageId::NotFound,
        ];
        let pages = |len: usize| 1..=pagination::page_count(len, self.config.paginate_by);
        ids.extend(pages(library.articles.len()).map(PageId::ArticleList));
        ids.extend(
            library
                .articles
                .iter()
                .map(|a| PageId::Article(a.slug.clone())),
        );
        ids.extend(library.fixes.iter().map(|f| PageId::Fix(f.slug.clone())));
        ids.extend(
            library
                .statuses
                .iter()
                .map(|s| PageId::Status(s.slug.clone())),
        );
        ids.extend(
            library
                .articles
                .iter()
                .enumerate()
                .filter(|(i, _)| self.has_guide(*i))
                .map(|(_, a)| PageId::ArticleGuide(a.slug.clone())),
        );
        if !library.guides.is_empty() {
            ids.push(PageId::GuideList);
        }
        ids.extend(library.guides.iter().map(|g| PageId::Guide(g.slug.clone())));
        for platform in &self.config.platforms {
            let members = self
                .graph
                .platform_articles
                .get(&platform.key)
                .map_or(0, Vec::len);
            ids.extend(pages(members).map(|n| PageId::Platform(platform.key.clone(), n)));
        }
        for (slug, (_, members)) in &self.graph.tags {
            ids.extend(pages(members.len()).map(|n| PageId::Tag(slug.clone(), n)));
        }
        ids.extend(
            self.redirects
                .unique()
                .map(|r| PageId::Redirect(r.from.clone())),
        );
        ids.extend(
            self.config
                .redirects
                .iter()
                .map(|f| PageId::RedirectRules(*f)),
        );
        ids.extend([PageId::Sitemap, PageId::Feed]);
        // A site's own static/robots.txt replaces the generated one.
        if !self.statics.contains("robots.txt") {
            ids.push(PageId::Robots);
        }
        if !self.is_default_language() {
            ids.retain(|id| !id.is_site_wide());
        }
        ids
    }

    /// Renders the given pages in parallel (the theme must be [prepared](Site::prepare)).
    pub fn render(
        &self,
        theme: &Theme,
        ids: &[PageId],
    ) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        pages::render(self, theme, ids)
    }

    fn site_context(&self, options: SiteOptions) -> SiteContext {
        let config = self.config;
        SiteContext {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            dir: config.direction().as_str(),
            root_path: config.root_path.clone(),
            languages: self.language_refs(),
            // English pages of a one-language site keep search.js's own (English) words.
            words_json: if config.is_multilingual() || !config.language.starts_with("en") {
                self.search_words_json()
            } else {
                String::new()
            },
            base_url: config.base_url.clone(),
            base_path: config.base_path.clone(),
            platforms: config
                .platforms
                .iter()
                .map(|p| self.platform_ref(&p.key))
                .collect(),
            generator: format!("fixbook {}", env!("CARGO_PKG_VERSION")),
            live_reload: options.live_reload,
            csp: content_security_policy(config),
            theme: context::ThemeContext::new(config),
        }
    }

    fn platform_ref(&self, key: &str) -> PlatformRef {
        platform_ref(self.config, key)
    }

    fn platform_refs(&self, keys: &[Located<String>]) -> Vec<PlatformRef> {
        platform_refs(self.config, keys)
    }

    fn article_description(&self, index: usize, article: &Article) -> String {
        article_description(article, &self.bodies.articles[index])
    }

    /// The fixes at `indices` (into the library's fixes), grouped low → medium → high,
    /// keeping the given order inside a group.
    fn risk_groups(&self, theme: &Theme, indices: &[usize]) -> Result<Vec<RiskGroup>, Diagnostic> {
        let mut groups = Vec::new();
        for risk in Risk::ALL {
            let fixes = indices
                .iter()
                .filter(|&&i| self.library.fixes[i].risk.value == risk)
                .map(|&i| self.fix_value(theme, i))
                .collect::<Result<Vec<_>, _>>()?;
            if !fixes.is_empty() {
                groups.push(RiskGroup {
                    risk: risk.key(),
                    label: risk.label(),
                    fixes,
                });
            }
        }
        Ok(groups)
    }

    fn edit_url(&self, path: &std::path::Path) -> String {
        self.config
            .edit_url
            .as_ref()
            .map(|template| template.replace("{path}", &path.to_string_lossy().replace('\\', "/")))
            .unwrap_or_default()
    }

    fn meta(
        &self,
        id: &PageId,
        title: &str,
        description: &str,
        trail: &[(&str, &str)],
    ) -> PageMeta {
        let path = &id.url_path();
        let kind = id.kind();
        let mut breadcrumbs = vec![Crumb {
            title: self.word("home"),
            url: self.config.url(""),
        }];
        breadcrumbs.extend(trail.iter().map(|(title, path)| Crumb {
            title: (*title).to_owned(),
            url: self.config.url(path),
        }));
        PageMeta {
            kind,
            title: title.to_owned(),
            description: description.to_owned(),
            url: self.config.url(path),
            canonical: self.config.absolute_url(path),
            breadcrumbs,
            json_ld: String::new(),
            social_image: String::new(),
            prev: String::new(),
            next: String::new(),
            alternates: alternates(self.config, id, &self.config.language),
            content_lang: String::new(),
            content_dir: "",
            untranslated: false,
        }
    }
}

/// The date readers care about: the last update, else publication.
fn last_change(article: &Article) -> PageDate {
    article.updated.unwrap_or(article.date)
}

/// The page's Content-Security-Policy: everything from the site itself, images also from
/// the hosts the config allows.
fn content_security_policy(config: &Config) -> String {
    let mut img = String::from("'self' data:");
    for host in &config.allowed_image_hosts {
        img.push_str(" https://");
        img.push_str(host);
    }
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src {img}; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
    )
}

/// The first `n` of the indices `0..len` in the order `cmp` gives, ties in index order:
/// what a stable sort and a cut give, in linear time (lists pick a dozen of 10,000).
fn first_by(len: usize, n: usize, cmp: impl Fn(usize, usize) -> std::cmp::Ordering) -> Vec<usize> {
    let total = |a: &usize, b: &usize| cmp(*a, *b).then(a.cmp(b));
    let mut order: Vec<usize> = (0..len).collect();
    if n < len {
        order.select_nth_unstable_by(n, total);
        order.truncate(n);
    }
    order.sort_unstable_by(total);
    order
}

/// Cuts text at a word boundary, adding an ellipsis when something was cut.
fn truncate_words(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// Escapes text for XML documents (sitemap, feed).
fn xml_escape(text: &str) -> String {
    html_escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which variant a page id is, by an exhaustive match: a new kind of page does not
    /// compile here until it is counted, and the test below then asks `page_ids` for it.
    fn variant(id: &PageId) -> usize {
        match id {
            PageId::Home => 0,
            PageId::ArticleList(_) => 1,
            PageId::FixList => 2,
            PageId::StatusIndex => 3,
            PageId::PlatformList => 4,
            PageId::TagList => 5,
            PageId::Search => 6,
            PageId::NotFound => 7,
            PageId::Article(_) => 8,
            PageId::Fix(_) => 9,
            PageId::Status(_) => 10,
            PageId::Platform(..) => 11,
            PageId::Tag(..) => 12,
            PageId::Redirect(_) => 13,
            PageId::RedirectRules(_) => 14,
            PageId::Sitemap => 15,
            PageId::Feed => 16,
            PageId::Robots => 17,
            PageId::ArticleGuide(_) => 18,
            PageId::GuideList => 19,
            PageId::Guide(_) => 20,
        }
    }

    #[test]
    fn every_kind_of_page_is_built_and_each_has_its_own_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let analyzed = crate::analyze(root).unwrap_or_else(|f| panic!("{:?}", f.diagnostics()));
        let site = Site::new(&analyzed.config, &analyzed.library, &analyzed.bodies);
        let ids = site.page_ids();
        let mut seen = [false; 21];
        for id in &ids {
            seen[variant(id)] = true;
        }
        assert!(
            seen.iter().all(|s| *s),
            "page_ids leaves out a kind of page: {seen:?}"
        );
        let files: std::collections::HashSet<String> =
            ids.iter().map(PageId::output_path).collect();
        assert_eq!(files.len(), ids.len(), "two pages share a file");
        for id in &ids {
            let url = id.url_path();
            let file = id.output_path();
            assert!(
                file == url || file == format!("{url}index.html"),
                "{id:?}: {url} and {file} disagree"
            );
        }
    }

    #[test]
    fn first_by_equals_a_stable_sort_and_a_cut() {
        let keys = [3, 1, 2, 1, 3, 0, 2, 1];
        for n in 0..=keys.len() + 1 {
            let mut sorted: Vec<usize> = (0..keys.len()).collect();
            sorted.sort_by_key(|&i| keys[i]);
            sorted.truncate(n);
            assert_eq!(
                first_by(keys.len(), n, |a, b| keys[a].cmp(&keys[b])),
                sorted
            );
        }
    }

    #[test]
    fn truncation_keeps_whole_words() {
        assert_eq!(truncate_words("one two three", 9), "one two…");
        assert_eq!(truncate_words("short", 9), "short");
    }
}
