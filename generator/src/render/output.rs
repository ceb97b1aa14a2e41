//! Writing a site so that readers only ever see a whole one.
//!
//! The output path is a symbolic link to one of two folders beside it
//! (`public` → `.public.1`). A build writes into the other folder, then
//! repoints the link in one atomic rename: a build that fails leaves the link,
//! and so the last good site, untouched.
//!
//! Two folders used in turn, rather than a fresh folder each time, because
//! the previous-but-one site is nearly the same: files are overwritten in
//! place (unchanged ones are not touched at all, which keeps their times for
//! `rsync` and caches), and only pages that no longer exist are deleted.
//! Creating and deleting every file of a big site on each build was most of
//! the build time here (ext4 slows down allocating inodes next to ones just
//! freed).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use walkdir::WalkDir;

use super::BuildError;
use crate::files::write_atomically;

/// A site being written.
pub struct Staging {
    /// The path readers use: a link to the live folder.
    output: PathBuf,
    /// The folder being written.
    folder: PathBuf,
    /// Every file written, relative to `folder`.
    written: Mutex<HashSet<PathBuf>>,
    /// Whether `folder` was empty when the build began: then there is no
    /// old file to compare with or to remove.
    fresh: bool,
}

/// Whether the file at `path` holds exactly `bytes`. Its size is asked
/// first: a file that grew or shrank (`directory.json`, many megabytes, on
/// most saves) is not read to find out.
fn same_file(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    if !file.metadata().is_ok_and(|m| m.len() == bytes.len() as u64) {
        return false;
    }
    let mut old = vec![0; bytes.len()];
    file.read_exact(&mut old).is_ok() && old == bytes
}

/// Makes `folder` and any missing parents. Most pages have a folder of
/// their own, so making it is tried first: `create_dir_all` would first ask
/// whether it exists, one more system call per page.
fn make_folder(folder: &Path) -> std::io::Result<()> {
    match std::fs::create_dir(folder) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && folder.is_dir() => Ok(()),
        Err(_) => std::fs::create_dir_all(folder),
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BuildError + '_ {
    move |source| BuildError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One of the files in the plain folder `folder`, if it holds any and is
/// not a site this program built (which always has its `directory.json` and
/// `sitemap.xml`).
fn not_ours(folder: &Path) -> Option<String> {
    let built = ["directory.json", "sitemap.xml"]
        .iter()
        .all(|name| folder.join(name).is_file());
    if built {
        return None;
    }
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.into_iter().next()
}

/// Moves the folder at `output` aside, to a name beside it no file has
/// (`public.before-interchange`, then `…-2` and on): the files are kept,
/// and a build may then take the output's place. The new place.
pub fn move_aside(output: &Path) -> std::io::Result<PathBuf> {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let mut aside = output.with_file_name(format!("{name}.before-interchange"));
    let mut n = 1;
    while std::fs::symlink_metadata(&aside).is_ok() {
        n += 1;
        aside = output.with_file_name(format!("{name}.before-interchange-{n}"));
    }
    std::fs::rename(output, &aside)?;
    Ok(aside)
}

/// Whether a build would refuse the folder at `output` as someone's files.
pub fn refuses(output: &Path) -> bool {
    std::fs::symlink_metadata(output).is_ok_and(|m| m.is_dir()) && not_ours(output).is_some()
}

/// The folder beside `output` where builds keep what they made for the
/// next (`.public.cache`): never served, and safe to delete.
pub(super) fn cache(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.cache"))
}

/// The two folders beside `output`: `.public.1` and `.public.2`.
fn buffers(output: &Path) -> [PathBuf; 2] {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    [1, 2].map(|n| output.with_file_name(format!(".{name}.{n}")))
}

impl Staging {
    /// Chooses the folder to write: the one the output does not point to.
    /// An output that is still a plain folder (from an older build) becomes
    /// the first of the two.
    pub fn begin(output: &Path) -> Result<Self, BuildError> {
        let [first, second] = buffers(output);
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let live = match std::fs::symlink_metadata(output) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(output).map_err(io(output))?;
                Some(output.with_file_name(target))
            }
            Ok(_) => {
                // A plain folder: one an earlier version built (or an empty
                // one) becomes the first buffer, and the output a link to
                // it. Any other is someone's files, never written over.
                if let Some(example) = not_ours(output) {
                    return Err(BuildError::NotOurs {
                        path: output.to_path_buf(),
                        example,
                    });
                }
                remove_dir(&first)?;
                std::fs::rename(output, &first).map_err(io(output))?;
                point(output, &first)?;
                Some(first.clone())
            }
            Err(_) => None,
        };
        let folder = if live.as_deref() == Some(first.as_path()) {
            second
        } else {
            first
        };
        std::fs::create_dir_all(&folder).map_err(io(&folder))?;
        let fresh = std::fs::read_dir(&folder)
            .map_err(io(&folder))?
            .next()
            .is_none();
        Ok(Self {
            output: output.to_path_buf(),
            folder,
            written: Mutex::new(HashSet::new()),
            fresh,
        })
    }

    /// Writes a file at `relative`, unless it already holds exactly `bytes`.
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> Result<(), BuildError> {
        let path = self.folder.join(relative);
        let same = !self.fresh && same_file(&path, bytes);
        if !same {
            if let Some(parent) = path.parent() {
                make_folder(parent).map_err(io(parent))?;
            }
            std::fs::write(&path, bytes).map_err(io(&path))?;
        }
        if !self.fresh {
            crate::lock(&self.written).insert(relative.to_path_buf());
        }
        Ok(())
    }

    /// Writes a file at `relative` as `fill` makes it, a part at a time,
    /// for a file too large to hold whole (`directory.json` of a national
    /// directory). Into a site being rebuilt, it is then compared, a part
    /// at a time, with the one there.
    /// Gives the file's stamp as written (see [`Sink`]).
    pub fn stream(&self, relative: &Path, fill: &mut Fill<'_>) -> Result<Option<u64>, BuildError> {
        let path = self.folder.join(relative);
        if !self.fresh {
            crate::lock(&self.written).insert(relative.to_path_buf());
            return stream_unless_same(&path, fill);
        }
        if let Some(parent) = path.parent() {
            make_folder(parent).map_err(io(parent))?;
        }
        let mut file = std::fs::File::create(&path).map_err(io(&path))?;
        let mut out = Sink::new(&mut file);
        fill(&mut out).map_err(io(&path))?;
        out.finish().map_err(io(&path))?;
        Ok(crate::files::stamp(&path))
    }

    /// Writes a page at its address: `/profiles/` → `profiles/index.html`.
    pub fn write_page(&self, url: &str, html: &[u8]) -> Result<(), BuildError> {
        self.write(&page_path(url), html)
    }

    /// Removes what this build did not write, then points the output at the
    /// new site in one rename.
    pub fn publish(self) -> Result<(), BuildError> {
        if self.fresh {
            return point(&self.output, &self.folder);
        }
        let written = self
            .written
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut folders = Vec::new();
        for entry in WalkDir::new(&self.folder).min_depth(1).contents_first(true) {
            let entry = entry.map_err(|e| BuildError::Io {
                path: self.folder.clone(),
                source: e.into(),
            })?;
            let relative = entry
                .path()
                .strip_prefix(&self.folder)
                .unwrap_or(entry.path());
            if entry.file_type().is_dir() {
                folders.push(entry.path().to_path_buf());
            } else if !written.contains(relative) {
                std::fs::remove_file(entry.path()).map_err(io(entry.path()))?;
            }
        }
        // Folders left empty by removed pages go too; `contents_first` lists
        // children before parents, and a folder with files is kept.
        for folder in folders {
            let _ = std::fs::remove_dir(&folder);
        }
        point(&self.output, &self.folder)
    }
}

/// The file a page's address is served from: `/profiles/` →
/// `profiles/index.html`.
pub fn page_path(url: &str) -> PathBuf {
    let relative = url.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        Path::new(relative).join("index.html")
    } else {
        PathBuf::from(relative)
    }
}

/// The live site changed in place, file by file: for the few files a save
/// changes while the site is served. Each file is written beside its place
/// and renamed over it, so a reader gets the old file or the new, never half.
pub struct InPlace {
    folder: PathBuf,
}

impl InPlace {
    /// The folder the output points to, if a site was built there.
    pub fn open(output: &Path) -> Option<Self> {
        let target = std::fs::read_link(output).ok()?;
        let folder = output.with_file_name(target);
        folder.is_dir().then_some(Self { folder })
    }

    /// Writes a file at `relative` as `fill` makes it, a part at a time,
    /// unless the one there holds the same bytes (see [`Staging::stream`]);
    /// gives its stamp as left.
    pub fn stream(&self, relative: &Path, fill: &mut Fill<'_>) -> Result<Option<u64>, BuildError> {
        stream_unless_same(&self.folder.join(relative), fill)
    }

    /// Writes a file at `relative`, unless it already holds exactly `bytes`.
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> Result<(), BuildError> {
        let path = self.folder.join(relative);
        if same_file(&path, bytes) {
            return Ok(());
        }
        write_atomically(&path, bytes).map_err(io(&path))
    }

    /// Removes the page at `url` and everything under its folder (an
    /// entry's page, its calendar file, its numbered pages).
    pub fn remove_page(&self, url: &str) -> Result<(), BuildError> {
        let relative = url.trim_matches('/');
        if relative.is_empty() {
            return Ok(());
        }
        let folder = self.folder.join(relative);
        match std::fs::remove_dir_all(&folder) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(&folder)(e)),
            _ => Ok(()),
        }
    }

    /// Removes a file, and its folders left empty.
    pub fn remove(&self, relative: &Path) -> Result<(), BuildError> {
        let path = self.folder.join(relative);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&path)(e)),
            _ => {}
        }
        let mut folder = path.parent();
        while let Some(dir) = folder.filter(|d| *d != self.folder) {
            if std::fs::remove_dir(dir).is_err() {
                break;
            }
            folder = dir.parent();
        }
        Ok(())
    }
}

/// Points `link` at `target` (a sibling) atomically: a new link under a
/// temporary name, renamed over the old one.
fn point(link: &Path, target: &Path) -> Result<(), BuildError> {
    let name = target.file_name().unwrap_or_default();
    let temporary = link.with_file_name(format!(
        ".{}.link",
        link.file_name().unwrap_or_default().to_string_lossy()
    ));
    let _ = std::fs::remove_file(&temporary);
    symlink(Path::new(name), &temporary).map_err(io(&temporary))?;
    std::fs::rename(&temporary, link).map_err(io(link))
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_dir(target, link)
}

fn remove_dir(path: &Path) -> Result<(), BuildError> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(path)(e)),
        _ => Ok(()),
    }
}

/// Files as made, each path relative to the site, with its bytes.
pub(super) type Files = Vec<(PathBuf, Vec<u8>)>;

/// What writes a file's bytes a part at a time.
pub type Fill<'a> = dyn FnMut(&mut Sink<'_>) -> std::io::Result<()> + 'a;

/// A file being written a part at a time, through a buffer; a run of
/// another file's bytes is copied into it by the kernel, without passing
/// through the program (unchanged entries of a national directory's
/// `directory.json`: a quarter of a gigabyte).
pub struct Sink<'f> {
    out: std::io::BufWriter<&'f mut std::fs::File>,
    /// How many bytes were written into it.
    written: u64,
}

impl<'f> Sink<'f> {
    fn new(file: &'f mut std::fs::File) -> Self {
        Self {
            out: std::io::BufWriter::with_capacity(1 << 20, file),
            written: 0,
        }
    }

    /// How many bytes were written so far: where the next begins.
    pub fn position(&self) -> u64 {
        self.written
    }

    /// Writes the bytes of `from` in `range`.
    pub fn copy_from(
        &mut self,
        from: &std::fs::File,
        range: std::ops::Range<u64>,
    ) -> std::io::Result<()> {
        use std::io::{Read, Seek};
        let len = range.end.saturating_sub(range.start);
        let mut from = from;
        from.seek(std::io::SeekFrom::Start(range.start))?;
        // `std::io::copy` from a file to a buffered file flushes the
        // buffer and asks the kernel to copy (`copy_file_range`).
        let copied = std::io::copy(&mut from.take(len), &mut self.out)?;
        if copied != len {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.written += len;
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        std::io::Write::flush(&mut self.out)
    }
}

impl std::io::Write for Sink<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(bytes)?;
        self.written += written as u64;
        Ok(written)
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Writes at `path` what `fill` makes, a part at a time, through a file
/// beside it, unless `path` holds the same bytes already: a national
/// directory's `directory.json` is too large to hold whole, let alone twice
/// to compare. Gives the stamp of the file left at `path`.
fn stream_unless_same(path: &Path, fill: &mut Fill<'_>) -> Result<Option<u64>, BuildError> {
    crate::files::write_atomically_unless_same(path, |file| {
        let mut out = Sink::new(file);
        fill(&mut out)?;
        out.finish()
    })
    .map_err(io(path))?;
    Ok(crate::files::stamp(path))
}

/// A group of site-wide files as made: every file of the group, and the
/// bytes of those that may have changed (all of them, unless a cache knew
/// better).
pub(super) struct Made {
    pub(super) paths: Vec<PathBuf>,
    pub(super) bytes: Files,
}

impl Made {
    pub(super) fn whole(bytes: Files) -> Self {
        Self {
            paths: bytes.iter().map(|(path, _)| path.clone()).collect(),
            bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(output: &Path, files: &[(&str, &str)]) {
        let staging = Staging::begin(output).expect("begins");
        for (path, text) in files {
            staging
                .write(Path::new(path), text.as_bytes())
                .expect("writes");
        }
        staging.publish().expect("publishes");
    }

    #[test]
    fn builds_alternate_and_drop_stale_files() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let output = dir.path().join("public");
        build(&output, &[("index.html", "one"), ("old/index.html", "old")]);
        assert_eq!(
            std::fs::read_to_string(output.join("index.html")).expect("read"),
            "one"
        );
        build(&output, &[("index.html", "two")]);
        assert_eq!(
            std::fs::read_to_string(output.join("index.html")).expect("read"),
            "two"
        );
        build(&output, &[("index.html", "three")]);
        assert_eq!(
            std::fs::read_to_string(output.join("index.html")).expect("read"),
            "three"
        );
        // The page dropped two builds ago is gone from both folders.
        assert!(!output.join("old").exists());
        assert!(!dir.path().join(".public.1/old").exists());
        assert!(!dir.path().join(".public.2/old").exists());
    }

    #[test]
    fn a_folder_of_someone_elses_files_is_never_written_into() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let output = dir.path().join("public");
        std::fs::create_dir_all(&output).expect("folder");
        std::fs::write(output.join("notes.txt"), "mine").expect("written");
        assert!(matches!(
            Staging::begin(&output),
            Err(BuildError::NotOurs { example, .. }) if example == "notes.txt"
        ));
        assert_eq!(
            std::fs::read_to_string(output.join("notes.txt")).expect("kept"),
            "mine"
        );
        let aside = move_aside(&output).expect("moved");
        build(&output, &[("index.html", "built")]);
        assert_eq!(
            std::fs::read_to_string(aside.join("notes.txt")).expect("kept"),
            "mine"
        );
    }

    #[test]
    fn a_plain_output_folder_is_taken_over() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let output = dir.path().join("public");
        std::fs::create_dir_all(&output).expect("folder");
        // As an earlier version built it.
        for name in ["directory.json", "sitemap.xml"] {
            std::fs::write(output.join(name), "{}").expect("written");
        }
        std::fs::write(output.join("index.html"), "hand made").expect("written");
        build(&output, &[("index.html", "built")]);
        assert!(
            std::fs::symlink_metadata(&output)
                .expect("exists")
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(output.join("index.html")).expect("read"),
            "built"
        );
    }

    #[test]
    fn an_unfinished_build_changes_nothing_readers_see() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let output = dir.path().join("public");
        build(&output, &[("index.html", "good")]);
        let staging = Staging::begin(&output).expect("begins");
        staging
            .write(Path::new("index.html"), b"half")
            .expect("writes");
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(output.join("index.html")).expect("read"),
            "good"
        );
    }
}
