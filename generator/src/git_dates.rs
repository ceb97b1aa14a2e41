//! When entries changed, from git: a feed's `updated` and a calendar's
//! `SEQUENCE` must move when an entry changes and stay put when it does not,
//! whatever day the site is built.
//!
//! One `git log` over `content/` and `mirror/` gives every file's commits. A
//! file changed since the last commit counts as one more change, dated by its
//! modification time. Outside git, an entry's `updated` field or the file's
//! modification time is all there is, and the sequence stays 0.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::content::Entry;

/// What git knows of one file.
#[derive(Debug, Clone, Copy)]
struct Changes {
    /// How many commits changed it.
    commits: u32,
    /// The newest of them.
    last: Timestamp,
    /// The oldest: when it was added.
    first: Timestamp,
}

/// When an entry was first published and last changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    /// When it was first published.
    pub published: Timestamp,
    /// When it last changed.
    pub updated: Timestamp,
}

/// The change history of a site's entries.
#[derive(Debug, Default)]
pub struct GitDates {
    files: HashMap<PathBuf, Changes>,
    modified: std::collections::HashSet<PathBuf>,
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The commit the site at `root` is at, if it is in git: with the entries
/// and their files' times, what [`GitDates`] is made from, so a build can
/// tell whether dates may have changed without reading the whole history.
pub fn head(root: &Path) -> Option<String> {
    git(root, &["rev-parse", "--verify", "--quiet", "HEAD"])
}

impl GitDates {
    /// Reads the history of the site at `root`; empty when it is not in git.
    pub fn read(root: &Path) -> Self {
        let mut history = GitDates::default();
        let Some(log) = git(
            root,
            &[
                "log",
                "--relative",
                "--no-renames",
                "--format=%x1e%ct",
                "--name-only",
                "--",
                "content",
                "mirror",
            ],
        ) else {
            return history;
        };
        for commit in log.split('\u{1e}').filter(|c| !c.trim().is_empty()) {
            let mut lines = commit.lines();
            let Some(time) = lines
                .next()
                .and_then(|t| t.trim().parse::<i64>().ok())
                .and_then(|t| Timestamp::from_second(t).ok())
            else {
                continue;
            };
            for file in lines.map(str::trim).filter(|l| !l.is_empty()) {
                // The log runs newest first.
                history
                    .files
                    .entry(PathBuf::from(file))
                    .and_modify(|c| {
                        c.commits += 1;
                        c.first = time;
                    })
                    .or_insert(Changes {
                        commits: 1,
                        last: time,
                        first: time,
                    });
            }
        }
        // Porcelain paths are from the repository's top; the site may be below it.
        let prefix = git(root, &["rev-parse", "--show-prefix"]).unwrap_or_default();
        let prefix = prefix.trim();
        if let Some(status) = git(
            root,
            &[
                "status",
                "--porcelain",
                "--untracked-files=all",
                "--",
                "content",
                "mirror",
            ],
        ) {
            for line in status.lines().filter(|l| l.len() > 3) {
                let path = line[3..].trim().trim_matches('"');
                let path = path.rsplit(" -> ").next().unwrap_or(path);
                if let Some(relative) = path.strip_prefix(prefix) {
                    history.modified.insert(PathBuf::from(relative));
                }
            }
        }
        history
    }

    /// When the entry last changed: its `updated` date when written, else its
    /// last commit (or its file's time, when changed since or not in git).
    pub fn updated<T>(&self, entry: &Entry<T>, zone: &TimeZone) -> Timestamp {
        if let Some(date) = entry.updated
            && let Ok(start) = date.to_zoned(zone.clone())
        {
            return start.timestamp();
        }
        let committed = self.files.get(entry.path());
        if (committed.is_none() || self.modified.contains(entry.path()))
            && let Some(time) = entry.file.modified()
        {
            return time;
        }
        committed.map_or(Timestamp::UNIX_EPOCH, |c| c.last)
    }

    /// When the entry was first published: its first commit, else its file's time.
    pub fn published<T>(&self, entry: &Entry<T>) -> Timestamp {
        match self.files.get(entry.path()) {
            Some(changes) => changes.first,
            // The time the file was read with.
            None => entry.file.modified().unwrap_or(Timestamp::UNIX_EPOCH),
        }
    }

    /// When the entry was first published and when it last changed, as a
    /// feed or another server shows them: first publication is never after
    /// the last change (an `updated:` date may be older than the file's
    /// first commit).
    pub fn dates<T>(&self, entry: &Entry<T>, zone: &TimeZone) -> Dates {
        let updated = self.updated(entry, zone);
        Dates {
            published: self.published(entry).min(updated),
            updated,
        }
    }

    /// How many times the entry has changed since it was first published.
    pub fn sequence<T>(&self, entry: &Entry<T>) -> u32 {
        let commits = self.files.get(entry.path()).map_or(0, |c| c.commits);
        let uncommitted = u32::from(self.modified.contains(entry.path()));
        (commits + uncommitted).saturating_sub(1)
    }
}
