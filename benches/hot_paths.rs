//! Micro-benchmarks of the hot paths, so that a regression shows without a
//! whole build: reading one entry file (what `serve` does on every save)
//! and rendering one page, on a synthetic directory of 1,000 profiles.
//!
//! Run with `cargo bench -p bench --bench hot_paths`.

use std::path::PathBuf;
use std::sync::LazyLock;

use divan::Bencher;
use generator::BuildOptions;
use generator::load::Files;
use generator::render::Theme;

// The allocator `interchange` itself uses, so the figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Profiles in the directory the benchmarks read.
const PROFILES: usize = 1_000;

/// A synthetic site, written once for every benchmark.
struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

static SITE: LazyLock<Site> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("site");
    synth::write_site(&root, synth::Sizes::for_profiles(PROFILES), 1).expect("written");
    Site { _dir: dir, root }
});

fn main() {
    divan::main();
}

/// Reading one profile's file again, as `serve` does when it is saved:
/// reading, parsing the front matter and checking every field.
#[divan::bench]
fn read_one_profile_file(bencher: Bencher) {
    let site = &*SITE;
    let mut files = Files::read(&synth::load_options(&site.root)).expect("reads");
    let path = site.root.join("content/profiles/person-1.md");
    bencher.bench_local(|| files.reread(std::slice::from_ref(&path)).expect("reads"));
}

/// Rendering pages on their own, with the directory indexed once.
#[divan::bench(args = ["/profiles/person-1/", "/policy-areas/housing/", "/events/event-1/"])]
fn render_one_page(bencher: Bencher, url: &str) {
    let site = &*SITE;
    let loaded = generator::load(&synth::load_options(&site.root)).expect("loads");
    let mut theme = Theme::load(&site.root, &loaded.directory.site.theme).expect("a theme");
    let options = BuildOptions {
        output: site.root.join("public"),
        base_url: None,
        internal: false,
    };
    generator::render::with_pages(
        &loaded.directory,
        &site.root,
        loaded.now,
        &options,
        &mut theme,
        |pages| {
            assert!(
                pages.render(url).expect("renders").is_some(),
                "the site has a page at {url}"
            );
            bencher.bench_local(|| pages.render(url).expect("renders"));
        },
    )
    .expect("the photos are read");
}
