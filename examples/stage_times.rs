//! Times each build stage on its own (no overlap), to see where a build's CPU goes.
//!
//! usage: cargo run --release --example stage_times -- SITE_ROOT
//! Each line gives the stage's wall time and the CPU time the process spent in it (user +
//! system, all threads; from /proc/self/stat, Linux only), which a busy machine disturbs
//! less than the wall time. Run with RAYON_NUM_THREADS=1 for single-core costs.

mod allocator;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fixbook::site::{Discard, Site, SiteOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: stage_times SITE_ROOT")?,
    );
    let t = Stopwatch::start();
    let config = fixbook::config::Config::load(&root).map_err(|d| format!("{d:?}"))?;
    let mut loaded = fixbook::content::load(&root).map_err(|d| format!("{d:?}"))?;
    eprintln!("{}", t.lap("load"));
    let t = Stopwatch::start();
    let _ = fixbook::validate::validate(&config, &loaded.library, &loaded.broken);
    eprintln!("{}", t.lap("validate"));
    let t = Stopwatch::start();
    let renderer = fixbook::render::Renderer::new(&config, &loaded.library);
    eprintln!("{}", t.lap("renderer::new"));
    let t = Stopwatch::start();
    let (bodies, _) = fixbook::render::render_library(&renderer, &mut loaded.library);
    eprintln!("{}", t.lap("render bodies"));
    let t = Stopwatch::start();
    let docs = fixbook::search::documents(&loaded.library, &bodies);
    eprintln!("{}", t.lap("documents"));
    let t = Stopwatch::start();
    let _ =
        fixbook::search::static_files(&docs, &fixbook::search::QueryRules::from_config(&config));
    eprintln!("{}", t.lap("static search"));
    let t = Stopwatch::start();
    let _ = std::fs::remove_dir_all(root.join(".fixbook"));
    let stemmer = fixbook::search::Stemmer::for_tag(&config.language);
    fixbook::search::cache::store(&root, &docs, stemmer)?;
    eprintln!("{}", t.lap("tantivy"));
    let t = Stopwatch::start();
    let mut theme = fixbook::site::theme::Theme::load(&root).map_err(|d| format!("{d:?}"))?;
    eprintln!("{}", t.lap("theme"));
    let t = Stopwatch::start();
    let sink = Discard::default();
    Site::new(&config, &loaded.library, &bodies)
        .generate_into(&mut theme, SiteOptions::default(), &sink)
        .map_err(|_| "generate failed")?;
    eprintln!("{}  {} files", t.lap("pages (tera)"), sink.count());
    Ok(())
}

/// Wall time and process CPU time since it started.
struct Stopwatch {
    wall: Instant,
    cpu: Duration,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            wall: Instant::now(),
            cpu: process_cpu(),
        }
    }

    fn lap(&self, stage: &str) -> String {
        let cpu = process_cpu().saturating_sub(self.cpu);
        format!(
            "{stage:<14} {:>8.3?} wall {:>8.3?} cpu",
            self.wall.elapsed(),
            cpu
        )
    }
}

/// User + system time of this process so far (clock ticks of 10 ms).
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<u64> = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse().ok())
        .collect();
    Duration::from_millis(fields.iter().sum::<u64>() * 10)
}
