//! How long `serve` takes from a save to the changed pages written, on
//! synthetic directories: one profile's text is edited and the live site
//! told, as the file watcher tells it. A full build of the same directory is
//! the comparison.
//!
//! Run with `cargo bench -p bench --bench serve`; sizes from
//! `SERVE_BENCH_SIZES` (default `1000,10000`), `SERVE_BENCH_SAVES` saves
//! each (default 21). Prints a Markdown table.
//! "pages written" is when the browser is told to reload; "all written"
//! includes the site-wide files (feeds, search index, `directory.json`).
//! The watcher's debounce (20 ms in `serve`) comes on top of both.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use generator::BuildOptions;
use generator::live::{LiveSite, Outcome};
use generator::render::{Progress, Quiet};

// The allocator `interchange` itself uses, so the figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Notes when the pages are written.
struct Stopwatch {
    pages_written: Mutex<Option<Instant>>,
}

impl Progress for Stopwatch {
    fn pages_written(&self) {
        *self.pages_written.lock().expect("not poisoned") = Some(Instant::now());
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1e3)
}

/// The first profile file, in name order.
fn a_profile(site: &Path) -> PathBuf {
    let mut profiles: Vec<PathBuf> = std::fs::read_dir(site.join("content/profiles"))
        .expect("profiles")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    profiles.sort();
    profiles.swap_remove(0)
}

fn main() {
    let sizes = synth::sizes_from_env("SERVE_BENCH_SIZES", &[1_000, 10_000]);
    let saves = synth::number_from_env("SERVE_BENCH_SAVES", 21);
    println!(
        "| profiles | pages | save → pages written (median) | save → all written (median) | slowest save | pages rendered per save | full build |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for profiles in sizes {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let site = dir.path().join("site");
        synth::write_site(&site, synth::Sizes::for_profiles(profiles), 1).expect("written");
        let load = synth::load_options(&site);
        let output = dir.path().join("public");
        let options = BuildOptions {
            output: output.clone(),
            base_url: None,
            internal: false,
        };

        let started = Instant::now();
        let loaded = generator::load(&load).expect("loads");
        let full = generator::build(&loaded.directory, &site, loaded.now, &options, &Quiet)
            .expect("builds");
        let full_build = started.elapsed();

        let mut live = LiveSite::open(&load, options).expect("opens");
        match live.update(&[], &Quiet).outcome {
            Outcome::Built(_) => {}
            other => panic!("the first build failed: {other:?}"),
        }
        let profile = a_profile(&site);
        let slug = profile
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let original = std::fs::read_to_string(&profile).expect("readable");
        let mut to_pages = Vec::new();
        let mut to_all = Vec::new();
        let mut rendered = Vec::new();
        for save in 0..saves {
            let marker = format!("Edited in save {save}.");
            std::fs::write(&profile, format!("{original}\n{marker}\n")).expect("saved");
            let watch = Stopwatch {
                pages_written: Mutex::new(None),
            };
            let saved = Instant::now();
            let update = live.update(std::slice::from_ref(&profile), &watch);
            let all = saved.elapsed();
            let Outcome::Built(built) = update.outcome else {
                panic!("save {save} did not build: {:?}", update.outcome);
            };
            let page = std::fs::read_to_string(output.join(format!("profiles/{slug}/index.html")))
                .expect("the profile's page");
            assert!(page.contains(&marker), "save {save} is on the page");
            let pages = watch
                .pages_written
                .lock()
                .expect("not poisoned")
                .map_or(all, |t| t - saved);
            to_pages.push(pages);
            to_all.push(all);
            rendered.push(built.rendered);
        }
        let slowest = to_all.iter().max().copied().unwrap_or_default();
        rendered.sort_unstable();
        println!(
            "| {profiles} | {} | {} | {} | {} | {} | {:.2} s |",
            full.pages,
            ms(median(to_pages)),
            ms(median(to_all)),
            ms(slowest),
            rendered[rendered.len() / 2],
            full_build.as_secs_f64(),
        );
    }
}
