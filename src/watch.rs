//! Watching a site folder for saves: what `serve` rebuilds on, and what
//! `federate` rebuilds and publishes on.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};

/// A watch on a folder; it ends when dropped.
pub type Watch = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Whether a changed path is one the site is made of (not its output, not
/// git's; `mirror/` only if `mirror`).
fn matters(root: &Path, path: &Path, mirror: bool) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let first = relative
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    match first.as_str() {
        "content" | "themes" | "static" | "interchange.toml" => true,
        "mirror" => mirror,
        _ => false,
    }
}

/// Sends to `changes` the paths the site is made of as they are saved,
/// in debounced batches; those under `mirror/` only if `mirror`.
pub fn watch(
    root: &Path,
    changes: mpsc::Sender<Vec<PathBuf>>,
    mirror: bool,
) -> Result<Watch, String> {
    let watched = root.to_path_buf();
    let mut debouncer = notify_debouncer_full::new_debouncer(
        Duration::from_millis(20),
        None,
        move |result: DebounceEventResult| {
            if let Ok(events) = result {
                // Reading files is an event too; only writes, creations and
                // removals call for a build (else every build would start another).
                let paths: Vec<PathBuf> = events
                    .iter()
                    .filter(|e| !e.kind.is_access() && !e.kind.is_other())
                    .flat_map(|e| e.paths.iter())
                    .filter(|p| matters(&watched, p, mirror))
                    .cloned()
                    .collect();
                if !paths.is_empty() {
                    let _ = changes.send(paths);
                }
            }
        },
    )
    .map_err(|error| format!("cannot watch {}: {error}", root.display()))?;
    debouncer
        .watch(root, RecursiveMode::Recursive)
        .map_err(|error| format!("cannot watch {}: {error}", root.display()))?;
    Ok(debouncer)
}

/// How long until `next` (a day if nothing is due).
pub fn until(next: Option<jiff::Timestamp>) -> Duration {
    next.map(|t| {
        let left = t.duration_since(jiff::Timestamp::now());
        Duration::try_from(left).unwrap_or_default()
    })
    .unwrap_or(Duration::from_secs(24 * 60 * 60))
}
