//! The stemmer of each language, shared by tantivy and the static index and mirrored rule
//! for rule in `assets/search-engine.js` (`stemmer`): the browser stems query words exactly
//! as the build stemmed the documents, or a query word would miss its own postings.
//!
//! An index is stemmed in its language ([`Stemmer::for_tag`], see
//! [`Language`](super::language::Language)): [`english`] for English, [`german`] for
//! German, none for other languages (their words are matched as normalized). Stemmers run
//! on normalized words ([`normalize`](super::normalize::normalize)): lower case, accents
//! folded, so German sees `hochgeladen`, `gerat`, `strasse`.
//!
//! Both stemmers are small suffix strippers written out here and in `search-engine.js`
//! rather than tantivy's Snowball stemmers (`rust-stemmers`, a new dependency): the
//! browser would need the same algorithm, and Snowball's generated JavaScript German
//! stemmer is 24 KB plus an 11.6 KB runtime, more than all of `search-engine.js` (34 KB),
//! where the German rules here take 1.2 KB. Snowball German also looks for `ä`, `ö`, `ü`
//! and `ß`, which folding has removed, and leaves "hochgeladen" and "hochladen" apart.

mod english;
mod german;

use std::borrow::Cow;

/// How the words of one language are stemmed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Stemmer {
    /// The light English stemmer ([`english`]).
    #[default]
    English,
    /// A CISTEM-based German stemmer ([`german`]).
    German,
    /// Words are kept as normalized.
    Identity,
}

impl Stemmer {
    /// The stemmer of a BCP 47 tag (`en`, `de-CH`, …), by its primary subtag.
    pub fn for_tag(tag: &str) -> Stemmer {
        super::language::Language::for_tag(tag).stemmer
    }

    /// The stem of a normalized word; the word itself, unallocated, when no rule applies.
    pub fn stem(self, word: &str) -> Cow<'_, str> {
        match self {
            Stemmer::English => english::stem(word),
            Stemmer::German => german::stem(word),
            Stemmer::Identity => Cow::Borrowed(word),
        }
    }

    /// The stems of the words of a normalized text, in order.
    pub fn stems(self, normalized: &str) -> Vec<String> {
        normalized
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| self.stem(w).into_owned())
            .collect()
    }

    /// The stemmer's name in the static index (`meta.json`, `status-index.json`), which
    /// tells `search-engine.js` which stemmer to run.
    pub fn name(self) -> &'static str {
        match self {
            Stemmer::English => "en",
            Stemmer::German => "de",
            Stemmer::Identity => "none",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_picks_the_stemmer() {
        assert_eq!(Stemmer::for_tag("en-GB"), Stemmer::English);
        assert_eq!(Stemmer::for_tag("de-CH"), Stemmer::German);
        assert_eq!(Stemmer::for_tag("ja"), Stemmer::Identity);
        assert_eq!(Stemmer::for_tag("fr"), Stemmer::Identity);
        assert_eq!(Stemmer::Identity.stem("photos"), "photos");
        assert_eq!(Stemmer::English.stem("photos"), "photo");
    }
}
