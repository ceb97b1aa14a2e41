//! Every document the server serves as ActivityPub, read by a JSON-LD
//! processor as a strict peer reads it: `interchange federate` on a small
//! site, each kind of actor (the site's, a person's, the server's own),
//! entry, collection and collection page, a tombstone and the project's
//! context fetched over HTTP, then expanded by jsonld.js in safe mode
//! (`tests/fediverse/expand.mjs`). A term the context does not define, a
//! relative IRI, a prefix left undefined, a term outside the known
//! vocabularies, a bare date typed as a date-time or an entry or actor
//! without `published` and `updated` fails the test, naming the document
//! and the term; so does an event's term that means something else than in
//! Mobilizon's own event (from the fixtures).
//!
//! Needs `npm ci --prefix tests/fediverse` (which brings Node 22 as the
//! `node` package). Without it the test is reported as ignored, with a
//! note saying what is missing, except under CI (`CI` set), where it
//! fails (`common::trials`).

use std::process::{Command, ExitCode};

use common::federation::{federate, free_port, site};
use common::{get, wait_until, write};
use serde_json::{Value, json};

mod common;

const ACTIVITY: &str = "application/activity+json";

fn main() -> ExitCode {
    common::trials::run(
        "the JSON-LD tests",
        common::trials::fediverse_missing(),
        vec![(
            "every_served_document_expands_with_every_term_defined",
            every_served_document_expands_with_every_term_defined,
        )],
    )
}

/// The document at `path`, as a peer asking for ActivityPub gets it.
fn fetch(port: u16, path: &str, accept: &str, status: u16) -> Value {
    let answer = get(port, path, accept);
    assert_eq!(answer.status, status, "{path}: {}", answer.body);
    answer.json()
}

/// The path and query of a URL on the server.
fn path_of(url: &str) -> String {
    let url = url::Url::parse(url).unwrap_or_else(|e| panic!("{url} is not a URL: {e}"));
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    }
}

/// The collection at `path` and each of its pages, named.
fn collection(port: u16, path: &str, documents: &mut Vec<(String, Value)>) {
    let collection = fetch(port, path, ACTIVITY, 200);
    let mut next = collection["first"].as_str().map(str::to_string);
    documents.push((path.to_string(), collection));
    let mut pages = 0;
    while let Some(url) = next {
        let page_path = path_of(&url);
        let page = fetch(port, &page_path, ACTIVITY, 200);
        next = page["next"].as_str().map(str::to_string);
        documents.push((page_path, page));
        pages += 1;
        assert!(pages < 50, "{path} has no end");
    }
    assert!(pages > 0, "{path} has no page");
}

fn every_served_document_expands_with_every_term_defined() {
    let repo = common::repository();
    let port = free_port();
    let dir = site(port);
    let root = dir.path();
    // What the small site lacks: a logo (the site's icon), a photo, an
    // event both in a place and online, an ask that has no closing date,
    // a programme.
    write(
        root,
        "content/organisations/acme.md",
        "---\nname: Acme Council\nsector: local-government\nwebsite: https://www.acme.example.gov.uk/\nlogo: logos/acme.png\n---\nA council.\n",
    );
    write(root, "static/logos/acme.png", "not checked as a picture");
    write(
        root,
        "content/profiles/omar-ali.md",
        "---\nname: Omar Ali\nrole: Data Lead\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-01-01\nphoto: people/omar.jpg\nupdated: 2026-02-03\n---\nOmar works on data.\n",
    );
    std::fs::create_dir_all(root.join("static/people")).expect("a folder");
    std::fs::copy(
        repo.join("tests/fixtures/photos/with-gps.jpg"),
        root.join("static/people/omar.jpg"),
    )
    .expect("a photo");
    write(
        root,
        "content/events/hybrid-briefing.md",
        "---\ntitle: Hybrid briefing\nkind: workshop\nstart: 2027-05-06T14:00\nend: 2027-05-06T15:00\nvenue:\n  name: Acme Civic Centre\n  address: 1 High Street, Acme\nonline: https://meet.example.gov.uk/briefing\ncancelled: true\n---\nIn the room or online.\n",
    );
    write(
        root,
        "content/asks/open-ended.md",
        "---\ntitle: Anyone in data\nkind: coffee\nby: priya-shah\n---\nA coffee.\n",
    );
    write(
        root,
        "content/asks/withdrawn.md",
        "---\ntitle: Withdrawn\nkind: coffee\nby: priya-shah\n---\nGone soon.\n",
    );
    write(
        root,
        "content/programmes/graduate-buddies.md",
        "---\nname: Graduate buddies\norganisation: acme\nkind: buddies\njoin:\n  cohorts: [ngdp-2027]\n---\nFor graduates.\n",
    );
    // Its round, and one over the whole directory with a job swap.
    write(
        root,
        "rounds/graduate-buddies/2027-01.yaml",
        "month: 2027-01\nmade: 2027-01-04T10:00:00Z\nbuddies:\n  - pair: [priya-shah, omar-ali]\n    weight: 1.0\n",
    );
    write(
        root,
        "rounds/2027-01.yaml",
        "month: 2027-01\nswaps:\n  - cycle: [priya-shah, omar-ali]\n    fit: 2\n",
    );
    let server = federate(root, port);
    let port = server.port;
    let outbox_size = |path: &str| {
        fetch(port, path, ACTIVITY, 200)["totalItems"]
            .as_u64()
            .unwrap_or(0)
    };
    // Published, so that the outboxes list activities and a deletion
    // leaves a tombstone: the site posts its two events and consultation,
    // Priya her profile and her three asks.
    wait_until("the site's entries published", || {
        outbox_size("/outbox") + outbox_size("/profiles/priya-shah/outbox") >= 7
    });
    std::fs::remove_file(root.join("content/asks/withdrawn.md")).expect("removed");
    wait_until("the withdrawn ask's tombstone", || {
        get(port, "/asks/withdrawn/", ACTIVITY).status == 410
    });

    let mut documents: Vec<(String, Value)> = Vec::new();
    for path in [
        "/",
        "/actor/",
        "/profiles/priya-shah/",
        "/profiles/omar-ali/",
        "/events/housing-open-day/",
        "/events/hybrid-briefing/",
        "/consultations/housing-allocations/",
        "/asks/mentor-wanted/",
        "/asks/open-ended/",
        "/programmes/graduate-buddies/",
        "/programmes/graduate-buddies/rounds/2027-01/",
        "/rounds/2027-01/",
    ] {
        documents.push((path.to_string(), fetch(port, path, ACTIVITY, 200)));
    }
    documents.push((
        "/asks/withdrawn/ (a tombstone)".to_string(),
        fetch(port, "/asks/withdrawn/", ACTIVITY, 410),
    ));
    for path in [
        "/outbox",
        "/followers",
        "/profiles/priya-shah/outbox",
        "/profiles/priya-shah/followers",
        "/actor/outbox",
        "/actor/followers",
        "/entries",
    ] {
        collection(port, path, &mut documents);
    }
    let mut list: Vec<Value> = documents
        .iter()
        .map(|(name, document)| json!({ "name": name, "document": document }))
        .collect();
    // The context document itself, read through a document using each of
    // its terms.
    list.push(json!({
        "name": "/ns/interchange (every term it defines)",
        "context": format!("http://localhost:{port}/ns/interchange"),
    }));
    // An event's terms mean what Mobilizon's do (its own event, from the
    // fixtures). Not `location`: Mobilizon's context makes it schema.org's,
    // where ActivityStreams (and every other reader of an Event) has its
    // own; Mobilizon reads it by name. Nor `externalParticipationUrl`,
    // which this event's Mobilizon did not define yet (later ones define
    // it as `mz:externalParticipationUrl`, as the context does).
    let mobilizon = repo.join("federation/tests/fixtures/activitypub/mobilizon/objects/event.json");
    let mobilizon: Value =
        serde_json::from_str(&std::fs::read_to_string(&mobilizon).expect("Mobilizon's event"))
            .expect("JSON");
    list.push(json!({
        "name": "/events/hybrid-briefing/ beside Mobilizon's event",
        "compare": {
            "ours": fetch(port, "/events/hybrid-briefing/", ACTIVITY, 200),
            "theirs": mobilizon,
            "terms": [
                "name", "startTime", "endTime", "timezone", "joinMode",
                "ical:status", "maximumAttendeeCapacity",
                "address", "PostalAddress", "streetAddress", "addressLocality",
                "addressRegion", "postalCode", "addressCountry", "attributedTo",
                "url", "published", "updated",
            ],
        },
    }));
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let file = tmp.path().join("documents.json");
    let count = list.len();
    std::fs::write(&file, Value::Array(list).to_string()).expect("written");
    let output = Command::new(common::trials::fediverse_node())
        .arg(repo.join("tests/fediverse/expand.mjs"))
        .arg("--documents")
        .arg(&file)
        .arg("--origin")
        .arg(format!("http://localhost:{port}"))
        .current_dir(repo.join("tests/fediverse"))
        .output()
        .expect("node runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "expand.mjs failed ({}):\n{stderr}",
        output.status
    );
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("expand.mjs printed no JSON document ({e}):\n{stderr}"));
    let checked = report["checked"].as_array().map_or(0, Vec::len);
    assert_eq!(checked, count, "every document was read");
    let problems: Vec<String> = report["problems"]
        .as_array()
        .expect("a list of problems")
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                p["document"].as_str().unwrap_or("?"),
                p["problem"].as_str().unwrap_or("?")
            )
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{} problems a JSON-LD processor meets in the served documents:\n\n{}\n",
        problems.len(),
        problems.join("\n")
    );
}
