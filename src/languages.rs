//! The site in its other languages: each one's view of the content, rendered, and its
//! pages and search files generated into its folder.

use std::path::Path;

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::site::SiteOptions;
use crate::{Analyzed, Failure, analyze, content, media, render, search, site};

/// The site in one language other than the default: what its pages show.
pub struct Localized {
    /// The language's configuration (see [`site::language_config`]).
    pub config: Config,
    /// The library as the language shows it ([`content::Library::for_language`]).
    pub library: content::Library,
    /// Its rendered bodies, index-aligned with its lists.
    pub bodies: render::Bodies,
    /// What the bodies were rendered within, when a build cache was used.
    pub scope: Option<crate::incremental::ScopedKey>,
}

/// Renders the library in each language other than the default; the problems found are
/// the translations' own (the originals' were found in the default language).
pub(crate) fn localize(
    config: &Config,
    library: &content::Library,
    mut media: media::Catalog,
    cache: Option<&crate::incremental::BuildCache>,
    spill: Option<&std::sync::Arc<render::Spill>>,
) -> (Vec<Localized>, media::Catalog, Vec<Diagnostic>) {
    let mut languages = Vec::new();
    let mut diagnostics = Vec::new();
    for language in config.other_languages() {
        let config = site::language_config(config, &language.code);
        let mut library = library.for_language(&language.code);
        let renderer = render::Renderer::new(&config, &library)
            .with_media(media)
            .with_spill(spill.cloned())
            .releasing_markdown(spill.is_some());
        let (bodies, mut found, scope) =
            crate::render_bodies(&config, &renderer, &mut library, cache);
        found.extend(render::check_anchors(&library, &bodies));
        found.extend(render::check_media(&library, &bodies, renderer.media()));
        media = renderer.into_media();
        let suffix = format!(".{}.md", language.code);
        diagnostics.extend(found.into_iter().filter(|d| {
            d.path
                .as_deref()
                .and_then(|p| p.to_str())
                .is_some_and(|p| p.ends_with(&suffix))
        }));
        languages.push(Localized {
            config,
            library,
            bodies,
            scope,
        });
    }
    (languages, media, diagnostics)
}

/// The search documents of the site at `root` in language `lang` (the default when
/// `None`), with that language's configuration; an undeclared language is an error.
pub fn search_documents_in(
    root: &Path,
    lang: Option<&str>,
) -> Result<(Config, Vec<search::SearchDoc>), Failure> {
    let Analyzed {
        config,
        library,
        bodies,
        languages,
        mut diagnostics,
        ..
    } = analyze(root)?;
    if diagnostics.iter().any(Diagnostic::is_error) {
        diagnostic::sort(&mut diagnostics);
        return Err(Failure::Content(diagnostics));
    }
    match lang {
        None => {}
        Some(code) if code == config.default_language() => {}
        Some(code) => {
            let Some(localized) = languages.into_iter().find(|l| l.config.language == code) else {
                return Err(Failure::Setup(vec![unknown_language(&config, code)]));
            };
            let docs = search::documents(&localized.library, &localized.bodies);
            return Ok((localized.config, docs));
        }
    }
    let docs = search::documents(&library, &bodies);
    Ok((config, docs))
}

/// The error for a language code the site does not declare, with the nearest one.
pub fn unknown_language(config: &Config, code: &str) -> Diagnostic {
    let codes: Vec<&str> = if config.is_multilingual() {
        config.languages.iter().map(|l| l.code.as_str()).collect()
    } else {
        vec![config.language.as_str()]
    };
    let hint = match diagnostic::nearest(code, codes.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!(
            "the site's languages are {}; declare others in fixbook.toml as `[languages.<code>]`",
            codes
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::site_error(format!("the site has no language `{code}`")).with_hint(hint)
}

/// Renders every page of each other language into its folder, with its own static search
/// bundle there (the default language's pages were rendered before).
pub(crate) fn generate_languages(
    languages: &[Localized],
    statics: &site::StaticFiles,
    media: &media::Catalog,
    theme: &mut site::theme::Theme,
    options: SiteOptions,
    reuse: Option<&site::PageReuse>,
    sink: &dyn site::Sink,
) -> Result<(), site::GenerateError> {
    for localized in languages {
        let config = &localized.config;
        let site = site::Site::new(config, &localized.library, &localized.bodies)
            .with_static_files(statics)
            .with_media(media);
        match reuse {
            Some(reuse) => site.with_reuse(reuse),
            None => site,
        }
        .generate_into(theme, options, sink)?;
        let folder = site::PageId::language_dir(config, &config.language);
        let in_folder = site::InFolder::new(sink, folder);
        let docs = search::documents_iter(&localized.library, &localized.bodies);
        let files = search::static_files_from(docs, &search::QueryRules::from_config(config))
            .map_err(|d| site::GenerateError::Content(vec![d]))?;
        for file in files {
            site::Sink::put(&in_folder, file).map_err(site::GenerateError::Write)?;
        }
    }
    Ok(())
}
