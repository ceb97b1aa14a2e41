//! The ActivityPub documents of a directory's entries, one file a kind,
//! and the actors of this site and of others.
//!
//! Each document is made from the `generator` crate's typed entries into
//! the types of `protocol`, so what other servers see is what the site's
//! pages show.

pub mod application;
pub mod collection;
pub mod dates;
pub mod document;
pub mod event;
pub mod fields;
pub mod organisation;
pub mod page;
pub mod person;
pub mod remote;
pub mod round;

use generator::content::Directory;
use generator::{Entry, Kind};
use url::Url;

use crate::instance::Instance;
use crate::protocol::{Actor, ActorKind, Endpoints, PropertyValue, PublicKey, contexts};
use crate::store::Keys;

/// An actor at `id` (its page's address, ending in `/`) with the inbox,
/// outbox and followers under it.
pub fn actor(kind: ActorKind, id: String, username: String, name: String, keys: &Keys) -> Actor {
    Actor {
        context: contexts(),
        kind,
        preferred_username: username,
        name,
        summary: String::new(),
        url: id.clone(),
        inbox: format!("{id}inbox"),
        outbox: format!("{id}outbox"),
        followers: format!("{id}followers"),
        attachment: Vec::new(),
        icon: None,
        discoverable: true,
        manually_approves_followers: false,
        public_key: PublicKey {
            id: format!("{id}#main-key"),
            owner: id.clone(),
            public_key_pem: keys.public_pem.clone(),
        },
        entries: None,
        endpoints: Endpoints {
            shared_inbox: shared_inbox(&id),
        },
        published: None,
        updated: None,
        id,
    }
}

/// The shared inbox of the server `id` is on: `/inbox` at its root.
fn shared_inbox(id: &str) -> String {
    match url::Url::parse(id) {
        Ok(mut url) => {
            url.set_path("/inbox");
            url.set_query(None);
            url.set_fragment(None);
            url.to_string()
        }
        Err(_) => String::from("/inbox"),
    }
}

/// A profile field labelled `name` whose value is a link to `url`, shown
/// as its host and path (as Mastodon shows a website), escaped.
pub fn link_property(name: &str, url: &url::Url) -> PropertyValue {
    let shown = format!(
        "{}{}",
        url.host_str().unwrap_or_default(),
        url.path().trim_end_matches('/')
    );
    PropertyValue {
        kind: "PropertyValue".into(),
        name: name.to_string(),
        value: format!(
            "<a href=\"{}\" rel=\"me nofollow noopener noreferrer\" target=\"_blank\">{}</a>",
            generator::escape::markup(url.as_str()),
            generator::escape::markup(&shown)
        ),
    }
}

/// A profile field labelled `name`, its value escaped as text.
pub fn property(name: &str, value: &str) -> PropertyValue {
    PropertyValue {
        kind: "PropertyValue".into(),
        name: name.to_string(),
        value: generator::escape::markup(value),
    }
}

/// An entry's body as HTML, as its page shows it, with links to other
/// entries made absolute (a link to an entry not published is plain text).
pub fn body_html<T>(directory: &Directory, entry: &Entry<T>) -> String {
    let url_of = |link: &generator::content::links::EntryLink| {
        directory
            .contains(link.kind, &link.slug)
            .then(|| directory.site.entry_id(link.kind, &link.slug))
    };
    let trusted = directory.site.trusts_html(&entry.origin);
    generator::markdown::to_html(entry.body(), entry.path(), &url_of, trusted)
}

/// The id of the actor whose page is at `path`: the site's, or a
/// federating profile's.
pub fn actor_id(directory: &Directory, path: &str) -> Option<String> {
    if path == "/" {
        return Some(organisation::id(directory));
    }
    let Some((Kind::Profile, slug)) = Kind::entry_at(path) else {
        return None;
    };
    directory
        .profile(slug)
        .filter(|e| person::federates(e))
        .map(|e| directory.site.entry_id(Kind::Profile, &e.slug))
}

/// The id of the local actor at `url`: the site's, or a federating
/// profile's.
pub fn local_actor_id(instance: &Instance, url: &Url) -> Option<String> {
    if !instance.is_local(url) {
        return None;
    }
    actor_id(&instance.directory(), url.path())
}
