//! fixbook: a static site generator for troubleshooting knowledge bases.
//!
//! The pipeline, one module per stage: [`config`] → [`content`] (load) → [`validate`] →
//! [`render`] → [`site`] → [`output`]. Each stage is a function over plain data;
//! [`linkcheck`] asks the rendered pages' off-site links whether they still answer.

pub mod config;
pub mod content;
pub mod diagnostic;
pub mod id;
pub mod incremental;
pub mod linkcheck;
pub mod media;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod validate;

mod checks;
mod languages;
pub use checks::{check_against, check_external};
use languages::generate_languages;
pub(crate) use languages::localize;
pub use languages::{Localized, search_documents_in, unknown_language};

use std::path::{Path, PathBuf};

use config::Config;
use diagnostic::Diagnostic;
use site::{OutputFile, SiteOptions};

/// Why a run failed, which decides the exit code.
#[derive(Debug)]
pub enum Failure {
    /// The content (or theme) has errors: exit code 1. Warnings found are included.
    Content(Vec<Diagnostic>),
    /// The configuration or the file system failed: exit code 2.
    Setup(Vec<Diagnostic>),
}

impl Failure {
    /// Every diagnostic of the failed run.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Failure::Content(d) | Failure::Setup(d) => d,
        }
    }

    /// The process exit code for this failure: 1 for content errors, 2 for setup errors.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Content(_) => 1,
            Failure::Setup(_) => 2,
        }
    }
}

/// A site compiled in memory, ready to write.
#[derive(Debug)]
pub struct Compiled {
    /// The configuration it was built with.
    pub config: Config,
    /// The parsed content.
    pub library: content::Library,
    /// Every output file, sorted by path.
    pub files: Vec<OutputFile>,
    /// One search document per article, fix and status message.
    pub docs: Vec<search::SearchDoc>,
    /// Warnings (sorted); errors would have failed the compile.
    pub warnings: Vec<Diagnostic>,
}

/// The content loaded, validated and rendered: everything that does not need templates.
pub struct Analyzed {
    /// The configuration.
    pub config: Config,
    /// The parsed content.
    pub library: content::Library,
    /// The rendered bodies, index-aligned with the library's lists.
    pub bodies: render::Bodies,
    /// The media files, probed.
    pub media: media::Catalog,
    /// The site in each of its other languages, in the order of fixbook.toml.
    pub languages: Vec<Localized>,
    /// Every problem found so far, unsorted.
    pub diagnostics: Vec<Diagnostic>,
    /// What the bodies were rendered within, when a build cache was used.
    pub scope: Option<incremental::ScopedKey>,
    /// Where the bodies' packed texts were written, for a large one-shot build or check.
    pub spill: Option<std::sync::Arc<render::Spill>>,
}

/// Loads, validates and renders the content of the site at `root`.
pub fn analyze(root: &Path) -> Result<Analyzed, Failure> {
    analyze_with(root, None, None)
}

/// Renders every body of `library`, taking from `cache` the bodies an earlier build
/// rendered alike.
pub(crate) fn render_bodies(
    config: &Config,
    renderer: &render::Renderer<'_>,
    library: &mut content::Library,
    cache: Option<&incremental::BuildCache>,
) -> (
    render::Bodies,
    Vec<Diagnostic>,
    Option<incremental::ScopedKey>,
) {
    match cache {
        Some(cache) => {
            let memory = cache.bodies_for(config, renderer);
            let (bodies, found) = render::render_library_with(renderer, library, &memory);
            (bodies, found, Some(memory.key()))
        }
        None => {
            let (bodies, found) = render::render_library(renderer, library);
            (bodies, found, None)
        }
    }
}

/// [`analyze`], taking from `cache` what an earlier build rendered alike. When the
/// Markdown is larger than `spill_above` bytes, each body's packed texts are written out to
/// an unnamed file in `.fixbook/` as it renders (see [`render::Spill`]); where that file
/// cannot be made, they stay in memory.
fn analyze_with(
    root: &Path,
    cache: Option<&incremental::BuildCache>,
    spill_above: Option<usize>,
) -> Result<Analyzed, Failure> {
    let config = Config::load(root).map_err(Failure::Setup)?;
    let loaded = content::load(root).map_err(Failure::Setup)?;
    let mut diagnostics = loaded.diagnostics;
    let mut library = loaded.library;
    let spill = spill_above
        .filter(|above| library.markdown_len() > *above)
        .and_then(|_| {
            let dir = root.join(config::CACHE_DIR);
            std::fs::create_dir_all(&dir).ok()?;
            render::Spill::create_in(&dir).ok()
        });
    diagnostics.extend(validate::validate(&config, &library, &loaded.broken));
    let catalog = media::Catalog::probe(root, &config, &library.media);
    diagnostics.extend(catalog.diagnostics().cloned());
    // Where bodies are spilled, nothing reads an item's Markdown once its body is made,
    // but the other languages' fallbacks are the originals' Markdown (see `localize`).
    let single = config.other_languages().next().is_none();
    let renderer = render::Renderer::new(&config, &library)
        .with_media(catalog)
        .with_spill(spill.clone())
        .releasing_markdown(spill.is_some() && single);
    let (bodies, found, scope) = render_bodies(&config, &renderer, &mut library, cache);
    diagnostics.extend(found);
    diagnostics.extend(render::check_anchors(&library, &bodies));
    diagnostics.extend(render::check_media(&library, &bodies, renderer.media()));
    let media = renderer.into_media();
    let (languages, media, found) = localize(&config, &library, media, cache, spill.as_ref());
    diagnostics.extend(found);
    Ok(Analyzed {
        config,
        library,
        bodies,
        media,
        languages,
        diagnostics,
        scope,
        spill,
    })
}

/// The search documents of the site at `root`, for `fixbook search`; fails like `check`.
pub fn search_documents(root: &Path) -> Result<(Config, Vec<search::SearchDoc>), Failure> {
    search_documents_in(root, None)
}

/// Runs every stage and keeps the files in memory (tests, benchmarks, tools).
pub fn compile(root: &Path, options: SiteOptions) -> Result<Compiled, Failure> {
    let collected = site::Collect::default();
    let prepared = prepare(root)?;
    let docs = documents_of(&prepared);
    let generated = generate(root, prepared, Some(&docs), options, &collected, &|err| {
        Failure::Setup(vec![Diagnostic::site_error(err.to_string())])
    })?;
    Ok(Compiled {
        config: generated.config,
        library: generated.library,
        files: collected.into_sorted(),
        docs,
        warnings: generated.warnings,
    })
}

/// What `build` and `check` report.
#[derive(Debug)]
pub struct Summary {
    /// The parsed content.
    pub library: content::Library,
    /// How many files the site has.
    pub files: usize,
    /// Warnings (sorted); errors would have failed the run.
    pub warnings: Vec<Diagnostic>,
    /// The translation coverage of each language but the default, a line each (see
    /// [`content::coverage`]); empty for a site in one language.
    pub coverage: Vec<String>,
    /// What was taken from the previous build instead of being made again.
    pub reused: Reused,
}

/// What a build took from the previous one (see [`incremental::BuildCache`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reused {
    /// Bodies not rendered again.
    pub bodies: usize,
    /// Pages not rendered again, their files kept.
    pub pages: usize,
}

/// Runs every stage but writing, rendering every page (a template error is an error) and
/// keeping none: what `check` does.
pub fn check(root: &Path) -> Result<Summary, Failure> {
    check_prepared(root, prepare_cached(root, SPILL_ABOVE)?)
}

/// Renders every page of prepared content and keeps none; images are decoded, not encoded.
fn check_prepared(root: &Path, prepared: Prepared) -> Result<Summary, Failure> {
    let counted = site::Discard::default();
    let prepared = Prepared {
        publish: false,
        ..prepared
    };
    let generated = generate(
        root,
        prepared,
        None,
        SiteOptions::default(),
        &counted,
        &|err| Failure::Setup(vec![Diagnostic::site_error(err.to_string())]),
    )?;
    Ok(Summary {
        library: generated.library,
        files: counted.count(),
        warnings: generated.warnings,
        coverage: generated.coverage,
        reused: generated.reused,
    })
}

/// Builds the site into `output`. Pages are written into a staging folder as they are
/// rendered, and the folder is swapped in only when everything succeeded: on any error
/// `output` is left untouched. An existing `output` fixbook did not write is refused,
/// unless `force`, which moves it aside (see [`output::Staging::create`]).
pub fn build(
    root: &Path,
    output: &Path,
    options: SiteOptions,
    force: bool,
) -> Result<Summary, Failure> {
    build_spilling(root, output, options, force, SPILL_ABOVE)
}

/// Sites whose Markdown is larger than this have their rendered bodies written out of
/// memory for the rest of a build or check, as each is rendered ([`render::Spill`]): a
/// site of a few thousand articles keeps them, one of 100,000 (about 350 MB of them
/// packed) does not.
const SPILL_ABOVE: usize = 16 << 20;

/// [`build`], writing the bodies out of memory when the Markdown is larger than
/// `spill_above` bytes.
fn build_spilling(
    root: &Path,
    output: &Path,
    options: SiteOptions,
    force: bool,
    spill_above: usize,
) -> Result<Summary, Failure> {
    check_output_location(root, output).map_err(|d| Failure::Setup(vec![d]))?;
    // With a previous output, getting the staging folder ready lists the previous spare's
    // whole tree, which waits on the disk when the cache is cold: it runs while the content
    // loads and renders. (Without one, nothing is created before the content proved good.)
    let (staging, prepared) = if output.is_dir() {
        std::thread::scope(|scope| {
            let staging = scope.spawn(|| output::Staging::create(output, force));
            let prepared = prepare_cached(root, spill_above);
            let staging = staging.join().unwrap_or_else(|_| {
                Err(std::io::Error::other("preparing the output failed").into())
            });
            (Some(staging), prepared)
        })
    } else {
        (None, prepare_cached(root, spill_above))
    };
    // A refused output comes first: it names what to do before anything else. Then content
    // errors; a staging folder made for nothing is removed when dropped.
    if let Some(Err(output::OutputError::Refused(refusal))) = &staging {
        return Err(refused(refusal));
    }
    let mut prepared = prepared?;
    prepared.analyzed.library.release_markdown();
    let staging = staging
        .unwrap_or_else(|| output::Staging::create(output, force))
        .map_err(|err| match err {
            output::OutputError::Refused(refusal) => refused(&refusal),
            output::OutputError::Io(err) => write_failure(output, &err, None),
        })?;
    // The tantivy index behind `fixbook search` is not made here: a published site does
    // not need it, and `fixbook search` brings it up to date when it runs.
    build_pages(root, prepared, staging, output, options)
}

/// Renders and writes every page into the staging folder, then swaps it in.
fn build_pages(
    root: &Path,
    prepared: Prepared,
    staging: output::Staging,
    output: &Path,
    options: SiteOptions,
) -> Result<Summary, Failure> {
    let counted = site::Counted::new(&staging);
    let generated = generate(root, prepared, None, options, &counted, &|err| {
        write_failure(output, &err, staging.space_report())
    })?;
    let files = counted.count();
    let notes = staging
        .commit()
        .map_err(|err| write_failure(output, &err, None))?;
    let mut warnings = generated.warnings;
    warnings.extend(notes.into_iter().map(|note| {
        Diagnostic::site_warning(note)
            .with_hint("fixbook owns its output folder: keep your own files elsewhere")
    }));
    Ok(Summary {
        library: generated.library,
        files,
        warnings,
        coverage: generated.coverage,
        reused: generated.reused,
    })
}

fn write_failure(output: &Path, err: &std::io::Error, space: Option<String>) -> Failure {
    let hint = match space {
        Some(space) => {
            format!("{space}; free some space, or build on another disk with `--output`")
        }
        None => "check that the output folder's parent exists and is writable, or choose \
            another with `--output`"
            .to_owned(),
    };
    Failure::Setup(vec![
        Diagnostic::site_error(format!(
            "cannot write the site to `{}`: {err}",
            output.display()
        ))
        .with_hint(hint),
    ])
}

fn refused(refusal: &output::Refusal) -> Failure {
    Failure::Setup(vec![
        Diagnostic::site_error(refusal.message()).with_hint(refusal.hint()),
    ])
}

/// Content that passed every check, with its theme and static files: ready to generate.
struct Prepared {
    analyzed: Analyzed,
    theme: site::theme::Theme,
    statics: site::StaticFiles,
    /// Whether media files are processed and published (`build`), or only checked (`check`).
    publish: bool,
    /// What the previous build left in `.fixbook/cache/`, for `build` and `check`.
    cache: Option<incremental::BuildCache>,
}

/// Loads, validates and renders the content and loads the theme and the static files;
/// fails on any error.
fn prepare(root: &Path) -> Result<Prepared, Failure> {
    prepare_with(root, None, None, |_| {})
}

/// [`prepare`], taking what it can from the site's build cache, which it keeps for
/// [`generate`] to store again, and letting go of the rendered bodies when the Markdown
/// is larger than `spill_above` bytes (see [`render::Spill`]).
fn prepare_cached(root: &Path, spill_above: usize) -> Result<Prepared, Failure> {
    prepare_with(
        root,
        Some(incremental::BuildCache::load(root)),
        Some(spill_above),
        |_| {},
    )
}

/// [`prepare`] with `cache` and `spill_above` (see [`analyze_with`]), showing the analyzed
/// content to `inspect` first, errors or not.
fn prepare_with(
    root: &Path,
    cache: Option<incremental::BuildCache>,
    spill_above: Option<usize>,
    inspect: impl FnOnce(&Analyzed),
) -> Result<Prepared, Failure> {
    let mut analyzed = analyze_with(root, cache.as_ref(), spill_above)?;
    if let Some(warning) = cache.as_ref().and_then(incremental::BuildCache::warning) {
        analyzed.diagnostics.push(warning.clone());
    }
    inspect(&analyzed);
    let theme = match site::theme::Theme::load(root) {
        Ok(theme) => Some(theme),
        Err(found) => {
            analyzed.diagnostics.extend(found);
            None
        }
    };
    let (statics, found) = site::StaticFiles::load(root, &analyzed.config);
    analyzed.diagnostics.extend(found);
    if theme.is_none() || analyzed.diagnostics.iter().any(Diagnostic::is_error) {
        // The run fails before images are processed (which is where a truncated one shows):
        // they are decoded now, so that one run reports every problem.
        let used = render::media_in_use(&analyzed.library, &analyzed.bodies, &analyzed.media);
        if let Ok(checked) = media::process(
            root,
            &analyzed.config,
            &analyzed.media,
            &used,
            None,
            None,
            false,
        ) {
            analyzed.diagnostics.extend(checked.diagnostics);
        }
    }
    diagnostic::sort(&mut analyzed.diagnostics);
    analyzed.diagnostics.dedup();
    match theme {
        Some(theme) if !analyzed.diagnostics.iter().any(Diagnostic::is_error) => Ok(Prepared {
            analyzed,
            theme,
            statics,
            publish: true,
            cache,
        }),
        _ => Err(Failure::Content(analyzed.diagnostics)),
    }
}

/// One search document per article, fix and status message.
fn documents_of(prepared: &Prepared) -> Vec<search::SearchDoc> {
    search::documents(&prepared.analyzed.library, &prepared.analyzed.bodies)
}

/// What [`generate`] leaves once the files are out.
struct Generated {
    config: Config,
    /// The translation coverage lines.
    coverage: Vec<String>,
    library: content::Library,
    warnings: Vec<Diagnostic>,
    reused: Reused,
}

/// Renders every page, the static files and the static search bundle into `sink`.
fn generate(
    root: &Path,
    prepared: Prepared,
    docs: Option<&[search::SearchDoc]>,
    options: SiteOptions,
    sink: &dyn site::Sink,
    write_failed: &dyn Fn(std::io::Error) -> Failure,
) -> Result<Generated, Failure> {
    let Prepared {
        analyzed:
            Analyzed {
                config,
                library,
                bodies,
                media,
                languages,
                mut diagnostics,
                scope,
                spill,
            },
        mut theme,
        statics,
        publish,
        mut cache,
    } = prepared;
    // A build keeps the pages whose fingerprint did not change; `check` renders them all.
    let reuse = cache
        .as_mut()
        .filter(|_| publish)
        .map(|cache| cache.page_reuse(&config, options, theme.whole_digest()));
    // The static search bundle needs only the documents, and the media only their files:
    // both are made while pages render.
    let wanted = render::media_in_use(&library, &bodies, &media);
    let put = |path: String, bytes: Vec<u8>| sink.put(OutputFile { path, bytes });
    let keep = |path: &str, expected: Option<(u64, u128)>| sink.keep(path, expected);
    let ((generated, search_files), processed) = rayon::join(
        || {
            rayon::join(
                || {
                    let site = site::Site::new(&config, &library, &bodies)
                        .with_static_files(&statics)
                        .with_media(&media);
                    match &reuse {
                        Some(reuse) => site.with_reuse(reuse),
                        None => site,
                    }
                    .generate_into(&mut theme, options, sink)
                    .and_then(|()| {
                        generate_languages(
                            &languages,
                            &statics,
                            &media,
                            &mut theme,
                            options,
                            reuse.as_ref(),
                            sink,
                        )
                    })
                },
                // Without the caller's documents, each is made, indexed and let go in
                // turn: at 100k their text would be 300 MB held at once.
                || {
                    let rules = search::QueryRules::from_config(&config);
                    match docs {
                        Some(docs) => search::static_files(docs, &rules),
                        None => search::static_files_from(
                            search::documents_iter(&library, &bodies),
                            &rules,
                        ),
                    }
                },
            )
        },
        || {
            media::process(
                root,
                &config,
                &media,
                &wanted,
                publish.then_some(&put),
                Some(&keep),
                true,
            )
        },
    );
    match generated {
        Ok(()) => {}
        Err(site::GenerateError::Content(mut errors)) => {
            errors.extend(diagnostics.iter().cloned());
            diagnostic::sort(&mut errors);
            return Err(Failure::Content(errors));
        }
        Err(site::GenerateError::Write(err)) => return Err(write_failed(err)),
    }
    let processed = processed.map_err(write_failed)?;
    diagnostics.extend(processed.diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        diagnostic::sort(&mut diagnostics);
        return Err(Failure::Content(diagnostics));
    }
    // A body that could not be read back was shown empty: nothing of this build is kept.
    if let Some(err) = spill.as_deref().and_then(render::Spill::failure) {
        return Err(Failure::Setup(vec![
            Diagnostic::site_error(format!(
                "cannot read back the rendered bodies written to `{}/`: {err}",
                config::CACHE_DIR
            ))
            .with_hint("check the disk that holds the site; the previous output is untouched"),
        ]));
    }
    for file in search_files.map_err(|d| Failure::Setup(vec![d]))? {
        sink.put(file).map_err(write_failed)?;
    }
    let mut reused = Reused::default();
    if let Some(cache) = cache {
        reused = Reused {
            bodies: cache.recalled(),
            pages: reuse.as_ref().map_or(0, site::PageReuse::kept),
        };
        let mut libraries = Vec::with_capacity(1 + languages.len());
        libraries.extend(scope.as_ref().map(|scope| (scope, &library, &bodies)));
        for language in &languages {
            libraries.extend(
                language
                    .scope
                    .as_ref()
                    .map(|scope| (scope, &language.library, &language.bodies)),
            );
        }
        if let Err(err) = cache.store(&libraries, reuse) {
            diagnostics.push(
                Diagnostic::site_warning(format!(
                    "the build cache `{}/{}` could not be written: {err}",
                    config::CACHE_DIR,
                    incremental::BUILD_CACHE
                ))
                .with_hint("the next build renders every page again"),
            );
        }
    }
    diagnostic::sort(&mut diagnostics);
    let coverage = content::coverage(&library, config.other_languages().map(|l| l.code.as_str()));
    Ok(Generated {
        coverage,
        config,
        library,
        warnings: diagnostics,
        reused,
    })
}

/// The output folder is replaced wholesale, so it must never be the site itself.
fn check_output_location(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        p.canonicalize().unwrap_or_else(|_| lexical_normalize(&p))
    };
    let root = absolute(root);
    let output = absolute(output);
    let protected = [
        root.clone(),
        root.join(content::CONTENT_DIR),
        root.join(site::theme::TEMPLATES_DIR),
        root.join(config::STATIC_DIR),
    ];
    if protected
        .iter()
        .any(|p| p.starts_with(&output) || output.starts_with(p) && p != &root)
    {
        return Err(Diagnostic::site_error(format!(
            "refusing to build into `{}`: it would replace the site's own files",
            output.display()
        ))
        .with_hint("choose an output folder of its own, such as `public`"));
    }
    Ok(())
}

fn lexical_normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under `dir`, by path from it.
    fn files(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let path = e.path().strip_prefix(dir).unwrap().to_path_buf();
                (path, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    /// A build that writes its bodies out as they render (and, in one language, lets go
    /// of the Markdown) makes the same files as one that keeps everything in memory.
    fn spilling_changes_nothing(fixture: &str) {
        let work = tempfile::tempdir().unwrap();
        let site = work.path().join("site");
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture);
        copy_dir(&source, &site);
        let kept = work.path().join("kept");
        let spilled = work.path().join("spilled");
        build_spilling(&site, &kept, SiteOptions::default(), false, usize::MAX).unwrap();
        std::fs::remove_dir_all(site.join(config::CACHE_DIR)).unwrap();
        build_spilling(&site, &spilled, SiteOptions::default(), false, 0).unwrap();
        // And it did write them out.
        let prepared = prepare_cached(&site, 0).unwrap();
        assert!(prepared.analyzed.spill.is_some());
        assert!(
            prepared
                .analyzed
                .bodies
                .articles
                .iter()
                .all(|b| b.html.held() == 0 && !b.html.is_empty())
        );
        drop(prepared);
        let (kept, spilled) = (files(&kept), files(&spilled));
        assert!(kept.len() > 10);
        assert_eq!(
            kept.keys().collect::<Vec<_>>(),
            spilled.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &kept {
            assert!(spilled[path] == *bytes, "{} differs", path.display());
        }
        // The spill file had no name: `.fixbook/` holds only the cache.
        let left: Vec<_> = std::fs::read_dir(site.join(config::CACHE_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("cache")]);
    }

    fn copy_dir(from: &Path, to: &Path) {
        for entry in walkdir::WalkDir::new(from).into_iter().map(Result::unwrap) {
            let target = to.join(entry.path().strip_prefix(from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }

    #[test]
    fn a_site_in_one_language_builds_the_same_spilled() {
        spilling_changes_nothing("tests/fixtures/valid-site");
    }

    #[test]
    fn a_site_in_two_languages_builds_the_same_spilled() {
        spilling_changes_nothing("tests/fixtures/multilingual");
    }
}
