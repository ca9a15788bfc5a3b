//! Watching the site's sources: `fixbook.toml`, `content/`, `templates/` and `static/`, debounced,
//! sorted into [`Changes`] for the rebuild loop.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

use notify::RecursiveMode;
use notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::config::STATIC_DIR;
use crate::content::CONTENT_DIR;
use crate::incremental::Changes;
use crate::site::theme::TEMPLATES_DIR;

/// How long a file must be quiet before its change is acted on. Editors save in several
/// steps (write a temporary file, rename it, set attributes); this covers them and stays
/// well inside the time budget of an edit-to-reload cycle.
pub const DEBOUNCE: Duration = Duration::from_millis(15);

/// Starts watching the site at `root` (absolute); changes go to `sink` until it is dropped.
pub fn start(root: &Path, sink: Sender<Changes>) -> Result<(), notify::Error> {
    let (events, received) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, events)?;
    // The root is watched alone for fixbook.toml, and to see the folders below appear.
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    let mut watched = Vec::new();
    watch_folders(root, &mut debouncer, &mut watched);
    let root = root.to_path_buf();
    std::thread::Builder::new()
        .name("fixbook-watch".into())
        .spawn(move || forward(&root, debouncer, watched, &received, &sink))
        .map_err(notify::Error::io)?;
    Ok(())
}

/// Watches `content/`, `templates/` and `static/` when they exist and are not watched yet.
fn watch_folders<W: notify::Watcher, C: notify_debouncer_full::FileIdCache>(
    root: &Path,
    debouncer: &mut notify_debouncer_full::Debouncer<W, C>,
    watched: &mut Vec<PathBuf>,
) {
    for dir in [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR] {
        let path = root.join(dir);
        if path.is_dir() && !watched.contains(&path) {
            match debouncer.watch(&path, RecursiveMode::Recursive) {
                Ok(()) => watched.push(path),
                Err(err) => eprintln!("warning: cannot watch {}: {err}", path.display()),
            }
        }
    }
}

fn forward<W: notify::Watcher, C: notify_debouncer_full::FileIdCache>(
    root: &Path,
    mut debouncer: notify_debouncer_full::Debouncer<W, C>,
    mut watched: Vec<PathBuf>,
    received: &Receiver<DebounceEventResult>,
    sink: &Sender<Changes>,
) {
    let folders = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR].map(|dir| root.join(dir));
    for result in received {
        // content/, templates/ or static/ themselves appeared, vanished or were replaced.
        let mut folder_changed = false;
        let changes = match result {
            Ok(events) if events.iter().any(|e| e.need_rescan()) => Changes::everything(),
            Ok(events) => {
                folder_changed = events
                    .iter()
                    .flat_map(|e| &e.event.paths)
                    .any(|path| folders.contains(path));
                Changes::from_paths(
                    root,
                    events
                        .into_iter()
                        .filter(|e| is_change(&e.event.kind))
                        .flat_map(|e| e.event.paths),
                )
            }
            Err(errors) => {
                for err in errors {
                    eprintln!("warning: file watcher: {err}");
                }
                Changes::everything()
            }
        };
        if changes.is_empty() {
            continue;
        }
        if changes.everything || folder_changed {
            // A folder removed and created again (`rm -rf content && git checkout content`)
            // keeps its old, dead watch under the same path: every watch is made anew.
            for path in watched.drain(..) {
                let _ = debouncer.unwatch(&path);
            }
        }
        watched.retain(|path| path.is_dir());
        watch_folders(root, &mut debouncer, &mut watched);
        if sink.send(changes).is_err() {
            return;
        }
    }
}

/// Whether an event can change what a build reads. Reading a file is an event too (the
/// build's own reads would otherwise trigger the next build); closing it after writing is
/// the one kind of access that matters.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}
