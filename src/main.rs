//! The `fixbook` command: parse arguments, run one pipeline function, map the result to an
//! exit code (0 ok, 1 content errors, 2 usage, configuration or I/O errors).

mod cli;

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser as _;
use fixbook::diagnostic::{self, Diagnostic, Format};
use fixbook::site::SiteOptions;
use fixbook::{Compiled, Failure};

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Build { output, report } => {
            let output = output.unwrap_or_else(|| cli.root.join("public"));
            let started = Instant::now();
            let result = fixbook::build(&cli.root, &output, SiteOptions::default());
            finish(result, &report, |compiled| {
                format!(
                    "built {} files ({} articles, {} fixes, {} status messages) into {} in {} ms",
                    compiled.files.len(),
                    compiled.library.articles.len(),
                    compiled.library.fixes.len(),
                    compiled.library.statuses.len(),
                    output.display(),
                    started.elapsed().as_millis()
                )
            })
        }
        cli::Command::Check { report } => {
            let result = fixbook::compile(&cli.root, SiteOptions::default());
            finish(result, &report, |compiled| {
                format!(
                    "checked {} articles, {} fixes and {} status messages: no errors",
                    compiled.library.articles.len(),
                    compiled.library.fixes.len(),
                    compiled.library.statuses.len()
                )
            })
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

/// Prints the diagnostics and a summary, and picks the exit code.
fn finish(
    result: Result<Compiled, Failure>,
    report: &cli::Report,
    summary: impl Fn(&Compiled) -> String,
) -> ExitCode {
    let format = format_for(report);
    let (diagnostics, code): (&[Diagnostic], u8) = match &result {
        Ok(compiled) if report.strict && !compiled.warnings.is_empty() => (&compiled.warnings, 1),
        Ok(compiled) => (&compiled.warnings, 0),
        Err(Failure::Content(d)) => (d, 1),
        Err(Failure::Setup(d)) => (d, 2),
    };
    let rendered = diagnostic::render(diagnostics, format);
    if format == Format::Json {
        let _ = std::io::stdout().write_all(rendered.as_bytes());
    } else {
        let _ = std::io::stderr().write_all(rendered.as_bytes());
    }
    if format != Format::Json {
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
