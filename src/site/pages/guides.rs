//! The guide pages: an article's guided mode, the authored guides and their list.

use super::page;
use crate::diagnostic::Diagnostic;
use crate::site::context::GuideRef;
use crate::site::theme::Theme;
use crate::site::{OutputFile, PageId, Site, structured};

pub(in crate::site) fn article_guide(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
    index: usize,
) -> Result<OutputFile, Diagnostic> {
    let (mut meta, _) = super::article_meta(site, id, index);
    meta.json_ld = structured::breadcrumbs_only(site.config, &meta);
    let guide = site.article_guide(index, &meta.canonical);
    page(theme, id, &meta, &[("guide", &guide)])
}

pub(in crate::site) fn guide(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
    index: usize,
) -> Result<OutputFile, Diagnostic> {
    let guide = &site.library.guides[index];
    let description = guide.description.clone().unwrap_or_default();
    // The template puts the guide list between home and the guide: its name is a word of
    // the theme's.
    let mut meta = site.meta(
        id,
        &guide.title,
        &description,
        &[(&guide.title, &id.url_path())],
    );
    site.mark_translation(&mut meta, &guide.source);
    meta.json_ld = structured::breadcrumbs_only(site.config, &meta);
    let context = site.decision(index);
    page(theme, id, &meta, &[("guide", &context)])
}

pub(in crate::site) fn guides_list(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
) -> Result<OutputFile, Diagnostic> {
    // The list's title and breadcrumb are words of the theme's (guides.html).
    let meta = site.meta(id, "", &site.config.description, &[]);
    page(theme, id, &meta, &[("guides", &site.guide_refs())])
}

impl Site<'_> {
    /// Every authored guide, by id.
    pub(in crate::site) fn guide_refs(&self) -> Vec<GuideRef> {
        self.library
            .guides
            .iter()
            .map(|g| GuideRef {
                slug: g.slug.clone(),
                title: g.title.clone(),
                description: g.description.clone().unwrap_or_default(),
                url: self.config.url(&PageId::Guide(g.slug.clone()).url_path()),
                questions: g.questions.len(),
            })
            .collect()
    }
}
