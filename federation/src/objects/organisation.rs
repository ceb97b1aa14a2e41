//! The site as an `Organization` actor at its home page: the actor other
//! directories follow, `acct:{handle}@{host}`.

use generator::content::Directory;
use serde::Serialize;

use super::{PublicKey, context};
use crate::store::Keys;

/// An `Organization`, ready to serialise.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    /// The JSON-LD contexts.
    #[serde(rename = "@context")]
    pub context: serde_json::Value,
    /// Always `Organization`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The home page's address.
    pub id: String,
    /// The handle.
    pub preferred_username: String,
    /// The site's title.
    pub name: String,
    /// What the directory is.
    pub summary: String,
    /// The home page.
    pub url: String,
    /// Where activities for the site are sent.
    pub inbox: String,
    /// What the site has published.
    pub outbox: String,
    /// Who follows the site.
    pub followers: String,
    /// Follows from allowed hosts are accepted at once.
    pub manually_approves_followers: bool,
    /// A directory is published to be found.
    pub discoverable: bool,
    /// The key that signs what the site sends.
    pub public_key: PublicKey,
}

/// The site actor's id: the home page.
pub fn id(directory: &Directory) -> String {
    directory.site.absolute("/")
}

/// The site's `Organization`.
pub fn organization(directory: &Directory, keys: &Keys) -> Organization {
    let id = id(directory);
    let handle = directory
        .site
        .federation
        .as_ref()
        .map_or_else(String::new, |f| f.handle.clone());
    Organization {
        context: context(),
        kind: "Organization",
        preferred_username: handle,
        name: directory.site.title.clone(),
        summary: format!(
            "{} public servants open to meeting people from other sectors.",
            directory.profiles.len()
        ),
        url: id.clone(),
        inbox: format!("{id}inbox"),
        outbox: format!("{id}outbox"),
        followers: format!("{id}followers"),
        manually_approves_followers: false,
        discoverable: true,
        public_key: PublicKey {
            id: format!("{id}#main-key"),
            owner: id.clone(),
            public_key_pem: keys.public_pem.clone(),
        },
        id,
    }
}
