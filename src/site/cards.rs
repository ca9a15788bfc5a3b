//! Drawn cards: the components a list entry carries, drawn once per build.

use std::sync::OnceLock;

use foldhash::HashMap;

use super::theme::Theme;
use super::{ItemDigests, Site};
use crate::diagnostic::Diagnostic;

/// An entry as a template value, or why one of its drawings failed.
pub(super) type Drawn = Result<tera::Value, Diagnostic>;

/// An article entry's drawings alone (field, drawn HTML), or why one failed. A site
/// shows each of its articles in about ten lists and has up to hundreds of thousands: the
/// entry's other fields are made again from its reference on each use, so a large site
/// keeps about 1 KB per article for its cards instead of 3 KB.
pub(super) type DrawnCards = Result<Box<[(&'static str, tera::Value)]>, Diagnostic>;

/// A component drawn once per build for each entry, and given to templates as a field of
/// the entry. A component sees only its arguments, so an entry's drawing is the same on
/// every page that shows it: a fix that 500 articles recommend is drawn once, not 500
/// times. The drawing is the site theme's component, so overriding it still works.
struct Drawing {
    /// The entry's field that holds the drawing.
    field: &'static str,
    /// The component, called with the entry as its argument `argument`.
    component: &'static str,
    argument: &'static str,
    /// A `heading` argument, when not the component's default.
    heading: Option<i64>,
}

/// `card_html`: the fix's `fix_card`.
const FIX_DRAWINGS: &[Drawing] = &[Drawing {
    field: "card_html",
    component: "fix_card",
    argument: "fix",
    heading: None,
}];

/// `card_html` and `card_html_h2`: the article's `article_card`, its title a level-3 and
/// a level-2 heading.
const ARTICLE_DRAWINGS: &[Drawing] = &[
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
const STATUS_DRAWINGS: &[Drawing] = &[
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

impl Site<'_> {
    /// Article `i`'s list entry as a template value, with its drawn cards.
    pub(super) fn article_value(&self, theme: &Theme, i: usize) -> Drawn {
        let value = tera::Value::from_serializable(&self.article_refs[i]);
        let cards = self.article_values[i].get_or_init(|| {
            draw(theme, &value, ARTICLE_DRAWINGS)
                .map(|fields| fields.into_iter().collect::<Box<[_]>>())
        });
        let cards = cards.as_ref().map_err(Clone::clone)?;
        Ok(with_fields(value, cards.iter().cloned()))
    }

    /// Status message `i`'s list entry as a template value, with its drawn link and row.
    pub(super) fn status_value(&self, theme: &Theme, i: usize) -> Drawn {
        drawn(
            theme,
            &self.status_values[i],
            &self.status_refs[i],
            STATUS_DRAWINGS,
        )
    }

    /// Fix `i`'s card as a template value, with its drawing.
    pub(super) fn fix_value(&self, theme: &Theme, i: usize) -> Drawn {
        drawn(theme, &self.fix_values[i], &self.fix_cards[i], FIX_DRAWINGS)
    }
}

/// Entries drawn by an earlier [`Site`] of the same theme and configuration, by the
/// [digest](super::digest) of the entry each drew. A drawing depends only on its entry and
/// the theme (a component sees only its arguments and the site-wide globals), so one
/// whose entry is unchanged is the drawing a new site would make: `fixbook serve` keeps
/// them between rebuilds, and a platform page's hundreds of fix cards are not drawn again
/// when one article's title changed.
#[derive(Debug, Default)]
pub struct Drawings {
    articles: HashMap<u64, DrawnCards>,
    statuses: HashMap<u64, Drawn>,
    fixes: HashMap<u64, Drawn>,
}

impl Drawings {
    /// How many drawings are kept.
    pub fn len(&self) -> usize {
        self.articles.len() + self.statuses.len() + self.fixes.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Site<'_> {
    /// Takes from `drawings` those of entries that did not change; `digests` are the
    /// entries' digests, index-aligned with this site's library.
    #[must_use]
    pub fn with_drawings(mut self, mut drawings: Drawings, digests: &ItemDigests) -> Self {
        fill(
            &mut self.article_values,
            &mut drawings.articles,
            &digests.article_entries,
        );
        fill(
            &mut self.status_values,
            &mut drawings.statuses,
            &digests.status_entries,
        );
        fill(
            &mut self.fix_values,
            &mut drawings.fixes,
            &digests.fix_entries,
        );
        self
    }

    /// Every entry drawn so far (given or drawn by this site), for the next site of the
    /// same theme; `digests` as for [`Site::with_drawings`].
    pub fn take_drawings(&mut self, digests: &ItemDigests) -> Drawings {
        Drawings {
            articles: taken(&mut self.article_values, &digests.article_entries),
            statuses: taken(&mut self.status_values, &digests.status_entries),
            fixes: taken(&mut self.fix_values, &digests.fix_entries),
        }
    }
}

/// Sets each empty slot whose entry digest `drawings` knows.
fn fill<T>(slots: &mut [OnceLock<T>], drawings: &mut HashMap<u64, T>, digests: &[u64]) {
    if drawings.is_empty() {
        return;
    }
    for (slot, digest) in slots.iter_mut().zip(digests) {
        if let Some(drawn) = drawings.remove(digest) {
            let _ = slot.set(drawn);
        }
    }
}

/// The drawn slots' values by entry digest; the slots are left empty.
fn taken<T>(slots: &mut [OnceLock<T>], digests: &[u64]) -> HashMap<u64, T> {
    slots
        .iter_mut()
        .zip(digests)
        .filter_map(|(slot, &digest)| Some((digest, slot.take()?)))
        .collect()
}

/// `n` empty slots.
pub(super) fn unset<T>(n: usize) -> Vec<OnceLock<T>> {
    (0..n).map(|_| OnceLock::new()).collect()
}

/// The template value of `item` with its `drawings`, made once in `slot`.
fn drawn(
    theme: &Theme,
    slot: &OnceLock<Drawn>,
    item: &impl serde::Serialize,
    drawings: &[Drawing],
) -> Drawn {
    slot.get_or_init(|| {
        let value = tera::Value::from_serializable(item);
        let fields = draw(theme, &value, drawings)?;
        Ok(with_fields(value, fields))
    })
    .clone()
}

/// The drawings of the entry `value`: each field with its component's HTML.
fn draw(
    theme: &Theme,
    value: &tera::Value,
    drawings: &[Drawing],
) -> Result<Vec<(&'static str, tera::Value)>, Diagnostic> {
    let mut fields = Vec::with_capacity(drawings.len());
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
            fields.push((drawing.field, tera::Value::safe_string(&html)));
        }
    }
    Ok(fields)
}

/// The entry `value` (a map) with `fields` added.
fn with_fields(
    value: tera::Value,
    fields: impl IntoIterator<Item = (&'static str, tera::Value)>,
) -> tera::Value {
    let mut map = value.into_map().unwrap_or_default();
    for (field, html) in fields {
        map.insert(field.into(), html);
    }
    tera::Value::from(map)
}
