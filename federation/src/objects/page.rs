//! Consultations and asks as ActivityPub `Page`s. ActivityStreams has no
//! words for a consultation's dates or an ask's kind, so they travel as the
//! project's own terms, defined in a context document each instance serves
//! ([`context_document`]): another directory reads them back into the same
//! fields, and any other server still shows the page's name and text.

use generator::Entry;
use generator::content::{Ask, Consultation, Directory};
use serde_json::{Value, json};

use super::person;

/// Where an instance serves the project's JSON-LD context.
pub const CONTEXT_PATH: &str = "/ns/interchange";

/// The project's JSON-LD context: its terms, under the instance's own
/// address (`{base_url}/ns/interchange#term`).
pub fn context_document(directory: &Directory) -> Value {
    let ns = format!("{}#", directory.site.absolute(CONTEXT_PATH));
    let term = |name: &str| format!("{ns}{name}");
    let time = |name: &str| json!({ "@id": term(name), "@type": "http://www.w3.org/2001/XMLSchema#dateTime" });
    json!({
        "@context": {
            "ix": ns,
            "opens": time("opens"),
            "closes": time("closes"),
            "status": term("status"),
            "respond": term("respond"),
            "respondUrl": { "@id": term("respondUrl"), "@type": "@id" },
            "respondEmail": term("respondEmail"),
            "respondPost": term("respondPost"),
            "outcome": { "@id": term("outcome"), "@type": "@id" },
            "lead": { "@id": term("lead"), "@type": "@id" },
            "askKind": term("askKind"),
            "by": { "@id": term("by"), "@type": "@id" },
            "filled": term("filled"),
            "policyAreas": term("policyAreas"),
            "entryKind": term("entryKind"),
            "fields": { "@id": term("fields"), "@type": "@json" },
            "organisationEntry": { "@id": term("organisationEntry"), "@type": "@json" },
        }
    })
}

/// The contexts a `Page` names: ActivityStreams and the project's own.
fn contexts(directory: &Directory) -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        directory.site.absolute(CONTEXT_PATH),
    ])
}

/// A profile's actor id, if it may leave the instance.
fn actor_of(directory: &Directory, slug: &str) -> Option<String> {
    directory
        .profile(slug)
        .filter(|p| person::federates(p))
        .map(|p| person::id(directory, &p.slug))
}

/// The address of a consultation's page, which is its id.
pub fn consultation_id(directory: &Directory, slug: &str) -> String {
    directory.site.absolute(&format!("/consultations/{slug}/"))
}

/// The address of an ask's page, which is its id.
pub fn ask_id(directory: &Directory, slug: &str) -> String {
    directory.site.absolute(&format!("/asks/{slug}/"))
}

/// A consultation: its dates, status as of `now`, how to respond.
pub fn consultation(
    directory: &Directory,
    entry: &Entry<Consultation>,
    now: jiff::Timestamp,
) -> Value {
    let c = &entry.data;
    let id = consultation_id(directory, &entry.slug);
    let status = c.status(now);
    json!({
        "@context": contexts(directory),
        "type": "Page",
        "id": id,
        "url": id,
        "name": c.title,
        "summary": format!("{}: open from {} to {}.", status.label(), c.opens.strftime("%-d %B %Y"), c.closes.strftime("%-d %B %Y")),
        "content": super::body_html(directory, entry),
        "attributedTo": super::organisation::id(directory),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "opens": c.opens.timestamp().to_string(),
        "closes": c.closes.timestamp().to_string(),
        "status": status.label(),
        "respondUrl": c.respond.url.as_ref().map(url::Url::as_str),
        "respondEmail": c.respond.email,
        "respondPost": c.respond.post,
        "outcome": c.outcome.as_ref().map(url::Url::as_str),
        "lead": c.lead.as_deref().and_then(|l| actor_of(directory, l)),
        "policyAreas": c.policy_areas,
    })
}

/// An ask: what is asked, by whom, until when.
pub fn ask(directory: &Directory, entry: &Entry<Ask>) -> Value {
    let a = &entry.data;
    let id = ask_id(directory, &entry.slug);
    json!({
        "@context": contexts(directory),
        "type": "Page",
        "id": id,
        "url": id,
        "name": a.title,
        "summary": a.kind.label(),
        "content": super::body_html(directory, entry),
        "attributedTo": actor_of(directory, &a.by).unwrap_or_else(|| super::organisation::id(directory)),
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "askKind": a.kind.slug(),
        "by": actor_of(directory, &a.by),
        "closes": a.closes.map(|d| d.to_string()),
        "filled": a.filled,
        "policyAreas": a.policy_areas,
    })
}
