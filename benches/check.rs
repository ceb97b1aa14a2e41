//! How long `check` takes on synthetic directories: loading and checking
//! every file, as `interchange check` does, without printing.
//!
//! Run with `cargo bench -p bench --bench check`. Prints a Markdown table of
//! the median, minimum and maximum over repeated runs, after one warm-up run
//! (so the files are in the page cache, as they are on a second save).

use std::time::{Duration, Instant};

const RUNS: usize = 7;

fn main() {
    let sizes = synth::sizes_from_env("CHECK_BENCH_SIZES", &[1_000, 10_000]);
    println!("| profiles | files | median | min | max | per file |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for profiles in sizes {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let sizes = synth::Sizes::for_profiles(profiles);
        synth::write_site(dir.path(), sizes, 1).expect("the synthetic site is written");
        let options = synth::load_options(dir.path());
        let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
        for run in 0..=RUNS {
            let start = Instant::now();
            let loaded = generator::load(&options).expect("the site loads");
            let elapsed = start.elapsed();
            assert!(
                !loaded.diagnostics.has_errors(),
                "the synthetic site has errors"
            );
            if run > 0 {
                times.push(elapsed);
            }
        }
        times.sort();
        let median = times[times.len() / 2];
        println!(
            "| {profiles} | {} | {:.0} ms | {:.0} ms | {:.0} ms | {:.1} µs |",
            sizes.files(),
            median.as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3,
            times[times.len() - 1].as_secs_f64() * 1e3,
            median.as_secs_f64() * 1e6 / sizes.files() as f64,
        );
    }
}
