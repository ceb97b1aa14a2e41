//! `directory.json` as the last build wrote it, so that a build in a new
//! process after a few edits copies the lines of the entries that did not
//! change rather than making them again (the export of a national
//! directory is a quarter of a gigabyte of JSON).
//!
//! The file holds one entry a line. The last build's state keeps, for each
//! list in order, where its first line begins and, for each entry, its
//! slug (as a hash), the key its line was made from and the line's length,
//! with the file's stamp as that build left it (its size, times and place
//! on disk). A line is copied only when the entry's key now is the one
//! kept, from a file whose stamp is the one kept: a file changed since in
//! any way (written, copied back, touched) has another ctime, so nothing
//! of it is copied and every line is made again. Runs of lines copied are
//! copied by the kernel, without being read.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The export as a build wrote it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(in crate::render) struct Lines {
    /// The file's stamp (see [`crate::files::exact_stamp`]) once written.
    pub(in crate::render) stamp: Option<u64>,
    /// Each list, in order.
    pub(in crate::render) lists: Vec<List>,
}

/// One list of the export as written.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(in crate::render) struct List {
    /// Where its first entry's line begins in the file.
    pub(in crate::render) start: u64,
    /// Each entry's slug's hash, the key its line was made from, and the
    /// line's length, in order: each line after the first begins two bytes
    /// (`,` and a line break) after the one before ends.
    pub(in crate::render) entries: Vec<(u64, u64, u32)>,
}

/// The hash of an entry's slug, as the lists keep it.
pub(super) fn slug_hash(slug: &str) -> u64 {
    crate::fingerprint::of(slug)
}

/// The export the last build wrote, with what it holds.
pub(super) struct Last {
    lines: Lines,
    file: std::fs::File,
}

/// One line of the last export: the key it was made from, and where it is.
#[derive(Clone)]
pub(super) struct Line {
    pub(super) key: u64,
    pub(super) range: Range<u64>,
}

impl Last {
    /// The export at `path`, if `lines` say how the last build wrote it
    /// and it is as that build left it.
    pub(super) fn open(path: &Path, lines: Lines) -> Option<Self> {
        let file = std::fs::File::open(path).ok()?;
        let stamp = crate::files::exact_stamp(&file.metadata().ok()?);
        (lines.stamp == Some(stamp)).then_some(Self { lines, file })
    }

    /// The file, to copy lines from.
    pub(super) fn file(&self) -> &std::fs::File {
        &self.file
    }

    /// The lines of list number `n`, by their entries' slugs' hashes.
    pub(super) fn list(&self, n: usize) -> HashMap<u64, Line> {
        let Some(list) = self.lines.lists.get(n) else {
            return HashMap::new();
        };
        let mut start = list.start;
        list.entries
            .iter()
            .map(|&(slug, key, len)| {
                let end = start + u64::from(len);
                let line = Line {
                    key,
                    range: start..end,
                };
                start = end + 2;
                (slug, line)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(path: &Path) -> Lines {
        let metadata = std::fs::metadata(path).expect("written");
        Lines {
            stamp: Some(crate::files::exact_stamp(&metadata)),
            lists: vec![List {
                start: 2,
                entries: vec![(slug_hash("a"), 7, 3), (slug_hash("b"), 8, 4)],
            }],
        }
    }

    #[test]
    fn lines_are_found_where_the_lengths_kept_put_them() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("directory.json");
        std::fs::write(&path, "[\n{a},\n{bb}\n]").expect("written");
        let last = Last::open(&path, lines(&path)).expect("as it was left");
        let list = last.list(0);
        assert_eq!(list[&slug_hash("a")].range, 2..5);
        assert_eq!(list[&slug_hash("b")].range, 7..11);
        assert_eq!(list[&slug_hash("b")].key, 8);
        assert!(last.list(1).is_empty(), "no second list");
    }

    #[test]
    fn an_export_changed_in_any_way_is_not_copied_from() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("directory.json");
        std::fs::write(&path, "[\n{a},\n{bb}\n]").expect("written");
        let kept = lines(&path);
        let modified = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("a time");
        // The same size, and its modification time put back: its ctime
        // still moved.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&path, "[\n{x},\n{yy}\n]").expect("written");
        let file = std::fs::File::options()
            .write(true)
            .open(&path)
            .expect("opens");
        file.set_modified(modified).expect("set back");
        assert!(Last::open(&path, kept).is_none());
        assert!(
            Last::open(&path, Lines::default()).is_none(),
            "no stamp kept"
        );
    }
}
