//! What the last `interchange build` of a site wrote, kept on disk beside
//! its output, so that the next build, in a new process, renders and writes
//! only the pages and files whose inputs changed.
//!
//! The file holds each page's address and fingerprint, each group of
//! site-wide files' fingerprint and files, and the profiles' A–Z order and
//! terms, behind a header naming the program and settings that made it and
//! a checksum of the rest. The suggestions on profile pages are kept in a
//! file of their own, written only when they are made anew. A file that
//! is missing, unreadable, damaged or made by another build of the program
//! is not read: the build is then a full one. Any build that changes the
//! output first removes the file, and only a build that completes writes it
//! again, so a build stopped half way (a crash, a template error) leaves
//! none for the next to trust.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::index::{KnownOrder, Term};
use super::site_files::SiteWide;
use super::{BuildError, BuildOptions};
use crate::content::TaxonomyKind;
use crate::fingerprint;
use crate::kept::{self, Kept};
use crate::matching::suggestions::Suggestions;

/// The file's name in the output's cache folder.
const FILE: &str = "last-build";

/// The name of the file that keeps the suggestions, apart from the state:
/// most builds keep them as they were, and need not write them again (a
/// fifth of a second at 200,000 profiles).
const SUGGESTIONS: &str = "last-suggestions";

/// What the suggestions' file begins with.
const SUGGESTIONS_MAGIC: &[u8; 8] = b"ixsugg\x00\x01";

/// What the file begins with.
const MAGIC: &[u8; 8] = b"ixlast\x00\x01";

/// The layout of what follows the header; a new layout has a new number.
const LAYOUT: u32 = 7;

/// The last build's state, as the next build reads it: borrowed from the
/// build's memory when written, owned when read.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct LastBuild<'a> {
    /// The moment the build was made as of.
    pub(super) built_at: Option<Timestamp>,
    /// When its site would next change with no edit.
    pub(super) next_change: Option<Timestamp>,
    /// How many times a `next_change` had passed (see [`super::Memory`]).
    pub(super) epoch: u64,
    /// Each page's address and fingerprint.
    pub(super) pages: Vec<(String, u64)>,
    /// Each group of site-wide files, by name: its fingerprint and files.
    pub(super) groups: Vec<(String, u64, Vec<PathBuf>)>,
    /// What the suggestions on profile pages kept beside the state were
    /// made from (see [`read_suggestions`]): making them is a fifth of a
    /// build after one edit.
    pub(super) suggestions: Option<u64>,
    /// The checksum of the search index it kept (see `search::kept`).
    pub(super) index: Option<u64>,
    /// Each entry of `directory.json` (see `export::kept`).
    pub(super) export: Option<super::export::kept::Lines>,
    /// The A–Z order of the profiles: sorting them is a tenth of a build
    /// after one edit at 200,000 profiles.
    pub(super) order: Option<Cow<'a, KnownOrder>>,
    /// The terms, for the same reason.
    pub(super) terms: Option<KeptTerms<'a>>,
}

/// The terms of the last build and what they were made from (see
/// `index::KnownTerms`).
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct KeptTerms<'a> {
    pub(super) inputs: u64,
    pub(super) order: u64,
    pub(super) taxonomies: Cow<'a, [(TaxonomyKind, Vec<Term>)]>,
}

/// The file that keeps the last build of the site written at `output`.
fn path(output: &Path) -> PathBuf {
    super::output::cache(output).join(FILE)
}

/// A number for the program and the settings a state is made under: a
/// state from another build of the program (whose pages may render
/// differently from the same inputs) or other settings is never read.
fn maker(options: &BuildOptions) -> u64 {
    fingerprint::of((
        LAYOUT,
        kept::program(),
        options.internal,
        options.base_url.as_ref().map(url::Url::as_str),
    ))
}

/// Reads the state of the last build into `output` under `options`, or
/// `None` when there is none to trust.
pub(super) fn read(options: &BuildOptions) -> Option<LastBuild<'static>> {
    let kept = Kept::read(&path(&options.output), MAGIC, maker(options))?;
    let last: LastBuild<'static> = postcard::from_bytes(kept.body()).ok()?;
    // Every group named must be one this program makes.
    let known = last
        .groups
        .iter()
        .all(|(name, ..)| SiteWide::named(name).is_some());
    known.then_some(last)
}

/// The number the suggestions made from `inputs` are kept under: the
/// program's build, and the inputs. They depend on nothing else, not even
/// the output, so they are never forgotten, only replaced.
fn suggestions_maker(inputs: u64) -> u64 {
    fingerprint::of((LAYOUT, kept::program(), inputs))
}

/// The suggestions kept beside the output under `options`, if they were
/// made from `inputs`.
pub(super) fn read_suggestions(options: &BuildOptions, inputs: u64) -> Option<Suggestions> {
    let path = super::output::cache(&options.output).join(SUGGESTIONS);
    let kept = Kept::read(&path, SUGGESTIONS_MAGIC, suggestions_maker(inputs))?;
    postcard::from_bytes(kept.body()).ok()
}

/// Keeps `made`, the suggestions made from `inputs`, beside the output.
pub(super) fn write_suggestions(
    options: &BuildOptions,
    inputs: u64,
    made: &Suggestions,
) -> std::io::Result<()> {
    let path = super::output::cache(&options.output).join(SUGGESTIONS);
    kept::write(
        &path,
        SUGGESTIONS_MAGIC,
        suggestions_maker(inputs),
        |body| {
            postcard::to_io(made, body)
                .map(|_| ())
                .map_err(std::io::Error::other)
        },
    )
    .map(|_| ())
}

/// Removes the state kept for `output`: the output is about to change.
pub(super) fn forget(output: &Path) -> Result<(), BuildError> {
    let path = path(output);
    kept::forget(&path).map_err(|source| BuildError::Io { path, source })
}

/// Keeps `last` as the state of the build just made into `output`.
pub(super) fn write(options: &BuildOptions, last: &LastBuild<'_>) -> std::io::Result<()> {
    kept::write(&path(&options.output), MAGIC, maker(options), |body| {
        postcard::to_io(last, body)
            .map(|_| ())
            .map_err(std::io::Error::other)
    })
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::people::TagKind;

    fn options(dir: &Path) -> BuildOptions {
        BuildOptions {
            output: dir.join("public"),
            base_url: None,
            internal: false,
        }
    }

    fn state() -> LastBuild<'static> {
        LastBuild {
            built_at: Some(Timestamp::UNIX_EPOCH),
            next_change: None,
            epoch: 2,
            pages: vec![("/profiles/priya-shah/".into(), 7)],
            groups: vec![("search".into(), 9, vec![PathBuf::from("search/0.json")])],
            suggestions: Some(11),
            index: Some(13),
            export: Some(crate::render::export::kept::Lines {
                stamp: Some(23),
                lists: vec![crate::render::export::kept::List {
                    start: 5,
                    entries: vec![(1, 2, 3)],
                }],
            }),
            order: None,
            terms: Some(KeptTerms {
                inputs: 17,
                order: 19,
                taxonomies: Cow::Owned(vec![(
                    TaxonomyKind::Interest,
                    vec![Term {
                        slug: "tenancy-law".into(),
                        label: "Tenancy law".into(),
                        profiles: vec![0, 3],
                    }],
                )]),
            }),
        }
    }

    #[test]
    fn a_state_written_is_read_back_under_the_same_settings_only() {
        let dir = tempfile::tempdir().expect("a folder");
        let options = options(dir.path());
        write(&options, &state()).expect("written");
        let read = read(&options).expect("read back");
        assert_eq!(read.pages, state().pages);
        assert_eq!(read.groups, state().groups);
        assert_eq!(read.epoch, 2);
        assert_eq!(read.suggestions, state().suggestions);
        assert_eq!(read.index, Some(13));
        assert_eq!(
            format!("{:?}", read.export),
            format!("{:?}", state().export)
        );
        assert_eq!(format!("{:?}", read.terms), format!("{:?}", state().terms));
        let internal = BuildOptions {
            internal: true,
            ..options.clone()
        };
        assert!(read_none(&internal), "another variant's state is not read");
    }

    #[test]
    fn suggestions_are_read_back_only_for_the_inputs_they_were_made_from() {
        let dir = tempfile::tempdir().expect("a folder");
        let options = options(dir.path());
        let made = Suggestions::from_lists(&[
            vec![(
                3,
                vec![
                    (TagKind::Interest, "tenancy-law"),
                    (TagKind::PolicyArea, "housing"),
                ],
                Some("Leeds"),
            )],
            Vec::new(),
            vec![
                (0, vec![(TagKind::PolicyArea, "housing")], None),
                (2, Vec::new(), Some("Leeds")),
            ],
        ]);
        assert!(read_suggestions(&options, 11).is_none(), "none kept yet");
        write_suggestions(&options, 11, &made).expect("written");
        assert_eq!(read_suggestions(&options, 11), Some(made));
        assert!(read_suggestions(&options, 12).is_none(), "other inputs");
    }

    fn read_none(options: &BuildOptions) -> bool {
        super::read(options).is_none()
    }

    #[test]
    fn a_forgotten_state_is_not_read() {
        let dir = tempfile::tempdir().expect("a folder");
        let options = options(dir.path());
        write(&options, &state()).expect("written");
        forget(&options.output).expect("removed");
        assert!(read_none(&options));
        forget(&options.output).expect("nothing to remove is no error");
    }

    #[test]
    fn a_state_naming_a_group_no_longer_made_is_not_read() {
        let dir = tempfile::tempdir().expect("a folder");
        let options = options(dir.path());
        let mut old = state();
        old.groups.push(("gone".into(), 1, Vec::new()));
        write(&options, &old).expect("written");
        assert!(read_none(&options));
    }
}
