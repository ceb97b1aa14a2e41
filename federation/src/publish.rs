//! Publishing: what changed in the directory since it was last published,
//! sent to followers.
//!
//! The store keeps a fingerprint of every document sent. Publishing makes
//! every document again, and compares: a new one is sent as `Create`, a
//! changed one as `Update` (a profile's `Update` carries the whole
//! `Person`), one gone as `Delete`, after which its address answers 410.
//! Events and consultations are posted by the site's `Organization`; an
//! ask by the profile that asks, and `Announce`d by the site, so that a
//! follower of the site alone sees it (once). Each goes to the followers
//! of the site and of the actor that made it, through the durable outbox.

use std::collections::{BTreeSet, HashSet};

use activitypub_federation::kinds::object::TombstoneType;
use serde_json::Value;
use sha2::{Digest, Sha256};
use url::Url;

use crate::delivery::queued;
use crate::error::FederationError;
use crate::instance::Instance;
use crate::objects::document;
use crate::objects::organisation;
use crate::protocol::{ACTIVITY_STREAMS, Activity, ActivityKind, PUBLIC, Tombstone};
use crate::store::{Change, Queued};

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

/// Publishes what changed since the last time.
pub async fn publish(instance: &Instance) -> Result<Published, FederationError> {
    let (directory, history) = instance.dated().await;
    let now = jiff::Timestamp::now();
    let documents = document::all(&directory, &history, &instance.store, now).await?;
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
            Some(row) if row.deleted_at.is_none() => ActivityKind::Update,
            _ => ActivityKind::Create,
        };
        let inboxes = inboxes(instance, &site_inboxes, &document.actor).await?;
        let created = kind == ActivityKind::Create;
        let activity = published_activity(
            &document.actor,
            kind,
            document.json.clone(),
            &document.id,
            now,
        );
        // What a profile posted (an ask) is boosted by the site, for the
        // site's followers who do not follow the profile; what the site
        // posted itself is not, or they would see it twice.
        let announce = (document.kind != "Person" && document.actor != site).then(|| {
            published_activity(
                &site,
                ActivityKind::Announce,
                document.id.clone(),
                &document.id,
                now,
            )
        });
        let mut activities = vec![queued(instance, &activity, &inboxes)?];
        if let Some(announce) = &announce {
            activities.push(queued(instance, announce, &site_urls)?);
        }
        let change = Change::Published {
            id: &document.id,
            actor: &document.actor,
            kind: document.kind,
            fingerprint: &fingerprint,
        };
        record_and_queue(instance, &change, activities).await?;
        if created {
            published.created += 1;
        } else {
            published.updated += 1;
        }
    }
    for (id, row) in &previous {
        if row.deleted_at.is_some() || current.contains(id.as_str()) {
            continue;
        }
        let inboxes = inboxes(instance, &site_inboxes, &row.actor).await?;
        let tombstone = Tombstone {
            context: None,
            kind: TombstoneType::Tombstone,
            id: id.clone(),
            former_type: former_type(&row.kind),
            deleted: None,
        };
        let delete = published_activity(&row.actor, ActivityKind::Delete, tombstone, id, now);
        // Recorded with the Delete queued, in one transaction: the address
        // answers 410 (to a server told of the deletion that fetches it to
        // check) exactly when the Delete is on its way, even across a crash.
        let activities = vec![queued(instance, &delete, &inboxes)?];
        record_and_queue(instance, &Change::Deleted { id }, activities).await?;
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

/// `kind` of `object` (whose id is `object_id`) by `actor`, published
/// `now`: addressed to everyone and copied to `actor`'s followers.
fn published_activity<O>(
    actor: &str,
    kind: ActivityKind,
    object: O,
    object_id: &str,
    now: jiff::Timestamp,
) -> Activity<O> {
    let id = activity_id(object_id, kind.as_str(), now);
    let mut activity = Activity::new(
        id,
        kind,
        actor.to_string(),
        object,
        vec![PUBLIC.to_string()],
    );
    activity.published = Some(now.to_string());
    activity.cc = vec![format!("{actor}followers")];
    activity
}

/// Records `change` and queues the activities that tell of it, in one
/// transaction, and wakes the worker.
async fn record_and_queue(
    instance: &Instance,
    change: &Change<'_>,
    activities: Vec<Queued<'_>>,
) -> Result<(), FederationError> {
    let activities: Vec<Queued<'_>> = activities
        .into_iter()
        .filter(|a| !a.inboxes.is_empty())
        .collect();
    instance.store.record_and_queue(change, &activities).await?;
    if !activities.is_empty() {
        instance.deliveries.notify_one();
    }
    Ok(())
}

/// The document served at the address of a deleted object of the type
/// `kind`.
pub fn tombstone(id: &str, kind: &str, deleted: i64) -> Tombstone {
    Tombstone {
        context: Some(ACTIVITY_STREAMS.to_string()),
        kind: TombstoneType::Tombstone,
        id: id.to_string(),
        former_type: former_type(kind),
        deleted: jiff::Timestamp::from_second(deleted)
            .map(|t| t.to_string())
            .ok(),
    }
}

/// The IRI of the ActivityStreams type `kind` (`Person`, `Event`, `Page`),
/// as a tombstone's `formerType` names it.
fn former_type(kind: &str) -> String {
    format!("{ACTIVITY_STREAMS}#{kind}")
}
