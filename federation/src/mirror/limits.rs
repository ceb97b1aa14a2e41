//! How much of each followed directory is kept: at most
//! `[federation] mirror_max_entries` files and `mirror_max_megabytes` of
//! them from one host, so that a directory sending without end (by fault
//! or on purpose) fills neither the disk nor the memory of the site built
//! from them. What would go beyond is refused, with a line in the log.

use std::collections::HashMap;
use std::path::Path;

use generator::content::site::Federation;
use walkdir::WalkDir;

/// What is kept from each followed directory, counted as files are written
/// and removed. A host is counted from its folder when first written to,
/// and again after each whole backfill, so that a count can drift only
/// until then (and only upwards: a file set aside still counts).
#[derive(Debug, Default)]
pub struct Limits {
    usage: std::sync::Mutex<HashMap<String, Usage>>,
}

/// What one host's folder holds.
#[derive(Debug, Default, Clone, Copy)]
struct Usage {
    files: u64,
    bytes: u64,
    /// How many writes were refused since it was last counted.
    refused: u64,
}

/// The caps for one host, from the site's settings.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    /// The most files.
    pub files: u64,
    /// The most bytes.
    pub bytes: u64,
}

impl Caps {
    /// The caps `[federation]` sets (the defaults when there is none).
    pub fn of(federation: Option<&Federation>) -> Caps {
        let (files, megabytes) = federation.map_or(
            (
                Federation::MIRROR_MAX_ENTRIES,
                Federation::MIRROR_MAX_MEGABYTES,
            ),
            |f| (f.mirror_max_entries, f.mirror_max_megabytes),
        );
        Caps {
            files: u64::from(files),
            bytes: u64::from(megabytes) * 1024 * 1024,
        }
    }
}

impl Limits {
    /// Whether `host` may have a file of `len` bytes written, replacing one
    /// of `old` bytes if there is one; counted if so. A refusal is logged:
    /// the first, then every thousandth, so a flood is a few lines.
    pub fn admit(&self, root: &Path, host: &str, caps: Caps, old: Option<u64>, len: u64) -> bool {
        let mut usage = lock(&self.usage);
        let counted = usage
            .entry(host.to_string())
            .or_insert_with(|| count(root, host));
        let files = counted.files + u64::from(old.is_none());
        let bytes = (counted.bytes + len).saturating_sub(old.unwrap_or(0));
        if files <= caps.files && bytes <= caps.bytes {
            counted.files = files;
            counted.bytes = bytes;
            return true;
        }
        counted.refused += 1;
        if counted.refused == 1 || counted.refused.is_multiple_of(1000) {
            let over = if files > caps.files {
                format!(
                    "{} entries, the most `mirror_max_entries` allows",
                    caps.files
                )
            } else {
                format!(
                    "{} MiB, the most `mirror_max_megabytes` allows",
                    caps.bytes / (1024 * 1024)
                )
            };
            tracing::warn!(
                host,
                refused = counted.refused,
                "a followed directory sent more than this site keeps: its mirror holds {over} \
                 ([federation] in interchange.toml); what it sends beyond is refused"
            );
        }
        false
    }

    /// Counts out a file of `len` bytes removed from `host`'s folder.
    pub fn removed(&self, host: &str, len: u64) {
        let mut usage = lock(&self.usage);
        if let Some(counted) = usage.get_mut(host) {
            counted.files = counted.files.saturating_sub(1);
            counted.bytes = counted.bytes.saturating_sub(len);
        }
    }

    /// Counts `host`'s folder again (after a whole backfill). The refusals
    /// go on being counted, so that a directory refused at every pass is
    /// not logged at every pass.
    pub fn recount(&self, root: &Path, host: &str) {
        let mut counted = count(root, host);
        let mut usage = lock(&self.usage);
        counted.refused = usage.get(host).map_or(0, |u| u.refused);
        usage.insert(host.to_string(), counted);
    }
}

/// The lock's guard, even after a panic while it was held: a count is
/// corrected at the next whole backfill.
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What `host`'s folder under `root/mirror/` holds now.
fn count(root: &Path, host: &str) -> Usage {
    let mut usage = Usage::default();
    for entry in WalkDir::new(root.join("mirror").join(host))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        usage.files += 1;
        usage.bytes += entry.metadata().map_or(0, |m| m.len());
    }
    usage
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_is_kept_to_its_caps_and_others_are_not_held_back() {
        let root = tempfile::tempdir().expect("a folder");
        let limits = Limits::default();
        let caps = Caps {
            files: 2,
            bytes: 100,
        };
        let admit = |host, old, len| limits.admit(root.path(), host, caps, old, len);
        assert!(admit("a.example", None, 40));
        assert!(admit("a.example", None, 40));
        assert!(!admit("a.example", None, 1), "a third file");
        assert!(admit("a.example", Some(40), 60), "a file replaced");
        assert!(!admit("a.example", Some(40), 61), "over the bytes");
        assert!(admit("b.example", None, 100), "another host counts apart");
        limits.removed("a.example", 60);
        assert!(admit("a.example", None, 50));
    }

    #[test]
    fn a_host_is_counted_from_its_folder() {
        let root = tempfile::tempdir().expect("a folder");
        let folder = root.path().join("mirror/a.example/profiles");
        std::fs::create_dir_all(&folder).expect("made");
        std::fs::write(folder.join("x.md"), [b'x'; 30]).expect("written");
        std::fs::write(folder.join(".y.md.waiting"), [b'y'; 30]).expect("written");
        let limits = Limits::default();
        let caps = Caps {
            files: 3,
            bytes: 100,
        };
        assert!(limits.admit(root.path(), "a.example", caps, None, 40));
        assert!(!limits.admit(root.path(), "a.example", caps, None, 1));
    }
}
