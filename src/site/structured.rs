//! schema.org JSON-LD: TechArticle, HowTo, WebSite and BreadcrumbList.

use serde_json::{Value, json};

use super::context::{FixCard, PageMeta};
use crate::config::Config;
use crate::content::Article;

/// Serializes JSON-LD so it can sit inside a `<script>` element: `<` is escaped so no
/// content can close the element early.
fn to_script_json(value: &Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

fn breadcrumb_list(config: &Config, meta: &PageMeta) -> Value {
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

/// The home page: the site and its search action.
pub fn website(config: &Config) -> String {
    to_script_json(&json!({
        "@context": "https://schema.org",
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
    if let Some(image) = &article.thumbnail {
        tech["image"] = json!(image);
    }
    to_script_json(
        &json!({"@context": "https://schema.org", "@graph": [tech, breadcrumb_list(config, meta)]}),
    )
}

/// A fix page: the fix as a HowTo, plus its breadcrumbs.
pub fn how_to(config: &Config, card: &FixCard, meta: &PageMeta) -> String {
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
        &json!({"@context": "https://schema.org", "@graph": [how_to, breadcrumb_list(config, meta)]}),
    )
}

/// Any other page: its breadcrumbs.
pub fn breadcrumbs_only(config: &Config, meta: &PageMeta) -> String {
    let mut list = breadcrumb_list(config, meta);
    list["@context"] = json!("https://schema.org");
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
    use super::*;

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
}
