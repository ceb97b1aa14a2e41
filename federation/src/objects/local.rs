//! One of this site's actors as the federation crate needs it to sign what
//! it sends: its id and its keys. (The documents served for it are made in
//! `organisation` and `person`.)

use activitypub_federation::traits::{Actor, Object};
use url::Url;

use crate::error::InboxError;
use crate::instance::{Data, Instance};
use crate::store::Keys;

/// A local actor that sends.
#[derive(Clone)]
pub struct LocalActor {
    /// Its id.
    pub id: Url,
    keys: Keys,
}

impl std::fmt::Debug for LocalActor {
    // The private key is never written out, not even to a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalActor").field("id", &self.id).finish()
    }
}

impl LocalActor {
    /// The actor `id` with `keys`.
    pub fn new(id: Url, keys: Keys) -> Self {
        Self { id, keys }
    }

    /// The actor `id`, with its keys from the store (made if need be).
    pub async fn load(id: &str, data: &Data) -> Result<Self, InboxError> {
        let keys = data.store.keys(id).await?;
        let id = Url::parse(id).map_err(activitypub_federation::error::Error::from)?;
        Ok(Self { id, keys })
    }
}

#[async_trait::async_trait]
impl Object for LocalActor {
    type DataType = Instance;
    type Kind = ();
    type Error = InboxError;

    fn id(&self) -> &Url {
        &self.id
    }

    async fn read_from_id(_id: Url, _data: &Data) -> Result<Option<Self>, InboxError> {
        // Local actors are served from the directory, never fetched.
        Ok(None)
    }

    async fn into_json(self, _data: &Data) -> Result<(), InboxError> {
        Ok(())
    }

    async fn verify(_json: &(), _fetched: &Url, _data: &Data) -> Result<(), InboxError> {
        Ok(())
    }

    async fn from_json(_json: (), _data: &Data) -> Result<Self, InboxError> {
        Err(activitypub_federation::error::Error::NotFound.into())
    }
}

impl Actor for LocalActor {
    fn public_key_pem(&self) -> &str {
        &self.keys.public_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        Some(self.keys.private_pem.clone())
    }

    fn inbox(&self) -> Url {
        let mut inbox = self.id.clone();
        inbox.set_path(&format!("{}inbox", self.id.path()));
        inbox
    }
}
