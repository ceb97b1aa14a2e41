//! Events and places as Mobilizon and Gancio send them: every sample in the
//! shared fixtures (read from `../shared/fixtures/activitypub/` beside the
//! repository, never copied in) is read, or refused with a reason.

use std::path::PathBuf;

use federation::objects::event::{EventObject, Place, Refused};
use serde_json::Value;

fn fixtures() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/activitypub");
    assert!(
        path.is_dir(),
        "the shared ActivityPub fixtures are not at {}: they live in ../shared beside the repository",
        path.display()
    );
    path
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
