//! The search index as a build left it, kept beside the output, so that a
//! build in a new process that changes a few docs makes only those docs
//! and writes only the shards and chunks they are in.
//!
//! The index's own files hold the postings and the docs; what they do not
//! say cheaply is which shards a doc is in (a doc of a national directory
//! is in about forty of two hundred shards, and the shards are a hundred
//! megabytes). So this file holds each doc's key and hash, in id order,
//! and for each shard a bitmap of the docs with postings in it: about six
//! megabytes at 200,000 profiles. It is written as it is made, a shard at
//! a time. The last build's state names it by its checksum, so that an
//! index file left by a build that did not complete is never trusted.
//!
//! Here too is what a build does with it: keeps the index it made, and,
//! over the output the last build wrote, patches that build's index.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::tokens::shard_key;
use super::{
    CHUNK_SIZE, Doc, LastIndex, META, Maker, Numbered, Weights, chunk_path, put, shard_path,
};
use crate::kept::{self, Kept};
use crate::render::BuildError;
use crate::render::index::Index;
use crate::render::site_files::Write;

/// The file's name in the output's cache folder.
const FILE: &str = "last-search";

/// What the file begins with.
const MAGIC: &[u8; 8] = b"ixsrch\x00\x01";

/// The layout of what follows the header; a new layout has a new number.
const LAYOUT: u32 = 1;

/// Where the index of the site written at `output` is kept.
pub(in crate::render) fn path(output: &Path) -> PathBuf {
    crate::render::output::cache(output).join(FILE)
}

fn maker() -> u64 {
    crate::fingerprint::of((LAYOUT, kept::program()))
}

/// Which docs, by id, have postings in one shard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Bitmap(Vec<u8>);

impl Bitmap {
    /// A bitmap of `docs` docs, none set.
    pub(super) fn new(docs: usize) -> Self {
        Self(vec![0; docs.div_ceil(8)])
    }

    /// Whether doc `id` is set.
    pub(super) fn has(&self, id: u32) -> bool {
        let id = id as usize;
        self.0
            .get(id / 8)
            .is_some_and(|byte| byte & (1 << (id % 8)) != 0)
    }

    /// Sets doc `id`, or clears it.
    pub(super) fn set(&mut self, id: u32, on: bool) {
        let id = id as usize;
        if let Some(byte) = self.0.get_mut(id / 8) {
            if on {
                *byte |= 1 << (id % 8);
            } else {
                *byte &= !(1 << (id % 8));
            }
        }
    }
}

/// The index as kept.
#[derive(Debug)]
pub(super) struct KeptIndex {
    /// Each doc's key and hash (see `LastIndex`), in id order.
    pub(super) docs: Vec<(u64, u64)>,
    /// Each shard's docs, by the shard's key.
    pub(super) shards: BTreeMap<String, Bitmap>,
}

/// Reads the index kept at `path`, if it is whole and its checksum is
/// `sum`: the one the last build's state names.
pub(super) fn read(path: &Path, sum: u64) -> Option<KeptIndex> {
    let kept = Kept::read(path, MAGIC, maker())?;
    if kept.checksum() != sum {
        return None;
    }
    let body = kept.body();
    let (count, mut rest) = kept::split_u64(body)?;
    let count = usize::try_from(count).ok()?;
    let mut docs = Vec::with_capacity(count.min(rest.len() / 16));
    for _ in 0..count {
        let (key, after) = kept::split_u64(rest)?;
        let (hash, after) = kept::split_u64(after)?;
        docs.push((key, hash));
        rest = after;
    }
    let bytes = count.div_ceil(8);
    let mut shards = BTreeMap::new();
    while !rest.is_empty() {
        let (len, after) = kept::split_u64(rest)?;
        let len = usize::try_from(len).ok()?;
        if after.len() < len + bytes {
            return None;
        }
        let (key, after) = after.split_at(len);
        let (bitmap, after) = after.split_at(bytes);
        let key = std::str::from_utf8(key).ok()?.to_string();
        shards.insert(key, Bitmap(bitmap.to_vec()));
        rest = after;
    }
    Some(KeptIndex { docs, shards })
}

/// Keeps at `path` the index of `docs` (each doc's key and hash, in id
/// order) and `shards` (each shard's key and docs, made one at a time);
/// gives the checksum that names it.
pub(super) fn write<'a>(
    path: &Path,
    docs: &[(u64, u64)],
    shards: impl Iterator<Item = (&'a str, impl std::borrow::Borrow<Bitmap>)>,
) -> std::io::Result<u64> {
    kept::write(path, MAGIC, maker(), |body| {
        body.write_all(&(docs.len() as u64).to_le_bytes())?;
        for (key, hash) in docs {
            body.write_all(&key.to_le_bytes())?;
            body.write_all(&hash.to_le_bytes())?;
        }
        for (key, bitmap) in shards {
            body.write_all(&(key.len() as u64).to_le_bytes())?;
            body.write_all(key.as_bytes())?;
            body.write_all(&bitmap.borrow().0)?;
        }
        Ok(())
    })
}

/// What a build does with the index kept on disk.
impl LastIndex {
    /// Keeps on disk, if it is kept there, the index just written of the
    /// docs of `keys`.
    pub(super) fn keep_on_disk_made(&mut self, keys: &[u64]) {
        let Some((path, sum)) = &mut self.on_disk else {
            return;
        };
        let docs: Vec<(u64, u64)> = keys
            .iter()
            .zip(&self.docs)
            .map(|(key, (_, hash))| (*key, *hash))
            .collect();
        let shards = self.shards.iter().map(|(key, terms)| {
            let mut docs = Bitmap::new(keys.len());
            for (doc, _) in terms.values().flatten() {
                docs.set(*doc, true);
            }
            (key.as_str(), docs)
        });
        // An index that cannot be kept leaves the next build to make it whole.
        *sum = self::write(path, &docs, shards).ok();
    }

    /// Changes the index the last build kept on disk, and wrote in
    /// `over`, into the index of `keys`: makes the docs whose keys
    /// changed, and writes the shards and chunks they are in, and were
    /// in. Gives every path of the index, or `None` when the index kept
    /// cannot be changed (another number of docs, a file of it missing or
    /// unreadable): it is then made whole.
    pub(super) fn patch_kept(
        &mut self,
        index: &Index<'_>,
        makers: &[Maker],
        keys: &[u64],
        mut kept: KeptIndex,
        over: &Path,
        write: &Write<'_>,
    ) -> Result<Option<Vec<PathBuf>>, BuildError> {
        if kept.docs.len() != keys.len() {
            return Ok(None);
        }
        let changed: Vec<usize> = keys
            .iter()
            .zip(&kept.docs)
            .enumerate()
            .filter(|(_, (key, (old, _)))| key != &old)
            .map(|(id, _)| id)
            .collect();
        let fresh: Vec<(u32, Doc, u64, Weights)> = changed
            .par_iter()
            .map(|&id| {
                let (doc, hash, weights) = makers[id].made(index);
                (id as u32, doc, hash, weights)
            })
            .collect();
        // The docs found by other words than before: their postings move.
        let moved: Vec<&(u32, Doc, u64, Weights)> = fresh
            .iter()
            .filter(|(id, _, hash, _)| kept.docs[*id as usize].1 != *hash)
            .collect();
        let mut touched = BTreeSet::new();
        for (id, _, _, weights) in &moved {
            let before = kept.shards.iter().filter(|(_, docs)| docs.has(*id));
            touched.extend(before.map(|(key, _)| key.clone()));
            touched.extend(weights.iter().map(|(token, _)| shard_key(token)));
        }
        let moved: Vec<(u32, &Weights)> = moved.iter().map(|(id, .., w)| (*id, w)).collect();
        // Each shard is patched on its own, and written if it changed.
        let patched: Vec<(&String, Option<Patched>)> = touched
            .par_iter()
            .map(|key| {
                let path = shard_path(key);
                let was_in = kept.shards.get(key.as_str());
                let written = match was_in {
                    Some(_) => match std::fs::read(over.join(&path)) {
                        Ok(bytes) => Some(bytes),
                        Err(_) => return Ok((key, None)),
                    },
                    None => None,
                };
                let mut patched = patch_shard(written.as_deref(), key, was_in, &moved);
                if let Some(Patched::Changed(bytes, _)) = &mut patched {
                    write(&path, &std::mem::take(bytes))?;
                }
                Ok((key, patched))
            })
            .collect::<Result<_, BuildError>>()?;
        for (key, patched) in patched {
            match patched {
                None => return Ok(None),
                Some(Patched::Same) => {}
                Some(Patched::Empty) => {
                    kept.shards.remove(key.as_str());
                }
                Some(Patched::Changed(_, now_in)) => {
                    let docs = kept
                        .shards
                        .entry(key.clone())
                        .or_insert_with(|| Bitmap::new(keys.len()));
                    for (id, _) in &moved {
                        docs.set(*id, now_in.contains(id));
                    }
                }
            }
        }
        let mut buffer = Vec::new();
        let size = CHUNK_SIZE as u32;
        let chunks: BTreeSet<u32> = fresh.iter().map(|(id, ..)| id / size).collect();
        for n in chunks {
            let path = chunk_path(n as usize);
            let Ok(bytes) = std::fs::read(over.join(&path)) else {
                return Ok(None);
            };
            let Ok(mut chunk) = serde_json::from_slice::<Vec<Numbered<'_>>>(&bytes) else {
                return Ok(None);
            };
            for (id, doc, ..) in fresh.iter().filter(|(id, ..)| id / size == n) {
                match chunk.get_mut((id - n * size) as usize) {
                    Some(slot) if slot.id == *id => *slot = Numbered::of(*id as usize, doc),
                    _ => return Ok(None),
                }
            }
            put(&mut buffer, write, &path, &chunk)?;
        }
        for (id, _, hash, _) in &fresh {
            kept.docs[*id as usize] = (keys[*id as usize], *hash);
        }
        let mut paths = vec![PathBuf::from(META)];
        paths.extend(kept.shards.keys().map(|key| shard_path(key)));
        paths.extend((0..keys.len().div_ceil(CHUNK_SIZE)).map(chunk_path));
        if let Some((path, sum)) = &mut self.on_disk {
            let shards = kept.shards.iter().map(|(key, docs)| (key.as_str(), docs));
            *sum = self::write(path, &kept.docs, shards).ok();
        }
        Ok(Some(paths))
    }
}

/// What became of a shard of the index that a changed doc was or is in.
enum Patched {
    /// Its bytes are as written.
    Same,
    /// Its bytes are these now, and the changed docs in it now.
    Changed(Vec<u8>, Vec<u32>),
    /// It has no token left.
    Empty,
}

/// One token's postings in a shard being patched.
enum Postings<'a> {
    /// As written: `[[doc,weight],...]`.
    Written(&'a [u8]),
    /// Made again.
    Made(Vec<(u32, u32)>),
}

/// The tokens of a shard as the index writes them, `{"token":[[doc,weight],
/// ...],...}`, each with its postings as written; `None` if the shard is
/// not written so. Found by searching for the quotes and brackets that end
/// each part rather than by parsing every number: the shard of a common
/// prefix is megabytes, and a changed doc is in few of its lists.
fn written_lists(bytes: &[u8]) -> Option<Vec<(&str, &[u8])>> {
    let mut rest = bytes.strip_prefix(b"{")?;
    let mut lists = Vec::new();
    if rest == b"}" {
        return Some(lists);
    }
    loop {
        rest = rest.strip_prefix(b"\"")?;
        let end = memchr::memchr(b'"', rest)?;
        let token = std::str::from_utf8(&rest[..end]).ok()?;
        // A token is letters and digits: one written with an escape is not.
        if token.contains('\\') {
            return None;
        }
        rest = rest[end + 1..].strip_prefix(b":")?;
        // Postings are pairs of numbers: the list ends at the first `]]`.
        if !rest.starts_with(b"[[") {
            return None;
        }
        let close = memchr::memmem::find(rest, b"]]")? + 2;
        let (list, after) = rest.split_at(close);
        let numbers_only = list
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'[' | b']' | b','));
        if !numbers_only {
            return None;
        }
        lists.push((token, list));
        match after {
            b"}" => return Some(lists),
            [b',', more @ ..] => rest = more,
            _ => return None,
        }
    }
}

/// The weight of doc `id` in a list of postings as written, if the list
/// has it.
fn written_weight(list: &[u8], finder: &memchr::memmem::Finder<'_>) -> Option<u32> {
    let at = finder.find(list)? + finder.needle().len();
    let end = at + memchr::memchr(b']', &list[at..])?;
    std::str::from_utf8(&list[at..end]).ok()?.parse().ok()
}

/// The shard `key` as `written` (`None` for a shard not written), whose
/// docs were `was_in`, with the postings of the `moved` docs (by id, with
/// their weights now) taken out and put in again as they are now; `None`
/// if what was written does not parse. A token's list is made again only
/// if a moved doc's weight in it changed, or it came or went: the rest of
/// a shard (megabytes, for a shard of common words) is copied as written.
fn patch_shard(
    written: Option<&[u8]>,
    key: &str,
    was_in: Option<&Bitmap>,
    moved: &[(u32, &Weights)],
) -> Option<Patched> {
    let mut terms: BTreeMap<&str, Postings<'_>> = match written {
        Some(bytes) => written_lists(bytes)?
            .into_iter()
            .map(|(token, list)| (token, Postings::Written(list)))
            .collect(),
        None => BTreeMap::new(),
    };
    // Each moved doc: its id, its weights in this shard, and, if it was
    // in the shard, how its postings begin (`[doc,`, as nothing else in a
    // list of postings does).
    let docs: Vec<(
        u32,
        HashMap<&str, u32>,
        Option<memchr::memmem::Finder<'static>>,
    )> = moved
        .iter()
        .map(|(id, weights)| {
            let now = weights
                .iter()
                .filter(|(t, _)| shard_key(t) == key)
                .collect();
            let finder = was_in
                .is_some_and(|docs| docs.has(*id))
                .then(|| memchr::memmem::Finder::new(format!("[{id},").as_bytes()).into_owned());
            (*id, now, finder)
        })
        .collect();
    let mut changed = false;
    for (token, postings) in &mut terms {
        let Postings::Written(list) = *postings else {
            continue;
        };
        let same = docs.iter().all(|(_, now, finder)| {
            let before = finder.as_ref().and_then(|f| written_weight(list, f));
            before == now.get(token).copied()
        });
        if same {
            continue;
        }
        let mut made: Vec<(u32, u32)> = serde_json::from_slice(list).ok()?;
        made.retain(|(doc, _)| !docs.iter().any(|(id, ..)| id == doc));
        *postings = Postings::Made(made);
        changed = true;
    }
    for (id, now, _) in &docs {
        for (token, weight) in now {
            let postings = match terms.get_mut(token) {
                Some(Postings::Made(list)) => list,
                // As written, its postings already hold this weight.
                Some(Postings::Written(_)) => continue,
                None => {
                    changed = true;
                    let new = terms.entry(token).or_insert(Postings::Made(Vec::new()));
                    let Postings::Made(list) = new else { continue };
                    list
                }
            };
            let at = postings.partition_point(|(doc, _)| doc < id);
            postings.insert(at, (*id, *weight));
        }
    }
    if !changed {
        return Some(Patched::Same);
    }
    terms.retain(|_, postings| !matches!(postings, Postings::Made(list) if list.is_empty()));
    if terms.is_empty() {
        return Some(Patched::Empty);
    }
    // As serde writes a map of token to postings.
    let mut bytes = Vec::with_capacity(written.map_or(0, <[u8]>::len) + 64);
    bytes.push(b'{');
    for (n, (token, postings)) in terms.iter().enumerate() {
        if n > 0 {
            bytes.push(b',');
        }
        // Strings and lists of numbers always serialise.
        let _ = serde_json::to_writer(&mut bytes, token);
        bytes.push(b':');
        match postings {
            Postings::Written(list) => bytes.extend_from_slice(list),
            Postings::Made(list) => {
                let _ = serde_json::to_writer(&mut bytes, list);
            }
        }
    }
    bytes.push(b'}');
    let now_in = docs.iter().filter(|(_, now, _)| !now.is_empty());
    Some(Patched::Changed(
        bytes,
        now_in.map(|(id, ..)| *id).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_kept_is_read_back_by_its_checksum_only() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("last-search");
        let docs = vec![(1, 10), (2, 20), (3, 30)];
        let mut pr = Bitmap::new(3);
        pr.set(0, true);
        pr.set(2, true);
        let mut ho = Bitmap::new(3);
        ho.set(1, true);
        let shards = [("pr", pr.clone()), ("ho", ho.clone())];
        let sum = write(&path, &docs, shards.into_iter()).expect("written");
        let kept = read(&path, sum).expect("read back");
        assert_eq!(kept.docs, docs);
        assert_eq!(kept.shards.get("pr"), Some(&pr));
        assert_eq!(kept.shards.get("ho"), Some(&ho));
        assert!(kept.shards["pr"].has(2) && !kept.shards["pr"].has(1));
        assert!(read(&path, sum ^ 1).is_none(), "another build's index");
    }
    /// Weights of `tokens`, as a doc's.
    fn weights_of(tokens: &BTreeMap<String, u32>) -> Weights {
        let mut made = Weights::default();
        for (token, weight) in tokens {
            made.tokens.push_str(token);
            made.ends.push(made.tokens.len() as u32);
            made.weights.push(*weight as u8);
        }
        made
    }

    type Postings = BTreeMap<String, Vec<(u32, u32)>>;

    /// Tokens of two shards, `ab` and `cd`.
    fn tokens() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex("(ab|cd)[a-c0-9]{0,2}").expect("a pattern")
    }

    proptest::proptest! {
        /// A shard patched is, byte for byte, the shard written anew from
        /// every posting: whatever the docs moved were in before and are
        /// in now.
        #[test]
        fn a_shard_patched_is_the_shard_made_anew(
            written in proptest::collection::btree_map(
                tokens(),
                proptest::collection::btree_map(0u32..40, 1u32..9, 1..6),
                0..8,
            ),
            moved in proptest::collection::btree_map(
                0u32..40,
                proptest::collection::btree_map(tokens(), 1u32..9, 0..5),
                1..4,
            ),
        ) {
            let key = "ab";
            let written: Postings = written
                .into_iter()
                .filter(|(token, _)| shard_key(token) == key)
                .map(|(token, docs)| (token, docs.into_iter().collect()))
                .collect();
            let bytes = (!written.is_empty()).then(|| serde_json::to_vec(&written).expect("json"));
            let mut was_in = Bitmap::new(40);
            for (doc, _) in written.values().flatten() {
                was_in.set(*doc, true);
            }
            let weights: Vec<(u32, Weights)> =
                moved.iter().map(|(id, tokens)| (*id, weights_of(tokens))).collect();
            let moved_weights: Vec<(u32, &Weights)> =
                weights.iter().map(|(id, w)| (*id, w)).collect();

            let mut expected = written.clone();
            for postings in expected.values_mut() {
                postings.retain(|(doc, _)| !moved.contains_key(doc));
            }
            for (id, tokens) in &moved {
                for (token, weight) in tokens.iter().filter(|(t, _)| shard_key(t) == key) {
                    let postings = expected.entry(token.clone()).or_default();
                    postings.push((*id, *weight));
                    postings.sort();
                }
            }
            expected.retain(|_, postings| !postings.is_empty());

            let patched = patch_shard(
                bytes.as_deref(),
                key,
                bytes.as_ref().map(|_| &was_in),
                &moved_weights,
            );
            match patched {
                Some(Patched::Same) => proptest::prop_assert_eq!(&expected, &written),
                Some(Patched::Empty) => proptest::prop_assert!(expected.is_empty()),
                Some(Patched::Changed(made, _)) => {
                    proptest::prop_assert_ne!(&expected, &written);
                    proptest::prop_assert_eq!(made, serde_json::to_vec(&expected).expect("json"));
                }
                None => proptest::prop_assert!(false, "a shard written parses"),
            }
        }
    }

    #[test]
    fn a_shard_that_does_not_parse_is_not_patched() {
        let weights = weights_of(&BTreeMap::from([("abc".to_string(), 3)]));
        let mut was_in = Bitmap::new(4);
        was_in.set(1, true);
        let cut_short = br#"{"abc":[[1,3],[2,"#;
        assert!(patch_shard(Some(cut_short), "ab", Some(&was_in), &[(1, &weights)]).is_none());
    }
}
