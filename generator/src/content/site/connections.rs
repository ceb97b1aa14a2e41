//! The connection limits of `[federation]` in `interchange.toml`: how long
//! the server waits for a client, and how many clients it holds at once.

use crate::fields::{Fields, Reader};

/// How long the server waits for each part of a request, and how many
/// connections it holds at once. A client slower than these is
/// disconnected, so that slow or stalled clients cannot hold the server's
/// connections (and its open files) for ever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connections {
    /// Seconds a client has to send a request's headers, from its first
    /// byte (or from connecting, for its first request).
    pub header_timeout_seconds: u32,
    /// Seconds a client has to send a request's whole body, from the end
    /// of its headers.
    pub body_timeout_seconds: u32,
    /// Seconds a connection may sit with nothing moving: kept open between
    /// requests, or with a response the client does not read.
    pub idle_timeout_seconds: u32,
    /// The most connections held at once; none: as many as the open-file
    /// limit leaves room for, up to [`Connections::MAX_CONNECTIONS`].
    pub max_connections: Option<u32>,
}

impl Connections {
    /// The default [`Connections::header_timeout_seconds`]: what Apache
    /// allows at first, below hyper's 30 and nginx's 60 seconds; headers
    /// are a few hundred bytes.
    pub const HEADER_TIMEOUT_SECONDS: u32 = 20;
    /// The default [`Connections::body_timeout_seconds`]: a whole body of
    /// the largest size the inbox takes (1 MiB) at 35 KB/s.
    pub const BODY_TIMEOUT_SECONDS: u32 = 30;
    /// The default [`Connections::idle_timeout_seconds`]: below nginx's
    /// 75 seconds, so that a proxy keeping connections to the server sees
    /// them closed between its requests rather than under one.
    pub const IDLE_TIMEOUT_SECONDS: u32 = 60;
    /// The most connections held at once when `max_connections` is not
    /// set and the open-file limit allows it.
    pub const MAX_CONNECTIONS: u32 = 4096;
    /// The longest timeout that can be set: an hour.
    pub const LONGEST_TIMEOUT_SECONDS: u32 = 3600;
    /// The most connections that can be set.
    pub const MOST_CONNECTIONS: u32 = 1_000_000;
}

impl Default for Connections {
    fn default() -> Self {
        Self {
            header_timeout_seconds: Self::HEADER_TIMEOUT_SECONDS,
            body_timeout_seconds: Self::BODY_TIMEOUT_SECONDS,
            idle_timeout_seconds: Self::IDLE_TIMEOUT_SECONDS,
            max_connections: None,
        }
    }
}

/// Reads the connection limits among the fields of `[federation]`.
pub(super) fn read_connections(r: &mut Reader<'_>, f: &mut Fields<'_>) -> Connections {
    let defaults = Connections::default();
    Connections {
        header_timeout_seconds: seconds(r, f, "header_timeout_seconds")
            .unwrap_or(defaults.header_timeout_seconds),
        body_timeout_seconds: seconds(r, f, "body_timeout_seconds")
            .unwrap_or(defaults.body_timeout_seconds),
        idle_timeout_seconds: seconds(r, f, "idle_timeout_seconds")
            .unwrap_or(defaults.idle_timeout_seconds),
        max_connections: f.read(r, "max_connections", |r, n| {
            r.number(n, 1, Connections::MOST_CONNECTIONS)
        }),
    }
}

/// A timeout of `name`, if it is set (and valid).
fn seconds(r: &mut Reader<'_>, f: &mut Fields<'_>, name: &'static str) -> Option<u32> {
    f.read(r, name, |r, n| {
        r.number(n, 1, Connections::LONGEST_TIMEOUT_SECONDS)
    })
}
