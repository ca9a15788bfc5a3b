//! The on-disk tantivy index behind `fixbook search`, kept in `.fixbook/search-index/` under
//! the site root (outside the published output) and rebuilt whenever the content changed.

use std::hash::Hasher as _;
use std::path::{Path, PathBuf};

use super::{SearchDoc, SearchError, SearchIndex, Stemmer, build_index};

pub use crate::config::CACHE_DIR;
const INDEX_DIR: &str = "search-index";
const STAMP_FILE: &str = "content.hash";
/// The index's own format: a new one (fields, analyzer) rebuilds every cached index.
const INDEX_FORMAT: &str = "words-2";

/// A fingerprint of the documents and their stemmer: equal documents stemmed alike give an
/// equal stamp.
///
/// Every text is fed to the hasher as it is, after its length in bytes: no serialized copy
/// of the whole site is built, and two different document lists never feed the same bytes.
/// Lengths are fixed-width little-endian, so the stamp does not depend on the platform.
fn stamp(docs: &[SearchDoc], stemmer: Stemmer) -> String {
    let mut hasher = Fingerprint(std::hash::DefaultHasher::new());
    hasher.text(env!("CARGO_PKG_VERSION"));
    hasher.text(INDEX_FORMAT);
    hasher.text(stemmer.name());
    hasher.count(docs.len());
    for doc in docs {
        // Destructured so that a new field cannot be left out of the stamp.
        let SearchDoc {
            kind,
            slug,
            url,
            title,
            description,
            status_messages,
            symptoms,
            body,
            platforms,
        } = doc;
        hasher.text(kind.as_str());
        for text in [slug, url, title, description, body] {
            hasher.text(text);
        }
        for list in [status_messages, symptoms, platforms] {
            hasher.count(list.len());
            for text in list {
                hasher.text(text);
            }
        }
    }
    format!("{:016x}", hasher.0.finish())
}

/// Feeds lengths and texts to a hasher, each length as a `u64`.
struct Fingerprint(std::hash::DefaultHasher);

impl Fingerprint {
    fn count(&mut self, n: usize) {
        self.0.write(&(n as u64).to_le_bytes());
    }

    fn text(&mut self, text: &str) {
        self.count(text.len());
        self.0.write(text.as_bytes());
    }
}

fn index_dir(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join(INDEX_DIR)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SearchError + '_ {
    move |source| SearchError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes the index for `docs`, stemmed by `stemmer`, unless the cached one already
/// matches them.
pub fn store(root: &Path, docs: &[SearchDoc], stemmer: Stemmer) -> Result<(), SearchError> {
    store_at(root, &index_dir(root), docs, stemmer)
}

/// The index of one language other than the default: `search-index-de`.
fn language_dir(root: &Path, code: &str) -> PathBuf {
    root.join(CACHE_DIR).join(format!("{INDEX_DIR}-{code}"))
}

/// [`store`] for the documents of language `code` (not the default one).
pub fn store_language(
    root: &Path,
    code: &str,
    docs: &[SearchDoc],
    stemmer: Stemmer,
) -> Result<(), SearchError> {
    store_at(root, &language_dir(root, code), docs, stemmer)
}

/// [`open`] for the documents of language `code` (not the default one).
pub fn open_language(
    root: &Path,
    code: &str,
    docs: &[SearchDoc],
    stemmer: Stemmer,
) -> Result<SearchIndex, SearchError> {
    let dir = language_dir(root, code);
    store_at(root, &dir, docs, stemmer)?;
    SearchIndex::open(&dir, stemmer)
}

fn store_at(
    root: &Path,
    dir: &Path,
    docs: &[SearchDoc],
    stemmer: Stemmer,
) -> Result<(), SearchError> {
    let dir = dir.to_path_buf();
    let stamp = stamp(docs, stemmer);
    if std::fs::read_to_string(dir.join(STAMP_FILE)).is_ok_and(|s| s == stamp) {
        return Ok(());
    }
    let fresh = root.join(CACHE_DIR).join(format!(
        "{}.tmp-{}",
        dir.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(INDEX_DIR),
        std::process::id()
    ));
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh).map_err(io(&fresh))?;
    }
    std::fs::create_dir_all(&fresh).map_err(io(&fresh))?;
    build_index(docs, &fresh, stemmer)?;
    std::fs::write(fresh.join(STAMP_FILE), &stamp).map_err(io(&fresh))?;
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
    }
    std::fs::rename(&fresh, &dir).map_err(io(&dir))
}

/// Opens the cached index, rebuilding it first if the content changed since it was written.
pub fn open(root: &Path, docs: &[SearchDoc], stemmer: Stemmer) -> Result<SearchIndex, SearchError> {
    store(root, docs, stemmer)?;
    SearchIndex::open(&index_dir(root), stemmer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::fixtures::sample_docs;

    #[test]
    fn text_moved_between_fields_or_list_entries_changes_the_stamp() {
        let docs = sample_docs();
        let base = stamp(&docs, Stemmer::English);
        let mut moved = docs.clone();
        moved[0].description = format!("{}{}", moved[0].title, moved[0].description);
        moved[0].title.clear();
        assert_ne!(stamp(&moved, Stemmer::English), base);
        let mut split = docs.clone();
        split[0].symptoms = vec!["tray icon".to_owned(), "spins".to_owned()];
        let mut joined = docs.clone();
        joined[0].symptoms = vec!["tray iconspins".to_owned()];
        assert_ne!(
            stamp(&split, Stemmer::English),
            stamp(&joined, Stemmer::English)
        );
        let mut emptied = docs.clone();
        emptied[0].symptoms.push(String::new());
        assert_ne!(stamp(&emptied, Stemmer::English), base);
        assert_ne!(stamp(&docs[1..], Stemmer::English), base);
        assert_eq!(stamp(&docs.clone(), Stemmer::English), base);
        assert_ne!(stamp(&docs, Stemmer::German), base);
    }

    #[test]
    fn index_is_rebuilt_only_when_documents_change() -> Result<(), SearchError> {
        let root = tempfile::tempdir().map_err(io(Path::new("tmp")))?;
        let mut docs = sample_docs();
        store(root.path(), &docs, Stemmer::English)?;
        let first = std::fs::read_to_string(index_dir(root.path()).join(STAMP_FILE))
            .map_err(io(root.path()))?;
        store(root.path(), &docs, Stemmer::English)?;
        let again = std::fs::read_to_string(index_dir(root.path()).join(STAMP_FILE))
            .map_err(io(root.path()))?;
        assert_eq!(first, again);
        docs[0].title.push_str(" changed");
        let index = open(root.path(), &docs, Stemmer::English)?;
        assert_eq!(index.num_docs(), docs.len() as u64);
        let changed = std::fs::read_to_string(index_dir(root.path()).join(STAMP_FILE))
            .map_err(io(root.path()))?;
        assert_ne!(first, changed);
        Ok(())
    }
}
