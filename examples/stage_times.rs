//! Times each build stage on its own (no overlap), to see where a build's CPU goes.
//!
//! usage: cargo run --release --example stage_times -- SITE_ROOT
//! Run with RAYON_NUM_THREADS=1 for single-core costs.

use std::path::PathBuf;
use std::time::Instant;

use fixbook::site::{Discard, Site, SiteOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: stage_times SITE_ROOT")?,
    );
    let t = Instant::now();
    let config = fixbook::config::Config::load(&root).map_err(|d| format!("{d:?}"))?;
    let loaded = fixbook::content::load(&root).map_err(|d| format!("{d:?}"))?;
    eprintln!("load           {:>8.3?}", t.elapsed());
    let t = Instant::now();
    let _ = fixbook::validate::validate(&config, &loaded.library, &loaded.broken);
    eprintln!("validate       {:>8.3?}", t.elapsed());
    let t = Instant::now();
    let renderer = fixbook::render::Renderer::new(&config, &loaded.library);
    eprintln!("renderer::new  {:>8.3?}", t.elapsed());
    let t = Instant::now();
    let (bodies, _) = fixbook::render::render_library(&renderer, &loaded.library);
    eprintln!("render bodies  {:>8.3?}", t.elapsed());
    let t = Instant::now();
    let docs = fixbook::search::documents(&loaded.library, &bodies);
    eprintln!("documents      {:>8.3?}", t.elapsed());
    let t = Instant::now();
    let _ = fixbook::static_search_files(&docs);
    eprintln!("static search  {:>8.3?}", t.elapsed());
    let t = Instant::now();
    let _ = std::fs::remove_dir_all(root.join(".fixbook"));
    fixbook::search::cache::store(&root, &docs)?;
    eprintln!("tantivy        {:>8.3?}", t.elapsed());
    let t = Instant::now();
    let mut theme = fixbook::site::theme::Theme::load(&root).map_err(|d| format!("{d:?}"))?;
    eprintln!("theme          {:>8.3?}", t.elapsed());
    let t = Instant::now();
    let sink = Discard::default();
    Site::new(&config, &loaded.library, &bodies)
        .generate_into(&mut theme, SiteOptions::default(), &sink)
        .map_err(|_| "generate failed")?;
    eprintln!(
        "pages (tera)   {:>8.3?}  {} files",
        t.elapsed(),
        sink.count()
    );
    Ok(())
}
