//! Probing one media file: read it once within its budget, hash it, read its header.

use std::io::{Cursor, Read as _};
use std::path::Path;

use image::{ImageDecoder as _, ImageFormat, ImageReader};

use super::{Format, Media, UNSUPPORTED, plan};
use crate::config::ImagesConfig;
use crate::diagnostic::Diagnostic;

/// Reads the file at `path` (from the site root) within the byte budget: its bytes, or the
/// error naming it.
pub(super) fn read(root: &Path, path: &Path, images: &ImagesConfig) -> Result<Vec<u8>, Diagnostic> {
    let io_error = |err: std::io::Error| {
        Diagnostic::error(path, 0, 0, format!("cannot read this media file: {err}"))
    };
    let file = std::fs::File::open(root.join(path)).map_err(io_error)?;
    let mut bytes = Vec::new();
    // One byte past the budget tells a file over it without trusting a size that may change.
    file.take(images.max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > images.max_bytes {
        let size = std::fs::metadata(root.join(path)).map_or(bytes.len() as u64, |m| m.len());
        return Err(Diagnostic::error(
            path,
            0,
            0,
            format!(
                "this media file is {}, over the {} budget",
                megabytes(size),
                megabytes(images.max_bytes)
            ),
        )
        .with_hint(
            "make it smaller (a screenshot rarely needs more than 2 MB; a video belongs on a \
             video host, linked), or raise `max_megabytes` under `[images]` in fixbook.toml",
        ));
    }
    Ok(bytes)
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// What the file's name says it is, or the error for a format fixbook cannot publish.
pub(super) fn format_of(path: &Path) -> Result<Format, Diagnostic> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let format = match ext.as_str() {
        "png" => Format::Png,
        "jpg" | "jpeg" => Format::Jpeg,
        "webp" => Format::WebP,
        "gif" => Format::Gif,
        "svg" => Format::Svg,
        "mp4" | "m4v" => Format::Mp4,
        "webm" => Format::WebM,
        other => {
            if let Some((_, what)) = UNSUPPORTED.iter().find(|(e, _)| *e == other) {
                return Err(Diagnostic::error(
                    path,
                    0,
                    0,
                    format!("unsupported media format: this is {what}"),
                )
                .with_hint(
                    "convert it: images to PNG (screenshots) or JPEG (photos), videos to MP4 \
                     (H.264) or WebM",
                ));
            }
            Format::Download
        }
    };
    Ok(format)
}

/// Probes one media file: its [`Media`] with any warnings, or the error that keeps it out.
pub(super) fn probe(
    root: &Path,
    path: &Path,
    images: &ImagesConfig,
) -> Result<(Media, Vec<Diagnostic>), Diagnostic> {
    let named = format_of(path)?;
    let bytes = read(root, path, images)?;
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let mut warnings = Vec::new();
    let (format, size, alpha) = match named {
        Format::Png | Format::Jpeg | Format::WebP | Format::Gif => {
            let header = header(path, named, &bytes, images)?;
            if header.gps {
                warnings.push(gps_warning(path));
            }
            (header.format, (header.width, header.height), header.alpha)
        }
        Format::Svg => {
            let cleaned = super::svg::clean(&bytes).map_err(|why| {
                Diagnostic::error(path, 0, 0, format!("this SVG cannot be read: {why}"))
                    .with_hint("open it in a browser or an editor to repair it, or export it again")
            })?;
            for removed in &cleaned.removed {
                warnings.push(
                    Diagnostic::warning(path, 0, 0, format!("removed from the SVG: {removed}"))
                        .with_hint(
                            "published drawings may not run script or load anything from elsewhere",
                        ),
                );
            }
            (Format::Svg, cleaned.size, true)
        }
        Format::Mp4 | Format::WebM => {
            if carries_video_location(&bytes) {
                warnings.push(gps_warning(path));
            }
            (named, (0, 0), false)
        }
        Format::Download => (Format::Download, (0, 0), false),
    };
    let (variants, fallback) = plan(path, format, hash, size, alpha, images);
    let media = Media {
        path: path.to_path_buf(),
        format,
        hash,
        width: size.0,
        height: size.1,
        alpha,
        variants,
        fallback,
    };
    Ok((media, warnings))
}

/// What an image's header tells.
pub(super) struct Header {
    pub format: Format,
    /// Upright width and height (an EXIF rotation applied).
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    pub gps: bool,
}

/// Reads an image's header within the pixel budget; decodes no pixels.
pub(super) fn header(
    path: &Path,
    named: Format,
    bytes: &[u8],
    images: &ImagesConfig,
) -> Result<Header, Diagnostic> {
    let sniffed = image::guess_format(bytes).ok().and_then(|f| match f {
        ImageFormat::Png => Some(Format::Png),
        ImageFormat::Jpeg => Some(Format::Jpeg),
        ImageFormat::WebP => Some(Format::WebP),
        ImageFormat::Gif => Some(Format::Gif),
        _ => None,
    });
    let Some(format) = sniffed else {
        return Err(corrupt(
            path,
            named,
            "its first bytes are not those of any image format fixbook reads",
        ));
    };
    let image_format = image_format(format);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.limits(super::encode::limits(images));
    let mut decoder = reader
        .into_decoder()
        .map_err(|err| corrupt(path, format, &err.to_string()))?;
    let (width, height) = decoder.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    if pixels > images.max_pixels {
        return Err(Diagnostic::error(
            path,
            0,
            0,
            format!(
                "this image is {width} × {height} pixels ({:.1} megapixels), over the {} megapixel budget",
                pixels as f64 / 1e6,
                images.max_pixels / 1_000_000
            ),
        )
        .with_hint("scale it down before adding it (readers see at most a few thousand pixels across), or raise `max_megapixels` under `[images]` in fixbook.toml"));
    }
    if width == 0 || height == 0 {
        return Err(corrupt(path, format, "it has no pixels"));
    }
    let alpha = decoder.color_type().has_alpha();
    let orientation = decoder.orientation().ok();
    let exif = decoder.exif_metadata().ok().flatten();
    let gps = exif.as_deref().is_some_and(exif_has_gps) || xmp_has_gps(bytes);
    let turned = orientation.is_some_and(|o| {
        matches!(
            o,
            image::metadata::Orientation::Rotate90
                | image::metadata::Orientation::Rotate270
                | image::metadata::Orientation::Rotate90FlipH
                | image::metadata::Orientation::Rotate270FlipH
        )
    });
    let (width, height) = if turned {
        (height, width)
    } else {
        (width, height)
    };
    Ok(Header {
        format,
        width,
        height,
        alpha,
        gps,
    })
}

pub(super) fn image_format(format: Format) -> ImageFormat {
    match format {
        Format::Jpeg => ImageFormat::Jpeg,
        Format::WebP => ImageFormat::WebP,
        Format::Gif => ImageFormat::Gif,
        _ => ImageFormat::Png,
    }
}

/// The error for an image whose bytes cannot be read.
pub(super) fn corrupt(path: &Path, format: Format, why: &str) -> Diagnostic {
    let noun = match format {
        Format::Jpeg => "JPEG",
        Format::WebP => "WebP",
        Format::Gif => "GIF",
        _ => "PNG",
    };
    Diagnostic::error(
        path,
        0,
        0,
        format!("this {noun} image is corrupt or truncated: {why}"),
    )
    .with_hint("open it in an image viewer; export or copy it again from the original")
}

fn gps_warning(path: &Path) -> Diagnostic {
    Diagnostic::warning(
        path,
        0,
        0,
        "this file carries a GPS position (where it was taken)",
    )
    .with_hint(
        "the published copies carry no metadata, but the original is in your repository: \
         export it again without location (on iPhone: Share → Options → Location off)",
    )
}

/// Whether EXIF data carries a GPS position.
fn exif_has_gps(raw: &[u8]) -> bool {
    let Ok(exif) = exif::Reader::new().read_raw(raw.to_vec()) else {
        return false;
    };
    [exif::Tag::GPSLatitude, exif::Tag::GPSLongitude]
        .into_iter()
        .any(|tag| exif.get_field(tag, exif::In::PRIMARY).is_some())
}

/// Whether the file holds an XMP packet with a GPS position.
fn xmp_has_gps(bytes: &[u8]) -> bool {
    memchr_find(bytes, b"exif:GPSLatitude").is_some()
}

/// Whether an MP4 or QuickTime file records where it was filmed (`©xyz`, the location
/// phones write).
fn carries_video_location(bytes: &[u8]) -> bool {
    memchr_find(bytes, b"\xa9xyz").is_some()
}

fn memchr_find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_name() {
        assert_eq!(format_of(Path::new("a/b.PNG")).unwrap(), Format::Png);
        assert_eq!(format_of(Path::new("a/b.jpeg")).unwrap(), Format::Jpeg);
        assert_eq!(
            format_of(Path::new("a/manual.pdf")).unwrap(),
            Format::Download
        );
        let heic = format_of(Path::new("content/media/IMG_0001.HEIC")).unwrap_err();
        assert_eq!(
            heic.message,
            "unsupported media format: this is an iPhone photo (HEIC)"
        );
    }

    #[test]
    fn a_location_is_found_in_xmp_and_in_video() {
        assert!(xmp_has_gps(
            b"<x:xmpmeta><rdf:Description exif:GPSLatitude=\"48,51.5N\"/>"
        ));
        assert!(!xmp_has_gps(b"<x:xmpmeta/>"));
        assert!(carries_video_location(
            b"....udta....\xa9xyz+48.8566+002.3522/"
        ));
        assert!(!carries_video_location(b"....moov....mdat"));
    }
}
