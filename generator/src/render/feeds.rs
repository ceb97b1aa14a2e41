//! Atom feeds (RFC 4287): new and changed profiles, upcoming events,
//! consultations and open asks. Entry ids are page URLs and `updated` is when
//! the entry last changed (from git), never the build time, so readers do not
//! see unchanged entries as new.

use std::path::PathBuf;

use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;

use super::index::Index;
use super::{BuildError, theme::error_text};
use crate::content::{Entry, Kind};
use crate::git_dates::GitDates;

/// Entries per feed.
const FEED_LENGTH: usize = 50;

#[derive(Serialize)]
struct Feed {
    title: String,
    id: String,
    alternate: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    id: String,
    published: String,
    updated: String,
    summary: String,
    categories: Vec<String>,
    #[serde(skip)]
    changed: Timestamp,
}

/// Every feed, rendered with the theme's `feeds/atom.xml`.
pub fn files(
    index: &Index<'_>,
    history: &GitDates,
    tera: &tera::Tera,
) -> Result<Vec<(PathBuf, String)>, BuildError> {
    let dir = index.dir;
    let entries = Entries {
        index,
        history,
        zone: dir.site.time_zone(),
    };
    let feeds = [
        (
            "profiles",
            "New and changed profiles",
            "/profiles/",
            entries.profiles(),
        ),
        ("events", "Upcoming events", "/events/", entries.events()),
        (
            "consultations",
            "Consultations",
            "/consultations/",
            entries.consultations(),
        ),
        ("asks", "Open asks", "/asks/", entries.asks()),
    ];
    let mut files = Vec::new();
    for (name, title, alternate, entries) in feeds {
        // A feed is as new as its newest entry; an empty one, as the site's oldest moment.
        let updated = entries
            .iter()
            .map(|e| e.changed)
            .max()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let feed = Feed {
            title: title.to_string(),
            id: dir.site.absolute(&format!("/feeds/{name}.xml")),
            alternate: dir.site.absolute(alternate),
            updated: super::format::instant(updated),
            entries,
        };
        let mut context = tera::Context::new();
        context.insert("feed", &feed);
        let xml = tera
            .render("feeds/atom.xml", &context)
            .map_err(|e| BuildError::Render {
                page: format!("/feeds/{name}.xml"),
                template: "feeds/atom.xml".into(),
                entry: None,
                message: error_text(&e),
            })?;
        files.push((PathBuf::from(format!("feeds/{name}.xml")), xml));
    }
    Ok(files)
}

/// What the feeds' entries are made from.
struct Entries<'a> {
    index: &'a Index<'a>,
    history: &'a GitDates,
    zone: jiff::tz::TimeZone,
}

impl Entries<'_> {
    /// An entry of a feed.
    fn entry<T>(
        &self,
        kind: Kind,
        e: &Entry<T>,
        title: &str,
        summary: String,
        categories: Vec<String>,
    ) -> FeedEntry {
        let dates = self.history.dates(e, &self.zone);
        FeedEntry {
            title: title.to_string(),
            id: self.index.dir.site.entry_id(kind, &e.slug),
            published: super::format::instant(dates.published),
            updated: super::format::instant(dates.updated),
            summary,
            categories,
            changed: dates.updated,
        }
    }

    /// The newest profiles.
    fn profiles(&self) -> Vec<FeedEntry> {
        let dir = self.index.dir;
        // Only the newest profiles are in the feed: find them by date first,
        // then make their entries.
        // Feeds are made to be copied: someone who asked not to be shared
        // with other directories is left out, as from directory.json.
        let mut newest: Vec<(Timestamp, &str, usize)> = self
            .index
            .profiles_az
            .par_iter()
            .filter(|&&i| dir.profiles[i].data.federate)
            .map(|&i| {
                let p = &dir.profiles[i];
                (self.history.updated(p, &self.zone), p.slug.as_str(), i)
            })
            .collect();
        // Among equals, in the order of their addresses (`/profiles/<slug>/`).
        fn address(slug: &str) -> impl Iterator<Item = u8> + '_ {
            slug.bytes().chain(std::iter::once(b'/'))
        }
        let order = |a: &(Timestamp, &str, usize), b: &(Timestamp, &str, usize)| {
            b.0.cmp(&a.0).then_with(|| address(a.1).cmp(address(b.1)))
        };
        // The newest found first, and only they sorted: a national
        // directory has hundreds of thousands of profiles.
        if newest.len() > FEED_LENGTH {
            newest.select_nth_unstable_by(FEED_LENGTH, order);
            newest.truncate(FEED_LENGTH);
        }
        newest.sort_unstable_by(order);
        newest
            .iter()
            .map(|&(_, _, i)| {
                let p = &dir.profiles[i];
                let organisation = dir
                    .organisation(&p.data.organisation)
                    .map(|o| o.data.name.as_str())
                    .unwrap_or_default();
                self.entry(
                    Kind::Profile,
                    p,
                    &p.data.name,
                    format!("{}, {organisation}", p.data.role),
                    p.data.policy_areas.clone(),
                )
            })
            .collect()
    }

    /// The next events, each once.
    fn events(&self) -> Vec<FeedEntry> {
        let dir = self.index.dir;
        let mut seen = std::collections::HashSet::new();
        self.index
            .upcoming
            .iter()
            .filter(|o| seen.insert(o.event))
            .take(FEED_LENGTH)
            .map(|o| {
                let e = &dir.events[o.event];
                let when = super::format::when(&o.start, None);
                let mut summary = when;
                if e.data.cancelled {
                    summary = format!("Cancelled: {summary}");
                }
                self.entry(
                    Kind::Event,
                    e,
                    &e.data.title,
                    summary,
                    vec![e.data.kind.slug().to_string()],
                )
            })
            .collect()
    }

    /// The consultations that changed last.
    fn consultations(&self) -> Vec<FeedEntry> {
        let index = self.index;
        let dir = index.dir;
        let mut consultations: Vec<FeedEntry> = index
            .consultations
            .iter()
            .map(|&i| {
                let c = &dir.consultations[i];
                let status = c.data.status(index.now);
                let summary = format!(
                    "{}: {} to {}",
                    status.label(),
                    super::format::date(&c.data.opens),
                    super::format::date(&c.data.closes)
                );
                self.entry(
                    Kind::Consultation,
                    c,
                    &c.data.title,
                    summary,
                    c.data.policy_areas.clone(),
                )
            })
            .collect();
        consultations.sort_by(|a, b| b.changed.cmp(&a.changed).then(a.id.cmp(&b.id)));
        consultations.truncate(FEED_LENGTH);
        consultations
    }

    /// The newest open asks.
    fn asks(&self) -> Vec<FeedEntry> {
        let dir = self.index.dir;
        self.index
            .open_asks
            .iter()
            .take(FEED_LENGTH)
            .map(|&i| {
                let a = &dir.asks[i];
                self.entry(
                    Kind::Ask,
                    a,
                    &a.data.title,
                    a.data.kind.label().to_string(),
                    a.data.policy_areas.clone(),
                )
            })
            .collect()
    }
}
