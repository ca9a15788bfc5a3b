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

/// Follows raw HTML through a segment: feed it every piece of raw HTML in order.
#[derive(Debug, Default)]
pub(super) struct RawTextScan {
    open: Option<Unclosed>,
    in_comment: bool,
}

impl RawTextScan {
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
                match find_tag(&html[at..], name, true) {
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
            at += 1;
        }
    }

    /// The element still open at the end of the segment, if any.
    pub(super) fn finish(self) -> Option<Unclosed> {
        self.open
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

/// Where the next `<name` (or `</name` with `end`) tag starts in `html`.
fn find_tag(html: &str, name: &str, end: bool) -> Option<usize> {
    let opener = if end { "</" } else { "<" };
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

    fn scan(pieces: &[&str]) -> Option<Unclosed> {
        let mut scan = RawTextScan::default();
        let mut base = 0;
        for piece in pieces {
            scan.feed(piece, |i| base + i);
            base += piece.len() + 100;
        }
        scan.finish()
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
}
