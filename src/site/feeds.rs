//! sitemap.xml, atom.xml and robots.txt.

use std::fmt::Write as _;

use super::{PageId, Site, last_change, xml_escape};
use crate::config::Config;
use crate::content::Kind;

/// How many articles the feed carries.
const FEED_ENTRIES: usize = 20;

/// Every page a search engine should index, with the article dates as `lastmod`.
pub fn sitemap(site: &Site<'_>) -> String {
    let config = site.config;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if config.is_multilingual() {
        out.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    out.push_str(">\n");
    let mut add = |id: &PageId, lastmod: Option<String>| {
        let _ = write!(
            out,
            "  <url><loc>{}</loc>",
            xml_escape(&config.absolute_url(&id.url_path()))
        );
        if let Some(date) = lastmod {
            let _ = write!(out, "<lastmod>{date}</lastmod>");
        }
        // Every language's version of the page, this one included, as search engines ask.
        for alternate in super::alternates(config, id, &config.language) {
            let _ = write!(
                out,
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                xml_escape(&alternate.code),
                xml_escape(&alternate.absolute)
            );
        }
        out.push_str("</url>\n");
    };
    // Every page that has a place in the sitemap, group by group, each group in page order.
    let mut pages: Vec<(u8, PageId)> = site
        .page_ids()
        .into_iter()
        .filter_map(|id| Some((id.sitemap_group()?, id)))
        .collect();
    pages.sort_by_key(|(group, _)| *group);
    let articles = &site.library.articles;
    for (_, id) in pages {
        let lastmod = match &id {
            PageId::Article(slug) => super::pages::position(articles, slug, |a| &a.slug)
                .map(|i| last_change(&articles[i]).iso_date()),
            _ => None,
        };
        add(&id, lastmod);
    }
    out.push_str("</urlset>\n");
    out
}

/// The most recently changed articles as an Atom feed.
pub fn atom(site: &Site<'_>) -> String {
    let config = site.config;
    let order = feed_entries(site);
    let updated = order
        .first()
        .map(|&i| last_change(&site.library.articles[i]).rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned());
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    let _ = writeln!(out, " xml:lang=\"{}\">", xml_escape(&config.language));
    let _ = writeln!(out, "  <title>{}</title>", xml_escape(&config.title));
    if !config.description.is_empty() {
        let _ = writeln!(
            out,
            "  <subtitle>{}</subtitle>",
            xml_escape(&config.description)
        );
    }
    let _ = writeln!(
        out,
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>",
        xml_escape(&config.absolute_url("atom.xml"))
    );
    let _ = writeln!(out, "  <link href=\"{}\"/>", xml_escape(&config.base_url));
    let _ = writeln!(out, "  <id>{}</id>", xml_escape(&config.base_url));
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    let _ = writeln!(out, "  <generator>fixbook</generator>");
    for i in order {
        let article = &site.library.articles[i];
        let reference = &site.article_refs[i];
        let url = config.absolute_url(&Kind::Article.page_path(&article.slug));
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", xml_escape(&article.title));
        let _ = writeln!(out, "    <link href=\"{}\"/>", xml_escape(&url));
        let _ = writeln!(out, "    <id>{}</id>", xml_escape(&url));
        let _ = writeln!(out, "    <published>{}</published>", article.date.rfc3339());
        let _ = writeln!(
            out,
            "    <updated>{}</updated>",
            last_change(article).rfc3339()
        );
        let _ = writeln!(
            out,
            "    <author><name>{}</name></author>",
            xml_escape(&config.title)
        );
        let _ = writeln!(
            out,
            "    <summary>{}</summary>",
            xml_escape(&reference.description)
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The articles the feed carries: the most recently changed first.
pub(super) fn feed_entries(site: &Site<'_>) -> Vec<usize> {
    let articles = &site.library.articles;
    super::first_by(articles.len(), FEED_ENTRIES, |a, b| {
        let (a, b) = (&articles[a], &articles[b]);
        last_change(b)
            .cmp(&last_change(a))
            .then_with(|| a.slug.cmp(&b.slug))
    })
}

/// Allows everything and points at the sitemap.
pub fn robots(config: &Config) -> String {
    let mut out = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.absolute_url("sitemap.xml")
    );
    // Each other language has a sitemap of its own, in its folder.
    for language in config.other_languages() {
        let _ = writeln!(
            out,
            "Sitemap: {}",
            config.absolute_url(&PageId::Sitemap.url_path_in(config, &language.code))
        );
    }
    out
}
