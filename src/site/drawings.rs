//! Drawn cards: components drawn once per build for each entry and handed to templates
//! as fields of the entry.

use std::sync::OnceLock;

use super::theme::Theme;
use crate::diagnostic::Diagnostic;

/// An entry as a template value, or why one of its drawings failed.
pub(super) type Drawn = Result<tera::Value, Diagnostic>;

/// A component drawn once per build for each entry, and given to templates as a field of
/// the entry. A component sees only its arguments, so an entry's drawing is the same on
/// every page that shows it: a fix that 500 articles recommend is drawn once, not 500
/// times. The drawing is the site theme's component, so overriding it still works.
pub(super) struct Drawing {
    /// The entry's field that holds the drawing.
    field: &'static str,
    /// The component, called with the entry as its argument `argument`.
    component: &'static str,
    argument: &'static str,
    /// A `heading` argument, when not the component's default.
    heading: Option<i64>,
}

/// `card_html`: the fix's `fix_card`.
pub(super) const FIX_DRAWINGS: &[Drawing] = &[Drawing {
    field: "card_html",
    component: "fix_card",
    argument: "fix",
    heading: None,
}];

/// `card_html` and `card_html_h2`: the article's `article_card`, its title a level-3 and
/// a level-2 heading.
pub(super) const ARTICLE_DRAWINGS: &[Drawing] = &[
    Drawing {
        field: "card_html",
        component: "article_card",
        argument: "article",
        heading: None,
    },
    Drawing {
        field: "card_html_h2",
        component: "article_card",
        argument: "article",
        heading: Some(2),
    },
];

/// `link_html` and `row_html`: the status message's `status_link` and `status_row`.
pub(super) const STATUS_DRAWINGS: &[Drawing] = &[
    Drawing {
        field: "link_html",
        component: "status_link",
        argument: "status",
        heading: None,
    },
    Drawing {
        field: "row_html",
        component: "status_row",
        argument: "status",
        heading: None,
    },
];

/// `n` empty slots.
pub(super) fn unset<T>(n: usize) -> Vec<OnceLock<T>> {
    (0..n).map(|_| OnceLock::new()).collect()
}

/// The template value of `item` with its `drawings`, made once in `slot`.
pub(super) fn drawn(
    theme: &Theme,
    slot: &OnceLock<Drawn>,
    item: &impl serde::Serialize,
    drawings: &[Drawing],
) -> Drawn {
    slot.get_or_init(|| {
        let value = tera::Value::from_serializable(item);
        let mut fields = value.clone().into_map().unwrap_or_default();
        for drawing in drawings {
            let mut arguments = tera::Context::new();
            arguments.insert_value(drawing.argument, value.clone());
            if let Some(heading) = drawing.heading {
                arguments.insert("heading", &heading);
            }
            if let Some(html) = theme
                .render_component(drawing.component, &arguments)
                .transpose()?
            {
                fields.insert(drawing.field.into(), tera::Value::safe_string(&html));
            }
        }
        Ok(tera::Value::from(fields))
    })
    .clone()
}
