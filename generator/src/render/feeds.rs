//! Atom feeds (RFC 4287): new and changed profiles, upcoming events,
//! consultations and open asks. Entry ids are page URLs and `updated` is when
//! the entry last changed (from git), never the build time, so readers do not
//! see unchanged entries as new.

use std::path::PathBuf;

use jiff::Timestamp;
use serde::Serialize;

use super::index::Index;
use super::views::entry_url;
use super::{BuildError, theme::error_text};
use crate::content::{Entry, Kind};
use crate::history::History;

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
    history: &History,
    tera: &tera::Tera,
) -> Result<Vec<(PathBuf, String)>, BuildError> {
    let dir = index.dir;
    let base = dir.site.base_url.as_str().trim_end_matches('/').to_string();
    let zone = dir.site.time_zone();
    let entry =
        |kind: Kind, e: &dyn EntryInfo, title: &str, summary: String, categories: Vec<String>| {
            let changed = e.updated(history, &zone);
            FeedEntry {
                title: title.to_string(),
                id: format!("{base}{}", entry_url(kind, e.slug())),
                published: e.published(history).to_string(),
                updated: changed.to_string(),
                summary,
                categories,
                changed,
            }
        };

    let mut profiles: Vec<FeedEntry> = index
        .profiles_az
        .iter()
        .map(|&i| {
            let p = &dir.profiles[i];
            let organisation = dir
                .organisation(&p.data.organisation)
                .map(|o| o.data.name.as_str())
                .unwrap_or_default();
            entry(
                Kind::Profile,
                p,
                &p.data.name,
                format!("{}, {organisation}", p.data.role),
                p.data.policy_areas.clone(),
            )
        })
        .collect();
    profiles.sort_by(|a, b| b.changed.cmp(&a.changed).then(a.id.cmp(&b.id)));
    profiles.truncate(FEED_LENGTH);

    let mut seen = std::collections::HashSet::new();
    let events: Vec<FeedEntry> = index
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
            entry(
                Kind::Event,
                e,
                &e.data.title,
                summary,
                vec![e.data.kind.slug().to_string()],
            )
        })
        .collect();

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
            entry(
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

    let asks: Vec<FeedEntry> = index
        .open_asks
        .iter()
        .take(FEED_LENGTH)
        .map(|&i| {
            let a = &dir.asks[i];
            entry(
                Kind::Ask,
                a,
                &a.data.title,
                a.data.kind.label().to_string(),
                a.data.policy_areas.clone(),
            )
        })
        .collect();

    let feeds = [
        (
            "profiles",
            "New and changed profiles",
            "/profiles/",
            profiles,
        ),
        ("events", "Upcoming events", "/events/", events),
        (
            "consultations",
            "Consultations",
            "/consultations/",
            consultations,
        ),
        ("asks", "Open asks", "/asks/", asks),
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
            id: format!("{base}/feeds/{name}.xml"),
            alternate: format!("{base}{alternate}"),
            updated: updated.to_string(),
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

/// What a feed needs of any entry.
trait EntryInfo {
    fn slug(&self) -> &str;
    fn updated(&self, history: &History, zone: &jiff::tz::TimeZone) -> Timestamp;
    fn published(&self, history: &History) -> Timestamp;
}

impl<T> EntryInfo for Entry<T> {
    fn slug(&self) -> &str {
        &self.slug
    }
    fn updated(&self, history: &History, zone: &jiff::tz::TimeZone) -> Timestamp {
        history.updated(self, zone)
    }
    fn published(&self, history: &History) -> Timestamp {
        history
            .published(self)
            .min(history.updated(self, &jiff::tz::TimeZone::UTC))
    }
}
