//! What the end-to-end tests share: running the built binary, and writing
//! small sites.

#![allow(dead_code)] // each test file uses its own part

pub mod federation;
pub mod followed;
pub mod remote;
pub mod trials;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// Runs the `interchange` binary under test.
pub fn interchange(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interchange"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

/// The repository, whose root is the demo site.
pub fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the site at `root` into `output` as of 23 November 2026.
pub fn build(root: &Path, output: &Path, extra: &[&str]) -> Output {
    build_as_of(root, output, "2026-11-23", extra)
}

/// Builds the site at `root` into `output` as of `now`.
pub fn build_as_of(root: &Path, output: &Path, now: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().expect("a UTF-8 path"),
        "--output",
        output.to_str().expect("a UTF-8 path"),
        "--now",
        now,
    ];
    args.extend_from_slice(extra);
    interchange(&args)
}

/// The HTML of the page at `url` of the built site in `site`.
pub fn page(site: &Path, url: &str) -> String {
    let path = site.join(url.trim_start_matches('/')).join("index.html");
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of a page, without tags, on one line: what a reader sees.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every file under `dir`, following links (a built site's output is one).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// `interchange check --format json` on the site at `root`: whether it
/// passed, and every problem it reported.
pub fn check_json(root: &Path) -> (bool, Vec<serde_json::Value>) {
    let output = interchange(&[
        "check",
        "--root",
        root.to_str().expect("a UTF-8 path"),
        "--format",
        "json",
    ]);
    let problems = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    (output.status.success(), problems)
}

/// Writes `text` at `path` under `root`, making folders as needed.
pub fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
    fs::write(path, text).expect("written");
}

/// The config of a small site with one organisation, `acme`.
pub const SMALL_CONFIG: &str =
    "title = \"Small\"\nbase_url = \"https://small.example.gov.uk\"\norganisations = [\"acme\"]\n";

/// A small site: its config and its organisation.
pub fn small_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    write(dir.path(), "interchange.toml", SMALL_CONFIG);
    write(
        dir.path(),
        "content/organisations/acme.md",
        "---\nname: Acme Council\nsector: local-government\n---\nAbout.\n",
    );
    dir
}

/// Waits (a minute at most) until `done`, failing with `what` if it never is.
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "waited a minute for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A server started from the binary under test, stopped when dropped.
pub struct Server {
    child: Child,
    /// The port it listens on.
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `interchange args…` and waits (two minutes at most) for the line
/// of its output that starts with `ready`; `port` reads the port from it.
pub fn start(
    args: &[&str],
    ready: &'static str,
    port: impl Fn(&str) -> u16 + Send + 'static,
) -> Server {
    start_with_env(args, &[], ready, port)
}

/// [`start`], with environment variables set for the server.
pub fn start_with_env(
    args: &[&str],
    env: &[(&str, &str)],
    ready: &'static str,
    port: impl Fn(&str) -> u16 + Send + 'static,
) -> Server {
    // The server's log, when a failing test needs it.
    let log = if std::env::var_os("INTERCHANGE_TEST_LOGS").is_some() {
        Stdio::inherit()
    } else {
        Stdio::null()
    };
    start_logging_to(args, env, ready, port, log)
}

/// [`start_with_env`], the server's log (standard error) going to `log`.
pub fn start_logging_to(
    args: &[&str],
    env: &[(&str, &str)],
    ready: &'static str,
    port: impl Fn(&str) -> u16 + Send + 'static,
    log: Stdio,
) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_interchange"))
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("stdout");
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.starts_with(ready) {
                let _ = sender.send(port(&line));
            }
        }
    });
    let port = receiver
        .recv_timeout(Duration::from_secs(120))
        .expect("the server says it is listening");
    Server { child, port }
}

impl Server {
    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// An HTTP/1.1 connection on the loopback kept open from one request to
/// the next, as browsers and other servers keep theirs.
pub struct KeptAlive {
    /// The connection.
    pub stream: TcpStream,
    host: String,
    /// Bytes read past the last response.
    unread: Vec<u8>,
}

impl KeptAlive {
    /// Connects to the server on `port`.
    pub fn open(port: u16) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("a timeout");
        // Each request goes out whole at once: held back for an
        // acknowledgement the server delays, it would wait 40 ms.
        stream.set_nodelay(true).expect("no delay");
        Self {
            stream,
            host: format!("localhost:{port}"),
            unread: Vec::new(),
        }
    }

    /// GETs `path`, reading the whole response (it must have a
    /// `Content-Length`): its status and body.
    pub fn get(&mut self, path: &str, accept: &str) -> (u16, Vec<u8>) {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: {accept}\r\n\r\n",
            self.host
        );
        self.stream.write_all(request.as_bytes()).expect("sent");
        let mut chunk = [0; 16 * 1024];
        let end_of_head = loop {
            if let Some(at) = self.unread.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let n = self.stream.read(&mut chunk).expect("a response");
            assert!(n > 0, "closed before a whole response");
            self.unread.extend_from_slice(&chunk[..n]);
        };
        let answer = parse_answer(&String::from_utf8_lossy(&self.unread[..end_of_head]));
        let length: usize = answer
            .header("content-length")
            .and_then(|l| l.parse().ok())
            .expect("a Content-Length");
        while self.unread.len() < end_of_head + length {
            let n = self.stream.read(&mut chunk).expect("a body");
            assert!(n > 0, "closed before a whole body");
            self.unread.extend_from_slice(&chunk[..n]);
        }
        let body = self.unread[end_of_head..end_of_head + length].to_vec();
        self.unread.drain(..end_of_head + length);
        (answer.status, body)
    }
}

/// `interchange serve` on the site at `root`, on a free port.
pub fn serve(root: &Path) -> Server {
    start(
        &[
            "serve",
            "--port",
            "0",
            "--root",
            root.to_str().expect("UTF-8"),
        ],
        "Serving on http://127.0.0.1:",
        |line| {
            line.trim_start_matches("Serving on http://127.0.0.1:")
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .expect("a port")
        },
    )
}

/// A response: status, headers (names lower-cased) and body.
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The headers.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
}

impl Answer {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// GET over plain HTTP/1.1 from the loopback, with an `Accept` header.
pub fn get(port: u16, path: &str, accept: &str) -> Answer {
    request(port, "GET", path, accept)
}

/// A request with `method` and no body (GET, HEAD) on the loopback.
pub fn request(port: u16, method: &str, path: &str, accept: &str) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a timeout");
    // Sent whole, in one write (see `KeptAlive::open`).
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost:{port}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).expect("sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    parse_answer(&response)
}

/// A response as read from the wire.
fn parse_answer(response: &str) -> Answer {
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((response, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_string(),
    }
}

/// POSTs `body` over plain HTTP/1.1 from the loopback with `headers`
/// (which name the `Host`), as another server delivers.
pub fn post(port: u16, path: &str, headers: &[(String, String)], body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("a timeout");
    let mut head = format!("POST {path} HTTP/1.1\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    stream.write_all(head.as_bytes()).expect("sent");
    // A server may answer before the whole body is sent (413): what it
    // says is read all the same.
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    parse_answer(&String::from_utf8_lossy(&response))
}
