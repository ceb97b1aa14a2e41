//! The follows side of the store: the directories this site follows, the
//! state of each follow, and where each backfill stopped.

use sqlx::Row;

use super::{Store, failed};
use crate::error::FederationError;

impl Store {
    /// Records the directory at `source` (its actor resolved) as followed,
    /// with the Follow sent; a follow already accepted stays accepted.
    pub async fn put_follow(&self, follow: &FollowRow) -> Result<(), FederationError> {
        sqlx::query(
            "INSERT INTO follows (source, actor, host, inbox, entries, follow_id, state, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (source) DO UPDATE SET actor = excluded.actor, host = excluded.host, \
             inbox = excluded.inbox, entries = excluded.entries, follow_id = excluded.follow_id, \
             state = excluded.state, updated_at = excluded.updated_at",
        )
        .bind(&follow.source)
        .bind(&follow.actor)
        .bind(&follow.host)
        .bind(&follow.inbox)
        .bind(&follow.entries)
        .bind(&follow.follow_id)
        .bind(&follow.state)
        .bind(jiff::Timestamp::now().as_second())
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(failed(format!("cannot record the follow of {}", follow.source)))
    }

    /// Where the backfill of the directory followed at `source` is to go on
    /// from: the next page of its entries, or none once it is done.
    pub async fn set_backfill_next(
        &self,
        source: &str,
        next: Option<&str>,
    ) -> Result<(), FederationError> {
        sqlx::query("UPDATE follows SET backfill_next = $1 WHERE source = $2")
            .bind(next)
            .bind(source)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(failed(format!("cannot record the backfill of {source}")))
    }

    /// Where the backfill of the directory followed at `source` stopped,
    /// if one is under way.
    pub async fn backfill_next(&self, source: &str) -> Result<Option<String>, FederationError> {
        sqlx::query_scalar("SELECT backfill_next FROM follows WHERE source = $1")
            .bind(source)
            .fetch_optional(&self.pool)
            .await
            .map(Option::flatten)
            .map_err(failed(format!("cannot read the backfill of {source}")))
    }

    /// Every directory followed.
    pub async fn follows(&self) -> Result<Vec<FollowRow>, FederationError> {
        self.follows_where(
            "SELECT source, actor, host, inbox, entries, follow_id, state FROM follows ORDER BY source",
            None,
        )
        .await
    }

    /// The follow of the directory whose actor is `actor`, if there is one.
    pub async fn follow_of(&self, actor: &str) -> Result<Option<FollowRow>, FederationError> {
        Ok(self
            .follows_where(
                "SELECT source, actor, host, inbox, entries, follow_id, state FROM follows WHERE actor = $1",
                Some(actor),
            )
            .await?
            .pop())
    }

    /// The follow of a directory on `host` (host[:port]), if there is one.
    pub async fn follow_on(&self, host: &str) -> Result<Option<FollowRow>, FederationError> {
        Ok(self
            .follows_where(
                "SELECT source, actor, host, inbox, entries, follow_id, state FROM follows WHERE host = $1",
                Some(host),
            )
            .await?
            .pop())
    }

    async fn follows_where(
        &self,
        sql: &'static str,
        value: Option<&str>,
    ) -> Result<Vec<FollowRow>, FederationError> {
        let what = "cannot read the directories followed";
        let mut query = sqlx::query(sql);
        if let Some(value) = value {
            query = query.bind(value.to_string());
        }
        let rows = query.fetch_all(&self.pool).await.map_err(failed(what))?;
        rows.iter()
            .map(|row| {
                Ok(FollowRow {
                    source: row.try_get(0)?,
                    actor: row.try_get(1)?,
                    host: row.try_get(2)?,
                    inbox: row.try_get(3)?,
                    entries: row.try_get(4)?,
                    follow_id: row.try_get(5)?,
                    state: row.try_get(6)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(failed(what))
    }

    /// Sets the state of the follow of `actor`: `accepted` or `rejected`.
    /// Whether there was one.
    pub async fn set_follow_state(
        &self,
        actor: &str,
        state: &str,
    ) -> Result<bool, FederationError> {
        sqlx::query("UPDATE follows SET state = $1, updated_at = $2 WHERE actor = $3")
            .bind(state)
            .bind(jiff::Timestamp::now().as_second())
            .bind(actor)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected() > 0)
            .map_err(failed(format!("cannot record the answer of {actor}")))
    }

    /// Forgets the follow of the directory at `source`.
    pub async fn remove_follow_of(&self, source: &str) -> Result<(), FederationError> {
        sqlx::query("DELETE FROM follows WHERE source = $1")
            .bind(source)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(failed(format!("cannot forget the follow of {source}")))
    }
}

/// A directory this site follows.
#[derive(Debug, Clone)]
pub struct FollowRow {
    /// Its address as `[federation] follow` gives it.
    pub source: String,
    /// Its site actor.
    pub actor: String,
    /// `host[:port]` of its actor: where its entries come from.
    pub host: String,
    /// Where to send to it.
    pub inbox: String,
    /// Its collection of every entry, for backfill.
    pub entries: Option<String>,
    /// The id of the last Follow sent.
    pub follow_id: String,
    /// `pending`, `accepted` or `rejected`.
    pub state: String,
}
