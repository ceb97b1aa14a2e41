//! Rendering a directory into a static site.
//!
//! Every page is a [`Job`]: the list of jobs is made first (its length is
//! known, for progress), then pages are rendered and written in parallel,
//! each from the templates compiled once. The site is written into a
//! staging folder beside the output and swapped in only when every page and
//! file is written, so a failed build leaves the last good site untouched.

mod calendar;
mod export;
mod feeds;
pub mod format;
mod ics;
mod images;
mod index;
mod last_build;
mod memory;
mod output;
pub use output::{move_aside, refuses};
mod pages;
mod paginate;
mod photos;
mod rebuild;
mod search;
mod series;
mod site_files;
mod sitemap;
mod structured;
mod theme;
mod topic_entries;
mod views;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use serde::Serialize;
use url::Url;

use crate::content::{Directory, Kind};
use index::Index;
use pages::{Job, Renderer, jobs};
use views::Link;

pub use memory::Memory;
pub(crate) use output::InPlace;
pub use rebuild::rebuild;
pub use theme::Theme;

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

impl BuildOptions {
    /// The folder beside the output where a build keeps what the next may
    /// reuse (`.public.cache` for `public`): resized photos, the last
    /// build's state, what the last load read.
    pub fn cache_folder(&self) -> PathBuf {
        output::cache(&self.output)
    }
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
    /// The output is a folder of files this program did not write: it is
    /// never written into, as a build removes what it did not write.
    #[error("{} holds files Interchange did not write (such as {example}): build into a new or empty folder, or pass --force to move that folder aside first", .path.display())]
    NotOurs {
        /// The folder.
        path: PathBuf,
        /// One of its files, relative to it.
        example: String,
    },
    /// A photo could not be made into the site's pictures.
    #[error("{} cannot be made into the site's photos: {message}", .path.display())]
    Photo {
        /// The photo, relative to the site's folder.
        path: PathBuf,
        /// What went wrong.
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
    // A directory as loaded names no profile it does not list (see
    // `Directory::forget_unlisted_profiles`), so one with no internal
    // profile, as most are, is its own public view: making that again (a
    // copy, and a search among the profiles for each ask's, event's and
    // consultation's person) was a tenth of a second at 200,000 profiles.
    let mut directory = if options.internal || directory.lists_no_internal_profile() {
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

/// Calls `f` with the pages of `directory`'s site (loaded from `root`) as of
/// `now`, made ready to render one at a time with `theme`.
pub fn with_pages<R>(
    directory: &Directory,
    root: &Path,
    now: Timestamp,
    options: &BuildOptions,
    theme: &mut Theme,
    f: impl FnOnce(&Pages<'_>) -> R,
) -> Result<R, BuildError> {
    use crate::matching::suggestions;
    let directory = view(directory, options);
    let made = suggestions::suggestions(&directory, suggestions::PER_PROFILE);
    let mut index = Index::new(&directory, now, Arc::new(made));
    // What earlier builds knew of the photos, without writing it back: a
    // page rendered on its own writes nothing.
    let mut known = photos::KnownPhotos::default();
    known.load(&photos::cache(&options.output));
    index.photos = photos::Photos::read(root, &directory, &mut known)?;
    show_site(theme, &directory, options.internal);
    let renderer = Renderer::new(&index, &theme.tera);
    let jobs = jobs(&index)
        .into_iter()
        .map(|job| (renderer.url(&job), job))
        .collect();
    Ok(f(&Pages { renderer, jobs }))
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
