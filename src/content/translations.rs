//! Translations: the same kinds of items as the originals, kept by language, and the view
//! of the library a language's pages show (its translations, else the originals).

use super::{Article, Fix, Guide, Kind, Library, Parsed, StatusMessage};

impl Library {
    /// Adds a parsed file: to the library, or to its language's translations.
    pub fn add(&mut self, parsed: Parsed) {
        let lang = match &parsed {
            Parsed::Article(a) => a.source.lang.clone(),
            Parsed::Fix(f) => f.source.lang.clone(),
            Parsed::Status(s) => s.source.lang.clone(),
            Parsed::Guide(g) => g.source.lang.clone(),
            Parsed::Draft => return,
        };
        let library = match lang {
            Some(code) => self.translations.entry(code).or_default(),
            None => self,
        };
        match parsed {
            Parsed::Article(a) => library.articles.push(a),
            Parsed::Fix(f) => library.fixes.push(f),
            Parsed::Status(s) => library.statuses.push(s),
            Parsed::Guide(g) => library.guides.push(g),
            Parsed::Draft => {}
        }
    }

    /// Sorts every list (and every language's) by slug, and lets go of the room the lists
    /// grew into while loading (up to half of them; at 100,000 articles tens of MB).
    pub fn sort(&mut self) {
        self.articles.sort_by(|a, b| a.slug.cmp(&b.slug));
        self.fixes.sort_by(|a, b| a.slug.cmp(&b.slug));
        self.statuses.sort_by(|a, b| a.slug.cmp(&b.slug));
        self.guides.sort_by(|a, b| a.slug.cmp(&b.slug));
        self.articles.shrink_to_fit();
        self.fixes.shrink_to_fit();
        self.statuses.shrink_to_fit();
        self.guides.shrink_to_fit();
        for translation in self.translations.values_mut() {
            translation.sort();
        }
    }

    /// What the pages of language `code` show: every item of the library, as its
    /// translation into `code` when there is one, else as the original (whose
    /// `source.lang` then says it is not translated: see [`is_fallback`]). The lists keep
    /// the library's order and indices, so every id and back-link means the same.
    pub fn for_language(&self, code: &str) -> Library {
        let Some(translated) = self.translations.get(code) else {
            return Library {
                translations: Default::default(),
                ..self.clone()
            };
        };
        Library {
            articles: pick(&self.articles, &translated.articles, |a: &Article| &a.slug),
            fixes: pick(&self.fixes, &translated.fixes, |f: &Fix| &f.slug),
            statuses: pick(&self.statuses, &translated.statuses, |s: &StatusMessage| {
                &s.slug
            }),
            guides: pick(&self.guides, &translated.guides, |g: &Guide| &g.slug),
            media: self.media.clone(),
            translations: Default::default(),
        }
    }

    /// How many items of `kind` have a translation into `code` whose original exists.
    pub fn translated(&self, code: &str, kind: Kind) -> usize {
        let Some(t) = self.translations.get(code) else {
            return 0;
        };
        let originals = self.slugs(kind);
        t.slugs(kind)
            .into_iter()
            .filter(|slug| originals.binary_search(slug).is_ok())
            .count()
    }

    /// How many translations into `code` carry an `unverified:` note.
    pub fn unverified(&self, code: &str) -> usize {
        self.translations.get(code).map_or(0, |t| {
            t.sources().filter(|s| s.unverified.is_some()).count()
        })
    }
}

/// The translation coverage of each language in `codes`, one line each:
/// `de: 5 of 19 articles, 12 of 32 fixes, 7 of 7 status messages (3 unverified)`.
pub fn coverage<'a>(library: &Library, codes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    codes
        .into_iter()
        .map(|code| {
            let part = |kind: Kind, total: usize, noun: &str| {
                format!("{} of {total} {noun}", library.translated(code, kind))
            };
            let mut line = format!(
                "{code}: {}, {}, {}",
                part(Kind::Article, library.articles.len(), "articles"),
                part(Kind::Fix, library.fixes.len(), "fixes"),
                part(Kind::Status, library.statuses.len(), "status messages"),
            );
            if !library.guides.is_empty() {
                line.push_str(&format!(
                    ", {}",
                    part(Kind::Guide, library.guides.len(), "guides")
                ));
            }
            let unverified = library.unverified(code);
            if unverified > 0 {
                line.push_str(&format!(" ({unverified} unverified)"));
            }
            line
        })
        .collect()
}

/// Every translation into `code` with an `unverified:` note: its path and the note.
pub fn unverified_notes(library: &Library, code: &str) -> Vec<(std::path::PathBuf, String)> {
    let Some(t) = library.translations.get(code) else {
        return Vec::new();
    };
    t.sources()
        .filter_map(|s| Some((s.path.clone(), s.unverified.as_ref()?.value.clone())))
        .collect()
}

/// Whether an item shown in language `code` is its original, not yet translated.
pub fn is_fallback(source: &super::SourceFile, code: &str, default: &str) -> bool {
    code != default && source.lang.as_deref() != Some(code)
}

/// Each original, or its translation when there is one (both lists sorted by slug).
fn pick<T: Clone>(originals: &[T], translated: &[T], slug: impl Fn(&T) -> &String) -> Vec<T> {
    originals
        .iter()
        .map(|item| {
            translated
                .binary_search_by(|t| slug(t).cmp(slug(item)))
                .map_or_else(|_| item.clone(), |i| translated[i].clone())
        })
        .collect()
}
