//! Rounds: the record of a month's buddy groups and job swaps, in the
//! file format `interchange match` writes (`rounds/<yyyy-mm>.yaml`, and
//! `rounds/<programme>/<yyyy-mm>.yaml` for a programme's), and as the
//! directory knows them: its own, and those other directories published,
//! which the federation server keeps under `mirror/<host>/rounds/`.
//!
//! A round names people by their keys as its own directory writes them
//! (`priya-shah`, `fire.example.gov.uk/callum-reid`); a [`Round`] names
//! them by this directory's keys, so that one person has one key in every
//! round, whoever made it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
/// A list written on one line, as round files write each group.
pub use serde_saphyr::FlowSeq;

use super::{Origin, mirrored_key};

/// A calendar month, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i16,
    month: i8,
}

impl Month {
    /// The month a day falls in.
    pub fn of(date: Date) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        jiff::civil::date(self.year, self.month, 1)
    }

    /// The calendar quarter it is in, as its first month: January, April,
    /// July or October.
    pub fn quarter(self) -> Month {
        Self {
            year: self.year,
            month: (self.month - 1) / 3 * 3 + 1,
        }
    }

    /// Its name in words, as summaries, emails and pages write it:
    /// "January 2027".
    pub fn name(self) -> String {
        self.first_day().strftime("%B %Y").to_string()
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{text}` is not a month: write it as YYYY-MM, e.g. 2027-01");
        let (year, month) = text.trim().split_once('-').ok_or_else(bad)?;
        let year: i16 = year.parse().map_err(|_| bad())?;
        let month: i8 = month.parse().map_err(|_| bad())?;
        if year.to_string().len() != 4 || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Self { year, month })
    }
}

/// The two rounds a month can have, which share its round file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundKind {
    /// Buddy pairs.
    Buddies,
    /// Job swaps.
    Swaps,
}

impl RoundKind {
    /// Its name in file names: `rounds/<month>.<name>.md`.
    pub fn name(self) -> &'static str {
        match self {
            RoundKind::Buddies => "buddies",
            RoundKind::Swaps => "swaps",
        }
    }

    /// What it makes, for messages.
    pub fn what(self) -> &'static str {
        match self {
            RoundKind::Buddies => "buddy pairs",
            RoundKind::Swaps => "job swaps",
        }
    }

    /// Whether `file` already holds this round.
    pub fn made_in(self, file: &RoundFile) -> bool {
        match self {
            RoundKind::Buddies => !file.buddies.is_empty() || !file.unmatched.is_empty(),
            RoundKind::Swaps => !file.swaps.is_empty() || !file.unplaced.is_empty(),
        }
    }
}

/// One round file as written.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RoundFile {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// When the round was first made (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made: Option<String>,
    /// Where a round received from another directory is published there;
    /// none in this site's own files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// How the buddy pairs were chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buddy_method: Option<String>,
    /// The buddy pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buddies: Vec<PairRecord>,
    /// Buddy participants left without a pair; the next round puts them first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmatched: Vec<String>,
    /// The job-swap cycles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub swaps: Vec<CycleRecord>,
    /// Job-swap offers no cycle could place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unplaced: Vec<String>,
}

/// A buddy pair (or group of three) as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PairRecord {
    /// The two people (or three), as ids (`slug`, or `host/slug` when
    /// mirrored).
    pub pair: FlowSeq<Vec<String>>,
    /// What the first two scored.
    pub weight: f64,
    /// The policy areas and interests they share.
    #[serde(default = "no_reasons")]
    pub reasons: FlowSeq<Vec<String>>,
    /// The place they both work in, if they do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

fn no_reasons() -> FlowSeq<Vec<String>> {
    FlowSeq(Vec::new())
}

/// A job-swap cycle as written: each person takes the next one's role, the
/// last takes the first's.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CycleRecord {
    /// The people, in order.
    pub cycle: FlowSeq<Vec<String>>,
    /// How well the roles suit the people taking them.
    #[serde(default)]
    pub fit: i64,
}

/// Why rounds could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum RoundError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A round file is not in the expected shape.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Where (1-based; 0 when unknown).
        line: u64,
        /// Where (1-based; 0 when unknown).
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// The round has already been made.
    #[error("{path} already holds the {} of {month}", kind.what())]
    Exists {
        /// The file.
        path: PathBuf,
        /// Which round.
        kind: RoundKind,
        /// The month.
        month: Month,
    },
}

/// Reads one round file.
pub fn read_file(path: &Path) -> Result<RoundFile, RoundError> {
    let text = std::fs::read_to_string(path).map_err(|source| RoundError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// The text of a round file, after a comment line `header`, to be written
/// at `path`.
pub fn text(file: &RoundFile, header: &str, path: &Path) -> Result<String, RoundError> {
    let yaml = serde_saphyr::to_string(file).map_err(|e| RoundError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(format!("# {header}\n{yaml}"))
}

/// Reads the `text` of the round file at `path`.
pub fn parse(text: &str, path: &Path) -> Result<RoundFile, RoundError> {
    // A round of 100,000 people is a few million YAML events: above the
    // parser's defaults, which are set for configuration files.
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_events: 50_000_000,
            max_nodes: 20_000_000,
        },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|error| {
        let (line, column) = error.location().map_or((0, 0), |l| (l.line(), l.column()));
        RoundError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: error.to_string().lines().next().unwrap_or("").to_string(),
        }
    })
}

/// A round as the directory knows it: made here, or published by the
/// directory that owns its programme.
#[derive(Debug, Clone)]
pub struct Round {
    /// The programme it is a round of, by its key; `None` for a round over
    /// the whole of its directory.
    pub programme: Option<String>,
    /// Its month.
    pub month: Month,
    /// When it was made, if its file says. Of two rounds that both take
    /// someone past the buddies they want, the earlier keeps them.
    pub made: Option<Timestamp>,
    /// Its buddy groups, each as its members' keys.
    pub groups: Vec<Vec<String>>,
    /// Its job swaps, each as its people's keys in order: each takes the
    /// next one's role, the last the first's.
    pub swaps: Vec<Vec<String>>,
    /// Made here, or received.
    pub origin: Origin,
    /// Its file, relative to the site folder.
    pub path: PathBuf,
}

impl Round {
    /// The round in `file`, read from `path` (relative to the site folder):
    /// a round of `programme` (a slug of its own directory), from `host`
    /// (`None` for this site's own), whose people this site, at
    /// `own_host`, keys.
    pub fn from_file(
        file: RoundFile,
        path: PathBuf,
        programme: Option<&str>,
        host: Option<&str>,
        own_host: &str,
    ) -> Result<Self, String> {
        let month: Month = file.month.parse()?;
        let made = match file.made.as_deref() {
            Some(text) => Some(text.parse::<Timestamp>().map_err(|_| {
                format!("`made: {text}` is not a moment with an offset, like 2027-01-04T10:00:00Z")
            })?),
            None => None,
        };
        let origin = match (host, file.origin.as_deref()) {
            (None, _) => Origin::Local,
            (Some(host), Some(url)) => Origin::Mirror {
                host: host.to_string(),
                url: Box::new(
                    url.parse()
                        .map_err(|_| format!("`origin: {url}` is not an address"))?,
                ),
            },
            (Some(_), None) => {
                return Err("a mirrored round says where it came from in `origin`".into());
            }
        };
        let key = |written: &String| match host {
            None => written.clone(),
            Some(host) => key_from(host, own_host, written),
        };
        Ok(Self {
            programme: programme.map(|slug| match host {
                None => slug.to_string(),
                Some(host) => key_from(host, own_host, slug),
            }),
            month,
            made,
            groups: file
                .buddies
                .iter()
                .map(|g| g.pair.0.iter().map(key).collect())
                .collect(),
            swaps: file
                .swaps
                .iter()
                .map(|c| c.cycle.0.iter().map(key).collect())
                .collect(),
            origin,
            path,
        })
    }

    /// Whether the round may say `person` (a key) was in it: anyone, in this
    /// site's own rounds and in another directory's round over its whole
    /// directory (which pairs the people it mirrors); in a programme of
    /// another directory's, only someone who joined it, so that no directory
    /// can put this site's people, or a third's, in rounds they never asked
    /// to be in.
    pub fn may_name(&self, directory: &super::Directory, person: &str) -> bool {
        match (&self.programme, self.is_mirror()) {
            (Some(programme), true) => directory
                .profile(person)
                .is_some_and(|p| p.data.programmes.iter().any(|k| k == programme)),
            _ => true,
        }
    }

    /// The path its own directory publishes it at:
    /// `/programmes/<slug>/rounds/<yyyy-mm>/` for a programme's,
    /// `/rounds/<yyyy-mm>/` for a round over the whole directory. `None` for
    /// a mirrored round, which is published by its own directory alone.
    pub fn published_path(&self) -> Option<String> {
        (!self.is_mirror()).then(|| path_of(self.programme.as_deref(), self.month))
    }

    /// When it was made: as its file says, else (a round made before files
    /// said) the first moment of its month, in UTC.
    pub fn made_at(&self) -> Timestamp {
        self.made.unwrap_or_else(|| {
            self.month
                .first_day()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp())
                .unwrap_or_default()
        })
    }

    /// Whether it was received from another directory.
    pub fn is_mirror(&self) -> bool {
        self.origin.is_mirror()
    }
}

/// This site's key for the entry `written` names in a file from `host`:
/// `slug` is `host`'s own (`host/slug`), `other/slug` a third
/// directory's, and one of this site's (at `own_host`) is its bare slug.
pub fn key_from(host: &str, own_host: &str, written: &str) -> String {
    match written.split_once('/') {
        None => mirrored_key(host, written),
        Some((other, slug)) if other == own_host => slug.to_string(),
        Some(_) => written.to_string(),
    }
}

/// The path a directory publishes its round of `programme` (a slug of its
/// own; `None` for its round over the whole directory) in `month` at.
pub fn path_of(programme: Option<&str>, month: Month) -> String {
    match programme {
        Some(slug) => format!("/programmes/{slug}/{FOLDER}/{month}/"),
        None => format!("/{FOLDER}/{month}/"),
    }
}

/// The programme slug and month of the round published at `path` (the
/// inverse of [`path_of`]).
pub fn at_path(path: &str) -> Option<(Option<&str>, Month)> {
    let inner = path.strip_prefix('/')?.strip_suffix('/')?;
    let parts: Vec<&str> = inner.split('/').collect();
    let (programme, month) = match parts.as_slice() {
        [FOLDER, month] => (None, *month),
        ["programmes", slug, FOLDER, month] if crate::fields::is_slug(slug) => {
            (Some(*slug), *month)
        }
        _ => return None,
    };
    Some((programme, month.parse().ok()?))
}

/// The place of a round file, from its path relative to the site folder:
/// the host it came from (`None` for this site's), the programme's slug
/// (`None` for a round over a whole directory), and the month its name
/// says. `None` if the path is not a round file's.
pub fn place_of(relative: &Path) -> Option<(Option<String>, Option<String>, Month)> {
    let parts: Vec<&str> = relative.iter().map(|p| p.to_str()).collect::<Option<_>>()?;
    let name = parts.last()?.strip_suffix(".yaml")?;
    let month: Month = name.parse().ok()?;
    let (host, programme) = match parts.as_slice() {
        [FOLDER, _] => (None, None),
        [FOLDER, programme, _] => (None, Some(*programme)),
        ["mirror", host, FOLDER, _] => (Some(*host), None),
        ["mirror", host, FOLDER, programme, _] => (Some(*host), Some(*programme)),
        _ => return None,
    };
    if host.is_some_and(|h| !super::is_host(h))
        || programme.is_some_and(|p| !crate::fields::is_slug(p))
    {
        return None;
    }
    Some((
        host.map(str::to_string),
        programme.map(str::to_string),
        month,
    ))
}

/// The folder rounds are kept in, under the site root (and under each
/// mirrored directory's folder).
pub const FOLDER: &str = "rounds";

/// Someone a round takes past what they want in its month, because rounds
/// made before it (this site's or other directories') have them already.
#[derive(Debug, Clone)]
pub struct Overlap<'a> {
    /// Whether it is a buddy group or a job swap of the round.
    pub kind: RoundKind,
    /// Which of the round's groups (or swaps) it is.
    pub index: usize,
    /// Who, by key.
    pub person: String,
    /// The first round made before it that has them.
    pub kept_by: &'a Round,
    /// The most they want in a month: their `max_buddies_per_month`, or
    /// one job swap.
    pub most: u32,
}

impl Overlap<'_> {
    /// What it is, in a sentence: "Priya Shah (`priya-shah`) is also in Fire
    /// graduates for January 2027, made 2 January 2027 09:00 UTC, which came
    /// first, and wants one buddy a month".
    pub fn describe(&self, directory: &super::Directory, month: Month) -> String {
        let name = directory
            .profile(&self.person)
            .map_or(self.person.as_str(), |p| p.data.name.as_str());
        let wants = match self.kind {
            RoundKind::Buddies if self.most == 1 => "wants one buddy a month".to_string(),
            RoundKind::Buddies => format!("wants {} buddies a month", self.most),
            RoundKind::Swaps => "can take one job swap a month".to_string(),
        };
        let kept = self.kept_by;
        let scheme = match (&kept.programme, &kept.origin) {
            (Some(programme), _) => directory
                .programme(programme)
                .map_or_else(|| programme.clone(), |p| p.data.name.clone()),
            (None, Origin::Mirror { host, .. }) => format!("{host}'s round"),
            (None, Origin::Local) => "this directory's round".to_string(),
        };
        let made = kept.made.map_or_else(String::new, |t| {
            format!(", made {}", t.strftime("%-d %B %Y %H:%M UTC"))
        });
        format!(
            "{name} (`{}`) is also in {scheme} for {}{made}, which came first, and {wants}",
            self.person,
            month.name()
        )
    }
}

/// Where a round stands among those of its month: when it was made (the
/// first of its month when its file does not say), then its address, so
/// that every directory holding two rounds puts them in the same order,
/// whatever its own clock says.
fn standing(directory: &super::Directory, round: &Round) -> (Timestamp, String) {
    let made = round.made_at();
    let address = match &round.origin {
        Origin::Mirror { url, .. } => url.to_string(),
        Origin::Local => directory
            .site
            .absolute(&path_of(round.programme.as_deref(), round.month)),
    };
    (made, address)
}

/// The groups and swaps of `round` (one of the directory's) that take
/// someone past what they want in its month: of two rounds that both have
/// a person who wants one buddy, the one made first keeps them, and the
/// other's group with them is an overlap. Both directories see the same two
/// rounds with the same times, so they agree which keeps the person.
pub fn overlaps<'a>(directory: &'a super::Directory, round: &Round) -> Vec<Overlap<'a>> {
    let mut found = Vec::new();
    let same_month: Vec<&'a Round> = directory
        .rounds
        .iter()
        .map(|r| &**r)
        .filter(|r| r.month == round.month)
        .collect();
    if same_month.len() < 2 {
        return found;
    }
    let mine = standing(directory, round);
    for kind in [RoundKind::Buddies, RoundKind::Swaps] {
        fn lists(r: &Round, kind: RoundKind) -> &[Vec<String>] {
            match kind {
                RoundKind::Buddies => &r.groups,
                RoundKind::Swaps => &r.swaps,
            }
        }
        for (index, people) in lists(round, kind).iter().enumerate() {
            for person in people.iter().filter(|p| round.may_name(directory, p)) {
                let Some(profile) = directory.profile(person) else {
                    continue;
                };
                let most = match kind {
                    RoundKind::Buddies => profile.data.max_buddies_per_month,
                    RoundKind::Swaps => 1,
                };
                let mut before: Vec<(&'a Round, (Timestamp, String))> = same_month
                    .iter()
                    .filter(|r| r.path != round.path)
                    .filter(|r| {
                        r.may_name(directory, person)
                            && lists(r, kind).iter().any(|g| g.contains(person))
                    })
                    .map(|r| (*r, standing(directory, r)))
                    .filter(|(_, standing)| *standing < mine)
                    .collect();
                if !before.is_empty() && before.len() >= most as usize {
                    before.sort_by(|a, b| a.1.cmp(&b.1));
                    found.push(Overlap {
                        kind,
                        index,
                        person: person.clone(),
                        kept_by: before[0].0,
                        most,
                    });
                }
            }
        }
    }
    found
}
