//! The pages of one article, fix or status message.

use super::{list, page};
use crate::diagnostic::Diagnostic;
use crate::site::context::{ArticleContext, FixContext, GetHelpContext, StatusContext, TagLink};
use crate::site::theme::Theme;
use crate::site::{OutputFile, PageId, Site, structured};

pub(in crate::site) fn article(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
    index: usize,
) -> Result<OutputFile, Diagnostic> {
    let article = &site.library.articles[index];
    let body = &site.bodies.articles[index];
    let fix_groups = site.risk_groups(theme, &site.graph.article_fixes[index])?;
    let fix_count = fix_groups.iter().map(|g| g.fixes.len()).sum();
    let (mut meta, description) = super::article_meta(site, id, index);
    meta.social_image = site.social_image(article);
    meta.json_ld = structured::article(site.config, article, &description, &meta);
    let tags = article
        .tags
        .iter()
        .map(|t| {
            let slug = crate::id::slugify(t);
            TagLink {
                name: t.clone(),
                url: site.config.url(&PageId::tag_path(&slug)),
            }
        })
        .collect();
    let context = ArticleContext {
        slug: article.slug.clone(),
        title: article.title.clone(),
        description,
        url: meta.url.clone(),
        date: article.date.iso_date(),
        date_display: article.date.display(),
        updated: article.updated.map(|d| d.iso_date()),
        updated_display: article.updated.map(|d| d.display()),
        platforms: site.platform_refs(&article.platforms),
        tags,
        symptoms: article.symptoms.clone(),
        statuses: site.graph.article_statuses[index]
            .iter()
            .map(|&i| site.status_value(theme, i))
            .collect::<Result<_, _>>()?,
        fix_groups,
        fix_count,
        guide_url: if site.has_guide(index) {
            site.config
                .url(&PageId::ArticleGuide(article.slug.clone()).url_path())
        } else {
            String::new()
        },
        related: article
            .related
            .iter()
            .filter_map(|r| {
                site.library
                    .articles
                    .binary_search_by(|x| x.slug.cmp(&r.value))
                    .ok()
            })
            .filter(|&i| i != index)
            .map(|i| site.article_value(theme, i))
            .collect::<Result<_, _>>()?,
        get_help: article.get_help.as_ref().map(|h| GetHelpContext {
            when: h.when.clone(),
            prepare: h.prepare.clone(),
        }),
        content: body.html.unpack(),
        toc: body.toc.clone(),
        edit_url: site.edit_url(&article.source.path),
    };
    page(theme, id, &meta, &[("article", &context)])
}

pub(in crate::site) fn fix(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
    index: usize,
) -> Result<OutputFile, Diagnostic> {
    let fix = &site.library.fixes[index];
    let card = site.fix_cards[index].clone();
    let path = id.url_path();
    let mut meta = site.meta(
        id,
        &fix.title,
        &card.description,
        &[
            (&site.word("nav_fixes"), &list(&PageId::FixList)),
            (&fix.title, &path),
        ],
    );
    site.mark_translation(&mut meta, &fix.source);
    meta.json_ld = structured::how_to(site.config, &card, &meta);
    let articles: Vec<_> = site.graph.fix_articles[index]
        .iter()
        .map(|&i| site.article_value(theme, i))
        .collect::<Result<_, _>>()?;
    let statuses: Vec<_> = site.graph.fix_statuses[index]
        .iter()
        .map(|&i| site.status_value(theme, i))
        .collect::<Result<_, _>>()?;
    let context = FixContext {
        card,
        toc: site.bodies.fixes[index].toc.clone(),
        edit_url: site.edit_url(&fix.source.path),
    };
    page(
        theme,
        id,
        &meta,
        &[
            ("fix", &context),
            ("articles", &articles),
            ("statuses", &statuses),
        ],
    )
}

pub(in crate::site) fn status(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
    index: usize,
) -> Result<OutputFile, Diagnostic> {
    let status = &site.library.statuses[index];
    let body = &site.bodies.statuses[index];
    let path = id.url_path();
    let title = format!("“{}”", status.message);
    let mut meta = site.meta(
        id,
        &title,
        &status.meaning,
        &[
            (&site.word("nav_status"), &list(&PageId::StatusIndex)),
            (&status.message, &path),
        ],
    );
    site.mark_translation(&mut meta, &status.source);
    meta.json_ld = structured::breadcrumbs_only(site.config, &meta);
    let articles: Vec<_> = site.graph.status_articles[index]
        .iter()
        .map(|&i| site.article_value(theme, i))
        .collect::<Result<_, _>>()?;
    let context = StatusContext {
        slug: status.slug.clone(),
        message: status.message.clone(),
        aliases: status.aliases.clone(),
        meaning: status.meaning.clone(),
        severity: status.severity.key(),
        severity_label: status.severity.label(),
        platforms: site.platform_refs(&status.platforms),
        content: body.html.unpack(),
        toc: body.toc.clone(),
        edit_url: site.edit_url(&status.source.path),
        fix_groups: site.risk_groups(theme, &site.graph.status_fixes[index])?,
    };
    page(
        theme,
        id,
        &meta,
        &[("status", &context), ("articles", &articles)],
    )
}
