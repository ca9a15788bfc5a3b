//! fixbook's integration tests: one binary, a module per feature, each over small fixture
//! sites in `tests/fixtures/<case>/`.

mod build;
mod diagnostics;
mod shipped;
mod snapshots;
mod support;
