//! A matching round as an ActivityPub `Page`: its directory publishes each
//! month's round of a programme (or over the whole directory), so that the
//! directories mirroring it show on their members' pages whom they met,
//! and count each person's groups before making rounds of their own.
//!
//! ActivityStreams has no words for a round, so its month, its programme
//! and its groups travel as the project's own terms (see `context`); its
//! people are named by their actors' ids, the one name every directory
//! has for them. Any other server shows the page's name and text.

use activitypub_federation::protocol::helpers::deserialize_skip_error;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// The `entryKind` a round is published with.
pub const ROUNDS: &str = "rounds";

/// A round as published.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundPage {
    /// The JSON-LD contexts.
    #[serde(rename = "@context")]
    pub context: Value,
    /// Always `Page`.
    #[serde(rename = "type")]
    pub kind: activitypub_federation::kinds::object::PageType,
    /// Its address: `/programmes/<slug>/rounds/<yyyy-mm>/`, or
    /// `/rounds/<yyyy-mm>/` for a round over the whole directory.
    pub id: String,
    /// The page that shows it: the programme's, or the site's.
    pub url: String,
    /// "Graduate buddies: January 2027".
    pub name: String,
    /// How many groups and swaps it made.
    pub summary: String,
    /// Its groups and swaps by name, in HTML.
    pub content: String,
    /// The site's `Organization`.
    pub attributed_to: String,
    /// Everyone.
    pub to: Vec<String>,
    /// When it was made (xsd:dateTime).
    pub published: String,
    /// The same: a round made again is a new round.
    pub updated: String,
    /// Always [`ROUNDS`].
    pub entry_kind: String,
    /// The programme it is a round of; `null` for a round over the whole
    /// directory.
    pub round_of: Option<String>,
    /// Its month, `YYYY-MM` (xsd:gYearMonth).
    pub round_month: String,
    /// Its buddy groups.
    pub groups: Vec<Group>,
    /// Its job swaps.
    pub swaps: Vec<Swap>,
}

/// A buddy group: two people, or three.
#[derive(Debug, Serialize, Deserialize)]
pub struct Group {
    /// Its members' actor ids.
    pub members: Vec<String>,
}

/// A job swap: each person takes the next one's job, the last the first's.
#[derive(Debug, Serialize, Deserialize)]
pub struct Swap {
    /// The people, in order (an ordered list in JSON-LD).
    pub cycle: Vec<String>,
}

/// A round received from another directory, as the mirror reads it: every
/// field may be missing or of another shape.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundDocument {
    /// Its id.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub id: Option<Url>,
    /// Its kind: [`ROUNDS`] for a round.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub entry_kind: Option<String>,
    /// The programme.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub round_of: Option<Url>,
    /// Its month.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub round_month: Option<String>,
    /// When it was made.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub published: Option<String>,
    /// Its groups.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub groups: Vec<ReceivedGroup>,
    /// Its swaps.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub swaps: Vec<ReceivedSwap>,
}

/// A group as received.
#[derive(Debug, Default, Deserialize)]
pub struct ReceivedGroup {
    /// Its members.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub members: Vec<Url>,
}

/// A swap as received.
#[derive(Debug, Default, Deserialize)]
pub struct ReceivedSwap {
    /// Its people, in order.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub cycle: Vec<Url>,
}

impl RoundDocument {
    /// Reads a document: a round if it says it is one.
    pub fn read(json: &Value) -> Option<Self> {
        let document: Self = super::fields_of(json);
        (document.entry_kind.as_deref() == Some(ROUNDS)).then_some(document)
    }
}
