//! How long a full `build` takes on synthetic directories: loading,
//! checking, rendering every page and writing the site.
//!
//! Run with `cargo bench -p bench --bench build`; sizes from
//! `BUILD_BENCH_SIZES` (default `1000,10000`). Prints a Markdown table.

use std::time::{Duration, Instant};

use generator::BuildOptions;
use generator::render::Quiet;

const RUNS: usize = 5;

fn main() {
    let sizes = synth::sizes_from_env("BUILD_BENCH_SIZES", &[1_000, 10_000]);
    println!("| profiles | pages | median | min | max | load | render and write |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for profiles in sizes {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let site = dir.path().join("site");
        synth::write_site(&site, synth::Sizes::for_profiles(profiles), 1).expect("written");
        let load = synth::load_options(&site);
        let options = BuildOptions {
            output: dir.path().join("public"),
            base_url: None,
            internal: false,
        };
        let mut runs: Vec<(Duration, Duration)> = Vec::new();
        let mut pages = 0;
        for run in 0..=RUNS {
            let start = Instant::now();
            let loaded = generator::load(&load).expect("loads");
            let loaded_at = start.elapsed();
            let built = generator::build(&loaded.directory, &site, loaded.now, &options, &Quiet)
                .expect("builds");
            pages = built.pages;
            if run > 0 {
                runs.push((start.elapsed(), loaded_at));
            }
        }
        runs.sort();
        let (median, load_time) = runs[runs.len() / 2];
        println!(
            "| {profiles} | {pages} | {:.2} s | {:.2} s | {:.2} s | {:.2} s | {:.2} s |",
            median.as_secs_f64(),
            runs[0].0.as_secs_f64(),
            runs[runs.len() - 1].0.as_secs_f64(),
            load_time.as_secs_f64(),
            (median - load_time).as_secs_f64(),
        );
    }
}
