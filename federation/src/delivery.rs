//! Delivery: the durable outbox. Every activity sent is first written to
//! the database, one row per inbox, and a worker sends what is due, signed
//! by its actor (draft-cavage, or RFC 9421 where a host takes only that:
//! [`Outgoing`](crate::outgoing::Outgoing)). The federation crate's own
//! queue lives in memory and is lost on a restart; this one is not.
//!
//! A delivery that fails (5xx, 408, 429, a timeout, a refused connection)
//! is tried again after a delay that doubles each time, up to a day; one
//! refused with another 4xx is dropped, as the receiver will never take it.
//! A host that keeps failing is waited on as a whole, so a dead server does
//! not hold up the queue.

use std::sync::Arc;
use std::time::Duration;

use activitypub_federation::config::FederationConfig;
use serde::Serialize;
use tokio::sync::Notify;
use url::Url;

use crate::address::authority;
use crate::error::FederationError;
use crate::instance::{Data, Instance};
use crate::protocol::Activity;
use crate::store::{PendingDelivery, Queued};

/// How many times a delivery is tried before it is given up on: with the
/// default first delay of a minute, about a week.
pub const MAX_ATTEMPTS: i32 = 16;
/// The longest wait between two tries.
const LONGEST_WAIT: i64 = 24 * 60 * 60;
/// A host's deliveries are waited on as a whole after this many failures
/// in a row.
const HOST_FAILURES_TOLERATED: i64 = 3;
/// How many deliveries are under way at once.
const AT_ONCE: i64 = 8;

/// When failed deliveries are tried again.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// The wait after the first failure; each further failure doubles it.
    pub first: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            first: Duration::from_secs(60),
        }
    }
}

impl Backoff {
    /// Seconds to wait after the `failures`th failure in a row.
    pub fn wait(&self, failures: i64) -> i64 {
        let first = i64::try_from(self.first.as_secs()).unwrap_or(LONGEST_WAIT);
        let doublings = u32::try_from(failures.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        first
            .max(1)
            .saturating_mul(1_i64 << doublings)
            .min(LONGEST_WAIT)
    }

    /// Seconds a host waits after its `failures`th failure in a row.
    fn host_wait(&self, failures: i64) -> i64 {
        if failures < HOST_FAILURES_TOLERATED {
            0
        } else {
            self.wait(failures - HOST_FAILURES_TOLERATED + 1)
        }
    }
}

/// Queues `activity` (signed, when sent, by its actor, one of this
/// site's) for each of `inboxes` other than this site's own, and wakes the
/// worker.
pub async fn queue<O: Serialize>(
    instance: &Instance,
    activity: &Activity<O>,
    inboxes: &[Url],
) -> Result<(), FederationError> {
    instance
        .store
        .queue(&queued(instance, activity, inboxes)?)
        .await?;
    instance.deliveries.notify_one();
    Ok(())
}

/// `activity` ready to queue for each of `inboxes` other than this site's
/// own: for the store to queue, alone or with the change it tells of.
pub fn queued<'a, O: Serialize>(
    instance: &Instance,
    activity: &'a Activity<O>,
    inboxes: &[Url],
) -> Result<Queued<'a>, FederationError> {
    Url::parse(&activity.id).map_err(|e| {
        FederationError::Config(format!(
            "an activity's id {} is not a URL: {e}",
            activity.id
        ))
    })?;
    let json = serde_json::to_string(activity)
        .map_err(|e| FederationError::Config(format!("an activity cannot be written: {e}")))?;
    Ok(Queued {
        id: &activity.id,
        actor: &activity.actor,
        json,
        inboxes: inboxes
            .iter()
            .filter(|inbox| !instance.is_local(inbox))
            .filter_map(|inbox| Some((inbox.to_string(), authority(inbox)?)))
            .collect(),
    })
}

/// Sends what is due, for as long as the server runs.
pub async fn run(config: FederationConfig<Instance>, backoff: Backoff) {
    let wake: Arc<Notify> = config.deliveries.clone();
    loop {
        if send_due(&config, backoff).await > 0 {
            continue;
        }
        let now = jiff::Timestamp::now().as_second();
        let wait = match config.store.next_delivery_at().await {
            Ok(Some(at)) => (at - now).clamp(1, 60),
            _ => 60,
        };
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(Duration::from_secs(wait.unsigned_abs())) => {}
        }
    }
}

/// Tries the deliveries due now, a few at once. How many were tried.
pub async fn send_due(config: &FederationConfig<Instance>, backoff: Backoff) -> usize {
    let now = jiff::Timestamp::now().as_second();
    let due = match config.store.due_deliveries(now, AT_ONCE).await {
        Ok(due) => due,
        Err(error) => {
            tracing::warn!(%error, "cannot read the deliveries due");
            Vec::new()
        }
    };
    let tried = due.len();
    let mut sending = tokio::task::JoinSet::new();
    for delivery in due {
        let data = config.to_request_data();
        sending.spawn(async move { attempt(delivery, &data, backoff).await });
    }
    while sending.join_next().await.is_some() {}
    tried
}

/// Tries one delivery and records how it went.
async fn attempt(delivery: PendingDelivery, data: &Data, backoff: Backoff) {
    let outcome = send(&delivery, data).await;
    let now = jiff::Timestamp::now().as_second();
    let recorded = match outcome {
        Ok(()) => {
            tracing::info!(
                id = delivery.activity_id,
                inbox = delivery.inbox,
                "delivered"
            );
            data.store.end_delivery(&delivery, true).await
        }
        Err(error) if delivery.attempts + 1 >= MAX_ATTEMPTS => {
            tracing::warn!(id = delivery.activity_id, inbox = delivery.inbox, %error, "given up");
            data.store.end_delivery(&delivery, false).await
        }
        Err(error) => {
            let failures = i64::from(delivery.attempts) + 1;
            tracing::info!(id = delivery.activity_id, inbox = delivery.inbox, %error, failures, "to be tried again");
            data.store
                .delivery_failed(
                    &delivery,
                    &error.to_string(),
                    now,
                    now + backoff.wait(failures),
                    |host_failures| backoff.host_wait(host_failures),
                )
                .await
        }
    };
    if let Err(error) = recorded {
        tracing::error!(%error, "cannot record a delivery");
    }
}

/// Signs and sends one delivery, exactly as it was queued, signed by its
/// actor. Ok when delivered, or refused for good (a 4xx other than 408 and
/// 429: the receiver will never take it, so it is not tried again).
async fn send(delivery: &PendingDelivery, instance: &Instance) -> Result<(), FederationError> {
    let inbox = Url::parse(&delivery.inbox).map_err(|e| FederationError::Fetch {
        url: delivery.inbox.clone(),
        reason: format!("not an address: {e}"),
    })?;
    let keys = instance.store.keys(&delivery.actor).await?;
    let signer = instance
        .outgoing
        .signer(&format!("{}#main-key", delivery.actor), &keys.private_pem)?;
    let status = instance
        .outgoing
        .deliver(&signer, &inbox, delivery.activity.as_bytes())
        .await?;
    match status.as_u16() {
        200..=299 => Ok(()),
        408 | 429 => Err(FederationError::FetchRefused {
            url: delivery.inbox.clone(),
            status: status.as_u16(),
        }),
        400..=499 => {
            tracing::warn!(
                id = delivery.activity_id,
                inbox = delivery.inbox,
                %status,
                "refused by the receiver: not sent again"
            );
            Ok(())
        }
        _ => Err(FederationError::FetchRefused {
            url: delivery.inbox.clone(),
            status: status.as_u16(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_a_day_and_hosts_wait_after_three_failures() {
        let backoff = Backoff::default();
        assert_eq!(backoff.wait(1), 60);
        assert_eq!(backoff.wait(2), 120);
        assert_eq!(backoff.wait(5), 960);
        assert_eq!(backoff.wait(12), LONGEST_WAIT);
        assert_eq!(backoff.wait(60), LONGEST_WAIT);
        assert_eq!(backoff.host_wait(2), 0);
        assert_eq!(backoff.host_wait(3), 60);
        assert_eq!(backoff.host_wait(4), 120);
    }
}
