//! The collections an actor names: its outbox, its followers, and the
//! site's `entries` (every entry it publishes), from which a new follower
//! reads what was published before it followed.
//!
//! Each is an `OrderedCollection` giving its size and its first page; the
//! items are on `OrderedCollectionPage`s of [`PAGE_SIZE`]. The outbox and
//! followers are numbered (`?page=1`); the entries are paged by the last
//! entry of the page before (`?after=profiles/priya-shah`), so that a
//! follower reading them while the directory changes neither misses nor
//! repeats an entry that was there throughout, and can go on from where it
//! stopped.

use std::sync::Arc;

use generator::content::{Directory, Round, round};
use generator::{Entry, Kind};

use super::person;
use crate::protocol::OrderedCollection;

/// How many items a page holds: an entries page of whole profiles is a few
/// hundred kilobytes.
pub const PAGE_SIZE: usize = 200;

/// The kinds the entries collection holds, in its order.
const ENTRY_KINDS: [Kind; 5] = [
    Kind::Profile,
    Kind::Event,
    Kind::Consultation,
    Kind::Ask,
    Kind::Programme,
];

/// Which page of a collection a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageQuery {
    /// The collection itself.
    Collection,
    /// A numbered page, from 1.
    Number(usize),
    /// The entries after this one (`profiles/priya-shah`); after none, the
    /// first page.
    After(Option<Cursor>),
}

/// Where a page of entries starts: after an entry of a kind, by its key, or
/// after a round, by its name (`graduates/2027-01`, or `2027-01` for a
/// round over the whole directory). Rounds come after every kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// After this entry.
    Entry(Kind, String),
    /// After this round.
    Round(String),
}

impl Cursor {
    /// As the `after` of a page's address: `profiles/priya-shah`,
    /// `rounds/graduates/2027-01`.
    fn written(&self) -> String {
        match self {
            Cursor::Entry(kind, key) => format!("{}/{key}", kind.folder()),
            Cursor::Round(name) => format!("{}/{name}", round::FOLDER),
        }
    }

    /// Read back from [`Cursor::written`].
    fn read(text: &str) -> Option<Self> {
        let (folder, key) = text.split_once('/')?;
        if folder == round::FOLDER {
            return Some(Cursor::Round(key.to_string()));
        }
        Kind::from_folder(folder).map(|kind| Cursor::Entry(kind, key.to_string()))
    }
}

impl PageQuery {
    /// Reads a request's query string.
    pub fn read(query: Option<&str>) -> PageQuery {
        let Some(query) = query else {
            return PageQuery::Collection;
        };
        let mut asked = PageQuery::Collection;
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            match &*name {
                "page" => {
                    if let Ok(number) = value.parse::<usize>() {
                        asked = PageQuery::Number(number.max(1));
                    }
                }
                "after" => return PageQuery::After(Cursor::read(&value)),
                _ => {}
            }
        }
        asked
    }
}

/// The address of page `number` (from 1) of the collection at `id`.
pub fn numbered_page(id: &str, number: usize) -> String {
    format!("{id}?page={number}")
}

/// An actor's outbox: what it has published, as `Create` activities, the
/// latest first.
pub fn outbox(actor: &str, total: usize) -> OrderedCollection {
    let id = format!("{actor}outbox");
    let first = numbered_page(&id, 1);
    OrderedCollection::new(id, total, Some(first))
}

/// An actor's followers.
pub fn followers(actor: &str, total: usize) -> OrderedCollection {
    let id = format!("{actor}followers");
    let first = numbered_page(&id, 1);
    OrderedCollection::new(id, total, Some(first))
}

/// The address of the site's entries collection.
pub fn entries_id(directory: &Directory) -> String {
    directory.site.absolute("/entries")
}

/// The address of the page of entries after `cursor` (none: the first).
pub fn entries_page_id(directory: &Directory, cursor: Option<&Cursor>) -> String {
    let after = cursor.map_or_else(String::new, |cursor| {
        url::form_urlencoded::byte_serialize(cursor.written().as_bytes()).collect()
    });
    format!("{}?after={after}", entries_id(directory))
}

/// Every entry the site publishes to other servers: its federating people,
/// events, consultations, asks, programmes and their rounds (mirrored ones
/// belong to their own directories and are left out). Its size, and its
/// first page.
pub fn entries(directory: &Directory) -> OrderedCollection {
    let total = ENTRY_KINDS
        .iter()
        .map(|&kind| published(directory, kind, None).count())
        .sum::<usize>()
        + published_rounds(directory).len();
    OrderedCollection::new(
        entries_id(directory),
        total,
        Some(entries_page_id(directory, None)),
    )
}

/// One published entry of any kind.
pub enum Published<'a> {
    /// A federating profile.
    Profile(&'a Entry<generator::content::Profile>),
    /// An event.
    Event(&'a Entry<generator::content::Event>),
    /// A consultation.
    Consultation(&'a Entry<generator::content::Consultation>),
    /// An ask.
    Ask(&'a Entry<generator::content::Ask>),
    /// A matching programme.
    Programme(&'a Entry<generator::content::Programme>),
    /// A round of this site's, with its name and the path it is published at.
    Round(&'a Round, String, String),
}

impl Published<'_> {
    /// Where the next page starts after it.
    pub fn cursor(&self) -> Cursor {
        let entry = |kind: Kind, key: &str| Cursor::Entry(kind, key.to_string());
        match self {
            Published::Profile(e) => entry(Kind::Profile, &e.slug),
            Published::Event(e) => entry(Kind::Event, &e.slug),
            Published::Consultation(e) => entry(Kind::Consultation, &e.slug),
            Published::Ask(e) => entry(Kind::Ask, &e.slug),
            Published::Programme(e) => entry(Kind::Programme, &e.slug),
            Published::Round(_, name, _) => Cursor::Round(name.clone()),
        }
    }
}

/// The published entries after `cursor`, in the collection's order: at
/// most `limit`, and whether more follow.
pub fn entries_after<'a>(
    directory: &'a Directory,
    cursor: Option<&Cursor>,
    limit: usize,
) -> (Vec<Published<'a>>, bool) {
    let start = match cursor {
        None => 0,
        Some(Cursor::Entry(kind, _)) => ENTRY_KINDS.iter().position(|k| k == kind).unwrap_or(0),
        Some(Cursor::Round(_)) => ENTRY_KINDS.len(),
    };
    let mut page = Vec::new();
    for &kind in &ENTRY_KINDS[start.min(ENTRY_KINDS.len())..] {
        let after = match cursor {
            Some(Cursor::Entry(k, key)) if *k == kind => Some(key.as_str()),
            _ => None,
        };
        for entry in published(directory, kind, after) {
            if page.len() == limit {
                return (page, true);
            }
            page.push(entry);
        }
    }
    let after = match cursor {
        Some(Cursor::Round(name)) => Some(name.as_str()),
        _ => None,
    };
    for (round, name, path) in published_rounds(directory) {
        if after.is_some_and(|after| name.as_str() <= after) {
            continue;
        }
        if page.len() == limit {
            return (page, true);
        }
        page.push(Published::Round(round, name, path));
    }
    (page, false)
}

/// The rounds the site publishes, by name, each with its name
/// (`graduates/2027-01`, `2027-01`) and the path it is published at: its
/// own rounds over the whole directory, and those of its own programmes.
pub fn published_rounds(directory: &Directory) -> Vec<(&Round, String, String)> {
    let mut rounds: Vec<(&Round, String, String)> = directory
        .rounds
        .iter()
        .filter(|r| {
            r.programme.as_deref().is_none_or(|slug| {
                directory
                    .programme(slug)
                    .is_some_and(|p| !p.origin.is_mirror())
            })
        })
        .filter_map(|r| {
            let path = r.published_path()?;
            let name = match &r.programme {
                Some(slug) => format!("{slug}/{}", r.month),
                None => r.month.to_string(),
            };
            Some((&**r, name, path))
        })
        .collect();
    rounds.sort_by(|a, b| a.1.cmp(&b.1));
    rounds
}

/// The published entries of `kind`, after the key `after` if given.
fn published<'a>(
    directory: &'a Directory,
    kind: Kind,
    after: Option<&str>,
) -> Box<dyn Iterator<Item = Published<'a>> + 'a> {
    fn from<'a, T>(entries: &'a [Arc<Entry<T>>], after: Option<&str>) -> &'a [Arc<Entry<T>>] {
        // The listings are in key order.
        let start = after.map_or(0, |key| entries.partition_point(|e| e.slug.as_str() <= key));
        &entries[start..]
    }
    let local = |origin: &generator::Origin| !origin.is_mirror();
    match kind {
        Kind::Profile => Box::new(
            from(&directory.profiles, after)
                .iter()
                .filter(|e| person::federates(e))
                .map(|e| Published::Profile(e)),
        ),
        Kind::Event => Box::new(
            from(&directory.events, after)
                .iter()
                .filter(move |e| local(&e.origin))
                .map(|e| Published::Event(e)),
        ),
        Kind::Consultation => Box::new(
            from(&directory.consultations, after)
                .iter()
                .filter(move |e| local(&e.origin))
                .map(|e| Published::Consultation(e)),
        ),
        Kind::Ask => Box::new(
            from(&directory.asks, after)
                .iter()
                .filter(move |e| local(&e.origin))
                .map(|e| Published::Ask(e)),
        ),
        Kind::Programme => Box::new(
            from(&directory.programmes, after)
                .iter()
                .filter(move |e| local(&e.origin))
                .map(|e| Published::Programme(e)),
        ),
        Kind::Organisation | Kind::Page => Box::new(std::iter::empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_names_a_page() {
        assert_eq!(PageQuery::read(None), PageQuery::Collection);
        assert_eq!(PageQuery::read(Some("page=3")), PageQuery::Number(3));
        assert_eq!(PageQuery::read(Some("page=0")), PageQuery::Number(1));
        assert_eq!(PageQuery::read(Some("after=")), PageQuery::After(None));
        assert_eq!(
            PageQuery::read(Some("after=profiles%2Fpriya-shah")),
            PageQuery::After(Some(Cursor::Entry(Kind::Profile, "priya-shah".into())))
        );
        assert_eq!(
            PageQuery::read(Some("after=rounds%2Fgraduates%2F2027-01")),
            PageQuery::After(Some(Cursor::Round("graduates/2027-01".into())))
        );
        assert_eq!(
            PageQuery::read(Some("after=nonsense")),
            PageQuery::After(None)
        );
    }
}
