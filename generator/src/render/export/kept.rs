//! `directory.json` as the last build wrote it, so that a build in a new
//! process after a few edits copies the lines of the entries that did not
//! change rather than making them again (the export of a national
//! directory is a quarter of a gigabyte of JSON).
//!
//! The file holds one entry a line. The last build's state keeps, for each
//! list in order, each entry's slug (as a hash) and the hash of what its
//! line was made from together with the line's bytes: a line is copied
//! only when the entry's key now and the bytes read give the same hash, so
//! an entry changed since, or a line changed or cut short on disk, is made
//! again. The old file is read a line at a time as the new one is written.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

/// Each list of the export, in order; in each, each entry's slug's hash
/// and the hash of its key and its line.
pub(in crate::render) type Lines = Vec<Vec<(u64, u64)>>;

/// The hash of an entry's slug, as the lists keep it.
pub(super) fn slug_hash(slug: &str) -> u64 {
    crate::fingerprint::of(slug)
}

/// The hash of what an entry's line was made from (its key) and the line.
pub(super) fn line_hash(key: u64, line: &[u8]) -> u64 {
    crate::fingerprint::of((key, line))
}

/// The export the last build wrote, read list by list.
pub(super) struct Last {
    lists: Lines,
    file: std::io::BufReader<std::fs::File>,
    /// The list read, by number, and how many of its entry lines are read.
    at: Option<(usize, usize)>,
    /// The current list's entries: by slug hash, the entry's place and hash.
    places: HashMap<u64, (usize, u64)>,
}

impl Last {
    /// The export at `path`, as `lists` say the last build wrote it.
    pub(super) fn open(path: &Path, lists: Lines) -> Option<Self> {
        let file = std::fs::File::open(path).ok()?;
        Some(Self {
            lists,
            file: std::io::BufReader::with_capacity(1 << 20, file),
            at: None,
            places: HashMap::new(),
        })
    }

    /// Moves to list number `n`, named `name`; `false` if the file has no
    /// such list after the one read.
    pub(super) fn start_list(&mut self, n: usize, name: &str) -> bool {
        self.at = None;
        let opening = format!("\"{name}\":[");
        let mut line = Vec::new();
        loop {
            line.clear();
            match self.file.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => return false,
                Ok(_) => {}
            }
            if trimmed(&line) == opening.as_bytes() {
                break;
            }
        }
        self.places = self
            .lists
            .get(n)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(place, (slug, hash))| (*slug, (place, *hash)))
            .collect();
        self.at = Some((n, 0));
        true
    }

    /// The line of the entry with `slug` in the current list, and the hash
    /// kept of it, if the list had it; the lines before it are passed over.
    /// Entries come in the lists' order, so the file is read once.
    pub(super) fn line(&mut self, slug: &str) -> Option<(Vec<u8>, u64)> {
        let (n, read) = self.at?;
        let &(place, hash) = self.places.get(&slug_hash(slug))?;
        if place < read {
            return None;
        }
        let mut line = Vec::new();
        for at in read..=place {
            line.clear();
            let ended = match self.file.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => true,
                Ok(_) => line.first() == Some(&b']'),
            };
            if ended {
                self.at = None;
                return None;
            }
            self.at = Some((n, at + 1));
        }
        let line = trimmed(&line);
        let line = line.strip_suffix(b",").unwrap_or(line);
        Some((line.to_vec(), hash))
    }
}

/// A line without its line break.
fn trimmed(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\n").unwrap_or(line)
}
