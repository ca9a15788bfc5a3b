//! Turns reader input into a tantivy query without a query language: the text is run
//! through each field's own analyzer and every resulting term becomes a boosted optional
//! clause, so `"`, `:`, `(`, `-` or `AND` can never make a search fail.

use tantivy::Index;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use super::SearchError;
use super::schema::{
    ANY_PLATFORM, BOOST_BODY, BOOST_DESCRIPTION, BOOST_STATUS, BOOST_SYMPTOMS, BOOST_TITLE, Fields,
    PHRASE_BOOST,
};

/// Longest query looked at, in characters.
const MAX_QUERY_CHARS: usize = 256;
/// Most distinct terms per field looked at.
const MAX_TERMS: usize = 16;
/// A searchable field with its boost and analyzer.
pub(crate) struct WeightedField {
    field: Field,
    boost: f32,
    phrase: bool,
    analyzer: TextAnalyzer,
}

impl WeightedField {
    /// The searchable fields, most important first.
    pub(crate) fn all(index: &Index, fields: &Fields) -> Result<Vec<WeightedField>, SearchError> {
        let weighted = |field: Field, boost: f32, phrase: bool| -> Result<_, SearchError> {
            Ok(WeightedField {
                field,
                boost,
                phrase,
                analyzer: index.tokenizer_for_field(field)?,
            })
        };
        Ok(vec![
            weighted(fields.status, BOOST_STATUS, true)?,
            weighted(fields.title, BOOST_TITLE, true)?,
            weighted(fields.symptoms, BOOST_SYMPTOMS, false)?,
            weighted(fields.description, BOOST_DESCRIPTION, false)?,
            weighted(fields.body, BOOST_BODY, false)?,
        ])
    }

    fn terms(&self, text: &str) -> Vec<String> {
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut terms = Vec::new();
        while stream.advance() {
            terms.push(stream.token().text.clone());
        }
        terms
    }
}

/// The query for `text` restricted to `platform`, or `None` when `text` has no words.
pub(crate) fn build_query(
    weighted: &[WeightedField],
    fields: &Fields,
    text: &str,
    platform: Option<&str>,
) -> Option<Box<dyn Query>> {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for field in weighted {
        let terms = field.terms(&text);
        let mut distinct = terms.clone();
        distinct.sort();
        distinct.dedup();
        for term in distinct.iter().take(MAX_TERMS) {
            let query = TermQuery::new(
                Term::from_field_text(field.field, term),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((Occur::Should, boosted(query, field.boost)));
        }
        if field.phrase && (2..=MAX_TERMS).contains(&terms.len()) {
            let phrase = PhraseQuery::new(
                terms
                    .iter()
                    .map(|term| Term::from_field_text(field.field, term))
                    .collect(),
            );
            clauses.push((Occur::Should, boosted(phrase, field.boost * PHRASE_BOOST)));
        }
    }
    if clauses.is_empty() {
        return None;
    }
    let text_query: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
    let platform = platform.map(str::trim).filter(|p| !p.is_empty());
    let Some(platform) = platform else {
        return Some(text_query);
    };
    let platform_term = |value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(fields.platform, value),
            IndexRecordOption::Basic,
        ))
    };
    let filter = BooleanQuery::new(vec![
        (Occur::Should, platform_term(&platform.to_lowercase())),
        (Occur::Should, platform_term(ANY_PLATFORM)),
    ]);
    Some(Box::new(BooleanQuery::new(vec![
        (Occur::Must, text_query),
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(filter), 0.0)),
        ),
    ])))
}

fn boosted(query: impl Query, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(Box::new(query), boost))
}
