//! The inbox: where other servers deliver activities. Each delivery goes
//! through the same checks, cheapest first, and each refusal is answered
//! with the status that tells the sender whether to try again (4xx: no;
//! 5xx: yes) and a reason for its logs.
//!
//! 1. the body is at most 1 MiB (413), read before anything is parsed,
//!    and arrives in time (408, see `connections`);
//! 2. it is signed (draft-cavage over `date`, `host` and `digest`, or
//!    RFC 9421 over the method, target and `content-digest`), made within
//!    the window, and the body matches its digest (401);
//! 3. it is an activity, on its actor's host, about objects of that host
//!    where it changes them (400, 403);
//! 4. its actor can be fetched (outgoing fetches are signed, and refuse
//!    private addresses; a fetch its server refuses for now is a 502, for
//!    the sender to retry), signed it with its own key (401);
//! 5. it has not been received before: a redelivery is answered 202 and not
//!    acted on again.

use std::time::SystemTime;

use activitypub_federation::config::FederationConfig;
use activitypub_federation::error::Error as ProtocolError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::activities::{self, delete};
use crate::connections::BodyTimedOut;
use crate::error::InboxError;
use crate::instance::{Data, Instance};
use crate::objects::remote::RemoteActor;
use crate::protocol::{ActivityKind, BODY_LIMIT, Received};
use crate::signature::{self, Signature};
use crate::store::RemoteActorRow;

/// A kept actor younger than this is not fetched again when a signature
/// fails to verify with its key (the key may have changed since).
const KEY_REFRESH_SECONDS: i64 = 300;

/// Handles a POST to an inbox: the site's, a profile's or the shared one.
pub async fn post(State(config): State<FederationConfig<Instance>>, request: Request) -> Response {
    let data = config.to_request_data();
    let (activity, actor, to_keep) = match checked(request, &data).await {
        Ok(Some(checked)) => checked,
        Ok(None) => return StatusCode::ACCEPTED.into_response(),
        Err(error) => return refusal(&error),
    };
    // Acted on in a task of its own: a sender that stops waiting (timing
    // out while this server is busy) drops this request, and with it
    // anything it awaits. Cut off between the receipt recorded and the act,
    // the act would be lost, and the sender's retry taken as done.
    let acting =
        tokio::spawn(
            async move { act(&activity, &actor, to_keep, &config.to_request_data()).await },
        );
    match acting.await {
        Ok(Ok(())) => StatusCode::ACCEPTED.into_response(),
        Ok(Err(error)) => refusal(&error),
        Err(error) => refusal(&InboxError::Server(crate::FederationError::Task(
            error.to_string(),
        ))),
    }
}

/// Refuses a delivery addressed to another server: its signature covers the
/// `Host` it was sent to, so one meant for another server and replayed here
/// would otherwise verify.
fn addressed_here(parts: &axum::http::request::Parts, host: &str) -> Result<(), InboxError> {
    let to = parts
        .headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| parts.uri.authority().map(|a| a.as_str()))
        .unwrap_or_default();
    if to.eq_ignore_ascii_case(host) {
        Ok(())
    } else {
        Err(InboxError::refused(
            401,
            format!("the delivery is addressed to {to}, not to this server ({host})"),
        ))
    }
}

/// Acts on a checked activity once, however often it is delivered; keeps
/// its actor, if fetched now, with its receipt.
async fn act(
    activity: &Received,
    actor: &RemoteActor,
    to_keep: Option<RemoteActorRow>,
    data: &Data,
) -> Result<(), InboxError> {
    if !data
        .store
        .first_receipt(activity.id.as_str(), to_keep.as_ref())
        .await?
    {
        tracing::info!(id = %activity.id, "received again: not acted on twice");
        return Ok(());
    }
    if let Err(error) = activities::receive(activity, actor, data).await {
        // Taken back, so that a retry after a passing failure is acted on.
        data.store.forget_receipt(activity.id.as_str()).await?;
        return Err(error);
    }
    Ok(())
}

/// A delivery checked: the activity, its verified signer, and the signer's
/// row if it was fetched now and is still to be kept.
type Checked = (Received, RemoteActor, Option<RemoteActorRow>);

/// Checks one delivery: the activity and its verified signer, to act on;
/// none if it was dealt with already (an actor's own deletion).
async fn checked(request: Request, data: &Data) -> Result<Option<Checked>, InboxError> {
    let (parts, body) = request.into_parts();
    let body = read_body(&parts.headers, body).await?;
    addressed_here(&parts, &data.host)?;
    let origin = format!(
        "{}://{}",
        data.directory().site.base_url.scheme(),
        data.host
    );
    let request = signature::Request {
        method: &parts.method,
        uri: &parts.uri,
        headers: &parts.headers,
        origin: &origin,
    };
    let signature = Signature::read(&request, SystemTime::now())?;
    signature.check_body(&parts.headers, &body)?;

    let json: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|e| InboxError::refused(400, format!("the body is not JSON: {e}")))?;
    let activity =
        Received::read(&json).map_err(|refused| InboxError::refused(400, refused.to_string()))?;
    activities::check(&activity, signature.key_id(), data)?;

    let found = match RemoteActor::find(&activity.actor, data).await {
        Ok(found) => found,
        // An actor deleted on its server announces it, and its document is
        // gone: that it is gone (404 or 410 from its own host) is the proof.
        Err(InboxError::ActorGone(_))
            if activity.kind == ActivityKind::Delete
                && activity.object_id().as_ref() == Some(&activity.actor) =>
        {
            return delete::forget(&activity.actor, data).await.map(|()| None);
        }
        Err(error) => return Err(error),
    };
    let (actor, to_keep) = found.into_parts();
    match verified_signer(&signature, actor, data).await {
        Ok(actor) => Ok(Some((activity, actor, to_keep))),
        Err(error) => {
            // Kept all the same: forged deliveries naming a real actor
            // must not each cost a fetch.
            if let Some(row) = &to_keep {
                data.store.put_remote_actor(row).await?;
            }
            Err(error)
        }
    }
}

/// The body, if it is at most [`BODY_LIMIT`]: refused on its declared
/// length when it has one, or as soon as more arrives.
async fn read_body(headers: &axum::http::HeaderMap, body: Body) -> Result<Vec<u8>, InboxError> {
    let too_large =
        || InboxError::refused(413, format!("an activity is at most {} bytes", BODY_LIMIT));
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > BODY_LIMIT as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map(|bytes| bytes.to_vec())
        .map_err(|error| {
            if BodyTimedOut::caused(&error) {
                InboxError::refused(408, error.to_string())
            } else {
                too_large()
            }
        })
}

/// The actor, once the signature is shown to be made with its key. A
/// signature that fails with a kept key is tried once more with the
/// actor's current document: keys change.
async fn verified_signer(
    signature: &Signature,
    actor: RemoteActor,
    data: &Data,
) -> Result<RemoteActor, InboxError> {
    let signed_by = |actor: &RemoteActor| -> Result<bool, InboxError> {
        if signature.key_id() != actor.key_id {
            return Err(InboxError::refused(
                401,
                format!(
                    "the request is signed with the key {}, but {}'s key is {}",
                    signature.key_id(),
                    actor.id,
                    actor.key_id
                ),
            ));
        }
        Ok(signature.verify(&actor.public_key_pem))
    };
    let age = jiff::Timestamp::now().as_second() - actor.fetched_at;
    match signed_by(&actor) {
        Ok(true) => return Ok(actor),
        // A key kept a short while is trusted as it is: no fetch per
        // forged request.
        Err(error) if age <= KEY_REFRESH_SECONDS => return Err(error),
        Ok(false) if age <= KEY_REFRESH_SECONDS => {}
        _ => {
            let fresh = RemoteActor::fetch(&actor.id, data).await?;
            if signed_by(&fresh)? {
                return Ok(fresh);
            }
        }
    }
    Err(InboxError::refused(
        401,
        format!(
            "the signature does not match the body and headers with {}'s key",
            actor.id
        ),
    ))
}

/// The answer to a refused delivery.
fn refusal(error: &InboxError) -> Response {
    let (status, reason) = match error {
        InboxError::Refused { status, reason } => (
            StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_REQUEST),
            reason.clone(),
        ),
        InboxError::Server(error) => {
            tracing::error!(%error, "cannot take an activity in");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the server cannot take activities in now: try again later".to_string(),
            )
        }
        InboxError::Protocol(error) => protocol_refusal(error),
        InboxError::ActorGone(actor) => (
            StatusCode::BAD_REQUEST,
            format!("the actor {actor} is gone from its server (404 or 410)"),
        ),
    };
    if status.is_server_error() {
        tracing::warn!(%status, reason, "delivery not taken in");
    } else {
        tracing::info!(%status, reason, "delivery refused");
    }
    (status, reason).into_response()
}

/// The answer when fetching what an activity names failed.
fn protocol_refusal(error: &ProtocolError) -> (StatusCode, String) {
    let refused = |reason: String| (StatusCode::BAD_REQUEST, reason);
    match error {
        ProtocolError::UrlVerificationError(why) => {
            refused(format!("an address in the activity is refused: {why}"))
        }
        ProtocolError::DomainResolveError(host)
        | ProtocolError::ResolveInternalIpError(host, _) => refused(format!(
            "{host} resolves to a loopback, private or otherwise internal address: fetching from it is refused"
        )),
        ProtocolError::ResponseBodyLimit => refused(format!(
            "a document the activity names is larger than {BODY_LIMIT} bytes: it was not read"
        )),
        ProtocolError::RequestLimit => {
            refused("the activity names too many documents to fetch".to_string())
        }
        ProtocolError::ObjectDeleted(url) => refused(format!("{url} is gone (410)")),
        ProtocolError::NotFound => refused("the actor cannot be found".to_string()),
        ProtocolError::ParseFetchedObject(reason, url, _) => refused(format!(
            "{url} is not an actor this server can read: {reason}"
        )),
        ProtocolError::FetchWrongId(url) => {
            refused(format!("{url} serves a document with another id"))
        }
        ProtocolError::FetchInvalidContentType(url) => refused(format!(
            "{url} is not served as ActivityPub JSON (application/activity+json)"
        )),
        other => {
            let reason = crate::error::chain(other);
            // The resolver's refusal surfaces inside the HTTP client's error.
            if reason.contains("internal IP") {
                refused(format!("an address in the activity is refused: {reason}"))
            } else {
                (
                    StatusCode::BAD_GATEWAY,
                    format!("the actor could not be fetched: {reason}"),
                )
            }
        }
    }
}
