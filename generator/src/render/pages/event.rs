//! An event's page: when and where, each date of a series, who hosts it,
//! the consultation it is a session of, and how to book.

use std::hash::Hash;

use tera::Context;
use url::Url;

use super::shown::{ConsultationCard, NextEventCard, Own, ProfileCardAt, Shown};
use super::{PageKind, Rendered, Renderer, canonical, crumb, home, page_inputs};
use crate::content::{Event, TaxonomyKind};
use crate::fingerprint::Fingerprinter;
use crate::render::format;
use crate::render::index::Index;
use crate::render::structured;

/// An event's dates to come.
pub(super) struct Dates(usize);

impl Shown for Dates {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        for (start, called_off) in dates(r.index, self.0) {
            (start.timestamp(), called_off).hash(h);
        }
    }
}

/// A series' dates to come, each with whether it is called off, in order.
fn dates(ix: &Index<'_>, i: usize) -> Vec<(jiff::Zoned, bool)> {
    let e = &ix.dir.events[i].data;
    let mut dates: Vec<(jiff::Zoned, bool)> = ix
        .upcoming_of(i)
        .iter()
        .map(|start| (start.clone(), false))
        .collect();
    let last = dates.last().map(|(start, _)| start.timestamp());
    for day in &e.cancelled_dates {
        let Some(start) = e.start_on(*day) else {
            continue;
        };
        // Only among the dates listed: not past, nor beyond the last one
        // the page lists of a series with no end.
        let listed = start.timestamp() > ix.now
            && (last.is_none_or(|last| start.timestamp() < last)
                || e.repeat
                    .as_deref()
                    .is_some_and(crate::content::event::rule_is_bounded));
        if listed {
            dates.push((start, true));
        }
    }
    dates.sort_by(|a, b| a.0.cmp(&b.0));
    dates
}

page_inputs! {
    /// What an event's page shows.
    pub(super) struct EventPage<'a> {
        card: NextEventCard,
        event: Own<'a, Event>,
        dates: Dates,
        host: ProfileCardAt,
        consultation: Option<ConsultationCard>,
    }
}

impl<'a> EventPage<'a> {
    pub(super) fn new(ix: &'a Index<'a>, i: usize) -> Self {
        let dir = ix.dir;
        let entry = &dir.events[i];
        EventPage {
            card: NextEventCard(i),
            event: Own(entry),
            dates: Dates(i),
            host: ProfileCardAt(ix.hosts[i]),
            consultation: entry
                .data
                .consultation
                .as_deref()
                .and_then(|slug| dir.consultation_place(slug).map(ConsultationCard)),
        }
    }
}

impl PageKind for EventPage<'_> {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let ix = r.index;
        let i = self.card.0;
        let entry = self.event.0;
        let e = &entry.data;
        let mut c = Context::new();
        let card = self.card.value(ix);
        let occurrences: Vec<_> = if e.repeat.is_some() {
            dates(ix, self.dates.0)
                .iter()
                .map(|(start, cancelled)| serde_json::json!({ "when": format::when(start, None), "start_iso": format::iso(start), "cancelled": cancelled }))
                .collect()
        } else {
            Vec::new()
        };
        let venue = e.venue.as_ref().map(|v| {
            let address = v.address.clone();
            let map = address.as_deref().unwrap_or(&v.name);
            serde_json::json!({ "name": v.name, "address": address, "map_url": format::map_url(map) })
        });
        let booking_label = e.booking.as_ref().map(|b| {
            if b.scheme() == "mailto" {
                "Email to book"
            } else {
                "Book a place"
            }
        });
        let event = serde_json::json!({
            "title": card.title, "url": card.url, "kind": card.kind, "when": card.when,
            "start_iso": card.start_iso, "place": card.place, "cancelled": card.cancelled,
            "organisation": card.organisation, "origin": card.origin,
            "time_zone": e.start.time_zone().iana_name().unwrap_or("UTC"),
            "end_iso": e.end.as_ref().map(format::iso),
            "occurrences": occurrences,
            "venue": venue,
            "online_url": e.online.as_ref().map(Url::as_str),
            "audience": e.audience.sectors.iter().map(|s| ix.sector_tag(*s)).collect::<Vec<_>>(),
            "public": e.audience.public,
            "capacity": e.capacity,
            "booking_url": e.booking.as_ref().map(Url::as_str),
            "booking_label": booking_label,
            "accessibility": e.accessibility,
            "policy_areas": ix.tags(TaxonomyKind::PolicyArea, e.policy_areas.iter().map(String::as_str)),
            "host": self.host.value(ix),
            "consultation": self.consultation.map(|k| k.value(ix)),
            "body_html": self.event.body_html(ix),
        });
        c.insert("event", &event);
        let mut meta = r.meta(
            e.title.clone(),
            card.url.clone(),
            format!("{}. {}.", card.when, card.place),
            "events",
            vec![home(), crumb("Events", "/events/")],
        );
        canonical(&mut meta, &entry.origin);
        Rendered {
            template: "event.html",
            entry: Some(entry.path().to_path_buf()),
            meta,
            context: c,
            node: Some(structured::Thing::Event(structured::event(ix, i))),
        }
    }
}
