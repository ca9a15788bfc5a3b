//! Where rendered HTML came from: a map from byte offsets of a segment's HTML back to its
//! Markdown, so that what the sanitizer removes is reported at the writer's line and column.

use std::cell::Cell;

use pulldown_cmark::Event;

/// Where an output event came from: its byte offset in the segment, and whether its text
/// is a verbatim copy of the segment there (raw HTML), so that offsets inside it map exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Origin {
    pub(super) offset: usize,
    pub(super) verbatim: bool,
}

impl Origin {
    pub(super) fn at(offset: usize) -> Self {
        Self {
            offset,
            verbatim: false,
        }
    }
}

/// Maps byte offsets of a segment's rendered HTML back to byte offsets of its Markdown.
#[derive(Debug, Clone, Default)]
pub(super) struct SourceMap {
    /// (offset in the HTML where an event's output starts, where the event came from).
    spans: Vec<(usize, Origin)>,
}

impl SourceMap {
    /// The Markdown offset that produced the HTML at `offset`.
    pub(super) fn source(&self, offset: usize) -> usize {
        let index = self.spans.partition_point(|(start, _)| *start <= offset);
        match index.checked_sub(1).map(|i| self.spans[i]) {
            Some((start, origin)) if origin.verbatim => origin.offset + (offset - start),
            Some((_, origin)) => origin.offset,
            None => 0,
        }
    }
}

/// Renders events to HTML, noting where each event's output starts.
pub(super) fn render_tracked(
    events: Vec<(Event<'_>, Origin)>,
    capacity: usize,
) -> (String, SourceMap) {
    struct Tracked<'w> {
        html: String,
        written: &'w Cell<usize>,
    }
    impl std::fmt::Write for Tracked<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.html.push_str(s);
            self.written.set(self.html.len());
            Ok(())
        }
    }
    let written = Cell::new(0);
    let mut spans = Vec::with_capacity(events.len());
    let mut writer = Tracked {
        html: String::with_capacity(capacity),
        written: &written,
    };
    let events = events.into_iter().map(|(event, origin)| {
        spans.push((written.get(), origin));
        event
    });
    // Writing into a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(&mut writer, events);
    (writer.html, SourceMap { spans })
}
