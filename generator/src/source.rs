//! Source files and positions in them.
//!
//! Every diagnostic points at a place in a file a person edits, so each file
//! read is kept with an index of its line starts, from which any byte offset
//! turns into a line and column.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// A byte range in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Length in bytes (may be zero: a point).
    pub len: usize,
}

impl Span {
    /// A span from `start`, `len` bytes long.
    pub fn new(start: usize, len: usize) -> Self {
        Self { start, len }
    }

    /// The offset just past the span.
    pub fn end(&self) -> usize {
        self.start + self.len
    }
}

/// A file read from the site, with its text and line index.
#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    text: Text,
    /// Where each line starts, made when a position is first asked for:
    /// most files read never are, and a national directory reads 300,000.
    line_starts: OnceLock<Vec<u32>>,
    digest: u64,
    /// When the file was last modified, if it was read from disk.
    modified: Option<jiff::Timestamp>,
}

/// A file's text: as read, or lying where a build kept it (see
/// `load::last_read`), copied out only when first asked for: a build after
/// one edit asks for the text of few of a national directory's files.
enum Text {
    Read(Arc<str>),
    Kept {
        /// The kept file's bytes, shared by every file kept in it.
        bytes: Arc<Vec<u8>>,
        range: std::ops::Range<usize>,
        copied: OnceLock<Arc<str>>,
    },
}

// Shown as its text, however it is held, so that a directory read from
// what a build kept shows as the same directory read afresh.
impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Text::Read(text) => text.fmt(f),
            Text::Kept { bytes, range, .. } => {
                let bytes = bytes.get(range.clone()).unwrap_or_default();
                String::from_utf8_lossy(bytes).fmt(f)
            }
        }
    }
}

impl SourceFile {
    /// A source file with the path to show (relative to the site root) and its text.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        let text = text.into();
        let path = path.into();
        let digest = crate::fingerprint::of((&path, &text));
        Self {
            path,
            text: Text::Read(text),
            line_starts: OnceLock::new(),
            digest,
            modified: None,
        }
    }

    /// A file whose text is `range` of `bytes` (kept by a build, under the
    /// digest it had when read: see [`SourceFile::digest`]).
    pub(crate) fn kept(
        path: impl Into<PathBuf>,
        bytes: Arc<Vec<u8>>,
        range: std::ops::Range<usize>,
        digest: u64,
    ) -> Self {
        Self {
            path: path.into(),
            text: Text::Kept {
                bytes,
                range,
                copied: OnceLock::new(),
            },
            line_starts: OnceLock::new(),
            digest,
            modified: None,
        }
    }

    /// No file: the place of an entry's file while it is decoded from what
    /// a build kept, before the file read again is put in it.
    pub(crate) fn none() -> Arc<SourceFile> {
        static NONE: OnceLock<Arc<SourceFile>> = OnceLock::new();
        Arc::clone(NONE.get_or_init(|| Arc::new(SourceFile::new("", ""))))
    }

    /// The same file, last modified at `modified` (as read with its text,
    /// which spares asking the system again).
    pub fn modified_at(mut self, modified: Option<jiff::Timestamp>) -> Self {
        self.modified = modified;
        self
    }

    /// When the file was last modified, if known.
    pub fn modified(&self) -> Option<jiff::Timestamp> {
        self.modified
    }

    /// A hash of the path and text: equal digests, same file. Rebuilds use it
    /// to tell which pages were made from a file that has changed.
    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// The path as shown to people: relative to the site root.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole text of the file.
    pub fn text(&self) -> &str {
        self.read_text()
    }

    /// The text, shareable without copying.
    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(self.read_text())
    }

    /// The text's bytes, as read or kept, without copying them out.
    pub(crate) fn bytes(&self) -> &[u8] {
        match &self.text {
            Text::Read(text) => text.as_bytes(),
            Text::Kept { bytes, range, .. } => bytes.get(range.clone()).unwrap_or_default(),
        }
    }

    fn read_text(&self) -> &Arc<str> {
        match &self.text {
            Text::Read(text) => text,
            // A kept file's body is checksummed, and held only text that was
            // read as UTF-8: nothing is lost to the replacement character.
            Text::Kept { copied, .. } => {
                copied.get_or_init(|| Arc::from(String::from_utf8_lossy(self.bytes())))
            }
        }
    }

    /// Where each line starts, in 32 bits (an offset past 4 GB, in no file
    /// anyone edits, is kept as 4 GB).
    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text().match_indices('\n').map(|(i, _)| i + 1))
                .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
                .collect()
        })
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text().len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = starts[line] as usize;
        let column = self
            .text()
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// The byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        // The first line is asked for every entry read, as the place of
        // problems with the file as a whole.
        if line <= 1 {
            return 0;
        }
        self.line_starts()
            .get(line.saturating_sub(1))
            .map_or(self.text().len(), |&s| s as usize)
    }

    /// The span of a 1-based line's text, without its line break.
    pub fn line_span(&self, line: usize) -> Span {
        let start = self.line_start(line);
        let end = self.text()[start..]
            .find(['\n', '\r'])
            .map_or(self.text().len(), |i| start + i);
        Span::new(start, end - start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let file = SourceFile::new("a.md", "---\nname: Zoë\nrole: x\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(4), (2, 1));
        assert_eq!(file.line_col(10), (2, 7));
        // After the multi-byte ë, columns count characters.
        assert_eq!(file.line_col(14), (2, 10));
        assert_eq!(file.line_col(16), (3, 2));
        assert_eq!(file.line_span(2), Span::new(4, 10));
    }
}
