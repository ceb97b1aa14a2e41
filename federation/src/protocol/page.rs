//! Consultations and asks as ActivityPub `Page`s. ActivityStreams has no
//! words for a consultation's dates or an ask's kind, so they travel as
//! the project's own terms, defined in its context (see `context`):
//! another directory reads them back into the same fields, and any other
//! server still shows the page's name and text.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A `Page`: what consultations and asks share, and the terms of each.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    /// The JSON-LD contexts.
    #[serde(rename = "@context")]
    pub context: Value,
    /// Always `Page`.
    #[serde(rename = "type")]
    pub kind: activitypub_federation::kinds::object::PageType,
    /// Its page's address.
    pub id: String,
    /// Its page (the same).
    pub url: String,
    /// The title.
    pub name: String,
    /// One line about it.
    pub summary: String,
    /// Its text, in HTML.
    pub content: String,
    /// Who publishes it.
    pub attributed_to: String,
    /// Who it is addressed to: everyone.
    pub to: Vec<String>,
    /// When it was first published (xsd:dateTime).
    pub published: String,
    /// When it last changed (xsd:dateTime).
    pub updated: String,
    /// The terms of its kind.
    #[serde(flatten)]
    pub terms: PageTerms,
}

/// The terms of a consultation or an ask. Each is always written, `null`
/// when unknown, so that a mirror can tell "none" from "not said".
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PageTerms {
    /// A consultation's.
    #[serde(rename_all = "camelCase")]
    Consultation {
        /// When it opens (xsd:dateTime).
        opens: String,
        /// When it closes (xsd:dateTime).
        closes: String,
        /// Open, closed, upcoming…
        status: String,
        /// Where to respond online.
        respond_url: Option<String>,
        /// Where to respond by email.
        respond_email: Option<String>,
        /// Where to respond by post.
        respond_post: Option<String>,
        /// The page of its outcome.
        outcome: Option<String>,
        /// The actor that leads it.
        lead: Option<String>,
        /// Its policy areas.
        policy_areas: Vec<String>,
    },
    /// An ask's.
    #[serde(rename_all = "camelCase")]
    Ask {
        /// Its kind (`mentor`, …).
        ask_kind: String,
        /// The actor asking.
        by: Option<String>,
        /// The moment it stops taking answers (xsd:dateTime): the end of
        /// its last day.
        closes: Option<String>,
        /// Whether it has been answered.
        filled: bool,
        /// Its policy areas.
        policy_areas: Vec<String>,
    },
    /// A matching programme's.
    #[serde(rename_all = "camelCase")]
    Programme {
        /// What its rounds make: `buddies` or `swaps`.
        programme_kind: String,
    },
}
