//! schema.org JSON-LD: TechArticle, HowTo, WebSite and BreadcrumbList.

use serde::Serialize;
use serde_json::json;

use super::context::{FixCard, PageMeta};
use crate::config::Config;
use crate::content::Article;

/// Serializes JSON-LD so it can sit inside a `<script>` element: `<` is escaped so no
/// content can close the element early.
fn to_script_json(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

// The typed nodes below write their keys in byte order, as a JSON object map sorts them:
// the home page's node, built as a map, and these read the same way. Typed nodes spare
// every page a map per node.

/// `{"@context": …, "@graph": [a, b]}`.
#[derive(Serialize)]
struct Graph<A, B> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: (A, B),
}

#[derive(Serialize)]
struct BreadcrumbList<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    items: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    item: String,
    name: &'a str,
    position: usize,
}

#[derive(Serialize)]
struct TechArticle<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "dateModified")]
    date_modified: String,
    #[serde(rename = "datePublished")]
    date_published: String,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    keywords: String,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    publisher: Organization<'a>,
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct HowTo<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    description: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    name: &'a str,
    #[serde(rename = "totalTime", skip_serializing_if = "Option::is_none")]
    total_time: Option<String>,
    url: &'a str,
}

const SCHEMA_ORG: &str = "https://schema.org";

fn breadcrumb_list<'a>(config: &Config, meta: &'a PageMeta) -> BreadcrumbList<'a> {
    let items = meta
        .breadcrumbs
        .iter()
        .enumerate()
        .map(|(i, crumb)| {
            let path = crumb
                .url
                .strip_prefix(&config.base_path)
                .unwrap_or(&crumb.url);
            ListItem {
                kind: "ListItem",
                item: config.absolute_url(path),
                name: &crumb.title,
                position: i + 1,
            }
        })
        .collect();
    BreadcrumbList {
        context: None,
        kind: "BreadcrumbList",
        items,
    }
}

/// The home page: the site and its search action.
pub fn website(config: &Config) -> String {
    to_script_json(&json!({
        "@context": SCHEMA_ORG,
        "@type": "WebSite",
        "name": config.title,
        "description": config.description,
        "url": config.base_url,
        "inLanguage": config.language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": format!("{}search/?q={{query}}", config.base_url),
            "query-input": "required name=query"
        }
    }))
}

/// An article page: TechArticle plus its breadcrumbs.
pub fn article(config: &Config, article: &Article, description: &str, meta: &PageMeta) -> String {
    let tech = TechArticle {
        kind: "TechArticle",
        date_modified: article.updated.unwrap_or(article.date).rfc3339(),
        date_published: article.date.rfc3339(),
        description,
        headline: &article.title,
        image: Some(meta.social_image.as_str()).filter(|i| !i.is_empty()),
        in_language: &config.language,
        keywords: article.tags.join(", "),
        main_entity_of_page: &meta.canonical,
        publisher: Organization {
            kind: "Organization",
            name: &config.title,
            url: &config.base_url,
        },
    };
    to_script_json(&Graph {
        context: SCHEMA_ORG,
        graph: (tech, breadcrumb_list(config, meta)),
    })
}

/// A fix page: the fix as a HowTo, plus its breadcrumbs.
pub fn how_to(config: &Config, card: &FixCard, meta: &PageMeta) -> String {
    let how_to = HowTo {
        kind: "HowTo",
        description: &card.description,
        in_language: &config.language,
        name: &card.title,
        total_time: minutes(&card.duration).map(|minutes| format!("PT{minutes}M")),
        url: &meta.canonical,
    };
    to_script_json(&Graph {
        context: SCHEMA_ORG,
        graph: (how_to, breadcrumb_list(config, meta)),
    })
}

/// Any other page: its breadcrumbs.
pub fn breadcrumbs_only(config: &Config, meta: &PageMeta) -> String {
    let mut list = breadcrumb_list(config, meta);
    list.context = Some(SCHEMA_ORG);
    to_script_json(&list)
}

/// "5 min", "2 minutes", "1 hour" → minutes, when the duration says so plainly.
fn minutes(duration: &str) -> Option<u32> {
    let mut words = duration.split_whitespace();
    let number: u32 = words.next()?.parse().ok()?;
    match words.next()? {
        unit if unit.starts_with("min") => Some(number),
        unit if unit.starts_with("h") => Some(number * 60),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::Value;

    use super::super::context::Crumb;
    use super::*;
    use crate::content::{Kind, load_bytes};

    #[test]
    fn script_json_cannot_close_its_element() {
        assert_eq!(
            to_script_json(&json!({"a": "</script>"})),
            "{\"a\":\"\\u003c/script>\"}"
        );
    }

    #[test]
    fn durations_in_plain_words_become_minutes() {
        assert_eq!(minutes("5 min"), Some(5));
        assert_eq!(minutes("1 hour"), Some(60));
        assert_eq!(minutes("overnight"), None);
    }

    // The typed nodes must read exactly as the same nodes built as JSON maps, whose keys
    // serialize sorted: these are those maps.

    fn map_breadcrumbs(config: &Config, meta: &PageMeta) -> Value {
        let items: Vec<Value> = meta
            .breadcrumbs
            .iter()
            .enumerate()
            .map(|(i, crumb)| {
                let path = crumb.url.strip_prefix(&config.base_path).unwrap_or(&crumb.url);
                json!({"@type": "ListItem", "position": i + 1, "name": crumb.title, "item": config.absolute_url(path)})
            })
            .collect();
        json!({"@type": "BreadcrumbList", "itemListElement": items})
    }

    fn map_article(
        config: &Config,
        article: &Article,
        description: &str,
        meta: &PageMeta,
    ) -> String {
        let mut tech = json!({
            "@type": "TechArticle",
            "headline": article.title,
            "description": description,
            "datePublished": article.date.rfc3339(),
            "dateModified": article.updated.unwrap_or(article.date).rfc3339(),
            "inLanguage": config.language,
            "mainEntityOfPage": meta.canonical,
            "keywords": article.tags.join(", "),
            "publisher": {"@type": "Organization", "name": config.title, "url": config.base_url},
        });
        if !meta.social_image.is_empty() {
            tech["image"] = json!(meta.social_image);
        }
        to_script_json(
            &json!({"@context": "https://schema.org", "@graph": [tech, map_breadcrumbs(config, meta)]}),
        )
    }

    fn map_how_to(config: &Config, card: &FixCard, meta: &PageMeta) -> String {
        let mut how_to = json!({
            "@type": "HowTo",
            "name": card.title,
            "description": card.description,
            "url": meta.canonical,
            "inLanguage": config.language,
        });
        if let Some(minutes) = minutes(&card.duration) {
            how_to["totalTime"] = json!(format!("PT{minutes}M"));
        }
        to_script_json(
            &json!({"@context": "https://schema.org", "@graph": [how_to, map_breadcrumbs(config, meta)]}),
        )
    }

    fn map_breadcrumbs_only(config: &Config, meta: &PageMeta) -> String {
        let mut list = map_breadcrumbs(config, meta);
        list["@context"] = json!("https://schema.org");
        to_script_json(&list)
    }

    fn meta(config: &Config, title: &str) -> PageMeta {
        PageMeta {
            kind: "article",
            title: title.into(),
            description: String::new(),
            url: config.url("articles/a/"),
            canonical: config.absolute_url("articles/a/"),
            breadcrumbs: vec![
                Crumb {
                    title: "Home".into(),
                    url: config.url(""),
                },
                Crumb {
                    title: title.into(),
                    url: config.url("articles/a/"),
                },
            ],
            json_ld: String::new(),
            social_image: String::new(),
            prev: String::new(),
            next: String::new(),
            alternates: Vec::new(),
            content_lang: String::new(),
            content_dir: "",
            untranslated: false,
        }
    }

    #[test]
    fn typed_nodes_read_like_sorted_maps() {
        let config = Config::parse(
            "title = \"Help \\\"centre\\\" <b>\"\nbase_url = \"https://example.org/kb/\"\nlanguage = \"en-GB\"\n",
        )
        .unwrap();
        let fronts = [
            "title: \"Plain\"\ndate: 2024-05-01\n",
            "title: \"Quotes \\\" and </script> and é\"\ndate: 2024-05-01\nupdated: 2025-01-02\ntags: [sync, \"a<b\"]\nthumbnail: /img/x.png\n",
        ];
        for front in fronts {
            let text = format!("---\n{front}---\n\nBody.\n");
            let loaded = load_bytes(
                Kind::Article,
                "a",
                Path::new("articles/a.md"),
                text.into_bytes(),
            );
            assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
            let article = &loaded.library.articles[0];
            let meta = meta(&config, &article.title);
            for description in ["", "A \"described\" <thing> – with dashes"] {
                assert_eq!(
                    super::article(&config, article, description, &meta),
                    map_article(&config, article, description, &meta)
                );
            }
            assert_eq!(
                breadcrumbs_only(&config, &meta),
                map_breadcrumbs_only(&config, &meta)
            );
            for duration in ["", "5 min", "2 hours", "overnight"] {
                let card = FixCard {
                    title: article.title.clone(),
                    description: "Steps <first>".into(),
                    duration: duration.into(),
                    ..FixCard::default()
                };
                assert_eq!(
                    how_to(&config, &card, &meta),
                    map_how_to(&config, &card, &meta)
                );
            }
        }
    }
}
