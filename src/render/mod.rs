//! Render: Markdown → sanitized HTML, with heading anchors, a table of contents,
//! callouts, highlighted code, checked internal links and per-platform tabs.

mod anchors;
mod canonical;
mod highlight;
mod markdown;
mod media;
mod packed;
pub use media::{check_media, media_in_use};
pub use packed::{Packed, Spill};
mod platform_tabs;
mod raw_html;
pub mod sanitize;
mod source_map;
mod trust;

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

pub use anchors::check_anchors;
pub use highlight::{html_escape, stylesheets};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::content::{Kind, Library, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::line_col;
use platform_tabs::Segment;

/// One entry of a page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// The heading's anchor id.
    pub id: String,
    /// The heading's text.
    pub title: String,
}

/// A rendered body. Serialized only into the build cache (see `incremental::stored`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedBody {
    /// Sanitized HTML, plus the trusted tab markup around per-platform panels; packed, as
    /// it is kept for the whole build and read by the page that shows it.
    pub html: Packed,
    /// The level-2 and level-3 headings outside tab panels.
    pub toc: Vec<TocEntry>,
    /// The text without markup or code, for search (packed, like `html`).
    pub text: Packed,
    /// The text of the first paragraph, for descriptions.
    pub summary: String,
    /// Every element id of the body's HTML: what links to its headings may name.
    pub ids: Vec<String>,
    /// Its links to headings, of this page or another.
    pub anchors: Vec<Anchor>,
    /// The media files it shows or links to, from the site root, sorted; references to
    /// files that do not exist (yet) included.
    pub media: Vec<PathBuf>,
    /// Its links to other sites, as the page keeps them, in the order written.
    pub external_links: Vec<ExternalLink>,
}

/// A link to another site, where it is written in the content file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ExternalLink {
    /// The address as written (`https://support.example.com/kb/1`).
    pub url: String,
    /// The line of the link in the file.
    pub line: usize,
    /// Its column.
    pub column: usize,
}

/// A link to a heading: `#id` on the same page, or `other.md#id`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Anchor {
    /// The content file linked to, from the site root (`content/status/paused.md`).
    pub target: PathBuf,
    /// The id after `#`.
    pub fragment: String,
    /// Where the link is written.
    pub line: usize,
    /// Its column.
    pub column: usize,
}

/// Where every content file's page lives, to rewrite `../fixes/x.md` links.
#[derive(Debug, Clone, Default)]
pub struct LinkMap {
    /// Hashed, not ordered: `fixbook serve` makes the map again whenever a file is added
    /// or removed, and ordering 10,000 paths by their components took 20 ms of that.
    urls: foldhash::HashMap<PathBuf, String>,
}

impl LinkMap {
    /// Maps each content file of the library to its page URL.
    pub fn new(config: &Config, library: &Library) -> Self {
        let items: Vec<(Kind, &SourceFile, &str)> = library.items().collect();
        // Made in parallel and gathered in this order, so a later name wins as it would
        // one by one.
        let urls = items
            .par_iter()
            .flat_map_iter(|&(kind, source, slug)| {
                let url = config.url(&kind.page_path(slug));
                // A translation links to its language's pages by the originals' names too.
                let original = source
                    .lang
                    .as_ref()
                    .and_then(|code| {
                        let name = source.path.file_name()?.to_str()?;
                        name.strip_suffix(&format!(".{code}.md"))
                    })
                    .map(|stem| {
                        let path = normalize(&source.path.with_file_name(format!("{stem}.md")));
                        (path, url.clone())
                    });
                original.into_iter().chain([(normalize(&source.path), url)])
            })
            .collect();
        Self { urls }
    }

    /// Every content file links may name, from the site root, in order.
    pub fn targets(&self) -> Vec<&Path> {
        let mut targets: Vec<&Path> = self.urls.keys().map(PathBuf::as_path).collect();
        targets.sort_unstable();
        targets
    }

    fn resolve(&self, from: &Path, target: &str) -> Option<&str> {
        self.urls.get(&Self::key(from, target)).map(String::as_str)
    }

    /// The content file a link `target` written in `from` names, as a path from the root.
    fn key(from: &Path, target: &str) -> PathBuf {
        normalize(&from.parent().unwrap_or(Path::new("")).join(target))
    }

    /// The closest existing file in the folder the link points into, as a link would name it.
    fn nearest(&self, from: &Path, target: &str) -> Option<String> {
        let wanted = normalize(&from.parent().unwrap_or(Path::new("")).join(target));
        let stem = wanted.file_stem()?.to_string_lossy().into_owned();
        let mut siblings: Vec<&PathBuf> = self
            .urls
            .keys()
            .filter(|p| p.parent() == wanted.parent())
            .collect();
        // Of equally close names, the first by file name is suggested, whatever the hash.
        siblings.sort_unstable();
        let stems: Vec<String> = siblings
            .iter()
            .filter_map(|p| p.file_stem().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let best = crate::diagnostic::nearest(&stem, stems.iter().map(String::as_str))?;
        let replaced = target.rsplit_once('/').map_or_else(
            || format!("{best}.md"),
            |(dir, _)| format!("{dir}/{best}.md"),
        );
        Some(replaced)
    }
}

/// Resolves `.` and `..` lexically; content links never go through the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(part) => out.push(part),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    out
}

/// Everything rendering needs that stays the same for the whole build.
pub struct Renderer<'a> {
    config: &'a Config,
    media: crate::media::Catalog,
    links: LinkMap,
    highlighter: highlight::Highlighter,
    sanitizer: sanitize::Sanitizer,
    /// Where a one-shot build lets go of each body's packed texts once rendered.
    spill: Option<std::sync::Arc<Spill>>,
    /// Whether [`render_library`] lets go of each item's Markdown once its body is made.
    release_markdown: bool,
}

impl<'a> Renderer<'a> {
    /// Loads the syntax definitions and the sanitizer policy once.
    pub fn new(config: &'a Config, library: &Library) -> Self {
        Self {
            config,
            media: crate::media::Catalog::default(),
            links: LinkMap::new(config, library),
            highlighter: highlight::Highlighter::default(),
            sanitizer: sanitize::Sanitizer::new(config),
            spill: None,
            release_markdown: false,
        }
    }

    /// Makes [`render_library`] let go of each item's Markdown (paths and positions stay)
    /// once its body is rendered or recalled, when nothing will read it again: a one-shot
    /// build of 100,000 articles would otherwise hold 300 MB of Markdown while rendering.
    pub fn releasing_markdown(mut self, release: bool) -> Self {
        self.release_markdown = release;
        self
    }

    /// Writes each body [`render_library`] renders or recalls out to `spill` (see
    /// [`Spill::take`]).
    pub fn with_spill(mut self, spill: Option<std::sync::Arc<Spill>>) -> Self {
        self.spill = spill;
        self
    }

    /// The site's probed media files, which bodies show and link to.
    pub fn with_media(mut self, media: crate::media::Catalog) -> Self {
        self.media = media;
        self
    }

    /// Works out again where links to content files lead, after files were added or
    /// removed; the syntaxes and the sanitizer stay as they are.
    pub fn set_links(&mut self, config: &Config, library: &Library) {
        self.links = LinkMap::new(config, library);
    }

    /// Where links to content files lead.
    pub fn links(&self) -> &LinkMap {
        &self.links
    }

    /// The media files bodies are checked against.
    pub fn media(&self) -> &crate::media::Catalog {
        &self.media
    }

    /// Replaces the media files bodies are checked against (after media files changed).
    pub fn set_media(&mut self, media: crate::media::Catalog) {
        self.media = media;
    }

    /// Gives the media files back.
    pub fn into_media(self) -> crate::media::Catalog {
        self.media
    }

    /// Renders one content file's body. `id_prefix` makes tab ids unique on pages that
    /// show several bodies.
    pub fn render(&self, source: &SourceFile, id_prefix: &str) -> (RenderedBody, Vec<Diagnostic>) {
        let mut state = markdown::BodyState::new(source);
        let segments = match platform_tabs::segments(&source.body) {
            Ok(segments) => segments,
            Err(err) => {
                state.diagnostics.push(
                    Diagnostic::error(&source.path, source.body_line + err.line, 1, err.message)
                        .with_hint(err.hint),
                );
                vec![Segment::Common {
                    text: &source.body,
                    line: 0,
                }]
            }
        };
        let mut html = String::with_capacity(source.body.len() * 2);
        let mut tab_group = 0;
        for segment in segments {
            match segment {
                Segment::Common { text, line } => {
                    html.push_str(&self.markdown(text, line, true, &mut state));
                }
                Segment::Tabs(panels) => {
                    let rendered: Vec<(Vec<String>, String)> = panels
                        .iter()
                        .map(|panel| {
                            let keys = self.check_platforms(source, panel, &mut state.diagnostics);
                            (
                                keys,
                                self.markdown(panel.text, panel.line, false, &mut state),
                            )
                        })
                        .collect();
                    html.push_str(&self.tabs(&format!("{id_prefix}-{tab_group}"), &rendered));
                    tab_group += 1;
                }
            }
        }
        // A heading the sanitizer took out (inside an element it removed) is not linked to.
        let mut toc = state.toc;
        toc.retain(|entry| html.contains(&format!("id=\"{}\"", html_escape(&entry.id))));
        let ids = element_ids(&html);
        let body = RenderedBody {
            ids,
            anchors: std::mem::take(&mut state.anchors),
            external_links: std::mem::take(&mut state.external_links),
            html: Packed::new(&html),
            toc,
            text: Packed::new(state.text.trim()),
            summary: state.summary.unwrap_or_default(),
            media: {
                let mut media = std::mem::take(&mut state.media);
                media.sort();
                media.dedup();
                media
            },
        };
        (body, state.diagnostics)
    }

    fn markdown(
        &self,
        text: &str,
        first_line: usize,
        in_toc: bool,
        state: &mut markdown::BodyState<'_>,
    ) -> String {
        let raw = markdown::to_html(self, text, first_line, in_toc, state);
        if raw.trusted {
            return canonical::canonical(&raw.html);
        }
        if raw.refused {
            // The build fails on the error; parsing would only cost the time it warns of.
            return String::new();
        }
        let cleaned = self.sanitizer.clean(&raw.html);
        let source = state.source;
        // Line starts, so that thousands of removals in a big paste stay cheap to locate.
        let mut line_starts: Vec<usize> = Vec::new();
        let mut locate = |offset: usize| {
            if line_starts.is_empty() {
                line_starts = std::iter::once(0)
                    .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                    .collect();
            }
            let offset = offset.min(text.len());
            let line = line_starts.partition_point(|&start| start <= offset);
            let start = line_starts[line - 1];
            let column = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
            (source.body_line + first_line + line - 1, column)
        };
        let shown = |offset: usize| raw.unclosed.is_none_or(|unclosed| offset < unclosed);
        for (offset, url) in &cleaned.external_links {
            let offset = raw.map.source(*offset);
            if shown(offset) {
                let (line, column) = locate(offset);
                state.external_links.push(ExternalLink {
                    url: url.trim().to_owned(),
                    line,
                    column,
                });
            }
        }
        let mut report = |offset: usize, removed: &sanitize::Removed| {
            let (line, column) = locate(offset);
            state
                .diagnostics
                .push(removed.warning(&source.path, line, column));
        };
        for block in &raw.ads.blocks {
            let lines = text[block.clone()].trim_end().matches('\n').count();
            report(block.start, &sanitize::Removed::AdBlock { lines });
        }
        for begin in &raw.ads.unclosed {
            report(begin.start, &sanitize::Removed::UnclosedAdBlock);
        }
        for (offset, removed) in &cleaned.removals {
            let offset = raw.map.source(*offset);
            if shown(offset) {
                report(offset, removed);
            }
        }
        cleaned.html
    }

    fn check_platforms(
        &self,
        source: &SourceFile,
        panel: &platform_tabs::Panel<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<String> {
        let line = source.body_line + panel.line - 1;
        diagnostics.extend(panel.platforms.iter().filter_map(|platform| {
            self.config
                .unknown_platform(&source.path, line, platform.column, &platform.value)
        }));
        panel.platforms.iter().map(|p| p.value.clone()).collect()
    }

    /// The trusted markup around per-platform panels; the panels are already sanitized.
    fn tabs(&self, id: &str, panels: &[(Vec<String>, String)]) -> String {
        let label = |keys: &[String]| {
            let labels: Vec<&str> = keys
                .iter()
                .map(|k| {
                    self.config
                        .platform(k)
                        .map_or(k.as_str(), |p| p.label.as_str())
                })
                .collect();
            html_escape(&join_labels(&labels))
        };
        let mut out = String::from(
            "<div class=\"platform-tabs\" data-platform-tabs>\n<div class=\"tab-list\" role=\"tablist\" aria-label=\"Steps for your platform\">\n",
        );
        for (i, (keys, _)) in panels.iter().enumerate() {
            let selected = i == 0;
            out.push_str(&format!(
                "<button type=\"button\" role=\"tab\" id=\"{id}-tab-{i}\" aria-controls=\"{id}-panel-{i}\" aria-selected=\"{selected}\" tabindex=\"{}\" data-platforms=\"{}\">{}</button>\n",
                if selected { 0 } else { -1 },
                html_escape(&keys.join(" ")),
                label(keys)
            ));
        }
        out.push_str("</div>\n");
        for (i, (keys, html)) in panels.iter().enumerate() {
            out.push_str(&format!(
                "<section class=\"tab-panel\" role=\"tabpanel\" id=\"{id}-panel-{i}\" aria-labelledby=\"{id}-tab-{i}\" data-platforms=\"{}\">\n<h4 class=\"tab-panel-title\">{}</h4>\n{html}</section>\n",
                html_escape(&keys.join(" ")),
                label(keys)
            ));
        }
        out.push_str("</div>\n");
        out
    }
}

/// "iPhone", "iPhone & iPad", "iPhone, iPad & Mac".
fn join_labels(labels: &[&str]) -> String {
    match labels {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} & {last}", init.join(", ")),
    }
}

/// Makes heading ids unique within a page: `steps`, `steps-1`, `steps-2`.
fn unique_id(ids: &mut HashSet<String>, wanted: &str) -> String {
    let base = if wanted.is_empty() {
        "section".to_owned()
    } else {
        wanted.to_owned()
    };
    let mut candidate = base.clone();
    let mut n = 1;
    while !ids.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// The file position of a byte offset in a segment of the body.
fn position(
    source: &SourceFile,
    segment: &str,
    first_line: usize,
    offset: usize,
) -> (usize, usize) {
    let (line, column) = line_col(segment, offset);
    (source.body_line + first_line + line - 1, column)
}

#[cfg(test)]
mod tests;

/// The rendered bodies of a whole library, index-aligned with its lists.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    /// One per article.
    pub articles: Vec<RenderedBody>,
    /// One per fix.
    pub fixes: Vec<RenderedBody>,
    /// One per status message.
    pub statuses: Vec<RenderedBody>,
}

/// Bodies rendered by an earlier build, which a build may take instead of rendering them.
pub trait BodyMemory: Sync {
    /// The body of `source` (rendered with `id_prefix`) as this renderer would render it,
    /// if it is known, rendered without any diagnostic.
    fn recall(&self, source: &SourceFile, id_prefix: &str) -> Option<RenderedBody>;

    /// Told of every body rendered without a diagnostic.
    fn rendered_clean(&self, source: &SourceFile, id_prefix: &str);
}

/// Renders every body in parallel, collecting all diagnostics.
pub fn render_library(renderer: &Renderer<'_>, library: &mut Library) -> (Bodies, Vec<Diagnostic>) {
    struct Nothing;
    impl BodyMemory for Nothing {
        fn recall(&self, _: &SourceFile, _: &str) -> Option<RenderedBody> {
            None
        }
        fn rendered_clean(&self, _: &SourceFile, _: &str) {}
    }
    render_library_with(renderer, library, &Nothing)
}

/// [`render_library`], taking from `memory` the bodies it knows.
pub fn render_library_with(
    renderer: &Renderer<'_>,
    library: &mut Library,
    memory: &dyn BodyMemory,
) -> (Bodies, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let run = |sources: Vec<(&mut SourceFile, &str)>| -> Vec<(RenderedBody, Vec<Diagnostic>)> {
        sources
            .into_par_iter()
            .map(|(source, slug)| {
                let made = recall_or_render(renderer, memory, source, slug);
                if renderer.release_markdown {
                    source.body = String::new();
                }
                made
            })
            .collect()
    };
    let articles = run(library
        .articles
        .iter_mut()
        .map(|a| (&mut a.source, a.slug.as_str()))
        .collect());
    let fixes = run(library
        .fixes
        .iter_mut()
        .map(|f| (&mut f.source, f.slug.as_str()))
        .collect());
    let statuses = run(library
        .statuses
        .iter_mut()
        .map(|s| (&mut s.source, s.slug.as_str()))
        .collect());
    let mut diagnostics = Vec::new();
    let mut unzip = |results: Vec<(RenderedBody, Vec<Diagnostic>)>| {
        results
            .into_iter()
            .map(|(body, mut found)| {
                diagnostics.append(&mut found);
                body
            })
            .collect::<Vec<_>>()
    };
    let bodies = Bodies {
        articles: unzip(articles),
        fixes: unzip(fixes),
        statuses: unzip(statuses),
    };
    (bodies, diagnostics)
}

/// The body of `source` from `memory`, else rendered (and told to `memory` when clean),
/// with its packed texts written to the renderer's spill file, if any.
fn recall_or_render(
    renderer: &Renderer<'_>,
    memory: &dyn BodyMemory,
    source: &SourceFile,
    slug: &str,
) -> (RenderedBody, Vec<Diagnostic>) {
    let (mut body, found) = match memory.recall(source, slug) {
        Some(body) => (body, Vec::new()),
        None => {
            let (body, found) = renderer.render(source, slug);
            if found.is_empty() {
                memory.rendered_clean(source, slug);
            }
            (body, found)
        }
    };
    if let Some(spill) = &renderer.spill {
        spill.take(&mut body.html);
        spill.take(&mut body.text);
    }
    (body, found)
}

/// The values of every `id="…"` in sanitized HTML (whose attributes are always quoted).
fn element_ids(html: &str) -> Vec<String> {
    html.match_indices(" id=\"")
        .filter_map(|(at, found)| {
            let rest = &html[at + found.len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .collect()
}
