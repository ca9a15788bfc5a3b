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
        /// Build even into a folder fixbook did not write: it is moved aside beside the
        /// output (`NAME.kept-…`), never deleted. A git repository is never replaced.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        report: Report,
    },
    /// Check everything a build checks, without writing anything; prints every problem.
    Check {
        /// Also check that every page of the published site's sitemap (a downloaded
        /// `sitemap.xml`) still has a page or an alias in this build.
        #[arg(long, value_name = "SITEMAP", conflicts_with = "external")]
        against: Option<PathBuf>,
        #[command(flatten)]
        report: Report,
        /// Also ask every off-site link whether it still answers (see `[link_check]` in
        /// fixbook.toml); answers are cached in .fixbook/cache/.
        #[arg(long)]
        external: bool,
    },
    /// Search the knowledge base; a status message lands on its page even with typos.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Search {
        #[command(subcommand)]
        action: Option<SearchAction>,
        /// What to look for, e.g. `waiting to upload`.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Only results for this platform key (e.g. `iphone`).
        #[arg(long)]
        platform: Option<String>,
        /// Search the pages of this language (e.g. `de`); the default language's otherwise.
        #[arg(long)]
        lang: Option<String>,
        /// How many results at most.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Serve the site with live reload, rebuilding on every change to content/,
    /// templates/ or fixbook.toml.
    Serve {
        /// The port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but loopback makes the site reachable from
        /// other machines.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a content file with today's date and every field explained.
    New {
        /// What to create.
        #[arg(value_enum)]
        kind: NewKind,
        /// Its id, which is also its file name and URL: lowercase letters, digits and dashes.
        slug: String,
    },
    /// Work with the theme: copy built-in theme files into the site to change them.
    Theme {
        /// What to do.
        #[command(subcommand)]
        action: ThemeAction,
    },
    /// Create a new site (configuration, one article, one fix, one status message) that
    /// builds and serves as it is.
    Init {
        /// The folder to create it in (new or empty).
        dir: PathBuf,
        /// The site's languages, the default first, e.g. `en,de`.
        #[arg(long, value_delimiter = ',')]
        languages: Vec<String>,
    },
}

/// What `fixbook theme` does.
#[derive(Debug, Subcommand)]
pub enum ThemeAction {
    /// Copy the built-in theme, or the named files, into the site's templates/ folder,
    /// where they override the built-in ones; never overwrites a file.
    Eject {
        /// Paths under templates/, e.g. `partials/cards.html` or `assets/tokens.css`
        /// (default: every file of the theme).
        #[arg(value_name = "FILE")]
        files: Vec<String>,
    },
}

/// What `fixbook new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    /// A problem readers have, in content/articles/.
    Article,
    /// A reusable fix, in content/fixes/.
    Fix,
    /// One exact status message, in content/status/.
    Status,
    /// An authored decision tree of questions, in content/guides/.
    Guide,
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

/// `fixbook search export`.
#[derive(Debug, Subcommand)]
pub enum SearchAction {
    /// Write the search documents, boosts, synonyms and platform facets for an external
    /// search engine, in its own import format.
    Export {
        /// The engine to write for.
        #[arg(long, value_enum)]
        format: fixbook::search::export::ExportFormat,
        /// The folder to write the files into (created if missing).
        #[arg(long, default_value = "search-export")]
        output: std::path::PathBuf,
    },
}
