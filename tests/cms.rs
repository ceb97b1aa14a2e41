//! `interchange cms` and the editor `init` writes: Decap CMS's settings
//! made from the content format and the site's vocabulary, and the JSON
//! Schema beside them. (Using the editor in a browser: `tests/browser.rs`.)

use std::fs;
use std::path::Path;

use serde_json::Value;

mod common;

use common::interchange;

fn init(dir: &Path) {
    let output = interchange(&[
        "init",
        dir.to_str().expect("a UTF-8 path"),
        "--organisation",
        "Kirkby Vale Council",
    ]);
    assert!(output.status.success(), "init failed: {output:?}");
}

fn config(site: &Path) -> Value {
    let text = fs::read_to_string(site.join("static/admin/config.yml")).expect("config.yml");
    serde_saphyr::from_str(&text).expect("config.yml is YAML")
}

fn collection<'a>(config: &'a Value, name: &str) -> &'a Value {
    config["collections"]
        .as_array()
        .expect("a list of collections")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no collection `{name}`"))
}

fn field<'a>(collection: &'a Value, name: &str) -> &'a Value {
    collection["fields"]
        .as_array()
        .expect("a list of fields")
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field `{name}` in {}", collection["name"]))
}

fn option_values(field: &Value) -> Vec<&str> {
    field["options"]
        .as_array()
        .expect("a select's options")
        .iter()
        .filter_map(|o| o["value"].as_str())
        .collect()
}

#[test]
fn init_writes_an_editor_with_a_form_for_every_kind_of_entry() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("site");
    init(&site);

    let page = fs::read_to_string(site.join("static/admin/index.html")).expect("index.html");
    assert!(page.contains(&format!(
        "https://unpkg.com/decap-cms@{}/dist/decap-cms.js\" integrity=\"{}\"",
        generator::cms::DECAP_VERSION,
        generator::cms::DECAP_INTEGRITY
    )));
    assert!(page.contains("<title>Edit Kirkby Vale Council directory</title>"));

    let config = config(&site);
    assert_eq!(config["local_backend"], true);
    for kind in generator::Kind::ALL {
        let c = collection(&config, kind.folder());
        assert_eq!(c["folder"], format!("content/{}", kind.folder()));
        assert_eq!(c["format"], "frontmatter");
    }
    let profiles = collection(&config, "profiles");

    // Consent: a date nobody fills in for the officer.
    let consent = field(profiles, "consent");
    assert_eq!(consent["widget"], "datetime");
    assert_eq!(
        consent["default"], "",
        "a consent date must never default to today"
    );
    assert!(consent.get("required").is_none(), "consent is required");
    assert!(
        consent["hint"]
            .as_str()
            .is_some_and(|h| h.starts_with("Ask the officer whether they agree")),
        "{consent}"
    );

    // Lists of the site's words, and the organisation chosen from the site's.
    let areas = field(profiles, "policy_areas");
    assert_eq!(areas["widget"], "select");
    assert_eq!(areas["multiple"], true);
    assert_eq!(areas["min"], 1);
    assert!(option_values(areas).contains(&"homelessness"));
    assert_eq!(
        option_values(field(profiles, "open_to")),
        [
            "buddy",
            "coffee",
            "shadowing",
            "job-swap",
            "mentoring",
            "speaking",
            "secondment"
        ]
    );
    let organisation = field(profiles, "organisation");
    assert_eq!(organisation["widget"], "relation");
    assert_eq!(organisation["collection"], "organisations");
    assert_eq!(organisation["value_field"], "{{slug}}");
    let sector = field(collection(&config, "organisations"), "sector");
    assert!(option_values(sector).contains(&"fire-and-rescue"));
    let host = field(collection(&config, "events"), "host");
    assert_eq!(host["collection"], "profiles");
    let start = field(collection(&config, "events"), "start");
    assert_eq!(start["format"], "YYYY-MM-DDTHH:mm");
    // Init's example profile is not published until it has consent, so
    // its interests are not yet suggested.
    assert_eq!(
        field(profiles, "interests")["hint"],
        "What else they care about: open tags."
    );
    // A swap's months are asked for only once a swap is offered.
    let swap = field(profiles, "swap");
    assert_eq!(field(swap, "months")["required"], false);

    let schema: Value = serde_json::from_str(
        &fs::read_to_string(site.join("content.schema.json")).expect("the schema"),
    )
    .expect("the schema is JSON");
    assert!(
        schema["$defs"]["profile"]["required"]
            .as_array()
            .is_some_and(|r| r.contains(&Value::from("consent")))
    );
}

#[test]
fn cms_remakes_the_editor_with_the_sites_own_words_and_repository() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("site");
    init(&site);
    let settings = site.join("interchange.toml");
    let mut text = fs::read_to_string(&settings).expect("interchange.toml");
    text.push_str("\n[vocabulary]\npolicy_areas = [\"coastal-communities\"]\n");
    fs::write(&settings, text).expect("interchange.toml is writable");
    let example = site.join("content/profiles/alex-example.md");
    let profile = fs::read_to_string(&example).expect("init's example profile");
    fs::write(
        &example,
        profile.replace("\nconsent:\n", "\nconsent: 2026-11-30\n"),
    )
    .expect("the example profile is writable");

    let root = site.to_str().expect("a UTF-8 path");
    let output = interchange(&["cms", "--root", root, "--github", "kirkby-vale/directory"]);
    assert!(output.status.success(), "cms failed: {output:?}");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("static/admin/config.yml"), "{said}");

    let config = config(&site);
    assert_eq!(config["backend"]["name"], "github");
    assert_eq!(config["backend"]["repo"], "kirkby-vale/directory");
    assert_eq!(config["backend"]["branch"], "main");
    let areas = field(collection(&config, "profiles"), "policy_areas");
    let coastal = areas["options"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["value"] == "coastal-communities"))
        .expect("the site's own policy area is offered");
    assert_eq!(coastal["label"], "Coastal communities");
    // The interests profiles give, suggested so that people share words.
    assert_eq!(
        field(collection(&config, "profiles"), "interests")["hint"],
        "What else they care about: open tags. Already used here: data."
    );
    let schema = fs::read_to_string(site.join("content.schema.json")).expect("the schema");
    assert!(schema.contains("\"const\": \"coastal-communities\""));

    let wrong = interchange(&["cms", "--root", root, "--github", "kirkby-vale"]);
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("name the repository as owner/name"),
        "{wrong:?}"
    );
}

#[test]
fn schema_prints_the_schema_docs_hold() {
    let output = interchange(&["schema"]);
    assert!(output.status.success());
    let docs = fs::read_to_string(common::repository().join("docs/content.schema.json"))
        .expect("docs/content.schema.json");
    assert_eq!(String::from_utf8_lossy(&output.stdout), docs);
}
