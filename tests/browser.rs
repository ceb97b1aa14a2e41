//! The demo site in a real browser: `interchange build` on the repository's
//! own content, then every kind of page opened in headless Chromium, checked
//! by axe-core against WCAG 2.0, 2.1 and 2.2 at A and AA, and for reflow at
//! 320 CSS pixels (WCAG 1.4.10); and a search typed into the home page's box,
//! answered in the browser from the static index; and a profile added
//! through the browser editor `init` writes (Decap CMS, saving through
//! decap-server), which must then check and build; and every page of the
//! demo by the Nu HTML checker (vnu, on Java). The browser side is
//! `tests/browser/check-pages.mjs`, `search.mjs` and `cms.mjs`.
//!
//! Needs node, Chromium, Java and `npm ci --prefix tests/browser`. Without them
//! the tests are reported as ignored, with a note saying what is missing,
//! except under CI (`CI` set), where they fail (`common::trials`).
//! Set `INTERCHANGE_SCREENSHOTS=DIR` to also save screenshots at 375 and
//! 1280 pixels.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod common;

fn main() -> ExitCode {
    common::trials::run(
        "the browser tests",
        missing(&repository()),
        vec![
            (
                "demo_pages_pass_axe_at_wcag_22_aa",
                demo_pages_pass_axe_at_wcag_22_aa,
            ),
            (
                "search_finds_a_profile_from_the_home_page",
                search_finds_a_profile_from_the_home_page,
            ),
            (
                "a_profile_added_in_the_browser_editor_checks_and_builds",
                a_profile_added_in_the_browser_editor_checks_and_builds,
            ),
            (
                "every_page_is_valid_html_by_the_nu_checker",
                every_page_is_valid_html_by_the_nu_checker,
            ),
        ],
    )
}

/// One page of every kind the site has, and a profile listing the rounds
/// its person was in.
const PAGES: &[&str] = &[
    "/",
    "/profiles/",
    "/profiles/amira-hussain/",
    "/profiles/martin-hale/",
    "/profiles/ben-harrow/",
    "/profiles/bethan-morgan/",
    "/events/dcls-open-day-2027/",
    "/consultations/homelessness-prevention-duty-review/",
    "/policy-areas/housing/",
    "/events/",
    "/consultations/",
    "/organisations/kirkby-vale-council/",
    "/programmes/vale-early-careers-buddies/",
    "/programmes/fire.example.gov.uk/moorland-resilience-buddies/",
    "/asks/",
    "/topics/",
];

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fails: the test was not ignored, so what it needs should have been here
/// (under CI a missing tool must not pass for a clean site).
fn cannot_run(what: &str) -> ! {
    panic!("the browser test cannot run: {what}");
}

fn node_runs() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|file| file.is_file())
}

/// `$CHROMIUM`, else Debian's `/usr/bin/chromium`, else one on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    let debian = PathBuf::from("/usr/bin/chromium");
    if debian.is_file() {
        return Some(debian);
    }
    ["chromium", "chromium-browser"]
        .into_iter()
        .find_map(on_path)
}

/// What is missing to run the browser check, with how to install it.
fn missing(repo: &Path) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if !node_runs() {
        missing.push("node is not runnable (install it: `apt-get install -y nodejs npm`)");
    }
    if !repo.join("tests/browser/node_modules").is_dir() {
        missing.push(
            "tests/browser/node_modules is missing (install it: `npm ci --prefix tests/browser`)",
        );
    }
    if !Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        missing.push(
            "java is not runnable, for the Nu HTML checker (install it: `apt-get install -y default-jre-headless`)",
        );
    }
    if chromium().is_none() {
        missing.push(
            "Chromium is not found at $CHROMIUM, /usr/bin/chromium or on the PATH \
             (install it: `apt-get install -y chromium`)",
        );
    }
    missing
}

/// Every problem the browser found, as a developer reads it in a CI log.
fn problems(report: &serde_json::Value) -> Vec<String> {
    let mut problems = Vec::new();
    let pages = report["pages"].as_array().expect("a list of pages");
    let checked: Vec<&str> = pages.iter().filter_map(|p| p["path"].as_str()).collect();
    if checked != PAGES {
        problems.push(format!("checked {checked:?}, not {PAGES:?}"));
    }
    for page in pages {
        let path = page["path"].as_str().unwrap_or("?");
        if page["status"] != 200 {
            problems.push(format!("{path}: HTTP {}, not 200", page["status"]));
        }
        for v in page["violations"].as_array().into_iter().flatten() {
            let mut text = format!(
                "{path}: {} ({}): {}\n    {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("no impact given"),
                v["help"].as_str().unwrap_or(""),
                v["helpUrl"].as_str().unwrap_or(""),
            );
            for node in v["nodes"].as_array().into_iter().flatten() {
                let target: Vec<&str> = node["target"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|t| t.as_str().unwrap_or("?"))
                    .collect();
                let _ = write!(
                    text,
                    "\n    at {}  {}",
                    target.join(" >>> "),
                    node["html"].as_str().unwrap_or("")
                );
            }
            problems.push(text);
        }
        let overflow = &page["overflow"];
        if !overflow.is_null() {
            problems.push(format!(
                "{path}: scrolls sideways at 320px (WCAG 1.4.10 reflow): the page is {}px wide; \
                 widest element: {}",
                overflow["scrollWidth"],
                overflow["element"].as_str().unwrap_or("?"),
            ));
        }
    }
    problems
}

/// Builds the demo site into a folder inside `tmp` (not `tmp` itself: the
/// build stages beside its output), as of 23 November 2026.
fn build_demo(repo: &Path, tmp: &Path) -> PathBuf {
    let site = tmp.join("site");
    let output = Command::new(env!("CARGO_BIN_EXE_interchange"))
        .args(["build", "--root"])
        .arg(repo)
        .arg("--output")
        .arg(&site)
        .args(["--now", "2026-11-23"])
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "`interchange build` failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    site
}

fn demo_pages_pass_axe_at_wcag_22_aa() {
    let repo = repository();
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = build_demo(&repo, tmp.path());

    let mut node = Command::new("node");
    node.arg(repo.join("tests/browser/check-pages.mjs"))
        .arg("--site")
        .arg(&site)
        .arg("--pages")
        .arg(PAGES.join(","))
        .env("CHROMIUM", chromium().expect("found above"))
        .current_dir(&repo);
    if let Some(dir) = std::env::var_os("INTERCHANGE_SCREENSHOTS").filter(|d| !d.is_empty()) {
        node.arg("--screenshots")
            .arg(dir)
            .args(["--widths", "375,1280"]);
    }
    let output = node.output().expect("node runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0) => {}
        // The browser check could not start: the machine, not the site.
        Some(2) => cannot_run(stderr.trim()),
        _ => panic!("check-pages.mjs failed ({}):\n{stderr}", output.status),
    }

    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("check-pages.mjs prints one JSON document");
    let problems = problems(&report);
    assert!(
        problems.is_empty(),
        "{} accessibility problems on the demo site (axe-core at WCAG 2.2 AA, reflow at 320px):\n\n{}\n",
        problems.len(),
        problems.join("\n\n")
    );
}

fn search_finds_a_profile_from_the_home_page() {
    let repo = repository();
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = build_demo(&repo, tmp.path());

    let output = Command::new("node")
        .arg(repo.join("tests/browser/search.mjs"))
        .arg("--site")
        .arg(&site)
        .args(["--query", "homeless", "--expect", "Amira Hussain"])
        .env("CHROMIUM", chromium().expect("found above"))
        .current_dir(&repo)
        .output()
        .expect("node runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() == Some(2) {
        // The search could not start: the machine, not the site.
        cannot_run(stderr.trim());
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "search.mjs ({}) printed no JSON document ({e}):\n{stderr}",
            output.status
        )
    });
    let strings = |key: &str| -> Vec<String> {
        report[key]
            .as_array()
            .unwrap_or_else(|| panic!("`{key}` is not a list in {report}"))
            .iter()
            .map(|v| v.as_str().unwrap_or("?").to_string())
            .collect()
    };
    let results = strings("results");
    let requests = strings("requests");

    assert!(
        output.status.success() && results.iter().any(|t| t == "Amira Hussain"),
        "searching for `homeless` from the home page did not list Amira Hussain ({}):\n\
         page: {}\nresults: {results:?}\nrequests: {requests:?}\n{stderr}",
        output.status,
        report["url"],
    );
    assert!(
        requests.iter().any(|r| r == "/search/terms/ho.json"),
        "the search did not fetch /search/terms/ho.json: {requests:?}"
    );
    // Only what the query needs: the one shard of `ho`, never the whole index.
    let shards = std::fs::read_dir(site.join("search/terms"))
        .expect("the index's terms folder")
        .count();
    let fetched = requests
        .iter()
        .filter(|r| r.starts_with("/search/terms/"))
        .count();
    assert!(
        fetched < 10 && fetched < shards,
        "the search fetched {fetched} of the {shards} term files: {requests:?}"
    );
}

fn a_profile_added_in_the_browser_editor_checks_and_builds() {
    let repo = repository();
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("site");
    let interchange = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_interchange"))
            .args(args)
            .arg("--root")
            .arg(&site)
            .env_remove("NO_COLOR")
            .output()
            .expect("the binary runs")
    };
    let init = Command::new(env!("CARGO_BIN_EXE_interchange"))
        .arg("init")
        .arg(&site)
        .args(["--organisation", "Kirkby Vale Council"])
        .output()
        .expect("the binary runs");
    assert!(init.status.success(), "init failed: {init:?}");

    // A name that YAML would cut at `#`, and a title with a colon: the
    // editor must write both so that they read back as typed.
    let mut node = Command::new("node");
    node.arg(repo.join("tests/browser/cms.mjs"))
        .arg("--site")
        .arg(&site)
        .args(["--consent", "2026-11-30"])
        .env("CHROMIUM", chromium().expect("found above"))
        .current_dir(&repo);
    if let Some(dir) = std::env::var_os("INTERCHANGE_SCREENSHOTS").filter(|d| !d.is_empty()) {
        node.arg("--screenshots").arg(dir);
    }
    let output = node.output().expect("node runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() == Some(2) {
        cannot_run(stderr.trim());
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "cms.mjs ({}) printed no JSON document ({e}):\n{stderr}",
            output.status
        )
    });
    let saved = report["saved"]
        .as_str()
        .unwrap_or_else(|| panic!("the editor saved nothing: {report:#}\n{stderr}"));
    assert_eq!(saved, "content/profiles/sean-o-briain-1.md", "{report:#}");
    assert_eq!(
        report["consentBefore"], "",
        "the form filled in a consent date nobody gave"
    );
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");

    // The profile init wrote has no consent yet: the officer agrees.
    let example = site.join("content/profiles/alex-example.md");
    let text = std::fs::read_to_string(&example).expect("init's example profile");
    std::fs::write(
        &example,
        text.replace("\nconsent:\n", "\nconsent: 2026-11-30\n"),
    )
    .expect("the example profile is writable");

    let (passed, problems) = common::check_json(&site);
    let about_it: Vec<&serde_json::Value> = problems
        .iter()
        .filter(|p| {
            p["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("sean-o-briain-1.md"))
        })
        .collect();
    assert!(
        about_it.is_empty(),
        "the saved profile has problems:\n{about_it:#?}\n{}",
        std::fs::read_to_string(site.join(saved)).unwrap_or_default()
    );
    assert!(passed, "check failed: {problems:#?}");

    let build = interchange(&["build"]);
    assert!(
        build.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let page = std::fs::read_to_string(site.join("public/profiles/sean-o-briain-1/index.html"))
        .expect("the profile's page is built");
    for shown in [
        "Seán Ó Briain #1",
        "Head of Service: Communities",
        "Homelessness",
        "work with community groups.",
    ] {
        assert!(page.contains(shown), "the page does not show {shown:?}");
    }
}

/// The Nu HTML checker (vnu, the W3C's), from `tests/browser/node_modules/vnu-jar`,
/// on every page of the demo site: no errors.
fn every_page_is_valid_html_by_the_nu_checker() {
    let repo = repository();
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = build_demo(&repo, tmp.path());
    let output = Command::new("java")
        .arg("-jar")
        .arg(repo.join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar"))
        .args(["--errors-only", "--format", "json", "--skip-non-html"])
        .arg(&site)
        .output()
        .expect("java runs");
    // vnu writes its report to stderr, and exits 1 when it has errors.
    let report: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap_or_else(|e| {
        panic!(
            "the Nu checker ({}) printed no JSON ({e}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let errors: Vec<String> = report["messages"]
        .as_array()
        .expect("a list of messages")
        .iter()
        .map(|m| {
            let url = m["url"].as_str().unwrap_or("?");
            let page = url.rsplit_once("/public").map_or(url, |(_, p)| p);
            format!(
                "{page}:{}: {}\n    {}",
                m["lastLine"],
                m["message"].as_str().unwrap_or("?"),
                m["extract"].as_str().unwrap_or("").replace('\n', " ")
            )
        })
        .collect();
    let pages = common::files_under(&site)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert!(pages > 100, "only {pages} pages were checked");
    assert!(
        errors.is_empty(),
        "{} errors in the demo's pages by the Nu HTML checker:\n\n{}\n",
        errors.len(),
        errors.join("\n\n")
    );
}
