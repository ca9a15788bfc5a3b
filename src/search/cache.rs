//! The on-disk tantivy index behind `fixbook search`, kept in `.fixbook/search-index/` under
//! the site root (outside the published output) and rebuilt whenever the content changed.

use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};

use super::{SearchDoc, SearchError, SearchIndex, build_index};

/// The cache folder under the site root; git-ignore it.
pub const CACHE_DIR: &str = ".fixbook";
const INDEX_DIR: &str = "search-index";
const STAMP_FILE: &str = "content.hash";

/// A fingerprint of the documents: equal documents give an equal stamp.
fn stamp(docs: &[SearchDoc]) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    serde_json::to_string(docs)
        .unwrap_or_default()
        .hash(&mut hasher);
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    format!("{:016x}", hasher.finish())
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

/// Writes the index for `docs` unless the cached one already matches them.
pub fn store(root: &Path, docs: &[SearchDoc]) -> Result<(), SearchError> {
    let dir = index_dir(root);
    let stamp = stamp(docs);
    if std::fs::read_to_string(dir.join(STAMP_FILE)).is_ok_and(|s| s == stamp) {
        return Ok(());
    }
    let fresh = root
        .join(CACHE_DIR)
        .join(format!("{INDEX_DIR}.tmp-{}", std::process::id()));
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh).map_err(io(&fresh))?;
    }
    std::fs::create_dir_all(&fresh).map_err(io(&fresh))?;
    build_index(docs, &fresh)?;
    std::fs::write(fresh.join(STAMP_FILE), &stamp).map_err(io(&fresh))?;
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
    }
    std::fs::rename(&fresh, &dir).map_err(io(&dir))
}

/// Opens the cached index, rebuilding it first if the content changed since it was written.
pub fn open(root: &Path, docs: &[SearchDoc]) -> Result<SearchIndex, SearchError> {
    store(root, docs)?;
    SearchIndex::open(&index_dir(root))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::fixtures::sample_docs;

    #[test]
    fn index_is_rebuilt_only_when_documents_change() -> Result<(), SearchError> {
        let root = tempfile::tempdir().map_err(io(Path::new("tmp")))?;
        let mut docs = sample_docs();
        store(root.path(), &docs)?;
        let first = std::fs::read_to_string(index_dir(root.path()).join(STAMP_FILE))
            .map_err(io(root.path()))?;
        store(root.path(), &docs)?;
        let again = std::fs::read_to_string(index_dir(root.path()).join(STAMP_FILE))
            .map_err(io(root.path()))?;
        assert_eq!(first, again);
        docs[0].title.push_str(" changed");
        let index = open(root.path(), &docs)?;
        assert_eq!(index.num_docs(), docs.len() as u64);
        let changed = std::fs::read_to_string(index_dir(root.path()).join(STAMP_FILE))
            .map_err(io(root.path()))?;
        assert_ne!(first, changed);
        Ok(())
    }
}
