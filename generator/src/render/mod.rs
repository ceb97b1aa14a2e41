//! Rendering a directory into a static site.
//!
//! Every page is a [`Job`]: the list of jobs is made first (its length is
//! known, for progress), then pages are rendered and written in parallel,
//! each from the templates compiled once. The site is written into a
//! staging folder beside the output and swapped in only when every page and
//! file is written, so a failed build leaves the last good site untouched.

pub mod calendar;
pub mod export;
pub mod feeds;
pub mod format;
pub mod index;
pub mod output;
mod pages;
pub mod paginate;
pub mod search;
pub mod sitemap;
pub mod structured;
pub mod theme;
pub mod views;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;
use url::Url;

use crate::content::{Directory, Kind};
use crate::history::History;
use crate::lock;
use index::Index;
use output::{InPlace, Staging};
use pages::{Job, Renderer, jobs};
use theme::Theme;
use views::Link;

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder the site is written to (replaced whole on success).
    pub output: PathBuf,
    /// Publish at this address instead of the config's `base_url`.
    pub base_url: Option<Url>,
    /// Build the intranet variant, with `visibility: internal` profiles.
    pub internal: bool,
}

/// What a build wrote.
#[derive(Debug, Clone)]
pub struct Built {
    /// HTML pages in the site.
    pub pages: usize,
    /// Pages rendered by this build: all of them, unless the site was built
    /// before with the same [`Memory`] and only some had changed.
    pub rendered: usize,
    /// Static files copied.
    pub files: usize,
    /// When the site would next change with no edit (an event passing, a
    /// consultation closing): the time to build again.
    pub next_change: Option<jiff::Zoned>,
}

/// Why a build failed. The previous site is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A template does not compile.
    #[error("the theme's templates do not compile:\n{message}")]
    Theme {
        /// Tera's report, naming the template, line and column.
        message: String,
    },
    /// A page failed to render.
    #[error("rendering {page} with {template}{entry} failed:\n{message}", entry = .entry.as_ref().map(|p| format!(" (from {})", p.display())).unwrap_or_default())]
    Render {
        /// The page's address.
        page: String,
        /// The template.
        template: String,
        /// The entry being rendered, if any.
        entry: Option<PathBuf>,
        /// Tera's report.
        message: String,
    },
    /// A file could not be written or read.
    #[error("cannot write {}: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

/// Told how a build goes, to draw a progress bar.
pub trait Progress: Sync {
    /// The build will render `pages` pages.
    fn start(&self, _pages: usize) {}
    /// One more page is written.
    fn advance(&self) {}
    /// Every page is written; the site-wide files (feeds, calendars, the
    /// search index) follow.
    fn pages_written(&self) {}
}

/// Progress that is not shown.
pub struct Quiet;
impl Progress for Quiet {}

/// What the last build of a site wrote, so that the next build of the same
/// site (a save while it is served) renders and writes only what changed.
/// Start with `Memory::default()`; keep it with the [`Theme`] it was made
/// with.
#[derive(Debug, Default)]
pub struct Memory {
    /// Each page's address and fingerprint.
    pages: index::Map<String, u64>,
    /// Each group of site-wide files: its fingerprint and its files.
    groups: HashMap<&'static str, (u64, Vec<PathBuf>)>,
    /// When the site changes next with no edit; past it, every page is
    /// made again.
    next_change: Option<Timestamp>,
    /// How many times `next_change` has passed.
    epoch: u64,
    /// What the site-wide files were made from, kept to make them again
    /// from the entries that changed.
    caches: Caches,
    /// The suggestions on profile pages, with what they were made from:
    /// most saves change no tag, place or organisation and keep them.
    suggestions: Option<(u64, Arc<Vec<Vec<crate::matching::suggestions::Suggestion>>>)>,
    /// The terms of the last build, for the same reason.
    terms: Option<index::KnownTerms>,
    /// The A–Z order of the last build, for the same reason.
    order: Option<index::KnownOrder>,
    /// Each profile's part of the suggestions' inputs, by entry.
    inputs: crate::matching::suggestions::KnownInputs,
    /// Whether this is the memory of the one build of a process that ends
    /// after it (see [`Memory::once`]).
    once: bool,
}

impl Drop for Memory {
    fn drop(&mut self) {
        if self.once {
            // Left for the end of the process, which frees it all at once.
            std::mem::forget(std::mem::take(&mut self.pages));
            std::mem::forget(std::mem::take(&mut self.groups));
            std::mem::forget(std::mem::take(&mut self.caches));
            std::mem::forget(self.suggestions.take());
            std::mem::forget(self.terms.take());
        }
    }
}

/// The caches of the site-wide files, one lock each, so that the groups
/// can be made at the same time.
#[derive(Debug, Default)]
struct Caches {
    export: Mutex<export::Cache>,
    search: Mutex<search::Cache>,
}

impl Caches {
    /// Caches that keep what they make for a next build when `keep`.
    fn new(keep: bool) -> Self {
        Self {
            export: Mutex::new(export::Cache::new(keep)),
            search: Mutex::default(),
        }
    }

    /// Empties a group's cache, for a build with no next build to use it:
    /// the memory goes to the pages still rendering rather than to fresh
    /// pages from the system, which cost more here than the freeing.
    fn clear(&self, group: SiteWide) {
        match group {
            SiteWide::Export => *lock(&self.export) = export::Cache::default(),
            SiteWide::Search => *lock(&self.search) = search::Cache::default(),
            _ => {}
        }
    }
}

/// A group of site-wide files as made: every file of the group, and the
/// bytes of those that may have changed (all of them, unless a cache knew
/// better).
struct Made {
    paths: Vec<PathBuf>,
    bytes: Files,
}

impl Made {
    fn whole(bytes: Files) -> Self {
        Self {
            paths: bytes.iter().map(|(path, _)| path.clone()).collect(),
            bytes,
        }
    }
}

impl Memory {
    /// The memory of the one build of a process that ends after it, as
    /// `interchange build` is. Nothing is kept for a next build, and what
    /// the build made is not freed piece by piece but left for the end of
    /// the process: freeing a 10,000-profile build's cards, caches and
    /// fingerprints one by one took a tenth of its time.
    pub fn once() -> Self {
        let mut memory = Self::default();
        memory.once = true;
        memory
    }

    /// When the site last built would next change with no edit.
    pub fn next_change(&self) -> Option<Timestamp> {
        self.next_change
    }
}

/// Builds the site of `directory` (loaded from `root`) as of `now`.
pub fn build(
    directory: &Directory,
    root: &Path,
    now: Timestamp,
    options: &BuildOptions,
    progress: &dyn Progress,
) -> Result<Built, BuildError> {
    build_with(directory, root, now, options, Memory::default(), progress)
}

/// Builds the site of `directory` as [`build`] does, from `memory`: for
/// a process that ends after the build, [`Memory::once`].
pub fn build_with(
    directory: &Directory,
    root: &Path,
    now: Timestamp,
    options: &BuildOptions,
    mut memory: Memory,
    progress: &dyn Progress,
) -> Result<Built, BuildError> {
    let mut theme = Theme::load(root, &directory.site.theme)?;
    rebuild(
        directory,
        root,
        now,
        options,
        &mut theme,
        &mut memory,
        progress,
    )
}

/// The directory as a build shows it: without internal profiles unless
/// the build is internal, at the base URL the build asks for.
fn view<'d>(directory: &'d Directory, options: &BuildOptions) -> Cow<'d, Directory> {
    let mut directory = if options.internal {
        Cow::Borrowed(directory)
    } else {
        Cow::Owned(directory.public_view())
    };
    if let Some(base_url) = &options.base_url {
        directory.to_mut().site.base_url = base_url.clone();
    }
    directory
}

/// One page at a time: a directory made ready to render any page of its
/// site on its own, as a preview would, without writing anything.
pub struct Pages<'a> {
    renderer: Renderer<'a>,
    jobs: HashMap<String, Job>,
}

impl Pages<'_> {
    /// The HTML of the page at `url` (`/profiles/priya-shah/`), or `None`
    /// when the site has no page there.
    pub fn render(&self, url: &str) -> Result<Option<String>, BuildError> {
        match self.jobs.get(url) {
            Some(job) => Ok(Some(self.renderer.render(job)?.1)),
            None => Ok(None),
        }
    }
}

/// Calls `f` with the pages of `directory`'s site as of `now`, made ready to
/// render one at a time with `theme`.
pub fn with_pages<R>(
    directory: &Directory,
    now: Timestamp,
    options: &BuildOptions,
    theme: &mut Theme,
    f: impl FnOnce(&Pages<'_>) -> R,
) -> R {
    use crate::matching::suggestions;
    let directory = view(directory, options);
    let made = suggestions::suggestions(&directory, suggestions::PER_PROFILE);
    let index = Index::new(&directory, now, Arc::new(made));
    show_site(theme, &directory, options.internal);
    let renderer = Renderer::new(&index, &theme.tera);
    let jobs = jobs(&index)
        .into_iter()
        .map(|job| (renderer.url(&job), job))
        .collect();
    f(&Pages { renderer, jobs })
}

/// Builds the site of `directory` again, remembering in `memory` what was
/// written. With an empty memory (or none of the output left), the whole
/// site is written beside the old one and swapped in; otherwise only the
/// pages and files whose inputs changed are rendered, and written in place
/// once they all rendered, so a failed build still leaves the last good site.
pub fn rebuild(
    directory: &Directory,
    root: &Path,
    now: Timestamp,
    options: &BuildOptions,
    theme: &mut Theme,
    memory: &mut Memory,
    progress: &dyn Progress,
) -> Result<Built, BuildError> {
    let directory = view(directory, options);
    if memory.next_change.is_some_and(|t| now >= t) {
        memory.epoch += 1;
    }
    let inputs = crate::matching::suggestions::inputs(&directory, &mut memory.inputs);
    if memory.once {
        // No next build to read them.
        std::mem::forget(std::mem::take(&mut memory.inputs));
    }
    let global = pages::global(&directory, options.internal, theme.digest, memory.epoch);
    // Terms are made from the suggestions' inputs and the site's settings
    // (their labels), and the A–Z order the index makes.
    let terms_inputs = crate::fingerprint::of((inputs, global));
    let known = memory
        .terms
        .take()
        .filter(|known| known.inputs == terms_inputs);
    let kept = memory
        .suggestions
        .take()
        .filter(|(made_from, _)| *made_from == inputs);
    // The suggestions and the rest of the index are made side by side:
    // each begins with a part that takes one core.
    let (suggestions, mut index) = rayon::join(
        || {
            use crate::matching::suggestions;
            match kept {
                Some((_, kept)) => kept,
                None => Arc::new(suggestions::suggestions(
                    &directory,
                    suggestions::PER_PROFILE,
                )),
            }
        },
        || {
            let known = index::Known {
                terms: known.as_ref(),
                order: memory.order.as_ref(),
            };
            Index::keeping(&directory, now, known)
        },
    );
    memory.suggestions = Some((inputs, suggestions.clone()));
    index.suggestions = suggestions;
    if !memory.once {
        memory.order = Some(index.known_order());
        memory.terms = Some(index::KnownTerms {
            inputs: terms_inputs,
            order: index.terms_order,
            taxonomies: index.taxonomies.clone(),
        });
    }
    show_site(theme, &directory, options.internal);
    let renderer = Renderer::new(&index, &theme.tera);
    let jobs = jobs(&index);
    let planned: Vec<(String, u64)> = jobs
        .par_iter()
        .map(|job| {
            let url = renderer.url(job);
            // Fingerprints tell the next build what changed: with none to
            // come, none are needed.
            let print = if memory.once {
                0
            } else {
                renderer.fingerprint(job, &url, global)
            };
            (url, print)
        })
        .collect();
    let mut known = 0;
    let changed: Vec<&Job> = jobs
        .iter()
        .zip(&planned)
        .filter(|(_, (url, print))| {
            let before = memory.pages.get(url);
            known += usize::from(before.is_some());
            before != Some(print)
        })
        .map(|(job, _)| job)
        .collect();
    // Every page of the last build is still planned: none to remove.
    let none_removed = known == memory.pages.len();
    // A few pages are changed in place; many (a new theme, a new day) are
    // written as a whole new site beside the old, which costs less memory.
    let in_place = if memory.pages.is_empty() || changed.len() * 4 > jobs.len() {
        None
    } else {
        InPlace::open(&options.output)
    };
    let site = Site {
        index: &index,
        root,
        options,
        theme,
        global,
        urls: planned.iter().map(|(url, _)| url.as_str()).collect(),
        history: OnceLock::new(),
        entries: OnceLock::new(),
    };
    let rendered = match in_place {
        None => {
            progress.start(jobs.len());
            let staging = Staging::begin(&options.output)?;
            // A new site is written whole: what the caches knew of the old is moot.
            let once = memory.once;
            let caches = Caches::new(!once);
            // The site-wide files are made while the pages render: each is
            // mostly one long task, which would otherwise leave a core idle.
            let (pages, groups) = rayon::join(
                || {
                    jobs.par_iter().try_for_each(|job| {
                        // Taken, not borrowed: a thread waiting inside a
                        // page may be given another page meanwhile.
                        let mut html = PAGE.take();
                        html.clear();
                        let url = renderer.render_into(job, &mut html)?;
                        staging.write_page(&url, &html)?;
                        PAGE.set(html);
                        progress.advance();
                        Ok::<(), BuildError>(())
                    })
                },
                || {
                    SiteWide::ALL
                        .par_iter()
                        .filter(|group| **group != SiteWide::Assets)
                        .map(|&group| {
                            let made = site.make(group, &caches)?;
                            if once {
                                caches.clear(group);
                            }
                            for (path, bytes) in &made.bytes {
                                staging.write(path, bytes)?;
                            }
                            Ok((group.name(), site.print(group, made)))
                        })
                        .collect::<Result<HashMap<_, _>, BuildError>>()
                },
            );
            pages?;
            let mut groups = groups?;
            // The site's own static files are written last, over any other.
            let assets = site.make(SiteWide::Assets, &caches)?;
            for (path, bytes) in &assets.bytes {
                staging.write(path, bytes)?;
            }
            groups.insert(
                SiteWide::Assets.name(),
                site.print(SiteWide::Assets, assets),
            );
            staging.publish()?;
            // A new site is seen whole, once it is swapped in.
            progress.pages_written();
            memory.groups = groups;
            memory.caches = caches;
            jobs.len()
        }
        Some(live) => {
            progress.start(changed.len());
            // Every page renders before any is written: a template error
            // leaves the site as it was.
            let pages: Vec<(String, String)> = changed
                .par_iter()
                .map(|job| renderer.render(job))
                .collect::<Result<_, _>>()?;
            for (url, html) in &pages {
                live.write(&output::page_path(url), html.as_bytes())?;
                progress.advance();
            }
            if !none_removed {
                let current: HashSet<&str> = planned.iter().map(|(url, _)| url.as_str()).collect();
                for url in memory
                    .pages
                    .keys()
                    .filter(|url| !current.contains(url.as_str()))
                {
                    live.remove(&output::page_path(url))?;
                }
            }
            progress.pages_written();
            // The groups whose inputs changed are made in parallel, then
            // written in order, the static files last.
            let stale: Vec<SiteWide> = SiteWide::ALL
                .into_iter()
                .filter(|group| {
                    let print = site.inputs(*group);
                    let known = memory.groups.get(group.name()).map(|(p, _)| *p);
                    print.is_none() || print != known
                })
                .collect();
            let caches = &memory.caches;
            let made: Vec<Made> = stale
                .par_iter()
                .map(|&group| site.make(group, caches))
                .collect::<Result<_, _>>()?;
            for (group, made) in stale.into_iter().zip(made) {
                for (path, bytes) in &made.bytes {
                    live.write(path, bytes)?;
                }
                if let Some((_, old)) = memory.groups.get(group.name()) {
                    let current: HashSet<&PathBuf> = made.paths.iter().collect();
                    for path in old.iter().filter(|p| !current.contains(p)) {
                        live.remove(path)?;
                    }
                }
                memory.groups.insert(group.name(), site.print(group, made));
            }
            pages.len()
        }
    };
    let built = Built {
        pages: jobs.len(),
        rendered,
        files: memory
            .groups
            .get(SiteWide::Assets.name())
            .map_or(0, |(_, files)| files.len()),
        next_change: index
            .next_change()
            .map(|t| t.to_zoned(directory.site.time_zone())),
    };
    memory.next_change = index.next_change();
    drop(site);
    if memory.once {
        std::mem::forget(planned);
        std::mem::forget(renderer);
    } else {
        memory.pages = planned.into_iter().collect();
    }
    Ok(built)
}

thread_local! {
    /// The buffer a thread renders pages into, kept from one to the next.
    static PAGE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The files made from the whole directory rather than one page each, in
/// groups made and written together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SiteWide {
    Calendars,
    Feeds,
    Sitemap,
    Export,
    Search,
    /// The theme's static files and the site's own, which come last so that
    /// they may replace the theme's.
    Assets,
}

impl SiteWide {
    const ALL: [SiteWide; 6] = [
        SiteWide::Calendars,
        SiteWide::Feeds,
        SiteWide::Sitemap,
        SiteWide::Export,
        SiteWide::Search,
        SiteWide::Assets,
    ];

    fn name(self) -> &'static str {
        match self {
            SiteWide::Calendars => "calendars",
            SiteWide::Feeds => "feeds",
            SiteWide::Sitemap => "sitemap",
            SiteWide::Export => "export",
            SiteWide::Search => "search",
            SiteWide::Assets => "assets",
        }
    }
}

/// What the site-wide files are made from.
struct Site<'a> {
    index: &'a Index<'a>,
    root: &'a Path,
    options: &'a BuildOptions,
    theme: &'a Theme,
    global: u64,
    urls: Vec<&'a str>,
    /// When each entry changed, from git: read once, when first needed.
    history: OnceLock<History>,
    /// Every entry, as one number: made once, though several groups ask.
    entries: OnceLock<u64>,
}

type Files = Vec<(PathBuf, Vec<u8>)>;

impl Site<'_> {
    fn history(&self) -> &History {
        self.history.get_or_init(|| History::read(self.root))
    }

    /// The fingerprint of what a group is made from, or `None` for the
    /// static files, which are read each time (a handful of small files)
    /// and known by their bytes.
    fn inputs(&self, group: SiteWide) -> Option<u64> {
        let dir = self.index.dir;
        Some(match group {
            SiteWide::Calendars => crate::fingerprint::of((
                self.global,
                crate::fingerprint::digests(&dir.events),
                crate::fingerprint::digests(&dir.organisations),
                crate::fingerprint::digests(&dir.consultations),
            )),
            SiteWide::Sitemap => crate::fingerprint::of((self.global, &self.urls)),
            SiteWide::Feeds | SiteWide::Export | SiteWide::Search => {
                let entries = self
                    .entries
                    .get_or_init(|| crate::fingerprint::directory(dir));
                crate::fingerprint::of((self.global, *entries))
            }
            SiteWide::Assets => return None,
        })
    }

    /// What a group's files as made are known by: the fingerprint of their
    /// inputs, or of their bytes, and every path.
    fn print(&self, group: SiteWide, made: Made) -> (u64, Vec<PathBuf>) {
        let print = self
            .inputs(group)
            .unwrap_or_else(|| crate::fingerprint::of(&made.bytes));
        (print, made.paths)
    }

    /// A group's files.
    fn make(&self, group: SiteWide, caches: &Caches) -> Result<Made, BuildError> {
        let index = self.index;
        let dir = index.dir;
        let text = |files: Vec<(PathBuf, String)>| -> Files {
            files
                .into_iter()
                .map(|(path, text)| (path, text.into_bytes()))
                .collect()
        };
        Ok(Made::whole(match group {
            SiteWide::Calendars => text(calendar::files(index, self.history())),
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
            SiteWide::Export => vec![(
                PathBuf::from("directory.json"),
                export::directory_json(index, &mut lock(&caches.export)),
            )],
            SiteWide::Search => {
                return Ok(search::files(index, self.global, &mut lock(&caches.search)));
            }
            SiteWide::Assets => {
                let mut assets = self.theme.assets.clone();
                assets.extend(theme::read_folder(&self.root.join("static"))?);
                assets
            }
        }))
    }
}

#[derive(Serialize)]
struct SiteView {
    title: String,
    base_url: String,
    language: String,
    footer_pages: Vec<Link>,
    internal: bool,
}

/// Gives every template the site's `site` variables.
pub(super) fn show_site(theme: &mut Theme, directory: &Directory, internal: bool) {
    theme
        .tera
        .global_context()
        .insert("site", &site_view(directory, internal));
}

fn site_view(directory: &Directory, internal: bool) -> SiteView {
    SiteView {
        title: directory.site.title.clone(),
        base_url: directory
            .site
            .base_url
            .as_str()
            .trim_end_matches('/')
            .to_string(),
        language: directory.site.language.clone(),
        footer_pages: directory
            .pages
            .iter()
            .map(|p| Link {
                title: p.data.title.clone(),
                url: Kind::Page.url(&p.slug),
            })
            .collect(),
        internal,
    }
}
