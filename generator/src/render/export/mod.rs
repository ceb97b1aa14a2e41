//! `directory.json`: every entry with its fields and its page's address, for
//! councils' own tools. Its shape is documented in docs/outputs.md.

mod fields;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::index::Index;
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
}

impl LastExport {
    /// A cache that keeps what it makes for the next build when `keep`.
    pub fn new(keep: bool) -> Self {
        Self {
            keep,
            entries: HashMap::new(),
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
}

impl Lists<'_, '_> {
    /// Appends `name` and the JSON list of every entry of one kind to `out`:
    /// the cached bytes where the key is unchanged, else `make`'s, made in
    /// parallel.
    fn list<T: Send + Sync>(
        &mut self,
        out: &mut dyn Write,
        name: &str,
        kind: Kind,
        entries: &[std::sync::Arc<Entry<T>>],
        extra: impl Fn(usize) -> u64 + Sync,
        make: impl Fn(usize, &Entry<T>, &mut Vec<u8>) + Sync,
    ) -> std::io::Result<()> {
        write!(out, ",\n\"{name}\":[")?;
        let separator = |i: usize| if i == 0 { &b"\n"[..] } else { &b",\n"[..] };
        if !self.cache.keep {
            for (b, batch) in entries.chunks(PIECE * PIECES_AT_ONCE).enumerate() {
                let pieces: Vec<Vec<u8>> = batch
                    .par_chunks(PIECE)
                    .enumerate()
                    .map(|(n, chunk)| {
                        let mut piece = Vec::with_capacity(chunk.len() * 1_400);
                        for (j, entry) in chunk.iter().enumerate() {
                            let i = (b * PIECES_AT_ONCE + n) * PIECE + j;
                            piece.extend_from_slice(separator(i));
                            make(i, entry, &mut piece);
                        }
                        piece
                    })
                    .collect();
                for piece in pieces {
                    out.write_all(&piece)?;
                }
            }
            return out.write_all(b"\n]");
        }
        let (index, site) = (self.index, self.site);
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

/// Writes the whole directory as JSON, one entry a line, to `out`.
pub fn directory_json(
    index: &Index<'_>,
    cache: &mut LastExport,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let dir = index.dir;
    let site = {
        let mut hasher = hasher();
        format!("{:?}", dir.site).hash(&mut hasher);
        hasher.finish()
    };
    let mut lists = Lists { index, cache, site };
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
    out.write_all(b"}\n")
}
