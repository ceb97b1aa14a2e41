//! An event as an ActivityPub `Event` in the form Mobilizon and Gancio read
//! (FEP-8a8e), with its summary, its page and an external registration:
//! people book where the event says, not through the fediverse.
//!
//! The same types read the events and places other servers send: what does
//! not fit is refused with a reason, never half read.

use generator::Entry;
use generator::content::{Directory, Event};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use super::Refused;
use super::context;

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
    /// `CONFIRMED` or `CANCELLED`.
    #[serde(
        rename = "ical:status",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    /// Who it is addressed to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Value>,
}

/// A place, as received: a name is needed, the address may be text, a
/// postal address or an online place.
#[derive(Debug, Serialize, Deserialize)]
pub struct Place {
    /// Always `Place`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its address, if it has one.
    #[serde(default)]
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

/// The address of an event's page, which is its id.
pub fn id(directory: &Directory, slug: &str) -> String {
    directory.site.absolute(&format!("/events/{slug}/"))
}

/// The `Event` of an entry.
pub fn event(directory: &Directory, entry: &Entry<Event>) -> EventObject {
    let e = &entry.data;
    let page = id(directory, &entry.slug);
    let mut places = Vec::new();
    if let Some(venue) = &e.venue {
        places.push(serde_json::json!({
            "type": "Place",
            "name": venue.name,
            "address": venue.address.as_ref().map(|a| serde_json::json!({ "type": "PostalAddress", "streetAddress": a })),
        }));
    }
    if let Some(online) = &e.online {
        places.push(serde_json::json!({ "type": "VirtualLocation", "url": online.as_str() }));
    }
    let location = match places.len() {
        0 => None,
        1 => places.pop(),
        _ => Some(Value::Array(places)),
    };
    let where_ = e
        .venue
        .as_ref()
        .map_or_else(|| "online".to_string(), |v| v.name.clone());
    let page_url = url::Url::parse(&page).ok();
    EventObject {
        context: Some(context()),
        kind: "Event".into(),
        id: page_url
            .clone()
            .unwrap_or_else(|| directory.site.base_url.clone()),
        name: e.title.clone(),
        summary: Some(format!(
            "{}, {}, {where_}.",
            e.kind.label(),
            e.start.strftime("%-d %B %Y %H:%M")
        )),
        content: Some(super::body_html(directory, entry)),
        start_time: e.start.timestamp().to_string(),
        end_time: e.end.as_ref().map(|t| t.timestamp().to_string()),
        timezone: e.start.time_zone().iana_name().map(str::to_string),
        location,
        url: page_url.clone(),
        attributed_to: Some(Value::String(super::organisation::id(directory))),
        join_mode: Some("external".into()),
        // Booking is where the event says; else its page tells how.
        external_participation_url: e.booking.clone().or(page_url),
        maximum_attendee_capacity: e.capacity.map(u64::from),
        status: Some(
            if e.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
            .into(),
        ),
        to: vec![Value::String(
            "https://www.w3.org/ns/activitystreams#Public".into(),
        )],
    }
}
