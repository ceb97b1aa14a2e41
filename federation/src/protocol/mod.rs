//! The ActivityPub vocabulary this server speaks: every activity, object
//! and document it sends or reads, as serde types and nothing else (no
//! I/O, no database, no content model). What sending or receiving one does
//! is elsewhere: `activities` (what arrives), `objects` (what an entry is
//! published as), `publish` and `mirror`.
//!
//! Other servers send odd shapes: what is read is read leniently (a field
//! of the wrong shape is as if absent, a reference may be an address, an
//! object or a list of one), and what cannot be read at all is refused
//! with a reason ([`Refused`](crate::error::Refused)).

mod activity;
mod actor;
mod collection;
mod context;
mod discovery;
mod entry;
mod event;
mod page;
mod round;
mod tombstone;

pub use activity::{Activity, ActivityKind, Received};
pub use actor::{
    Actor, ActorKind, Endpoints, Image, PropertyValue, PublicKey, RemoteActorDocument,
};
pub use collection::{CollectionPage, OrderedCollection, OrderedCollectionPage};
pub use context::{ACTIVITY_STREAMS, CONTEXT_DOCUMENT, contexts};
pub use discovery::{
    Jrd, JrdLink, NodeInfo, NodeInfoLink, NodeInfoLinks, NodeInfoMetadata, NodeInfoServices,
    NodeInfoSoftware, NodeInfoUsage, NodeInfoUsers,
};
pub use entry::{EntryDocument, EntryTerms, OrganisationEntry, Source, add_terms};
pub use event::{EventObject, Location, Place, PostalAddress, VirtualLocation};
pub use page::{Page, PageTerms};
pub use round::{Group, ROUNDS, RoundDocument, RoundPage, Swap};
pub use tombstone::Tombstone;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// The content type of ActivityPub documents, exactly as servers expect it.
pub const ACTIVITY_JSON: &str = "application/activity+json";

/// The audience "everyone": what is published is addressed to it.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// The largest document read, whether delivered to an inbox or fetched: no
/// activity or object needs more, and a server must not be made to hold
/// more.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The media type of an entry's Markdown `source`.
pub const MARKDOWN: &str = "text/markdown";

/// A reference to an object, in any of the forms servers send one: its
/// address, the object itself (named by its `id`), or a list of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Reference {
    /// An address.
    Id(Url),
    /// A list: a reference only when it holds exactly one.
    List(Vec<Reference>),
    /// An object, by its `id`.
    Object {
        /// Its id, itself a reference.
        id: Box<Reference>,
    },
}

impl Reference {
    /// The address referred to, if there is exactly one.
    pub fn id(&self) -> Option<&Url> {
        match self {
            Self::Id(url) => Some(url),
            Self::List(items) if items.len() == 1 => items[0].id(),
            Self::List(_) => None,
            Self::Object { id } => id.id(),
        }
    }

    /// The address a JSON value refers to, if it is a reference.
    pub fn id_in(value: &Value) -> Option<Url> {
        Self::deserialize(value).ok()?.id().cloned()
    }
}

/// The fields of a JSON object as `T` reads them, each field it reads
/// leniently; anything but an object (a list would be read by position)
/// gives none.
fn fields_of<T: Default + serde::de::DeserializeOwned>(value: &Value) -> T {
    match value {
        Value::Object(_) => T::deserialize(value).unwrap_or_default(),
        _ => T::default(),
    }
}

/// A field's value as given, `null` included: for the fields whose mere
/// presence says something.
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// The id a document names itself by, if it is text.
pub fn document_id(json: &Value) -> Option<&str> {
    json.get("id").and_then(Value::as_str)
}
