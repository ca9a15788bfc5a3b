//! Where generated files go: the output's staging folder (see `output`), memory (`serve`),
//! or nowhere (`check`), and a sink that counts what passes through it.

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path inside the output folder, with `/` separators (`articles/foo/index.html`).
    pub path: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

/// Where generated files go as they are made: the build's staging folder, memory, or
/// nowhere (`check`). Called from many threads at once.
pub trait Sink: Sync {
    /// Takes one finished file.
    fn put(&self, file: OutputFile) -> std::io::Result<()>;

    /// Takes the file at `path` as it already is, if the sink can prove it holds bytes of
    /// the `expected` length and 128-bit XXH3 (the build's reused output, by its
    /// manifest), or with `None` the bytes it was last given for `path` (for files whose
    /// names say what they hold): then the bytes need not even be read. `false` asks for
    /// them through [`Sink::put`].
    fn keep(&self, path: &str, expected: Option<(u64, u128)>) -> std::io::Result<bool> {
        let _ = (path, expected);
        Ok(false)
    }
}

/// A [`Sink`] that keeps every file in memory.
#[derive(Debug, Default)]
pub struct Collect {
    files: std::sync::Mutex<Vec<OutputFile>>,
}

impl Collect {
    /// The files collected, sorted by path.
    pub fn into_sorted(self) -> Vec<OutputFile> {
        let mut files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(file);
        Ok(())
    }
}

/// A [`Sink`] that counts files and drops them: `check` renders every page (a template
/// error is an error) without keeping or writing any.
#[derive(Debug, Default)]
pub struct Discard {
    count: std::sync::atomic::AtomicUsize,
}

impl Discard {
    /// How many files were put.
    pub fn count(&self) -> usize {
        self.count.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Sink for Discard {
    fn put(&self, _file: OutputFile) -> std::io::Result<()> {
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

/// A [`Sink`] that counts the files it passes on to another.
pub struct Counted<'a> {
    inner: &'a dyn Sink,
    count: std::sync::atomic::AtomicUsize,
}

impl<'a> Counted<'a> {
    /// Counts what goes into `inner`.
    pub fn new(inner: &'a dyn Sink) -> Self {
        Counted {
            inner,
            count: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// How many files were passed on.
    pub fn count(&self) -> usize {
        self.count.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Sink for Counted<'_> {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        self.inner.put(file)?;
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    fn keep(&self, path: &str, expected: Option<(u64, u128)>) -> std::io::Result<bool> {
        let kept = self.inner.keep(path, expected)?;
        if kept {
            self.count
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(kept)
    }
}

/// A [`Sink`] that keeps the paths of the files and drops their bytes: `check --against`
/// needs to know which files the site has, not what they hold.
#[derive(Debug, Default)]
pub struct Listed {
    paths: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl Listed {
    /// The paths of the files put, sorted.
    pub fn into_paths(self) -> std::collections::BTreeSet<String> {
        self.paths.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Listed {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(file.path);
        Ok(())
    }
}

/// A [`Sink`] that puts every file into a folder of another (a language's pages into
/// `de/`).
pub struct InFolder<'a> {
    inner: &'a dyn Sink,
    folder: String,
}

impl<'a> InFolder<'a> {
    /// Files given to it go to `inner` under `folder` (ending in `/`, or empty).
    pub fn new(inner: &'a dyn Sink, folder: String) -> Self {
        InFolder { inner, folder }
    }
}

impl Sink for InFolder<'_> {
    fn put(&self, file: OutputFile) -> std::io::Result<()> {
        self.inner.put(OutputFile {
            path: format!("{}{}", self.folder, file.path),
            bytes: file.bytes,
        })
    }

    fn keep(&self, path: &str, expected: Option<(u64, u128)>) -> std::io::Result<bool> {
        self.inner.keep(&format!("{}{path}", self.folder), expected)
    }
}
