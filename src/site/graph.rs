//! The back-links of the knowledge graph: who uses each fix, who shows each status message,
//! what belongs to each platform and tag.

use std::collections::BTreeMap;
use std::hash::{Hash as _, Hasher};

use foldhash::{HashMap, HashMapExt as _};
use rayon::prelude::*;

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
        // One pass in library order (the order the articles sit in memory) finds each
        // article's fixes, status messages, tags and platforms; the pass in list order
        // below then reads only these compact lists.
        let mut tag_slugs: HashMap<&str, usize> = HashMap::new();
        // Tag slug → its index in `tag_list`; the list holds (slug, name, members).
        let mut tag_index: HashMap<String, usize> = HashMap::new();
        let mut tag_list: Vec<(String, Option<String>, Vec<usize>)> = Vec::new();
        let mut platform_index: HashMap<&str, usize> = HashMap::new();
        let mut platform_list: Vec<(&str, Vec<usize>)> = Vec::new();
        // Per article, (tag index, position in its `tags`) and platform indices, flat.
        let mut article_tags: Vec<(usize, usize)> = Vec::new();
        let mut article_platforms: Vec<usize> = Vec::new();
        let mut starts: Vec<(usize, usize)> = Vec::with_capacity(library.articles.len() + 1);
        // Looking references up is most of the work, and needs nothing but the indices.
        (graph.article_fixes, graph.article_statuses) = library
            .articles
            .par_iter()
            .map(|article| {
                let mut fixes = Vec::with_capacity(article.fixes.len());
                for fix in &article.fixes {
                    if let Some(&fi) = fix_index.get(fix.value.as_str()) {
                        push_new(&mut fixes, fi);
                    }
                }
                let statuses: Vec<usize> = article
                    .status_messages
                    .iter()
                    .filter_map(|status| status_index.get(status.value.as_str()).copied())
                    .collect();
                (fixes, statuses)
            })
            .unzip();
        for (ai, article) in library.articles.iter().enumerate() {
            starts.push((article_tags.len(), article_platforms.len()));
            for &fi in &graph.article_fixes[ai] {
                push_unique(&mut graph.fix_articles[fi], ai);
            }
            for &si in &graph.article_statuses[ai] {
                push_unique(&mut graph.status_articles[si], ai);
            }
            for (k, tag) in article.tags.iter().enumerate() {
                // Few names, used by many articles: each is slugified once.
                let ti = *tag_slugs.entry(tag.as_str()).or_insert_with(|| {
                    let slug = slugify(tag);
                    *tag_index.entry(slug.clone()).or_insert_with(|| {
                        tag_list.push((slug, None, Vec::new()));
                        tag_list.len() - 1
                    })
                });
                article_tags.push((ti, k));
            }
            for platform in &article.platforms {
                let pi = *platform_index
                    .entry(platform.value.as_str())
                    .or_insert_with(|| {
                        platform_list.push((platform.value.as_str(), Vec::new()));
                        platform_list.len() - 1
                    });
                article_platforms.push(pi);
            }
        }
        starts.push((article_tags.len(), article_platforms.len()));
        let titles: Vec<String> = library
            .articles
            .par_iter()
            .map(|a| a.title.to_lowercase())
            .collect();
        // Articles are sorted by id, so a stable sort by title breaks ties by id.
        graph.article_order = (0..library.articles.len()).collect();
        graph
            .article_order
            .par_sort_by(|&a, &b| titles[a].cmp(&titles[b]));
        // Visited in list order, tags and platforms list their articles in it already; a
        // tag is named as the first article in that order writes it.
        for &ai in &graph.article_order {
            let ((tags_from, platforms_from), (tags_to, platforms_to)) =
                (starts[ai], starts[ai + 1]);
            for &(ti, k) in &article_tags[tags_from..tags_to] {
                let (_, name, members) = &mut tag_list[ti];
                if name.is_none() {
                    *name = Some(library.articles[ai].tags[k].clone());
                }
                push_unique(members, ai);
            }
            for &pi in &article_platforms[platforms_from..platforms_to] {
                push_unique(&mut platform_list[pi].1, ai);
            }
        }
        graph.tags = tag_list
            .into_iter()
            .map(|(slug, name, members)| (slug, (name.unwrap_or_default(), members)))
            .collect();
        graph.platform_articles = platform_list
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

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &std::path::Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    const FIX_RESTART: &str =
        "---\ntitle: Restart\nrisk: low\nduration: 1 min\nplatforms: [mac]\n---\n\n1. Restart.\n";
    const FIX_UPDATE: &str =
        "---\ntitle: Update\nrisk: low\nduration: 5 min\nplatforms: [mac]\n---\n\n1. Update.\n";

    fn article(title: &str, tags: &str, platforms: &str, fixes: &str) -> String {
        format!(
            "---\ntitle: {title}\ndate: 2025-01-01\nplatforms: [{platforms}]\ntags: [{tags}]\nfixes: [{fixes}]\n---\n\nBody.\n"
        )
    }

    #[test]
    fn members_follow_list_order_and_a_tag_is_named_by_its_first_article_there() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "content/fixes/restart.md", FIX_RESTART);
        write(root, "content/fixes/update.md", FIX_UPDATE);
        // By id a, b, c; by title c ("Alpha"), a ("Beta"), b ("Gamma").
        write(
            root,
            "content/articles/a.md",
            &article("Beta", "Wi-Fi", "mac, ipad", "update, restart, update"),
        );
        write(
            root,
            "content/articles/b.md",
            &article("Gamma", "wi-fi, Sync", "mac", "restart"),
        );
        write(
            root,
            "content/articles/c.md",
            &article("Alpha", "WI FI", "ipad", "update"),
        );
        let library = crate::content::load(root).unwrap().library;
        let graph = Graph::new(&library);
        assert_eq!(graph.article_order, [2, 0, 1]);
        assert_eq!(graph.tags["wi-fi"], ("WI FI".to_owned(), vec![2, 0, 1]));
        assert_eq!(graph.tags["sync"], ("Sync".to_owned(), vec![1]));
        assert_eq!(graph.platform_articles["ipad"], [2, 0]);
        assert_eq!(graph.platform_articles["mac"], [0, 1]);
        // Fixes by id: restart 0, update 1; a repeated reference counts once.
        assert_eq!(graph.article_fixes, [vec![1, 0], vec![0], vec![1]]);
        assert_eq!(graph.fix_articles, [vec![0, 1], vec![0, 2]]);
    }

    #[test]
    fn the_key_changes_with_what_the_graph_reads_and_only_with_that() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "content/fixes/restart.md", FIX_RESTART);
        let key = |text: &str| {
            write(root, "content/articles/a.md", text);
            let library = crate::content::load(root).unwrap().library;
            let items = ItemDigests {
                article_links: library.articles.iter().map(Graph::article_inputs).collect(),
                status_links: library.statuses.iter().map(Graph::status_inputs).collect(),
                ..ItemDigests::default()
            };
            Graph::key(&library, &items)
        };
        let base = key(&article("Beta", "sync", "mac", "restart"));
        let body = key(&article("Beta", "sync", "mac", "restart").replace("Body.", "Other body."));
        assert_eq!(base, body, "a body edit keeps the graph");
        for changed in [
            article("Beta two", "sync", "mac", "restart"),
            article("Beta", "sync, network", "mac", "restart"),
            article("Beta", "sync", "ipad", "restart"),
            article("Beta", "sync", "mac", ""),
        ] {
            assert_ne!(base, key(&changed), "{changed}");
        }
    }
}
