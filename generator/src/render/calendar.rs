//! iCalendar files: one per event (the "add to calendar" link), one for the
//! whole site, and one per organisation and policy area.
//!
//! Times are written in UTC, which every calendar converts to the reader's
//! zone, so no `VTIMEZONE` is needed. A repeating event is written as its
//! dates, one `VEVENT` each, since a rule with a UTC start would drift by an
//! hour across the clock change. UIDs come from the page's URL and so never
//! change; `SEQUENCE` counts the event's changes and `DTSTAMP` is its last
//! change, so rebuilding an unchanged site rewrites the same bytes.

use icalendar::{Calendar, Component, EventLike, EventStatus};
use jiff::{Timestamp, Zoned};

use super::index::Index;
use crate::content::Kind;
use crate::git_dates::GitDates;

/// One date of an event to put in a calendar.
pub struct Dated<'a> {
    /// The event's index in the directory.
    pub event: usize,
    /// When it starts.
    pub start: &'a Zoned,
    /// Whether it is one of a series (its UID then names the date).
    pub repeating: bool,
}

fn utc(at: Timestamp) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(at.as_second(), 0).unwrap_or_default()
}

/// A calendar named `name` holding `dates`.
pub fn calendar(index: &Index<'_>, history: &GitDates, name: &str, dates: &[Dated<'_>]) -> String {
    let dir = index.dir;
    let zone = dir.site.time_zone();
    let mut calendar = Calendar::new();
    calendar.name(name);
    for dated in dates {
        let entry = &dir.events[dated.event];
        let e = &entry.data;
        let url = dir.site.absolute(&Kind::Event.url(&entry.slug));
        let uid = if dated.repeating {
            format!("{url}#{}", dated.start.timestamp())
        } else {
            url.clone()
        };
        let changed = history.updated(entry, &zone);
        let mut event = icalendar::Event::new();
        event
            .uid(&uid)
            .timestamp(utc(changed))
            .last_modified(utc(changed))
            .sequence(history.sequence(entry))
            .summary(&e.title)
            .url(&url)
            .starts(utc(dated.start.timestamp()))
            .status(if e.cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        if let Some(end) = &e.end {
            let length = end.timestamp().duration_since(e.start.timestamp());
            if let Ok(end) = dated.start.timestamp().checked_add(length) {
                event.ends(utc(end));
            }
        }
        let location = match (&e.venue, &e.online) {
            (Some(venue), _) => Some(match &venue.address {
                Some(address) => format!("{}, {address}", venue.name),
                None => venue.name.clone(),
            }),
            (None, Some(online)) => Some(online.to_string()),
            (None, None) => None,
        };
        if let Some(location) = location {
            event.location(&location);
        }
        let mut description = format!("{}\n\n{url}", super::format::when(dated.start, None));
        if let Some(online) = &e.online {
            description.push_str(&format!("\nJoin online: {online}"));
        }
        event.description(&description);
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

/// Every calendar file of the site: (path, text).
pub fn files(index: &Index<'_>, history: &GitDates) -> Vec<(std::path::PathBuf, String)> {
    use std::path::PathBuf;
    let dir = index.dir;
    let dated = |events: &mut dyn Iterator<Item = usize>| -> Vec<Dated<'_>> {
        let mut out = Vec::new();
        for i in events {
            let repeating = dir.events[i].data.repeat.is_some();
            for start in index.upcoming_of(i) {
                out.push(Dated {
                    event: i,
                    start,
                    repeating,
                });
            }
        }
        out.sort_by(|a, b| a.start.cmp(b.start).then(a.event.cmp(&b.event)));
        out
    };
    let mut files = Vec::new();
    let all = dated(&mut (0..dir.events.len()));
    files.push((
        PathBuf::from("calendar.ics"),
        calendar(index, history, &format!("{}: events", dir.site.title), &all),
    ));
    for (i, entry) in dir.events.iter().enumerate() {
        let mut dates = dated(&mut std::iter::once(i));
        if dates.is_empty() {
            // A past event keeps its own date, for whoever saved the link.
            dates.push(Dated {
                event: i,
                start: &entry.data.start,
                repeating: false,
            });
        }
        files.push((
            PathBuf::from(format!("events/{}/event.ics", entry.slug)),
            calendar(index, history, &entry.data.title, &dates),
        ));
    }
    for organisation in &dir.organisations {
        let Some(events) = index.events_by_organisation.get(organisation.slug.as_str()) else {
            continue;
        };
        let dates = dated(&mut events.iter().copied());
        if !dates.is_empty() {
            files.push((
                PathBuf::from(format!("organisations/{}/calendar.ics", organisation.slug)),
                calendar(
                    index,
                    history,
                    &format!("{}: events", organisation.data.name),
                    &dates,
                ),
            ));
        }
    }
    let mut areas: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
    for (i, entry) in dir.events.iter().enumerate() {
        for area in &entry.data.policy_areas {
            areas.entry(area.as_str()).or_default().push(i);
        }
    }
    for (area, events) in areas {
        let dates = dated(&mut events.into_iter());
        if !dates.is_empty() {
            let label = dir.site.vocabulary.policy_area_label(area).unwrap_or(area);
            files.push((
                PathBuf::from(format!("policy-areas/{area}/calendar.ics")),
                calendar(index, history, &format!("{label}: events"), &dates),
            ));
        }
    }
    files
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_keeps_the_instant() {
        let at = jiff::Timestamp::from_second(1_800_000_000).expect("a time");
        assert_eq!(super::utc(at).timestamp(), 1_800_000_000);
    }
}
