//! `Delete`: an actor or one of its objects is gone. An actor deleted on
//! its server stops following anything here; a mirrored entry deleted on
//! its own directory leaves this one.

use url::Url;

use crate::error::InboxError;
use crate::instance::Data;
use crate::mirror;
use crate::objects::remote::RemoteActor;
use crate::protocol::Received;

/// Acts on a verified `Delete`.
pub async fn receive(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    let Some(object) = activity.object_id() else {
        return Ok(());
    };
    if object == actor.id {
        forget(&actor.id, data).await
    } else {
        mirror::remove(data.app_data(), &actor.id, &object).await?;
        Ok(())
    }
}

/// Forgets an actor that no longer exists, and its mirrored profile.
pub async fn forget(actor: &Url, data: &Data) -> Result<(), InboxError> {
    data.store.forget_actor(actor.as_str()).await?;
    tracing::info!(%actor, "actor deleted: its follows end");
    mirror::remove(data.app_data(), actor, actor).await?;
    Ok(())
}
