//! Writes a synthetic knowledge base of N articles for benchmarks, in fixbook's format.
//!
//! usage: cargo run --release --example gen_corpus -- N OUTDIR
//!
//! Deterministic: the same N writes the same files. See `corpus/mod.rs` for what the
//! articles contain.

#[path = "corpus/mod.rs"]
mod corpus;

use std::path::Path;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(out)) = (
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!("usage: gen_corpus N OUTDIR");
        std::process::exit(2);
    };
    let out = Path::new(out);
    let written = corpus::write_corpus(n, out)?;
    eprintln!(
        "wrote {} articles, {} fixes and {} status messages to {}",
        written.articles,
        written.fixes,
        written.statuses,
        out.display()
    );
    Ok(())
}
