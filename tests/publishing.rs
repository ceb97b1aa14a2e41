//! Publishing as followers meet it: a directory in local mode, followed by
//! two people on a remote server (run by the test), sends each change once
//! to that server's shared inbox, signed by the actor that made it; a
//! deleted profile's address then answers 410.

use std::time::Duration;

use common::followed::{ACTIVITY, follow, setup};
use common::remote::{Delivery, verify};
use common::{get, wait_until, write};

mod common;

/// The deliveries of `kind` about the object `id`.
fn sent(deliveries: &[Delivery], kind: &str, id: &str) -> Vec<Delivery> {
    deliveries
        .iter()
        .filter(|d| {
            let json = d.json();
            json["type"] == kind && (json["object"]["id"] == id || json["object"] == id)
        })
        .cloned()
        .collect()
}

#[test]
fn each_change_reaches_each_following_server_once_and_a_deleted_profile_answers_410() {
    let s = setup("{remote}");
    let site = s.site_actor();
    let priya = format!("{site}profiles/priya-shah/");
    // Two people on one server follow the site; one also follows Priya.
    for (who, n, object) in [("alice", 1, &site), ("bob", 2, &site), ("alice", 3, &priya)] {
        let answer = s.deliver(&follow(&s.remote, who, n, object), who);
        assert_eq!(answer.status, 202, "{}", answer.body);
    }
    wait_until("three Accepts", || {
        s.remote
            .deliveries()
            .iter()
            .filter(|d| d.json()["type"] == "Accept")
            .count()
            == 3
    });

    // An edit: one Update, to the server's shared inbox, by Priya herself,
    // carrying her whole Person with the new role.
    let root = s.site.path();
    let profile =
        std::fs::read_to_string(root.join("content/profiles/priya-shah.md")).expect("the profile");
    write(
        root,
        "content/profiles/priya-shah.md",
        &profile.replace("role: Housing Adviser", "role: Head of Housing Options"),
    );
    let update = s.remote.wait_until(
        |d| !sent(std::slice::from_ref(d), "Update", &priya).is_empty(),
        "an Update of Priya",
    );
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        sent(&s.remote.deliveries(), "Update", &priya).len(),
        1,
        "one Update for the server, though three of its follows cover Priya"
    );
    assert_eq!(update.path, "/inbox", "the shared inbox");
    let json = update.json();
    assert_eq!(json["actor"], priya);
    assert_eq!(json["object"]["type"], "Person");
    assert_eq!(json["object"]["fields"]["role"], "Head of Housing Options");
    assert!(json["object"]["publicKey"]["publicKeyPem"].is_string());
    verify(&update, &s.key_of("/profiles/priya-shah/")).expect("signed with Priya's key");

    // A new profile is created; deleted, it is sent as a Delete and its
    // address answers 410 with a Tombstone.
    let sam = format!("{site}profiles/sam-okoro/");
    write(
        root,
        "content/profiles/sam-okoro.md",
        "---\nname: Sam Okoro\nrole: Data Lead\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-01-01\n---\nSam works on data.\n",
    );
    let create = s.remote.wait_until(
        |d| !sent(std::slice::from_ref(d), "Create", &sam).is_empty(),
        "a Create of Sam",
    );
    assert_eq!(create.json()["object"]["name"], "Sam Okoro");
    std::fs::remove_file(root.join("content/profiles/sam-okoro.md")).expect("removed");
    let delete = s.remote.wait_until(
        |d| !sent(std::slice::from_ref(d), "Delete", &sam).is_empty(),
        "a Delete of Sam",
    );
    let json = delete.json();
    assert_eq!(json["actor"], sam);
    assert_eq!(json["object"]["type"], "Tombstone");
    let gone = get(s.server.port, "/profiles/sam-okoro/", ACTIVITY);
    assert_eq!(gone.status, 410, "{}", gone.body);
    assert_eq!(gone.json()["type"], "Tombstone");
    assert_eq!(
        gone.json()["formerType"],
        "https://www.w3.org/ns/activitystreams#Person"
    );

    // An event's change is an Update by the site, and not announced: a
    // follower sees it once.
    let event = format!("{site}events/housing-open-day/");
    let text = std::fs::read_to_string(root.join("content/events/housing-open-day.md"))
        .expect("the event");
    write(
        root,
        "content/events/housing-open-day.md",
        &text.replace("capacity: 40", "capacity: 60"),
    );
    let update = s.remote.wait_until(
        |d| !sent(std::slice::from_ref(d), "Update", &event).is_empty(),
        "an Update of the event",
    );
    assert_eq!(update.json()["actor"], site);
    assert_eq!(update.json()["object"]["maximumAttendeeCapacity"], 60);

    // An ask is posted by the one who asks, and announced by the site.
    let ask = format!("{site}asks/mentor-wanted/");
    let text =
        std::fs::read_to_string(root.join("content/asks/mentor-wanted.md")).expect("the ask");
    write(
        root,
        "content/asks/mentor-wanted.md",
        &text.replace("A mentor in central", "A mentor in any"),
    );
    let update = s.remote.wait_until(
        |d| !sent(std::slice::from_ref(d), "Update", &ask).is_empty(),
        "an Update of the ask",
    );
    assert_eq!(update.json()["actor"], priya);
    assert_eq!(update.json()["object"]["attributedTo"], priya);
    s.remote.wait_until(
        |d| !sent(std::slice::from_ref(d), "Announce", &ask).is_empty(),
        "an Announce of the ask",
    );
    assert!(
        sent(&s.remote.deliveries(), "Announce", &event).is_empty(),
        "the site's own event is not announced by the site"
    );
}

/// The objects of `kind` taken in by the remote whose ids hold `part`, each once.
fn objects_sent(remote: &common::remote::Remote, kind: &str, part: &str) -> usize {
    remote
        .deliveries()
        .iter()
        .filter(|d| d.status < 300)
        .map(|d| d.json())
        .filter(|json| json["type"] == kind)
        .filter_map(|json| json["object"]["id"].as_str().map(str::to_string))
        .filter(|id| id.contains(part))
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

#[test]
fn deletions_reach_followers_though_the_server_is_killed_while_publishing_them() {
    use rand::Rng as _;
    const PEOPLE: usize = 100;
    let s = setup("{remote}");
    let answer = s.deliver(&follow(&s.remote, "alice", 1, &s.site_actor()), "alice");
    assert_eq!(answer.status, 202, "{}", answer.body);
    s.remote.wait_for("Accept");
    let root = s.site.path().to_path_buf();
    for n in 0..PEOPLE {
        write(
            &root,
            &format!("content/profiles/person-{n:03}.md"),
            &format!(
                "---\nname: Person {n}\nrole: Adviser\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-01-01\n---\nWorks on housing.\n"
            ),
        );
    }
    wait_until("a Create of every person", || {
        objects_sent(&s.remote, "Create", "/profiles/person-") == PEOPLE
    });

    // Every profile removed, and the server killed (SIGKILL, no goodbye) at
    // a random moment while it publishes the deletions, then again at
    // random moments of each restart's own publishing.
    let common::followed::Setup {
        remote,
        server,
        site,
        ..
    } = s;
    let port = server.port;
    let mut server = Some(server);
    for n in 0..PEOPLE {
        std::fs::remove_file(root.join(format!("content/profiles/person-{n:03}.md")))
            .expect("removed");
    }
    let mut random = rand::thread_rng();
    for _ in 0..4 {
        std::thread::sleep(Duration::from_millis(random.gen_range(0..600)));
        drop(server.take());
        server = Some(common::federation::federate(&root, port));
    }
    wait_until("a Delete of every person at the follower", || {
        objects_sent(&remote, "Delete", "/profiles/person-") == PEOPLE
    });
    drop(server);
    drop(site);
}

#[test]
fn removing_a_profile_an_event_names_still_removes_it_everywhere() {
    let s = setup("{remote}");
    let site = s.site_actor();
    let priya = format!("{site}profiles/priya-shah/");
    let event = format!("{site}events/housing-open-day/");
    let ask = format!("{site}asks/mentor-wanted/");
    let answer = s.deliver(&follow(&s.remote, "alice", 1, &site), "alice");
    assert_eq!(answer.status, 202, "{}", answer.body);
    s.remote.wait_for("Accept");

    // Priya is the event's host, the consultation's lead and the ask's
    // author; removing her is not blocked by any of them.
    std::fs::remove_file(s.site.path().join("content/profiles/priya-shah.md")).expect("removed");
    s.remote.wait_until(
        |d| !sent(std::slice::from_ref(d), "Delete", &priya).is_empty(),
        "a Delete of Priya",
    );
    s.remote.wait_until(
        |d| !sent(std::slice::from_ref(d), "Delete", &ask).is_empty(),
        "a Delete of her ask",
    );
    let update = s.remote.wait_until(
        |d| !sent(std::slice::from_ref(d), "Update", &event).is_empty(),
        "an Update of the event she hosted",
    );
    let fields = &update.json()["object"]["fields"];
    assert!(fields.is_object(), "{}", update.body);
    assert!(
        !update.body.contains("priya-shah"),
        "the event still names her: {}",
        update.body
    );
    assert_eq!(
        get(s.server.port, "/profiles/priya-shah/", ACTIVITY).status,
        410
    );
    let page = get(s.server.port, "/events/housing-open-day/", "text/html");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Priya"), "the event's page shows her");
}
