//! Collections: the ones this site serves (an actor's outbox and followers,
//! the site's `entries`), and the pages of another directory's `entries`
//! as read.

use activitypub_federation::kinds::collection::{OrderedCollectionPageType, OrderedCollectionType};
use activitypub_federation::protocol::helpers::deserialize_skip_error;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Reference;

/// An `OrderedCollection` as this site serves it: its size and where its
/// first page is. Its items are on its pages, a few hundred a page, so that
/// neither side holds a large collection whole.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollection {
    /// The JSON-LD context.
    #[serde(rename = "@context")]
    pub context: String,
    /// Always `OrderedCollection`.
    #[serde(rename = "type")]
    pub kind: OrderedCollectionType,
    /// Its address.
    pub id: String,
    /// How many items it holds.
    pub total_items: usize,
    /// Its first page, if its items are shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<String>,
}

impl OrderedCollection {
    /// The collection at `id` of `total` items, whose first page (if its
    /// items are shown) is `first`.
    pub fn new(id: String, total: usize, first: Option<String>) -> Self {
        Self {
            context: super::ACTIVITY_STREAMS.to_string(),
            kind: OrderedCollectionType::OrderedCollection,
            id,
            total_items: total,
            first,
        }
    }
}

/// One page of an [`OrderedCollection`]: its items (ids, or whole
/// documents of the same origin) and the page after it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollectionPage {
    /// The JSON-LD context.
    #[serde(rename = "@context")]
    pub context: Value,
    /// Always `OrderedCollectionPage`.
    #[serde(rename = "type")]
    pub kind: OrderedCollectionPageType,
    /// Its address.
    pub id: String,
    /// The collection it is a page of.
    pub part_of: String,
    /// The page after it; none on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Its items, in order.
    pub ordered_items: Vec<Value>,
}

impl OrderedCollectionPage {
    /// The page at `id` of the collection `part_of`.
    pub fn new(
        context: Value,
        id: String,
        part_of: String,
        next: Option<String>,
        items: Vec<Value>,
    ) -> Self {
        Self {
            context,
            kind: OrderedCollectionPageType::OrderedCollectionPage,
            id,
            part_of,
            next,
            ordered_items: items,
        }
    }
}

/// A collection, or one of its pages, as another server serves it: the
/// items on it and where the next ones are. Any of them may be missing or
/// of another shape.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectionPage {
    /// The items of an ordered collection.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub ordered_items: Option<Vec<Value>>,
    /// The items of an unordered one.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub items: Option<Vec<Value>>,
    /// The page after this one, as given (`null` included).
    #[serde(default, deserialize_with = "super::present")]
    pub next: Option<Value>,
    /// A collection's first page, as given.
    #[serde(default, deserialize_with = "super::present")]
    pub first: Option<Value>,
}

impl CollectionPage {
    /// Reads a collection or page; what is not one has no items.
    pub fn read(json: &Value) -> Self {
        super::fields_of(json)
    }

    /// The items, ordered ones first, as given.
    pub fn items(&self) -> impl Iterator<Item = &Value> + '_ {
        self.ordered_items.iter().chain(self.items.iter()).flatten()
    }

    /// Where the items go on: the next page if one is named (even as
    /// nothing), else the first.
    pub fn next_page(&self) -> Option<url::Url> {
        self.next
            .as_ref()
            .or(self.first.as_ref())
            .and_then(Reference::id_in)
    }
}
