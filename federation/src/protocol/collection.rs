//! Collections: the ones this site serves (an actor's outbox and followers,
//! the site's `entries`), and the pages of another directory's `entries`
//! as read.

use activitypub_federation::kinds::collection::OrderedCollectionType;
use activitypub_federation::protocol::helpers::deserialize_skip_error;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Reference;

/// An `OrderedCollection` as this site serves it: its size, and its items
/// when they are shown.
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
    /// The items' ids, when shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_items: Option<Vec<String>>,
}

impl OrderedCollection {
    /// The collection at `id` of `total` items (`items`, if shown).
    pub fn new(id: String, total: usize, items: Option<Vec<String>>) -> Self {
        Self {
            context: super::ACTIVITY_STREAMS.to_string(),
            kind: OrderedCollectionType::OrderedCollection,
            id,
            total_items: total,
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

    /// The ids of the items, ordered ones first; items that are not
    /// references are passed over.
    pub fn item_ids(&self) -> impl Iterator<Item = url::Url> + '_ {
        self.ordered_items
            .iter()
            .chain(self.items.iter())
            .flatten()
            .filter_map(Reference::id_in)
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
