//! Time and memory of the static search bundle alone, on a generated knowledge base.
//!
//! usage:
//!   cargo run --release --example gen_corpus -- 10000 /tmp/kb10k
//!   /usr/bin/time -f "%e s %M KB" \
//!       target/release/examples/bench_static_search /tmp/kb10k [OUT_DIR]
//!
//! Loads the documents through the same pipeline as `fixbook build`, then times
//! `build_static_bundle` alone and prints the current and peak resident memory before and
//! after it (from /proc/self/status, Linux): when the peak rises, the bundle's own share is
//! at most the new peak minus the memory in use before it. With `OUT_DIR`,
//! writes the bundle there to measure what a query downloads.

mod support;

use std::path::PathBuf;
use std::time::Instant;

use fixbook::search::{StatusLookup, build_static_bundle};

/// A memory figure of this process from /proc/self/status, in MB (0 where it is missing):
/// `VmHWM` is the peak resident size so far, `VmRSS` the current one.
fn memory_mb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
                .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: bench_static_search SITE_ROOT [OUT_DIR]");
        std::process::exit(2);
    };
    let out_dir = args.next().map(PathBuf::from);
    let started = Instant::now();
    let docs = support::documents(&root);
    let lookup = StatusLookup::from_docs(&docs);
    println!(
        "documents: {} in {:.2?}; memory now {} MB, peak so far {} MB",
        docs.len(),
        started.elapsed(),
        memory_mb("VmRSS"),
        memory_mb("VmHWM")
    );

    let started = Instant::now();
    let bundle = build_static_bundle(&docs, &lookup).unwrap_or_else(|e| panic!("{e}"));
    let elapsed = started.elapsed();
    println!(
        "build_static_bundle: {elapsed:.2?}; memory now {} MB, peak so far {} MB",
        memory_mb("VmRSS"),
        memory_mb("VmHWM")
    );

    let mut kinds: std::collections::BTreeMap<String, (usize, usize, usize)> = Default::default();
    for (path, bytes) in &bundle {
        // Shards and document chunks are grouped by folder, the other files listed by name.
        let kind = match path.rsplit_once('/') {
            Some((dir, _)) if dir.contains('/') => format!("{dir}/"),
            _ => path.clone(),
        };
        let entry = kinds.entry(kind).or_default();
        entry.0 += 1;
        entry.1 += bytes.len();
        entry.2 = entry.2.max(bytes.len());
    }
    let total: usize = bundle.iter().map(|(_, bytes)| bytes.len()).sum();
    println!("bundle: {} files, {total} bytes", bundle.len());
    for (kind, (count, size, largest)) in kinds {
        println!(
            "  {kind:<32} {count:>6} files {size:>11} bytes (avg {}, largest {largest})",
            size / count.max(1)
        );
    }

    if let Some(dir) = out_dir {
        for (path, bytes) in &bundle {
            let file = dir.join(path);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(&file, bytes).unwrap_or_else(|e| panic!("{e}"));
        }
        println!("written to {}", dir.display());
    }
}
