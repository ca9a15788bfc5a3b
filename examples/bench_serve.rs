//! The writers' loop at scale: how long `fixbook serve` takes to rebuild after an edit,
//! through the same incremental pipeline, without the watcher and HTTP around it.
//!
//! usage:
//!   cargo run --release --example gen_corpus -- 10000 /tmp/kb10k
//!   cargo run --release --example bench_serve -- /tmp/kb10k
//!
//! Prints the first (full) build, then the median of several rebuilds for each kind of edit
//! with its stages: content (read + render bodies), validate, plan (back-links and page
//! fingerprints), pages (render what changed). The files it edits are restored at the end.
//! The watcher adds its debounce (15 ms) and the server its event delivery on top.

mod allocator;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fixbook::config::Config;
use fixbook::incremental::{Changes, Incremental, Stats};
use fixbook::site::SiteOptions;

/// One kind of edit: for a round, the files to write (or, with `None`, to delete).
type Edit<'a> = dyn Fn(usize) -> Vec<(PathBuf, Option<String>)> + 'a;

/// One rebuild: until its edit is published, what it did, the files it changed, and, when
/// lists were put off, until they followed and how many pages they were.
type Run = (Duration, Stats, usize, Option<(Duration, usize)>);

/// Rebuilds per kind of edit.
const ROUNDS: usize = 7;

fn main() {
    let Some(root) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: bench_serve SITE_ROOT");
        std::process::exit(2);
    };
    let root = root.canonicalize().unwrap_or(root);
    let config = match Config::load(&root) {
        Ok(config) => config,
        Err(diagnostics) => {
            eprintln!("{diagnostics:#?}");
            std::process::exit(2);
        }
    };
    // As `fixbook serve` runs it: many changed list pages follow the edited pages.
    let mut site = Incremental::new(&root, &config, SiteOptions { live_reload: true })
        .deferring_lists(fixbook::incremental::DEFER_ABOVE);
    let started = Instant::now();
    let first = match site.rebuild(&Changes::everything()) {
        Ok(update) => update,
        Err(failure) => {
            eprintln!("{:#?}", failure.diagnostics());
            std::process::exit(1);
        }
    };
    let stats = first.stats;
    println!(
        "first build: {} ms, {} files ({} articles) | content {:.0} + validate {:.0} + plan {:.0} + pages {:.0} ms",
        started.elapsed().as_millis(),
        first.files.len(),
        site.library().articles.len(),
        ms(stats.content),
        ms(stats.validate),
        ms(stats.plan),
        ms(stats.pages),
    );
    let t = Instant::now();
    let found = fixbook::validate::validate(&config, site.library(), &Default::default());
    let validate = t.elapsed();
    let t = Instant::now();
    let graph = fixbook::site::Graph::new(site.library());
    println!(
        "whole-library passes of every rebuild: validate {:.1} ms ({} diagnostics), back-links {:.1} ms ({} tags)",
        ms(validate),
        found.len(),
        ms(t.elapsed()),
        graph.tags.len()
    );
    let docs_started = Instant::now();
    let inputs = site.search_inputs();
    println!(
        "search documents: {} ms ({} docs); the search stage follows on its own thread",
        docs_started.elapsed().as_millis(),
        inputs.docs.len()
    );

    let articles: Vec<PathBuf> = site
        .library()
        .articles
        .iter()
        .map(|a| root.join(&a.source.path))
        .collect();
    let fixes: Vec<PathBuf> = site
        .library()
        .fixes
        .iter()
        .map(|f| root.join(&f.source.path))
        .collect();
    let pick = |list: &[PathBuf], round: usize| list[(round * 7919 + 13) % list.len()].clone();

    let edits: [(&str, &Edit<'_>); 5] = [
        ("article body", &|round| {
            let path = pick(&articles, round);
            vec![(
                path.clone(),
                Some(append(&path, &format!("\nEdited in round {round}.\n"))),
            )]
        }),
        ("article title", &|round| {
            let path = pick(&articles, round);
            vec![(
                path.clone(),
                Some(replace_line(
                    &path,
                    "title:",
                    &format!("title: \"Edited title {round}\""),
                )),
            )]
        }),
        ("fix title (a fix ~40 articles use)", &|round| {
            let path = pick(&fixes, round);
            vec![(
                path.clone(),
                Some(replace_line(
                    &path,
                    "title:",
                    &format!("title: \"Edited fix {round}\""),
                )),
            )]
        }),
        ("new article", &|round| {
            let path = root.join(format!("content/articles/bench-new-{round}.md"));
            let text = format!(
                "---\ntitle: New article {round}\ndate: 2026-01-01\nplatforms: [mac]\ntags: [sync]\n---\n\nA new article.\n"
            );
            vec![(path, Some(text))]
        }),
        ("deleted article", &|round| {
            vec![(
                root.join(format!("content/articles/bench-new-{round}.md")),
                None,
            )]
        }),
    ];

    let mut originals: Vec<(PathBuf, Option<String>)> = Vec::new();
    let mut failed = false;
    'edits: for (what, edit) in edits {
        // Until the edit is published, then until the lists put off follow.
        let mut runs: Vec<Run> = Vec::new();
        for round in 0..ROUNDS {
            let changes = edit(round);
            for (path, text) in &changes {
                if !originals.iter().any(|(p, _)| p == path) {
                    originals.push((path.clone(), std::fs::read_to_string(path).ok()));
                }
                match text {
                    Some(text) => write(path, text),
                    None => {
                        let _ = std::fs::remove_file(path);
                    }
                }
            }
            let started = Instant::now();
            let paths = changes.into_iter().map(|(path, _)| path);
            let update = match site.rebuild(&Changes::from_paths(&root, paths)) {
                Ok(update) => update,
                Err(failure) => {
                    eprintln!("{what}: {:#?}", failure.diagnostics());
                    failed = true;
                    break 'edits;
                }
            };
            let published = started.elapsed();
            let lists = if update.deferred > 0 {
                match site.rebuild(&Changes::default()) {
                    Ok(rest) => Some((started.elapsed(), rest.stats.pages_rendered)),
                    Err(failure) => {
                        eprintln!("{what}, the lists: {:#?}", failure.diagnostics());
                        failed = true;
                        break 'edits;
                    }
                }
            } else {
                None
            };
            runs.push((published, update.stats, update.changed.len(), lists));
        }
        runs.sort_by_key(|(elapsed, ..)| *elapsed);
        let (elapsed, stats, changed, _) = &runs[runs.len() / 2];
        let mut lists: Vec<(Duration, usize)> = runs.iter().filter_map(|run| run.3).collect();
        lists.sort();
        let lists = match lists.get(lists.len() / 2) {
            Some((done, pages)) => format!(
                "; {pages} list page(s) follow, all done at {:.1} ms",
                ms(*done)
            ),
            None => String::new(),
        };
        println!(
            "{what}: median {:.1} ms (min {:.1}, max {:.1}) | content {:.1} + validate {:.1} + plan {:.1} + pages {:.1} ms | {} page(s) rendered, {changed} file(s) changed{lists}",
            ms(*elapsed),
            ms(runs[0].0),
            ms(runs[runs.len() - 1].0),
            ms(stats.content),
            ms(stats.validate),
            ms(stats.plan),
            ms(stats.pages),
            stats.pages_rendered,
        );
    }

    for (path, text) in originals {
        match text {
            Some(text) => write(&path, &text),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
}

fn append(path: &Path, text: &str) -> String {
    read(path) + text
}

fn replace_line(path: &Path, prefix: &str, line: &str) -> String {
    read(path)
        .lines()
        .map(|l| {
            if l.starts_with(prefix) {
                line.to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
