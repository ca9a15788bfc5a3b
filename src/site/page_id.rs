//! Page ids: every generated file of the site named by what it shows, with its output path
//! and template, so that a rebuild can render some pages and not others. The one place a
//! page's address, file and template are known: everything else asks a `PageId`.

use super::pagination::page_dir;
use crate::config::{Config, RedirectFormat};
use crate::content::Kind;

/// One generated page or file of the site (everything but the theme's static files), named
/// by what it shows, so that a rebuild can render some pages and not others.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageId {
    /// `index.html`.
    Home,
    /// `articles/index.html`, and `articles/page/N/index.html` for page N > 1.
    ArticleList(usize),
    /// `fixes/index.html`.
    FixList,
    /// `status/index.html`, the A–Z.
    StatusIndex,
    /// `platforms/index.html`.
    PlatformList,
    /// `tags/index.html`.
    TagList,
    /// `search/index.html`.
    Search,
    /// `404.html`.
    NotFound,
    /// An article's page, by slug.
    Article(String),
    /// A fix's page, by slug.
    Fix(String),
    /// A status message's page, by slug.
    Status(String),
    /// An article's guided mode, by the article's slug: `articles/<slug>/guide/`, one fix
    /// at a time, every step an anchor of the one page.
    ArticleGuide(String),
    /// `guides/index.html`: the authored guides (only when the site has some).
    GuideList,
    /// An authored guide's page, by slug: `guides/<slug>/`, every question an anchor.
    Guide(String),
    /// A platform's playbook, by key, and the page of its problem list (1 for the first).
    Platform(String, usize),
    /// A tag's page, by tag slug, and the page of its list (1 for the first).
    Tag(String, usize),
    /// An old address of a page (`aliases:`), by its path under the base (`articles/old/`,
    /// `old/page.html`): a small page that sends readers on to the page.
    Redirect(String),
    /// A host's redirect rules for every old address (`_redirects`, `redirects.nginx.conf`).
    RedirectRules(RedirectFormat),
    /// `sitemap.xml`.
    Sitemap,
    /// `atom.xml`.
    Feed,
    /// `robots.txt`.
    Robots,
}

impl PageId {
    /// Whether the page lists many items (a paged list, the sitemap, the feed): a list
    /// changes with every item added, removed or retitled, and draws many cards.
    pub fn is_listing(&self) -> bool {
        matches!(
            self,
            PageId::ArticleList(_)
                | PageId::FixList
                | PageId::StatusIndex
                | PageId::PlatformList
                | PageId::TagList
                | PageId::GuideList
                | PageId::Platform(..)
                | PageId::Tag(..)
                | PageId::Sitemap
                | PageId::Feed
        )
    }

    /// The page's address relative to the site's base path: `articles/x/` (empty for the
    /// home page), or the file's name for pages that are files (`404.html`, `atom.xml`).
    pub fn url_path(&self) -> String {
        match self {
            PageId::Home => String::new(),
            PageId::ArticleList(page) => page_dir(&Self::list_path(Kind::Article), *page),
            PageId::FixList => Self::list_path(Kind::Fix),
            PageId::StatusIndex => Self::list_path(Kind::Status),
            PageId::PlatformList => PLATFORMS.into(),
            PageId::TagList => TAGS.into(),
            PageId::Search => "search/".into(),
            PageId::NotFound => "404.html".into(),
            PageId::Article(slug) => Kind::Article.page_path(slug),
            PageId::Fix(slug) => Kind::Fix.page_path(slug),
            PageId::Status(slug) => Kind::Status.page_path(slug),
            PageId::ArticleGuide(slug) => Self::article_guide_path(slug),
            PageId::GuideList => Self::list_path(Kind::Guide),
            PageId::Guide(slug) => Kind::Guide.page_path(slug),
            PageId::Platform(key, page) => page_dir(&Self::platform_path(key), *page),
            PageId::Tag(slug, page) => page_dir(&Self::tag_path(slug), *page),
            PageId::Redirect(path) => path.clone(),
            PageId::RedirectRules(format) => format.file().into(),
            PageId::Sitemap => "sitemap.xml".into(),
            PageId::Feed => "atom.xml".into(),
            PageId::Robots => "robots.txt".into(),
        }
    }

    /// The file's path inside the output folder: a page's address, with `index.html` for
    /// an address that is a folder.
    pub fn output_path(&self) -> String {
        let url = self.url_path();
        if url.is_empty() || url.ends_with('/') {
            url + "index.html"
        } else {
            url
        }
    }

    /// The template that renders the page, if it is an HTML page.
    pub fn template(&self) -> Option<&'static str> {
        Some(match self {
            PageId::Home => "index.html",
            PageId::ArticleList(_) => "articles.html",
            PageId::FixList => "fixes.html",
            PageId::StatusIndex => "status_index.html",
            PageId::PlatformList => "platforms.html",
            PageId::TagList => "tags.html",
            PageId::Search => "search.html",
            PageId::NotFound => "404.html",
            PageId::Article(_) => "article.html",
            PageId::Fix(_) => "fix.html",
            PageId::Status(_) => "status.html",
            PageId::ArticleGuide(_) => "article_guide.html",
            PageId::GuideList => "guides.html",
            PageId::Guide(_) => "guide.html",
            PageId::Platform(..) => "platform.html",
            PageId::Tag(..) => "tag.html",
            PageId::Redirect(_) => "redirect.html",
            PageId::RedirectRules(_) | PageId::Sitemap | PageId::Feed | PageId::Robots => {
                return None;
            }
        })
    }

    /// What kind of page it is, for templates (`page.kind`, the body's class).
    pub fn kind(&self) -> &'static str {
        match self {
            PageId::Home => "home",
            PageId::ArticleList(_) => "articles",
            PageId::FixList => "fixes",
            PageId::StatusIndex => "status_index",
            PageId::PlatformList => "platforms",
            PageId::TagList => "tags",
            PageId::Search => "search",
            PageId::NotFound => "not_found",
            PageId::Article(_) => "article",
            PageId::Fix(_) => "fix",
            PageId::Status(_) => "status",
            PageId::ArticleGuide(_) => "article_guide",
            PageId::GuideList => "guides",
            PageId::Guide(_) => "guide",
            PageId::Platform(..) => "platform",
            PageId::Tag(..) => "tag",
            PageId::Redirect(_) => "redirect",
            PageId::RedirectRules(_) => "redirect_rules",
            PageId::Sitemap => "sitemap",
            PageId::Feed => "feed",
            PageId::Robots => "robots",
        }
    }

    /// Where the page goes in the sitemap, as a group in sitemap order; `None` for pages
    /// search engines should not list (search, 404, later pages of a list, redirects,
    /// non-pages).
    pub fn sitemap_group(&self) -> Option<u8> {
        match self {
            PageId::Home => Some(0),
            PageId::ArticleList(page) => (*page <= 1).then_some(1),
            PageId::FixList => Some(2),
            PageId::StatusIndex => Some(3),
            PageId::PlatformList => Some(4),
            PageId::TagList => Some(5),
            PageId::Article(_) => Some(6),
            PageId::Fix(_) => Some(7),
            PageId::Status(_) => Some(8),
            PageId::Platform(_, page) => (*page <= 1).then_some(9),
            PageId::Tag(_, page) => (*page <= 1).then_some(10),
            PageId::GuideList => Some(11),
            PageId::Guide(_) => Some(12),
            // An article's guide shows the article's own fixes: the article is the page
            // to index.
            PageId::ArticleGuide(_)
            | PageId::Search
            | PageId::NotFound
            | PageId::Redirect(_)
            | PageId::RedirectRules(_)
            | PageId::Sitemap
            | PageId::Feed
            | PageId::Robots => None,
        }
    }

    /// The folder of a language's pages under the site's base: none for the default
    /// language, whose pages are at the root, `de/` for German. Every kind of page exists
    /// in every language at the same address under its language's folder, so a page in a
    /// language is its id and a language: see [`language_config`](super::language_config).
    pub fn language_dir(config: &Config, code: &str) -> String {
        if code == config.default_language() {
            String::new()
        } else {
            format!("{code}/")
        }
    }

    /// The page's address in language `code`, relative to the site's root.
    pub fn url_path_in(&self, config: &Config, code: &str) -> String {
        format!("{}{}", Self::language_dir(config, code), self.url_path())
    }

    /// The page's file in the output in language `code`.
    pub fn output_path_in(&self, config: &Config, code: &str) -> String {
        format!("{}{}", Self::language_dir(config, code), self.output_path())
    }

    /// Whether the page exists once for the whole site, not once per language: old
    /// addresses and their rules (the default language's), and robots.txt.
    pub fn is_site_wide(&self) -> bool {
        matches!(
            self,
            PageId::Redirect(_) | PageId::RedirectRules(_) | PageId::Robots
        )
    }

    /// The address of the list of a content kind: `articles/`.
    pub fn list_path(kind: Kind) -> String {
        format!("{}/", kind.dir())
    }

    /// The address of an article's guided mode: `articles/<slug>/guide/`.
    pub fn article_guide_path(slug: &str) -> String {
        format!("{}{GUIDE}", Kind::Article.page_path(slug))
    }

    /// The address of a platform's playbook: `platforms/<key>/`.
    pub fn platform_path(key: &str) -> String {
        format!("{PLATFORMS}{key}/")
    }

    /// The address of a tag's page: `tags/<slug>/`.
    pub fn tag_path(slug: &str) -> String {
        format!("{TAGS}{slug}/")
    }
}

/// The folder of the static search index in the output (written by `search`).
pub const SEARCH_BUNDLE_DIR: &str = "search-index";
/// The browser's status-message index in the output (written by `search`).
pub const STATUS_INDEX_PATH: &str = "status-index.json";

/// The folder of an article's guided mode, inside the article's.
const GUIDE: &str = "guide/";
/// The folder of the platform pages.
const PLATFORMS: &str = "platforms/";
/// The folder of the tag pages.
const TAGS: &str = "tags/";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_page_keeps_the_list_address_and_others_go_under_page() {
        assert_eq!(PageId::ArticleList(1).output_path(), "articles/index.html");
        assert_eq!(
            PageId::ArticleList(3).output_path(),
            "articles/page/3/index.html"
        );
        assert_eq!(
            PageId::Tag("sync".into(), 2).output_path(),
            "tags/sync/page/2/index.html"
        );
        assert_eq!(
            PageId::Platform("mac".into(), 1).output_path(),
            "platforms/mac/index.html"
        );
    }

    #[test]
    fn an_articles_guide_lives_inside_the_articles_folder() {
        assert_eq!(
            PageId::ArticleGuide("x".into()).output_path(),
            "articles/x/guide/index.html"
        );
        assert_eq!(PageId::Guide("g".into()).url_path(), "guides/g/");
        assert_eq!(PageId::GuideList.output_path(), "guides/index.html");
    }
}
