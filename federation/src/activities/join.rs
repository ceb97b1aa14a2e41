//! `Join`: someone asks to attend an event. Places are booked on the
//! organiser's own booking page (`joinMode: external`), so the answer is
//! `Ignore`, which tells Mobilizon to send the person there.

use super::send_reply;
use crate::error::InboxError;
use crate::instance::Data;
use crate::objects::organisation;
use crate::objects::remote::RemoteActor;
use crate::protocol::{ActivityKind, Received};
use generator::Kind;

/// Acts on a verified `Join`.
pub async fn receive(
    activity: &Received,
    actor: &RemoteActor,
    data: &Data,
) -> Result<(), InboxError> {
    let event = activity
        .object_id()
        .filter(|url| data.is_local(url))
        .and_then(|url| {
            let Some((Kind::Event, slug)) = Kind::entry_at(url.path()) else {
                return None;
            };
            let slug = slug.to_string();
            data.directory().event(&slug).map(|_| slug)
        });
    if event.is_none() {
        return Err(InboxError::refused(
            404,
            "the Join's object is not an event of this site",
        ));
    }
    let from = url::Url::parse(&organisation::id(&data.directory()))
        .map_err(activitypub_federation::error::Error::from)?;
    send_reply(ActivityKind::Ignore, activity, &from, actor, data).await?;
    Ok(())
}
