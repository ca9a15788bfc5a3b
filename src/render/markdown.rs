//! The Markdown event pass: headings, callouts, code, links and plain text.

use std::collections::HashSet;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::raw_html::RawHtmlScan;
use super::sanitize::ads::AdBlocks;
use super::source_map::{Origin, SourceMap, render_tracked};
use super::trust::Trust;
use super::{Renderer, TocEntry, html_escape, position, unique_id};
use crate::content::SourceFile;
use crate::diagnostic::Diagnostic;

/// The most footnote references plus definitions one segment may have. Each costs the
/// sanitizer about 4 KB, so that 300,000 of them took over a gigabyte; the most-cited
/// encyclopedia articles have about a thousand.
pub(super) const MAX_FOOTNOTES: usize = 5_000;

/// What one body accumulates across its segments.
pub(super) struct BodyState<'s> {
    pub source: &'s SourceFile,
    pub ids: HashSet<String>,
    pub toc: Vec<TocEntry>,
    pub text: String,
    pub summary: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Links to a heading (`#id`, `other.md#id`), checked once every page is rendered.
    pub anchors: Vec<super::Anchor>,
    /// The media files it shows or links to, from the site root.
    pub media: Vec<std::path::PathBuf>,
    /// How many images it shows so far.
    pub images: usize,
    /// Links to other sites, for `check --external`.
    pub external_links: Vec<super::ExternalLink>,
}

/// Element ids the built-in theme puts on pages around the body; body headings that would
/// take one of them get a numbered id instead, so every id on a page stays unique.
pub(super) const THEME_IDS: &[&str] = &[
    "by-platform",
    "by-topic",
    "fixes",
    "fixes-these-problems",
    "fixes-to-try",
    "hero-title",
    "home-search",
    "main",
    "messages",
    "not-found-search",
    "problems",
    "problems-that-show-it",
    "recommended-for",
    "related-problems",
    "search-page-input",
    "search-platform",
    "search-results",
    "site-search",
    "status-az",
    "status-messages",
    "symptoms",
    "theme-toggle",
    "toc-title",
    "top-problems",
    "what-to-do",
    "when-to-get-help",
];

impl<'s> BodyState<'s> {
    pub fn new(source: &'s SourceFile) -> Self {
        Self {
            source,
            ids: THEME_IDS.iter().map(|id| (*id).to_owned()).collect(),
            toc: Vec::new(),
            text: String::new(),
            summary: None,
            diagnostics: Vec::new(),
            anchors: Vec::new(),
            media: Vec::new(),
            images: 0,
            external_links: Vec::new(),
        }
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

struct Heading<'e> {
    level: HeadingLevel,
    id: Option<String>,
    text: String,
    start: usize,
    events: Vec<(Event<'e>, Origin)>,
}

/// A segment rendered to HTML that is not sanitized yet.
pub(super) struct RawHtml {
    pub html: String,
    pub map: SourceMap,
    /// Where a raw-text element that is never closed starts (an error already reported):
    /// what the sanitizer removes from there on needs no warnings of its own.
    pub unclosed: Option<usize>,
    /// Whether it is past a budget that keeps one file's cost in proportion (raw HTML
    /// nested too deep, too many footnotes; an error already reported): it is then not
    /// sanitized at all.
    pub refused: bool,
    /// The ad blocks that were left out, as byte ranges of the segment.
    pub ads: AdBlocks,
    /// Whether the segment is plain Markdown whose HTML the sanitizer would keep as it is
    /// (see [`Trust`]), so that [`super::canonical`] can stand in for it.
    pub trusted: bool,
}

/// Renders one segment to unsanitized HTML, recording headings, text and link problems.
pub(super) fn to_html(
    renderer: &Renderer<'_>,
    text: &str,
    first_line: usize,
    in_toc: bool,
    state: &mut BodyState<'_>,
) -> RawHtml {
    let mut out: Vec<(Event<'_>, Origin)> = Vec::new();
    let mut heading: Option<Heading<'_>> = None;
    let mut code: Option<(String, String, usize)> = None;
    let mut external_links: Vec<bool> = Vec::new();
    let mut depth = 0usize;
    let mut summary: Option<String> = None;
    let events: Vec<_> = Parser::new_ext(text, options())
        .into_offset_iter()
        .collect();
    let ads = AdBlocks::find(text, &events);
    let mut trust = Trust(ads.blocks.is_empty() && ads.unclosed.is_empty());
    let mut raw_html = RawHtmlScan::default();
    let mut footnotes = 0usize;
    let mut image_slot: Option<super::media::ImageRef> = None;
    let mut image_start = 0usize;
    for (event, range) in ads.filter(text, events) {
        if let Some((lang, buffer, start)) = &mut code {
            match event {
                Event::Text(t) => buffer.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let html = renderer.highlighter.block(buffer, lang);
                    out.push((Event::Html(html.into()), Origin::at(*start)));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        // A local image becomes markup the renderer writes itself (`media::figure`), which
        // the sanitizer keeps as it is: it leaves the segment trusted.
        let local_image = matches!(&event, Event::Start(Tag::Image { dest_url, .. })
            if crate::media::is_file_reference(dest_url));
        if !local_image {
            trust.see(&event);
        }
        if let Some(image) = &mut image_slot {
            match event {
                Event::End(TagEnd::Image) => {
                    // The sanitizer keeps `<` and `>` escaped in an image's attributes,
                    // where the fast path would spell them out.
                    trust.0 &=
                        !(image.alt.contains(['<', '>']) || image.title.contains(['<', '>']));
                    let at = position(state.source, text, first_line, image_start);
                    let in_link = !external_links.is_empty();
                    let html = super::media::figure(
                        &renderer.media,
                        renderer.config,
                        state,
                        image,
                        at,
                        in_link,
                    );
                    // Video markup is not held to the sanitizer's spelling: it goes through it.
                    trust.0 &= !html.starts_with("<video");
                    state.text.push_str(&image.alt);
                    state.text.push(' ');
                    let event = (Event::Html(html.into()), Origin::at(image_start));
                    match &mut heading {
                        Some(h) => h.events.push(event),
                        None => out.push(event),
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    image.alt.push_str(&t);
                    continue;
                }
                Event::SoftBreak | Event::HardBreak => {
                    image.alt.push(' ');
                    continue;
                }
                _ => continue,
            }
            image_slot = None;
            continue;
        }
        let verbatim = matches!(&event, Event::Html(html) | Event::InlineHtml(html)
            if text.get(range.clone()) == Some(html.as_ref()));
        let origin = Origin {
            offset: range.start,
            verbatim,
        };
        if let Event::Html(html) | Event::InlineHtml(html) = &event {
            let start = range.start;
            raw_html.feed(html, |i| if verbatim { start + i } else { start });
        }
        if matches!(
            event,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        ) {
            footnotes += 1;
            if footnotes == MAX_FOOTNOTES + 1 {
                let (line, column) = position(state.source, text, first_line, range.start);
                state.diagnostics.push(
                    Diagnostic::error(
                        &state.source.path,
                        line,
                        column,
                        format!(
                            "more than {MAX_FOOTNOTES} footnote references and definitions \
                             in one file, from here on"
                        ),
                    )
                    .with_hint(
                        "split the article, or turn the notes into a list of sources at its end",
                    ),
                );
            }
        }
        if footnotes > MAX_FOOTNOTES || raw_html.is_too_deep() {
            // The file is refused: rendering the rest would only cost what the budget saves.
            break;
        }
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_owned()
                    }
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new(), range.start));
                state.text.push(' ');
                continue;
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some(Heading {
                    level,
                    id: id.map(|i| i.to_string()),
                    text: String::new(),
                    start: range.start,
                    events: Vec::new(),
                });
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    finish_heading(h, in_toc, state, &mut out);
                }
                continue;
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = callout(kind);
                depth += 1;
                Event::Html(format!("<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n").into())
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                depth -= 1;
                Event::Html("</div>\n".into())
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) if crate::media::is_file_reference(&dest_url) => {
                image_start = range.start;
                image_slot = Some(super::media::ImageRef {
                    dest: dest_url.to_string(),
                    title: title.to_string(),
                    alt: String::new(),
                });
                continue;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // Located lazily: counting lines for every link is quadratic in big bodies.
                let at = || position(state.source, text, first_line, range.start);
                match link(renderer, state, &dest_url, at) {
                    Target::External => {
                        trust.0 = false;
                        external_links.push(true);
                        let title = if title.is_empty() {
                            String::new()
                        } else {
                            format!(" title=\"{}\"", html_escape(&title))
                        };
                        Event::Html(
                            format!(
                                "<a href=\"{}\" rel=\"noopener noreferrer nofollow\"{title}>",
                                html_escape(&dest_url)
                            )
                            .into(),
                        )
                    }
                    Target::Rewritten(url) => {
                        trust.link(&url);
                        external_links.push(false);
                        Event::Start(Tag::Link {
                            link_type,
                            dest_url: url.into(),
                            title,
                            id,
                        })
                    }
                    Target::Unchanged => {
                        trust.0 &= dest_url.starts_with('#');
                        trust.link(&dest_url);
                        external_links.push(false);
                        Event::Start(Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id,
                        })
                    }
                }
            }
            Event::End(TagEnd::Link) => {
                if external_links.pop().unwrap_or(false) {
                    Event::Html("</a>".into())
                } else {
                    Event::End(TagEnd::Link)
                }
            }
            Event::Start(Tag::Paragraph) => {
                if depth == 0 && state.summary.is_none() && summary.is_none() && in_toc {
                    summary = Some(String::new());
                }
                Event::Start(Tag::Paragraph)
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(done) = summary.take() {
                    state.summary = Some(done.trim().to_owned());
                }
                state.text.push(' ');
                Event::End(TagEnd::Paragraph)
            }
            Event::Start(
                tag @ (Tag::List(_)
                | Tag::BlockQuote(None)
                | Tag::Table(_)
                | Tag::FootnoteDefinition(_)),
            ) => {
                depth += 1;
                Event::Start(tag)
            }
            Event::End(
                tag @ (TagEnd::List(_)
                | TagEnd::BlockQuote(None)
                | TagEnd::Table
                | TagEnd::FootnoteDefinition),
            ) => {
                depth = depth.saturating_sub(1);
                state.text.push(' ');
                Event::End(tag)
            }
            Event::Text(t) => {
                state.text.push_str(&t);
                if let Some(s) = &mut summary {
                    s.push_str(&t);
                }
                if let Some(h) = &mut heading {
                    h.text.push_str(&t);
                }
                Event::Text(t)
            }
            Event::Code(t) => {
                state.text.push_str(&t);
                if let Some(s) = &mut summary {
                    s.push_str(&t);
                }
                if let Some(h) = &mut heading {
                    h.text.push_str(&t);
                }
                Event::Code(t)
            }
            Event::SoftBreak | Event::HardBreak => {
                state.text.push(' ');
                if let Some(s) = &mut summary {
                    s.push(' ');
                }
                event
            }
            Event::End(TagEnd::Item | TagEnd::TableCell) => {
                state.text.push(' ');
                event
            }
            other => other,
        };
        match &mut heading {
            Some(h) => h.events.push((event, origin)),
            None => out.push((event, origin)),
        }
    }
    let found = raw_html.finish();
    if let Some(open) = &found.unclosed {
        let (line, column) = position(state.source, text, first_line, open.offset);
        state
            .diagnostics
            .push(open.diagnostic(&state.source.path, line, column));
    }
    if let Some(deep) = found.too_deep {
        let (line, column) = position(state.source, text, first_line, deep.offset);
        state
            .diagnostics
            .push(deep.diagnostic(&state.source.path, line, column));
    }
    let (html, map) = render_tracked(out, text.len() * 2);
    RawHtml {
        html,
        map,
        unclosed: found.unclosed.map(|open| open.offset),
        refused: found.too_deep.is_some() || footnotes > MAX_FOOTNOTES,
        ads,
        trusted: trust.0,
    }
}

fn finish_heading<'e>(
    h: Heading<'e>,
    in_toc: bool,
    state: &mut BodyState<'_>,
    out: &mut Vec<(Event<'e>, Origin)>,
) {
    let wanted = h.id.unwrap_or_else(|| crate::id::slugify(&h.text));
    let id = unique_id(&mut state.ids, &wanted);
    let level = h.level as u8;
    if in_toc && (level == 2 || level == 3) {
        state.toc.push(TocEntry {
            level,
            id: id.clone(),
            title: h.text.trim().to_owned(),
        });
    }
    state.text.push(' ');
    out.push((
        Event::Html(format!("<h{level} id=\"{}\">", html_escape(&id)).into()),
        Origin::at(h.start),
    ));
    out.extend(h.events);
    out.push((
        Event::Html(
            format!("<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></h{level}>\n", html_escape(&id)).into(),
        ),
        Origin::at(h.start),
    ));
}

fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

enum Target {
    External,
    Rewritten(String),
    Unchanged,
}

/// Classifies a link and checks links to other content files.
fn link(
    renderer: &Renderer<'_>,
    state: &mut BodyState<'_>,
    dest: &CowStr<'_>,
    at: impl FnOnce() -> (usize, usize),
) -> Target {
    let dest = dest.as_ref();
    let lower = dest.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//") {
        return Target::External;
    }
    if let Some(fragment) = dest.strip_prefix('#').filter(|f| !f.is_empty()) {
        let (line, column) = at();
        let target = super::normalize(&state.source.path);
        state.anchors.push(super::Anchor {
            target,
            fragment: fragment.to_owned(),
            line,
            column,
        });
        return Target::Unchanged;
    }
    if dest.starts_with('#') || dest.starts_with('/') || lower.contains(':') {
        return Target::Unchanged;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    if crate::media::is_file_reference(dest) {
        return match super::media::link(&renderer.media, renderer.config, state, dest, at) {
            Some(url) => Target::Rewritten(url),
            None => Target::Unchanged,
        };
    }
    if !path.ends_with(".md") {
        return Target::Unchanged;
    }
    let source = state.source;
    match renderer.links.resolve(&source.path, path) {
        Some(url) => Target::Rewritten(match fragment {
            Some(fragment) => {
                let (line, column) = at();
                state.anchors.push(super::Anchor {
                    target: super::LinkMap::key(&source.path, path),
                    fragment: fragment.to_owned(),
                    line,
                    column,
                });
                format!("{url}#{fragment}")
            }
            None => url.to_owned(),
        }),
        None => {
            let hint = match renderer.links.nearest(&source.path, path) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "links to other pages point at their source file, relative to this one, e.g. `../fixes/restart-device.md`".to_owned(),
            };
            let (line, column) = at();
            state.diagnostics.push(
                Diagnostic::error(
                    &source.path,
                    line,
                    column,
                    format!("link to `{dest}` does not match any content file"),
                )
                .with_hint(hint),
            );
            Target::Unchanged
        }
    }
}
