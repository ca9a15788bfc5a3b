//! The sanitizer every rendered body goes through before trusted template output is added.
//!
//! Two passes over a segment's rendered HTML:
//! 1. [`rewrite`] (lol_html) turns off-site images into links and removes tracking pixels,
//!    affiliate and checkout links and dangerous elements, recording where each removal
//!    starts so that `check` can name the line;
//! 2. ammonia enforces the explicit [`Sanitizer`] policy on the result, so that whatever the
//!    first pass missed cannot reach a page: its attribute filter refuses every resource URL
//!    that is not from the site or an allowed host.
//!
//! Comment-delimited ad blocks are removed earlier, from the Markdown events ([`ads`]).

pub mod ads;
mod audit;
mod rewrite;
pub mod urls;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use ammonia::Builder;

pub(crate) use super::html_escape;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use urls::{LinkTarget, Source, UrlRules};

/// What replaced an off-site resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Became {
    /// A link to it, labelled with its alt text (or its host).
    Link,
    /// Its alt text (inside a link, where a second link cannot go).
    Text,
    /// Nothing.
    Nothing,
}

/// One thing the sanitizer took out of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// A `<!-- … ads begin -->` … `<!-- … ads end -->` block spanning `lines` more lines.
    AdBlock { lines: usize },
    /// A begin comment without its end comment.
    UnclosedAdBlock,
    /// An element removed with its content (`script`, `iframe`, `ins` …).
    Element { tag: String, url: Option<String> },
    /// An event handler (`on…`) or `style` attribute.
    Attribute { tag: String, name: String },
    /// A zero- or one-pixel (or hidden) image.
    Pixel { url: String },
    /// A resource on another host.
    OffSite {
        what: String,
        host: String,
        url: String,
        became: Became,
    },
    /// A `javascript:`, `data:` … URL.
    Refused { what: String, scheme: String },
    /// A link with affiliate or checkout tracking, or to an ad network, with its content.
    TrackingLink { host: String, reason: String },
}

/// A removal at a byte offset of the Markdown segment it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// Byte offset in the segment's Markdown.
    pub offset: usize,
    /// What was removed.
    pub removed: Removed,
}

const PASTED_HINT: &str = "pasted pages carry ads and trackers: fixbook leaves them out of the site; delete it from the file to silence this warning";

impl Removed {
    /// The warning for this removal, at a position of the file.
    pub fn warning(&self, path: impl Into<PathBuf>, line: usize, column: usize) -> Diagnostic {
        let (message, hint) = self.describe(line);
        Diagnostic::warning(path, line, column, message).with_hint(hint)
    }

    fn describe(&self, line: usize) -> (String, String) {
        match self {
            Removed::AdBlock { lines } => (
                format!("removed an ad block (lines {line}–{})", line + lines),
                PASTED_HINT.to_owned(),
            ),
            Removed::UnclosedAdBlock => (
                "this ad block is never closed, so it was not removed".to_owned(),
                "add the matching `<!-- ads end -->` comment after the ad, or delete the ad".to_owned(),
            ),
            Removed::Element { tag, url } => (
                match url {
                    Some(url) => format!("removed {} `<{tag}>` element loading `{}`", article(tag), shorten(url)),
                    None => format!("removed {} `<{tag}>` element", article(tag)),
                },
                if matches!(tag.as_str(), "script" | "noscript" | "style" | "link" | "meta" | "base") {
                    "pages cannot carry scripts, styles or head elements from content; ".to_owned()
                        + PASTED_HINT
                } else {
                    PASTED_HINT.to_owned()
                },
            ),
            Removed::Attribute { tag, name } if name == "style" => (
                format!("removed the `style` attribute of {} `<{tag}>` element", article(tag)),
                "the Content-Security-Policy forbids inline styles: format with Markdown instead".to_owned(),
            ),
            Removed::Attribute { tag, name } => (
                format!("removed the `{name}` event handler of {} `<{tag}>` element", article(tag)),
                "pages never run scripts from content; ".to_owned() + PASTED_HINT,
            ),
            Removed::Pixel { url } if url.trim().is_empty() => (
                "removed a tracking pixel".to_owned(),
                PASTED_HINT.to_owned(),
            ),
            Removed::Pixel { url } => (
                format!("removed a tracking pixel loading `{}`", shorten(url)),
                PASTED_HINT.to_owned(),
            ),
            Removed::OffSite {
                what,
                host,
                url,
                became,
            } => {
                let message = match became {
                    Became::Link => format!("replaced the off-site {what} `{}` with a link", shorten(url)),
                    Became::Text => format!("replaced the off-site {what} `{}` with its alt text", shorten(url)),
                    Became::Nothing => format!("removed the off-site {what} `{}`", shorten(url)),
                };
                let hint = if url.trim().to_ascii_lowercase().starts_with("http://") {
                    "pages load nothing over plain http or from other sites: copy the file into the site and link it relatively, or use an `https://` address on a host listed in `allowed_image_hosts`".to_owned()
                } else if what.contains("image") || what.contains("srcset") {
                    format!("pages load nothing from other sites: copy the image into the site and link it relatively, or add `{host}` to `allowed_image_hosts` in fixbook.toml")
                } else {
                    "pages load nothing from other sites: copy the file into the site and link it relatively".to_owned()
                };
                (message, hint)
            }
            Removed::Refused { what, scheme } => (
                if what == "link" {
                    format!("removed a {scheme} link (its text is kept)")
                } else {
                    format!("removed the {what} with a {scheme} URL")
                },
                if what == "link" {
                    "links may use http, https, mailto and tel, or point at another page of the site".to_owned()
                } else {
                    "copy the file into the site and link it relatively".to_owned()
                },
            ),
            Removed::TrackingLink { host, reason } => (
                format!("removed a link with {reason} to `{host}`"),
                "links that earn someone a commission are ads; link to the maker's own page without tracking parameters, or delete it from the file to silence this warning".to_owned(),
            ),
        }
    }
}

/// "a `<p>`", "an `<iframe>`".
fn article(tag: &str) -> &'static str {
    if tag.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Long URLs are cut in messages: the host and the start of the path say enough.
fn shorten(url: &str) -> Cow<'_, str> {
    const MAX: usize = 80;
    if url.chars().count() <= MAX {
        Cow::Borrowed(url)
    } else {
        Cow::Owned(url.chars().take(MAX - 1).chain(['…']).collect())
    }
}

/// HTML that went through both passes, with what was removed (offsets into the input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// Safe HTML.
    pub html: String,
    /// Removals, each at the byte offset of the input HTML where the removed thing started.
    pub removals: Vec<(usize, Removed)>,
    /// The address of every link to another site the page keeps, at the byte offset of the
    /// input HTML where it starts: links, and off-site images and media that became links.
    pub external_links: Vec<(usize, String)>,
}

/// The sanitizer of one site: its URL rules and its ammonia policy, built once per build.
pub struct Sanitizer {
    rules: Arc<UrlRules>,
    policy: Builder<'static>,
}

impl Sanitizer {
    /// The sanitizer for `config` (its host and `allowed_image_hosts`).
    pub fn new(config: &Config) -> Self {
        let rules = Arc::new(UrlRules::new(config));
        Self {
            policy: policy(Arc::clone(&rules)),
            rules,
        }
    }

    /// The URL rules, for the Markdown pass.
    pub fn rules(&self) -> &UrlRules {
        &self.rules
    }

    /// Cleans a fragment of rendered HTML.
    pub fn clean(&self, html: &str) -> Cleaned {
        let (rewritten, removals, mut external_links) = match rewrite::rewrite(html, &self.rules) {
            Some(rewritten) => (
                Cow::Owned(rewritten.html),
                rewritten
                    .found
                    .into_iter()
                    .map(|f| (f.offset, f.removed))
                    .collect::<Vec<_>>(),
                rewritten.external,
            ),
            None => (Cow::Borrowed(html), Vec::new(), Vec::new()),
        };
        external_links.extend(
            removals
                .iter()
                .filter_map(|(offset, removed)| match removed {
                    Removed::OffSite {
                        url,
                        became: Became::Link,
                        ..
                    } => Some((*offset, url.clone())),
                    _ => None,
                }),
        );
        external_links.sort_by_key(|(offset, _)| *offset);
        Cleaned {
            html: drop_empty_paragraphs(self.fixed_point(&rewritten)),
            removals,
            external_links,
        }
    }

    /// Cleans with ammonia until the output no longer changes. Removing an element can
    /// change how the HTML parser nests what was inside it (`<li><button><li>` keeps the
    /// inner item inside the outer one only while the button is there), so one pass is not
    /// always a fixed point; two almost always are.
    fn fixed_point(&self, html: &str) -> String {
        let pass = |html: &str| rewrite::keep_pre_line_breaks(self.policy.clean(html).to_string());
        let mut current = pass(html);
        for _ in 0..4 {
            let again = pass(&current);
            if again == current {
                break;
            }
            current = again;
        }
        current
    }

    /// Just the safe HTML.
    pub fn clean_html(&self, html: &str) -> String {
        self.clean(html).html
    }

    /// Everything in `html` that a sanitized body must never contain: elements that run or
    /// embed things, event handler and `style` attributes, resources from other hosts and
    /// unsafe or tracking links. Empty for every output of [`Sanitizer::clean`]; the tests
    /// and the fuzzer hold it to that.
    pub fn audit(&self, html: &str) -> Vec<String> {
        audit::violations(html, &self.rules)
    }
}

/// A paragraph that held only a removed ad is left empty; Markdown never writes one.
fn drop_empty_paragraphs(html: String) -> String {
    if !html.contains("<p>") {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<p>") {
        let after = &rest[start + 3..];
        let inner = after.len() - after.trim_start().len();
        match after[inner..].strip_prefix("</p>") {
            Some(tail) => {
                out.push_str(&rest[..start]);
                rest = tail.strip_prefix('\n').unwrap_or(tail);
            }
            None => {
                out.push_str(&rest[..start + 3]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The explicit ammonia policy: the tags, attributes and URL schemes a body may contain.
///
/// Everything else is dropped; [`rewrite::REMOVED_WITH_CONTENT`] elements go with their
/// content. Resource URLs pass the attribute filter only when they are from the site or an
/// allowed image host, whatever the first pass did.
fn policy(rules: Arc<UrlRules>) -> Builder<'static> {
    let tags: HashSet<&'static str> = [
        "a",
        "abbr",
        "article",
        "aside",
        "audio",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "center",
        "cite",
        "code",
        "col",
        "colgroup",
        "data",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "i",
        "img",
        "input",
        "kbd",
        "li",
        "mark",
        "nav",
        "ol",
        "p",
        "picture",
        "pre",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "section",
        "small",
        "source",
        "span",
        "strike",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "track",
        "tt",
        "u",
        "ul",
        "var",
        "video",
        "wbr",
    ]
    .into_iter()
    .collect();
    let clean_content: HashSet<&'static str> =
        rewrite::REMOVED_WITH_CONTENT.iter().copied().collect();
    let cells = ["align", "colspan", "rowspan", "headers"];
    let tag_attributes: HashMap<&'static str, HashSet<&'static str>> = [
        ("a", &["href", "hreflang", "rel", "aria-label", "id"][..]),
        (
            "audio",
            &["src", "controls", "loop", "muted", "preload"][..],
        ),
        ("bdo", &["dir"][..]),
        ("blockquote", &["cite"][..]),
        ("col", &["span"][..]),
        ("colgroup", &["span"][..]),
        ("del", &["cite", "datetime"][..]),
        ("div", &["id", "role"][..]),
        ("h1", &["id"][..]),
        ("h2", &["id"][..]),
        ("h3", &["id"][..]),
        ("h4", &["id"][..]),
        ("h5", &["id"][..]),
        ("h6", &["id"][..]),
        (
            "img",
            &[
                "alt", "height", "src", "srcset", "sizes", "width", "loading", "decoding",
            ][..],
        ),
        ("input", &["type", "checked", "disabled"][..]),
        ("li", &["id", "value"][..]),
        ("ol", &["start", "reversed", "type"][..]),
        ("pre", &["data-lang"][..]),
        ("q", &["cite"][..]),
        (
            "source",
            &["src", "srcset", "type", "media", "sizes", "width", "height"][..],
        ),
        ("sup", &["id"][..]),
        ("td", &cells[..]),
        (
            "th",
            &["align", "colspan", "rowspan", "headers", "scope"][..],
        ),
        ("time", &["datetime"][..]),
        ("track", &["src", "kind", "srclang", "label", "default"][..]),
        (
            "video",
            &[
                "src",
                "poster",
                "controls",
                "width",
                "height",
                "loop",
                "muted",
                "playsinline",
                "preload",
            ][..],
        ),
    ]
    .into_iter()
    .map(|(tag, attributes)| (tag, attributes.iter().copied().collect()))
    .collect();
    let mut builder = Builder::empty();
    builder
        .tags(tags)
        .clean_content_tags(clean_content)
        .tag_attributes(tag_attributes)
        .generic_attributes(["class", "lang", "title", "dir"].into_iter().collect())
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(move |element, attribute, value| {
            let allowed = match (element, attribute) {
                ("img" | "source", "srcset") => rules.srcset(value).is_none(),
                ("img", "src") | ("video", "poster") => {
                    matches!(rules.image(value), Source::Site | Source::Allowed)
                }
                ("video" | "audio" | "source" | "track", "src") => {
                    matches!(rules.media(value), Source::Site)
                }
                ("a", "href") => !matches!(
                    rules.link(value),
                    LinkTarget::Tracking(_) | LinkTarget::Refused(_)
                ),
                ("input", "type") => value == "checkbox",
                ("div", "role") => value == "note",
                ("td" | "th", "align") => matches!(value, "left" | "center" | "right"),
                _ => true,
            };
            allowed.then(|| value.into())
        });
    builder
}

#[cfg(test)]
mod tests;
