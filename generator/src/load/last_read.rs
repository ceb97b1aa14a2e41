//! What the last load read from each entry file, kept beside a build's
//! output, so that the next build, in a new process, parses and checks
//! again only the files whose bytes changed.
//!
//! Every file is still opened and read: its text is the entry's body, and
//! its digest says whether it changed (a time or size can stay the same
//! across an edit, as when git checks a file out). A file whose digest is
//! the one kept, and whose files under `static/` (a photo, a logo) have
//! the stamps they had, takes its entry and findings from what was kept
//! instead of being read field by field. Only files read without a problem
//! are kept: a file with one is read again each time, so its diagnostics
//! are always made fresh.
//!
//! Reading a file depends on nothing else but the config and the day
//! (consent dates are checked against today), so both are in the kept
//! file's maker, with the program's build: any change to them reads every
//! file again.
//!
//! The body is one record per file kept: the path, the digest of the file
//! read, and the reading encoded on its own, so that a build decodes only
//! the records of the files it finds unchanged, in parallel, and writes
//! back the records of those unchanged as they were.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
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
const LAYOUT: u32 = 1;

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

/// The readings kept by the last load, by path (relative to the site).
pub(super) struct LastRead<'a> {
    records: HashMap<&'a str, (u64, &'a [u8])>,
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
    /// The records of a kept file; `None` if they do not parse.
    pub(super) fn of(kept: &'a Kept) -> Option<Self> {
        let mut body = kept.body();
        let mut records = HashMap::new();
        while !body.is_empty() {
            let (path, rest) = split_bytes(body)?;
            let (digest, rest) = kept::split_u64(rest)?;
            let (record, rest) = split_bytes(rest)?;
            records.insert(std::str::from_utf8(path).ok()?, (digest, record));
            body = rest;
        }
        Some(Self { records })
    }

    /// The record kept for the file at `path`, if its digest is `digest`.
    pub(super) fn record(&self, path: &Path, digest: u64) -> Option<&'a [u8]> {
        let (kept, record) = self.records.get(path.to_str()?)?;
        (*kept == digest).then_some(*record)
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
/// under `maker`. A file reused from `last` (named in `reused`) keeps its
/// record as it was.
///
/// Nothing is written while few files are not kept as they are now (see
/// [`STALE`]): a build then parses those few again, which costs less than
/// writing every record again (a hundred megabytes at 200,000 profiles)
/// after each edit.
pub(super) fn write(
    folder: &Path,
    maker: u64,
    entries: &BTreeMap<PathBuf, ReadFile>,
    reused: &HashMap<PathBuf, &[u8]>,
    last: Option<&LastRead<'_>>,
) -> std::io::Result<()> {
    let keepable: Vec<(&Path, &ReadFile)> = entries
        .iter()
        .filter(|(_, read)| read.diagnostics.is_empty() && read.entry.is_some())
        .map(|(path, read)| (path.as_path(), read))
        .collect();
    let stale = keepable.len() - reused.len();
    if last.is_some() && stale * STALE <= keepable.len() {
        return Ok(());
    }
    let written = kept::write(&folder.join(FILE), MAGIC, maker, |body| {
        for batch in keepable.chunks(BATCH) {
            let records: Vec<Option<Cow<'_, [u8]>>> = batch
                .par_iter()
                .map(|(path, read)| match reused.get(*path) {
                    Some(record) => Some(Cow::Borrowed(*record)),
                    None => encode(read).map(Cow::Owned),
                })
                .collect();
            for ((path, read), record) in batch.iter().zip(records) {
                let (Some(record), Some(path)) = (record, path.to_str()) else {
                    continue;
                };
                put_bytes(body, path.as_bytes())?;
                body.write_all(&read.findings.file.digest().to_le_bytes())?;
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
