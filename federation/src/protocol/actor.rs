//! Actors: this site's (`Organization` for the site, `Person` for each
//! profile that federates), as served, and other servers' as read.

use serde::{Deserialize, Serialize};
use url::Url;

/// The type of one of this site's actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActorKind {
    /// The site.
    Organization,
    /// A profile.
    Person,
    /// The server itself, which signs its fetches (FEP-2677).
    Application,
}

/// One of this site's actors, ready to serialise: the fields Mastodon
/// reads to show and follow it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    /// The JSON-LD contexts.
    #[serde(rename = "@context")]
    pub context: serde_json::Value,
    /// `Organization` or `Person`.
    #[serde(rename = "type")]
    pub kind: ActorKind,
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachment: Vec<PropertyValue>,
    /// Its picture, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Image>,
    /// Whether directories and search may list it: a directory's entries are
    /// published to be found.
    pub discoverable: bool,
    /// Follows are accepted by the site's rules, not one by one.
    pub manually_approves_followers: bool,
    /// The key that signs what it sends.
    pub public_key: PublicKey,
    /// The site's every entry, for a new follower to fetch (the site only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entries: Option<String>,
    /// The server's shared inbox, so that a server delivers once to all of
    /// its followers here.
    pub endpoints: Endpoints,
    /// When it was first published (xsd:dateTime), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// When it last changed (xsd:dateTime), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
}

/// An actor's server endpoints, as this site serves them.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    /// The inbox every actor here shares: `/inbox`.
    pub shared_inbox: String,
}

/// An actor's public key, as Mastodon expects it.
#[derive(Debug, Serialize, Deserialize)]
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
#[derive(Debug, Serialize, Deserialize)]
pub struct PropertyValue {
    /// Always `PropertyValue`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The label.
    pub name: String,
    /// The value (HTML).
    pub value: String,
}

/// A picture: a profile's photo.
#[derive(Debug, Serialize, Deserialize)]
pub struct Image {
    /// Always `Image`.
    #[serde(rename = "type")]
    pub kind: activitypub_federation::kinds::object::ImageType,
    /// Its address.
    pub url: String,
}

/// An actor document as another server serves it: only the fields this
/// server uses, each as lenient as the servers in use need.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteActorDocument {
    /// Its id.
    pub id: Url,
    /// `Person`, `Group`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The name in its handle.
    #[serde(default)]
    pub preferred_username: Option<String>,
    /// The name shown.
    #[serde(default)]
    pub name: Option<String>,
    /// Where to deliver to it.
    pub inbox: Url,
    /// Its server's endpoints: the shared inbox.
    #[serde(default)]
    pub endpoints: Option<RemoteEndpoints>,
    /// The key its activities are signed with.
    pub public_key: RemoteKey,
    /// The directory's every entry, when it is another Interchange site.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "activitypub_federation::protocol::helpers::deserialize_skip_error"
    )]
    pub entries: Option<String>,
}

/// Another server's endpoints.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteEndpoints {
    /// One inbox for every actor on the server.
    #[serde(default)]
    pub shared_inbox: Option<Url>,
}

/// Another server's actor's public key.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteKey {
    /// The key's id, as signatures name it in `keyId`.
    pub id: String,
    /// The actor it belongs to.
    #[serde(default)]
    pub owner: Option<Url>,
    /// The key in PEM.
    pub public_key_pem: String,
}
