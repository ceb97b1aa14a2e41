//! Writing files so that a reader never sees half of one, and, for files
//! nothing can make again, so that a power cut loses neither.
//!
//! What is durable and what is not: mirrored entries and round files are
//! written durably (they come from other servers, or record who was
//! matched); the built site, the photos' cache and the editor's settings
//! are only atomic, as a build makes them again.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

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

/// Writes at `path` what `fill` writes into a file, as [`write_atomically`]
/// does: for a file made as it is written rather than held whole first.
pub fn write_atomically_with(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    replace_with(path, false, fill)
}

/// Writes at `path` what `fill` writes, as [`write_atomically_with`] does,
/// unless `path` holds those bytes already: then it is left as it was (its
/// time too). The two are compared a part at a time, so a file too large
/// to hold twice (`directory.json` of a national directory) never is.
pub fn write_atomically_unless_same(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    replace_with_unless(path, false, fill, |temporary| {
        same_bytes(temporary, path).map(|same| !same)
    })
}

/// A regular file's stamp (see [`exact_stamp`]), which changes whenever
/// the file is written, even with its modification time put back; `None`
/// when there is no such file.
pub fn stamp(path: &Path) -> Option<u64> {
    let metadata = std::fs::metadata(path).ok()?;
    metadata.is_file().then(|| exact_stamp(&metadata))
}

/// When the file was last modified, as its metadata says.
pub fn modified(metadata: &std::fs::Metadata) -> Option<jiff::Timestamp> {
    let modified = metadata.modified().ok()?;
    jiff::Timestamp::try_from(modified).ok()
}

/// A stamp that changes whenever the file's bytes do, if the file was last
/// changed (its text or its status) at least `settled` before `now`: its
/// size, its modification and status-change times, and where it is on its
/// device. A file changed since is not stamped: a write in the same tick of
/// the file system's clock as the stamp was taken would not move its times.
///
/// The status-change time is what makes it safe: a program can set a file's
/// modification time back after writing it (`touch -r`, `cp -p`, `rsync
/// -t`, an editor keeping times), but not its status-change time, which the
/// system moves to the present at every write.
pub fn settled_stamp(
    metadata: &std::fs::Metadata,
    now: SystemTime,
    settled: Duration,
) -> Option<u64> {
    let changed = last_changed(metadata)?;
    (changed + settled <= now).then(|| exact_stamp(metadata))
}

/// The stamp [`settled_stamp`] takes, whenever the file last changed.
pub fn exact_stamp(metadata: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        crate::fingerprint::of((
            metadata.len(),
            (metadata.mtime(), metadata.mtime_nsec()),
            (metadata.ctime(), metadata.ctime_nsec()),
            (metadata.dev(), metadata.ino()),
        ))
    }
    #[cfg(not(unix))]
    {
        crate::fingerprint::of((metadata.len(), metadata.modified().ok()))
    }
}

/// The later of when the file's bytes and its status last changed.
fn last_changed(metadata: &std::fs::Metadata) -> Option<SystemTime> {
    let modified = metadata.modified().ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let seconds = u64::try_from(metadata.ctime()).ok()?;
        let nanos = u32::try_from(metadata.ctime_nsec()).ok()?;
        let status = SystemTime::UNIX_EPOCH + Duration::new(seconds, nanos);
        Some(modified.max(status))
    }
    #[cfg(not(unix))]
    {
        Some(modified)
    }
}

/// Whether the files at `a` and `b` hold the same bytes; a missing `b`
/// holds none.
fn same_bytes(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let Ok(b) = std::fs::File::open(b) else {
        return Ok(false);
    };
    let a = std::fs::File::open(a)?;
    if a.metadata()?.len() != b.metadata()?.len() {
        return Ok(false);
    }
    let (mut a, mut b) = (
        std::io::BufReader::with_capacity(1 << 16, a),
        std::io::BufReader::with_capacity(1 << 16, b),
    );
    let (mut x, mut y) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        let read = a.read(&mut x)?;
        if read == 0 {
            return Ok(true);
        }
        b.read_exact(&mut y[..read])?;
        if x[..read] != y[..read] {
            return Ok(false);
        }
    }
}

/// Writes `bytes` at `path` through a hidden file beside it renamed into
/// place, syncing the file and then the folder when `durable`.
fn replace(path: &Path, bytes: &[u8], durable: bool) -> std::io::Result<()> {
    replace_with(path, durable, |file| file.write_all(bytes))
}

/// Writes at `path` what `fill` writes, as [`replace`] does.
fn replace_with(
    path: &Path,
    durable: bool,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    replace_with_unless(path, durable, fill, |_| Ok(true))
}

/// Writes at `path` what `fill` writes, as [`replace`] does, if `keep`,
/// told the hidden file written, says so; else removes that file.
fn replace_with_unless(
    path: &Path,
    durable: bool,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
    keep: impl FnOnce(&Path) -> std::io::Result<bool>,
) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    // A name of its own for each write, so that two writes of one file at
    // once (two activities for one entry) never write into the same file.
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let write = WRITES.fetch_add(1, Ordering::Relaxed);
    let temporary = folder.join(format!(
        ".{name}.{}-{write}{UNFINISHED}",
        std::process::id()
    ));
    let mut file = std::fs::File::create(&temporary)?;
    if let Err(error) = fill(&mut file) {
        drop(file);
        let _ = std::fs::remove_file(&temporary);
        return Err(error);
    }
    if durable {
        file.sync_all()?;
    }
    drop(file);
    match keep(&temporary) {
        Ok(true) => {}
        kept => {
            let _ = std::fs::remove_file(&temporary);
            return kept.map(|_| ());
        }
    }
    std::fs::rename(&temporary, path)?;
    if durable {
        sync_folder(folder)?;
    }
    Ok(())
}

/// How the hidden file of a write in progress ends: a process killed while
/// writing leaves it behind, never a half-written file under the real name.
const UNFINISHED: &str = ".new";

/// Whether a file's name is that of a write in progress (or of one a
/// killed process left).
pub fn is_unfinished(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(UNFINISHED)
}

/// How long the hidden file of a write must have been left before it is
/// taken for one a killed process left: writes take milliseconds, so a
/// minute-old one is over.
pub const UNFINISHED_IDLE: Duration = Duration::from_secs(60);

/// Removes, anywhere under `folder`, what writes cut short by a killed
/// process left (the hidden files of [`is_unfinished`]) and not touched for
/// `idle`: long enough that no write still under way is among them. The
/// paths removed; a folder that does not exist holds none.
pub fn remove_unfinished(folder: &Path, idle: Duration) -> std::io::Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    let now = SystemTime::now();
    for entry in walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
    {
        let unfinished =
            entry.file_type().is_file() && is_unfinished(&entry.file_name().to_string_lossy());
        let idle_for = entry
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|modified| now.duration_since(modified).ok());
        if unfinished && idle_for.is_some_and(|d| d >= idle) {
            std::fs::remove_file(entry.path())?;
            removed.push(entry.into_path());
        }
    }
    Ok(removed)
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
    fn a_file_written_unless_the_same_is_left_alone_when_it_is_the_same() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("site/directory.json");
        // Larger than one part of the comparison, differing only at the end.
        let mut bytes = vec![b'x'; 200_000];
        let write = |bytes: &[u8]| {
            write_atomically_unless_same(&path, |file| file.write_all(bytes)).expect("written")
        };
        write(&bytes);
        assert_eq!(std::fs::read(&path).expect("read"), bytes);
        let inode = |path: &Path| {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(path).expect("there").ino()
        };
        let first = inode(&path);
        write(&bytes);
        assert_eq!(inode(&path), first, "the same bytes: the file is kept");
        bytes[199_999] = b'y';
        write(&bytes);
        assert_ne!(inode(&path), first, "other bytes: the file is replaced");
        assert_eq!(std::fs::read(&path).expect("read"), bytes);
        let names: Vec<_> = std::fs::read_dir(path.parent().expect("a folder"))
            .expect("listed")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["directory.json"], "nothing left beside it");
    }

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

    #[test]
    fn what_a_killed_write_left_is_removed_once_idle_and_nothing_else() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let folder = dir.path().join("mirror/host/profiles");
        std::fs::create_dir_all(&folder).expect("made");
        let left = folder.join(".ann.md.4242-7.new");
        std::fs::write(&left, b"---\nname: A").expect("written");
        std::fs::write(folder.join("ann.md"), b"kept").expect("written");
        std::fs::write(folder.join(".notes.md"), b"kept").expect("written");
        // Under way, as far as anyone can tell: kept.
        assert!(
            remove_unfinished(dir.path(), Duration::from_secs(60))
                .expect("ran")
                .is_empty()
        );
        assert_eq!(
            remove_unfinished(dir.path(), Duration::ZERO).expect("ran"),
            std::slice::from_ref(&left)
        );
        assert!(!left.exists());
        assert!(folder.join("ann.md").exists() && folder.join(".notes.md").exists());
        assert!(
            remove_unfinished(&dir.path().join("none"), Duration::ZERO)
                .expect("ran")
                .is_empty()
        );
    }
}
