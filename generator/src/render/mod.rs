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
pub(crate) mod fingerprint;
pub mod format;
pub mod index;
pub mod output;
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
use tera::Context;
use url::Url;

use crate::content::TaxonomyKind;
use crate::content::term_url;
use crate::content::{Directory, Kind};
use crate::history::History;
use crate::lock;
use index::Index;
use output::{InPlace, Staging};
use paginate::{page_count, page_range, page_url, pagination};
use theme::{Theme, error_text};
use views::{Link, TagCount, email_html, origin};

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
    let global = fingerprint::global(&directory, options.internal, theme.digest, memory.epoch);
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
fn show_site(theme: &mut Theme, directory: &Directory, internal: bool) {
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

/// The lists that have a page (or pages) of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Profiles,
    Organisations,
    UpcomingEvents,
    PastEvents,
    Consultations,
    OpenAsks,
    ClosedAsks,
}

impl List {
    const ALL: [List; 7] = [
        List::Profiles,
        List::Organisations,
        List::UpcomingEvents,
        List::PastEvents,
        List::Consultations,
        List::OpenAsks,
        List::ClosedAsks,
    ];

    fn url(self) -> &'static str {
        match self {
            List::Profiles => "/profiles/",
            List::Organisations => "/organisations/",
            List::UpcomingEvents => "/events/",
            List::PastEvents => "/events/past/",
            List::Consultations => "/consultations/",
            List::OpenAsks => "/asks/",
            List::ClosedAsks => "/asks/closed/",
        }
    }

    fn len(self, index: &Index<'_>) -> usize {
        match self {
            List::Profiles => index.profiles_az.len(),
            List::Organisations => index.organisations_az.len(),
            List::UpcomingEvents => index.upcoming.len(),
            List::PastEvents => index.past.len(),
            List::Consultations => index.consultations.len(),
            List::OpenAsks => index.open_asks.len(),
            List::ClosedAsks => index.closed_asks.len(),
        }
    }
}

/// One page to render.
#[derive(Debug, Clone, Copy)]
enum Job {
    Home,
    List(List, usize),
    Profile(usize),
    Organisation(usize, usize),
    Event(usize),
    Consultation(usize),
    Ask(usize),
    Page(usize),
    Topics,
    Search,
    Taxonomy(TaxonomyKind),
    Term(TaxonomyKind, usize, usize),
    NotFound,
}

fn jobs(index: &Index<'_>) -> Vec<Job> {
    let dir = index.dir;
    let mut jobs = vec![Job::Home, Job::Topics, Job::Search, Job::NotFound];
    for list in List::ALL {
        jobs.extend((1..=page_count(list.len(index))).map(|n| Job::List(list, n)));
    }
    jobs.extend((0..dir.profiles.len()).map(Job::Profile));
    for i in 0..dir.organisations.len() {
        let people = index
            .people_by_organisation
            .get(dir.organisations[i].slug.as_str())
            .map_or(0, Vec::len);
        jobs.extend((1..=page_count(people)).map(|n| Job::Organisation(i, n)));
    }
    jobs.extend((0..dir.events.len()).map(Job::Event));
    jobs.extend((0..dir.consultations.len()).map(Job::Consultation));
    jobs.extend((0..dir.asks.len()).map(Job::Ask));
    jobs.extend((0..dir.pages.len()).map(Job::Page));
    for (kind, terms) in index.taxonomies.iter() {
        jobs.push(Job::Taxonomy(*kind));
        for (t, term) in terms.iter().enumerate() {
            jobs.extend((1..=page_count(term.profiles.len())).map(|n| Job::Term(*kind, t, n)));
        }
    }
    jobs
}

#[derive(Serialize)]
struct PageMeta {
    title: String,
    url: String,
    canonical: String,
    description: String,
    section: &'static str,
    breadcrumbs: Vec<Link>,
    /// Open Graph's type: `website`, or `profile` for a person.
    og_type: &'static str,
    /// schema.org JSON-LD, ready for a `<script>` element.
    json_ld: Option<String>,
}

fn crumb(title: &str, url: &str) -> Link {
    Link {
        title: title.to_string(),
        url: url.to_string(),
    }
}

fn home() -> Link {
    crumb("Home", "/")
}

/// A–Z groups of items under the first letter of their key.
#[derive(Serialize)]
struct Group<T> {
    letter: String,
    items: Vec<T>,
}

/// The letter a name is listed under: its first letter or digit, capitalised.
fn letter(key: &str) -> String {
    key.chars()
        .find(|c| c.is_alphanumeric())
        .map_or_else(|| "#".to_string(), |c| c.to_uppercase().collect())
}

fn groups<T: Clone>(items: &[T], key: impl Fn(&T) -> String) -> Vec<Group<T>> {
    let mut groups: Vec<Group<T>> = Vec::new();
    for item in items {
        let letter = letter(&key(item));
        match groups.last_mut() {
            Some(group) if group.letter == letter => group.items.push(item.clone()),
            _ => groups.push(Group {
                letter,
                items: vec![item.clone()],
            }),
        }
    }
    groups
}

/// A profile's card, ready for templates.
struct Card {
    /// Its A–Z letter.
    letter: String,
    /// Its fields, and the `html` the theme's `profile_card.html` draws from
    /// them (unless that failed, and the build with it).
    listed: tera::Value,
}

struct Renderer<'a> {
    index: &'a Index<'a>,
    tera: &'a tera::Tera,
    /// Every profile's card, made when a page first shows it: a profile
    /// is on many list pages, and in other profiles' suggestions.
    profile_cards: Vec<OnceLock<Card>>,
    /// Every term as a tag, ready for templates: a term is on many pages.
    tags: ahash::AHashMap<(TaxonomyKind, &'a str), tera::Value>,
    /// The first error drawing a listed card, reported by the page showing it.
    card_error: Mutex<Option<String>>,
    /// What the cards are made from, for fingerprints.
    keys: fingerprint::Keys,
}

impl<'a> Renderer<'a> {
    fn new(index: &'a Index<'a>, tera: &'a tera::Tera) -> Self {
        let profiles = index.dir.profiles.len();
        Renderer {
            index,
            tera,
            profile_cards: (0..profiles).map(|_| OnceLock::new()).collect(),
            card_error: Mutex::new(None),
            tags: index
                .taxonomies
                .iter()
                .flat_map(|(kind, terms)| {
                    terms.iter().map(move |t| {
                        let tag = tera::Value::from_serializable(&index.tag(*kind, &t.slug));
                        ((*kind, t.slug.as_str()), tag)
                    })
                })
                .collect(),
            keys: fingerprint::Keys::new(index),
        }
    }

    /// The address of a job's page.
    fn url(&self, job: &Job) -> String {
        let dir = self.index.dir;
        match *job {
            Job::Home => "/".into(),
            Job::List(list, number) => page_url(list.url(), number),
            Job::Profile(i) => Kind::Profile.url(&dir.profiles[i].slug),
            Job::Organisation(i, number) => {
                page_url(&Kind::Organisation.url(&dir.organisations[i].slug), number)
            }
            Job::Event(i) => Kind::Event.url(&dir.events[i].slug),
            Job::Consultation(i) => Kind::Consultation.url(&dir.consultations[i].slug),
            Job::Ask(i) => Kind::Ask.url(&dir.asks[i].slug),
            Job::Page(i) => Kind::Page.url(&dir.pages[i].slug),
            Job::Topics => "/topics/".into(),
            Job::Search => "/search/".into(),
            Job::Taxonomy(kind) => kind.url().into(),
            Job::Term(kind, t, number) => {
                page_url(&term_url(kind, &self.index.terms(kind)[t].slug), number)
            }
            Job::NotFound => "/404.html".into(),
        }
    }

    /// A page's address and HTML.
    fn render(&self, job: &Job) -> Result<(String, String), BuildError> {
        let mut html = Vec::new();
        let url = self.render_into(job, &mut html)?;
        // Tera writes only text: its output is UTF-8.
        let html = String::from_utf8(html)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok((url, html))
    }

    /// Writes a page's HTML at the end of `html`, and gives its address. A
    /// whole build writes every page through one buffer a thread, which
    /// spares growing a new one for each.
    fn render_into(&self, job: &Job, html: &mut Vec<u8>) -> Result<String, BuildError> {
        let (template, entry, mut meta, mut context) = self.context(job);
        // Once a card fails to draw, the build fails with its error, from
        // whichever page notices first.
        if let Some(message) = lock(&self.card_error).clone() {
            return Err(BuildError::Render {
                page: meta.url,
                template: LISTED_CARD.to_string(),
                entry,
                message,
            });
        }
        let ix = self.index;
        // A mirrored entry's canonical page is the one in its own directory.
        let mirrored = match *job {
            Job::Profile(i) => Some(&ix.dir.profiles[i].origin),
            Job::Organisation(i, _) => Some(&ix.dir.organisations[i].origin),
            Job::Event(i) => Some(&ix.dir.events[i].origin),
            Job::Consultation(i) => Some(&ix.dir.consultations[i].origin),
            Job::Ask(i) => Some(&ix.dir.asks[i].origin),
            _ => None,
        };
        if let Some(origin) = mirrored.and_then(origin) {
            meta.canonical = origin.url;
        }
        if matches!(job, Job::Profile(_)) {
            meta.og_type = "profile";
        }
        let json_ld = {
            use structured::Node;
            let person_url;
            let mut graph = match *job {
                Job::Profile(i) => {
                    person_url = ix
                        .dir
                        .site
                        .absolute(&Kind::Profile.url(&ix.dir.profiles[i].slug));
                    vec![Node::Person(structured::person(ix, i, &person_url))]
                }
                Job::Event(i) => vec![Node::Event(structured::event(ix, i))],
                Job::Organisation(i, _) => {
                    structured::organisation(ix, &ix.dir.organisations[i].slug)
                        .map(Node::Organisation)
                        .into_iter()
                        .collect()
                }
                _ => Vec::new(),
            };
            if !meta.breadcrumbs.is_empty() {
                graph.push(Node::Breadcrumbs(structured::breadcrumbs(
                    ix,
                    &meta.breadcrumbs,
                    &meta.title,
                    &meta.url,
                )));
            }
            (!graph.is_empty()).then(|| structured::script(&graph))
        };
        meta.json_ld = json_ld;
        debug_assert_eq!(meta.url, self.url(job), "a page's address has one rule");
        context.insert("page", &meta);
        self.tera
            .render_to(template, &context, html)
            .map_err(|e| BuildError::Render {
                page: meta.url.clone(),
                template: template.to_string(),
                entry,
                message: error_text(&e),
            })?;
        Ok(meta.url)
    }

    fn meta(
        &self,
        title: String,
        url: String,
        description: String,
        section: &'static str,
        breadcrumbs: Vec<Link>,
    ) -> PageMeta {
        PageMeta {
            canonical: self.index.dir.site.absolute(&url),
            json_ld: None,
            og_type: "website",
            title,
            url,
            description,
            section,
            breadcrumbs,
        }
    }

    #[allow(clippy::too_many_lines)]
    fn context(&self, job: &Job) -> (&'static str, Option<PathBuf>, PageMeta, Context) {
        let ix = self.index;
        let dir = ix.dir;
        let mut c = Context::new();
        match *job {
            Job::Home => {
                let mut sectors: Vec<TagCount> = ix
                    .terms(TaxonomyKind::Sector)
                    .iter()
                    .map(|t| TagCount {
                        tag: ix.tag(TaxonomyKind::Sector, &t.slug),
                        count: t.profiles.len(),
                    })
                    .collect();
                sectors.sort_by(|a, b| b.count.cmp(&a.count).then(a.tag.label.cmp(&b.tag.label)));
                c.insert("profile_count", &dir.profiles.len());
                c.insert("sectors", &sectors);
                let upcoming: Vec<_> = ix
                    .upcoming
                    .iter()
                    .take(5)
                    .map(|o| ix.event_card(o.event, Some((&o.start, o.end.as_ref()))))
                    .collect();
                c.insert("upcoming_events", &upcoming);
                let open: Vec<_> = ix
                    .consultations
                    .iter()
                    .filter(|&&i| {
                        dir.consultations[i].data.status(ix.now)
                            == crate::content::ConsultationStatus::Open
                    })
                    .take(5)
                    .map(|&i| ix.consultation_card(i))
                    .collect();
                c.insert("open_consultations", &open);
                let asks: Vec<_> = ix
                    .open_asks
                    .iter()
                    .take(5)
                    .map(|&i| ix.ask_card(i))
                    .collect();
                c.insert("newest_asks", &asks);
                c.insert("about_html", &dir.page("about").map(|p| ix.body_html(p)));
                c.insert("topics_url", "/topics/");
                let description = format!(
                    "{} public servants from {} organisations, open to meeting people from other sectors.",
                    dir.profiles.len(),
                    dir.organisations.len()
                );
                (
                    "index.html",
                    None,
                    self.meta(
                        dir.site.title.clone(),
                        "/".into(),
                        description,
                        "home",
                        vec![],
                    ),
                    c,
                )
            }
            Job::List(list, number) => self.list(list, number),
            Job::Profile(i) => {
                let entry = &dir.profiles[i];
                let p = &entry.data;
                let rest = ProfileView {
                    grade: p.grade.as_deref(),
                    pronouns: p.pronouns.as_deref(),
                    languages: p
                        .languages
                        .iter()
                        .map(|l| format::language_name(l))
                        .collect(),
                    policy_areas: self.tags(TaxonomyKind::PolicyArea, &p.policy_areas),
                    interests: self.tags(TaxonomyKind::Interest, &p.interests),
                    contact: ContactView {
                        email_html: p.contact.email.as_deref().map(email_html),
                        fediverse: p.contact.fediverse.as_deref(),
                        fediverse_url: p.contact.fediverse.as_deref().and_then(fediverse_url),
                        linkedin: p.contact.linkedin.as_ref().map(Url::as_str),
                    },
                    photo_url: p.photo.as_deref().map(asset_url),
                    swap: p.swap.as_ref().map(|s| SwapView {
                        months: s.months,
                        sectors: s
                            .sectors
                            .iter()
                            .map(|x| self.tag(TaxonomyKind::Sector, x.slug()))
                            .collect(),
                        policy_areas: self.tags(TaxonomyKind::PolicyArea, &s.policy_areas),
                        locations: &s.locations,
                    }),
                    bio_html: ix.body_html(entry),
                    updated: entry.updated.map(|d| d.strftime("%-d %B %Y").to_string()),
                };
                let hosted: Vec<_> = ix
                    .events_by_host
                    .get(entry.slug.as_str())
                    .map(|events| events.iter().map(|&e| ix.next_event_card(e)).collect())
                    .unwrap_or_default();
                let asks: Vec<_> = ix
                    .asks_by_profile
                    .get(entry.slug.as_str())
                    .map(|asks| asks.iter().map(|&a| ix.ask_card(a)).collect())
                    .unwrap_or_default();
                // Made as template values straight away: each suggestion's
                // card is shared with every list it is on, drawn once.
                let suggestions: Vec<tera::Value> = ix.suggestions[i]
                    .iter()
                    .map(|s| {
                        let shared: Vec<tera::Value> = s
                            .shared
                            .iter()
                            .map(|(kind, slug)| self.tag((*kind).into(), slug))
                            .collect();
                        let mut view = tera::Map::new();
                        view.insert("card".into(), self.listed_card(s.profile));
                        view.insert("shared".into(), tera::Value::from(shared));
                        view.insert("place".into(), tera::Value::from(s.place.as_deref()));
                        tera::Value::from(view)
                    })
                    .collect();
                // The card is made once a build, for every list the profile
                // is on: the page adds the rest to it rather than making it again.
                // The page is the profile, not its card in a list: the card's
                // fields are copied, not its drawn HTML.
                let mut profile: tera::Map = self
                    .card(i)
                    .listed
                    .as_map()
                    .into_iter()
                    .flatten()
                    .filter(|(key, _)| key.as_str() != Some("html"))
                    .map(|(key, value)| (key.clone(), value.clone()))
                    .collect();
                profile.extend(
                    tera::Value::from_serializable(&rest)
                        .into_map()
                        .unwrap_or_default(),
                );
                c.insert_value("profile", tera::Value::from(profile));
                c.insert_value("suggestions", tera::Value::from(suggestions));
                c.insert("hosted_events", &hosted);
                c.insert("asks", &asks);
                // Not from a second making of the card: the description
                // needs only the organisation's name.
                let description = match ix.organisation_link(&p.organisation) {
                    Some(o) => format!("{}, {}", p.role, o.title),
                    None => p.role.clone(),
                };
                let meta = self.meta(
                    p.name.clone(),
                    Kind::Profile.url(&entry.slug),
                    description,
                    "profiles",
                    vec![home(), crumb("Profiles", "/profiles/")],
                );
                ("profile.html", Some(entry.path().to_path_buf()), meta, c)
            }
            Job::Organisation(i, number) => {
                let entry = &dir.organisations[i];
                let o = &entry.data;
                let url = Kind::Organisation.url(&entry.slug);
                let people = ix
                    .people_by_organisation
                    .get(entry.slug.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                self.people(&mut c, people, &url, number);
                let events: Vec<_> = ix
                    .events_by_organisation
                    .get(entry.slug.as_str())
                    .map(|events| {
                        events
                            .iter()
                            .filter(|&&e| !ix.upcoming_of(e).is_empty())
                            .take(10)
                            .map(|&e| ix.next_event_card(e))
                            .collect()
                    })
                    .unwrap_or_default();
                let consultations: Vec<_> = ix
                    .consultations_by_organisation
                    .get(entry.slug.as_str())
                    .map(|list| list.iter().map(|&k| ix.consultation_card(k)).collect())
                    .unwrap_or_default();
                let organisation = serde_json::json!({
                    "name": o.name,
                    "sector": ix.sector_tag(o.sector),
                    "website": o.website.as_ref().map(Url::as_str),
                    "logo_url": o.logo.as_deref().map(asset_url),
                    "region": o.region.as_deref().map(format::region_name),
                    "body_html": ix.body_html(entry),
                    "origin": origin(&entry.origin),
                });
                c.insert("organisation", &organisation);
                c.insert("events", &events);
                c.insert("consultations", &consultations);
                let page_url = page_url(&url, number);
                let title = page_title(&o.name, number);
                let meta = self.meta(
                    title,
                    page_url,
                    format!("{}: {}", o.name, o.sector.label()),
                    "organisations",
                    vec![home(), crumb("Organisations", "/organisations/")],
                );
                (
                    "organisation.html",
                    Some(entry.path().to_path_buf()),
                    meta,
                    c,
                )
            }
            Job::Event(i) => {
                let entry = &dir.events[i];
                let e = &entry.data;
                let card = ix.next_event_card(i);
                let occurrences: Vec<_> = if e.repeat.is_some() {
                    ix.upcoming_of(i)
                        .iter()
                        .map(|start| serde_json::json!({ "when": format::when(start, None), "start_iso": format::iso(start) }))
                        .collect()
                } else {
                    Vec::new()
                };
                let venue = e.venue.as_ref().map(|v| {
                    let address = v.address.clone();
                    let map = address.as_deref().unwrap_or(&v.name);
                    serde_json::json!({ "name": v.name, "address": address, "map_url": format::map_url(map) })
                });
                let booking_label = e.booking.as_ref().map(|b| {
                    if b.scheme() == "mailto" {
                        "Email to book"
                    } else {
                        "Book a place"
                    }
                });
                let event = serde_json::json!({
                    "title": card.title, "url": card.url, "kind": card.kind, "when": card.when,
                    "start_iso": card.start_iso, "place": card.place, "cancelled": card.cancelled,
                    "organisation": card.organisation, "origin": card.origin,
                    "time_zone": e.start.time_zone().iana_name().unwrap_or("UTC"),
                    "end_iso": e.end.as_ref().map(format::iso),
                    "occurrences": occurrences,
                    "venue": venue,
                    "online_url": e.online.as_ref().map(Url::as_str),
                    "audience": e.audience.iter().map(|s| ix.sector_tag(*s)).collect::<Vec<_>>(),
                    "capacity": e.capacity,
                    "booking_url": e.booking.as_ref().map(Url::as_str),
                    "booking_label": booking_label,
                    "accessibility": e.accessibility,
                    "policy_areas": ix.tags(TaxonomyKind::PolicyArea, e.policy_areas.iter().map(String::as_str)),
                    "host": e.host.as_deref().and_then(|h| ix.profile_card_of(h)),
                    "consultation": e.consultation.as_deref().and_then(|s| dir.consultations.binary_search_by(|c| c.slug.as_str().cmp(s)).ok()).map(|k| ix.consultation_card(k)),
                    "body_html": ix.body_html(entry),
                });
                c.insert("event", &event);
                let meta = self.meta(
                    e.title.clone(),
                    card.url.clone(),
                    format!("{}. {}.", card.when, card.place),
                    "events",
                    vec![home(), crumb("Events", "/events/")],
                );
                ("event.html", Some(entry.path().to_path_buf()), meta, c)
            }
            Job::Consultation(i) => {
                let entry = &dir.consultations[i];
                let k = &entry.data;
                let card = ix.consultation_card(i);
                let sessions: Vec<_> = ix
                    .events_by_consultation
                    .get(entry.slug.as_str())
                    .map(|events| events.iter().map(|&e| ix.next_event_card(e)).collect())
                    .unwrap_or_default();
                let consultation = serde_json::json!({
                    "title": card.title, "url": card.url, "status": card.status, "opens": card.opens,
                    "closes": card.closes, "policy_areas": card.policy_areas,
                    "opens_iso": format::iso(&k.opens), "closes_iso": format::iso(&k.closes),
                    "lead": k.lead.as_deref().and_then(|l| ix.profile_card_of(l)),
                    "respond": {
                        "url": k.respond.url.as_ref().map(Url::as_str),
                        "email_html": k.respond.email.as_deref().map(email_html),
                        "post": k.respond.post,
                    },
                    "outcome_url": k.outcome.as_ref().map(Url::as_str),
                    "body_html": ix.body_html(entry),
                    "origin": origin(&entry.origin),
                });
                c.insert("consultation", &consultation);
                c.insert("sessions", &sessions);
                let description = format!(
                    "{}: open from {} to {}.",
                    card.status.label, card.opens, card.closes
                );
                let meta = self.meta(
                    k.title.clone(),
                    card.url.clone(),
                    description,
                    "consultations",
                    vec![home(), crumb("Consultations", "/consultations/")],
                );
                (
                    "consultation.html",
                    Some(entry.path().to_path_buf()),
                    meta,
                    c,
                )
            }
            Job::Ask(i) => {
                let entry = &dir.asks[i];
                let a = &entry.data;
                let card = ix.ask_card(i);
                let ask = serde_json::json!({
                    "title": card.title, "url": card.url, "kind": card.kind, "by": card.by,
                    "closes": card.closes, "filled": card.filled, "open": card.open,
                    "policy_areas": ix.tags(TaxonomyKind::PolicyArea, a.policy_areas.iter().map(String::as_str)),
                    "by_profile": ix.profile_card_of(&a.by),
                    "body_html": ix.body_html(entry),
                    "origin": origin(&entry.origin),
                });
                c.insert("ask", &ask);
                let meta = self.meta(
                    a.title.clone(),
                    card.url.clone(),
                    format!("{}: {}", a.kind.label(), a.title),
                    "asks",
                    vec![home(), crumb("Asks", "/asks/")],
                );
                ("ask.html", Some(entry.path().to_path_buf()), meta, c)
            }
            Job::Page(i) => {
                let entry = &dir.pages[i];
                let page = serde_json::json!({
                    "title": entry.data.title,
                    "body_html": ix.body_html(entry),
                    "updated": entry.updated.map(|d| d.strftime("%-d %B %Y").to_string()),
                });
                c.insert("entry", &page);
                let url = Kind::Page.url(&entry.slug);
                let meta = self.meta(
                    entry.data.title.clone(),
                    url,
                    entry.data.title.clone(),
                    "pages",
                    vec![home()],
                );
                ("page.html", Some(entry.path().to_path_buf()), meta, c)
            }
            Job::Topics => {
                let taxonomies: Vec<_> = ix
                    .taxonomies
                    .iter()
                    .map(|(kind, terms)| {
                        serde_json::json!({
                            "title": kind.title(),
                            "url": kind.url(),
                            "terms": self.term_counts(*kind, terms),
                        })
                    })
                    .collect();
                c.insert("taxonomies", &taxonomies);
                let meta = self.meta(
                    "Topics".into(),
                    "/topics/".into(),
                    "Browse people by sector, policy area, interest and what they are open to."
                        .into(),
                    "topics",
                    vec![home()],
                );
                ("taxonomies.html", None, meta, c)
            }
            Job::Search => {
                let meta = self.meta(
                    "Search".into(),
                    "/search/".into(),
                    "Search the directory by name, job, organisation, policy area or interest."
                        .into(),
                    "home",
                    vec![home()],
                );
                ("search.html", None, meta, c)
            }
            Job::Taxonomy(kind) => {
                c.insert(
                    "taxonomy",
                    &Link {
                        title: kind.title().into(),
                        url: kind.url().into(),
                    },
                );
                c.insert("terms", &self.term_counts(kind, ix.terms(kind)));
                let meta = self.meta(
                    kind.title().into(),
                    kind.url().into(),
                    format!("People by {}.", kind.title().to_lowercase()),
                    "topics",
                    vec![home(), crumb("Topics", "/topics/")],
                );
                ("taxonomy.html", None, meta, c)
            }
            Job::Term(kind, t, number) => {
                let term = &ix.terms(kind)[t];
                let url = term_url(kind, &term.slug);
                self.people(&mut c, &term.profiles, &url, number);
                c.insert(
                    "taxonomy",
                    &Link {
                        title: kind.title().into(),
                        url: kind.url().into(),
                    },
                );
                c.insert("term", &ix.tag(kind, &term.slug));
                let meta = self.meta(
                    page_title(&term.label, number),
                    page_url(&url, number),
                    format!("{} people: {}.", term.profiles.len(), term.label),
                    "topics",
                    vec![
                        home(),
                        crumb("Topics", "/topics/"),
                        crumb(kind.title(), kind.url()),
                    ],
                );
                ("term.html", None, meta, c)
            }
            Job::NotFound => {
                let meta = self.meta(
                    "Page not found".into(),
                    "/404.html".into(),
                    "There is no page at this address.".into(),
                    "home",
                    vec![],
                );
                ("404.html", None, meta, c)
            }
        }
    }

    /// A profile's card, made and drawn once a build.
    fn card(&self, i: usize) -> &Card {
        self.profile_cards[i].get_or_init(|| {
            let card = tera::Value::from_serializable(&self.index.profile_card(i));
            let letter = letter(&self.index.dir.profiles[i].data.sort_key.0);
            let mut context = Context::new();
            context.insert_value("p", card.clone());
            context.insert("level", &CARD_HEADING);
            let drawn = self.tera.render(LISTED_CARD, &context);
            drop(context);
            let listed = match drawn {
                Ok(html) => {
                    // The fields are not copied: the context that shared them is gone.
                    let mut map = card.into_map().unwrap_or_default();
                    map.insert("html".into(), tera::Value::safe_string(html.trim()));
                    tera::Value::from(map)
                }
                Err(e) => {
                    lock(&self.card_error).get_or_insert_with(|| error_text(&e));
                    card
                }
            };
            Card { letter, listed }
        })
    }

    /// A profile's card as a list shows it: with its `html`, drawn by the
    /// theme. Without it if drawing failed, and the error kept for the page
    /// to report.
    fn listed_card(&self, i: usize) -> tera::Value {
        self.card(i).listed.clone()
    }

    /// A term as a tag, ready for templates.
    fn tag(&self, kind: TaxonomyKind, slug: &str) -> tera::Value {
        self.tags
            .get(&(kind, slug))
            .cloned()
            .unwrap_or_else(|| tera::Value::from_serializable(&self.index.tag(kind, slug)))
    }

    /// Terms as tags, ready for templates.
    fn tags(&self, kind: TaxonomyKind, slugs: &[String]) -> Vec<tera::Value> {
        slugs.iter().map(|slug| self.tag(kind, slug)).collect()
    }

    fn term_counts(&self, kind: TaxonomyKind, terms: &[index::Term]) -> Vec<TagCount> {
        terms
            .iter()
            .map(|t| TagCount {
                tag: self.index.tag(kind, &t.slug),
                count: t.profiles.len(),
            })
            .collect()
    }

    /// A page of profile cards: `items`, `groups`, `total`, `pagination`;
    /// each card with its `html`.
    fn people(&self, c: &mut Context, people: &[usize], base: &str, number: usize) {
        let page = &people[page_range(people.len(), number)];
        let cards: Vec<(&str, tera::Value)> = page
            .iter()
            .map(|&i| {
                let card = self.card(i);
                (card.letter.as_str(), card.listed.clone())
            })
            .collect();
        let mut groups: Vec<(String, Vec<tera::Value>)> = Vec::new();
        for (letter, card) in &cards {
            match groups.last_mut() {
                Some((last, items)) if last == letter => items.push(card.clone()),
                _ => groups.push(((*letter).to_string(), vec![card.clone()])),
            }
        }
        let groups: Vec<tera::Value> = groups
            .into_iter()
            .map(|(letter, items)| {
                let mut group = tera::Map::new();
                group.insert("letter".into(), tera::Value::from(letter));
                group.insert("items".into(), tera::Value::from(items));
                tera::Value::from(group)
            })
            .collect();
        c.insert_value("groups", tera::Value::from(groups));
        c.insert_value(
            "items",
            tera::Value::from(
                cards
                    .iter()
                    .map(|(_, card)| card.clone())
                    .collect::<Vec<_>>(),
            ),
        );
        c.insert("total", &people.len());
        c.insert(
            "pagination",
            &pagination(base, number, page_count(people.len())),
        );
    }

    fn list(
        &self,
        list: List,
        number: usize,
    ) -> (&'static str, Option<PathBuf>, PageMeta, Context) {
        let ix = self.index;
        let dir = ix.dir;
        let base = list.url();
        let total = list.len(ix);
        let range = page_range(total, number);
        let mut c = Context::new();
        c.insert("total", &total);
        c.insert("pagination", &pagination(base, number, page_count(total)));
        let url = page_url(base, number);
        let (template, title, section, description) = match list {
            List::Profiles => {
                self.people(&mut c, &ix.profiles_az, base, number);
                (
                    "profiles.html",
                    "Profiles",
                    "profiles",
                    format!("{total} public servants open to meeting across sectors, A to Z."),
                )
            }
            List::Organisations => {
                let items: Vec<_> = ix.organisations_az[range]
                    .iter()
                    .map(|&i| {
                        let o = &dir.organisations[i];
                        serde_json::json!({
                            "name": o.data.name,
                            "url": Kind::Organisation.url(&o.slug),
                            "sector": ix.sector_tag(o.data.sector),
                            "region": o.data.region.as_deref().map(format::region_name),
                            "people": ix.people_by_organisation.get(o.slug.as_str()).map_or(0, Vec::len),
                            "origin": origin(&o.origin),
                        })
                    })
                    .collect();
                c.insert(
                    "groups",
                    &groups(&items, |o| {
                        o["name"].as_str().unwrap_or_default().to_string()
                    }),
                );
                c.insert("items", &items);
                (
                    "organisations.html",
                    "Organisations",
                    "organisations",
                    format!("{total} organisations."),
                )
            }
            List::UpcomingEvents | List::PastEvents => {
                let past = list == List::PastEvents;
                let items: Vec<_> = if past {
                    ix.past[range]
                        .iter()
                        .map(|&i| ix.event_card(i, None))
                        .collect()
                } else {
                    ix.upcoming[range]
                        .iter()
                        .map(|o| ix.event_card(o.event, Some((&o.start, o.end.as_ref()))))
                        .collect()
                };
                c.insert("items", &items);
                c.insert("past", &past);
                c.insert("other_url", if past { "/events/" } else { "/events/past/" });
                if past {
                    (
                        "events.html",
                        "Past events",
                        "events",
                        format!("{total} past events."),
                    )
                } else {
                    (
                        "events.html",
                        "Events",
                        "events",
                        format!("{total} upcoming events and dates."),
                    )
                }
            }
            List::Consultations => {
                let mut groups: Vec<serde_json::Value> = Vec::new();
                for &i in &ix.consultations[range] {
                    let card = ix.consultation_card(i);
                    let slug = card.status.slug;
                    match groups.last_mut() {
                        Some(group) if group["status"]["slug"] == slug => {
                            if let Some(items) = group["items"].as_array_mut() {
                                items.push(serde_json::to_value(&card).unwrap_or_default());
                            }
                        }
                        _ => groups
                            .push(serde_json::json!({ "status": card.status, "items": [card] })),
                    }
                }
                c.insert("groups", &groups);
                (
                    "consultations.html",
                    "Consultations",
                    "consultations",
                    format!("{total} consultations: upcoming, open and closed."),
                )
            }
            List::OpenAsks | List::ClosedAsks => {
                let closed = list == List::ClosedAsks;
                let source = if closed {
                    &ix.closed_asks
                } else {
                    &ix.open_asks
                };
                let items: Vec<_> = source[range].iter().map(|&i| ix.ask_card(i)).collect();
                c.insert("items", &items);
                c.insert("closed", &closed);
                c.insert("other_url", if closed { "/asks/" } else { "/asks/closed/" });
                if closed {
                    (
                        "asks.html",
                        "Closed asks",
                        "asks",
                        format!("{total} closed or filled asks."),
                    )
                } else {
                    ("asks.html", "Asks", "asks", format!("{total} open asks."))
                }
            }
        };
        let mut breadcrumbs = vec![home()];
        if matches!(list, List::PastEvents) {
            breadcrumbs.push(crumb("Events", "/events/"));
        }
        if matches!(list, List::ClosedAsks) {
            breadcrumbs.push(crumb("Asks", "/asks/"));
        }
        let meta = self.meta(
            page_title(title, number),
            url,
            description,
            section,
            breadcrumbs,
        );
        (template, None, meta, c)
    }
}

/// The template that draws one listed profile card: the theme's
/// `profile_card` component, given `p` and `level`.
const LISTED_CARD: &str = "profile_card.html";

/// The heading level of a listed profile card: under the letter headings
/// (`h2`) of the A–Z list and a term's page, and under the `h2` of an
/// organisation's people and of a profile's suggestions. One level
/// everywhere lets each card be drawn once a build.
const CARD_HEADING: usize = 3;

/// What a profile's page shows besides its card.
#[derive(Serialize)]
struct ProfileView<'a> {
    grade: Option<&'a str>,
    pronouns: Option<&'a str>,
    languages: Vec<String>,
    policy_areas: Vec<tera::Value>,
    interests: Vec<tera::Value>,
    contact: ContactView<'a>,
    photo_url: Option<String>,
    swap: Option<SwapView<'a>>,
    bio_html: String,
    updated: Option<String>,
}

/// How to reach someone, as their page shows it.
#[derive(Serialize)]
struct ContactView<'a> {
    email_html: Option<String>,
    fediverse: Option<&'a str>,
    fediverse_url: Option<String>,
    linkedin: Option<&'a str>,
}

/// The job swap someone offers.
#[derive(Serialize)]
struct SwapView<'a> {
    months: u32,
    sectors: Vec<tera::Value>,
    policy_areas: Vec<tera::Value>,
    locations: &'a [String],
}

/// A page's title, with its number after the first: `Profiles (page 2 of 5)`.
fn page_title(title: &str, number: usize) -> String {
    if number <= 1 {
        title.to_string()
    } else {
        format!("{title} (page {number})")
    }
}

/// The address of a file under static/ (or a URL, for mirrored entries).
fn asset_url(path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_string()
    } else {
        format!("/{}", path.trim_start_matches('/'))
    }
}

/// `@name@host` → `https://host/@name`.
fn fediverse_url(handle: &str) -> Option<String> {
    let (user, host) = handle.strip_prefix('@')?.split_once('@')?;
    Some(format!("https://{host}/@{user}"))
}
