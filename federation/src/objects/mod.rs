//! The ActivityPub documents of a directory's entries, one file a kind.
//!
//! Each is made from the `generator` crate's typed entries, so what other
//! servers see is what the site's pages show.

pub mod collection;
pub mod document;
pub mod event;
pub mod fields;
pub mod local;
pub mod organisation;
pub mod page;
pub mod person;
pub mod remote;

use generator::content::Directory;
use generator::{Entry, Kind};
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

/// An actor (the site's `Organization` or a profile's `Person`), ready to
/// serialise: the fields Mastodon reads to show and follow it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    /// The JSON-LD contexts.
    #[serde(rename = "@context")]
    pub context: serde_json::Value,
    /// `Organization` or `Person`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Its page's address.
    pub id: String,
    /// The name in its handle: `@name@host`.
    pub preferred_username: String,
    /// The name shown.
    pub name: String,
    /// About it, in HTML.
    pub summary: String,
    /// Its page.
    pub url: String,
    /// Where activities for it are sent.
    pub inbox: String,
    /// What it has published.
    pub outbox: String,
    /// Who follows it.
    pub followers: String,
    /// Fields shown on its profile.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachment: Vec<PropertyValue>,
    /// Its picture, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon: Option<serde_json::Value>,
    /// Whether directories and search may list it: a directory's entries are
    /// published to be found.
    pub discoverable: bool,
    /// Follows are accepted by the site's rules, not one by one.
    pub manually_approves_followers: bool,
    /// The key that signs what it sends.
    pub public_key: PublicKey,
    /// The site's every entry, for a new follower to fetch (the site only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<String>,
    /// The server's shared inbox, so that a server delivers once to all of
    /// its followers here.
    pub endpoints: Endpoints,
}

/// An actor's server endpoints.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    /// The inbox every actor here shares: `/inbox`.
    pub shared_inbox: String,
}

impl Actor {
    /// An actor at `id` (its page's address, ending in `/`) with the
    /// inbox, outbox and followers under it.
    pub fn new(
        kind: &'static str,
        id: String,
        username: String,
        name: String,
        keys: &crate::store::Keys,
    ) -> Self {
        Self {
            context: context(),
            kind,
            preferred_username: username,
            name,
            summary: String::new(),
            url: id.clone(),
            inbox: format!("{id}inbox"),
            outbox: format!("{id}outbox"),
            followers: format!("{id}followers"),
            attachment: Vec::new(),
            icon: None,
            discoverable: true,
            manually_approves_followers: false,
            public_key: PublicKey {
                id: format!("{id}#main-key"),
                owner: id.clone(),
                public_key_pem: keys.public_pem.clone(),
            },
            entries: None,
            endpoints: Endpoints {
                shared_inbox: shared_inbox(&id),
            },
            id,
        }
    }
}

/// The shared inbox of the server `id` is on: `/inbox` at its root.
fn shared_inbox(id: &str) -> String {
    match url::Url::parse(id) {
        Ok(mut url) => {
            url.set_path("/inbox");
            url.set_query(None);
            url.set_fragment(None);
            url.to_string()
        }
        Err(_) => String::from("/inbox"),
    }
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

/// An entry's body as HTML, as its page shows it, with links to other
/// entries made absolute (a link to an entry not published is plain text).
pub fn body_html<T>(directory: &Directory, entry: &Entry<T>) -> String {
    let url_of = |link: &generator::content::links::EntryLink| {
        exists(directory, link.kind, &link.slug).then(|| {
            directory
                .site
                .absolute(&format!("/{}/{}/", link.kind.folder(), link.slug))
        })
    };
    let trusted = directory.site.trust_html && !entry.origin.is_mirror();
    generator::markdown::to_html(&entry.body, entry.path(), &url_of, trusted)
}

fn exists(directory: &Directory, kind: Kind, slug: &str) -> bool {
    match kind {
        Kind::Organisation => directory.organisation(slug).is_some(),
        Kind::Profile => directory.profile(slug).is_some(),
        Kind::Event => directory.event(slug).is_some(),
        Kind::Consultation => directory.consultation(slug).is_some(),
        Kind::Ask => directory.ask(slug).is_some(),
        Kind::Page => directory.page(slug).is_some(),
    }
}

/// Why a received document is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refused {
    /// The JSON is not of the expected shape.
    #[error("not an ActivityStreams {expected}: {reason}")]
    Shape {
        /// What was expected.
        expected: &'static str,
        /// What serde said.
        reason: String,
    },
    /// A place with no name cannot be shown.
    #[error("a place needs a name to be shown")]
    UnnamedPlace,
    /// The start is not a moment.
    #[error("`startTime` {0} is not a date and time with an offset")]
    BadStart(String),
    /// It breaks a rule the message states.
    #[error("{0}")]
    Rule(String),
}
