//! The collections an actor names: its outbox, its followers, and the
//! site's `entries` (the id of every entry it publishes), from which a new
//! follower fetches what was published before it followed.

use generator::Kind;
use generator::content::Directory;

use super::person;
use crate::protocol::OrderedCollection;

/// An actor's outbox: empty. Followers receive what is published by
/// delivery, and a new follower reads the site's `entries` instead.
pub fn outbox(actor: &str) -> OrderedCollection {
    OrderedCollection::new(format!("{actor}outbox"), 0, Some(Vec::new()))
}

/// An actor's followers: how many, not who (as Mastodon shows them).
pub fn followers(actor: &str, count: i64) -> OrderedCollection {
    OrderedCollection::new(
        format!("{actor}followers"),
        usize::try_from(count).unwrap_or(0),
        None,
    )
}

/// The address of the site's entries collection.
pub fn entries_id(directory: &Directory) -> String {
    directory.site.absolute("/entries")
}

/// Every entry the site publishes to other servers: its federating people,
/// events, consultations and asks, by id (mirrored entries belong to their
/// own directories and are left out).
pub fn entries(directory: &Directory) -> OrderedCollection {
    let mut ids: Vec<String> = directory
        .profiles
        .iter()
        .filter(|p| person::federates(p))
        .map(|p| directory.site.entry_id(Kind::Profile, &p.slug))
        .collect();
    ids.extend(
        directory
            .events
            .iter()
            .filter(|e| !e.origin.is_mirror())
            .map(|e| directory.site.entry_id(Kind::Event, &e.slug)),
    );
    ids.extend(
        directory
            .consultations
            .iter()
            .filter(|e| !e.origin.is_mirror())
            .map(|e| directory.site.entry_id(Kind::Consultation, &e.slug)),
    );
    ids.extend(
        directory
            .asks
            .iter()
            .filter(|e| !e.origin.is_mirror())
            .map(|e| directory.site.entry_id(Kind::Ask, &e.slug)),
    );
    OrderedCollection::new(entries_id(directory), ids.len(), Some(ids))
}
