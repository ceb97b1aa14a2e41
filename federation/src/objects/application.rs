//! The instance actor (FEP-2677): an `Application` that stands for the
//! server itself and signs every fetch it makes. Servers that answer only
//! signed fetches (GoToSocial; Mastodon in authorized-fetch mode) can then
//! be read, and they can read its key without a signature of their own:
//! its document, like every document here, is served to anyone. NodeInfo
//! links to it.

use generator::content::Directory;

use crate::protocol::{Actor, ActorKind};
use crate::store::Keys;

/// Where it is served.
pub const PATH: &str = "/actor/";

/// Its id.
pub fn id(directory: &Directory) -> String {
    directory.site.absolute(PATH)
}

/// The id of its key, as its signatures name it.
pub fn key_id(directory: &Directory) -> String {
    format!("{}#main-key", id(directory))
}

/// Its document: no one follows it and it publishes nothing.
pub fn application(directory: &Directory, host: &str, keys: &Keys) -> Actor {
    let mut actor = super::actor(
        ActorKind::Application,
        id(directory),
        host.to_string(),
        directory.site.title.clone(),
        keys,
    );
    actor.summary = format!(
        "The server of {}: it signs the requests the directory makes to other servers.",
        generator::escape::markup(&directory.site.title)
    );
    actor.discoverable = false;
    actor.manually_approves_followers = true;
    actor
}
