//! `Reject`: a directory this site asked to follow refused. Nothing of it
//! is mirrored until its editors allow this site.

use crate::error::InboxError;
use crate::instance::Data;
use crate::mirror;
use crate::objects::remote::RemoteActor;
use crate::protocol::Received;

/// Acts on a verified `Reject`.
pub async fn receive(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    if !super::answers_follow(activity) {
        return Ok(());
    }
    mirror::rejected(data.app_data(), &actor.id).await?;
    Ok(())
}
