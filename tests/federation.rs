//! `interchange federate` as other servers see it: the real binary on the
//! loopback in local mode, asked over plain HTTP the way Mastodon asks.

use common::federation::{add_officers, federate, free_port, site};
use common::{Server, get, wait_until};
use serde_json::Value;

mod common;

const ACTIVITY: &str = "application/activity+json";
const LD: &str = "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";
const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

#[test]
fn webfinger_finds_the_site_and_federating_profiles_only() {
    let port = free_port();
    let dir = site(port);
    let server = federate(dir.path(), port);
    let host = format!("localhost:{port}");
    let finger = |resource: &str| {
        get(
            server.port,
            &format!("/.well-known/webfinger?resource={resource}"),
            "application/jrd+json",
        )
    };

    let found = finger(&format!("acct:small@{host}"));
    assert_eq!(found.status, 200, "{}", found.body);
    assert_eq!(found.header("content-type"), Some("application/jrd+json"));
    let json = found.json();
    assert_eq!(json["subject"], format!("acct:small@{host}"));
    let own = json["links"]
        .as_array()
        .expect("links")
        .iter()
        .find(|l| l["rel"] == "self")
        .expect("a self link");
    assert_eq!(own["type"], ACTIVITY);
    assert_eq!(own["href"], format!("http://{host}/"));

    // As some servers ask, without `acct:`; readable by web clients anywhere.
    let bare = finger(&format!("small@{host}"));
    assert_eq!(bare.status, 200, "{}", bare.body);
    assert_eq!(bare.json()["subject"], format!("acct:small@{host}"));
    assert_eq!(bare.header("access-control-allow-origin"), Some("*"));

    // Handles and hosts are compared without regard to case.
    let mixed = finger(&format!("acct:Small@LOCALHOST:{port}"));
    assert_eq!(mixed.status, 200);
    assert_eq!(mixed.json()["subject"], format!("acct:small@{host}"));

    let person = finger(&format!("acct:priya-shah@{host}")).json();
    assert_eq!(
        person["links"][0]["href"],
        format!("http://{host}/profiles/priya-shah/")
    );

    for absent in [
        format!("acct:nobody@{host}"),
        "acct:small@other.example".to_string(),
        format!("acct:internal-ian@{host}"),
        format!("acct:quiet-quentin@{host}"),
    ] {
        assert_eq!(finger(&absent).status, 404, "{absent} is not found");
    }
}

#[test]
fn actors_are_served_at_their_pages_to_servers_and_pages_to_browsers() {
    let port = free_port();
    let dir = site(port);
    common::write(
        dir.path(),
        "content/organisations/acme.md",
        "---\nname: Acme Council\nsector: local-government\nwebsite: https://www.acme.example.gov.uk/\nlogo: logos/acme.png\n---\nA council.\n",
    );
    common::write(
        dir.path(),
        "static/logos/acme.png",
        "not checked as a picture",
    );
    let server = federate(dir.path(), port);
    let url = format!("http://localhost:{port}/profiles/priya-shah/");

    for accept in [ACTIVITY, LD] {
        let answer = get(server.port, "/profiles/priya-shah/", accept);
        assert_eq!(answer.status, 200, "{accept}: {}", answer.body);
        assert_eq!(answer.header("content-type"), Some(ACTIVITY), "{accept}");
        let person = answer.json();
        assert_eq!(person["id"], url);
        assert_eq!(person["type"], "Person");
        assert_eq!(person["preferredUsername"], "priya-shah");
        assert_eq!(person["name"], "Priya Shah");
        assert_eq!(person["discoverable"], true);
        assert!(
            person["summary"]
                .as_str()
                .is_some_and(|s| s.contains("works on housing"))
        );
        let fields: Vec<(&str, &str)> = person["attachment"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| {
                (
                    f["name"].as_str().unwrap_or(""),
                    f["value"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert!(fields.contains(&("Role", "Housing Adviser")), "{fields:?}");
        assert!(
            fields.contains(&("Organisation", "Acme Council")),
            "{fields:?}"
        );
        assert!(
            fields
                .iter()
                .any(|(n, v)| *n == "Open to" && v.contains("Coffee")),
            "{fields:?}"
        );
        assert_eq!(person["publicKey"]["owner"], url);
        assert!(
            person["publicKey"]["publicKeyPem"]
                .as_str()
                .is_some_and(|k| k.starts_with("-----BEGIN PUBLIC KEY-----"))
        );
        assert!(
            !answer.body.contains("PRIVATE"),
            "no private key leaves the server"
        );
    }

    // The same address is the page for a browser.
    let page = get(server.port, "/profiles/priya-shah/", BROWSER);
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .is_some_and(|t| t.starts_with("text/html"))
    );
    assert!(page.body.contains("Priya Shah"));

    // The site is an Organization at its home page, with its
    // organisation's logo as its picture and website and sector as fields.
    let site = get(server.port, "/", ACTIVITY).json();
    assert_eq!(site["type"], "Organization");
    assert_eq!(site["id"], format!("http://localhost:{port}/"));
    assert_eq!(site["preferredUsername"], "small");
    assert_eq!(site["icon"]["type"], "Image");
    assert_eq!(
        site["icon"]["url"],
        format!("http://localhost:{port}/logos/acme.png")
    );
    let fields = site["attachment"].to_string();
    assert!(
        fields.contains(r#"href=\"https://www.acme.example.gov.uk/\""#)
            && fields.contains(">www.acme.example.gov.uk</a>")
            && fields.contains("Local government"),
        "{fields}"
    );

    // Internal profiles and those kept from federation are no actors.
    assert_eq!(
        get(server.port, "/profiles/internal-ian/", ACTIVITY).status,
        404
    );
    assert_eq!(
        get(server.port, "/profiles/quiet-quentin/", ACTIVITY).status,
        404
    );
    assert_eq!(get(server.port, "/profiles/nobody/", ACTIVITY).status, 404);
}

#[test]
fn a_path_no_file_can_have_is_a_missing_page_not_an_error() {
    let port = free_port();
    let dir = site(port);
    let server = federate(dir.path(), port);
    let long_name = format!("/profiles/{}/", "a".repeat(300));
    let escaped_name = format!("/{}", "%C3%A9".repeat(200));
    let many_segments = "/a".repeat(5000);
    for path in [&long_name, &escaped_name, &many_segments] {
        for accept in ["text/html", ACTIVITY] {
            let answer = get(server.port, path, accept);
            assert_eq!(answer.status, 404, "{} as {accept}", &path[..40]);
        }
        // A browser is shown the site's own page for what is not there.
        let answer = get(server.port, path, "text/html");
        assert!(answer.body.contains("<html"), "{}", answer.body);
    }
    // A name a file can have is still looked for.
    assert_eq!(
        get(server.port, "/profiles/priya-shah/", "text/html").status,
        200
    );
}

#[test]
fn an_actors_key_is_made_once_and_kept_across_restarts() {
    let port = free_port();
    let dir = site(port);
    let key = |server: &Server| {
        get(server.port, "/", ACTIVITY).json()["publicKey"]["publicKeyPem"].clone()
    };
    let first = {
        let server = federate(dir.path(), port);
        let first = key(&server);
        assert_eq!(key(&server), first);
        first
    };
    let server = federate(dir.path(), port);
    assert_eq!(key(&server), first, "the key survives a restart");
    assert!(
        dir.path().join("federation.sqlite").is_file(),
        "kept beside the site"
    );
}

#[test]
fn nodeinfo_and_host_meta_are_linked_and_valid() {
    let port = free_port();
    let dir = site(port);
    let server = federate(dir.path(), port);
    let links_answer = get(server.port, "/.well-known/nodeinfo", "application/json");
    let links = links_answer.json();
    let link = &links["links"][0];
    assert_eq!(
        link["rel"],
        "http://nodeinfo.diaspora.software/ns/schema/2.1"
    );
    assert_eq!(
        link["href"],
        format!("http://localhost:{port}/nodeinfo/2.1")
    );

    let answer = get(server.port, "/nodeinfo/2.1", "application/json");
    assert_eq!(answer.status, 200);
    assert!(
        answer
            .header("content-type")
            .is_some_and(|t| t.contains("nodeinfo.diaspora.software/ns/schema/2.1"))
    );
    let info = answer.json();
    assert_eq!(info["version"], "2.1");
    assert_eq!(info["software"]["name"], "interchange");
    assert_eq!(info["protocols"], serde_json::json!(["activitypub"]));
    assert_eq!(info["openRegistrations"], false);
    // Only Priya federates.
    assert_eq!(info["usage"]["users"]["total"], 1);
    // Strict readers refuse the whole document for one empty string.
    fn empty_strings(value: &serde_json::Value, at: &str, found: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) if s.is_empty() => found.push(at.to_string()),
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    empty_strings(value, &format!("{at}.{key}"), found);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    empty_strings(value, &format!("{at}[{i}]"), found);
                }
            }
            _ => {}
        }
    }
    let mut empty = Vec::new();
    empty_strings(&info, "nodeinfo", &mut empty);
    assert!(empty.is_empty(), "empty fields: {empty:?}");

    let meta = get(server.port, "/.well-known/host-meta", "application/xrd+xml");
    assert_eq!(meta.status, 200);
    // Readable by web clients on any origin.
    for answer in [&links_answer, &answer, &meta] {
        assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    }
    assert!(meta.body.contains(&format!(
        "template=\"http://localhost:{port}/.well-known/webfinger?resource={{uri}}\""
    )));
}

#[test]
fn plain_http_is_refused_without_local_mode() {
    let port = free_port();
    let dir = site(port);
    let out = common::interchange(&[
        "federate",
        "--listen",
        &format!("127.0.0.1:{port}"),
        "--root",
        dir.path().to_str().expect("UTF-8"),
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("https") && stderr.contains("--insecure-local"),
        "{stderr}"
    );
}

#[test]
fn events_are_served_in_the_form_mobilizon_reads() {
    let port = free_port();
    let dir = site(port);
    let server = federate(dir.path(), port);
    let answer = get(server.port, "/events/housing-open-day/", ACTIVITY);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("content-type"), Some(ACTIVITY));
    let event = answer.json();
    let url = format!("http://localhost:{port}/events/housing-open-day/");
    // FEP-8a8e's minimum, and what Mobilizon shows.
    assert_eq!(event["type"], "Event");
    assert_eq!(event["id"], url);
    assert_eq!(event["url"], url);
    assert_eq!(event["name"], "Housing open day");
    assert_eq!(event["startTime"], "2027-03-04T10:00:00Z");
    assert_eq!(event["endTime"], "2027-03-04T16:00:00Z");
    assert_eq!(event["timezone"], "Europe/London");
    assert!(
        event["summary"]
            .as_str()
            .is_some_and(|s| s.contains("Acme Civic Centre"))
    );
    assert!(
        event["content"]
            .as_str()
            .is_some_and(|s| s.contains("housing team"))
    );
    assert_eq!(event["location"]["type"], "Place");
    assert_eq!(event["location"]["name"], "Acme Civic Centre");
    assert_eq!(event["joinMode"], "external");
    assert_eq!(
        event["externalParticipationUrl"],
        "https://book.example.gov.uk/open-day"
    );
    assert_eq!(event["maximumAttendeeCapacity"], 40);
    assert_eq!(event["attributedTo"], format!("http://localhost:{port}/"));
    // What it serves, it reads back.
    let read = federation_event(&event);
    assert_eq!(read, "Housing open day");

    let page = get(server.port, "/events/housing-open-day/", BROWSER);
    assert!(page.body.contains("Housing open day"));
}

fn federation_event(json: &Value) -> String {
    federation::EventObject::read(json)
        .expect("our own event reads back")
        .name
}

#[test]
fn consultations_and_asks_are_pages_with_the_projects_own_terms() {
    let port = free_port();
    let dir = site(port);
    let server = federate(dir.path(), port);
    let base = format!("http://localhost:{port}");

    let answer = get(server.port, "/consultations/housing-allocations/", ACTIVITY);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("content-type"), Some(ACTIVITY));
    let consultation = answer.json();
    assert_eq!(consultation["type"], "Page");
    assert_eq!(
        consultation["id"],
        format!("{base}/consultations/housing-allocations/")
    );
    assert_eq!(consultation["name"], "Housing allocations review");
    assert_eq!(consultation["opens"], "2027-01-10T09:00:00Z");
    assert_eq!(
        consultation["respondUrl"],
        "https://consult.example.gov.uk/allocations"
    );
    assert_eq!(consultation["lead"], format!("{base}/profiles/priya-shah/"));
    // The project's terms are given inline, under one namespace for every
    // instance, not under this one's address.
    assert_eq!(
        consultation["@context"][2]["ix"],
        "https://w3id.org/interchange#"
    );
    assert!(!consultation["@context"].to_string().contains(&base));

    let ask = get(server.port, "/asks/mentor-wanted/", ACTIVITY).json();
    assert_eq!(ask["type"], "Page");
    assert_eq!(ask["askKind"], "mentor");
    assert_eq!(ask["by"], format!("{base}/profiles/priya-shah/"));
    // The end of its last day, in the site's time zone.
    assert_eq!(ask["closes"], "2027-06-30T23:59:59+01:00");

    // The context defines every term the documents use beyond ActivityStreams.
    let context = get(server.port, "/ns/interchange", "application/ld+json");
    assert_eq!(context.status, 200);
    assert_eq!(context.header("content-type"), Some("application/ld+json"));
    let terms = context.json()["@context"].clone();
    assert_eq!(
        terms, consultation["@context"][2],
        "the context given inline"
    );
    for term in [
        "opens",
        "closes",
        "status",
        "respondUrl",
        "lead",
        "askKind",
        "by",
        "filled",
        "policyAreas",
    ] {
        assert!(terms.get(term).is_some(), "the context defines {term}");
    }
}

#[test]
fn documents_are_dated_by_their_entries_not_by_the_moment_they_are_asked_for() {
    let port = free_port();
    let dir = site(port);
    // Dates the editors give: the organisation changed after the profile.
    common::write(
        dir.path(),
        "content/profiles/omar-ali.md",
        "---\nname: Omar Ali\nrole: Data Lead\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-01-01\nupdated: 2026-02-03\n---\nOmar works on data.\n",
    );
    common::write(
        dir.path(),
        "content/organisations/acme.md",
        "---\nname: Acme Council\nsector: local-government\nupdated: 2026-04-05\n---\nA council.\n",
    );
    let server = federate(dir.path(), port);
    let omar = get(server.port, "/profiles/omar-ali/", ACTIVITY).json();
    assert_eq!(omar["published"], "2026-02-03T00:00:00Z", "{omar}");
    // It shows its organisation, which changed later (in London's summer
    // time).
    assert_eq!(omar["updated"], "2026-04-04T23:00:00Z", "{omar}");
    let site_actor = get(server.port, "/", ACTIVITY).json();
    assert_eq!(site_actor["updated"], "2026-04-04T23:00:00Z");

    // Every kind is dated, and asking again, or after a restart, gives the
    // same dates.
    let paths = [
        "/",
        "/profiles/priya-shah/",
        "/events/housing-open-day/",
        "/consultations/housing-allocations/",
        "/asks/mentor-wanted/",
    ];
    let dates = |port: u16| -> Vec<(Value, Value)> {
        paths
            .iter()
            .map(|path| {
                let json = get(port, path, ACTIVITY).json();
                for key in ["published", "updated"] {
                    let date = json[key].as_str().unwrap_or_default();
                    assert!(
                        date.parse::<jiff::Timestamp>().is_ok(),
                        "{path}: {key} is {}",
                        json[key]
                    );
                }
                (json["published"].clone(), json["updated"].clone())
            })
            .collect()
    };
    let first = dates(server.port);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(dates(server.port), first);
    drop(server);
    let server = federate(dir.path(), port);
    assert_eq!(dates(server.port), first, "the same after a restart");
}

/// Every item of the collection at `path` on `port`, read page by page as
/// a follower would, with how many pages there were and the size the
/// collection gives. `between` runs after each page.
fn read_collection(
    port: u16,
    path: &str,
    mut between: impl FnMut(usize),
) -> (Vec<Value>, usize, u64) {
    let collection = get(port, path, ACTIVITY).json();
    assert_eq!(collection["type"], "OrderedCollection", "{collection}");
    assert!(
        collection.get("orderedItems").is_none(),
        "items are on pages"
    );
    let total = collection["totalItems"].as_u64().expect("a size");
    let mut items = Vec::new();
    let mut next = collection["first"].as_str().map(str::to_string);
    let mut pages = 0;
    while let Some(address) = next {
        let url = url::Url::parse(&address).expect("a page address");
        let page_path = format!("{}?{}", url.path(), url.query().unwrap_or_default());
        let page = get(port, &page_path, ACTIVITY).json();
        assert_eq!(page["type"], "OrderedCollectionPage", "{page}");
        assert_eq!(page["id"], address.as_str());
        assert_eq!(page["partOf"], collection["id"]);
        let on_page = page["orderedItems"].as_array().expect("items").clone();
        assert!(on_page.len() <= 200, "a page holds a few hundred at most");
        items.extend(on_page);
        next = page["next"].as_str().map(str::to_string);
        pages += 1;
        between(pages);
    }
    (items, pages, total)
}

#[test]
fn collections_are_paged_and_list_every_entry_once_while_the_directory_changes() {
    let port = free_port();
    let dir = site(port);
    // 450 more profiles: three pages of entries.
    add_officers(dir.path(), 450);
    let server = federate(dir.path(), port);
    let base = format!("http://localhost:{port}");

    let site = get(server.port, "/", ACTIVITY).json();
    assert_eq!(site["entries"], format!("{base}/entries"));
    assert_eq!(
        get(server.port, "/entries", ACTIVITY).header("content-type"),
        Some(ACTIVITY)
    );
    // While it is read, a profile already read is removed and one not yet
    // read is edited: every entry there throughout is listed, once.
    let (items, pages, total) = read_collection(server.port, "/entries", |page| {
        if page == 1 {
            std::fs::remove_file(dir.path().join("content/profiles/person-0000.md"))
                .expect("removed");
            let last = dir.path().join("content/profiles/person-0449.md");
            let text = std::fs::read_to_string(&last).expect("read");
            std::fs::write(&last, text.replace("role: Officer", "role: Head Officer"))
                .expect("edited");
            wait_until("the site rebuilt", || {
                get(server.port, "/profiles/person-0000/", ACTIVITY).status == 410
                    && get(server.port, "/profiles/person-0449/", ACTIVITY).json()["fields"]["role"]
                        == "Head Officer"
            });
        }
    });
    assert!(pages >= 3, "{pages} pages");
    assert_eq!(
        items.len() as u64,
        total,
        "the size when the collection was read"
    );
    let ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no entry twice");
    for id in [
        "/profiles/priya-shah/",
        "/profiles/person-0001/",
        "/profiles/person-0449/",
        "/events/housing-open-day/",
        "/consultations/housing-allocations/",
        "/asks/mentor-wanted/",
    ] {
        assert!(
            ids.contains(&format!("{base}{id}").as_str()),
            "{id} missing"
        );
    }
    assert!(
        !ids.iter()
            .any(|id| id.contains("internal-ian") || id.contains("quiet-quentin"))
    );
    // Each item is the entry's whole document, as its address serves it,
    // its contexts the page's.
    let edited = items
        .iter()
        .find(|i| i["id"] == format!("{base}/profiles/person-0449/"))
        .expect("the edited profile");
    assert_eq!(
        edited["fields"]["role"], "Head Officer",
        "the edit, read after it"
    );
    let mut served = get(server.port, "/profiles/person-0449/", ACTIVITY).json();
    let contexts = served
        .as_object_mut()
        .and_then(|document| document.remove("@context"))
        .expect("the document's contexts");
    assert_eq!(edited, &served);
    let first_page = get(server.port, "/entries?after=", ACTIVITY).json();
    assert_eq!(first_page["@context"], contexts);

    // The actors' outboxes list what each published; nobody follows yet.
    let (created, _, total) = read_collection(server.port, "/outbox", |_| {});
    assert_eq!(total as usize, created.len());
    assert!(
        created
            .iter()
            .all(|a| a["type"] == "Create" && a["actor"] == format!("{base}/"))
    );
    let objects: Vec<&str> = created
        .iter()
        .filter_map(|a| a["object"]["id"].as_str())
        .collect();
    assert!(
        objects.contains(&format!("{base}/events/housing-open-day/").as_str()),
        "{objects:?}"
    );
    // Priya posted her profile and her ask.
    let (created, _, _) = read_collection(server.port, "/profiles/priya-shah/outbox", |_| {});
    let mut objects: Vec<&str> = created
        .iter()
        .filter_map(|a| a["object"]["id"].as_str())
        .collect();
    objects.sort_unstable();
    assert_eq!(
        objects,
        [
            format!("{base}/asks/mentor-wanted/"),
            format!("{base}/profiles/priya-shah/")
        ]
    );
    for path in ["/followers", "/profiles/priya-shah/followers"] {
        let (followers, _, total) = read_collection(server.port, path, |_| {});
        assert_eq!(
            (followers.len(), total),
            (0, 0),
            "{path}: nobody follows yet"
        );
    }
    assert_eq!(
        get(server.port, "/profiles/internal-ian/outbox", ACTIVITY).status,
        404
    );
}

#[test]
fn a_page_and_its_document_share_an_address_and_every_reader_gets_its_own() {
    let port = free_port();
    let dir = site(port);
    let server = federate(dir.path(), port);
    let path = "/profiles/priya-shah/";

    // Both variants say they vary with Accept: a cache keeps them apart.
    let page = get(server.port, path, BROWSER);
    assert!(page.body.contains("<html"), "a page");
    assert_eq!(page.header("vary"), Some("Accept"));
    let document = get(server.port, path, ACTIVITY);
    assert_eq!(document.json()["type"], "Person");
    assert_eq!(document.header("vary"), Some("Accept"));

    // JSON-LD asked for with or without the ActivityStreams profile.
    for accept in [
        "application/ld+json",
        "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
    ] {
        let answer = get(server.port, path, accept);
        assert_eq!(answer.header("content-type"), Some(ACTIVITY), "{accept}");
        assert_eq!(answer.json()["type"], "Person", "{accept}");
    }

    // HEAD: the document's headers, no body.
    let head = common::request(server.port, "HEAD", path, ACTIVITY);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some(ACTIVITY));
    assert!(head.body.is_empty(), "{}", head.body);
}
