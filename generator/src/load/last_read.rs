//! What the last load read from each entry file, kept beside a build's
//! output, so that the next build, in a new process, opens, parses and
//! checks again only the files that changed.
//!
//! Each file's record holds its reading (the entry and what the checks
//! across files need), under its path, its number in the order the files
//! were found (so that the next build, finding the same files, finds each
//! record without looking it up by path), its digest and its stamp: its
//! size, times and place on disk (see [`crate::files::settled_stamp`]). A
//! file whose stamp is the one kept is not opened: it holds the text it
//! held when read, and is read only if a page or an index asks for its
//! text (few do after one edit). Its text is not kept: at 200,000 profiles
//! that would be two thirds of the file, which every build would read
//! whole. Any other file is read, and
//! if its digest is the one kept (a file written again with the same
//! bytes, or checked out again by git), its reading is still reused. A
//! file changed in the two seconds before it was read has no stamp kept,
//! so it is read again next time: a write in the same tick of the clock
//! would not have moved its times. Either way, a reading is reused only if
//! the files under `static/` it looked at (a photo, a logo) have the
//! stamps they had. Only files read without a problem are kept: a file
//! with one is read again each time, so its diagnostics are always made
//! fresh.
//!
//! Reading a file depends on nothing else but the config and the day
//! (consent dates are checked against today), so both are in the kept
//! file's maker, with the program's build: any change to them reads every
//! file again.
//!
//! The readings are encoded one by one, so that a build decodes only those
//! of the files it finds unchanged, in parallel, and writes back those
//! unchanged as they were.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::entry::{AnyEntry, Claim, Findings, ReadFile};
use crate::content::{Ask, Consultation, Entry, Event, Organisation, Page, Profile, Programme};
use crate::fields::Reference;
use crate::kept::{self, Kept};
use crate::source::{SourceFile, Span};

/// The file's name in the output's cache folder.
const FILE: &str = "last-read";

/// What the file begins with.
const MAGIC: &[u8; 8] = b"ixread\x00\x01";

/// The layout of what follows the header; a new layout has a new number.
const LAYOUT: u32 = 4;

/// The kept readings are written again once more than one file in this
/// many is not kept as it is now.
const STALE: usize = 64;

/// How many records are encoded at once when writing: in parallel, without
/// holding a national directory's every record at once.
const BATCH: usize = 4096;

/// One file's reading as kept: borrowed from the load when written, owned
/// when read back.
#[derive(Serialize, Deserialize)]
struct KeptRead<'a> {
    entry: KeptEntry<'a>,
    references: Cow<'a, [Reference]>,
    interests: Cow<'a, [(String, String, Span)]>,
    looked_at: Cow<'a, [(String, Option<u64>)]>,
}

/// An entry of any kind, without its file.
#[derive(Serialize, Deserialize)]
enum KeptEntry<'a> {
    Organisation(Cow<'a, Entry<Organisation>>),
    Profile(Cow<'a, Entry<Profile>>),
    Event(Cow<'a, Entry<Event>>),
    Consultation(Cow<'a, Entry<Consultation>>),
    Ask(Cow<'a, Entry<Ask>>),
    Page(Cow<'a, Entry<Page>>),
    Programme(Cow<'a, Entry<Programme>>),
}

impl<'a> KeptEntry<'a> {
    fn of(entry: &'a AnyEntry) -> Self {
        match entry {
            AnyEntry::Organisation(e) => KeptEntry::Organisation(Cow::Borrowed(e)),
            AnyEntry::Profile(e) => KeptEntry::Profile(Cow::Borrowed(e)),
            AnyEntry::Event(e) => KeptEntry::Event(Cow::Borrowed(e)),
            AnyEntry::Consultation(e) => KeptEntry::Consultation(Cow::Borrowed(e)),
            AnyEntry::Ask(e) => KeptEntry::Ask(Cow::Borrowed(e)),
            AnyEntry::Page(e) => KeptEntry::Page(Cow::Borrowed(e)),
            AnyEntry::Programme(e) => KeptEntry::Programme(Cow::Borrowed(e)),
        }
    }

    /// The entry, with `file` as the file it was read from.
    fn with_file(self, file: &Arc<SourceFile>) -> AnyEntry {
        fn attach<T: Clone>(entry: Cow<'_, Entry<T>>, file: &Arc<SourceFile>) -> Arc<Entry<T>> {
            let mut entry = entry.into_owned();
            entry.file = Arc::clone(file);
            Arc::new(entry)
        }
        match self {
            KeptEntry::Organisation(e) => AnyEntry::Organisation(attach(e, file)),
            KeptEntry::Profile(e) => AnyEntry::Profile(attach(e, file)),
            KeptEntry::Event(e) => AnyEntry::Event(attach(e, file)),
            KeptEntry::Consultation(e) => AnyEntry::Consultation(attach(e, file)),
            KeptEntry::Ask(e) => AnyEntry::Ask(attach(e, file)),
            KeptEntry::Page(e) => AnyEntry::Page(attach(e, file)),
            KeptEntry::Programme(e) => AnyEntry::Programme(attach(e, file)),
        }
    }
}

/// The readings kept by the last load, in the order of their paths
/// (relative to the site).
pub(super) struct LastRead<'a> {
    /// Each path's bytes and record.
    records: Vec<(&'a [u8], Record<'a>)>,
    /// By the number of each file in the order the last load found them,
    /// the place of its record, if it has one.
    by_number: Vec<Option<u32>>,
    /// The records by path, made only when a file is not found under its
    /// number (a file added or removed before it): making it is a tenth of
    /// a second at 200,000 files, and the build waits for it.
    by_path: std::sync::OnceLock<ahash::AHashMap<&'a [u8], usize>>,
    /// The site's root, which the paths are relative to.
    root: Arc<Path>,
}

/// One file's record.
#[derive(Clone)]
struct Record<'a> {
    /// The digest of the file's path and text.
    digest: u64,
    /// Its stamp when read, or 0 if it had none.
    stamp: u64,
    /// Its reading, a [`KeptRead`].
    reading: &'a [u8],
}

/// How one file came to be read this time, for keeping its record.
#[derive(Clone, Copy, Default)]
pub(super) struct Reading<'a> {
    /// Its settled stamp, if it has one.
    pub(super) stamp: Option<u64>,
    /// The kept reading it reused, if it did.
    pub(super) kept: Option<&'a [u8]>,
    /// Whether it was taken from its record without being opened.
    pub(super) unopened: bool,
}

/// The kept file at `folder`, read whole, if it was made by `maker`.
pub(super) fn read(folder: &Path, maker: u64) -> Option<Kept> {
    Kept::read(&folder.join(FILE), MAGIC, maker)
}

/// The number a kept file is made under: the program's build, and what
/// reading any file depends on (the config, by its digest, and the day).
pub(super) fn maker(config: &SourceFile, today: jiff::civil::Date) -> u64 {
    crate::fingerprint::of((LAYOUT, kept::program(), config.digest(), today))
}

impl<'a> LastRead<'a> {
    /// The records of a kept file, of the site at `root`; `None` if they do
    /// not parse.
    pub(super) fn of(kept: &'a Kept, root: &Path) -> Option<Self> {
        let mut body = kept.body();
        let whole = body.len();
        let mut records = Vec::new();
        let mut by_number = Vec::new();
        while !body.is_empty() {
            let (path, rest) = split_bytes(body)?;
            let (number, rest) = kept::split_u64(rest)?;
            let (digest, rest) = kept::split_u64(rest)?;
            let (stamp, rest) = kept::split_u64(rest)?;
            let (reading, rest) = split_bytes(rest)?;
            let record = Record {
                digest,
                stamp,
                reading,
            };
            // Each file's record takes more than a byte of the body.
            let number = usize::try_from(number).ok().filter(|&n| n <= whole)?;
            if by_number.len() <= number {
                by_number.resize(number + 1, None);
            }
            by_number[number] = u32::try_from(records.len()).ok();
            records.push((path, record));
            body = rest;
        }
        Some(Self {
            records,
            by_number,
            by_path: std::sync::OnceLock::new(),
            root: Arc::from(root),
        })
    }

    /// The record of the file at `path`, the file number `number` found:
    /// looked for first under the same number in the last load.
    fn record(&self, path: &Path, number: usize) -> Option<&Record<'a>> {
        let path = path.as_os_str().as_encoded_bytes();
        let place = self.by_number.get(number).copied().flatten();
        match place.and_then(|place| self.records.get(place as usize)) {
            Some((there, record)) if *there == path => Some(record),
            _ => {
                let by_path = self.by_path.get_or_init(|| {
                    let places = self.records.iter().enumerate();
                    places.map(|(n, (path, _))| (*path, n)).collect()
                });
                by_path.get(path).map(|&n| &self.records[n].1)
            }
        }
    }

    /// The reading kept for the file at `path`, the file number `number`
    /// found, if its digest is `digest`.
    pub(super) fn reading(&self, path: &Path, number: usize, digest: u64) -> Option<&'a [u8]> {
        let record = self.record(path, number)?;
        (record.digest == digest).then_some(record.reading)
    }

    /// The file at `path`, the file number `number` found, read from its
    /// record, if its stamp on disk is the one kept, and how: without
    /// opening it.
    pub(super) fn unchanged(&self, path: &Path, number: usize) -> Option<(ReadFile, Reading<'a>)> {
        let record = self.record(path, number)?;
        if record.stamp == 0 {
            return None;
        }
        let metadata = std::fs::metadata(self.root.join(path)).ok()?;
        if !metadata.is_file() || crate::files::exact_stamp(&metadata) != record.stamp {
            return None;
        }
        let modified = crate::files::modified(&metadata);
        let file = SourceFile::unread(path, Arc::clone(&self.root), record.digest);
        let file = Arc::new(file.modified_at(modified));
        let read = reuse(record.reading, &file, &self.root)?;
        let reading = Reading {
            stamp: Some(record.stamp),
            kept: Some(record.reading),
            unopened: true,
        };
        Some((read, reading))
    }
}

/// The reading of `file` kept in `record`, if it decodes and every file
/// under `static/` it looked at is as it was.
pub(super) fn reuse(record: &[u8], file: &Arc<SourceFile>, root: &Path) -> Option<ReadFile> {
    let kept: KeptRead<'_> = postcard::from_bytes(record).ok()?;
    let statics = root.join("static");
    let unchanged = kept
        .looked_at
        .iter()
        .all(|(path, stamp)| crate::files::stamp(&statics.join(path)) == *stamp);
    if !unchanged {
        return None;
    }
    let entry = kept.entry.with_file(file);
    let (kind, slug) = entry.key();
    Some(ReadFile {
        claim: Some(Claim {
            kind,
            slug: slug.to_string(),
        }),
        entry: Some(entry),
        diagnostics: Vec::new(),
        findings: Findings {
            file: Arc::clone(file),
            references: kept.references.into_owned(),
            interests: kept.interests.into_owned(),
        },
        looked_at: kept.looked_at.into_owned(),
    })
}

/// Keeps, in `folder`, the readings of `entries` without a problem, made
/// under `maker`, each with how it was read this time. A reading reused
/// keeps its encoding as it was.
///
/// Nothing is written while few files are not kept as they are now (see
/// [`STALE`]): a build then opens and parses those few again, which costs
/// less than writing every record again (hundreds of megabytes at 200,000
/// profiles) after each edit.
pub(super) fn write(
    folder: &Path,
    maker: u64,
    entries: &[(PathBuf, ReadFile, Reading<'_>)],
    last: Option<&LastRead<'_>>,
) -> std::io::Result<()> {
    let keepable = |(_, read, _): &&(PathBuf, ReadFile, Reading<'_>)| {
        read.diagnostics.is_empty() && read.entry.is_some()
    };
    // Stale: a file parsed again, or one whose bytes were as kept but
    // whose stamp was not, when it has one now worth keeping.
    let (kept, stale) = entries
        .iter()
        .filter(keepable)
        .fold((0, 0), |(kept, stale), (_, _, r)| {
            let again = !r.unopened && (r.kept.is_none() || r.stamp.is_some());
            (kept + 1, stale + usize::from(again))
        });
    if last.is_some() && stale * STALE <= kept {
        return Ok(());
    }
    // Each with its number in the order the files were found.
    let keepable: Vec<(usize, &Path, &ReadFile, Reading<'_>)> = entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| keepable(entry))
        .map(|(number, (path, read, reading))| (number, path.as_path(), read, *reading))
        .collect();
    let written = kept::write(&folder.join(FILE), MAGIC, maker, |body| {
        for batch in keepable.chunks(BATCH) {
            let records: Vec<Option<Cow<'_, [u8]>>> = batch
                .par_iter()
                .map(|(_, _, read, reading)| match reading.kept {
                    Some(record) => Some(Cow::Borrowed(record)),
                    None => encode(read).map(Cow::Owned),
                })
                .collect();
            for ((number, path, read, reading), record) in batch.iter().zip(records) {
                let (Some(record), Some(path)) = (record, path.to_str()) else {
                    continue;
                };
                let file = &read.findings.file;
                put_bytes(body, path.as_bytes())?;
                body.write_all(&(*number as u64).to_le_bytes())?;
                body.write_all(&file.digest().to_le_bytes())?;
                body.write_all(&reading.stamp.unwrap_or(0).to_le_bytes())?;
                put_bytes(body, &record)?;
            }
        }
        Ok(())
    });
    written.map(|_| ())
}

/// A reading encoded as a record; `None` for a file with no entry.
fn encode(read: &ReadFile) -> Option<Vec<u8>> {
    let kept = KeptRead {
        entry: KeptEntry::of(read.entry.as_ref()?),
        references: Cow::Borrowed(&read.findings.references),
        interests: Cow::Borrowed(&read.findings.interests),
        looked_at: Cow::Borrowed(&read.looked_at),
    };
    postcard::to_allocvec(&kept).ok()
}

/// Writes `bytes` after their length.
fn put_bytes(body: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(bytes.len()).map_err(std::io::Error::other)?;
    body.write_all(&len.to_le_bytes())?;
    body.write_all(bytes)
}

/// Bytes written by [`put_bytes`], and the rest.
fn split_bytes(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = bytes.split_first_chunk::<4>()?;
    let len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
    (rest.len() >= len).then(|| rest.split_at(len))
}
