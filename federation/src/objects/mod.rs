//! The ActivityPub documents of a directory's entries, one file a kind.
//!
//! Each is made from the `generator` crate's typed entries, so what other
//! servers see is what the site's pages show.

pub mod organisation;
pub mod person;

use serde::Serialize;

/// The contexts every document names: ActivityStreams, the security
/// vocabulary (for `publicKey`), and the schema.org terms Mastodon reads for
/// profile fields (`PropertyValue`).
pub fn context() -> serde_json::Value {
    serde_json::json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "schema": "http://schema.org#",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value",
            "discoverable": "http://joinmastodon.org/ns#discoverable",
        }
    ])
}

/// An actor's public key, as Mastodon expects it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    /// `{actor}#main-key`.
    pub id: String,
    /// The actor.
    pub owner: String,
    /// The key in PEM.
    pub public_key_pem: String,
}

/// A name and value Mastodon shows on a profile.
#[derive(Debug, Serialize)]
pub struct PropertyValue {
    /// Always `PropertyValue`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The label.
    pub name: String,
    /// The value (HTML).
    pub value: String,
}

impl PropertyValue {
    /// A field labelled `name`, its value escaped as text.
    pub fn text(name: &str, value: &str) -> Self {
        Self {
            kind: "PropertyValue",
            name: name.to_string(),
            value: escape(value),
        }
    }
}

/// Text made safe to place in HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
