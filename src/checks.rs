//! The checks beyond `check`: against the published site's sitemap (`check --against`)
//! and of every off-site link (`check --external`).

use std::path::Path;

use crate::diagnostic::{self, Diagnostic};
use crate::site::{self, SiteOptions};
use crate::{
    Failure, Prepared, Summary, check_prepared, generate, linkcheck, prepare, prepare_with,
};

/// [`check`], and then that every page of the published site's sitemap (the file at
/// `sitemap`) still has a page or an old address (`aliases:`) in this build: `check
/// --against`. A page that is gone is a content error at its `<loc>`.
pub fn check_against(root: &Path, sitemap: &Path) -> Result<Summary, Failure> {
    let text = read_sitemap(sitemap).map_err(|d| Failure::Setup(vec![d]))?;
    let listed = site::Listed::default();
    let prepared = Prepared {
        publish: false,
        ..prepare(root)?
    };
    let generated = generate(
        root,
        prepared,
        None,
        SiteOptions::default(),
        &listed,
        &|err| Failure::Setup(vec![Diagnostic::site_error(err.to_string())]),
    )?;
    let files = listed.into_paths();
    let mut errors = site::unpublished(
        sitemap,
        &text,
        &generated.config,
        &generated.library,
        &files,
    )
    .map_err(|d| Failure::Setup(vec![d]))?;
    if !errors.is_empty() {
        errors.extend(generated.warnings);
        diagnostic::sort(&mut errors);
        return Err(Failure::Content(errors));
    }
    Ok(Summary {
        library: generated.library,
        files: files.len(),
        warnings: generated.warnings,
        coverage: generated.coverage,
        reused: generated.reused,
    })
}

/// The text of the published sitemap, at most as large as the sitemap protocol allows.
fn read_sitemap(path: &Path) -> Result<String, Diagnostic> {
    use std::io::Read as _;
    let cannot = |err: &dyn std::fmt::Display| {
        Diagnostic::site_error(format!("cannot read the sitemap `{}`: {err}", path.display()))
            .with_hint("download the published site's sitemap first, e.g. `curl -fsSL https://help.example.org/sitemap.xml -o published-sitemap.xml`")
    };
    let file = std::fs::File::open(path).map_err(|err| cannot(&err))?;
    let limit = site::MAX_SITEMAP_BYTES;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| cannot(&err))?;
    if bytes.len() > limit {
        return Err(cannot(&format_args!(
            "it is larger than the {} MB a sitemap may have",
            limit / (1024 * 1024)
        )));
    }
    String::from_utf8(bytes).map_err(|_| cannot(&"it is not UTF-8 text"))
}

/// `check`, plus every off-site link asked whether it still answers (`check --external`):
/// the link problems join the others, and the link check's report comes back beside them
/// (none when the configuration could not be read).
pub fn check_external(root: &Path) -> (Result<Summary, Failure>, Option<linkcheck::LinkReport>) {
    let mut report = None;
    let prepared = prepare_with(root, None, None, |analyzed| {
        let links = linkcheck::collect(&analyzed.config, &analyzed.library, &analyzed.bodies);
        report = Some(linkcheck::check(root, &analyzed.config, &links));
    });
    let result = prepared.and_then(|prepared| check_prepared(root, prepared));
    let found = report
        .as_ref()
        .map_or(&[][..], |r| r.diagnostics.as_slice());
    let result = match result {
        Ok(mut summary) => {
            summary.warnings.extend(found.iter().cloned());
            diagnostic::sort(&mut summary.warnings);
            if summary.warnings.iter().any(Diagnostic::is_error) {
                Err(Failure::Content(summary.warnings))
            } else {
                Ok(summary)
            }
        }
        Err(Failure::Content(mut all)) => {
            all.extend(found.iter().cloned());
            diagnostic::sort(&mut all);
            Err(Failure::Content(all))
        }
        Err(setup) => Err(setup),
    };
    (result, report)
}
