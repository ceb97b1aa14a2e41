//! The ids of activities received, so that each is acted on once.
//!
//! Receipts are written in groups: every write to disk waits for the disk,
//! and one transaction for all the receipts waiting (a group commit) lets
//! an inbox take as many deliveries a second as arrive, where one
//! transaction each would queue them behind one another. A receipt is
//! answered only once its group is committed, so nothing acted on is ever
//! unrecorded.

use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

use super::{RemoteActorRow, Store, failed, put_remote_actor};
use crate::error::FederationError;

/// The most receipts written in one transaction.
const GROUP: usize = 256;

/// A receipt waiting to be written, and who waits for it.
struct Waiting {
    id: String,
    actor: Option<RemoteActorRow>,
    done: oneshot::Sender<Result<bool, String>>,
}

/// Where receipts are sent to be written, by a task of their own.
#[derive(Clone)]
pub(super) struct Receipts(mpsc::UnboundedSender<Waiting>);

impl Receipts {
    /// Starts the writer on `pool`: it runs until every store is dropped.
    pub(super) fn start(pool: AnyPool) -> Self {
        let (send, mut receive) = mpsc::unbounded_channel::<Waiting>();
        tokio::spawn(async move {
            while let Some(first) = receive.recv().await {
                let mut group = vec![first];
                while group.len() < GROUP {
                    match receive.try_recv() {
                        Ok(waiting) => group.push(waiting),
                        Err(_) => break,
                    }
                }
                match write(&pool, &group).await {
                    Ok(firsts) => {
                        for (waiting, first) in group.into_iter().zip(firsts) {
                            let _ = waiting.done.send(Ok(first));
                        }
                    }
                    Err(error) => {
                        let reason = error.to_string();
                        for waiting in group {
                            let _ = waiting.done.send(Err(reason.clone()));
                        }
                    }
                }
            }
        });
        Self(send)
    }
}

/// Writes a group of receipts (and the actors fetched for them) in one
/// transaction: whether each was the first of its id.
async fn write(pool: &AnyPool, group: &[Waiting]) -> Result<Vec<bool>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let now = jiff::Timestamp::now().as_second();
    let mut firsts = Vec::with_capacity(group.len());
    for waiting in group {
        let done = sqlx::query(
            "INSERT INTO received_activities (id, received_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&waiting.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        firsts.push(done.rows_affected() > 0);
        if let Some(actor) = &waiting.actor {
            put_remote_actor(actor).execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    Ok(firsts)
}

impl Store {
    /// Records that the activity `id` has arrived, and keeps `actor` (its
    /// signer, fetched for it) with it. False if it had arrived already:
    /// each activity is processed once, however often it is delivered.
    pub async fn first_receipt(
        &self,
        id: &str,
        actor: Option<&RemoteActorRow>,
    ) -> Result<bool, FederationError> {
        let what = format!("cannot record the activity {id}");
        let unrecorded = |reason: String| FederationError::Database {
            what: what.clone(),
            source: sqlx::Error::Protocol(reason),
        };
        let (done, answer) = oneshot::channel();
        self.receipts
            .0
            .send(Waiting {
                id: id.to_string(),
                actor: actor.cloned(),
                done,
            })
            .map_err(|_| unrecorded("the receipts' writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| unrecorded("the receipts' writer has stopped".into()))?
            .map_err(unrecorded)
    }

    /// Forgets that `id` arrived, when processing it failed, so that the
    /// sender's retry is processed.
    pub async fn forget_receipt(&self, id: &str) -> Result<(), FederationError> {
        sqlx::query("DELETE FROM received_activities WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(failed(format!("cannot forget the activity {id}")))
    }

    /// Forgets the ids of activities received before `before` (seconds
    /// since 1970). A delivery signed that long ago is refused for its
    /// Date; a sender retrying that long is told apart by nothing else, so
    /// the window is kept generous.
    pub async fn prune_receipts(&self, before: i64) -> Result<u64, FederationError> {
        sqlx::query("DELETE FROM received_activities WHERE received_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected())
            .map_err(failed("cannot forget old activity ids"))
    }
}
