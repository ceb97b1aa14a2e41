//! Events and places as Mobilizon and Gancio send them: every sample in
//! `tests/fixtures/activitypub/` (real documents from other servers; their
//! sources and licence are in its README) is read, or refused with a reason.

use std::path::PathBuf;

use federation::{EventObject, Place, Received, Refused, RemoteActorDocument};
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/activitypub")
}

fn read(path: &str) -> Value {
    let file = fixtures().join(path);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

#[test]
fn a_mobilizon_event_is_read_with_its_time_place_and_page() {
    let event = EventObject::read(&read("mobilizon/objects/event.json")).expect("read");
    assert_eq!(event.name, "Caledonian scottish dance class");
    assert_eq!(event.start_time, "2022-12-11T19:00:00+00:00");
    assert_eq!(event.timezone.as_deref(), Some("Europe/London"));
    assert_eq!(event.status.as_deref(), Some("CONFIRMED"));
    let place = Place::read(event.location.as_ref().expect("a location")).expect("a place");
    assert_eq!(place.name.as_deref(), Some("The Kenn Centre"));
    assert_eq!(
        event.url.as_ref().map(url::Url::as_str),
        Some("https://rendezvous.nomagic.uk/events/b81c0531-a57c-497d-93ba-af0f8b255498")
    );
}

#[test]
fn other_mobilizon_objects_are_not_events() {
    for path in [
        "mobilizon/objects/group.json",
        "mobilizon/objects/person.json",
    ] {
        let refused = EventObject::read(&read(path)).expect_err(path);
        assert!(
            matches!(
                refused,
                Refused::Shape {
                    expected: "Event",
                    ..
                }
            ),
            "{path}: {refused}"
        );
    }
}

#[test]
fn gancio_places_are_read_and_a_nameless_one_refused() {
    let gancio = fixtures().join("gancio/AP-location");
    let mut read_places = 0;
    for entry in std::fs::read_dir(&gancio).expect("the Gancio samples") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let json = read(&format!("gancio/AP-location/{name}"));
        let places: Vec<Value> = match json {
            Value::Array(places) => places,
            place => vec![place],
        };
        for place in &places {
            match Place::read(place) {
                Ok(place) => {
                    assert!(place.name.is_some(), "{name}");
                    read_places += 1;
                }
                Err(reason) => {
                    assert_eq!(name, "bad-location-without-a-name.json", "{name}: {reason}");
                    assert_eq!(reason, Refused::UnnamedPlace);
                }
            }
        }
    }
    assert!(
        read_places >= 8,
        "every named place is read ({read_places})"
    );
}

/// Every file under `dir` (recursively) whose path contains `part`.
fn samples(part: &str) -> Vec<String> {
    let root = fixtures();
    let mut found = Vec::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("a fixtures folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let relative = path
                    .strip_prefix(&root)
                    .expect("under the fixtures")
                    .to_string_lossy()
                    .into_owned();
                if relative.contains(part) {
                    found.push(relative);
                }
            }
        }
    }
    found.sort();
    found
}

#[test]
fn every_actor_sample_is_read_with_its_inbox_and_key() {
    let mut actors = 0;
    for path in samples("/objects/") {
        let json = read(&path);
        let kind = json.get("type").and_then(Value::as_str).unwrap_or_default();
        let outcome = RemoteActorDocument::read(&json);
        if ["Person", "Group", "Organization", "Application", "Service"].contains(&kind) {
            let actor = match outcome {
                Ok(actor) => actor,
                Err(refused) => {
                    // GNU social's sample group names the key of actor 2:
                    // signatures made with it cannot be the group's.
                    assert_eq!(path, "gnusocial/objects/group.json", "{refused}");
                    assert!(
                        refused.to_string().contains("belongs to another actor"),
                        "{refused}"
                    );
                    continue;
                }
            };
            assert_eq!(actor.public_key.owner.as_ref(), Some(&actor.id), "{path}");
            assert!(actor.inbox.scheme() == "https", "{path}");
            actors += 1;
        } else {
            // Notes, pages, events, tombstones, chat messages: not actors,
            // and the refusal says so.
            let refused = outcome.expect_err(&path).to_string();
            assert!(
                refused.contains("not an actor") || refused.contains("missing field"),
                "{path}: {refused}"
            );
        }
    }
    assert!(
        actors >= 20,
        "the samples hold at least 20 actors ({actors})"
    );
}

#[test]
fn every_activity_sample_is_read_and_spoofed_ones_are_told_apart() {
    let mut read_activities = 0;
    for path in samples("/activities/") {
        let activity = match Received::read(&read(&path)) {
            Ok(activity) => activity,
            Err(refused) => {
                // Lemmy keeps a bare Note among its activities.
                assert_eq!(
                    path, "mastodon/activities/private_message.json",
                    "{refused}"
                );
                assert!(refused.to_string().contains("no `actor`"), "{refused}");
                continue;
            }
        };
        read_activities += 1;
        activity
            .check_id_host()
            .unwrap_or_else(|e| panic!("{path}: a real activity is on its actor's host: {e}"));
        match activity.check_object_host() {
            Ok(()) => {}
            Err(refused) => {
                // A Lemmy moderator changing a community or removing a
                // comment on another server: this server takes changes to
                // an object from its own host only.
                assert!(
                    ACTS_ON_ANOTHER_HOST.contains(&path.as_str()),
                    "{path}: {refused}"
                );
                assert!(refused.to_string().contains("on another host"), "{refused}");
            }
        }
    }
    assert!(read_activities >= 60, "{read_activities} activities");
}

/// The samples in which one server acts on another's object.
const ACTS_ON_ANOTHER_HOST: &[&str] = &[
    "lemmy/activities/community/update_community.json",
    "lemmy/activities/deletion/remove_note.json",
];

#[test]
fn follows_undos_and_accepts_name_what_they_are_about() {
    for (path, kind, object) in [
        (
            "mastodon/activities/follow.json",
            "Follow",
            "https://ds9.lemmy.ml/c/testcom",
        ),
        (
            "lemmy/activities/following/follow.json",
            "Follow",
            "http://enterprise.lemmy.ml/c/main",
        ),
        (
            "mastodon/activities/undo_follow.json",
            "Undo",
            "https://masto.asonix.dog/1ea87517-63c5-4118-8831-460ee641b2cf",
        ),
        (
            "lemmy/activities/following/accept.json",
            "Accept",
            "http://ds9.lemmy.ml/activities/follow/6abcd50b-b8ca-4952-86b0-a6dd8cc12866",
        ),
    ] {
        let activity = Received::read(&read(path)).expect(path);
        assert_eq!(activity.kind, kind, "{path}");
        assert_eq!(
            activity.object_id().map(|u| u.to_string()).as_deref(),
            Some(object),
            "{path}"
        );
    }
}
