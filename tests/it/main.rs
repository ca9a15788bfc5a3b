//! fixbook's integration tests: one binary, a module per feature, each over small fixture
//! sites in `tests/fixtures/<case>/`.

mod anchors;
mod browser;
mod browser_guides;
mod browser_privacy;
mod browser_search;
mod build;
mod build_cache;
mod check_formats;
mod diagnostics;
mod guides;
mod guides_checks;
mod guides_incremental;
mod i18n;
mod i18n_search;
mod i18n_serve;
mod incremental;
mod link_check;
mod media;
mod privacy;
mod redirects;
mod release;
mod robustness;
mod robustness_content;
mod robustness_output;
mod robustness_serve;
mod scaffold;
mod search;
mod search_export;
mod serve;
mod shipped;
mod snapshots;
mod static_search;
mod support;
mod theming;
