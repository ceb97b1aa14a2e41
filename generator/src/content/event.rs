//! `content/events/<slug>.md`: open days, consultation sessions, meet-ups.

use jiff::civil::Date;
use jiff::{Timestamp, Zoned};
use url::Url;

use super::{Audience, EventKind, Kind};
use crate::diagnostic::Code;
use crate::fields::{Fields, Reader};
use crate::node::{Node, Value};

/// An event people can go to.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    /// The days of a repeating event's dates that are called off, each
    /// checked to be one of its dates; in date order.
    pub cancelled_dates: Vec<Date>,
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
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
        // A rule that did not read has been reported: its dates are not checked.
        let rule = match (&repeat, f.has("repeat")) {
            (Some(rule), _) => Some(Some(rule.as_str())),
            (None, true) => None,
            (None, false) => Some(None),
        };
        let cancelled_dates = f
            .read(r, "cancelled_dates", |r, n| {
                Some(cancelled_dates(r, n, start.as_ref().zip(rule)))
            })
            .unwrap_or_default();
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
            cancelled_dates,
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

    /// Whether the occurrence starting at `start` is one of the dates
    /// called off in `cancelled_dates` (not whether the whole event is).
    pub fn is_called_off(&self, start: &Zoned) -> bool {
        self.cancelled_dates.binary_search(&start.date()).is_ok()
    }

    /// The start of the occurrence on `day`, at the event's time of day in
    /// its zone: where a called-off date would have started.
    pub fn start_on(&self, day: Date) -> Option<Zoned> {
        day.to_datetime(self.start.time())
            .to_zoned(self.start.time_zone().clone())
            .ok()
    }

    /// The starts of the event's occurrences after `after`, at most `limit`,
    /// dates called off included: just its start for a one-off event.
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

impl Event {
    /// The first date of a repeating event: its start when the rule falls
    /// on it. A start the rule does not fall on is not one of the dates
    /// (as the lists count them), while RFC 5545 counts a calendar's
    /// `DTSTART` as one: a calendar starts the series at this date instead.
    pub fn first_start(&self) -> Option<Zoned> {
        let just_before = self
            .start
            .timestamp()
            .checked_sub(jiff::SignedDuration::from_secs(1))
            .ok()?;
        self.occurrences(just_before, 1).into_iter().next()
    }

    /// The start of the last date, or `None` for a rule with no end.
    pub fn last_start(&self) -> Option<Zoned> {
        let Some(rule) = &self.repeat else {
            return Some(self.start.clone());
        };
        if !rule_is_bounded(rule) {
            return None;
        }
        let just_before = self
            .start
            .timestamp()
            .checked_sub(jiff::SignedDuration::from_secs(1))
            .ok()?;
        self.occurrences(just_before, u16::MAX).pop()
    }

    /// The rule as a calendar writes it beside a `DTSTART` in a named
    /// zone: RFC 5545 wants its `UNTIL` in UTC then, so an `UNTIL` is
    /// written as the instant this program reads it as.
    pub fn calendar_rule(&self) -> Option<String> {
        let rule = self.repeat.as_deref()?;
        let set = rule_set(&self.start, rule).ok()?;
        let until = set
            .get_rrule()
            .first()
            .and_then(|r| r.get_until())
            .map(|u| {
                u.with_timezone(&chrono::Utc)
                    .format("%Y%m%dT%H%M%SZ")
                    .to_string()
            });
        let parts: Vec<String> = rule
            .split(';')
            .map(|part| match (part.split_once('='), &until) {
                (Some((key, _)), Some(until)) if key.eq_ignore_ascii_case("UNTIL") => {
                    format!("UNTIL={until}")
                }
                _ => part.to_string(),
            })
            .collect();
        Some(parts.join(";"))
    }
}

/// Whether a rule ends, with a `COUNT` or an `UNTIL`.
pub fn rule_is_bounded(rule: &str) -> bool {
    rule.split(';').any(|part| {
        part.split_once('=').is_some_and(|(key, _)| {
            key.eq_ignore_ascii_case("COUNT") || key.eq_ignore_ascii_case("UNTIL")
        })
    })
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

/// `cancelled_dates`: days of the series that are called off, each one of
/// its dates. `checked` is the start and the rule (none for a one-off
/// event), when both read: otherwise there is nothing to check against.
fn cancelled_dates(
    r: &mut Reader<'_>,
    node: &Node,
    checked: Option<(&Zoned, Option<&str>)>,
) -> Vec<Date> {
    let items: Vec<(Date, crate::source::Span)> = match &node.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|n| r.date(n).map(|d| (d, n.span)))
            .collect(),
        _ => r
            .list(node, Reader::date)
            .into_iter()
            .map(|d| (d, node.span))
            .collect(),
    };
    let Some((start, rule)) = checked else {
        return items.into_iter().map(|(d, _)| d).collect();
    };
    let Some(rule) = rule else {
        r.push(
            r.error(
                Code::NotAnOccurrence,
                node.span,
                "`cancelled_dates` is for an event that repeats, and this one has no `repeat`",
            )
            .with_hint("to call off a one-off event, write `cancelled: true`"),
        );
        return Vec::new();
    };
    let mut dates = Vec::new();
    for (day, span) in items {
        if is_occurrence(start, rule, day) {
            dates.push(day);
        } else {
            r.push(
                r.error(
                    Code::NotAnOccurrence,
                    span,
                    format!(
                        "{} ({}) is not one of this event's dates",
                        day,
                        day.strftime("%A %-d %B %Y")
                    ),
                )
                .with_hint(format!(
                    "list only days on which `{rule}` from {} falls; the event's page lists them",
                    start.strftime("%Y-%m-%d")
                )),
            );
        }
    }
    dates.sort_unstable();
    dates.dedup();
    dates
}

/// Whether the rule starting at `start` has an occurrence on `day`, in
/// the start's zone.
fn is_occurrence(start: &Zoned, rule: &str, day: Date) -> bool {
    let Ok(set) = rule_set(start, rule) else {
        return false;
    };
    let zone = start.time_zone();
    let bound = |d: Date| {
        d.to_zoned(zone.clone())
            .ok()
            .and_then(|z| chrono::DateTime::from_timestamp(z.timestamp().as_second(), 0))
            .map(|t| t.with_timezone(&rrule::Tz::UTC))
    };
    let (Some(from), Some(to)) = (bound(day), day.tomorrow().ok().and_then(bound)) else {
        return false;
    };
    set.after(from).before(to).all(1).dates.iter().any(|d| {
        Timestamp::from_second(d.timestamp()).is_ok_and(|t| t.to_zoned(zone.clone()).date() == day)
    })
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
