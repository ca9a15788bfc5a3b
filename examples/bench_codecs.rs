//! Times the steps fixbook's image pipeline takes for one image, and what the encoder's
//! settings cost and save: the evidence behind the media defaults.
//!
//! ```sh
//! cargo run --release --example bench_codecs -- IMAGE.png [IMAGE.jpg …]
//! ```
//! For each image: decode, resize to 480/960 px and the WebP encoder at effort (method) 0–6
//! (and at 2 with one segment, which skips the analysis pass),
//! with the bytes each gives, then lossless WebP and JPEG at 960 px.

use std::time::Instant;

use fast_image_resize as fir;

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: bench_codecs IMAGE…");
        std::process::exit(2);
    }
    for path in paths {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(err) => {
                eprintln!("{path}: {err}");
                continue;
            }
        };
        let started = Instant::now();
        let Ok(image) = image::load_from_memory(&bytes) else {
            eprintln!("{path}: not an image");
            continue;
        };
        let rgb = image.into_rgb8();
        let (width, height) = rgb.dimensions();
        println!(
            "{path}: {width}×{height}, {} KB, decoded in {:.1} ms",
            bytes.len() / 1024,
            ms(started)
        );
        let data = rgb.into_raw();
        for target in [480u32, 960, width] {
            let target_height = (u64::from(height) * u64::from(target) / u64::from(width)) as u32;
            let started = Instant::now();
            let resized = resize(&data, width, height, target, target_height);
            let resize_ms = ms(started);
            let mut row = format!("  {target:>5} px: resize {resize_ms:5.1} ms; webp q80");
            for (method, segments) in [(0, 4), (2, 4), (2, 1), (4, 4), (6, 4)] {
                let started = Instant::now();
                let size = webp(&resized, target, target_height, method, segments, false);
                let label = if segments == 4 {
                    String::new()
                } else {
                    format!(" s{segments}")
                };
                row.push_str(&format!(
                    " m{method}{label} {:6.1} ms {:5} KB;",
                    ms(started),
                    size / 1024
                ));
            }
            if target == 960 {
                let started = Instant::now();
                let size = webp(&resized, target, target_height, 4, 4, true);
                row.push_str(&format!(
                    " lossless {:6.1} ms {:5} KB;",
                    ms(started),
                    size / 1024
                ));
                let started = Instant::now();
                let mut out = Vec::new();
                let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
                let _ = image::ImageEncoder::write_image(
                    encoder,
                    &resized,
                    target,
                    target_height,
                    image::ExtendedColorType::Rgb8,
                );
                row.push_str(&format!(
                    " jpeg q80 {:6.1} ms {:5} KB",
                    ms(started),
                    out.len() / 1024
                ));
            }
            println!("{row}");
        }
    }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

fn resize(data: &[u8], width: u32, height: u32, to_w: u32, to_h: u32) -> Vec<u8> {
    if to_w == width {
        return data.to_vec();
    }
    let Ok(source) =
        fir::images::Image::from_vec_u8(width, height, data.to_vec(), fir::PixelType::U8x3)
    else {
        return Vec::new();
    };
    let mut target = fir::images::Image::new(to_w, to_h, fir::PixelType::U8x3);
    let options = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3));
    if fir::Resizer::new()
        .resize(&source, &mut target, &options)
        .is_err()
    {
        return Vec::new();
    }
    target.into_vec()
}

fn webp(data: &[u8], width: u32, height: u32, method: i32, segments: i32, lossless: bool) -> usize {
    let Ok(mut config) = webp::WebPConfig::new() else {
        return 0;
    };
    config.quality = if lossless { 25.0 } else { 80.0 };
    config.lossless = i32::from(lossless);
    config.method = method;
    config.segments = segments;
    config.thread_level = 0;
    webp::Encoder::new(data, webp::PixelLayout::Rgb, width, height)
        .encode_advanced(&config)
        .map_or(0, |m| m.len())
}
