//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::diagnostic::Format;

/// A static site generator for troubleshooting knowledge bases.
#[derive(Debug, Parser)]
#[command(name = "fixbook", version, about, propagate_version = true)]
pub struct Cli {
    /// The site root: the folder with fixbook.toml and content/.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds).
    Build {
        /// Where to write the site, relative to the current folder.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        #[command(flatten)]
        report: Report,
    },
    /// Check everything a build checks, without writing anything; prints every problem.
    Check {
        #[command(flatten)]
        report: Report,
    },
}

/// How problems are reported.
#[derive(Debug, clap::Args)]
pub struct Report {
    /// How to print diagnostics (default: `github` when GITHUB_ACTIONS=true, else `human`).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
}
