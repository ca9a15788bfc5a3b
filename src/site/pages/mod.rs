//! One function per page kind; each builds its template context and renders it: the
//! lists and the home page in [`lists`], the pages of articles, fixes and status messages in
//! [`items`], and here what they share.

mod guides;
mod items;
mod lists;

use items::{article, fix, status};
pub(super) use lists::top_problems;
use lists::{
    articles_list, fixes_list, home, platform, platforms_list, status_index, tag, tags_list,
};

use rayon::prelude::*;
use tera::Context;

use std::sync::Mutex;

use super::context::{PageMeta, Pager};
use super::theme::Theme;
use super::{GenerateError, OutputFile, PageId, Sink, Site, WrittenPage, feeds};
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
    let failed = |err: std::io::Error| {
        if let Ok(mut first) = write_failure.lock() {
            first.get_or_insert(err);
        }
    };
    // With the previous build's pages: each page's fingerprint, and where it is kept.
    let reuse = site.reuse.map(|reuse| {
        let digests = site.item_digests();
        let fingerprints: std::collections::HashMap<PageId, u64> =
            site.fingerprints(theme, &digests).into_iter().collect();
        let folder = if site.is_default_language() {
            String::new()
        } else {
            PageId::language_dir(site.config, &site.config.language)
        };
        (reuse, fingerprints, folder)
    });
    let mut errors: Vec<Diagnostic> = ids
        .par_iter()
        .filter_map(|id| {
            let known = reuse.as_ref().and_then(|(reuse, fingerprints, folder)| {
                let fingerprint = *fingerprints.get(id)?;
                Some((reuse, fingerprint, format!("{folder}{}", id.output_path())))
            });
            if let Some((reuse, fingerprint, key)) = &known
                && let Some(page) = reuse.unchanged(key, *fingerprint)
            {
                match sink.keep(&id.output_path(), Some((page.len, page.hash))) {
                    Ok(true) => {
                        reuse.note(key.clone(), page, true);
                        return None;
                    }
                    Ok(false) => {}
                    Err(err) => {
                        failed(err);
                        return None;
                    }
                }
            }
            match one(site, theme, id) {
                Ok(file) => {
                    if let Some((reuse, fingerprint, key)) = known {
                        reuse.note(key, WrittenPage::of(fingerprint, &file.bytes), false);
                    }
                    if let Err(err) = sink.put(file) {
                        failed(err);
                    }
                    None
                }
                Err(err) => Some(err),
            }
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
        PageId::Search => simple(site, theme, id, &site.word("search_title")),
        PageId::NotFound => simple(site, theme, id, &site.word("not_found")),
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
        PageId::ArticleGuide(slug) => {
            let i = position(&library.articles, slug, |a| &a.slug).ok_or_else(missing)?;
            guides::article_guide(site, theme, id, i)
        }
        PageId::GuideList => guides::guides_list(site, theme, id),
        PageId::Guide(slug) => {
            let i = position(&library.guides, slug, |g| &g.slug).ok_or_else(missing)?;
            guides::guide(site, theme, id, i)
        }
        PageId::Platform(key, number) => platform(site, theme, id, key, *number),
        PageId::Tag(slug, number) => {
            let (name, members) = site.graph.tags.get(slug).ok_or_else(missing)?;
            tag(site, theme, id, slug, name, members, *number)
        }
        PageId::Redirect(from) => {
            let redirect = site.redirects.get(from).ok_or_else(missing)?;
            redirect_page(site, theme, id, redirect)
        }
        PageId::RedirectRules(format) => {
            Ok(text_file(id, site.redirects.rules(site.config, *format)))
        }
        PageId::Sitemap => Ok(text_file(id, feeds::sitemap(site))),
        PageId::Feed => Ok(text_file(id, feeds::atom(site))),
        PageId::Robots => Ok(text_file(id, feeds::robots(site.config))),
    }
}

/// The page at an old address: it names and links the page that has it now, and sends
/// the browser there.
fn redirect_page(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
    redirect: &super::Redirect,
) -> Result<OutputFile, Diagnostic> {
    let target = redirect.target(site.config);
    let mut meta = site.meta(id, &redirect.title, "", &[]);
    meta.canonical.clone_from(&target.canonical);
    page(theme, id, &meta, &[("target", &target)])
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
pub(super) fn page(
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

/// The metadata of a page about article `index` (the article itself, or its guide): its
/// title and description, the breadcrumbs Problems › the article in the page's language,
/// and whether the article is translated. Returns the description too.
pub(super) fn article_meta(site: &Site<'_>, id: &PageId, index: usize) -> (PageMeta, String) {
    let article = &site.library.articles[index];
    let description = site.article_description(index, article);
    let article_path = PageId::Article(article.slug.clone()).url_path();
    let mut meta = site.meta(
        id,
        &article.title,
        &description,
        &[
            (&site.word("nav_problems"), &list(&PageId::ArticleList(1))),
            (&article.title, &article_path),
        ],
    );
    site.mark_translation(&mut meta, &article.source);
    (meta, description)
}

/// The address of the first page of a list, for breadcrumbs.
pub(super) fn list(id: &PageId) -> String {
    id.url_path()
}

/// Lets one `page` call take context values of different types.
pub(super) mod erased {
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

pub(super) fn simple(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
    title: &str,
) -> Result<OutputFile, Diagnostic> {
    let description = format!("{title} · {}", site.config.title);
    let meta = site.meta(id, title, &description, &[(title, &id.url_path())]);
    page(theme, id, &meta, &[])
}

/// A list page's title: the list's, with the page number after the first page.
pub(super) fn paged_title(title: &str, pager: &Pager) -> String {
    if pager.current > 1 {
        format!("{title} (page {} of {})", pager.current, pager.total)
    } else {
        title.to_owned()
    }
}

/// `<link rel="prev">`/`rel="next"` for the page's neighbours.
pub(super) fn link_pages(meta: &mut PageMeta, pager: &Pager) {
    meta.prev.clone_from(&pager.prev);
    meta.next.clone_from(&pager.next);
}
