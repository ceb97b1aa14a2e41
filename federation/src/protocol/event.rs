//! An event as an ActivityPub `Event` in the form Mobilizon and Gancio read
//! (FEP-8a8e), and the places it is at. The same types read the events and
//! places other servers send: what does not fit is refused with a reason,
//! never half read.

use activitypub_federation::protocol::helpers::deserialize_skip_error;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::Refused;

/// An `Event`, as sent and as received.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventObject {
    /// The JSON-LD contexts.
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    /// Always `Event`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its address.
    pub id: url::Url,
    /// The title.
    pub name: String,
    /// One line about it, in plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The description, in HTML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// When it starts, with its offset.
    pub start_time: String,
    /// When it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// The zone its times are written in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Where: a place, an online one, or several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Value>,
    /// Its page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<url::Url>,
    /// Who publishes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<Value>,
    /// `external` when booking happens elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_mode: Option<String>,
    /// Where to book.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_participation_url: Option<url::Url>,
    /// How many may come.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_attendee_capacity: Option<u64>,
    /// `CONFIRMED` or `CANCELLED`, as iCalendar's `STATUS` (Mobilizon's
    /// term; the context defines the `ical` prefix).
    #[serde(
        rename = "ical:status",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    /// Who it is addressed to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Value>,
    /// When it was first published (xsd:dateTime).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub published: Option<String>,
    /// When it last changed (xsd:dateTime).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_skip_error"
    )]
    pub updated: Option<String>,
}

/// A place, as received: a name is needed, the address may be text, a
/// postal address or an online place.
#[derive(Debug, Serialize, Deserialize)]
pub struct Place {
    /// Always `Place`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its address, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<url::Url>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Text, a `PostalAddress` or a `VirtualLocation`.
    #[serde(default)]
    pub address: Option<Value>,
}

impl EventObject {
    /// Reads an event another server sent.
    pub fn read(json: &Value) -> Result<Self, Refused> {
        let event: Self = serde_json::from_value(json.clone()).map_err(|e| Refused::Shape {
            expected: "Event",
            reason: e.to_string(),
        })?;
        if event.kind != "Event" {
            return Err(Refused::Shape {
                expected: "Event",
                reason: format!("its type is {}", event.kind),
            });
        }
        if event.start_time.parse::<jiff::Timestamp>().is_err() {
            return Err(Refused::BadStart(event.start_time));
        }
        Ok(event)
    }
}

impl Place {
    /// Reads a place another server sent.
    pub fn read(json: &Value) -> Result<Self, Refused> {
        let place: Self = serde_json::from_value(json.clone()).map_err(|e| Refused::Shape {
            expected: "Place",
            reason: e.to_string(),
        })?;
        if place.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(Refused::UnnamedPlace);
        }
        Ok(place)
    }
}

/// Where an event is, as sent: a place, an online place, or several.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Location {
    /// A place with a name.
    Place(Place),
    /// An online place.
    Online(VirtualLocation),
    /// Several of them.
    Several(Vec<Location>),
}

/// A place's postal address.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostalAddress {
    /// Always `PostalAddress`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The address, on one line.
    pub street_address: String,
}

/// An online place: where to join.
#[derive(Debug, Serialize, Deserialize)]
pub struct VirtualLocation {
    /// Always `VirtualLocation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its address.
    pub url: String,
}
