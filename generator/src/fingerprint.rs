//! Fingerprints: what something is made from, as one number, the same from
//! one run to the next. Pages, site-wide files, suggestions and matching
//! use them to tell what changed since the last build, and source files
//! carry one as their digest.

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use crate::content::{Directory, Entry};

/// The hasher fingerprints are made with: fast, and with fixed keys, so that
/// a page's fingerprint is the same from one build to the next.
pub type Fingerprinter = ahash::AHasher;

/// A new hasher for a fingerprint.
pub fn hasher() -> Fingerprinter {
    ahash::RandomState::with_seeds(0x1e, 0x7e, 0x2c, 0x4a).build_hasher()
}

/// The fingerprint of anything hashable.
pub fn of(value: impl Hash) -> u64 {
    let mut hasher = hasher();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The digests of a list of entries, as one number.
pub fn digests<T>(entries: &[Arc<Entry<T>>]) -> u64 {
    let mut hasher = hasher();
    for entry in entries {
        entry.file.digest().hash(&mut hasher);
    }
    hasher.finish()
}

/// Every entry of the directory, as one number.
pub fn directory(dir: &Directory) -> u64 {
    of([
        digests(&dir.organisations),
        digests(&dir.profiles),
        digests(&dir.events),
        digests(&dir.consultations),
        digests(&dir.asks),
        digests(&dir.pages),
    ])
}
