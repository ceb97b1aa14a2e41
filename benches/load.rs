//! `interchange federate` under load: the real server on the loopback,
//! serving a directory of `LOAD_BENCH_PROFILES` officers (default 1,000).
//!
//! Run with `cargo bench --bench load`. Prints a Markdown table:
//! - pages: `LOAD_BENCH_CLIENTS` clients at once (default 50), each on a
//!   connection it keeps, asking for pages in turn (home, profiles, the
//!   A to Z) for `LOAD_BENCH_SECONDS` (default 10);
//! - signed activities: `LOAD_BENCH_ACTIVITIES` `Like`s (default 2,000)
//!   from one actor, signed before the clock starts (as in the inbox
//!   benchmark), sent by 4 senders (for the same time at most), while a
//!   profile is edited every half second, so that the site rebuilds under
//!   them;
//! - pages while the site rebuilds: the first row again, with the edits.
//!
//! Each row says the server's peak memory by then (its peak resident set,
//! `VmHWM`), which includes its first build. Every answer must be 200
//! (202 for an activity).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "../tests/common/mod.rs"]
mod common;

use common::KeptAlive;
use common::federation::{add_officers, federate, free_port, site_with};
use common::followed::{Setup, activity};
use common::remote::Remote;

/// The server's peak resident memory so far, in MiB.
fn peak_memory(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Asks for `paths` in turn from `clients` connections at once for
/// `seconds`; how many pages were served, in how long.
fn pages(port: u16, paths: &[String], clients: usize, seconds: Duration) -> (usize, Duration) {
    let served = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for client in 0..clients {
            let served = &served;
            scope.spawn(move || {
                let mut connection = KeptAlive::open(port);
                let mut n = client;
                while started.elapsed() < seconds {
                    let path = &paths[n % paths.len()];
                    let (status, _) = connection.get(path, "text/html");
                    assert_eq!(status, 200, "{path}");
                    served.fetch_add(1, Ordering::Relaxed);
                    n += 1;
                }
            });
        }
    });
    (served.load(Ordering::Relaxed), started.elapsed())
}

/// A delivery ready to send: its headers and body.
type Prepared = (Vec<(String, String)>, Vec<u8>);

/// `count` `Like`s of a profile by alice, signed for the shared inbox.
fn likes(s: &Setup, count: usize) -> Vec<Prepared> {
    (0..count)
        .map(|n| {
            let like: Value = activity(
                &s.remote,
                "Like",
                &format!("/likes/load/{n}"),
                "alice",
                format!("{}profiles/priya-shah/", s.site_actor()).into(),
            );
            s.signed_for_inbox(&like)
        })
        .collect()
}

/// Sends deliveries from `senders` threads until `seconds` pass or they
/// run out; how many were accepted, in how long.
fn deliver(
    s: &Setup,
    deliveries: &[Prepared],
    senders: usize,
    seconds: Duration,
) -> (usize, Duration) {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..senders {
            scope.spawn(|| {
                while started.elapsed() < seconds {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some((headers, body)) = deliveries.get(n) else {
                        break;
                    };
                    let answer = common::post(s.server.port, "/inbox", headers, body);
                    assert_eq!(answer.status, 202, "{}", answer.body);
                }
            });
        }
    });
    let took = started.elapsed();
    (next.load(Ordering::Relaxed).min(deliveries.len()), took)
}

/// Runs `load` while a profile is edited every half second; how many
/// edits were made.
fn while_editing(site: &std::path::Path, load: impl FnOnce()) -> usize {
    let done = AtomicBool::new(false);
    let edits = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                let n = edits.fetch_add(1, Ordering::Relaxed);
                common::write(
                    site,
                    "content/profiles/person-0000.md",
                    &format!(
                        "---\nname: Person 0\nrole: Officer {n}\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-01-01\n---\nWorks.\n"
                    ),
                );
                std::thread::sleep(Duration::from_millis(500));
            }
        });
        load();
        done.store(true, Ordering::Relaxed);
    });
    edits.load(Ordering::Relaxed)
}

fn main() {
    let profiles = synth::number_from_env("LOAD_BENCH_PROFILES", 1_000);
    let clients = synth::number_from_env("LOAD_BENCH_CLIENTS", 50);
    let seconds = Duration::from_secs(synth::number_from_env("LOAD_BENCH_SECONDS", 10) as u64);
    let activities = synth::number_from_env("LOAD_BENCH_ACTIVITIES", 2_000);
    let senders = 4;

    let remote = Remote::start();
    let port = free_port();
    let site = site_with(
        &format!("http://localhost:{port}"),
        &format!("allow = [\"localhost:{}\"]", remote.port),
    );
    add_officers(site.path(), profiles);
    let server = federate(site.path(), port);
    let s = Setup {
        remote,
        server,
        host: format!("localhost:{port}"),
        site,
    };
    let pid = s.server.pid();
    let mut paths = vec!["/".to_string(), "/profiles/".to_string()];
    paths.extend((0..profiles).map(|n| format!("/profiles/person-{n:04}/")));

    println!("| load | clients at once | for | answered | per second | server's peak memory |");
    println!("|---|---:|---:|---:|---:|---:|");
    let row = |what: &str, clients: usize, answered: usize, took: Duration| {
        println!(
            "| {what} | {clients} | {:.1} s | {answered} | {:.0} | {:.0} MiB |",
            took.as_secs_f64(),
            answered as f64 / took.as_secs_f64(),
            peak_memory(pid)
        );
    };

    let (served, took) = pages(s.server.port, &paths, clients, seconds);
    row("pages", clients, served, took);

    // Signed before the clock starts; at most `seconds` are spent sending.
    let deliveries = likes(&s, activities);
    let mut delivered = (0, Duration::ZERO);
    let edits = while_editing(s.site.path(), || {
        delivered = deliver(&s, &deliveries, senders, seconds);
    });
    row(
        &format!("signed activities, profile edited {edits}×"),
        senders,
        delivered.0,
        delivered.1,
    );

    let mut served = (0, Duration::ZERO);
    let edits = while_editing(s.site.path(), || {
        served = pages(s.server.port, &paths, clients, seconds);
    });
    row(
        &format!("pages, profile edited {edits}×"),
        clients,
        served.0,
        served.1,
    );
}
