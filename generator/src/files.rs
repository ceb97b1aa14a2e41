//! Writing files so that a reader never sees half of one, and, for files
//! nothing can make again, so that a power cut loses neither.
//!
//! What is durable and what is not: mirrored entries and round files are
//! written durably (they come from other servers, or record who was
//! matched); the built site, the photos' cache and the editor's settings
//! are only atomic, as a build makes them again.

use std::io::Write as _;
use std::path::Path;

/// Writes `bytes` at `path` (making its folder) through a hidden file beside
/// it renamed into place, so that a reader never sees half a file and a crash
/// leaves the old one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(path, bytes, false)
}

/// Writes `bytes` at `path` as [`write_atomically`] does, and durably: the
/// new file's bytes reach the disk before it is renamed into place, and the
/// rename before this returns, so that a power cut leaves the old file or
/// the new one, never an empty file behind a rename that happened.
pub fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(path, bytes, true)
}

/// Writes `bytes` at `path` through a hidden file beside it renamed into
/// place, syncing the file and then the folder when `durable`.
fn replace(path: &Path, bytes: &[u8], durable: bool) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = folder.join(format!(".{name}.new"));
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    if durable {
        file.sync_all()?;
    }
    drop(file);
    std::fs::rename(&temporary, path)?;
    if durable {
        sync_folder(folder)?;
    }
    Ok(())
}

/// Removes the file at `path`, durably: once this returns, a power cut
/// cannot bring it back (an erased person's entry must stay erased).
pub fn remove_durably(path: &Path) -> std::io::Result<()> {
    std::fs::remove_file(path)?;
    sync_folder(path.parent().unwrap_or(Path::new(".")))
}

/// Makes the changes to a folder's entries (files renamed in, removed)
/// reach the disk. On systems where a folder cannot be opened to sync it,
/// the file system's own ordering is all there is.
pub fn sync_folder(folder: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(folder)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_durable_write_replaces_the_file_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("mirror/host/profiles/ann.md");
        write_durably(&path, b"first").expect("written");
        write_durably(&path, b"second").expect("written");
        assert_eq!(std::fs::read(&path).expect("read"), b"second");
        let names: Vec<_> = std::fs::read_dir(path.parent().expect("a folder"))
            .expect("listed")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["ann.md"]);
        remove_durably(&path).expect("removed");
        assert!(!path.exists());
    }
}
