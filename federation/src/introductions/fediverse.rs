//! Introductions as direct messages on the fediverse: to each member of a
//! group whose profile gives a handle (`@name@server`), a `Note` from the
//! site's `Organization`, addressed to them alone and mentioning them, so
//! that their server shows it to them as a private mention.
//!
//! The handle is found with WebFinger, its actor read (signed, as servers
//! that require signed fetches want), and the `Create` delivered to the
//! actor's own inbox at once, signed by the site. What reached whom is
//! recorded as for email: a server that answers 2xx took it; 4xx refuses
//! it for good (until the handle changes); anything else, or no answer,
//! is tried again by the next run.

use std::sync::Arc;

use generator::content::{Directory, Site};
use generator::matching::introductions::{self, Group, Member, Round};
use serde_json::{Value, json};
use url::Url;

use super::{IntroduceError, Outcome, Reached, Report, recorded};
use crate::error::FederationError;
use crate::objects::{application, organisation};
use crate::outgoing::{Fetched, Outgoing};
use crate::protocol::{Activity, ActivityKind, RemoteActorDocument};
use crate::signature::Signer;
use crate::store::{Channel, IntroductionRow, Status, Store};

/// What sending Notes needs: requests signed by this site.
pub struct Notes {
    outgoing: Outgoing,
    /// The site's `Organization`, which sends them.
    actor: String,
    signer: Arc<Signer>,
}

impl Notes {
    /// Requests for the site of `directory`, with its keys in `store` (made
    /// there if the server has not yet), to https servers only unless
    /// `insecure_local`.
    pub async fn new(
        directory: &Directory,
        store: &Store,
        insecure_local: bool,
    ) -> Result<Self, FederationError> {
        let fetcher_keys = store.keys(&application::id(directory)).await?;
        let fetcher = Signer::new(application::key_id(directory), &fetcher_keys.private_pem)?;
        let outgoing = Outgoing::new(insecure_local, fetcher, Some(store.clone())).await?;
        let actor = organisation::id(directory);
        let keys = store.keys(&actor).await?;
        let signer = outgoing.signer(&format!("{actor}#main-key"), &keys.private_pem)?;
        Ok(Self {
            outgoing,
            actor,
            signer,
        })
    }

    /// The actor and inbox of the account `handle` (`@name@server`).
    async fn resolve(&self, handle: &str) -> Result<(Url, Url), Outcome> {
        let actor = self
            .outgoing
            .webfinger(handle)
            .await
            .map_err(|e| outcome_of(&e))?;
        match self.outgoing.fetch_document(&actor).await {
            Ok(Fetched::Document(document)) => {
                let read = RemoteActorDocument::read(&document)
                    .map_err(|refused| Outcome::Refused(format!("{actor}: {refused}")))?;
                Ok((read.id, read.inbox))
            }
            Ok(Fetched::Gone) => Err(Outcome::Refused(format!("{actor} is gone"))),
            Err(error) => Err(outcome_of(&error)),
        }
    }
}

/// How a failed request counts: for good if the server said no, else to
/// try again.
fn outcome_of(error: &FederationError) -> Outcome {
    match error {
        FederationError::FetchRefused { status, .. }
            if (400..500).contains(status) && !matches!(status, 408 | 429) =>
        {
            Outcome::Refused(error.to_string())
        }
        FederationError::AddressRefused { .. } | FederationError::Fetch { .. } => {
            Outcome::Refused(error.to_string())
        }
        _ => Outcome::Failed(error.to_string()),
    }
}

/// The `Create` of the introduction of `group` to `to`, whose actor is
/// `actor`, sent by `from`.
fn create(
    site: &Site,
    round: &Round<'_>,
    group: &Group<'_>,
    to: &Member<'_>,
    actor: &Url,
    from: &str,
) -> Activity<Value> {
    // The same on every run: a server that took it once knows it again.
    let which = generator::fingerprint::of((
        round.programme.as_deref(),
        round.month.to_string(),
        &group.key,
        &to.id,
    ));
    let id = format!("{from}#introduction/{which:016x}");
    let note = json!({
        "type": "Note",
        "id": format!("{id}/note"),
        "attributedTo": from,
        "to": [actor.as_str()],
        "cc": [],
        "content": introductions::note(site, round, group, to, actor.as_str()),
        "tag": [{
            "type": "Mention",
            "href": actor.as_str(),
            "name": to.fediverse().unwrap_or_default(),
        }],
        "published": crate::objects::dates::xsd(jiff::Timestamp::now()),
    });
    Activity::new(
        id,
        ActivityKind::Create,
        from.to_string(),
        note,
        vec![actor.to_string()],
    )
}

/// Sends the introductions of `round` as direct messages that no earlier
/// run sent, recording each in `store`.
pub async fn send_notes(
    site: &Site,
    round: &Round<'_>,
    notes: &Notes,
    store: &Store,
) -> Result<Report, IntroduceError> {
    let mut recorded = recorded(store, round).await?;
    let mut report = Report::default();
    for group in &round.groups {
        for member in &group.members {
            let Some(handle) = member.fediverse() else {
                continue;
            };
            let reached = |outcome| Reached {
                group: group.key.clone(),
                recipient: member.id.clone(),
                name: member.name().to_string(),
                channel: Channel::Fediverse,
                address: Some(handle.to_string()),
                outcome,
            };
            let before =
                recorded.remove(&(group.key.clone(), member.id.clone(), Channel::Fediverse));
            match &before {
                Some(row) if row.status == Status::Sent => {
                    report.reached.push(reached(Outcome::SentBefore));
                    continue;
                }
                Some(row) if row.status == Status::Refused && row.address == handle => {
                    let detail = row.detail.clone().unwrap_or_default();
                    report.reached.push(reached(Outcome::RefusedBefore(detail)));
                    continue;
                }
                _ => {}
            }
            let outcome = match notes.resolve(handle).await {
                Err(outcome) => outcome,
                Ok((actor, inbox)) => {
                    let activity = create(site, round, group, member, &actor, &notes.actor);
                    let body = serde_json::to_vec(&activity).unwrap_or_default();
                    match notes.outgoing.deliver(&notes.signer, &inbox, &body).await {
                        Ok(status) if status.is_success() => Outcome::Sent,
                        Ok(status)
                            if status.is_client_error()
                                && !matches!(status.as_u16(), 408 | 429) =>
                        {
                            Outcome::Refused(format!("{inbox} answered {status}"))
                        }
                        Ok(status) => Outcome::Failed(format!("{inbox} answered {status}")),
                        Err(error) => Outcome::Failed(error.to_string()),
                    }
                }
            };
            let (status, detail) = match &outcome {
                Outcome::Sent => (Status::Sent, None),
                Outcome::Refused(detail) => (Status::Refused, Some(detail.clone())),
                other => (Status::Failed, Some(format!("{other:?}"))),
            };
            store
                .record_introduction(&IntroductionRow {
                    programme: round.programme.clone().unwrap_or_default(),
                    month: round.month.to_string(),
                    group_key: group.key.clone(),
                    recipient: member.id.clone(),
                    channel: Channel::Fediverse,
                    address: handle.to_string(),
                    status,
                    detail,
                    attempts: before.map_or(0, |row| row.attempts) + 1,
                })
                .await?;
            report.reached.push(reached(outcome));
        }
    }
    Ok(report)
}
