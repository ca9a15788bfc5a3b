//! One platform's steps of a fix: its rendered body with the other platforms' panels and
//! the tab controls taken out, for a guide that shows one platform at a time.

use lol_html::{RewriteStrSettings, element, rewrite_str};

/// `html` (a fix body, per-platform tabs included) showing only what `platform` needs:
/// the common text and the panels naming it. With no platform, every panel stays, as
/// headed sections. Ids are dropped: a guide page shows one fix once per platform.
pub fn platform_steps(html: &str, platform: Option<&str>) -> String {
    let covers = |el: &lol_html::html_content::Element<'_, '_>| {
        platform.is_none_or(|key| {
            el.get_attribute("data-platforms")
                .is_some_and(|keys| keys.split_whitespace().any(|k| k == key))
        })
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!(".tab-list", |el| {
            el.remove();
            Ok(())
        }))
        .append_element_content_handler(element!(".tab-panel", move |el| {
            if covers(el) {
                el.remove_attribute("role");
                el.remove_attribute("aria-labelledby");
            } else {
                el.remove();
            }
            Ok(())
        }))
        .append_element_content_handler(element!(".tab-panel-title", move |el| {
            if platform.is_some() {
                el.remove();
            }
            Ok(())
        }))
        .append_element_content_handler(element!("[data-platform-tabs]", |el| {
            el.remove_attribute("data-platform-tabs");
            el.set_attribute("class", "platform-steps")?;
            Ok(())
        }))
        .append_element_content_handler(element!("[id]", |el| {
            el.remove_attribute("id");
            Ok(())
        }))
        .with_strict(false);
    // The body was written by fixbook's own renderer: a failure here would be a bug, and
    // showing the whole body is the safe way out of it.
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABS: &str = r#"<p>First.</p>
<div class="platform-tabs" data-platform-tabs>
<div class="tab-list" role="tablist"><button role="tab" id="t-0">Windows</button><button role="tab" id="t-1">Mac</button></div>
<section class="tab-panel" role="tabpanel" id="p-0" aria-labelledby="t-0" data-platforms="windows">
<h4 class="tab-panel-title">Windows</h4>
<p>Open Settings.</p>
</section>
<section class="tab-panel" role="tabpanel" id="p-1" aria-labelledby="t-1" data-platforms="mac iphone">
<h4 class="tab-panel-title">Mac</h4>
<p>Open System Settings.</p>
</section>
</div>
<h2 id="after">After</h2>"#;

    #[test]
    fn only_the_chosen_platforms_panel_is_left_without_tabs_or_ids() {
        let mac = platform_steps(TABS, Some("mac"));
        assert!(mac.contains("Open System Settings."), "{mac}");
        assert!(!mac.contains("Open Settings."), "{mac}");
        assert!(
            !mac.contains("tablist") && !mac.contains("tab-panel-title"),
            "{mac}"
        );
        assert!(!mac.contains(" id="), "{mac}");
        assert!(
            mac.contains("First.") && mac.contains("After</h2>"),
            "{mac}"
        );
        assert!(mac.contains(r#"<div class="platform-steps">"#), "{mac}");
    }

    #[test]
    fn without_a_platform_every_panel_stays_with_its_title() {
        let all = platform_steps(TABS, None);
        assert!(all.contains("Open Settings.") && all.contains("Open System Settings."));
        assert!(all.contains("tab-panel-title"));
    }
}
