//! Decoding an image within its budget, turning it upright and into sRGB, resizing it, and
//! encoding WebP (libwebp), JPEG and PNG. Encoding from decoded pixels writes no metadata:
//! EXIF, GPS, XMP, comments and camera serial numbers stay behind in the source.

use std::io::Cursor;

use fast_image_resize::{self as fir, images::Image as FirImage};
use image::{DynamicImage, ImageDecoder as _, ImageReader};

use super::Format;
use crate::config::ImagesConfig;

/// Decoder limits for one image: its pixel budget, with room for 16-bit channels.
pub(super) fn limits(images: &ImagesConfig) -> image::Limits {
    let mut limits = image::Limits::default();
    let side = u32::try_from(images.max_pixels.min(u64::from(u32::MAX))).unwrap_or(u32::MAX);
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    limits.max_alloc = Some(images.max_pixels.saturating_mul(8).saturating_add(64 << 20));
    limits
}

/// Upright sRGB pixels, 8 bits per channel: RGB, or RGBA when the image has alpha.
pub(super) struct Pixels {
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    pub data: Vec<u8>,
}

impl Pixels {
    fn channels(&self) -> usize {
        if self.alpha { 4 } else { 3 }
    }
}

/// Decodes a PNG, JPEG or WebP image fully (which finds truncation and corruption),
/// applies its EXIF orientation and converts its colours to sRGB from its ICC profile.
pub(super) fn decode(
    bytes: &[u8],
    format: Format,
    images: &ImagesConfig,
) -> Result<Pixels, String> {
    let mut reader =
        ImageReader::with_format(Cursor::new(bytes), super::probe::image_format(format));
    reader.limits(limits(images));
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().ok();
    let icc = decoder.icc_profile().ok().flatten();
    let alpha = decoder.color_type().has_alpha();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    let (width, height) = (image.width(), image.height());
    let mut data = if alpha {
        image.into_rgba8().into_raw()
    } else {
        image.into_rgb8().into_raw()
    };
    if let Some(icc) = icc {
        to_srgb(&icc, alpha, &mut data);
    }
    Ok(Pixels {
        width,
        height,
        alpha,
        data,
    })
}

/// Converts pixels from the colour space `icc` describes to sRGB. A profile that cannot
/// be read leaves the pixels as they are (most such files are sRGB already).
fn to_srgb(icc: &[u8], alpha: bool, data: &mut [u8]) {
    let Ok(source) = moxcms::ColorProfile::new_from_slice(icc) else {
        return;
    };
    let srgb = moxcms::ColorProfile::new_srgb();
    let layout = if alpha {
        moxcms::Layout::Rgba
    } else {
        moxcms::Layout::Rgb
    };
    // Only RGB profiles map to RGB pixels; a grey or CMYK profile on pixels the decoder
    // already expanded to RGB would not fit.
    if source.color_space != moxcms::DataColorSpace::Rgb {
        return;
    }
    let Ok(transform) =
        source.create_transform_8bit(layout, &srgb, layout, moxcms::TransformOptions::default())
    else {
        return;
    };
    let input = data.to_vec();
    // A failed transform keeps the original pixels rather than half-converted ones.
    if transform.transform(&input, data).is_err() {
        data.copy_from_slice(&input);
    }
}

/// The pixels scaled to `width` (and the matching height), with a Lanczos filter.
pub(super) fn resize(pixels: &Pixels, width: u32, height: u32) -> Result<Pixels, String> {
    let kind = if pixels.alpha {
        fir::PixelType::U8x4
    } else {
        fir::PixelType::U8x3
    };
    let source = fir::images::ImageRef::new(pixels.width, pixels.height, &pixels.data, kind)
        .map_err(|e| e.to_string())?;
    let mut target = FirImage::new(width, height, kind);
    let options = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3));
    fir::Resizer::new()
        .resize(&source, &mut target, &options)
        .map_err(|e| e.to_string())?;
    Ok(Pixels {
        width,
        height,
        alpha: pixels.alpha,
        data: target.into_vec(),
    })
}

/// Encodes the pixels in `format` (WebP, JPEG or PNG) at `quality`.
pub(super) fn encode(pixels: &Pixels, format: Format, quality: u8) -> Result<Vec<u8>, String> {
    debug_assert_eq!(
        pixels.data.len(),
        pixels.width as usize * pixels.height as usize * pixels.channels()
    );
    match format {
        Format::WebP => webp(pixels, quality),
        Format::Jpeg => {
            let mut out = Vec::new();
            let (width, height) = (
                u16::try_from(pixels.width).map_err(|_| "too wide for JPEG".to_owned())?,
                u16::try_from(pixels.height).map_err(|_| "too tall for JPEG".to_owned())?,
            );
            let color = if pixels.alpha {
                jpeg_encoder::ColorType::Rgba
            } else {
                jpeg_encoder::ColorType::Rgb
            };
            jpeg_encoder::Encoder::new(&mut out, quality)
                .encode(&pixels.data, width, height, color)
                .map_err(|e| e.to_string())?;
            Ok(out)
        }
        _ => {
            let mut out = Vec::new();
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Default,
                image::codecs::png::FilterType::Adaptive,
            );
            let color = if pixels.alpha {
                image::ExtendedColorType::Rgba8
            } else {
                image::ExtendedColorType::Rgb8
            };
            image::ImageEncoder::write_image(
                encoder,
                &pixels.data,
                pixels.width,
                pixels.height,
                color,
            )
            .map_err(|e| e.to_string())?;
            Ok(out)
        }
    }
}

/// Lossy WebP, single-threaded (deterministic).
fn webp(pixels: &Pixels, quality: u8) -> Result<Vec<u8>, String> {
    let layout = if pixels.alpha {
        webp::PixelLayout::Rgba
    } else {
        webp::PixelLayout::Rgb
    };
    let mut config =
        webp::WebPConfig::new().map_err(|()| "libwebp refused its configuration".to_owned())?;
    config.quality = f32::from(quality);
    config.method = WEBP_METHOD;
    config.thread_level = 0;
    config.alpha_compression = 1;
    let encoder = webp::Encoder::new(&pixels.data, layout, pixels.width, pixels.height);
    let memory = encoder
        .encode_advanced(&config)
        .map_err(|err| format!("WebP encoding failed: {err:?}"))?;
    Ok(memory.to_vec())
}

/// libwebp's effort, 0 (fastest) to 6 (smallest). Measured on phone screenshots
/// (`examples/bench_codecs.rs`): 2 encodes in about half the time of libwebp's default 4
/// for 4–8 % more bytes.
const WEBP_METHOD: i32 = 2;
