//! Copying a whole store into another database: how a directory moves from
//! SQLite to PostgreSQL (or back) without losing its key, its followers or
//! its queue.

use futures_util::StreamExt;
use sqlx::{AssertSqlSafe, Row};

use super::{Store, failed};
use crate::error::FederationError;

/// How a column's values are read and bound: every column of the schema is
/// text or a whole number, and either may be NULL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    Number,
}

use Kind::{Number, Text};

/// Every table of the schema with its columns, as the migrations leave
/// them: what a copy carries. A test compares it with the database, so a
/// migration adding a column cannot leave it out unseen.
pub(super) const TABLES: &[(&str, &[(&str, Kind)])] = &[
    (
        "actor_keys",
        &[
            ("actor", Text),
            ("public_key", Text),
            ("private_key", Text),
            ("created_at", Number),
        ],
    ),
    (
        "directory_key",
        &[
            ("id", Number),
            ("public_key", Text),
            ("private_key", Text),
            ("created_at", Number),
        ],
    ),
    (
        "followers",
        &[
            ("actor", Text),
            ("follower", Text),
            ("inbox", Text),
            ("follow_id", Text),
            ("created_at", Number),
        ],
    ),
    (
        "received_activities",
        &[("id", Text), ("received_at", Number)],
    ),
    (
        "remote_actors",
        &[
            ("id", Text),
            ("inbox", Text),
            ("shared_inbox", Text),
            ("key_id", Text),
            ("public_key", Text),
            ("fetched_at", Number),
        ],
    ),
    (
        "deliveries",
        &[
            ("activity_id", Text),
            ("inbox", Text),
            ("host", Text),
            ("actor", Text),
            ("activity", Text),
            ("attempts", Number),
            ("next_try", Number),
            ("last_error", Text),
            ("created_at", Number),
        ],
    ),
    (
        "delivery_hosts",
        &[
            ("host", Text),
            ("failures", Number),
            ("retry_after", Number),
        ],
    ),
    (
        "published",
        &[
            ("id", Text),
            ("actor", Text),
            ("kind", Text),
            ("fingerprint", Text),
            ("published_at", Number),
            ("deleted_at", Number),
        ],
    ),
    (
        "follows",
        &[
            ("source", Text),
            ("actor", Text),
            ("host", Text),
            ("inbox", Text),
            ("entries", Text),
            ("follow_id", Text),
            ("state", Text),
            ("updated_at", Number),
            ("backfill_next", Text),
        ],
    ),
    (
        "signature_standards",
        &[("host", Text), ("standard", Text), ("learned_at", Number)],
    ),
    (
        "introductions",
        &[
            ("programme", Text),
            ("month", Text),
            ("group_key", Text),
            ("recipient", Text),
            ("channel", Text),
            ("address", Text),
            ("status", Text),
            ("detail", Text),
            ("attempts", Number),
            ("updated_at", Number),
        ],
    ),
];

/// How many rows of each table a copy carried, in the order of [`TABLES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied(pub Vec<(&'static str, u64)>);

impl std::fmt::Display for Copied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tables: Vec<String> = self
            .0
            .iter()
            .map(|(table, rows)| format!("{table} {rows}"))
            .collect();
        write!(f, "{}", tables.join(", "))
    }
}

impl Store {
    /// Copies every row of this store into `target`, which must hold none
    /// yet (a database just opened, so migrated to the same schema): all
    /// of it or, on any failure, nothing. This store is read in one
    /// transaction, so a server still running cannot make the copy
    /// inconsistent; what it does after is not in the copy, so stop it
    /// first.
    pub async fn copy_into(&self, target: &Store) -> Result<Copied, FederationError> {
        for (table, _) in TABLES {
            let rows: i64 = sqlx::query(AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&target.pool)
                .await
                .and_then(|row| row.try_get(0))
                .map_err(failed(format!(
                    "cannot count the rows of {table} in the new database"
                )))?;
            if rows > 0 {
                return Err(FederationError::Config(format!(
                    "the database to copy into already holds {rows} rows in `{table}`: copy into a new, empty database, so that nothing in it is mixed with or replaced by the copy"
                )));
            }
        }
        let mut source = self
            .pool
            .begin()
            .await
            .map_err(failed("cannot start reading the database"))?;
        let mut written = target
            .pool
            .begin()
            .await
            .map_err(failed("cannot start writing the new database"))?;
        let mut copied = Vec::with_capacity(TABLES.len());
        for (table, columns) in TABLES {
            let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
            let places: Vec<String> = (1..=columns.len()).map(|n| format!("${n}")).collect();
            let select = format!("SELECT {} FROM {table}", names.join(", "));
            let insert = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                places.join(", ")
            );
            let mut rows = sqlx::query(AssertSqlSafe(select)).fetch(&mut *source);
            let mut count = 0;
            while let Some(row) = rows.next().await {
                let row = row.map_err(failed(format!("cannot read {table}")))?;
                let mut query = sqlx::query(AssertSqlSafe(insert.as_str()));
                for (i, (_, kind)) in columns.iter().enumerate() {
                    let read = failed(format!("cannot read a row of {table}"));
                    query = match kind {
                        Text => query.bind(row.try_get::<Option<String>, _>(i).map_err(read)?),
                        Number => query.bind(row.try_get::<Option<i64>, _>(i).map_err(read)?),
                    };
                }
                query
                    .execute(&mut *written)
                    .await
                    .map_err(failed(format!("cannot write a row of {table}")))?;
                count += 1;
            }
            drop(rows);
            copied.push((*table, count));
        }
        written
            .commit()
            .await
            .map_err(failed("cannot commit the copy"))?;
        // Only read: nothing to keep.
        let _ = source.rollback().await;
        Ok(Copied(copied))
    }

    /// The columns of every table of this database, as the database says,
    /// sorted: for comparing with [`TABLES`]. The migrator's own table is
    /// left out.
    #[cfg(test)]
    pub(super) async fn columns(&self) -> Vec<(String, String)> {
        let sql = if self.pool.connect_options().database_url.scheme() == "sqlite" {
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE '\\_sqlx%' ESCAPE '\\' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        } else {
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%'"
        };
        let mut columns: Vec<(String, String)> = sqlx::query(sql)
            .fetch_all(&self.pool)
            .await
            .expect("the columns are listed")
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        columns.sort();
        columns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_column_of_the_schema_is_copied() {
        let dir = tempfile::tempdir().expect("a folder");
        for url in crate::testing::databases(dir.path()).await {
            let store = Store::open(&url).await.expect("the store opens");
            let mut listed: Vec<(String, String)> = TABLES
                .iter()
                .flat_map(|(table, columns)| {
                    columns
                        .iter()
                        .map(|(column, _)| (table.to_string(), column.to_string()))
                })
                .collect();
            listed.sort();
            assert_eq!(store.columns().await, listed, "{url}");
        }
    }
}
