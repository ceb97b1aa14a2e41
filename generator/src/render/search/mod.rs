//! The search index: built from the directory's fields, split so that a
//! query downloads only what it needs.
//!
//! Every token (lower-cased, split at anything not a letter or digit, at least
//! two characters) maps to its postings, `[doc, weight]`. Tokens are sharded by
//! their first two characters into `search/terms/<key>.json`, so a query of
//! one word fetches one shard (prefix matching happens in the browser);
//! documents' titles and summaries are in chunks of 100, fetched for the
//! results shown. Built straight from the typed entries, it costs no HTML
//! parsing and scales with the directory's words.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

pub(super) mod kept;
mod tokens;

use tokens::{indexed_tokens, shard_key};

use super::BuildError;
use super::index::Index;
use super::site_files::Write;
use crate::content::Kind;

/// Documents per chunk file: a page of results spreads over chunks, so they
/// are kept small (about 13 KB at 100 profiles).
pub const CHUNK_SIZE: usize = 100;

/// A search result as the page lists it.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Name or title.
    pub title: String,
    /// Page.
    pub url: String,
    /// `profile`, `organisation`, `event`, `consultation`, `ask` or `page`.
    pub kind: &'static str,
    /// One line about it.
    pub summary: String,
}

/// A doc as a chunk file holds it: with its number in the index, which
/// changes as docs before it come and go while the doc stays the same.
/// Read back from a chunk written, to change a doc in it.
#[derive(Serialize, serde::Deserialize)]
struct Numbered<'a> {
    id: u32,
    #[serde(borrow)]
    title: Cow<'a, str>,
    #[serde(borrow)]
    url: Cow<'a, str>,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    summary: Cow<'a, str>,
}

impl<'a> Numbered<'a> {
    fn of(id: usize, doc: &'a Doc) -> Self {
        Numbered {
            // Docs are counted in u32 throughout the index.
            id: id as u32,
            title: Cow::Borrowed(&doc.title),
            url: Cow::Borrowed(&doc.url),
            kind: Cow::Borrowed(doc.kind),
            summary: Cow::Borrowed(&doc.summary),
        }
    }
}

/// Weights of where a word is found.
const TITLE: u32 = 8;
const SUMMARY: u32 = 4;
const TAGS: u32 = 3;
const BODY: u32 = 1;

/// A document and the weighted text it is found by.
struct Source {
    doc: Doc,
    /// Weighted texts; a body is shared with the cache, not copied.
    fields: Vec<(u32, Arc<str>)>,
}

/// Postings by token, by shard: `shard → token → [(doc, weight)]`, each
/// list in the order of doc ids.
type Shards = BTreeMap<String, BTreeMap<String, Vec<(u32, u32)>>>;

/// What the index was last made from, so that a save makes again only the
/// docs, shards and chunks that changed.
#[derive(Debug, Default)]
pub struct LastIndex {
    /// Whether to keep what a next build may reuse: a build with none to
    /// come lets each body's words and each doc's weights go once used.
    keep: bool,
    /// Each doc and a hash of everything it is found by, in id order.
    docs: Vec<(Arc<Doc>, u64)>,
    /// The same docs, by what each is made from (see [`Maker::key`]).
    made: HashMap<u64, (Arc<Doc>, u64)>,
    /// Each doc's token weights, by that hash.
    weights: HashMap<u64, Weights>,
    /// Each body's text, by its file's digest: parsing Markdown is the
    /// costly part of reading a doc.
    bodies: HashMap<u64, Arc<str>>,
    /// The postings as last written.
    shards: Shards,
    /// Where a build that keeps its state on disk keeps the index (see
    /// [`kept`]), with the checksum of the one kept, if there is one to
    /// trust: a build in a new process starts from it.
    on_disk: Option<(PathBuf, Option<u64>)>,
}

/// A doc made at this build, not kept from the last.
struct Fresh {
    key: u64,
    doc: Arc<Doc>,
    hash: u64,
    /// Its weights, unless a doc found by the same texts has them.
    weights: Option<Weights>,
    /// Its body's words, by its file's digest.
    body: (u64, Arc<str>),
}

/// Writes the index files that may have changed with `write`, each as it
/// is made (the index of a national directory is hundreds of megabytes),
/// and gives every path of the index. `global` covers what every doc may
/// show of the site's settings (the vocabulary's labels, the time zone of
/// dates). `written_over` is the folder being written over, which holds
/// the index as the last build wrote it, if it does.
pub(super) fn write(
    index: &Index<'_>,
    global: u64,
    cache: &mut LastIndex,
    write: &Write<'_>,
    written_over: Option<&Path>,
) -> Result<Vec<PathBuf>, BuildError> {
    let makers = makers(index);
    let organisations = index.organisation_digests();
    let keys: Vec<u64> = makers
        .par_iter()
        .map(|maker| maker.key(index, &organisations, global))
        .collect();
    // A build in a new process has no docs in memory, but may have the
    // index the last build kept on disk.
    if cache.docs.is_empty()
        && let Some(over) = written_over
        && let Some((path, Some(sum))) = &cache.on_disk
        && let Some(kept) = kept::read(path, *sum)
        && let Some(paths) = cache.patch_kept(index, &makers, &keys, kept, over, write)?
    {
        return Ok(paths);
    }
    if !cache.keep {
        let touched = cache.make_once(index, &makers);
        let paths = cache.write(touched, write)?;
        cache.keep_on_disk_made(&keys);
        return Ok(paths);
    }
    let remade = cache.make_docs(index, &makers, &keys);
    let docs: Vec<(Arc<Doc>, u64)> = keys
        .iter()
        .filter_map(|key| cache.made.get(key).cloned())
        .collect();
    let same_docs = cache.docs.len() == docs.len()
        && cache
            .docs
            .iter()
            .zip(&docs)
            .all(|((old, _), (new, _))| Arc::ptr_eq(old, new) || old.url == new.url);
    let touched = if same_docs {
        cache.patch_postings(&docs)
    } else {
        cache.all_postings(&docs)
    };
    if !cache.keep {
        // The postings are made: what they were made from is not needed.
        cache.weights = HashMap::new();
        cache.made = HashMap::new();
    } else if remade || !same_docs {
        cache.forget_unused(index, &makers, &keys, &docs);
    }
    cache.docs = docs;
    let paths = cache.write(touched, write)?;
    cache.keep_on_disk_made(&keys);
    Ok(paths)
}

/// The hash of everything a doc is found by and shows.
fn found_by(source: &Source) -> u64 {
    crate::fingerprint::of((
        &source.doc.title,
        &source.doc.summary,
        source.doc.kind,
        &source.fields,
    ))
}

/// The path of a shard of the postings.
fn shard_path(key: &str) -> PathBuf {
    PathBuf::from(format!("search/terms/{key}.json"))
}

/// The path of a chunk of the docs.
fn chunk_path(n: usize) -> PathBuf {
    PathBuf::from(format!("search/docs/{n}.json"))
}

/// The path of the index's settings.
const META: &str = "search/meta.json";

/// The shards and chunks of the index that changed.
#[derive(Default)]
struct Touched {
    shards: BTreeSet<String>,
    chunks: BTreeSet<usize>,
}

impl LastIndex {
    /// A cache that keeps what it makes for the next build when `keep`.
    pub(super) fn new(keep: bool) -> Self {
        Self {
            keep,
            ..Self::default()
        }
    }

    /// Makes the docs of `keys` that it does not have, with their weights,
    /// in parallel; gives whether it made any.
    fn make_docs(&mut self, index: &Index<'_>, makers: &[Maker], keys: &[u64]) -> bool {
        let cache = &*self;
        // Docs made from the same things as at the last build are kept; the
        // others are made, with their weights, in parallel.
        let fresh: Vec<Fresh> = makers
            .par_iter()
            .zip(keys)
            .filter(|(_, key)| !cache.made.contains_key(*key))
            .map(|(maker, &key)| {
                let digest = maker.digest(index);
                let body = match cache.bodies.get(&digest) {
                    Some(body) => Arc::clone(body),
                    None => maker.body_words(index),
                };
                let source = maker.source(index, Arc::clone(&body));
                let hash = found_by(&source);
                let weights = (!cache.weights.contains_key(&hash)).then(|| weights(&source));
                Fresh {
                    key,
                    doc: Arc::new(source.doc),
                    hash,
                    weights,
                    body: (digest, body),
                }
            })
            .collect();
        let remade = !fresh.is_empty();
        for fresh in fresh {
            if self.keep {
                self.bodies.insert(fresh.body.0, fresh.body.1);
            }
            if let Some(weights) = fresh.weights {
                self.weights.insert(fresh.hash, weights);
            }
            self.made.insert(fresh.key, (fresh.doc, fresh.hash));
        }
        remade
    }

    /// Changes only the postings of the docs whose weights changed, when
    /// the docs are the same, in the same order, as at the last build.
    fn patch_postings(&mut self, docs: &[(Arc<Doc>, u64)]) -> Touched {
        let cache = self;
        let mut touched = Touched::default();
        for (id, ((_, hash), (_, old))) in docs.iter().zip(&cache.docs).enumerate() {
            if hash == old {
                continue;
            }
            let id = id as u32;
            let before: ahash::AHashMap<&str, u32> = cache
                .weights
                .get(old)
                .into_iter()
                .flat_map(Weights::iter)
                .collect();
            let after: ahash::AHashMap<&str, u32> = cache
                .weights
                .get(hash)
                .into_iter()
                .flat_map(Weights::iter)
                .collect();
            // Only the postings that differ: a shard whose postings are the
            // same is not written again.
            for (&token, weight) in &before {
                if after.get(token) == Some(weight) {
                    continue;
                }
                let key = shard_key(token);
                if let Some(terms) = cache.shards.get_mut(&key) {
                    if let Some(postings) = terms.get_mut(token) {
                        postings.retain(|(doc, _)| *doc != id);
                        if postings.is_empty() {
                            terms.remove(token);
                        }
                    }
                    if terms.is_empty() {
                        cache.shards.remove(&key);
                    }
                }
                touched.shards.insert(key);
            }
            for (&token, &weight) in &after {
                if before.get(token) == Some(&weight) {
                    continue;
                }
                let key = shard_key(token);
                let postings = cache
                    .shards
                    .entry(key.clone())
                    .or_default()
                    .entry(token.to_string())
                    .or_default();
                let at = postings.partition_point(|(doc, _)| *doc < id);
                postings.insert(at, (id, weight));
                touched.shards.insert(key);
            }
            touched.chunks.insert(id as usize / CHUNK_SIZE);
        }
        touched
    }

    /// Every doc of `makers` and every posting, for a build with none to
    /// come: the docs are made a batch at a time, in parallel, and each
    /// batch's weights go into the postings and are let go. Holding every
    /// doc's weights and body at once, as a cache for the next build does,
    /// was a fifth of a national directory's peak memory.
    fn make_once(&mut self, index: &Index<'_>, makers: &[Maker]) -> Touched {
        const BATCH: usize = 8192;
        let mut docs = Vec::with_capacity(makers.len());
        let mut postings: ahash::AHashMap<String, Vec<(u32, u32)>> = ahash::AHashMap::new();
        // Each batch's weights go into the postings on one core while the
        // next batch is made on the others: merged between batches, they
        // left a core idle.
        let mut made: Vec<(Doc, u64, Weights)> = Vec::new();
        for batch in makers.chunks(BATCH) {
            let last = std::mem::take(&mut made);
            let (next, ()) = rayon::join(
                || batch.par_iter().map(|maker| maker.made(index)).collect(),
                || post(last, &mut docs, &mut postings),
            );
            made = next;
        }
        post(made, &mut docs, &mut postings);
        let (shards, touched) = filed(postings, docs.len());
        self.shards = shards;
        self.docs = docs;
        touched
    }

    /// Every posting, made again from the docs' weights.
    fn all_postings(&mut self, docs: &[(Arc<Doc>, u64)]) -> Touched {
        let cache = self;
        // Postings gathered by token first: one key per token, not per posting.
        let mut postings: ahash::AHashMap<&str, Vec<(u32, u32)>> = ahash::AHashMap::new();
        for (id, (_, hash)) in docs.iter().enumerate() {
            for (token, weight) in cache.weights.get(hash).into_iter().flat_map(Weights::iter) {
                postings.entry(token).or_default().push((id as u32, weight));
            }
        }
        let (shards, touched) = filed(postings, docs.len());
        cache.shards = shards;
        touched
    }

    /// Forgets the docs, weights and bodies no longer in the index.
    fn forget_unused(
        &mut self,
        index: &Index<'_>,
        makers: &[Maker],
        keys: &[u64],
        docs: &[(Arc<Doc>, u64)],
    ) {
        let cache = self;
        let current: std::collections::HashSet<u64> = keys.iter().copied().collect();
        cache.made.retain(|key, _| current.contains(key));
        let current: std::collections::HashSet<u64> = docs.iter().map(|(_, hash)| *hash).collect();
        cache.weights.retain(|hash, _| current.contains(hash));
        let digests: std::collections::HashSet<u64> =
            makers.iter().map(|maker| maker.digest(index)).collect();
        cache.bodies.retain(|digest, _| digests.contains(digest));
    }

    /// Where the index is kept on disk, and the checksum of the one kept
    /// by the last build, if there is one to trust.
    pub(super) fn keep_on_disk(&mut self, path: PathBuf, last: Option<u64>) {
        self.on_disk = Some((path, last));
    }

    /// The checksum of the index kept on disk, if there is one.
    pub(super) fn kept_on_disk(&self) -> Option<u64> {
        self.on_disk.as_ref().and_then(|(_, sum)| *sum)
    }

    /// The cache emptied for a build with none to come, still knowing
    /// where the index is kept on disk.
    pub(super) fn emptied(&mut self) -> Self {
        Self {
            on_disk: self.on_disk.take(),
            ..Self::default()
        }
    }

    /// Writes the files `touched` with `write`, through one buffer; gives
    /// every path of the index.
    fn write(&self, touched: Touched, write: &Write<'_>) -> Result<Vec<PathBuf>, BuildError> {
        let cache = self;
        let meta = PathBuf::from(META);
        let count = cache.docs.len();
        let chunks = count.div_ceil(CHUNK_SIZE);
        let mut paths = vec![meta.clone()];
        paths.extend(cache.shards.keys().map(|key| shard_path(key)));
        paths.extend((0..chunks).map(chunk_path));

        let settings =
            serde_json::json!({ "version": 1, "count": count, "chunk_size": CHUNK_SIZE });
        put(&mut Vec::new(), write, &meta, &settings)?;
        // Shards and chunks are written in parallel, a buffer a thread: a
        // national directory's are some 3,700 files, made on one core
        // while the other sat idle.
        touched
            .shards
            .par_iter()
            .try_for_each_init(Vec::new, |buffer, key| match cache.shards.get(key) {
                Some(terms) => put(buffer, write, &shard_path(key), terms),
                None => Ok(()),
            })?;
        touched
            .chunks
            .par_iter()
            .try_for_each_init(Vec::new, |buffer, &n| {
                let from = (n * CHUNK_SIZE).min(count);
                let to = (from + CHUNK_SIZE).min(count);
                let chunk: Vec<Numbered<'_>> = cache.docs[from..to]
                    .iter()
                    .enumerate()
                    .map(|(at, (doc, _))| Numbered::of(from + at, doc))
                    .collect();
                if chunk.is_empty() {
                    return Ok(());
                }
                put(buffer, write, &chunk_path(n), &chunk)
            })?;
        Ok(paths)
    }
}

/// A doc's tokens, each with the weight of the weightiest field it is in,
/// kept in two allocations rather than one a token: a site of 10,000
/// profiles has over a million.
#[derive(Debug, Default)]
struct Weights {
    /// The tokens, one after another.
    tokens: String,
    /// Where each token ends in `tokens`: found without searching for a
    /// separator.
    ends: Vec<u32>,
    /// Their weights, in the same order (the weightiest field's is 8).
    weights: Vec<u8>,
}

impl Weights {
    fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        let mut start = 0;
        self.ends
            .iter()
            .zip(&self.weights)
            .map(move |(&end, &weight)| {
                let token = &self.tokens[start..end as usize];
                start = end as usize;
                (token, u32::from(weight))
            })
    }
}

/// A doc's tokens, each with the weight of the weightiest field it is in.
fn weights(source: &Source) -> Weights {
    // A fast hash: every word of every entry goes through this map.
    let mut weights: ahash::AHashMap<Cow<'_, str>, u32> = ahash::AHashMap::with_capacity(256);
    for (weight, text) in &source.fields {
        for token in indexed_tokens(text) {
            match weights.get_mut(token.as_ref()) {
                Some(w) => *w = (*w).max(*weight),
                None => {
                    weights.insert(token, *weight);
                }
            }
        }
    }
    let mut made = Weights {
        tokens: String::with_capacity(weights.keys().map(|t| t.len()).sum()),
        ends: Vec::with_capacity(weights.len()),
        weights: Vec::with_capacity(weights.len()),
    };
    for (token, weight) in weights {
        made.tokens.push_str(&token);
        // A doc's text is far shorter than 4 GB; its weights are 1 to 8.
        made.ends
            .push(u32::try_from(made.tokens.len()).unwrap_or(u32::MAX));
        made.weights.push(u8::try_from(weight).unwrap_or(u8::MAX));
    }
    made
}

/// Every posting, by token, filed into its shard; and, as every shard and
/// chunk of the `docs` docs is then new, all of them as touched.
fn filed<T: AsRef<str> + Into<String>>(
    postings: impl IntoIterator<Item = (T, Vec<(u32, u32)>)>,
    docs: usize,
) -> (Shards, Touched) {
    let mut shards = Shards::new();
    for (token, list) in postings {
        shards
            .entry(shard_key(token.as_ref()))
            .or_default()
            .insert(token.into(), list);
    }
    let touched = Touched {
        shards: shards.keys().cloned().collect(),
        chunks: (0..docs.div_ceil(CHUNK_SIZE)).collect(),
    };
    (shards, touched)
}

/// A batch of docs made in order, numbered after `docs`, with each of
/// their tokens' weights added to `postings`.
fn post(
    made: Vec<(Doc, u64, Weights)>,
    docs: &mut Vec<(Arc<Doc>, u64)>,
    postings: &mut ahash::AHashMap<String, Vec<(u32, u32)>>,
) {
    for (doc, hash, weights) in made {
        // Docs are counted in u32 throughout the index.
        let id = docs.len() as u32;
        for (token, weight) in weights.iter() {
            match postings.get_mut(token) {
                Some(list) => list.push((id, weight)),
                None => {
                    postings.insert(token.to_string(), vec![(id, weight)]);
                }
            }
        }
        docs.push((Arc::new(doc), hash));
    }
}

/// Writes `value` as JSON at `path`, made in `buffer`.
fn put<T: Serialize + ?Sized>(
    buffer: &mut Vec<u8>,
    write: &Write<'_>,
    path: &Path,
    value: &T,
) -> Result<(), BuildError> {
    buffer.clear();
    // Plain maps, lists and strings always serialise.
    let _ = serde_json::to_writer(&mut *buffer, value);
    write(path, buffer)
}

/// The entry a doc is made from, by its position in the directory.
#[derive(Debug, Clone, Copy)]
enum Maker {
    Profile(usize),
    Organisation(usize),
    Event(usize),
    Consultation(usize),
    Ask(usize),
    Page(usize),
}

/// Every doc's entry, in the index's order: profiles and organisations A–Z,
/// then events, consultations, asks and pages.
fn makers(index: &Index<'_>) -> Vec<Maker> {
    let dir = index.dir;
    let mut makers = Vec::with_capacity(
        dir.profiles.len()
            + dir.organisations.len()
            + dir.events.len()
            + dir.consultations.len()
            + dir.asks.len()
            + dir.pages.len(),
    );
    makers.extend(index.profiles_az.iter().map(|&i| Maker::Profile(i)));
    makers.extend(
        index
            .organisations_az
            .iter()
            .map(|&i| Maker::Organisation(i)),
    );
    makers.extend((0..dir.events.len()).map(Maker::Event));
    makers.extend((0..dir.consultations.len()).map(Maker::Consultation));
    makers.extend((0..dir.asks.len()).map(Maker::Ask));
    makers.extend((0..dir.pages.len()).map(Maker::Page));
    makers
}

impl Maker {
    /// The doc, the hash of what it is found by, and its weights, made
    /// whole from the entry.
    fn made(self, index: &Index<'_>) -> (Doc, u64, Weights) {
        let source = self.source(index, self.body_words(index));
        let hash = found_by(&source);
        let weights = weights(&source);
        (source.doc, hash, weights)
    }

    /// The digest of the entry's file.
    fn digest(self, index: &Index<'_>) -> u64 {
        let dir = index.dir;
        match self {
            Maker::Profile(i) => dir.profiles[i].file.digest(),
            Maker::Organisation(i) => dir.organisations[i].file.digest(),
            Maker::Event(i) => dir.events[i].file.digest(),
            Maker::Consultation(i) => dir.consultations[i].file.digest(),
            Maker::Ask(i) => dir.asks[i].file.digest(),
            Maker::Page(i) => dir.pages[i].file.digest(),
        }
    }

    /// Everything the doc is made from, as one number, found without making
    /// it: the entry's file and what else its doc shows (a profile's
    /// organisation, by `organisations`; a consultation's status today),
    /// and `global`.
    fn key(self, index: &Index<'_>, organisations: &[Option<u64>], global: u64) -> u64 {
        let digest = self.digest(index);
        let dir = index.dir;
        let extra = match self {
            Maker::Profile(i) => organisations.get(i).copied().flatten(),
            Maker::Consultation(i) => Some(dir.consultations[i].data.status(index.now) as u64),
            _ => None,
        };
        crate::fingerprint::of((global, std::mem::discriminant(&self), digest, extra))
    }

    /// The words of the entry's body.
    fn body_words(self, index: &Index<'_>) -> Arc<str> {
        let dir = index.dir;
        match self {
            Maker::Profile(i) => index.body_words(&dir.profiles[i]),
            Maker::Organisation(i) => index.body_words(&dir.organisations[i]),
            Maker::Event(i) => index.body_words(&dir.events[i]),
            Maker::Consultation(i) => index.body_words(&dir.consultations[i]),
            Maker::Ask(i) => index.body_words(&dir.asks[i]),
            Maker::Page(i) => index.body_words(&dir.pages[i]),
        }
    }

    /// The doc and its weighted texts, with the entry's `body` words.
    fn source(self, index: &Index<'_>, body: Arc<str>) -> Source {
        let dir = index.dir;
        let organisation_name = |slug: &str| {
            dir.organisation(slug)
                .map(|o| o.data.name.clone())
                .unwrap_or_default()
        };
        let (kind, url, title, summary, tags): (&'static str, String, &str, String, String) =
            match self {
                Maker::Profile(i) => {
                    let e = &dir.profiles[i];
                    let p = &e.data;
                    let organisation = organisation_name(&p.organisation);
                    let summary = if organisation.is_empty() {
                        p.role.clone()
                    } else {
                        format!("{}, {organisation}", p.role)
                    };
                    let tags = [
                        p.policy_areas
                            .iter()
                            .map(|a| dir.site.vocabulary.policy_area_label(a).unwrap_or(a))
                            .collect::<Vec<_>>()
                            .join(" "),
                        p.interests.join(" "),
                        p.open_to
                            .iter()
                            .map(|o| o.label())
                            .collect::<Vec<_>>()
                            .join(" "),
                        p.location.clone().unwrap_or_default(),
                        index
                            .sector_of(i)
                            .map(|s| s.label().to_string())
                            .unwrap_or_default(),
                    ]
                    .join(" ");
                    (
                        "profile",
                        Kind::Profile.url(&e.slug),
                        &p.name,
                        summary,
                        tags,
                    )
                }
                Maker::Organisation(i) => {
                    let e = &dir.organisations[i];
                    let o = &e.data;
                    (
                        "organisation",
                        Kind::Organisation.url(&e.slug),
                        &o.name,
                        o.sector.label().to_string(),
                        o.region.clone().unwrap_or_default(),
                    )
                }
                Maker::Event(i) => {
                    let e = &dir.events[i];
                    let v = &e.data;
                    let place = v
                        .venue
                        .as_ref()
                        .map(|v| format!("{} {}", v.name, v.address.clone().unwrap_or_default()))
                        .unwrap_or_default();
                    (
                        "event",
                        Kind::Event.url(&e.slug),
                        &v.title,
                        format!("{}, {}", v.kind.label(), super::format::date(&v.start)),
                        format!("{place} {}", v.policy_areas.join(" ")),
                    )
                }
                Maker::Consultation(i) => {
                    let e = &dir.consultations[i];
                    let c = &e.data;
                    let summary = format!(
                        "{}: {} to {}",
                        c.status(index.now).label(),
                        super::format::date(&c.opens),
                        super::format::date(&c.closes)
                    );
                    (
                        "consultation",
                        Kind::Consultation.url(&e.slug),
                        &c.title,
                        summary,
                        c.policy_areas.join(" "),
                    )
                }
                Maker::Ask(i) => {
                    let e = &dir.asks[i];
                    let a = &e.data;
                    (
                        "ask",
                        Kind::Ask.url(&e.slug),
                        &a.title,
                        a.kind.label().to_string(),
                        a.policy_areas.join(" "),
                    )
                }
                Maker::Page(i) => {
                    let e = &dir.pages[i];
                    (
                        "page",
                        Kind::Page.url(&e.slug),
                        &e.data.title,
                        String::new(),
                        String::new(),
                    )
                }
            };
        Source {
            fields: vec![
                (TITLE, Arc::from(title)),
                (SUMMARY, Arc::from(summary.as_str())),
                (TAGS, Arc::from(tags)),
                (BODY, body),
            ],
            doc: Doc {
                title: title.to_string(),
                url,
                kind,
                summary,
            },
        }
    }
}
