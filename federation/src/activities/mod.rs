//! Activities: what arrives in an inbox (one file a kind acted on) and the
//! replies sent back. (What this site publishes is made in `publish`.)
//!
//! Every activity is read into one envelope, [`Received`], checked the same
//! way whatever its kind, and then handed to the file of its kind. Kinds
//! this server does not act on are taken in and left: a directory is not a
//! microblog, and likes or replies have nowhere to go.

pub mod accept;
pub mod create;
pub mod delete;
pub mod follow;
pub mod join;
pub mod undo;
pub mod update;

use activitypub_federation::traits::Actor as _;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use url::Url;

use crate::error::InboxError;
use crate::instance::{Data, authority};
use crate::objects::Refused;
use crate::objects::local::LocalActor;
use crate::objects::remote::RemoteActor;

/// Kinds whose object must live on their actor's host: only the server an
/// object lives on may create, change, delete or take back its own things.
const OWN_OBJECT_KINDS: &[&str] = &["Create", "Update", "Delete", "Undo"];

/// An activity as received: what every kind shares.
#[derive(Debug, Clone)]
pub struct Received {
    /// Its id.
    pub id: Url,
    /// `Follow`, `Undo`, …
    pub kind: String,
    /// Who sent it.
    pub actor: Url,
    /// What it is about: an id, or the object itself.
    pub object: Value,
}

impl Received {
    /// Reads an activity, or says why it is not one.
    pub fn read(json: &Value) -> Result<Self, Refused> {
        let shape = |reason: &str| Refused::Shape {
            expected: "activity",
            reason: reason.to_string(),
        };
        let id = json
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| shape("it has no `id`"))?;
        let id = Url::parse(id).map_err(|e| shape(&format!("its id {id} is not a URL: {e}")))?;
        let kind = json
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| shape("it has no `type`"))?
            .to_string();
        let actor = json
            .get("actor")
            .and_then(reference)
            .ok_or_else(|| shape("it has no `actor` that is a URL"))?;
        Ok(Self {
            id,
            kind,
            actor,
            object: json.get("object").cloned().unwrap_or(Value::Null),
        })
    }

    /// The id of its object, given inline or by reference.
    pub fn object_id(&self) -> Option<Url> {
        reference(&self.object)
    }

    /// The activity is on its actor's host (port included): no server
    /// makes activities for another's actors.
    pub fn check_id_host(&self) -> Result<(), InboxError> {
        if authority(&self.id) != authority(&self.actor) {
            return Err(InboxError::refused(
                400,
                format!(
                    "the activity {} is on another host than its actor {}",
                    self.id, self.actor
                ),
            ));
        }
        Ok(())
    }

    /// The object of a `Create`, `Update`, `Delete` or `Undo` is on its
    /// actor's host (port included): only the server an object lives on
    /// may make, change, delete or take it back.
    pub fn check_object_host(&self) -> Result<(), InboxError> {
        if OWN_OBJECT_KINDS.contains(&self.kind.as_str())
            && let Some(object) = self.object_id()
            && authority(&object) != authority(&self.actor)
        {
            return Err(InboxError::refused(
                403,
                format!(
                    "a {} by {} names {}, which is on another host: only its own server may {} it",
                    self.kind,
                    self.actor,
                    object,
                    self.kind.to_lowercase()
                ),
            ));
        }
        Ok(())
    }

    /// The activity as replies embed it.
    fn embedded(&self) -> Value {
        json!({
            "id": self.id,
            "type": self.kind,
            "actor": self.actor,
            "object": self.object,
        })
    }
}

/// The id in a reference: a URL, an object with an `id`, or a list of one.
pub fn reference(value: &Value) -> Option<Url> {
    match value {
        Value::String(id) => Url::parse(id).ok(),
        Value::Object(object) => object.get("id").and_then(reference),
        Value::Array(items) if items.len() == 1 => reference(&items[0]),
        _ => None,
    }
}

/// Acts on an activity whose sender has been verified.
pub async fn receive(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    match activity.kind.as_str() {
        "Follow" => follow::receive(activity, actor, data).await,
        "Accept" => accept::accept(activity, actor, data).await,
        "Reject" => accept::reject(activity, actor, data).await,
        "Create" => create::receive(activity, actor, data).await,
        "Undo" => undo::receive(activity, actor, data).await,
        "Join" => join::receive(activity, actor, data).await,
        "Update" => update::receive(activity, actor, data).await,
        "Delete" => delete::receive(activity, actor, data).await,
        kind => {
            tracing::debug!(kind, id = %activity.id, "taken in, not acted on");
            Ok(())
        }
    }
}

/// A reply to a received activity: `Accept`, `Reject` or `Ignore`, with
/// the activity embedded so that the sender knows which it answers.
#[derive(Debug, Serialize)]
pub struct Reply {
    #[serde(rename = "@context")]
    context: &'static str,
    id: Url,
    #[serde(rename = "type")]
    kind: &'static str,
    actor: Url,
    object: Value,
    to: [Url; 1],
}

impl Reply {
    /// `kind` of `activity`, sent by `from`. Its id is made from the
    /// activity's, so a reply made twice is the same reply.
    pub fn new(kind: &'static str, from: &LocalActor, activity: &Received) -> Self {
        let digest = Sha256::digest(activity.id.as_str().as_bytes());
        let short: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        let mut id = from.id.clone();
        id.set_fragment(Some(&format!("{}/{short}", kind.to_lowercase())));
        Self {
            context: "https://www.w3.org/ns/activitystreams",
            id,
            kind,
            actor: from.id.clone(),
            object: activity.embedded(),
            to: [activity.actor.clone()],
        }
    }
}

/// Queues `reply` from `from` for `to`'s own inbox: it is delivered, signed,
/// once the inbox has answered the sender, and retried until it arrives.
pub async fn send(
    reply: Reply,
    from: &LocalActor,
    to: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    let json = serde_json::to_value(&reply)
        .map_err(|e| InboxError::refused(500, format!("a reply cannot be written: {e}")))?;
    crate::delivery::queue(data, &reply.id, from.id.as_str(), &json, &[to.inbox()]).await?;
    tracing::info!(kind = reply.kind, id = %reply.id, "reply queued");
    Ok(())
}
