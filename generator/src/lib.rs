//! The content of an Interchange site: its model, loading and checking.
//!
//! A site is a folder holding `interchange.toml`, `content/` and `mirror/`.
//! [`load`] reads all of it into one [`Directory`] and reports every problem at
//! once as [`Diagnostic`]s; everything else the program makes (pages, feeds,
//! matching rounds, ActivityPub objects) is a function of that `Directory`.

pub mod diagnostic;
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
pub use load::{AsOf, LoadError, LoadOptions, Loaded, load};
pub use render::{BuildError, BuildOptions, Built, build};
