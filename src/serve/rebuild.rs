//! The rebuild loop: one incremental build per configuration, fed by the watcher, publishing
//! each result; and the search stage, which follows each good build on its own thread.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::snapshot::{Publisher, SearchEngine};
use crate::Failure;
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, Format};
use crate::incremental::{Changes, Incremental, SearchInputs, Update};
use crate::search::SearchIndex;
use crate::site::SiteOptions;

/// Builds, then rebuilds after each batch of changes until the watcher stops. `built` is
/// told when the first build is done, good or not.
pub fn run(
    root: PathBuf,
    changes: Receiver<Changes>,
    publisher: Arc<Publisher>,
    built: SyncSender<()>,
) {
    let search = SearchStage::start(Arc::clone(&publisher));
    let options = SiteOptions { live_reload: true };
    let mut first = Some(built);
    'config: loop {
        let config = match Config::load(&root) {
            Ok(config) => config,
            Err(diagnostics) => {
                let failure = Failure::Setup(diagnostics);
                report_failure(&failure);
                publisher.failed(&failure);
                first.take().map(|built| built.send(()));
                match next(&changes) {
                    Some(_) => continue 'config,
                    None => return,
                }
            }
        };
        publisher.set_base_path(&config.base_path);
        let mut site = Incremental::new(&root, &config, options)
            .deferring_lists(crate::incremental::DEFER_ABOVE);
        let mut todo = Changes::everything();
        loop {
            // A bug must not leave the writer with a server that silently stopped
            // rebuilding: it is reported, and the next change starts from scratch.
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| site.rebuild(&todo)));
            let crashed = result.is_err();
            let mut deferred = false;
            // A good build with every page done: the search stage gets its documents once
            // the writer pauses. After a failure, the library holds the failed edit: search
            // keeps the pages it has until the next good build.
            let mut search_due = false;
            match result {
                Ok(Ok(update)) => {
                    report_update(&update, todo.everything);
                    publisher.update(&update);
                    deferred = update.deferred > 0;
                    search_due = !deferred;
                }
                Ok(Err(failure)) => {
                    report_failure(&failure);
                    publisher.failed(&failure);
                }
                Err(_) => {
                    let failure = Failure::Setup(vec![
                        Diagnostic::site_error("fixbook crashed while rebuilding the site")
                            .with_hint("this is a bug: please report it with the message above; the next change rebuilds everything"),
                    ]);
                    report_failure(&failure);
                    publisher.failed(&failure);
                }
            }
            first.take().map(|built| built.send(()));
            // The list pages put off follow at once, with whatever changed meanwhile. The
            // search documents are gathered once the writer pauses: gathering them takes a
            // rebuild's time at 10,000 pages, which the next edit would wait for.
            let waiting = if deferred {
                queued(&changes)
            } else if search_due {
                match changes.recv_timeout(QUIET) {
                    Ok(batch) => Some(merged(batch, &changes)),
                    Err(RecvTimeoutError::Timeout) => {
                        search.submit(site.search_inputs());
                        next(&changes)
                    }
                    Err(RecvTimeoutError::Disconnected) => None,
                }
            } else {
                next(&changes)
            };
            todo = match waiting {
                Some(todo) => todo,
                None => return,
            };
            if todo.config || crashed {
                if todo.config {
                    eprintln!("fixbook.toml changed: rebuilding everything");
                }
                continue 'config;
            }
        }
    }
}

/// The changes that queued up, merged (none: an empty batch); `None` once the watcher
/// stopped.
fn queued(changes: &Receiver<Changes>) -> Option<Changes> {
    let mut batch = Changes::default();
    loop {
        match changes.try_recv() {
            Ok(more) => batch.merge(more),
            Err(std::sync::mpsc::TryRecvError::Empty) => return Some(batch),
            Err(std::sync::mpsc::TryRecvError::Disconnected) => return None,
        }
    }
}

/// Waits for the next batch of changes and merges any that queued up behind it.
fn next(changes: &Receiver<Changes>) -> Option<Changes> {
    changes.recv().ok().map(|batch| merged(batch, changes))
}

/// `batch` with the changes that queued up behind it.
fn merged(mut batch: Changes, changes: &Receiver<Changes>) -> Changes {
    while let Ok(more) = changes.try_recv() {
        batch.merge(more);
    }
    batch
}

fn report_update(update: &Update, whole: bool) {
    let stats = &update.stats;
    eprintln!(
        "{} in {} ms: {} file(s) read, {} page(s) rendered, {} file(s) changed{}{}",
        if whole { "built" } else { "rebuilt" },
        stats.total.as_millis(),
        stats.files_read,
        stats.pages_rendered,
        update.changed.len(),
        if update.deferred > 0 {
            format!(", {} list page(s) to follow", update.deferred)
        } else {
            String::new()
        },
        if update.warnings.is_empty() {
            String::new()
        } else {
            format!(", {} warning(s)", update.warnings.len())
        }
    );
}

fn report_failure(failure: &Failure) {
    let diagnostics = failure.diagnostics();
    eprint!("{}", diagnostic::render(diagnostics, Format::Human));
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!("build failed: {errors} error(s); still serving the last good build");
}

/// How long the site must stay unchanged before the search stage is given its documents.
const QUIET: Duration = Duration::from_millis(400);

/// Builds the search engine and the status index on its own thread, from the documents the
/// rebuild loop hands it once edits pause; when they come faster than it, only the newest
/// is indexed.
struct SearchStage {
    latest: Arc<Mutex<Option<SearchInputs>>>,
    wake: SyncSender<()>,
}

impl SearchStage {
    fn start(publisher: Arc<Publisher>) -> SearchStage {
        let latest: Arc<Mutex<Option<SearchInputs>>> = Arc::default();
        let (wake, woken) = std::sync::mpsc::sync_channel::<()>(1);
        let shared = Arc::clone(&latest);
        let spawned = std::thread::Builder::new()
            .name("fixbook-search".into())
            .spawn(move || {
                yield_to_rebuilds();
                while woken.recv().is_ok() {
                    let inputs = shared.lock().ok().and_then(|mut latest| latest.take());
                    if let Some(inputs) = inputs {
                        index(&inputs, &publisher);
                    }
                }
            });
        if let Err(err) = spawned {
            eprintln!("warning: cannot start the search thread ({err}): /api/search stays off");
        }
        SearchStage { latest, wake }
    }

    fn submit(&self, inputs: SearchInputs) {
        if let Ok(mut latest) = self.latest.lock() {
            *latest = Some(inputs);
        }
        // A full channel means the thread is already due to wake; a closed one, that it is gone.
        let _ = self.wake.try_send(());
    }
}

/// Lowers the calling thread's priority (and that of the threads it starts: tantivy's
/// indexers inherit it), so that on a machine with few cores an edit's rebuild is not
/// slowed by indexing the one before it. Linux keeps a priority per thread; where the
/// system has none, or refuses, indexing runs as before.
fn yield_to_rebuilds() {
    #[cfg(unix)]
    if let Err(err) = rustix::process::nice(10) {
        eprintln!("note: search indexing keeps its priority ({err})");
    }
}

/// Indexes for `/api/search`, which pages use under `fixbook serve` (`data-api`), and the
/// browser's status index. The static index, which only plain hosting needs, is left to
/// `fixbook build`: pages under `fixbook serve` search through `/api/search`.
fn index(inputs: &SearchInputs, publisher: &Publisher) {
    let started = std::time::Instant::now();
    let status_index = inputs.status_index();
    let mut files: crate::incremental::SiteFiles =
        [(status_index.path, bytes::Bytes::from(status_index.bytes))]
            .into_iter()
            .collect();
    // Each language's pages search its own status index, in its folder.
    for (code, localized) in &inputs.languages {
        let status_index = localized.status_index();
        files.insert(
            format!("{code}/{}", status_index.path),
            bytes::Bytes::from(status_index.bytes),
        );
    }
    let engine_of =
        |inputs: &SearchInputs| match SearchIndex::from_docs(&inputs.docs, inputs.rules.stemmer) {
            Ok(index) => Some(SearchEngine {
                index,
                lookup: inputs.status_lookup(),
                language: inputs.language.clone(),
                languages: std::collections::BTreeMap::new(),
            }),
            Err(err) => {
                eprintln!("warning: cannot build the search index: {err}");
                None
            }
        };
    let engine = engine_of(inputs).map(|mut engine| {
        for (code, localized) in &inputs.languages {
            if let Some(found) = engine_of(localized) {
                engine.languages.insert(code.clone(), found);
            }
        }
        engine
    });
    if engine.is_some() {
        eprintln!(
            "search index of {} pages ready in {} ms",
            inputs.docs.len(),
            started.elapsed().as_millis()
        );
    }
    publisher.search(files, engine);
}
