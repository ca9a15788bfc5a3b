//! `fixbook search export`: the same documents, boosts, synonyms, stop words and platform
//! facets for an external search engine, each in that engine's documented import format.
//!
//! | format | files |
//! |---|---|
//! | `meilisearch` | `documents.json` (array, primary key `id`), `settings.json` (`searchableAttributes` in boost order, `filterableAttributes`, `synonyms`, `stopWords`) |
//! | `typesense` | `schema.json` (collection), `documents.jsonl`, `synonyms.json`, `stopwords.json`, `search-parameters.json` (`query_by` + `query_by_weights`) |
//! | `opensearch` | `index.json` (settings with a synonym graph and stop filter, mappings), `bulk.ndjson` (`_bulk` actions), `query.json` (a boosted `multi_match`) |
//! | `algolia` | `records.json` (each under 10 KB, `objectID`), `settings.json` (`searchableAttributes`, `attributesForFaceting`, `removeStopWords`), `synonyms.json` |

use serde_json::{Value, json};

use super::SearchDoc;
use super::rules::QueryRules;
use super::schema::{BOOST_BODY, BOOST_DESCRIPTION, BOOST_STATUS, BOOST_SYMPTOMS, BOOST_TITLE};
use crate::config::Config;

/// The name of the index or collection in the exported settings.
pub const INDEX_NAME: &str = "fixbook";
/// Algolia's record size limit on its smallest plan, in bytes of JSON.
pub const ALGOLIA_RECORD_BYTES: usize = 10_000;

/// An engine `fixbook search export` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Meilisearch,
    Typesense,
    Opensearch,
    Algolia,
}

/// The searchable fields, most important first, with their boosts.
const FIELDS: [(&str, f32); 5] = [
    ("status_messages", BOOST_STATUS),
    ("title", BOOST_TITLE),
    ("symptoms", BOOST_SYMPTOMS),
    ("description", BOOST_DESCRIPTION),
    ("body", BOOST_BODY),
];

/// The files of `format` for `docs`: `(file name, bytes)`, in a fixed order.
pub fn export(format: ExportFormat, docs: &[SearchDoc], config: &Config) -> Vec<(String, Vec<u8>)> {
    let rules = QueryRules::from_config(config);
    let groups = synonym_groups(config);
    let records: Vec<Value> = docs.iter().map(|doc| record(doc, config)).collect();
    let searchable: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).collect();
    let file = |name: &str, value: &Value| (name.to_owned(), pretty(value));
    match format {
        ExportFormat::Meilisearch => {
            let mut synonyms = serde_json::Map::new();
            for group in &groups {
                for entry in group {
                    let others: Vec<&String> = group.iter().filter(|o| *o != entry).collect();
                    synonyms.insert(entry.clone(), json!(others));
                }
            }
            vec![
                file("documents.json", &Value::Array(records)),
                file(
                    "settings.json",
                    &json!({
                        "searchableAttributes": searchable,
                        "filterableAttributes": ["platforms", "kind"],
                        "displayedAttributes": ["id", "kind", "url", "title", "description", "platforms"],
                        "synonyms": synonyms,
                        "stopWords": rules.stop_words,
                    }),
                ),
            ]
        }
        ExportFormat::Typesense => {
            let mut fields: Vec<Value> =
                vec![json!({"name": "kind", "type": "string", "facet": true})];
            fields.push(json!({"name": "url", "type": "string", "index": false, "optional": true}));
            for (name, _) in FIELDS {
                let kind = if matches!(name, "status_messages" | "symptoms") {
                    "string[]"
                } else {
                    "string"
                };
                fields.push(json!({"name": name, "type": kind, "optional": true}));
            }
            fields.push(
                json!({"name": "platforms", "type": "string[]", "facet": true, "optional": true}),
            );
            let synonyms: Vec<Value> = groups
                .iter()
                .enumerate()
                .map(|(i, group)| json!({"id": format!("synonyms-{}", i + 1), "synonyms": group}))
                .collect();
            let weights: Vec<String> = FIELDS
                .iter()
                .map(|(_, boost)| ((boost * 2.0).round() as u32).to_string())
                .collect();
            vec![
                file(
                    "schema.json",
                    &json!({"name": INDEX_NAME, "fields": fields}),
                ),
                ("documents.jsonl".to_owned(), lines(&records)),
                file("synonyms.json", &Value::Array(synonyms)),
                file(
                    "stopwords.json",
                    &json!({"stopwords": rules.stop_words, "locale": language(config)}),
                ),
                file(
                    "search-parameters.json",
                    &json!({
                        "query_by": searchable.join(","),
                        "query_by_weights": weights.join(","),
                        "facet_by": "platforms,kind",
                        "stopwords": INDEX_NAME,
                    }),
                ),
            ]
        }
        ExportFormat::Opensearch => {
            let text = json!({"type": "text", "analyzer": "fixbook_text", "search_analyzer": "fixbook_search"});
            let mut properties = serde_json::Map::new();
            for (name, _) in FIELDS {
                properties.insert(name.to_owned(), text.clone());
            }
            for keyword in ["kind", "url", "platforms"] {
                properties.insert(keyword.to_owned(), json!({"type": "keyword"}));
            }
            let synonyms: Vec<String> = groups.iter().map(|group| group.join(", ")).collect();
            let index = json!({
                "settings": {"analysis": {
                    "filter": {
                        "fixbook_stop": {"type": "stop", "stopwords": rules.stop_words},
                        "fixbook_synonyms": {"type": "synonym_graph", "synonyms": synonyms},
                    },
                    "analyzer": {
                        "fixbook_text": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "fixbook_stop"]},
                        "fixbook_search": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "fixbook_synonyms", "fixbook_stop"]},
                    },
                }},
                "mappings": {"properties": properties},
            });
            let mut bulk = Vec::new();
            for record in &records {
                let action = json!({"index": {"_index": INDEX_NAME, "_id": record["id"]}});
                bulk.extend(compact(&action));
                bulk.push(b'\n');
                bulk.extend(compact(record));
                bulk.push(b'\n');
            }
            let boosted: Vec<String> = FIELDS
                .iter()
                .map(|(name, boost)| format!("{name}^{boost}"))
                .collect();
            vec![
                file("index.json", &index),
                ("bulk.ndjson".to_owned(), bulk),
                file(
                    "query.json",
                    &json!({
                        "query": {"bool": {
                            "must": {"multi_match": {"query": "waiting to upload", "fields": boosted, "fuzziness": "AUTO"}},
                            "filter": [{"terms": {"platforms": ["iphone"]}}],
                        }},
                        "aggs": {"platforms": {"terms": {"field": "platforms"}}},
                    }),
                ),
            ]
        }
        ExportFormat::Algolia => {
            let records: Vec<Value> = records.into_iter().map(algolia_record).collect();
            let synonyms: Vec<Value> = groups
                .iter()
                .enumerate()
                .map(|(i, group)| {
                    json!({"objectID": format!("synonyms-{}", i + 1), "type": "synonym", "synonyms": group})
                })
                .collect();
            vec![
                file("records.json", &Value::Array(records)),
                file(
                    "settings.json",
                    &json!({
                        "searchableAttributes": searchable,
                        "attributesForFaceting": ["searchable(platforms)", "kind"],
                        "removeStopWords": [language(config)],
                        "queryLanguages": [language(config)],
                        "attributesToSnippet": ["body:30"],
                    }),
                ),
                file("synonyms.json", &Value::Array(synonyms)),
            ]
        }
    }
}

/// One document as every engine gets it, with its absolute address.
fn record(doc: &SearchDoc, config: &Config) -> Value {
    json!({
        "id": format!("{}-{}", doc.kind.as_str(), doc.slug),
        "kind": doc.kind.as_str(),
        "url": config.absolute_url(&doc.url),
        "title": doc.title,
        "description": doc.description,
        "status_messages": doc.status_messages,
        "symptoms": doc.symptoms,
        "body": doc.body,
        "platforms": doc.platforms,
    })
}

/// An Algolia record: `objectID` for `id`, the body cut at a word so the record stays under
/// [`ALGOLIA_RECORD_BYTES`].
fn algolia_record(mut record: Value) -> Value {
    if let Some(object) = record.as_object_mut() {
        if let Some(id) = object.remove("id") {
            object.insert("objectID".to_owned(), id);
        }
        let body = object
            .get("body")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        object.insert("body".to_owned(), Value::String(String::new()));
        let room =
            ALGOLIA_RECORD_BYTES.saturating_sub(compact(&Value::Object(object.clone())).len());
        // Escaping can make the JSON of a text longer than the text: leave it room.
        let mut cut = body.len().min(room.saturating_sub(room / 8));
        while !body.is_char_boundary(cut) {
            cut -= 1;
        }
        let kept = if cut < body.len() {
            body[..cut]
                .rfind(' ')
                .map_or(&body[..cut], |end| &body[..end])
        } else {
            &body
        };
        object.insert("body".to_owned(), Value::String(kept.to_owned()));
    }
    record
}

/// The site's synonym groups as written, lowercased.
fn synonym_groups(config: &Config) -> Vec<Vec<String>> {
    config
        .search
        .synonyms
        .iter()
        .map(|group| {
            let mut entries: Vec<String> = Vec::new();
            for entry in group {
                let entry = entry.trim().to_lowercase();
                if !entries.contains(&entry) {
                    entries.push(entry);
                }
            }
            entries
        })
        .filter(|group| group.len() > 1)
        .collect()
}

/// The primary subtag of the site's language (`en` for `en-GB`).
fn language(config: &Config) -> String {
    config
        .language
        .split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_lowercase()
}

fn compact(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

fn pretty(value: &Value) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}

fn lines(values: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for value in values {
        out.extend(compact(value));
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_body_is_cut_at_a_word_to_fit_an_algolia_record() {
        let record = json!({"id": "article-a", "title": "T", "body": "wörd ".repeat(5_000)});
        let cut = algolia_record(record);
        assert_eq!(cut["objectID"], "article-a");
        assert!(compact(&cut).len() <= ALGOLIA_RECORD_BYTES);
        let body = cut["body"].as_str().unwrap();
        assert!(
            body.len() > ALGOLIA_RECORD_BYTES / 2 && body.ends_with("wörd"),
            "{}",
            body.len()
        );
    }
}
