//! What a build keeps for the next one, in `.fixbook/cache/`: the bodies it rendered
//! (`build.bin`) and the pages it wrote (`pages.bin`), so that a build after a small edit (a
//! CI run with the cache restored) renders only what the edit changed.
//!
//! Nothing in it can be stale:
//! - The file starts with fixbook's version and this format's number; another version
//!   reads nothing from it.
//! - Bodies are kept under a digest of everything rendering reads: the item's source (path,
//!   Markdown, first line, language) and id, within a scope of the configuration and the
//!   media files' published forms. Bodies that may link to a content file added or removed
//!   since are rendered again ([`super::sources::may_link_to`]); bodies that had
//!   diagnostics are never kept, so every run reports them.
//! - Pages are kept under their fingerprint (see `site::PageReuse`), within a scope of the
//!   configuration, the site options and the whole theme (templates, words, assets).
//! - Each file ends in its own length and 128-bit XXH3: a truncated or damaged file is
//!   reported as a warning and the build renders all it held (and stores a good file).
//!
//! Entries are written anew by each build from what it used, so nothing unused stays; the
//! bodies file, the larger, is left as it is when it would be written with the same bodies.

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher as _};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::config::{CACHE_DIR, Config};
use crate::content::{Library, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::render::{Bodies, BodyMemory, RenderedBody, Renderer};
use crate::site::{PageReuse, SiteOptions, WrittenPage};

/// The file of rendered bodies, under the site's cache folder.
pub const BUILD_CACHE: &str = "cache/build.bin";

/// The file of written pages, under the site's cache folder.
pub const PAGES_CACHE: &str = "cache/pages.bin";

/// This file format: a new one reads nothing from an older file. 2: a body's HTML and
/// text are stored packed (`render::Packed`).
const FORMAT: u32 = 2;

/// What the file ends with: the payload's length (8 bytes) and 128-bit XXH3 (16 bytes).
const TRAILER: usize = 24;

/// For each scope bodies were rendered within, the content files links could name then.
type LinkTargets = Vec<(u64, Vec<PathBuf>)>;

/// The payload of the bodies file.
#[derive(Serialize, Deserialize)]
struct StoredBodies<Body> {
    format: u32,
    version: String,
    /// For each scope bodies were rendered within ([`BuildCache::bodies_for`]), the content
    /// files links could name then.
    link_targets: LinkTargets,
    /// Body key (scope included) → body.
    bodies: Vec<(u128, Body)>,
}

/// The payload of the pages file.
#[derive(Serialize, Deserialize)]
struct StoredPages {
    format: u32,
    version: String,
    /// What every page below was rendered within ([`BuildCache::page_reuse`]).
    page_scope: u64,
    /// Output path → what was written there.
    pages: Vec<(String, WrittenPage)>,
}

/// The build cache of one site: what the previous build left, and what this one used.
pub struct BuildCache {
    path: PathBuf,
    pages_path: PathBuf,
    /// The keys of the bodies file as read (sorted) and its link targets, when it was read.
    as_read: Option<(Vec<u128>, LinkTargets)>,
    /// The previous build's bodies (taken out as they are recalled).
    bodies: Mutex<HashMap<u128, RenderedBody>>,
    /// The previous build's link targets, by scope.
    link_targets: HashMap<u64, Vec<PathBuf>>,
    /// This build's link targets, by scope.
    targets_now: Mutex<Vec<(u64, Vec<PathBuf>)>>,
    /// The bodies this build has without a diagnostic, to store: their key by scope and
    /// source path (the Markdown may be released before the cache is stored).
    clean: Mutex<HashMap<(u64, PathBuf), u128>>,
    recalled: std::sync::atomic::AtomicUsize,
    /// The previous build's pages, and the scope they were made within.
    pages: HashMap<String, WrittenPage>,
    pages_scope: u64,
    /// This build's page scope, once pages were asked for.
    page_scope_now: Option<u64>,
    /// Why nothing could be taken from a file, when one was damaged.
    warning: Option<Diagnostic>,
}

/// The bodies of one language's library: a [`BodyMemory`] within one scope.
pub struct ScopedBodies<'c> {
    cache: &'c BuildCache,
    scope: u64,
    /// File stems of content files added or removed since the bodies were rendered:
    /// bodies that may link to them are rendered again.
    changed_targets: BTreeSet<String>,
}

impl BuildCache {
    /// Reads what the previous build of the site at `root` left. A missing file, or one of
    /// another fixbook, is an empty cache; a damaged one too, with a warning.
    pub fn load(root: &Path) -> BuildCache {
        let mut cache = BuildCache {
            path: root.join(CACHE_DIR).join(BUILD_CACHE),
            pages_path: root.join(CACHE_DIR).join(PAGES_CACHE),
            as_read: None,
            bodies: Mutex::new(HashMap::new()),
            link_targets: HashMap::new(),
            targets_now: Mutex::new(Vec::new()),
            clean: Mutex::new(HashMap::new()),
            recalled: std::sync::atomic::AtomicUsize::new(0),
            pages: HashMap::new(),
            pages_scope: 0,
            page_scope_now: None,
            warning: None,
        };
        let mut damaged = Vec::new();
        match read::<StoredBodies<RenderedBody>>(&cache.path) {
            Ok(Some(stored)) => {
                let keys = stored.bodies.iter().map(|(key, _)| *key).collect();
                cache.as_read = Some((keys, stored.link_targets.clone()));
                cache.bodies = Mutex::new(stored.bodies.into_iter().collect());
                cache.link_targets = stored.link_targets.into_iter().collect();
            }
            Ok(None) => {}
            Err(why) => damaged.push((BUILD_CACHE, why, "body is rendered")),
        }
        match read::<StoredPages>(&cache.pages_path) {
            Ok(Some(stored)) => {
                cache.pages = stored.pages.into_iter().collect();
                cache.pages_scope = stored.page_scope;
            }
            Ok(None) => {}
            Err(why) => damaged.push((PAGES_CACHE, why, "page is built")),
        }
        if let Some((file, why, redone)) = damaged.first() {
            cache.warning = Some(
                Diagnostic::site_warning(format!(
                    "the build cache `{CACHE_DIR}/{file}` is damaged ({why}): every {redone} again"
                ))
                .with_hint("nothing to do: this build stores a good one"),
            );
        }
        cache
    }

    /// The bodies rendered with `renderer` (made for `config`): what the previous build
    /// rendered alike may be taken.
    pub fn bodies_for(&self, config: &Config, renderer: &Renderer<'_>) -> ScopedBodies<'_> {
        let scope = scope(&(format!("{config:?}"), renderer.media().render_digest()));
        let now: Vec<PathBuf> = renderer
            .links()
            .targets()
            .into_iter()
            .map(Path::to_path_buf)
            .collect();
        let changed_targets = match self.link_targets.get(&scope) {
            Some(then) => {
                let then: BTreeSet<&PathBuf> = then.iter().collect();
                let now: BTreeSet<&PathBuf> = now.iter().collect();
                now.symmetric_difference(&then)
                    .filter_map(|path| path.file_stem()?.to_str())
                    // `x.de` is linked to as `x.de.md` or, from a translation, as `x.md`.
                    .flat_map(|stem| {
                        let first = stem.split('.').next().unwrap_or(stem);
                        let last = stem.rsplit('.').next().unwrap_or(stem);
                        [stem, first, last].map(str::to_owned)
                    })
                    .collect()
            }
            None => BTreeSet::new(),
        };
        self.targets_now
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((scope, now));
        ScopedBodies {
            cache: self,
            scope,
            changed_targets,
        }
    }

    /// The warning to report when the file was damaged.
    pub fn warning(&self) -> Option<&Diagnostic> {
        self.warning.as_ref()
    }

    /// How many bodies were taken from the cache.
    pub fn recalled(&self) -> usize {
        self.recalled.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The previous build's pages, to keep those unchanged, when they were made with the
    /// same `config`, `options` and a theme whose
    /// [digest](crate::site::theme::Theme::whole_digest) is `theme`.
    pub fn page_reuse(&mut self, config: &Config, options: SiteOptions, theme: u64) -> PageReuse {
        let now = scope(&(format!("{config:?}{options:?}"), theme));
        self.page_scope_now = Some(now);
        let pages = std::mem::take(&mut self.pages);
        PageReuse::new(if self.pages_scope == now {
            pages
        } else {
            HashMap::new()
        })
    }

    /// Writes the cache for the next build: the bodies this build had without a diagnostic
    /// (each language's library with its bodies and the scope they were rendered within),
    /// unless they are the ones read, and the pages `reuse` noted (without one, the previous
    /// build's pages file stays).
    pub fn store(
        self,
        libraries: &[(&ScopedKey, &Library, &Bodies)],
        reuse: Option<PageReuse>,
    ) -> std::io::Result<()> {
        let clean = self.clean.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut kept: Vec<(u128, &RenderedBody)> = Vec::with_capacity(clean.len());
        for (scope, library, bodies) in libraries {
            for (source, body) in library_bodies(library, bodies) {
                if let Some(key) = clean.get(&(scope.0, source.path.clone())) {
                    kept.push((*key, body));
                }
            }
        }
        kept.sort_unstable_by_key(|(key, _)| *key);
        kept.dedup_by_key(|(key, _)| *key);
        let mut link_targets = self
            .targets_now
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        link_targets.sort_unstable_by_key(|(scope, _)| *scope);
        link_targets.dedup_by_key(|(scope, _)| *scope);
        let unchanged = self.as_read.as_ref().is_some_and(|(keys, targets)| {
            *targets == link_targets && keys.iter().copied().eq(kept.iter().map(|(key, _)| *key))
        });
        if !unchanged {
            let stored = StoredBodies {
                format: FORMAT,
                version: env!("CARGO_PKG_VERSION").to_owned(),
                link_targets,
                bodies: kept,
            };
            write(&self.path, &stored)?;
        }
        if let Some(reuse) = reuse {
            let stored = StoredPages {
                format: FORMAT,
                version: env!("CARGO_PKG_VERSION").to_owned(),
                page_scope: self.page_scope_now.unwrap_or_default(),
                pages: reuse.into_written(),
            };
            write(&self.pages_path, &stored)?;
        }
        Ok(())
    }
}

/// Writes `payload` to `path` with its length and checksum after it: beside it first, then
/// renamed into place, so that a build killed on the way leaves the previous file or none.
/// Streamed, digest and all: the payload is not copied into one buffer first.
fn write(path: &Path, payload: &impl Serialize) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = path.with_extension("bin.partial");
    let mut out = Digesting {
        inner: std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&partial)?),
        len: 0,
        hasher: xxhash_rust::xxh3::Xxh3::new(),
    };
    postcard::to_io(payload, &mut out).map_err(std::io::Error::other)?;
    let Digesting {
        mut inner,
        len,
        hasher,
    } = out;
    inner.write_all(&len.to_le_bytes())?;
    inner.write_all(&hasher.digest128().to_le_bytes())?;
    inner.flush()?;
    drop(inner);
    std::fs::rename(&partial, path)
}

/// A writer that counts and digests what passes through it.
struct Digesting<W> {
    inner: W,
    len: u64,
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl<W: Write> Write for Digesting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.len += written as u64;
        self.hasher.update(&buf[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The scope a language's bodies were rendered within, for [`BuildCache::store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopedKey(u64);

impl ScopedBodies<'_> {
    /// The scope, to store the bodies under.
    pub fn key(&self) -> ScopedKey {
        ScopedKey(self.scope)
    }
}

impl BodyMemory for ScopedBodies<'_> {
    fn recall(&self, source: &SourceFile, id_prefix: &str) -> Option<RenderedBody> {
        if !self.changed_targets.is_empty()
            && super::sources::may_link_to(&source.body, &self.changed_targets)
        {
            return None;
        }
        let key = body_key(self.scope, source, id_prefix);
        let cache = self.cache;
        let body = cache
            .bodies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&key)?;
        cache
            .recalled
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        cache
            .clean
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((self.scope, source.path.clone()), key);
        Some(body)
    }

    fn rendered_clean(&self, source: &SourceFile, id_prefix: &str) {
        self.cache
            .clean
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(
                (self.scope, source.path.clone()),
                body_key(self.scope, source, id_prefix),
            );
    }
}

/// Every body of the library with its source.
fn library_bodies<'a>(
    library: &'a Library,
    bodies: &'a Bodies,
) -> impl Iterator<Item = (&'a SourceFile, &'a RenderedBody)> {
    let articles = library
        .articles
        .iter()
        .zip(&bodies.articles)
        .map(|(a, b)| (&a.source, b));
    let fixes = library
        .fixes
        .iter()
        .zip(&bodies.fixes)
        .map(|(f, b)| (&f.source, b));
    let statuses = library
        .statuses
        .iter()
        .zip(&bodies.statuses)
        .map(|(s, b)| (&s.source, b));
    articles.chain(fixes).chain(statuses)
}

/// The key of a body: a digest of its scope and of everything [`Renderer::render`] reads
/// of its item.
fn body_key(scope: u64, source: &SourceFile, id_prefix: &str) -> u128 {
    let mut bytes = Vec::with_capacity(source.body.len() + 128);
    bytes.extend_from_slice(&scope.to_le_bytes());
    for part in [
        source.path.to_string_lossy().as_bytes(),
        id_prefix.as_bytes(),
        source.lang.as_deref().unwrap_or("").as_bytes(),
        source.body.as_bytes(),
    ] {
        bytes.extend_from_slice(&(part.len() as u64).to_le_bytes());
        bytes.extend_from_slice(part);
    }
    bytes.extend_from_slice(&(source.body_line as u64).to_le_bytes());
    xxhash_rust::xxh3::xxh3_128(&bytes)
}

/// A digest of a scope, stable across runs and platforms.
fn scope(value: &impl Hash) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    FORMAT.hash(&mut hasher);
    value.hash(&mut hasher);
    hasher.finish()
}

/// The payload of the cache file at `path`: `None` when there is none, or it was written by
/// another fixbook or format; an error when it is damaged.
fn read<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, &'static str> {
    match std::fs::read(path) {
        Ok(bytes) => decode(&bytes),
        Err(_) => Ok(None),
    }
}

/// The payload of a cache file's bytes: `None` when it was written by another fixbook or
/// format, an error when it is damaged.
fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<Option<T>, &'static str> {
    let Some(split) = bytes.len().checked_sub(TRAILER) else {
        return Err("it is truncated");
    };
    let (payload, trailer) = bytes.split_at(split);
    let (len, hash) = trailer.split_at(8);
    let len = u64::from_le_bytes(len.try_into().map_err(|_| "it is truncated")?);
    let hash = u128::from_le_bytes(hash.try_into().map_err(|_| "it is truncated")?);
    if len != payload.len() as u64 || hash != xxhash_rust::xxh3::xxh3_128(payload) {
        return Err("its contents do not match its checksum");
    }
    // The version comes first: another fixbook's file is not read further.
    #[derive(Deserialize)]
    struct Header {
        format: u32,
        version: String,
    }
    let (header, _): (Header, _) =
        postcard::take_from_bytes(payload).map_err(|_| "its header cannot be read")?;
    if header.format != FORMAT || header.version != env!("CARGO_PKG_VERSION") {
        return Ok(None);
    }
    postcard::from_bytes(payload)
        .map(Some)
        .map_err(|_| "its contents cannot be read")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_or_truncated_file_is_told_apart_from_another_version() {
        let stored: StoredBodies<RenderedBody> = StoredBodies {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            link_targets: vec![(1, vec![PathBuf::from("content/fixes/a.md")])],
            bodies: vec![(
                7,
                RenderedBody {
                    html: "<p>hi</p>".into(),
                    ..RenderedBody::default()
                },
            )],
        };
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join(CACHE_DIR).join(BUILD_CACHE);
        write(&path, &stored).unwrap_or_else(|e| panic!("{e}"));
        let bytes = std::fs::read(&path).unwrap_or_default();

        let read = decode::<StoredBodies<RenderedBody>>(&bytes).ok().flatten();
        assert!(read.is_some_and(
            |s| s.bodies[0].1.html.unpack() == "<p>hi</p>" && s.link_targets.len() == 1
        ));
        let damaged = |bytes: &[u8]| decode::<StoredBodies<RenderedBody>>(bytes).err();
        assert_eq!(
            damaged(&bytes[..bytes.len() - 1]),
            Some("its contents do not match its checksum")
        );
        assert_eq!(
            damaged(&bytes[..30]),
            Some("its contents do not match its checksum")
        );
        assert_eq!(damaged(&bytes[..10]), Some("it is truncated"));
        let mut flipped = bytes.clone();
        flipped[5] ^= 1;
        assert!(damaged(&flipped).is_some());

        // Another fixbook's file is no file at all, and no warning.
        let older = StoredBodies::<RenderedBody> {
            version: "0.0.1".to_owned(),
            ..stored
        };
        write(&path, &older).unwrap_or_else(|e| panic!("{e}"));
        let bytes = std::fs::read(&path).unwrap_or_default();
        assert!(matches!(
            decode::<StoredBodies<RenderedBody>>(&bytes),
            Ok(None)
        ));
        let cache = BuildCache::load(dir.path());
        assert!(cache.warning().is_none() && cache.as_read.is_none());
        assert!(cache.bodies.lock().is_ok_and(|bodies| bodies.is_empty()));
    }
}
