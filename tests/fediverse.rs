//! The federation against an ActivityPub implementation written by others:
//! `interchange federate` on the loopback beside a server built on Fedify
//! (`tests/fediverse/peer.mjs`, one person, alice), which verifies the
//! HTTP signature of everything delivered to it before its listeners see
//! it, and reads documents with its own strict vocabulary
//! (`tests/fediverse/lookup.mjs`, which also expands them with jsonld.js).
//!
//! Needs `npm ci --prefix tests/fediverse` (which brings Node 22, as
//! Fedify needs, as the `node` package). Without it the tests are reported
//! as ignored, with a note saying what is missing, except under CI (`CI`
//! set), where they fail (`common::trials`).

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};

use common::federation::{federate, federate_logged, free_port, site_with};
use common::{interchange, post, repository, wait_until, write};
use serde_json::Value;

mod common;

fn main() -> ExitCode {
    common::trials::run(
        "the fediverse tests",
        common::trials::fediverse_missing(),
        vec![
            (
                "fedify_follows_a_directory_and_verifies_what_it_publishes",
                fedify_follows_a_directory_and_verifies_what_it_publishes,
            ),
            (
                "fedify_reads_every_document_type",
                fedify_reads_every_document_type,
            ),
            (
                "a_peer_that_requires_signed_fetches_follows_us_and_we_follow_it",
                a_peer_that_requires_signed_fetches_follows_us_and_we_follow_it,
            ),
            (
                "an_introduction_reaches_a_fediverse_account_as_a_direct_message_once",
                an_introduction_reaches_a_fediverse_account_as_a_direct_message_once,
            ),
        ],
    )
}

/// The node project of the peers.
fn project() -> PathBuf {
    repository().join("tests/fediverse")
}

fn node() -> PathBuf {
    common::trials::fediverse_node()
}

/// The site of `tests/common` at `http://localhost:{port}`, which
/// localhost may follow, with `federation` added to its `[federation]`.
fn directory(port: u16, federation: &str) -> tempfile::TempDir {
    site_with(
        &format!("http://localhost:{port}"),
        &format!("allow = [\"localhost\"]\n{federation}"),
    )
}

/// A Fedify server run by the test (`peer.mjs`), killed when dropped; what
/// it reports is gathered as it comes, and shown if the test fails.
struct Peer {
    child: Child,
    port: u16,
    events: Arc<Mutex<Vec<Value>>>,
    stderr: Arc<Mutex<String>>,
}

impl Peer {
    /// Starts the peer with `flags` and waits until it listens.
    fn start(flags: &[&str]) -> Peer {
        let port = free_port();
        let mut child = Command::new(node())
            .arg(project().join("peer.mjs"))
            .args(["--port", &port.to_string()])
            .args(flags)
            .current_dir(project())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("node starts");
        let events = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().expect("stdout");
        let gathered = Arc::clone(&events);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let event = serde_json::from_str(&line)
                    .unwrap_or_else(|_| serde_json::json!({ "event": "output", "line": line }));
                gathered.lock().expect("the events").push(event);
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().expect("stderr");
        let written = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            written.lock().expect("the stderr").push_str(&text);
        });
        let mut peer = Peer {
            child,
            port,
            events,
            stderr,
        };
        let mut exited = None;
        wait_until("the peer listening", || {
            exited = peer.child.try_wait().ok().flatten();
            exited.is_some() || peer.find("ready", |_| true).is_some()
        });
        if let Some(status) = exited {
            panic!("peer.mjs stopped ({status})");
        }
        peer
    }

    /// Alice's actor id.
    fn alice(&self) -> String {
        format!("http://localhost:{}/users/alice", self.port)
    }

    /// The first event named `name` that `matches`.
    fn find(&self, name: &str, matches: impl Fn(&Value) -> bool) -> Option<Value> {
        self.events
            .lock()
            .expect("the events")
            .iter()
            .find(|e| e["event"] == name && matches(e))
            .cloned()
    }

    /// Waits for the event named `name` that `matches`, which is `what`.
    fn wait_for(&self, name: &str, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        let mut found = None;
        wait_until(what, || {
            found = self.find(name, &matches);
            found.is_some()
        });
        found.expect("found")
    }

    /// Tells alice to follow the actor `url`; what the peer answered.
    fn follow(&self, url: &str) -> common::Answer {
        let host = format!("localhost:{}", self.port);
        post(
            self.port,
            "/_follow",
            &[("Host".to_string(), host)],
            url.as_bytes(),
        )
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("what the Fedify peer reported:");
            for event in self.events.lock().expect("the events").iter() {
                eprintln!("  {event}");
            }
            let stderr = self.stderr.lock().expect("the stderr");
            if !stderr.is_empty() {
                eprintln!("its standard error:\n{stderr}");
            }
        }
    }
}

/// A server's log, shown if the test fails.
struct ShownOnFailure(PathBuf);

impl Drop for ShownOnFailure {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.0).unwrap_or_default();
            eprintln!("the server's log:\n{log}");
        }
    }
}

/// The object id of a `create`, `update` or `delete` event.
fn object_id(event: &Value) -> &str {
    event["object"]["id"].as_str().unwrap_or_default()
}

fn fedify_follows_a_directory_and_verifies_what_it_publishes() {
    let port = free_port();
    let dir = directory(port, "");
    let root = dir.path();
    let _server = federate(root, port);
    let site = format!("http://localhost:{port}/");

    // Alice follows the site; its Accept is verified by Fedify (signed by
    // the site's key, as the site's key document says) and names her Follow.
    let peer = Peer::start(&["--follow", &site]);
    let follow = peer.wait_for("follow-sent", "alice's Follow sent", |_| true);
    assert_eq!(follow["object"], site.as_str());
    let accept = peer.wait_for("accept", "the site's Accept at the peer", |_| true);
    assert_eq!(accept["actor"], site.as_str());
    assert_eq!(accept["follow"], follow["id"]);

    // A new event: a Create by the site, carrying the Event.
    let event = format!("{site}events/tenancy-clinic/");
    write(
        root,
        "content/events/tenancy-clinic.md",
        "---\ntitle: Tenancy clinic\nkind: meetup\nstart: 2027-04-01T14:00\nvenue:\n  name: Acme Library\n---\nBring your questions.\n",
    );
    let create = peer.wait_for("create", "a verified Create of the event", |e| {
        object_id(e) == event
    });
    assert_eq!(create["actor"], site.as_str());
    assert_eq!(create["object"]["type"], "Event");
    assert_eq!(create["object"]["name"], "Tenancy clinic");

    // Edited: an Update carrying the new title.
    let file = root.join("content/events/tenancy-clinic.md");
    let text = std::fs::read_to_string(&file).expect("the event");
    std::fs::write(
        &file,
        text.replace("Tenancy clinic", "Tenancy advice clinic"),
    )
    .expect("edited");
    let update = peer.wait_for("update", "a verified Update of the event", |e| {
        object_id(e) == event
    });
    assert_eq!(update["actor"], site.as_str());
    assert_eq!(update["object"]["type"], "Event");
    assert_eq!(update["object"]["name"], "Tenancy advice clinic");

    // Removed: a Delete of it, with its Tombstone.
    std::fs::remove_file(&file).expect("removed");
    let delete = peer.wait_for("delete", "a verified Delete of the event", |e| {
        object_id(e) == event
    });
    assert_eq!(delete["actor"], site.as_str());
    assert_eq!(delete["object"]["type"], "Tombstone");

    // A profile changes itself: its Update is signed with its own key
    // (another key id than the site's), which Fedify checks belongs to it.
    let priya = format!("{site}profiles/priya-shah/");
    let profile = root.join("content/profiles/priya-shah.md");
    let text = std::fs::read_to_string(&profile).expect("the profile");
    std::fs::write(
        &profile,
        text.replace("name: Priya Shah", "name: Priya Shah-Khan"),
    )
    .expect("edited");
    let update = peer.wait_for("update", "a verified Update of Priya", |e| {
        object_id(e) == priya
    });
    assert_eq!(update["actor"], priya.as_str());
    assert_eq!(update["object"]["type"], "Person");
    assert_eq!(update["object"]["name"], "Priya Shah-Khan");

    // Nothing the site sent was refused for its signature or its shape.
    for refused in ["unverified", "inbox-error"] {
        assert!(
            peer.find(refused, |_| true).is_none(),
            "the peer reported `{refused}`"
        );
    }
}

/// What `lookup.mjs` made of each of `paths` on `port`, by path.
fn lookup(port: u16, paths: &[&str]) -> Vec<(String, Value)> {
    let urls: Vec<String> = paths
        .iter()
        .map(|p| format!("http://localhost:{port}{p}"))
        .collect();
    let output = Command::new(node())
        .arg(project().join("lookup.mjs"))
        .args(&urls)
        .current_dir(project())
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "lookup.mjs failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let read: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object a line"))
        .collect();
    assert_eq!(read.len(), paths.len(), "{read:?}");
    paths.iter().map(|p| p.to_string()).zip(read).collect()
}

/// The types of the items a collection page carries.
fn item_types(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["type"].as_str())
        .collect()
}

fn fedify_reads_every_document_type() {
    let port = free_port();
    let dir = directory(port, "");
    let _server = federate(dir.path(), port);
    let base = format!("http://localhost:{port}");

    // Each document, with the type and name it must be read as.
    let objects = [
        ("/", "Organization", "Small"),
        ("/profiles/priya-shah/", "Person", "Priya Shah"),
        ("/events/housing-open-day/", "Event", "Housing open day"),
        (
            "/consultations/housing-allocations/",
            "Page",
            "Housing allocations review",
        ),
        (
            "/asks/mentor-wanted/",
            "Page",
            "A mentor in central government",
        ),
    ];
    // Each collection, with the types its first page carries.
    let collections: [(&str, &[&str]); 5] = [
        // The site posts its event and consultation; Priya her profile
        // and her ask.
        ("/outbox", &["Create", "Create"]),
        ("/followers", &[]),
        ("/entries", &["Person", "Event", "Page", "Page"]),
        ("/profiles/priya-shah/outbox", &["Create", "Create"]),
        ("/profiles/priya-shah/followers", &[]),
    ];
    let paths: Vec<&str> = objects
        .iter()
        .map(|o| o.0)
        .chain(collections.iter().map(|c| c.0))
        .collect();
    let read = lookup(port, &paths);

    let mut problems = Vec::new();
    for (path, report) in &read {
        if let Some(error) = report["error"].as_str() {
            problems.push(format!("{path}: {error}"));
        }
        if report["id"] != format!("{base}{path}") {
            problems.push(format!("{path}: read with the id {}", report["id"]));
        }
    }
    for (path, kind, name) in objects {
        let report = &read.iter().find(|(p, _)| p == path).expect("read").1;
        if report["type"] != kind || report["name"] != name {
            problems.push(format!(
                "{path}: read as a {} named {}, not a {kind} named {name:?}",
                report["type"], report["name"]
            ));
        }
    }
    for (path, types) in collections {
        let report = &read.iter().find(|(p, _)| p == path).expect("read").1;
        let first = &report["first"];
        let id = format!("{base}{path}");
        if report["type"] != "OrderedCollection"
            || first["type"] != "OrderedCollectionPage"
            || first["partOf"] != id.as_str()
            || report["totalItems"] != types.len()
        {
            problems.push(format!(
                "{path}: read as a {} of {} items whose first page is a {} part of {}",
                report["type"], report["totalItems"], first["type"], first["partOf"]
            ));
        }
        if item_types(first) != types {
            problems.push(format!(
                "{path}: its first page carries {:?}, not {types:?}",
                item_types(first)
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "Fedify read the documents otherwise than they are meant:\n{}\n\nall it read:\n{}",
        problems.join("\n"),
        read.iter()
            .map(|(_, r)| r.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );

    // The event as an events app shows it: when, and where.
    let event = &read
        .iter()
        .find(|(p, _)| p == "/events/housing-open-day/")
        .expect("read")
        .1;
    assert_eq!(event["startTime"], "2027-03-04T10:00:00Z", "{event}");
    assert_eq!(event["endTime"], "2027-03-04T16:00:00Z", "{event}");
    assert_eq!(event["location"]["type"], "Place", "{event}");
    assert_eq!(event["location"]["name"], "Acme Civic Centre", "{event}");
    // The entries page carries each entry whole, as its address serves it.
    let entries = &read.iter().find(|(p, _)| p == "/entries").expect("read").1;
    let listed: Vec<&str> = entries["first"]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(
        listed,
        [
            "Priya Shah",
            "Housing open day",
            "Housing allocations review",
            "A mentor in central government"
        ]
    );
}

fn a_peer_that_requires_signed_fetches_follows_us_and_we_follow_it() {
    // Alice answers only signed fetches, as GoToSocial does.
    let peer = Peer::start(&["--require-signed-fetch"]);
    let port = free_port();
    let dir = directory(port, &format!("follow = [\"{}\"]", peer.alice()));
    let log = dir.path().join("server.log");
    let _shown = ShownOnFailure(log.clone());
    let _server = federate_logged(dir.path(), port, &log);
    let site = format!("http://localhost:{port}/");

    // Alice follows the site: to verify her Follow the site fetches her
    // actor, which it can only with a signed GET; then she has its Accept.
    let answer = peer.follow(&site);
    assert_eq!(answer.status, 202, "{}", answer.body);
    let accept = peer.wait_for("accept", "the site's Accept at the peer", |_| true);
    assert_eq!(accept["actor"], site.as_str());

    // The site follows alice (`follow` in its config): it reads her actor
    // (signed, or it gets a 401) and sends its Follow, which Fedify verifies
    // and accepts; the site takes her Accept in (the peer reports it sent
    // only once the site's inbox answered 2xx).
    let follow = peer.wait_for(
        "follow",
        "the site's Follow of alice (its fetch of her actor must be signed)",
        |e| e["actor"] == site.as_str(),
    );
    assert_eq!(follow["object"], peer.alice());
    peer.wait_for("accept-sent", "alice's Accept taken in by the site", |e| {
        e["to"] == site.as_str()
    });
    // Every fetch of alice's actor by the site was signed with its key.
    let unsigned: Vec<Value> = peer
        .events
        .lock()
        .expect("the events")
        .iter()
        .filter(|e| e["event"] == "fetched" && e["signedBy"].is_null())
        .cloned()
        .collect();
    assert!(unsigned.is_empty(), "unsigned fetches: {unsigned:?}");
}

/// A member of a buddy round whose profile gives a fediverse handle is
/// introduced by a direct message: found by WebFinger on the peer, sent as
/// a `Note` addressed to them alone and mentioning them, with a signature
/// Fedify verifies; a second run sends nothing again.
fn an_introduction_reaches_a_fediverse_account_as_a_direct_message_once() {
    let peer = Peer::start(&[]);
    let port = free_port();
    let dir = directory(port, "");
    let root = dir.path();
    write(
        root,
        "content/profiles/sam-okoro.md",
        &format!(
            "---\nname: Sam Okoro\nrole: Data Lead\norganisation: acme\npolicy_areas: [housing]\nopen_to: [buddy]\nconsent: 2026-01-01\ncontact:\n  fediverse: \"@alice@localhost:{}\"\n---\n",
            peer.port
        ),
    );
    write(
        root,
        "rounds/2027-01.yaml",
        "month: 2027-01\nbuddies:\n  - pair: [priya-shah, sam-okoro]\n    weight: 1.0\n    reasons: [housing]\n",
    );
    // The peer reads the site's actor to check the message's signature.
    let _server = federate(root, port);
    let root_arg = root.to_str().expect("UTF-8");
    let introduce = || {
        interchange(&[
            "introduce",
            "--root",
            root_arg,
            "--month",
            "2027-01",
            "--insecure-local",
        ])
    };
    let first = introduce();
    let said = String::from_utf8_lossy(&first.stdout).into_owned();
    let errors = String::from_utf8_lossy(&first.stderr).into_owned();
    assert!(first.status.success(), "{said}{errors}");
    assert!(
        said.contains("By direct message on the fediverse: 1 sent now, 0 sent by an earlier run."),
        "{said}{errors}"
    );
    assert!(
        errors.contains("no [email] table: introductions go only by direct message"),
        "{errors}"
    );

    let site = format!("http://localhost:{port}/");
    let create = peer.wait_for("create", "the introduction at the peer", |e| {
        e["object"]["type"] == "Note"
    });
    assert_eq!(create["actor"], site.as_str(), "{create}");
    let note = &create["object"];
    assert_eq!(
        note["to"],
        serde_json::json!([peer.alice()]),
        "only to her: {note}"
    );
    assert_eq!(note["cc"], serde_json::json!([]), "{note}");
    let content = note["content"].as_str().unwrap_or_default();
    assert!(
        content.contains(&format!("href=\"{}\"", peer.alice()))
            && content.contains("@<span>alice</span>"),
        "it mentions her: {content}"
    );
    assert!(
        content.contains("Priya Shah") && content.contains("January 2027"),
        "{content}"
    );
    assert!(
        peer.find("unverified", |_| true).is_none(),
        "every signature verified"
    );

    // Again: recorded, so nothing is sent twice.
    let second = introduce();
    let said = String::from_utf8_lossy(&second.stdout);
    assert!(
        said.contains("By direct message on the fediverse: 0 sent now, 1 sent by an earlier run."),
        "{said}"
    );
    let notes = peer
        .events
        .lock()
        .expect("the events")
        .iter()
        .filter(|e| e["event"] == "create" && e["object"]["type"] == "Note")
        .count();
    assert_eq!(notes, 1);
}
