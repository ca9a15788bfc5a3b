//! `fixbook serve`: the writers' loop. Builds the site into memory, serves it, watches the
//! sources, rebuilds incrementally on every change and reloads the open pages.
//!
//! - **Threads**: the watcher sends [`Changes`](crate::incremental::Changes) to the rebuild
//!   loop, which publishes a new [`Snapshot`](snapshot::Snapshot) after every build; the
//!   search stage follows each good build on its own thread; the HTTP server only reads
//!   snapshots. Nothing is shared mutably: each snapshot replaces the last one whole.
//! - **Failures**: a build that fails keeps the last good site on show; the live-reload
//!   script shows the diagnostics over the page until a build succeeds.
//! - **Base path**: the site is served under its configured base path (`/help/` for
//!   `base_url = "https://example.org/help/"`), so links work exactly as they will when
//!   published and the pages are byte for byte those of `fixbook build`, plus the reload
//!   script. `/` redirects to the base path, and an old address (`aliases:`) answers with
//!   a 301 to its page, as a host with the redirect files does.
//! - **Safety**: it binds loopback unless told otherwise, answers GET and HEAD only,
//!   refuses requests for other host names (DNS rebinding), and serves from memory, so no
//!   request can reach a file outside the built site.

mod http;
mod rebuild;
mod snapshot;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// The address to listen on (loopback by default).
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The site root does not exist.
    #[error("cannot use `{path}` as the site root: {source}")]
    Root {
        /// The root as given.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The address is taken or not allowed.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The file watcher could not start.
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
    /// Threads or the I/O runtime could not start, or the server failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Serves the site until Ctrl-C. Prints `serving on http://ADDR/BASE/` on standard error
/// once the first build is done.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let root = options
        .root
        .canonicalize()
        .map_err(|source| ServeError::Root {
            path: options.root.clone(),
            source,
        })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let addr = SocketAddr::new(options.bind, options.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        let addr = listener.local_addr()?;

        eprintln!("building {}", root.display());
        let (publisher, snapshots) = snapshot::Publisher::new();
        let publisher = Arc::new(publisher);
        let (changes, changed) = std::sync::mpsc::channel();
        watch::start(&root, changes)?;
        let (built, first_build) = std::sync::mpsc::sync_channel(1);
        let rebuild_root = root.clone();
        std::thread::Builder::new()
            .name("fixbook-rebuild".into())
            .spawn(move || rebuild::run(rebuild_root, changed, publisher, built))?;
        tokio::task::spawn_blocking(move || first_build.recv())
            .await
            .map_err(std::io::Error::other)?
            .map_err(|_| std::io::Error::other("the rebuild thread stopped"))?;

        let base_path = snapshots.borrow().base_path.clone();
        let url = format!(
            "http://{addr}{}",
            if base_path.is_empty() {
                "/"
            } else {
                &base_path
            }
        );
        eprintln!("serving on {url}");
        if !options.bind.is_loopback() {
            eprintln!(
                "note: listening beyond this machine ({}); anyone on the network can read the site",
                options.bind
            );
        }
        eprintln!(
            "watching {} for changes; press Ctrl-C to stop",
            root.display()
        );
        if options.open {
            open_browser(&url);
        }

        let (stop, stopped) = tokio::sync::watch::channel(false);
        let app = http::App {
            snapshot: snapshots,
            shutdown: stopped,
            addr,
        };
        http::serve(listener, http::router(app), async move {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("stopping");
            let _ = stop.send(true);
        })
        .await;
        Ok(())
    })
}

/// Opens `url` in the default browser; a failure is only worth a note.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(err) = command.arg(url).spawn() {
        eprintln!("note: cannot open a browser ({err}); open {url} yourself");
    }
}
