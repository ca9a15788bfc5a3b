//! What raw HTML in Markdown can do to the rest of a page, found from a segment's raw HTML in
//! order so that each is an error at its position: raw-text elements left open, and
//! nesting too deep to parse in reasonable time.
//!
//! Raw-text elements left open. In HTML, everything after `<script>`, `<style>`,
//! `<textarea>`, `<title>`, `<iframe>`, `<noscript>`, `<noembed>`, `<noframes>` or `<xmp>`
//! is the element's text up to its end tag, and after `<plaintext>` everything is. Written in
//! prose without backticks ("never paste a <script> tag"), such a tag swallows the rest of
//! the article: the sanitizer then removes it all, or shows it as source. Found here, from
//! the raw HTML of a segment in order, so that it is an error at the tag's position.

/// The elements whose content is raw text up to their end tag (`plaintext` has none).
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "iframe",
    "noscript",
    "noembed",
    "noframes",
    "xmp",
    "plaintext",
];

/// The deepest raw HTML elements may nest, as in browsers' parsers.
pub(super) const MAX_DEPTH: usize = 512;

/// Elements that never hold others, and elements an HTML parser closes by itself when the
/// next of their kind starts: neither nests.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rtc", "rp",
    "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body",
];

/// A raw-text element that is never closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Unclosed {
    /// Where its start tag begins, as a byte offset in the segment.
    pub offset: usize,
    /// The element, lowercase.
    pub name: &'static str,
}

impl Unclosed {
    /// The error, at the tag's `line` and `column` in `path`.
    pub(super) fn diagnostic(
        &self,
        path: &std::path::Path,
        line: usize,
        column: usize,
    ) -> crate::diagnostic::Diagnostic {
        let tag = format!("<{}>", self.name);
        let message = if self.name == "plaintext" {
            format!("`{tag}` turns the rest of the page into raw source")
        } else {
            format!("`{tag}` is never closed, so everything after it would vanish from the page")
        };
        crate::diagnostic::Diagnostic::error(path, line, column, message).with_hint(format!(
            "to write about the tag, put it in backticks (`` `{tag}` ``); otherwise delete it"
        ))
    }
}

/// The first tag that nests elements deeper than [`MAX_DEPTH`], as a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TooDeep {
    pub offset: usize,
}

impl TooDeep {
    /// The error, at the tag's `line` and `column` in `path`.
    pub(super) fn diagnostic(
        self,
        path: &std::path::Path,
        line: usize,
        column: usize,
    ) -> crate::diagnostic::Diagnostic {
        crate::diagnostic::Diagnostic::error(
            path,
            line,
            column,
            format!("raw HTML nests more than {MAX_DEPTH} elements deep here"),
        )
        .with_hint(
            "no page needs this many levels, and parsing them would stall the build: close \
             the elements (`</div>`), or remove the pasted markup and write it in Markdown",
        )
    }
}

/// What one segment's raw HTML does to the page.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Findings {
    /// A raw-text element still open at the end.
    pub unclosed: Option<Unclosed>,
    /// The first tag past the nesting budget.
    pub too_deep: Option<TooDeep>,
}

/// Follows raw HTML through a segment: feed it every piece of raw HTML in order.
#[derive(Debug, Default)]
pub(super) struct RawHtmlScan {
    open: Option<Unclosed>,
    in_comment: bool,
    depth: usize,
    too_deep: Option<TooDeep>,
}

impl RawHtmlScan {
    /// Reads one piece of raw HTML; `offset_of(i)` is where byte `i` of it lies in the
    /// segment.
    pub(super) fn feed(&mut self, html: &str, offset_of: impl Fn(usize) -> usize) {
        let bytes = html.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if self.in_comment {
                match html[at..].find("-->") {
                    Some(end) => {
                        self.in_comment = false;
                        at += end + 3;
                        continue;
                    }
                    None => return,
                }
            }
            if let Some(name) = self.open.as_ref().map(|open| open.name) {
                // Inside a raw-text element only its own end tag counts.
                match find_end_tag(&html[at..], name) {
                    Some(end) if name != "plaintext" => {
                        self.open = None;
                        at += end + 2 + name.len();
                        continue;
                    }
                    _ => return,
                }
            }
            let Some(lt) = html[at..].find('<') else {
                return;
            };
            at += lt;
            let rest = &html[at + 1..];
            if rest.starts_with("!--") {
                self.in_comment = true;
                at += 4;
                continue;
            }
            if let Some(name) = RAW_TEXT.iter().find(|name| starts_tag(rest, name)) {
                self.open = Some(Unclosed {
                    offset: offset_of(at),
                    name,
                });
                at += 1 + name.len();
                continue;
            }
            self.nest(rest, || offset_of(at));
            at += 1;
        }
    }

    /// Counts the tag that `rest` (what follows a `<`) starts, if any, towards the depth.
    fn nest(&mut self, rest: &str, offset: impl Fn() -> usize) {
        let (closing, rest) = match rest.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        if name_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
            return;
        }
        let name = &rest[..name_len];
        if NOT_NESTING.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            return;
        }
        if closing {
            self.depth = self.depth.saturating_sub(1);
            return;
        }
        let self_closing = rest.find('>').is_some_and(|end| rest[..end].ends_with('/'));
        if !self_closing {
            self.depth += 1;
            if self.depth > MAX_DEPTH && self.too_deep.is_none() {
                self.too_deep = Some(TooDeep { offset: offset() });
            }
        }
    }

    /// Whether the nesting budget was passed already.
    pub(super) fn is_too_deep(&self) -> bool {
        self.too_deep.is_some()
    }

    /// What the segment's raw HTML does, once all of it was fed.
    pub(super) fn finish(self) -> Findings {
        Findings {
            unclosed: self.open,
            too_deep: self.too_deep,
        }
    }
}

/// Whether `rest` (what follows a `<`) starts the tag `name`: the name, case-insensitive,
/// then a space, `>`, `/` or the end.
fn starts_tag(rest: &str, name: &str) -> bool {
    rest.get(..name.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(name))
        && rest[name.len()..]
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/')
}

/// Where the next end tag `</name` starts in `html`.
fn find_end_tag(html: &str, name: &str) -> Option<usize> {
    let opener = "</";
    let mut from = 0;
    while let Some(found) = html[from..].find(opener) {
        let at = from + found;
        if starts_tag(&html[at + opener.len()..], name) {
            return Some(at);
        }
        from = at + opener.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(pieces: &[&str]) -> Findings {
        let mut scan = RawHtmlScan::default();
        let mut base = 0;
        for piece in pieces {
            scan.feed(piece, |i| base + i);
            base += piece.len() + 100;
        }
        scan.finish()
    }

    fn scan(pieces: &[&str]) -> Option<Unclosed> {
        findings(pieces).unclosed
    }

    #[test]
    fn an_element_closed_later_is_fine_and_one_never_closed_is_found_where_it_starts() {
        assert_eq!(scan(&["<script>", "x", "</script>"]), None);
        assert_eq!(scan(&["<STYLE type=\"a\">p{}</Style >"]), None);
        assert_eq!(
            scan(&["<b>", "a <textarea> b"]),
            Some(Unclosed {
                offset: 103 + 2,
                name: "textarea"
            })
        );
        assert_eq!(
            scan(&["<iframe src=x>"]).map(|u| u.name),
            Some("iframe"),
            "an attribute does not hide it"
        );
    }

    #[test]
    fn inside_a_raw_text_element_other_tags_do_not_count() {
        assert_eq!(scan(&["<script>", "<style>", "</script>"]), None);
        assert_eq!(
            scan(&["<script>", "</style>"]).map(|u| u.name),
            Some("script")
        );
    }

    #[test]
    fn comments_and_lookalike_names_are_not_tags() {
        assert_eq!(scan(&["<!-- <script> -->"]), None);
        assert_eq!(scan(&["<scripts>", "<titled>", "<xmpp>"]), None);
        assert_eq!(scan(&["<!-- a", "<script>", "--> b"]), None);
    }

    #[test]
    fn plaintext_never_ends() {
        assert_eq!(
            scan(&["<plaintext>", "</plaintext>"]).map(|u| u.name),
            Some("plaintext")
        );
    }

    #[test]
    fn nesting_past_the_budget_is_found_at_the_first_tag_too_deep() {
        let deep = "<div>".repeat(MAX_DEPTH + 10);
        assert_eq!(
            findings(&[&deep]).too_deep,
            Some(TooDeep {
                offset: MAX_DEPTH * 5
            })
        );
        let balanced = "<section><div>x</div></section>".repeat(10_000);
        assert_eq!(findings(&[&balanced]).too_deep, None);
        // Elements that do not nest, and self-closed ones, never count.
        let flat = "<p>a<li>b<br><img src=x/><span/>".repeat(2_000);
        assert_eq!(findings(&[&flat]).too_deep, None);
        let at_budget = "<div>".repeat(MAX_DEPTH);
        assert_eq!(findings(&[&at_budget]).too_deep, None);
    }
}
