//! Actors of other servers, as far as this one needs them: where to deliver
//! to them, and the key their activities are signed with. Fetched (signed
//! by the instance actor) when an activity names one, kept in the store,
//! refetched when a day old.

use serde_json::Value;
use url::Url;

use crate::address::authority;
use crate::error::{FederationError, InboxError, Refused};
use crate::instance::Instance;
use crate::outgoing::Fetched;
use crate::protocol::RemoteActorDocument;
use crate::store::RemoteActorRow;

/// The types of actor that may follow or be followed.
const ACTOR_TYPES: &[&str] = &["Person", "Organization", "Group", "Service", "Application"];

// The rules of what an actor document must be are behaviour, so they are
// here rather than beside the type in `protocol`.
impl RemoteActorDocument {
    /// Reads an actor another server serves, or says why not.
    pub fn read(json: &Value) -> Result<Self, Refused> {
        let actor: Self = serde_json::from_value(json.clone()).map_err(|e| Refused::Shape {
            expected: "actor",
            reason: e.to_string(),
        })?;
        actor.check()?;
        Ok(actor)
    }

    /// The rules every actor meets: one of the actor types, with its own
    /// key on its own host. (That it is on the host it was fetched from is
    /// the fetch's rule: a document is taken only from its own id.)
    fn check(&self) -> Result<(), Refused> {
        if !ACTOR_TYPES.contains(&self.kind.as_str()) {
            return Err(Refused::Rule(format!(
                "{} is a {}, not an actor: only {} can follow",
                self.id,
                self.kind,
                ACTOR_TYPES.join(", ")
            )));
        }
        if self
            .public_key
            .owner
            .as_ref()
            .is_some_and(|o| o != &self.id)
        {
            return Err(Refused::Rule(format!(
                "the key of {} belongs to another actor",
                self.id
            )));
        }
        let key_host = Url::parse(&self.public_key.id).ok();
        if key_host.as_ref().and_then(authority) != authority(&self.id) {
            return Err(Refused::Rule(format!(
                "the key of {} is on another host",
                self.id
            )));
        }
        if crate::signature::public_key(&self.public_key.public_key_pem).is_none() {
            return Err(Refused::Rule(format!(
                "the key of {} is not an RSA public key in PEM",
                self.id
            )));
        }
        Ok(())
    }
}

/// A remote actor as this server keeps it.
#[derive(Debug, Clone)]
pub struct RemoteActor {
    /// Its id.
    pub id: Url,
    /// Its own inbox.
    pub inbox: Url,
    /// Its server's shared inbox.
    pub shared_inbox: Option<Url>,
    /// The id of its key.
    pub key_id: String,
    /// Its public key in PEM.
    pub public_key_pem: String,
    /// When it was fetched, in seconds since 1970.
    pub fetched_at: i64,
}

impl RemoteActor {
    /// The row the store keeps it as.
    pub fn row(&self) -> RemoteActorRow {
        RemoteActorRow {
            id: self.id.to_string(),
            inbox: self.inbox.to_string(),
            shared_inbox: self.shared_inbox.as_ref().map(ToString::to_string),
            key_id: self.key_id.clone(),
            public_key: self.public_key_pem.clone(),
            fetched_at: self.fetched_at,
        }
    }

    fn from_row(row: RemoteActorRow) -> Result<Self, url::ParseError> {
        Ok(Self {
            id: Url::parse(&row.id)?,
            inbox: Url::parse(&row.inbox)?,
            shared_inbox: row.shared_inbox.as_deref().map(Url::parse).transpose()?,
            key_id: row.key_id,
            public_key_pem: row.public_key,
            fetched_at: row.fetched_at,
        })
    }

    /// Where to deliver to it: its server's shared inbox, or its own.
    pub fn shared_inbox_or_inbox(&self) -> Url {
        self.shared_inbox
            .clone()
            .unwrap_or_else(|| self.inbox.clone())
    }

    /// The actor a document describes, as of now.
    fn from_document(document: RemoteActorDocument) -> Self {
        Self {
            shared_inbox: document.endpoints.and_then(|e| e.shared_inbox),
            id: document.id,
            inbox: document.inbox,
            key_id: document.public_key.id,
            public_key_pem: document.public_key.public_key_pem,
            fetched_at: jiff::Timestamp::now().as_second(),
        }
    }

    /// Keeps the actor from a document: fetched, or sent by itself (`Update`).
    pub async fn keep(
        document: RemoteActorDocument,
        instance: &Instance,
    ) -> Result<Self, InboxError> {
        let actor = Self::from_document(document);
        instance.store.put_remote_actor(&actor.row()).await?;
        Ok(actor)
    }
}

/// How long a kept actor is used before it is fetched again.
const REFRESH_SECONDS: i64 = 24 * 60 * 60;

/// An actor as found: kept already, or fetched now, for the caller to keep
/// with what it writes next (one write to disk, not two).
#[derive(Debug)]
pub enum Found {
    /// As kept.
    Kept(RemoteActor),
    /// Fetched now, not kept yet.
    Fetched(RemoteActor),
}

impl Found {
    /// The actor, and its row if it is still to be kept.
    pub fn into_parts(self) -> (RemoteActor, Option<RemoteActorRow>) {
        match self {
            Self::Kept(actor) => (actor, None),
            Self::Fetched(actor) => {
                let row = actor.row();
                (actor, Some(row))
            }
        }
    }
}

impl RemoteActor {
    /// The actor `id`: as kept, if fetched within a day; otherwise
    /// fetched now (or as kept, if its server cannot answer).
    pub async fn find(id: &Url, instance: &Instance) -> Result<Found, InboxError> {
        let kept = instance
            .store
            .remote_actor(id.as_str())
            .await?
            // A row that no longer parses is fetched again.
            .and_then(|row| Self::from_row(row).ok());
        match kept {
            Some(actor)
                if jiff::Timestamp::now().as_second() - actor.fetched_at < REFRESH_SECONDS =>
            {
                Ok(Found::Kept(actor))
            }
            Some(actor) => match Self::read(id, instance).await {
                Ok(fresh) => Ok(Found::Fetched(fresh)),
                Err(InboxError::Refused { status, .. }) if status >= 500 => {
                    tracing::info!(actor = %id, "its server cannot answer: the actor as kept");
                    Ok(Found::Kept(actor))
                }
                Err(error) => Err(error),
            },
            None => Self::read(id, instance).await.map(Found::Fetched),
        }
    }

    /// The actor `id` as its server serves it now, kept.
    pub async fn fetch(id: &Url, instance: &Instance) -> Result<Self, InboxError> {
        let actor = Self::read(id, instance).await?;
        instance.store.put_remote_actor(&actor.row()).await?;
        Ok(actor)
    }

    /// The actor `id` as its server serves it now (the fetch signed by the
    /// instance actor).
    async fn read(id: &Url, instance: &Instance) -> Result<Self, InboxError> {
        let json = match instance.outgoing.fetch_document(id).await {
            Ok(Fetched::Document(json)) => json,
            Ok(Fetched::Gone) => return Err(InboxError::ActorGone(id.to_string())),
            Err(error) => return Err(fetch_refusal(error)),
        };
        // Read checks the actor against its own id, which the fetch made
        // sure is the address it was fetched from.
        let document = RemoteActorDocument::read(&json)
            .map_err(|refused| InboxError::refused(400, refused.to_string()))?;
        Ok(Self::from_document(document))
    }
}

/// The answer to give a sender whose actor could not be fetched: a 5xx,
/// which it retries, where the fault may pass (no connection; a 401 or 403
/// to the signed fetch, as from a server that does not know this one yet;
/// a 5xx); a 400 where it will not.
fn fetch_refusal(error: FederationError) -> InboxError {
    match error {
        FederationError::Unreachable { url, reason } => InboxError::refused(
            502,
            format!("the actor {url} could not be fetched: {reason}; try again later"),
        ),
        FederationError::FetchRefused { url, status }
            if matches!(status, 401 | 403 | 408 | 429) || status >= 500 =>
        {
            InboxError::refused(
                502,
                format!(
                    "the actor {url} answered {status} to this server's signed fetch; try again later"
                ),
            )
        }
        FederationError::FetchRefused { url, status } => InboxError::refused(
            400,
            format!("the actor {url} cannot be fetched: it answered {status}"),
        ),
        FederationError::AddressRefused { url, reason } => InboxError::refused(
            400,
            format!("an address in the activity is refused: {url}: {reason}"),
        ),
        FederationError::Fetch { url, reason } => InboxError::refused(
            400,
            format!("the actor {url} is not one this server can read: {reason}"),
        ),
        other => InboxError::Server(other),
    }
}
