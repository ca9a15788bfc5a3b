//! Search latency on a generated knowledge base, through the same pipeline as `fixbook`.
//!
//! usage:
//!   cargo run --release --example gen_corpus -- 10000 /tmp/kb10k
//!   cargo run --release --example bench_search -- /tmp/kb10k
//!
//! Prints the time to build the tantivy index and the p50/p99 latency of 1,000 queries
//! (status messages with and without typos, symptom words, platform-filtered). The static
//! bundle has its own benchmark: `bench_static_search`.

mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fixbook::search::{SearchIndex, StatusLookup, search_all};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    let Some(root) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: bench_search SITE_ROOT");
        std::process::exit(2);
    };
    let started = Instant::now();
    let docs = support::documents(&root);
    println!(
        "documents: {} in {:.2?} (load, validate, render)",
        docs.len(),
        started.elapsed()
    );
    let started = Instant::now();
    let index = SearchIndex::from_docs(&docs, fixbook::search::Stemmer::English)
        .unwrap_or_else(|e| panic!("{e}"));
    let lookup = StatusLookup::from_docs(&docs);
    println!("tantivy index (RAM): {:.2?}", started.elapsed());

    let base = [
        "waiting to upload",
        "waiting to uplaod",
        "PAUSED",
        "syncing with icloud...",
        "Waiting for photos",
        "updatng",
        "photos not syncing",
        "shared album not updating",
        "icloud storage full",
        "restart device",
        "battery power mode",
        "video upload slow",
        "firewall vpn router",
        "optimize storage originals",
    ];
    let platforms = [None, Some("iphone"), None, Some("windows"), None];
    let mut times = Vec::with_capacity(1000);
    for round in 0..1000 {
        let query = base[round % base.len()];
        let platform = platforms[round % platforms.len()];
        let t = Instant::now();
        let hits =
            search_all(&index, &lookup, query, platform, 10).unwrap_or_else(|e| panic!("{e}"));
        times.push(t.elapsed());
        std::hint::black_box(hits);
    }
    times.sort();
    println!(
        "search_all over 1,000 queries: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );
}
