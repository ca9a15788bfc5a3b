//! What the benchmark examples share (not an example itself: Cargo builds only
//! `examples/*.rs` and `examples/*/main.rs`).

use std::path::Path;

use fixbook::search::SearchDoc;

/// The search documents of the site at `root`, through the same pipeline as `fixbook build`;
/// exits with the diagnostics when the site does not validate.
pub fn documents(root: &Path) -> Vec<SearchDoc> {
    match fixbook::search_documents(root) {
        Ok((_, docs)) => docs,
        Err(failure) => {
            eprintln!("{:?}", failure.diagnostics());
            std::process::exit(1);
        }
    }
}
