//! The rewriting pass before ammonia: turns off-site images into links, drops pixels,
//! tracking links and dangerous elements, and records each removal with its byte offset in
//! the rendered HTML (which the caller maps back to a line of the Markdown file).
//!
//! lol_html is used because it reports where each tag starts in its input and can remove
//! an element together with its content; ammonia then enforces the policy on the result.
//!
//! Just over 500 lines on purpose: the handlers below are one policy, applied in one pass,
//! and read best in one place.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use lol_html::html_content::{ContentType, Element};
use lol_html::{RewriteStrSettings, element, end_tag, rewrite_str};

use super::urls::{LinkTarget, Source, UrlRules};
use super::{Became, Removed, html_escape};

/// Elements removed together with everything inside them.
pub(super) const REMOVED_WITH_CONTENT: &[&str] = &[
    "applet",
    "base",
    "embed",
    "fencedframe",
    "form",
    "frame",
    "frameset",
    "iframe",
    "ins",
    "link",
    "math",
    "meta",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "portal",
    "script",
    "select",
    "style",
    "svg",
    "template",
    "textarea",
    "title",
];

/// The `rel` every link to another site gets.
pub(super) const EXTERNAL_REL: &str = "noopener noreferrer nofollow";

/// One removal, at a byte offset of the rewritten input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub offset: usize,
    pub removed: Removed,
}

#[derive(Default)]
struct State {
    found: Vec<Found>,
    /// Input ranges of removed elements; a range stays empty until its end tag is seen.
    removed: Vec<Range<usize>>,
    /// Open `<a>` elements: an off-site image inside a link becomes text, not a second link.
    open_links: usize,
    /// The `href` of every link to another site that is kept, at its element's offset.
    external: Vec<(usize, String)>,
}

type Shared = Rc<RefCell<State>>;

/// What the pass found: removals, and the links to other sites it kept.
pub(super) struct Rewritten {
    pub html: String,
    pub found: Vec<Found>,
    /// `(offset, href)` of every kept link to another site, in document order.
    pub external: Vec<(usize, String)>,
}

/// Rewrites `html`; `None` only if lol_html fails, which the caller treats as "remove
/// everything ammonia would not keep, without details".
pub(super) fn rewrite(html: &str, rules: &UrlRules) -> Option<Rewritten> {
    let state: Shared = Rc::default();
    let handler_state = Rc::clone(&state);
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("*", move |el| {
            visit(el, rules, &handler_state);
            Ok(())
        }))
        .with_strict(false);
    let html = rewrite_str(html, settings).ok()?;
    let state = state.take();
    let removed = state.removed;
    let kept = |offset: usize| !removed.iter().any(|r| r.start < offset && offset < r.end);
    let found = state.found.into_iter().filter(|f| kept(f.offset)).collect();
    let external = state
        .external
        .into_iter()
        .filter(|(offset, _)| kept(*offset))
        .collect();
    Some(Rewritten {
        html,
        found,
        external,
    })
}

/// Doubles the line break that starts a `<pre>`'s content.
///
/// The HTML parser drops one line break right after `<pre>`, but html5ever's serializer
/// does not write the extra one the HTML standard asks for, so each parse and serialize
/// would lose a line break and sanitizing would never reach a fixed point. The positions
/// come from lol_html, so a `<pre` inside an attribute value is never mistaken for a tag.
pub(super) fn keep_pre_line_breaks(html: String) -> String {
    if !html.contains("<pre") {
        return html;
    }
    let mut ends = Vec::new();
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("pre", |el| {
            ends.push(el.source_location().bytes().end);
            Ok(())
        }))
        .with_strict(false);
    if rewrite_str(&html, settings).is_err() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + ends.len());
    let mut from = 0;
    for end in ends {
        if html.get(end..).is_some_and(|rest| rest.starts_with('\n')) && end >= from {
            out.push_str(&html[from..end]);
            out.push('\n');
            from = end;
        }
    }
    out.push_str(&html[from..]);
    out
}

fn visit(el: &mut Element<'_, '_>, rules: &UrlRules, state: &Shared) {
    let tag = el.tag_name();
    let offset = el.source_location().bytes().start;
    let report = |removed: Removed| state.borrow_mut().found.push(Found { offset, removed });
    if REMOVED_WITH_CONTENT.contains(&tag.as_str()) {
        let url = ["src", "href", "data", "action"]
            .into_iter()
            .find_map(|name| attribute(el, name))
            .filter(|url| !url.trim().is_empty());
        report(Removed::Element { tag, url });
        remove(el, offset, state);
        return;
    }
    let kept = match tag.as_str() {
        "img" => {
            let inside_link = state.borrow().open_links > 0;
            image(el, rules, inside_link, &report)
        }
        "a" => {
            let keep = |href: String| state.borrow_mut().external.push((offset, href));
            link(el, rules, &report, &keep)
        }
        "video" | "audio" => media(el, &tag, rules, &report),
        "source" | "track" => source(el, &tag, rules, &report),
        _ => true,
    };
    if !kept {
        remove(el, offset, state);
        return;
    }
    if el.removed() {
        // Replaced by a link or its alt text: its other attributes went with it.
        return;
    }
    let names: Vec<String> = el.attributes().iter().map(|a| a.name()).collect();
    for name in names {
        if name.starts_with("on") {
            report(Removed::Attribute {
                tag: tag.clone(),
                name: name.clone(),
            });
            el.remove_attribute(&name);
        } else if name == "style" {
            let align = attribute(el, "style").and_then(|style| text_align(&style));
            match align {
                Some(align) if matches!(tag.as_str(), "th" | "td") => {
                    // Markdown tables align cells with a style; the CSP forbids inline
                    // styles, so the alignment moves to the `align` attribute, unreported.
                    let _ = el.set_attribute("align", align);
                }
                _ => report(Removed::Attribute {
                    tag: tag.clone(),
                    name: name.clone(),
                }),
            }
            el.remove_attribute(&name);
        }
    }
    if tag == "a" && el.can_have_content() {
        state.borrow_mut().open_links += 1;
        let on_end = Rc::clone(state);
        let _ = el.on_end_tag(end_tag!(move |_| {
            let mut state = on_end.borrow_mut();
            state.open_links = state.open_links.saturating_sub(1);
            Ok(())
        }));
    }
}

/// Removes an element with its content, remembering its extent so that removals reported
/// inside it are dropped (a pixel inside a removed ad link is not news).
fn remove(el: &mut Element<'_, '_>, offset: usize, state: &Shared) {
    if !el.removed() {
        el.remove();
    }
    let index = {
        let mut state = state.borrow_mut();
        state.removed.push(offset..offset);
        state.removed.len() - 1
    };
    if el.can_have_content() {
        let on_end = Rc::clone(state);
        let _ = el.on_end_tag(end_tag!(move |end| {
            on_end.borrow_mut().removed[index].end = end.source_location().bytes().end;
            Ok(())
        }));
    }
}

/// Keeps, rewrites or replaces an image; false when the element is to be removed.
fn image(
    el: &mut Element<'_, '_>,
    rules: &UrlRules,
    inside_link: bool,
    report: &impl Fn(Removed),
) -> bool {
    let src = attribute(el, "src");
    if is_pixel(el) {
        report(Removed::Pixel {
            url: src.unwrap_or_default(),
        });
        return false;
    }
    if let Some(srcset) = attribute(el, "srcset")
        && let Some(bad) = rules.srcset(&srcset)
    {
        report(off_site_or_refused(
            "`srcset` of an image",
            &srcset,
            bad,
            Became::Nothing,
        ));
        el.remove_attribute("srcset");
    }
    let Some(src) = src else {
        return true;
    };
    let alt = attribute(el, "alt").unwrap_or_default();
    let alt = alt.trim();
    match rules.image(&src) {
        Source::Site | Source::Allowed => true,
        Source::OffSite(host) => {
            let became = if inside_link {
                el.replace(&html_escape(alt), ContentType::Html);
                if alt.is_empty() {
                    Became::Nothing
                } else {
                    Became::Text
                }
            } else {
                let label = if alt.is_empty() {
                    format!("image from {host}")
                } else {
                    alt.to_owned()
                };
                el.replace(
                    &format!(
                        "<a href=\"{}\" rel=\"{EXTERNAL_REL}\">{}</a>",
                        html_escape(&src),
                        html_escape(&label)
                    ),
                    ContentType::Html,
                );
                Became::Link
            };
            report(Removed::OffSite {
                what: "image".to_owned(),
                host,
                url: src,
                became,
            });
            true
        }
        Source::Refused(scheme) => {
            el.replace(&html_escape(alt), ContentType::Html);
            report(Removed::Refused {
                what: "image".to_owned(),
                scheme,
            });
            true
        }
    }
}

/// Marks external links (and hands their `href` to `keep`), drops unsafe `href`s; false
/// for tracking links.
fn link(
    el: &mut Element<'_, '_>,
    rules: &UrlRules,
    report: &impl Fn(Removed),
    keep: &impl Fn(String),
) -> bool {
    let Some(href) = attribute(el, "href") else {
        return true;
    };
    match rules.link(&href) {
        LinkTarget::Internal => true,
        LinkTarget::External => {
            let _ = el.set_attribute("rel", EXTERNAL_REL);
            keep(href);
            true
        }
        LinkTarget::Tracking(tracking) => {
            report(Removed::TrackingLink {
                host: tracking.host,
                reason: tracking.reason,
            });
            false
        }
        LinkTarget::Refused(scheme) => {
            report(Removed::Refused {
                what: "link".to_owned(),
                scheme,
            });
            el.remove_attribute("href");
            true
        }
    }
}

/// `<video>` and `<audio>` play only from the site; an off-site one becomes a link.
fn media(el: &mut Element<'_, '_>, tag: &str, rules: &UrlRules, report: &impl Fn(Removed)) -> bool {
    if let Some(poster) = attribute(el, "poster")
        && let bad @ (Source::OffSite(_) | Source::Refused(_)) = rules.image(&poster)
    {
        report(off_site_or_refused(
            "poster image of a video",
            &poster,
            bad,
            Became::Nothing,
        ));
        el.remove_attribute("poster");
    }
    let Some(src) = attribute(el, "src") else {
        return true;
    };
    match rules.media(&src) {
        Source::Site | Source::Allowed => true,
        Source::OffSite(host) => {
            el.replace(
                &format!(
                    "<a href=\"{}\" rel=\"{EXTERNAL_REL}\">{} on {}</a>",
                    html_escape(&src),
                    if tag == "video" { "Video" } else { "Audio" },
                    html_escape(&host)
                ),
                ContentType::Html,
            );
            report(Removed::OffSite {
                what: tag.to_owned(),
                host,
                url: src,
                became: Became::Link,
            });
            true
        }
        bad @ Source::Refused(_) => {
            report(off_site_or_refused(tag, &src, bad, Became::Nothing));
            false
        }
    }
}

/// `<source>` and `<track>` inside media or pictures; false to remove them.
fn source(
    el: &mut Element<'_, '_>,
    tag: &str,
    rules: &UrlRules,
    report: &impl Fn(Removed),
) -> bool {
    if let Some(srcset) = attribute(el, "srcset")
        && let Some(bad) = rules.srcset(&srcset)
    {
        report(off_site_or_refused(
            &format!("`<{tag}>` file"),
            &srcset,
            bad,
            Became::Nothing,
        ));
        return false;
    }
    if let Some(src) = attribute(el, "src") {
        // A <source> may feed a <picture> or media; media's stricter rule applies to both.
        if let bad @ (Source::OffSite(_) | Source::Refused(_)) = rules.media(&src) {
            report(off_site_or_refused(
                &format!("`<{tag}>` file"),
                &src,
                bad,
                Became::Nothing,
            ));
            return false;
        }
    }
    true
}

fn off_site_or_refused(what: &str, url: &str, source: Source, became: Became) -> Removed {
    match source {
        Source::Refused(scheme) => Removed::Refused {
            what: what.to_owned(),
            scheme,
        },
        Source::OffSite(host) => Removed::OffSite {
            what: what.to_owned(),
            host,
            url: url.to_owned(),
            became,
        },
        Source::Site | Source::Allowed => Removed::OffSite {
            what: what.to_owned(),
            host: String::new(),
            url: url.to_owned(),
            became,
        },
    }
}

/// Zero- or one-pixel images, and images hidden with a style: tracking pixels.
fn is_pixel(el: &Element<'_, '_>) -> bool {
    let tiny = |name: &str| {
        attribute(el, name).is_some_and(|v| {
            let v = v.trim().trim_end_matches("px").trim();
            v.parse::<f64>().is_ok_and(|n| n <= 1.0)
        })
    };
    let hidden = attribute(el, "style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.contains("display:none")
            || style.contains("visibility:hidden")
            || style.contains("width:0")
            || style.contains("height:0")
            || style.contains("width:1px")
            || style.contains("height:1px")
    });
    tiny("width") || tiny("height") || hidden
}

/// `text-align: center` (alone) → `center`.
fn text_align(style: &str) -> Option<&'static str> {
    let style = style.trim().trim_end_matches(';');
    let (property, value) = style.split_once(':')?;
    if property.trim() != "text-align" {
        return None;
    }
    ["left", "center", "right"]
        .into_iter()
        .find(|v| value.trim().eq_ignore_ascii_case(v))
}

/// An attribute's value with character references decoded, as the browser will see it.
fn attribute(el: &Element<'_, '_>, name: &str) -> Option<String> {
    el.get_attribute(name)
        .map(|raw| decode_attribute(&raw).into_owned())
}

/// lol_html hands out attribute values as written; html5ever's tokenizer decodes them
/// exactly as the browser (and ammonia) will, so judgements here and there agree.
fn decode_attribute(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    // A value lol_html read between quotes cannot contain that quote, so re-quoting with
    // the other one reproduces the original attribute.
    let quote = if raw.contains('"') { '\'' } else { '"' };
    if raw.contains(quote) {
        return Cow::Borrowed(raw);
    }
    let tokenizer = Tokenizer::new(FirstAttribute::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(format!("<a v={quote}{raw}{quote}>")));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    match tokenizer.sink.0.take() {
        Some(value) => Cow::Owned(value),
        None => Cow::Borrowed(raw),
    }
}

#[derive(Default)]
struct FirstAttribute(RefCell<Option<String>>);

impl TokenSink for FirstAttribute {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token
            && let Some(attr) = tag.attrs.first()
        {
            self.0
                .borrow_mut()
                .get_or_insert_with(|| attr.value.to_string());
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests;
