//! Two directories in step: two `interchange federate --insecure-local`
//! processes on the loopback, each with its own folder. B follows A, and
//! A's entries appear in B's `mirror/` and pages; an edit in A reaches B; a
//! profile deleted in A leaves B, and A answers 410 for it; B stopped while
//! A has a delivery pending loses nothing once it is back.

use std::path::Path;

use common::federation::{
    add_officers, federate, federate_env, federate_logged, free_port, site_with,
};
use common::followed::{ACTIVITY, Setup, activity};
use common::remote::{MASTODON, Remote, keys, signed};
use common::{get, interchange, post, wait_until, write};
use serde_json::json;

mod common;

/// Directory A at `http://localhost:{port}`, which localhost may follow:
/// the small site, with Sam Okoro of Acme besides.
fn directory_a(port: u16) -> tempfile::TempDir {
    let a = site_with(
        &format!("http://localhost:{port}"),
        "allow = [\"localhost\"]",
    );
    write(
        a.path(),
        "content/profiles/sam-okoro.md",
        "---\nname: Sam Okoro\nrole: Data Lead\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-01-01\n---\nSam works on data.\n",
    );
    a
}

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

/// How many deliveries A's database (at `database`) holds for `inbox`, and
/// the most attempts any has had.
fn pending(database: &str, inbox: &str) -> (i64, i64) {
    read_database(database, async |pool| {
        let row: (i64, Option<i64>) =
            sqlx::query_as("SELECT COUNT(*), MAX(attempts) FROM deliveries WHERE inbox = $1")
                .bind(inbox)
                .fetch_one(pool)
                .await
                .expect("read");
        (row.0, row.1.unwrap_or(0))
    })
    .expect("A's database")
}

/// What `read` gives from a connection to the database at `url` (of a
/// server still running; SQLite is opened read-only); none if it cannot
/// be opened (not made yet).
fn read_database<T>(url: &str, read: impl AsyncFnOnce(&sqlx::AnyPool) -> T) -> Option<T> {
    sqlx::any::install_default_drivers();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let url = if url.starts_with("sqlite:") {
            format!("{url}?mode=ro")
        } else {
            url.to_string()
        };
        let pool = sqlx::AnyPool::connect(&url).await.ok()?;
        let read = read(&pool).await;
        pool.close().await;
        Some(read)
    })
}

/// The SQLite database of the site at `root`, as its config names it.
fn sqlite(root: &Path) -> String {
    format!("sqlite://{}", root.join("federation.sqlite").display())
}

/// Points the site at `root` at the database `url`, instead of its SQLite
/// file.
fn use_database(root: &Path, url: &str) {
    let config = root.join("interchange.toml");
    let text = read(&config);
    assert!(text.contains("sqlite://federation.sqlite"), "{text}");
    std::fs::write(&config, text.replace("sqlite://federation.sqlite", url)).expect("written");
}

#[test]
fn a_directory_mirrors_another_through_every_change_and_a_restart() {
    mirrors_through_every_change(None);
}

/// The same two directories, each keeping its state in a PostgreSQL
/// database of its own.
#[test]
fn two_directories_on_postgresql_mirror_through_every_change_and_a_restart() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let databases = runtime.block_on(async {
        Some((
            federation::testing::postgres().await?,
            federation::testing::postgres().await?,
        ))
    });
    match databases {
        Some(databases) => mirrors_through_every_change(Some(databases)),
        None => eprintln!(
            "skipped: {} names no PostgreSQL server",
            federation::testing::POSTGRES_VARIABLE
        ),
    }
}

/// B follows A, through every change and a restart of B; A and B keep
/// their state in `databases` when given, else in their SQLite files.
fn mirrors_through_every_change(databases: Option<(String, String)>) {
    let (a_port, b_port) = (free_port(), free_port());
    let a = directory_a(a_port);
    let b = directory_b(b_port, a_port);
    let a_database = match &databases {
        Some((a_database, b_database)) => {
            use_database(a.path(), a_database);
            use_database(b.path(), b_database);
            a_database.clone()
        }
        None => sqlite(a.path()),
    };
    let retry_fast = [("INTERCHANGE_FIRST_RETRY", "1")];
    let _a_server = federate_env(a.path(), a_port, &["--insecure-local"], &retry_fast);
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
    // A's entries' pages at B are under A's host.
    let public = b.path().join("public");
    let pages = public.join(format!("profiles/localhost:{a_port}"));
    wait_until("A's entries in B's mirror and pages", || {
        files.iter().all(|f| mirror.join(f).is_file())
            && pages.join("sam-okoro/index.html").is_file()
            && public
                .join(format!(
                    "events/localhost:{a_port}/housing-open-day/index.html"
                ))
                .is_file()
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
    let page = read(&pages.join("priya-shah/index.html"));
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
    let entries = get(b_port, "/entries?after=", ACTIVITY).json();
    let listed = entries["orderedItems"].to_string();
    assert!(
        listed.contains("tom-young") && !listed.contains("priya-shah"),
        "{listed}"
    );
    let mirrored = format!("/profiles/localhost:{a_port}/priya-shah/");
    assert_eq!(get(b_port, &mirrored, ACTIVITY).status, 404);
    assert_eq!(get(b_port, &mirrored, "text/html").status, 200);

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
            && read(&pages.join("priya-shah/index.html")).contains("Head of Housing Options")
    });

    // B stops; A's Update cannot be delivered and stays pending.
    drop(b_server);
    let b_inbox = format!("http://localhost:{b_port}/inbox");
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
        read(&pages.join("priya-shah/index.html")).contains("Director of Housing")
    });

    // A profile deleted in A leaves B's mirror and pages; A answers 410.
    std::fs::remove_file(a.path().join("content/profiles/sam-okoro.md")).expect("deleted");
    // His page goes first; the list of people once B has built again.
    wait_until("Sam gone from B", || {
        !mirror.join("profiles/sam-okoro.md").exists()
            && !pages.join("sam-okoro/index.html").exists()
    });
    wait_until("the list of people no longer naming Sam", || {
        let people = read(&public.join("profiles/index.html"));
        people.contains("Priya Shah") && !people.contains("Sam Okoro")
    });
    assert_eq!(get(a_port, "/profiles/sam-okoro/", ACTIVITY).status, 410);
    drop(b_server);
}

/// A `Create` by `remote`'s alice of a profile with `body`, as another
/// Interchange directory sends one.
fn profile_created(remote: &common::remote::Remote, slug: &str, body: &str) -> serde_json::Value {
    let id = remote.url(&format!("/profiles/{slug}/"));
    activity(
        remote,
        "Create",
        &format!("/activities/{slug}"),
        "alice",
        json!({
            "id": id,
            "type": "Person",
            "entryKind": "profiles",
            "fields": {
                "name": "Eve Evans", "role": "Analyst", "organisation": "remote-org",
                "policy_areas": ["housing"], "open_to": ["coffee"], "consent": "2026-01-01",
            },
            "source": { "content": body, "mediaType": "text/markdown" },
            "organisationEntry": {
                "id": remote.url("/organisations/remote-org/"),
                "entryKind": "organisations",
                "fields": { "name": "Remote Council", "sector": "local-government" },
                "source": { "content": "", "mediaType": "text/markdown" },
            },
        }),
    )
}

#[test]
fn only_followed_directories_change_the_mirror_sanitised_and_in_any_order() {
    let remote = Remote::start();
    let stranger = Remote::start();
    let port = free_port();
    let followed = format!("localhost:{}", remote.port);
    let site = site_with(
        &format!("http://localhost:{port}"),
        &format!("allow = [\"localhost\"]\nfollow = [\"http://{followed}/\"]"),
    );
    let server = federate(site.path(), port);
    remote.wait_for("Follow");
    let s = Setup {
        remote,
        server,
        host: format!("localhost:{port}"),
        site,
    };

    // From the followed directory: mirrored, with its script removed.
    let created = profile_created(
        &s.remote,
        "eve-evans",
        "Eve <script>alert(1)</script> works on **housing**.",
    );
    assert_eq!(s.deliver(&created, "alice").status, 202);
    let public = s.site.path().join("public");
    let page = public.join(format!("profiles/{followed}/eve-evans/index.html"));
    wait_until("the mirrored profile's page", || page.is_file());
    let html = read(&page);
    assert!(html.contains("<strong>housing</strong>"), "{html}");
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(
        s.site
            .path()
            .join(format!("mirror/{followed}/organisations/remote-org.md"))
            .is_file()
    );

    // An event naming a profile not mirrored yet is set aside, and built
    // once the profile arrives.
    let event = activity(
        &s.remote,
        "Create",
        "/activities/meetup",
        "alice",
        json!({
            "id": s.remote.url("/events/late-meetup/"),
            "type": "Event",
            "entryKind": "events",
            "fields": {
                "title": "Late meetup", "kind": "meetup", "start": "2027-05-01T10:00+01:00",
                "venue": { "name": "Town Hall" }, "host": "lucy-late",
            },
            "source": { "content": "A meetup.", "mediaType": "text/markdown" },
        }),
    );
    assert_eq!(s.deliver(&event, "alice").status, 202);
    let mirrored = s.site.path().join(format!("mirror/{followed}/events"));
    wait_until("the event set aside", || {
        mirrored.join(".late-meetup.md.waiting").is_file()
    });
    let meetup = public.join(format!("events/{followed}/late-meetup/index.html"));
    assert!(!meetup.exists());
    let lucy = profile_created(&s.remote, "lucy-late", "Lucy.");
    assert_eq!(s.deliver(&lucy, "alice").status, 202);
    wait_until("the event built once its host arrived", || meetup.is_file());
    assert!(mirrored.join("late-meetup.md").is_file());

    // From an allowed host that is not followed: taken in, nothing written.
    let created = profile_created(&stranger, "mallory", "Mallory.");
    let body = created.to_string();
    let headers = signed(
        &keys()[0],
        &format!("{}#main-key", stranger.actor("alice")),
        &s.host,
        "/inbox",
        body.as_bytes(),
        std::time::SystemTime::now(),
        MASTODON,
    );
    assert_eq!(post(port, "/inbox", &headers, body.as_bytes()).status, 202);
    std::thread::sleep(std::time::Duration::from_secs(1));
    let strangers = s
        .site
        .path()
        .join(format!("mirror/localhost:{}", stranger.port));
    assert!(!strangers.exists(), "nothing from a directory not followed");
}

#[test]
fn one_slug_from_two_followed_directories_and_a_local_file_names_three_and_none_attaches() {
    let (a_port, c_port, b_port) = (free_port(), free_port(), free_port());
    // A and C: two councils with the same slugs (`acme`, `priya-shah`,
    // `sam-okoro`), whose Priya posts an ask and hosts an event.
    let a = directory_a(a_port);
    let c = directory_a(c_port);
    let c_priya = c.path().join("content/profiles/priya-shah.md");
    std::fs::write(
        &c_priya,
        read(&c_priya).replace("Priya Shah", "Priya Gamma"),
    )
    .expect("C's");
    let _a_server = federate(a.path(), a_port);
    let _c_server = federate(c.path(), c_port);
    // B: its own `acme` and `priya-shah` too, and follows both.
    let b = directory_b(b_port, a_port);
    let root = b.path();
    let config = read(&root.join("interchange.toml"))
        .replace("[\"beta-trust\"]", "[\"acme\"]")
        .replace(
            &format!("follow = [\"http://localhost:{a_port}/\"]"),
            &format!("follow = [\"http://localhost:{a_port}/\", \"http://localhost:{c_port}/\"]"),
        );
    write(root, "interchange.toml", &config);
    std::fs::remove_file(root.join("content/organisations/beta-trust.md")).expect("removed");
    std::fs::remove_file(root.join("content/profiles/tom-young.md")).expect("removed");
    write(
        root,
        "content/organisations/acme.md",
        "---\nname: Acme Trust\nsector: nhs\n---\nB's own Acme.\n",
    );
    write(
        root,
        "content/profiles/priya-shah.md",
        "---\nname: Priya Beta\nrole: Ward Manager\norganisation: acme\npolicy_areas: [adult-social-care]\nopen_to: [buddy]\nconsent: 2026-01-01\n---\nB's own Priya.\n",
    );
    let _b_server = federate(root, b_port);

    // Every Priya has her page: B's at its slug, A's and C's under their hosts.
    let public = root.join("public");
    let (at_a, at_c) = (format!("localhost:{a_port}"), format!("localhost:{c_port}"));
    let page_of = |kind: &str, key: &str| read(&public.join(kind).join(key).join("index.html"));
    wait_until("A's and C's entries built at B", || {
        [&at_a, &at_c].iter().all(|host| {
            page_of("profiles", &format!("{host}/sam-okoro")).contains("Sam Okoro")
                && page_of("events", &format!("{host}/housing-open-day"))
                    .contains("Housing open day")
                && page_of("asks", &format!("{host}/mentor-wanted")).contains("A mentor")
        })
    });
    let b_priya = page_of("profiles", "priya-shah");
    let a_priya = page_of("profiles", &format!("{at_a}/priya-shah"));
    let c_priya = page_of("profiles", &format!("{at_c}/priya-shah"));
    assert!(b_priya.contains("Priya Beta"), "{b_priya}");
    assert!(a_priya.contains("Priya Shah"), "{a_priya}");
    assert!(c_priya.contains("Priya Gamma"), "{c_priya}");
    let people = page_of("profiles", "");
    for href in [
        "/profiles/priya-shah/".to_string(),
        format!("/profiles/{at_a}/priya-shah/"),
        format!("/profiles/{at_c}/priya-shah/"),
    ] {
        assert!(
            people.contains(&format!("href=\"{href}\"")),
            "{href} not listed"
        );
    }
    // Each links to its origin.
    assert!(a_priya.contains(&format!("http://{at_a}/profiles/priya-shah/")));

    // Nothing of A's or C's is attached to B's Priya or B's Acme, nor to
    // each other's: each directory's ask and event are its own Priya's.
    assert!(
        !b_priya.contains("A mentor in central government")
            && !b_priya.contains("Housing open day"),
        "A's or C's ask or event is listed as B's Priya's"
    );
    for (priya, host) in [(&a_priya, &at_a), (&c_priya, &at_c)] {
        assert!(
            priya.contains(&format!("/asks/{host}/mentor-wanted/")),
            "{priya}"
        );
        let other = if host == &at_a { &at_c } else { &at_a };
        assert!(!priya.contains(&format!("/asks/{other}/")), "{priya}");
    }
    let acme = page_of("organisations", "acme");
    assert!(
        !acme.contains("Sam Okoro") && !acme.contains("Housing open day"),
        "A's or C's Sam or event is listed under B's Acme"
    );
    let a_acme = page_of("organisations", &format!("{at_a}/acme"));
    assert!(
        a_acme.contains(&format!("/profiles/{at_a}/sam-okoro/")),
        "{a_acme}"
    );
    assert!(!a_acme.contains(&format!("/profiles/{at_c}/")), "{a_acme}");
    let a_event = page_of("events", &format!("{at_a}/housing-open-day"));
    assert!(
        a_event.contains(&format!("/profiles/{at_a}/priya-shah/")),
        "{a_event}"
    );
}

#[test]
fn a_followed_directory_is_kept_to_the_entries_this_site_allows_it() {
    let (a_port, b_port) = (free_port(), free_port());
    let a = directory_a(a_port);
    add_officers(a.path(), 20);
    let _a_server = federate(a.path(), a_port);
    // B keeps at most 8 files of any directory it follows.
    let b = directory_b(b_port, a_port);
    let config = read(&b.path().join("interchange.toml"));
    write(
        b.path(),
        "interchange.toml",
        &config.replace("allow = [", "mirror_max_entries = 8\nallow = ["),
    );
    let log = b.path().join("server.log");
    let _b_server = federate_logged(b.path(), b_port, &log);
    let mirror = b.path().join(format!("mirror/localhost:{a_port}"));
    let files = || {
        [
            "profiles",
            "organisations",
            "events",
            "consultations",
            "asks",
        ]
        .iter()
        .filter_map(|kind| std::fs::read_dir(mirror.join(kind)).ok())
        .flat_map(|files| files.filter_map(Result::ok))
        .count()
    };
    wait_until("A's entries at B, up to the cap", || files() == 8);
    // More arrive (a new profile, an edit's Update): none goes beyond it.
    write(
        a.path(),
        "content/profiles/person-0099.md",
        "---\nname: Person 99\nrole: Officer\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-01-01\n---\nNew.\n",
    );
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert_eq!(files(), 8, "the cap holds");
    // The operator is told, once for the flood, naming the directory.
    let said = read(&log);
    let lines: Vec<&str> = said
        .lines()
        .filter(|l| l.contains("sent more than this site keeps"))
        .collect();
    assert_eq!(lines.len(), 1, "{said}");
    assert!(
        lines[0].contains(&format!("localhost:{a_port}"))
            && lines[0].contains("8 entries, the most `mirror_max_entries` allows"),
        "{}",
        lines[0]
    );
    // B's own site is built and served all the while.
    assert_eq!(get(b_port, "/profiles/tom-young/", "text/html").status, 200);
}

/// The next page B's backfill of A will read, if one is under way.
fn backfill_next(database: &str) -> Option<String> {
    read_database(database, async |pool| {
        sqlx::query_scalar::<_, Option<String>>("SELECT backfill_next FROM follows")
            .fetch_optional(pool)
            .await
            .expect("read")
            .flatten()
    })
    .flatten()
}

#[test]
fn a_backfill_killed_midway_goes_on_from_the_page_it_reached() {
    let (a_port, b_port) = (free_port(), free_port());
    let a = directory_a(a_port);
    // Enough profiles for a dozen pages.
    add_officers(a.path(), 2400);
    // A has published everything before B follows: nothing reaches B but
    // by its backfill.
    let a_log = a.path().join("server.log");
    let _a_server = federate_logged(a.path(), a_port, &a_log);
    wait_until("A published", || {
        read(&a_log).contains("federation::publish: published")
    });
    let b = directory_b(b_port, a_port);
    let database = sqlite(b.path());
    let mirror = b.path().join(format!("mirror/localhost:{a_port}/profiles"));
    let log = b.path().join("server.log");
    let b_server = federate_logged(b.path(), b_port, &log);

    // B is killed (SIGKILL) once its backfill is past the first page.
    let mut reached = None;
    wait_until("B's backfill past its first page", || {
        reached = backfill_next(&database).filter(|next| next.contains("after=profiles"));
        reached.is_some()
    });
    drop(b_server);
    let reached = reached.expect("a page");
    let mirrored = std::fs::read_dir(&mirror).expect("B's mirror").count();
    assert!(mirrored < 2400, "killed midway ({mirrored} mirrored)");
    // A file of the first page is lost meanwhile: a backfill that began
    // again would write it back; one going on from where it was does not.
    let first = mirror.join("person-0000.md");
    std::fs::remove_file(&first).expect("removed");

    let _b_server = federate_logged(b.path(), b_port, &log);
    wait_until("the backfill finished", || {
        backfill_next(&database).is_none()
            && mirror.join("person-2399.md").is_file()
            && mirror.join("priya-shah.md").is_file()
    });
    let said = read(&log);
    assert!(
        said.contains("backfill going on from where it stopped") && said.contains(&reached),
        "{said}"
    );
    assert!(!first.exists(), "the first page was not read again: {said}");
    let profiles = std::fs::read_dir(&mirror)
        .expect("B's mirror")
        .filter_map(Result::ok)
        .filter(|f| !f.file_name().to_string_lossy().starts_with('.'))
        .count();
    // Every profile A publishes (2,400 and Priya and Sam), but the lost one.
    assert_eq!(profiles, 2401);
}

/// The mirrored files under `mirror` (hidden ones apart), and the hidden
/// files that writes cut short left.
fn mirrored_files(mirror: &Path) -> (usize, usize) {
    let (mut whole, mut unfinished) = (0, 0);
    for file in walkdir::WalkDir::new(mirror)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|f| f.file_type().is_file())
    {
        let name = file.file_name().to_string_lossy();
        if generator::files::is_unfinished(&name) {
            unfinished += 1;
        } else if !name.starts_with('.') {
            whole += 1;
        }
    }
    (whole, unfinished)
}

#[test]
fn a_mirror_killed_again_and_again_while_writing_leaves_no_half_file_and_loses_nothing() {
    let (a_port, b_port) = (free_port(), free_port());
    let a = directory_a(a_port);
    add_officers(a.path(), 1200);
    let a_log = a.path().join("server.log");
    let _a_server = federate_logged(a.path(), a_port, &a_log);
    wait_until("A published", || {
        read(&a_log).contains("federation::publish: published")
    });
    let b = directory_b(b_port, a_port);
    let mirror = b.path().join(format!("mirror/localhost:{a_port}"));
    let b_root = b.path().to_str().expect("UTF-8").to_string();

    // B is killed (SIGKILL) four times while it writes A's entries, each
    // time once it has written some more of them.
    let mut left = 0;
    for kill in 1..=4 {
        let before = mirrored_files(&mirror).0;
        let b_server = federate(b.path(), b_port);
        wait_until("B writing A's entries", || {
            mirrored_files(&mirror).0 >= before + 150
        });
        drop(b_server);
        let (whole, unfinished) = mirrored_files(&mirror);
        left += unfinished;
        // Every file under its own name is whole: the site checks clean.
        let checked = interchange(&["check", "--root", &b_root]);
        assert!(
            checked.status.success(),
            "killed {kill} times, {whole} files mirrored: {}",
            String::from_utf8_lossy(&checked.stderr)
        );
    }
    eprintln!("hidden files left by writes cut short: {left}");

    // Once left to run, every entry A publishes is there, and whole.
    let _b_server = federate(b.path(), b_port);
    let profiles = mirror.join("profiles");
    wait_until("every profile of A in B's mirror", || {
        (0..1200).all(|i| profiles.join(format!("person-{i:04}.md")).is_file())
            && profiles.join("priya-shah.md").is_file()
            && profiles.join("sam-okoro.md").is_file()
    });
    let checked = interchange(&["check", "--root", &b_root]);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
}
