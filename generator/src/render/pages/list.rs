//! The lists with pages of their own: profiles and organisations A–Z,
//! events to come and past, consultations, open and closed asks.

use std::hash::Hash;

use tera::Context;

use super::shown::{AskCard, ConsultationCard, EventCard, People, Plain, Shown};
use super::{PageKind, Rendered, Renderer, crumb, groups, home, page_inputs, page_title};
use crate::content::Kind;
use crate::fingerprint::Fingerprinter;
use crate::render::format;
use crate::render::index::Index;
use crate::render::paginate::{page_count, page_range, page_url, pagination};

/// The lists that have a page (or pages) of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(in crate::render) enum List {
    Profiles,
    Organisations,
    UpcomingEvents,
    PastEvents,
    Consultations,
    OpenAsks,
    ClosedAsks,
}

impl List {
    pub(in crate::render) const ALL: [List; 7] = [
        List::Profiles,
        List::Organisations,
        List::UpcomingEvents,
        List::PastEvents,
        List::Consultations,
        List::OpenAsks,
        List::ClosedAsks,
    ];

    pub(in crate::render) fn url(self) -> &'static str {
        match self {
            List::Profiles => "/profiles/",
            List::Organisations => "/organisations/",
            List::UpcomingEvents => "/events/",
            List::PastEvents => "/events/past/",
            List::Consultations => "/consultations/",
            List::OpenAsks => "/asks/",
            List::ClosedAsks => "/asks/closed/",
        }
    }

    pub(in crate::render) fn len(self, index: &Index<'_>) -> usize {
        match self {
            List::Profiles => index.profiles_az.len(),
            List::Organisations => index.organisations_az.len(),
            List::UpcomingEvents => index.upcoming.len(),
            List::PastEvents => index.past.len(),
            List::Consultations => index.consultations.len(),
            List::OpenAsks => index.open_asks.len(),
            List::ClosedAsks => index.closed_asks.len(),
        }
    }
}

/// An organisation as its list shows it: its file, and how many people it has.
pub(super) struct OrganisationRow(usize);

impl Shown for OrganisationRow {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        let ix = r.index;
        let o = &ix.dir.organisations[self.0];
        o.file.digest().hash(h);
        people(ix, self.0).hash(h);
    }
}

fn people(ix: &Index<'_>, organisation: usize) -> usize {
    let slug = ix.dir.organisations[organisation].slug.as_str();
    ix.people_by_organisation.get(slug).map_or(0, Vec::len)
}

/// The items of one page of a list.
pub(super) enum Items<'a> {
    Profiles(People<'a>),
    Organisations(Vec<OrganisationRow>),
    Events(Vec<EventCard<'a>>),
    Consultations(Vec<ConsultationCard>),
    Asks(Vec<AskCard>),
}

impl Shown for Items<'_> {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        match self {
            Items::Profiles(people) => people.hash_into(r, h),
            Items::Organisations(rows) => rows.hash_into(r, h),
            Items::Events(cards) => cards.hash_into(r, h),
            Items::Consultations(cards) => cards.hash_into(r, h),
            Items::Asks(cards) => cards.hash_into(r, h),
        }
    }
}

page_inputs! {
    /// What one page of a list shows.
    pub(super) struct ListPage<'a> {
        list: Plain<List>,
        number: Plain<usize>,
        total: Plain<usize>,
        items: Items<'a>,
    }
}

impl<'a> ListPage<'a> {
    pub(super) fn new(ix: &'a Index<'a>, list: List, number: usize) -> Self {
        let total = list.len(ix);
        let range = page_range(total, number);
        let items = match list {
            List::Profiles => Items::Profiles(People {
                people: &ix.profiles_az,
                number,
            }),
            List::Organisations => Items::Organisations(
                ix.organisations_az[range]
                    .iter()
                    .map(|&i| OrganisationRow(i))
                    .collect(),
            ),
            List::UpcomingEvents => Items::Events(
                ix.upcoming[range]
                    .iter()
                    .map(|o| EventCard {
                        event: o.event,
                        start: Some((&o.start, o.end.as_ref())),
                    })
                    .collect(),
            ),
            List::PastEvents => Items::Events(
                ix.past[range]
                    .iter()
                    .map(|&event| EventCard { event, start: None })
                    .collect(),
            ),
            List::Consultations => Items::Consultations(
                ix.consultations[range]
                    .iter()
                    .map(|&i| ConsultationCard(i))
                    .collect(),
            ),
            List::OpenAsks => {
                Items::Asks(ix.open_asks[range].iter().map(|&i| AskCard(i)).collect())
            }
            List::ClosedAsks => {
                Items::Asks(ix.closed_asks[range].iter().map(|&i| AskCard(i)).collect())
            }
        };
        ListPage {
            list: Plain(list),
            number: Plain(number),
            total: Plain(total),
            items,
        }
    }
}

impl PageKind for ListPage<'_> {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let ix = r.index;
        let dir = ix.dir;
        let list = self.list.0;
        let number = self.number.0;
        let total = self.total.0;
        let base = list.url();
        let mut c = Context::new();
        c.insert("total", &total);
        c.insert("pagination", &pagination(base, number, page_count(total)));
        let url = page_url(base, number);
        let (template, title, section, description) = match &self.items {
            Items::Profiles(people) => {
                people.insert(r, &mut c, base);
                (
                    "profiles.html",
                    "Profiles",
                    "profiles",
                    format!("{total} public servants open to meeting across sectors, A to Z."),
                )
            }
            Items::Organisations(rows) => {
                let items: Vec<_> = rows
                    .iter()
                    .map(|&OrganisationRow(i)| {
                        let o = &dir.organisations[i];
                        serde_json::json!({
                            "name": o.data.name,
                            "url": Kind::Organisation.url(&o.slug),
                            "sector": ix.sector_tag(o.data.sector),
                            "region": o.data.region.as_deref().map(format::region_name),
                            "people": people(ix, i),
                            "origin": ix.origin_from(&o.origin, Some(&o.slug)),
                        })
                    })
                    .collect();
                c.insert(
                    "groups",
                    &groups(&items, |o| {
                        o["name"].as_str().unwrap_or_default().to_string()
                    }),
                );
                c.insert("items", &items);
                (
                    "organisations.html",
                    "Organisations",
                    "organisations",
                    format!("{total} organisations."),
                )
            }
            Items::Events(cards) => {
                let past = list == List::PastEvents;
                let items: Vec<_> = cards.iter().map(|e| e.value(ix)).collect();
                c.insert("items", &items);
                c.insert("past", &past);
                c.insert("other_url", if past { "/events/" } else { "/events/past/" });
                c.insert("calendar", &ix.calendar_links("/calendar.ics"));
                c.insert("feed", "/feeds/events.xml");
                if past {
                    (
                        "events.html",
                        "Past events",
                        "events",
                        format!("{total} past events."),
                    )
                } else {
                    (
                        "events.html",
                        "Events",
                        "events",
                        format!("{total} upcoming events."),
                    )
                }
            }
            Items::Consultations(cards) => {
                let mut groups: Vec<serde_json::Value> = Vec::new();
                for card in cards {
                    let card = card.value(ix);
                    let slug = card.status.slug;
                    match groups.last_mut() {
                        Some(group) if group["status"]["slug"] == slug => {
                            if let Some(items) = group["items"].as_array_mut() {
                                items.push(serde_json::to_value(&card).unwrap_or_default());
                            }
                        }
                        _ => groups
                            .push(serde_json::json!({ "status": card.status, "items": [card] })),
                    }
                }
                c.insert("groups", &groups);
                (
                    "consultations.html",
                    "Consultations",
                    "consultations",
                    format!("{total} consultations: upcoming, open and closed."),
                )
            }
            Items::Asks(cards) => {
                let closed = list == List::ClosedAsks;
                let items: Vec<_> = cards.iter().map(|a| a.value(ix)).collect();
                c.insert("items", &items);
                c.insert("closed", &closed);
                c.insert("other_url", if closed { "/asks/" } else { "/asks/closed/" });
                if closed {
                    (
                        "asks.html",
                        "Closed asks",
                        "asks",
                        format!("{total} closed or filled asks."),
                    )
                } else {
                    ("asks.html", "Asks", "asks", format!("{total} open asks."))
                }
            }
        };
        let mut breadcrumbs = vec![home()];
        if list == List::PastEvents {
            breadcrumbs.push(crumb("Events", "/events/"));
        }
        if list == List::ClosedAsks {
            breadcrumbs.push(crumb("Asks", "/asks/"));
        }
        let meta = r.meta(
            page_title(title, number),
            url,
            description,
            section,
            breadcrumbs,
        );
        Rendered::plain(template, meta, c)
    }
}
