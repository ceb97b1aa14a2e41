//! `Accept`: a directory this site asked to follow agreed. From then on its
//! entries are mirrored.

use crate::error::InboxError;
use crate::instance::Data;
use crate::mirror;
use crate::objects::remote::RemoteActor;
use crate::protocol::Received;

/// Acts on a verified `Accept`.
pub async fn receive(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    if !super::answers_follow(activity) {
        return Ok(());
    }
    mirror::accepted(data.app_data(), &actor.id, activity.object_id()).await?;
    Ok(())
}
