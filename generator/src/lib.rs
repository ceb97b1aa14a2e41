//! An Interchange site: its content model, loading and checking, the static
//! site made from it, and the matching rounds run on it.
//!
//! Data flows one way. A site is a folder holding `interchange.toml`,
//! `content/` and `mirror/`; [`load`] reads all of it into one
//! [`Directory`], reporting every problem at once as [`Diagnostic`]s.
//! Everything else is a function of that `Directory`: the site
//! ([`render`]), a site kept up to date while served ([`live`]), the
//! matching rounds and profiles' suggestions ([`matching`]), and, in the
//! `federation` crate, the ActivityPub documents. `docs/architecture.md`
//! draws the whole.
//!
//! The modules, each using only those listed before it:
//!
//! - helpers at the bottom: [`escape`] (text made safe for each format),
//!   [`files`] (atomic writes), [`fingerprint`] (what a thing is made from,
//!   as one number), files one run keeps for the next behind a checked
//!   header, [`pictures`] (which pictures a photo may be), and locks that
//!   survive a panic;
//! - a file and its problems: [`SourceFile`], [`Diagnostic`]; the YAML and
//!   TOML tree files are read into, and did-you-mean suggestions;
//! - [`content`]: the model (entries, kinds, addresses, taxonomies, the
//!   site's settings) and reading each field of it;
//! - [`load`]: reading and checking a whole site;
//! - [`markdown`]: entries' bodies as HTML;
//! - [`git_dates`]: when each entry first appeared and last changed;
//! - [`matching`]: buddy rounds, job-swap cycles and suggestions;
//! - [`render`]: the site's pages and site-wide files;
//! - [`live`]: a site rebuilt on every save; [`scaffold`]: new sites and
//!   entries.

#![warn(missing_docs)]

pub mod escape;
pub mod files;
pub mod fingerprint;
mod kept;
pub mod pictures;
mod sync;

mod diagnostic;
mod did_you_mean;
mod node;
mod source;

pub mod content;
mod fields;

pub mod load;

pub mod markdown;

pub mod git_dates;

pub mod matching;

pub mod render;

pub mod cms;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod live;
pub mod scaffold;
pub mod schema;

pub use content::{Directory, Entry, Kind, Origin};
pub use diagnostic::{Code, Diagnostic, Diagnostics, Severity};
pub use load::{AsOf, Keep, LoadError, LoadOptions, Loaded, load, load_keeping};
pub use node::yaml_text;
pub use render::{BuildError, BuildOptions, Built, Memory, build, build_with};
pub use source::{SourceFile, Span};
pub(crate) use sync::lock;
