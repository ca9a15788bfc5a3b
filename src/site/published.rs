//! `check --against SITEMAP`: every page the published site listed in its sitemap must
//! still be there in the new build, as a page or as an old address (`aliases:`) of one.

use std::collections::BTreeSet;
use std::path::Path;

use quick_xml::events::Event;

use super::{PageId, Redirects};
use crate::config::Config;
use crate::content::Library;
use crate::diagnostic::{Diagnostic, line_col};

/// The largest sitemap the protocol allows (50 MB uncompressed); a bigger file is refused.
pub const MAX_SITEMAP_BYTES: usize = 50 * 1024 * 1024;

/// The errors for every `<url><loc>` of the sitemap `text` (read from `sitemap`) whose
/// address the new build of `library`, whose output files are `files`, no longer has. A URL's path is
/// read under the configured base path (its host is not compared): a site that moved
/// host keeps its paths. An unreadable sitemap is one error, where it stops being XML.
pub fn unpublished(
    sitemap: &Path,
    text: &str,
    config: &Config,
    library: &Library,
    files: &BTreeSet<String>,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut found = Vec::new();
    let mut in_url = false;
    // The open `<loc>`: where it starts, and its text so far.
    let mut loc: Option<(usize, String)> = None;
    let mut current: Option<Vec<&str>> = None;
    let mut lines = Lines::default();
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|err| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            let (line, column) = line_col(text, at);
            Diagnostic::error(
                sitemap,
                line,
                column,
                format!("the sitemap is not well-formed XML: {err}"),
            )
            .with_hint("pass the `sitemap.xml` the published site serves")
        })?;
        match event {
            Event::Start(tag) if tag.name().as_ref() == "sitemapindex" => {
                let (line, column) = lines.at(text, start);
                return Err(Diagnostic::error(
                    sitemap,
                    line,
                    column,
                    "this is a sitemap index, which lists sitemaps rather than pages",
                )
                .with_hint("check against each sitemap it lists, one `--against` run per file"));
            }
            Event::Start(tag) if tag.name().as_ref() == "url" => in_url = true,
            Event::End(tag) if tag.name().as_ref() == "url" => in_url = false,
            Event::Start(tag) if in_url && tag.name().as_ref() == "loc" => {
                loc = Some((start, String::new()));
            }
            Event::Text(part) => {
                if let Some((_, url)) = &mut loc {
                    url.push_str(&part.xml10_content());
                }
            }
            Event::CData(part) => {
                if let Some((_, url)) = &mut loc {
                    url.push_str(&part.xml10_content());
                }
            }
            Event::GeneralRef(entity) => {
                if let Some((_, url)) = &mut loc {
                    let resolved = entity.resolve_char_ref().ok().flatten().map(String::from);
                    let name = entity.xml10_content();
                    match resolved {
                        Some(c) => url.push_str(&c),
                        None => url.push_str(
                            quick_xml::escape::resolve_predefined_entity(&name).unwrap_or_default(),
                        ),
                    }
                }
            }
            Event::End(tag) if tag.name().as_ref() == "loc" => {
                if let Some((at, url)) = loc.take() {
                    let pages = current.get_or_insert_with(|| page_paths(library, files));
                    let position = lines.at(text, at);
                    // Looking for the nearest page costs a scan of every page: enough for
                    // the first few losses, which are what a writer fixes first.
                    let pages = if found.len() < SUGGESTIONS {
                        &pages[..]
                    } else {
                        &[]
                    };
                    if let Some(error) =
                        missing(sitemap, position, url.trim(), config, files, pages)
                    {
                        found.push(error);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(found)
}

/// The error for one published URL, unless the build still has a file at its path.
fn missing(
    sitemap: &Path,
    (line, column): (usize, usize),
    url: &str,
    config: &Config,
    files: &BTreeSet<String>,
    pages: &[&str],
) -> Option<Diagnostic> {
    let path = match url::Url::parse(url) {
        Ok(parsed) => parsed.path().to_owned(),
        Err(_) if url.starts_with('/') => url.to_owned(),
        Err(_) => {
            return Some(
                Diagnostic::error(sitemap, line, column, format!("`{url}` is not a URL"))
                    .with_hint("a sitemap's `<loc>` holds the absolute address of a page"),
            );
        }
    };
    let path = percent_encoding::percent_decode_str(&path).decode_utf8_lossy();
    let rel = match path.strip_prefix(config.base_path.as_str()) {
        Some(rel) => rel,
        None if config.base_path.strip_suffix('/') == Some(&*path) => "",
        None => path.trim_start_matches('/'),
    };
    let produced = if rel.is_empty() || rel.ends_with('/') {
        files.contains(&format!("{rel}index.html"))
    } else {
        files.contains(rel) || files.contains(&format!("{rel}/index.html"))
    };
    if produced {
        return None;
    }
    let old = if rel.is_empty() || rel.ends_with('/') || rel.ends_with(".html") {
        rel.to_owned()
    } else {
        format!("{rel}/")
    };
    // Folders above the old address are near it but are not what replaced it; a page
    // more than a few characters longer or shorter is not a likely typo.
    let candidates = pages.iter().copied().filter(|page| {
        !old.starts_with(page) && (page.len().abs_diff(old.len()) <= 3 || page.starts_with(&old))
    });
    let nearest = crate::diagnostic::nearest(&old, candidates)
        .map(|page| format!(" (did you mean `{}`?)", config.absolute_url(page)))
        .unwrap_or_default();
    Some(
        Diagnostic::error(
            sitemap,
            line,
            column,
            format!("`{url}` was published, but the new build has no page there and no alias leads to it"),
        )
        .with_hint(format!(
            "add `aliases: [/{old}]` to the page that replaced it{nearest}"
        )),
    )
}

/// How many errors get the nearest page as a suggestion.
const SUGGESTIONS: usize = 50;

/// Line and column of increasing byte offsets, counted from the last one: a sitemap of
/// 50,000 URLs is read once, not once per URL.
#[derive(Default)]
struct Lines {
    offset: usize,
    /// 0-based line and column (in characters) at `offset`.
    line: usize,
    column: usize,
}

impl Lines {
    fn at(&mut self, text: &str, offset: usize) -> (usize, usize) {
        let Some(skipped) = text.get(self.offset..offset) else {
            return line_col(text, offset);
        };
        match skipped.rfind('\n') {
            Some(last) => {
                self.line += skipped.matches('\n').count();
                self.column = skipped[last + 1..].chars().count();
            }
            None => self.column += skipped.chars().count(),
        }
        self.offset = offset;
        (self.line + 1, self.column + 1)
    }
}

/// The addresses of the build's HTML pages under the base (`articles/x/`, `404.html`),
/// but for the old addresses: the nearest page is a page, not a redirect.
fn page_paths<'f>(library: &Library, files: &'f BTreeSet<String>) -> Vec<&'f str> {
    let moved: BTreeSet<String> = Redirects::new(library)
        .unique()
        .map(|r| PageId::Redirect(r.from.clone()).output_path())
        .collect();
    files
        .iter()
        .filter(|file| !moved.contains(*file))
        .filter_map(|file| {
            let page = file
                .strip_suffix("index.html")
                .filter(|dir| dir.is_empty() || dir.ends_with('/'));
            match page {
                Some(dir) => Some(dir),
                None => file.ends_with(".html").then_some(file.as_str()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gone(sitemap: &str) -> Vec<String> {
        let config = Config::parse("title = \"KB\"\nbase_url = \"https://kb.example.org/help/\"\n")
            .unwrap_or_else(|d| panic!("{d:?}"));
        let files: BTreeSet<String> = ["index.html", "articles/a/index.html", "404.html"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        unpublished(
            Path::new("s.xml"),
            sitemap,
            &config,
            &Library::default(),
            &files,
        )
        .unwrap_or_else(|d| panic!("{d:?}"))
        .into_iter()
        .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
        .collect()
    }

    #[test]
    fn each_loc_is_read_by_its_path_under_the_base() {
        let sitemap = "<urlset>\n<url><loc>https://elsewhere.org/help/articles/a/</loc></url>\n\
            <url><loc>https://kb.example.org/help</loc></url>\n\
            <url><loc><![CDATA[https://kb.example.org/help/articles/a]]></loc></url>\n\
            <url><loc>https://kb.example.org/help/404.html</loc></url>\n\
            <url><loc>https://kb.example.org/help/articles/b/?x=1&amp;y=2</loc>\
            <image:image><image:loc>https://kb.example.org/img/gone.png</image:loc></image:image></url>\n\
            <url><loc>https://kb.example.org/help/articles/%63/</loc></url>\n</urlset>\n";
        assert_eq!(
            gone(sitemap),
            [
                "6:6 `https://kb.example.org/help/articles/b/?x=1&y=2` was published, but the new build has no page there and no alias leads to it",
                "7:6 `https://kb.example.org/help/articles/%63/` was published, but the new build has no page there and no alias leads to it",
            ]
        );
    }

    #[test]
    fn a_sitemap_index_is_refused_rather_than_read_as_no_pages() {
        let config = Config::parse("title = \"KB\"\nbase_url = \"https://kb.example.org/\"\n")
            .unwrap_or_else(|d| panic!("{d:?}"));
        let index = "<?xml version=\"1.0\"?>\n<sitemapindex><sitemap><loc>https://kb.example.org/a.xml</loc></sitemap></sitemapindex>";
        let error = unpublished(
            Path::new("s.xml"),
            index,
            &config,
            &Library::default(),
            &BTreeSet::new(),
        )
        .err()
        .unwrap_or_else(|| panic!("read as a sitemap"));
        assert_eq!((error.line, error.column), (2, 1));
    }

    #[test]
    fn a_sitemap_that_is_not_xml_is_one_error_where_it_breaks() {
        let config = Config::parse("title = \"KB\"\nbase_url = \"https://kb.example.org/\"\n")
            .unwrap_or_else(|d| panic!("{d:?}"));
        let error = unpublished(
            Path::new("s.xml"),
            "<urlset>\n<url><loc>x</url>",
            &config,
            &Library::default(),
            &BTreeSet::new(),
        )
        .err()
        .unwrap_or_else(|| panic!("read as XML"));
        assert_eq!(error.line, 2);
        assert!(
            error
                .message
                .starts_with("the sitemap is not well-formed XML")
        );
    }
}
