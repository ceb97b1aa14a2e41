//! The content of an Interchange site: its model, loading and checking.
//!
//! A site is a folder holding `interchange.toml`, `content/` and `mirror/`.
//! [`load`] reads all of it into one [`Directory`] and reports every problem at
//! once as [`Diagnostic`]s; everything else the program makes (pages, feeds,
//! matching rounds, ActivityPub objects) is a function of that `Directory`.

pub mod diagnostic;
pub mod escape;
pub mod files;
pub mod fingerprint;
pub mod node;
pub mod render;
pub mod scaffold;
pub mod source;

pub use diagnostic::{Code, Diagnostic, Diagnostics, Severity};
pub use source::{SourceFile, Span};
pub mod content;
pub mod fields;
pub mod history;
pub mod live;
pub mod load;
pub mod markdown;
pub mod matching;
mod suggest;

pub use content::{Directory, Entry, Kind, Origin};

/// A lock's guard, even after a panic while it was held: what the crate's
/// locks guard (caches checked against their keys, lists of files written)
/// is never left half-changed in a way that matters.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
pub use load::{AsOf, LoadError, LoadOptions, Loaded, load};
pub use render::{BuildError, BuildOptions, Built, Memory, build, build_with};
