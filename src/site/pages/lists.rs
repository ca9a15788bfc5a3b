//! The home page and the list pages: problems, fixes, status A–Z, platforms, topics.

use super::{link_pages, list, page, paged_title};
use crate::diagnostic::Diagnostic;
use crate::site::context::{Counts, Letter, PlatformCount, TagRef};
use crate::site::theme::Theme;
use crate::site::{OutputFile, PageId, Site, last_change, structured};

pub(in crate::site) fn home(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
) -> Result<OutputFile, Diagnostic> {
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
            ("guides", &site.guide_refs()),
        ],
    )
}

/// How many problems the home page lists.
const TOP_PROBLEMS: usize = 12;

/// The home page's top problems: articles with fixes before guides, those showing the most
/// status messages first (readers arrive with a message on screen), then the freshest.
pub(in crate::site) fn top_problems(site: &Site<'_>) -> Vec<usize> {
    let articles = &site.library.articles;
    let key = |a: &crate::content::Article| {
        (
            a.fixes.is_empty(),
            std::cmp::Reverse(a.status_messages.len()),
            std::cmp::Reverse(last_change(a)),
        )
    };
    crate::site::first_by(articles.len(), TOP_PROBLEMS, |a, b| {
        let (a, b) = (&articles[a], &articles[b]);
        key(a).cmp(&key(b)).then_with(|| a.title.cmp(&b.title))
    })
}

pub(in crate::site) fn articles_list(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
    number: usize,
) -> Result<OutputFile, Diagnostic> {
    let first = list(&PageId::ArticleList(1));
    let (pager, articles) = site.paged(theme, &first, &site.graph.article_order, number)?;
    let description = site
        .word("desc_articles")
        .replace("{site}", &site.config.title);
    let mut meta = site.meta(
        id,
        &paged_title(&site.word("all_problems"), &pager),
        &description,
        &[(&site.word("nav_problems"), &first)],
    );
    link_pages(&mut meta, &pager);
    page(
        theme,
        id,
        &meta,
        &[("articles", &articles), ("pager", &pager)],
    )
}

pub(in crate::site) fn fixes_list(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
) -> Result<OutputFile, Diagnostic> {
    let fixes = &site.library.fixes;
    let mut indices: Vec<usize> = (0..fixes.len()).collect();
    indices.sort_by_cached_key(|&i| fixes[i].title.to_lowercase());
    let groups = site.risk_groups(theme, &indices)?;
    let description = site.word("desc_fixes");
    let meta = site.meta(
        id,
        &site.word("all_fixes"),
        &description,
        &[(&site.word("nav_fixes"), &list(id))],
    );
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

pub(in crate::site) fn status_index(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
) -> Result<OutputFile, Diagnostic> {
    let description = site.word("desc_statuses");
    let meta = site.meta(
        id,
        &site.word("status_az"),
        &description,
        &[(&site.word("nav_status"), &list(id))],
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

pub(in crate::site) fn platforms_list(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
) -> Result<OutputFile, Diagnostic> {
    let description = site.word("desc_platforms");
    let platforms = site.word("nav_platforms");
    let meta = site.meta(id, &platforms, &description, &[(&platforms, &list(id))]);
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

pub(in crate::site) fn tags_list(
    site: &Site<'_>,
    theme: &Theme,
    id: &PageId,
) -> Result<OutputFile, Diagnostic> {
    let topics = site.word("topics");
    let meta = site.meta(
        id,
        &topics,
        &site.word("desc_topics"),
        &[(&topics, &list(id))],
    );
    page(theme, id, &meta, &[("tags", &tag_refs(site))])
}

pub(in crate::site) fn tag(
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
    let description = site.word("desc_tag").replace("{tag}", name);
    let mut meta = site.meta(
        id,
        &paged_title(name, &pager),
        &description,
        &[
            (&site.word("topics"), &list(&PageId::TagList)),
            (name, &path),
        ],
    );
    link_pages(&mut meta, &pager);
    page(
        theme,
        id,
        &meta,
        &[("tag", &tag), ("articles", &articles), ("pager", &pager)],
    )
}

pub(in crate::site) fn platform(
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
    let title = site
        .word("playbook_title")
        .replace("{platform}", &platform.label);
    let description = site
        .word("desc_platform")
        .replace("{platform}", &platform.label);
    let mut meta = site.meta(
        id,
        &paged_title(&title, &pager),
        &description,
        &[
            (&site.word("nav_platforms"), &list(&PageId::PlatformList)),
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
