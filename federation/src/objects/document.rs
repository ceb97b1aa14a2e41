//! The document of each entry the site publishes: what its address serves
//! to servers, and what publishing sends. One function makes each, so what
//! is fetched and what is pushed are the same.

use generator::content::Directory;
use generator::git_dates::GitDates;
use generator::{Entry, Kind};
use serde_json::Value;

use super::collection::{PAGE_SIZE, PageQuery, Published};
use super::{
    actor_id, application, collection, dates, event, fields, organisation, page, person, round,
};
use crate::error::FederationError;
use crate::protocol::{
    ACTIVITY_STREAMS, Activity, ActivityKind, OrderedCollectionPage, PUBLIC, contexts,
};
use crate::store::Store;

/// An entry as published.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its id: its page's address.
    pub id: String,
    /// The local actor that creates, changes and deletes it.
    pub actor: String,
    /// Its ActivityStreams type: `Person`, `Event`, `Page`.
    pub kind: &'static str,
    /// The document.
    pub json: Value,
}

/// Every entry the site publishes to other servers (mirrored entries
/// belong to their own directories and are left out), as of `now`, dated
/// from `history`.
pub async fn all(
    directory: &Directory,
    history: &GitDates,
    store: &Store,
    now: jiff::Timestamp,
) -> Result<Vec<Document>, FederationError> {
    let mut documents = Vec::new();
    for entry in directory.profiles.iter().filter(|p| person::federates(p)) {
        documents.push(profile(directory, history, entry, store).await?);
    }
    documents.extend(
        directory
            .events
            .iter()
            .filter(|e| !e.origin.is_mirror())
            .map(|e| event_document(directory, history, e)),
    );
    documents.extend(
        directory
            .consultations
            .iter()
            .filter(|e| !e.origin.is_mirror())
            .map(|e| consultation(directory, history, e, now)),
    );
    documents.extend(
        directory
            .asks
            .iter()
            .filter(|e| !e.origin.is_mirror())
            .map(|e| ask(directory, history, e)),
    );
    documents.extend(
        directory
            .programmes
            .iter()
            .filter(|e| !e.origin.is_mirror())
            .map(|e| programme(directory, history, e)),
    );
    documents.extend(
        collection::published_rounds(directory)
            .into_iter()
            .map(|(r, _, path)| round_document(directory, r, &path)),
    );
    Ok(documents)
}

/// The document served at `path` (with its `query`) to a server asking
/// for ActivityPub: the site's actor, its collections and their pages, or
/// an entry, dated from `history`.
pub async fn at(
    directory: &Directory,
    history: &GitDates,
    store: &Store,
    path: &str,
    query: Option<&str>,
) -> Result<Option<Value>, FederationError> {
    let asked = PageQuery::read(query);
    if path == "/entries" {
        return Ok(match asked {
            PageQuery::After(cursor) => {
                to_json(entries_page(directory, history, store, cursor).await?)
            }
            _ => to_json(collection::entries(directory)),
        });
    }
    if path == application::PATH {
        let id = application::id(directory);
        let keys = store.keys(&id).await?;
        let host = crate::address::authority(&directory.site.base_url).unwrap_or_default();
        return Ok(serde_json::to_value(application::application(directory, &host, &keys)).ok());
    }
    // An actor's collections: `{actor}outbox`, `{actor}followers`.
    for name in ["outbox", "followers"] {
        if let Some(actor_path) = path.strip_suffix(name).filter(|p| p.ends_with('/')) {
            // The instance actor's are there, and empty.
            let actor = actor_id(directory, actor_path)
                .or_else(|| (actor_path == application::PATH).then(|| application::id(directory)));
            let Some(actor) = actor else {
                return Ok(None);
            };
            let outbox = name == "outbox";
            return Ok(match (asked, outbox) {
                (PageQuery::Number(number), true) => {
                    to_json(outbox_page(directory, history, store, &actor, number).await?)
                }
                (PageQuery::Number(number), false) => {
                    let id = format!("{actor}followers");
                    let items = store
                        .followers_page(&actor, number - 1, PAGE_SIZE)
                        .await?
                        .into_iter()
                        .map(Value::String)
                        .collect();
                    to_json(numbered(&id, number, items))
                }
                (_, true) => to_json(collection::outbox(
                    &actor,
                    count(store.published_count(&actor).await?),
                )),
                (_, false) => to_json(collection::followers(
                    &actor,
                    count(store.follower_count(&actor).await?),
                )),
            });
        }
    }
    if path == "/" {
        let keys = store.keys(&organisation::id(directory)).await?;
        let site = organisation::organization(directory, &keys, history);
        return Ok(serde_json::to_value(site).ok());
    }
    if let Some((programme, month)) = generator::content::round::at_path(path) {
        return Ok(collection::published_rounds(directory)
            .into_iter()
            .find(|(r, _, _)| r.month == month && r.programme.as_deref() == programme)
            .map(|(r, _, path)| round_document(directory, r, &path).json));
    }
    Ok(
        entry_at(directory, history, store, path, jiff::Timestamp::now())
            .await?
            .map(|d| d.json),
    )
}

/// The document of the entry the site publishes at `path`, if it does.
async fn entry_at(
    directory: &Directory,
    history: &GitDates,
    store: &Store,
    path: &str,
    now: jiff::Timestamp,
) -> Result<Option<Document>, FederationError> {
    let local = |origin: &generator::Origin| !origin.is_mirror();
    Ok(match Kind::entry_at(path) {
        Some((Kind::Consultation, slug)) => directory
            .consultation(slug)
            .filter(|e| local(&e.origin))
            .map(|e| consultation(directory, history, e, now)),
        Some((Kind::Ask, slug)) => directory
            .ask(slug)
            .filter(|e| local(&e.origin))
            .map(|e| ask(directory, history, e)),
        Some((Kind::Programme, slug)) => directory
            .programme(slug)
            .filter(|e| local(&e.origin))
            .map(|e| programme(directory, history, e)),
        Some((Kind::Event, slug)) => directory
            .event(slug)
            .filter(|e| local(&e.origin))
            .map(|e| event_document(directory, history, e)),
        Some((Kind::Profile, slug)) => {
            match directory.profile(slug).filter(|e| person::federates(e)) {
                Some(entry) => Some(profile(directory, history, entry, store).await?),
                None => None,
            }
        }
        _ => None,
    })
}

/// The page of the site's entries after `cursor`: each entry's whole
/// document, so that a directory backfilling reads a page, not a page and
/// an entry at a time. The documents' contexts, the same for each, are the
/// page's.
async fn entries_page(
    directory: &Directory,
    history: &GitDates,
    store: &Store,
    cursor: Option<collection::Cursor>,
) -> Result<OrderedCollectionPage, FederationError> {
    let (entries, mut more) = collection::entries_after(directory, cursor.as_ref(), PAGE_SIZE);
    let now = jiff::Timestamp::now();
    let contexts = contexts();
    let mut items = Vec::with_capacity(entries.len());
    let mut bytes = 0;
    for entry in &entries {
        // Within what another server fetches (1 MiB here): long entries
        // make a shorter page.
        if bytes > PAGE_BYTES {
            more = true;
            break;
        }
        let document = match entry {
            Published::Profile(e) => profile(directory, history, e, store).await?,
            Published::Event(e) => event_document(directory, history, e),
            Published::Consultation(e) => consultation(directory, history, e, now),
            Published::Ask(e) => ask(directory, history, e),
            Published::Programme(e) => programme(directory, history, e),
            Published::Round(r, _, path) => round_document(directory, r, path),
        };
        let item = within(document.json, &contexts);
        bytes += item.to_string().len();
        items.push(item);
    }
    // After the last entry this page holds.
    let next = items
        .len()
        .checked_sub(1)
        .and_then(|last| entries.get(last))
        .filter(|_| more)
        .map(|last| collection::entries_page_id(directory, Some(&last.cursor())));
    Ok(OrderedCollectionPage::new(
        contexts,
        collection::entries_page_id(directory, cursor.as_ref()),
        collection::entries_id(directory),
        next,
        items,
    ))
}

/// The size past which an entries page takes no more entries, so that a
/// page stays well under the 1 MiB a directory fetches (unless a single
/// entry is near that alone).
const PAGE_BYTES: usize = 384 * 1024;

/// Page `number` of `actor`'s outbox: a `Create` of each entry it
/// publishes, the latest changed first. The documents' contexts, the same
/// for each, are the page's.
async fn outbox_page(
    directory: &Directory,
    history: &GitDates,
    store: &Store,
    actor: &str,
    number: usize,
) -> Result<OrderedCollectionPage, FederationError> {
    let now = jiff::Timestamp::now();
    let contexts = contexts();
    let mut items = Vec::new();
    for (id, published) in store.published_page(actor, number - 1, PAGE_SIZE).await? {
        let Some(path) = url::Url::parse(&id).ok().map(|u| u.path().to_string()) else {
            continue;
        };
        // Published before the last build and gone since: told of by its
        // Delete, not listed.
        let Some(document) = entry_at(directory, history, store, &path, now).await? else {
            continue;
        };
        let mut create = Activity::new(
            format!("{id}#create/{published}"),
            ActivityKind::Create,
            actor.to_string(),
            within(document.json, &contexts),
            vec![PUBLIC.to_string()],
        );
        create.context = None;
        create.published = jiff::Timestamp::from_second(published)
            .ok()
            .map(|t| t.to_string());
        items.extend(serde_json::to_value(create).ok());
    }
    let mut page = numbered(&format!("{actor}outbox"), number, items);
    page.context = contexts;
    Ok(page)
}

/// `document` as an item of a page whose contexts are `contexts`: without
/// contexts of its own when they are the page's (an item is read in its
/// page's contexts), so that a page does not repeat them for each item.
fn within(mut document: Value, contexts: &Value) -> Value {
    if let Value::Object(object) = &mut document
        && object.get("@context") == Some(contexts)
    {
        object.remove("@context");
    }
    document
}

/// Page `number` of the collection `id`, holding `items`: the next page is
/// named while this one is full.
fn numbered(id: &str, number: usize, items: Vec<Value>) -> OrderedCollectionPage {
    let next = (items.len() == PAGE_SIZE).then(|| collection::numbered_page(id, number + 1));
    OrderedCollectionPage::new(
        Value::String(ACTIVITY_STREAMS.to_string()),
        collection::numbered_page(id, number),
        id.to_string(),
        next,
        items,
    )
}

/// A count from the database, as a collection's size.
fn count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

fn to_json(value: impl serde::Serialize) -> Option<Value> {
    serde_json::to_value(value).ok()
}

/// A profile's `Person`, which creates and changes itself.
async fn profile(
    directory: &Directory,
    history: &GitDates,
    entry: &Entry<generator::content::Profile>,
    store: &Store,
) -> Result<Document, FederationError> {
    let id = directory.site.entry_id(Kind::Profile, &entry.slug);
    let keys = store.keys(&id).await?;
    let written = fields::written(directory, Kind::Profile, entry);
    let dates = dates::of(directory, history, entry, written.organisation);
    let mut json =
        serde_json::to_value(person::person(directory, entry, &keys, dates)).unwrap_or(Value::Null);
    let terms = fields::terms(directory, Kind::Profile, entry, written, |f| {
        fields::absolute_file(directory, f, "photo");
        // Only profiles that federate are sent: the mirror need not say so.
        f.remove("federate");
    });
    fields::add_to(&mut json, terms);
    Ok(Document {
        actor: id.clone(),
        id,
        kind: "Person",
        json,
    })
}

fn event_document(
    directory: &Directory,
    history: &GitDates,
    entry: &Entry<generator::content::Event>,
) -> Document {
    let written = fields::written(directory, Kind::Event, entry);
    let dates = dates::of(directory, history, entry, written.organisation);
    let mut json =
        serde_json::to_value(event::event(directory, entry, dates)).unwrap_or(Value::Null);
    let e = &entry.data;
    let terms = fields::terms(directory, Kind::Event, entry, written, |f| {
        f.insert("start".into(), fields::moment(&e.start));
        if let Some(end) = &e.end {
            f.insert("end".into(), fields::moment(end));
        }
        fields::profile_named(f, "host", e.host.as_deref());
        fields::default_organisation(directory, f);
    });
    fields::add_to(&mut json, terms);
    Document {
        id: directory.site.entry_id(Kind::Event, &entry.slug),
        actor: organisation::id(directory),
        kind: "Event",
        json,
    }
}

fn consultation(
    directory: &Directory,
    history: &GitDates,
    entry: &Entry<generator::content::Consultation>,
    now: jiff::Timestamp,
) -> Document {
    let c = &entry.data;
    let written = fields::written(directory, Kind::Consultation, entry);
    let mut dates = dates::of(directory, history, entry, written.organisation);
    // Its status (and so its document) changed when it last opened or
    // closed.
    if let Some(moment) = [c.opens.timestamp(), c.closes.timestamp()]
        .into_iter()
        .filter(|moment| *moment <= now)
        .max()
    {
        dates = dates::changed_at(dates, moment);
    }
    let mut json = serde_json::to_value(page::consultation(directory, entry, now, dates))
        .unwrap_or(Value::Null);
    let terms = fields::terms(directory, Kind::Consultation, entry, written, |f| {
        f.insert("opens".into(), fields::moment(&c.opens));
        f.insert("closes".into(), fields::moment(&c.closes));
        fields::profile_named(f, "lead", c.lead.as_deref());
        fields::default_organisation(directory, f);
    });
    fields::add_to(&mut json, terms);
    Document {
        id: directory.site.entry_id(Kind::Consultation, &entry.slug),
        actor: organisation::id(directory),
        kind: "Page",
        json,
    }
}

/// A round of this site's, published at `path`.
fn round_document(
    directory: &Directory,
    round: &generator::content::Round,
    path: &str,
) -> Document {
    let page = round::round_page(directory, round, path);
    Document {
        id: page.id.clone(),
        actor: organisation::id(directory),
        kind: "Page",
        json: serde_json::to_value(page).unwrap_or(Value::Null),
    }
}

fn programme(
    directory: &Directory,
    history: &GitDates,
    entry: &Entry<generator::content::Programme>,
) -> Document {
    let written = fields::written(directory, Kind::Programme, entry);
    let dates = dates::of(directory, history, entry, written.organisation);
    let page = page::programme(directory, entry, dates);
    let mut json = serde_json::to_value(page).unwrap_or(Value::Null);
    let terms = fields::terms(directory, Kind::Programme, entry, written, |_| {});
    fields::add_to(&mut json, terms);
    Document {
        id: directory.site.entry_id(Kind::Programme, &entry.slug),
        actor: organisation::id(directory),
        kind: "Page",
        json,
    }
}

fn ask(
    directory: &Directory,
    history: &GitDates,
    entry: &Entry<generator::content::Ask>,
) -> Document {
    let written = fields::written(directory, Kind::Ask, entry);
    let dates = dates::of(directory, history, entry, written.organisation);
    let page = page::ask(directory, entry, dates);
    // Posted by the one who asks (the site, if they are no actor): the
    // author of the Create and of the object are one.
    let actor = page.attributed_to.clone();
    let mut json = serde_json::to_value(page).unwrap_or(Value::Null);
    let terms = fields::terms(directory, Kind::Ask, entry, written, |_| {});
    fields::add_to(&mut json, terms);
    Document {
        id: directory.site.entry_id(Kind::Ask, &entry.slug),
        actor,
        kind: "Page",
        json,
    }
}
