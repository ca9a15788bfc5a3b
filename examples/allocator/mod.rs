//! The allocator of the `fixbook` command, so that timings taken in-process measure what
//! users run (not an example itself: Cargo builds only `examples/*.rs` and
//! `examples/*/main.rs`).

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
