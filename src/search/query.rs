//! Turns an understood query ([`Plan`]) into a tantivy query without a query language, so
//! `"`, `:`, `(`, `-` or `AND` can never make a search fail. The score is the static
//! index's, term for term (see `static_bundle/terms.rs` and `search-engine.js`):
//!
//! - each concept scores its best alternative (a disjunction max); an alternative of one
//!   word scores the word in every field with the field's boost, one of several words
//!   needs them all and adds them up, and a synonym of several words must also be a phrase
//!   of a status message or title;
//! - each pair of adjacent words adds a phrase match in status messages and titles;
//! - a platform the query names adds [`PLATFORM_BOOST`] to that platform's pages;
//! - the platform filter keeps that platform's pages and those naming none.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::normalize::is_number;
use super::schema::{
    ANY_PLATFORM, BOOST_BODY, BOOST_DESCRIPTION, BOOST_STATUS, BOOST_SYMPTOMS, BOOST_TITLE, Fields,
    PHRASE_BOOST, PLATFORM_BOOST,
};
use super::understand::Plan;

/// The searchable fields with their boosts, most important first.
fn weighted(fields: &Fields) -> [(Field, f32); 5] {
    [
        (fields.status, BOOST_STATUS),
        (fields.title, BOOST_TITLE),
        (fields.symptoms, BOOST_SYMPTOMS),
        (fields.description, BOOST_DESCRIPTION),
        (fields.body, BOOST_BODY),
    ]
}

/// The query for `plan` restricted to `platform`, or `None` when the plan has no words.
pub(crate) fn build_query(
    fields: &Fields,
    plan: &Plan,
    platform: Option<&str>,
) -> Option<Box<dyn Query>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for concept in &plan.concepts {
        let mut alternatives: Vec<Box<dyn Query>> = concept
            .alternatives
            .iter()
            .enumerate()
            .map(|(i, words)| alternative(fields, words, i > 0))
            .collect();
        let query = if alternatives.len() == 1 {
            alternatives.remove(0)
        } else {
            Box::new(DisjunctionMaxQuery::new(alternatives))
        };
        clauses.push((Occur::Should, query));
    }
    for (first, second) in &plan.pairs {
        clauses.extend(pair(fields, first, second));
    }
    if plan.concepts.is_empty() {
        return None;
    }
    let mut top: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(BooleanQuery::new(clauses)))];
    let term = |value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(fields.platform, value),
            IndexRecordOption::Basic,
        ))
    };
    if !plan.platforms.is_empty() {
        let named = plan
            .platforms
            .iter()
            .map(|key| (Occur::Should, term(key)))
            .collect();
        top.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(
                Box::new(BooleanQuery::new(named)),
                PLATFORM_BOOST,
            )),
        ));
    }
    if let Some(platform) = platform.map(str::trim).filter(|p| !p.is_empty()) {
        let filter = BooleanQuery::new(vec![
            (Occur::Should, term(&platform.to_lowercase())),
            (Occur::Should, term(ANY_PLATFORM)),
        ]);
        top.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(filter), 0.0)),
        ));
    }
    Some(Box::new(BooleanQuery::new(top)))
}

/// The phrase `first second` in status messages and titles, at their phrase boost.
fn pair(fields: &Fields, first: &str, second: &str) -> Vec<(Occur, Box<dyn Query>)> {
    [(fields.status, BOOST_STATUS), (fields.title, BOOST_TITLE)]
        .into_iter()
        .map(|(field, boost)| {
            let phrase = PhraseQuery::new(vec![
                Term::from_field_text(field, first),
                Term::from_field_text(field, second),
            ]);
            (Occur::Should, boosted(phrase, boost * PHRASE_BOOST))
        })
        .collect()
}

/// One wording of a concept: one word in any field, or every word of several. A synonym
/// of several words (`as_phrase`) must also be a phrase of a status message or title,
/// pair by adjacent pair (none with a number), which adds those phrase matches.
fn alternative(fields: &Fields, words: &[String], as_phrase: bool) -> Box<dyn Query> {
    let word = |word: &str| -> Box<dyn Query> {
        let clauses = weighted(fields)
            .into_iter()
            .map(|(field, boost)| {
                let query = TermQuery::new(
                    Term::from_field_text(field, word),
                    IndexRecordOption::WithFreqs,
                );
                (Occur::Should, boosted(query, boost))
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    };
    if words.len() == 1 {
        return word(&words[0]);
    }
    let mut all: Vec<(Occur, Box<dyn Query>)> =
        words.iter().map(|w| (Occur::Must, word(w))).collect();
    if as_phrase {
        for adjacent in words.windows(2) {
            if is_number(&adjacent[0]) || is_number(&adjacent[1]) {
                continue;
            }
            let phrases = pair(fields, &adjacent[0], &adjacent[1]);
            all.push((Occur::Must, Box::new(BooleanQuery::new(phrases))));
        }
    }
    Box::new(BooleanQuery::new(all))
}

fn boosted(query: impl Query, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(Box::new(query), boost))
}
