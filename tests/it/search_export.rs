//! `fixbook search export`: the shipped knowledge base written for Meilisearch, Typesense,
//! OpenSearch and Algolia, each checked against the shape its engine documents for import.

use std::path::Path;

use serde_json::Value;

use crate::support::{fixbook, repo_root, stdout};

/// Exports the shipped site for `format` into a fresh folder and returns it.
fn export(format: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join(format);
    let output = fixbook(&[
        "--root",
        &repo_root().to_string_lossy(),
        "search",
        "export",
        "--format",
        format,
        "--output",
        &out.to_string_lossy(),
    ]);
    assert!(output.status.success(), "{output:?}");
    assert!(
        stdout(&output).contains("exported 59 documents"),
        "{}",
        stdout(&output)
    );
    dir
}

fn json(dir: &Path, name: &str) -> Value {
    let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn lines(dir: &Path, name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(text.ends_with('\n'), "{name} must end with a newline");
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: {e}: {line}")))
        .collect()
}

const SEARCHABLE: [&str; 5] = [
    "status_messages",
    "title",
    "symptoms",
    "description",
    "body",
];

#[test]
fn meilisearch_export_is_a_document_array_with_settings_in_boost_order() {
    let dir = export("meilisearch");
    let dir = dir.path().join("meilisearch");
    let docs = json(&dir, "documents.json");
    let docs = docs.as_array().unwrap_or_else(|| panic!("an array"));
    assert_eq!(docs.len(), 59);
    for doc in docs {
        // A Meilisearch document id: a-z A-Z 0-9, - and _ only.
        let id = doc["id"].as_str().unwrap_or_default();
        assert!(
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{id}"
        );
        assert!(
            doc["url"]
                .as_str()
                .unwrap_or_default()
                .starts_with("https://help.example.org/")
        );
        assert!(doc["platforms"].is_array());
    }
    let settings = json(&dir, "settings.json");
    assert_eq!(
        settings["searchableAttributes"],
        serde_json::json!(SEARCHABLE)
    );
    assert_eq!(
        settings["filterableAttributes"],
        serde_json::json!(["platforms", "kind"])
    );
    assert_eq!(settings["synonyms"]["wireless data"][0], "cellular data");
    assert!(
        settings["stopWords"]
            .as_array()
            .is_some_and(|w| w.iter().any(|w| w == "why"))
    );
}

#[test]
fn typesense_export_is_a_collection_schema_and_jsonl_documents() {
    let dir = export("typesense");
    let dir = dir.path().join("typesense");
    let schema = json(&dir, "schema.json");
    assert_eq!(schema["name"], "fixbook");
    let fields = schema["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("fields"));
    let field = |name: &str| {
        fields
            .iter()
            .find(|f| f["name"] == name)
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(field("platforms")["type"], "string[]");
    assert_eq!(field("platforms")["facet"], true);
    assert_eq!(field("status_messages")["type"], "string[]");
    assert_eq!(field("title")["type"], "string");
    let docs = lines(&dir, "documents.jsonl");
    assert_eq!(docs.len(), 59);
    assert!(
        docs.iter()
            .all(|d| d["id"].is_string() && d["title"].is_string())
    );
    let synonyms = json(&dir, "synonyms.json");
    let first = &synonyms[0];
    assert!(first["id"].is_string() && first["synonyms"].as_array().is_some_and(|s| s.len() > 1));
    let parameters = json(&dir, "search-parameters.json");
    assert_eq!(parameters["query_by"], SEARCHABLE.join(","));
    assert_eq!(parameters["query_by_weights"], "10,6,4,3,2");
    assert!(json(&dir, "stopwords.json")["stopwords"].is_array());
}

#[test]
fn opensearch_export_is_bulk_ndjson_with_a_mapping_and_synonym_filter() {
    let dir = export("opensearch");
    let dir = dir.path().join("opensearch");
    let bulk = lines(&dir, "bulk.ndjson");
    assert_eq!(bulk.len(), 2 * 59, "an action line before every document");
    for pair in bulk.chunks(2) {
        assert_eq!(pair[0]["index"]["_index"], "fixbook");
        assert_eq!(pair[0]["index"]["_id"], pair[1]["id"]);
    }
    let index = json(&dir, "index.json");
    let filter = &index["settings"]["analysis"]["filter"];
    assert_eq!(filter["fixbook_synonyms"]["type"], "synonym_graph");
    assert!(
        filter["fixbook_synonyms"]["synonyms"][0]
            .as_str()
            .unwrap_or_default()
            .contains(", ")
    );
    assert_eq!(filter["fixbook_stop"]["type"], "stop");
    let properties = &index["mappings"]["properties"];
    assert_eq!(properties["platforms"]["type"], "keyword");
    assert_eq!(properties["title"]["search_analyzer"], "fixbook_search");
    let query = json(&dir, "query.json");
    assert_eq!(
        query["query"]["bool"]["must"]["multi_match"]["fields"][0],
        "status_messages^5"
    );
}

#[test]
fn algolia_export_keeps_every_record_within_its_size_limit() {
    let dir = export("algolia");
    let dir = dir.path().join("algolia");
    let records = json(&dir, "records.json");
    let records = records.as_array().unwrap_or_else(|| panic!("an array"));
    assert_eq!(records.len(), 59);
    for record in records {
        assert!(record["objectID"].is_string() && record.get("id").is_none());
        let size = serde_json::to_vec(record)
            .map(|b| b.len())
            .unwrap_or(usize::MAX);
        assert!(
            size <= fixbook::search::export::ALGOLIA_RECORD_BYTES,
            "{size} bytes"
        );
    }
    let settings = json(&dir, "settings.json");
    assert_eq!(
        settings["searchableAttributes"],
        serde_json::json!(SEARCHABLE)
    );
    assert_eq!(
        settings["attributesForFaceting"][0],
        "searchable(platforms)"
    );
    assert_eq!(settings["removeStopWords"][0], "en");
    let synonyms = json(&dir, "synonyms.json");
    assert_eq!(synonyms[0]["type"], "synonym");
    assert!(synonyms[0]["objectID"].is_string());
}

#[test]
fn an_unknown_export_format_is_refused_with_the_known_ones() {
    let output = fixbook(&[
        "--root",
        &repo_root().to_string_lossy(),
        "search",
        "export",
        "--format",
        "solr",
    ]);
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("meilisearch") && err.contains("algolia"),
        "{err}"
    );
}
