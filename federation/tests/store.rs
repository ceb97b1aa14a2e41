//! The store on a real SQLite file, and on a real PostgreSQL database when
//! a server is named (`federation::testing`): what the inbox keeps
//! survives a reopen, each activity id is received once, and old ids are
//! forgotten.

use federation::testing::databases;
use federation::{Channel, IntroductionRow, RemoteActorRow, Status, Store};

async fn open(url: &str) -> Store {
    Store::open(url)
        .await
        .unwrap_or_else(|e| panic!("the store at {url} opens: {e}"))
}

#[tokio::test]
async fn follows_receipts_and_actors_are_kept_across_a_reopen() {
    let dir = tempfile::tempdir().expect("a folder");
    for url in databases(dir.path()).await {
        kept_across_a_reopen(&url).await;
    }
}

async fn kept_across_a_reopen(url: &str) {
    let site = "https://directory.leeds.gov.uk/";
    {
        let store = open(url).await;
        store
            .add_follower(
                site,
                "https://a.example/users/1",
                "https://a.example/inbox",
                "https://a.example/f/1",
            )
            .await
            .expect("kept");
        store
            .add_follower(
                site,
                "https://a.example/users/2",
                "https://a.example/inbox",
                "https://a.example/f/2",
            )
            .await
            .expect("kept");
        store
            .add_follower(
                site,
                "https://b.example/u/3",
                "https://b.example/u/3/inbox",
                "https://b.example/f/3",
            )
            .await
            .expect("kept");
        assert!(
            store
                .first_receipt("https://a.example/f/1", None)
                .await
                .expect("recorded")
        );
        store
            .put_remote_actor(&RemoteActorRow {
                id: "https://a.example/users/1".into(),
                inbox: "https://a.example/users/1/inbox".into(),
                shared_inbox: Some("https://a.example/inbox".into()),
                key_id: "https://a.example/users/1#main-key".into(),
                public_key: "PEM".into(),
                fetched_at: 1,
            })
            .await
            .expect("kept");
        // An actor fetched for an activity is kept with its receipt.
        assert!(
            store
                .first_receipt(
                    "https://c.example/f/1",
                    Some(&RemoteActorRow {
                        id: "https://c.example/users/1".into(),
                        inbox: "https://c.example/users/1/inbox".into(),
                        shared_inbox: None,
                        key_id: "https://c.example/users/1#main-key".into(),
                        public_key: "PEM".into(),
                        fetched_at: 2,
                    }),
                )
                .await
                .expect("recorded")
        );
    }

    let store = open(url).await;
    let kept = store
        .remote_actor("https://c.example/users/1")
        .await
        .expect("read")
        .expect("kept with the receipt");
    assert_eq!(kept.inbox, "https://c.example/users/1/inbox");
    assert_eq!(store.follower_count(site).await.expect("counted"), 3);
    assert_eq!(
        store.follower_inboxes(site).await.expect("listed"),
        ["https://a.example/inbox", "https://b.example/u/3/inbox"],
        "one delivery per shared inbox"
    );
    assert!(
        !store
            .first_receipt("https://a.example/f/1", None)
            .await
            .expect("checked"),
        "an activity id is received once, even after a restart"
    );
    let actor = store
        .remote_actor("https://a.example/users/1")
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(
        actor.shared_inbox.as_deref(),
        Some("https://a.example/inbox")
    );

    // An Undo naming another actor's Follow ends nothing.
    assert!(
        !store
            .remove_follow("https://b.example/u/3", "https://a.example/f/2")
            .await
            .expect("ran")
    );
    assert!(
        store
            .remove_follow("https://a.example/users/2", "https://a.example/f/2")
            .await
            .expect("ran")
    );
    // A deleted actor's follows end with it.
    store
        .forget_actor("https://a.example/users/1")
        .await
        .expect("forgotten");
    assert_eq!(store.follower_count(site).await.expect("counted"), 1);
    assert!(
        store
            .remote_actor("https://a.example/users/1")
            .await
            .expect("read")
            .is_none()
    );

    // Ids received before the cut-off are forgotten; later ones are kept.
    let now = jiff::Timestamp::now().as_second();
    assert!(
        store
            .first_receipt("https://a.example/f/9", None)
            .await
            .expect("recorded")
    );
    assert_eq!(store.prune_receipts(now - 60).await.expect("pruned"), 0);
    assert_eq!(store.prune_receipts(now + 60).await.expect("pruned"), 3);
    assert!(
        store
            .first_receipt("https://a.example/f/1", None)
            .await
            .expect("recorded")
    );
}

#[tokio::test]
async fn a_directorys_actors_share_one_key_and_an_older_own_key_is_kept() {
    let dir = tempfile::tempdir().expect("a folder");
    for url in databases(dir.path()).await {
        one_key_shared(&url).await;
    }
}

async fn one_key_shared(url: &str) {
    let organisation = "https://directory.leeds.gov.uk/";
    let person = "https://directory.leeds.gov.uk/profiles/asha-patel/";
    let other = "https://directory.leeds.gov.uk/profiles/tom-reed/";
    let first = {
        let store = open(url).await;
        let first = store.keys(person).await.expect("made");
        assert!(first.public_pem.contains("BEGIN PUBLIC KEY"));
        let again = store.keys(other).await.expect("read");
        assert_eq!(again.public_pem, first.public_pem, "one key, made once");
        assert_eq!(again.private_pem, first.private_pem);
        first
    };

    // A database from before actors shared a key holds the organisation's own.
    let pool = sqlx::AnyPool::connect(url).await.expect("opened");
    sqlx::query("INSERT INTO actor_keys (actor, public_key, private_key, created_at) VALUES ($1, 'OWN PUBLIC', 'OWN PRIVATE', 0)")
        .bind(organisation)
        .execute(&pool)
        .await
        .expect("inserted");
    pool.close().await;

    let store = open(url).await;
    let own = store.keys(organisation).await.expect("read");
    assert_eq!(
        own.public_pem, "OWN PUBLIC",
        "an actor's own key never changes"
    );
    let shared = store.keys(person).await.expect("read");
    assert_eq!(
        shared.public_pem, first.public_pem,
        "the shared key survives a reopen"
    );
}

#[tokio::test]
async fn a_later_attempt_at_an_introduction_replaces_the_record_of_an_earlier_one() {
    let dir = tempfile::tempdir().expect("a folder");
    for url in databases(dir.path()).await {
        introductions_recorded(&url).await;
    }
}

async fn introductions_recorded(url: &str) {
    let row = |status| IntroductionRow {
        programme: String::new(),
        month: "2027-01".into(),
        group_key: "priya-shah tom-young".into(),
        recipient: "priya-shah".into(),
        channel: Channel::Email,
        address: "priya@example.gov.uk".into(),
        status,
        detail: None,
        attempts: 1,
    };
    let store = open(url).await;
    store
        .record_introduction(&IntroductionRow {
            detail: Some("421 try later".into()),
            ..row(Status::Failed)
        })
        .await
        .expect("recorded");
    let sent = IntroductionRow {
        attempts: 2,
        ..row(Status::Sent)
    };
    store.record_introduction(&sent).await.expect("recorded");
    assert_eq!(
        store.introductions("", "2027-01").await.expect("read"),
        vec![sent],
        "{url}"
    );
    assert!(
        store
            .introductions("graduates", "2027-01")
            .await
            .expect("read")
            .is_empty(),
        "a programme's round is its own"
    );
}
