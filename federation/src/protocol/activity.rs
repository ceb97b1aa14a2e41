//! Activities: the envelope every received one is read into, and the
//! activities this server sends (`Follow`, `Undo`, `Create`, `Update`,
//! `Delete`, `Announce`, and the replies `Accept`, `Reject`, `Ignore`).

use activitypub_federation::protocol::helpers::deserialize_skip_error;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use super::Reference;
use crate::error::Refused;

/// The type of an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActivityKind {
    /// Asks to receive what an actor publishes.
    Follow,
    /// Agrees to a `Follow`.
    Accept,
    /// Refuses a `Follow`.
    Reject,
    /// Takes back an earlier activity.
    Undo,
    /// Publishes a new object.
    Create,
    /// Publishes a changed object.
    Update,
    /// Says an object or actor is gone.
    Delete,
    /// Shares an object (how Mobilizon shows a group's events).
    Announce,
    /// Asks to attend an event.
    Join,
    /// Declines to act on an activity (a `Join`: book elsewhere).
    Ignore,
    /// Any other type, as written: taken in and not acted on.
    #[serde(untagged)]
    Other(String),
}

impl ActivityKind {
    /// The type as ActivityStreams writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Follow => "Follow",
            Self::Accept => "Accept",
            Self::Reject => "Reject",
            Self::Undo => "Undo",
            Self::Create => "Create",
            Self::Update => "Update",
            Self::Delete => "Delete",
            Self::Announce => "Announce",
            Self::Join => "Join",
            Self::Ignore => "Ignore",
            Self::Other(kind) => kind,
        }
    }
}

impl std::fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ActivityKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// An activity as received: what every type shares. Its object stays as
/// sent, for the file of its type to read (an id, or the object itself).
/// Serialised, it is the activity as replies embed it.
#[derive(Debug, Clone, Serialize)]
pub struct Received {
    /// Its id.
    pub id: Url,
    /// `Follow`, `Undo`, …
    #[serde(rename = "type")]
    pub kind: ActivityKind,
    /// Who sent it.
    pub actor: Url,
    /// What it is about: an id, or the object itself.
    pub object: Value,
}

/// The fields of a received activity, each as lenient as can be, so that
/// [`Received::read`] can say which one is wanting.
#[derive(Default, Deserialize)]
struct Envelope {
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    id: Option<String>,
    #[serde(rename = "type", default, deserialize_with = "deserialize_skip_error")]
    kind: Option<ActivityKind>,
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    actor: Option<Reference>,
    #[serde(default)]
    object: Value,
}

impl Received {
    /// Reads an activity, or says why it is not one.
    pub fn read(json: &Value) -> Result<Self, Refused> {
        let shape = |reason: &str| Refused::Shape {
            expected: "activity",
            reason: reason.to_string(),
        };
        let envelope: Envelope = super::fields_of(json);
        let id = envelope.id.ok_or_else(|| shape("it has no `id`"))?;
        let id = Url::parse(&id).map_err(|e| shape(&format!("its id {id} is not a URL: {e}")))?;
        let kind = envelope.kind.ok_or_else(|| shape("it has no `type`"))?;
        let actor = envelope
            .actor
            .as_ref()
            .and_then(Reference::id)
            .cloned()
            .ok_or_else(|| shape("it has no `actor` that is a URL"))?;
        Ok(Self {
            id,
            kind,
            actor,
            object: envelope.object,
        })
    }

    /// The id of its object, given inline or by reference.
    pub fn object_id(&self) -> Option<Url> {
        Reference::id_in(&self.object)
    }

    /// Its object read as an activity, as far as it is one: what is not
    /// given inline is `None`.
    pub fn inner(&self) -> Inner {
        super::fields_of(&self.object)
    }
}

/// An activity given inline as another's object (the `Follow` an `Undo`
/// or an `Accept` is about), each field `None` unless given and readable.
#[derive(Debug, Default, Deserialize)]
pub struct Inner {
    /// Its type.
    #[serde(rename = "type", default, deserialize_with = "deserialize_skip_error")]
    pub kind: Option<ActivityKind>,
    /// Its actor.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub actor: Option<Reference>,
    /// Its object.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub object: Option<Reference>,
}

/// An activity this server sends: `object` is what it is about (an
/// object, an address, or another activity).
#[derive(Debug, Clone, Serialize)]
pub struct Activity<O> {
    /// The JSON-LD context: ActivityStreams, except in an activity
    /// embedded in another.
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    pub context: Option<&'static str>,
    /// Its id.
    pub id: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: ActivityKind,
    /// The local actor that sends it.
    pub actor: String,
    /// When it was made, for what is published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Who it is addressed to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    /// Who it is copied to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<String>,
    /// What it is about.
    pub object: O,
}

impl<O> Activity<O> {
    /// `kind` of `object` by `actor`, addressed to `to`, with the
    /// ActivityStreams context.
    pub fn new(id: String, kind: ActivityKind, actor: String, object: O, to: Vec<String>) -> Self {
        Self {
            context: Some(super::ACTIVITY_STREAMS),
            id,
            kind,
            actor,
            published: None,
            to,
            cc: Vec::new(),
            object,
        }
    }

    /// The same activity as another embeds it: without context or audience.
    pub fn embedded(self) -> Self {
        Self {
            context: None,
            to: Vec::new(),
            cc: Vec::new(),
            ..self
        }
    }
}
