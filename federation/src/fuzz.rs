//! Fuzz targets for what other servers send: the inbox's reading of a
//! delivery before its signature is checked and anything is kept, and the
//! mirror's writing of a received entry, which must read back as sent.
//!
//! Under `cargo test` each runs a few hundred random inputs;
//! `BOLERO_RANDOM_ITERATIONS` or `BOLERO_RANDOM_TEST_TIME_MS` run them
//! longer, and docs/testing.md runs them coverage-guided under libFuzzer.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};
use generator::fuzzing::Bytes;
use serde_json::{Map, Value, json};

use crate::mirror::limits::{Caps, Limits};
use crate::mirror::{markdown, write_entry};
use crate::protocol::{EntryDocument, Received};
use crate::signature::{self, Signature};

/// Inputs run under `cargo test`, unless bolero's variables ask for more.
const ITERATIONS: usize = 300;

/// Field names of the content format, one that is none, and `origin`.
const KEYS: &[&str] = &[
    "name",
    "title",
    "role",
    "kind",
    "start",
    "consent",
    "interests",
    "contact",
    "email",
    "venue",
    "capacity",
    "origin",
    "Bad Key",
    "x_1",
    "",
];

/// A JSON value made of hostile text, numbers at their limits, lists and
/// mappings, `depth` levels deep at most.
fn json_value(input: &mut Bytes<'_>, depth: usize) -> Value {
    match input.byte() % if depth == 0 { 6 } else { 8 } {
        0 => Value::Null,
        1 => Value::Bool(input.one_in(2)),
        2 => match input.byte() % 6 {
            0 => json!(i64::MIN),
            1 => json!(u64::MAX),
            2 => json!(input.below(1 << 16) as i64 - 30_000),
            3 => json!(f64::from(input.byte()) / 7.0),
            4 => json!(1e300),
            _ => json!(-0.0),
        },
        3..=5 => Value::String(input.text(8)),
        6 => Value::Array(
            (0..input.below(4))
                .map(|_| json_value(input, depth - 1))
                .collect(),
        ),
        _ => Value::Object(json_map(input, depth - 1)),
    }
}

fn json_map(input: &mut Bytes<'_>, depth: usize) -> Map<String, Value> {
    (0..input.below(6))
        .map(|_| {
            let key = match input.byte() % 4 {
                0 => input.text(2),
                _ => KEYS[input.below(KEYS.len())].to_string(),
            };
            (key, json_value(input, depth))
        })
        .collect()
}

/// An activity shaped as another directory sends one, its parts hostile.
fn activity(input: &mut Bytes<'_>) -> Value {
    let kinds = [
        "Create", "Update", "Delete", "Follow", "Undo", "Accept", "Announce", "Join",
    ];
    let folders = ["profiles", "events", "organisations", "pages", "asks", "x"];
    let folder = folders[input.below(folders.len())];
    let id = format!("https://other.example.gov.uk/{folder}/{}/", input.word(10));
    let mut object = json!({
        "id": if input.one_in(8) { Value::String(input.text(4)) } else { json!(id) },
        "type": "Page",
        "entryKind": folder,
        "fields": json_map(input, 2),
        "source": { "mediaType": "text/markdown", "content": input.text(10) },
    });
    if input.one_in(2) {
        object["organisationEntry"] = json!({
            "id": "https://other.example.gov.uk/organisations/acme/",
            "entryKind": "organisations",
            "fields": json_map(input, 1),
        });
    }
    json!({
        "id": format!("https://other.example.gov.uk/activities/{}", input.word(8)),
        "type": kinds[input.below(kinds.len())],
        "actor": if input.one_in(8) { json_value(input, 1) } else { json!("https://other.example.gov.uk/actor") },
        "object": if input.one_in(8) { json_value(input, 2) } else { object },
    })
}

/// Headers of a delivery, with hostile signature headers.
fn headers(input: &mut Bytes<'_>) -> HeaderMap {
    let names = [
        "signature",
        "signature-input",
        "authorization",
        "date",
        "digest",
        "content-digest",
        "host",
    ];
    let mut headers = HeaderMap::new();
    for _ in 0..input.below(6) {
        let name = HeaderName::from_static(names[input.below(names.len())]);
        let value = match input.byte() % 3 {
            0 => "keyId=\"https://other.example.gov.uk/actor#main-key\",headers=\"(request-target) host date digest\",signature=\"AAAA\"".to_string(),
            1 => "sig1=(\"@method\" \"@target-uri\" \"content-digest\");created=1700000000;keyid=\"k\"".to_string(),
            _ => input.text(8),
        };
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.append(name, value);
        }
    }
    headers
}

#[test]
fn fuzz_inbox_parsing() {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let mirror = tempfile::tempdir().expect("a temporary folder");
    bolero::check!()
        .with_iterations(ITERATIONS)
        .for_each(|data: &[u8]| {
            RUNS.fetch_add(1, Ordering::Relaxed);
            let mut input = Bytes::new(data);
            // Reading the signature's headers comes first, on any request.
            let headers = headers(&mut input);
            let uri = Uri::from_static("/inbox");
            let request = signature::Request {
                method: &Method::POST,
                uri: &uri,
                headers: &headers,
                origin: "https://here.example.gov.uk",
            };
            let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
            if let Ok(signature) = Signature::read(&request, now) {
                let _ = signature.check_body(&headers, data);
            }
            // The body: any bytes, or an activity.
            let json = if input.one_in(4) {
                serde_json::from_slice::<Value>(data).ok()
            } else {
                Some(activity(&mut input))
            };
            let Some(json) = json else { return };
            let Ok(received) = Received::read(&json) else {
                return;
            };
            let _ = received.object_id();
            let _ = received.inner();
            let document = EntryDocument::read(&received.object);
            let _ = document.organisation();
            let _ = document.text();
            // What the mirror makes of it: a file, or nothing, never a panic.
            let limits = Limits::default();
            let written = write_entry(mirror.path(), &limits, Caps::of(None), &received.object);
            if let Ok(paths) = written {
                for path in paths {
                    let text = std::fs::read_to_string(&path).expect("a written file reads");
                    assert!(
                        generator::load::front_matter::split(&text).is_ok(),
                        "{text}"
                    );
                }
            }
        });
    eprintln!("fuzz_inbox_parsing: {} runs", RUNS.load(Ordering::Relaxed));
}

/// What the loader reads back from a mirrored file's front matter, as JSON.
fn read_back(file: &str) -> (Value, String) {
    // The loader drops what no page may carry from a mirrored file first.
    let text = generator::escape::publishable(file);
    let split =
        generator::load::front_matter::split(&text).unwrap_or_else(|e| panic!("{e:?} in {text:?}"));
    let file = generator::SourceFile::new("mirror/other.example.gov.uk/profiles/fuzz.md", &*text);
    let fields = generator::load::fields_as_written(&file);
    // Its fields' readers drop them from text written as escapes (`"\v"`).
    (
        without_unpublishable(Value::Object(fields)),
        split.body.to_string(),
    )
}

/// `value` with the characters no page may carry dropped from its text.
fn without_unpublishable(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(generator::escape::publishable(&s).into_owned()),
        Value::Array(items) => Value::Array(items.into_iter().map(without_unpublishable).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, without_unpublishable(v)))
                .collect(),
        ),
        other => other,
    }
}

/// What a field holds once written and read back: what the writer keeps
/// of it, text without the characters no page may carry.
fn expected(value: &Value, nested_block: bool) -> Option<Value> {
    Some(match value {
        Value::Null if nested_block => return None,
        Value::String(s) => Value::String(generator::escape::publishable(s).into_owned()),
        // The reader's whole numbers are i64s: a larger one is read as its
        // digits, which is what the fields that take text read from a
        // number anyway.
        Value::Number(n) if n.is_u64() && n.as_i64().is_none() => Value::String(n.to_string()),
        Value::Array(items) => {
            Value::Array(items.iter().filter_map(|v| expected(v, false)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, v)| markdown::is_field_name(k) && !(nested_block && v.is_null()))
                .filter_map(|(k, v)| Some((k.clone(), expected(v, nested_block)?)))
                .collect(),
        ),
        other => other.clone(),
    })
}

#[test]
fn fuzz_mirror_round_trip() {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    bolero::check!()
        .with_iterations(ITERATIONS * 3)
        .for_each(|data: &[u8]| {
            RUNS.fetch_add(1, Ordering::Relaxed);
            let mut input = Bytes::new(data);
            let fields = json_map(&mut input, 3);
            let body = input.text(8);
            let origin = "https://other.example.gov.uk/profiles/fuzz/";
            let file = markdown::entry_file(&fields, origin, &body);
            let (read, read_body) = read_back(&file);
            let mut want: Map<String, Value> = fields
                .iter()
                .filter(|(k, v)| {
                    markdown::is_field_name(k) && k.as_str() != "origin" && !v.is_null()
                })
                .filter_map(|(k, v)| Some((k.clone(), expected(v, true)?)))
                .collect();
            want.insert("origin".into(), json!(origin));
            assert_eq!(read, Value::Object(want), "written as:\n{file}");
            let mut body = body;
            if !body.ends_with('\n') {
                body.push('\n');
            }
            assert_eq!(
                read_body,
                generator::escape::publishable(&body),
                "written as:\n{file}"
            );
        });
    eprintln!(
        "fuzz_mirror_round_trip: {} runs",
        RUNS.load(Ordering::Relaxed)
    );
}
