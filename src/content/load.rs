//! Walking `content/` and reading every file into the [`Library`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::front_matter::{self, Origin};
use super::source::{self, SourceFile};
use super::{Kind, Library, is_valid_slug};
use crate::diagnostic::Diagnostic;

/// The folder under the site root that holds the content.
pub const CONTENT_DIR: &str = "content";

/// Files larger than this are refused: no help article is this long, and reading one
/// would only slow every build down.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// One parsed file, before the library is assembled.
enum Parsed {
    Article(super::Article),
    Fix(super::Fix),
    Status(super::StatusMessage),
    Draft,
}

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
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(vec![
            Diagnostic::site_error(format!("there is no `{CONTENT_DIR}` folder in `{}`", root.display()))
                .with_hint("create content/articles, content/fixes and content/status, or start from `fixbook init DIR`"),
        ]);
    }
    let (files, mut diagnostics) = discover(root, &content);
    let results: Vec<_> = files
        .par_iter()
        .map(|(kind, slug, path)| read_one(root, *kind, slug, path))
        .collect();
    let mut library = Library::default();
    let mut broken = BTreeSet::new();
    for ((kind, slug, _), result) in files.into_iter().zip(results) {
        match result {
            Ok((parsed, mut found)) => {
                diagnostics.append(&mut found);
                match parsed {
                    Parsed::Article(a) => library.articles.push(a),
                    Parsed::Fix(f) => library.fixes.push(f),
                    Parsed::Status(s) => library.statuses.push(s),
                    Parsed::Draft => {}
                }
            }
            Err(mut errors) => {
                diagnostics.append(&mut errors);
                broken.insert((kind, slug));
            }
        }
    }
    library.articles.sort_by(|a, b| a.slug.cmp(&b.slug));
    library.fixes.sort_by(|a, b| a.slug.cmp(&b.slug));
    library.statuses.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(Loaded {
        library,
        diagnostics,
        broken,
    })
}

/// Finds the Markdown files of each kind, checking names and duplicates.
fn discover(root: &Path, content: &Path) -> (Vec<(Kind, String, PathBuf)>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
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
            diagnostics.push(
                Diagnostic::warning(&rel, 0, 0, "symbolic link ignored")
                    .with_hint("content files must be regular files inside content/; copy the file instead of linking it"),
            );
            continue;
        }
        let kind = path
            .strip_prefix(content)
            .ok()
            .and_then(|p| p.components().next())
            .and_then(|c| Kind::ALL.into_iter().find(|k| c.as_os_str() == k.dir()));
        let is_markdown = path.extension().is_some_and(|e| e == "md");
        let Some(kind) = kind.filter(|_| is_markdown) else {
            diagnostics.push(
                Diagnostic::warning(&rel, 0, 0, "file ignored: not a Markdown file in content/articles, content/fixes or content/status")
                    .with_hint("move it into one of those folders with a `.md` name, or out of content/"),
            );
            continue;
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !is_valid_slug(&stem) {
            diagnostics.push(
                Diagnostic::error(
                    &rel,
                    0,
                    0,
                    format!("`{stem}` is not a valid {} id", kind.noun()),
                )
                .with_hint(format!(
                    "file names are ids: use lowercase letters, digits and dashes, e.g. `{}.md`",
                    crate::content::slugify(&stem)
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
    (files, diagnostics)
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Reads and parses one file: the parsed record with any non-fatal problems, or the errors.
fn read_one(root: &Path, kind: Kind, slug: &str, path: &Path) -> Result<(Parsed, Vec<Diagnostic>), Vec<Diagnostic>> {
    let rel = relative(root, path);
    let io_error = |err: std::io::Error| {
        vec![Diagnostic::error(
            &rel,
            0,
            0,
            format!("cannot read the file: {err}"),
        )]
    };
    let size = std::fs::metadata(path).map_err(io_error)?.len();
    if size > MAX_FILE_BYTES {
        return Err(vec![
            Diagnostic::error(
                &rel,
                0,
                0,
                format!(
                    "the file is {} MB, more than the {} MB limit",
                    size / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            )
            .with_hint("split it into several articles"),
        ]);
    }
    let bytes = std::fs::read(path).map_err(io_error)?;
    let text = String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let (line, column) = source::line_col(&prefix, valid);
        vec![
            Diagnostic::error(&rel, line, column, "the file is not valid UTF-8 text").with_hint(
                "save it as UTF-8 in your editor; binary files do not belong in content/",
            ),
        ]
    })?;
    let split = source::split(&text).map_err(|err| vec![err.diagnostic(&rel)])?;
    let source = SourceFile {
        path: rel.clone(),
        body: split.body.to_owned(),
        body_line: split.body_line,
    };
    let origin = Origin {
        path: &rel,
        first_line: split.front_matter_line,
    };
    let slug = slug.to_owned();
    match kind {
        Kind::Article => front_matter::article(slug, split.front_matter, origin, source)
            .map(|(article, found)| (article.map_or(Parsed::Draft, Parsed::Article), found)),
        Kind::Fix => front_matter::fix(slug, split.front_matter, origin, source)
            .map(|fix| (Parsed::Fix(fix), Vec::new())),
        Kind::Status => front_matter::status(slug, split.front_matter, origin, source)
            .map(|status| (Parsed::Status(status), Vec::new())),
    }
}
