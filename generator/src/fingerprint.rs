//! Fingerprints: what something is made from, as one number, the same from
//! one run to the next. Pages, site-wide files, suggestions and matching
//! use them to tell what changed since the last build, and source files
//! carry one as their digest.

use std::hash::{BuildHasher, Hash, Hasher};

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
