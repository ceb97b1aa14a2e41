//! What the server keeps that is not content: actors' keys, followers,
//! the ids of activities received, deliveries, and the introductions of
//! matching rounds sent. One code path for SQLite (the default,
//! a file beside the site) and PostgreSQL, through sqlx's `Any` driver: the
//! SQL here is what both accept.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Connection, Row, SqlSafeStr};

use crate::error::FederationError;

mod copy;
mod follows;
mod introductions;
mod outbox;
mod receipts;

pub use copy::Copied;
pub use follows::FollowRow;
pub use introductions::{Channel, IntroductionRow, Status};
pub use outbox::{Change, Queued};

/// The schema, in order. Each runs once, in a transaction, and is recorded.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "keys, followers, received activities",
        include_str!("../../migrations/0001_federation.sql"),
    ),
    (
        2,
        "remote actors",
        include_str!("../../migrations/0002_remote_actors.sql"),
    ),
    (
        3,
        "deliveries",
        include_str!("../../migrations/0003_deliveries.sql"),
    ),
    (
        4,
        "published objects, follows",
        include_str!("../../migrations/0004_publishing.sql"),
    ),
    (
        5,
        "the directory's key",
        include_str!("../../migrations/0005_directory_key.sql"),
    ),
    (
        6,
        "where each backfill stopped",
        include_str!("../../migrations/0006_backfill.sql"),
    ),
    (
        7,
        "the signature standard each host takes",
        include_str!("../../migrations/0007_signature_standards.sql"),
    ),
    (
        8,
        "the introductions of matching rounds",
        include_str!("../../migrations/0008_introductions.sql"),
    ),
];

/// The migrations compiled into the binary (no folder to ship).
#[derive(Debug)]
struct Embedded;

type Resolved<'s> =
    Pin<Box<dyn Future<Output = Result<Vec<Migration>, sqlx::error::BoxDynError>> + Send + 's>>;

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(self) -> Resolved<'s> {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        sql.into_sql_str(),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// A database's address as it may be shown (in an error, a log, a
/// terminal): without the password it may carry, which belongs in
/// `PGPASSWORD` and never on a screen or in a file.
pub fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(None);
            parsed.into()
        }
        _ => url.to_string(),
    }
}

/// The error for a database call that failed while doing `what`.
fn failed(what: impl ToString) -> impl FnOnce(sqlx::Error) -> FederationError {
    let what = what.to_string();
    move |source| FederationError::Database { what, source }
}

/// A keypair in PEM.
#[derive(Clone)]
pub struct Keys {
    /// The public key, served in the actor's `publicKey`.
    pub public_pem: String,
    /// The private key: signs what the actor sends; never leaves the store.
    pub private_pem: String,
}

/// The keys in a row whose first two columns are the public and private PEM.
fn keys_of(row: &sqlx::any::AnyRow) -> Result<Keys, sqlx::Error> {
    Ok(Keys {
        public_pem: row.try_get(0)?,
        private_pem: row.try_get(1)?,
    })
}

/// The statement keeping (or replacing) a remote actor.
fn put_remote_actor(
    actor: &RemoteActorRow,
) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(
        "INSERT INTO remote_actors (id, inbox, shared_inbox, key_id, public_key, fetched_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO UPDATE SET inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, \
         key_id = excluded.key_id, public_key = excluded.public_key, fetched_at = excluded.fetched_at",
    )
    .bind(&actor.id)
    .bind(&actor.inbox)
    .bind(&actor.shared_inbox)
    .bind(&actor.key_id)
    .bind(&actor.public_key)
    .bind(actor.fetched_at)
}

/// The database.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    receipts: receipts::Receipts,
}

impl Store {
    /// Opens the database at `url` (`sqlite://file` or `postgres://…`),
    /// creating a SQLite file if need be, and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Self, FederationError> {
        sqlx::any::install_default_drivers();
        let url = if url.starts_with("sqlite:") && !url.contains('?') {
            format!("{url}?mode=rwc")
        } else {
            url.to_string()
        };
        let cannot_open = || {
            failed(format!(
                "cannot open the database {}",
                without_password(&url)
            ))
        };
        // One connection first, alone: the pool retries a server that
        // refuses until its timeout, then says only that it timed out.
        sqlx::AnyConnection::connect(&url)
            .await
            .map_err(cannot_open())?
            .close()
            .await
            .map_err(cannot_open())?;
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(4)
            .connect(&url)
            .await
            .map_err(cannot_open())?;
        if url.starts_with("sqlite:") {
            // Readers do not wait for the writer; a crash loses nothing committed.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await
                .map_err(failed("cannot switch the database to write-ahead logging"))?;
        }
        let migrator = Migrator::new(Embedded)
            .await
            .map_err(|source| FederationError::Migration { source })?;
        migrator
            .run(&pool)
            .await
            .map_err(|source| FederationError::Migration { source })?;
        let receipts = receipts::Receipts::start(pool.clone());
        Ok(Self { pool, receipts })
    }

    /// The keys of the actor `actor` (its id): its own if it has them (a
    /// database from before actors shared one), else the directory's, made
    /// the first time any actor needs them.
    pub async fn keys(&self, actor: &str) -> Result<Keys, FederationError> {
        if let Some(keys) = self.stored_keys(actor).await? {
            return Ok(keys);
        }
        if let Some(keys) = self.directory_key().await? {
            return Ok(keys);
        }
        // Making an RSA key takes a good fraction of a second: off the
        // threads that answer requests.
        let pair = tokio::task::spawn_blocking(
            activitypub_federation::http_signatures::generate_actor_keypair,
        )
        .await
        .map_err(|e| FederationError::Keys(e.to_string()))?
        .map_err(|e| FederationError::Keys(e.to_string()))?;
        let now = jiff::Timestamp::now().as_second();
        // Two requests may race to make the key: the first stored wins.
        sqlx::query(
            "INSERT INTO directory_key (id, public_key, private_key, created_at) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&pair.public_key)
        .bind(&pair.private_key)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(failed("cannot store the directory's key"))?;
        self.directory_key()
            .await?
            .ok_or_else(|| FederationError::Keys("the directory's key was not kept".into()))
    }

    async fn directory_key(&self) -> Result<Option<Keys>, FederationError> {
        let row = sqlx::query("SELECT public_key, private_key FROM directory_key WHERE id = 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(failed("cannot read the directory's key"))?;
        row.map(|row| keys_of(&row))
            .transpose()
            .map_err(failed("the directory's key is unreadable"))
    }

    async fn stored_keys(&self, actor: &str) -> Result<Option<Keys>, FederationError> {
        let row = sqlx::query("SELECT public_key, private_key FROM actor_keys WHERE actor = $1")
            .bind(actor)
            .fetch_optional(&self.pool)
            .await
            .map_err(failed(format!("cannot read the keys of {actor}")))?;
        row.map(|row| keys_of(&row))
            .transpose()
            .map_err(failed(format!("the keys of {actor} are unreadable")))
    }

    /// The signature standard each host was last seen to take, where one
    /// was learned.
    pub async fn signature_standards(&self) -> Result<Vec<(String, String)>, FederationError> {
        sqlx::query_as("SELECT host, standard FROM signature_standards")
            .fetch_all(&self.pool)
            .await
            .map_err(failed("cannot read the signature standards of hosts"))
    }

    /// Keeps `standard` as the one `host` takes.
    pub async fn learn_signature_standard(
        &self,
        host: &str,
        standard: &str,
    ) -> Result<(), FederationError> {
        sqlx::query(
            "INSERT INTO signature_standards (host, standard, learned_at) VALUES ($1, $2, $3) \
             ON CONFLICT (host) DO UPDATE SET standard = excluded.standard, learned_at = excluded.learned_at",
        )
        .bind(host)
        .bind(standard)
        .bind(jiff::Timestamp::now().as_second())
        .execute(&self.pool)
        .await
        .map_err(failed(format!("cannot keep the signature standard of {host}")))?;
        Ok(())
    }

    /// How many actors follow `actor`.
    pub async fn follower_count(&self, actor: &str) -> Result<i64, FederationError> {
        sqlx::query("SELECT COUNT(*) FROM followers WHERE actor = $1")
            .bind(actor)
            .fetch_one(&self.pool)
            .await
            .and_then(|row| row.try_get(0))
            .map_err(failed(format!("cannot count the followers of {actor}")))
    }

    /// The followers of `actor` on page `page` (from 0) of pages of `size`,
    /// in the order they followed.
    pub async fn followers_page(
        &self,
        actor: &str,
        page: usize,
        size: usize,
    ) -> Result<Vec<String>, FederationError> {
        let (limit, offset) = limit_offset(page, size);
        sqlx::query_scalar(
            "SELECT follower FROM followers WHERE actor = $1 ORDER BY created_at, follower LIMIT $2 OFFSET $3",
        )
        .bind(actor)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await
        .map_err(failed(format!("cannot read the followers of {actor}")))
    }

    /// How many objects `actor` has published and not deleted.
    pub async fn published_count(&self, actor: &str) -> Result<i64, FederationError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM published WHERE actor = $1 AND deleted_at IS NULL")
            .bind(actor)
            .fetch_one(&self.pool)
            .await
            .map_err(failed(format!("cannot count what {actor} published")))
    }

    /// The objects `actor` has published and not deleted, with when each
    /// last changed, newest first, on page `page` (from 0) of pages of
    /// `size`.
    pub async fn published_page(
        &self,
        actor: &str,
        page: usize,
        size: usize,
    ) -> Result<Vec<(String, i64)>, FederationError> {
        let (limit, offset) = limit_offset(page, size);
        sqlx::query_as(
            "SELECT id, published_at FROM published WHERE actor = $1 AND deleted_at IS NULL \
             ORDER BY published_at DESC, id LIMIT $2 OFFSET $3",
        )
        .bind(actor)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await
        .map_err(failed(format!("cannot read what {actor} published")))
    }

    /// Records `follower` (with the inbox to deliver to and its Follow's
    /// id) as following `actor`; a repeated Follow replaces the first.
    pub async fn add_follower(
        &self,
        actor: &str,
        follower: &str,
        inbox: &str,
        follow_id: &str,
    ) -> Result<(), FederationError> {
        sqlx::query(
            "INSERT INTO followers (actor, follower, inbox, follow_id, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (actor, follower) DO UPDATE SET inbox = excluded.inbox, follow_id = excluded.follow_id",
        )
        .bind(actor)
        .bind(follower)
        .bind(inbox)
        .bind(follow_id)
        .bind(jiff::Timestamp::now().as_second())
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(failed(format!("cannot record that {follower} follows {actor}")))
    }

    /// Ends `follower`'s following of `actor`. Whether it was following.
    pub async fn remove_follower(
        &self,
        actor: &str,
        follower: &str,
    ) -> Result<bool, FederationError> {
        sqlx::query("DELETE FROM followers WHERE actor = $1 AND follower = $2")
            .bind(actor)
            .bind(follower)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected() > 0)
            .map_err(failed(format!(
                "cannot remove {follower} from the followers of {actor}"
            )))
    }

    /// Ends the follow whose Follow activity had `follow_id`, if `follower`
    /// made it. Whether there was one.
    pub async fn remove_follow(
        &self,
        follower: &str,
        follow_id: &str,
    ) -> Result<bool, FederationError> {
        sqlx::query("DELETE FROM followers WHERE follower = $1 AND follow_id = $2")
            .bind(follower)
            .bind(follow_id)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected() > 0)
            .map_err(failed(format!("cannot end the follow {follow_id}")))
    }

    /// Forgets an actor that was deleted on its server: its follows and
    /// its key.
    pub async fn forget_actor(&self, id: &str) -> Result<(), FederationError> {
        let what = format!("cannot forget the deleted actor {id}");
        sqlx::query("DELETE FROM followers WHERE follower = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(failed(&what))?;
        sqlx::query("DELETE FROM remote_actors WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(failed(&what))?;
        Ok(())
    }

    /// The inboxes of `actor`'s followers, each once (followers on one
    /// server share its inbox).
    pub async fn follower_inboxes(&self, actor: &str) -> Result<Vec<String>, FederationError> {
        sqlx::query("SELECT DISTINCT inbox FROM followers WHERE actor = $1 ORDER BY inbox")
            .bind(actor)
            .fetch_all(&self.pool)
            .await
            .and_then(|rows| rows.iter().map(|row| row.try_get(0)).collect())
            .map_err(failed(format!("cannot read the followers of {actor}")))
    }

    /// A remote actor as last fetched.
    pub async fn remote_actor(&self, id: &str) -> Result<Option<RemoteActorRow>, FederationError> {
        let row = sqlx::query(
            "SELECT id, inbox, shared_inbox, key_id, public_key, fetched_at FROM remote_actors WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(failed(format!("cannot read the actor {id}")))?;
        row.map(|row| {
            Ok(RemoteActorRow {
                id: row.try_get(0)?,
                inbox: row.try_get(1)?,
                shared_inbox: row.try_get(2)?,
                key_id: row.try_get(3)?,
                public_key: row.try_get(4)?,
                fetched_at: row.try_get(5)?,
            })
        })
        .transpose()
        .map_err(failed(format!("the stored actor {id} is unreadable")))
    }

    /// Keeps a remote actor as just fetched.
    pub async fn put_remote_actor(&self, actor: &RemoteActorRow) -> Result<(), FederationError> {
        put_remote_actor(actor)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(failed(format!("cannot keep the actor {}", actor.id)))
    }

    /// Deliveries due at `now`, whose hosts are not being waited on,
    /// oldest first.
    pub async fn due_deliveries(
        &self,
        now: i64,
        limit: i64,
    ) -> Result<Vec<PendingDelivery>, FederationError> {
        let what = "cannot read the deliveries due";
        let rows = sqlx::query(
            "SELECT d.activity_id, d.inbox, d.host, d.actor, d.activity, d.attempts FROM deliveries d \
             LEFT JOIN delivery_hosts h ON h.host = d.host \
             WHERE d.next_try <= $1 AND (h.retry_after IS NULL OR h.retry_after <= $1) \
             ORDER BY d.next_try LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(failed(&what))?;
        rows.iter()
            .map(|row| {
                Ok(PendingDelivery {
                    activity_id: row.try_get(0)?,
                    inbox: row.try_get(1)?,
                    host: row.try_get(2)?,
                    actor: row.try_get(3)?,
                    activity: row.try_get(4)?,
                    attempts: row.try_get(5)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(failed(&what))
    }

    /// When the next delivery falls due (its host's wait included), if any
    /// is pending.
    pub async fn next_delivery_at(&self) -> Result<Option<i64>, FederationError> {
        sqlx::query(
            "SELECT MIN(CASE WHEN h.retry_after IS NOT NULL AND h.retry_after > d.next_try \
             THEN h.retry_after ELSE d.next_try END) \
             FROM deliveries d LEFT JOIN delivery_hosts h ON h.host = d.host",
        )
        .fetch_one(&self.pool)
        .await
        .and_then(|row| row.try_get::<Option<i64>, _>(0))
        .map_err(failed("cannot read when deliveries are due"))
    }

    /// Ends a delivery: delivered, refused for good, or given up on. A
    /// delivered one also ends its host's wait.
    pub async fn end_delivery(
        &self,
        delivery: &PendingDelivery,
        delivered: bool,
    ) -> Result<(), FederationError> {
        let what = format!("cannot end the delivery of {}", delivery.activity_id);
        sqlx::query("DELETE FROM deliveries WHERE activity_id = $1 AND inbox = $2")
            .bind(&delivery.activity_id)
            .bind(&delivery.inbox)
            .execute(&self.pool)
            .await
            .map_err(failed(&what))?;
        if delivered {
            sqlx::query("DELETE FROM delivery_hosts WHERE host = $1")
                .bind(&delivery.host)
                .execute(&self.pool)
                .await
                .map_err(failed(&what))?;
        }
        Ok(())
    }

    /// Records a failed attempt: the delivery is tried again at `next_try`,
    /// and its host, failing once more, waits until `host_wait(failures)`
    /// after `now`.
    pub async fn delivery_failed(
        &self,
        delivery: &PendingDelivery,
        error: &str,
        now: i64,
        next_try: i64,
        host_wait: impl Fn(i64) -> i64,
    ) -> Result<(), FederationError> {
        let what = format!(
            "cannot record the failed delivery of {}",
            delivery.activity_id
        );
        sqlx::query(
            "UPDATE deliveries SET attempts = attempts + 1, next_try = $1, last_error = $2 \
             WHERE activity_id = $3 AND inbox = $4",
        )
        .bind(next_try)
        .bind(error)
        .bind(&delivery.activity_id)
        .bind(&delivery.inbox)
        .execute(&self.pool)
        .await
        .map_err(failed(&what))?;
        let failures: i64 = sqlx::query("SELECT failures FROM delivery_hosts WHERE host = $1")
            .bind(&delivery.host)
            .fetch_optional(&self.pool)
            .await
            .map_err(failed(&what))?
            .map(|row| row.try_get(0))
            .transpose()
            .map_err(failed(&what))?
            .unwrap_or(0)
            + 1;
        sqlx::query(
            "INSERT INTO delivery_hosts (host, failures, retry_after) VALUES ($1, $2, $3) \
             ON CONFLICT (host) DO UPDATE SET failures = excluded.failures, retry_after = excluded.retry_after",
        )
        .bind(&delivery.host)
        .bind(failures)
        .bind(now + host_wait(failures))
        .execute(&self.pool)
        .await
        .map_err(failed(&what))?;
        Ok(())
    }

    /// How many deliveries are pending.
    pub async fn pending_deliveries(&self) -> Result<i64, FederationError> {
        sqlx::query("SELECT COUNT(*) FROM deliveries")
            .fetch_one(&self.pool)
            .await
            .and_then(|row| row.try_get(0))
            .map_err(failed("cannot count the pending deliveries"))
    }

    /// Every object published, by id: its fingerprint, and whether it
    /// has been deleted since.
    pub async fn published(
        &self,
    ) -> Result<std::collections::HashMap<String, PublishedRow>, FederationError> {
        let what = "cannot read what was published";
        let rows = sqlx::query("SELECT id, actor, kind, fingerprint, deleted_at FROM published")
            .fetch_all(&self.pool)
            .await
            .map_err(failed(what))?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get::<String, _>(0)?,
                    PublishedRow {
                        actor: row.try_get(1)?,
                        kind: row.try_get(2)?,
                        fingerprint: row.try_get(3)?,
                        deleted_at: row.try_get(4)?,
                    },
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(failed(what))
    }

    /// The type of the deleted object `id` and when it was deleted, if
    /// it was published and then deleted.
    pub async fn tombstone(&self, id: &str) -> Result<Option<(String, i64)>, FederationError> {
        let what = format!("cannot read whether {id} was deleted");
        let row = sqlx::query(
            "SELECT kind, deleted_at FROM published WHERE id = $1 AND deleted_at IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(failed(&what))?;
        row.map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .transpose()
            .map_err(failed(&what))
    }
}

/// An activity waiting to be delivered to one inbox.
#[derive(Debug, Clone)]
pub struct PendingDelivery {
    /// The activity's id.
    pub activity_id: String,
    /// Where it goes.
    pub inbox: String,
    /// The inbox's host, waited on as a whole when it keeps failing.
    pub host: String,
    /// The local actor that signs it.
    pub actor: String,
    /// The activity, as JSON.
    pub activity: String,
    /// How many times it has been tried.
    pub attempts: i32,
}

/// A remote actor as the store keeps it.
#[derive(Debug, Clone)]
pub struct RemoteActorRow {
    /// Its id.
    pub id: String,
    /// Its own inbox.
    pub inbox: String,
    /// Its server's shared inbox, if it has one.
    pub shared_inbox: Option<String>,
    /// The id of its key, as signatures name it.
    pub key_id: String,
    /// Its public key in PEM.
    pub public_key: String,
    /// When it was fetched, in seconds since 1970.
    pub fetched_at: i64,
}

/// An object as last published.
#[derive(Debug, Clone)]
pub struct PublishedRow {
    /// The local actor that published it.
    pub actor: String,
    /// Its ActivityStreams type.
    pub kind: String,
    /// The fingerprint of its document as last sent.
    pub fingerprint: String,
    /// When it was deleted, if it was.
    pub deleted_at: Option<i64>,
}

/// SQL's `LIMIT` and `OFFSET` for page `page` (from 0) of pages of `size`.
fn limit_offset(page: usize, size: usize) -> (i64, i64) {
    let limit = i64::try_from(size).unwrap_or(i64::MAX);
    (
        limit,
        i64::try_from(page.saturating_mul(size)).unwrap_or(i64::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    /// Each migration is numbered one after the last, so that a new one
    /// goes after every one a release has applied. There are no down
    /// migrations, and an applied one must never change: the migrator
    /// refuses a database whose recorded migration differs from the
    /// program's, which `tests/upgrades.rs` would show with the database
    /// kept from each release.
    #[test]
    fn a_databases_password_is_never_shown() {
        assert_eq!(
            super::without_password("postgres://interchange:s3cret@db.example.gov.uk/interchange"),
            "postgres://interchange@db.example.gov.uk/interchange"
        );
        for kept in [
            "postgres://interchange@db/x",
            "sqlite:///srv/site/state.db",
            "sqlite:state.db",
        ] {
            assert_eq!(super::without_password(kept), kept);
        }
    }

    #[test]
    fn the_migrations_are_numbered_one_after_another() {
        for (i, (version, _, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version, i as i64 + 1);
        }
    }
}
