//! Entries: what other pages show of each item (list entries, fix cards), made once per
//! item so that incremental rebuilds can keep them.

use rayon::prelude::*;

use super::context::{ArticleRef, FixCard, PlatformRef, StatusRef};
use super::{DESCRIPTION_CHARS, last_change, truncate_words};
use crate::config::Config;
use crate::content::{Article, Fix, Kind, Library, Located, StatusMessage};
use crate::render::{Bodies, RenderedBody};

/// What other pages show of each item: the list entries of articles and status messages,
/// and the fix cards; index-aligned with the library. A full build makes them all once;
/// incremental rebuilds keep them and remake those of the items that changed.
#[derive(Debug, Clone, Default)]
pub struct Entries {
    /// One per article.
    pub articles: Vec<ArticleRef>,
    /// One per status message.
    pub statuses: Vec<StatusRef>,
    /// One per fix.
    pub fixes: Vec<FixCard>,
}

impl Entries {
    /// Every item's entry, in parallel.
    pub fn new(config: &Config, library: &Library, bodies: &Bodies) -> Entries {
        Entries {
            articles: library
                .articles
                .par_iter()
                .zip(&bodies.articles)
                .map(|(a, body)| article_entry(config, a, body))
                .collect(),
            statuses: library
                .statuses
                .iter()
                .map(|s| status_entry(config, s))
                .collect(),
            fixes: library
                .fixes
                .par_iter()
                .zip(&bodies.fixes)
                .map(|(f, body)| fix_entry(config, f, body))
                .collect(),
        }
    }
}

pub(super) fn platform_ref(config: &Config, key: &str) -> PlatformRef {
    PlatformRef {
        key: key.to_owned(),
        label: config
            .platform(key)
            .map_or_else(|| key.to_owned(), |p| p.label.clone()),
        url: config.url(&super::PageId::platform_path(key)),
    }
}

pub(super) fn platform_refs(config: &Config, keys: &[Located<String>]) -> Vec<PlatformRef> {
    keys.iter()
        .map(|k| platform_ref(config, &k.value))
        .collect()
}

pub(super) fn article_description(article: &Article, body: &RenderedBody) -> String {
    article
        .description
        .clone()
        .unwrap_or_else(|| truncate_words(&body.summary, DESCRIPTION_CHARS))
}

/// An article as lists show it.
pub fn article_entry(config: &Config, article: &Article, body: &RenderedBody) -> ArticleRef {
    ArticleRef {
        slug: article.slug.clone(),
        title: article.title.clone(),
        url: config.url(&Kind::Article.page_path(&article.slug)),
        description: article_description(article, body),
        date: last_change(article).iso_date(),
        date_display: last_change(article).display(),
        platforms: platform_refs(config, &article.platforms),
    }
}

/// A status message as lists show it.
pub fn status_entry(config: &Config, status: &StatusMessage) -> StatusRef {
    StatusRef {
        slug: status.slug.clone(),
        message: status.message.clone(),
        url: config.url(&Kind::Status.page_path(&status.slug)),
        meaning: status.meaning.clone(),
        severity: status.severity.key(),
    }
}

/// A fix as a card with its steps, as articles, status and platform pages show it.
pub fn fix_entry(config: &Config, fix: &Fix, body: &RenderedBody) -> FixCard {
    FixCard {
        slug: fix.slug.clone(),
        title: fix.title.clone(),
        url: config.url(&Kind::Fix.page_path(&fix.slug)),
        description: fix
            .description
            .clone()
            .unwrap_or_else(|| truncate_words(&body.summary, DESCRIPTION_CHARS)),
        risk: fix.risk.value.key(),
        risk_label: fix.risk.value.label(),
        duration: fix.duration.clone().unwrap_or_default(),
        platforms: platform_refs(config, &fix.platforms),
        warning: fix.warning.clone().unwrap_or_default(),
        content: body.html.unpack(),
    }
}
