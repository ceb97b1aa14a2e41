//! Reading round files: this site's, under `rounds/`, and those other
//! directories published, which the federation server keeps under
//! `mirror/<host>/rounds/`. A file that cannot be read is named with its
//! line, and the others are read all the same.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::content::Round;
use crate::content::round::{self, FOLDER, RoundError};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;

/// What reading one round file gave.
pub(super) struct ReadRound {
    pub(super) round: Option<Arc<Round>>,
    /// The file, for what is found in it once every file is read.
    pub(super) file: Option<Arc<SourceFile>>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// Whether `relative` (to the site folder) is where a round file is kept.
pub(super) fn is_round_path(relative: &Path) -> bool {
    round::place_of(relative).is_some()
}

/// Whether `relative` (to the site folder) is in a folder of rounds:
/// `rounds/…` or `mirror/<host>/rounds/…`.
pub(super) fn under_rounds(relative: &Path) -> bool {
    let mut parts = relative.iter();
    match parts.next().and_then(|p| p.to_str()) {
        Some(FOLDER) => true,
        Some("mirror") => parts.nth(1).is_some_and(|p| p == FOLDER),
        _ => false,
    }
}

/// Every round file of the site at `root`, relative to it, in path order.
pub(super) fn round_files(root: &Path) -> Vec<PathBuf> {
    let mut folders = vec![root.join(FOLDER)];
    if let Ok(hosts) = std::fs::read_dir(root.join("mirror")) {
        let mut hosts: Vec<PathBuf> = hosts
            .flatten()
            .map(|host| host.path().join(FOLDER))
            .collect();
        hosts.sort();
        folders.extend(hosts);
    }
    let mut files = Vec::new();
    for folder in folders.iter().filter(|f| f.is_dir()) {
        files.extend(
            WalkDir::new(folder)
                .max_depth(2)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
                .filter(|relative| is_round_path(relative)),
        );
    }
    files
}

/// Reads the round file at `relative`, for the site at `own_host`.
pub(super) fn read_round(root: &Path, relative: &Path, own_host: &str) -> ReadRound {
    let mut out = ReadRound {
        round: None,
        file: None,
        diagnostics: Vec::new(),
    };
    let Some((host, programme, month)) = round::place_of(relative) else {
        return out;
    };
    let text = match std::fs::read_to_string(root.join(relative)) {
        Ok(text) => text,
        Err(e) => {
            let file = Arc::new(SourceFile::new(relative, ""));
            out.diagnostics.push(
                Diagnostic::error(
                    Code::Unreadable,
                    &file,
                    file.line_span(1),
                    format!("cannot read the round file: {e}"),
                )
                .with_hint("save it as UTF-8 text, as `interchange match` wrote it"),
            );
            return out;
        }
    };
    let file = Arc::new(SourceFile::new(relative, text));
    out.file = Some(Arc::clone(&file));
    let problem = |line: u64, message: String| {
        let line = usize::try_from(line.max(1)).unwrap_or(1);
        Diagnostic::error(Code::InvalidRound, &file, file.line_span(line), message).with_hint(
            "the file is written by `interchange match`: restore it from git, or make the round again with --force",
        )
    };
    let written = match round::parse(file.text(), relative) {
        Ok(written) => written,
        Err(RoundError::Parse { line, message, .. }) => {
            out.diagnostics.push(problem(line, message));
            return out;
        }
        Err(other) => {
            out.diagnostics.push(problem(1, other.to_string()));
            return out;
        }
    };
    if written.month != month.to_string() {
        out.diagnostics.push(problem(
            line_of(file.text(), "month:"),
            format!(
                "the file is the round of {month} by its name, but says `month: {}`",
                written.month
            ),
        ));
        return out;
    }
    match Round::from_file(
        written,
        relative.to_path_buf(),
        programme.as_deref(),
        host.as_deref(),
        own_host,
    ) {
        Ok(round) => out.round = Some(Arc::new(round)),
        Err(message) => out.diagnostics.push(problem(1, message)),
    }
    out
}

/// The 1-based line a top-level `key` starts, or the first.
fn line_of(text: &str, key: &str) -> u64 {
    text.lines()
        .position(|line| line.starts_with(key))
        .map_or(1, |i| i as u64 + 1)
}

/// Warnings for this site's rounds that take someone past what they want
/// in a month, as rounds made before them (here or in other directories)
/// have them already: the groups introductions hold back.
pub(super) fn overlaps(
    directory: &crate::content::Directory,
    files: &std::collections::BTreeMap<PathBuf, ReadRound>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for round in directory.rounds.iter().filter(|r| !r.is_mirror()) {
        let Some(file) = files.get(&round.path).and_then(|r| r.file.as_ref()) else {
            continue;
        };
        for overlap in round::overlaps(directory, round) {
            let line = line_naming(file.text(), &overlap.person);
            diagnostics.push(
                Diagnostic::warning(
                    Code::PairedElsewhere,
                    file,
                    file.line_span(line),
                    format!(
                        "{}: this group is held back from introductions",
                        overlap.describe(directory, round.month)
                    ),
                )
                .with_hint(
                    "tell the others in the group, or make this round again with --force before introducing it: people already matched this month are left out",
                ),
            );
        }
    }
    diagnostics
}

/// The 1-based line of a round file where a group or swap names `key`.
fn line_naming(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            (line.starts_with("- pair:") || line.starts_with("- cycle:"))
                && line.split(['[', ']', ',']).any(|item| item.trim() == key)
        })
        .map_or(1, |i| i + 1)
}
