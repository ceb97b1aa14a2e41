//! One build of a site, whole or after a save: the index, the pages whose
//! fingerprints changed, and the site-wide files whose inputs changed.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use super::index::{self, Index};
use super::last_build::{self, LastBuild};
use super::memory::Memory;
use super::output::{self, Fill, InPlace, Staging};
use super::pages::{self, Job, Renderer, jobs};
use super::photos::Photos;
use super::search;
use super::site_files::{Caches, SiteFiles, SiteWide};
use super::theme::Theme;
use super::{BuildError, BuildOptions, Built, Progress, show_site, view};
use crate::content::Directory;
use crate::matching::suggestions;

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
    if memory.built_at.is_some_and(|then| now < then) {
        // Built as of an earlier moment than the last build (`--now`):
        // pages that a passing date changed are not told by the epoch.
        memory.pages.clear();
        memory.groups.clear();
    }
    if memory.next_change.is_some_and(|t| now >= t) {
        memory.epoch += 1;
    }
    let global = pages::global(&directory, options.internal, theme.digest, memory.epoch);
    let mut index = index_keeping(&directory, now, global, memory);
    let photo_cache = super::photos::cache(&options.output);
    memory.photos.load(&photo_cache);
    index.photos = Photos::read(root, &directory, &mut memory.photos)?;
    memory.photos.save(&photo_cache);
    show_site(theme, &directory, options.internal);
    let renderer = Renderer::new(&index, &theme.tera);
    if memory.once {
        // No next build in this process reads them again.
        renderer.keep_no_bodies();
    }
    let jobs = jobs(&index);
    // Fingerprints tell the next build what changed: with none to come,
    // none are needed.
    let planned = plan(&jobs, &renderer, global, !memory.once || memory.on_disk);
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
    let urls = planned.iter().map(|(url, _)| url.as_str()).collect();
    let site = SiteFiles::new(&index, root, options, theme, global, urls);
    // What the last build kept on disk holds until the output changes.
    last_build::forget(&options.output)?;
    if memory.on_disk {
        let path = search::kept::path(&options.output);
        memory.caches.keep_index_on_disk(path, memory.index_on_disk);
        // Read only when written over in place, as the last build left it.
        let export = memory.export_on_disk.take().unwrap_or_default();
        let last = in_place
            .is_some()
            .then(|| options.output.join("directory.json"));
        memory.caches.keep_export_on_disk(export, last);
    }
    let rendered = match in_place {
        None => {
            let whole = Whole {
                jobs: &jobs,
                renderer: &renderer,
                site: &site,
                output: &options.output,
            };
            whole.write(memory, progress)?
        }
        Some(live) => {
            let changes = Changes {
                changed: &changed,
                planned: &planned,
                none_removed,
                renderer: &renderer,
                site: &site,
                live,
            };
            changes.write(memory, progress)?
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
    memory.built_at = Some(now);
    drop(site);
    if memory.on_disk {
        let last = LastBuild {
            built_at: memory.built_at,
            next_change: memory.next_change,
            epoch: memory.epoch,
            pages: planned,
            groups: memory
                .groups
                .iter()
                .map(|(name, (print, files))| (name.to_string(), *print, files.clone()))
                .collect(),
            suggestions: memory.suggestions.as_ref().and_then(|(inputs, made)| {
                // Written only when made anew; a state whose suggestions
                // could not be kept names none.
                let kept = memory.suggestions_on_disk == Some(*inputs)
                    || last_build::write_suggestions(options, *inputs, made).is_ok();
                kept.then_some(*inputs)
            }),
            index: memory.caches.index_on_disk(),
            export: memory.caches.export_on_disk(),
            order: memory.order.as_ref().map(Cow::Borrowed),
            terms: memory.terms.as_ref().map(|known| last_build::KeptTerms {
                inputs: known.inputs,
                order: known.order,
                taxonomies: Cow::Borrowed(known.taxonomies.as_slice()),
            }),
        };
        // A state that cannot be kept leaves the next build a full one.
        let _ = last_build::write(options, &last);
        std::mem::forget(last);
        std::mem::forget(renderer);
    } else if memory.once {
        std::mem::forget(planned);
        std::mem::forget(renderer);
    } else {
        memory.pages = planned.into_iter().collect();
    }
    Ok(built)
}

/// The index of `directory`, keeping from `memory` the suggestions, terms
/// and A–Z order of the last build where they are made from the same
/// things, and leaving in it what the next build may keep.
fn index_keeping<'d>(
    directory: &'d Directory,
    now: Timestamp,
    global: u64,
    memory: &mut Memory,
) -> Index<'d> {
    let inputs = suggestions::inputs(directory, &mut memory.inputs);
    if memory.once {
        // No next build to read them.
        std::mem::forget(std::mem::take(&mut memory.inputs));
    }
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
    let (made, mut index) = rayon::join(
        || match kept {
            Some((_, kept)) => kept,
            None => Arc::new(suggestions::suggestions(
                directory,
                suggestions::PER_PROFILE,
            )),
        },
        || {
            let known = index::Known {
                terms: known.as_ref(),
                order: memory.order.as_ref(),
            };
            Index::keeping(directory, now, known)
        },
    );
    memory.suggestions = Some((inputs, made.clone()));
    index.suggestions = made;
    if !memory.once || memory.on_disk {
        memory.order = Some(index.known_order());
        memory.terms = Some(index::KnownTerms {
            inputs: terms_inputs,
            order: index.terms_order,
            taxonomies: index.people_terms.clone(),
        });
    }
    index
}

/// Every page's address and fingerprint (0 unless `fingerprints`), in the
/// order of `jobs`.
fn plan(
    jobs: &[Job],
    renderer: &Renderer<'_>,
    global: u64,
    fingerprints: bool,
) -> Vec<(String, u64)> {
    jobs.par_iter()
        .with_max_len(PLANNED_AT_ONCE)
        .map(|job| {
            let url = renderer.url(job);
            let print = if fingerprints {
                renderer.fingerprint(job, &url, global)
            } else {
                0
            };
            (url, print)
        })
        .collect()
}

/// A whole site, written beside the last and swapped in.
struct Whole<'a> {
    jobs: &'a [Job],
    renderer: &'a Renderer<'a>,
    site: &'a SiteFiles<'a>,
    output: &'a Path,
}

impl Whole<'_> {
    /// Writes every page and file; gives how many pages it rendered.
    fn write(&self, memory: &mut Memory, progress: &dyn Progress) -> Result<usize, BuildError> {
        let Whole {
            jobs,
            renderer,
            site,
            output,
        } = *self;
        progress.start(jobs.len());
        let staging = Staging::begin(output)?;
        // A new site is written whole: what the caches knew of the old is moot.
        let once = memory.once;
        let caches = Caches::new(!once);
        if memory.on_disk {
            caches.keep_index_on_disk(search::kept::path(output), None);
            caches.keep_export_on_disk(Default::default(), None);
        }
        let write = &|path: &Path, bytes: &[u8]| staging.write(path, bytes);
        let stream = &|path: &Path, fill: &mut Fill<'_>| staging.stream(path, fill);
        let write_group = |group: SiteWide| {
            let written = site.write(group, &caches, write, stream, &[])?;
            if once {
                caches.clear(group);
            }
            Ok((group.name(), written))
        };
        // The search index and the export are made first, side by side:
        // they read every entry's body and hold much of their own while
        // they are made, which, made while the pages render, they would
        // hold beside every page's card.
        let mut groups = SiteWide::ALL
            .par_iter()
            .filter(|group| group.reads_every_body())
            .map(|&group| write_group(group))
            .collect::<Result<HashMap<_, _>, BuildError>>()?;
        // The other site-wide files are made while the pages render: each
        // is mostly one long task, which would otherwise leave a core idle.
        let (pages, others) = rayon::join(
            || {
                // At most 4,096 pages a run (see `PAGES_AT_ONCE`).
                jobs.par_iter()
                    .with_max_len(PAGES_AT_ONCE)
                    .try_for_each(|job| {
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
                    .filter(|group| **group != SiteWide::Assets && !group.reads_every_body())
                    .map(|&group| write_group(group))
                    .collect::<Result<HashMap<_, _>, BuildError>>()
            },
        );
        pages?;
        groups.extend(others?);
        // The site's own static files are written last, over any other.
        let assets = site.write(SiteWide::Assets, &caches, write, stream, &[])?;
        groups.insert(SiteWide::Assets.name(), assets);
        staging.publish()?;
        // A new site is seen whole, once it is swapped in.
        progress.pages_written();
        memory.groups = groups;
        memory.caches = caches;
        Ok(jobs.len())
    }
}

/// The most pages one thread renders without letting another take some.
/// Left to rayon, the thread that begins the list goes through a quarter
/// of it alone: `perf` of a build of 200,000 profiles showed it ending
/// with one core rendering for 0.6 s while the other waited, which runs
/// of 4,096 pages do not. The build's time did not measurably change with
/// it once each program was run into each output folder in turn
/// (docs/benchmarks.md).
const PAGES_AT_ONCE: usize = 4096;

/// The most pages' fingerprints one thread works out without letting
/// another take some: rayon otherwise leaves the thread that began the
/// list a quarter of it to go through alone, and the other core waits for
/// it at the end. Each takes a microsecond.
const PLANNED_AT_ONCE: usize = 1024;

/// The pages and files that changed since the last build, written over it.
struct Changes<'a> {
    changed: &'a [&'a Job],
    planned: &'a [(String, u64)],
    /// Whether every page of the last build is still planned.
    none_removed: bool,
    renderer: &'a Renderer<'a>,
    site: &'a SiteFiles<'a>,
    live: InPlace,
}

impl Changes<'_> {
    /// Writes the changed pages and files, and removes those gone; gives
    /// how many pages it rendered.
    fn write(&self, memory: &mut Memory, progress: &dyn Progress) -> Result<usize, BuildError> {
        let live = &self.live;
        progress.start(self.changed.len());
        // Every page renders before any is written: a template error
        // leaves the site as it was.
        let pages: Vec<(String, String)> = self
            .changed
            .par_iter()
            .map(|job| self.renderer.render(job))
            .collect::<Result<_, _>>()?;
        for (url, html) in &pages {
            live.write(&output::page_path(url), html.as_bytes())?;
            progress.advance();
        }
        if !self.none_removed {
            let current: HashSet<&str> = self.planned.iter().map(|(url, _)| url.as_str()).collect();
            for url in memory
                .pages
                .keys()
                .filter(|url| !current.contains(url.as_str()))
            {
                live.remove(&output::page_path(url))?;
            }
        }
        progress.pages_written();
        self.write_site_files(memory)?;
        Ok(pages.len())
    }

    /// Makes and writes the groups of site-wide files whose inputs
    /// changed, in parallel, the static files last (over any other), and
    /// removes the files they no longer make.
    fn write_site_files(&self, memory: &mut Memory) -> Result<(), BuildError> {
        let site = self.site;
        let (stale, assets): (Vec<SiteWide>, Vec<SiteWide>) = SiteWide::ALL
            .into_iter()
            .filter(|group| {
                let known = memory.groups.get(group.name()).map(|(p, _)| *p);
                Some(site.inputs(*group)) != known
            })
            .partition(|group| *group != SiteWide::Assets);
        let caches = &memory.caches;
        let write = &|path: &Path, bytes: &[u8]| self.live.write(path, bytes);
        let stream = &|path: &Path, fill: &mut Fill<'_>| self.live.stream(path, fill);
        let kept = |group: SiteWide| {
            memory
                .groups
                .get(group.name())
                .map_or(&[][..], |(_, paths)| paths.as_slice())
        };
        let mut written: Vec<(SiteWide, (u64, Vec<PathBuf>))> = stale
            .par_iter()
            .map(|&group| {
                Ok((
                    group,
                    site.write(group, caches, write, stream, kept(group))?,
                ))
            })
            .collect::<Result<_, BuildError>>()?;
        for group in assets {
            written.push((
                group,
                site.write(group, caches, write, stream, kept(group))?,
            ));
        }
        for (group, (print, paths)) in written {
            if let Some((_, old)) = memory.groups.get(group.name()) {
                let current: HashSet<&PathBuf> = paths.iter().collect();
                for path in old.iter().filter(|p| !current.contains(p)) {
                    self.live.remove(path)?;
                }
            }
            memory.groups.insert(group.name(), (print, paths));
        }
        Ok(())
    }
}

thread_local! {
    /// The buffer a thread renders pages into, kept from one to the next.
    static PAGE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}
