//! `Update`: an actor changed. An actor's own new document replaces the one
//! kept (a new key or inbox takes effect at once).

use super::Received;
use crate::error::InboxError;
use crate::instance::Data;
use crate::objects::remote::{RemoteActor, RemoteActorDocument};

/// Acts on a verified `Update`.
pub async fn receive(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    if activity.object_id().as_ref() != Some(&actor.id) {
        // Entries of followed directories are mirrored by the follower side.
        return Ok(());
    }
    let document = RemoteActorDocument::read(&activity.object)
        .map_err(|refused| InboxError::refused(400, refused.to_string()))?;
    RemoteActor::keep(document, data).await?;
    tracing::info!(actor = %actor.id, "actor updated");
    Ok(())
}
