//! Page ids: every generated file of the site named by what it shows, with its output path
//! and template, so that a rebuild can render some pages and not others.

/// One generated page or file of the site (everything but the theme's static files), named
/// by what it shows, so that a rebuild can render some pages and not others.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageId {
    /// `index.html`.
    Home,
    /// `articles/index.html`.
    ArticleList,
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
    /// A platform's playbook, by key.
    Platform(String),
    /// A tag's page, by tag slug.
    Tag(String),
    /// `sitemap.xml`.
    Sitemap,
    /// `atom.xml`.
    Feed,
    /// `robots.txt`.
    Robots,
}

impl PageId {
    /// The file's path inside the output folder.
    pub fn output_path(&self) -> String {
        match self {
            PageId::Home => "index.html".into(),
            PageId::ArticleList => "articles/index.html".into(),
            PageId::FixList => "fixes/index.html".into(),
            PageId::StatusIndex => "status/index.html".into(),
            PageId::PlatformList => "platforms/index.html".into(),
            PageId::TagList => "tags/index.html".into(),
            PageId::Search => "search/index.html".into(),
            PageId::NotFound => "404.html".into(),
            PageId::Article(slug) => format!("articles/{slug}/index.html"),
            PageId::Fix(slug) => format!("fixes/{slug}/index.html"),
            PageId::Status(slug) => format!("status/{slug}/index.html"),
            PageId::Platform(key) => format!("platforms/{key}/index.html"),
            PageId::Tag(slug) => format!("tags/{slug}/index.html"),
            PageId::Sitemap => "sitemap.xml".into(),
            PageId::Feed => "atom.xml".into(),
            PageId::Robots => "robots.txt".into(),
        }
    }

    /// The template that renders the page, if it is an HTML page.
    pub fn template(&self) -> Option<&'static str> {
        Some(match self {
            PageId::Home => "index.html",
            PageId::ArticleList => "articles.html",
            PageId::FixList => "fixes.html",
            PageId::StatusIndex => "status_index.html",
            PageId::PlatformList => "platforms.html",
            PageId::TagList => "tags.html",
            PageId::Search => "search.html",
            PageId::NotFound => "404.html",
            PageId::Article(_) => "article.html",
            PageId::Fix(_) => "fix.html",
            PageId::Status(_) => "status.html",
            PageId::Platform(_) => "platform.html",
            PageId::Tag(_) => "tag.html",
            PageId::Sitemap | PageId::Feed | PageId::Robots => return None,
        })
    }
}
