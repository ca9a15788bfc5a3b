//! `[images]` in `fixbook.toml`: the widths, quality and budgets of published images.

use serde::Deserialize;
use toml::Spanned;

use super::CONFIG_FILE;
use crate::diagnostic::Diagnostic;

/// `[images]`, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImagesConfig {
    /// The widths, in pixels, of each image's responsive set, ascending; a width wider than
    /// the image is left out (nothing is upscaled) and the image's own width is always in.
    pub widths: Vec<u32>,
    /// The width of the image in the universal format (JPEG, or PNG with transparency)
    /// that browsers without WebP load; at most the image's own width.
    pub fallback_width: u32,
    /// WebP and JPEG quality, 1–100.
    pub quality: u8,
    /// The most pixels one image may have.
    pub max_pixels: u64,
    /// The most bytes one media file may have.
    pub max_bytes: u64,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        Self {
            widths: vec![480, 960, 1600],
            fallback_width: 960,
            quality: 80,
            max_pixels: 50_000_000,
            max_bytes: 30 * 1024 * 1024,
        }
    }
}

/// `[images]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawImages {
    widths: Option<Spanned<Vec<u32>>>,
    fallback_width: Option<Spanned<u32>>,
    quality: Option<Spanned<u8>>,
    max_megapixels: Option<Spanned<u32>>,
    max_megabytes: Option<Spanned<u32>>,
}

impl RawImages {
    /// Checks every value of `[images]`; `text` is the file, for positions.
    pub(super) fn validate(self, text: &str) -> (ImagesConfig, Vec<Diagnostic>) {
        let mut config = ImagesConfig::default();
        let mut diagnostics = Vec::new();
        let mut error = |span: std::ops::Range<usize>, message: String, hint: &str| {
            let (line, column) = crate::diagnostic::line_col(text, span.start);
            diagnostics.push(Diagnostic::error(CONFIG_FILE, line, column, message).with_hint(hint));
        };
        if let Some(widths) = self.widths {
            let mut list = widths.get_ref().clone();
            list.sort_unstable();
            list.dedup();
            if list.is_empty() || list.iter().any(|w| !(16..=8192).contains(w)) {
                error(
                    widths.span(),
                    "`widths` must list widths from 16 to 8192 pixels".to_owned(),
                    "e.g. `widths = [480, 960, 1600]`; leave it out for those",
                );
            } else {
                config.widths = list;
            }
        }
        if let Some(width) = self.fallback_width {
            if (16..=8192).contains(width.get_ref()) {
                config.fallback_width = *width.get_ref();
            } else {
                error(
                    width.span(),
                    format!(
                        "`fallback_width` {} is not from 16 to 8192",
                        width.get_ref()
                    ),
                    "e.g. `fallback_width = 960`",
                );
            }
        }
        if let Some(quality) = self.quality {
            if (1..=100).contains(quality.get_ref()) {
                config.quality = *quality.get_ref();
            } else {
                error(
                    quality.span(),
                    format!("`quality` {} is not from 1 to 100", quality.get_ref()),
                    "80 keeps screenshots sharp at a third of their PNG size",
                );
            }
        }
        if let Some(mp) = self.max_megapixels {
            if *mp.get_ref() == 0 {
                error(
                    mp.span(),
                    "`max_megapixels` must be at least 1".to_owned(),
                    "e.g. `max_megapixels = 50`",
                );
            } else {
                config.max_pixels = u64::from(*mp.get_ref()) * 1_000_000;
            }
        }
        if let Some(mb) = self.max_megabytes {
            if *mb.get_ref() == 0 {
                error(
                    mb.span(),
                    "`max_megabytes` must be at least 1".to_owned(),
                    "e.g. `max_megabytes = 30`",
                );
            } else {
                config.max_bytes = u64::from(*mb.get_ref()) * 1024 * 1024;
            }
        }
        (config, diagnostics)
    }
}
