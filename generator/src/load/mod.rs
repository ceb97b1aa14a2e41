//! Loading a site: reading every file into a [`Directory`] and checking it.
//!
//! The site config is read first (it sets the time zone and vocabulary), then
//! every entry file under `content/` and `mirror/` is read in parallel, and
//! last come the checks that need every file at once: references and
//! near-duplicate interests.
//!
//! Every origin's slugs are its own: a local entry's key is its slug, a
//! mirrored one's is its host and slug (`fire.example.gov.uk/callum-reid`),
//! and what a mirrored entry names is looked for among its own origin's
//! entries. No two files can claim one key, so no entry is ever set aside
//! for another's name, and no directory can attach its entries to another's.

mod checks;
mod entry;
pub mod front_matter;
#[cfg(test)]
mod fuzz;
mod last_read;
mod mistakes;
mod rounds;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::content::{Directory, Entry, Site};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::fields::{Context, Reader, Reference};
use crate::node::{parse_toml, parse_yaml};
use crate::source::{SourceFile, Span};
use entry::{AnyEntry, Findings, ReadFile, read_entry, read_entry_from, read_source};
use last_read::{LastRead, Reading};

pub use entry::entry_of;

/// The name of the site config file.
pub const CONFIG_FILE: &str = "interchange.toml";

/// What loading needs to be told.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The moment to check as of (consent dates, consultation status).
    pub as_of: AsOf,
}

impl LoadOptions {
    /// Options for the site at `root`, as of now.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            as_of: AsOf::Now,
        }
    }
}

/// The moment a site is checked and built as of: now, or another moment for
/// previews and reproducible tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AsOf {
    /// The clock's time.
    #[default]
    Now,
    /// The start of a day in the site's time zone.
    Date(jiff::civil::Date),
    /// An exact moment.
    Instant(Timestamp),
}

impl AsOf {
    /// The moment meant, given the site's zone.
    pub fn resolve(self, zone: &jiff::tz::TimeZone) -> Timestamp {
        match self {
            AsOf::Now => Timestamp::now(),
            AsOf::Date(date) => date
                .to_zoned(zone.clone())
                .map_or_else(|_| Timestamp::now(), |z| z.timestamp()),
            AsOf::Instant(instant) => instant,
        }
    }
}

impl std::str::FromStr for AsOf {
    type Err = String;

    /// `2027-01-14`, or a moment with an offset: `2027-01-14T10:00:00Z`.
    fn from_str(text: &str) -> Result<Self, String> {
        if text == "now" {
            return Ok(AsOf::Now);
        }
        if let Ok(instant) = text.parse::<Timestamp>() {
            return Ok(AsOf::Instant(instant));
        }
        text.parse::<jiff::civil::Date>()
            .map(AsOf::Date)
            .map_err(|_| format!("`{text}` is not a date (YYYY-MM-DD) or a moment with an offset"))
    }
}

/// Where a load keeps what it read from each file for the next load, in
/// a new process, to use (see `last_read`).
#[derive(Debug, Clone)]
pub struct Keep {
    /// The folder it is kept in: the build output's cache folder.
    pub folder: PathBuf,
    /// Whether what the last load kept may be used; else every file is
    /// read afresh, and what is kept is made anew.
    pub reuse: bool,
    /// How long before a file is read it must have been left unchanged for
    /// its size and times to be trusted next time to say it has not
    /// changed ([`Keep::SETTLED`]; see `crate::files::settled_stamp`).
    pub settled: std::time::Duration,
}

impl Keep {
    /// Two seconds: as long as the coarsest clock a file system keeps times
    /// with (FAT's); most keep them to the nanosecond, moved a few
    /// milliseconds at a time.
    pub const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);
}

/// Why a site could not be loaded at all. Problems in its files are
/// [`Diagnostic`]s instead: they never stop the other files being read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The folder is not a site.
    #[error("{} has no {CONFIG_FILE}: it is not an Interchange site", .root.display())]
    NotASite {
        /// The folder looked in.
        root: PathBuf,
    },
    /// The config exists but cannot be read.
    #[error("cannot read {}: {source}", .path.display())]
    Config {
        /// The config's path.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

/// A loaded site: the directory (with every entry that could be read) and
/// every problem found.
#[derive(Debug)]
pub struct Loaded {
    /// The entries, typed.
    pub directory: Directory,
    /// Every problem, sorted by file and position.
    pub diagnostics: Diagnostics,
    /// How many files were read.
    pub files: usize,
    /// How many entry files were parsed and checked by the last reading:
    /// every one, unless what an earlier load read was kept (see
    /// [`load_keeping`]), or, for a site being served, those changed.
    pub parsed: usize,
    /// How many entry files the last reading opened: every one, unless
    /// what an earlier load read was kept, when only those whose size or
    /// times changed (or changed just before they were last read) are.
    pub opened: usize,
    /// The moment the check was made as of.
    pub now: Timestamp,
}

/// The front matter of an entry's file as it is written, as JSON: for a
/// directory that carries an entry's fields as its editors wrote them
/// (federation, to a mirror). Empty for a file that has none, which no
/// loaded entry is.
pub fn fields_as_written(file: &SourceFile) -> serde_json::Map<String, serde_json::Value> {
    front_matter::split(file.text())
        .ok()
        .and_then(|split| parse_yaml(split.yaml).ok())
        .and_then(|node| match node.to_json() {
            serde_json::Value::Object(map) => Some(map),
            _ => None,
        })
        .unwrap_or_default()
}

/// Loads and checks the site at `options.root`.
pub fn load(options: &LoadOptions) -> Result<Loaded, LoadError> {
    finish_loading(Files::read(options)?)
}

/// Loads and checks the site at `options.root` as [`load`] does, parsing
/// and checking again only the files whose bytes changed since the last
/// load kept what it read in `keep`, and keeping what this one read there.
/// What it gives is what [`load`] gives.
pub fn load_keeping(options: &LoadOptions, keep: &Keep) -> Result<Loaded, LoadError> {
    finish_loading(Files::read_keeping(options, Some(keep))?)
}

/// The most entry files one thread reads without letting another take
/// some: rayon otherwise leaves the thread that began the list a quarter of
/// it to go through alone, and the other core waits for it at the end.
const FILES_AT_ONCE: usize = 256;

/// Puts `read` at `path` among `entries`, in order; gives what was there.
fn put(entries: &mut Vec<(PathBuf, ReadFile)>, path: PathBuf, read: ReadFile) -> Option<ReadFile> {
    match entries.binary_search_by(|(there, _)| there.cmp(&path)) {
        Ok(at) => Some(std::mem::replace(&mut entries[at].1, read)),
        Err(at) => {
            entries.insert(at, (path, read));
            None
        }
    }
}

fn finish_loading(files: Files) -> Result<Loaded, LoadError> {
    let loaded = files.loaded();
    // What was read is freed beside whatever the caller does next, rather
    // than before it: at 10,000 files that is a few milliseconds of one core.
    rayon::spawn(move || drop(files));
    Ok(loaded)
}

/// Every file of a site as last read, so that a site being served reads
/// again only the files that changed. [`Files::loaded`] gives the same
/// directory and problems as reading every file afresh.
pub struct Files {
    options: LoadOptions,
    config: ReadFile,
    site: Site,
    context: Context,
    /// Entry files, in the order of their paths (relative to the root):
    /// a list, not a map, because the folders' walk gives them in that
    /// order already, which a map would check twice over, comparing paths
    /// a component at a time (a tenth of a second at 200,000 files).
    entries: Vec<(PathBuf, ReadFile)>,
    /// Round files by path (relative to the root).
    rounds: std::collections::BTreeMap<PathBuf, rounds::ReadRound>,
    /// What the checks across files count over `entries`.
    tally: checks::Tally,
    /// How many entry files the last reading parsed.
    parsed: usize,
    /// How many entry files the last reading opened.
    opened: usize,
}

impl Files {
    /// Reads the config and every entry file.
    pub fn read(options: &LoadOptions) -> Result<Self, LoadError> {
        Self::read_keeping(options, None)
    }

    /// Reads the config and every entry file; with `keep`, only the files
    /// changed since the last reading kept there are parsed, and this
    /// reading is kept.
    fn read_keeping(options: &LoadOptions, keep: Option<&Keep>) -> Result<Self, LoadError> {
        let root = &options.root;
        let config_path = root.join(CONFIG_FILE);
        if !config_path.is_file() {
            return Err(LoadError::NotASite { root: root.clone() });
        }
        let config_text =
            std::fs::read_to_string(&config_path).map_err(|source| LoadError::Config {
                path: config_path.clone(),
                source,
            })?;
        let config_file = Arc::new(SourceFile::new(CONFIG_FILE, config_text));
        let (site, mut config_diagnostics, config_references) = read_site(&config_file, root);
        config_diagnostics.extend(mistakes::unpublishable_characters(&config_file));
        let now = options.as_of.resolve(&site.time_zone());
        let context = Context {
            root: root.clone(),
            time_zone: site.time_zone(),
            now,
            vocabulary: site.vocabulary.clone(),
            organisation: site.organisations.first().cloned(),
            levels: site.levels.clone(),
            own_host: site.host(),
        };
        let keep = keep.map(|keep| (keep, last_read::maker(&config_file, context.today())));
        // What the last load kept is read while the folders are walked: at
        // 200,000 profiles each takes a few tenths of a second.
        let (((content, mirror), round_files), kept) = rayon::join(
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || entry_files(root, "content"),
                            || entry_files(root, "mirror"),
                        )
                    },
                    || rounds::round_files(root),
                )
            },
            || {
                keep.filter(|(keep, _)| keep.reuse)
                    .and_then(|(keep, maker)| last_read::read(&keep.folder, maker))
            },
        );
        let refused: Vec<(PathBuf, Diagnostic)> = content
            .refused
            .into_iter()
            .chain(mirror.refused)
            .chain(walk_folder(root, "static", false).refused)
            .collect();
        let (content, mirror) = (content.paths, mirror.paths);
        let own_host = &context.own_host;
        let read_rounds = round_files
            .into_par_iter()
            .map(|path| {
                let read = rounds::read_round(root, &path, own_host);
                (path, read)
            })
            .collect();
        let paths: Vec<PathBuf> = content.into_iter().chain(mirror).collect();
        let last = kept.as_ref().and_then(|kept| LastRead::of(kept, root));
        // A few hundred files at a time (see `FILES_AT_ONCE`).
        let entries: Vec<(PathBuf, ReadFile, Reading<'_>)> = paths
            .into_par_iter()
            .enumerate()
            .with_max_len(FILES_AT_ONCE)
            .map(|(number, path)| {
                if let Some((read, reading)) =
                    last.as_ref().and_then(|last| last.unchanged(&path, number))
                {
                    return (path, read, reading);
                }
                let (file, unreadable, metadata) = read_source(root, &path);
                let stamp = metadata.as_ref().and_then(|metadata| {
                    let settled = keep.map_or(Keep::SETTLED, |(keep, _)| keep.settled);
                    crate::files::settled_stamp(metadata, std::time::SystemTime::now(), settled)
                });
                let reused = last
                    .as_ref()
                    .filter(|_| unreadable.is_none())
                    .and_then(|last| last.reading(&path, number, file.digest()))
                    .and_then(|kept| Some((last_read::reuse(kept, &file, root)?, kept)));
                match reused {
                    Some((read, kept)) => {
                        let reading = Reading {
                            stamp,
                            kept: Some(kept),
                            unopened: false,
                        };
                        (path, read, reading)
                    }
                    None => {
                        let read = read_entry_from(&path, file, unreadable, &context);
                        let reading = Reading {
                            stamp,
                            ..Reading::default()
                        };
                        (path, read, reading)
                    }
                }
            })
            .collect();
        let parsed = entries.iter().filter(|(_, _, r)| r.kept.is_none()).count();
        let opened = entries.iter().filter(|(_, _, r)| !r.unopened).count();
        // The checks' counts are made beside the readings kept and the
        // check of the files' order: each takes one core. A file refused
        // has nothing to count.
        let (tally, in_order) = rayon::join(
            || {
                let mut tally = checks::Tally::default();
                for (_, read, _) in &entries {
                    tally.add(read.claim.as_ref(), &read.findings);
                }
                tally
            },
            || {
                if let Some((keep, maker)) = keep {
                    // Only time is lost if this cannot be written: the next
                    // build reads every file again.
                    let _ = last_read::write(&keep.folder, maker, &entries, last.as_ref());
                }
                entries.is_sorted_by(|(a, ..), (b, ..)| a < b)
            },
        );
        let mut entries: Vec<(PathBuf, ReadFile)> = entries
            .into_iter()
            .map(|(path, read, _)| (path, read))
            .collect();
        if !in_order {
            // The walk gives each path once, so sorting is all it can need.
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
        }
        for (path, diagnostic) in refused {
            put(&mut entries, path, ReadFile::refused(diagnostic));
        }
        let config = ReadFile {
            findings: Findings {
                file: config_file,
                references: config_references,
                interests: Vec::new(),
            },
            entry: None,
            claim: None,
            diagnostics: config_diagnostics,
            looked_at: Vec::new(),
        };
        Ok(Self {
            options: options.clone(),
            config,
            site,
            context,
            entries,
            rounds: read_rounds,
            tally,
            parsed,
            opened,
        })
    }

    /// Reads again the files at `changed` (absolute, or relative to the
    /// root): new ones are added, deleted ones dropped. A change to the
    /// config, or a new day (dates are checked against today), reads
    /// everything again. Paths outside `content/` and `mirror/` are ignored.
    pub fn reread(&mut self, changed: &[PathBuf]) -> Result<(), LoadError> {
        let root = self.options.root.clone();
        let relative: Vec<PathBuf> = changed.iter().map(|p| self.relative(p)).collect();
        let now = self.options.as_of.resolve(&self.context.time_zone);
        let new_day = self.context.today() != now.to_zoned(self.context.time_zone.clone()).date();
        if new_day || relative.iter().any(|p| p == Path::new(CONFIG_FILE)) {
            *self = Self::read(&self.options)?;
            return Ok(());
        }
        self.context.now = now;
        self.parsed = 0;
        self.opened = 0;
        for path in relative {
            if rounds::under_rounds(&path) {
                let full = root.join(&path);
                if full.is_file() {
                    if rounds::is_round_path(&path) {
                        let read = rounds::read_round(&root, &path, &self.context.own_host);
                        self.rounds.insert(path, read);
                    }
                } else if full.is_dir() {
                    // A folder made (a programme's first round): the files
                    // written in it at once may not be told one by one.
                    self.rounds = rounds::round_files(&root)
                        .into_iter()
                        .map(|path| {
                            let read = rounds::read_round(&root, &path, &self.context.own_host);
                            (path, read)
                        })
                        .collect();
                } else {
                    self.rounds.retain(|p, _| !p.starts_with(&path));
                }
                continue;
            }
            if !is_entry_path(&path) {
                continue;
            }
            let full = root.join(&path);
            if full.is_file() && !inside(&root, &full) {
                // A link made while the site is served is refused as when
                // the site is read whole.
                *self = Self::read(&self.options)?;
                return Ok(());
            }
            if full.is_file() {
                let read = read_entry(&root, &path, &self.context);
                self.parsed += 1;
                self.opened += 1;
                self.tally.add(read.claim.as_ref(), &read.findings);
                if let Some(old) = put(&mut self.entries, path, read) {
                    self.tally.remove(old.claim.as_ref(), &old.findings);
                }
            } else if full.is_dir() {
                // A folder moved in or out: its files are not told one by one.
                *self = Self::read(&self.options)?;
                return Ok(());
            } else {
                // Deleted, or a folder moved away: drop everything under it.
                let tally = &mut self.tally;
                self.entries.retain(|(p, read)| {
                    let keep = !p.starts_with(&path);
                    if !keep {
                        tally.remove(read.claim.as_ref(), &read.findings);
                    }
                    keep
                });
            }
        }
        Ok(())
    }

    /// The directory and every problem, checked across all files.
    pub fn loaded(&self) -> Loaded {
        let mut diagnostics = Diagnostics::default();
        let mut directory = Directory {
            site: self.site.clone(),
            organisations: Vec::new(),
            profiles: Vec::new(),
            events: Vec::new(),
            consultations: Vec::new(),
            asks: Vec::new(),
            pages: Vec::new(),
            programmes: Vec::new(),
            rounds: Vec::new(),
        };
        for read in self.rounds.values() {
            diagnostics.extend(read.diagnostics.iter().cloned());
            directory.rounds.extend(read.round.iter().cloned());
        }
        let entries = self.entries.iter().map(|(_, read)| read);
        let files = std::iter::once(&self.config).chain(entries);
        let mut findings = Vec::with_capacity(self.entries.len() + 1);
        for file in files {
            diagnostics.extend(file.diagnostics.iter().cloned());
            findings.push(&file.findings);
            match &file.entry {
                Some(AnyEntry::Organisation(e)) => directory.organisations.push(Arc::clone(e)),
                Some(AnyEntry::Profile(e)) => directory.profiles.push(Arc::clone(e)),
                Some(AnyEntry::Event(e)) => directory.events.push(Arc::clone(e)),
                Some(AnyEntry::Consultation(e)) => directory.consultations.push(Arc::clone(e)),
                Some(AnyEntry::Ask(e)) => directory.asks.push(Arc::clone(e)),
                Some(AnyEntry::Page(e)) => directory.pages.push(Arc::clone(e)),
                Some(AnyEntry::Programme(e)) => directory.programmes.push(Arc::clone(e)),
                None => {}
            }
        }
        let (references, (interests, ())) = rayon::join(
            || checks::references(&self.tally, &findings),
            || {
                rayon::join(
                    || checks::similar_interests(&self.tally, &findings),
                    || finish(&mut directory),
                )
            },
        );
        diagnostics.extend(references);
        diagnostics.extend(interests);
        diagnostics.extend(rounds::overlaps(&directory, &self.rounds));
        diagnostics.sort();
        Loaded {
            directory,
            diagnostics,
            files: self.entries.len() + self.rounds.len() + 1,
            parsed: self.parsed,
            opened: self.opened,
            now: self.context.now,
        }
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// A path as seen from the site folder: `content/profiles/x.md`, from
    /// the absolute path a file watcher reports (or from one relative already).
    pub fn relative(&self, path: &Path) -> PathBuf {
        let root = &self.options.root;
        if let Ok(relative) = path.strip_prefix(root) {
            return relative.to_path_buf();
        }
        if let Ok(canonical) = root.canonicalize()
            && let Ok(relative) = path.strip_prefix(&canonical)
        {
            return relative.to_path_buf();
        }
        path.to_path_buf()
    }
}

/// Whether a path (relative to the root) is where entry files are read from.
fn is_entry_path(path: &Path) -> bool {
    let mut parts = path.iter();
    let top = parts.next();
    let hidden = path.iter().any(|p| p.to_string_lossy().starts_with('.'));
    !hidden
        && (top == Some("content".as_ref()) || top == Some("mirror".as_ref()))
        && (path.extension().is_none_or(|x| x == "md"))
}

/// Sorts every listing by key, for lookups. Files come in path order, so
/// each origin's entries are sorted already and only their places among the
/// others' change; no two files make one key.
fn finish(directory: &mut Directory) {
    fn tidy<T>(entries: &mut [Arc<Entry<T>>]) {
        entries.sort_by(|a, b| a.slug.cmp(&b.slug));
    }
    tidy(&mut directory.organisations);
    tidy(&mut directory.profiles);
    tidy(&mut directory.events);
    tidy(&mut directory.consultations);
    tidy(&mut directory.asks);
    tidy(&mut directory.pages);
    tidy(&mut directory.programmes);
    directory
        .rounds
        .sort_by(|a, b| (a.month, &a.path).cmp(&(b.month, &b.path)));
    // A local entry may still name a profile removed (a warning); a
    // mirrored one that does is set aside before it gets here.
    directory.forget_unlisted_profiles();
}

fn read_site(file: &Arc<SourceFile>, root: &Path) -> (Site, Vec<Diagnostic>, Vec<Reference>) {
    // The config holds no dates or policy areas: the zone and clock are unused.
    let context = Context {
        root: root.to_path_buf(),
        time_zone: jiff::tz::TimeZone::UTC,
        now: Timestamp::UNIX_EPOCH,
        vocabulary: Default::default(),
        organisation: None,
        levels: Default::default(),
        own_host: String::new(),
    };
    let mut reader = Reader::new(file, &context);
    let site = match parse_toml(file.text()) {
        Ok(node) => Site::read(&mut reader, &node),
        Err(e) => {
            let span = e
                .offset
                .map_or_else(|| file.line_span(1), |o| Span::new(o, 0));
            reader.push(
                reader
                    .error(
                        Code::Syntax,
                        span,
                        format!("{CONFIG_FILE} is not valid TOML: {}", e.message),
                    )
                    .with_hint(
                        "fix the syntax; the content is checked with default settings meanwhile",
                    ),
            );
            Site::fallback()
        }
    };
    let mut diagnostics = reader.diagnostics;
    diagnostics.extend(
        mistakes::placeholders(file.text(), 0)
            .into_iter()
            .map(|(at, len, body)| entry::placeholder(file, Span::new(at, len), body)),
    );
    (site, diagnostics, reader.references)
}

/// Whether `path` is inside the site at `root` once every link is followed.
fn inside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        _ => false,
    }
}

/// The entry files under a folder of the site, and the files there that
/// are not read, each with why.
#[derive(Default)]
struct EntryFiles {
    /// The entry files, relative to the site folder, in path order.
    paths: Vec<PathBuf>,
    /// Files and links that are not read, with what to say of each.
    refused: Vec<(PathBuf, Diagnostic)>,
}

/// Every file under `root/folder`, in path order, skipping hidden files
/// and folders. A link is followed only while it stays inside the site:
/// one that leads out of it, to nothing, or round in a loop is reported and
/// not read, and so is a file that looks like an entry by another name.
fn entry_files(root: &Path, folder: &str) -> EntryFiles {
    walk_folder(root, folder, true)
}

/// The files under `root/folder`, as [`entry_files`] finds them; with
/// `entries`, the entry files and the files named like entries, else only
/// the links refused. Links stay inside the site, and those under
/// `static/` inside `static/`, as the build copies no other.
fn walk_folder(root: &Path, folder: &str, entries: bool) -> EntryFiles {
    let base = root.join(folder);
    let mut found = EntryFiles::default();
    if !base.is_dir() {
        return found;
    }
    let bound = if entries { root } else { base.as_path() };
    let site = bound.canonicalize().unwrap_or_else(|_| bound.to_path_buf());
    let relative = |path: &Path| {
        path.strip_prefix(root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let problem = |path: &Path, code: Code, warning: bool, message: String, hint: String| {
        let file = Arc::new(SourceFile::new(relative(path), ""));
        let span = file.line_span(1);
        let diagnostic = if warning {
            Diagnostic::warning(code, &file, span, message)
        } else {
            Diagnostic::error(code, &file, span, message)
        };
        (relative(path), diagnostic.with_hint(hint))
    };
    // Each folder's names sorted, depth first: the order of the paths.
    let mut walk = WalkDir::new(&base)
        .sort_by_file_name()
        .follow_links(true)
        .into_iter();
    while let Some(next) = walk.next() {
        let entry = match next {
            Ok(entry) => entry,
            Err(error) => {
                let Some(path) = error.path().map(Path::to_path_buf) else {
                    continue;
                };
                let message = if error.loop_ancestor().is_some() {
                    "this link leads round in a loop back to a folder it is in".to_string()
                } else {
                    format!(
                        "this link cannot be followed: {}",
                        error
                            .io_error()
                            .map_or_else(|| error.to_string(), ToString::to_string)
                    )
                };
                found.refused.push(problem(
                    &path,
                    Code::BrokenFileLink,
                    true,
                    message,
                    "remove the link, or point it at a file inside the site".into(),
                ));
                continue;
            }
        };
        let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
        if hidden {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() {
            let target = entry.path().canonicalize().ok();
            if !target.as_deref().is_some_and(|t| t.starts_with(&site)) {
                let to = target.map_or_else(String::new, |t| format!(" ({})", t.display()));
                let outside = if entries { "the site" } else { "static/" };
                found.refused.push(problem(
                    entry.path(),
                    Code::OutsideSite,
                    false,
                    format!("this is a link to a file outside {outside}{to}: nothing outside it is read or published"),
                    format!("copy the file into {outside} instead of linking to it"),
                ));
                if entry.file_type().is_dir() {
                    walk.skip_current_dir();
                }
                continue;
            }
        }
        if !entry.file_type().is_file() || !entries {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let extension = entry
            .path()
            .extension()
            .map(|x| x.to_string_lossy().into_owned());
        match extension.as_deref() {
            Some("md") => found.paths.push(relative(entry.path())),
            Some(other) => {
                let stem = name.strip_suffix(&format!(".{other}")).unwrap_or(&name);
                let stem = stem.strip_suffix(".md").unwrap_or(stem);
                let looks = other.eq_ignore_ascii_case("md")
                    || other.eq_ignore_ascii_case("markdown")
                    || name.to_ascii_lowercase().ends_with(".md.txt");
                if looks {
                    found.refused.push(problem(
                        entry.path(),
                        Code::NotAnEntryFile,
                        true,
                        format!("`{name}` is not read: entry files end in `.md`"),
                        format!("rename it to `{stem}.md`"),
                    ));
                }
            }
            None => {}
        }
    }
    found
}
