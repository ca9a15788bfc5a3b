//! Links to headings: `#id` on the same page and `other.md#id` are checked against the ids
//! the target's body really has (those fixbook generates for headings included), once every
//! body is rendered, so that a renamed heading breaks the build instead of the link.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::markdown::THEME_IDS;
use super::{Bodies, normalize};
use crate::content::{Library, SourceFile};
use crate::diagnostic::{Diagnostic, nearest};

/// Every link to a heading that the target does not have, with the nearest id it has.
pub fn check_anchors(library: &Library, bodies: &Bodies) -> Vec<Diagnostic> {
    let sources: Vec<&SourceFile> = library
        .articles
        .iter()
        .map(|a| &a.source)
        .chain(library.fixes.iter().map(|f| &f.source))
        .chain(library.statuses.iter().map(|s| &s.source))
        .collect();
    let rendered: Vec<&super::RenderedBody> = bodies
        .articles
        .iter()
        .chain(&bodies.fixes)
        .chain(&bodies.statuses)
        .collect();
    // Only the bodies some link points into need their ids in a set: usually a handful,
    // and this runs on every rebuild under `fixbook serve`.
    let targets: HashSet<&Path> = rendered
        .iter()
        .flat_map(|body| &body.anchors)
        .map(|anchor| anchor.target.as_path())
        .collect();
    if targets.is_empty() {
        return Vec::new();
    }
    let ids: HashMap<_, HashSet<&str>> = sources
        .iter()
        .zip(&rendered)
        .filter_map(|(source, body)| {
            let path = normalize(&source.path);
            targets.contains(path.as_path()).then(|| {
                let own = body.ids.iter().map(String::as_str);
                (path, own.chain(THEME_IDS.iter().copied()).collect())
            })
        })
        .collect();
    let mut diagnostics = Vec::new();
    for (source, body) in sources.iter().zip(&rendered) {
        for anchor in &body.anchors {
            // A target that is not a content file was reported as a broken link already.
            let Some(known) = ids.get(&anchor.target) else {
                continue;
            };
            let fragment = percent_encoding::percent_decode_str(&anchor.fragment)
                .decode_utf8_lossy()
                .into_owned();
            if known.contains(fragment.as_str()) {
                continue;
            }
            let on = if anchor.target == normalize(&source.path) {
                "on this page".to_owned()
            } else {
                format!("in `{}`", display(&anchor.target))
            };
            let hint = match nearest(&fragment, known.iter().copied()) {
                Some(best) => format!("did you mean `#{best}`?"),
                None => "link to a heading's id: its text in lowercase with dashes, e.g. \
                    `#what-to-do`, or the `{#id}` written after it"
                    .to_owned(),
            };
            diagnostics.push(
                Diagnostic::error(
                    &source.path,
                    anchor.line,
                    anchor.column,
                    format!("no heading `#{fragment}` {on}"),
                )
                .with_hint(hint),
            );
        }
    }
    diagnostics
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
