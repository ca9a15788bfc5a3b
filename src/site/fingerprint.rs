//! Page fingerprints: a digest of everything a page is made of, so that a rebuild renders
//! only the pages whose fingerprint changed.
//!
//! Each function here mirrors the page function of the same name in `pages.rs` and must
//! read what it reads. The incremental tests compare rebuilt sites with full builds after
//! every kind of edit, which is what catches an input one of them forgot.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;

use super::pages::{position, top_problems};
use super::theme::Theme;
use super::{PageId, Site, feeds};
use crate::content::{Located, slugify};

/// A digest of each content item's parsed source and rendered body, index-aligned with the
/// library's lists. Whoever keeps a library between builds knows which items changed and
/// supplies these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemDigests {
    /// One per article.
    pub articles: Vec<u64>,
    /// One per fix.
    pub fixes: Vec<u64>,
    /// One per status message.
    pub statuses: Vec<u64>,
}

/// Digests of the shared list entries, computed once per fingerprinting.
struct RefDigests<'a> {
    articles: Vec<u64>,
    statuses: Vec<u64>,
    fixes: Vec<u64>,
    tag_counts: HashMap<&'a str, Option<usize>>,
}

/// Stands for a reference that does not resolve.
const MISSING: u64 = u64::MAX;

fn digest(value: &(impl Hash + ?Sized)) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl Site<'_> {
    /// Every page's fingerprint, in [`Site::page_ids`] order. The configuration and site
    /// options are not part of it: with another configuration, everything is rebuilt.
    pub fn fingerprints(&self, theme: &Theme, items: &ItemDigests) -> Vec<(PageId, u64)> {
        let t0 = std::time::Instant::now();
        // Tag counts by the names articles use, so that no name is slugified twice.
        let mut tag_counts: HashMap<&str, Option<usize>> = HashMap::new();
        for article in &self.library.articles {
            for tag in &article.tags {
                tag_counts
                    .entry(tag.as_str())
                    .or_insert_with(|| self.graph.tags.get(&slugify(tag)).map(|(_, m)| m.len()));
            }
        }
        let refs = RefDigests {
            articles: self.article_refs.par_iter().map(digest).collect(),
            statuses: self.status_refs.par_iter().map(digest).collect(),
            fixes: self.fix_cards.par_iter().map(digest).collect(),
            tag_counts,
        };
        eprintln!("TIMING refs {:?}", t0.elapsed());
        let ids = self.page_ids();
        eprintln!("TIMING ids {:?}", t0.elapsed());
        ids
            .into_par_iter()
            .map(|id| {
                let mut hasher = DefaultHasher::new();
                id.template().map(|t| theme.digest(t)).hash(&mut hasher);
                inputs(self, items, &refs, &id, &mut hasher);
                (id, hasher.finish())
            })
            .collect()
    }
}

/// Feeds what the page `id` shows into `h`.
fn inputs(
    site: &Site<'_>,
    items: &ItemDigests,
    refs: &RefDigests,
    id: &PageId,
    h: &mut DefaultHasher,
) {
    let library = site.library;
    let graph = &site.graph;
    let fix_refs = |ids: &[Located<String>], h: &mut DefaultHasher| {
        for id in ids {
            position(&library.fixes, &id.value, |f| &f.slug)
                .map_or(MISSING, |i| refs.fixes[i])
                .hash(h);
        }
    };
    let platform_counts = |h: &mut DefaultHasher| {
        for platform in &site.config.platforms {
            graph
                .platform_articles
                .get(&platform.key)
                .map_or(0, Vec::len)
                .hash(h);
        }
    };
    let tag_refs = |h: &mut DefaultHasher| {
        for (slug, (name, members)) in &graph.tags {
            (slug, name, members.len()).hash(h);
        }
    };
    match id {
        PageId::Home => {
            for i in top_problems(site) {
                refs.articles[i].hash(h);
            }
            refs.statuses.hash(h);
            platform_counts(h);
            tag_refs(h);
            (
                library.articles.len(),
                library.fixes.len(),
                library.statuses.len(),
            )
                .hash(h);
        }
        PageId::ArticleList => refs.articles.hash(h),
        PageId::FixList => refs.fixes.hash(h),
        PageId::StatusIndex => refs.statuses.hash(h),
        PageId::PlatformList => platform_counts(h),
        PageId::TagList => tag_refs(h),
        PageId::Search | PageId::NotFound | PageId::Robots => {}
        PageId::Article(slug) => {
            let Some(i) = position(&library.articles, slug, |a| &a.slug) else {
                return MISSING.hash(h);
            };
            let article = &library.articles[i];
            items.articles[i].hash(h);
            fix_refs(&article.fixes, h);
            for status in &article.status_messages {
                position(&library.statuses, &status.value, |s| &s.slug)
                    .map_or(MISSING, |s| refs.statuses[s])
                    .hash(h);
            }
            for related in &article.related {
                position(&library.articles, &related.value, |a| &a.slug)
                    .map_or(MISSING, |r| refs.articles[r])
                    .hash(h);
            }
            for tag in &article.tags {
                refs.tag_counts.get(tag.as_str()).hash(h);
            }
        }
        PageId::Fix(slug) => {
            let Some(i) = position(&library.fixes, slug, |f| &f.slug) else {
                return MISSING.hash(h);
            };
            (items.fixes[i], refs.fixes[i]).hash(h);
            for &a in &graph.fix_articles[i] {
                refs.articles[a].hash(h);
            }
            for &s in &graph.fix_statuses[i] {
                refs.statuses[s].hash(h);
            }
        }
        PageId::Status(slug) => {
            let Some(i) = position(&library.statuses, slug, |s| &s.slug) else {
                return MISSING.hash(h);
            };
            items.statuses[i].hash(h);
            for &a in &graph.status_articles[i] {
                refs.articles[a].hash(h);
            }
            fix_refs(&library.statuses[i].fixes, h);
        }
        PageId::Platform(key) => {
            let on = |platforms: &[Located<String>]| platforms.iter().any(|p| &p.value == key);
            for &a in graph.platform_articles.get(key).into_iter().flatten() {
                refs.articles[a].hash(h);
            }
            for (i, status) in library.statuses.iter().enumerate() {
                if on(&status.platforms) {
                    refs.statuses[i].hash(h);
                }
            }
            for (i, fix) in library.fixes.iter().enumerate() {
                if on(&fix.platforms) {
                    refs.fixes[i].hash(h);
                }
            }
        }
        PageId::Tag(slug) => {
            let Some((name, members)) = graph.tags.get(slug) else {
                return MISSING.hash(h);
            };
            name.hash(h);
            for &a in members {
                refs.articles[a].hash(h);
            }
        }
        PageId::Sitemap => {
            for article in &site.article_refs {
                (&article.slug, &article.date).hash(h);
            }
            library.slugs(crate::content::Kind::Fix).hash(h);
            library.slugs(crate::content::Kind::Status).hash(h);
            graph.tags.keys().for_each(|slug| slug.hash(h));
        }
        PageId::Feed => {
            for i in feeds::feed_entries(site) {
                (items.articles[i], refs.articles[i]).hash(h);
            }
        }
    }
}
