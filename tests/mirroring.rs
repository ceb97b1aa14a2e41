//! Two directories in step: two `interchange federate --insecure-local`
//! processes on the loopback, each with its own folder. B follows A, and
//! A's entries appear in B's `mirror/` and pages; an edit in A reaches B; a
//! profile deleted in A leaves B, and A answers 410 for it; B stopped while
//! A has a delivery pending loses nothing once it is back.

use std::path::Path;

use common::federation::{federate, federate_env, free_port, site_with};
use common::followed::ACTIVITY;
use common::{get, wait_until, write};

mod common;

/// Directory B at `http://localhost:{port}`, following A on `a_port`: a
/// trust with one profile of its own.
fn directory_b(port: u16, a_port: u16) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    write(
        root,
        "interchange.toml",
        &format!(
            "title = \"Beta\"\nbase_url = \"http://localhost:{port}\"\norganisations = [\"beta-trust\"]\n\n[federation]\nhandle = \"beta\"\ndatabase = \"sqlite://federation.sqlite\"\nfollow = [\"http://localhost:{a_port}/\"]\nallow = [\"localhost\"]\n"
        ),
    );
    write(
        root,
        "content/organisations/beta-trust.md",
        "---\nname: Beta NHS Trust\nsector: nhs\n---\nA hospital trust.\n",
    );
    write(
        root,
        "content/profiles/tom-young.md",
        "---\nname: Tom Young\nrole: Discharge Lead\norganisation: beta-trust\npolicy_areas: [adult-social-care]\nopen_to: [buddy]\nconsent: 2026-01-01\n---\nTom runs discharge.\n",
    );
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// How many deliveries A's database holds for `inbox`, and the most
/// attempts any has had.
fn pending(database: &Path, inbox: &str) -> (i64, i64) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let url = format!("sqlite://{}?mode=ro", database.display());
        let pool = sqlx::SqlitePool::connect(&url).await.expect("A's database");
        let row: (i64, Option<i64>) =
            sqlx::query_as("SELECT COUNT(*), MAX(attempts) FROM deliveries WHERE inbox = ?")
                .bind(inbox)
                .fetch_one(&pool)
                .await
                .expect("read");
        pool.close().await;
        (row.0, row.1.unwrap_or(0))
    })
}

#[test]
fn a_directory_mirrors_another_through_every_change_and_a_restart() {
    let (a_port, b_port) = (free_port(), free_port());
    let a = site_with(
        &format!("http://localhost:{a_port}"),
        "allow = [\"localhost\"]",
    );
    write(
        a.path(),
        "content/profiles/sam-okoro.md",
        "---\nname: Sam Okoro\nrole: Data Lead\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-01-01\n---\nSam works on data.\n",
    );
    let retry_fast = [("INTERCHANGE_FIRST_RETRY", "1")];
    let _a_server = federate_env(a.path(), a_port, &["--insecure-local"], &retry_fast);
    let b = directory_b(b_port, a_port);
    let b_server = federate(b.path(), b_port);

    // Follow → Accept → backfill: every entry A publishes, and only those.
    let mirror = b.path().join(format!("mirror/localhost:{a_port}"));
    let files = [
        "profiles/priya-shah.md",
        "profiles/sam-okoro.md",
        "events/housing-open-day.md",
        "consultations/housing-allocations.md",
        "asks/mentor-wanted.md",
        "organisations/acme.md",
    ];
    let public = b.path().join("public");
    wait_until("A's entries in B's mirror and pages", || {
        files.iter().all(|f| mirror.join(f).is_file())
            && public.join("profiles/sam-okoro/index.html").is_file()
            && public.join("events/housing-open-day/index.html").is_file()
    });
    assert!(
        !mirror.join("profiles/internal-ian.md").exists(),
        "internal profiles stay home"
    );
    assert!(
        !mirror.join("profiles/quiet-quentin.md").exists(),
        "federate: false stays home"
    );
    let priya = read(&mirror.join("profiles/priya-shah.md"));
    assert!(priya.contains("name: Priya Shah\n"), "{priya}");
    assert!(
        priya.contains(&format!(
            "origin: \"http://localhost:{a_port}/profiles/priya-shah/\""
        )),
        "{priya}"
    );
    let page = read(&public.join("profiles/priya-shah/index.html"));
    assert!(
        page.contains("Priya Shah") && page.contains("Acme Council"),
        "{page}"
    );
    let event = read(&mirror.join("events/housing-open-day.md"));
    assert!(
        event.contains("start: \"2027-03-04T10:00+00:00\""),
        "times keep their offset: {event}"
    );
    assert!(event.contains("host: priya-shah"), "{event}");

    // B never passes on what it mirrors.
    let entries = get(b_port, "/entries", ACTIVITY).json();
    let listed = entries["orderedItems"].to_string();
    assert!(
        listed.contains("tom-young") && !listed.contains("priya-shah"),
        "{listed}"
    );
    assert_eq!(get(b_port, "/profiles/priya-shah/", ACTIVITY).status, 404);

    // An edit in A reaches B's mirror and page.
    let a_priya = a.path().join("content/profiles/priya-shah.md");
    let text = read(&a_priya);
    std::fs::write(
        &a_priya,
        text.replace("role: Housing Adviser", "role: Head of Housing Options"),
    )
    .expect("edited");
    wait_until("the edit in B", || {
        read(&mirror.join("profiles/priya-shah.md")).contains("role: Head of Housing Options")
            && read(&public.join("profiles/priya-shah/index.html"))
                .contains("Head of Housing Options")
    });

    // B stops; A's Update cannot be delivered and stays pending.
    drop(b_server);
    let b_inbox = format!("http://localhost:{b_port}/inbox");
    let a_database = a.path().join("federation.sqlite");
    std::fs::write(
        &a_priya,
        text.replace("role: Housing Adviser", "role: Director of Housing"),
    )
    .expect("edited");
    wait_until("a failed delivery pending in A", || {
        let (count, attempts) = pending(&a_database, &b_inbox);
        count > 0 && attempts > 0
    });
    // B starts again: the pending delivery arrives, and the edit shows.
    let b_server = federate(b.path(), b_port);
    wait_until("the pending delivery delivered", || {
        pending(&a_database, &b_inbox).0 == 0
    });
    wait_until("the edit made while B was down, in B", || {
        read(&public.join("profiles/priya-shah/index.html")).contains("Director of Housing")
    });

    // A profile deleted in A leaves B's mirror and pages; A answers 410.
    std::fs::remove_file(a.path().join("content/profiles/sam-okoro.md")).expect("deleted");
    wait_until("Sam gone from B", || {
        !mirror.join("profiles/sam-okoro.md").exists()
            && !public.join("profiles/sam-okoro/index.html").exists()
    });
    assert_eq!(get(a_port, "/profiles/sam-okoro/", ACTIVITY).status, 410);
    let people = read(&public.join("profiles/index.html"));
    assert!(
        !people.contains("Sam Okoro"),
        "the list of people no longer names Sam"
    );
    drop(b_server);
}
