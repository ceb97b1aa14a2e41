//! A directory's database moved as an operator moves it: `federate` runs on
//! SQLite, is stopped, `interchange copy-database` copies its state into
//! PostgreSQL (a second SQLite file when no PostgreSQL server is named:
//! see `federation::testing`), `database =` is pointed at the copy, and
//! the server started again is the same directory to the rest of the
//! network: the same key, the same followers, the same queue.

use common::federation::{federate, free_port, site};
use common::followed::ACTIVITY;
use common::{get, interchange, wait_until};

mod common;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

#[test]
fn a_directory_moved_to_another_database_keeps_its_key_followers_and_queue() {
    let port = free_port();
    let dir = site(port);
    let root = dir.path();
    let base = format!("http://localhost:{port}");

    // A follower on a server that cannot be reached (this machine has no
    // network), so that what is published to it stays queued.
    let sqlite = format!("sqlite://{}", root.join("federation.sqlite").display());
    let runtime = runtime();
    runtime.block_on(async {
        let store = federation::Store::open(&sqlite).await.expect("opened");
        store
            .add_follower(
                &format!("{base}/"),
                "https://council.example/actor",
                "https://council.example/inbox",
                "https://council.example/follows/1",
            )
            .await
            .expect("kept");
    });
    let pending = |url: &str| {
        runtime.block_on(async {
            let store = federation::Store::open(url).await.expect("opened");
            store.pending_deliveries().await.expect("counted")
        })
    };

    // Running on SQLite: the key is made, and the site published.
    let server = federate(root, port);
    let key = |port| get(port, "/", ACTIVITY).json()["publicKey"]["publicKeyPem"].clone();
    let before = key(port);
    assert!(
        before
            .as_str()
            .is_some_and(|pem| pem.contains("PUBLIC KEY"))
    );
    wait_until("deliveries queued for the follower", || {
        pending(&sqlite) > 0
    });
    drop(server);
    let queued = pending(&sqlite);

    let target = runtime
        .block_on(federation::testing::postgres())
        .unwrap_or_else(|| format!("sqlite://{}", root.join("copy.sqlite").display()));
    let root_arg = root.to_str().expect("UTF-8");
    // A site folder with no database yet has nothing to copy: refused,
    // rather than a new, empty database copied.
    let elsewhere = tempfile::tempdir().expect("a folder");
    let nothing = site(port);
    let refused = interchange(&[
        "copy-database",
        "--root",
        nothing.path().to_str().expect("UTF-8"),
        "--to",
        &format!(
            "sqlite://{}",
            elsewhere.path().join("copy.sqlite").display()
        ),
    ]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("nothing to copy"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(!nothing.path().join("federation.sqlite").exists());
    assert!(!elsewhere.path().join("copy.sqlite").exists());
    let copied = interchange(&["copy-database", "--root", root_arg, "--to", &target]);
    let said = String::from_utf8_lossy(&copied.stdout);
    assert!(
        copied.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&copied.stderr)
    );
    assert!(
        said.contains("followers 1") && said.contains("directory_key 1"),
        "{said}"
    );
    assert!(said.contains("database = "), "says what to do next: {said}");

    // Copying again into what now holds data is refused, and changes nothing.
    let again = interchange(&["copy-database", "--root", root_arg, "--to", &target]);
    let refused = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success());
    assert!(
        refused.contains("already holds") && refused.contains("new, empty database"),
        "{refused}"
    );

    // A server that cannot be reached is named at once, by what went
    // wrong, and the password given is never shown.
    let closed = format!("postgres://interchange:s3cret@127.0.0.1:{}/x", free_port());
    let unreachable = interchange(&["copy-database", "--root", root_arg, "--to", &closed]);
    let said = String::from_utf8_lossy(&unreachable.stderr);
    assert!(!unreachable.status.success());
    assert!(
        said.contains("refused") && said.contains("postgres://interchange@127.0.0.1"),
        "{said}"
    );
    assert!(!said.contains("s3cret"), "{said}");

    let config = root.join("interchange.toml");
    let text = std::fs::read_to_string(&config).expect("the config");
    std::fs::write(&config, text.replace("sqlite://federation.sqlite", &target))
        .expect("pointed at the copy");
    std::fs::remove_file(root.join("federation.sqlite")).expect("the old database gone");
    assert_eq!(pending(&target), queued, "the queue came along");

    let server = federate(root, port);
    assert_eq!(key(port), before, "the same key signs for the directory");
    wait_until("the follower listed", || {
        get(port, "/followers", ACTIVITY).json()["totalItems"] == 1
    });
    drop(server);
}
