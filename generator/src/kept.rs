//! Files one run of the program keeps for the next: what a build rendered,
//! what a load read. Each begins with a header naming what it is, the
//! program and settings that made it (its "maker") and a checksum of the
//! rest, so that a file that is missing, cut short, damaged, or made by
//! another build of the program or under other settings is never trusted:
//! the next run then does the whole work again, as if there were none.

use std::hash::Hash;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use crate::fingerprint;

/// How many bytes of the body each step of its checksum covers.
const BLOCK: usize = 1 << 20;

/// What stands for the running program in a maker: its version and its
/// file's size and time, so that a new build of the same version (as while
/// it is developed) is another maker.
pub(crate) fn program() -> impl Hash {
    let file = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|meta| (meta.len(), meta.modified().ok()))
        .ok();
    (env!("CARGO_PKG_VERSION"), file)
}

/// A kept file's bytes, once its header is checked.
pub(crate) struct Kept {
    bytes: Bytes,
}

/// A kept file's bytes: mapped into memory where the system can, else read.
enum Bytes {
    #[cfg_attr(not(unix), allow(dead_code))]
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(map) => map,
            Bytes::Read(bytes) => bytes,
        }
    }
}

impl Kept {
    /// Reads the file at `path` if it begins with `magic`, was made by
    /// `maker` and its body is whole; else `None`.
    pub(crate) fn read(path: &Path, magic: &[u8; 8], maker: u64) -> Option<Self> {
        let bytes = map_or_read(path)?;
        let rest = bytes.strip_prefix(magic)?;
        let (made_by, rest) = split_u64(rest)?;
        let (sum, body) = split_u64(rest)?;
        let whole = made_by == maker && sum == checksum(body);
        whole.then_some(Self { bytes })
    }

    /// What follows the header.
    pub(crate) fn body(&self) -> &[u8] {
        &self.bytes[HEADER..]
    }

    /// The checksum of the body, which tells one file kept from another.
    pub(crate) fn checksum(&self) -> u64 {
        split_u64(&self.bytes[16..]).map_or(0, |(sum, _)| sum)
    }
}

/// The bytes of the file at `path`, mapped into memory rather than copied:
/// a national directory's kept files are some 150 MB, which a build after
/// one edit would otherwise copy into fresh memory, a page fault for each
/// four kilobytes, before it could begin (8 % of its CPU).
fn map_or_read(path: &Path) -> Option<Bytes> {
    let file = std::fs::File::open(path).ok()?;
    // Windows will not rename over a file that is mapped, which a build
    // that writes its kept files again while it reads them would do.
    #[cfg(unix)]
    // SAFETY: a mapped file changed while mapped would change bytes the
    // program holds as unchanging. Kept files are never written in place:
    // each is written whole under another name and renamed over the last
    // (`write`), which leaves the file mapped as it was until it is
    // unmapped. Only a hand writing into the output's cache folder could
    // change one, and `docs/deploy.md` tells a hand not to while a build runs.
    if let Ok(map) = unsafe { memmap2::MmapOptions::new().populate().map(&file) } {
        return Some(Bytes::Mapped(map));
    }
    use std::io::Read;
    let mut bytes = Vec::new();
    (&file).read_to_end(&mut bytes).ok()?;
    Some(Bytes::Read(bytes))
}

/// What a kept file's body is written to.
pub(crate) type Body<'f> = std::io::BufWriter<Checksummed<&'f mut std::fs::File>>;

/// The header's length: the magic, the maker and the checksum.
const HEADER: usize = 8 + 16;

/// Writes at `path`, atomically, a kept file whose body `fill` writes, as
/// it is made: a national directory's are tens of megabytes. Gives the
/// body's checksum.
pub(crate) fn write(
    path: &Path,
    magic: &[u8; 8],
    maker: u64,
    fill: impl FnOnce(&mut Body<'_>) -> std::io::Result<()>,
) -> std::io::Result<u64> {
    let mut sum = 0;
    crate::files::write_atomically_with(path, |file| {
        file.write_all(&[0; HEADER])?;
        // Buffered before the checksum: serde writes a field at a time, a
        // few bytes each, millions of times for a national directory.
        let mut body = std::io::BufWriter::with_capacity(BLOCK, Checksummed::new(&mut *file));
        fill(&mut body)?;
        sum = body.into_inner().map_err(|e| e.into_error())?.finish()?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(magic)?;
        file.write_all(&maker.to_le_bytes())?;
        file.write_all(&sum.to_le_bytes())
    })?;
    Ok(sum)
}

/// Removes the file at `path`, if there is one.
pub(crate) fn forget(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

/// The first eight bytes as a number, and the rest.
pub(crate) fn split_u64(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<8>()?;
    Some((u64::from_le_bytes(*head), rest))
}

/// The checksum of a body, a block at a time, as [`Checksummed`] makes it
/// while writing.
fn checksum(body: &[u8]) -> u64 {
    body.chunks(BLOCK)
        .fold(0, |sum, block| fingerprint::of((sum, block)))
}

/// A writer that passes on what it is given a block at a time, and sums
/// the blocks as [`checksum`] does.
pub(crate) struct Checksummed<W: Write> {
    inner: W,
    block: Vec<u8>,
    sum: u64,
}

impl<W: Write> Checksummed<W> {
    fn new(inner: W) -> Self {
        Self {
            inner,
            block: Vec::with_capacity(BLOCK),
            sum: 0,
        }
    }

    /// Sums and writes the block held.
    fn pass_on(&mut self) -> std::io::Result<()> {
        if !self.block.is_empty() {
            self.sum = fingerprint::of((self.sum, self.block.as_slice()));
            self.inner.write_all(&self.block)?;
            self.block.clear();
        }
        Ok(())
    }

    /// Writes what is left; gives the checksum of everything written.
    fn finish(mut self) -> std::io::Result<u64> {
        self.pass_on()?;
        self.inner.flush()?;
        Ok(self.sum)
    }
}

impl<W: Write> Write for Checksummed<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let taken = bytes.len().min(BLOCK - self.block.len());
        self.block.extend_from_slice(&bytes[..taken]);
        if self.block.len() == BLOCK {
            self.pass_on()?;
        }
        Ok(taken)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        // Blocks are passed on whole, so that the sum is the same however
        // the writes were split; the last goes in `finish`.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAGIC: &[u8; 8] = b"ixtest\x00\x01";

    fn written(dir: &Path, body: &[u8]) -> std::path::PathBuf {
        let path = dir.join("kept");
        write(&path, MAGIC, 7, |file| file.write_all(body)).expect("written");
        path
    }

    #[test]
    fn a_kept_file_is_read_back_by_its_maker_only() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = written(dir.path(), b"what was kept");
        let kept = Kept::read(&path, MAGIC, 7).expect("read back");
        assert_eq!(kept.body(), b"what was kept");
        let again = write(&path, MAGIC, 7, |file| file.write_all(b"what was kept"));
        assert_eq!(again.expect("written"), kept.checksum(), "its checksum");
        assert!(Kept::read(&path, MAGIC, 8).is_none(), "another maker");
        assert!(
            Kept::read(&path, b"ixother\x01", 7).is_none(),
            "another kind"
        );
    }

    #[test]
    fn a_damaged_truncated_or_forgotten_file_is_not_read() {
        let dir = tempfile::tempdir().expect("a folder");
        let body: Vec<u8> = (0..3 * BLOCK + 5).map(|n| (n % 251) as u8).collect();
        let path = written(dir.path(), &body);
        let bytes = std::fs::read(&path).expect("readable");
        assert_eq!(
            Kept::read(&path, MAGIC, 7).expect("many blocks").body(),
            body
        );
        for at in [0, MAGIC.len() + 3, HEADER + BLOCK + 1, bytes.len() - 1] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            std::fs::write(&path, &damaged).expect("written");
            assert!(
                Kept::read(&path, MAGIC, 7).is_none(),
                "a byte changed at {at}"
            );
        }
        std::fs::write(&path, &bytes[..bytes.len() - 3]).expect("written");
        assert!(Kept::read(&path, MAGIC, 7).is_none(), "truncated");
        std::fs::write(&path, &bytes[..HEADER - 1]).expect("written");
        assert!(Kept::read(&path, MAGIC, 7).is_none(), "no whole header");
        forget(&path).expect("removed");
        assert!(Kept::read(&path, MAGIC, 7).is_none(), "forgotten");
        forget(&path).expect("nothing to remove is no error");
    }
}
