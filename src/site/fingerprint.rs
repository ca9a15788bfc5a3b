//! Page fingerprints: a digest of everything a page is made of, so that a rebuild renders
//! only the pages whose fingerprint changed.
//!
//! Each function here mirrors the page function of the same name in `pages.rs` and must
//! read what it reads. The incremental tests compare rebuilt sites with full builds after
//! every kind of edit, which is what catches an input one of them forgot.

use std::hash::{BuildHasher as _, Hash, Hasher as _};

use foldhash::HashMap;

use rayon::prelude::*;

use super::pages::top_problems;
use super::theme::Theme;
use super::{Graph, PageId, Site, feeds};
use crate::content::{Kind, Located};

/// Digests of each content item (its parsed source and rendered body) and of its
/// [entry](super::Entries), index-aligned with the library's lists. Whoever keeps a
/// library between builds knows which items changed, and supplies these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemDigests {
    /// One per article.
    pub articles: Vec<u64>,
    /// One per fix.
    pub fixes: Vec<u64>,
    /// One per status message.
    pub statuses: Vec<u64>,
    /// One per article's list entry ([`digest`] of it).
    pub article_entries: Vec<u64>,
    /// One per fix card.
    pub fix_entries: Vec<u64>,
    /// One per status message's list entry.
    pub status_entries: Vec<u64>,
    /// One per article: what the back-links read of it ([`Graph::article_inputs`]).
    pub article_links: Vec<u64>,
    /// One per status message ([`Graph::status_inputs`]).
    pub status_links: Vec<u64>,
}

/// The entry digests, also by id for references.
struct RefDigests<'a> {
    articles: &'a [u64],
    statuses: &'a [u64],
    fixes: &'a [u64],
    article_ids: HashMap<&'a str, u64>,
    status_ids: HashMap<&'a str, u64>,
    fix_ids: HashMap<&'a str, u64>,
}

impl RefDigests<'_> {
    fn by_id(ids: &HashMap<&str, u64>, id: &str) -> u64 {
        ids.get(id).copied().unwrap_or(MISSING)
    }
}

/// The hash behind fingerprints: fast, of good quality, and the same in every run.
type DigestHasher = foldhash::quality::FoldHasher<'static>;

pub(super) fn digest_hasher() -> DigestHasher {
    foldhash::quality::FixedState::default().build_hasher()
}

/// Stands for a reference that does not resolve.
const MISSING: u64 = u64::MAX;

/// The digest of a value, e.g. of an entry for [`ItemDigests`].
pub fn digest(value: &(impl Hash + ?Sized)) -> u64 {
    let mut hasher = digest_hasher();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A digest of everything a page can show of one item: its parsed fields and its body.
///
/// Both are hashed through their derived `Hash` (every field, positions included), the
/// body's packed texts as the bytes they stand for. Writing them out through `Debug`
/// instead, which escapes the item's Markdown character by character, cost a warm 10k
/// rebuild 8% of its instructions.
pub fn item_digest(item: &impl Hash, body: &crate::render::RenderedBody) -> u64 {
    // Named field by field, so that a new field cannot be left out of the digest.
    let crate::render::RenderedBody {
        html,
        toc,
        text,
        summary,
        ids,
        anchors,
        media,
        external_links,
    } = body;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    item.hash(&mut hasher);
    // The packed bytes stand for their text: the same text always packs the same.
    for bytes in [html.as_bytes(), text.as_bytes(), summary.as_bytes().into()] {
        hasher.write_usize(bytes.len());
        hasher.update(&bytes);
    }
    (toc, ids, anchors, media, external_links).hash(&mut hasher);
    hasher.finish()
}

impl<'a> Site<'a> {
    /// The digests of every item and of its entry, as an incremental rebuild keeps them.
    pub fn item_digests(&self) -> ItemDigests {
        let library = self.library;
        let bodies = self.bodies;
        ItemDigests {
            articles: library
                .articles
                .par_iter()
                .zip(&bodies.articles)
                .map(|(a, b)| item_digest(a, b))
                .collect(),
            fixes: library
                .fixes
                .par_iter()
                .zip(&bodies.fixes)
                .map(|(f, b)| item_digest(f, b))
                .collect(),
            statuses: library
                .statuses
                .par_iter()
                .zip(&bodies.statuses)
                .map(|(s, b)| item_digest(s, b))
                .collect(),
            article_entries: self.article_refs.par_iter().map(digest).collect(),
            fix_entries: self.fix_cards.par_iter().map(digest).collect(),
            status_entries: self.status_refs.par_iter().map(digest).collect(),
            article_links: library
                .articles
                .par_iter()
                .map(Graph::article_inputs)
                .collect(),
            status_links: library.statuses.iter().map(Graph::status_inputs).collect(),
        }
    }

    /// Every page's fingerprint, in [`Site::page_ids`] order. The configuration and site
    /// options are not part of it: with another configuration, everything is rebuilt.
    pub fn fingerprints(&self, theme: &Theme, items: &'a ItemDigests) -> Vec<(PageId, u64)> {
        let library = self.library;
        let by_id = |slugs: Vec<&'a str>, digests: &[u64]| -> HashMap<&'a str, u64> {
            slugs.into_iter().zip(digests.iter().copied()).collect()
        };
        let refs = RefDigests {
            article_ids: by_id(library.slugs(Kind::Article), &items.article_entries),
            status_ids: by_id(library.slugs(Kind::Status), &items.status_entries),
            fix_ids: by_id(library.slugs(Kind::Fix), &items.fix_entries),
            articles: &items.article_entries,
            statuses: &items.status_entries,
            fixes: &items.fix_entries,
        };
        // Item pages come with their index: no page looks itself up.
        let mut counters = [0usize; 3];
        let pages: Vec<(PageId, Option<usize>)> = self
            .page_ids()
            .into_iter()
            .map(|id| {
                let counter = match id {
                    PageId::Article(_) => Some(&mut counters[0]),
                    PageId::Fix(_) => Some(&mut counters[1]),
                    PageId::Status(_) => Some(&mut counters[2]),
                    _ => None,
                };
                let index = counter.map(|c| {
                    *c += 1;
                    *c - 1
                });
                (id, index)
            })
            .collect();
        pages
            .into_par_iter()
            .map(|(id, index)| {
                let mut hasher = digest_hasher();
                id.template().map(|t| theme.digest(t)).hash(&mut hasher);
                inputs(self, items, &refs, &id, index, &mut hasher);
                (id, hasher.finish())
            })
            .collect()
    }
}

/// What lists of guides show of each.
fn guide_refs(site: &Site<'_>, h: &mut DigestHasher) {
    for guide in &site.library.guides {
        (
            &guide.slug,
            &guide.title,
            &guide.description,
            guide.questions.len(),
        )
            .hash(h);
    }
}

/// Feeds what the page `id` shows into `h`.
fn inputs(
    site: &Site<'_>,
    items: &ItemDigests,
    refs: &RefDigests<'_>,
    id: &PageId,
    index: Option<usize>,
    h: &mut DigestHasher,
) {
    let library = site.library;
    let graph = &site.graph;
    let fix_refs = |ids: &[Located<String>], h: &mut DigestHasher| {
        for id in ids {
            RefDigests::by_id(&refs.fix_ids, &id.value).hash(h);
        }
    };
    let platform_counts = |h: &mut DigestHasher| {
        for platform in &site.config.platforms {
            graph
                .platform_articles
                .get(&platform.key)
                .map_or(0, Vec::len)
                .hash(h);
        }
    };
    // A list page shows its own entries, the list's length and the pager's links.
    let page_refs = |members: &[usize], number: usize, h: &mut DigestHasher| {
        members.len().hash(h);
        for &a in super::pagination::page_items(members, number, site.config.paginate_by) {
            refs.articles[a].hash(h);
        }
    };
    let tag_refs = |h: &mut DigestHasher| {
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
            guide_refs(site, h);
        }
        PageId::ArticleList(number) => page_refs(&graph.article_order, *number, h),
        PageId::FixList => refs.fixes.hash(h),
        PageId::StatusIndex => refs.statuses.hash(h),
        PageId::PlatformList => platform_counts(h),
        PageId::TagList => tag_refs(h),
        PageId::Search | PageId::NotFound | PageId::Robots => {}
        PageId::Article(_) => {
            let Some(i) = index else {
                return MISSING.hash(h);
            };
            let article = &library.articles[i];
            items.articles[i].hash(h);
            // The social image's name changes with its file, which the article's text does not.
            site.social_image(article).hash(h);
            fix_refs(&article.fixes, h);
            for status in &article.status_messages {
                RefDigests::by_id(&refs.status_ids, &status.value).hash(h);
            }
            for related in &article.related {
                RefDigests::by_id(&refs.article_ids, &related.value).hash(h);
            }
        }
        PageId::Fix(_) => {
            let Some(i) = index else {
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
        PageId::Status(_) => {
            let Some(i) = index else {
                return MISSING.hash(h);
            };
            items.statuses[i].hash(h);
            for &a in &graph.status_articles[i] {
                refs.articles[a].hash(h);
            }
            fix_refs(&library.statuses[i].fixes, h);
        }
        PageId::ArticleGuide(slug) => {
            let Some(i) = super::pages::position(&library.articles, slug, |a| &a.slug) else {
                return MISSING.hash(h);
            };
            // What the guide shows of the article: not its body.
            let article = &library.articles[i];
            (&article.slug, &article.title, &article.get_help).hash(h);
            site.article_description(i, article).hash(h);
            for platform in &article.platforms {
                platform.value.hash(h);
            }
            fix_refs(&article.fixes, h);
            for related in &article.related {
                RefDigests::by_id(&refs.article_ids, &related.value).hash(h);
            }
        }
        PageId::GuideList => guide_refs(site, h),
        PageId::Guide(slug) => {
            let Some(guide) = library.guide(slug) else {
                return MISSING.hash(h);
            };
            (&guide.title, &guide.description, &guide.get_help).hash(h);
            guide.questions.hash(h);
            // An answer naming an article leads to its guide only while it has fixes.
            for question in &guide.questions {
                for answer in &question.answers {
                    if let Some(crate::content::Target::Article(slug)) = answer.target() {
                        super::pages::position(&library.articles, slug, |a| &a.slug)
                            .map(|i| site.has_guide(i))
                            .hash(h);
                    }
                }
            }
        }
        PageId::Platform(key, number) => {
            let on = |platforms: &[Located<String>]| platforms.iter().any(|p| &p.value == key);
            let members = graph
                .platform_articles
                .get(key)
                .map_or(&[][..], Vec::as_slice);
            page_refs(members, *number, h);
            if *number > 1 {
                return;
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
        PageId::Tag(slug, number) => {
            let Some((name, members)) = graph.tags.get(slug) else {
                return MISSING.hash(h);
            };
            (name, members.len()).hash(h);
            page_refs(members, *number, h);
        }
        PageId::Redirect(from) => match site.redirects.get(from) {
            Some(redirect) => (redirect.to.url_path(), &redirect.title).hash(h),
            None => MISSING.hash(h),
        },
        PageId::RedirectRules(_) => site.redirects.digest_into(h),
        PageId::Sitemap => {
            for article in &site.article_refs {
                (&article.slug, &article.date).hash(h);
            }
            library.slugs(Kind::Fix).hash(h);
            library.slugs(Kind::Status).hash(h);
            graph.tags.keys().for_each(|slug| slug.hash(h));
            library.slugs(Kind::Guide).hash(h);
        }
        PageId::Feed => {
            for i in feeds::feed_entries(site) {
                (items.articles[i], refs.articles[i]).hash(h);
            }
        }
    }
}
