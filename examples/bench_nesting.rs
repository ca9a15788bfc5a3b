//! Times rendering bodies of nested raw HTML, to keep the cost linear in the size of a file:
//! `<div>` nested N deep (refused past the nesting budget with an error, so it costs only the
//! scan), and N `<div>`s in balanced blocks as deep as the budget allows (parsed in full).
//!
//! usage: cargo run --release --example bench_nesting -- [N…]   (default 10000 20000 40000 100000)
//!
//! The site is the shipped knowledge base (for its configuration and links); each body is
//! rendered once as a warm-up and then timed as the median of five renders.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fixbook::content::SourceFile;
use fixbook::render::Renderer;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|n| n.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 20_000, 40_000, 100_000]
    } else {
        sizes
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = fixbook::config::Config::load(root).map_err(|d| format!("{d:?}"))?;
    let library = fixbook::content::load(root)
        .map_err(|d| format!("{d:?}"))?
        .library;
    let renderer = Renderer::new(&config, &library);
    println!("| divs | bytes | nested N deep (refused) | balanced, 500 deep |");
    println!("|---:|---:|---:|---:|");
    for n in sizes {
        let deep = format!("Intro.\n\n{}\n", "<div>".repeat(n));
        let block = format!("{}x{}", "<div>".repeat(500), "</div>".repeat(500));
        let balanced = format!("Intro.\n\n{}\n", block.repeat(n.div_ceil(500)));
        println!(
            "| {n} | {} | {:.1} ms | {:.1} ms |",
            deep.len(),
            millis(median(&renderer, &deep)),
            millis(median(&renderer, &balanced))
        );
    }
    Ok(())
}

/// The median time of five renders of `body`, after one not counted.
fn median(renderer: &Renderer<'_>, body: &str) -> Duration {
    let source = SourceFile {
        path: PathBuf::from("content/articles/nested.md"),
        body: body.to_owned(),
        body_line: 6,
        lang: None,
        unverified: None,
    };
    let _ = renderer.render(&source, "t");
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            let _ = std::hint::black_box(renderer.render(&source, "t"));
            started.elapsed()
        })
        .collect();
    times.sort();
    times[2]
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
