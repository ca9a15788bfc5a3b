//! Times full builds of a generated knowledge base: median wall time, peak memory, and the
//! ratio to copying the finished output folder (the floor for writing that many files).
//!
//! usage: cargo run --release --example bench_build -- N [RUNS] [--fresh]
//!
//! The corpus (see `corpus/mod.rs`) is written once to `target/bench/corpus-N`. Each run is
//! a complete `fixbook build` into `target/bench/out-N`, `.fixbook/` (the build cache)
//! removed first, so every run renders every page and the static search bundle. One warm-up run (file cache) is not counted. Linux only for the memory reading.
//! Runs after the first rebuild over the previous output, as repeated builds do; with
//! `--fresh` each run builds into a new folder instead (`target/bench/fresh-N-RUN`, removed
//! at the end), creating every file, as a build in a clean checkout does.
//!
//! Each counted build is followed by a `cp -r` of its output, and the report gives the
//! median of the per-run ratios: on a shared machine the disk's speed changes from minute
//! to minute, so a build is compared with a copy made at the same time. Dirty pages are
//! flushed (`sync`, not timed) before each timed step so that neither pays for the other.

mod allocator;
#[path = "corpus/mod.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fixbook::site::SiteOptions;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let fresh = args.iter().any(|a| a == "--fresh");
    let args: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let Some(n) = args.first().and_then(|n| n.parse::<usize>().ok()) else {
        eprintln!("usage: bench_build N [RUNS] [--fresh]");
        std::process::exit(2);
    };
    let runs = args
        .get(1)
        .and_then(|r| r.parse::<usize>().ok())
        .unwrap_or(3)
        .max(1);
    let bench = PathBuf::from("target/bench");
    let root = bench.join(format!("corpus-{n}"));
    if !root.join("fixbook.toml").exists() {
        let started = Instant::now();
        let written = corpus::write_corpus(n, &root)?;
        eprintln!(
            "wrote {} articles, {} fixes and {} status messages to {} in {:.1?}",
            written.articles,
            written.fixes,
            written.statuses,
            root.display(),
            started.elapsed()
        );
    }
    let fresh_out = |run: usize| bench.join(format!("fresh-{n}-{run}"));
    let mut out = bench.join(format!("out-{n}"));
    let mut walls = Vec::new();
    let mut copies = Vec::new();
    let mut ratios = Vec::new();
    let mut files = 0;
    for run in 0..=runs {
        let _ = std::fs::remove_dir_all(root.join(".fixbook"));
        if fresh {
            out = fresh_out(run);
            let _ = std::fs::remove_dir_all(&out);
        }
        sync();
        let started = Instant::now();
        let built = fixbook::build(&root, &out, SiteOptions::default(), false)
            .map_err(|failure| format!("the build failed: {:#?}", failure.diagnostics()))?;
        let wall = started.elapsed();
        files = built.files;
        if run == 0 {
            eprintln!("warm-up: {wall:.2?}");
            continue;
        }
        sync();
        let copy = copy_time(&out, &bench.join(format!("copy-{n}-{run}")))?;
        eprintln!("run {run}: build {wall:.2?}, cp -r {copy:.2?}");
        walls.push(wall);
        copies.push(copy);
        ratios.push(wall.as_secs_f64() / copy.as_secs_f64());
    }
    // Copies are removed only now: creating files right after deleting as many is slower
    // on ext4 (it avoids reusing freshly freed inodes), which would flatter the build.
    for run in 1..=runs {
        std::fs::remove_dir_all(bench.join(format!("copy-{n}-{run}")))?;
    }
    let bytes = tree_bytes(&out)?;
    if fresh {
        for run in 0..=runs {
            remove_output(&fresh_out(run))?;
        }
    }
    walls.sort();
    copies.sort();
    ratios.sort_by(f64::total_cmp);
    let median = walls[walls.len() / 2];
    println!("articles           {n}");
    println!("files written      {files}");
    println!("output size        {:.1} MB", bytes as f64 / 1e6);
    println!(
        "build wall time    median {:.2} s (min {:.2}, max {:.2}, {} runs)",
        median.as_secs_f64(),
        walls[0].as_secs_f64(),
        walls[walls.len() - 1].as_secs_f64(),
        walls.len()
    );
    match peak_memory_mb() {
        Some(mb) => println!("peak memory        {mb:.0} MB (resident, whole process)"),
        None => println!("peak memory        unknown (no /proc/self/status)"),
    }
    println!(
        "cp -r of the output median {:.2} s (min {:.2}, max {:.2})",
        copies[copies.len() / 2].as_secs_f64(),
        copies[0].as_secs_f64(),
        copies[copies.len() - 1].as_secs_f64()
    );
    println!(
        "build / copy       median {:.2} (min {:.2}, max {:.2}; each build against the copy after it)",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1]
    );
    Ok(())
}

/// Removes an output folder with the manifests fixbook leaves beside it.
fn remove_output(out: &Path) -> std::io::Result<()> {
    std::fs::remove_dir_all(out)?;
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return Ok(());
    };
    let prefix = format!(".{}.fixbook-", name.to_string_lossy());
    for entry in std::fs::read_dir(parent)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Flushes dirty pages to disk, so the next timed step starts from a clean cache.
fn sync() {
    let _ = std::process::Command::new("sync").status();
}

/// How long `cp -r` takes to copy the built site: the floor for writing it.
fn copy_time(from: &Path, to: &Path) -> Result<Duration, Box<dyn std::error::Error>> {
    let _ = std::fs::remove_dir_all(to);
    let started = Instant::now();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(from)
        .arg(to)
        .status()?;
    let took = started.elapsed();
    if !status.success() {
        return Err(format!("cp -r failed: {status}").into());
    }
    Ok(took)
}

fn tree_bytes(dir: &Path) -> std::io::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            total += tree_bytes(&entry.path())?;
        } else {
            total += entry.metadata()?.len();
        }
    }
    Ok(total)
}

/// The process's peak resident memory (VmHWM), in MB.
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
