//! Publishing: what changed in the directory since it was last published,
//! sent to followers.
//!
//! The store keeps a fingerprint of every document sent. Publishing makes
//! every document again, and compares: a new one is sent as `Create`, a
//! changed one as `Update` (a profile's `Update` carries the whole
//! `Person`), one gone as `Delete`, after which its address answers 410.
//! Events, consultations and asks are also `Announce`d by the site's
//! `Organization`, which is how Mobilizon shows a group's events. Each
//! goes to the followers of the site and of the actor that made it,
//! through the durable outbox.

use std::collections::{BTreeSet, HashSet};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use url::Url;

use crate::error::FederationError;
use crate::instance::Instance;
use crate::objects::document;
use crate::objects::organisation;

/// What one round of publishing sent.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Published {
    /// Objects sent as new.
    pub created: usize,
    /// Objects sent as changed.
    pub updated: usize,
    /// Objects sent as deleted.
    pub deleted: usize,
}

impl std::fmt::Display for Published {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} created, {} updated, {} deleted",
            self.created, self.updated, self.deleted
        )
    }
}

/// The activities addressed to everyone and copied to `actor`'s followers.
const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Publishes what changed since the last time.
pub async fn publish(instance: &Instance) -> Result<Published, FederationError> {
    let directory = instance.directory();
    let now = jiff::Timestamp::now();
    let documents = document::all(&directory, &instance.store, now).await?;
    let previous = instance.store.published().await?;
    let site = organisation::id(&directory);
    let site_inboxes = instance.store.follower_inboxes(&site).await?;
    let site_urls: Vec<Url> = site_inboxes
        .iter()
        .filter_map(|i| Url::parse(i).ok())
        .collect();
    let mut published = Published::default();
    let mut current = HashSet::new();
    for document in &documents {
        current.insert(document.id.as_str());
        let fingerprint = fingerprint(&document.json);
        let kind = match previous.get(&document.id) {
            Some(row) if row.deleted_at.is_none() && row.fingerprint == fingerprint => continue,
            Some(row) if row.deleted_at.is_none() => "Update",
            _ => "Create",
        };
        let inboxes = inboxes(instance, &site_inboxes, &document.actor).await?;
        send(
            instance,
            &document.actor,
            kind,
            document.json.clone(),
            &inboxes,
            now,
        )
        .await?;
        if document.kind != "Person" {
            let announce = announce(&site, &document.id, now);
            send_activity(instance, &site, announce, &site_urls).await?;
        }
        instance
            .store
            .record_published(&document.id, &document.actor, document.kind, &fingerprint)
            .await?;
        if kind == "Create" {
            published.created += 1;
        } else {
            published.updated += 1;
        }
    }
    for (id, row) in &previous {
        if row.deleted_at.is_some() || current.contains(id.as_str()) {
            continue;
        }
        // Recorded first: a server told of the deletion that fetches the
        // object to check is answered 410.
        instance.store.record_deleted(id).await?;
        let inboxes = inboxes(instance, &site_inboxes, &row.actor).await?;
        let tombstone = json!({ "type": "Tombstone", "id": id, "formerType": row.kind });
        send(instance, &row.actor, "Delete", tombstone, &inboxes, now).await?;
        published.deleted += 1;
    }
    if published != Published::default() {
        tracing::info!(%published, "published");
    }
    Ok(published)
}

/// The fingerprint of a document: a digest of its JSON (whose keys are
/// sorted, so the same document gives the same digest).
fn fingerprint(json: &Value) -> String {
    Sha256::digest(json.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The inboxes of the site's followers and of `actor`'s, each once.
async fn inboxes(
    instance: &Instance,
    site_inboxes: &[String],
    actor: &str,
) -> Result<Vec<Url>, FederationError> {
    let mut all: BTreeSet<String> = site_inboxes.iter().cloned().collect();
    all.extend(instance.store.follower_inboxes(actor).await?);
    Ok(all.iter().filter_map(|i| Url::parse(i).ok()).collect())
}

/// An activity id under `object`, unique to this moment: the same change
/// made twice (an edit undone, then made again) is two activities.
fn activity_id(object: &str, kind: &str, now: jiff::Timestamp) -> String {
    let mut id = Url::parse(object).map_or_else(
        |_| object.to_string(),
        |u| {
            let mut u = u;
            u.set_fragment(None);
            u.to_string()
        },
    );
    id.push_str(&format!("#{}/{}", kind.to_lowercase(), now.as_nanosecond()));
    id
}

/// Queues `kind` of `object` by `actor`.
async fn send(
    instance: &Instance,
    actor: &str,
    kind: &str,
    object: Value,
    inboxes: &[Url],
    now: jiff::Timestamp,
) -> Result<(), FederationError> {
    let object_id = object.get("id").and_then(Value::as_str).unwrap_or(actor);
    let activity = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": activity_id(object_id, kind, now),
        "type": kind,
        "actor": actor,
        "published": now.to_string(),
        "to": [PUBLIC],
        "cc": [format!("{actor}followers")],
        "object": object,
    });
    send_activity(instance, actor, activity, inboxes).await
}

/// An `Announce` of `object` by the site.
fn announce(site: &str, object: &str, now: jiff::Timestamp) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": activity_id(object, "announce", now),
        "type": "Announce",
        "actor": site,
        "published": now.to_string(),
        "to": [PUBLIC],
        "cc": [format!("{site}followers")],
        "object": object,
    })
}

async fn send_activity(
    instance: &Instance,
    actor: &str,
    activity: Value,
    inboxes: &[Url],
) -> Result<(), FederationError> {
    if inboxes.is_empty() {
        return Ok(());
    }
    let id = activity
        .get("id")
        .and_then(Value::as_str)
        .and_then(|id| Url::parse(id).ok())
        .ok_or_else(|| FederationError::Config("an activity without an id".into()))?;
    crate::delivery::queue(instance, &id, actor, &activity, inboxes).await
}

/// The document served at a deleted object's address.
pub fn tombstone(id: &str, former_type: &str, deleted: i64) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Tombstone",
        "id": id,
        "formerType": former_type,
        "deleted": jiff::Timestamp::from_second(deleted).map(|t| t.to_string()).ok(),
    })
}
