//! `Accept` and `Reject`: a directory this site asked to follow answered.
//! Once accepted, its entries are mirrored.

use super::{Received, reference};
use crate::error::InboxError;
use crate::instance::Data;
use crate::mirror;
use crate::objects::remote::RemoteActor;

/// Acts on a verified `Accept`.
pub async fn accept(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    if !answers_follow(activity) {
        return Ok(());
    }
    mirror::accepted(data.app_data(), &actor.id, activity.object_id()).await?;
    Ok(())
}

/// Acts on a verified `Reject`.
pub async fn reject(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    if !answers_follow(activity) {
        return Ok(());
    }
    mirror::rejected(data.app_data(), &actor.id).await?;
    Ok(())
}

/// Whether the answer is about a Follow: embedded, or named by an id (as
/// some servers send it), which only a Follow of this site can carry.
fn answers_follow(activity: &Received) -> bool {
    match activity.object.get("type").and_then(|t| t.as_str()) {
        Some(kind) => kind == "Follow",
        None => reference(&activity.object).is_some(),
    }
}
