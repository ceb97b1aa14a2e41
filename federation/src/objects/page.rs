//! Consultations, asks and programmes as ActivityPub `Page`s, with the project's own
//! terms for what ActivityStreams has no words for (see
//! [`crate::protocol::context_document`]).

use activitypub_federation::kinds::object::PageType;
use generator::Entry;
use generator::Kind;
use generator::content::{Ask, Consultation, Directory, Programme};
use generator::git_dates::Dates;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::person;
use crate::protocol::{PUBLIC, Page, PageTerms, contexts};

/// A profile's actor id, if it may leave the instance.
fn actor_of(directory: &Directory, slug: &str) -> Option<String> {
    directory
        .profile(slug)
        .filter(|p| person::federates(p))
        .map(|p| directory.site.entry_id(Kind::Profile, &p.slug))
}

/// A consultation: its dates, status as of `now`, how to respond; first
/// published and last changed at `dates`.
pub fn consultation(
    directory: &Directory,
    entry: &Entry<Consultation>,
    now: jiff::Timestamp,
    dates: Dates,
) -> Page {
    let c = &entry.data;
    let id = directory.site.entry_id(Kind::Consultation, &entry.slug);
    let status = c.status(now);
    Page {
        context: contexts(),
        kind: PageType::Page,
        url: id.clone(),
        id,
        name: c.title.clone(),
        summary: format!(
            "{}: open from {} to {}.",
            status.label(),
            c.opens.strftime("%-d %B %Y"),
            c.closes.strftime("%-d %B %Y")
        ),
        content: super::body_html(directory, entry),
        attributed_to: super::organisation::id(directory),
        to: vec![PUBLIC.to_string()],
        published: super::dates::xsd(dates.published),
        updated: super::dates::xsd(dates.updated),
        terms: PageTerms::Consultation {
            opens: generator::render::format::iso(&c.opens),
            closes: generator::render::format::iso(&c.closes),
            status: status.label().to_string(),
            respond_url: c.respond.url.as_ref().map(|u| u.as_str().to_string()),
            respond_email: c.respond.email.clone(),
            respond_post: c.respond.post.clone(),
            outcome: c.outcome.as_ref().map(|u| u.as_str().to_string()),
            lead: c.lead.as_deref().and_then(|l| actor_of(directory, l)),
            policy_areas: c.policy_areas.clone(),
        },
    }
}

/// An ask: what is asked, by whom, until when; first published and last
/// changed at `dates`.
pub fn ask(directory: &Directory, entry: &Entry<Ask>, dates: Dates) -> Page {
    let a = &entry.data;
    let id = directory.site.entry_id(Kind::Ask, &entry.slug);
    Page {
        context: contexts(),
        kind: PageType::Page,
        url: id.clone(),
        id,
        name: a.title.clone(),
        summary: a.kind.label().to_string(),
        content: super::body_html(directory, entry),
        attributed_to: actor_of(directory, &a.by)
            .unwrap_or_else(|| super::organisation::id(directory)),
        to: vec![PUBLIC.to_string()],
        published: super::dates::xsd(dates.published),
        updated: super::dates::xsd(dates.updated),
        terms: PageTerms::Ask {
            ask_kind: a.kind.slug().to_string(),
            by: actor_of(directory, &a.by),
            closes: a
                .closes
                .and_then(|day| end_of(day, &directory.site.time_zone())),
            filled: a.filled,
            policy_areas: a.policy_areas.clone(),
        },
    }
}

/// A matching programme: what it is, and who runs it. Only its own
/// directory makes its rounds; a directory mirroring it shows it, and its
/// people may join it.
pub fn programme(directory: &Directory, entry: &Entry<Programme>, dates: Dates) -> Page {
    let p = &entry.data;
    let id = directory.site.entry_id(Kind::Programme, &entry.slug);
    Page {
        context: contexts(),
        kind: PageType::Page,
        url: id.clone(),
        id,
        name: p.name.clone(),
        summary: format!("{} programme", p.kind.label()),
        content: super::body_html(directory, entry),
        attributed_to: super::organisation::id(directory),
        to: vec![PUBLIC.to_string()],
        published: super::dates::xsd(dates.published),
        updated: super::dates::xsd(dates.updated),
        terms: PageTerms::Programme {
            programme_kind: p.kind.slug().to_string(),
        },
    }
}

/// The moment an ask closing on `day` stops taking answers: the last second
/// of that day in the site's time zone (it is open all day, as its page
/// says), with the zone's offset. None for a day the zone has no end of.
fn end_of(day: Date, zone: &TimeZone) -> Option<String> {
    let last = day.at(23, 59, 59, 0).to_zoned(zone.clone()).ok()?;
    Some(
        last.timestamp()
            .display_with_offset(last.offset())
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ask_closes_at_the_end_of_its_last_day_in_the_sites_zone() {
        let london = TimeZone::get("Europe/London").expect("a zone");
        let day = |s: &str| s.parse::<Date>().expect("a day");
        assert_eq!(
            end_of(day("2027-06-30"), &london).as_deref(),
            Some("2027-06-30T23:59:59+01:00")
        );
        assert_eq!(
            end_of(day("2027-12-31"), &london).as_deref(),
            Some("2027-12-31T23:59:59+00:00")
        );
    }
}
