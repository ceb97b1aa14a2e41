//! The files made from the whole directory rather than one page each:
//! calendars, feeds, the sitemap, `directory.json`, the search index and
//! the static files, in groups made and written together.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::index::Index;
use super::output::{Files, Fill, Made};
use super::theme::{self, Theme};
use super::{BuildError, BuildOptions, calendar, export, feeds, search, sitemap};
use crate::git_dates::GitDates;
use crate::lock;

/// How a group's files are written: into a new site, or over the live one.
pub(super) type Write<'w> = dyn Fn(&Path, &[u8]) -> Result<(), BuildError> + Sync + 'w;

/// Writes one file at a path as a [`Fill`] makes it, a part at a time.
pub(super) type Stream<'w> =
    dyn Fn(&Path, &mut Fill<'_>) -> Result<Option<u64>, BuildError> + Sync + 'w;

/// The files made from the whole directory rather than one page each, in
/// groups made and written together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SiteWide {
    Calendars,
    Feeds,
    Sitemap,
    Export,
    Search,
    /// Profiles' photos, resized (see `photos`).
    Photos,
    /// The theme's static files and the site's own, which come last so that
    /// they may replace the theme's.
    Assets,
}

impl SiteWide {
    pub(super) const ALL: [SiteWide; 7] = [
        SiteWide::Calendars,
        SiteWide::Feeds,
        SiteWide::Sitemap,
        SiteWide::Export,
        SiteWide::Search,
        SiteWide::Photos,
        SiteWide::Assets,
    ];

    /// Whether the group is made from the body of every entry.
    pub(super) fn reads_every_body(self) -> bool {
        matches!(self, SiteWide::Search | SiteWide::Export)
    }

    /// The group of a name given by [`SiteWide::name`].
    pub(super) fn named(name: &str) -> Option<SiteWide> {
        SiteWide::ALL.into_iter().find(|group| group.name() == name)
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            SiteWide::Calendars => "calendars",
            SiteWide::Feeds => "feeds",
            SiteWide::Sitemap => "sitemap",
            SiteWide::Export => "export",
            SiteWide::Search => "search",
            SiteWide::Photos => "photos",
            SiteWide::Assets => "assets",
        }
    }
}

/// What the site-wide files are made from.
pub(super) struct SiteFiles<'a> {
    index: &'a Index<'a>,
    root: &'a Path,
    options: &'a BuildOptions,
    theme: &'a Theme,
    global: u64,
    urls: Vec<&'a str>,
    /// When each entry changed, from git: read once, when first needed.
    history: OnceLock<GitDates>,
    /// Every entry, as one number: made once, though several groups ask.
    entries: OnceLock<u64>,
    /// The commit git is at, if the site is in git.
    head: OnceLock<Option<String>>,
    /// The site's own static files.
    static_files: OnceLock<Vec<theme::Listed>>,
}

impl<'a> SiteFiles<'a> {
    /// What the site-wide files of a build are made from: its index and
    /// settings, what every page shows (`global`) and every page's address.
    pub(super) fn new(
        index: &'a Index<'a>,
        root: &'a Path,
        options: &'a BuildOptions,
        theme: &'a Theme,
        global: u64,
        urls: Vec<&'a str>,
    ) -> Self {
        SiteFiles {
            index,
            root,
            options,
            theme,
            global,
            urls,
            history: OnceLock::new(),
            entries: OnceLock::new(),
            head: OnceLock::new(),
            static_files: OnceLock::new(),
        }
    }

    fn history(&self) -> &GitDates {
        self.history.get_or_init(|| GitDates::read(self.root))
    }

    /// The site's own static files, listed once a build.
    fn static_files(&self) -> &[theme::Listed] {
        self.static_files
            .get_or_init(|| theme::list_folder(&self.root.join("static")))
    }

    /// The commit git is at: besides the entries and their files' times,
    /// what their dates in feeds and calendars are made from (see
    /// `git_dates`). A file written again with the same text, or
    /// committed, can change an entry's dates.
    fn head(&self) -> &Option<String> {
        self.head.get_or_init(|| crate::git_dates::head(self.root))
    }

    /// The fingerprint of what a group is made from.
    pub(super) fn inputs(&self, group: SiteWide) -> u64 {
        let dir = self.index.dir;
        match group {
            SiteWide::Calendars => crate::fingerprint::of((
                self.global,
                crate::content::digests(&dir.events),
                crate::content::digests(&dir.organisations),
                crate::content::digests(&dir.consultations),
                crate::content::times(&dir.events),
                crate::content::times(&dir.consultations),
                self.head(),
            )),
            SiteWide::Sitemap => crate::fingerprint::of((self.global, &self.urls)),
            SiteWide::Feeds => {
                let entries = self.entries.get_or_init(|| dir.digest());
                crate::fingerprint::of((self.global, *entries, dir.times(), self.head()))
            }
            SiteWide::Export | SiteWide::Search => {
                let entries = self.entries.get_or_init(|| dir.digest());
                crate::fingerprint::of((self.global, *entries))
            }
            SiteWide::Photos => self.index.photos.inputs(),
            // The site's static files by their sizes and times: read only
            // when one changed (a folder of photos is most of a gigabyte).
            SiteWide::Assets => crate::fingerprint::of((
                self.global,
                self.static_files()
                    .iter()
                    .map(|f| (&f.path, f.stamp))
                    .collect::<Vec<_>>(),
            )),
        }
    }

    /// Makes a group's files and writes them with `write`; `kept` are
    /// the group's files the site being written holds from the last build
    /// (none, for a new site). What they are known by: the fingerprint of
    /// their inputs, and every path.
    pub(super) fn write(
        &self,
        group: SiteWide,
        caches: &Caches,
        write: &Write<'_>,
        stream: &Stream<'_>,
        kept: &[PathBuf],
    ) -> Result<(u64, Vec<PathBuf>), BuildError> {
        if group == SiteWide::Assets {
            return self.write_assets(write, caches);
        }
        if group == SiteWide::Photos {
            // Written one photo at a time, as made: ten thousand photos'
            // files would otherwise all be held at once.
            let cache = super::photos::cache(&self.options.output);
            let paths = self.index.photos.write(self.root, &cache, write, kept)?;
            return Ok((self.index.photos.inputs(), paths));
        }
        if group == SiteWide::Export {
            let path = PathBuf::from("directory.json");
            let mut cache = lock(&caches.export);
            let stamp = stream(&path, &mut |out| {
                export::directory_json(self.index, &mut cache, out)
            })?;
            cache.written_as(stamp);
            return Ok((self.inputs(group), vec![path]));
        }
        if group == SiteWide::Calendars {
            let mut paths = Vec::new();
            calendar::files(self.index, self.history(), |path, text| {
                write(&path, text.as_bytes())?;
                paths.push(path);
                Ok::<(), BuildError>(())
            })?;
            return Ok((self.inputs(group), paths));
        }
        if group == SiteWide::Search {
            let mut cache = lock(&caches.search);
            // Files the site holds from the last build are in the output
            // being written over.
            let over = (!kept.is_empty()).then_some(self.options.output.as_path());
            let paths = search::write(self.index, self.global, &mut cache, write, over)?;
            return Ok((self.inputs(group), paths));
        }
        let made = self.make(group)?;
        for (path, bytes) in &made.bytes {
            write(path, bytes)?;
        }
        Ok((self.inputs(group), made.paths))
    }

    /// Writes the theme's static files, then the site's own (over any of
    /// the theme's of the same name), each read, stripped of what cameras
    /// wrote into pictures (see `images`), written and let go in turn; but
    /// those of the site's the last build wrote (as `caches` knows) whose
    /// size and time are unchanged.
    fn write_assets(
        &self,
        write: &Write<'_>,
        caches: &Caches,
    ) -> Result<(u64, Vec<PathBuf>), BuildError> {
        let mut paths = Vec::new();
        for (path, bytes) in &self.theme.assets {
            write(path, bytes)?;
            paths.push(path.clone());
        }
        let mut written = lock(&caches.assets);
        for file in self.static_files() {
            if file.stamp.1 != 0 && written.get(&file.path) == Some(&file.stamp) {
                paths.push(file.path.clone());
                continue;
            }
            let bytes = std::fs::read(&file.full).map_err(|source| BuildError::Io {
                path: file.full.clone(),
                source,
            })?;
            write(
                &file.path,
                &super::images::without_metadata(&file.path, bytes),
            )?;
            paths.push(file.path.clone());
        }
        // A file changed within the last two seconds may change again
        // within the same tick of a coarse clock, keeping its time: it is
        // read again next time.
        let settled = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
            .saturating_sub(2_000_000_000);
        *written = self
            .static_files()
            .iter()
            .filter(|file| file.stamp.1 < settled)
            .map(|file| (file.path.clone(), file.stamp))
            .collect();
        paths.sort();
        paths.dedup();
        Ok((self.inputs(SiteWide::Assets), paths))
    }

    /// A group's files, but those written as they are made: the
    /// calendars, the export's, the search index's, the photos' and the
    /// static files'.
    fn make(&self, group: SiteWide) -> Result<Made, BuildError> {
        let index = self.index;
        let dir = index.dir;
        let text = |files: Vec<(PathBuf, String)>| -> Files {
            files
                .into_iter()
                .map(|(path, text)| (path, text.into_bytes()))
                .collect()
        };
        Ok(Made::whole(match group {
            SiteWide::Feeds => text(feeds::files(index, self.history(), &self.theme.tera)?),
            SiteWide::Sitemap => {
                let pages: Vec<String> = self
                    .urls
                    .iter()
                    .filter(|url| url.ends_with('/'))
                    .map(|url| (*url).to_string())
                    .collect();
                text(sitemap::files(
                    dir.site.base_url.as_str(),
                    &pages,
                    self.options.internal,
                ))
            }
            SiteWide::Calendars
            | SiteWide::Export
            | SiteWide::Search
            | SiteWide::Photos
            | SiteWide::Assets => Files::new(),
        }))
    }
}

/// The caches of the site-wide files, one lock each, so that the groups
/// can be made at the same time.
#[derive(Debug, Default)]
pub(super) struct Caches {
    export: Mutex<export::LastExport>,
    search: Mutex<search::LastIndex>,
    /// The size and time of each of the site's static files as written.
    assets: Mutex<std::collections::HashMap<PathBuf, (u64, u128)>>,
}

impl Caches {
    /// Caches that keep what they make for a next build when `keep`.
    pub(super) fn new(keep: bool) -> Self {
        Self {
            export: Mutex::new(export::LastExport::new(keep)),
            search: Mutex::new(search::LastIndex::new(keep)),
            assets: Mutex::default(),
        }
    }

    /// Keeps the search index on disk at `path` as it is written, starting
    /// from the one kept with the checksum `last`, if any (see
    /// `search::kept`).
    pub(super) fn keep_index_on_disk(&self, path: PathBuf, last: Option<u64>) {
        lock(&self.search).keep_on_disk(path, last);
    }

    /// Keeps each entry of `directory.json` for the state on disk,
    /// starting from `lines`, as the export at `last` holds them, if it is
    /// the last build's (see `export::kept`).
    pub(super) fn keep_export_on_disk(&self, lines: export::kept::Lines, last: Option<PathBuf>) {
        lock(&self.export).keep_on_disk(lines, last);
    }

    /// Each entry of `directory.json` as kept for the state on disk.
    pub(super) fn export_on_disk(&self) -> Option<export::kept::Lines> {
        lock(&self.export).kept_on_disk().cloned()
    }

    /// The checksum of the search index kept on disk, if one is.
    pub(super) fn index_on_disk(&self) -> Option<u64> {
        lock(&self.search).kept_on_disk()
    }

    /// Empties a group's cache, for a build with no next build to use it:
    /// the memory goes to the pages still rendering rather than to fresh
    /// pages from the system, which cost more here than the freeing.
    pub(super) fn clear(&self, group: SiteWide) {
        match group {
            SiteWide::Export => {
                let mut export = lock(&self.export);
                *export = export.emptied();
            }
            SiteWide::Search => {
                let mut search = lock(&self.search);
                *search = search.emptied();
            }
            _ => {}
        }
    }
}
