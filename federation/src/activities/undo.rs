//! `Undo`: an actor takes back one of its activities. Only an undone
//! `Follow` changes anything here: the follower stops receiving.

use super::{Received, reference};
use crate::error::InboxError;
use crate::instance::Data;
use crate::objects::remote::RemoteActor;

/// Acts on a verified `Undo`.
pub async fn receive(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    let undone = &activity.object;
    let removed = match undone.get("type").and_then(|t| t.as_str()) {
        Some("Follow") => {
            if undone.get("actor").and_then(reference).as_ref() != Some(&actor.id) {
                return Err(InboxError::refused(
                    403,
                    format!("{} cannot undo another actor's Follow", actor.id),
                ));
            }
            match undone
                .get("object")
                .and_then(reference)
                .and_then(|u| data.local_actor(&u))
            {
                Some(followed) => {
                    data.store
                        .remove_follower(&followed, actor.id.as_str())
                        .await?
                }
                None => false,
            }
        }
        // Undone by id alone: only a follow of its own can match.
        None => match activity.object_id() {
            Some(id) => {
                data.store
                    .remove_follow(actor.id.as_str(), id.as_str())
                    .await?
            }
            None => false,
        },
        Some(_) => false,
    };
    if removed {
        tracing::info!(follower = %actor.id, "follow ended");
    }
    Ok(())
}
