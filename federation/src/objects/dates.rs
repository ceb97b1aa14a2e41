//! When each document was first published and last changed: its
//! `published` and `updated`.
//!
//! An entry's dates are those the site's feeds give it (`GitDates::dates`:
//! its first commit, and its `updated:` date or its last commit, or the
//! file's time outside git), never the time the document is made: a
//! document made again from the same files is the same document, and
//! publishing sends an `Update` only when a document changes. A document
//! also shows its organisation, so its organisation's change is its own.

use generator::Entry;
use generator::content::{Directory, Organisation};
use generator::git_dates::{Dates, GitDates};
use jiff::Timestamp;

/// The dates of the document of `entry`: the entry's, changed when the
/// organisation it carries (`organisation`) last changed, if that was later.
pub fn of<T>(
    directory: &Directory,
    history: &GitDates,
    entry: &Entry<T>,
    organisation: Option<&Entry<Organisation>>,
) -> Dates {
    let zone = directory.site.time_zone();
    let dates = history.dates(entry, &zone);
    match organisation {
        Some(organisation) => changed_at(dates, history.updated(organisation, &zone)),
        None => dates,
    }
}

/// `dates`, last changed at `moment` if that is later.
pub fn changed_at(dates: Dates, moment: Timestamp) -> Dates {
    Dates {
        updated: dates.updated.max(moment),
        ..dates
    }
}

/// A moment as xsd:dateTime, in UTC, to the second: how ActivityStreams
/// writes `published` and `updated`.
pub fn xsd(moment: Timestamp) -> String {
    Timestamp::from_second(moment.as_second())
        .unwrap_or(moment)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_is_written_to_the_second_in_utc() {
        let moment: Timestamp = "2026-03-04T10:11:12.345678+01:00"
            .parse()
            .expect("a moment");
        assert_eq!(xsd(moment), "2026-03-04T09:11:12Z");
    }

    #[test]
    fn a_later_change_moves_the_last_change_only() {
        let at = |s: &str| s.parse::<Timestamp>().expect("a moment");
        let dates = Dates {
            published: at("2026-01-01T00:00:00Z"),
            updated: at("2026-02-01T00:00:00Z"),
        };
        let later = changed_at(dates, at("2026-03-01T00:00:00Z"));
        assert_eq!(later.published, dates.published);
        assert_eq!(later.updated, at("2026-03-01T00:00:00Z"));
        assert_eq!(changed_at(dates, at("2025-01-01T00:00:00Z")), dates);
    }
}
