//! `content/events/<slug>.md`: open days, consultation sessions, meet-ups.

use jiff::{Timestamp, Zoned};
use url::Url;

use super::{Audience, EventKind, Kind};
use crate::diagnostic::Code;
use crate::fields::{Fields, Reader};
use crate::node::{Node, Value};

/// An event people can go to.
#[derive(Debug, Clone)]
pub struct Event {
    /// Its title.
    pub title: String,
    /// What kind of event.
    pub kind: EventKind,
    /// When it starts, in the site's zone.
    pub start: Zoned,
    /// When it ends, if said.
    pub end: Option<Zoned>,
    /// An RFC 5545 recurrence rule (`FREQ=MONTHLY;BYDAY=2TH`), checked.
    pub repeat: Option<String>,
    /// Where it is held in person.
    pub venue: Option<Venue>,
    /// A link to join online.
    pub online: Option<Url>,
    /// Who is invited (everyone in public service, if no one is named).
    pub audience: Audience,
    /// How many people can come.
    pub capacity: Option<u32>,
    /// Where to book: a web page or `mailto:`.
    pub booking: Option<Url>,
    /// The profile hosting it.
    pub host: Option<String>,
    /// The organisation holding it; the site's first when not said.
    pub organisation: Option<String>,
    /// The consultation it is a session of.
    pub consultation: Option<String>,
    /// Policy areas it concerns.
    pub policy_areas: Vec<String>,
    /// Access arrangements, in words.
    pub accessibility: Option<String>,
    /// Whether it has been called off.
    pub cancelled: bool,
}

/// A place an event is held.
#[derive(Debug, Clone)]
pub struct Venue {
    /// The building or room.
    pub name: String,
    /// Its postal address.
    pub address: Option<String>,
}

impl Event {
    pub(crate) fn read(r: &mut Reader<'_>, f: &mut Fields<'_>) -> Option<Self> {
        let title = f.read_required(r, "title", Reader::text);
        let kind = f.read_required(r, "kind", Reader::choice);
        let start_span = f.key_span("start");
        let start = f.read_required(r, "start", Reader::date_time);
        let end_node = f.get("end");
        let end = end_node.and_then(|n| r.date_time(n));
        if let (Some(start), Some(end), Some(node)) = (&start, &end, end_node)
            && end <= start
        {
            r.push(
                r.error(
                    Code::EndBeforeStart,
                    node.span,
                    format!(
                        "the event ends ({}) before it starts ({})",
                        end.strftime("%Y-%m-%d %H:%M"),
                        start.strftime("%Y-%m-%d %H:%M")
                    ),
                )
                .with_hint("check the date and the 24-hour time of `start` and `end`"),
            );
        }
        if end_node.is_none()
            && let Some(span) = start_span
        {
            r.push(
                r.warning(Code::NoEnd, span, "the event has no `end`")
                    .with_hint("add `end:` so calendars show how long it lasts"),
            );
        }
        // A rule is checked even when the start is wrong, against a stand-in
        // start, so both mistakes show in one run.
        let repeat = f.get("repeat").and_then(|node| {
            let stand_in = Timestamp::UNIX_EPOCH.to_zoned(r.context.time_zone.clone());
            repeat_rule(r, node, start.as_ref().unwrap_or(&stand_in))
        });
        let venue = f.read(r, "venue", read_venue);
        let online = f.read(r, "online", |r, n| r.url(n, &["https", "http"]));
        if venue.is_none() && online.is_none() && !f.has("venue") && !f.has("online") {
            r.push(
                r.error(
                    Code::NoPlace,
                    f.span(),
                    "the event has neither a `venue` nor an `online` link",
                )
                .with_hint("add `venue:` with a name and address, `online:` with a link, or both"),
            );
        }
        let audience = f.read(r, "audience", Audience::read).unwrap_or_default();
        let capacity = f.read(r, "capacity", |r, n| r.number(n, 1, 1_000_000));
        let booking = f.read(r, "booking", |r, n| r.url(n, &["https", "http", "mailto"]));
        let host = f.read(r, "host", |r, n| r.reference(n, Kind::Profile, "host"));
        let organisation = f.read(r, "organisation", |r, n| {
            r.reference(n, Kind::Organisation, "organisation")
        });
        let consultation = f.read(r, "consultation", |r, n| {
            r.reference(n, Kind::Consultation, "consultation")
        });
        let policy_areas = f
            .read(r, "policy_areas", |r, n| {
                Some(r.list(n, Reader::policy_area))
            })
            .unwrap_or_default();
        let accessibility = f.read(r, "accessibility", Reader::text);
        let cancelled = f.read(r, "cancelled", Reader::boolean).unwrap_or(false);
        Some(Self {
            title: title?,
            kind: kind?,
            start: start?,
            end,
            repeat,
            venue,
            online,
            audience,
            capacity,
            booking,
            host,
            organisation,
            consultation,
            policy_areas,
            accessibility,
            cancelled,
        })
    }

    /// The starts of the event's occurrences after `after`, at most `limit`:
    /// just its start for a one-off event.
    pub fn occurrences(&self, after: Timestamp, limit: u16) -> Vec<Zoned> {
        let Some(rule) = &self.repeat else {
            return (self.start.timestamp() > after)
                .then(|| self.start.clone())
                .into_iter()
                .collect();
        };
        let Ok(set) = rule_set(&self.start, rule) else {
            return Vec::new();
        };
        let after = chrono::DateTime::from_timestamp(after.as_second(), 0)
            .map(|t| t.with_timezone(&rrule::Tz::UTC));
        let set = match after {
            Some(after) => set.after(after),
            None => set,
        };
        set.all(limit)
            .dates
            .into_iter()
            .filter_map(|d| Timestamp::from_second(d.timestamp()).ok())
            .map(|t| t.to_zoned(self.start.time_zone().clone()))
            .collect()
    }
}

/// The recurrence set of a rule starting at `start`; the checker and the
/// calendar both go through here, so what checks clean also expands.
fn rule_set(start: &Zoned, rule: &str) -> Result<rrule::RRuleSet, rrule::RRuleError> {
    let zone = start
        .time_zone()
        .iana_name()
        .filter(|name| name.parse::<chrono_tz::Tz>().is_ok())
        .unwrap_or("UTC");
    let local = if zone == "UTC" {
        start
            .timestamp()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .datetime()
    } else {
        start.datetime()
    };
    format!(
        "DTSTART;TZID={zone}:{}\nRRULE:{rule}",
        local.strftime("%Y%m%dT%H%M%S")
    )
    .parse()
}

fn repeat_rule(r: &mut Reader<'_>, node: &Node, start: &Zoned) -> Option<String> {
    let text = r.text(node)?;
    let rule = text.strip_prefix("RRULE:").unwrap_or(&text).to_string();
    match rule_set(start, &rule) {
        Ok(_) => Some(rule),
        Err(e) => {
            r.push(
                r.error(Code::InvalidRepeat, node.span, format!("`{rule}` is not a valid repeat rule: {e}"))
                    .with_hint("write an RFC 5545 rule, like `FREQ=MONTHLY;BYDAY=2TH;COUNT=6` (the second Thursday, six times)"),
            );
            None
        }
    }
}

fn read_venue(r: &mut Reader<'_>, node: &Node) -> Option<Venue> {
    if let Value::Str(_) = node.value {
        return r.text(node).map(|name| Venue {
            name,
            address: None,
        });
    }
    let mut f = Fields::described(r, node, node.span, "`venue`", crate::content::model::VENUE)?;
    let name = f.read_required(r, "name", Reader::text);
    let address = f.read(r, "address", Reader::text);
    f.finish(r);
    Some(Venue {
        name: name?,
        address,
    })
}
