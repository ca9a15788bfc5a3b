//! The `en_stem` analyzer of the prose fields: tantivy's own pipeline (split on
//! non-alphanumerics, drop tokens of 40+ bytes, lowercase, English Snowball stemmer), with
//! each word's stem remembered.
//!
//! Stemming every token of every document was over half of the indexing time, while a
//! knowledge base repeats the same few thousand words. Stems come from tantivy's own
//! [`Stemmer`], so the terms are exactly those of tantivy's built-in `en_stem`: the schema
//! keeps that name, and an index opened without this analyzer registered still reads right.

use tantivy::Index;
use tantivy::tokenizer::{
    LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Name of the analyzer in the schema: tantivy's own, which this one replaces.
pub(crate) const EN_STEM: &str = "en_stem";
/// Tokens of this many bytes or more are dropped, as by tantivy's `en_stem`.
const MAX_TOKEN_BYTES: usize = 40;
/// Most words whose stem is remembered: a knowledge base's vocabulary fits many times over,
/// and a pathological text cannot grow the memo without bound.
const MAX_REMEMBERED: usize = 200_000;

/// Registers the analyzer on `index`; call it wherever an index is created or opened.
pub(crate) fn register(index: &Index) {
    index.tokenizers().register(EN_STEM, en_stem());
}

/// The analyzer: tantivy's `en_stem` with a memo of stems.
pub(crate) fn en_stem() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(RememberingStemmer {
            limit: MAX_REMEMBERED,
        })
        .build()
}

/// Token filter: tantivy's English [`Stemmer`] behind a memo of at most `limit` words.
#[derive(Clone, Copy)]
struct RememberingStemmer {
    limit: usize,
}

impl TokenFilter for RememberingStemmer {
    type Tokenizer<T: Tokenizer> = RememberingStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RememberingStemmerFilter<T> {
        RememberingStemmerFilter {
            inner: tokenizer,
            stems: Stems::new(self.limit),
        }
    }
}

#[derive(Clone)]
struct RememberingStemmerFilter<T> {
    inner: T,
    stems: Stems,
}

impl<T: Tokenizer> Tokenizer for RememberingStemmerFilter<T> {
    type TokenStream<'a> = RememberingStemmerStream<'a, T::TokenStream<'a>>;

    // tantivy keeps one analyzer per field for a whole segment writer and calls this once per
    // text, so the memo lives here, across documents.
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberingStemmerStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
        }
    }
}

/// Word → stem, filled from tantivy's stemmer on first sight of a word.
struct Stems {
    /// `None` for a word that is its own stem, the most common case: nothing to copy.
    memo: foldhash::HashMap<String, Option<Box<str>>>,
    limit: usize,
    /// tantivy's stemmer over a one-token tokenizer: stems one word per call.
    stemmer: <Stemmer as TokenFilter>::Tokenizer<RawTokenizer>,
}

impl Stems {
    fn new(limit: usize) -> Stems {
        Stems {
            memo: foldhash::HashMap::default(),
            limit,
            stemmer: Stemmer::default().transform(RawTokenizer::default()),
        }
    }

    /// Replaces the lowercased word in `text` by its stem.
    fn stem(&mut self, text: &mut String) {
        if let Some(known) = self.memo.get(text.as_str()) {
            if let Some(stem) = known {
                text.clear();
                text.push_str(stem);
            }
            return;
        }
        let mut stream = self.stemmer.token_stream(text);
        let stem = if stream.advance() {
            Some(&stream.token().text).filter(|stem| *stem != text)
        } else {
            None
        };
        let stem = stem.map(|stem| Box::<str>::from(stem.as_str()));
        if self.memo.len() < self.limit {
            self.memo.insert(text.clone(), stem.clone());
        }
        if let Some(stem) = stem {
            text.clear();
            text.push_str(&stem);
        }
    }
}

impl Clone for Stems {
    /// A fresh, empty memo: tantivy clones the registered analyzer for each segment writer
    /// and query, and copying a full memo would cost more than refilling it.
    fn clone(&self) -> Stems {
        Stems::new(self.limit)
    }
}

struct RememberingStemmerStream<'a, T> {
    tail: T,
    stems: &'a mut Stems,
}

impl<T: TokenStream> TokenStream for RememberingStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.stems.stem(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::TokenizerManager;

    use super::*;

    /// Every token with its text, offsets and position, in order.
    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |token| out.push(token.clone()));
        out
    }

    fn tantivy_en_stem() -> TextAnalyzer {
        TokenizerManager::default().get(EN_STEM).unwrap()
    }

    const TEXTS: [&str; 4] = [
        "Photos stopped syncing: the photos library is syncing again after updating iOS. \
         Running, runs, ran; connection, connections, connected, connecting!",
        "PHOTOS Stopped SYNCING — généralement «Mise à jour échouée»; ΚΑΛΗΜΈΡΑ Straße \
         İstanbul can't won’t 1,234 ipv6 x86_64 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "generously generous generalization general universities university relational \
         relate argument arguing argued agreed feed sky skies dying lying news",
        "",
    ];

    #[test]
    fn stems_are_tantivys_en_stem_tokens_on_first_and_later_sight() {
        let mut ours = en_stem();
        let mut theirs = tantivy_en_stem();
        // Twice over: the second round reads every stem from the memo.
        for text in TEXTS.iter().chain(&TEXTS) {
            assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text), "{text}");
        }
    }

    #[test]
    fn words_past_the_limit_are_stemmed_without_being_remembered() {
        let mut filter = RememberingStemmer { limit: 3 }.transform(LowerCaser.transform(
            RemoveLongFilter::limit(MAX_TOKEN_BYTES).transform(SimpleTokenizer::default()),
        ));
        let mut theirs = tantivy_en_stem();
        for text in TEXTS.iter().chain(&TEXTS) {
            let mut ours = Vec::new();
            filter
                .token_stream(text)
                .process(&mut |token| ours.push(token.clone()));
            assert_eq!(ours, tokens(&mut theirs, text), "{text}");
        }
        assert_eq!(filter.stems.memo.len(), 3);
    }

    #[test]
    fn a_clone_starts_with_an_empty_memo() {
        let mut filter = RememberingStemmer { limit: 10 }
            .transform(LowerCaser.transform(RawTokenizer::default()));
        filter.token_stream("Running").process(&mut |_| {});
        assert_eq!(filter.stems.memo.len(), 1);
        assert!(filter.clone().stems.memo.is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_text_gives_tantivys_tokens(texts in proptest::collection::vec("\\PC{0,80}|[a-zA-Z ]{0,80}", 1..6)) {
            let mut ours = en_stem();
            let mut theirs = tantivy_en_stem();
            for text in texts.iter().chain(&texts) {
                proptest::prop_assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text));
            }
        }
    }
}
