//! SVG drawings, cleaned before they are published: an SVG opened on its own is a document
//! that can run script and load from anywhere, so only drawing elements and attributes are
//! kept. Scripts, event handlers, `<foreignObject>`, embedded or linked images, animations
//! (which can rewrite links) and every reference off the drawing (`href`, `url(…)`,
//! `@import`) are removed; comments, the DOCTYPE and editor metadata are dropped.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer, XmlVersion};

const XML_1_0: XmlVersion = XmlVersion::Implicit1_0;

/// A cleaned drawing.
#[derive(Debug)]
pub(super) struct Cleaned {
    /// The SVG to publish.
    pub bytes: Vec<u8>,
    /// What was removed that a writer may want to know, in order (`a <script> element`).
    pub removed: Vec<String>,
    /// Its width and height in CSS pixels, from `width`/`height` or the `viewBox`.
    pub size: (u32, u32),
}

/// Drawing elements kept (local names). Everything else is removed with its content.
const ELEMENTS: &[&str] = &[
    "a",
    "circle",
    "clipPath",
    "defs",
    "desc",
    "ellipse",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "filter",
    "g",
    "line",
    "linearGradient",
    "marker",
    "mask",
    "path",
    "pattern",
    "polygon",
    "polyline",
    "radialGradient",
    "rect",
    "stop",
    "style",
    "svg",
    "switch",
    "symbol",
    "text",
    "textPath",
    "title",
    "tspan",
    "use",
    "view",
];

/// Removed elements a writer is told about, with what they are.
const REPORTED: &[(&str, &str)] = &[
    ("script", "a <script> element"),
    (
        "foreignObject",
        "a <foreignObject> element (HTML inside the drawing)",
    ),
    (
        "image",
        "an <image> element (pictures inside a drawing are not cleaned of metadata)",
    ),
    ("feImage", "an <feImage> filter (it loads a picture)"),
    ("animate", "an <animate> element"),
    ("set", "a <set> element"),
    ("animateMotion", "an <animateMotion> element"),
    ("animateTransform", "an <animateTransform> element"),
    ("iframe", "an <iframe> element"),
    ("embed", "an <embed> element"),
    ("object", "an <object> element"),
];

/// Cleans `bytes`; fails only when they are not a well-formed SVG.
pub(super) fn clean(bytes: &[u8]) -> Result<Cleaned, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_owned())?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut writer = Writer::new(Vec::with_capacity(bytes.len()));
    let mut removed = Vec::new();
    let mut skipping = 0usize;
    let mut root: Option<(u32, u32)> = None;
    let mut depth = 0usize;
    let mut in_style = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|err| format!("{err} (at byte {})", reader.error_position()))?;
        let write = |writer: &mut Writer<Vec<u8>>, event: Event<'_>| {
            writer.write_event(event).map_err(|e| e.to_string())
        };
        match event {
            Event::Eof => break,
            Event::Start(_) if skipping > 0 => skipping += 1,
            Event::End(_) if skipping > 0 => skipping -= 1,
            _ if skipping > 0 => {}
            Event::Start(start) => {
                let name = start.name().0.to_owned();
                if !keeps_element(&name, &mut removed) {
                    skipping = 1;
                    continue;
                }
                check_root(&mut root, depth, &name, &start)?;
                let cleaned = clean_attributes(&start, &name, &mut removed)?;
                depth += 1;
                in_style = name == "style";
                write(&mut writer, Event::Start(cleaned))?;
            }
            Event::Empty(start) => {
                let name = start.name().0.to_owned();
                if !keeps_element(&name, &mut removed) {
                    continue;
                }
                check_root(&mut root, depth, &name, &start)?;
                let cleaned = clean_attributes(&start, &name, &mut removed)?;
                write(&mut writer, Event::Empty(cleaned))?;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                in_style = false;
                write(&mut writer, Event::End(end))?;
            }
            Event::Text(t) => {
                if in_style && external_css(&t) {
                    removed.push("a stylesheet rule that loads from elsewhere".to_owned());
                    continue;
                }
                write(&mut writer, Event::Text(t))?;
            }
            Event::CData(c) => {
                if in_style && external_css(&c) {
                    removed.push("a stylesheet rule that loads from elsewhere".to_owned());
                    continue;
                }
                write(&mut writer, Event::CData(c))?;
            }
            Event::GeneralRef(r) => {
                // Only the predefined entities and character references mean anything
                // without the DOCTYPE, which is dropped.
                let known = matches!(&*r, "lt" | "gt" | "amp" | "apos" | "quot");
                if known || r.is_char_ref() {
                    write(&mut writer, Event::GeneralRef(r))?;
                }
            }
            Event::Decl(d) => write(&mut writer, Event::Decl(d))?,
            Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    let size = root.ok_or_else(|| "it has no <svg> element".to_owned())?;
    removed.dedup();
    Ok(Cleaned {
        bytes: writer.into_inner(),
        removed,
        size,
    })
}

/// Records the root's size; the root must be `<svg>`.
fn check_root(
    root: &mut Option<(u32, u32)>,
    depth: usize,
    name: &str,
    start: &BytesStart<'_>,
) -> Result<(), String> {
    if depth == 0 && root.is_none() {
        if name != "svg" {
            return Err(format!("its root element is <{name}>, not <svg>"));
        }
        *root = Some(size_of(start));
    }
    Ok(())
}

/// Whether to keep an element called `name`; records why one that matters is removed.
fn keeps_element(name: &str, removed: &mut Vec<String>) -> bool {
    if ELEMENTS.contains(&name) {
        return true;
    }
    if let Some((_, what)) = REPORTED.iter().find(|(n, _)| *n == name) {
        removed.push((*what).to_owned());
    } else if !name.contains(':') {
        removed.push(format!("an unsupported <{name}> element"));
    }
    // Namespaced elements are editor metadata (`sodipodi:namedview`): dropped silently.
    false
}

/// The attributes of a kept element that are safe: no event handlers, no references off
/// the drawing, no editor metadata.
fn clean_attributes(
    start: &BytesStart<'_>,
    name: &str,
    removed: &mut Vec<String>,
) -> Result<BytesStart<'static>, String> {
    let mut cleaned = BytesStart::new(name.to_owned());
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let key = attribute.key.0;
        let value = attribute
            .normalized_value(XML_1_0)
            .map_err(|e| e.to_string())?;
        let lower_key = key.to_ascii_lowercase();
        let lower = value.to_ascii_lowercase();
        if lower_key.starts_with("on") {
            removed.push(format!("an event handler (`{key}`)"));
            continue;
        }
        if lower_key == "href" || lower_key == "xlink:href" {
            if !value.trim_start().starts_with('#') {
                removed.push(format!("a reference off the drawing (`{key}`)"));
                continue;
            }
        } else if lower.contains("javascript:") || external_css(&value) {
            removed.push(format!("a reference off the drawing (`{key}`)"));
            continue;
        }
        let namespaced = key.contains(':');
        let declaration = key == "xmlns" || key == "xmlns:xlink";
        if namespaced && !declaration && lower_key != "xlink:href" && lower_key != "xml:space" {
            // Editor metadata (`inkscape:label`, `xmlns:sodipodi`).
            continue;
        }
        cleaned.push_attribute((key, value.as_ref()));
    }
    Ok(cleaned)
}

/// Whether CSS text loads anything from elsewhere (`@import`, `url(…)` not to `#id`).
fn external_css(css: &str) -> bool {
    let lower = css.to_ascii_lowercase();
    if lower.contains("@import") || lower.contains("expression(") {
        return true;
    }
    lower.match_indices("url(").any(|(at, _)| {
        let rest = lower[at + 4..].trim_start_matches([' ', '"', '\'']);
        !rest.starts_with('#')
    })
}

/// The drawing's size in CSS pixels: `width` and `height` if they are plain numbers (or
/// pixels), else the `viewBox`, else the browser default of 300 × 150.
fn size_of(svg: &BytesStart<'_>) -> (u32, u32) {
    let mut width = None;
    let mut height = None;
    let mut view_box = None;
    for attribute in svg.attributes().flatten() {
        let value = attribute
            .normalized_value(XML_1_0)
            .unwrap_or_default()
            .into_owned();
        match attribute.key.0 {
            "width" => width = pixels(&value),
            "height" => height = pixels(&value),
            "viewBox" => {
                let numbers: Vec<f64> = value
                    .split([' ', ','])
                    .filter(|s| !s.is_empty())
                    .filter_map(|s| s.parse().ok())
                    .collect();
                if let [_, _, w, h] = numbers[..] {
                    view_box = Some((w, h));
                }
            }
            _ => {}
        }
    }
    let round = |v: f64| v.round().clamp(1.0, 100_000.0) as u32;
    match (width, height, view_box) {
        (Some(w), Some(h), _) => (round(w), round(h)),
        (Some(w), None, Some((vw, vh))) if vw > 0.0 => (round(w), round(w * vh / vw)),
        (None, Some(h), Some((vw, vh))) if vh > 0.0 => (round(h * vw / vh), round(h)),
        (_, _, Some((vw, vh))) if vw > 0.0 && vh > 0.0 => (round(vw), round(vh)),
        _ => (300, 150),
    }
}

fn pixels(value: &str) -> Option<f64> {
    let number = value.trim().strip_suffix("px").unwrap_or(value.trim());
    number
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(svg: &str) -> (String, Vec<String>) {
        let c = clean(svg.as_bytes()).unwrap();
        (String::from_utf8(c.bytes).unwrap(), c.removed)
    }

    #[test]
    fn scripts_handlers_and_external_references_are_removed() {
        let (svg, removed) = cleaned(concat!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="10" onload="alert(1)">"##,
            r##"<script>alert(2)</script><rect width="5" height="5" fill="url(#g)" onclick="x()"/>"##,
            r##"<use xlink:href="https://evil.example/a.svg#x"/><use href="#local"/>"##,
            r##"<foreignObject><div>hi</div></foreignObject><image href="data:image/png;base64,AAAA"/>"##,
            r##"<rect style="fill:url(https://t.example/p)"/><style>@import url(https://x.example/a.css);</style>"##,
            r##"<a href="javascript:alert(3)"><text>ok</text></a></svg>"##
        ));
        for gone in [
            "alert",
            "onclick",
            "evil.example",
            "foreignObject",
            "data:image",
            "t.example",
            "x.example",
            "javascript",
        ] {
            assert!(!svg.contains(gone), "{gone} left in {svg}");
        }
        assert!(svg.contains(r##"fill="url(#g)""##), "{svg}");
        assert!(svg.contains(r##"<use href="#local"/>"##), "{svg}");
        assert!(svg.contains("<text>ok</text>"), "{svg}");
        assert!(
            removed.contains(&"a <script> element".to_owned()),
            "{removed:?}"
        );
        assert!(
            removed.contains(&"an event handler (`onload`)".to_owned()),
            "{removed:?}"
        );
    }

    #[test]
    fn comments_doctype_and_editor_metadata_are_dropped_silently() {
        let (svg, removed) = cleaned(concat!(
            "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x \"boom\">]><!-- made by hand -->",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" viewBox=\"0 0 800 600\">",
            "<sodipodi:namedview/><g inkscape:label=\"Layer 1\"><text>&x;&amp;</text></g></svg>"
        ));
        assert!(removed.is_empty(), "{removed:?}");
        assert!(
            !svg.contains("inkscape") && !svg.contains("made by hand") && !svg.contains("boom"),
            "{svg}"
        );
        assert!(svg.contains("<text>&amp;</text>"), "{svg}");
        assert_eq!(clean(svg.as_bytes()).unwrap().size, (800, 600));
    }

    #[test]
    fn sizes_come_from_width_height_or_the_view_box() {
        let size = |s: &str| clean(s.as_bytes()).unwrap().size;
        assert_eq!(size(r#"<svg width="720px" height="405"/>"#), (720, 405));
        assert_eq!(
            size(r#"<svg width="360" viewBox="0 0 720 405"/>"#),
            (360, 203)
        );
        assert_eq!(size(r#"<svg width="50%"/>"#), (300, 150));
    }

    #[test]
    fn what_is_not_an_svg_is_an_error() {
        assert!(
            clean(b"<html><body/></html>")
                .unwrap_err()
                .contains("<svg>")
        );
        assert!(clean(b"<svg><g></svg>").is_err());
        assert!(clean(b"\xff\xfe").is_err());
    }
}
