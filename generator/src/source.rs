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

/// A file's text: as read, or, for a file a build found unchanged since the
/// last (see `load::last_read`), left on disk until first asked for: a
/// build after one edit asks for the text of few of a national directory's
/// files.
enum Text {
    Read(Arc<str>),
    Unread {
        /// The site's root, which the file's path is relative to.
        root: Arc<Path>,
        read: OnceLock<Arc<str>>,
    },
}

// Shown with its text, however it is held, so that a directory read from
// what a build kept shows as the same directory read afresh.
impl std::fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceFile")
            .field("path", &self.path)
            .field("text", self.read_text())
            .field("line_starts", &self.line_starts)
            .field("digest", &self.digest)
            .field("modified", &self.modified)
            .finish()
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

    /// The file at `path` (relative to `root`), not read yet: found as it
    /// was when a build read it with the digest `digest` (see
    /// [`SourceFile::digest`]), and read only if its text is asked for.
    pub(crate) fn unread(path: impl Into<PathBuf>, root: Arc<Path>, digest: u64) -> Self {
        Self {
            path: path.into(),
            text: Text::Unread {
                root,
                read: OnceLock::new(),
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

    fn read_text(&self) -> &Arc<str> {
        match &self.text {
            Text::Read(text) => text,
            // Its stamp was checked when the build began: this is the text
            // read then, unless it was written since. Then the next build
            // finds its stamp moved and reads it afresh, as it does any file
            // written while a build ran. Gone or unreadable, it reads as
            // empty rather than stopping the build: the next reports it.
            Text::Unread { root, read } => read.get_or_init(|| {
                let bytes = std::fs::read(root.join(&self.path)).unwrap_or_default();
                let text = String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                Arc::from(cleaned(&self.path, text))
            }),
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

/// The text of the file at `relative`, as a build reads it: another
/// directory's files are cleaned, not refused, as this site's editors
/// could not fix them.
pub(crate) fn cleaned(relative: &Path, text: String) -> String {
    if relative.starts_with("mirror") {
        match crate::escape::publishable(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(cleaned) => cleaned,
        }
    } else {
        text
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

    #[test]
    fn a_file_left_unread_reads_as_a_build_reads_it() {
        let dir = tempfile::tempdir().expect("a folder");
        let root: Arc<Path> = Arc::from(dir.path());
        let text = "---\nname: A\u{7}da\n---\nBio.\n";
        for relative in [
            "content/profiles/ada.md",
            "mirror/example.org/profiles/ada.md",
        ] {
            let path = dir.path().join(relative);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("made");
            std::fs::write(&path, text).expect("written");
            let read = SourceFile::new(relative, cleaned(Path::new(relative), text.into()));
            let unread = SourceFile::unread(relative, Arc::clone(&root), read.digest());
            assert_eq!(unread.text(), read.text(), "{relative}");
            assert_eq!(format!("{unread:?}"), format!("{read:?}"));
        }
        let mirrored = SourceFile::unread("mirror/example.org/profiles/ada.md", root.clone(), 0);
        assert!(mirrored.text().contains("name: Ada"), "cleaned");
        let gone = SourceFile::unread("content/profiles/gone.md", root, 0);
        assert_eq!(gone.text(), "", "a file gone reads as empty");
        assert_eq!(gone.line_col(40), (1, 1));
    }
}
