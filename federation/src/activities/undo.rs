//! `Undo`: an actor takes back one of its activities. Only an undone
//! `Follow` changes anything here: the follower stops receiving.

use crate::error::InboxError;
use crate::instance::Data;
use crate::objects::local_actor_id;
use crate::objects::remote::RemoteActor;
use crate::protocol::{ActivityKind, Received, Reference};

/// Acts on a verified `Undo`.
pub async fn receive(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    let undone = activity.inner();
    let removed = match undone.kind {
        Some(ActivityKind::Follow) => {
            if undone.actor.as_ref().and_then(Reference::id) != Some(&actor.id) {
                return Err(InboxError::refused(
                    403,
                    format!("{} cannot undo another actor's Follow", actor.id),
                ));
            }
            match undone
                .object
                .as_ref()
                .and_then(Reference::id)
                .and_then(|u| local_actor_id(data, u))
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
