//! Connections: the one accept loop of every server of the project
//! (`federate` and `serve`), with the limits that keep slow or stalled
//! clients from holding it. Without them a client that connects and sends
//! nothing, stops halfway through its headers, or declares a body it never
//! sends would hold its connection, and a file of the process, for ever.
//!
//! Each connection is watched by a timer of its own, which closes it when
//! it has waited too long for what it is waiting for:
//!
//! - the headers of a request: [`Limits::header_timeout`], from connecting
//!   for the first request, from their first byte for the next ones;
//! - the next request on a connection kept alive, or a client to read
//!   what is sent to it: [`Limits::idle_timeout`];
//! - a request's whole body: [`Limits::body_timeout`] from its headers,
//!   answered 408 (the request is not acted on).
//!
//! At most [`Limits::max_connections`] are held at once; at the cap no
//! more are accepted until one closes. Those waiting stay in the kernel's
//! queue, and are taken in turn; none is refused while the cap is reached
//! for a moment, and the timeouts bound how long any waits.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::{Bytes, Frame, Incoming, SizeHint};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::{Instant, Sleep};

use generator::content::site::Connections;

/// How long a server waits for each part of a request, and how many
/// connections it holds at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How long a client has to send a request's headers.
    pub header_timeout: Duration,
    /// How long a client has to send a request's whole body, from the end
    /// of its headers.
    pub body_timeout: Duration,
    /// How long a connection may sit with nothing moving: between
    /// requests, or with a response its client does not read.
    pub idle_timeout: Duration,
    /// The most connections held at once.
    pub max_connections: u32,
}

/// File descriptors kept for everything but the connections: the
/// database, the watcher of the site's files, requests to other servers,
/// and the files a build reads and writes.
const FILES_KEPT: u64 = 256;

/// How long a stopping server waits for the requests under way.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

impl Limits {
    /// The limits `settings` give, the number of connections (when not
    /// set) as many as the process's open-file limit leaves room for, two
    /// files each (the connection and a page it is sent), up to
    /// [`Connections::MAX_CONNECTIONS`].
    pub fn from_settings(settings: &Connections) -> Self {
        let room = open_file_limit().saturating_sub(FILES_KEPT) / 2;
        let max_connections = settings.max_connections.unwrap_or_else(|| {
            u32::try_from(room)
                .unwrap_or(u32::MAX)
                .clamp(16, Connections::MAX_CONNECTIONS)
        });
        if u64::from(max_connections) > room {
            tracing::warn!(
                max_connections,
                room,
                "max_connections is more than the open-file limit leaves room for: raise the limit (LimitNOFILE= in the unit) or lower max_connections"
            );
        }
        Self {
            header_timeout: Duration::from_secs(settings.header_timeout_seconds.into()),
            body_timeout: Duration::from_secs(settings.body_timeout_seconds.into()),
            idle_timeout: Duration::from_secs(settings.idle_timeout_seconds.into()),
            max_connections,
        }
    }
}

/// The process's limit of open files (the soft one, which is what
/// applies), read from `/proc/self/limits`; 1,024, the usual one, where it
/// cannot be read.
fn open_file_limit() -> u64 {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find_map(|line| line.strip_prefix("Max open files"))
                .and_then(|values| values.split_whitespace().next())
                .map(|soft| soft.parse::<u64>().unwrap_or(u64::MAX))
        })
        .unwrap_or(1024)
}

/// Serves `app` on the connections `listener` accepts, within `limits`,
/// until `stop` completes; then accepts no more, lets the requests under
/// way finish (for 30 seconds at most) and closes every connection.
pub async fn serve_limited(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections as usize));
    let (closing, closed) = watch::channel(false);
    let mut stop = std::pin::pin!(stop);
    loop {
        // At the cap, nothing is accepted until a connection closes: the
        // next ones wait in the kernel's queue rather than being refused.
        let permit = tokio::select! {
            () = &mut stop => break,
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of files, or a connection reset before it was
                    // taken: the next may do better in a moment.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        tokio::spawn(connection(
            stream,
            app.clone(),
            limits,
            closed.clone(),
            permit,
        ));
    }
    drop(listener);
    let _ = closing.send(true);
    // Every permit back: every connection closed.
    let all = permits.acquire_many(limits.max_connections);
    if tokio::time::timeout(SHUTDOWN_GRACE, all).await.is_err() {
        tracing::warn!("requests still under way when stopping: cut off");
    }
}

/// Serves one connection until it closes, its timer runs out, or the
/// server stops; the permit is given back as it ends.
async fn connection(
    stream: TcpStream,
    app: Router,
    limits: Limits,
    mut closing: watch::Receiver<bool>,
    _permit: OwnedSemaphorePermit,
) {
    // Pages are written whole: nothing is gained by waiting to fill packets.
    let _ = stream.set_nodelay(true);
    let timer = Arc::new(Timer::new());
    let io = TokioIo::new(Watched {
        stream,
        timer: timer.clone(),
    });
    let handler = Handler {
        app,
        timer: timer.clone(),
        body_timeout: limits.body_timeout,
    };
    let mut builder = hyper::server::conn::http1::Builder::new();
    // The timer below times headers; hyper's own would also time the wait
    // between requests, which has a limit of its own.
    builder.header_read_timeout(None);
    let mut served = std::pin::pin!(builder.serve_connection(io, handler));
    tokio::select! {
        // Closed, by the client or on an error of its: nothing to say.
        _ = served.as_mut() => return,
        // Dropped with the connection, which closes it.
        () = timer.expired(&limits) => return,
        _ = closing.wait_for(|closing| *closing) => {}
    }
    // Stopping: a request under way is finished, then the connection closed.
    served.as_mut().graceful_shutdown();
    tokio::select! {
        _ = served.as_mut() => {}
        () = timer.expired(&limits) => {}
    }
}

/// What a connection is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Waiting {
    /// Its first request, since it connected.
    FirstRequest,
    /// Its next request, since the last response.
    NextRequest,
    /// The rest of a request's headers, since their first byte.
    Headers,
    /// Nothing from the client: a request is being answered.
    Answer,
}

/// The state a connection's timer reads.
#[derive(Debug)]
struct State {
    waiting: Waiting,
    since: Instant,
    /// Since when a write has been waiting for the client to read.
    unread_since: Option<Instant>,
}

impl State {
    /// When the connection is closed if nothing changes.
    fn deadline(&self, limits: &Limits) -> Option<Instant> {
        let waiting = match self.waiting {
            Waiting::FirstRequest | Waiting::Headers => Some(self.since + limits.header_timeout),
            Waiting::NextRequest => Some(self.since + limits.idle_timeout),
            Waiting::Answer => None,
        };
        let unread = self.unread_since.map(|since| since + limits.idle_timeout);
        match (waiting, unread) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// A connection's timer: what it waits for and since when, told by its
/// stream ([`Watched`]), its requests ([`Handler`]) and its responses
/// ([`Sent`]).
struct Timer {
    state: Mutex<State>,
    /// Told when the deadline may have come nearer.
    nearer: Notify,
}

impl Timer {
    fn new() -> Self {
        Self {
            state: Mutex::new(State {
                waiting: Waiting::FirstRequest,
                since: Instant::now(),
                unread_since: None,
            }),
            nearer: Notify::new(),
        }
    }

    fn update<T>(&self, change: impl FnOnce(&mut State) -> T) -> T {
        change(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Now waiting for `waiting`.
    fn wait_for(&self, waiting: Waiting) {
        self.update(|state| {
            state.waiting = waiting;
            state.since = Instant::now();
        });
        self.nearer.notify_one();
    }

    /// Bytes arrived: the first of a request's headers, if none was being
    /// read. The first request's headers are timed from connecting.
    fn read(&self) {
        let started = self.update(|state| {
            let started = state.waiting == Waiting::NextRequest;
            if started {
                state.waiting = Waiting::Headers;
                state.since = Instant::now();
            }
            started
        });
        if started {
            self.nearer.notify_one();
        }
    }

    /// A write went through (`true`), or waits for the client to read.
    fn wrote(&self, through: bool) {
        let blocked = self.update(|state| match (through, state.unread_since) {
            (true, _) => {
                state.unread_since = None;
                false
            }
            (false, None) => {
                state.unread_since = Some(Instant::now());
                true
            }
            (false, Some(_)) => false,
        });
        if blocked {
            self.nearer.notify_one();
        }
    }

    /// Completes when the connection has waited too long.
    async fn expired(&self, limits: &Limits) {
        loop {
            let deadline = self.update(|state| state.deadline(limits));
            match deadline {
                Some(deadline) if deadline <= Instant::now() => return,
                Some(deadline) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(deadline) => {}
                        () = self.nearer.notified() => {}
                    }
                }
                None => self.nearer.notified().await,
            }
        }
    }
}

/// A connection's stream, telling its timer when bytes move.
struct Watched {
    stream: TcpStream,
    timer: Arc<Timer>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let read = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.timer.read();
        }
        read
    }
}

impl Watched {
    fn wrote<T>(&self, written: Poll<std::io::Result<T>>) -> Poll<std::io::Result<T>> {
        self.timer.wrote(written.is_ready());
        written
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.wrote(written)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.wrote(written)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let flushed = Pin::new(&mut self.stream).poll_flush(cx);
        self.wrote(flushed)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Why a request's body was not read: it did not arrive within
/// [`Limits::body_timeout`]. The request is answered 408 whatever its
/// handler makes of this.
#[derive(Debug, thiserror::Error)]
#[error("the request's body did not arrive in time")]
pub struct BodyTimedOut;

impl BodyTimedOut {
    /// Whether `error`, or an error it comes from, is a body that did not
    /// arrive in time.
    pub fn caused(error: &(dyn std::error::Error + 'static)) -> bool {
        let mut error = Some(error);
        while let Some(e) = error {
            if e.is::<BodyTimedOut>() {
                return true;
            }
            error = e.source();
        }
        false
    }
}

/// A request's body, which fails with [`BodyTimedOut`] when it has not
/// all arrived by its deadline.
struct TimedBody {
    body: Incoming,
    deadline: Instant,
    /// Set on the first poll that waits for more.
    sleep: Option<Pin<Box<Sleep>>>,
    timed_out: Arc<AtomicBool>,
}

impl hyper::body::Body for TimedBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.body).poll_frame(cx) {
            return Poll::Ready(frame.map(|frame| frame.map_err(Into::into)));
        }
        let deadline = this.deadline;
        let sleep = this
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        if sleep.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        this.timed_out.store(true, Ordering::Relaxed);
        Poll::Ready(Some(Err(Box::new(BodyTimedOut))))
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A response's body, telling its connection's timer when it is sent (or
/// given up): the connection then waits for its next request.
struct Sent {
    body: Body,
    timer: Arc<Timer>,
}

impl hyper::body::Body for Sent {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

impl Drop for Sent {
    fn drop(&mut self) {
        self.timer.wait_for(Waiting::NextRequest);
    }
}

/// Hands a connection's requests to the app, their bodies timed.
#[derive(Clone)]
struct Handler {
    app: Router,
    timer: Arc<Timer>,
    body_timeout: Duration,
}

impl hyper::service::Service<Request<Incoming>> for Handler {
    type Response = Response<Sent>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Sent>, Infallible>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        self.timer.wait_for(Waiting::Answer);
        let timed_out = Arc::new(AtomicBool::new(false));
        let deadline = Instant::now() + self.body_timeout;
        let request = request.map(|body| {
            Body::new(TimedBody {
                body,
                deadline,
                sleep: None,
                timed_out: timed_out.clone(),
            })
        });
        let app = self.app.clone();
        let timer = self.timer.clone();
        Box::pin(async move {
            let response = match tower::ServiceExt::oneshot(app, request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            let response = if timed_out.load(Ordering::Relaxed) {
                too_slow()
            } else {
                response
            };
            Ok(response.map(|body| Sent { body, timer }))
        })
    }
}

/// The answer to a request whose body did not arrive in time; the rest of
/// it may still be on its way, so the connection is closed after.
fn too_slow() -> Response<Body> {
    let mut response = Response::new(Body::from(
        "the request's body did not arrive in time; send it again\n",
    ));
    *response.status_mut() = StatusCode::REQUEST_TIMEOUT;
    let headers = response.headers_mut();
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_is_that_of_what_the_connection_waits_for() {
        let limits = Limits {
            header_timeout: Duration::from_secs(20),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 10,
        };
        let since = Instant::now();
        let state = |waiting, unread_since| State {
            waiting,
            since,
            unread_since,
        };
        let headers = Some(since + limits.header_timeout);
        let idle = Some(since + limits.idle_timeout);
        assert_eq!(
            state(Waiting::FirstRequest, None).deadline(&limits),
            headers
        );
        assert_eq!(state(Waiting::Headers, None).deadline(&limits), headers);
        assert_eq!(state(Waiting::NextRequest, None).deadline(&limits), idle);
        assert_eq!(state(Waiting::Answer, None).deadline(&limits), None);
        // A client that does not read what it is sent is idle too.
        assert_eq!(state(Waiting::Answer, Some(since)).deadline(&limits), idle);
        assert_eq!(
            state(Waiting::Headers, Some(since)).deadline(&limits),
            headers
        );
    }

    #[test]
    fn a_timed_out_body_is_known_through_the_errors_that_wrap_it() {
        let wrapped = axum::Error::new(axum::Error::new(BodyTimedOut));
        assert!(BodyTimedOut::caused(&wrapped));
        assert!(!BodyTimedOut::caused(&axum::Error::new(std::fmt::Error)));
    }
}
