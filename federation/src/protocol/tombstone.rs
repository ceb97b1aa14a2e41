//! What is left where something was deleted.

use serde::{Deserialize, Serialize};

/// A `Tombstone`: sent in a `Delete`, and served (410) at the address of
/// what was deleted.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    /// The JSON-LD context, when served on its own.
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Always `Tombstone`.
    #[serde(rename = "type")]
    pub kind: activitypub_federation::kinds::object::TombstoneType,
    /// The address of what was deleted.
    pub id: String,
    /// What it was, as the IRI of its ActivityStreams type (the term is an
    /// IRI: a bare `Person` would be read as an address relative to the
    /// tombstone's).
    pub former_type: String,
    /// When, when served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<String>,
}
