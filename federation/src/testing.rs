//! Databases for tests: the store's tests, and those of the servers built
//! on it, run on SQLite always and on PostgreSQL too when a server is
//! named, so that a change breaking either is seen.
//!
//! `INTERCHANGE_TEST_POSTGRES` names a PostgreSQL server by the address of
//! a database on it that its user may create others from
//! (`postgres://postgres@127.0.0.1:54329/postgres`); each test gets a new,
//! empty database of its own there, so tests run side by side. `.ci/run`
//! starts such a server; under CI (`CI` set) the variable is required, so
//! that PostgreSQL cannot drop out of the run unseen.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

/// The variable naming the PostgreSQL server tests may use.
pub const POSTGRES_VARIABLE: &str = "INTERCHANGE_TEST_POSTGRES";

/// The address of a new, empty PostgreSQL database on the server
/// [`POSTGRES_VARIABLE`] names, or `None` when it names none (and this is
/// not CI).
///
/// # Panics
///
/// When under CI no server is named, or when the server cannot be reached
/// or refuses to create the database: the test cannot do what it is for.
pub async fn postgres() -> Option<String> {
    let Some(server) = std::env::var(POSTGRES_VARIABLE)
        .ok()
        .filter(|v| !v.is_empty())
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{POSTGRES_VARIABLE} must name a PostgreSQL server under CI (.ci/run starts one)"
        );
        return None;
    };
    static MADE: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "interchange_test_{}_{}_{}",
        std::process::id(),
        MADE.fetch_add(1, Ordering::Relaxed),
        jiff::Timestamp::now().as_millisecond()
    );
    let mut connection = sqlx::PgConnection::connect(&server)
        .await
        .unwrap_or_else(|e| panic!("cannot reach the PostgreSQL server {server}: {e}"));
    // The name is made here, of letters, digits and underscores only.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut connection)
        .await
        .unwrap_or_else(|e| panic!("cannot create a database on {server}: {e}"));
    let _ = connection.close().await;
    let mut url = url::Url::parse(&server)
        .unwrap_or_else(|e| panic!("{POSTGRES_VARIABLE} is not an address ({server}): {e}"));
    url.set_path(&name);
    Some(url.into())
}

/// The addresses of the databases a test of the store runs on: a SQLite
/// file in `dir`, then a new PostgreSQL database if a server is named
/// (see [`postgres`]).
pub async fn databases(dir: &std::path::Path) -> Vec<String> {
    let sqlite = format!("sqlite://{}", dir.join("store.sqlite").display());
    let mut databases = vec![sqlite];
    databases.extend(postgres().await);
    databases
}
