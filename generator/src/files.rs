//! Writing files so that a reader never sees half of one.

use std::path::Path;

/// Writes `bytes` at `path` (making its folder) through a hidden file beside
/// it renamed into place, so that a reader never sees half a file and a crash
/// leaves the old one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = folder.join(format!(".{name}.new"));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}
