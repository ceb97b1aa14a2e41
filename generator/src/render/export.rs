//! `directory.json`: every entry with its fields and its page's address, for
//! councils' own tools. Its shape is documented in docs/export.md.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::fingerprint::hasher;

use rayon::prelude::*;
use serde_json::{Value, json};

use super::index::Index;
use super::views::{entry_url, origin};
use crate::content::{Entry, Kind};

fn common<T>(index: &Index<'_>, kind: Kind, entry: &Entry<T>) -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    map.insert("slug".into(), json!(entry.slug));
    map.insert(
        "url".into(),
        json!(index.dir.site.absolute(&entry_url(kind, &entry.slug))),
    );
    map.insert("origin".into(), json!(origin(&entry.origin).map(|o| o.url)));
    map.insert(
        "updated".into(),
        json!(entry.updated.map(|d| d.to_string())),
    );
    // The body as the page shows it: rendered and sanitised, so a tool that
    // displays it cannot be made to run a script.
    map.insert("body_html".into(), json!(index.body_html(entry)));
    map
}

fn with(mut map: serde_json::Map<String, Value>, fields: Value) -> Value {
    if let Value::Object(fields) = fields {
        map.extend(fields);
    }
    Value::Object(map)
}

/// Each entry's JSON as last written, with what it was made from, so that
/// a save writes again only the entries that changed.
#[derive(Debug, Default)]
pub struct Cache {
    entries: HashMap<(Kind, String), (u64, Vec<u8>)>,
}

/// What an entry's JSON is made from: the site's settings (addresses, the
/// trust in raw HTML), its file, the entries its body links to, and its
/// dates to come or status (`extra`).
fn key<T>(index: &Index<'_>, site: u64, entry: &Entry<T>, extra: impl Hash) -> u64 {
    let mut hasher = hasher();
    site.hash(&mut hasher);
    entry.file.digest().hash(&mut hasher);
    for (kind, slug) in &entry.links {
        index.entry_exists(*kind, slug).hash(&mut hasher);
    }
    extra.hash(&mut hasher);
    hasher.finish()
}

/// The lists of entries being written.
struct Lists<'a, 'i> {
    index: &'a Index<'i>,
    cache: &'a mut Cache,
    /// Every entry written, to forget the others.
    seen: Vec<(Kind, String)>,
    /// The site's settings, as a hash.
    site: u64,
}

impl Lists<'_, '_> {
    /// The JSON of every entry of one kind: the cached bytes where the key
    /// is unchanged, else `make`'s, made in parallel.
    fn list<T: Send + Sync>(
        &mut self,
        kind: Kind,
        entries: &[std::sync::Arc<Entry<T>>],
        extra: impl Fn(usize) -> u64 + Sync,
        make: impl Fn(usize, &Entry<T>) -> Value + Sync,
    ) -> Vec<u8> {
        let (index, site) = (self.index, self.site);
        let cache = &*self.cache;
        let made: Vec<(u64, Option<Vec<u8>>)> = entries
            .par_iter()
            .enumerate()
            .map(|(i, entry)| {
                let key = key(index, site, entry, extra(i));
                let known = cache
                    .entries
                    .get(&(kind, entry.slug.clone()))
                    .is_some_and(|(k, _)| *k == key);
                // Maps and strings always serialise.
                let bytes =
                    (!known).then(|| serde_json::to_vec(&make(i, entry)).unwrap_or_default());
                (key, bytes)
            })
            .collect();
        let cache = &mut *self.cache;
        let mut out = Vec::with_capacity(2 + entries.len() * 1_300);
        out.push(b'[');
        for (i, (entry, (key, bytes))) in entries.iter().zip(made).enumerate() {
            let id = (kind, entry.slug.clone());
            out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            match bytes {
                Some(bytes) => {
                    out.extend_from_slice(&bytes);
                    cache.entries.insert(id.clone(), (key, bytes));
                }
                None => {
                    if let Some((_, bytes)) = cache.entries.get(&id) {
                        out.extend_from_slice(bytes);
                    }
                }
            }
            self.seen.push(id);
        }
        out.extend_from_slice(b"\n]");
        out
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
    let mut lists = Lists {
        index,
        cache,
        seen: Vec::with_capacity(dir.len()),
        site,
    };
    let none = |_| 0;
    let organisations = lists.list(Kind::Organisation,
        &dir.organisations,
        none,
        |_, e| {
            let o = &e.data;
            with(
                common(index, Kind::Organisation, e),
                json!({
                    "name": o.name, "sector": o.sector, "website": o.website, "logo": o.logo, "region": o.region,
                }),
            )
        },
    );
    let profiles = lists.list(Kind::Profile,
        &dir.profiles,
        none,
        |_, e| {
            let p = &e.data;
            with(
                common(index, Kind::Profile, e),
                json!({
                    "name": p.name, "role": p.role, "organisation": p.organisation, "grade": p.grade,
                    "location": p.location, "policy_areas": p.policy_areas, "interests": p.interests,
                    "open_to": p.open_to, "languages": p.languages, "pronouns": p.pronouns,
                    "contact": { "email": p.contact.email, "fediverse": p.contact.fediverse, "linkedin": p.contact.linkedin },
                    "visibility": p.visibility, "federate": p.federate,
                    "paused_until": p.paused_until.map(|d| d.to_string()),
                    "swap": p.swap.as_ref().map(|s| json!({
                        "months": s.months, "sectors": s.sectors, "policy_areas": s.policy_areas, "locations": s.locations,
                    })),
                }),
            )
        },
    );
    let upcoming = |i: usize| {
        let mut hasher = hasher();
        index.upcoming_of(i).hash(&mut hasher);
        hasher.finish()
    };
    let events = lists.list(Kind::Event,
        &dir.events,
        upcoming,
        |i, e| {
            let v = &e.data;
            with(
                common(index, Kind::Event, e),
                json!({
                    "title": v.title, "kind": v.kind,
                    "start": v.start.timestamp().to_string(),
                    "end": v.end.as_ref().map(|t| t.timestamp().to_string()),
                    "time_zone": v.start.time_zone().iana_name(),
                    "repeat": v.repeat,
                    "upcoming": index.upcoming_of(i).iter().map(|z| z.timestamp().to_string()).collect::<Vec<_>>(),
                    "venue": v.venue.as_ref().map(|x| json!({ "name": x.name, "address": x.address })),
                    "online": v.online, "audience": v.audience, "capacity": v.capacity, "booking": v.booking,
                    "host": v.host, "organisation": v.organisation, "consultation": v.consultation,
                    "policy_areas": v.policy_areas, "accessibility": v.accessibility, "cancelled": v.cancelled,
                }),
            )
        },
    );
    let status = |i: usize| dir.consultations[i].data.status(index.now) as u64;
    let consultations = lists.list(Kind::Consultation,
        &dir.consultations,
        status,
        |_, e| {
            let c = &e.data;
            with(
                common(index, Kind::Consultation, e),
                json!({
                    "title": c.title, "opens": c.opens.timestamp().to_string(), "closes": c.closes.timestamp().to_string(),
                    "status": super::views::status(c.status(index.now)).slug,
                    "policy_areas": c.policy_areas, "lead": c.lead, "organisation": c.organisation,
                    "respond": { "url": c.respond.url, "email": c.respond.email, "post": c.respond.post },
                    "outcome": c.outcome,
                }),
            )
        },
    );
    let asks = lists.list(Kind::Ask,
        &dir.asks,
        none,
        |_, e| {
            let a = &e.data;
            with(
                common(index, Kind::Ask, e),
                json!({
                    "title": a.title, "kind": a.kind, "by": a.by, "closes": a.closes.map(|d| d.to_string()),
                    "policy_areas": a.policy_areas, "filled": a.filled,
                }),
            )
        },
    );
    let pages = lists.list(Kind::Page, &dir.pages, none, |_, e| {
        with(
            common(index, Kind::Page, e),
            json!({ "title": e.data.title }),
        )
    });
    // Entries gone from the directory are forgotten.
    let seen: std::collections::HashSet<(Kind, String)> = lists.seen.into_iter().collect();
    lists.cache.entries.retain(|id, _| seen.contains(id));

    let head = json!({
        "title": dir.site.title, "base_url": dir.site.base_url,
        "language": dir.site.language, "timezone": dir.site.timezone,
    });
    let mut out = Vec::with_capacity(
        organisations.len()
            + profiles.len()
            + events.len()
            + consultations.len()
            + asks.len()
            + pages.len()
            + 512,
    );
    out.extend_from_slice(b"{\"version\":1,\"site\":");
    out.extend_from_slice(&serde_json::to_vec(&head).unwrap_or_default());
    out.extend_from_slice(format!(",\"as_of\":\"{}\"", index.now).as_bytes());
    for (name, list) in [
        ("organisations", organisations),
        ("profiles", profiles),
        ("events", events),
        ("consultations", consultations),
        ("asks", asks),
        ("pages", pages),
    ] {
        out.extend_from_slice(format!(",\n\"{name}\":").as_bytes());
        out.extend_from_slice(&list);
    }
    out.extend_from_slice(b"}\n");
    out
}
