//! The JSON Schema made from the content model: every entry of the demo
//! directory is valid under it, the mistakes it can see are refused, and
//! the copy in docs/ is the one the model makes.

use std::fs;
use std::path::{Path, PathBuf};

use generator::content::Vocabulary;
use generator::schema::json_schema;
use serde_json::Value;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator crate is in the workspace")
        .to_path_buf()
}

/// The front matter of an entry file, as JSON.
fn front_matter(text: &str) -> Value {
    let rest = text
        .strip_prefix("---\n")
        .expect("front matter opens the file");
    let end = rest.find("\n---").expect("front matter is closed");
    serde_saphyr::from_str(&rest[..end]).expect("front matter is YAML")
}

/// The validator of one kind's definition.
fn validator(kind: &str) -> jsonschema::Validator {
    let mut schema = json_schema(&Vocabulary::default());
    schema["$ref"] = Value::String(format!("#/$defs/{kind}"));
    schema.as_object_mut().map(|o| o.remove("anyOf"));
    jsonschema::validator_for(&schema).expect("the schema is valid JSON Schema")
}

fn errors(kind: &str, yaml: &str) -> Vec<String> {
    let value: Value = serde_saphyr::from_str(yaml).expect("test YAML");
    validator(kind)
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_entry_of_the_demo_directory_is_valid() {
    let content = repository().join("content");
    let mut seen = 0;
    for kind in generator::Kind::ALL {
        let validator = validator(kind.name());
        let Ok(files) = fs::read_dir(content.join(kind.folder())) else {
            continue;
        };
        for file in files {
            let path = file.expect("a readable folder").path();
            let text = fs::read_to_string(&path).expect("a readable file");
            let errors: Vec<String> = validator
                .iter_errors(&front_matter(&text))
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            seen += 1;
        }
    }
    assert!(seen > 30, "only {seen} demo entries found");
}

const PROFILE: &str = "
name: Priya Shah
role: Policy Adviser
organisation: acme-council
policy_areas: [adult-social-care]
open_to: [coffee]
consent: 2026-10-01
";

#[test]
fn the_mistakes_a_schema_can_see_are_refused() {
    assert_eq!(errors("profile", PROFILE), Vec::<String>::new());
    // A single value is read as a list of one.
    assert!(errors("profile", &PROFILE.replace("[coffee]", "coffee")).is_empty());
    for (mistake, broken) in [
        ("no consent", PROFILE.replace("consent: 2026-10-01\n", "")),
        (
            "a day-first date",
            PROFILE.replace("2026-10-01", "01/10/2026"),
        ),
        (
            "an unknown way to meet",
            PROFILE.replace("[coffee]", "[tea]"),
        ),
        (
            "a policy area not in the list",
            PROFILE.replace("adult-social-care", "care"),
        ),
        ("an empty list", PROFILE.replace("[coffee]", "[]")),
        (
            "email at the top",
            format!("{PROFILE}email: priya@example.gov.uk\n"),
        ),
        (
            "a misspelled field",
            PROFILE.replace("policy_areas", "polcy_areas"),
        ),
        (
            "a slug with capitals",
            PROFILE.replace("acme-council", "Acme Council"),
        ),
        ("a level out of range", format!("{PROFILE}level: 9\n")),
        (
            "a swap without its months",
            format!("{PROFILE}swap:\n  wants:\n    sectors: [nhs]\n"),
        ),
    ] {
        assert!(
            !errors("profile", &broken).is_empty(),
            "{mistake} was accepted:\n{broken}"
        );
    }
    let event = "title: Open day\nkind: open-day\nstart: 2027-01-14T10:00\nvenue: Civic Hall\n";
    assert!(errors("event", event).is_empty());
    assert!(
        errors(
            "event",
            &event.replace(
                "venue: Civic Hall",
                "venue:\n  name: Civic Hall\n  address: 1 Street"
            )
        )
        .is_empty()
    );
    assert!(!errors("event", &event.replace("open-day", "open day")).is_empty());
    assert!(!errors("event", &event.replace("T10:00", " at ten")).is_empty());
}

#[test]
fn the_schema_in_docs_is_the_one_the_content_model_makes() {
    let made = generator::schema::json_schema_text(&Vocabulary::default());
    let path = repository().join("docs").join(generator::schema::FILE);
    let written = fs::read_to_string(&path).unwrap_or_default();
    // Compared as JSON: the order of keys depends on the features of
    // serde_json the build unifies, and `interchange schema` is built with
    // the workspace's.
    let parsed = |text: &str| serde_json::from_str::<Value>(text).ok();
    assert!(
        parsed(&written).is_some() && parsed(&written) == parsed(&made),
        "{} is not the schema the content model makes: run `cargo run -- schema > docs/{}`",
        path.display(),
        generator::schema::FILE
    );
}
