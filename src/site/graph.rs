//! The back-links of the knowledge graph: who uses each fix, who shows each status message,
//! what belongs to each platform and tag.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt as _};

use std::hash::{Hash as _, Hasher};

use super::ItemDigests;
use super::fingerprint::digest_hasher;
use crate::content::{Article, Library, Located, StatusMessage};
use crate::id::slugify;

/// Indices into the library's lists, computed once per build.
#[derive(Debug, Default)]
pub struct Graph {
    /// Fix index → indices of articles that list it.
    pub fix_articles: Vec<Vec<usize>>,
    /// Fix index → indices of status messages that recommend it.
    pub fix_statuses: Vec<Vec<usize>>,
    /// Status index → indices of articles that show it.
    pub status_articles: Vec<Vec<usize>>,
    /// Article index → indices of its fixes, in the order it lists them, each once.
    pub article_fixes: Vec<Vec<usize>>,
    /// Article index → indices of its status messages, in the order it lists them.
    pub article_statuses: Vec<Vec<usize>>,
    /// Status index → indices of the fixes it recommends, in its order, each once.
    pub status_fixes: Vec<Vec<usize>>,
    /// Tag slug → (display name, article indices).
    pub tags: BTreeMap<String, (String, Vec<usize>)>,
    /// Platform key → article indices.
    pub platform_articles: BTreeMap<String, Vec<usize>>,
    /// Every article index in the order lists show them: by title, case-insensitively,
    /// then by id. Tag and platform member lists are in this order too.
    pub article_order: Vec<usize>,
}

impl Graph {
    /// Computes every back-link of the library (references are already validated).
    pub fn new(library: &Library) -> Self {
        let fix_index = index_of(library.fixes.iter().map(|f| f.slug.as_str()));
        let status_index = index_of(library.statuses.iter().map(|s| s.slug.as_str()));
        let mut graph = Graph {
            fix_articles: vec![Vec::new(); library.fixes.len()],
            fix_statuses: vec![Vec::new(); library.fixes.len()],
            status_articles: vec![Vec::new(); library.statuses.len()],
            ..Graph::default()
        };
        let mut tag_slugs: HashMap<&str, String> = HashMap::new();
        // Built in hash maps, then sorted: few keys, looked up once per article.
        let mut tags: HashMap<String, (String, Vec<usize>)> = HashMap::new();
        let mut platform_articles: HashMap<&str, Vec<usize>> = HashMap::new();
        for (ai, article) in library.articles.iter().enumerate() {
            let mut fixes = Vec::with_capacity(article.fixes.len());
            for fix in &article.fixes {
                if let Some(&fi) = fix_index.get(fix.value.as_str()) {
                    push_unique(&mut graph.fix_articles[fi], ai);
                    push_new(&mut fixes, fi);
                }
            }
            graph.article_fixes.push(fixes);
            let mut statuses = Vec::with_capacity(article.status_messages.len());
            for status in &article.status_messages {
                if let Some(&si) = status_index.get(status.value.as_str()) {
                    push_unique(&mut graph.status_articles[si], ai);
                    statuses.push(si);
                }
            }
            graph.article_statuses.push(statuses);
        }
        let titles: Vec<String> = library
            .articles
            .iter()
            .map(|a| a.title.to_lowercase())
            .collect();
        // Articles are sorted by id, so a stable sort by title breaks ties by id.
        graph.article_order = (0..library.articles.len()).collect();
        graph
            .article_order
            .sort_by(|&a, &b| titles[a].cmp(&titles[b]));
        // Visited in list order, tags and platforms list their articles in it already.
        for &ai in &graph.article_order {
            let article = &library.articles[ai];
            for tag in &article.tags {
                // Few names, used by many articles: each is slugified once.
                let slug = tag_slugs
                    .entry(tag.as_str())
                    .or_insert_with(|| slugify(tag));
                match tags.get_mut(slug.as_str()) {
                    Some((_, members)) => push_unique(members, ai),
                    None => {
                        tags.insert(slug.clone(), (tag.clone(), vec![ai]));
                    }
                }
            }
            for platform in &article.platforms {
                push_unique(
                    platform_articles
                        .entry(platform.value.as_str())
                        .or_default(),
                    ai,
                );
            }
        }
        graph.tags = tags.into_iter().collect();
        graph.platform_articles = platform_articles
            .into_iter()
            .map(|(key, members)| (key.to_owned(), members))
            .collect();
        for (si, status) in library.statuses.iter().enumerate() {
            let mut fixes = Vec::with_capacity(status.fixes.len());
            for fix in &status.fixes {
                if let Some(&fi) = fix_index.get(fix.value.as_str()) {
                    push_unique(&mut graph.fix_statuses[fi], si);
                    push_new(&mut fixes, fi);
                }
            }
            graph.status_fixes.push(fixes);
        }
        graph
    }
}

impl Graph {
    /// A digest of what [`Graph::new`] reads of one article: its id, title, tags,
    /// platforms and references (kept per article in [`ItemDigests::article_links`]).
    pub fn article_inputs(article: &Article) -> u64 {
        let mut h = digest_hasher();
        (&article.slug, &article.title, &article.tags).hash(&mut h);
        for list in [&article.fixes, &article.status_messages, &article.platforms] {
            values(list, &mut h);
        }
        h.finish()
    }

    /// The same for a status message: its id and the fixes it recommends.
    pub fn status_inputs(status: &StatusMessage) -> u64 {
        let mut h = digest_hasher();
        status.slug.hash(&mut h);
        values(&status.fixes, &mut h);
        h.finish()
    }

    /// A digest of everything [`Graph::new`] reads of `library`, from the per-item
    /// digests in `items`: the graph of a library with the same key is the same graph, so
    /// a rebuild after an edit that left every reference, title, tag and platform alone
    /// keeps the graph it has.
    pub fn key(library: &Library, items: &ItemDigests) -> u64 {
        let mut h = digest_hasher();
        (&items.article_links, &items.status_links).hash(&mut h);
        for fix in &library.fixes {
            fix.slug.hash(&mut h);
        }
        h.finish()
    }
}

/// The values of `list`, without their positions.
fn values(list: &[Located<String>], h: &mut impl Hasher) {
    list.len().hash(h);
    for item in list {
        item.value.hash(h);
    }
}

fn index_of<'a>(slugs: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    slugs.enumerate().map(|(i, s)| (s, i)).collect()
}

/// Adds `value` unless the (short) list already has it.
fn push_new(list: &mut Vec<usize>, value: usize) {
    if !list.contains(&value) {
        list.push(value);
    }
}

/// Each article's references are pushed together, so a repeat can only be the last
/// element; checking only the last keeps building the graph linear in the library's size.
fn push_unique(list: &mut Vec<usize>, value: usize) {
    if list.last() != Some(&value) {
        list.push(value);
    }
}
