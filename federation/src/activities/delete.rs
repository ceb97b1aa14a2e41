//! `Delete`: an actor or one of its objects is gone. An actor deleted on
//! its server stops following anything here.

use super::Received;
use crate::error::InboxError;
use crate::instance::Data;
use crate::objects::remote::RemoteActor;

/// Acts on a verified `Delete`.
pub async fn receive(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    if activity.object_id().as_ref() == Some(&actor.id) {
        forget(actor.id.as_str(), data).await?;
    }
    Ok(())
}

/// Forgets an actor that no longer exists.
pub async fn forget(actor: &str, data: &Data) -> Result<(), InboxError> {
    data.store.forget_actor(actor).await?;
    tracing::info!(actor, "actor deleted: its follows end");
    Ok(())
}
