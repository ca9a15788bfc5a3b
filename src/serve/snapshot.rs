//! What the server answers from: the last good site, the state of the last build, and the
//! search engine, replaced whole (never mutated in place) after every rebuild.

use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;
use tokio::sync::watch;

use crate::Failure;
use crate::diagnostic::Diagnostic;
use crate::incremental::{SiteFiles, Update};
use crate::search::{SearchIndex, StatusLookup};

/// The tantivy index and status lookup behind `/api/search`.
pub struct SearchEngine {
    /// Full-text search over every page.
    pub index: SearchIndex,
    /// Typo-tolerant lookup of exact status messages.
    pub lookup: StatusLookup,
    /// The language of the pages it searches.
    pub language: String,
    /// The engine of each other language of the site, by code.
    pub languages: std::collections::BTreeMap<String, SearchEngine>,
}

/// One consistent view of the served site.
#[derive(Clone, Default)]
pub struct Snapshot {
    /// How many good builds were published; 0 until the first one.
    pub generation: u64,
    /// The site's base path (`/` or `/help/`), which the site is served under.
    pub base_path: String,
    /// Pages and assets of the last good build.
    pub pages: Arc<SiteFiles>,
    /// Old addresses of the last good build: request path under the base → `Location`.
    pub redirects: Arc<std::collections::BTreeMap<String, String>>,
    /// The static search bundle built from the same content, a moment later.
    pub search_files: Arc<SiteFiles>,
    /// The engine behind `/api/search`, once built.
    pub search: Option<Arc<SearchEngine>>,
    /// The [`BuildStatus`] of the last build, as JSON.
    pub status_json: Arc<str>,
}

impl Snapshot {
    /// Where an old address (`aliases:`) sends its readers: the request path, still
    /// percent-encoded, to the `Location` of a 301.
    pub fn moved(&self, raw_path: &str) -> Option<&str> {
        let path = percent_encoding::percent_decode_str(raw_path)
            .decode_utf8()
            .ok()?;
        let rel = path.strip_prefix(self.base_path.as_str())?;
        self.redirects.get(rel).map(String::as_str)
    }

    /// The bytes of an output file.
    pub fn file(&self, path: &str) -> Option<Bytes> {
        self.pages
            .get(path)
            .or_else(|| self.search_files.get(path))
            .cloned()
    }
}

/// What the live-reload script receives after each build.
#[derive(Debug, Serialize)]
pub struct BuildStatus<'a> {
    /// Identifies the pages on show: this server and the generation of its good builds.
    pub build: String,
    /// Whether the last build succeeded; when not, the previous good build is served.
    pub ok: bool,
    /// The site's base path.
    pub base: &'a str,
    /// URL paths that changed in the last good build, or `null` for "too many to list".
    pub changed: Option<Vec<String>>,
    /// Errors and warnings of the last build.
    pub diagnostics: &'a [Diagnostic],
}

/// The most changed URLs one event lists; beyond that, every page reloads.
const MAX_CHANGED: usize = 200;

/// Publishes snapshots for the server to answer from.
pub struct Publisher {
    sender: watch::Sender<Arc<Snapshot>>,
    server: String,
}

impl Publisher {
    /// A publisher and the receiver the server reads from.
    pub fn new() -> (Publisher, watch::Receiver<Arc<Snapshot>>) {
        let (sender, receiver) = watch::channel(Arc::new(Snapshot::default()));
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let server = format!("{:x}{nanos:x}", std::process::id());
        (Publisher { sender, server }, receiver)
    }

    /// Sets the base path the site is served under (from the configuration).
    pub fn set_base_path(&self, base_path: &str) {
        self.sender.send_modify(|snapshot| {
            Arc::make_mut(snapshot).base_path = base_path.to_owned();
        });
    }

    /// Publishes a good build: its pages replace the old ones and open pages reload.
    pub fn update(&self, update: &Update) {
        self.sender.send_modify(|snapshot| {
            let snapshot = Arc::make_mut(snapshot);
            snapshot.generation += 1;
            snapshot.pages = Arc::clone(&update.files);
            snapshot.redirects = Arc::clone(&update.redirects);
            let changed = (update.changed.len() <= MAX_CHANGED).then(|| {
                update
                    .changed
                    .iter()
                    .map(|path| url_path(&snapshot.base_path, path))
                    .collect()
            });
            snapshot.status_json = self.status_json(snapshot, true, changed, &update.warnings);
        });
    }

    /// Publishes a failed build: the pages stay, the diagnostics show over them.
    pub fn failed(&self, failure: &Failure) {
        self.sender.send_modify(|snapshot| {
            let snapshot = Arc::make_mut(snapshot);
            snapshot.status_json =
                self.status_json(snapshot, false, Some(Vec::new()), failure.diagnostics());
        });
    }

    /// Publishes the search engine and static search files of a good build.
    pub fn search(&self, files: SiteFiles, engine: Option<SearchEngine>) {
        self.sender.send_modify(|snapshot| {
            let snapshot = Arc::make_mut(snapshot);
            snapshot.search_files = Arc::new(files);
            if let Some(engine) = engine {
                snapshot.search = Some(Arc::new(engine));
            }
        });
    }

    fn status_json(
        &self,
        snapshot: &Snapshot,
        ok: bool,
        changed: Option<Vec<String>>,
        diagnostics: &[Diagnostic],
    ) -> Arc<str> {
        let status = BuildStatus {
            build: format!("{}-{}", self.server, snapshot.generation),
            ok,
            base: &snapshot.base_path,
            changed,
            diagnostics,
        };
        serde_json::to_string(&status)
            .unwrap_or_else(|_| "{}".to_owned())
            .into()
    }
}

/// The URL path of an output file: `articles/a/index.html` → `/base/articles/a/`.
fn url_path(base_path: &str, output_path: &str) -> String {
    let page = output_path
        .strip_suffix("index.html")
        .filter(|dir| dir.is_empty() || dir.ends_with('/'))
        .unwrap_or(output_path);
    format!("{base_path}{page}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_become_the_urls_pages_are_read_at() {
        assert_eq!(url_path("/kb/", "articles/a/index.html"), "/kb/articles/a/");
        assert_eq!(url_path("/", "index.html"), "/");
        assert_eq!(url_path("/", "assets/fixbook.css"), "/assets/fixbook.css");
    }
}
