//! Why the federation server could not start or answer, and why what
//! another server sent was refused.

/// A failure of the federation server.
#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    /// The database could not be opened, read or written.
    #[error("{what}: {source}")]
    Database {
        /// What was being done.
        what: String,
        /// What the driver said.
        source: sqlx::Error,
    },
    /// The database schema could not be brought up to date.
    #[error("cannot bring the database up to date: {source}")]
    Migration {
        /// What the migrator said.
        source: sqlx::migrate::MigrateError,
    },
    /// An actor's keys could not be made.
    #[error("cannot make an actor's keys: {0}")]
    Keys(String),
    /// The site cannot be federated as configured.
    #[error("{0}")]
    Config(String),
    /// A document of another server could not be fetched.
    #[error("cannot fetch {url}: {reason}")]
    Fetch {
        /// Its address.
        url: String,
        /// Why.
        reason: String,
    },
    /// An address is never requested: not https (outside local mode), or
    /// internal (written out, or as its name resolves).
    #[error("{url} is refused: {reason}")]
    AddressRefused {
        /// The address.
        url: String,
        /// Why.
        reason: String,
    },
    /// Another server could not be reached (no connection, a timeout).
    #[error("cannot reach {url}: {reason}")]
    Unreachable {
        /// The address.
        url: String,
        /// Why.
        reason: String,
    },
    /// Another server refused a fetch, with `status`.
    #[error("cannot fetch {url}: it answered {status}")]
    FetchRefused {
        /// Its address.
        url: String,
        /// The HTTP status it answered with.
        status: u16,
    },
    /// A mirrored entry could not be written or removed.
    #[error("cannot write {path}: {source}")]
    Mirror {
        /// The file.
        path: std::path::PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A task acting on what arrived stopped short (it panicked).
    #[error("a task stopped short: {0}")]
    Task(String),
    /// The address could not be listened on, or the server failed.
    #[error("cannot serve on {address}: {source}")]
    Listen {
        /// The address.
        address: String,
        /// What the system said.
        source: std::io::Error,
    },
}

/// Why an activity sent to an inbox was not taken in.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    /// The federation crate refused it or could not fetch what it names.
    #[error(transparent)]
    Protocol(#[from] activitypub_federation::error::Error),
    /// The server failed.
    #[error(transparent)]
    Server(#[from] FederationError),
    /// The actor that sent it is gone from its server (404 or 410).
    #[error("the actor {0} is gone from its server")]
    ActorGone(String),
    /// It breaks a rule: answered with `status` and the reason.
    #[error("{reason}")]
    Refused {
        /// The HTTP status to answer with.
        status: u16,
        /// Why, for the sender's logs.
        reason: String,
    },
}

impl InboxError {
    /// A refusal with `status` and `reason`.
    pub fn refused(status: u16, reason: impl Into<String>) -> Self {
        Self::Refused {
            status,
            reason: reason.into(),
        }
    }
}

/// Why a received document is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refused {
    /// The JSON is not of the expected shape.
    #[error("not an ActivityStreams {expected}: {reason}")]
    Shape {
        /// What was expected.
        expected: &'static str,
        /// What serde said.
        reason: String,
    },
    /// A place with no name cannot be shown.
    #[error("a place needs a name to be shown")]
    UnnamedPlace,
    /// The start is not a moment.
    #[error("`startTime` {0} is not a date and time with an offset")]
    BadStart(String),
    /// It breaks a rule the message states.
    #[error("{0}")]
    Rule(String),
}

/// An error and its causes, as one line.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    std::iter::successors(Some(error), |e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}
