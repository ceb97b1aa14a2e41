//! schema.org JSON-LD for each page, so search engines and other tools read
//! people, events and organisations as such.
//!
//! Each node is a typed struct, serialised straight to text: a page's graph
//! is written once per page, so it is not built as a JSON tree first. A
//! property with no value is left out rather than written `null` or `[]`,
//! which say no more to a reader of schema.org and are on every page.

use serde::Serialize;

use super::index::Index;
use super::views::Link;
use crate::content::Kind;

/// One node of a page's graph.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Thing<'a> {
    /// A `GovernmentOrganization`.
    Organisation(Organisation<'a>),
    /// A `Person`.
    Person(Person<'a>),
    /// An `Event`.
    Event(Event<'a>),
    /// A `BreadcrumbList`.
    Breadcrumbs(Breadcrumbs<'a>),
}

/// A `GovernmentOrganization`.
#[derive(Debug, Serialize)]
pub struct Organisation<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    name: &'a str,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "areaServed")]
    area_served: Option<&'a str>,
}

/// A `Person` working for their organisation.
#[derive(Debug, Serialize)]
pub struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    name: &'a str,
    #[serde(rename = "jobTitle")]
    job_title: &'a str,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "worksFor")]
    works_for: Option<Organisation<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    #[serde(rename = "knowsAbout")]
    knows_about: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "workLocation")]
    work_location: Option<Place<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    #[serde(rename = "knowsLanguage")]
    knows_language: &'a [String],
}

/// A `Place`, with its address when it has one.
#[derive(Debug, Serialize)]
pub struct Place<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<Option<&'a str>>,
}

/// Where an event happens: a venue or an address online.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Location<'a> {
    /// A venue.
    Place(Place<'a>),
    /// A `VirtualLocation`.
    Online {
        /// Always `VirtualLocation`.
        #[serde(rename = "@type")]
        kind: &'static str,
        /// Where to join.
        url: &'a str,
    },
}

/// An `Event`.
#[derive(Debug, Serialize)]
pub struct Event<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    name: &'a str,
    #[serde(rename = "startDate")]
    start_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "endDate")]
    end_date: Option<String>,
    #[serde(rename = "eventAttendanceMode")]
    attendance_mode: &'static str,
    #[serde(rename = "eventStatus")]
    status: &'static str,
    location: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organizer: Option<Organisation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "maximumAttendeeCapacity")]
    capacity: Option<u32>,
    url: String,
}

/// A `BreadcrumbList`.
#[derive(Debug, Serialize)]
pub struct Breadcrumbs<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    items: Vec<Crumb<'a>>,
}

/// One step of a `BreadcrumbList`.
#[derive(Debug, Serialize)]
struct Crumb<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    position: usize,
    name: &'a str,
    item: String,
}

/// A `GovernmentOrganization`.
pub fn organisation<'a>(index: &'a Index<'_>, slug: &str) -> Option<Organisation<'a>> {
    let entry = index.dir.organisation(slug)?;
    let o = &entry.data;
    let id = index.dir.site.entry_id(Kind::Organisation, slug);
    Some(Organisation {
        kind: "GovernmentOrganization",
        url: o
            .website
            .as_ref()
            .map_or_else(|| id.clone(), ToString::to_string),
        id,
        name: &o.name,
        area_served: o.region.as_deref(),
    })
}

/// A `Person` working for their organisation.
pub fn person<'a>(index: &'a Index<'_>, i: usize) -> Person<'a> {
    let entry = &index.dir.profiles[i];
    let p = &entry.data;
    let url = index.dir.site.entry_id(Kind::Profile, &entry.slug);
    Person {
        kind: "Person",
        id: url.clone(),
        name: &p.name,
        job_title: &p.role,
        url,
        works_for: organisation(index, &p.organisation),
        knows_about: p
            .policy_areas
            .iter()
            .chain(&p.interests)
            .map(String::as_str)
            .collect(),
        work_location: p.location.as_deref().map(|name| Place {
            kind: "Place",
            name,
            address: None,
        }),
        knows_language: &p.languages,
    }
}

/// An `Event`, with its attendance mode, place, organiser and status.
pub fn event<'a>(index: &'a Index<'_>, i: usize) -> Event<'a> {
    let entry = &index.dir.events[i];
    let e = &entry.data;
    let mode = match (&e.venue, &e.online) {
        (Some(_), Some(_)) => "https://schema.org/MixedEventAttendanceMode",
        (None, Some(_)) => "https://schema.org/OnlineEventAttendanceMode",
        _ => "https://schema.org/OfflineEventAttendanceMode",
    };
    let mut location = Vec::new();
    if let Some(venue) = &e.venue {
        location.push(Location::Place(Place {
            kind: "Place",
            name: &venue.name,
            address: Some(venue.address.as_deref()),
        }));
    }
    if let Some(online) = &e.online {
        location.push(Location::Online {
            kind: "VirtualLocation",
            url: online.as_str(),
        });
    }
    let start = index.upcoming_of(i).first().unwrap_or(&e.start);
    let url = index.dir.site.entry_id(Kind::Event, &entry.slug);
    Event {
        kind: "Event",
        id: url.clone(),
        name: &e.title,
        start_date: crate::render::format::iso(start),
        end_date: e.end.as_ref().map(crate::render::format::iso),
        attendance_mode: mode,
        status: if e.cancelled {
            "https://schema.org/EventCancelled"
        } else {
            "https://schema.org/EventScheduled"
        },
        location,
        organizer: e
            .organisation
            .as_deref()
            .and_then(|o| organisation(index, o)),
        capacity: e.capacity,
        url,
    }
}

/// A `BreadcrumbList` ending at the page itself.
pub fn breadcrumbs<'a>(
    index: &Index<'_>,
    crumbs: &'a [Link],
    title: &'a str,
    url: &'a str,
) -> Breadcrumbs<'a> {
    let items = crumbs
        .iter()
        .map(|c| (c.title.as_str(), c.url.as_str()))
        .chain(std::iter::once((title, url)))
        .enumerate()
        .map(|(n, (name, path))| Crumb {
            kind: "ListItem",
            position: n + 1,
            name,
            item: index.dir.site.absolute(path),
        })
        .collect();
    Breadcrumbs {
        kind: "BreadcrumbList",
        items,
    }
}

/// The JSON-LD of a page, safe inside a `<script>` element.
pub fn script(graph: &[Thing<'_>]) -> String {
    #[derive(Serialize)]
    struct Document<'g, 'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(rename = "@graph")]
        graph: &'g [Thing<'a>],
    }
    let document = Document {
        context: "https://schema.org",
        graph,
    };
    // Structs of strings and numbers always serialise.
    crate::escape::script_json(serde_json::to_string(&document).unwrap_or_default())
}
