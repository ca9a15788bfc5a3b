//! Building the [`SearchDoc`]s from validated, rendered content.
//!
//! URLs are relative to the site's base path (`/status/paused/`): the browser and the CLI
//! put the base path or `base_url` in front.

use super::SearchDoc;
use crate::content::{Kind, Library, Located};
use crate::render::Bodies;

fn keys(platforms: &[Located<String>]) -> Vec<String> {
    platforms.iter().map(|p| p.value.clone()).collect()
}

/// One document per article, fix, status message and guide, in that order.
pub fn documents(library: &Library, bodies: &Bodies) -> Vec<SearchDoc> {
    documents_iter(library, bodies).collect()
}

/// [`documents`] one at a time: the static index of a large site reads each document once
/// and keeps only a little of it, so the bodies' text need not all be held at once.
pub fn documents_iter<'a>(
    library: &'a Library,
    bodies: &'a Bodies,
) -> impl Iterator<Item = SearchDoc> + 'a {
    let articles = library
        .articles
        .iter()
        .zip(&bodies.articles)
        .map(|(article, body)| {
            let status_messages = article
                .status_messages
                .iter()
                .filter_map(|id| library.status(&id.value))
                .map(|s| s.message.clone())
                .collect();
            SearchDoc {
                kind: Kind::Article,
                slug: article.slug.clone(),
                url: format!("/{}", Kind::Article.page_path(&article.slug)),
                title: article.title.clone(),
                description: article
                    .description
                    .clone()
                    .unwrap_or_else(|| body.summary.clone()),
                status_messages,
                symptoms: article.symptoms.clone(),
                body: body.text.unpack(),
                platforms: keys(&article.platforms),
            }
        });
    let fixes = library
        .fixes
        .iter()
        .zip(&bodies.fixes)
        .map(|(fix, body)| SearchDoc {
            kind: Kind::Fix,
            slug: fix.slug.clone(),
            url: format!("/{}", Kind::Fix.page_path(&fix.slug)),
            title: fix.title.clone(),
            description: fix
                .description
                .clone()
                .unwrap_or_else(|| body.summary.clone()),
            status_messages: Vec::new(),
            symptoms: Vec::new(),
            body: body.text.unpack(),
            platforms: keys(&fix.platforms),
        });
    let statuses = library
        .statuses
        .iter()
        .zip(&bodies.statuses)
        .map(|(status, body)| {
            let mut status_messages = vec![status.message.clone()];
            status_messages.extend(status.aliases.iter().cloned());
            SearchDoc {
                kind: Kind::Status,
                slug: status.slug.clone(),
                url: format!("/{}", Kind::Status.page_path(&status.slug)),
                title: status.message.clone(),
                description: status.meaning.clone(),
                status_messages,
                symptoms: Vec::new(),
                body: body.text.unpack(),
                platforms: keys(&status.platforms),
            }
        });
    articles
        .chain(fixes)
        .chain(statuses)
        .chain(library.guides.iter().map(guide_document))
}

/// A guide's document: readers find a guide by what it asks and by the answers they would
/// give.
fn guide_document(guide: &crate::content::Guide) -> SearchDoc {
    let mut body = String::new();
    let sentences = guide
        .questions
        .iter()
        .flat_map(|q| std::iter::once(&q.ask).chain(q.answers.iter().map(|a| &a.text.value)));
    for sentence in sentences {
        if !body.is_empty() {
            body.push(' ');
        }
        body.push_str(sentence.trim());
        if !body.ends_with(['.', '?', '!', '”', '"']) {
            body.push('.');
        }
    }
    SearchDoc {
        kind: Kind::Guide,
        slug: guide.slug.clone(),
        url: format!("/{}", Kind::Guide.page_path(&guide.slug)),
        title: guide.title.clone(),
        description: guide.description.clone().unwrap_or_default(),
        status_messages: Vec::new(),
        // Not as symptoms: an answer such as "Paused" must not outrank the article
        // the answer leads to.
        symptoms: Vec::new(),
        body,
        platforms: Vec::new(),
    }
}
