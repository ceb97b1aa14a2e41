//! `Update`: an actor or an entry changed. An actor's own new document
//! replaces the one kept (a new key or inbox takes effect at once); an
//! entry of a followed directory (a profile is both) is mirrored again.

use crate::error::InboxError;
use crate::instance::Data;
use crate::mirror;
use crate::objects::remote::RemoteActor;
use crate::protocol::{Received, RemoteActorDocument};

/// Acts on a verified `Update`.
pub async fn receive(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    if activity.object_id().as_ref() == Some(&actor.id) {
        let document = RemoteActorDocument::read(&activity.object)
            .map_err(|refused| InboxError::refused(400, refused.to_string()))?;
        RemoteActor::keep(document, data).await?;
        tracing::info!(actor = %actor.id, "actor updated");
    }
    mirror::receive(data.app_data(), &actor.id, &activity.object).await?;
    Ok(())
}
