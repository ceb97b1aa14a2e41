//! The routes called in-process, as a peer would call them over the
//! network: no socket, a real SQLite store in a temporary folder.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use tower::ServiceExt;

const BASE: &str = "https://directory.example.gov.uk";

fn write(root: &std::path::Path, path: &str, text: &str) {
    let file = root.join(path);
    std::fs::create_dir_all(file.parent().expect("a folder")).expect("a folder made");
    std::fs::write(file, text).expect("written");
}

/// A site with one organisation and one public profile, and the routes
/// serving it.
async fn app(dir: &tempfile::TempDir) -> axum::Router {
    let root = dir.path();
    write(
        root,
        "interchange.toml",
        &format!(
            "title = \"Small\"\nbase_url = \"{BASE}\"\norganisations = [\"acme\"]\n\n[federation]\nhandle = \"small\"\n"
        ),
    );
    write(
        root,
        "content/organisations/acme.md",
        "---\nname: Acme Council\nsector: local-government\n---\nA council.\n",
    );
    write(
        root,
        "content/profiles/priya-shah.md",
        "---\nname: Priya Shah\nrole: Housing Adviser\norganisation: acme\npolicy_areas: [housing]\nopen_to: [buddy, coffee]\nconsent: 2026-01-01\n---\nPriya works on housing.\n",
    );
    let loaded = generator::load(&generator::LoadOptions::new(root)).expect("the site loads");
    let (_, site) = tokio::sync::watch::channel(Arc::new(loaded.directory));
    let (rebuild, _) = std::sync::mpsc::channel();
    let options = federation::Options {
        listen: ([127, 0, 0, 1], 0).into(),
        public: root.join("public"),
        database: format!("sqlite://{}", root.join("federation.sqlite").display()),
        insecure_local: false,
        backoff: federation::Backoff::default(),
        root: root.to_path_buf(),
        limits: federation::Limits::from_settings(&Default::default()),
    };
    let state = federation::open(site, rebuild, &options)
        .await
        .expect("the instance opens");
    federation::app(state, &options.public)
}

/// The status, content type and JSON body of a GET.
async fn get(app: axum::Router, path: &str, accept: &str) -> (StatusCode, String, Value) {
    let request = Request::get(path)
        .header(header::ACCEPT, accept)
        .body(Body::empty())
        .expect("a request");
    let response = app.oneshot(request).await.expect("an answer");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = axum::body::to_bytes(response.into_body(), 1024 * 1024)
        .await
        .expect("a body");
    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, content_type, json)
}

#[tokio::test]
async fn a_handle_is_found_by_webfinger_and_its_actor_served_at_its_page() {
    let dir = tempfile::tempdir().expect("a folder");
    let app = app(&dir).await;

    let (status, content_type, jrd) = get(
        app.clone(),
        "/.well-known/webfinger?resource=acct:priya-shah@directory.example.gov.uk",
        "application/jrd+json",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/jrd+json");
    assert_eq!(jrd["subject"], "acct:priya-shah@directory.example.gov.uk");
    let actor = format!("{BASE}/profiles/priya-shah/");
    assert_eq!(jrd["links"][0]["rel"], "self");
    assert_eq!(jrd["links"][0]["type"], "application/activity+json");
    assert_eq!(jrd["links"][0]["href"], actor.as_str());

    let (status, content_type, person) = get(
        app.clone(),
        "/profiles/priya-shah/",
        "application/activity+json",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/activity+json");
    assert_eq!(person["type"], "Person");
    assert_eq!(person["id"], actor.as_str());
    assert_eq!(person["preferredUsername"], "priya-shah");
    assert_eq!(person["inbox"], format!("{actor}inbox"));
    assert_eq!(person["endpoints"]["sharedInbox"], format!("{BASE}/inbox"));
    assert_eq!(person["publicKey"]["owner"], actor.as_str());
    assert!(
        person["publicKey"]["publicKeyPem"]
            .as_str()
            .is_some_and(|pem| pem.contains("BEGIN PUBLIC KEY")),
        "{person}"
    );
    assert_eq!(person["entryKind"], "profiles");

    // Someone not here is not found, by handle or at an address.
    let (status, _, _) = get(
        app.clone(),
        "/.well-known/webfinger?resource=acct:nobody@directory.example.gov.uk",
        "application/jrd+json",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(app, "/profiles/nobody/", "application/activity+json").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
