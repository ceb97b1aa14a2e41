//! Each kind's own fields in `directory.json`, written straight from the
//! entry (named here, so that the export's shape is read in one place).

use serde::Serialize;
use url::Url;

use crate::content::{
    Ask, AskKind, Consultation, Event, EventKind, OpenTo, Organisation, Page, Profession, Profile,
    Sector, Vetting,
};
use crate::render::index::Index;

/// An organisation's fields.
#[derive(Serialize)]
pub(super) struct OrganisationFields<'a> {
    name: &'a str,
    sector: Sector,
    website: Option<&'a Url>,
    logo: Option<&'a str>,
    region: Option<&'a str>,
    swap_places: Option<u32>,
}

impl<'a> OrganisationFields<'a> {
    pub(super) fn new(o: &'a Organisation) -> Self {
        OrganisationFields {
            name: &o.name,
            sector: o.sector,
            website: o.website.as_ref(),
            logo: o.logo.as_deref(),
            region: o.region.as_deref(),
            swap_places: o.swap_places,
        }
    }
}

/// How to reach someone.
#[derive(Serialize)]
struct Contact<'a> {
    email: Option<&'a str>,
    fediverse: Option<&'a str>,
    linkedin: Option<&'a Url>,
}

/// The job swap someone offers, with the level of the job they would hand
/// over, as their page shows it.
#[derive(Serialize)]
struct Swap<'a> {
    months: u32,
    level: Option<u8>,
    sectors: &'a [Sector],
    policy_areas: &'a [String],
    locations: &'a [String],
    regulated: Option<Profession>,
    vetting: Option<Vetting>,
}

/// A profile's fields: what its page shows, and no more. Who may be
/// matched when (`paused_until`, which can tell of leave), cohorts and
/// settings stay in the files.
#[derive(Serialize)]
pub(super) struct ProfileFields<'a> {
    name: &'a str,
    role: &'a str,
    organisation: &'a str,
    grade: Option<&'a str>,
    location: Option<&'a str>,
    policy_areas: &'a [String],
    interests: &'a [String],
    open_to: &'a [OpenTo],
    languages: &'a [String],
    pronouns: Option<&'a str>,
    contact: Contact<'a>,
    programmes: &'a [String],
    swap: Option<Swap<'a>>,
}

impl<'a> ProfileFields<'a> {
    pub(super) fn new(p: &'a Profile) -> Self {
        ProfileFields {
            name: &p.name,
            role: &p.role,
            organisation: &p.organisation,
            grade: p.grade.as_deref(),
            location: p.location.as_deref(),
            policy_areas: &p.policy_areas,
            interests: &p.interests,
            open_to: &p.open_to,
            languages: &p.languages,
            pronouns: p.pronouns.as_deref(),
            contact: Contact {
                email: p.contact.email.as_deref(),
                fediverse: p.contact.fediverse.as_deref(),
                linkedin: p.contact.linkedin.as_deref(),
            },
            programmes: &p.programmes,
            swap: p.swap.as_ref().map(|s| Swap {
                months: s.months,
                level: p.level,
                sectors: &s.sectors,
                policy_areas: &s.policy_areas,
                locations: &s.locations,
                regulated: s.regulated,
                vetting: s.vetting,
            }),
        }
    }
}

/// Where an event is held.
#[derive(Serialize)]
struct Venue<'a> {
    name: &'a str,
    address: Option<&'a str>,
}

/// An event's fields, with its dates to come.
#[derive(Serialize)]
pub(super) struct EventFields<'a> {
    title: &'a str,
    kind: EventKind,
    start: String,
    end: Option<String>,
    time_zone: Option<&'a str>,
    repeat: Option<&'a str>,
    /// The dates of a series called off, which `upcoming` leaves out.
    cancelled_dates: Vec<String>,
    upcoming: Vec<String>,
    venue: Option<Venue<'a>>,
    online: Option<&'a Url>,
    audience: Vec<&'static str>,
    capacity: Option<u32>,
    booking: Option<&'a Url>,
    host: Option<&'a str>,
    organisation: Option<&'a str>,
    consultation: Option<&'a str>,
    policy_areas: &'a [String],
    accessibility: Option<&'a str>,
    cancelled: bool,
}

impl<'a> EventFields<'a> {
    /// The fields of the event at position `i` of the directory.
    pub(super) fn new(index: &Index<'_>, i: usize, v: &'a Event) -> Self {
        EventFields {
            title: &v.title,
            kind: v.kind,
            start: crate::render::format::iso(&v.start),
            end: v.end.as_ref().map(crate::render::format::iso),
            time_zone: v.start.time_zone().iana_name(),
            repeat: v.repeat.as_deref(),
            cancelled_dates: v.cancelled_dates.iter().map(ToString::to_string).collect(),
            upcoming: index
                .upcoming_of(i)
                .iter()
                .map(crate::render::format::iso)
                .collect(),
            venue: v.venue.as_ref().map(|x| Venue {
                name: &x.name,
                address: x.address.as_deref(),
            }),
            online: v.online.as_ref(),
            audience: v.audience.slugs(),
            capacity: v.capacity,
            booking: v.booking.as_ref(),
            host: v.host.as_deref(),
            organisation: v.organisation.as_deref(),
            consultation: v.consultation.as_deref(),
            policy_areas: &v.policy_areas,
            accessibility: v.accessibility.as_deref(),
            cancelled: v.cancelled,
        }
    }
}

/// How to respond to a consultation.
#[derive(Serialize)]
struct Respond<'a> {
    url: Option<&'a Url>,
    email: Option<&'a str>,
    post: Option<&'a str>,
}

/// A consultation's fields, with its status now.
#[derive(Serialize)]
pub(super) struct ConsultationFields<'a> {
    title: &'a str,
    opens: String,
    closes: String,
    status: &'static str,
    policy_areas: &'a [String],
    lead: Option<&'a str>,
    organisation: Option<&'a str>,
    audience: Vec<&'static str>,
    respond: Respond<'a>,
    outcome: Option<&'a Url>,
}

impl<'a> ConsultationFields<'a> {
    pub(super) fn new(index: &Index<'_>, c: &'a Consultation) -> Self {
        ConsultationFields {
            title: &c.title,
            opens: crate::render::format::iso(&c.opens),
            closes: crate::render::format::iso(&c.closes),
            status: crate::render::views::status(c.status(index.now)).slug,
            policy_areas: &c.policy_areas,
            lead: c.lead.as_deref(),
            organisation: c.organisation.as_deref(),
            audience: c.audience.slugs(),
            respond: Respond {
                url: c.respond.url.as_ref(),
                email: c.respond.email.as_deref(),
                post: c.respond.post.as_deref(),
            },
            outcome: c.outcome.as_ref(),
        }
    }
}

/// An ask's fields.
#[derive(Serialize)]
pub(super) struct AskFields<'a> {
    title: &'a str,
    kind: AskKind,
    by: &'a str,
    closes: Option<String>,
    policy_areas: &'a [String],
    filled: bool,
}

impl<'a> AskFields<'a> {
    pub(super) fn new(a: &'a Ask) -> Self {
        AskFields {
            title: &a.title,
            kind: a.kind,
            by: &a.by,
            closes: a.closes.map(|d| d.to_string()),
            policy_areas: &a.policy_areas,
            filled: a.filled,
        }
    }
}

/// A free page's fields.
#[derive(Serialize)]
pub(super) struct PageFields<'a> {
    title: &'a str,
}

impl<'a> PageFields<'a> {
    pub(super) fn new(p: &'a Page) -> Self {
        PageFields { title: &p.title }
    }
}
