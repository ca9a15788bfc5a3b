//! The files a media file is published as, named after its content and the settings.

use std::path::Path;

use super::{Format, OUTPUT_DIR, PIPELINE_VERSION, Variant};
use crate::config::ImagesConfig;

/// The variants a media file of `format` and natural size gets, named after its content.
pub(super) fn plan(
    path: &Path,
    format: Format,
    hash: u64,
    (width, height): (u32, u32),
    alpha: bool,
    images: &ImagesConfig,
) -> (Vec<Variant>, Option<Variant>) {
    let stem = published_stem(path);
    let tag = name_tag(hash, images);
    let named = |w: u32, format: Format, ext: &str| {
        let h = scaled_height(width, height, w);
        Variant {
            path: format!("{OUTPUT_DIR}/{stem}.{tag}.{w}.{ext}"),
            width: w,
            height: h,
            format,
        }
    };
    if format.is_raster() {
        let mut widths: Vec<u32> = images
            .widths
            .iter()
            .copied()
            .filter(|w| *w < width)
            .collect();
        widths.push(width);
        let variants = widths
            .into_iter()
            .map(|w| named(w, Format::WebP, "webp"))
            .collect();
        let fallback_width = images.fallback_width.min(width);
        let fallback = if alpha {
            named(fallback_width, Format::Png, "png")
        } else {
            named(fallback_width, Format::Jpeg, "jpg")
        };
        return (variants, Some(fallback));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_else(|| "bin".to_owned());
    let ext = if ext.chars().all(|c| c.is_ascii_alphanumeric()) && !ext.is_empty() {
        ext
    } else {
        "bin".to_owned()
    };
    let one = Variant {
        path: format!("{OUTPUT_DIR}/{stem}.{tag}.{ext}"),
        width,
        height,
        format,
    };
    (vec![one], None)
}

/// The height of an image `width` × `height` scaled to `to` pixels wide, at least 1.
fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    if width == 0 {
        return height;
    }
    let scaled = (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(scaled.max(1)).unwrap_or(u32::MAX)
}

/// A file name safe in any URL and on any file system, from the media file's own name.
fn published_stem(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = crate::id::slugify(&stem);
    if slug.is_empty() {
        "file".to_owned()
    } else {
        slug
    }
}

/// Eight hex digits that change with the file's content and with every setting that
/// changes what is published from it: long-lived caches can keep the files forever.
fn name_tag(hash: u64, images: &ImagesConfig) -> String {
    format!("{:08x}", settings_digest(hash, images) >> 32)
}

/// The digest of a file's content together with the processing settings.
pub(super) fn settings_digest(hash: u64, images: &ImagesConfig) -> u64 {
    let mut key = Vec::with_capacity(64);
    key.extend_from_slice(&hash.to_le_bytes());
    key.extend_from_slice(&PIPELINE_VERSION.to_le_bytes());
    for w in &images.widths {
        key.extend_from_slice(&w.to_le_bytes());
    }
    key.extend_from_slice(&images.fallback_width.to_le_bytes());
    key.push(images.quality);
    xxhash_rust::xxh3::xxh3_64(&key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_never_wider_than_the_image_and_include_its_own_width() {
        let images = ImagesConfig::default();
        let (set, fallback) = plan(
            Path::new("content/media/Shared Albums.png"),
            Format::Png,
            7,
            (1170, 2532),
            false,
            &images,
        );
        let widths: Vec<u32> = set.iter().map(|v| v.width).collect();
        assert_eq!(widths, [480, 960, 1170]);
        assert_eq!(set[1].height, 2078);
        assert!(set[0].path.starts_with("media/shared-albums."));
        assert!(set[0].path.ends_with(".480.webp"));
        let fallback = fallback.unwrap();
        assert_eq!((fallback.width, fallback.format), (960, Format::Jpeg));
    }

    #[test]
    fn a_transparent_image_falls_back_to_png_and_a_small_one_keeps_its_width() {
        let (set, fallback) = plan(
            Path::new("a/icon.webp"),
            Format::WebP,
            7,
            (300, 200),
            true,
            &ImagesConfig::default(),
        );
        assert_eq!(set.len(), 1);
        let fallback = fallback.unwrap();
        assert_eq!(
            (fallback.width, fallback.height, fallback.format),
            (300, 200, Format::Png)
        );
    }

    #[test]
    fn names_change_with_content_and_settings() {
        let images = ImagesConfig::default();
        let quality = ImagesConfig {
            quality: 60,
            ..ImagesConfig::default()
        };
        assert_ne!(name_tag(1, &images), name_tag(2, &images));
        assert_ne!(name_tag(1, &images), name_tag(1, &quality));
        assert_eq!(name_tag(1, &images), name_tag(1, &images.clone()));
    }
}
