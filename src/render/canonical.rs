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
pub(super) fn canonical(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut state = State::Text;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let mut step = c.len_utf8();
        match (state, c) {
            (State::Text, '<') => {
                state = State::Tag;
                out.push(c);
            }
            (State::Text, '&') => {
                let (spelled, len) = text_entity(rest);
                out.push_str(spelled);
                step = len;
            }
            (State::Text | State::Value, '\u{a0}') => out.push_str("&nbsp;"),
            (State::Tag, '"') => {
                state = State::Value;
                out.push(c);
            }
            (State::Tag, ' ') if rest.starts_with(" />") => {
                out.push('>');
                state = State::Text;
                step = 3;
            }
            (State::Tag, '>') => {
                state = State::Text;
                out.push(c);
            }
            (State::Value, '"') => {
                state = State::Tag;
                out.push(c);
            }
            (State::Value, '&') => {
                let (spelled, len) = value_entity(rest);
                out.push_str(spelled);
                step = len;
            }
            _ => out.push(c),
        }
        rest = &rest[step..];
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between tags.
    Text,
    /// Inside a tag, outside attribute values.
    Tag,
    /// Inside a double-quoted attribute value.
    Value,
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
    use super::canonical;

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
