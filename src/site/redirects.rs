//! Old addresses (`aliases:`): one redirect per old address, straight to the page that has
//! it now; the collisions that would make an old address lead to two places; and the
//! hosts' redirect rules.
//!
//! A redirect always leads to a content page, and an old address that is still some
//! page's address is an error, so no redirect leads to another redirect: after two
//! renames, both old addresses lead to the last one.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;

use super::context::RedirectContext;
use super::{OutputFile, PageId, STATUS_INDEX_PATH, StaticFiles};
use crate::config::{Config, RedirectFormat, STATIC_DIR};
use crate::content::{Library, Located};
use crate::diagnostic::Diagnostic;

/// One old address and the page it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old address under the base: `articles/old/` or `old/page.html`.
    pub from: String,
    /// The page that has it now.
    pub to: PageId,
    /// That page's title (a status message's text).
    pub title: String,
    /// The file whose `aliases:` names it.
    source: PathBuf,
    line: usize,
    column: usize,
}

impl Redirect {
    /// What a redirect page shows of its target.
    pub fn target(&self, config: &Config) -> RedirectContext {
        let path = self.to.url_path();
        RedirectContext {
            title: self.title.clone(),
            url: config.url(&path),
            canonical: config.absolute_url(&path),
        }
    }
}

/// Every old address of the library, sorted by address, then by where it is written.
#[derive(Debug, Clone, Default)]
pub struct Redirects {
    list: Vec<Redirect>,
}

impl Redirects {
    /// The old addresses of every article, fix and status message.
    pub fn new(library: &Library) -> Redirects {
        let mut list = Vec::new();
        let mut add =
            |to: PageId, title: &str, source: &std::path::Path, at: &[Located<String>]| {
                for address in at {
                    list.push(Redirect {
                        from: address.value.clone(),
                        to: to.clone(),
                        title: title.to_owned(),
                        source: source.to_path_buf(),
                        line: address.line,
                        column: address.column,
                    });
                }
            };
        for a in library
            .articles
            .iter()
            .filter(|i| !i.old_addresses.is_empty())
        {
            add(
                PageId::Article(a.slug.clone()),
                &a.title,
                &a.source.path,
                &a.old_addresses,
            );
        }
        for f in library.fixes.iter().filter(|i| !i.old_addresses.is_empty()) {
            add(
                PageId::Fix(f.slug.clone()),
                &f.title,
                &f.source.path,
                &f.old_addresses,
            );
        }
        for s in library
            .statuses
            .iter()
            .filter(|i| !i.old_addresses.is_empty())
        {
            add(
                PageId::Status(s.slug.clone()),
                &s.message,
                &s.source.path,
                &s.old_addresses,
            );
        }
        list.sort_by(|a, b| {
            (&a.from, &a.source, a.line, a.column).cmp(&(&b.from, &b.source, b.line, b.column))
        });
        Redirects { list }
    }

    /// Each old address once (the first that names it), in address order.
    pub fn unique(&self) -> impl Iterator<Item = &Redirect> {
        self.list
            .iter()
            .enumerate()
            .filter(|(i, r)| *i == 0 || self.list[i - 1].from != r.from)
            .map(|(_, r)| r)
    }

    /// The redirect at the old address `from`.
    pub fn get(&self, from: &str) -> Option<&Redirect> {
        let i = self.list.partition_point(|r| r.from.as_str() < from);
        self.list.get(i).filter(|r| r.from == from)
    }

    /// Old addresses that cannot lead to their page: the page's own address, an address
    /// another page lists too, or one the site already has a file at. `taken` knows the
    /// owner of every other file of the site, by lowercase output path
    /// (`tags/sync/index.html` → "a page fixbook generates"); `reserved` are folders
    /// fixbook fills whole (`search-index/`).
    pub(super) fn collisions(&self, taken: &Owners<'_>, reserved: &[&str]) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        // Compared without case: on the disks of macOS and Windows, `Old/` and `old/` are
        // one folder, and a redirect page there would overwrite the other file.
        let mut seen: HashMap<String, &Redirect> = HashMap::new();
        for r in &self.list {
            let shown = format!("/{}", r.from);
            let error = |message: String, hint: &str| {
                Diagnostic::error(&r.source, r.line, r.column, message).with_hint(hint)
            };
            let file = PageId::Redirect(r.from.clone())
                .output_path()
                .to_lowercase();
            // The first page naming an old address keeps it; each other one is an error.
            // (A page lists an old address once: the loader drops a repeat.)
            if let Some(first) = seen.get(&file) {
                found.push(if first.source == r.source {
                    error(
                        format!(
                            "alias `{shown}` differs from `/{}` only in case, and disks that ignore case see one file",
                            first.from
                        ),
                        "keep one of them",
                    )
                } else {
                    error(
                        format!(
                            "alias `{shown}` is also an alias of `{}`",
                            first.source.display()
                        ),
                        "an old address leads to one page: keep it on the page that replaced the old one",
                    )
                });
                continue;
            }
            seen.insert(file.clone(), r);
            if r.from == r.to.url_path() {
                found.push(error(
                    format!("alias `{shown}` is the page's own address"),
                    "remove it: a page's own address needs no alias",
                ));
                continue;
            }
            if let Some(owner) = taken.describe(&file) {
                found.push(error(
                    format!("alias `{shown}` is still the address of {owner}"),
                    "an alias names an address no page has any more: remove it, or rename that page first",
                ));
                continue;
            }
            if let Some(dir) = reserved.iter().find(|dir| file.starts_with(*dir)) {
                found.push(error(
                    format!("alias `{shown}` lies inside `/{dir}`, which fixbook writes itself"),
                    "remove the alias, or give it another address",
                ));
                continue;
            }
            let mut dirs = file.match_indices('/').map(|(end, _)| &file[..end]);
            if let Some(inside) = dirs.find(|dir| taken.contains(dir)) {
                found.push(error(
                    format!("alias `{shown}` lies inside `/{inside}`, a file the site has"),
                    "remove the alias: the site cannot have a file and a folder of the same name",
                ));
            }
        }
        found
    }

    /// Request paths under the base (`articles/old/`, `articles/old`,
    /// `articles/old/index.html`) → the address to send them to (`/help/articles/new/`), for
    /// a server that answers old addresses with a 301.
    pub fn locations(&self, config: &Config) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        for r in self.unique() {
            let to = config.url(&r.to.url_path());
            for path in request_paths(&r.from) {
                map.entry(path).or_insert_with(|| to.clone());
            }
            if r.from.ends_with('/') {
                map.entry(format!("{}index.html", r.from))
                    .or_insert_with(|| to.clone());
            }
        }
        map
    }

    /// The redirect rules of `format` for every old address, sorted by old address.
    pub fn rules(&self, config: &Config, format: RedirectFormat) -> String {
        let mut rules: BTreeMap<String, String> = BTreeMap::new();
        for r in self.unique() {
            let to = config.url(&r.to.url_path());
            for path in request_paths(&r.from) {
                rules.entry(config.url(&path)).or_insert_with(|| to.clone());
            }
        }
        let mut out = String::new();
        match format {
            RedirectFormat::Netlify => {
                out.push_str("# Redirects for Netlify and Cloudflare Pages, generated by fixbook from the pages' `aliases:`.\n");
                for (from, to) in &rules {
                    let _ = writeln!(out, "{from} {to} 301");
                }
            }
            RedirectFormat::Nginx => {
                out.push_str(
                    "# Redirects for nginx, generated by fixbook from the pages' `aliases:`.\n\
                     # In the `http` block:   include /path/to/redirects.nginx.conf;\n\
                     # In the `server` block: if ($fixbook_redirect) { return 301 $fixbook_redirect; }\n\
                     map $uri $fixbook_redirect {\n    default \"\";\n",
                );
                for (from, to) in &rules {
                    let _ = writeln!(out, "    {from} {to};");
                }
                out.push_str("}\n");
            }
        }
        out
    }

    /// What the rules of every format depend on, for page fingerprints.
    pub fn digest_into(&self, h: &mut impl std::hash::Hasher) {
        use std::hash::Hash as _;
        for r in self.unique() {
            (&r.from, r.to.url_path()).hash(h);
        }
    }
}

/// Who has a file of the site.
#[derive(Debug, Clone, Copy)]
enum Owner<'a> {
    /// A page, by id.
    Page(&'a PageId),
    /// A file fixbook writes (an asset, the search bundle's status index).
    Generated(&'a str),
    /// A file of the site's `static/` folder.
    Static(&'a str),
}

/// Who has each file of the site but the redirect pages, by lowercase output path; each
/// owner is described only when an alias collides with it.
pub(super) struct Owners<'a> {
    library: &'a Library,
    by_path: HashMap<String, Owner<'a>>,
}

impl<'a> Owners<'a> {
    /// The owners of the pages, the generated files and the `static/` files.
    pub(super) fn new(
        library: &'a Library,
        pages: &'a [PageId],
        generated: &'a [OutputFile],
        statics: &'a StaticFiles,
    ) -> Owners<'a> {
        let mut by_path = HashMap::with_capacity(pages.len() + generated.len());
        for id in pages {
            let mut path = id.output_path();
            path.make_ascii_lowercase();
            by_path.insert(path, Owner::Page(id));
        }
        let files = generated.iter().map(|f| f.path.as_str());
        for path in files.chain([STATUS_INDEX_PATH]) {
            by_path.insert(path.to_lowercase(), Owner::Generated(path));
        }
        for (path, _) in statics.iter() {
            by_path.insert(path.to_lowercase(), Owner::Static(path));
        }
        Owners { library, by_path }
    }

    /// Whether the site has a file at `path` (lowercase).
    fn contains(&self, path: &str) -> bool {
        self.by_path.contains_key(path)
    }

    /// Who has the file at `path` (lowercase), as collisions name them: "a page
    /// (`content/articles/b.md`)", "a page fixbook generates (`tags/sync/index.html`)",
    /// "a file of the site (`static/x.html`)".
    fn describe(&self, path: &str) -> Option<String> {
        let library = self.library;
        Some(match *self.by_path.get(path)? {
            Owner::Page(id) => {
                let source = match id {
                    PageId::Article(slug) => library.article(slug).map(|a| &a.source.path),
                    PageId::Fix(slug) => library.fix(slug).map(|f| &f.source.path),
                    PageId::Status(slug) => library.status(slug).map(|s| &s.source.path),
                    _ => None,
                };
                match source {
                    Some(path) => format!("a page (`{}`)", path.display()),
                    None => format!("a page fixbook generates (`{}`)", id.output_path()),
                }
            }
            Owner::Generated(path) => format!("a file fixbook generates (`{path}`)"),
            Owner::Static(path) => format!("a file of the site (`{STATIC_DIR}/{path}`)"),
        })
    }
}

/// The paths a reader may have for an old address: a folder with and without its slash.
fn request_paths(from: &str) -> Vec<String> {
    match from.strip_suffix('/') {
        Some(bare) if !bare.is_empty() => vec![bare.to_owned(), from.to_owned()],
        _ => vec![from.to_owned()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_asked_for_with_and_without_its_slash() {
        assert_eq!(
            request_paths("articles/old/"),
            ["articles/old", "articles/old/"]
        );
        assert_eq!(request_paths("old/page.html"), ["old/page.html"]);
    }
}
