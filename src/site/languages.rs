//! The site in each of its languages: one language's configuration, and the addresses of
//! a page in every language (hreflang alternates, the language switcher, the sitemap).

use serde::Serialize;

use super::PageId;
use crate::config::Config;

/// The configuration of one language's pages: its title, description, language and
/// platform labels, and its base under the site's root ([`PageId::language_dir`]); the
/// site's own config for the default language.
pub fn language_config(config: &Config, code: &str) -> Config {
    let mut localized = config.clone();
    let Some(language) = config.language(code) else {
        return localized;
    };
    let dir = PageId::language_dir(config, code);
    localized.base_url = format!("{}{dir}", config.root_url);
    localized.base_path = format!("{}{dir}", config.root_path);
    localized.title.clone_from(&language.title);
    localized.description.clone_from(&language.description);
    localized.language.clone_from(&language.code);
    for platform in &mut localized.platforms {
        if let Some(label) = language.platforms.get(&platform.key) {
            platform.label.clone_from(label);
        }
    }
    localized
}

/// One language's version of a page, for `hreflang` links and the language switcher.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Alternate {
    /// The language's code (`de`).
    pub code: String,
    /// The language's name in itself (`Deutsch`).
    pub label: String,
    /// The page's address in that language, under the root (`/de/articles/x/`).
    pub url: String,
    /// The page's absolute address in that language.
    pub absolute: String,
    /// Whether it is the language of the page being rendered.
    pub current: bool,
}

/// The page `id` in every language of the site, the default first; none for a site in
/// one language or a page that exists once.
pub fn alternates(config: &Config, id: &PageId, current: &str) -> Vec<Alternate> {
    if !config.is_multilingual() || id.is_site_wide() {
        return Vec::new();
    }
    config
        .languages
        .iter()
        .map(|language| {
            let path = id.url_path_in(config, &language.code);
            Alternate {
                code: language.code.clone(),
                label: language.label.clone(),
                url: format!("{}{path}", config.root_path),
                absolute: format!("{}{path}", config.root_url),
                current: language.code == current,
            }
        })
        .collect()
}
