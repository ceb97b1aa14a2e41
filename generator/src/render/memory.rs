//! What one build of a site keeps for the next, so that the next (a save
//! while the site is served, or `interchange build` run again, from what
//! `last_build` kept on disk) renders and writes only what changed.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;

use super::BuildOptions;
use super::index;
use super::last_build;
use super::site_files::{Caches, SiteWide};
use crate::matching::suggestions::{KnownInputs, Suggestions};

/// What the last build of a site wrote, so that the next build of the same
/// site (a save while it is served, or a new process's build from
/// [`Memory::last_build`]) renders and writes only what changed.
/// Start with `Memory::default()`; keep it with the [`Theme`] it was made
/// with.
#[derive(Debug, Default)]
pub struct Memory {
    /// Each page's address and fingerprint.
    pub(super) pages: index::Map<String, u64>,
    /// Each group of site-wide files: its fingerprint and its files.
    pub(super) groups: HashMap<&'static str, (u64, Vec<PathBuf>)>,
    /// When the site changes next with no edit; past it, every page is
    /// made again.
    pub(super) next_change: Option<Timestamp>,
    /// How many times `next_change` has passed.
    pub(super) epoch: u64,
    /// What the site-wide files were made from, kept to make them again
    /// from the entries that changed.
    pub(super) caches: Caches,
    /// The suggestions on profile pages, with what they were made from:
    /// most saves change no tag, place or organisation and keep them.
    pub(super) suggestions: Option<(u64, Arc<Suggestions>)>,
    /// What the suggestions kept on disk beside the output were made from,
    /// when they are the ones in `suggestions`: they need not be written
    /// again.
    pub(super) suggestions_on_disk: Option<u64>,
    /// The terms of the last build, for the same reason.
    pub(super) terms: Option<index::KnownTerms>,
    /// The A–Z order of the last build, for the same reason.
    pub(super) order: Option<index::KnownOrder>,
    /// Each profile's part of the suggestions' inputs, by entry.
    pub(super) inputs: KnownInputs,
    /// The photos read, so that a save reads only the photos that changed.
    pub(super) photos: super::photos::KnownPhotos,
    /// Whether this is the memory of the one build of a process that ends
    /// after it (see [`Memory::once`]).
    pub(super) once: bool,
    /// Whether the build keeps what it wrote on disk for the next build
    /// (see [`Memory::last_build`]).
    pub(super) on_disk: bool,
    /// The moment the last build was made as of.
    pub(super) built_at: Option<Timestamp>,
    /// The checksum of the search index the last build kept on disk.
    pub(super) index_on_disk: Option<u64>,
    /// Each entry of `directory.json` as the last build wrote it.
    pub(super) export_on_disk: Option<super::export::kept::Lines>,
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

    /// The memory of the one build of a process, as [`Memory::once`], that
    /// starts from what the last such build into `options.output` kept on
    /// disk, and keeps its own there for the next: `interchange build`
    /// then renders and writes only what changed since. With nothing kept
    /// (or nothing to trust: another version of the program, other
    /// settings, a damaged file), the build is a full one.
    pub fn last_build(options: &BuildOptions) -> Self {
        let mut memory = Self::full_build();
        if let Some(last) = last_build::read(options) {
            memory.pages = last.pages.into_iter().collect();
            memory.groups = last
                .groups
                .into_iter()
                .filter_map(|(name, print, files)| {
                    Some((SiteWide::named(&name)?.name(), (print, files)))
                })
                .collect();
            memory.next_change = last.next_change;
            memory.epoch = last.epoch;
            memory.built_at = last.built_at;
            if let Some(inputs) = last.suggestions
                && let Some(made) = last_build::read_suggestions(options, inputs)
            {
                memory.suggestions = Some((inputs, Arc::new(made)));
                memory.suggestions_on_disk = Some(inputs);
            }
            memory.index_on_disk = last.index;
            memory.export_on_disk = last.export;
            memory.order = last.order.map(std::borrow::Cow::into_owned);
            memory.terms = last.terms.map(|kept| index::KnownTerms {
                inputs: kept.inputs,
                order: kept.order,
                taxonomies: Arc::new(kept.taxonomies.into_owned()),
            });
        }
        memory
    }

    /// The memory of a full build as [`Memory::last_build`] makes it, when
    /// nothing is kept: it keeps its own state on disk for the next build
    /// and reads none (`interchange build --full`).
    pub fn full_build() -> Self {
        let mut memory = Self::once();
        memory.on_disk = true;
        memory
    }

    /// When the site last built would next change with no edit.
    pub fn next_change(&self) -> Option<Timestamp> {
        self.next_change
    }
}
