//! Escaping and `safe`: Tera's own behaviour, byte for byte, without its copies.

/// Tera's own HTML escaping, byte for byte (`&`, `<`, `>`, `"` and `'`), but writing the
/// text between special characters in one piece instead of one byte at a time: escaping
/// is most of what rendering a page's text costs.
pub(super) fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

/// Tera's `safe` filter without its copy: a string keeps its (shared) text and is only
/// marked safe. Pages print drawn cards and article bodies through it, kilobytes each.
pub(super) fn mark_safe(value: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if value.as_str().is_some() {
        value.clone().mark_safe()
    } else {
        tera::Value::safe_string(&value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;
    use tera::{Context, Tera};

    fn escaped(escape: tera::EscapeFn, text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        escape(text, &mut out).unwrap_or_else(|e| panic!("{e}"));
        out
    }

    proptest! {
        #[test]
        fn escaping_writes_exactly_what_teras_own_does(text in "(\\PC|[&<>\"'])*") {
            prop_assert_eq!(escaped(escape_html, &text), escaped(tera::escape_html, &text));
        }
    }

    /// `{{ v | safe }}` and friends through Tera's own filter and through `mark_safe`.
    fn through_safe(own: bool, value: &tera::Value) -> String {
        let mut tera = Tera::new();
        if own {
            tera.register_filter("safe", mark_safe);
        }
        let template = "{{ v | safe }}|{{ v | safe | upper }}|{{ v | safe | length }}|\
                        {% if v | safe == v %}same{% endif %}|{{ [v | safe] }}";
        // An `.html` name: autoescaping is on, as for every page.
        tera.add_raw_template("t.html", template)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut context = Context::new();
        context.insert("v", value);
        tera.render("t.html", &context)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    proptest! {
        #[test]
        fn marking_safe_renders_like_teras_own_filter(text in "(\\PC|[&<>\"'])*") {
            for value in [tera::Value::from(text.as_str()), tera::Value::safe_string(&text)] {
                prop_assert_eq!(through_safe(true, &value), through_safe(false, &value));
            }
        }
    }

    #[test]
    fn marking_safe_renders_other_values_like_teras_own_filter() {
        let values = [
            tera::Value::from(42),
            tera::Value::from(1.5),
            tera::Value::from(true),
            tera::Value::from(vec![tera::Value::from("<a>"), tera::Value::from(1)]),
            tera::Value::from_serializable(&BTreeMap::from([("k", "<v & w>")])),
            tera::Value::from("x".repeat(100) + "<b>"),
        ];
        for value in &values {
            assert_eq!(
                through_safe(true, value),
                through_safe(false, value),
                "{value:?}"
            );
        }
        assert!(through_safe(true, &values[5]).starts_with(&"x".repeat(100)));
    }

    #[test]
    fn escaping_covers_every_special_character() {
        assert_eq!(
            escaped(escape_html, "a&b<c>d\"e'f"),
            b"a&amp;b&lt;c&gt;d&quot;e&#39;f"
        );
    }
}
