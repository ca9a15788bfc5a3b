//! The data templates see, exactly as documented for theme authors in the README.

use serde::Serialize;

use crate::render::TocEntry;

/// `site`: the same on every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub base_path: String,
    pub platforms: Vec<PlatformRef>,
    pub generator: String,
    pub live_reload: bool,
    pub csp: String,
    /// `site.theme`: `[theme]` from fixbook.toml.
    pub theme: ThemeContext,
}

/// `site.theme`: the site's brand, from `[theme]` in fixbook.toml.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeContext {
    /// The accent colour as written, or "" (the built-in one).
    pub accent: String,
    /// The accent of dark pages: `accent_dark`, else `accent`, else "".
    pub accent_dark: String,
    /// The logo's URL (`/help/logo.svg`), or "" for the built-in mark.
    pub logo: String,
    /// The site's footer links, in order.
    pub footer_links: Vec<crate::config::FooterLink>,
}

impl ThemeContext {
    /// `site.theme` of a configuration.
    pub fn new(config: &crate::config::Config) -> ThemeContext {
        let theme = &config.theme;
        ThemeContext {
            accent: theme.accent.clone().unwrap_or_default(),
            accent_dark: theme
                .accent_dark
                .clone()
                .or_else(|| theme.accent.clone())
                .unwrap_or_default(),
            logo: theme
                .logo
                .as_ref()
                .map(|logo| config.url(&logo.value))
                .unwrap_or_default(),
            footer_links: theme.footer_links.clone(),
        }
    }
}

/// `page`: what every page has.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    pub canonical: String,
    pub breadcrumbs: Vec<Crumb>,
    pub json_ld: String,
    pub social_image: String,
    /// On a list cut into pages: the previous and next pages' URLs (else empty).
    pub prev: String,
    pub next: String,
}

/// One breadcrumb.
#[derive(Debug, Clone, Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: String,
}

/// A platform link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct PlatformRef {
    pub key: String,
    pub label: String,
    pub url: String,
}

/// A platform with how many articles concern it.
#[derive(Debug, Clone, Serialize)]
pub struct PlatformCount {
    pub key: String,
    pub label: String,
    pub url: String,
    pub count: usize,
}

/// A tag link with its article count.
#[derive(Debug, Clone, Serialize)]
pub struct TagRef {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// An article in a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct ArticleRef {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub description: String,
    pub date: String,
    pub date_display: String,
    pub platforms: Vec<PlatformRef>,
}

/// A status message in a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct StatusRef {
    pub slug: String,
    pub message: String,
    pub url: String,
    pub meaning: String,
    pub severity: &'static str,
}

/// A fix with its steps, as shown inside articles, status and platform pages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct FixCard {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub description: String,
    pub risk: &'static str,
    pub risk_label: &'static str,
    pub duration: String,
    pub platforms: Vec<PlatformRef>,
    pub warning: String,
    pub content: String,
}

/// Fixes of one risk level.
#[derive(Debug, Clone, Serialize)]
pub struct RiskGroup {
    pub risk: &'static str,
    pub label: &'static str,
    /// The fixes' cards ([`FixCard`]s as template values).
    pub fixes: Vec<tera::Value>,
}

/// Status messages under one initial.
#[derive(Debug, Clone, Serialize)]
pub struct Letter {
    pub letter: String,
    /// [`StatusRef`]s as template values.
    pub statuses: Vec<tera::Value>,
}

/// The "when to get help" block.
#[derive(Debug, Clone, Serialize)]
pub struct GetHelpContext {
    pub when: String,
    pub prepare: Vec<String>,
}

/// `article` on an article page.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleContext {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub url: String,
    pub date: String,
    pub date_display: String,
    pub updated: Option<String>,
    pub updated_display: Option<String>,
    pub platforms: Vec<PlatformRef>,
    pub tags: Vec<TagRef>,
    pub symptoms: Vec<String>,
    /// [`StatusRef`]s as template values.
    pub statuses: Vec<tera::Value>,
    pub fix_groups: Vec<RiskGroup>,
    pub fix_count: usize,
    /// [`ArticleRef`]s as template values.
    pub related: Vec<tera::Value>,
    pub get_help: Option<GetHelpContext>,
    pub content: String,
    pub toc: Vec<TocEntry>,
    pub edit_url: String,
}

/// `fix` on a fix page.
#[derive(Debug, Clone, Serialize)]
pub struct FixContext {
    #[serde(flatten)]
    pub card: FixCard,
    pub toc: Vec<TocEntry>,
    pub edit_url: String,
}

/// `status` on a status page.
#[derive(Debug, Clone, Serialize)]
pub struct StatusContext {
    pub slug: String,
    pub message: String,
    pub aliases: Vec<String>,
    pub meaning: String,
    pub severity: &'static str,
    pub severity_label: &'static str,
    pub platforms: Vec<PlatformRef>,
    pub content: String,
    pub toc: Vec<TocEntry>,
    pub edit_url: String,
    pub fix_groups: Vec<RiskGroup>,
}

/// Site-wide counts for the home page.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub articles: usize,
    pub fixes: usize,
    pub statuses: usize,
}

/// `pager`: where a page sits in a list cut into pages (problem list, tags, platforms).
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages the list has.
    pub total: usize,
    /// How many items the whole list has.
    pub items: usize,
    /// Position of this page's first and last item in the whole list, from 1.
    pub first_item: usize,
    pub last_item: usize,
    /// The previous and next pages' URLs, empty on the first and last page.
    pub prev: String,
    pub next: String,
    /// Links to the first, last and nearby pages; `gap` marks a skip before a link.
    pub pages: Vec<PagerLink>,
}

/// One numbered link of a [`Pager`].
#[derive(Debug, Clone, Serialize)]
pub struct PagerLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    pub gap: bool,
}
