//! The site's other languages under `fixbook serve`: each language's view of the library
//! is rendered again in full on every rebuild (the default language's pages are the ones
//! rebuilt page by page), so its pages always equal a full build's.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::site::{self, OutputFile, PageId, SiteOptions, StaticFiles, theme::Theme};
use crate::{Localized, media, search};

use super::SearchInputs;

/// Every page of every other language, in its folder, with the problems of the
/// translations and each language's search inputs; `Err` holds template errors.
pub(super) fn render(
    config: &Config,
    library: &crate::content::Library,
    catalog: &media::Catalog,
    statics: &StaticFiles,
    theme: &mut Theme,
    options: SiteOptions,
) -> Result<Rendered, Vec<Diagnostic>> {
    let mut out = Rendered::default();
    if !config.is_multilingual() {
        return Ok(out);
    }
    let (languages, _, found) = crate::localize(config, library, catalog.clone(), None, None);
    out.diagnostics = found;
    for Localized {
        config: localized,
        library,
        bodies,
        ..
    } in &languages
    {
        let site = site::Site::new(localized, library, bodies)
            .with_static_files(statics)
            .with_media(catalog);
        site.prepare(theme, options);
        let folder = PageId::language_dir(localized, &localized.language);
        let files = site.render(theme, &site.page_ids())?;
        out.files.extend(files.into_iter().map(|file| OutputFile {
            path: format!("{folder}{}", file.path),
            bytes: file.bytes,
        }));
        out.search.push((
            localized.language.clone(),
            SearchInputs {
                docs: search::documents(library, bodies),
                rules: search::QueryRules::from_config(localized),
                language: localized.language.clone(),
                languages: Vec::new(),
            },
        ));
    }
    Ok(out)
}

/// What [`render`] makes.
#[derive(Default)]
pub(super) struct Rendered {
    /// The pages, at their paths in the output.
    pub files: Vec<OutputFile>,
    /// The translations' own problems (unsorted).
    pub diagnostics: Vec<Diagnostic>,
    /// Each language's search inputs, by code.
    pub search: Vec<(String, SearchInputs)>,
}
