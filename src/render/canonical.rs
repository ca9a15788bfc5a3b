//! The sanitizer's output for HTML the renderer wrote itself, without running the sanitizer.
//!
//! Sanitizing parses a body into a DOM (twice, to reach a fixed point) and serializes it
//! again: most of the cost of rendering a body. A body made only of plain Markdown (no raw
//! HTML, images, footnotes, task lists, aligned tables or links off the site; see
//! `markdown::Trust`) contains nothing the sanitizer would remove, so its result differs
//! from the renderer's only in how the serializer spells things: quotes and apostrophes
//! in text, `<`/`>`/apostrophes in attribute values, non-breaking spaces and void tags.
//! [`canonical`] respells exactly those. The tests in `render::tests` hold it to the
//! sanitizer's output over the shipped knowledge base and generated Markdown.

/// Respells well-formed HTML written by the renderer the way the sanitizer's serializer does.
///
/// Runs of bytes that need no respelling are copied whole: the scan stops only at the few
/// bytes that can start one in the current state (all ASCII, or the lead byte of a
/// non-breaking space), so every cut falls on a character boundary.
pub(super) fn canonical(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut state = State::Text;
    let mut rest = html;
    while !rest.is_empty() {
        let bytes = rest.as_bytes();
        let found = match state {
            State::Text => memchr::memchr3(b'<', b'&', NBSP_LEAD, bytes),
            State::Tag => memchr::memchr3(b'"', b' ', b'>', bytes),
            State::Value => memchr::memchr3(b'"', b'&', NBSP_LEAD, bytes),
        };
        let Some(at) = found else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let byte = bytes[at];
        let mut step = 1;
        if let Some(next) = state.after(byte) {
            state = next;
            out.push(char::from(byte));
        } else if byte == b'&' {
            let entity = if state == State::Text {
                text_entity
            } else {
                value_entity
            };
            let (spelled, len) = entity(rest);
            out.push_str(spelled);
            step = len;
        } else if byte == NBSP_LEAD {
            // The lead byte of every character from U+0080 to U+00BF: only U+00A0 is
            // respelled, the others are copied as they are.
            step = rest.chars().next().map_or(1, char::len_utf8);
            if rest.starts_with('\u{a0}') {
                out.push_str("&nbsp;");
            } else {
                out.push_str(&rest[..step]);
            }
        } else if rest.starts_with(" />") {
            // A void tag's closing slash (only a tag scans for spaces).
            out.push('>');
            state = State::Text;
            step = 3;
        } else {
            // A space in a tag that does not close it.
            out.push(char::from(byte));
        }
        rest = &rest[step..];
    }
    out
}

/// The first byte of U+00A0 (and of every character up to U+00BF) in UTF-8.
const NBSP_LEAD: u8 = 0xC2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between tags.
    Text,
    /// Inside a tag, outside attribute values.
    Tag,
    /// Inside a double-quoted attribute value.
    Value,
}

impl State {
    /// The state that `byte` opens or closes from this one (`<`, `>` and the quotes of
    /// attribute values), when it does.
    fn after(self, byte: u8) -> Option<State> {
        match (self, byte) {
            (State::Text, b'<') | (State::Value, b'"') => Some(State::Tag),
            (State::Tag, b'"') => Some(State::Value),
            (State::Tag, b'>') => Some(State::Text),
            _ => None,
        }
    }
}

/// In text the serializer escapes `&`, `<`, `>` and non-breaking spaces, nothing else.
fn text_entity(rest: &str) -> (&'static str, usize) {
    for (entity, spelled) in [("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'")] {
        if rest.starts_with(entity) {
            return (spelled, entity.len());
        }
    }
    ("&", 1)
}

/// In attribute values it escapes `&`, `"` and non-breaking spaces, nothing else.
fn value_entity(rest: &str) -> (&'static str, usize) {
    for (entity, spelled) in [
        ("&#39;", "'"),
        ("&#x27;", "'"),
        ("&lt;", "<"),
        ("&gt;", ">"),
    ] {
        if rest.starts_with(entity) {
            return (spelled, entity.len());
        }
    }
    ("&", 1)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{State, canonical};

    /// The respelling one character at a time, as the rules above state it: what the
    /// byte scan must equal on any input.
    fn one_char_at_a_time(html: &str) -> String {
        let mut out = String::new();
        let mut at = State::Text;
        let mut rest = html;
        while let Some(c) = rest.chars().next() {
            let mut step = c.len_utf8();
            let switch = match (at, c) {
                (State::Text, '<') | (State::Value, '"') => Some(State::Tag),
                (State::Tag, '"') => Some(State::Value),
                (State::Tag, '>') => Some(State::Text),
                _ => None,
            };
            if let Some(next) = switch {
                at = next;
                out.push(c);
                rest = &rest[step..];
                continue;
            }
            match (at, c) {
                (State::Text | State::Value, '&') => {
                    let entity = if at == State::Text {
                        super::text_entity
                    } else {
                        super::value_entity
                    };
                    let (spelled, len) = entity(rest);
                    out.push_str(spelled);
                    step = len;
                }
                (State::Text | State::Value, '\u{a0}') => out.push_str("&nbsp;"),
                (State::Tag, ' ') if rest.starts_with(" />") => {
                    out.push('>');
                    at = State::Text;
                    step = 3;
                }
                _ => out.push(c),
            }
            rest = &rest[step..];
        }
        out
    }

    proptest! {
        /// Tags, values, entities and characters near U+00A0 in any order.
        #[test]
        fn the_byte_scan_equals_the_rules_one_character_at_a_time(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("<p class=\"a\">"), Just("<br />"), Just("<hr />"), Just("</p>"),
                    Just("<a href=\"x&amp;y&#39;z&lt;\">"), Just(" />"), Just("\""),
                    Just("&quot;"), Just("&#39;"), Just("&#x27;"), Just("&lt;"), Just("&gt;"),
                    Just("&amp;"), Just("&"), Just("<"), Just(">"), Just(" "),
                    Just("\u{a0}"), Just("\u{a9}"), Just("\u{80}"), Just("é"), Just("—"),
                    Just("“x”"), Just("text"),
                ],
                0..40,
            )
        ) {
            let html: String = parts.concat();
            prop_assert_eq!(canonical(&html), one_char_at_a_time(&html));
        }

        #[test]
        fn any_text_is_respelled_as_the_rules_say(html in "\\PC{0,80}") {
            prop_assert_eq!(canonical(&html), one_char_at_a_time(&html));
        }
    }

    #[test]
    fn respells_quotes_in_text_but_not_in_values() {
        assert_eq!(
            canonical(
                "<p title=\"a &quot;b&quot; &lt;c&gt; d&#39;s\">&quot;x&quot; &#39;y&#x27; &lt;z&gt; &amp;</p>"
            ),
            "<p title=\"a &quot;b&quot; <c> d's\">\"x\" 'y' &lt;z&gt; &amp;</p>"
        );
    }

    #[test]
    fn closes_void_tags_without_a_slash_and_names_nbsp() {
        assert_eq!(canonical("a<br />\nb\u{a0}c<hr />"), "a<br>\nb&nbsp;c<hr>");
    }

    #[test]
    fn leaves_other_text_alone() {
        let html =
            "<h2 id=\"x-y\">Ünïcode — “quotes” 100 %<a class=\"anchor\" href=\"#x-y\">#</a></h2>\n";
        assert_eq!(canonical(html), html);
    }
}
