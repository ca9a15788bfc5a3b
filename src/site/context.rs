//! The data templates see, exactly as documented for theme authors in the README.

use serde::Serialize;

use crate::render::TocEntry;

/// `site`: the same on every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    /// The site's title, from fixbook.toml.
    pub title: String,
    /// One sentence about the site, from fixbook.toml.
    pub description: String,
    /// The pages' language tag (`en`), for `<html lang>`.
    pub language: String,
    /// Which way the language runs (`ltr` or `rtl`), for `<html dir>`.
    pub dir: &'static str,
    /// The path of the site's root (the default language's base path): where the theme's
    /// assets are, whatever language the page is in.
    pub root_path: String,
    /// Every language of the site, the default first (empty for one language).
    pub languages: Vec<LanguageRef>,
    /// The theme's words for `search.js` (keys `js_…`) as JSON safe inside a
    /// `<script type="application/json">`; "" on a one-language English site.
    pub words_json: String,
    /// The absolute address the site is published at, with a trailing slash.
    pub base_url: String,
    /// The path part of `base_url`, with leading and trailing slashes (`/kb/`).
    pub base_path: String,
    /// Every declared platform, in the order of fixbook.toml.
    pub platforms: Vec<PlatformRef>,
    /// `fixbook` and its version, for `<meta name="generator">`.
    pub generator: String,
    /// True only under `fixbook serve`: then load `assets/live-reload.js`.
    pub live_reload: bool,
    /// The Content-Security-Policy for the page's meta tag.
    pub csp: String,
    /// `site.theme`: `[theme]` from fixbook.toml.
    pub theme: ThemeContext,
}

/// A language of the site.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageRef {
    /// Its code (`de`).
    pub code: String,
    /// Its name in itself (`Deutsch`).
    pub label: String,
    /// Its home page's address.
    pub url: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
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
    /// What kind of page it is (`home`, `article`, `status_index`, …; see `PageId::kind`).
    pub kind: &'static str,
    /// The page's own title; `base.html` appends the site's.
    pub title: String,
    /// The meta description.
    pub description: String,
    /// The page's address under the base path (`/kb/articles/x/`).
    pub url: String,
    /// The page's absolute address.
    pub canonical: String,
    /// Home first, the page itself last.
    pub breadcrumbs: Vec<Crumb>,
    /// (html) Structured data as JSON, or "".
    pub json_ld: String,
    /// The image link previews show: an absolute URL, or "".
    pub social_image: String,
    /// On a list cut into pages: the previous and next pages' URLs (else empty).
    pub prev: String,
    /// On a list cut into pages: the next page's URL, else "".
    pub next: String,
    /// The page in every language of the site, the default first (for `hreflang` links
    /// and the language switcher); empty for a site in one language.
    pub alternates: Vec<super::Alternate>,
    /// The language of the content when it differs from the page's (an untranslated page
    /// shows the default language's), for `lang` on it; else "".
    pub content_lang: String,
    /// The direction of `content_lang` (`ltr`, `rtl`), or "".
    pub content_dir: &'static str,
    /// True on a page whose content is not translated into the page's language yet.
    pub untranslated: bool,
}

/// One breadcrumb.
#[derive(Debug, Clone, Serialize)]
pub struct Crumb {
    /// What the crumb reads.
    pub title: String,
    /// Where it leads, under the base path.
    pub url: String,
}

/// A platform link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct PlatformRef {
    /// The platform's key (`iphone`).
    pub key: String,
    /// Its name for readers (`iPhone`).
    pub label: String,
    /// Its playbook's address.
    pub url: String,
}

/// A platform with how many articles concern it.
#[derive(Debug, Clone, Serialize)]
pub struct PlatformCount {
    /// The platform's key.
    pub key: String,
    /// Its name for readers.
    pub label: String,
    /// Its playbook's address.
    pub url: String,
    /// How many problems it has.
    pub count: usize,
}

/// A tag link as an article shows it: without a count, so that adding an article to a tag
/// changes the tag's pages, not the pages of every article that carries it.
#[derive(Debug, Clone, Serialize)]
pub struct TagLink {
    /// The tag as written.
    pub name: String,
    /// Its page's address.
    pub url: String,
}

/// A tag link with its article count, as the tag lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct TagRef {
    /// The tag as written.
    pub name: String,
    /// Its page's address.
    pub url: String,
    /// How many articles carry it.
    pub count: usize,
}

/// An article in a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct ArticleRef {
    /// The article's id.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Its page's address.
    pub url: String,
    /// Its description, or the start of its first paragraph.
    pub description: String,
    /// Its last change as an ISO date (`2024-08-13`).
    pub date: String,
    /// The same for readers (`13 Aug 2024`).
    pub date_display: String,
    /// The platforms it concerns.
    pub platforms: Vec<PlatformRef>,
}

/// A status message in a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct StatusRef {
    /// The status message's id.
    pub slug: String,
    /// The message exactly as the device shows it.
    pub message: String,
    /// Its page's address.
    pub url: String,
    /// What it means, in one sentence.
    pub meaning: String,
    /// `info`, `warning` or `error`.
    pub severity: &'static str,
}

/// A fix with its steps, as shown inside articles, status and platform pages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct FixCard {
    /// The fix's id.
    pub slug: String,
    /// Its title, an instruction.
    pub title: String,
    /// Its page's address.
    pub url: String,
    /// Its description, or the start of its first paragraph.
    pub description: String,
    /// `low`, `medium` or `high`.
    pub risk: &'static str,
    /// The same for readers (`Low risk`).
    pub risk_label: &'static str,
    /// About how long it takes, as written, or "".
    pub duration: String,
    /// The platforms it applies to.
    pub platforms: Vec<PlatformRef>,
    /// What to know before starting, or "".
    pub warning: String,
    /// (html) The steps, per-platform tabs included.
    pub content: String,
}

/// Fixes of one risk level.
#[derive(Debug, Clone, Serialize)]
pub struct RiskGroup {
    /// `low`, `medium` or `high`.
    pub risk: &'static str,
    /// The group's heading (`Low risk`).
    pub label: &'static str,
    /// The fixes' cards ([`FixCard`]s as template values).
    pub fixes: Vec<tera::Value>,
}

/// Status messages under one initial.
#[derive(Debug, Clone, Serialize)]
pub struct Letter {
    /// The letter (`P`), or `#` for messages starting with a digit or sign.
    pub letter: String,
    /// [`StatusRef`]s as template values.
    pub statuses: Vec<tera::Value>,
}

/// The "when to get help" block.
#[derive(Debug, Clone, Serialize)]
pub struct GetHelpContext {
    /// When to stop and contact support.
    pub when: String,
    /// What to have ready.
    pub prepare: Vec<String>,
}

/// `article` on an article page.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleContext {
    /// The article's id.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Its description, or the start of its first paragraph.
    pub description: String,
    /// Its page's address.
    pub url: String,
    /// Publication, as an ISO date.
    pub date: String,
    /// The same for readers.
    pub date_display: String,
    /// The last revision as an ISO date, if there was one.
    pub updated: Option<String>,
    /// The same for readers.
    pub updated_display: Option<String>,
    /// The platforms it concerns.
    pub platforms: Vec<PlatformRef>,
    /// Its tags.
    pub tags: Vec<TagLink>,
    /// What readers notice, in their words.
    pub symptoms: Vec<String>,
    /// [`StatusRef`]s as template values.
    pub statuses: Vec<tera::Value>,
    /// The fixes to try, by risk, safest first.
    pub fix_groups: Vec<RiskGroup>,
    /// How many fixes in all.
    pub fix_count: usize,
    /// Its guided mode's address ("Guide me through it"), or "" when it has no fixes.
    pub guide_url: String,
    /// [`ArticleRef`]s as template values.
    pub related: Vec<tera::Value>,
    /// When to contact support, if the article says.
    pub get_help: Option<GetHelpContext>,
    /// (html) The body.
    pub content: String,
    /// The body's level-2 and level-3 headings.
    pub toc: Vec<TocEntry>,
    /// Where to edit its file, or "".
    pub edit_url: String,
}

/// `fix` on a fix page.
#[derive(Debug, Clone, Serialize)]
pub struct FixContext {
    #[serde(flatten)]
    /// The fix, as on cards.
    pub card: FixCard,
    /// The steps' headings.
    pub toc: Vec<TocEntry>,
    /// Where to edit its file, or "".
    pub edit_url: String,
}

/// `status` on a status page.
#[derive(Debug, Clone, Serialize)]
pub struct StatusContext {
    /// The status message's id.
    pub slug: String,
    /// The message exactly as the device shows it.
    pub message: String,
    /// Other ways readers type it.
    pub aliases: Vec<String>,
    /// What it means, in one sentence.
    pub meaning: String,
    /// `info`, `warning` or `error`.
    pub severity: &'static str,
    /// The same for readers.
    pub severity_label: &'static str,
    /// Where the message appears.
    pub platforms: Vec<PlatformRef>,
    /// (html) The body.
    pub content: String,
    /// The body's headings.
    pub toc: Vec<TocEntry>,
    /// Where to edit its file, or "".
    pub edit_url: String,
    /// The fixes it recommends, by risk.
    pub fix_groups: Vec<RiskGroup>,
}

/// Site-wide counts for the home page.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    /// How many problems.
    pub articles: usize,
    /// How many fixes.
    pub fixes: usize,
    /// How many status messages.
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
    /// The number of this page's last item.
    pub last_item: usize,
    /// The previous and next pages' URLs, empty on the first and last page.
    pub prev: String,
    /// The next page's URL, or "".
    pub next: String,
    /// Links to the first, last and nearby pages; `gap` marks a skip before a link.
    pub pages: Vec<PagerLink>,
}

/// One numbered link of a [`Pager`].
#[derive(Debug, Clone, Serialize)]
pub struct PagerLink {
    /// The page's number.
    pub number: usize,
    /// Its address.
    pub url: String,
    /// Whether it is this page.
    pub current: bool,
    /// Whether pages are skipped before it.
    pub gap: bool,
}

/// `target` on a redirect page (`redirect.html`): the page an old address leads to.
#[derive(Debug, Clone, Serialize)]
pub struct RedirectContext {
    /// The page's title (a status message's text).
    pub title: String,
    /// Its address under the base path (`/kb/articles/new/`).
    pub url: String,
    /// Its absolute address.
    pub canonical: String,
}

/// An authored guide in a list (home page, `guides/`).
#[derive(Debug, Clone, Serialize)]
pub struct GuideRef {
    /// The guide's id.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Its description, or "".
    pub description: String,
    /// Its page's address.
    pub url: String,
    /// How many questions it has.
    pub questions: usize,
}
