//! The document of each entry the site publishes: what its address serves
//! to servers, and what publishing sends. One function makes each, so what
//! is fetched and what is pushed are the same.

use generator::content::Directory;
use generator::{Entry, Kind};
use serde_json::Value;

use super::{actor_id, collection, event, fields, organisation, page, person};
use crate::error::FederationError;
use crate::store::Store;

/// An entry as published.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its id: its page's address.
    pub id: String,
    /// The local actor that creates, changes and deletes it.
    pub actor: String,
    /// Its ActivityStreams type: `Person`, `Event`, `Page`.
    pub kind: &'static str,
    /// The document.
    pub json: Value,
}

/// Every entry the site publishes to other servers (mirrored entries
/// belong to their own directories and are left out), as of `now`.
pub async fn all(
    directory: &Directory,
    store: &Store,
    now: jiff::Timestamp,
) -> Result<Vec<Document>, FederationError> {
    let mut documents = Vec::new();
    for entry in directory.profiles.iter().filter(|p| person::federates(p)) {
        documents.push(profile(directory, entry, store).await?);
    }
    documents.extend(
        directory
            .events
            .iter()
            .filter(|e| !e.origin.is_mirror())
            .map(|e| event_document(directory, e)),
    );
    documents.extend(
        directory
            .consultations
            .iter()
            .filter(|e| !e.origin.is_mirror())
            .map(|e| consultation(directory, e, now)),
    );
    documents.extend(
        directory
            .asks
            .iter()
            .filter(|e| !e.origin.is_mirror())
            .map(|e| ask(directory, e)),
    );
    Ok(documents)
}

/// The document served at `path` to a server asking for ActivityPub: the
/// site's actor and collections, or an entry.
pub async fn at(
    directory: &Directory,
    store: &Store,
    path: &str,
) -> Result<Option<Value>, FederationError> {
    if path == "/entries" {
        return Ok(serde_json::to_value(collection::entries(directory)).ok());
    }
    // An actor's collections: `{actor}outbox`, `{actor}followers`.
    for name in ["outbox", "followers"] {
        if let Some(actor_path) = path.strip_suffix(name).filter(|p| p.ends_with('/')) {
            let Some(actor) = actor_id(directory, actor_path) else {
                return Ok(None);
            };
            let collection = if name == "outbox" {
                collection::outbox(&actor)
            } else {
                collection::followers(&actor, store.follower_count(&actor).await?)
            };
            return Ok(serde_json::to_value(collection).ok());
        }
    }
    if path == "/" {
        let keys = store.keys(&organisation::id(directory)).await?;
        return Ok(serde_json::to_value(organisation::organization(directory, &keys)).ok());
    }
    let local = |origin: &generator::Origin| !origin.is_mirror();
    let document = match Kind::entry_at(path) {
        Some((Kind::Consultation, slug)) => directory
            .consultation(slug)
            .filter(|e| local(&e.origin))
            .map(|e| consultation(directory, e, jiff::Timestamp::now())),
        Some((Kind::Ask, slug)) => directory
            .ask(slug)
            .filter(|e| local(&e.origin))
            .map(|e| ask(directory, e)),
        Some((Kind::Event, slug)) => directory
            .event(slug)
            .filter(|e| local(&e.origin))
            .map(|e| event_document(directory, e)),
        Some((Kind::Profile, slug)) => {
            match directory.profile(slug).filter(|e| person::federates(e)) {
                Some(entry) => Some(profile(directory, entry, store).await?),
                None => None,
            }
        }
        _ => None,
    };
    Ok(document.map(|d| d.json))
}

/// A profile's `Person`, which creates and changes itself.
async fn profile(
    directory: &Directory,
    entry: &Entry<generator::content::Profile>,
    store: &Store,
) -> Result<Document, FederationError> {
    let id = directory.site.entry_id(Kind::Profile, &entry.slug);
    let keys = store.keys(&id).await?;
    let mut json =
        serde_json::to_value(person::person(directory, entry, &keys)).unwrap_or(Value::Null);
    let terms = fields::terms(directory, Kind::Profile, entry, |f| {
        fields::absolute_file(directory, f, "photo");
        // Only profiles that federate are sent: the mirror need not say so.
        f.remove("federate");
    });
    fields::add_to(&mut json, terms, directory);
    Ok(Document {
        actor: id.clone(),
        id,
        kind: "Person",
        json,
    })
}

fn event_document(directory: &Directory, entry: &Entry<generator::content::Event>) -> Document {
    let mut json = serde_json::to_value(event::event(directory, entry)).unwrap_or(Value::Null);
    let e = &entry.data;
    let terms = fields::terms(directory, Kind::Event, entry, |f| {
        f.insert("start".into(), fields::moment(&e.start));
        if let Some(end) = &e.end {
            f.insert("end".into(), fields::moment(end));
        }
        fields::profile_named(f, "host", e.host.as_deref());
        fields::default_organisation(directory, f);
    });
    fields::add_to(&mut json, terms, directory);
    Document {
        id: directory.site.entry_id(Kind::Event, &entry.slug),
        actor: organisation::id(directory),
        kind: "Event",
        json,
    }
}

fn consultation(
    directory: &Directory,
    entry: &Entry<generator::content::Consultation>,
    now: jiff::Timestamp,
) -> Document {
    let mut json =
        serde_json::to_value(page::consultation(directory, entry, now)).unwrap_or(Value::Null);
    let c = &entry.data;
    let terms = fields::terms(directory, Kind::Consultation, entry, |f| {
        f.insert("opens".into(), fields::moment(&c.opens));
        f.insert("closes".into(), fields::moment(&c.closes));
        fields::profile_named(f, "lead", c.lead.as_deref());
        fields::default_organisation(directory, f);
    });
    fields::add_to(&mut json, terms, directory);
    Document {
        id: directory.site.entry_id(Kind::Consultation, &entry.slug),
        actor: organisation::id(directory),
        kind: "Page",
        json,
    }
}

fn ask(directory: &Directory, entry: &Entry<generator::content::Ask>) -> Document {
    let mut json = serde_json::to_value(page::ask(directory, entry)).unwrap_or(Value::Null);
    let terms = fields::terms(directory, Kind::Ask, entry, |_| {});
    fields::add_to(&mut json, terms, directory);
    Document {
        id: directory.site.entry_id(Kind::Ask, &entry.slug),
        actor: organisation::id(directory),
        kind: "Page",
        json,
    }
}
