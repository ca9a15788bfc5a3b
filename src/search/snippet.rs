//! Result snippets: the best passage of the body with matched words in `<mark>`, HTML-escaped.

use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::schema::TantivyDocument;
use tantivy::snippet::SnippetGenerator;

use super::SearchError;
use super::schema::Fields;

/// Characters of text a snippet shows.
const SNIPPET_CHARS: usize = 180;

/// Snippet generators for one query: the body first, else the description.
pub(crate) struct Snippets {
    body: SnippetGenerator,
    description: SnippetGenerator,
}

impl Snippets {
    pub(crate) fn new(
        searcher: &Searcher,
        query: &dyn Query,
        fields: &Fields,
    ) -> Result<Snippets, SearchError> {
        let generator = |field| -> Result<SnippetGenerator, SearchError> {
            let mut generator = SnippetGenerator::create(searcher, query, field)?;
            generator.set_max_num_chars(SNIPPET_CHARS);
            Ok(generator)
        };
        Ok(Snippets {
            body: generator(fields.body)?,
            description: generator(fields.description)?,
        })
    }

    /// The highlighted passage of `doc`; its description when no matched word is in the text.
    pub(crate) fn html(&self, doc: &TantivyDocument, description: &str) -> String {
        for generator in [&self.body, &self.description] {
            let mut snippet = generator.snippet_from_doc(doc);
            if !snippet.is_empty() {
                snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
                return snippet.to_html();
            }
        }
        plain_excerpt(description)
    }
}

/// The first [`SNIPPET_CHARS`] characters of `text`, escaped, cut at a word boundary.
pub(crate) fn plain_excerpt(text: &str) -> String {
    escape_html(&truncate_words(text, SNIPPET_CHARS))
}

/// `text` cut to at most `max_chars` characters at a word boundary, with "…" when cut.
pub(crate) fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let head: String = text.chars().take(max_chars).collect();
    let cut = head.rfind(char::is_whitespace).unwrap_or(head.len());
    format!("{}…", head[..cut].trim_end())
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
