//! Actors of other servers, as far as this one needs them: where to deliver
//! to them, and the key their activities are signed with. Fetched when an
//! activity names one, kept in the store, refetched when a day old.

use activitypub_federation::traits::{Actor, Object};
use chrono::{DateTime, Utc};
use serde_json::Value;
use url::Url;

use crate::address::authority;
use crate::error::{InboxError, Refused};
use crate::instance::{Data, Instance};
use crate::protocol::{RemoteActorDocument, RemoteEndpoints, RemoteKey};
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
        actor.check(&actor.id)?;
        Ok(actor)
    }

    /// The rules every actor meets, served from `fetched`: one of the actor
    /// types, on the host (and port) it was fetched from, with its own key.
    pub fn check(&self, fetched: &Url) -> Result<(), Refused> {
        if !ACTOR_TYPES.contains(&self.kind.as_str()) {
            return Err(Refused::Rule(format!(
                "{} is a {}, not an actor: only {} can follow",
                self.id,
                self.kind,
                ACTOR_TYPES.join(", ")
            )));
        }
        if authority(&self.id) != authority(fetched) {
            return Err(Refused::Rule(format!(
                "the actor {} was served by another host ({fetched})",
                self.id
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
    fn row(&self) -> RemoteActorRow {
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

    /// Keeps the actor from a document it sent itself (`Update`).
    pub async fn keep(document: RemoteActorDocument, data: &Data) -> Result<Self, InboxError> {
        let actor = Self {
            shared_inbox: document.endpoints.and_then(|e| e.shared_inbox),
            id: document.id,
            inbox: document.inbox,
            key_id: document.public_key.id,
            public_key_pem: document.public_key.public_key_pem,
            fetched_at: jiff::Timestamp::now().as_second(),
        };
        data.store.put_remote_actor(&actor.row()).await?;
        Ok(actor)
    }
}

#[async_trait::async_trait]
impl Object for RemoteActor {
    type DataType = Instance;
    type Kind = RemoteActorDocument;
    type Error = InboxError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(self.fetched_at, 0)
    }

    async fn read_from_id(id: Url, data: &Data) -> Result<Option<Self>, InboxError> {
        let Some(row) = data.store.remote_actor(id.as_str()).await? else {
            return Ok(None);
        };
        // A row that no longer parses is fetched again.
        Ok(Self::from_row(row).ok())
    }

    async fn into_json(self, _data: &Data) -> Result<RemoteActorDocument, InboxError> {
        Ok(RemoteActorDocument {
            kind: "Person".into(),
            preferred_username: None,
            name: None,
            endpoints: Some(RemoteEndpoints {
                shared_inbox: self.shared_inbox,
            }),
            entries: None,
            public_key: RemoteKey {
                id: self.key_id,
                owner: Some(self.id.clone()),
                public_key_pem: self.public_key_pem,
            },
            inbox: self.inbox,
            id: self.id,
        })
    }

    async fn verify(
        json: &RemoteActorDocument,
        fetched: &Url,
        _data: &Data,
    ) -> Result<(), InboxError> {
        json.check(fetched)
            .map_err(|refused| InboxError::refused(400, refused.to_string()))
    }

    async fn from_json(json: RemoteActorDocument, data: &Data) -> Result<Self, InboxError> {
        Self::keep(json, data).await
    }
}

impl Actor for RemoteActor {
    fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        None
    }

    fn inbox(&self) -> Url {
        self.inbox.clone()
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.shared_inbox.clone()
    }
}
