//! Words of a language that carry no meaning in a search: question words and filler ("how
//! do i", "why is my", "it keeps saying"), and the words readers put before a message their
//! screen shows ("says", "stuck on"). The site's `language` picks the lists and the
//! [`Stemmer`]; a language without lists drops no word and stems none.
//!
//! Stop words are left out of a query's words (never all of them: a query made only of
//! stop words keeps them). Cue words mark a status message inside a sentence ("my ipad says
//! paused"). Both lists are normalized words ([`normalize`](super::normalize::normalize)).

use super::stem::Stemmer;

/// Stop words, cue words and the stemmer of one language.
#[derive(Debug, Clone, Copy)]
pub struct Language {
    /// Words left out of a query.
    pub stop_words: &'static [&'static str],
    /// Words that announce a message shown on screen.
    pub cues: &'static [&'static str],
    /// How its words are stemmed.
    pub stemmer: Stemmer,
}

const EN: Language = Language {
    stop_words: &[
        "a", "about", "again", "am", "an", "and", "any", "anymore", "are", "as", "at", "be",
        "been", "being", "but", "by", "can", "come", "could", "did", "do", "does", "doing", "done",
        "dont", "for", "from", "get", "gets", "getting", "got", "had", "has", "have", "having",
        "he", "hello", "help", "her", "hers", "hi", "him", "his", "how", "i", "id", "if", "im",
        "in", "into", "is", "it", "its", "ive", "just", "keep", "keeps", "keeping", "kept", "me",
        "mine", "my", "myself", "now", "of", "on", "or", "our", "ours", "please", "said", "say",
        "saying", "says", "she", "should", "since", "so", "some", "still", "thank", "thanks",
        "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to",
        "too", "up", "us", "very", "was", "we", "were", "what", "whats", "when", "where", "which",
        "while", "why", "will", "with", "would", "you", "your", "yours",
    ],
    stemmer: Stemmer::English,
    cues: &[
        "display",
        "displayed",
        "displaying",
        "displays",
        "error",
        "message",
        "read",
        "reading",
        "reads",
        "said",
        "say",
        "saying",
        "says",
        "show",
        "showed",
        "showing",
        "shown",
        "shows",
        "status",
        "stuck",
    ],
};

const DE: Language = Language {
    stop_words: &[
        "aber", "als", "am", "an", "auf", "bei", "bin", "bis", "bitte", "das", "dass", "dem",
        "den", "der", "die", "ein", "eine", "einem", "einen", "einer", "es", "fur", "habe", "hat",
        "hilfe", "ich", "im", "immer", "in", "ist", "kann", "mein", "meine", "meinem", "meinen",
        "mich", "mir", "mit", "noch", "nur", "oder", "schon", "seit", "sind", "und", "von",
        "warum", "was", "wie", "wieso", "wo", "zu",
    ],
    cues: &["anzeige", "meldung", "steht", "zeigt", "hangt", "sagt"],
    stemmer: Stemmer::German,
};

const FR: Language = Language {
    stop_words: &[
        "au", "aux", "avec", "ce", "ces", "comment", "dans", "de", "des", "du", "elle", "en",
        "est", "et", "il", "je", "la", "le", "les", "leur", "ma", "mes", "mon", "ne", "ou", "par",
        "pas", "pour", "pourquoi", "que", "quel", "quelle", "qui", "sa", "se", "ses", "son", "sur",
        "toujours", "un", "une",
    ],
    cues: &["affiche", "bloque", "dit", "indique", "message"],
    stemmer: Stemmer::Identity,
};

const ES: Language = Language {
    stop_words: &[
        "a", "al", "como", "con", "de", "del", "el", "en", "es", "esta", "la", "las", "lo", "los",
        "me", "mi", "mis", "no", "para", "por", "porque", "que", "se", "siempre", "su", "un",
        "una", "y",
    ],
    cues: &["dice", "mensaje", "muestra", "pone", "atascado"],
    stemmer: Stemmer::Identity,
};

/// No word is dropped, no cue is known and no word is stemmed.
const NONE: Language = Language {
    stop_words: &[],
    cues: &[],
    stemmer: Stemmer::Identity,
};

impl Language {
    /// The lists for a BCP 47 tag (`en`, `en-GB`, `de-CH`, …): by its primary subtag.
    pub fn for_tag(tag: &str) -> Language {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_lowercase();
        match primary.as_str() {
            "en" => EN,
            "de" => DE,
            "fr" => FR,
            "es" => ES,
            _ => NONE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::normalize::normalize;
    use super::*;

    #[test]
    fn the_primary_subtag_picks_the_lists() {
        assert!(Language::for_tag("en-GB").stop_words.contains(&"why"));
        assert!(Language::for_tag("de").stop_words.contains(&"warum"));
        assert!(Language::for_tag("xx").stop_words.is_empty());
    }

    #[test]
    fn lists_are_normalized_words() {
        for language in [EN, DE, FR, ES] {
            for word in language.stop_words.iter().chain(language.cues) {
                assert_eq!(normalize(word), *word);
            }
        }
    }
}
