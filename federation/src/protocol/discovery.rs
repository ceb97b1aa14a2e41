//! Discovery documents: WebFinger's JRD (which actor a handle names) and
//! NodeInfo 2.1 (what software a server runs).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A WebFinger answer (JSON Resource Descriptor).
#[derive(Debug, Serialize, Deserialize)]
pub struct Jrd {
    /// The account asked about: `acct:name@host`.
    pub subject: String,
    /// Other addresses of the same account: its actor id.
    pub aliases: Vec<String>,
    /// Where its actor and page are.
    pub links: Vec<JrdLink>,
}

/// A link of a WebFinger answer.
#[derive(Debug, Serialize, Deserialize)]
pub struct JrdLink {
    /// What it is: `self` for the actor, the profile-page relation for
    /// its page.
    pub rel: String,
    /// Its media type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its address.
    pub href: String,
    /// More about it: the actor's ActivityStreams type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<BTreeMap<String, String>>,
}

/// The NodeInfo discovery document: where the schemas are served.
#[derive(Debug, Serialize, Deserialize)]
pub struct NodeInfoLinks {
    /// One link per schema.
    pub links: Vec<NodeInfoLink>,
}

/// A NodeInfo schema and where it is served.
#[derive(Debug, Serialize, Deserialize)]
pub struct NodeInfoLink {
    /// The schema.
    pub rel: String,
    /// Its address.
    pub href: String,
}

/// A NodeInfo 2.1 document.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    /// The schema version: `2.1`.
    pub version: String,
    /// The software.
    pub software: NodeInfoSoftware,
    /// The protocols spoken: `activitypub`.
    pub protocols: Vec<String>,
    /// Third-party services it reads from and publishes to.
    pub services: NodeInfoServices,
    /// Whether anyone may sign up.
    pub open_registrations: bool,
    /// How many people and posts.
    pub usage: NodeInfoUsage,
    /// Anything else: the node's name.
    pub metadata: NodeInfoMetadata,
}

/// The software a node runs.
#[derive(Debug, Serialize, Deserialize)]
pub struct NodeInfoSoftware {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Where its source is, when the build says: strict readers refuse an
    /// empty one, so none is left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
}

/// The services a node reads from and publishes to.
#[derive(Debug, Serialize, Deserialize)]
pub struct NodeInfoServices {
    /// Read from.
    pub inbound: Vec<String>,
    /// Published to.
    pub outbound: Vec<String>,
}

/// How much a node publishes.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfoUsage {
    /// Its users.
    pub users: NodeInfoUsers,
    /// How many posts it publishes.
    pub local_posts: usize,
}

/// A node's users, counted.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfoUsers {
    /// All of them.
    pub total: usize,
    /// Active in the last month.
    pub active_month: usize,
    /// Active in the last six months.
    pub active_halfyear: usize,
}

/// What else a node says of itself.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfoMetadata {
    /// Its name.
    pub node_name: String,
}
