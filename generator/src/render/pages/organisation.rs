//! An organisation's pages: who, its people (a page of cards at a time),
//! its events to come and its consultations.

use tera::Context;
use url::Url;

use super::shown::{ConsultationCard, NextEventCard, Own, People, Plain};
use super::{
    PageKind, Rendered, Renderer, asset_url, canonical, crumb, home, page_inputs, page_title,
};
use crate::content::{Kind, Organisation};
use crate::render::format;
use crate::render::index::Index;
use crate::render::paginate::page_url;
use crate::render::structured;

/// How many of its events to come an organisation's page lists.
const EVENTS: usize = 10;

page_inputs! {
    /// What one page of an organisation shows.
    pub(super) struct OrganisationPage<'a> {
        organisation: Own<'a, Organisation>,
        people: People<'a>,
        events: Vec<NextEventCard>,
        consultations: Vec<ConsultationCard>,
        /// Whether it has a calendar file (see `calendar::files`).
        calendar: Plain<bool>,
    }
}

impl<'a> OrganisationPage<'a> {
    pub(super) fn new(ix: &'a Index<'a>, i: usize, number: usize) -> Self {
        let entry = &ix.dir.organisations[i];
        let slug = entry.slug.as_str();
        OrganisationPage {
            organisation: Own(entry),
            people: People {
                people: ix
                    .people_by_organisation
                    .get(slug)
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
                number,
            },
            events: ix
                .events_by_organisation
                .get(slug)
                .into_iter()
                .flatten()
                .filter(|&&e| !ix.upcoming_of(e).is_empty())
                .take(EVENTS)
                .map(|&e| NextEventCard(e))
                .collect(),
            consultations: ix
                .consultations_by_organisation
                .get(slug)
                .into_iter()
                .flatten()
                .map(|&k| ConsultationCard(k))
                .collect(),
            calendar: Plain(
                ix.events_by_organisation
                    .get(slug)
                    .into_iter()
                    .flatten()
                    .any(|&e| crate::render::calendar::in_calendars(ix, e)),
            ),
        }
    }
}

impl PageKind for OrganisationPage<'_> {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let ix = r.index;
        let entry = self.organisation.0;
        let o = &entry.data;
        let number = self.people.number;
        let url = Kind::Organisation.url(&entry.slug);
        let mut c = Context::new();
        self.people.insert(r, &mut c, &url);
        let events: Vec<_> = self.events.iter().map(|e| e.value(ix)).collect();
        let consultations: Vec<_> = self.consultations.iter().map(|k| k.value(ix)).collect();
        let organisation = serde_json::json!({
            "name": o.name,
            "sector": ix.sector_tag(o.sector),
            "website": o.website.as_ref().map(Url::as_str),
            "logo_url": o.logo.as_deref().map(asset_url),
            "region": o.region.as_deref().map(format::region_name),
            "swap_places": o.swap_places,
            "body_html": self.organisation.body_html(ix),
            "origin": ix.origin_from(&entry.origin, Some(&entry.slug)),
        });
        c.insert("organisation", &organisation);
        c.insert("events", &events);
        c.insert("consultations", &consultations);
        let calendar = self
            .calendar
            .0
            .then(|| ix.calendar_links(&format!("{url}calendar.ics")));
        c.insert("calendar", &calendar);
        c.insert("feed", "/feeds/events.xml");
        let mut meta = r.meta(
            page_title(&o.name, number),
            page_url(&url, number),
            format!("{}: {}", o.name, o.sector.label()),
            "organisations",
            vec![home(), crumb("Organisations", "/organisations/")],
        );
        canonical(&mut meta, &entry.origin);
        Rendered {
            template: "organisation.html",
            entry: Some(entry.path().to_path_buf()),
            meta,
            context: c,
            node: structured::organisation(ix, &entry.slug).map(structured::Thing::Organisation),
        }
    }
}
