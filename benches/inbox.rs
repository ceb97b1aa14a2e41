//! How many signed activities one inbox takes in a second: the real
//! `interchange federate --insecure-local` on the loopback, and a second
//! server (the end-to-end tests' own) whose actors sign every delivery the
//! way Mastodon does.
//!
//! Run with `cargo bench --bench inbox`; `INBOX_BENCH_COUNT` activities of
//! each kind (default 2,000), sent by `INBOX_BENCH_SENDERS` threads at once
//! (default 4), each on its own connection as a server's delivery workers
//! do. Every activity is signed before the clock starts: only the inbox is
//! timed, and every one must be answered 202. Prints a Markdown table:
//! - "Like, known actor": every check (signature, digest, Date window,
//!   actor's host, key), the receipt kept, nothing acted on;
//! - "Like, new actor": the same from an actor never seen, whose document
//!   is fetched and kept first;
//! - "Follow": a follower kept and a signed `Accept` queued for delivery.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "../tests/common/mod.rs"]
mod common;

use common::followed::{Setup, activity, follow, setup};

/// A delivery ready to send: its headers and body.
type Prepared = (Vec<(String, String)>, Vec<u8>);

/// `count` activities made by `make(n)`, each signed (with the key every
/// actor but bob has) for the shared inbox.
fn prepare(s: &Setup, count: usize, make: impl Fn(usize) -> Value) -> Vec<Prepared> {
    (0..count).map(|n| s.signed_for_inbox(&make(n))).collect()
}

/// Sends every delivery from `senders` threads; the time until all were
/// answered.
fn send_all(s: &Setup, deliveries: &[Prepared], senders: usize) -> Duration {
    let next = AtomicUsize::new(0);
    let port = s.server.port;
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..senders {
            scope.spawn(|| {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some((headers, body)) = deliveries.get(n) else {
                        break;
                    };
                    let answer = common::post(port, "/inbox", headers, body);
                    assert_eq!(answer.status, 202, "{}", answer.body);
                }
            });
        }
    });
    started.elapsed()
}

fn like(s: &Setup, who: &str, n: usize, object: &str) -> Value {
    activity(
        &s.remote,
        "Like",
        &format!("/likes/{who}/{n}"),
        who,
        object.into(),
    )
}

fn main() {
    let count = synth::number_from_env("INBOX_BENCH_COUNT", 2_000);
    let senders = synth::number_from_env("INBOX_BENCH_SENDERS", 4);
    let s = setup("{remote}");
    let site = s.site_actor();
    let profile = format!("{site}profiles/priya-shah/");

    // One delivery first, so that alice is known and the site's key made.
    let warm = prepare(&s, 1, |_| follow(&s.remote, "alice", 0, &site));
    send_all(&s, &warm, 1);

    let rows: [(&str, Vec<Prepared>); 3] = [
        (
            "Like, known actor",
            prepare(&s, count, |n| like(&s, "alice", n, &profile)),
        ),
        (
            "Like, new actor",
            prepare(&s, count, |n| like(&s, &format!("reader{n}"), n, &profile)),
        ),
        (
            "Follow",
            prepare(&s, count, |n| {
                follow(&s.remote, "alice", n as u32 + 1, &site)
            }),
        ),
    ];
    println!("| activity | activities | senders at once | time | accepted per second |");
    println!("|---|---:|---:|---:|---:|");
    for (name, deliveries) in &rows {
        let took = send_all(&s, deliveries, senders);
        println!(
            "| {name} | {count} | {senders} | {:.2} s | {:.0} |",
            took.as_secs_f64(),
            count as f64 / took.as_secs_f64()
        );
    }
}
