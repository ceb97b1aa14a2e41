//! A database made by a release opens in every later one: the migrations
//! only go forward, and what an older release kept reads back the same.
//!
//! `fixtures/databases/` keeps, for each release, a SQLite database it
//! made (`VERSION.sqlite`) and a dump of a PostgreSQL one
//! (`VERSION.postgres.sql`), each holding a row in every table. Each
//! release adds its own, with PostgreSQL's `pg_dump` on the path and a
//! server named (see `federation::testing`):
//!
//! ```sh
//! cargo test -p federation --test upgrades -- --ignored
//! ```

use std::path::{Path, PathBuf};

use federation::testing::{POSTGRES_VARIABLE, postgres};
use federation::{Channel, RemoteActorRow, Status, Store};

const SITE: &str = "https://directory.leeds.gov.uk/";
const PERSON: &str = "https://directory.leeds.gov.uk/profiles/asha-patel/";
const FOLLOWER: &str = "https://council.example/actor";
const REMOTE: &str = "https://council.example/users/ann";
const SOURCE: &str = "https://directory.york.gov.uk/";
const ERASED: &str = "https://directory.leeds.gov.uk/profiles/tom-reed/";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/databases")
}

/// The fixtures kept: (release, file), SQLite and PostgreSQL dumps alike.
fn kept(extension: &str) -> Vec<(String, PathBuf)> {
    let mut kept: Vec<(String, PathBuf)> = std::fs::read_dir(fixtures())
        .expect("the fixtures' folder")
        .filter_map(Result::ok)
        .map(|f| f.path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?;
            let release = name.strip_suffix(extension)?;
            (!release.contains(".postgres")).then(|| (release.to_string(), path.clone()))
        })
        .collect();
    kept.sort();
    kept
}

#[tokio::test]
async fn every_releases_sqlite_database_opens_and_keeps_what_it_held() {
    let kept = kept(".sqlite");
    let this = env!("CARGO_PKG_VERSION");
    assert!(
        kept.iter().any(|(release, _)| release == this),
        "no database made by {this} in {}: make one with `cargo test -p federation --test upgrades -- --ignored`",
        fixtures().display()
    );
    for (release, fixture) in kept {
        let dir = tempfile::tempdir().expect("a folder");
        let copy = dir.path().join("interchange.db");
        std::fs::copy(&fixture, &copy).expect("copied");
        let url = format!("sqlite://{}", copy.display());
        let store = Store::open(&url)
            .await
            .unwrap_or_else(|e| panic!("the database of {release} opens: {e}"));
        holds_what_was_kept(&store, &release).await;
        // And again, once brought up to date.
        let store = Store::open(&url).await.expect("opens again");
        holds_what_was_kept(&store, &release).await;
    }
}

#[tokio::test]
async fn every_releases_postgresql_database_opens_and_keeps_what_it_held() {
    let kept = kept(".postgres.sql");
    let this = env!("CARGO_PKG_VERSION");
    assert!(
        kept.iter().any(|(release, _)| release == this),
        "no PostgreSQL dump made by {this} in {}",
        fixtures().display()
    );
    for (release, fixture) in kept {
        let Some(url) = postgres().await else {
            eprintln!("skipped: {POSTGRES_VARIABLE} names no PostgreSQL server");
            return;
        };
        let dump = std::fs::read_to_string(&fixture).expect("the dump");
        restore(&url, &dump).await;
        let store = Store::open(&url)
            .await
            .unwrap_or_else(|e| panic!("the database of {release} opens: {e}"));
        holds_what_was_kept(&store, &release).await;
    }
}

/// Runs `dump` (`pg_dump`'s plain SQL) in the database at `url`. psql's
/// own commands (`\restrict`) are not SQL, and are left out.
async fn restore(url: &str, dump: &str) {
    use sqlx::Connection;
    let sql: String = dump
        .lines()
        .filter(|line| !line.starts_with('\\'))
        .map(|line| format!("{line}\n"))
        .collect();
    let mut connection = sqlx::PgConnection::connect(url)
        .await
        .expect("the database is reached");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut connection)
        .await
        .expect("the dump is restored");
    let _ = connection.close().await;
}

/// Whether `store` holds what [`fill`] put in it, read as the server reads it.
async fn holds_what_was_kept(store: &Store, release: &str) {
    let own = store.keys(SITE).await.expect("read");
    assert_eq!(
        own.public_pem, "SITE PUBLIC",
        "{release}: an actor's own key"
    );
    let shared = store.keys(PERSON).await.expect("read");
    assert!(
        shared.private_pem.contains("PRIVATE KEY"),
        "{release}: the directory's key, not a new one: {}",
        shared.public_pem
    );
    assert_eq!(
        store.follower_count(SITE).await.expect("read"),
        1,
        "{release}"
    );
    assert_eq!(
        store.follower_inboxes(SITE).await.expect("read"),
        ["https://council.example/inbox"],
        "{release}"
    );
    assert!(
        !store
            .first_receipt("https://council.example/follows/1", None)
            .await
            .expect("read"),
        "{release}: an activity received before is not received again"
    );
    let actor = store
        .remote_actor(REMOTE)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(actor.key_id, format!("{REMOTE}#main-key"), "{release}");
    assert_eq!(
        store.pending_deliveries().await.expect("read"),
        1,
        "{release}"
    );
    let due = store.due_deliveries(i64::MAX, 10).await.expect("read");
    assert_eq!(due.len(), 1, "{release}");
    assert_eq!(due[0].inbox, "https://council.example/inbox", "{release}");
    assert_eq!(due[0].attempts, 2, "{release}");
    assert!(
        store.tombstone(ERASED).await.expect("read").is_some(),
        "{release}: an erased entry still answers 410"
    );
    assert!(
        store.published().await.expect("read").contains_key(PERSON),
        "{release}"
    );
    let follows = store.follows().await.expect("read");
    assert_eq!(
        follows
            .iter()
            .map(|f| f.source.as_str())
            .collect::<Vec<_>>(),
        [SOURCE],
        "{release}"
    );
    assert_eq!(
        store.backfill_next(SOURCE).await.expect("read").as_deref(),
        Some("https://directory.york.gov.uk/entries?after=profiles/ann"),
        "{release}"
    );
    assert_eq!(
        store.signature_standards().await.expect("read"),
        [("council.example".to_string(), "rfc9421".to_string())],
        "{release}"
    );
    let sent = store.introductions("", "2027-01").await.expect("read");
    assert_eq!(sent.len(), 1, "{release}");
    assert_eq!(
        (sent[0].channel, sent[0].status),
        (Channel::Email, Status::Sent),
        "{release}"
    );
}

/// Makes this release's fixtures: a SQLite database, and a PostgreSQL
/// dump when a server is named.
#[tokio::test]
#[ignore = "run at each release, to add its fixtures"]
async fn make_this_releases_fixtures() {
    let this = env!("CARGO_PKG_VERSION");
    let sqlite = fixtures().join(format!("{this}.sqlite"));
    let _ = std::fs::remove_file(&sqlite);
    let dir = tempfile::tempdir().expect("a folder");
    let url = format!("sqlite://{}", dir.path().join("made.db").display());
    let store = Store::open(&url).await.expect("made");
    fill(&store, &url).await;
    // One compact file, without the write-ahead log the server keeps beside it.
    let pool = sqlx::AnyPool::connect(&url).await.expect("opened");
    sqlx::query("VACUUM INTO $1")
        .bind(sqlite.to_str().expect("UTF-8"))
        .execute(&pool)
        .await
        .expect("written");
    pool.close().await;

    let Some(url) = postgres().await else {
        panic!("{POSTGRES_VARIABLE} must name a PostgreSQL server to make its dump");
    };
    let store = Store::open(&url).await.expect("made");
    fill(&store, &url).await;
    let dump = std::process::Command::new("pg_dump")
        .args([
            "--inserts",
            "--no-owner",
            "--no-privileges",
            "--dbname",
            &url,
        ])
        .output()
        .expect("pg_dump runs");
    assert!(
        dump.status.success(),
        "{}",
        String::from_utf8_lossy(&dump.stderr)
    );
    std::fs::write(fixtures().join(format!("{this}.postgres.sql")), dump.stdout).expect("written");
}

/// A row in every table: through the store where it has a way in, else as
/// the server writes it.
async fn fill(store: &Store, url: &str) {
    store.keys(PERSON).await.expect("the directory's key made");
    store
        .add_follower(
            SITE,
            FOLLOWER,
            "https://council.example/inbox",
            "https://council.example/follows/1",
        )
        .await
        .expect("kept");
    let actor = RemoteActorRow {
        id: REMOTE.into(),
        inbox: format!("{REMOTE}/inbox"),
        shared_inbox: Some("https://council.example/inbox".into()),
        key_id: format!("{REMOTE}#main-key"),
        public_key: "ANN PUBLIC".into(),
        fetched_at: 1_796_000_000,
    };
    store
        .first_receipt("https://council.example/follows/1", Some(&actor))
        .await
        .expect("kept");
    store
        .learn_signature_standard("council.example", "rfc9421")
        .await
        .expect("kept");
    store
        .record_introduction(&federation::IntroductionRow {
            programme: String::new(),
            month: "2027-01".into(),
            group_key: "asha-patel tom-young".into(),
            recipient: "asha-patel".into(),
            channel: Channel::Email,
            address: "asha@example.gov.uk".into(),
            status: Status::Sent,
            detail: None,
            attempts: 1,
        })
        .await
        .expect("kept");
    let pool = sqlx::AnyPool::connect(url).await.expect("opened");
    for statement in [
        format!(
            "INSERT INTO actor_keys (actor, public_key, private_key, created_at) VALUES ('{SITE}', 'SITE PUBLIC', 'SITE PRIVATE', 1700000000)"
        ),
        format!(
            "INSERT INTO deliveries (activity_id, inbox, host, actor, activity, attempts, next_try, last_error, created_at) \
             VALUES ('{PERSON}#update/1', 'https://council.example/inbox', 'council.example', '{PERSON}', '{{\"type\":\"Update\"}}', 2, 1796000000, '503', 1796000000)"
        ),
        "INSERT INTO delivery_hosts (host, failures, retry_after) VALUES ('council.example', 2, 1796000060)".to_string(),
        format!(
            "INSERT INTO published (id, actor, kind, fingerprint, published_at, deleted_at) VALUES \
             ('{PERSON}', '{PERSON}', 'Person', 'f1', 1796000000, NULL), ('{ERASED}', '{ERASED}', 'Person', 'f2', 1796000000, 1796000100)"
        ),
        format!(
            "INSERT INTO follows (source, actor, host, inbox, entries, follow_id, state, updated_at, backfill_next) VALUES \
             ('{SOURCE}', '{SOURCE}', 'directory.york.gov.uk', '{SOURCE}inbox', '{SOURCE}entries', '{SITE}#follow/1', 'accepted', 1796000000, \
             'https://directory.york.gov.uk/entries?after=profiles/ann')"
        ),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(statement))
            .execute(&pool)
            .await
            .expect("inserted");
    }
    pool.close().await;
}
