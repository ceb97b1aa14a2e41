//! `Create`: a followed directory published a new entry, which is
//! mirrored. From anyone else, it changes nothing.

use crate::error::InboxError;
use crate::instance::Data;
use crate::mirror;
use crate::objects::remote::RemoteActor;
use crate::protocol::Received;

/// Acts on a verified `Create`.
pub async fn receive(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    mirror::receive(data.app_data(), &actor.id, &activity.object).await?;
    Ok(())
}
