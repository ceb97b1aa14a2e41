//! What the introductions of matching rounds reached: one row per round,
//! group, person and channel, read before sending so that nothing is sent
//! twice, and written after each attempt so that a run stopped anywhere is
//! resumed by the next.

use sqlx::Row;

use super::{Store, failed};
use crate::error::FederationError;

/// How an introduction went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// An email, through the mail server of `[email]`.
    Email,
    /// A direct `Note` on the fediverse, delivered to the account's inbox.
    Fediverse,
}

impl Channel {
    /// Its name in the database.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Fediverse => "fediverse",
        }
    }

    fn named(name: &str) -> Option<Self> {
        [Channel::Email, Channel::Fediverse]
            .into_iter()
            .find(|c| c.name() == name)
    }
}

/// How the last attempt went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The mail server took it, or the account's server took the Note.
    Sent,
    /// It may go next time: no connection, or a 4xx.
    Failed,
    /// Refused for good (a 5xx): not tried again to the same address.
    Refused,
}

impl Status {
    /// Its name in the database.
    pub fn name(self) -> &'static str {
        match self {
            Status::Sent => "sent",
            Status::Failed => "failed",
            Status::Refused => "refused",
        }
    }

    fn named(name: &str) -> Option<Self> {
        [Status::Sent, Status::Failed, Status::Refused]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// One person's introduction in one round, over one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntroductionRow {
    /// The programme's slug, or `""` for the directory's own rounds.
    pub programme: String,
    /// The month, `YYYY-MM`.
    pub month: String,
    /// The group, as its members' ids sorted and joined by spaces.
    pub group_key: String,
    /// The person: their profile's key.
    pub recipient: String,
    /// Email or fediverse.
    pub channel: Channel,
    /// The email address or actor it went to.
    pub address: String,
    /// How it went.
    pub status: Status,
    /// What the server said, when it failed.
    pub detail: Option<String>,
    /// How many times it was tried.
    pub attempts: i64,
}

impl Store {
    /// Every introduction recorded for the round of `month` of
    /// `programme` (`""` for the directory's own).
    pub async fn introductions(
        &self,
        programme: &str,
        month: &str,
    ) -> Result<Vec<IntroductionRow>, FederationError> {
        let what = format!("cannot read the introductions of {month}");
        let rows = sqlx::query(
            "SELECT group_key, recipient, channel, address, status, detail, attempts FROM introductions \
             WHERE programme = $1 AND month = $2",
        )
        .bind(programme)
        .bind(month)
        .fetch_all(&self.pool)
        .await
        .map_err(failed(&what))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let channel: String = row.try_get(2).map_err(failed(&what))?;
            let status: String = row.try_get(4).map_err(failed(&what))?;
            // A row written by a later version, with a channel or status
            // this one does not know, is left alone.
            let (Some(channel), Some(status)) = (Channel::named(&channel), Status::named(&status))
            else {
                continue;
            };
            out.push(IntroductionRow {
                programme: programme.to_string(),
                month: month.to_string(),
                group_key: row.try_get(0).map_err(failed(&what))?,
                recipient: row.try_get(1).map_err(failed(&what))?,
                channel,
                address: row.try_get(3).map_err(failed(&what))?,
                status,
                detail: row.try_get(5).map_err(failed(&what))?,
                attempts: row.try_get(6).map_err(failed(&what))?,
            });
        }
        Ok(out)
    }

    /// Records how an introduction went, replacing what an earlier attempt
    /// recorded.
    pub async fn record_introduction(&self, row: &IntroductionRow) -> Result<(), FederationError> {
        sqlx::query(
            "INSERT INTO introductions (programme, month, group_key, recipient, channel, address, status, detail, attempts, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (programme, month, group_key, recipient, channel) DO UPDATE SET \
             address = excluded.address, status = excluded.status, detail = excluded.detail, \
             attempts = excluded.attempts, updated_at = excluded.updated_at",
        )
        .bind(&row.programme)
        .bind(&row.month)
        .bind(&row.group_key)
        .bind(&row.recipient)
        .bind(row.channel.name())
        .bind(&row.address)
        .bind(row.status.name())
        .bind(&row.detail)
        .bind(row.attempts)
        .bind(jiff::Timestamp::now().as_second())
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(failed(format!(
            "cannot record the introduction of {} in {}",
            row.recipient, row.month
        )))
    }
}
