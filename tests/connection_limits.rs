//! The limits on connections, as a slow or stalled client meets them: the
//! real `interchange federate` (and `serve`) on the loopback, with limits of
//! a second or two set in `interchange.toml`, and clients that connect and
//! send nothing, stop halfway through their headers, or send 10 bytes of a
//! body of 1,000. Each case waits a bounded time for the server to close.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::federation::{federate, free_port, site_with};

mod common;

/// Far longer than any limit set here: a connection still open after it
/// was not closed by the server.
const BOUND: Duration = Duration::from_secs(20);

/// What a client that stops sending receives before the server closes its
/// connection, or `None` if the server keeps it open for [`BOUND`].
fn until_closed(stream: &mut TcpStream) -> Option<String> {
    stream.set_read_timeout(Some(BOUND)).expect("a timeout");
    let mut received = Vec::new();
    let mut chunk = [0; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return None;
            }
            // Reset: closed all the same.
            Err(_) => break,
        }
    }
    Some(String::from_utf8_lossy(&received).into_owned())
}

/// Connects to the server on `port`.
fn connect(port: u16) -> TcpStream {
    TcpStream::connect(("127.0.0.1", port)).expect("connects")
}

/// The status of the first response in `received`.
fn status(received: &str) -> Option<u16> {
    received
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
}

const LIMITS: &str =
    "header_timeout_seconds = 1\nbody_timeout_seconds = 1\nidle_timeout_seconds = 2\n";

#[test]
fn slow_stalled_and_idle_clients_are_disconnected() {
    let port = free_port();
    let site = site_with(&format!("http://localhost:{port}"), LIMITS);
    let server = federate(site.path(), port);
    let host = format!("Host: localhost:{port}\r\n");

    // All at once: each is timed by its own connection.
    let mut silent = connect(server.port);
    let mut halfway = connect(server.port);
    write!(halfway, "GET / HTTP/1.1\r\n{host}Accept: text/html\r\n").expect("sent");
    let mut short_body = connect(server.port);
    write!(
        short_body,
        "POST /inbox HTTP/1.1\r\n{host}Content-Type: application/activity+json\r\nContent-Length: 1000\r\n\r\n{{\"type\":\"F"
    )
    .expect("sent");

    let said = until_closed(&mut silent).expect("a client sending nothing is disconnected");
    assert_eq!(said, "", "nothing is said to a client that asked nothing");
    let said = until_closed(&mut halfway).expect("a client stalled mid-headers is disconnected");
    assert_eq!(said, "", "a request never finished is not answered");
    let said = until_closed(&mut short_body).expect("a client stalled mid-body is disconnected");
    assert_eq!(status(&said), Some(408), "{said}");

    // A client that keeps its connection: answered, kept, then closed
    // once idle.
    let mut kept = common::KeptAlive::open(server.port);
    for _ in 0..2 {
        let (status, body) = kept.get("/profiles/priya-shah/", "text/html");
        assert_eq!(status, 200);
        assert!(String::from_utf8_lossy(&body).contains("Priya Shah"));
    }
    let said = until_closed(&mut kept.stream).expect("an idle connection is closed");
    assert_eq!(said, "", "nothing more is sent before closing");

    // The server still answers.
    assert_eq!(common::get(server.port, "/", "text/html").status, 200);
}

#[test]
fn at_the_cap_a_connection_waits_until_one_closes() {
    let port = free_port();
    let site = site_with(
        &format!("http://localhost:{port}"),
        &format!("{LIMITS}max_connections = 2\n"),
    );
    let server = federate(site.path(), port);
    let mut silent = [connect(server.port), connect(server.port)];
    // Let the server take both before the third arrives.
    std::thread::sleep(Duration::from_millis(200));
    let mut third = connect(server.port);
    write!(
        third,
        "GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("sent");
    let said = until_closed(&mut third).expect("the third is answered");
    assert_eq!(status(&said), Some(200), "{said}");
    // It was answered only once a place was free: a silent one had been
    // closed by then (the server closes a connection before it takes the
    // next in its place). The other times out in its turn, a moment later.
    let mut closed_first = 0;
    for stream in &mut silent {
        stream
            .set_nonblocking(true)
            .expect("a connection that does not wait");
        let mut byte = [0; 1];
        closed_first += usize::from(match stream.read(&mut byte) {
            Ok(0) => true,
            Err(e) => e.kind() != ErrorKind::WouldBlock,
            Ok(_) => false,
        });
    }
    assert!(
        closed_first >= 1,
        "answered while both silent ones were open"
    );
    for stream in &mut silent {
        stream
            .set_nonblocking(false)
            .expect("a connection that waits");
        assert_eq!(
            until_closed(stream).as_deref(),
            Some(""),
            "a silent connection is closed"
        );
    }
}

#[test]
fn the_preview_server_disconnects_silent_clients_too() {
    let site = common::small_site();
    common::write(
        site.path(),
        "interchange.toml",
        &format!(
            "{}\n[federation]\nhandle = \"small\"\n{LIMITS}",
            common::SMALL_CONFIG
        ),
    );
    let server = common::serve(site.path());
    let mut silent = connect(server.port);
    let said = until_closed(&mut silent).expect("a client sending nothing is disconnected");
    assert_eq!(said, "");
    assert_eq!(common::get(server.port, "/", "text/html").status, 200);
}
