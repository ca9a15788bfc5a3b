//! One function per page kind; each builds its template context and renders it.

use rayon::prelude::*;
use tera::Context;

use super::context::{
    ArticleContext, Counts, FixContext, GetHelpContext, Letter, PageMeta, Pager, PlatformCount,
    StatusContext, TagRef,
};
use super::theme::Theme;
use std::sync::Mutex;

use super::{GenerateError, OutputFile, PageId, Sink, Site, feeds, last_change, structured};
use crate::diagnostic::Diagnostic;

/// The given pages, rendered in parallel; every failure is collected.
pub fn render(
    site: &Site<'_>,
    theme: &Theme,
    ids: &[PageId],
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let results: Vec<Result<OutputFile, Diagnostic>> =
        ids.par_iter().map(|id| one(site, theme, id)).collect();
    let mut files = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(err) => errors.push(err),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        errors.dedup();
        Err(errors)
    }
}

/// Renders the given pages in parallel and hands each to `sink` as soon as it is done, so
/// a build holds a few pages in memory, not the whole site. Every template failure is
/// collected; the first write failure stops the writing.
pub fn render_into(
    site: &Site<'_>,
    theme: &Theme,
    ids: &[PageId],
    sink: &dyn Sink,
) -> Result<(), GenerateError> {
    let write_failure: Mutex<Option<std::io::Error>> = Mutex::new(None);
    let mut errors: Vec<Diagnostic> = ids
        .par_iter()
        .filter_map(|id| match one(site, theme, id) {
            Ok(file) => {
                if let Err(err) = sink.put(file)
                    && let Ok(mut first) = write_failure.lock()
                {
                    first.get_or_insert(err);
                }
                None
            }
            Err(err) => Some(err),
        })
        .collect();
    if let Some(err) = write_failure.into_inner().ok().flatten() {
        return Err(GenerateError::Write(err));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        errors.dedup();
        Err(GenerateError::Content(errors))
    }
}

fn one(site: &Site<'_>, theme: &Theme, id: &PageId) -> Result<OutputFile, Diagnostic> {
    let library = site.library;
    let missing =
        || Diagnostic::site_error(format!("no content for the page `{}`", id.output_path()));
    match id {
        PageId::Home => home(site, theme, id),
        PageId::ArticleList(number) => articles_list(site, theme, id, *number),
        PageId::FixList => fixes_list(site, theme, id),
        PageId::StatusIndex => status_index(site, theme, id),
        PageId::PlatformList => platforms_list(site, theme, id),
        PageId::TagList => tags_list(site, theme, id),
        PageId::Search => simple(site, theme, id, "Search"),
        PageId::NotFound => simple(site, theme, id, "Page not found"),
        PageId::Article(slug) => {
            let i = position(&library.articles, slug, |a| &a.slug).ok_or_else(missing)?;
            article(site, theme, id, i)
        }
        PageId::Fix(slug) => {
            let i = position(&library.fixes, slug, |f| &f.slug).ok_or_else(missing)?;
            fix(site, theme, id, i)
        }
        PageId::Status(slug) => {
            let i = position(&library.statuses, slug, |s| &s.slug).ok_or_else(missing)?;
            status(site, theme, id, i)
        }
        PageId::Platform(key, number) => platform(site, theme, id, key, *number),
        PageId::Tag(slug, number) => {
            let (name, members) = site.graph.tags.get(slug).ok_or_else(missing)?;
            tag(site, theme, id, slug, name, members, *number)
        }
        PageId::Sitemap => Ok(text_file(id, feeds::sitemap(site))),
        PageId::Feed => Ok(text_file(id, feeds::atom(site))),
        PageId::Robots => Ok(text_file(id, feeds::robots(site.config))),
    }
}

fn text_file(id: &PageId, text: String) -> OutputFile {
    OutputFile {
        path: id.output_path(),
        bytes: text.into_bytes(),
    }
}

/// The index of `slug` in a list sorted by slug.
pub(super) fn position<T>(items: &[T], slug: &str, key: impl Fn(&T) -> &String) -> Option<usize> {
    items
        .binary_search_by(|item| key(item).as_str().cmp(slug))
        .ok()
}

/// Renders the page `id` with its template, into its output file.
fn page(
    theme: &Theme,
    id: &PageId,
    meta: &PageMeta,
    extra: &[(&'static str, &dyn erased::Value)],
) -> Result<OutputFile, Diagnostic> {
    let template = id.template().ok_or_else(|| {
        Diagnostic::site_error(format!("`{}` is not an HTML page", id.output_path()))
    })?;
    let mut context = Context::new();
    context.insert("page", meta);
    for (key, value) in extra {
        value.insert_into(&mut context, key);
    }
    let html = theme.render(template, &context)?;
    Ok(OutputFile {
        path: id.output_path(),
        bytes: html.into_bytes(),
    })
}

/// The address of the first page of a list, for breadcrumbs.
fn list(id: &PageId) -> String {
    id.url_path()
}

/// Lets one `page` call take context values of different types.
mod erased {
    /// A serializable value that can put itself into a Tera context.
    pub trait Value: Sync {
        fn insert_into(&self, context: &mut tera::Context, key: &'static str);
    }

    impl<T: serde::Serialize + Sync> Value for T {
        fn insert_into(&self, context: &mut tera::Context, key: &'static str) {
            context.insert(key, self);
        }
    }
}

fn home(site: &Site<'_>, theme: &Theme, id: &PageId) -> Result<OutputFile, Diagnostic> {
    let config = site.config;
    let mut meta = site.meta(id, &config.title, &config.description, &[]);
    meta.breadcrumbs.clear();
    meta.json_ld = structured::website(config);
    let articles: Vec<_> = top_problems(site)
        .iter()
        .map(|&i| site.article_value(theme, i))
        .collect::<Result<_, _>>()?;
    let counts = Counts {
        articles: site.library.articles.len(),
        fixes: site.library.fixes.len(),
        statuses: site.library.statuses.len(),
    };
    page(
        theme,
        id,
        &meta,
        &[
            ("articles", &articles),
            ("letters", &letters(site, theme)?),
            ("platforms", &platform_counts(site)),
            ("tags", &tag_refs(site)),
            ("counts", &counts),
        ],
    )
}

/// How many problems the home page lists.
const TOP_PROBLEMS: usize = 12;

/// The home page's top problems: articles with fixes before guides, those showing the most
/// status messages first (readers arrive with a message on screen), then the freshest.
pub(super) fn top_problems(site: &Site<'_>) -> Vec<usize> {
    let articles = &site.library.articles;
    let key = |a: &crate::content::Article| {
        (
            a.fixes.is_empty(),
            std::cmp::Reverse(a.status_messages.len()),
            std::cmp::Reverse(last_change(a)),
        )
    };
    super::first_by(articles.len(), TOP_PROBLEMS, |a, b| {
        let (a, b) = (&articles[a], &articles[b]);
        key(a).cmp(&key(b)).then_with(|| a.title.cmp(&b.title))
    })
}

fn simple(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
    title: &str,
) -> Result<OutputFile, Diagnostic> {
    let description = format!("{title} · {}", site.config.title);
    let meta = site.meta(id, title, &description, &[(title, &id.url_path())]);
    page(theme, id, &meta, &[])
}

fn articles_list(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
    number: usize,
) -> Result<OutputFile, Diagnostic> {
    let first = list(&PageId::ArticleList(1));
    let (pager, articles) = site.paged(theme, &first, &site.graph.article_order, number)?;
    let description = format!("Every problem covered by {}, A to Z.", site.config.title);
    let mut meta = site.meta(
        id,
        &paged_title("All problems", &pager),
        &description,
        &[("Problems", &first)],
    );
    link_pages(&mut meta, &pager);
    page(
        theme,
        id,
        &meta,
        &[("articles", &articles), ("pager", &pager)],
    )
}

/// A list page's title: the list's, with the page number after the first page.
fn paged_title(title: &str, pager: &Pager) -> String {
    if pager.current > 1 {
        format!("{title} (page {} of {})", pager.current, pager.total)
    } else {
        title.to_owned()
    }
}

/// `<link rel="prev">`/`rel="next"` for the page's neighbours.
fn link_pages(meta: &mut PageMeta, pager: &Pager) {
    meta.prev.clone_from(&pager.prev);
    meta.next.clone_from(&pager.next);
}

fn fixes_list(site: &Site<'_>, theme: &Theme, id: &PageId) -> Result<OutputFile, Diagnostic> {
    let fixes = &site.library.fixes;
    let mut indices: Vec<usize> = (0..fixes.len()).collect();
    indices.sort_by_cached_key(|&i| fixes[i].title.to_lowercase());
    let groups = site.risk_groups(theme, &indices)?;
    let description = "Every fix, from safe checks to last resorts.";
    let meta = site.meta(id, "All fixes", description, &[("Fixes", &list(id))]);
    page(theme, id, &meta, &[("fix_groups", &groups)])
}

fn letters(site: &Site<'_>, theme: &Theme) -> Result<Vec<Letter>, Diagnostic> {
    let statuses = &site.library.statuses;
    let mut order: Vec<usize> = (0..statuses.len()).collect();
    order.sort_by_cached_key(|&i| (statuses[i].message.to_lowercase(), &statuses[i].slug));
    let mut letters: Vec<Letter> = Vec::new();
    for i in order {
        let letter = statuses[i]
            .message
            .chars()
            .find(|c| c.is_alphanumeric())
            .map(|c| {
                if c.is_ascii_digit() {
                    "#".to_owned()
                } else {
                    c.to_uppercase().collect()
                }
            })
            .unwrap_or_else(|| "#".to_owned());
        let status = site.status_value(theme, i)?;
        match letters.last_mut() {
            Some(last) if last.letter == letter => last.statuses.push(status),
            _ => letters.push(Letter {
                letter,
                statuses: vec![status],
            }),
        }
    }
    Ok(letters)
}

fn status_index(site: &Site<'_>, theme: &Theme, id: &PageId) -> Result<OutputFile, Diagnostic> {
    let description = "Every status message, A to Z: what it means and what to do.";
    let meta = site.meta(
        id,
        "Status messages A–Z",
        description,
        &[("Status A–Z", &list(id))],
    );
    page(theme, id, &meta, &[("letters", &letters(site, theme)?)])
}

fn platform_counts(site: &Site<'_>) -> Vec<PlatformCount> {
    site.config
        .platforms
        .iter()
        .map(|p| {
            let r = site.platform_ref(&p.key);
            PlatformCount {
                key: r.key,
                label: r.label,
                url: r.url,
                count: site.graph.platform_articles.get(&p.key).map_or(0, Vec::len),
            }
        })
        .collect()
}

fn platforms_list(site: &Site<'_>, theme: &Theme, id: &PageId) -> Result<OutputFile, Diagnostic> {
    let description = "Troubleshooting playbooks for each platform.";
    let meta = site.meta(id, "Platforms", description, &[("Platforms", &list(id))]);
    page(theme, id, &meta, &[("platforms", &platform_counts(site))])
}

fn tag_refs(site: &Site<'_>) -> Vec<TagRef> {
    site.graph
        .tags
        .iter()
        .map(|(slug, (name, members))| TagRef {
            name: name.clone(),
            url: site.config.url(&PageId::tag_path(slug)),
            count: members.len(),
        })
        .collect()
}

fn tags_list(site: &Site<'_>, theme: &Theme, id: &PageId) -> Result<OutputFile, Diagnostic> {
    let meta = site.meta(
        id,
        "Topics",
        "Every topic, with its articles.",
        &[("Topics", &list(id))],
    );
    page(theme, id, &meta, &[("tags", &tag_refs(site))])
}

fn tag(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
    slug: &str,
    name: &str,
    members: &[usize],
    number: usize,
) -> Result<OutputFile, Diagnostic> {
    let path = PageId::tag_path(slug);
    let (pager, articles) = site.paged(theme, &path, members, number)?;
    let tag = TagRef {
        name: name.to_owned(),
        url: site.config.url(&path),
        count: members.len(),
    };
    let description = format!("Articles about {name}.");
    let mut meta = site.meta(
        id,
        &paged_title(name, &pager),
        &description,
        &[("Topics", &list(&PageId::TagList)), (name, &path)],
    );
    link_pages(&mut meta, &pager);
    page(
        theme,
        id,
        &meta,
        &[("tag", &tag), ("articles", &articles), ("pager", &pager)],
    )
}

fn platform(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
    key: &str,
    number: usize,
) -> Result<OutputFile, Diagnostic> {
    let library = site.library;
    let platform = site.platform_ref(key);
    let path = PageId::platform_path(key);
    let on =
        |platforms: &[crate::content::Located<String>]| platforms.iter().any(|p| p.value == key);
    let members = site
        .graph
        .platform_articles
        .get(key)
        .map_or(&[][..], Vec::as_slice);
    let (pager, articles) = site.paged(theme, &path, members, number)?;
    // Later pages continue the problem list only; the playbook's other parts are on the first.
    let first = number <= 1;
    let statuses: Vec<_> = (0..library.statuses.len())
        .filter(|&i| first && on(&library.statuses[i].platforms))
        .map(|i| site.status_value(theme, i))
        .collect::<Result<_, _>>()?;
    let fixes: Vec<usize> = (0..library.fixes.len())
        .filter(|&i| first && on(&library.fixes[i].platforms))
        .collect();
    let groups = site.risk_groups(theme, &fixes)?;
    let title = format!("{} playbook", platform.label);
    let description = format!(
        "Every problem, status message and fix for {}, safest steps first.",
        platform.label
    );
    let mut meta = site.meta(
        id,
        &paged_title(&title, &pager),
        &description,
        &[
            ("Platforms", &list(&PageId::PlatformList)),
            (&platform.label, &path),
        ],
    );
    link_pages(&mut meta, &pager);
    page(
        theme,
        id,
        &meta,
        &[
            ("platform", &platform),
            ("articles", &articles),
            ("statuses", &statuses),
            ("fix_groups", &groups),
            ("pager", &pager),
        ],
    )
}

fn article(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
    index: usize,
) -> Result<OutputFile, Diagnostic> {
    let article = &site.library.articles[index];
    let body = &site.bodies.articles[index];
    let path = id.url_path();
    let description = site.article_description(index, article);
    let fix_groups = site.risk_groups(theme, &site.graph.article_fixes[index])?;
    let fix_count = fix_groups.iter().map(|g| g.fixes.len()).sum();
    let mut meta = site.meta(
        id,
        &article.title,
        &description,
        &[
            ("Problems", &list(&PageId::ArticleList(1))),
            (&article.title, &path),
        ],
    );
    meta.social_image = article.thumbnail.clone().unwrap_or_default();
    meta.json_ld = structured::article(site.config, article, &description, &meta);
    let tags = article
        .tags
        .iter()
        .map(|t| {
            let slug = crate::id::slugify(t);
            let count = site.graph.tags.get(&slug).map_or(0, |(_, m)| m.len());
            TagRef {
                name: t.clone(),
                url: site.config.url(&PageId::tag_path(&slug)),
                count,
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
        content: body.html.clone(),
        toc: body.toc.clone(),
        edit_url: site.edit_url(&article.source.path),
    };
    page(theme, id, &meta, &[("article", &context)])
}

fn fix(
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
        &[("Fixes", &list(&PageId::FixList)), (&fix.title, &path)],
    );
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

fn status(
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
            ("Status A–Z", &list(&PageId::StatusIndex)),
            (&status.message, &path),
        ],
    );
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
        content: body.html.clone(),
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
