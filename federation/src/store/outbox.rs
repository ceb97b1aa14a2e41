//! The outbox side of the store: queuing deliveries, alone or in one
//! transaction with the change to what the site publishes that they tell of.

use super::{Store, failed};
use crate::error::FederationError;

impl Store {
    /// Queues `activity` (its id, actor and JSON) for each of `inboxes`
    /// (an inbox and its host).
    pub async fn queue(&self, activity: &Queued<'_>) -> Result<(), FederationError> {
        let mut connection = self
            .pool
            .acquire()
            .await
            .map_err(failed("cannot reach the database"))?;
        insert_deliveries(&mut connection, activity).await
    }

    /// Records a change to what the site publishes and queues the
    /// activities that tell of it, in one transaction: a crash at any
    /// moment leaves both or neither, so a deletion recorded (its address
    /// answering 410, never published again) is never one followers are
    /// not told of.
    pub async fn record_and_queue(
        &self,
        change: &Change<'_>,
        activities: &[Queued<'_>],
    ) -> Result<(), FederationError> {
        let what = "cannot record what was published";
        let mut tx = self.pool.begin().await.map_err(failed(what))?;
        let now = jiff::Timestamp::now().as_second();
        match change {
            Change::Published {
                id,
                actor,
                kind,
                fingerprint,
            } => sqlx::query(
                "INSERT INTO published (id, actor, kind, fingerprint, published_at, deleted_at) VALUES ($1, $2, $3, $4, $5, NULL) \
                 ON CONFLICT (id) DO UPDATE SET actor = excluded.actor, kind = excluded.kind, \
                 fingerprint = excluded.fingerprint, published_at = excluded.published_at, deleted_at = NULL",
            )
            .bind(*id)
            .bind(*actor)
            .bind(*kind)
            .bind(*fingerprint)
            .bind(now),
            Change::Deleted { id } => {
                sqlx::query("UPDATE published SET deleted_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(*id)
            }
        }
        .execute(&mut *tx)
        .await
        .map_err(failed(format!("cannot record {}", change.id())))?;
        for activity in activities {
            insert_deliveries(&mut tx, activity).await?;
        }
        tx.commit().await.map_err(failed(what))
    }
}

/// An activity ready to queue: its id, its actor, its JSON, and each inbox
/// with its host.
#[derive(Debug)]
pub struct Queued<'a> {
    /// The activity's id.
    pub id: &'a str,
    /// The actor that signs it.
    pub actor: &'a str,
    /// The activity as sent.
    pub json: String,
    /// Each inbox and its host (`host[:port]`, for waiting on a host).
    pub inboxes: Vec<(String, String)>,
}

/// A change to what the site publishes.
#[derive(Debug)]
pub enum Change<'a> {
    /// An object published, or published again changed.
    Published {
        /// Its id.
        id: &'a str,
        /// The actor that made it.
        actor: &'a str,
        /// Its type (`Person`, `Event`, …).
        kind: &'a str,
        /// A digest of its JSON.
        fingerprint: &'a str,
    },
    /// An object deleted: its address answers 410 from now on.
    Deleted {
        /// Its id.
        id: &'a str,
    },
}

impl Change<'_> {
    /// The id of the object changed.
    fn id(&self) -> &str {
        match self {
            Change::Published { id, .. } | Change::Deleted { id } => id,
        }
    }
}

/// Inserts a delivery of `activity` for each of its inboxes, once each.
async fn insert_deliveries(
    connection: &mut sqlx::AnyConnection,
    activity: &Queued<'_>,
) -> Result<(), FederationError> {
    let now = jiff::Timestamp::now().as_second();
    for (inbox, host) in &activity.inboxes {
        sqlx::query(
            "INSERT INTO deliveries (activity_id, inbox, host, actor, activity, attempts, next_try, created_at) \
             VALUES ($1, $2, $3, $4, $5, 0, $6, $6) ON CONFLICT (activity_id, inbox) DO NOTHING",
        )
        .bind(activity.id)
        .bind(inbox)
        .bind(host)
        .bind(activity.actor)
        .bind(&activity.json)
        .bind(now)
        .execute(&mut *connection)
        .await
        .map_err(failed(format!("cannot queue {} for {inbox}", activity.id)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "https://directory.example.gov.uk/profiles/priya-shah/";

    async fn store(dir: &tempfile::TempDir) -> Store {
        let url = format!("sqlite://{}", dir.path().join("store.sqlite").display());
        Store::open(&url).await.expect("the store opens")
    }

    fn delete() -> Queued<'static> {
        Queued {
            id: "https://directory.example.gov.uk/profiles/priya-shah/#delete/1",
            actor: ID,
            json: "{}".to_string(),
            inboxes: vec![(
                "https://follower.example/inbox".to_string(),
                "follower.example".to_string(),
            )],
        }
    }

    async fn published(store: &Store) {
        let change = Change::Published {
            id: ID,
            actor: ID,
            kind: "Person",
            fingerprint: "f",
        };
        store
            .record_and_queue(&change, &[])
            .await
            .expect("recorded");
    }

    #[tokio::test]
    async fn a_deletion_is_recorded_with_its_delete_queued() {
        let dir = tempfile::tempdir().expect("a folder");
        let store = store(&dir).await;
        published(&store).await;
        store
            .record_and_queue(&Change::Deleted { id: ID }, &[delete()])
            .await
            .expect("recorded and queued");
        assert!(store.tombstone(ID).await.expect("read").is_some());
        assert_eq!(store.pending_deliveries().await.expect("read"), 1);
    }

    #[tokio::test]
    async fn a_deletion_whose_delete_cannot_be_queued_is_not_recorded() {
        let dir = tempfile::tempdir().expect("a folder");
        let store = store(&dir).await;
        published(&store).await;
        // The queue fails inside the transaction: nothing of it may stay,
        // or the entry would answer 410 with no follower ever told.
        sqlx::query("DROP TABLE deliveries")
            .execute(&store.pool)
            .await
            .expect("dropped");
        let result = store
            .record_and_queue(&Change::Deleted { id: ID }, &[delete()])
            .await;
        assert!(result.is_err(), "the queue cannot have succeeded");
        assert_eq!(
            store.tombstone(ID).await.expect("read"),
            None,
            "the deletion was recorded without its Delete"
        );
    }
}
