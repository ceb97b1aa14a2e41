//! `Follow`: another server asks to receive what one of this site's actors
//! publishes. Accepted when the follower's host is in `[federation] allow`,
//! rejected otherwise; either way the answer is a signed reply carrying
//! the Follow.

use super::send_reply;
use crate::error::InboxError;
use crate::instance::Data;
use crate::objects::local_actor_id;
use crate::objects::remote::RemoteActor;
use crate::protocol::{ActivityKind, Received};

/// Acts on a verified `Follow`.
pub async fn receive(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    let followed = activity
        .object_id()
        .and_then(|url| local_actor_id(data, &url))
        .ok_or_else(|| {
            InboxError::refused(
                404,
                format!(
                    "{} is not an actor of this site: only the site and its public profiles can be followed",
                    activity.object_id().map_or_else(|| "the Follow's object".to_string(), |u| u.to_string())
                ),
            )
        })?;
    let from = url::Url::parse(&followed).map_err(activitypub_federation::error::Error::from)?;
    if data.allows(&actor.id) {
        data.store
            .add_follower(
                &followed,
                actor.id.as_str(),
                actor.shared_inbox_or_inbox().as_str(),
                activity.id.as_str(),
            )
            .await?;
        tracing::info!(follower = %actor.id, %followed, "follow accepted");
        send_reply(ActivityKind::Accept, activity, &from, actor, data).await?;
    } else {
        tracing::info!(follower = %actor.id, %followed, "follow rejected: the host is not in [federation] allow");
        send_reply(ActivityKind::Reject, activity, &from, actor, data).await?;
    }
    Ok(())
}
