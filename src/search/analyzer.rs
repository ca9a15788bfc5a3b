//! The analyzer of every text field of the tantivy index: the words of
//! [`normalize`](super::normalize::normalize), stemmed by the static index's own
//! [`Stemmer`] of the index's language. tantivy and the static index therefore hold the same terms,
//! so a query finds the same documents with the same weights on every surface; tokens keep
//! their offsets in the original text for snippets.

use tantivy::Index;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::normalize::normalize;
use super::stem::Stemmer;

/// Name of the analyzer in the schema.
pub(crate) const WORDS: &str = "fixbook_words";

/// Registers the analyzer of a language's `stemmer` on `index`; call it wherever an index
/// is created or opened.
pub(crate) fn register(index: &Index, stemmer: Stemmer) {
    index.tokenizers().register(
        WORDS,
        WordTokenizer {
            tokens: Vec::new(),
            stemmer,
        },
    );
}

/// Splits text into normalized, stemmed words.
#[derive(Clone)]
pub(crate) struct WordTokenizer {
    tokens: Vec<Token>,
    stemmer: Stemmer,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.tokens.clear();
        words_with_offsets(text, self.stemmer, &mut self.tokens);
        WordStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

/// Pushes the stemmed words of `text` with their byte offsets and positions.
fn words_with_offsets(text: &str, stemmer: Stemmer, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut position = 0;
    let mut flush = |from: usize, to: usize, out: &mut Vec<Token>| {
        let slice = &text[from..to];
        if slice.is_ascii() {
            // One word: its letters and digits, lowercased (apostrophes and digit group
            // separators are what else joins a word).
            let word: String = slice
                .bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase()))
                .collect();
            if !word.is_empty() {
                let text = match stemmer.stem(&word) {
                    std::borrow::Cow::Borrowed(_) => word,
                    std::borrow::Cow::Owned(stemmed) => stemmed,
                };
                out.push(Token {
                    offset_from: from,
                    offset_to: to,
                    position,
                    text,
                    position_length: 1,
                });
                position += 1;
            }
            return;
        }
        for word in normalize(slice).split(' ').filter(|w| !w.is_empty()) {
            out.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text: stemmer.stem(word).into_owned(),
                position_length: 1,
            });
            position += 1;
        }
    };
    for (i, c) in text.char_indices() {
        let joins = c.is_alphanumeric()
            || is_apostrophe(c)
            || ((c == ',' || c == '.')
                && i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
        match (joins, start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                flush(from, i, out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        flush(from, text.len(), out);
    }
    // Lowercasing a word alone can differ from lowercasing it in its text (a Greek final
    // sigma depends on what follows): the words come from the whole text, as the static
    // index takes them, whenever they line up with the offsets found.
    if !text.is_ascii() {
        let mut words = Vec::with_capacity(out.len());
        let mut scratch = String::new();
        super::normalize::for_each_word(text, &mut scratch, |w| {
            words.push(stemmer.stem(w).into_owned());
        });
        if words.len() == out.len() {
            for (token, word) in out.iter_mut().zip(words) {
                token.text = word;
            }
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '`' | '\u{00B4}'
    )
}

/// The tokens of one text, handed out in order.
pub(crate) struct WordStream<'a> {
    tokens: &'a mut Vec<Token>,
    next: usize,
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::super::normalize::for_each_word;
    use super::*;

    fn tokens(text: &str) -> Vec<Token> {
        tokens_in(text, Stemmer::English)
    }

    fn tokens_in(text: &str, stemmer: Stemmer) -> Vec<Token> {
        let mut out = Vec::new();
        WordTokenizer {
            tokens: Vec::new(),
            stemmer,
        }
        .token_stream(text)
        .process(&mut |token| out.push(token.clone()));
        out
    }

    /// The static index's words of `text`, stemmed.
    fn static_words(text: &str) -> Vec<String> {
        static_words_in(text, Stemmer::English)
    }

    fn static_words_in(text: &str, stemmer: Stemmer) -> Vec<String> {
        let mut scratch = String::new();
        let mut out = Vec::new();
        for_each_word(text, &mut scratch, |w| {
            out.push(stemmer.stem(w).into_owned())
        });
        out
    }

    #[test]
    fn each_language_gets_its_stemmer() {
        let text = "Fotos hochgeladen: Updating";
        let words = |stemmer| -> Vec<String> {
            tokens_in(text, stemmer)
                .into_iter()
                .map(|t| t.text)
                .collect()
        };
        assert_eq!(words(Stemmer::German), ["foto", "hochlad", "updating"]);
        assert_eq!(
            words(Stemmer::Identity),
            ["fotos", "hochgeladen", "updating"]
        );
        assert_eq!(words(Stemmer::English), ["foto", "hochgeladen", "updat"]);
    }

    #[test]
    fn words_are_the_static_index_words_with_their_offsets() {
        let text = "Can’t upload 1,234 “photos”… (error -36): Updating!";
        let found = tokens(text);
        let texts: Vec<&str> = found.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            ["cant", "upload", "1234", "photo", "error", "36", "updat"]
        );
        assert_eq!(&text[found[0].offset_from..found[0].offset_to], "Can’t");
        assert_eq!(&text[found[3].offset_from..found[3].offset_to], "photos");
        assert!(found.iter().enumerate().all(|(i, t)| t.position == i));
    }

    proptest::proptest! {
        #[test]
        fn any_text_gives_the_static_index_words(
            text in "(?s).{0,60}|[ -~]{0,80}|[0-9.,'` aA\u{2019}\u{2026}\u{3A3}\u{3B1}]{0,60}"
        ) {
            let ours: Vec<String> = tokens(&text).into_iter().map(|t| t.text).collect();
            proptest::prop_assert_eq!(ours, static_words(&text));
            let german: Vec<String> =
                tokens_in(&text, Stemmer::German).into_iter().map(|t| t.text).collect();
            proptest::prop_assert_eq!(german, static_words_in(&text, Stemmer::German));
        }
    }
}
