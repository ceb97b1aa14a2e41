//! Activities: what arrives in an inbox (one file a type acted on) and the
//! replies sent back. (What this site publishes is made in `publish`, the
//! follows it sends in `mirror`.)
//!
//! Every activity is read into one envelope, [`Received`], checked the same
//! way whatever its type ([`check`]), and then handed to the file of its
//! type. Types this server does not act on are taken in and left: a
//! directory is not a microblog, and likes or replies have nowhere to go.

mod accept;
mod create;
pub mod delete;
mod follow;
mod join;
mod reject;
mod undo;
mod update;

use sha2::{Digest, Sha256};
use url::Url;

use crate::address::authority;
use crate::error::InboxError;
use crate::instance::Data;
use crate::objects::remote::RemoteActor;
use crate::protocol::{Activity, ActivityKind, Received};

/// Checks what every received activity must meet, whatever its type,
/// before its actor is fetched: it is its actor's, about its actor's own
/// objects where it changes them, from outside this site, and signed
/// (with the key `key_id`) on its actor's host.
pub fn check(activity: &Received, key_id: &str, data: &Data) -> Result<(), InboxError> {
    activity.check_id_host()?;
    activity.check_object_host()?;
    if data.is_local(&activity.actor) {
        return Err(InboxError::refused(
            400,
            format!(
                "{} is this site's own address: it cannot deliver from outside",
                activity.actor
            ),
        ));
    }
    let key_host = Url::parse(key_id).ok();
    if key_host.as_ref().and_then(authority) != authority(&activity.actor) {
        return Err(InboxError::refused(
            401,
            format!(
                "the request is signed with the key {key_id}, which is not on the actor {}'s host",
                activity.actor
            ),
        ));
    }
    Ok(())
}

// The rules an activity meets are behaviour, so they are here rather than
// beside the type in `protocol`.
impl Received {
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
        let own_object = matches!(
            self.kind,
            ActivityKind::Create | ActivityKind::Update | ActivityKind::Delete | ActivityKind::Undo
        );
        if own_object
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
                    self.kind.as_str().to_lowercase()
                ),
            ));
        }
        Ok(())
    }
}

/// Acts on an activity whose sender has been verified.
pub async fn receive(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    match &activity.kind {
        ActivityKind::Follow => follow::receive(activity, actor, data).await,
        ActivityKind::Accept => accept::receive(activity, actor, data).await,
        ActivityKind::Reject => reject::receive(activity, actor, data).await,
        ActivityKind::Create => create::receive(activity, actor, data).await,
        ActivityKind::Undo => undo::receive(activity, actor, data).await,
        ActivityKind::Join => join::receive(activity, actor, data).await,
        ActivityKind::Update => update::receive(activity, actor, data).await,
        ActivityKind::Delete => delete::receive(activity, actor, data).await,
        ActivityKind::Announce | ActivityKind::Ignore | ActivityKind::Other(_) => {
            tracing::debug!(kind = %activity.kind, id = %activity.id, "taken in, not acted on");
            Ok(())
        }
    }
}

/// Whether an `Accept` or `Reject` is about a Follow: embedded, or named
/// by an id (as some servers send it), which only a Follow of this site
/// can carry.
fn answers_follow(activity: &Received) -> bool {
    match activity.inner().kind {
        Some(kind) => kind == ActivityKind::Follow,
        None => activity.object_id().is_some(),
    }
}

/// A reply to `activity` (`Accept`, `Reject` or `Ignore`) from `from`,
/// with the activity embedded so that the sender knows which it answers.
/// Its id is made from the activity's, so a reply made twice is the same
/// reply.
fn reply(kind: ActivityKind, from: &Url, activity: &Received) -> Activity<Received> {
    let digest = Sha256::digest(activity.id.as_str().as_bytes());
    let short: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let mut id = from.clone();
    id.set_fragment(Some(&format!("{}/{short}", kind.as_str().to_lowercase())));
    Activity::new(
        id.to_string(),
        kind,
        from.to_string(),
        activity.clone(),
        vec![activity.actor.to_string()],
    )
}

/// Queues `kind` of `activity` from `from` for `to`'s own inbox: it is
/// delivered, signed, once the inbox has answered the sender, and retried
/// until it arrives.
async fn send_reply(
    kind: ActivityKind,
    activity: &Received,
    from: &Url,
    to: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    let reply = reply(kind, from, activity);
    crate::delivery::queue(data, &reply, std::slice::from_ref(&to.inbox)).await?;
    tracing::info!(kind = %reply.kind, id = %reply.id, "reply queued");
    Ok(())
}
