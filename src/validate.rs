//! Validate: the knowledge graph. Every id resolves, platforms are declared, and the graph
//! has no dead ends a reader would fall into.

use std::collections::BTreeSet;

use foldhash::HashSet;
use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Kind, Library, Located, Risk};
use crate::diagnostic::{Diagnostic, nearest};

mod guides;
mod translations;
pub use guides::{MAX_GUIDE_DEPTH, MAX_GUIDE_PATHS, shape};

/// Checks every reference in the library (and its translations) against the config and the
/// other content.
///
/// References to `broken` ids (files that exist but failed to parse) are not reported: the
/// parse error already was.
pub fn validate(
    config: &Config,
    library: &Library,
    broken: &BTreeSet<(Kind, String)>,
) -> Vec<Diagnostic> {
    let mut found = references(config, library, broken);
    if !library.translations.is_empty() {
        found.extend(translations::check(config, library, broken));
    }
    found
}

/// Checks every reference of the items of `library` (not its translations).
fn references(
    config: &Config,
    library: &Library,
    broken: &BTreeSet<(Kind, String)>,
) -> Vec<Diagnostic> {
    let slugs = Kind::ALL.map(|kind| library.slugs(kind));
    let known = slugs
        .each_ref()
        .map(|list| list.iter().copied().collect::<HashSet<&str>>());
    let checker = || Checker {
        config,
        library,
        broken,
        slugs: &slugs,
        known: &known,
        diagnostics: Vec::new(),
    };
    // Each file is checked on its own, in parallel (this runs on every rebuild under
    // `fixbook serve`); the diagnostics keep the library's order.
    let articles = library.articles.par_iter().map(|article| {
        let mut check = checker();
        let path = &article.source.path;
        check.platforms(path, &article.platforms);
        check.references(path, Kind::Status, &article.status_messages);
        check.references(path, Kind::Fix, &article.fixes);
        check.references(path, Kind::Article, &article.related);
        if let Some(own) = article.related.iter().find(|r| r.value == article.slug) {
            check.diagnostics.push(
                Diagnostic::warning(
                    path,
                    own.line,
                    own.column,
                    "the article lists itself as related",
                )
                .with_hint("remove it from `related`"),
            );
        }
        check.diagnostics
    });
    let fixes = library.fixes.par_iter().map(|fix| {
        let mut check = checker();
        let path = &fix.source.path;
        check.platforms(path, &fix.platforms);
        check.non_empty_platforms(path, &fix.platforms, "fix");
        if fix.risk.value == Risk::High && fix.warning.is_none() {
            check.diagnostics.push(
                Diagnostic::warning(
                    path,
                    fix.risk.line,
                    fix.risk.column,
                    "high-risk fix has no `warning`",
                )
                .with_hint("add `warning:` saying what can be lost and what to back up first"),
            );
        }
        check.diagnostics
    });
    let statuses = library.statuses.par_iter().map(|status| {
        let mut check = checker();
        let path = &status.source.path;
        check.platforms(path, &status.platforms);
        check.non_empty_platforms(path, &status.platforms, "status message");
        check.references(path, Kind::Fix, &status.fixes);
        check.diagnostics
    });
    let guides = library
        .guides
        .par_iter()
        .map(|guide| guides::check(guide, library, broken));
    let found: Vec<Vec<Diagnostic>> = articles
        .chain(fixes)
        .chain(statuses)
        .chain(guides)
        .collect();
    let mut diagnostics: Vec<Diagnostic> = found.into_iter().flatten().collect();
    // With a broken file in the run, its references are unknown: orphans would be guesses.
    if broken.is_empty() {
        let mut check = checker();
        check.orphans();
        diagnostics.append(&mut check.diagnostics);
    }
    diagnostics
}

struct Checker<'a> {
    config: &'a Config,
    library: &'a Library,
    broken: &'a BTreeSet<(Kind, String)>,
    /// The sorted ids of each kind, in [`Kind::ALL`] order, listed once per run.
    slugs: &'a [Vec<&'a str>; 4],
    /// The same ids as sets, to look references up.
    known: &'a [HashSet<&'a str>; 4],
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn platforms(&mut self, path: &Path, platforms: &[Located<String>]) {
        self.diagnostics
            .extend(platforms.iter().filter_map(|platform| {
                self.config
                    .unknown_platform(path, platform.line, platform.column, &platform.value)
            }));
        for (i, platform) in platforms.iter().enumerate() {
            if platforms[..i].iter().any(|p| p.value == platform.value) {
                self.diagnostics.push(Diagnostic::warning(
                    path,
                    platform.line,
                    platform.column,
                    format!("platform `{}` is listed twice", platform.value),
                ));
            }
        }
    }

    fn non_empty_platforms(&mut self, path: &Path, platforms: &[Located<String>], noun: &str) {
        if platforms.is_empty() {
            self.diagnostics.push(
                Diagnostic::error(path, 1, 1, format!("the {noun} lists no platforms"))
                    .with_hint("add `platforms: [...]` with the keys it applies to"),
            );
        }
    }

    fn references(&mut self, path: &Path, kind: Kind, ids: &[Located<String>]) {
        let k = match kind {
            Kind::Article => 0,
            Kind::Fix => 1,
            Kind::Status => 2,
            Kind::Guide => 3,
        };
        let (known, ids_of_kind) = (&self.slugs[k], &self.known[k]);
        // Lists are short: looking back is cheaper than a set, and this runs on every
        // rebuild under `fixbook serve`.
        for (i, id) in ids.iter().enumerate() {
            if !self.broken.is_empty() && self.broken.contains(&(kind, id.value.clone())) {
                continue;
            }
            if !ids_of_kind.contains(id.value.as_str()) {
                let hint = match nearest(&id.value, known.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!(
                        "create content/{}/{}.md or remove the reference",
                        kind.dir(),
                        id.value
                    ),
                };
                let noun = match kind {
                    Kind::Article => "related article",
                    Kind::Fix => "fix",
                    Kind::Status => "status message",
                    Kind::Guide => "guide",
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        path,
                        id.line,
                        id.column,
                        format!("unknown {noun} `{}`", id.value),
                    )
                    .with_hint(hint),
                );
            } else if ids[..i].iter().any(|seen| seen.value == id.value) {
                self.diagnostics.push(
                    Diagnostic::warning(
                        path,
                        id.line,
                        id.column,
                        format!("`{}` is listed twice", id.value),
                    )
                    .with_hint("remove the second mention"),
                );
            }
        }
    }

    /// Fixes no page points to, and status messages no article mentions, are dead ends.
    fn orphans(&mut self) {
        let library = self.library;
        let used_fixes: HashSet<&str> = library
            .articles
            .iter()
            .flat_map(|a| &a.fixes)
            .chain(library.statuses.iter().flat_map(|s| &s.fixes))
            .map(|id| id.value.as_str())
            .collect();
        for fix in &library.fixes {
            if !used_fixes.contains(fix.slug.as_str()) {
                self.diagnostics.push(
                    Diagnostic::warning(
                        &fix.source.path,
                        1,
                        1,
                        format!(
                            "fix `{}` is not used by any article or status message",
                            fix.slug
                        ),
                    )
                    .with_hint("list it under `fixes:` where it helps, or delete it"),
                );
            }
        }
        let shown: HashSet<&str> = library
            .articles
            .iter()
            .flat_map(|a| &a.status_messages)
            .map(|id| id.value.as_str())
            .collect();
        for status in &library.statuses {
            if !shown.contains(status.slug.as_str()) {
                self.diagnostics.push(
                    Diagnostic::warning(
                        &status.source.path,
                        1,
                        1,
                        format!("no article lists the status message `{}`", status.slug),
                    )
                    .with_hint("add it to `status_messages:` of the articles where readers see it"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_suggests_close_ids_only() {
        let ids = ["sign-out-and-in", "restart-device", "check-connection"];
        assert_eq!(nearest("sign-out-and-inn", ids), Some("sign-out-and-in"));
        assert_eq!(nearest("restrat-device", ids), Some("restart-device"));
        assert_eq!(nearest("update-os", ids), None);
        assert_eq!(nearest("titel", ["title", "tags"]), Some("title"));
        assert_eq!(nearest("macos", ["windows", "mac"]), Some("mac"));
    }
}
