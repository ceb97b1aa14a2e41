//! Interchange's ActivityPub server: sharing a directory with other
//! organisations' directories.
//!
//! Each site is an `Organization` actor and each public profile a `Person`
//! actor at its page's address; other directories follow the site, mirror
//! its entries, and receive `Create`, `Update` and `Delete` as its content
//! changes. The design is in `docs/architecture.md`; this crate is built on
//! the content model of the `generator` crate, which knows nothing of it.
//!
//! The modules, each using only those listed before it:
//!
//! - `error`: why the server could not start or answer, and why what
//!   another server sent was refused;
//! - `protocol`: the ActivityPub vocabulary, serde types only;
//! - `address`, `signature`: which server an address is on; HTTP
//!   Signatures on what arrives;
//! - `store`: the database (keys, followers, receipts, deliveries, what was
//!   published, the directories followed);
//! - `outgoing`: the guarded HTTP client, and fetching documents;
//! - `instance`: one served directory, as every handler sees it;
//! - `objects`: the documents of the site's entries, and the actors of this
//!   site and of others;
//! - `delivery`: the durable outbox;
//! - `discovery`: WebFinger, NodeInfo, host-meta;
//! - `publish`: what changed, sent to followers;
//! - `introductions`: the introductions of a matching round, by email and
//!   on the fediverse;
//! - `mirror`: following other directories and keeping their entries,
//!   and building the site with them;
//! - `activities`: what each received activity does;
//! - `inbox`: where activities arrive, and the checks they pass;
//! - `routes`: every route of a served site ([`app`]);
//! - `connections`: the accept loop, with its timeouts and cap
//!   ([`serve_limited`]), which `interchange serve` uses too;
//! - `server`: serving on a socket, with what runs beside;
//! - `testing`: the databases tests run on (SQLite, and PostgreSQL when a
//!   server is named).

#![warn(missing_docs)]

mod error;
mod protocol;

mod address;
pub mod signature;
mod store;

mod outgoing;

mod instance;

mod objects;

mod delivery;
mod discovery;
pub mod introductions;
mod publish;

mod mirror;

mod activities;

mod inbox;

#[cfg(test)]
mod fuzz;

mod routes;

mod connections;
mod server;

pub mod testing;

pub use connections::{BodyTimedOut, Limits, serve_limited};
pub use delivery::Backoff;
pub use error::{FederationError, InboxError, Refused};
pub use mirror::build::{BuildStep, SiteBuild, build_site};
pub use protocol::{ActivityKind, EventObject, Place, Received, RemoteActorDocument};
pub use publish::Published;
pub use routes::{AppState, app, no_impossible_paths};
pub use server::{Options, check, open, publish_once, serve, shutdown};
pub use store::{
    Channel, Copied, IntroductionRow, RemoteActorRow, Status, Store, without_password,
};
