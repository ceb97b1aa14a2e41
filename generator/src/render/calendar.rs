//! iCalendar files: one per event (the "add to calendar" link), one for the
//! whole site, and one per organisation and policy area, to subscribe to.
//!
//! Each event is one `VEVENT`, a repeating one with its rule (`RRULE`), its
//! dates called off (`EXDATE`) and its start in the site's zone
//! (`DTSTART;TZID=…`), with that zone's `VTIMEZONE`: so a calendar program
//! adds one series, which keeps its local time across clock changes. UIDs
//! are the event's page address and so never change; `SEQUENCE` counts the
//! event's changes and `DTSTAMP` is its last change, so rebuilding an
//! unchanged site rewrites the same bytes. Past events stay in the
//! calendars to subscribe to for `[calendars] keep_past_months`, as a
//! calendar program removes what drops out of a subscribed calendar.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};

use super::ics::Writer;
use super::index::Index;
use crate::content::{Entry, Event, Kind};
use crate::git_dates::GitDates;

/// The most characters of an event's description put in `DESCRIPTION`:
/// a calendar shows it in a small box, and the page has the rest.
const DESCRIPTION_CHARS: usize = 600;

/// How many years past the build a zone's clock changes are written for a
/// series with no end.
const ENDLESS_YEARS: i16 = 5;

/// An instant in UTC, `20270114T183000Z`.
fn utc(at: Timestamp) -> String {
    at.to_zoned(TimeZone::UTC)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// The zone a time is written in with `TZID`, if it has a name calendar
/// programs know; otherwise (UTC, a bare offset) it is written in UTC.
fn zone_name(at: &Zoned) -> Option<&str> {
    at.time_zone()
        .iana_name()
        .filter(|name| *name != "UTC" && name.parse::<chrono_tz::Tz>().is_ok())
}

/// `DTSTART`, `DTEND` or one `EXDATE`: local time with `TZID` in a named
/// zone, else UTC.
fn date_time(w: &mut Writer, name: &str, at: &Zoned, zone: &TimeZone) {
    let at = at.with_time_zone(zone.clone());
    match zone_name(&at) {
        Some(tzid) => w.value(
            name,
            &[("TZID", tzid)],
            &at.strftime("%Y%m%dT%H%M%S").to_string(),
        ),
        None => w.value(name, &[], &utc(at.timestamp())),
    }
}

/// Whether the policy area `area` has a calendar file: whether any of its
/// events is [`in_calendars`]. Found for every area at once, on first
/// asking, as every policy area's page asks.
pub fn has_policy_area_calendar(index: &Index<'_>, area: &str) -> bool {
    index
        .calendar_areas
        .get_or_init(|| {
            (0..index.dir.events.len())
                .filter(|&i| in_calendars(index, i))
                .flat_map(|i| index.dir.events[i].data.policy_areas.iter().cloned())
                .collect()
        })
        .contains(area)
}

/// Whether an event is in the calendars people subscribe to: it has a
/// date still to come, or one that ended less than `keep_past_months` ago.
pub fn in_calendars(index: &Index<'_>, i: usize) -> bool {
    let event = &index.dir.events[i].data;
    kept_since(index, event).is_none_or(|since| !event.occurrences(since, 1).is_empty())
}

/// How long an event lasts (nothing, without an end).
fn length(event: &crate::content::Event) -> jiff::SignedDuration {
    event
        .end
        .as_ref()
        .map(|end| end.timestamp().duration_since(event.start.timestamp()))
        .unwrap_or_default()
}

/// The moment after which an occurrence must start for the calendars to
/// keep it: one that ended less than `keep_past_months` ago.
fn kept_since(index: &Index<'_>, event: &crate::content::Event) -> Option<jiff::Timestamp> {
    let dir = index.dir;
    let months = i64::from(dir.site.calendars.keep_past_months);
    let cutoff = index
        .now
        .to_zoned(dir.site.time_zone())
        .checked_sub(months.months())
        .ok()?;
    Some(
        cutoff
            .timestamp()
            .checked_sub(length(event))
            .unwrap_or(cutoff.timestamp()),
    )
}

/// When an event with no date to come leaves the calendars:
/// `keep_past_months` after its last date ended; `None` if it has left.
pub fn leaves_calendars(index: &Index<'_>, i: usize) -> Option<jiff::Timestamp> {
    let dir = index.dir;
    let event = &dir.events[i].data;
    let since = kept_since(index, event)?;
    // A series kept for ten years at most: a few hundred dates.
    let last = event.occurrences(since, 1_000).pop()?;
    let months = i64::from(dir.site.calendars.keep_past_months);
    let ended = last.checked_add(length(event)).ok()?;
    Some(ended.checked_add(months.months()).ok()?.timestamp())
}

/// A calendar named `name` holding `events` (by their place in the
/// directory), in that order, each written as `vevents` holds it.
fn calendar(index: &Index<'_>, name: &str, events: &[usize], vevents: &[String]) -> String {
    let dir = index.dir;
    let mut w = Writer::new();
    w.begin("VCALENDAR");
    w.value("VERSION", &[], "2.0");
    w.text(
        "PRODID",
        &format!("-//Interchange//{}//EN", dir.site.title.replace("//", "/")),
    );
    w.value("CALSCALE", &[], "GREGORIAN");
    w.value("METHOD", &[], "PUBLISH");
    w.text("NAME", name);
    w.text("X-WR-CALNAME", name);

    // The zones the events' times are written in, each with the span of
    // time its clock changes must cover.
    let mut zones: Vec<(TimeZone, String, Timestamp, Timestamp)> = Vec::new();
    let endless_until = jiff::civil::date(index.today.year().saturating_add(ENDLESS_YEARS), 1, 1)
        .to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MAX);
    for &i in events {
        let e = &dir.events[i].data;
        let Some(tzid) = zone_name(&e.start) else {
            continue;
        };
        let from = e.start.timestamp();
        let to = match e.last_start() {
            Some(last) => e
                .end
                .as_ref()
                .and_then(|end| {
                    let length = end.timestamp().duration_since(e.start.timestamp());
                    last.timestamp().checked_add(length).ok()
                })
                .unwrap_or(last.timestamp()),
            None => endless_until.max(from),
        };
        match zones.iter_mut().find(|(_, name, _, _)| name == tzid) {
            Some((_, _, start, end)) => {
                *start = (*start).min(from);
                *end = (*end).max(to);
            }
            None => zones.push((e.start.time_zone().clone(), tzid.to_string(), from, to)),
        }
    }
    for (zone, tzid, from, to) in &zones {
        vtimezone(&mut w, zone, tzid, *from, *to);
    }

    for &i in events {
        w.append(&vevents[i]);
    }
    w.end("VCALENDAR");
    w.finish()
}

/// One event: its only date, or its series.
fn vevent(
    index: &Index<'_>,
    history: &GitDates,
    entry: &Entry<Event>,
    site_zone: &TimeZone,
) -> String {
    let mut w = Writer::new();
    let dir = index.dir;
    let e = &entry.data;
    let url = dir.site.absolute(&Kind::Event.url(&entry.slug));
    let changed = history.updated(entry, site_zone);
    let zone = e.start.time_zone();
    let rule = e.calendar_rule();
    let start = match &rule {
        Some(_) => e.first_start().unwrap_or_else(|| e.start.clone()),
        None => e.start.clone(),
    };
    w.begin("VEVENT");
    w.value("UID", &[], &url);
    w.value("DTSTAMP", &[], &utc(changed));
    w.value("LAST-MODIFIED", &[], &utc(changed));
    w.value("SEQUENCE", &[], &history.sequence(entry).to_string());
    w.text("SUMMARY", &e.title);
    w.value("URL", &[], &url);
    date_time(&mut w, "DTSTART", &start, zone);
    if let Some(end) = &e.end {
        let length = end.timestamp().duration_since(e.start.timestamp());
        if let Ok(end) = start.checked_add(length) {
            date_time(&mut w, "DTEND", &end, zone);
        }
    }
    if let Some(rule) = &rule {
        w.value("RRULE", &[], rule);
        for day in &e.cancelled_dates {
            if let Some(at) = e.start_on(*day) {
                date_time(&mut w, "EXDATE", &at, zone);
            }
        }
    }
    w.value(
        "STATUS",
        &[],
        if e.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        },
    );
    if let Some(location) = location(e) {
        w.text("LOCATION", &location);
    }
    w.text("DESCRIPTION", &description(entry, &url));
    w.end("VEVENT");
    w.finish()
}

/// Where, as one line: the venue and its address, or the link to join.
fn location(e: &Event) -> Option<String> {
    match (&e.venue, &e.online) {
        (Some(venue), _) => Some(match &venue.address {
            Some(address) => format!("{}, {address}", venue.name),
            None => venue.name.clone(),
        }),
        (None, Some(online)) => Some(online.to_string()),
        (None, None) => None,
    }
}

/// What a calendar shows under the title: the start of the event's
/// description, how it repeats, where, how to join and book, its access
/// arrangements, and its page.
fn description(entry: &Entry<Event>, url: &str) -> String {
    let e = &entry.data;
    let mut parts: Vec<String> = Vec::new();
    let body = plain_text(entry.body(), DESCRIPTION_CHARS);
    if !body.is_empty() {
        parts.push(body);
    }
    if let Some(rule) = &e.repeat {
        let mut repeats =
            super::series::describe(rule, &e.start).unwrap_or_else(|| "Repeats".to_string());
        if !e.cancelled_dates.is_empty() {
            let days: Vec<String> = e
                .cancelled_dates
                .iter()
                .map(|d| d.strftime("%-d %B %Y").to_string())
                .collect();
            repeats.push_str(&format!(". Cancelled: {}", days.join(", ")));
        }
        parts.push(format!("{repeats}."));
    }
    let mut details = Vec::new();
    if let Some(venue) = &e.venue {
        details.push(match &venue.address {
            Some(address) => format!("Where: {}, {address}", venue.name),
            None => format!("Where: {}", venue.name),
        });
    }
    if let Some(online) = &e.online {
        details.push(format!("Join online: {online}"));
    }
    if let Some(booking) = &e.booking {
        if booking.scheme() == "mailto" {
            details.push(format!("Book by email: {}", booking.path()));
        } else {
            details.push(format!("Book: {booking}"));
        }
    }
    if let Some(access) = &e.accessibility {
        details.push(format!("Access: {access}"));
    }
    details.push(format!("More: {url}"));
    parts.push(details.join("\n"));
    parts.join("\n\n")
}

/// A body's text without its markup, cut at a word to at most `chars`
/// characters, with "…" where it was cut.
fn plain_text(body: &str, chars: usize) -> String {
    // A word is at least two characters with the space after it.
    let text = crate::markdown::text(body, chars / 2);
    if text.chars().count() <= chars {
        return text;
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 2 > chars {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// A zone's `VTIMEZONE`: the offset in force at `from`, and each clock
/// change until `to`, one observance each. Written from the zone's own
/// transitions rather than as a yearly rule, as the zone database holds
/// transitions, and a rule guessed from them could be wrong.
fn vtimezone(w: &mut Writer, zone: &TimeZone, tzid: &str, from: Timestamp, to: Timestamp) {
    w.begin("VTIMEZONE");
    w.value("TZID", &[], tzid);
    let just_after = from
        .checked_add(jiff::SignedDuration::from_secs(1))
        .unwrap_or(from);
    match zone.preceding(just_after).next() {
        Some(t) => observance(
            w,
            zone,
            t.timestamp(),
            t.offset(),
            t.dst().is_dst(),
            t.abbreviation(),
        ),
        None => {
            // A zone with no clock change before `from`: its offset since
            // the epoch.
            let info = zone.to_offset_info(from);
            w.begin(if info.dst().is_dst() {
                "DAYLIGHT"
            } else {
                "STANDARD"
            });
            w.value("DTSTART", &[], "19700101T000000");
            w.value("TZOFFSETFROM", &[], &offset(info.offset()));
            w.value("TZOFFSETTO", &[], &offset(info.offset()));
            w.text("TZNAME", info.abbreviation());
            w.end(if info.dst().is_dst() {
                "DAYLIGHT"
            } else {
                "STANDARD"
            });
        }
    }
    for t in zone.following(just_after) {
        if t.timestamp() > to {
            break;
        }
        observance(
            w,
            zone,
            t.timestamp(),
            t.offset(),
            t.dst().is_dst(),
            t.abbreviation(),
        );
    }
    w.end("VTIMEZONE");
}

/// One clock change: from its moment on, the offset `to`.
fn observance(
    w: &mut Writer,
    zone: &TimeZone,
    at: Timestamp,
    to: jiff::tz::Offset,
    dst: bool,
    name: &str,
) {
    let before = at
        .checked_sub(jiff::SignedDuration::from_secs(1))
        .map(|t| zone.to_offset(t))
        .unwrap_or(to);
    let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
    w.begin(kind);
    // The onset is written in the local time before the change (RFC 5545,
    // 3.6.5): 01:00 UTC in March is 01:00 GMT, in October 02:00 BST.
    let local = at.to_zoned(TimeZone::fixed(before)).datetime();
    w.value("DTSTART", &[], &local.strftime("%Y%m%dT%H%M%S").to_string());
    w.value("TZOFFSETFROM", &[], &offset(before));
    w.value("TZOFFSETTO", &[], &offset(to));
    w.text("TZNAME", name);
    w.end(kind);
}

/// A UTC offset as iCalendar writes it: `+0100`, `-0330`, `+053328`.
fn offset(offset: jiff::tz::Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

/// Every calendar file of the site, each given to `keep` (its path and
/// text) as it is made, rather than all held at once (a national
/// directory's are a hundred megabytes).
pub fn files<E>(
    index: &Index<'_>,
    history: &GitDates,
    mut keep: impl FnMut(std::path::PathBuf, String) -> Result<(), E>,
) -> Result<(), E> {
    use rayon::prelude::*;
    use std::path::PathBuf;
    let dir = index.dir;
    // Each event is written once, and copied into every calendar it is in
    // (some five: the site's, its own, its organisation's, its policy
    // areas').
    let site_zone = dir.site.time_zone();
    let vevents: Vec<String> = dir
        .events
        .par_iter()
        .map(|entry| vevent(index, history, entry, &site_zone))
        .collect();
    let kept: Vec<bool> = (0..dir.events.len())
        .map(|i| in_calendars(index, i))
        .collect();
    // Each calendar in date order, then by place in the directory.
    let ordered = |events: &mut dyn Iterator<Item = usize>| -> Vec<usize> {
        let mut out: Vec<usize> = events.filter(|&i| kept[i]).collect();
        out.sort_by(|&a, &b| {
            dir.events[a]
                .data
                .start
                .cmp(&dir.events[b].data.start)
                .then(a.cmp(&b))
        });
        out.dedup();
        out
    };
    let all = ordered(&mut (0..dir.events.len()));
    keep(
        PathBuf::from("calendar.ics"),
        calendar(
            index,
            &format!("{}: events", dir.site.title),
            &all,
            &vevents,
        ),
    )?;
    for (i, entry) in dir.events.iter().enumerate() {
        // An event's own file has it whatever its dates, for whoever saved the link.
        keep(
            PathBuf::from(format!("events/{}/event.ics", entry.slug)),
            calendar(index, &entry.data.title, &[i], &vevents),
        )?;
    }
    for organisation in &dir.organisations {
        let Some(events) = index.events_by_organisation.get(organisation.slug.as_str()) else {
            continue;
        };
        let events = ordered(&mut events.iter().copied());
        if !events.is_empty() {
            keep(
                PathBuf::from(format!("organisations/{}/calendar.ics", organisation.slug)),
                calendar(
                    index,
                    &format!("{}: events", organisation.data.name),
                    &events,
                    &vevents,
                ),
            )?;
        }
    }
    let mut areas: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
    for (i, entry) in dir.events.iter().enumerate() {
        for area in &entry.data.policy_areas {
            areas.entry(area.as_str()).or_default().push(i);
        }
    }
    for (area, events) in areas {
        let events = ordered(&mut events.into_iter());
        if !events.is_empty() {
            let label = dir.site.vocabulary.policy_area_label(area).unwrap_or(area);
            keep(
                PathBuf::from(format!("policy-areas/{area}/calendar.ics")),
                calendar(index, &format!("{label}: events"), &events, &vevents),
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_keeps_the_instant() {
        let at = Timestamp::from_second(1_800_000_000).expect("a time");
        assert_eq!(utc(at), "20270115T080000Z");
    }

    #[test]
    fn offsets_are_written_as_icalendar_does() {
        let o = |s| offset(jiff::tz::Offset::from_seconds(s).expect("an offset"));
        assert_eq!(o(3600), "+0100");
        assert_eq!(o(0), "+0000");
        assert_eq!(o(-12600), "-0330");
        assert_eq!(o(-75), "-000115");
    }

    #[test]
    fn london_changes_clocks_at_one_in_the_morning_utc() {
        let zone = TimeZone::get("Europe/London").expect("the zone database");
        let from: Timestamp = "2027-01-14T18:30:00Z".parse().expect("a time");
        let to: Timestamp = "2027-12-09T18:30:00Z".parse().expect("a time");
        let mut w = Writer::new();
        vtimezone(&mut w, &zone, "Europe/London", from, to);
        let text = w.finish();
        let expected = [
            "BEGIN:VTIMEZONE",
            "TZID:Europe/London",
            // In force on 14 January: the change of October 2026.
            "BEGIN:STANDARD",
            "DTSTART:20261025T020000",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0000",
            "TZNAME:GMT",
            "END:STANDARD",
            "BEGIN:DAYLIGHT",
            "DTSTART:20270328T010000",
            "TZOFFSETFROM:+0000",
            "TZOFFSETTO:+0100",
            "TZNAME:BST",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "DTSTART:20271031T020000",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0000",
            "TZNAME:GMT",
            "END:STANDARD",
            "END:VTIMEZONE",
            "",
        ];
        assert_eq!(text.split("\r\n").collect::<Vec<_>>(), expected);
    }
}
