//! One output file: where it may go, writing it, telling whether it already holds its bytes.

use std::io;
use std::path::Path;

use super::manifest::Status;

/// Writes a new file; its status after.
pub(super) fn write_new(target: &Path, bytes: &[u8]) -> io::Result<Option<Status>> {
    use std::io::Write as _;
    let mut file = std::fs::File::create(target)?;
    file.write_all(bytes)?;
    Ok(file.metadata().ok().and_then(|meta| Status::of(&meta)))
}

/// Whether `old` is a regular file (never followed through a symbolic link) holding exactly
/// `bytes`: its status if so.
pub(super) fn unchanged(old: &Path, bytes: &[u8]) -> Option<Status> {
    use rustix::fs::{Mode, OFlags};
    use std::io::Read as _;
    let fd = rustix::fs::open(
        old,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()?;
    let mut file = std::fs::File::from(fd);
    let status = file.metadata().ok().and_then(|meta| Status::of(&meta))?;
    if status.size() != bytes.len() as u64 {
        return None;
    }
    let mut content = Vec::with_capacity(bytes.len());
    (file.read_to_end(&mut content).is_ok() && content == bytes).then_some(status)
}

/// Output paths come from ids that were validated, but the writer checks again: nothing is
/// ever written outside the output folder.
pub(super) fn safe_relative(path: &str) -> io::Result<&Path> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if ok {
        Ok(p)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: `{path}`"),
        ))
    }
}
