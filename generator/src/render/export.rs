//! `directory.json`: every entry with its fields and its page's address, for
//! councils' own tools. Its shape is documented in docs/export.md.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use crate::fingerprint::hasher;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use url::Url;

use super::index::Index;
use super::views::origin;
use crate::content::{AskKind, Entry, EventKind, Kind, OpenTo, Sector, Visibility};

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
pub struct Cache {
    /// Whether to keep the entries for a next build: a build with none to
    /// come writes each entry once, in place, and keeps nothing.
    keep: bool,
    /// By kind, then slug: the key the bytes were made from, and the bytes.
    entries: HashMap<Kind, HashMap<String, (u64, Vec<u8>)>>,
}

impl Cache {
    /// A cache that keeps what it makes for the next build when `keep`.
    pub fn new(keep: bool) -> Self {
        Self {
            keep,
            entries: HashMap::new(),
        }
    }
}

/// How many entries a thread writes into one piece of the export, when
/// nothing is kept: enough to keep both cores busy, few enough pieces that
/// joining them is one copy.
const PIECE: usize = 512;

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
    cache: &'a mut Cache,
    /// The site's settings, as a hash.
    site: u64,
}

impl Lists<'_, '_> {
    /// Appends `name` and the JSON list of every entry of one kind to `out`:
    /// the cached bytes where the key is unchanged, else `make`'s, made in
    /// parallel.
    fn list<T: Send + Sync>(
        &mut self,
        out: &mut Vec<u8>,
        name: &str,
        kind: Kind,
        entries: &[std::sync::Arc<Entry<T>>],
        extra: impl Fn(usize) -> u64 + Sync,
        make: impl Fn(usize, &Entry<T>, &mut Vec<u8>) + Sync,
    ) {
        out.extend_from_slice(format!(",\n\"{name}\":[").as_bytes());
        let separator = |i: usize| if i == 0 { &b"\n"[..] } else { &b",\n"[..] };
        if !self.cache.keep {
            let pieces: Vec<Vec<u8>> = entries
                .par_chunks(PIECE)
                .enumerate()
                .map(|(n, chunk)| {
                    let mut piece = Vec::with_capacity(chunk.len() * 1_400);
                    for (j, entry) in chunk.iter().enumerate() {
                        let i = n * PIECE + j;
                        piece.extend_from_slice(separator(i));
                        make(i, entry, &mut piece);
                    }
                    piece
                })
                .collect();
            out.reserve(pieces.iter().map(Vec::len).sum::<usize>() + 2);
            for piece in pieces {
                out.extend_from_slice(&piece);
            }
            out.extend_from_slice(b"\n]");
            return;
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
            out.extend_from_slice(separator(i));
            out.extend_from_slice(&bytes);
            kept.insert(entry.slug.clone(), (key, bytes));
        }
        self.cache.entries.insert(kind, kept);
        out.extend_from_slice(b"\n]");
    }
}

/// The whole directory as JSON, one entry a line.
pub fn directory_json(index: &Index<'_>, cache: &mut Cache) -> Vec<u8> {
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
    // About a kilobyte an entry: one buffer, not grown and copied.
    let entries = dir.organisations.len()
        + dir.profiles.len()
        + dir.events.len()
        + dir.consultations.len()
        + dir.asks.len()
        + dir.pages.len();
    let mut out = Vec::with_capacity(512 + entries * 1_200);
    out.extend_from_slice(b"{\"version\":1,\"site\":");
    out.extend_from_slice(&serde_json::to_vec(&head).unwrap_or_default());
    out.extend_from_slice(format!(",\"as_of\":\"{}\"", index.now).as_bytes());
    let none = |_| 0;
    lists.list(
        &mut out,
        "organisations",
        Kind::Organisation,
        &dir.organisations,
        none,
        |_, e, out| {
            let o = &e.data;
            #[derive(Serialize)]
            struct Fields<'a> {
                name: &'a str,
                sector: Sector,
                website: Option<&'a Url>,
                logo: Option<&'a str>,
                region: Option<&'a str>,
            }
            exported(
                index,
                Kind::Organisation,
                e,
                Fields {
                    name: &o.name,
                    sector: o.sector,
                    website: o.website.as_ref(),
                    logo: o.logo.as_deref(),
                    region: o.region.as_deref(),
                },
                out,
            )
        },
    );
    lists.list(
        &mut out,
        "profiles",
        Kind::Profile,
        &dir.profiles,
        none,
        |_, e, out| {
            let p = &e.data;
            #[derive(Serialize)]
            struct Contact<'a> {
                email: Option<&'a str>,
                fediverse: Option<&'a str>,
                linkedin: Option<&'a Url>,
            }
            #[derive(Serialize)]
            struct Swap<'a> {
                months: u32,
                sectors: &'a [Sector],
                policy_areas: &'a [String],
                locations: &'a [String],
            }
            #[derive(Serialize)]
            struct Fields<'a> {
                name: &'a str,
                role: &'a str,
                organisation: &'a str,
                grade: Option<&'a str>,
                location: Option<&'a str>,
                policy_areas: &'a [String],
                interests: &'a [String],
                open_to: &'a [OpenTo],
                languages: &'a [String],
                pronouns: Option<&'a str>,
                contact: Contact<'a>,
                visibility: Visibility,
                federate: bool,
                paused_until: Option<String>,
                swap: Option<Swap<'a>>,
            }
            exported(
                index,
                Kind::Profile,
                e,
                Fields {
                    name: &p.name,
                    role: &p.role,
                    organisation: &p.organisation,
                    grade: p.grade.as_deref(),
                    location: p.location.as_deref(),
                    policy_areas: &p.policy_areas,
                    interests: &p.interests,
                    open_to: &p.open_to,
                    languages: &p.languages,
                    pronouns: p.pronouns.as_deref(),
                    contact: Contact {
                        email: p.contact.email.as_deref(),
                        fediverse: p.contact.fediverse.as_deref(),
                        linkedin: p.contact.linkedin.as_ref(),
                    },
                    visibility: p.visibility,
                    federate: p.federate,
                    paused_until: p.paused_until.map(|d| d.to_string()),
                    swap: p.swap.as_ref().map(|s| Swap {
                        months: s.months,
                        sectors: &s.sectors,
                        policy_areas: &s.policy_areas,
                        locations: &s.locations,
                    }),
                },
                out,
            )
        },
    );
    let upcoming = |i: usize| {
        let mut hasher = hasher();
        index.upcoming_of(i).hash(&mut hasher);
        hasher.finish()
    };
    lists.list(
        &mut out,
        "events",
        Kind::Event,
        &dir.events,
        upcoming,
        |i, e, out| {
            let v = &e.data;
            #[derive(Serialize)]
            struct Venue<'a> {
                name: &'a str,
                address: Option<&'a str>,
            }
            #[derive(Serialize)]
            struct Fields<'a> {
                title: &'a str,
                kind: EventKind,
                start: String,
                end: Option<String>,
                time_zone: Option<&'a str>,
                repeat: Option<&'a str>,
                upcoming: Vec<String>,
                venue: Option<Venue<'a>>,
                online: Option<&'a Url>,
                audience: &'a [Sector],
                capacity: Option<u32>,
                booking: Option<&'a Url>,
                host: Option<&'a str>,
                organisation: Option<&'a str>,
                consultation: Option<&'a str>,
                policy_areas: &'a [String],
                accessibility: Option<&'a str>,
                cancelled: bool,
            }
            exported(
                index,
                Kind::Event,
                e,
                Fields {
                    title: &v.title,
                    kind: v.kind,
                    start: v.start.timestamp().to_string(),
                    end: v.end.as_ref().map(|t| t.timestamp().to_string()),
                    time_zone: v.start.time_zone().iana_name(),
                    repeat: v.repeat.as_deref(),
                    upcoming: index
                        .upcoming_of(i)
                        .iter()
                        .map(|z| z.timestamp().to_string())
                        .collect(),
                    venue: v.venue.as_ref().map(|x| Venue {
                        name: &x.name,
                        address: x.address.as_deref(),
                    }),
                    online: v.online.as_ref(),
                    audience: &v.audience,
                    capacity: v.capacity,
                    booking: v.booking.as_ref(),
                    host: v.host.as_deref(),
                    organisation: v.organisation.as_deref(),
                    consultation: v.consultation.as_deref(),
                    policy_areas: &v.policy_areas,
                    accessibility: v.accessibility.as_deref(),
                    cancelled: v.cancelled,
                },
                out,
            )
        },
    );
    let status = |i: usize| dir.consultations[i].data.status(index.now) as u64;
    lists.list(
        &mut out,
        "consultations",
        Kind::Consultation,
        &dir.consultations,
        status,
        |_, e, out| {
            let c = &e.data;
            #[derive(Serialize)]
            struct Respond<'a> {
                url: Option<&'a Url>,
                email: Option<&'a str>,
                post: Option<&'a str>,
            }
            #[derive(Serialize)]
            struct Fields<'a> {
                title: &'a str,
                opens: String,
                closes: String,
                status: &'static str,
                policy_areas: &'a [String],
                lead: Option<&'a str>,
                organisation: Option<&'a str>,
                respond: Respond<'a>,
                outcome: Option<&'a Url>,
            }
            exported(
                index,
                Kind::Consultation,
                e,
                Fields {
                    title: &c.title,
                    opens: c.opens.timestamp().to_string(),
                    closes: c.closes.timestamp().to_string(),
                    status: super::views::status(c.status(index.now)).slug,
                    policy_areas: &c.policy_areas,
                    lead: c.lead.as_deref(),
                    organisation: c.organisation.as_deref(),
                    respond: Respond {
                        url: c.respond.url.as_ref(),
                        email: c.respond.email.as_deref(),
                        post: c.respond.post.as_deref(),
                    },
                    outcome: c.outcome.as_ref(),
                },
                out,
            )
        },
    );
    lists.list(&mut out, "asks", Kind::Ask, &dir.asks, none, |_, e, out| {
        let a = &e.data;
        #[derive(Serialize)]
        struct Fields<'a> {
            title: &'a str,
            kind: AskKind,
            by: &'a str,
            closes: Option<String>,
            policy_areas: &'a [String],
            filled: bool,
        }
        exported(
            index,
            Kind::Ask,
            e,
            Fields {
                title: &a.title,
                kind: a.kind,
                by: &a.by,
                closes: a.closes.map(|d| d.to_string()),
                policy_areas: &a.policy_areas,
                filled: a.filled,
            },
            out,
        )
    });
    lists.list(
        &mut out,
        "pages",
        Kind::Page,
        &dir.pages,
        none,
        |_, e, out| {
            #[derive(Serialize)]
            struct Fields<'a> {
                title: &'a str,
            }
            exported(
                index,
                Kind::Page,
                e,
                Fields {
                    title: &e.data.title,
                },
                out,
            )
        },
    );
    out.extend_from_slice(b"}\n");
    out
}
