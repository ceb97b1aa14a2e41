//! `interchange serve` as an editor uses it: the real server on the
//! loopback, real files edited, pages fetched over HTTP.

use std::time::{Duration, Instant};

use common::serve;

mod common;

/// GET a page: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let answer = common::get(port, path, "text/html");
    (answer.status, answer.body)
}

/// Waits up to ten seconds for a page to satisfy `ok`.
fn until(port: u16, path: &str, what: &str, ok: impl Fn(u16, &str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let (status, body) = get(port, path);
        if ok(status, &body) {
            return body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{path}: {what} did not happen; last {status}:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

const PROFILE: &str = "---\nname: Priya Shah\nrole: Adviser\norganisation: acme\npolicy_areas: [housing]\nopen_to: [buddy]\nconsent: 2026-01-01\n---\nPriya works on housing.\n";

#[test]
fn a_save_shows_a_break_keeps_the_last_good_page_and_a_deletion_is_a_404() {
    let site = common::small_site();
    common::write(site.path(), "content/profiles/priya-shah.md", PROFILE);
    common::write(
        site.path(),
        "content/profiles/tom-young.md",
        &PROFILE.replace("Priya Shah", "Tom Young"),
    );
    let server = serve(site.path());
    let port = server.port;

    let page = until(port, "/profiles/priya-shah/", "the first build", |s, b| {
        s == 200 && b.contains("Priya works on housing.")
    });
    assert!(
        page.contains("tower-livereload"),
        "serve injects the reload script"
    );

    // An edit is served.
    common::write(
        site.path(),
        "content/profiles/priya-shah.md",
        &PROFILE.replace("works on housing", "now works on parking"),
    );
    until(port, "/profiles/priya-shah/", "the edit", |s, b| {
        s == 200 && b.contains("Priya now works on parking.")
    });

    // A break: the problem is shown over the page, which stays the last good one.
    common::write(
        site.path(),
        "content/profiles/priya-shah.md",
        &PROFILE.replace("role: Adviser", "role: [broken"),
    );
    let page = until(
        port,
        "/profiles/priya-shah/",
        "the problem shown",
        |_, b| b.contains("interchange-problems"),
    );
    assert!(
        page.contains("Priya now works on parking."),
        "the last good page is still served"
    );
    assert!(
        page.contains("content/profiles/priya-shah.md:"),
        "the problem names the file and line"
    );
    assert!(page.contains("help: "), "and what to do: {page}");

    // The next good save clears it.
    common::write(site.path(), "content/profiles/priya-shah.md", PROFILE);
    until(port, "/profiles/priya-shah/", "recovery", |s, b| {
        s == 200 && !b.contains("interchange-problems") && b.contains("Priya works on housing.")
    });

    // A deletion: the page is gone, and so is the listing's link to it.
    std::fs::remove_file(site.path().join("content/profiles/tom-young.md")).expect("removed");
    until(port, "/profiles/tom-young/", "the 404", |s, _| s == 404);
    // The page is withdrawn at once, before the rebuild that redraws the
    // listing: the listing follows.
    until(port, "/profiles/", "the listing without Tom", |s, b| {
        s == 200 && !b.contains("Tom Young")
    });
}

#[test]
fn build_output_never_has_the_reload_script() {
    let site = common::small_site();
    common::write(site.path(), "content/profiles/priya-shah.md", PROFILE);
    let output = common::build(site.path(), &site.path().join("public"), &[]);
    assert!(output.status.success());
    let page = std::fs::read_to_string(site.path().join("public/profiles/priya-shah/index.html"))
        .expect("built");
    assert!(!page.contains("livereload"));
}
