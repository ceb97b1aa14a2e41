//! `rounds/<yyyy-mm>.yaml` (and `rounds/<programme>/<yyyy-mm>.yaml` for a
//! programme's): the record of each month's buddy groups and job swaps,
//! read back so that a new round does not repeat an earlier pair.
//!
//! The file is written by the program and committed by the people who run
//! the rounds; its shape is in the content format (`docs/content.md`). A
//! month's buddy round and swap round share one file, each written once
//! (again only when asked to overwrite it).

use std::path::{Path, PathBuf};

use ahash::{AHashMap, AHashSet};

use crate::content::{Directory, Round};

pub use crate::content::round::{
    CycleRecord, FOLDER, Month, PairRecord, RoundError, RoundFile, RoundKind, read_file,
};

/// Where a scheme's rounds are kept: `rounds/` for the rounds over the
/// whole directory, `rounds/<programme>/` for a programme's. Each scheme
/// reads only its own history, so a pair made by one programme may meet
/// again in another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rounds {
    folder: PathBuf,
}

impl Rounds {
    /// The rounds over the whole directory at `root`.
    pub fn of_directory(root: &Path) -> Self {
        Self {
            folder: root.join(FOLDER),
        }
    }

    /// The rounds of the programme `slug` of the directory at `root`.
    pub fn of_programme(root: &Path, slug: &str) -> Self {
        Self {
            folder: root.join(FOLDER).join(slug),
        }
    }

    /// The folder.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The file the round of `month` is kept in.
    pub fn file(&self, month: Month) -> PathBuf {
        self.folder.join(format!("{month}.yaml"))
    }

    /// The file the readable summary of the `kind` round of `month` is
    /// kept in.
    pub fn summary_file(&self, month: Month, kind: RoundKind) -> PathBuf {
        self.folder.join(format!("{month}.{}.md", kind.name()))
    }
}

/// What earlier rounds say about a new one.
#[derive(Debug, Clone, Default)]
pub struct PastRounds {
    /// The months read, oldest first.
    pub months: Vec<Month>,
    /// Every pair of the rounds read, each as (smaller id, larger id).
    pairs: AHashSet<(String, String)>,
    /// Who was left without a buddy in the latest round read.
    pub unmatched: Vec<String>,
}

impl PastRounds {
    /// The `lookback` rounds of `rounds` before `month` (none if its folder
    /// is not there yet).
    pub fn read(rounds: &Rounds, month: Month, lookback: usize) -> Result<Self, RoundError> {
        let folder = rounds.folder.clone();
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(RoundError::Io {
                    path: folder,
                    source,
                });
            }
        };
        let mut earlier: Vec<(Month, PathBuf)> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| RoundError::Io {
                path: folder.clone(),
                source,
            })?;
            let path = entry.path();
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if path.extension().is_some_and(|e| e == "yaml")
                && let Ok(m) = stem.parse::<Month>()
                && m < month
            {
                earlier.push((m, path));
            }
        }
        earlier.sort();
        let skip = earlier.len().saturating_sub(lookback);
        let mut history = Self::default();
        for (m, path) in earlier.into_iter().skip(skip) {
            let file = read_file(&path)?;
            for group in &file.buddies {
                // Everyone in a group of three has met both others.
                let members = group.pair.0.as_slice();
                for (i, a) in members.iter().enumerate() {
                    for b in &members[i + 1..] {
                        history.pairs.insert(ordered(a, b));
                    }
                }
            }
            history.unmatched = file.unmatched;
            history.months.push(m);
        }
        Ok(history)
    }

    /// Whether two people were paired in a round read.
    pub fn paired(&self, a: &str, b: &str) -> bool {
        let (x, y) = ordered(a, b);
        self.pairs.contains(&(x, y))
    }

    /// Every pair of the rounds read.
    pub fn pairs(&self) -> impl Iterator<Item = &(String, String)> {
        self.pairs.iter()
    }
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// How many buddy groups each person is in, in the rounds of `month` the
/// directory knows (its own and those other directories published), leaving
/// out those of its own scheme `except` (a programme's slug, or `None` for
/// its round over the whole directory): what a new round of `except` must
/// add to.
pub fn groups_in(
    directory: &Directory,
    month: Month,
    except: Option<&str>,
) -> AHashMap<String, u32> {
    let mut groups: AHashMap<String, u32> = AHashMap::new();
    for round in others_of(directory, month, except) {
        for group in &round.groups {
            for person in group.iter().filter(|p| round.may_name(directory, p)) {
                *groups.entry(person.clone()).or_default() += 1;
            }
        }
    }
    groups
}

/// Who is placed in a job swap in the rounds of `month` the directory knows,
/// leaving out those of its own scheme `except`: nobody moves twice in a
/// month.
pub fn placed_in(directory: &Directory, month: Month, except: Option<&str>) -> AHashSet<String> {
    others_of(directory, month, except)
        .flat_map(|round| {
            round
                .swaps
                .iter()
                .flatten()
                .filter(|p| round.may_name(directory, p))
        })
        .cloned()
        .collect()
}

/// The rounds of `month` but this site's own of the scheme `except`.
fn others_of<'a>(
    directory: &'a Directory,
    month: Month,
    except: Option<&'a str>,
) -> impl Iterator<Item = &'a Round> {
    directory
        .rounds
        .iter()
        .map(|r| &**r)
        .filter(move |r| r.month == month && (r.is_mirror() || r.programme.as_deref() != except))
}

/// The round file of `month` as it is (or a new one), to make its `kind`
/// round in: refused if it holds that round already, unless `force`.
pub fn open(
    rounds: &Rounds,
    month: Month,
    kind: RoundKind,
    force: bool,
) -> Result<RoundFile, RoundError> {
    let path = rounds.file(month);
    if !path.exists() {
        return Ok(RoundFile {
            month: month.to_string(),
            ..RoundFile::default()
        });
    }
    let file = read_file(&path)?;
    if kind.made_in(&file) && !force {
        return Err(RoundError::Exists { path, kind, month });
    }
    Ok(file)
}

/// Writes a round file, whole beside the old and renamed over it, so that a
/// crash leaves one or the other.
pub fn write(rounds: &Rounds, month: Month, file: &RoundFile) -> Result<(), RoundError> {
    let path = rounds.file(month);
    if let Some(folder) = path.parent() {
        // What a run killed while writing left, before it is committed by
        // mistake.
        let _ = crate::files::remove_unfinished(folder, crate::files::UNFINISHED_IDLE);
    }
    let text = crate::content::round::text(
        file,
        "Written by `interchange match`; commit it so later rounds do not repeat a pair.",
        &path,
    )?;
    replace(&path, &text)
}

/// Writes the readable summary of the `kind` round of `month`.
pub fn write_summary(
    rounds: &Rounds,
    month: Month,
    kind: RoundKind,
    text: &str,
) -> Result<(), RoundError> {
    replace(&rounds.summary_file(month, kind), text)
}

fn replace(path: &Path, text: &str) -> Result<(), RoundError> {
    crate::files::write_durably(path, text.as_bytes()).map_err(|source| RoundError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_saphyr::FlowSeq;

    #[test]
    fn months_read_and_print_as_yyyy_mm() {
        let m: Month = "2027-01".parse().unwrap();
        assert_eq!(m.to_string(), "2027-01");
        assert_eq!(m.first_day(), jiff::civil::date(2027, 1, 1));
        for bad in ["2027-13", "27-01", "2027", "January"] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_written_round_reads_back_and_its_pairs_are_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let month: Month = "2027-01".parse().unwrap();
        let file = RoundFile {
            month: month.to_string(),
            buddy_method: None,
            buddies: vec![PairRecord {
                pair: FlowSeq(vec!["priya-shah".into(), "dhsc.example/tom-young".into()]),
                weight: 4.2,
                reasons: FlowSeq(vec!["adult-social-care".into(), "data".into()]),
                place: Some("Leeds".into()),
            }],
            unmatched: vec!["gareth-jones".into()],
            swaps: vec![CycleRecord {
                cycle: FlowSeq(vec!["a".into(), "b".into(), "c".into()]),
                fit: 5,
            }],
            unplaced: vec![],
            ..RoundFile::default()
        };
        let rounds = Rounds::of_directory(dir.path());
        write(&rounds, month, &file).unwrap();
        assert!(matches!(
            open(&rounds, month, RoundKind::Swaps, false),
            Err(RoundError::Exists {
                kind: RoundKind::Swaps,
                ..
            })
        ));
        assert!(open(&rounds, month, RoundKind::Swaps, true).is_ok());
        let text = std::fs::read_to_string(rounds.file(month)).unwrap();
        assert!(
            text.contains("pair: [priya-shah, dhsc.example/tom-young]"),
            "{text}"
        );
        let later: Month = "2027-02".parse().unwrap();
        let history = PastRounds::read(&rounds, later, 6).unwrap();
        assert!(history.paired("dhsc.example/tom-young", "priya-shah"));
        assert!(!history.paired("priya-shah", "gareth-jones"));
        assert_eq!(history.unmatched, vec!["gareth-jones".to_string()]);
        // A round does not look at itself or later ones.
        assert!(
            !PastRounds::read(&rounds, month, 6)
                .unwrap()
                .paired("priya-shah", "dhsc.example/tom-young")
        );
        assert!(
            PastRounds::read(&rounds, later, 0)
                .unwrap()
                .months
                .is_empty()
        );
    }

    #[test]
    fn a_broken_round_file_is_named_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(FOLDER)).unwrap();
        std::fs::write(
            dir.path().join("rounds/2027-01.yaml"),
            "month: 2027-01\nbuddies:\n  - pair: [a, b]\n    weight: lots\n",
        )
        .unwrap();
        let error = PastRounds::read(
            &Rounds::of_directory(dir.path()),
            "2027-02".parse().unwrap(),
            6,
        )
        .unwrap_err();
        let message = error.to_string();
        assert!(message.contains("rounds/2027-01.yaml:4:"), "{message}");
    }
}
