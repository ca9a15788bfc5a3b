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
    let mut docs = Vec::with_capacity(
        library.articles.len()
            + library.fixes.len()
            + library.statuses.len()
            + library.guides.len(),
    );
    for (article, body) in library.articles.iter().zip(&bodies.articles) {
        let status_messages = article
            .status_messages
            .iter()
            .filter_map(|id| library.status(&id.value))
            .map(|s| s.message.clone())
            .collect();
        docs.push(SearchDoc {
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
        });
    }
    for (fix, body) in library.fixes.iter().zip(&bodies.fixes) {
        docs.push(SearchDoc {
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
    }
    for (status, body) in library.statuses.iter().zip(&bodies.statuses) {
        let mut status_messages = vec![status.message.clone()];
        status_messages.extend(status.aliases.iter().cloned());
        docs.push(SearchDoc {
            kind: Kind::Status,
            slug: status.slug.clone(),
            url: format!("/{}", Kind::Status.page_path(&status.slug)),
            title: status.message.clone(),
            description: status.meaning.clone(),
            status_messages,
            symptoms: Vec::new(),
            body: body.text.unpack(),
            platforms: keys(&status.platforms),
        });
    }
    for guide in &library.guides {
        // Readers find a guide by what it asks and by the answers they would give.
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
        docs.push(SearchDoc {
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
        });
    }
    docs
}
