//! Media: the images, videos and downloads under `content/` that pages show or link to.
//!
//! A media file is *probed* before the bodies render (read once: its size, its content
//! hash, its dimensions, whether it carries a GPS position), so that a body can write
//! `<picture>` markup that names every variant with its width and height. The variants
//! themselves are *processed* while the pages render ([`process`]): decoded with budgets,
//! turned upright and into sRGB, resized, and re-encoded, which leaves every byte of
//! metadata behind. Processed variants are kept in `.fixbook/cache/media/`, keyed by what
//! they were made from, so a rebuild encodes only new or changed images.

mod cache;
mod encode;
mod known;
mod plan;
mod probe;
mod process;
mod svg;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Config, ImagesConfig};
use crate::diagnostic::Diagnostic;

pub use cache::CACHE_SUBDIR;
use plan::{plan, settings_digest};
pub use process::{Keep, Processed, Put, process};

/// The folder of the output that published media live in.
pub const OUTPUT_DIR: &str = "media";

/// Bumped whenever processing changes what it writes for the same input and settings: it
/// is part of every published name and every cache key, so nothing made before is reused.
const PIPELINE_VERSION: u32 = 4;

/// What a media file is, from its name and its first bytes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Format {
    /// A PNG image.
    Png,
    /// A JPEG image.
    Jpeg,
    /// A WebP image.
    WebP,
    /// A GIF image, perhaps animated.
    Gif,
    /// An SVG drawing.
    Svg,
    /// An MP4 video.
    Mp4,
    /// A WebM video.
    WebM,
    /// Any other file (a PDF, a log, a zip): published as a download, linked, never shown.
    Download,
}

impl Format {
    /// Whether pages show it as a picture (`![alt](file)`).
    pub fn is_image(self) -> bool {
        matches!(
            self,
            Format::Png | Format::Jpeg | Format::WebP | Format::Gif | Format::Svg
        )
    }

    /// Whether it is decoded and published as a responsive set.
    pub fn is_raster(self) -> bool {
        matches!(self, Format::Png | Format::Jpeg | Format::WebP)
    }

    /// Whether pages show it as a video.
    pub fn is_video(self) -> bool {
        matches!(self, Format::Mp4 | Format::WebM)
    }

    /// The MIME type of the published file.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::WebP => "image/webp",
            Format::Gif => "image/gif",
            Format::Svg => "image/svg+xml",
            Format::Mp4 => "video/mp4",
            Format::WebM => "video/webm",
            Format::Download => "application/octet-stream",
        }
    }
}

/// Image formats fixbook cannot publish, by extension, with what to convert them to.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("heic", "an iPhone photo (HEIC)"),
    ("heif", "a HEIF image"),
    ("avif", "an AVIF image"),
    ("tif", "a TIFF image"),
    ("tiff", "a TIFF image"),
    ("bmp", "a BMP image"),
    ("psd", "a Photoshop document"),
    ("ico", "an icon file"),
    ("jxl", "a JPEG XL image"),
    ("mov", "a QuickTime video"),
    ("avi", "an AVI video"),
    ("mkv", "a Matroska video"),
];

/// One published file of a media file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Its path in the output (`media/switch.3f9a1c2e.960.webp`).
    pub path: String,
    /// Its width and height in pixels (0 × 0 for videos and downloads).
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// Its format.
    pub format: Format,
}

/// What pages may show of one probed media file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    /// The file, from the site root (`content/media/switch.png`).
    pub path: PathBuf,
    /// What it holds.
    pub format: Format,
    /// The digest of its bytes.
    pub hash: u64,
    /// Its natural width and height (upright), for images.
    pub width: u32,
    /// Its natural height.
    pub height: u32,
    /// Whether its pixels may be transparent (decides the fallback format).
    pub alpha: bool,
    /// Its modern-format responsive set, narrowest first (rasters), or its one file.
    pub variants: Vec<Variant>,
    /// The universal-format file (rasters): JPEG, or PNG for transparent images.
    pub fallback: Option<Variant>,
}

impl Media {
    /// The widest variant: what clicking the image opens, and what links to the file get.
    pub fn full(&self) -> Option<&Variant> {
        self.variants.last()
    }

    /// The file social previews use: they want a universal format.
    pub fn social(&self) -> Option<&Variant> {
        self.fallback.as_ref().or_else(|| self.variants.last())
    }
}

/// A site without media files.
pub static NO_MEDIA: Catalog = Catalog {
    files: BTreeMap::new(),
    problems: BTreeMap::new(),
    known: BTreeMap::new(),
};

/// Every media file of the site that probed well, by path from the site root, with the
/// problems probing found in each file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    files: BTreeMap<PathBuf, Media>,
    /// Each file's problems. A file with an error is left out of `files`: references to
    /// it are not reported again.
    problems: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// What the next build may take without reading the file again (see [`known`]).
    known: BTreeMap<PathBuf, known::Probed>,
}

impl Catalog {
    /// A digest of what bodies can show of the media files: each file's published form
    /// and problems (not what the next build may skip reading).
    pub fn render_digest(&self) -> u64 {
        xxhash_rust::xxh3::xxh3_64(format!("{:?}{:?}", self.files, self.problems).as_bytes())
    }

    /// Reads and checks every media file of the library (in parallel, one file per thread
    /// at a time).
    pub fn probe(root: &Path, config: &Config, paths: &[PathBuf]) -> Catalog {
        let mut catalog = Catalog::default();
        catalog.refresh(root, config, paths, None);
        catalog
    }

    /// Brings the catalog up to date with the media files `paths`, probing again those in
    /// `changed` (all of them when `None`) and those it did not know; returns the paths
    /// whose entry changed (added, removed, or different).
    pub fn refresh(
        &mut self,
        root: &Path,
        config: &Config,
        paths: &[PathBuf],
        changed: Option<&std::collections::BTreeSet<PathBuf>>,
    ) -> Vec<PathBuf> {
        let wanted: std::collections::BTreeSet<&PathBuf> = paths.iter().collect();
        let mut touched: Vec<PathBuf> = self
            .problems
            .keys()
            .chain(self.files.keys())
            .filter(|p| !wanted.contains(p))
            .cloned()
            .collect();
        for gone in &touched {
            self.files.remove(gone);
            self.problems.remove(gone);
        }
        let to_probe: Vec<&PathBuf> = paths
            .iter()
            .filter(|p| {
                changed.is_none_or(|c| c.contains(*p))
                    || !(self.files.contains_key(*p) || self.problems.contains_key(*p))
            })
            .collect();
        let stored = known::Known::load(root);
        let results: Vec<_> = to_probe
            .par_iter()
            .map(|path| {
                let stamp = known::Stamp::of(&root.join(path));
                if let Some(probed) = stored.get(path, stamp) {
                    return (
                        *path,
                        Ok((recall(path, probed, &config.images), Vec::new())),
                        Some(probed),
                    );
                }
                let result = probe::probe(root, path, &config.images);
                let probed = match (&result, stamp) {
                    (Ok((media, warnings)), Some(stamp)) if warnings.is_empty() => {
                        Some(known::Probed {
                            stamp,
                            format: media.format,
                            hash: media.hash,
                            width: media.width,
                            height: media.height,
                            alpha: media.alpha,
                        })
                    }
                    _ => None,
                };
                (*path, result, probed)
            })
            .collect();
        for gone in &touched {
            self.known.remove(gone);
        }
        for (path, result, probed) in results {
            match probed {
                Some(probed) => self.known.insert(path.clone(), probed),
                None => self.known.remove(path),
            };
            let (media, problems) = match result {
                Ok((media, found)) => (Some(media), found),
                Err(error) => (None, vec![error]),
            };
            let before = (
                self.files.get(path).cloned(),
                self.problems.get(path).cloned(),
            );
            match &media {
                Some(media) => self.files.insert(path.clone(), media.clone()),
                None => self.files.remove(path),
            };
            self.problems.insert(path.clone(), problems);
            if (
                self.files.get(path).cloned(),
                self.problems.get(path).cloned(),
            ) != before
            {
                touched.push(path.clone());
            }
        }
        if stored_differs(&stored, &self.known) {
            known::Known::store(root, self.known.clone());
        }
        touched.sort();
        touched.dedup();
        touched
    }

    /// Every problem probing found, by file.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.problems.values().flatten()
    }

    /// The media file at `path` (from the site root, normalised), if it probed well.
    pub fn get(&self, path: &Path) -> Option<&Media> {
        self.files.get(path)
    }

    /// Whether `path` is a media file that failed its checks (already reported).
    pub fn is_broken(&self, path: &Path) -> bool {
        !self.files.contains_key(path) && self.problems.contains_key(path)
    }

    /// Every catalogued file, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = &Media> {
        self.files.values()
    }

    /// The catalogued path nearest to `wanted`, for "did you mean".
    pub fn nearest(&self, wanted: &Path) -> Option<&Path> {
        let name = wanted.file_name()?.to_string_lossy().into_owned();
        let names: Vec<(String, &Path)> = self
            .files
            .keys()
            .chain(
                self.problems
                    .keys()
                    .filter(|p| !self.files.contains_key(*p)),
            )
            .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), p.as_path())))
            .collect();
        let best = crate::diagnostic::nearest(&name, names.iter().map(|(n, _)| n.as_str()))?;
        // Prefer the same folder when several folders hold that name.
        let mut candidates = names.iter().filter(|(n, _)| n == best).map(|(_, p)| *p);
        let first = candidates.next()?;
        Some(
            std::iter::once(first)
                .chain(candidates)
                .find(|p| p.parent() == wanted.parent())
                .unwrap_or(first),
        )
    }
}

/// What a reference to a media file, written in a content file, names.
#[derive(Debug)]
pub enum Resolved<'c> {
    /// A media file that probed well.
    Found(&'c Media),
    /// A media file that failed its checks (already reported).
    Broken,
    /// No media file: with the reference to the nearest one, as it would be written.
    Missing(Option<String>),
    /// A path that climbs out of `content/`.
    Outside,
}

/// Whether `target`, written in a content file, is a reference to a file beside the
/// content: relative, with an extension that is not a page's (`.md`, `.html`).
pub fn is_file_reference(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    let path = lower.split(['#', '?']).next().unwrap_or("");
    if path.is_empty()
        || path.starts_with('/')
        || lower.contains(':')
        || lower.starts_with("//")
        || path.ends_with('/')
    {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) => !stem.is_empty() && !matches!(ext, "md" | "html" | "htm"),
        None => false,
    }
}

impl Catalog {
    /// Resolves `target` (percent-decoded, relative to the content file `from`, a path from
    /// the site root).
    pub fn resolve(&self, from: &Path, target: &str) -> Resolved<'_> {
        let Some(key) = reference_key(from, target) else {
            return Resolved::Outside;
        };
        if let Some(media) = self.files.get(&key) {
            return Resolved::Found(media);
        }
        if self.is_broken(&key) {
            return Resolved::Broken;
        }
        let dir = from.parent().unwrap_or(Path::new(""));
        Resolved::Missing(self.nearest(&key).map(|best| relative_path(dir, best)))
    }
}

/// The media file (from the site root) that `target`, a reference written in the content
/// file `from`, names, if it stays under `content/`.
pub fn reference_key(from: &Path, target: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
    within_content(from, decoded.split(['#', '?']).next().unwrap_or(""))
}

/// The path from the site root that `target`, written in `from`, names, if it stays under
/// `content/`.
fn within_content(from: &Path, target: &str) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    let dir = from.parent().unwrap_or(Path::new(""));
    let joined = dir.join(target);
    for component in joined.components() {
        match component {
            std::path::Component::Normal(part) => parts.push(part),
            std::path::Component::ParentDir => {
                parts.pop()?;
            }
            std::path::Component::CurDir => {}
            _ => return None,
        }
    }
    let path: PathBuf = parts.iter().collect();
    (path.starts_with(crate::content::CONTENT_DIR) && parts.len() > 1).then_some(path)
}

/// `to` (from the site root) as a relative reference written in the folder `dir`.
fn relative_path(dir: &Path, to: &Path) -> String {
    let from: Vec<_> = dir.components().collect();
    let target: Vec<_> = to.components().collect();
    let common = from.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// A file's [`Media`] from what an earlier build probed.
fn recall(path: &Path, probed: known::Probed, images: &ImagesConfig) -> Media {
    let size = (probed.width, probed.height);
    let (variants, fallback) = plan(path, probed.format, probed.hash, size, probed.alpha, images);
    Media {
        path: path.to_path_buf(),
        format: probed.format,
        hash: probed.hash,
        width: probed.width,
        height: probed.height,
        alpha: probed.alpha,
        variants,
        fallback,
    }
}

/// Whether the stored probes are not exactly `current` (so the file is written again).
fn stored_differs(stored: &known::Known, current: &BTreeMap<PathBuf, known::Probed>) -> bool {
    !stored.same_as(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_relative_to_their_file_and_stay_in_content() {
        let from = Path::new("content/articles/a.md");
        assert_eq!(
            within_content(from, "../media/x.png"),
            Some(PathBuf::from("content/media/x.png"))
        );
        assert_eq!(
            within_content(from, "a/shot.png"),
            Some(PathBuf::from("content/articles/a/shot.png"))
        );
        assert_eq!(within_content(from, "../../fixbook.toml"), None);
        assert_eq!(within_content(from, "../../../etc/passwd"), None);
        assert_eq!(
            relative_path(
                Path::new("content/articles"),
                Path::new("content/media/x.png")
            ),
            "../media/x.png"
        );
        assert!(is_file_reference("../media/x.png"));
        assert!(is_file_reference("manual.pdf#page=2"));
        assert!(!is_file_reference("../fixes/x.md#step"));
        assert!(!is_file_reference("/img/logo.svg"));
        assert!(!is_file_reference("https://example.com/a.png"));
        assert!(!is_file_reference("notes"));
    }
}
