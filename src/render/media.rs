//! Media in bodies: `![alt](../media/shot.png)` becomes a responsive `<picture>` (or an
//! `<img>` for SVG and GIF, a `<video>` for MP4 and WebM) naming the processed files, and
//! links to media files point at their published copies. References are checked here.

use super::html_escape;
use super::markdown::BodyState;
use crate::diagnostic::Diagnostic;
use crate::media::{Catalog, Format, Resolved};

/// An image being read: its destination, title and the text of its alt.
pub(super) struct ImageRef {
    pub dest: String,
    pub title: String,
    pub alt: String,
}

/// The markup for one image of a body, with its problems recorded in `state`.
/// `in_link` tells that the image is inside a link already (no link to the full size).
pub(super) fn figure(
    catalog: &Catalog,
    config: &crate::config::Config,
    state: &mut BodyState<'_>,
    image: &ImageRef,
    (line, column): (usize, usize),
    in_link: bool,
) -> String {
    let path = state.source.path.clone();
    let media = match catalog.resolve(&path, &image.dest) {
        Resolved::Found(media) => media,
        Resolved::Broken => return String::new(),
        unresolved => {
            // Kept, so that a rebuild renders this body again once the file exists.
            state
                .media
                .extend(crate::media::reference_key(&path, &image.dest));
            state.diagnostics.push(unresolved_error(
                &path,
                line,
                column,
                "image",
                &image.dest,
                &unresolved,
            ));
            return String::new();
        }
    };
    state.media.push(media.path.clone());
    let alt = image.alt.trim();
    if alt.is_empty() && media.format != Format::Download {
        state.diagnostics.push(
            Diagnostic::warning(&path, line, column, "image without alt text").with_hint(
                "say what it shows, e.g. `![Settings, Photos: the Shared Albums switch, turned on](…)`; \
                 readers who use a screen reader hear this instead of seeing the picture",
            ),
        );
    }
    let url = |variant: &crate::media::Variant| html_escape(&config.url(&variant.path));
    let title = if image.title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", html_escape(&image.title))
    };
    let alt = html_escape(alt);
    // The first image of a body is likely in view: only the later ones wait.
    let lazy = if state.images == 0 {
        ""
    } else {
        " loading=\"lazy\" decoding=\"async\""
    };
    state.images += 1;
    let Some(full) = media.full() else {
        return String::new();
    };
    let portrait = media.height > media.width + media.width / 5;
    let class = if portrait {
        "media media-portrait"
    } else {
        "media"
    };
    let img = |src: String| {
        format!(
            "<img class=\"{class}\" src=\"{src}\" width=\"{}\" height=\"{}\" alt=\"{alt}\"{title}{lazy}>",
            media.width, media.height
        )
    };
    let linked = |inner: String| {
        if in_link {
            inner
        } else {
            format!("<a class=\"media-link\" href=\"{}\">{inner}</a>", url(full))
        }
    };
    match media.format {
        f if f.is_raster() => {
            let srcset = media
                .variants
                .iter()
                .map(|v| format!("{} {}w", url(v), v.width))
                .collect::<Vec<_>>()
                .join(", ");
            let sizes = if portrait {
                "(max-width: 24rem) 90vw, 22rem"
            } else {
                "(max-width: 48rem) 100vw, 48rem"
            };
            let fallback = media.fallback.as_ref().unwrap_or(full);
            linked(format!(
                "<picture><source type=\"image/webp\" srcset=\"{srcset}\" sizes=\"{sizes}\">{}</picture>",
                img(url(fallback))
            ))
        }
        Format::Svg | Format::Gif => linked(img(url(full))),
        f if f.is_video() => format!(
            "<video class=\"media\" controls preload=\"metadata\"{title}><source src=\"{}\" type=\"{}\"><a href=\"{}\">{}</a></video>",
            url(full),
            f.mime(),
            url(full),
            if alt.is_empty() {
                "Download the video".to_owned()
            } else {
                alt.clone()
            }
        ),
        _ => {
            state.diagnostics.push(
                Diagnostic::error(
                    &path,
                    line,
                    column,
                    format!("`{}` is not an image or a video", image.dest),
                )
                .with_hint(format!(
                    "link to it instead: `[{}]({})`",
                    if image.alt.trim().is_empty() {
                        "Download"
                    } else {
                        image.alt.trim()
                    },
                    image.dest
                )),
            );
            String::new()
        }
    }
}

/// The URL a link to a media file gets (its published copy, the full size for images), or
/// `None` with the problem recorded.
pub(super) fn link(
    catalog: &Catalog,
    config: &crate::config::Config,
    state: &mut BodyState<'_>,
    dest: &str,
    at: impl FnOnce() -> (usize, usize),
) -> Option<String> {
    let path = state.source.path.clone();
    match catalog.resolve(&path, dest) {
        Resolved::Found(media) => {
            state.media.push(media.path.clone());
            let fragment = dest
                .split_once('#')
                .map(|(_, f)| format!("#{f}"))
                .unwrap_or_default();
            media
                .full()
                .map(|full: &crate::media::Variant| format!("{}{fragment}", config.url(&full.path)))
        }
        Resolved::Broken => None,
        unresolved => {
            state.media.extend(crate::media::reference_key(&path, dest));
            let (line, column) = at();
            state.diagnostics.push(unresolved_error(
                &path,
                line,
                column,
                "link to",
                dest,
                &unresolved,
            ));
            None
        }
    }
}

fn unresolved_error(
    path: &std::path::Path,
    line: usize,
    column: usize,
    what: &str,
    dest: &str,
    resolved: &Resolved<'_>,
) -> Diagnostic {
    match resolved {
        Resolved::Outside => Diagnostic::error(
            path,
            line,
            column,
            format!("{what} `{dest}` points outside content/"),
        )
        .with_hint("media files live under content/: move the file into content/media/ and refer to it from there, e.g. `../media/NAME.png`"),
        Resolved::Missing(Some(best)) => Diagnostic::error(
            path,
            line,
            column,
            format!("{what} `{dest}` does not match any media file"),
        )
        .with_hint(format!("did you mean `{best}`?")),
        _ => Diagnostic::error(
            path,
            line,
            column,
            format!("{what} `{dest}` does not match any media file"),
        )
        .with_hint("put the file in content/media/ (or beside this file) and refer to it relative to this file, e.g. `../media/NAME.png`"),
    }
}

/// The media files the site publishes: those a body shows or links to, and the articles'
/// social images.
pub fn media_in_use(
    library: &crate::content::Library,
    bodies: &super::Bodies,
    catalog: &Catalog,
) -> std::collections::BTreeSet<std::path::PathBuf> {
    let mut used: std::collections::BTreeSet<_> = bodies
        .articles
        .iter()
        .chain(&bodies.fixes)
        .chain(&bodies.statuses)
        .flat_map(|body| body.media.iter())
        .filter(|path| catalog.get(path).is_some())
        .cloned()
        .collect();
    for article in &library.articles {
        if let Some(thumbnail) = &article.thumbnail
            && crate::media::is_file_reference(&thumbnail.value)
            && let Resolved::Found(media) = catalog.resolve(&article.source.path, &thumbnail.value)
        {
            used.insert(media.path.clone());
        }
    }
    used
}

/// Checks what bodies cannot: that every article's `thumbnail` names an image, and that
/// every media file is used (a file nothing refers to is not published: a warning).
pub fn check_media(
    library: &crate::content::Library,
    bodies: &super::Bodies,
    catalog: &Catalog,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for article in &library.articles {
        let Some(thumbnail) = &article.thumbnail else {
            continue;
        };
        if !crate::media::is_file_reference(&thumbnail.value) {
            continue;
        }
        let path = &article.source.path;
        let (line, column) = (thumbnail.line, thumbnail.column);
        match catalog.resolve(path, &thumbnail.value) {
            Resolved::Found(media) if !media.format.is_image() => diagnostics.push(
                Diagnostic::error(
                    path,
                    line,
                    column,
                    format!("`thumbnail` `{}` is not an image", thumbnail.value),
                )
                .with_hint("link previews show a PNG, JPEG, WebP, GIF or SVG picture"),
            ),
            Resolved::Found(_) | Resolved::Broken => {}
            unresolved => diagnostics.push(unresolved_error(
                path,
                line,
                column,
                "`thumbnail`",
                &thumbnail.value,
                &unresolved,
            )),
        }
    }
    let used = media_in_use(library, bodies, catalog);
    for media in catalog.iter() {
        if !used.contains(&media.path) {
            diagnostics.push(
                Diagnostic::warning(&media.path, 0, 0, "media file not used by any page, so not published")
                    .with_hint("show it with `![what it shows](path/to/it)` or link to it from an article, fix or status message, or delete it"),
            );
        }
    }
    diagnostics
}
