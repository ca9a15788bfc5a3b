//! The site in each of its languages: one language's configuration, and the addresses of
//! a page in every language (hreflang alternates, the language switcher, the sitemap).

use serde::Serialize;

use super::context::{LanguageRef, PageMeta};
use super::{PageId, Site, theme};
use crate::config::Config;
use crate::content::SourceFile;

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

impl Site<'_> {
    /// Takes the theme's words in the pages' language (what [`Site::prepare`] does, for a
    /// theme already prepared).
    pub fn use_words(&self, theme: &theme::Theme) {
        let _ = self
            .words
            .set(theme.words.for_language(&self.config.language));
    }

    /// One of the theme's words in the pages' language (English before [`Site::prepare`]).
    pub(super) fn word(&self, key: &str) -> String {
        match self.words.get() {
            Some(words) => theme::words::word(words, key),
            None => key.to_owned(),
        }
    }

    /// The theme's words `search.js` shows (keys `js_…`), as JSON that cannot end the
    /// `<script>` element it sits in.
    pub(super) fn search_words_json(&self) -> String {
        let words: std::collections::BTreeMap<&str, &str> = self
            .words
            .get()
            .map(|w| {
                w.iter()
                    .filter(|(k, _)| k.starts_with("js_"))
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        serde_json::to_string(&words)
            .unwrap_or_default()
            .replace('<', "\\u003c")
    }

    /// Whether these are the pages of the site's default language (at the root).
    pub fn is_default_language(&self) -> bool {
        self.config.language == self.config.default_language()
    }

    /// Whether an item shown on these pages is not translated into their language.
    fn is_fallback(&self, source: &SourceFile) -> bool {
        crate::content::is_fallback(
            source,
            &self.config.language,
            self.config.default_language(),
        )
    }

    /// Marks a page's metadata as showing `source`: untranslated when it is a fallback.
    pub(super) fn mark_translation(&self, meta: &mut PageMeta, source: &SourceFile) {
        if self.is_fallback(source) {
            meta.untranslated = true;
            let default = self.config.default_language();
            meta.content_lang = default.to_owned();
            meta.content_dir = self
                .config
                .language(default)
                .map_or("ltr", |l| l.direction.as_str());
        }
    }

    /// Every language of the site, for `site.languages`; none for a site in one language.
    pub(super) fn language_refs(&self) -> Vec<LanguageRef> {
        let config = self.config;
        if !config.is_multilingual() {
            return Vec::new();
        }
        config
            .languages
            .iter()
            .map(|l| LanguageRef {
                code: l.code.clone(),
                label: l.label.clone(),
                url: format!(
                    "{}{}",
                    config.root_path,
                    PageId::language_dir(config, &l.code)
                ),
                dir: l.direction.as_str(),
            })
            .collect()
    }
}
