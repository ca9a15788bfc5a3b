//! Trust: whether a segment is plain Markdown whose HTML the sanitizer would keep as it is.

use pulldown_cmark::{Event, Tag};

/// Whether a segment contains only what the renderer writes itself: no raw HTML, no ad
/// blocks, no images, no links off the site or with titles, none of the rarer constructs
/// (footnotes, task lists, aligned tables, math, definition lists, super- and subscript).
/// Anything else goes through the full sanitizer, which also reports what it removed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Trust(pub(super) bool);

impl Trust {
    pub(super) fn see(&mut self, event: &Event<'_>) {
        let plain = match event {
            Event::Html(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => false,
            Event::Start(tag) => match tag {
                Tag::Table(alignments) => alignments
                    .iter()
                    .all(|a| *a == pulldown_cmark::Alignment::None),
                Tag::Link { title, .. } => title.is_empty(),
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::List(_)
                | Tag::Item
                | Tag::TableHead
                | Tag::TableRow
                | Tag::TableCell
                | Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough => true,
                _ => false,
            },
            _ => true,
        };
        self.0 &= plain;
    }

    /// A link stays trusted when it points into the site with nothing to escape.
    pub(super) fn link(&mut self, url: &str) {
        self.0 &= url
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '#' | '~'));
    }
}
