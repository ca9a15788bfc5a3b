//! Where generated files go: the build's staging folder, memory, or nowhere.

use super::OutputFile;

/// Where generated files go as they are made: the build's staging folder, memory, or
/// nowhere (`check`). Called from many threads at once.
pub trait Sink: Sync {
    /// Takes one finished file.
    fn put(&self, file: OutputFile) -> std::io::Result<()>;
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
