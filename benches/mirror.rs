//! How long one directory takes to mirror another: two `interchange
//! federate --insecure-local` processes on the loopback, A holding a
//! synthetic directory, B following it.
//!
//! Run with `cargo bench --bench mirror`; sizes from `MIRROR_BENCH_SIZES`
//! (default `1000`). Prints a Markdown table:
//! - "A's first publishing": `interchange publish` on A, new, with no
//!   followers: its key made and every object's fingerprint recorded, as
//!   a directory does once in its life, before anyone follows it;
//! - "follow → mirror/": from B's start to every published profile written
//!   under B's `mirror/` (resolve, Follow, Accept, backfill);
//! - "follow → pages": until the last of them is built into B's pages;
//! - "delete → page gone": from a profile file deleted in A to its page
//!   gone from B (A's rebuild, publishing, delivery, B's rebuild).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn federate(root: &Path, port: u16) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_interchange"))
        .args(["federate", "--insecure-local", "--listen"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("--root")
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    loop {
        match lines.next() {
            Some(Ok(line)) if line.starts_with("Federating on") => break,
            Some(_) => {}
            None => panic!("the server stopped before listening"),
        }
    }
    std::thread::spawn(move || lines.for_each(drop));
    Server(child)
}

/// The body of an ActivityPub GET of `path`.
fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    let head = format!(
        "GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nAccept: application/activity+json\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).expect("sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default()
}

fn wait(mut done: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(1800), "gave up");
        std::thread::sleep(Duration::from_millis(20));
    }
    start.elapsed()
}

fn seconds(duration: Duration) -> String {
    format!("{:.2} s", duration.as_secs_f64())
}

/// A profile no other entry names, which can be deleted with the site
/// still building.
fn unreferenced_profile(site: &Path, slugs: &[String]) -> String {
    let mut texts = String::new();
    for folder in ["events", "consultations", "asks", "profiles"] {
        for file in std::fs::read_dir(site.join("content").join(folder))
            .into_iter()
            .flatten()
        {
            texts.push_str(
                &std::fs::read_to_string(file.expect("a file").path()).unwrap_or_default(),
            );
        }
    }
    slugs
        .iter()
        .find(|slug| texts.matches(slug.as_str()).count() == 0)
        .cloned()
        .expect("a profile no entry names")
}

/// The slugs of the profiles A publishes, read from its `/entries`
/// collection page by page, as a follower's backfill reads it.
fn published_profiles(port: u16) -> Vec<String> {
    let collection: serde_json::Value =
        serde_json::from_str(&get(port, "/entries")).expect("the entries collection");
    let mut slugs = Vec::new();
    let mut next = collection["first"].as_str().map(str::to_string);
    while let Some(address) = next {
        let url = url::Url::parse(&address).expect("a page's address");
        let path = format!("{}?{}", url.path(), url.query().unwrap_or_default());
        let page: serde_json::Value = serde_json::from_str(&get(port, &path)).expect("a page");
        for item in page["orderedItems"].as_array().expect("items") {
            // Each entry is given whole, or by its id.
            let id = item["id"]
                .as_str()
                .or_else(|| item.as_str())
                .unwrap_or_default();
            if let Some(slug) = id.split("/profiles/").nth(1) {
                slugs.push(slug.trim_end_matches('/').to_string());
            }
        }
        next = page["next"].as_str().map(str::to_string);
    }
    slugs
}

/// How many profiles are mirrored in `folder` (hidden files apart).
fn mirrored_profiles(folder: &Path) -> usize {
    std::fs::read_dir(folder).map_or(0, |files| {
        files
            .filter_map(Result::ok)
            .filter(|f| !f.file_name().to_string_lossy().starts_with('.'))
            .count()
    })
}

fn main() {
    let sizes = synth::sizes_from_env("MIRROR_BENCH_SIZES", &[1_000]);
    println!(
        "| profiles | profiles published | A's first publishing | follow → mirror/ | follow → pages | delete → page gone |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    for profiles in sizes {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let (a_port, b_port) = (free_port(), free_port());
        synth::write_site(&a, synth::Sizes::for_profiles(profiles), 1).expect("written");
        std::fs::write(
            a.join("interchange.toml"),
            format!("title = \"A\"\nbase_url = \"http://localhost:{a_port}\"\norganisations = [\"organisation-0\"]\n\n[federation]\nhandle = \"a\"\nallow = [\"localhost\"]\ndatabase = \"sqlite://federation.sqlite\"\n"),
        )
        .expect("written");
        std::fs::create_dir_all(b.join("content/organisations")).expect("folders");
        std::fs::write(
            b.join("interchange.toml"),
            format!("title = \"B\"\nbase_url = \"http://localhost:{b_port}\"\norganisations = [\"b-trust\"]\n\n[federation]\nhandle = \"b\"\nfollow = [\"http://localhost:{a_port}/\"]\nallow = [\"localhost\"]\ndatabase = \"sqlite://federation.sqlite\"\n"),
        )
        .expect("written");
        std::fs::write(
            b.join("content/organisations/b-trust.md"),
            "---\nname: B Trust\nsector: nhs\n---\nA trust.\n",
        )
        .expect("written");

        let started = Instant::now();
        let published = Command::new(env!("CARGO_BIN_EXE_interchange"))
            .args(["publish", "--insecure-local", "--root"])
            .arg(&a)
            .output()
            .expect("publish runs");
        assert!(
            published.status.success(),
            "{}",
            String::from_utf8_lossy(&published.stderr)
        );
        let first = started.elapsed();
        let _a = federate(&a, a_port);
        let people = published_profiles(a_port);

        let mirror = b.join(format!("mirror/localhost:{a_port}/profiles"));
        // A's pages at B are under A's host.
        let pages = b.join(format!("public/profiles/localhost:{a_port}"));
        let last = pages.join(format!("{}/index.html", people[people.len() - 1]));
        let _b = federate(&b, b_port);
        let started = Instant::now();
        wait(|| mirrored_profiles(&mirror) >= people.len());
        let mirrored = started.elapsed();
        wait(|| last.is_file());
        let built = started.elapsed();

        let gone = unreferenced_profile(&a, &people);
        let page = pages.join(format!("{gone}/index.html"));
        assert!(page.is_file(), "mirrored before the delete");
        std::fs::remove_file(a.join(format!("content/profiles/{gone}.md"))).expect("deleted");
        let deleted = wait(|| !page.exists());
        println!(
            "| {profiles} | {} | {} | {} | {} | {} |",
            people.len(),
            seconds(first),
            seconds(mirrored),
            seconds(built),
            seconds(deleted)
        );
    }
}
