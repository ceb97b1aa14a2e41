//! Tests that need programs the Rust toolchain does not bring (node,
//! Chromium, the peers in `tests/fediverse`, the mail server of
//! `tests/smtp`). Outside CI, a test whose programs are missing is
//! reported as ignored, with what is missing and how to install it; under
//! CI (`CI` set) it fails with that, as a missing browser, peer or mail
//! server must not pass for working pages, federation or email. The
//! harness, libtest-mimic, is what lets a test be ignored for a reason
//! found when it runs.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use libtest_mimic::{Arguments, Trial};

/// Runs `tests` (each a name and its body), which need what `missing`
/// says is not there (nothing, if it is empty). `what` names them in the
/// note.
pub fn run(what: &str, missing: Vec<&'static str>, tests: Vec<(&'static str, fn())>) -> ExitCode {
    let args = Arguments::from_args();
    let ignored = !missing.is_empty() && std::env::var_os("CI").is_none();
    if ignored {
        eprintln!(
            "note: {what} are ignored: {} (set CI=1 to make this a failure)",
            missing.join("; ")
        );
    }
    let trials = tests
        .into_iter()
        .map(|(name, test)| {
            let missing = missing.clone();
            Trial::test(name, move || {
                if !missing.is_empty() {
                    return Err(format!("{name} cannot run: {}", missing.join("; ")).into());
                }
                test();
                Ok(())
            })
            .with_ignored_flag(ignored)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

/// The Node 22 the peers of `tests/fediverse` run on (the `node` package).
pub fn fediverse_node() -> PathBuf {
    super::repository().join("tests/fediverse/node_modules/.bin/node")
}

/// What is missing to run the peers of `tests/fediverse`, with how to
/// install it.
pub fn fediverse_missing() -> Vec<&'static str> {
    let install = "tests/fediverse/node_modules is missing or broken (install it: `npm ci --prefix tests/fediverse`)";
    let runs = Command::new(fediverse_node())
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let modules = super::repository()
        .join("tests/fediverse/node_modules/@fedify/fedify")
        .is_dir()
        && super::repository()
            .join("tests/fediverse/node_modules/jsonld")
            .is_dir();
    if runs && modules {
        Vec::new()
    } else {
        vec![install]
    }
}

/// What is missing to run the mail server of `tests/smtp` (aiosmtpd, on
/// the `python3` on the path), with how to install it.
pub fn aiosmtpd_missing() -> Vec<&'static str> {
    python_missing(
        "aiosmtpd",
        "python3 cannot import aiosmtpd (install it: `python3 -m pip install --user aiosmtpd==1.4.6`)",
    )
}

/// What is missing to read calendars with Python's `icalendar` and
/// `recurring-ical-events` (`tests/calendars/expand.py`), with how to
/// install them.
pub fn icalendar_missing() -> Vec<&'static str> {
    python_missing(
        "icalendar, recurring_ical_events",
        "python3 cannot import icalendar and recurring_ical_events (install them: `python3 -m pip install --user icalendar==7.3.0 recurring-ical-events==3.8.2`)",
    )
}

/// `install`, unless the `python3` on the path can import `modules`.
fn python_missing(modules: &str, install: &'static str) -> Vec<&'static str> {
    let installed = Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if installed { Vec::new() } else { vec![install] }
}
