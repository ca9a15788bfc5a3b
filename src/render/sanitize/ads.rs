//! Comment-delimited ad blocks: `<!-- … ads begin -->` … `<!-- … ads end -->`.
//!
//! Pages saved from the web mark their ad slots with such comments. Everything between a
//! pair is dropped from the Markdown event stream before rendering, so the ad's images,
//! links and text never reach the page. Events are dropped only when they lie entirely
//! inside a block (a Start and its End share one range, so the stream stays balanced), and
//! raw HTML that straddles a marker is cut at the marker.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

/// The ad blocks of one Markdown segment, as byte ranges of its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdBlocks {
    /// From the start of the begin comment to the end of the end comment, widened to whole
    /// lines when nothing else is on them.
    pub blocks: Vec<Range<usize>>,
    /// Begin comments that no end comment follows: nothing is removed for them.
    pub unclosed: Vec<Range<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Begin,
    End,
}

impl AdBlocks {
    /// Finds the markers in the raw HTML of `events` (comments in code are not raw HTML).
    pub fn find(text: &str, events: &[(Event<'_>, Range<usize>)]) -> Self {
        let mut found = AdBlocks::default();
        if !text.contains("<!--") {
            return found;
        }
        let mut open: Option<Range<usize>> = None;
        for (start, end, marker) in markers(text, events) {
            match (marker, &open) {
                (Marker::Begin, None) => open = Some(start..end),
                (Marker::End, Some(begin)) => {
                    found.blocks.push(widen(text, begin.start..end));
                    open = None;
                }
                // A second begin inside a block, or an end without a begin: nothing to pair.
                _ => {}
            }
        }
        found.unclosed.extend(open);
        found
    }

    /// True when there is nothing to remove.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Drops the events inside ad blocks, cutting raw HTML that straddles a block's edge.
    pub fn filter<'e>(
        &self,
        text: &str,
        events: Vec<(Event<'e>, Range<usize>)>,
    ) -> Vec<(Event<'e>, Range<usize>)> {
        if self.is_empty() {
            return events;
        }
        events
            .into_iter()
            .filter_map(|(event, range)| {
                let Some(block) = self
                    .blocks
                    .iter()
                    .find(|b| b.start < range.end && range.start < b.end)
                else {
                    return Some((event, range));
                };
                if block.start <= range.start && range.end <= block.end {
                    return None;
                }
                match event {
                    Event::Html(html) | Event::InlineHtml(html)
                        if text.get(range.clone()) == Some(html.as_ref()) =>
                    {
                        let keep_start = block.start.saturating_sub(range.start).min(html.len());
                        let keep_end = block.end.saturating_sub(range.start).min(html.len());
                        let cut = format!("{}{}", &html[..keep_start], &html[keep_end..]);
                        Some((Event::Html(CowStr::from(cut)), range))
                    }
                    other => Some((other, range)),
                }
            })
            .collect()
    }
}

/// Every begin or end comment in the raw HTML, in order, as (start, end, marker).
fn markers(text: &str, events: &[(Event<'_>, Range<usize>)]) -> Vec<(usize, usize, Marker)> {
    // Raw HTML blocks arrive one line per event: join touching ranges so that a comment
    // written over several lines is seen whole.
    let mut runs: Vec<Range<usize>> = Vec::new();
    for (event, range) in events {
        if !matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            continue;
        }
        match runs.last_mut() {
            Some(last) if last.end >= range.start => last.end = last.end.max(range.end),
            _ => runs.push(range.clone()),
        }
    }
    let mut found = Vec::new();
    for run in runs {
        let Some(html) = text.get(run.clone()) else {
            continue;
        };
        let mut from = 0;
        while let Some(open) = html[from..].find("<!--").map(|i| from + i) {
            let Some(close) = html[open + 4..].find("-->").map(|i| open + 4 + i + 3) else {
                break;
            };
            if let Some(marker) = classify(&html[open + 4..close - 3]) {
                found.push((run.start + open, run.start + close, marker));
            }
            from = close;
        }
    }
    found
}

/// `affiliate ads begin` → Begin, `ads end` → End; anything else is an ordinary comment.
fn classify(comment: &str) -> Option<Marker> {
    let words: Vec<String> = comment
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    let [.., what, edge] = words.as_slice() else {
        return None;
    };
    if !matches!(
        what.as_str(),
        "ad" | "ads" | "advert" | "adverts" | "advertisement"
    ) {
        return None;
    }
    match edge.as_str() {
        "begin" | "start" => Some(Marker::Begin),
        "end" | "stop" => Some(Marker::End),
        _ => None,
    }
}

/// Extends a block over the blanks before it on its first line and the blanks and line
/// break after it on its last line, so that whole-line ads leave no empty lines behind.
fn widen(text: &str, block: Range<usize>) -> Range<usize> {
    let before = &text[..block.start];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let start = if before[line_start..].trim().is_empty() {
        line_start
    } else {
        block.start
    };
    let after = &text[block.end..];
    let line_end = after.find('\n').map_or(text.len(), |i| block.end + i + 1);
    let end = if text[block.end..line_end].trim().is_empty() {
        line_end
    } else {
        block.end
    };
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn events(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
        Parser::new(text).into_offset_iter().collect()
    }

    fn render(text: &str) -> (String, AdBlocks) {
        let all = events(text);
        let ads = AdBlocks::find(text, &all);
        let kept = ads.filter(text, all);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, kept.into_iter().map(|(e, _)| e));
        (html, ads)
    }

    #[test]
    fn whole_line_ad_block_between_paragraphs_disappears() {
        let text = "Intro.\n\n<!-- affiliate ads begin -->\n<a href=\"https://shop.example.com/?aff=1\"><img src=\"https://ads.example.net/b.png\"></a>\n<!-- affiliate ads end -->\n## Next\n";
        let (html, ads) = render(text);
        assert_eq!(html, "<p>Intro.</p>\n<h2>Next</h2>\n");
        assert_eq!(ads.blocks.len(), 1);
        assert_eq!(
            &text[ads.blocks[0].clone()][..29],
            "<!-- affiliate ads begin -->\n"
        );
    }

    #[test]
    fn inline_ad_block_keeps_the_text_around_it() {
        let (html, _) = render("Before <!-- ads begin --><b>Buy</b> now <!-- ads end --> after.\n");
        assert_eq!(html, "<p>Before  after.</p>\n");
    }

    #[test]
    fn ad_block_inside_one_html_block_is_cut_out() {
        let (html, _) =
            render("<div><!-- ads start --><ins>x</ins><!-- ads stop --><p>kept</p></div>\n");
        assert_eq!(html, "<div><p>kept</p></div>\n");
    }

    #[test]
    fn markers_in_code_are_text_not_ads() {
        let (html, ads) = render("```\n<!-- ads begin -->\nx\n<!-- ads end -->\n```\n");
        assert!(ads.blocks.is_empty());
        assert!(html.contains("&lt;!-- ads begin --&gt;"), "{html}");
    }

    #[test]
    fn unclosed_begin_removes_nothing() {
        let text = "<!-- ads begin -->\n\nStill here.\n";
        let (html, ads) = render(text);
        assert!(html.contains("Still here."));
        assert_eq!(ads.unclosed, vec![0..18]);
    }

    #[test]
    fn ordinary_comments_are_not_markers() {
        for comment in [
            "",
            "ads",
            "begin",
            "headers begin",
            "roads end",
            "ads beginning",
        ] {
            assert_eq!(classify(comment), None, "{comment}");
        }
        assert_eq!(classify(" Google Ads BEGIN "), Some(Marker::Begin));
    }
}
