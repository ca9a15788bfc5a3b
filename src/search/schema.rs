//! The search schema every engine shares: the fields a document is indexed by, their
//! boosts, and the platform token of pages for every platform. The tantivy index
//! ([`index`](super::index), [`query`](super::query)), the static bundle
//! ([`static_bundle`](super::static_bundle)) and its JavaScript mirror
//! (`templates/assets/search-engine.js`) all rank by these.

use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TantivyDocument, TextFieldIndexing,
    TextOptions,
};

use super::analyzer;
use super::{SearchDoc, SearchError};

/// Field boosts, shared with the static index so both engines rank fields alike.
pub(crate) const BOOST_STATUS: f32 = 5.0;
pub(crate) const BOOST_TITLE: f32 = 3.0;
pub(crate) const BOOST_SYMPTOMS: f32 = 2.0;
pub(crate) const BOOST_DESCRIPTION: f32 = 1.5;
pub(crate) const BOOST_BODY: f32 = 1.0;
/// Extra weight of the whole query found as a phrase in a status message or title.
pub(crate) const PHRASE_BOOST: f32 = 2.0;

/// Extra score of a page for a platform the query names ("on my mac"): the page of that
/// platform rises without the others leaving the list.
pub(crate) const PLATFORM_BOOST: f32 = 2.0;

/// Platform token of a document that names no platform: it applies to all of them.
pub(crate) const ANY_PLATFORM: &str = "_any";

/// Field handles of the index schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub kind: Field,
    pub url: Field,
    pub title: Field,
    pub description: Field,
    pub status: Field,
    pub symptoms: Field,
    pub body: Field,
    pub platform: Field,
    /// Every word of the document, once: its document count is the term's count over all
    /// fields, which is the static index's (one idf for all fields, see [`Statistics`]).
    pub all: Field,
}

impl Fields {
    pub(super) fn schema() -> Schema {
        let mut builder = Schema::builder();
        // Positions only where a query looks for phrases (status messages and titles):
        // the other fields are matched term by term and their snippets are re-tokenized.
        let prose = |stored: bool, phrases: bool| {
            let record = if phrases {
                IndexRecordOption::WithFreqsAndPositions
            } else {
                IndexRecordOption::WithFreqs
            };
            let options = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer::WORDS)
                    .set_index_option(record),
            );
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        builder.add_text_field("kind", STRING | STORED);
        builder.add_text_field("url", STRING | STORED);
        builder.add_text_field("title", prose(true, true));
        builder.add_text_field("description", prose(true, false));
        builder.add_text_field("status", prose(false, true));
        builder.add_text_field("symptoms", prose(false, false));
        builder.add_text_field("body", prose(true, false));
        builder.add_text_field("platform", STRING);
        builder.add_text_field(
            "all",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer::WORDS)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        );
        builder.build()
    }

    pub(super) fn from_schema(schema: &Schema) -> Result<Fields, SearchError> {
        Ok(Fields {
            kind: schema.get_field("kind")?,
            url: schema.get_field("url")?,
            title: schema.get_field("title")?,
            description: schema.get_field("description")?,
            status: schema.get_field("status")?,
            symptoms: schema.get_field("symptoms")?,
            body: schema.get_field("body")?,
            platform: schema.get_field("platform")?,
            all: schema.get_field("all")?,
        })
    }

    pub(super) fn document(&self, doc: &SearchDoc) -> TantivyDocument {
        let mut out = TantivyDocument::default();
        out.add_text(self.kind, doc.kind.as_str());
        out.add_text(self.url, &doc.url);
        out.add_text(self.title, &doc.title);
        out.add_text(self.description, &doc.description);
        for message in &doc.status_messages {
            out.add_text(self.status, message);
        }
        for symptom in &doc.symptoms {
            out.add_text(self.symptoms, symptom);
        }
        out.add_text(self.body, &doc.body);
        for message in &doc.status_messages {
            out.add_text(self.all, message);
        }
        out.add_text(self.all, &doc.title);
        for symptom in &doc.symptoms {
            out.add_text(self.all, symptom);
        }
        out.add_text(self.all, &doc.description);
        out.add_text(self.all, &doc.body);
        if doc.platforms.is_empty() {
            out.add_text(self.platform, ANY_PLATFORM);
        }
        for platform in &doc.platforms {
            out.add_text(self.platform, platform.to_lowercase());
        }
        out
    }
}

/// BM25 statistics with one idf per term over all fields, from the `all` field's document
/// counts: the static index stores one posting list per term and cannot tell fields apart
/// when it counts documents, so tantivy counts the same way.
pub(crate) struct Statistics<'a> {
    pub searcher: &'a tantivy::Searcher,
    pub all: Field,
}

impl tantivy::query::Bm25StatisticsProvider for Statistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        tantivy::query::Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        tantivy::query::Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    fn doc_freq(&self, term: &tantivy::Term) -> tantivy::Result<u64> {
        let bytes = term.serialized_value_bytes();
        self.searcher
            .doc_freq(&tantivy::Term::from_field_bytes(self.all, bytes))
    }
}
