//! Which folders a build may replace, one build at a time, and never losing a file fixbook
//! did not write.
//!
//! fixbook replaces an output folder only when it can prove it wrote it: a manifest of the
//! folder lies beside it (see [`super::manifest`]). A missing or empty folder is free to
//! take. Anything else is refused unless the writer asks with `--force`, and even then
//! the folder is moved aside, never deleted. A git checkout is never an output.
//!
//! Files found in a folder fixbook reuses that its manifest does not list (a file someone
//! copied into `public/`, a symbolic link) are *set aside*: moved into a kept folder beside
//! the output, `public.kept-20261206-190501/`, and named in a warning.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::manifest::Manifest;

/// Why a build will not write into its output folder.
#[derive(Debug)]
pub enum Refusal {
    /// The folder exists, is not empty, and fixbook did not write it.
    NotOurs {
        /// The folder.
        output: PathBuf,
        /// A few of the names it holds, to recognise it by.
        holds: Vec<String>,
    },
    /// The folder is, or holds, a git repository.
    Git {
        /// The folder.
        output: PathBuf,
        /// The `.git` found.
        git: PathBuf,
    },
    /// Something that is not a folder stands at the output path.
    NotAFolder(PathBuf),
    /// The output path is a symbolic link.
    Link(PathBuf),
}

impl Refusal {
    /// What is wrong, in one sentence.
    pub fn message(&self) -> String {
        match self {
            Refusal::NotOurs { output, holds } => format!(
                "refusing to build into `{}`: it already holds files fixbook did not write ({})",
                output.display(),
                holds.join(", ")
            ),
            Refusal::Git { output, git } => format!(
                "refusing to build into `{}`: it is or holds a git repository (`{}`)",
                output.display(),
                git.display()
            ),
            Refusal::NotAFolder(output) => format!(
                "refusing to build into `{}`: it exists and is not a folder",
                output.display()
            ),
            Refusal::Link(output) => format!(
                "refusing to build into `{}`: it is a symbolic link",
                output.display()
            ),
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            Refusal::NotOurs { .. } => "choose a new or empty folder with `--output`, or pass \
                `--force` to move this folder aside (kept, never deleted) and build in its place"
                .to_owned(),
            Refusal::Git { .. } => "a repository is never replaced, not even with `--force`: \
                build into a folder of its own and copy or deploy from there"
                .to_owned(),
            Refusal::NotAFolder(_) => {
                "move the file away, or choose another folder with `--output`".to_owned()
            }
            Refusal::Link(_) => "pass the folder the link points to with `--output`, or remove \
                the link"
                .to_owned(),
        }
    }
}

/// Why preparing the output failed.
#[derive(Debug)]
pub enum OutputError {
    /// The folder may not be built into.
    Refused(Refusal),
    /// The file system failed.
    Io(io::Error),
}

impl From<io::Error> for OutputError {
    fn from(err: io::Error) -> Self {
        OutputError::Io(err)
    }
}

/// What an existing output folder turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// Nothing there, or an empty folder: free to take.
    Free,
    /// A folder fixbook wrote.
    Ours,
    /// A folder fixbook did not write, to be moved aside (only with `--force`).
    Foreign,
}

/// How many names a refusal quotes.
const QUOTED_NAMES: usize = 3;

/// The first few of `names` in order, quoted, and how many more there are.
fn quote_some(names: &mut [String]) -> Vec<String> {
    names.sort();
    let mut quoted: Vec<String> = names
        .iter()
        .take(QUOTED_NAMES)
        .map(|n| format!("`{n}`"))
        .collect();
    let more = names.len().saturating_sub(QUOTED_NAMES);
    if more > 0 {
        quoted.push(format!("and {more} more"));
    }
    quoted
}

/// What stands at `output`, and whether a build may take it.
pub(super) fn inspect(output: &Path, manifests: &str, force: bool) -> Result<Found, OutputError> {
    let meta = match std::fs::symlink_metadata(output) {
        Ok(meta) => meta,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Found::Free),
        Err(err) => return Err(err.into()),
    };
    let refuse = |refusal| Err(OutputError::Refused(refusal));
    if meta.file_type().is_symlink() {
        return refuse(Refusal::Link(output.to_path_buf()));
    }
    if !meta.is_dir() {
        return refuse(Refusal::NotAFolder(output.to_path_buf()));
    }
    let git = output.join(".git");
    if output.file_name().is_some_and(|name| name == ".git") {
        return refuse(Refusal::Git {
            output: output.to_path_buf(),
            git: output.to_path_buf(),
        });
    }
    if std::fs::symlink_metadata(&git).is_ok() {
        return refuse(Refusal::Git {
            output: output.to_path_buf(),
            git,
        });
    }
    if Manifest::exists_for(output, manifests) {
        return Ok(Found::Ours);
    }
    let mut names: Vec<String> = std::fs::read_dir(output)?
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(Found::Free);
    }
    if !force {
        return refuse(Refusal::NotOurs {
            output: output.to_path_buf(),
            holds: quote_some(&mut names),
        });
    }
    // Moving a repository aside would still take it from where its owner keeps it.
    if let Some(git) = walkdir::WalkDir::new(output)
        .follow_links(false)
        .into_iter()
        .flatten()
        .find(|entry| entry.file_name() == ".git")
    {
        return refuse(Refusal::Git {
            output: output.to_path_buf(),
            git: git.into_path(),
        });
    }
    Ok(Found::Foreign)
}

/// An exclusive lock on building one output folder, held until dropped: two builds into the
/// same folder run one after the other. The lock file (`.public.fixbook-lock`) stays beside
/// the output; removing it would let a third build lock a different file.
#[derive(Debug)]
pub(super) struct Lock {
    _file: std::fs::File,
}

impl Lock {
    /// Takes the lock at `path`, waiting (and saying so) while another build holds it.
    pub(super) fn take(path: &Path, output: &Path) -> io::Result<Lock> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                eprintln!(
                    "waiting for another build into `{}` to finish…",
                    output.display()
                );
                file.lock()?;
            }
            Err(std::fs::TryLockError::Error(err)) => return Err(err),
        }
        Ok(Lock { _file: file })
    }
}

/// Where the files a build sets aside go: one folder beside the output per build that
/// needs one, made on first use.
#[derive(Debug)]
pub(super) struct Keeper {
    parent: PathBuf,
    name: String,
    folder: Mutex<Option<PathBuf>>,
    /// What was set aside, as `/`-separated paths relative to the output.
    moved: Mutex<Vec<String>>,
    /// A whole folder moved aside (by `--force`, or a spare without a manifest).
    whole: Mutex<Vec<(PathBuf, PathBuf)>>,
}

impl Keeper {
    /// A keeper for the output `name` in `parent`.
    pub(super) fn new(parent: &Path, name: &str) -> Keeper {
        Keeper {
            parent: parent.to_path_buf(),
            name: name.to_owned(),
            folder: Mutex::new(None),
            moved: Mutex::new(Vec::new()),
            whole: Mutex::new(Vec::new()),
        }
    }

    /// A name beside the output that nothing has yet: `public.kept-20261206-190501`.
    fn fresh_folder(&self) -> PathBuf {
        let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S").to_string();
        let base = format!("{}.kept-{stamp}", self.name);
        let mut candidate = self.parent.join(&base);
        let mut n = 2;
        while std::fs::symlink_metadata(&candidate).is_ok() {
            candidate = self.parent.join(format!("{base}-{n}"));
            n += 1;
        }
        candidate
    }

    /// Moves the whole folder `from` aside; where it went.
    pub(super) fn keep_folder(&self, from: &Path) -> io::Result<PathBuf> {
        let to = self.fresh_folder();
        std::fs::rename(from, &to)?;
        self.whole
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((from.to_path_buf(), to.clone()));
        Ok(to)
    }

    /// Moves `root/relative` (a file, link or folder, never followed) into the kept folder.
    pub(super) fn set_aside(&self, root: &Path, relative: &Path) -> io::Result<()> {
        let folder = {
            let mut folder = self.folder.lock().unwrap_or_else(|e| e.into_inner());
            match &*folder {
                Some(path) => path.clone(),
                None => {
                    let path = self.fresh_folder();
                    std::fs::create_dir(&path)?;
                    *folder = Some(path.clone());
                    path
                }
            }
        };
        let to = folder.join(relative);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(root.join(relative), &to)?;
        self.moved
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(relative.to_string_lossy().replace('\\', "/"));
        Ok(())
    }

    /// One sentence per thing set aside, for the build's warnings.
    pub(super) fn notes(&self, output: &Path) -> Vec<String> {
        let mut notes: Vec<String> = self
            .whole
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(from, to)| {
                format!(
                    "moved what was in `{}` aside to `{}` (fixbook did not write it)",
                    from.display(),
                    to.display()
                )
            })
            .collect();
        let mut moved = self.moved.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let (false, Some(folder)) = (
            moved.is_empty(),
            &*self.folder.lock().unwrap_or_else(|e| e.into_inner()),
        ) {
            notes.push(format!(
                "{} in `{}` not written by fixbook moved to `{}`: {}",
                if moved.len() == 1 { "a file" } else { "files" },
                output.display(),
                folder.display(),
                quote_some(&mut moved).join(", ")
            ));
        }
        notes
    }
}

/// The bytes free for an unprivileged writer on the file system holding `path`.
pub(super) fn free_space(path: &Path) -> Option<u64> {
    let stat = rustix::fs::statvfs(path).ok()?;
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

/// The disk space the files under `dir` take (links not followed), counted in the blocks
/// the file system gives them; with `only_unlinked`, of those no other folder shares
/// (whose space removing them gives back).
pub(super) fn size_of_tree(dir: &Path, only_unlinked: bool) -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.metadata().ok())
        .filter(|meta| meta.is_file() && (!only_unlinked || meta.nlink() == 1))
        .map(|meta| meta.blocks().saturating_mul(512))
        .sum()
}
