//! An event as an ActivityPub `Event` in the form Mobilizon and Gancio read
//! (FEP-8a8e), with its summary, its page and an external registration:
//! people book where the event says, not through the fediverse.

use generator::Entry;
use generator::Kind;
use generator::content::{Directory, Event};
use generator::git_dates::Dates;
use serde_json::Value;

use crate::protocol::{
    EventObject, Location, PUBLIC, Place, PostalAddress, VirtualLocation, contexts,
};

/// The `Event` of an entry, first published and last changed at `dates`.
pub fn event(directory: &Directory, entry: &Entry<Event>, dates: Dates) -> EventObject {
    let e = &entry.data;
    let page = directory.site.entry_id(Kind::Event, &entry.slug);
    let mut places = Vec::new();
    if let Some(venue) = &e.venue {
        places.push(Location::Place(Place {
            kind: "Place".into(),
            id: None,
            name: Some(venue.name.clone()),
            address: venue.address.as_ref().and_then(|a| {
                serde_json::to_value(PostalAddress {
                    kind: "PostalAddress".into(),
                    street_address: a.clone(),
                })
                .ok()
            }),
        }));
    }
    if let Some(online) = &e.online {
        places.push(Location::Online(VirtualLocation {
            kind: "VirtualLocation".into(),
            url: online.as_str().to_string(),
        }));
    }
    let location = match places.len() {
        0 => None,
        1 => places.pop(),
        _ => Some(Location::Several(places)),
    };
    let where_ = e
        .venue
        .as_ref()
        .map_or_else(|| "online".to_string(), |v| v.name.clone());
    let page_url = url::Url::parse(&page).ok();
    EventObject {
        context: Some(contexts()),
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
        start_time: generator::render::format::iso(&e.start),
        end_time: e.end.as_ref().map(generator::render::format::iso),
        timezone: e.start.time_zone().iana_name().map(str::to_string),
        location: location.and_then(|l| serde_json::to_value(l).ok()),
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
        to: vec![Value::String(PUBLIC.into())],
        published: Some(super::dates::xsd(dates.published)),
        updated: Some(super::dates::xsd(dates.updated)),
    }
}
