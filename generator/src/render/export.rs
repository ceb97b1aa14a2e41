//! `directory.json`: every entry with its fields and its page's address, for
//! councils' own tools. Its shape is documented in docs/export.md.

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

/// The whole directory as JSON.
pub fn directory_json(index: &Index<'_>) -> Vec<u8> {
    let dir = index.dir;
    let organisations: Vec<Value> = dir
        .organisations
        .iter()
        .map(|e| {
            let o = &e.data;
            with(common(index, Kind::Organisation, e), json!({
                "name": o.name, "sector": o.sector, "website": o.website, "logo": o.logo, "region": o.region,
            }))
        })
        .collect();
    let profiles: Vec<Value> = dir
        .profiles
        .iter()
        .map(|e| {
            let p = &e.data;
            with(common(index, Kind::Profile, e), json!({
                "name": p.name, "role": p.role, "organisation": p.organisation, "grade": p.grade,
                "location": p.location, "policy_areas": p.policy_areas, "interests": p.interests,
                "open_to": p.open_to, "languages": p.languages, "pronouns": p.pronouns,
                "contact": { "email": p.contact.email, "fediverse": p.contact.fediverse, "linkedin": p.contact.linkedin },
                "visibility": p.visibility, "federate": p.federate,
                "paused_until": p.paused_until.map(|d| d.to_string()),
                "swap": p.swap.as_ref().map(|s| json!({
                    "months": s.months, "sectors": s.sectors, "policy_areas": s.policy_areas, "locations": s.locations,
                })),
            }))
        })
        .collect();
    let events: Vec<Value> = dir
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let v = &e.data;
            with(common(index, Kind::Event, e), json!({
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
            }))
        })
        .collect();
    let consultations: Vec<Value> = dir
        .consultations
        .iter()
        .map(|e| {
            let c = &e.data;
            with(common(index, Kind::Consultation, e), json!({
                "title": c.title, "opens": c.opens.timestamp().to_string(), "closes": c.closes.timestamp().to_string(),
                "status": super::views::status(c.status(index.now)).slug,
                "policy_areas": c.policy_areas, "lead": c.lead, "organisation": c.organisation,
                "respond": { "url": c.respond.url, "email": c.respond.email, "post": c.respond.post },
                "outcome": c.outcome,
            }))
        })
        .collect();
    let asks: Vec<Value> = dir
        .asks
        .iter()
        .map(|e| {
            let a = &e.data;
            with(common(index, Kind::Ask, e), json!({
                "title": a.title, "kind": a.kind, "by": a.by, "closes": a.closes.map(|d| d.to_string()),
                "policy_areas": a.policy_areas, "filled": a.filled,
            }))
        })
        .collect();
    let pages: Vec<Value> = dir
        .pages
        .iter()
        .map(|e| {
            with(
                common(index, Kind::Page, e),
                json!({ "title": e.data.title }),
            )
        })
        .collect();
    let document = json!({
        "version": 1,
        "site": { "title": dir.site.title, "base_url": dir.site.base_url, "language": dir.site.language, "timezone": dir.site.timezone },
        "as_of": index.now.to_string(),
        "organisations": organisations,
        "profiles": profiles,
        "events": events,
        "consultations": consultations,
        "asks": asks,
        "pages": pages,
    });
    serde_json::to_vec_pretty(&document).unwrap_or_default()
}
