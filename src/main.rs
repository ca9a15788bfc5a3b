//! The `fixbook` command: parse arguments, run one pipeline function, map the result to an
//! exit code (0 ok, 1 content errors, 2 usage, configuration or I/O errors).

mod cli;

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser as _;
use fixbook::diagnostic::{self, Diagnostic, Format};
use fixbook::site::SiteOptions;
use fixbook::{Failure, Summary};

/// A build allocates and frees millions of small strings on every core (syntax highlighting,
/// templates, indexing): with jemalloc's per-thread caches a 10k-article build takes about
/// 12% less CPU than with the system allocator, at the same peak memory. It is built with
/// one arena per CPU (`.cargo/config.toml`), which lowers the peak further.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Build {
            output,
            force,
            report,
        } => {
            let output = output.unwrap_or_else(|| cli.root.join("public"));
            let started = Instant::now();
            let result = fixbook::build(&cli.root, &output, SiteOptions::default(), force);
            finish_after(result, &report, None, |built| {
                let reused = match (built.reused.bodies, built.reused.pages) {
                    (0, 0) => String::new(),
                    (bodies, 0) => format!(", {bodies} unchanged bodies reused"),
                    (0, pages) => format!(", {pages} unchanged pages kept"),
                    (bodies, pages) => {
                        format!(", {bodies} unchanged bodies reused, {pages} unchanged pages kept")
                    }
                };
                format!(
                    "built {} files ({} articles, {} fixes, {} status messages) into {} in {} ms{reused}",
                    built.files,
                    built.library.articles.len(),
                    built.library.fixes.len(),
                    built.library.statuses.len(),
                    output.display(),
                    started.elapsed().as_millis()
                )
            })
        }
        cli::Command::Search {
            action: Some(cli::SearchAction::Export { format, output }),
            ..
        } => export(&cli.root, format, &output),
        cli::Command::Search {
            action: None,
            query,
            platform,
            lang,
            limit,
            json,
        } => search(
            &cli.root,
            &query.join(" "),
            platform.as_deref(),
            lang.as_deref(),
            limit,
            json,
        ),
        cli::Command::Serve { port, bind, open } => serve(cli.root, bind, port, open),
        cli::Command::New { kind, slug } => new_item(&cli.root, kind, &slug),
        cli::Command::Init { dir, languages } => init_site(&dir, &languages),
        cli::Command::Theme {
            action: cli::ThemeAction::Eject { files },
        } => eject(&cli.root, &files),
        cli::Command::Check {
            against,
            report,
            external,
        } => {
            let (result, links) = match &against {
                Some(sitemap) => (fixbook::check_against(&cli.root, sitemap), None),
                None if external => fixbook::check_external(&cli.root),
                None => (fixbook::check(&cli.root), None),
            };
            if let Some(links) = &links {
                for note in &links.notes {
                    eprintln!("warning: {note}");
                }
            }
            let before = links.map(|links| links.summary);
            finish_after(result, &report, before.as_deref(), |compiled| {
                let library = &compiled.library;
                let mut line = match library.guides.len() {
                    0 => format!(
                        "checked {} articles, {} fixes and {} status messages: no errors",
                        library.articles.len(),
                        library.fixes.len(),
                        library.statuses.len()
                    ),
                    guides => format!(
                        "checked {} articles, {} fixes, {} status messages and {guides} guide{}: \
                         no errors",
                        library.articles.len(),
                        library.fixes.len(),
                        library.statuses.len(),
                        if guides == 1 { "" } else { "s" }
                    ),
                };
                for coverage in &compiled.coverage {
                    line.push_str("\ntranslated into ");
                    line.push_str(coverage);
                }
                for code in compiled.library.translations.keys() {
                    for (path, note) in fixbook::content::unverified_notes(&compiled.library, code)
                    {
                        line.push_str(&format!("\nunverified: {}: {note}", path.display()));
                    }
                }
                line
            })
        }
    }
}

/// `fixbook search`: ranked results with a snippet and the page's address.
fn search(
    root: &std::path::Path,
    query: &str,
    platform: Option<&str>,
    lang: Option<&str>,
    limit: usize,
    json: bool,
) -> ExitCode {
    let (config, docs) = match fixbook::search_documents_in(root, lang) {
        Ok(found) => found,
        Err(failure) => {
            let code = failure.exit_code();
            let _ = std::io::stderr()
                .write_all(diagnostic::render(failure.diagnostics(), Format::Human).as_bytes());
            if matches!(failure, fixbook::Failure::Content(_)) {
                eprintln!("search needs a site without errors: run `fixbook check`");
            }
            return ExitCode::from(code);
        }
    };
    let stemmer = fixbook::search::Stemmer::for_tag(&config.language);
    let index = if config.language == config.default_language() {
        fixbook::search::cache::open(root, &docs, stemmer)
    } else {
        fixbook::search::cache::open_language(root, &config.language, &docs, stemmer)
    };
    let results = index.and_then(|index| {
        let lookup = fixbook::search::StatusLookup::from_docs(&docs)
            .with_rules(fixbook::search::QueryRules::from_config(&config));
        fixbook::search::search_answer(&index, &lookup, query, platform, limit)
    });
    let (hits, corrected) = match results {
        Ok(answer) => (answer.hits, answer.corrected),
        Err(err) => {
            eprintln!("error: search failed: {err}");
            return ExitCode::from(2);
        }
    };
    let mut out = String::new();
    if json {
        let list: Vec<serde_json::Value> = hits
            .iter()
            .map(|hit| {
                serde_json::json!({
                    "kind": hit.kind,
                    "title": hit.title,
                    "url": config.absolute_url(&hit.url),
                    "description": hit.description,
                    "snippet_html": hit.snippet_html,
                    "score": hit.score,
                })
            })
            .collect();
        out = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".to_owned());
        out.push('\n');
    } else if hits.is_empty() {
        out.push_str(&format!("no results for \"{query}\"\n"));
    } else {
        let bold = std::io::IsTerminal::is_terminal(&std::io::stdout());
        for (i, hit) in hits.iter().enumerate() {
            let kind = hit.kind.as_str();
            out.push_str(&format!(
                "{}. {} ({kind})\n   {}\n",
                i + 1,
                hit.title,
                config.absolute_url(&hit.url)
            ));
            let snippet = terminal_snippet(&hit.snippet_html, bold);
            if !snippet.is_empty() {
                out.push_str(&format!("   {snippet}\n"));
            }
        }
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
    // On stderr, so that the results on stdout stay one list for scripts.
    if let Some(corrected) = corrected {
        eprintln!("did you mean: {corrected}");
    }
    ExitCode::SUCCESS
}

/// `fixbook search export`: the documents and settings for an external search engine.
fn export(
    root: &std::path::Path,
    format: fixbook::search::export::ExportFormat,
    output: &std::path::Path,
) -> ExitCode {
    let (config, docs) = match fixbook::search_documents(root) {
        Ok(found) => found,
        Err(failure) => {
            let code = failure.exit_code();
            let _ = std::io::stderr()
                .write_all(diagnostic::render(failure.diagnostics(), Format::Human).as_bytes());
            eprintln!("export needs a site without errors: run `fixbook check`");
            return ExitCode::from(code);
        }
    };
    let files = fixbook::search::export::export(format, &docs, &config);
    if let Err(err) = std::fs::create_dir_all(output) {
        eprintln!("error: cannot create `{}`: {err}", output.display());
        return ExitCode::from(2);
    }
    for (name, bytes) in &files {
        let path = output.join(name);
        if let Err(err) = std::fs::write(&path, bytes) {
            eprintln!("error: cannot write `{}`: {err}", path.display());
            return ExitCode::from(2);
        }
        println!("{}", path.display());
    }
    println!(
        "exported {} documents for {:?}; the README's search section shows how to load them",
        docs.len(),
        format
    );
    ExitCode::SUCCESS
}

/// A highlighted HTML snippet as terminal text: `<mark>` becomes bold (or `*…*` when the
/// output is not a terminal), entities are decoded.
fn terminal_snippet(html: &str, bold: bool) -> String {
    let (on, off) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("*", "*")
    };
    html.replace("<mark>", on)
        .replace("</mark>", off)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// `fixbook serve`: runs until Ctrl-C; only failing to start is an error.
fn serve(root: std::path::PathBuf, bind: std::net::IpAddr, port: u16, open: bool) -> ExitCode {
    let options = fixbook::serve::ServeOptions {
        root,
        bind,
        port,
        open,
    };
    match fixbook::serve::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

/// `fixbook new KIND SLUG`: prints the new file's path on standard output.
fn new_item(root: &std::path::Path, kind: cli::NewKind, slug: &str) -> ExitCode {
    let kind = match kind {
        cli::NewKind::Article => fixbook::content::Kind::Article,
        cli::NewKind::Fix => fixbook::content::Kind::Fix,
        cli::NewKind::Status => fixbook::content::Kind::Status,
        cli::NewKind::Guide => fixbook::content::Kind::Guide,
    };
    match fixbook::scaffold::new_item(root, kind, slug, fixbook::scaffold::today()) {
        Ok(path) => {
            println!("{}", root.join(&path).display());
            eprintln!(
                "created the {} `{slug}`; fill in its fields, then check it with `fixbook check` or see it with `fixbook serve`",
                kind.noun()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

/// `fixbook theme eject [FILE…]`: prints each file written on standard output.
fn eject(root: &std::path::Path, files: &[String]) -> ExitCode {
    match fixbook::site::eject::eject(root, files) {
        Ok(written) => {
            for path in &written {
                println!("{}", root.join(path).display());
            }
            eprintln!(
                "copied {} built-in theme file(s) into {}; they now override the built-in ones (delete one to go back to it)",
                written.len(),
                root.join(fixbook::site::theme::TEMPLATES_DIR).display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

/// `fixbook init DIR`.
fn init_site(dir: &std::path::Path, languages: &[String]) -> ExitCode {
    match fixbook::scaffold::init_site_in(dir, fixbook::scaffold::today(), languages) {
        Ok(files) => {
            for file in files {
                eprintln!("  created {}", dir.join(file).display());
            }
            eprintln!(
                "a new site is ready: `fixbook --root {0} serve` to see it, `fixbook --root {0} build` to publish it",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

fn format_for(report: &cli::Report) -> Format {
    report.format.unwrap_or_else(|| {
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            Format::Github
        } else {
            Format::Human
        }
    })
}

/// Prints the diagnostics, the line `before` (if any) and a summary, and picks the exit code.
fn finish_after(
    result: Result<Summary, Failure>,
    report: &cli::Report,
    before: Option<&str>,
    summary: impl Fn(&Summary) -> String,
) -> ExitCode {
    let format = format_for(report);
    let (diagnostics, code): (&[Diagnostic], u8) = match &result {
        Ok(compiled) if report.strict && !compiled.warnings.is_empty() => (&compiled.warnings, 1),
        Ok(compiled) => (&compiled.warnings, 0),
        Err(failure) => (failure.diagnostics(), failure.exit_code()),
    };
    let rendered = diagnostic::render(diagnostics, format);
    if format == Format::Json {
        let _ = std::io::stdout().write_all(rendered.as_bytes());
    } else {
        let _ = std::io::stderr().write_all(rendered.as_bytes());
    }
    if format != Format::Json {
        if let Some(before) = before {
            eprintln!("{before}");
        }
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        let line = match (&result, code) {
            (Ok(compiled), 0) => summary(compiled),
            (Ok(_), _) => format!("failed: {warnings} warning(s) with --strict"),
            (Err(_), _) => format!("failed: {errors} error(s), {warnings} warning(s)"),
        };
        eprintln!("{line}");
    }
    ExitCode::from(code)
}
