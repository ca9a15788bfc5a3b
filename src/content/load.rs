//! Walking `content/` and reading every file into the [`Library`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::front_matter::{self, Origin};
use super::source::{self, SourceFile};
use super::{Kind, Library};
use crate::diagnostic::Diagnostic;
use crate::id::is_valid_slug;

/// The folder under the site root that holds the content.
pub const CONTENT_DIR: &str = "content";

/// Files larger than this are refused: no help article is this long, and reading one
/// would only slow every build down.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// One parsed file, before the library is assembled.
pub enum Parsed {
    /// A problem.
    Article(super::Article),
    /// A fix.
    Fix(super::Fix),
    /// A status message.
    Status(super::StatusMessage),
    /// An authored guide.
    Guide(super::Guide),
    /// An article marked as a draft: checked, but not published.
    Draft,
}

/// One content file found by [`discover_files`]: its kind, its id and its path.
pub type FoundFile = (Kind, String, PathBuf);

/// What loading found: every file that parsed, and the problems with the others.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The files that parsed.
    pub library: Library,
    /// Errors and warnings, unsorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Ids whose file exists but did not parse: references to them are not reported again.
    pub broken: BTreeSet<(Kind, String)>,
}

/// Reads every content file under `root/content`. Files that fail to parse are reported and
/// left out, so that the rest can still be checked in the same run.
pub fn load(root: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let Discovered {
        files,
        media,
        mut diagnostics,
    } = discover_files(root)?;
    let results: Vec<_> = files
        .par_iter()
        .map(|(kind, slug, path)| read_one(root, *kind, slug, path))
        .collect();
    let mut library = Library {
        media,
        ..Library::default()
    };
    let mut broken = BTreeSet::new();
    for ((kind, slug, _), result) in files.into_iter().zip(results) {
        match result {
            Ok((parsed, mut found)) => {
                diagnostics.append(&mut found);
                library.add(parsed);
            }
            Err(mut errors) => {
                diagnostics.append(&mut errors);
                broken.insert((kind, slug));
            }
        }
    }
    library.sort();
    Ok(Loaded {
        library,
        diagnostics,
        broken,
    })
}

/// Finds the content files under `root/content` (what [`load`] then reads), with the
/// problems of the files it leaves out. Incremental rebuilds use it with [`read_one`].
pub fn discover_files(root: &Path) -> Result<Discovered, Vec<Diagnostic>> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(vec![
            Diagnostic::site_error(format!("there is no `{CONTENT_DIR}` folder in `{}`", root.display()))
                .with_hint("create content/articles, content/fixes and content/status, or start from `fixbook init DIR`"),
        ]);
    }
    Ok(discover(root, &content))
}

/// What [`discover_files`] finds under `content/`.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The Markdown files of each kind.
    pub files: Vec<FoundFile>,
    /// Every other file (images, videos, downloads), from the site root, sorted.
    pub media: Vec<PathBuf>,
    /// The problems of the files left out.
    pub diagnostics: Vec<Diagnostic>,
}

/// Finds the Markdown files of each kind, checking names and duplicates, and the media
/// files beside them.
fn discover(root: &Path, content: &Path) -> Discovered {
    let mut diagnostics = Vec::new();
    let mut media = Vec::new();
    let mut seen: BTreeMap<(Kind, String), PathBuf> = BTreeMap::new();
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| CONTENT_DIR.into());
                diagnostics.push(Diagnostic::error(
                    path,
                    0,
                    0,
                    format!("cannot read this entry: {err}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        let rel = relative(root, path);
        if entry.file_type().is_dir() {
            continue;
        }
        if entry.file_type().is_symlink() {
            if entry.depth() == 0 {
                // content/ itself may be a link (to content shared between sites): it is
                // followed, as its files are read. Links inside it are not.
                continue;
            }
            diagnostics.push(
                Diagnostic::warning(&rel, 0, 0, "symbolic link ignored")
                    .with_hint("content files must be regular files inside content/; copy the file instead of linking it"),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            // Named pipes, sockets and devices would block or never end when read.
            diagnostics.push(
                Diagnostic::warning(&rel, 0, 0, "ignored: not a regular file").with_hint(
                    "content/ may only hold folders and Markdown files; move this out of content/",
                ),
            );
            continue;
        }
        let is_markdown = path.extension().is_some_and(|e| e == "md");
        if !is_markdown {
            // Images, videos and downloads: published when a page refers to them.
            media.push(rel);
            continue;
        }
        let Some(kind) = kind_of(content, path) else {
            diagnostics.push(
                Diagnostic::warning(&rel, 0, 0, "file ignored: a Markdown file outside content/articles, content/fixes, content/status and content/guides")
                    .with_hint("move it into one of those folders, or out of content/"),
            );
            continue;
        };
        let stem = file_stem(path);
        // A translation's id is the original's slug and its language: `slug.de`.
        let (slug, _) = split_language(&stem);
        if !is_valid_slug(slug) {
            diagnostics.push(
                Diagnostic::error(
                    &rel,
                    0,
                    0,
                    format!(
                        "`{slug}` is not a valid {} id{}",
                        kind.noun(),
                        spelling(slug)
                    ),
                )
                .with_hint(format!(
                    "file names are ids: use lowercase letters, digits and dashes, e.g. `{}.md`",
                    crate::id::slugify(slug)
                )),
            );
            continue;
        }
        if let Some(first) = seen.get(&(kind, stem.clone())) {
            diagnostics.push(
                Diagnostic::error(&rel, 0, 0, format!("duplicate {} id `{stem}`", kind.noun())).with_hint(format!(
                    "`{}` has the same id; ids come from file names and must be unique per kind",
                    first.display()
                )),
            );
            continue;
        }
        seen.insert((kind, stem.clone()), rel);
        files.push((kind, stem, path.to_path_buf()));
    }
    Discovered {
        files,
        media,
        diagnostics,
    }
}

/// The kind whose folder under `content` holds `path`.
fn kind_of(content: &Path, path: &Path) -> Option<Kind> {
    let first = path.strip_prefix(content).ok()?.components().next()?;
    Kind::ALL.into_iter().find(|k| first.as_os_str() == k.dir())
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The kind and id of the file at `path` (absolute, below `root`'s `content/`) when
/// [`discover_files`] would take it without a word, leaving duplicates aside: a regular
/// Markdown file in a kind's folder, in no hidden or linked folder, with a valid id.
/// `None` for anything else. A rebuild told of a new file uses this instead of walking
/// every folder again.
pub fn plain_content_file(root: &Path, path: &Path) -> Option<(Kind, String)> {
    let content = root.join(CONTENT_DIR);
    let rel = path.strip_prefix(&content).ok()?;
    let mut folder = content.clone();
    let mut parts = rel.components().peekable();
    while let Some(part) = parts.next() {
        let std::path::Component::Normal(name) = part else {
            return None;
        };
        if name.to_string_lossy().starts_with('.') {
            return None;
        }
        folder.push(name);
        let meta = std::fs::symlink_metadata(&folder).ok()?;
        let wanted = if parts.peek().is_some() {
            meta.is_dir()
        } else {
            meta.is_file()
        };
        if !wanted {
            return None;
        }
    }
    if path.extension().is_none_or(|e| e != "md") {
        return None;
    }
    let kind = kind_of(&content, path)?;
    let stem = file_stem(path);
    is_valid_slug(split_language(&stem).0).then_some((kind, stem))
}

/// A file stem's slug and, for a translation (`waiting-to-upload.de`), its language code.
pub fn split_language(stem: &str) -> (&str, Option<&str>) {
    match stem.rsplit_once('.') {
        Some((slug, code)) if crate::config::is_language_code(code) => (slug, Some(code)),
        _ => (stem, None),
    }
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Reads and parses one file: the parsed record with any non-fatal problems, or the errors.
pub fn read_one(
    root: &Path,
    kind: Kind,
    slug: &str,
    path: &Path,
) -> Result<(Parsed, Vec<Diagnostic>), Vec<Diagnostic>> {
    use std::io::Read as _;
    let rel = relative(root, path);
    let io_error = |err: std::io::Error| {
        vec![Diagnostic::error(
            &rel,
            0,
            0,
            format!("cannot read the file: {err}"),
        )]
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    // Read one byte past the limit rather than trusting the size the file had a moment
    // ago: the file may be growing, or not be a plain file at all.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(vec![too_large(&rel, size)]);
    }
    parse(kind, slug, &rel, bytes)
}

/// The error for a file over [`MAX_FILE_BYTES`].
fn too_large(rel: &Path, size: u64) -> Diagnostic {
    let megabytes = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    Diagnostic::error(
        rel,
        0,
        0,
        format!(
            "the file is {:.1} MB, more than the {:.0} MB a content file may have",
            megabytes(size),
            megabytes(MAX_FILE_BYTES)
        ),
    )
    .with_hint("split it into several articles, and keep logs, data and images out of the Markdown")
}

/// Parses one content file from its bytes, exactly as [`load`] does for files on disk:
/// the entry point for tools and the fuzzer that have the text but no site folder.
///
/// `rel` is the file's path relative to the site root, used in diagnostics; `slug` is its id.
pub fn load_bytes(kind: Kind, slug: &str, rel: &Path, bytes: Vec<u8>) -> Loaded {
    let mut loaded = Loaded::default();
    if bytes.len() as u64 > MAX_FILE_BYTES {
        loaded.diagnostics.push(too_large(rel, bytes.len() as u64));
        loaded.broken.insert((kind, slug.to_owned()));
        return loaded;
    }
    match parse(kind, slug, rel, bytes) {
        Ok((parsed, mut found)) => {
            loaded.diagnostics.append(&mut found);
            loaded.library.add(parsed);
        }
        Err(mut errors) => {
            loaded.diagnostics.append(&mut errors);
            loaded.broken.insert((kind, slug.to_owned()));
        }
    }
    loaded
}

fn parse(
    kind: Kind,
    slug: &str,
    rel: &Path,
    bytes: Vec<u8>,
) -> Result<(Parsed, Vec<Diagnostic>), Vec<Diagnostic>> {
    let text = String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let (line, column) = crate::diagnostic::line_col(&prefix, valid);
        vec![
            Diagnostic::error(rel, line, column, "the file is not valid UTF-8 text").with_hint(
                "save it as UTF-8 in your editor; binary files do not belong in content/",
            ),
        ]
    })?;
    if let Some(nul) = text.find('\0') {
        let (line, column) = crate::diagnostic::line_col(&text, nul);
        return Err(vec![
            Diagnostic::error(
                rel,
                line,
                column,
                "the file contains a NUL byte, so it is not a text file",
            )
            .with_hint(
                "binary files do not belong in content/; save the article as plain UTF-8 text",
            ),
        ]);
    }
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(vec![
            Diagnostic::error(rel, 1, 1, "the file is empty")
                .with_hint("start it with front matter (a `---` line, at least `title:`, and another `---` line) and some Markdown, or delete it"),
        ]);
    }
    let split = source::split(&text).map_err(|err| vec![err.diagnostic(rel)])?;
    let (slug, lang) = split_language(slug);
    let source = SourceFile {
        path: rel.to_path_buf(),
        body: split.body.to_owned(),
        body_line: split.body_line,
        lang: lang.map(str::to_owned),
        unverified: None,
    };
    let origin = Origin {
        path: rel,
        first_line: split.front_matter_line,
    };
    let slug = slug.to_owned();
    let (yaml, bidi) = front_matter::without_bidi_controls(split.front_matter, origin);
    let parsed = match kind {
        Kind::Article => {
            let (article, found) = front_matter::article(slug, &yaml, origin, source)?;
            if let Some(article) = &article {
                check_tags(article, &text, rel)?;
            }
            Ok((article.map_or(Parsed::Draft, Parsed::Article), found))
        }
        Kind::Fix => front_matter::fix(slug, &yaml, origin, source)
            .map(|(fix, found)| (Parsed::Fix(fix), found)),
        Kind::Status => front_matter::status(slug, &yaml, origin, source)
            .map(|(status, found)| (Parsed::Status(status), found)),
        Kind::Guide => super::guide::guide(slug, &yaml, origin, source)
            .map(|(guide, found)| (Parsed::Guide(guide), found)),
    };
    parsed.map(|(parsed, mut found)| {
        found.extend(bidi);
        (parsed, found)
    })
}

/// A tag becomes a page at `tags/<slug>/`: one without letters or digits has no address
/// (and would land on the tag index itself).
fn check_tags(article: &super::Article, text: &str, rel: &Path) -> Result<(), Vec<Diagnostic>> {
    let errors: Vec<Diagnostic> = article
        .tags
        .iter()
        .filter(|tag| crate::id::slugify(tag).is_empty())
        .map(|tag| {
            let (line, column) = text
                .find(tag.as_str())
                .map_or((0, 0), |offset| crate::diagnostic::line_col(text, offset));
            Diagnostic::error(
                rel,
                line,
                column,
                format!("the tag `{tag}` has no letters or digits to name its page after"),
            )
            .with_hint("use words for tags and categories, e.g. `shared-albums`")
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// For a name with characters beyond ASCII, how it is spelled, code point by code point:
/// names that look the same (`café` composed, or as `e` and a combining accent) then read
/// differently in the diagnostics.
fn spelling(name: &str) -> String {
    if name.is_ascii() {
        return String::new();
    }
    let points: Vec<String> = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() {
                c.to_string()
            } else {
                format!("U+{:04X}", u32::from(c))
            }
        })
        .collect();
    format!(" (spelled {})", points.join(" "))
}
