//! Keeping a live site in step with its folder: watching the files it is
//! made of for saves, and building again on each batch of them or when the
//! clock alone changes the site (an event starting, a consultation closing).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};

use super::LiveSite;

/// How long saves are gathered into one batch: an editor writing a file in
/// several steps, or a `git pull` touching many, is then one build.
const DEBOUNCE: Duration = Duration::from_millis(20);

/// How long to wait when nothing is due: the site does not change by itself.
const NOTHING_DUE: Duration = Duration::from_secs(24 * 60 * 60);

/// Why a folder cannot be watched.
#[derive(Debug, thiserror::Error)]
#[error("cannot watch {}: {source}", root.display())]
pub struct WatchError {
    /// The folder.
    pub root: PathBuf,
    /// What the system said.
    pub source: notify::Error,
}

/// A watch on a site folder, started by [`Watch::start`]; it ends when
/// dropped.
pub struct Watch {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

impl Watch {
    /// Watches the site at `root`: sends to `changes` the paths the site is
    /// made of as they are saved, in debounced batches; those under
    /// `mirror/` only if `mirror` (a server that writes them itself says
    /// when it has).
    pub fn start(
        root: &Path,
        changes: mpsc::Sender<Vec<PathBuf>>,
        mirror: bool,
    ) -> Result<Self, WatchError> {
        let failed = |source| WatchError {
            root: root.to_path_buf(),
            source,
        };
        let watched = root.to_path_buf();
        let mut debouncer = notify_debouncer_full::new_debouncer(DEBOUNCE, None, move |result| {
            let paths = saved(&watched, result, mirror);
            if !paths.is_empty() {
                // The receiver is gone only when the site is no longer kept.
                let _ = changes.send(paths);
            }
        })
        .map_err(failed)?;
        debouncer
            .watch(root, RecursiveMode::Recursive)
            .map_err(failed)?;
        Ok(Self {
            _debouncer: debouncer,
        })
    }
}

/// The paths in a batch of events that call for a build.
fn saved(root: &Path, result: DebounceEventResult, mirror: bool) -> Vec<PathBuf> {
    let Ok(events) = result else {
        return Vec::new();
    };
    // Reading files is an event too; only writes, creations and removals
    // call for a build (else every build would start another).
    events
        .iter()
        .filter(|e| !e.kind.is_access() && !e.kind.is_other())
        .flat_map(|e| e.paths.iter())
        .filter(|p| matters(root, p, mirror))
        .cloned()
        .collect()
}

/// Whether a changed path is one the site at `root` is made of (not its
/// output, not git's; its rounds show on members' pages); under `mirror/`
/// only if `mirror`.
fn matters(root: &Path, path: &Path, mirror: bool) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let Some(first) = relative.components().next() else {
        return false;
    };
    match first.as_os_str().to_str() {
        Some("content" | "themes" | "static" | "rounds" | "interchange.toml") => true,
        Some("mirror") => mirror,
        _ => false,
    }
}

/// How long until `next` (a day if nothing is due; nothing if it is past).
fn until(next: Option<jiff::Timestamp>) -> Duration {
    next.map_or(NOTHING_DUE, |t| {
        let left = t.duration_since(jiff::Timestamp::now());
        Duration::try_from(left).unwrap_or_default()
    })
}

/// Keeps `site` built until every sender of `changes` is gone: waits for a
/// batch of changed paths, or for the next moment the site changes by
/// itself, takes every batch queued meanwhile, and hands them to `build`
/// in one call (none: only the clock moved). One thread builds, so builds
/// never overlap.
pub fn rebuild_on_change(
    site: &mut LiveSite,
    changes: &mpsc::Receiver<Vec<PathBuf>>,
    mut build: impl FnMut(&mut LiveSite, &[PathBuf]),
) {
    loop {
        let mut changed = match changes.recv_timeout(until(site.next_change())) {
            Ok(paths) => paths,
            Err(mpsc::RecvTimeoutError::Timeout) => Vec::new(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        // One build covers every save queued while the last one ran.
        while let Ok(more) = changes.try_recv() {
            changed.extend(more);
        }
        build(site, &changed);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    use super::*;
    use crate::live::Outcome;
    use crate::render::{BuildOptions, Quiet};
    use crate::{AsOf, LoadOptions};

    /// The longest a test waits for something that should happen at once.
    const PATIENCE: Duration = Duration::from_secs(5);

    fn write(root: &Path, relative: &str, text: &str) -> PathBuf {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder made");
        std::fs::write(&path, text).expect("written");
        path
    }

    /// A small site in `dir/site`, with a consultation open through 2021,
    /// opened as of `as_of`; built into `dir/public`.
    fn site(dir: &Path, as_of: AsOf) -> LiveSite {
        let root = dir.join("site");
        write(
            &root,
            "interchange.toml",
            "title = \"Small\"\nbase_url = \"https://small.example.gov.uk\"\norganisations = [\"acme\"]\n",
        );
        write(
            &root,
            "content/organisations/acme.md",
            "---\nname: Acme Council\nsector: local-government\n---\nA council.\n",
        );
        write(
            &root,
            "content/consultations/allocations.md",
            "---\ntitle: Housing allocations review\nopens: 2021-01-10T09:00\ncloses: 2021-12-31T23:59\nrespond:\n  url: https://consult.example.gov.uk/allocations\n---\nHow homes are allocated.\n",
        );
        let build = BuildOptions {
            output: dir.join("public"),
            base_url: None,
            internal: false,
        };
        let load = LoadOptions { root, as_of };
        LiveSite::open(&load, build).expect("the site opens")
    }

    #[test]
    fn matters_keeps_what_a_site_is_made_of_and_mirror_only_when_asked() {
        let root = Path::new("/sites/small");
        for made_of in [
            "content/profiles/priya-shah.md",
            "themes/default/page.html",
            "static/logo.svg",
            "interchange.toml",
        ] {
            assert!(matters(root, &root.join(made_of), false), "{made_of}");
            assert!(matters(root, &root.join(made_of), true), "{made_of}");
        }
        let mirrored = root.join("mirror/fire.example.gov.uk/profiles/nadia.md");
        assert!(matters(root, &mirrored, true));
        assert!(!matters(root, &mirrored, false));
        for other in [
            "public/index.html",
            ".git/index",
            "interchange.db",
            "contents/x.md",
            "",
        ] {
            assert!(!matters(root, &root.join(other), true), "{other:?}");
        }
        assert!(!matters(root, Path::new("/elsewhere/content/x.md"), true));
    }

    #[test]
    fn changes_queued_together_are_built_in_one_call() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut site = site(dir.path(), AsOf::Now);
        let (changes, saved) = mpsc::channel();
        let first = vec![dir.path().join("site/content/a.md")];
        let second = vec![
            dir.path().join("site/content/b.md"),
            dir.path().join("site/static/c.css"),
        ];
        changes.send(first.clone()).expect("sent");
        changes.send(second.clone()).expect("sent");
        drop(changes);
        let mut calls = Vec::new();
        rebuild_on_change(&mut site, &saved, |_, changed| calls.push(changed.to_vec()));
        assert_eq!(calls, vec![[first, second].concat()]);
    }

    #[test]
    fn the_loop_ends_when_every_sender_is_gone() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut site = site(dir.path(), AsOf::Now);
        let (changes, saved) = mpsc::channel::<Vec<PathBuf>>();
        let other = changes.clone();
        let (ended, has_ended) = mpsc::channel();
        let builder = std::thread::spawn(move || {
            rebuild_on_change(&mut site, &saved, |_, _| {});
            let _ = ended.send(());
        });
        drop(changes);
        assert_eq!(
            has_ended.recv_timeout(Duration::from_millis(200)),
            Err(mpsc::RecvTimeoutError::Timeout),
            "one sender is left: the loop still waits"
        );
        drop(other);
        has_ended
            .recv_timeout(PATIENCE)
            .expect("the loop ends once no sender is left");
        builder.join().expect("the loop did not panic");
    }

    #[test]
    fn a_site_whose_next_change_is_past_is_rebuilt_with_no_changed_paths() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut site = site(dir.path(), AsOf::Date(jiff::civil::date(2020, 6, 1)));
        let first = site.update(&[], &Quiet);
        assert!(
            matches!(first.outcome, Outcome::Built(_)),
            "{:?}",
            first.outcome
        );
        let next = site.next_change().expect("the consultation opens later");
        assert!(next < jiff::Timestamp::now(), "the change is past: {next}");
        let (changes, saved) = mpsc::channel::<Vec<PathBuf>>();
        // The build drops the only sender, so the loop ends after it.
        let mut sender = Some(changes);
        let mut calls = Vec::new();
        let started = Instant::now();
        rebuild_on_change(&mut site, &saved, |site, changed| {
            let update = site.update(changed, &Quiet);
            calls.push((
                changed.to_vec(),
                matches!(update.outcome, Outcome::Built(_)),
            ));
            sender.take();
        });
        assert_eq!(calls, vec![(Vec::new(), true)]);
        assert!(
            started.elapsed() < PATIENCE,
            "built at once, without waiting"
        );
    }

    #[test]
    fn a_saved_file_is_sent_and_the_output_is_not() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path().canonicalize().expect("a real folder");
        std::fs::create_dir_all(root.join("content/profiles")).expect("folder made");
        std::fs::create_dir_all(root.join("public")).expect("folder made");
        std::fs::create_dir_all(root.join("mirror/fire.example.gov.uk")).expect("folder made");
        let (changes, saved) = mpsc::channel();
        let _watch = Watch::start(&root, changes, false).expect("the folder is watched");
        write(&root, "public/index.html", "<p>Built</p>");
        write(&root, "mirror/fire.example.gov.uk/x.md", "mirrored");
        let profile = write(&root, "content/profiles/priya-shah.md", "---\n---\n");
        let deadline = Instant::now() + PATIENCE;
        let mut sent = Vec::new();
        while !sent.contains(&profile) {
            let left = deadline.saturating_duration_since(Instant::now());
            match saved.recv_timeout(left) {
                Ok(paths) => sent.extend(paths),
                Err(error) => panic!("no batch with the profile: {error}; sent {sent:?}"),
            }
        }
        assert!(
            sent.iter().all(|p| p.starts_with(root.join("content"))),
            "only the site's files: {sent:?}"
        );
    }
}
