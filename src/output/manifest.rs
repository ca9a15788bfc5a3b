//! What a build knows of the files it left in an output folder, so that a later build
//! writing into that folder again (when it has become the spare) can tell an unchanged file
//! without reading it back.
//!
//! For every file the manifest holds a fingerprint of its bytes and what the file system
//! said of the file when the build wrote or checked it: inode, size, modification and
//! status-change times. A file whose status is still exactly that has not been touched
//! since (any write or rename changes its status-change time, which no program can set
//! back), so its bytes are still the fingerprinted ones. A file changed too soon after it
//! was recorded for the clock to tell is left out (see [`Manifest::store`]): it is read
//! and compared instead, as is anything the manifest does not vouch for.
//!
//! The manifest of a folder lives beside it, named after the folder's inode, because
//! folders swap names at every build: `.public.fixbook-manifest-<inode>`.
//!
//! The manifest is also fixbook's proof of ownership: it lists every file the build wrote,
//! vouched for or not, and a folder without one was not written by fixbook. Only files it
//! lists are ever deleted; anything else found in a folder fixbook reuses is set aside.

use std::collections::HashMap;
use std::io;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// First words of a manifest file, with its format version.
const HEADER: &str = "fixbook-manifest 2";
/// The same for manifests of earlier versions, which list only the files they vouch for.
const HEADER_V1: &str = "fixbook-manifest 1";
/// How a line that lists a file without vouching for it starts.
const LISTED_ONLY: &str = "- ";
/// Files changed this close to the moment the manifest is stored are left out of it, on
/// file systems with nanosecond times. Their clock ticks every few milliseconds.
const RACY_FINE: Duration = Duration::from_millis(50);
/// The same on file systems that keep whole seconds.
const RACY_COARSE: Duration = Duration::from_secs(2);

/// The bytes of a file, as far as telling them apart goes: length and 128-bit XXH3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    len: u64,
    hash: u128,
}

impl Fingerprint {
    /// The fingerprint of `bytes`.
    pub fn of(bytes: &[u8]) -> Fingerprint {
        Fingerprint {
            len: bytes.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_128(bytes),
        }
    }

    /// The fingerprint of bytes of `len` whose 128-bit XXH3 is `hash`, known without them.
    pub fn from_parts(len: u64, hash: u128) -> Fingerprint {
        Fingerprint { len, hash }
    }

    /// The length of the bytes.
    pub fn len(&self) -> u64 {
        self.len
    }
}

/// What the file system said of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Status {
    /// The status of a regular file; `None` for anything else.
    pub fn of(meta: &std::fs::Metadata) -> Option<Status> {
        meta.is_file().then(|| Status {
            ino: meta.ino(),
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        })
    }

    /// The file's size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The status-change time as a duration since the epoch (zero before it).
    fn changed(&self) -> Duration {
        u64::try_from(self.ctime.0).map_or(Duration::ZERO, |secs| {
            Duration::new(secs, u32::try_from(self.ctime.1).unwrap_or(0))
        })
    }
}

/// One file of the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub fingerprint: Fingerprint,
    pub status: Status,
}

/// The files of one output folder, by path relative to it (with `/`).
#[derive(Debug, Default)]
pub struct Manifest {
    /// The files it can vouch for.
    entries: HashMap<String, Entry>,
    /// The files written but changed too recently (or too oddly) to vouch for.
    unvouched: std::collections::HashSet<String>,
}

impl Manifest {
    /// Whether the build that left this manifest wrote the file at `path`.
    pub fn lists(&self, path: &str) -> bool {
        self.entries.contains_key(path) || self.unvouched.contains(path)
    }

    /// Whether a manifest that belongs to `folder` lies beside it: the proof that fixbook
    /// wrote the folder. Reads only the first line.
    pub fn exists_for(folder: &Path, prefix: &str) -> bool {
        use std::io::BufRead as _;
        let Ok(meta) = std::fs::symlink_metadata(folder) else {
            return false;
        };
        let inode = meta.ino();
        let Ok(file) = std::fs::File::open(file_of(folder, prefix, inode)) else {
            return false;
        };
        let mut first = String::new();
        if std::io::BufReader::new(file).read_line(&mut first).is_err() {
            return false;
        }
        let first = first.trim_end();
        first == format!("{HEADER} {inode}") || first == format!("{HEADER_V1} {inode}")
    }

    /// Whether the file at `target` (the folder's file for `path`) certainly holds bytes
    /// with `fingerprint`; on success, its current status.
    pub fn vouches(&self, path: &str, target: &Path, fingerprint: Fingerprint) -> Option<Status> {
        self.untouched(path, target)
            .filter(|(_, stored)| *stored == fingerprint)
            .map(|(status, _)| status)
    }

    /// The current status of the file at `target` and the fingerprint of the bytes it
    /// was stored with, when it is untouched since.
    pub fn untouched(&self, path: &str, target: &Path) -> Option<(Status, Fingerprint)> {
        let entry = self.entries.get(path)?;
        let now = std::fs::symlink_metadata(target)
            .ok()
            .and_then(|meta| Status::of(&meta))?;
        (now == entry.status).then_some((now, entry.fingerprint))
    }

    /// The manifest of `folder` (whose parent holds the manifests), if one was stored and
    /// still belongs to it. A missing or unreadable manifest is no manifest.
    pub fn load(folder: &Path, prefix: &str) -> Option<Manifest> {
        let inode = std::fs::symlink_metadata(folder).ok()?.ino();
        let text = std::fs::read_to_string(file_of(folder, prefix, inode)).ok()?;
        let mut lines = text.lines();
        let first = lines.next()?;
        if first != format!("{HEADER} {inode}") && first != format!("{HEADER_V1} {inode}") {
            return None;
        }
        let mut manifest = Manifest::default();
        for line in lines {
            if let Some(path) = line.strip_prefix(LISTED_ONLY) {
                manifest.unvouched.insert(path.to_owned());
            } else {
                let (path, entry) = parse_line(line)?;
                manifest.entries.insert(path.to_owned(), entry);
            }
        }
        Some(manifest)
    }

    /// Stores `entries` as the manifest of `folder`, listing without vouching for files
    /// changed too recently to trust their times (or with no status), and removes the
    /// manifests of folders other than `keep`.
    pub fn store(
        folder: &Path,
        prefix: &str,
        entries: &HashMap<String, Option<Entry>>,
        keep: &[&Path],
    ) -> io::Result<()> {
        let inode = std::fs::symlink_metadata(folder)?.ino();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        let fine = entries.values().flatten().any(|e| e.status.ctime.1 != 0);
        let racy = if fine { RACY_FINE } else { RACY_COARSE };
        let settled = now.saturating_sub(racy);
        let mut text = format!("{HEADER} {inode}\n");
        let mut paths: Vec<&String> = entries.keys().collect();
        paths.sort();
        for path in paths {
            // Output paths come from validated ids; a line break would end the line early.
            if path.contains('\n') {
                continue;
            }
            match &entries[path] {
                Some(entry) if entry.status.changed() < settled => {
                    text.push_str(&format_line(path, entry));
                }
                _ => {
                    text.push_str(LISTED_ONLY);
                    text.push_str(path);
                    text.push('\n');
                }
            }
        }
        let file = file_of(folder, prefix, inode);
        let partial = folder.with_file_name(format!("{prefix}{inode}.partial"));
        std::fs::write(&partial, text)?;
        std::fs::rename(&partial, &file)?;
        remove_others(folder, prefix, keep);
        Ok(())
    }
}

/// `<parent>/<prefix><inode>`.
fn file_of(folder: &Path, prefix: &str, inode: u64) -> PathBuf {
    folder.with_file_name(format!("{prefix}{inode}"))
}

/// Removes the manifests beside `folder` of every folder but those in `keep`.
fn remove_others(folder: &Path, prefix: &str, keep: &[&Path]) {
    let kept: Vec<String> = keep
        .iter()
        .filter_map(|dir| std::fs::symlink_metadata(dir).ok())
        .map(|meta| format!("{prefix}{}", meta.ino()))
        .collect();
    let Some(parent) = folder.parent() else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(prefix) && !kept.contains(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn format_line(path: &str, entry: &Entry) -> String {
    let Entry {
        fingerprint: f,
        status: s,
    } = entry;
    format!(
        "{:032x} {} {} {} {} {} {} {} {path}\n",
        f.hash, f.len, s.ino, s.size, s.mtime.0, s.mtime.1, s.ctime.0, s.ctime.1
    )
}

fn parse_line(line: &str) -> Option<(&str, Entry)> {
    let mut fields = line.splitn(9, ' ');
    let hash = u128::from_str_radix(fields.next()?, 16).ok()?;
    let mut number = || fields.next()?.parse::<i64>().ok();
    let len = u64::try_from(number()?).ok()?;
    let ino = u64::try_from(number()?).ok()?;
    let size = u64::try_from(number()?).ok()?;
    let mtime = (number()?, number()?);
    let ctime = (number()?, number()?);
    let path = fields.next()?;
    Some((
        path,
        Entry {
            fingerprint: Fingerprint { len, hash },
            status: Status {
                ino,
                size,
                mtime,
                ctime,
            },
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder `public` in `dir` holding `page.html` with `text`, and the manifest entries
    /// that describe it.
    fn one_page(
        dir: &Path,
        text: &str,
    ) -> io::Result<(PathBuf, PathBuf, HashMap<String, Option<Entry>>)> {
        let folder = dir.join("public");
        std::fs::create_dir(&folder)?;
        let page = folder.join("page.html");
        std::fs::write(&page, text)?;
        let meta = std::fs::symlink_metadata(&page)?;
        let entry = Entry {
            fingerprint: Fingerprint::of(text.as_bytes()),
            status: Status::of(&meta).unwrap_or_else(|| panic!("not a file")),
        };
        let entries = HashMap::from([("page.html".to_owned(), Some(entry))]);
        Ok((folder, page, entries))
    }

    /// Whether `manifest` vouches for `file`, listed as `path`, holding `bytes`.
    fn vouched(manifest: &Manifest, path: &str, file: &Path, bytes: &[u8]) -> bool {
        manifest
            .vouches(path, file, Fingerprint::of(bytes))
            .is_some()
    }

    #[test]
    fn lines_read_back_as_written() {
        let entry = Entry {
            fingerprint: Fingerprint::of(b"hello"),
            status: Status {
                ino: 42,
                size: 5,
                mtime: (1_700_000_000, 123),
                ctime: (-1, 999_999_999),
            },
        };
        let line = format_line("a b/index.html", &entry);
        let (path, back) = parse_line(line.trim_end()).unwrap_or_else(|| panic!("{line}"));
        assert_eq!(path, "a b/index.html");
        assert_eq!(back, entry);
        assert!(parse_line("zz 1 2 3 4 5 6 7 x").is_none());
    }

    #[test]
    fn vouches_only_for_an_untouched_file_with_the_same_bytes() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let (folder, page, entries) = one_page(dir.path(), "one")?;
        // Stored later than the racy window, as a build's files usually are.
        std::thread::sleep(RACY_FINE.max(Duration::from_millis(60)));
        let coarse = entries.values().flatten().all(|e| e.status.ctime.1 == 0);
        if coarse {
            std::thread::sleep(RACY_COARSE);
        }
        Manifest::store(&folder, ".public.fixbook-manifest-", &entries, &[&folder])?;
        let manifest = Manifest::load(&folder, ".public.fixbook-manifest-")
            .unwrap_or_else(|| panic!("the manifest was stored"));
        assert!(vouched(&manifest, "page.html", &page, b"one"));
        assert!(
            !vouched(&manifest, "page.html", &page, b"two"),
            "other bytes"
        );
        assert!(
            !vouched(&manifest, "other.html", &page, b"one"),
            "unknown path"
        );
        // Rewritten with the same length: the times change, so it is no longer vouched for.
        std::fs::write(&page, "eno")?;
        assert!(!vouched(&manifest, "page.html", &page, b"one"));
        Ok(())
    }

    #[test]
    fn a_file_changed_just_before_storing_is_left_out() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let (folder, page, entries) = one_page(dir.path(), "fresh")?;
        Manifest::store(&folder, ".p-", &entries, &[&folder])?;
        let manifest =
            Manifest::load(&folder, ".p-").unwrap_or_else(|| panic!("the manifest was stored"));
        assert!(!vouched(&manifest, "page.html", &page, b"fresh"));
        assert!(manifest.lists("page.html"), "but it is listed as written");
        assert!(!manifest.lists("other.html"));
        Ok(())
    }

    #[test]
    fn a_manifest_belongs_to_its_folder_and_others_are_removed() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::create_dir(&a)?;
        std::fs::create_dir(&b)?;
        let entries = HashMap::new();
        Manifest::store(&a, ".m-", &entries, &[&a])?;
        assert!(Manifest::load(&a, ".m-").is_some());
        assert!(Manifest::exists_for(&a, ".m-"));
        assert!(Manifest::load(&b, ".m-").is_none());
        assert!(!Manifest::exists_for(&b, ".m-"));
        Manifest::store(&b, ".m-", &entries, &[&b])?;
        assert!(
            Manifest::load(&a, ".m-").is_none(),
            "a's manifest was removed"
        );
        assert!(Manifest::load(&b, ".m-").is_some());
        Ok(())
    }
}
