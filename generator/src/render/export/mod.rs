//! `directory.json`: every entry with its fields and its page's address, for
//! councils' own tools. Its shape is documented in docs/outputs.md.

mod fields;
pub(super) mod kept;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::index::Index;
use super::output::Sink;
use super::views::origin;
use crate::content::{Entry, Kind};
use crate::fingerprint::hasher;
use fields::{
    AskFields, ConsultationFields, EventFields, OrganisationFields, PageFields, ProfileFields,
};

/// What every entry has, before its own fields.
#[derive(Serialize)]
struct Common {
    slug: String,
    url: String,
    origin: Option<String>,
    updated: Option<String>,
    /// The body as the page shows it: rendered and sanitised, so a tool that
    /// displays it cannot be made to run a script.
    body_html: String,
}

/// An entry as exported: the common fields, then its own.
#[derive(Serialize)]
struct Exported<F> {
    #[serde(flatten)]
    common: Common,
    #[serde(flatten)]
    fields: F,
}

/// Appends an entry's JSON to `out`, written straight from typed fields (not
/// built as a JSON tree first: the export holds every entry of the directory).
fn exported<T, F: Serialize>(
    index: &Index<'_>,
    kind: Kind,
    entry: &Entry<T>,
    fields: F,
    out: &mut Vec<u8>,
) {
    let entry = Exported {
        common: Common {
            slug: entry.slug.clone(),
            url: index.dir.site.absolute(&kind.url(&entry.slug)),
            origin: origin(&entry.origin).map(|o| o.url),
            updated: entry.updated.map(|d| d.to_string()),
            body_html: index.body_html(entry),
        },
        fields,
    };
    // Strings, numbers and lists of them always serialise, and a `Vec`
    // takes whatever is written.
    let _ = serde_json::to_writer(out, &entry);
}

/// Each entry's JSON as last written, with what it was made from, so that
/// a save writes again only the entries that changed.
#[derive(Debug, Default)]
pub struct LastExport {
    /// Whether to keep the entries for a next build: a build with none to
    /// come writes each entry once, in place, and keeps nothing.
    keep: bool,
    /// By kind, then slug: the key the bytes were made from, and the bytes.
    entries: HashMap<Kind, HashMap<String, (u64, Vec<u8>)>>,
    /// For a build that keeps its state on disk: each list's entries as
    /// the export on disk holds them (see [`kept`]), and the export the
    /// last build wrote, to copy unchanged entries from, if there is one.
    on_disk: Option<(kept::Lines, Option<PathBuf>)>,
}

impl LastExport {
    /// A cache that keeps what it makes for the next build when `keep`.
    pub fn new(keep: bool) -> Self {
        Self {
            keep,
            ..Self::default()
        }
    }

    /// Keeps each list's entries for the state on disk, starting from
    /// `lines`, as the export at `last` holds them, if it is the last
    /// build's.
    pub(in crate::render) fn keep_on_disk(&mut self, lines: kept::Lines, last: Option<PathBuf>) {
        self.on_disk = Some((lines, last));
    }

    /// Notes the stamp of the export just written, for the state on disk.
    pub(in crate::render) fn written_as(&mut self, stamp: Option<u64>) {
        if let Some((lines, _)) = &mut self.on_disk {
            lines.stamp = stamp;
        }
    }

    /// Each list's entries as the export on disk now holds them, if they
    /// are kept.
    pub(in crate::render) fn kept_on_disk(&self) -> Option<&kept::Lines> {
        self.on_disk.as_ref().map(|(lines, _)| lines)
    }

    /// The cache emptied for a build with none to come, still keeping
    /// what the state on disk needs.
    pub(in crate::render) fn emptied(&mut self) -> Self {
        Self {
            on_disk: self.on_disk.take(),
            ..Self::default()
        }
    }
}

/// How many entries a thread writes into one piece of the export, when
/// nothing is kept: enough to keep both cores busy.
const PIECE: usize = 512;

/// How many pieces are made side by side before they are written: the
/// export of a national directory is hundreds of megabytes, made and
/// written a few megabytes at a time.
const PIECES_AT_ONCE: usize = 8;

/// What an entry's JSON is made from: the site's settings (addresses, the
/// trust in raw HTML), its file, the entries its body links to, and its
/// dates to come or status (`extra`).
fn key<T>(index: &Index<'_>, site: u64, entry: &Entry<T>, extra: impl Hash) -> u64 {
    let mut hasher = hasher();
    site.hash(&mut hasher);
    entry.file.digest().hash(&mut hasher);
    for (kind, slug) in &entry.links {
        index.dir.contains(*kind, slug).hash(&mut hasher);
    }
    extra.hash(&mut hasher);
    hasher.finish()
}

/// The lists of entries being written.
struct Lists<'a, 'i> {
    index: &'a Index<'i>,
    cache: &'a mut LastExport,
    /// The site's settings, as a hash.
    site: u64,
    /// How many lists are written.
    written: usize,
    /// The export the last build wrote, read as this one is written.
    last: Option<kept::Last>,
    /// Each list's entries as written, when the state on disk keeps them.
    made: Option<Vec<kept::List>>,
}

impl Lists<'_, '_> {
    /// Appends `name` and the JSON list of every entry of one kind to `out`:
    /// the cached bytes where the key is unchanged, else `make`'s, made in
    /// parallel.
    fn list<T: Send + Sync>(
        &mut self,
        out: &mut Sink<'_>,
        name: &str,
        kind: Kind,
        entries: &[std::sync::Arc<Entry<T>>],
        extra: impl Fn(usize) -> u64 + Sync,
        make: impl Fn(usize, &Entry<T>, &mut Vec<u8>) + Sync,
    ) -> std::io::Result<()> {
        write!(out, ",\n\"{name}\":[")?;
        let separator = |i: usize| if i == 0 { &b"\n"[..] } else { &b",\n"[..] };
        let (index, site) = (self.index, self.site);
        if !self.cache.keep {
            let number = self.written;
            self.written += 1;
            let on_disk = self.made.is_some();
            // The lines of the last export, by slug, to copy those unchanged.
            let old = self
                .last
                .as_ref()
                .map(|last| last.list(number))
                .unwrap_or_default();
            let mut list = kept::List {
                start: out.position() + 1,
                entries: Vec::with_capacity(if on_disk { entries.len() } else { 0 }),
            };
            for (b, batch) in entries.chunks(PIECE * PIECES_AT_ONCE).enumerate() {
                let pieces: Vec<Piece> = batch
                    .par_chunks(PIECE)
                    .enumerate()
                    .map(|(n, chunk)| {
                        let mut piece = Piece::with_capacity(chunk.len(), on_disk, old.is_empty());
                        for (j, entry) in chunk.iter().enumerate() {
                            let i = (b * PIECES_AT_ONCE + n) * PIECE + j;
                            // What the state keeps of it: its slug and key.
                            let keeps = on_disk.then(|| {
                                (
                                    kept::slug_hash(&entry.slug),
                                    key(index, site, entry, extra(i)),
                                )
                            });
                            let line = keeps.and_then(|(slug, key)| {
                                old.get(&slug).filter(|line| line.key == key)
                            });
                            let len = match line {
                                Some(line) => piece.copy(separator(i), line.range.clone()),
                                None => {
                                    piece.bytes.extend_from_slice(separator(i));
                                    let start = piece.bytes.len();
                                    make(i, entry, &mut piece.bytes);
                                    piece.bytes.len() - start
                                }
                            };
                            if let Some((slug, key)) = keeps {
                                // A line of an entry is far shorter than 4 GB.
                                let len = u32::try_from(len).unwrap_or(u32::MAX);
                                piece.kept.push((slug, key, len));
                            }
                        }
                        piece.close();
                        piece
                    })
                    .collect();
                for piece in pieces {
                    piece.write(out, self.last.as_ref().map(kept::Last::file))?;
                    list.entries.extend(piece.kept);
                }
            }
            if let Some(made) = &mut self.made {
                made.push(list);
            }
            return out.write_all(b"\n]");
        }
        // The kind's entries as last made; those not in the directory now
        // are dropped with it.
        let mut known = self.cache.entries.remove(&kind).unwrap_or_default();
        let made: Vec<(u64, Option<Vec<u8>>)> = entries
            .par_iter()
            .enumerate()
            .map(|(i, entry)| {
                let key = key(index, site, entry, extra(i));
                let same = known.get(&entry.slug).is_some_and(|(k, _)| *k == key);
                (
                    key,
                    (!same).then(|| {
                        let mut bytes = Vec::new();
                        make(i, entry, &mut bytes);
                        bytes
                    }),
                )
            })
            .collect();
        let mut kept = HashMap::with_capacity(entries.len());
        for (i, (entry, (key, made))) in entries.iter().zip(made).enumerate() {
            let bytes = match made {
                Some(bytes) => bytes,
                None => known
                    .remove(&entry.slug)
                    .map(|(_, b)| b)
                    .unwrap_or_default(),
            };
            out.write_all(separator(i))?;
            out.write_all(&bytes)?;
            kept.insert(entry.slug.clone(), (key, bytes));
        }
        self.cache.entries.insert(kind, kept);
        out.write_all(b"\n]")
    }
}

/// A piece of a list of the export, made on one thread: the bytes made,
/// and the runs of the last export's bytes copied between them.
struct Piece {
    bytes: Vec<u8>,
    parts: Vec<Part>,
    /// Where the bytes not yet in a part begin.
    open: usize,
    /// Its entries as the state on disk keeps them.
    kept: Vec<(u64, u64, u32)>,
}

/// A run of a piece's bytes.
enum Part {
    /// Of the bytes made.
    Made(std::ops::Range<usize>),
    /// Of the last export.
    Copied(std::ops::Range<u64>),
}

impl Piece {
    /// A piece of `entries` entries, kept for the state on disk if
    /// `on_disk`, each made (not copied) if `all_made`.
    fn with_capacity(entries: usize, on_disk: bool, all_made: bool) -> Self {
        // An entry's line is about 1.4 KB.
        let made = if all_made { entries * 1_400 } else { 0 };
        Self {
            bytes: Vec::with_capacity(made),
            parts: Vec::new(),
            open: 0,
            kept: Vec::with_capacity(if on_disk { entries } else { 0 }),
        }
    }

    /// Puts `separator`, then the last export's line at `range`; gives
    /// the line's length. A line that follows the last one copied in the
    /// last export, as it does here, lengthens the same run.
    fn copy(&mut self, separator: &[u8], range: std::ops::Range<u64>) -> usize {
        let len = (range.end - range.start) as usize;
        if let Some(Part::Copied(run)) = self.parts.last_mut()
            && self.open == self.bytes.len()
            && separator == b",\n"
            && run.end + 2 == range.start
        {
            run.end = range.end;
            return len;
        }
        self.bytes.extend_from_slice(separator);
        self.close();
        self.parts.push(Part::Copied(range));
        len
    }

    /// Ends the run of bytes made, if there is one.
    fn close(&mut self) {
        if self.open < self.bytes.len() {
            self.parts.push(Part::Made(self.open..self.bytes.len()));
            self.open = self.bytes.len();
        }
    }

    /// Writes the piece to `out`, copying runs from `last`.
    fn write(&self, out: &mut Sink<'_>, last: Option<&std::fs::File>) -> std::io::Result<()> {
        for part in &self.parts {
            match (part, last) {
                (Part::Made(range), _) => out.write_all(&self.bytes[range.clone()])?,
                (Part::Copied(range), Some(last)) => out.copy_from(last, range.clone())?,
                (Part::Copied(_), None) => return Err(std::io::ErrorKind::NotFound.into()),
            }
        }
        Ok(())
    }
}

/// Writes the whole directory as JSON, one entry a line, to `out`.
pub fn directory_json(
    index: &Index<'_>,
    cache: &mut LastExport,
    out: &mut Sink<'_>,
) -> std::io::Result<()> {
    let dir = index.dir;
    let site = {
        let mut hasher = hasher();
        format!("{:?}", dir.site).hash(&mut hasher);
        hasher.finish()
    };
    // A build that keeps its state on disk copies from the export the
    // last build wrote the entries that did not change.
    let (last, made) = match &mut cache.on_disk {
        Some((lines, file)) => {
            let lines = std::mem::take(lines);
            let last = file.take().and_then(|file| kept::Last::open(&file, lines));
            (last, Some(Vec::new()))
        }
        None => (None, None),
    };
    let mut lists = Lists {
        index,
        cache,
        site,
        written: 0,
        last,
        made,
    };
    let head = json!({
        "title": dir.site.title, "base_url": dir.site.base_url,
        "language": dir.site.language, "timezone": dir.site.timezone,
    });
    out.write_all(b"{\"version\":1,\"site\":")?;
    serde_json::to_writer(&mut *out, &head)?;
    write!(out, ",\"as_of\":\"{}\"", super::format::instant(index.now))?;
    let none = |_| 0;
    let organisations = &dir.organisations;
    lists.list(
        out,
        "organisations",
        Kind::Organisation,
        organisations,
        none,
        |_, e, out| {
            exported(
                index,
                Kind::Organisation,
                e,
                OrganisationFields::new(&e.data),
                out,
            );
        },
    )?;
    // Someone who asked not to be shared with other directories is not
    // handed to anyone's tools in bulk either.
    let shared: Vec<_> = dir
        .profiles
        .iter()
        .filter(|p| p.data.federate)
        .cloned()
        .collect();
    lists.list(
        out,
        "profiles",
        Kind::Profile,
        &shared,
        none,
        |_, e, out| {
            exported(index, Kind::Profile, e, ProfileFields::new(&e.data), out);
        },
    )?;
    // The host too: a host no longer listed is cleared from the event
    // (`Directory::forget_unlisted_profiles`), its file unchanged.
    let upcoming = |i: usize| {
        let mut hasher = hasher();
        index.upcoming_of(i).hash(&mut hasher);
        dir.events[i].data.host.hash(&mut hasher);
        hasher.finish()
    };
    lists.list(
        out,
        "events",
        Kind::Event,
        &dir.events,
        upcoming,
        |i, e, out| {
            exported(
                index,
                Kind::Event,
                e,
                EventFields::new(index, i, &e.data),
                out,
            );
        },
    )?;
    // The lead too, as an event's host.
    let status = |i: usize| {
        let c = &dir.consultations[i].data;
        crate::fingerprint::of((c.status(index.now) as u64, &c.lead))
    };
    let consultations = &dir.consultations;
    lists.list(
        out,
        "consultations",
        Kind::Consultation,
        consultations,
        status,
        |_, e, out| {
            exported(
                index,
                Kind::Consultation,
                e,
                ConsultationFields::new(index, &e.data),
                out,
            );
        },
    )?;
    lists.list(out, "asks", Kind::Ask, &dir.asks, none, |_, e, out| {
        exported(index, Kind::Ask, e, AskFields::new(&e.data), out);
    })?;
    lists.list(out, "pages", Kind::Page, &dir.pages, none, |_, e, out| {
        exported(index, Kind::Page, e, PageFields::new(&e.data), out);
    })?;
    if let (Some((lines, _)), Some(made)) = (&mut lists.cache.on_disk, lists.made.take()) {
        // Its stamp is known once it is written whole.
        *lines = kept::Lines {
            stamp: None,
            lists: made,
        };
    }
    out.write_all(b"}\n")
}
