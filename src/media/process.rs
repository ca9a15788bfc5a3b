//! Processing the media files pages refer to into the files the site publishes.

use std::collections::{BTreeSet, HashSet};
use std::io::{self, Cursor};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::cache::{Cache, Lookup};
use super::encode;
use super::{Catalog, Format, Media, Variant, probe, settings_digest};
use crate::config::{Config, ImagesConfig};
use crate::diagnostic::Diagnostic;

/// Where a processed file goes: its output path and bytes.
pub type Put<'a> = dyn Fn(String, Vec<u8>) -> io::Result<()> + Sync + 'a;

/// Asks the output to keep the file at a path as it is, given the length and 128-bit XXH3
/// of the bytes it should hold, or `None` for the bytes it holds under that name (see
/// [`crate::site::Sink::keep`]): true when it did.
pub type Keep<'a> = dyn Fn(&str, Option<(u64, u128)>) -> io::Result<bool> + Sync + 'a;

/// What processing did.
#[derive(Debug, Default)]
pub struct Processed {
    /// Variants encoded in this run.
    pub encoded: usize,
    /// Variants taken from the cache.
    pub from_cache: usize,
    /// Problems found (a corrupt image, a damaged cache entry).
    pub diagnostics: Vec<Diagnostic>,
}

/// Processes the media files in `wanted` (paths from the site root): each is published
/// through `put` (when `put` is given) or only checked (`check`: images not in the cache
/// are decoded in full, which finds truncation, and nothing is encoded). Files are
/// processed in parallel, one per thread at a time, so that memory holds at most one
/// decoded image per thread. After a publishing run over every referenced file, `prune`
/// removes the cache entries it did not use.
pub fn process(
    root: &Path,
    config: &Config,
    catalog: &Catalog,
    wanted: &BTreeSet<PathBuf>,
    put: Option<&Put<'_>>,
    keep: Option<&Keep<'_>>,
    prune: bool,
) -> io::Result<Processed> {
    let cache = Cache::new(root);
    let job = Job {
        root,
        images: &config.images,
        cache: &cache,
        put,
        keep: keep.filter(|_| put.is_some()),
        emitted: Mutex::new(HashSet::new()),
        encoded: AtomicUsize::new(0),
        from_cache: AtomicUsize::new(0),
    };
    let media: Vec<&Media> = catalog
        .iter()
        .filter(|m| wanted.contains(&m.path))
        .collect();
    let results: Vec<io::Result<Vec<Diagnostic>>> =
        media.par_iter().map(|media| job.one(media)).collect();
    let mut diagnostics = Vec::new();
    for result in results {
        diagnostics.extend(result?);
    }
    if prune && put.is_some() && !diagnostics.iter().any(Diagnostic::is_error) {
        cache.prune();
    }
    Ok(Processed {
        encoded: job.encoded.into_inner(),
        from_cache: job.from_cache.into_inner(),
        diagnostics,
    })
}

struct Job<'a> {
    root: &'a Path,
    images: &'a ImagesConfig,
    cache: &'a Cache,
    put: Option<&'a Put<'a>>,
    keep: Option<&'a Keep<'a>>,
    /// Output paths already published: two files with the same name and content publish one.
    emitted: Mutex<HashSet<String>>,
    encoded: AtomicUsize,
    from_cache: AtomicUsize,
}

impl Job<'_> {
    /// Publishes or checks one file; I/O errors of the output end the build.
    fn one(&self, media: &Media) -> io::Result<Vec<Diagnostic>> {
        let mut diagnostics = Vec::new();
        let first = media
            .variants
            .first()
            .map(|v| v.path.clone())
            .unwrap_or_default();
        if !self
            .emitted
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(first)
        {
            return Ok(diagnostics);
        }
        let outcome = match media.format {
            f if f.is_raster() => self.raster(media, &mut diagnostics),
            Format::Gif => self.cached_whole(media, &mut diagnostics, gif),
            Format::Svg => self.whole(media, |bytes| super::svg::clean(bytes).map(|c| c.bytes)),
            _ => self.whole(media, |bytes| Ok(bytes.to_vec())),
        };
        match outcome {
            Ok(()) => {}
            Err(Failure::Content(d)) => diagnostics.push(d),
            Err(Failure::Output(err)) => return Err(err),
        }
        Ok(diagnostics)
    }

    /// Whether the output kept its copy of `variant`: then neither the cache entry `key`
    /// nor the source is read. A variant's name is made from its source's hash, the
    /// settings and the pipeline's version (see `plan`), so a file fixbook stored under
    /// that name and nobody touched since holds what encoding would give again.
    fn kept(&self, variant: &Variant, key: &str) -> Result<bool, Failure> {
        let Some(keep) = self.keep else {
            return Ok(false);
        };
        let kept = keep(&variant.path, None).map_err(Failure::Output)?;
        // The entry stays for builds into another folder, which the output cannot serve.
        self.cache.touch(key);
        if kept {
            self.from_cache.fetch_add(1, Ordering::Relaxed);
        }
        Ok(kept)
    }

    fn emit(&self, variant: &Variant, bytes: Vec<u8>) -> Result<(), Failure> {
        match self.put {
            Some(put) => put(variant.path.clone(), bytes).map_err(Failure::Output),
            None => Ok(()),
        }
    }

    /// Reads the source again, checking it is still what was probed.
    fn source(&self, media: &Media) -> Result<Vec<u8>, Failure> {
        let bytes = probe::read(self.root, &media.path, self.images).map_err(Failure::Content)?;
        if xxhash_rust::xxh3::xxh3_64(&bytes) != media.hash {
            return Err(Failure::Content(
                Diagnostic::error(
                    &media.path,
                    0,
                    0,
                    "this file changed while the site was building",
                )
                .with_hint("build again once it is saved"),
            ));
        }
        Ok(bytes)
    }

    /// A file published as one processed copy (`make` turns the source into it).
    fn whole(
        &self,
        media: &Media,
        make: impl Fn(&[u8]) -> Result<Vec<u8>, String>,
    ) -> Result<(), Failure> {
        let Some(variant) = media.variants.first() else {
            return Ok(());
        };
        let bytes = self.source(media)?;
        let made = make(&bytes).map_err(|why| {
            Failure::Content(Diagnostic::error(
                &media.path,
                0,
                0,
                format!("this file cannot be published: {why}"),
            ))
        })?;
        self.emit(variant, made)
    }

    /// A file published as one processed copy that is worth caching (a re-encoded GIF).
    fn cached_whole(
        &self,
        media: &Media,
        diagnostics: &mut Vec<Diagnostic>,
        make: fn(&[u8], &ImagesConfig) -> Result<Vec<u8>, String>,
    ) -> Result<(), Failure> {
        let Some(variant) = media.variants.first() else {
            return Ok(());
        };
        let key = self.key(media, variant);
        if self.kept(variant, &key)? {
            return Ok(());
        }
        if let Some(bytes) = self.cached(media, &key, diagnostics) {
            return self.emit(variant, bytes);
        }
        let source = self.source(media)?;
        let made = make(&source, self.images)
            .map_err(|why| Failure::Content(probe::corrupt(&media.path, media.format, &why)))?;
        self.store(&key, &made);
        self.encoded.fetch_add(1, Ordering::Relaxed);
        self.emit(variant, made)
    }

    /// A PNG, JPEG or WebP image: its responsive set and its fallback.
    fn raster(&self, media: &Media, diagnostics: &mut Vec<Diagnostic>) -> Result<(), Failure> {
        let all: Vec<&Variant> = media.variants.iter().chain(&media.fallback).collect();
        let mut missing = Vec::new();
        for variant in &all {
            let key = self.key(media, variant);
            if self.kept(variant, &key)? {
                continue;
            }
            match self.cached(media, &key, diagnostics) {
                Some(bytes) => self.emit(variant, bytes)?,
                None => missing.push((*variant, key)),
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        let source = self.source(media)?;
        let pixels = encode::decode(&source, media.format, self.images)
            .map_err(|why| Failure::Content(probe::corrupt(&media.path, media.format, &why)))?;
        drop(source);
        if self.put.is_none() {
            // `check`: decoding in full is the check; encoding would only cost time.
            return Ok(());
        }
        // Widest first, each size scaled from the one before it (cheaper than from the full
        // image each time, and as sharp). The chain runs through every size, cached or not,
        // so that a variant is the same bytes whichever of its siblings the cache had.
        let mut chain: Vec<&Variant> = all.clone();
        chain.sort_by_key(|v| std::cmp::Reverse(v.width));
        let mut current = pixels;
        let quality = self.images.quality;
        let failed = |why: String| {
            Failure::Content(Diagnostic::error(
                &media.path,
                0,
                0,
                format!("this image could not be processed: {why}"),
            ))
        };
        for variant in chain {
            if (variant.width, variant.height) != (current.width, current.height) {
                current =
                    encode::resize(&current, variant.width, variant.height).map_err(failed)?;
            }
            let Some((_, key)) = missing.iter().find(|(v, _)| std::ptr::eq(*v, variant)) else {
                continue;
            };
            let bytes = encode::encode(&current, variant.format, quality).map_err(failed)?;
            self.store(key, &bytes);
            self.encoded.fetch_add(1, Ordering::Relaxed);
            self.emit(variant, bytes)?;
        }
        Ok(())
    }

    /// The cache key of one variant: what it is made from and how, not what it is called.
    fn key(&self, media: &Media, variant: &Variant) -> String {
        let ext = variant.path.rsplit('.').next().unwrap_or("bin");
        format!(
            "{:016x}.{}.{ext}",
            settings_digest(media.hash, self.images),
            variant.width
        )
    }

    fn cached(
        &self,
        media: &Media,
        key: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Vec<u8>> {
        match self.cache.get(key) {
            Lookup::Hit(bytes) => {
                self.from_cache.fetch_add(1, Ordering::Relaxed);
                Some(bytes)
            }
            Lookup::Miss => None,
            Lookup::Damaged => {
                diagnostics.push(
                    Diagnostic::warning(
                        &media.path,
                        0,
                        0,
                        format!("a processed copy of this file in `{}/{}` was damaged; it was made again", crate::config::CACHE_DIR, super::CACHE_SUBDIR),
                    )
                    .with_hint("nothing to do; if it happens again, check the disk"),
                );
                None
            }
        }
    }

    /// Keeps a processed copy for the next build; a cache that cannot be written only costs
    /// the next build time.
    fn store(&self, key: &str, bytes: &[u8]) {
        if self.put.is_some() {
            let _ = self.cache.put(key, bytes);
        }
    }
}

enum Failure {
    /// A problem with the file: reported, and the build fails.
    Content(Diagnostic),
    /// The output could not be written.
    Output(io::Error),
}

/// A GIF re-encoded frame by frame with its own palettes (no quality lost), without its
/// comment and application blocks (XMP lives there).
fn gif(bytes: &[u8], images: &ImagesConfig) -> Result<Vec<u8>, String> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    if let Some(limit) = std::num::NonZeroU64::new(images.max_pixels.saturating_mul(4)) {
        options.set_memory_limit(gif::MemoryLimit::Bytes(limit));
    }
    let mut decoder = options
        .read_info(Cursor::new(bytes))
        .map_err(|e| e.to_string())?;
    let (width, height) = (decoder.width(), decoder.height());
    let frames_budget = images.max_pixels;
    let palette = decoder
        .global_palette()
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    let mut out = Vec::with_capacity(bytes.len());
    {
        let mut encoder =
            gif::Encoder::new(&mut out, width, height, &palette).map_err(|e| e.to_string())?;
        let repeat = decoder.repeat();
        if repeat != gif::Repeat::Finite(0) {
            encoder.set_repeat(repeat).map_err(|e| e.to_string())?;
        }
        let mut pixels_seen = 0u64;
        while let Some(frame) = decoder.read_next_frame().map_err(|e| e.to_string())? {
            // An animation's frames add up: many frames are as costly as one huge image.
            pixels_seen += u64::from(frame.width) * u64::from(frame.height);
            if pixels_seen > frames_budget.saturating_mul(4) {
                return Err("its frames add up to far more pixels than the image budget".to_owned());
            }
            encoder.write_frame(frame).map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}
