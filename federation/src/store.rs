//! What the server keeps that is not content: actors' keys, followers and
//! the ids of activities received. One code path for SQLite (the default,
//! a file beside the site) and PostgreSQL, through sqlx's `Any` driver: the
//! SQL here is what both accept.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Row, SqlSafeStr};

use crate::error::FederationError;

/// The schema, in order. Each runs once, in a transaction, and is recorded.
const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "keys, followers, received activities",
    include_str!("../migrations/0001_federation.sql"),
)];

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

/// A keypair in PEM.
#[derive(Clone)]
pub struct Keys {
    /// The public key, served in the actor's `publicKey`.
    pub public_pem: String,
    /// The private key: signs what the actor sends; never leaves the store.
    pub private_pem: String,
}

/// The database.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
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
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(4)
            .connect(&url)
            .await
            .map_err(|source| FederationError::Database {
                what: format!("cannot open the database {url}"),
                source,
            })?;
        if url.starts_with("sqlite:") {
            // Readers do not wait for the writer; a crash loses nothing committed.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await
                .map_err(|source| FederationError::Database {
                    what: "cannot switch the database to write-ahead logging".into(),
                    source,
                })?;
        }
        let migrator = Migrator::new(Embedded)
            .await
            .map_err(|source| FederationError::Migration { source })?;
        migrator
            .run(&pool)
            .await
            .map_err(|source| FederationError::Migration { source })?;
        Ok(Self { pool })
    }

    /// The keys of the actor `actor` (its id), made the first time it is asked for.
    pub async fn keys(&self, actor: &str) -> Result<Keys, FederationError> {
        if let Some(keys) = self.stored_keys(actor).await? {
            return Ok(keys);
        }
        let pair = activitypub_federation::http_signatures::generate_actor_keypair()
            .map_err(|e| FederationError::Keys(e.to_string()))?;
        let now = jiff::Timestamp::now().as_second();
        // Two requests may race to make the first keys: the first stored wins.
        sqlx::query(
            "INSERT INTO actor_keys (actor, public_key, private_key, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (actor) DO NOTHING",
        )
        .bind(actor)
        .bind(&pair.public_key)
        .bind(&pair.private_key)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(|source| FederationError::Database {
            what: format!("cannot store the keys of {actor}"),
            source,
        })?;
        self.stored_keys(actor)
            .await?
            .ok_or_else(|| FederationError::Keys(format!("the keys of {actor} were not kept")))
    }

    async fn stored_keys(&self, actor: &str) -> Result<Option<Keys>, FederationError> {
        let row = sqlx::query("SELECT public_key, private_key FROM actor_keys WHERE actor = $1")
            .bind(actor)
            .fetch_optional(&self.pool)
            .await
            .map_err(|source| FederationError::Database {
                what: format!("cannot read the keys of {actor}"),
                source,
            })?;
        row.map(|row| {
            Ok(Keys {
                public_pem: row.try_get(0)?,
                private_pem: row.try_get(1)?,
            })
        })
        .transpose()
        .map_err(|source| FederationError::Database {
            what: format!("the keys of {actor} are unreadable"),
            source,
        })
    }

    /// How many actors follow `actor`.
    pub async fn follower_count(&self, actor: &str) -> Result<i64, FederationError> {
        sqlx::query("SELECT COUNT(*) FROM followers WHERE actor = $1")
            .bind(actor)
            .fetch_one(&self.pool)
            .await
            .and_then(|row| row.try_get(0))
            .map_err(|source| FederationError::Database {
                what: format!("cannot count the followers of {actor}"),
                source,
            })
    }
}
