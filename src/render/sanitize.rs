//! The sanitizer every rendered body goes through before trusted template output is added.

use ammonia::Builder;

/// Builds the HTML sanitizing policy for content bodies.
///
/// Starts from ammonia's safe defaults (no script, style, iframe, object, form, event
/// handlers or `javascript:` URLs) and allows only what fixbook's own Markdown rendering
/// emits on top: heading ids, code highlighting classes, callouts, footnotes and task lists.
pub fn policy() -> Builder<'static> {
    let mut builder = Builder::default();
    builder
        .add_generic_attributes(["class"])
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .add_tag_attributes("a", ["aria-label", "rel"])
        .add_tag_attributes("div", ["id", "role"])
        .add_tag_attributes("sup", ["id"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tags(["input"])
        .link_rel(None)
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("input", "type") if value != "checkbox" => None,
            ("div", "role") if value != "note" => None,
            _ => Some(value.into()),
        });
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_scripts_handlers_and_frames_but_keeps_structure() {
        let html = policy()
            .clean(r#"<h2 id="a" onclick="x()">T</h2><script>alert(1)</script><iframe src="https://ads.example"></iframe><p style="color:red">ok</p>"#)
            .to_string();
        assert_eq!(html, r#"<h2 id="a">T</h2><p>ok</p>"#);
    }

    #[test]
    fn task_list_checkboxes_survive_but_other_inputs_lose_their_type() {
        let html = policy()
            .clean(r#"<input type="checkbox" checked="" disabled=""><input type="password">"#)
            .to_string();
        assert_eq!(
            html,
            r#"<input type="checkbox" checked="" disabled=""><input>"#
        );
    }
}
