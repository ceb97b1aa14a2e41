//! `interchange serve` as an editor uses it: the real server on the
//! loopback, real files edited, pages fetched over HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;

/// The server under test, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_interchange"))
        .args([
            "serve",
            "--port",
            "0",
            "--root",
            root.to_str().expect("UTF-8"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("stdout");
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("Serving on http://127.0.0.1:") {
                let port: u16 = rest
                    .split('/')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .expect("a port");
                let _ = sender.send(port);
            }
        }
    });
    let port = receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("the server says where it listens");
    Server { child, port }
}

/// GET over plain HTTP/1.1: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .expect("sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Waits up to ten seconds for a page to satisfy `ok`.
fn until(port: u16, path: &str, what: &str, ok: impl Fn(u16, &str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let (status, body) = get(port, path);
        if ok(status, &body) {
            return body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{path}: {what} did not happen; last {status}:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

const PROFILE: &str = "---\nname: Priya Shah\nrole: Adviser\norganisation: acme\npolicy_areas: [housing]\nopen_to: [buddy]\nconsent: 2026-01-01\n---\nPriya works on housing.\n";

#[test]
fn a_save_shows_a_break_keeps_the_last_good_page_and_a_deletion_is_a_404() {
    let site = common::small_site();
    common::write(site.path(), "content/profiles/priya-shah.md", PROFILE);
    common::write(
        site.path(),
        "content/profiles/tom-young.md",
        &PROFILE.replace("Priya Shah", "Tom Young"),
    );
    let server = serve(site.path());
    let port = server.port;

    let page = until(port, "/profiles/priya-shah/", "the first build", |s, b| {
        s == 200 && b.contains("Priya works on housing.")
    });
    assert!(
        page.contains("tower-livereload"),
        "serve injects the reload script"
    );

    // An edit is served.
    common::write(
        site.path(),
        "content/profiles/priya-shah.md",
        &PROFILE.replace("works on housing", "now works on parking"),
    );
    until(port, "/profiles/priya-shah/", "the edit", |s, b| {
        s == 200 && b.contains("Priya now works on parking.")
    });

    // A break: the problem is shown over the page, which stays the last good one.
    common::write(
        site.path(),
        "content/profiles/priya-shah.md",
        &PROFILE.replace("role: Adviser", "role: [broken"),
    );
    let page = until(
        port,
        "/profiles/priya-shah/",
        "the problem shown",
        |_, b| b.contains("interchange-problems"),
    );
    assert!(
        page.contains("Priya now works on parking."),
        "the last good page is still served"
    );
    assert!(
        page.contains("content/profiles/priya-shah.md:"),
        "the problem names the file and line"
    );

    // The next good save clears it.
    common::write(site.path(), "content/profiles/priya-shah.md", PROFILE);
    until(port, "/profiles/priya-shah/", "recovery", |s, b| {
        s == 200 && !b.contains("interchange-problems") && b.contains("Priya works on housing.")
    });

    // A deletion: the page is gone, and so is the listing's link to it.
    std::fs::remove_file(site.path().join("content/profiles/tom-young.md")).expect("removed");
    until(port, "/profiles/tom-young/", "the 404", |s, _| s == 404);
    let listing = until(port, "/profiles/", "the listing", |s, _| s == 200);
    assert!(!listing.contains("Tom Young"));
}

#[test]
fn build_output_never_has_the_reload_script() {
    let site = common::small_site();
    common::write(site.path(), "content/profiles/priya-shah.md", PROFILE);
    let output = common::build(site.path(), &site.path().join("public"), &[]);
    assert!(output.status.success());
    let page = std::fs::read_to_string(site.path().join("public/profiles/priya-shah/index.html"))
        .expect("built");
    assert!(!page.contains("livereload"));
}
