//! What the last `interchange build` of a site wrote, kept on disk beside
//! its output, so that the next build, in a new process, renders and writes
//! only the pages and files whose inputs changed.
//!
//! The file holds each page's address and fingerprint, each group of
//! site-wide files' fingerprint and files, and the suggestions on profile
//! pages, behind a header naming the program and settings that made it and
//! a checksum of the rest. A file that
//! is missing, unreadable, damaged or made by another build of the program
//! is not read: the build is then a full one. Any build that changes the
//! output first removes the file, and only a build that completes writes it
//! again, so a build stopped half way (a crash, a template error) leaves
//! none for the next to trust.

use std::borrow::Cow;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::site_files::SiteWide;
use super::{BuildError, BuildOptions};
use crate::fingerprint;
use crate::matching::suggestions::Suggestion;

/// The file's name in the output's cache folder.
const FILE: &str = "last-build";

/// What the file begins with.
const MAGIC: &[u8; 8] = b"ixlast\x00\x01";

/// The layout of what follows the header; a new layout has a new number.
const LAYOUT: u32 = 1;

/// The last build's state, as the next build reads it: borrowed from the
/// build's memory when written, owned when read.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct LastBuild<'a> {
    /// The moment the build was made as of.
    pub(super) built_at: Option<Timestamp>,
    /// When its site would next change with no edit.
    pub(super) next_change: Option<Timestamp>,
    /// How many times a `next_change` had passed (see [`super::Memory`]).
    pub(super) epoch: u64,
    /// Each page's address and fingerprint.
    pub(super) pages: Vec<(String, u64)>,
    /// Each group of site-wide files, by name: its fingerprint and files.
    pub(super) groups: Vec<(String, u64, Vec<PathBuf>)>,
    /// The suggestions on profile pages and what they were made from:
    /// making them is a fifth of a build after one edit.
    pub(super) suggestions: Option<(u64, Cow<'a, [Vec<Suggestion>]>)>,
}

/// The file that keeps the last build of the site written at `output`.
fn path(output: &Path) -> PathBuf {
    super::output::cache(output).join(FILE)
}

/// A number for the program and the settings a state is made under: a
/// state from another build of the program (whose pages may render
/// differently from the same inputs) or other settings is never read.
fn maker(options: &BuildOptions) -> u64 {
    // The program's own file stands for its build: a new build of the same
    // version, as while it is developed, is a new file.
    let program = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|meta| (meta.len(), meta.modified().ok()))
        .ok();
    fingerprint::of((
        LAYOUT,
        env!("CARGO_PKG_VERSION"),
        program,
        options.internal,
        options.base_url.as_ref().map(url::Url::as_str),
    ))
}

/// Reads the state of the last build into `output` under `options`, or
/// `None` when there is none to trust.
pub(super) fn read(options: &BuildOptions) -> Option<LastBuild<'static>> {
    let bytes = std::fs::read(path(&options.output)).ok()?;
    let rest = bytes.strip_prefix(MAGIC)?;
    let (made_by, rest) = split_u64(rest)?;
    let (sum, body) = split_u64(rest)?;
    if made_by != maker(options) || sum != checksum(body) {
        return None;
    }
    let last: LastBuild<'static> = postcard::from_bytes(body).ok()?;
    // Every group named must be one this program makes.
    let known = last
        .groups
        .iter()
        .all(|(name, ..)| SiteWide::named(name).is_some());
    known.then_some(last)
}

/// The first eight bytes as a number, and the rest.
fn split_u64(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<8>()?;
    Some((u64::from_le_bytes(*head), rest))
}

/// Removes the state kept for `output`: the output is about to change.
pub(super) fn forget(output: &Path) -> Result<(), BuildError> {
    let path = path(output);
    match std::fs::remove_file(&path) {
        Err(source) if source.kind() != std::io::ErrorKind::NotFound => {
            Err(BuildError::Io { path, source })
        }
        _ => Ok(()),
    }
}

/// Keeps `last` as the state of the build just made into `output`.
pub(super) fn write(options: &BuildOptions, last: &LastBuild<'_>) -> std::io::Result<()> {
    // Written as it is made: a national directory's state is tens of
    // megabytes, made at the end of the build, near its peak of memory.
    crate::files::write_atomically_with(&path(&options.output), |file| {
        file.write_all(&[0; HEADER])?;
        let mut body = Checksummed::new(&mut *file);
        body = postcard::to_io(last, body).map_err(std::io::Error::other)?;
        let checksum = body.finish()?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(MAGIC)?;
        file.write_all(&maker(options).to_le_bytes())?;
        file.write_all(&checksum.to_le_bytes())
    })
}

/// The header's length: the magic, the maker and the checksum.
const HEADER: usize = MAGIC.len() + 16;

/// How many bytes of the body each step of its checksum covers.
const BLOCK: usize = 1 << 20;

/// The checksum of a state's body, a block at a time, as
/// [`Checksummed`] makes it while writing.
fn checksum(body: &[u8]) -> u64 {
    body.chunks(BLOCK)
        .fold(0, |sum, block| fingerprint::of((sum, block)))
}

/// A writer that passes on what it is given a block at a time, and sums
/// the blocks as [`checksum`] does.
struct Checksummed<W: Write> {
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
    use crate::matching::people::TagKind;

    fn options(dir: &Path) -> BuildOptions {
        BuildOptions {
            output: dir.join("public"),
            base_url: None,
            internal: false,
        }
    }

    fn state() -> LastBuild<'static> {
        LastBuild {
            built_at: Some(Timestamp::UNIX_EPOCH),
            next_change: None,
            epoch: 2,
            pages: vec![("/profiles/priya-shah/".into(), 7)],
            groups: vec![("search".into(), 9, vec![PathBuf::from("search/0.json")])],
            suggestions: Some((
                11,
                Cow::Owned(vec![vec![Suggestion {
                    profile: 3,
                    shared: vec![(TagKind::Interest, "tenancy-law".into())],
                    place: Some("Leeds".into()),
                }]]),
            )),
        }
    }

    #[test]
    fn a_state_written_is_read_back_under_the_same_settings_only() {
        let dir = tempfile::tempdir().expect("a folder");
        let options = options(dir.path());
        write(&options, &state()).expect("written");
        let read = read(&options).expect("read back");
        assert_eq!(read.pages, state().pages);
        assert_eq!(read.groups, state().groups);
        assert_eq!(read.epoch, 2);
        assert_eq!(read.suggestions, state().suggestions);
        let internal = BuildOptions {
            internal: true,
            ..options.clone()
        };
        assert!(read_none(&internal), "another variant's state is not read");
    }

    fn read_none(options: &BuildOptions) -> bool {
        super::read(options).is_none()
    }

    #[test]
    fn a_damaged_truncated_or_forgotten_state_is_not_read() {
        let dir = tempfile::tempdir().expect("a folder");
        let options = options(dir.path());
        write(&options, &state()).expect("written");
        let file = path(&options.output);
        let bytes = std::fs::read(&file).expect("readable");
        for at in [0, MAGIC.len() + 3, bytes.len() - 1] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            std::fs::write(&file, &damaged).expect("written");
            assert!(read_none(&options), "a byte changed at {at}");
        }
        std::fs::write(&file, &bytes[..bytes.len() - 3]).expect("written");
        assert!(read_none(&options), "truncated");
        std::fs::write(&file, &bytes).expect("written");
        assert!(read(&options).is_some());
        forget(&options.output).expect("removed");
        assert!(read_none(&options), "forgotten");
        forget(&options.output).expect("nothing to remove is no error");
    }

    #[test]
    fn a_state_of_many_blocks_is_read_back() {
        let dir = tempfile::tempdir().expect("a folder");
        let options = options(dir.path());
        let mut big = state();
        big.pages = (0..100_000)
            .map(|n| (format!("/profiles/officer-{n}/"), n))
            .collect();
        write(&options, &big).expect("written");
        let bytes = std::fs::metadata(path(&options.output)).expect("written");
        assert!(bytes.len() > 2 * BLOCK as u64, "{} bytes", bytes.len());
        assert_eq!(read(&options).expect("read back").pages, big.pages);
    }

    #[test]
    fn a_state_naming_a_group_no_longer_made_is_not_read() {
        let dir = tempfile::tempdir().expect("a folder");
        let options = options(dir.path());
        let mut old = state();
        old.groups.push(("gone".into(), 1, Vec::new()));
        write(&options, &old).expect("written");
        assert!(read_none(&options));
    }
}
