//! Interchange's ActivityPub server: sharing a directory with other
//! organisations' directories.
//!
//! Each site is an `Organization` actor and each public profile a `Person`
//! actor at its page's URL; other directories follow the site, mirror its
//! entries, and receive `Create`, `Update` and `Delete` as its content changes.
//! The design is in the project's federation notes; this crate is built on
//! the content model of the `generator` crate, which knows nothing of it.

pub mod activities;
pub mod delivery;
pub mod discovery;
pub mod error;
pub mod inbox;
pub mod instance;
pub mod mirror;
pub mod objects;
pub mod outgoing;
pub mod publish;
pub mod server;
pub mod store;

pub use error::FederationError;
pub use server::{Options, serve};
