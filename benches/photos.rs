//! What profiles' photos cost a build, on synthetic directories whose every
//! profile has a photo of its own (a 640 × 800 JPEG, `synth --photos`):
//! `interchange build` in a fresh process, as cron or CI runs it, without
//! photos, with photos and no cache, and with photos made by an earlier
//! build; then a save in `serve` that replaces one photo.
//!
//! Run with `cargo bench --bench photos`; sizes from `PHOTO_BENCH_SIZES`
//! (default `1000,10000`), `PHOTO_BENCH_RUNS` runs of each build (default
//! 3). Wall time and peak memory of each build are `/usr/bin/time`'s.
//! Prints a Markdown table: medians, with min–max.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use generator::BuildOptions;
use generator::live::{LiveSite, Outcome};
use generator::render::Quiet;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One measured build: seconds and peak kilobytes.
type Run = (f64, u64);

/// `interchange build` of `site` into `output`, under `/usr/bin/time`.
fn build(site: &Path, output: &Path) -> Run {
    let times = output.with_extension("time");
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%e %M", "-o"])
        .arg(&times)
        .arg(env!("CARGO_BIN_EXE_interchange"))
        .args(["build", "--now", "2026-11-23", "--root"])
        .arg(site)
        .arg("--output")
        .arg(output)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("/usr/bin/time runs (Debian's package `time`)");
    assert!(status.success(), "the build failed");
    let text = std::fs::read_to_string(&times).expect("the times");
    let mut fields = text.split_whitespace();
    let seconds = fields.next().and_then(|s| s.parse().ok()).expect("seconds");
    let kb = fields
        .next()
        .and_then(|s| s.parse().ok())
        .expect("kilobytes");
    (seconds, kb)
}

/// The output's folders and its cache, all removed: a first build.
fn remove_output(output: &Path, cache_too: bool) {
    let name = output.file_name().expect("a name").to_string_lossy();
    let mut gone = vec![
        output.to_path_buf(),
        output.with_file_name(format!(".{name}.1")),
        output.with_file_name(format!(".{name}.2")),
    ];
    if cache_too {
        gone.push(output.with_file_name(format!(".{name}.cache")));
    }
    for path in gone {
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_dir_all(&path);
    }
}

/// Median, min and max of `runs`, as the table shows them.
fn summary(mut runs: Vec<Run>) -> (String, String) {
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (median, min, max) = (runs[runs.len() / 2], runs[0], runs[runs.len() - 1]);
    let mut kb: Vec<u64> = runs.iter().map(|r| r.1).collect();
    kb.sort_unstable();
    (
        format!("{:.2} s ({:.2}–{:.2})", median.0, min.0, max.0),
        format!("{} MB", kb[kb.len() / 2] / 1024),
    )
}

/// Megabytes of the files in `folder` (not in its folders).
fn megabytes(folder: &Path) -> f64 {
    std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len())
        .sum::<u64>() as f64
        / 1e6
}

fn ms(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1e3)
}

fn main() {
    let sizes = synth::sizes_from_env("PHOTO_BENCH_SIZES", &[1_000, 10_000]);
    let runs = synth::number_from_env("PHOTO_BENCH_RUNS", 3).max(1);
    println!(
        "| profiles | build | wall | peak memory | photos' files | one photo replaced in `serve` |"
    );
    println!("|---:|---|---:|---:|---:|---:|");
    for profiles in sizes {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let site = dir.path().join("site");
        synth::write_site(&site, synth::Sizes::for_profiles(profiles), 1).expect("written");
        let output = dir.path().join("public");
        let measure = |cache_too: bool| -> Vec<Run> {
            (0..runs)
                .map(|_| {
                    remove_output(&output, cache_too);
                    build(&site, &output)
                })
                .collect()
        };
        let row = |what: &str, runs: Vec<Run>, files: &str, save: &str| {
            let (wall, memory) = summary(runs);
            println!("| {profiles} | {what} | {wall} | {memory} | {files} | {save} |");
        };

        row("no photos", measure(true), "", "");
        synth::add_photos(&site, profiles).expect("photos written");
        let first = measure(true);
        let made = output.join("processed_images");
        let files = format!(
            "{} files, {:.0} MB (originals {:.0} MB)",
            std::fs::read_dir(&made).map_or(0, Iterator::count),
            megabytes(&made),
            megabytes(&site.join("static/photos")),
        );
        row("photos, none made before", first, &files, "");
        row(
            "photos, made by the last build (cache kept, output removed)",
            measure(false),
            "",
            "",
        );
        // The output kept too: the build compares each file with the
        // one already there and writes none.
        let kept = (0..runs).map(|_| build(&site, &output)).collect();
        row("photos, nothing changed (output kept)", kept, "", "");

        // A save in `serve`: one photo replaced by another picture.
        let load = synth::load_options(&site);
        let served = dir.path().join("served");
        let options = BuildOptions {
            output: served.clone(),
            base_url: None,
            internal: false,
        };
        let mut live = LiveSite::open(&load, options).expect("opens");
        assert!(matches!(
            live.update(&[], &Quiet).outcome,
            Outcome::Built(_)
        ));
        let photo: PathBuf = site.join("static/photos/person-0.jpg");
        let mut saves = Vec::new();
        for n in 1..=5 {
            // A picture no build has made before.
            std::fs::write(&photo, synth::photo(u64::MAX - n)).expect("replaced");
            let saved = Instant::now();
            let update = live.update(std::slice::from_ref(&photo), &Quiet);
            saves.push(saved.elapsed());
            assert!(
                matches!(update.outcome, Outcome::Built(_)),
                "{:?}",
                update.outcome
            );
        }
        saves.sort();
        println!(
            "| {profiles} | | | | | {} (median of {}) |",
            ms(saves[saves.len() / 2]),
            saves.len()
        );
    }
}
