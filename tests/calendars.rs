//! The calendars as a calendar program reads them: each file read with
//! Python's `icalendar` and its series expanded with `recurring-ical-events`
//! (`tests/calendars/expand.py`), which share no code with the writer.
//!
//! Needs `python3` with both (`python3 -m pip install --user
//! icalendar==7.3.0 recurring-ical-events==3.8.2`, which `.ci/run` does).
//! Without them the tests are reported as ignored, with what is missing,
//! except under CI (`CI` set), where they fail (`common::trials`).

use std::path::Path;
use std::process::{Command, ExitCode};

use serde_json::Value;

mod common;

fn main() -> ExitCode {
    common::trials::run(
        "the calendar tests",
        common::trials::icalendar_missing(),
        vec![
            (
                "a_monthly_series_is_one_event_at_its_local_time_in_winter_and_summer",
                a_monthly_series_is_one_event_at_its_local_time_in_winter_and_summer,
            ),
            (
                "control_characters_in_any_value_add_no_line_or_event",
                control_characters_in_any_value_add_no_line_or_event,
            ),
        ],
    )
}

/// What `expand.py` reads in `file` between two days.
fn expand(file: &Path, from: &str, to: &str) -> Value {
    let script = common::repository().join("tests/calendars/expand.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(file)
        .args([from, to])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{} does not read: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from expand.py")
}

fn built(root: &Path, public: &Path) {
    let result = common::build(root, public, &[]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

fn a_monthly_series_is_one_event_at_its_local_time_in_winter_and_summer() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let public = dir.path().join("public");
    built(&common::repository(), &public);
    let uid = "https://directory.example.gov.uk/events/community-safety-curry-club/";
    // The demo's curry club: the second Thursday of each month of 2027 at
    // 18:30 in London, twelve times, but not on 12 August.
    let days = [
        "2027-01-14",
        "2027-02-11",
        "2027-03-11",
        "2027-04-08",
        "2027-05-13",
        "2027-06-10",
        "2027-07-08",
        "2027-09-09",
        "2027-10-14",
        "2027-11-11",
        "2027-12-09",
    ];
    for file in [
        "events/community-safety-curry-club/event.ics",
        "calendar.ics",
        "organisations/kirkby-vale-council/calendar.ics",
        "policy-areas/community-safety/calendar.ics",
    ] {
        let read = expand(&public.join(file), "2026-01-01", "2029-01-01");
        let series: Vec<&Value> = read["vevents"]
            .as_array()
            .expect("events")
            .iter()
            .filter(|e| e["uid"] == uid)
            .collect();
        assert_eq!(series.len(), 1, "{file}: one VEVENT for the series");
        assert_eq!(
            series[0]["rrule"], "FREQ=MONTHLY;COUNT=12;BYDAY=2TH",
            "{file}"
        );
        let dates: Vec<&Value> = read["dates"]
            .as_array()
            .expect("dates")
            .iter()
            .filter(|d| d["uid"] == uid)
            .collect();
        let locals: Vec<&str> = dates
            .iter()
            .map(|d| d["local"].as_str().expect("a local time"))
            .collect();
        let expected: Vec<String> = days.iter().map(|d| format!("{d}T18:30:00")).collect();
        assert_eq!(
            locals, expected,
            "{file}: every date at 18:30, 12 August left out"
        );
        for d in &dates {
            let month: u32 = d["local"].as_str().expect("a time")[5..7]
                .parse()
                .expect("a month");
            // GMT from November to March, BST from April to October.
            let offset = if (4..=10).contains(&month) { 3600 } else { 0 };
            assert_eq!(d["offset"], offset, "{file}: {d}");
            assert_eq!(
                d["vtimezone_offset"], offset,
                "{file}: the file's own VTIMEZONE: {d}"
            );
        }
    }
}

/// Every line break and control character an editor may write (a tab;
/// `check` refuses the invisible ones, and a mirror drops them: see
/// tests/escaping.rs), and the ends of a `<script>` and of a CDATA
/// section, for good measure.
const HOSTILE: &str = "A\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT\\r\\nUID:injected\\nSUMMARY:second\\rX-Y:z\\tw </script> ]]> ; , \\\\";

/// `HOSTILE` as the YAML and TOML above read it.
fn hostile() -> String {
    "A\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected\nSUMMARY:second\rX-Y:z\tw </script> ]]> ; , \\"
        .to_string()
}

/// Whether `read` is `written` as a calendar must carry it: each line
/// break one `\n`, a tab as it is. (Text with its
/// control characters left out, as a loader may clean them before, passes
/// too: either way no character of it made a line.)
fn carried(read: &str, written: &str) -> bool {
    let escaped = written.replace("\r\n", "\n").replace('\r', "\n");
    let dropped: String = written.chars().filter(|c| !c.is_control()).collect();
    read == escaped || read == dropped
}

fn control_characters_in_any_value_add_no_line_or_event() {
    let site = tempfile::tempdir().expect("a temporary folder");
    let root = site.path();
    common::write(
        root,
        "interchange.toml",
        &format!(
            "title = \"Small\"\nbase_url = \"https://small.example.gov.uk\"\norganisations = [\"acme\"]\n\
             [vocabulary]\npolicy_areas = [{{ slug = \"fire-drills\", label = \"{HOSTILE}\" }}]\n"
        ),
    );
    common::write(
        root,
        "content/organisations/acme.md",
        &format!("---\nname: \"{HOSTILE}\"\nsector: local-government\n---\n"),
    );
    common::write(
        root,
        "content/events/open-day.md",
        &format!(
            "---\ntitle: \"{HOSTILE}\"\nkind: open-day\nstart: 2027-05-04T10:00\nend: 2027-05-04T12:00\n\
             venue:\n  name: \"{HOSTILE}\"\n  address: \"{HOSTILE}\"\norganisation: acme\n\
             policy_areas: [fire-drills]\n---\nAn open day.\n"
        ),
    );
    let public = root.join("public");
    built(root, &public);
    let text = hostile();
    for (file, name) in [
        ("events/open-day/event.ics", text.clone()),
        ("calendar.ics", "Small: events".to_string()),
        ("organisations/acme/calendar.ics", format!("{text}: events")),
        (
            "policy-areas/fire-drills/calendar.ics",
            format!("{text}: events"),
        ),
    ] {
        let path = public.join(file);
        let raw = std::fs::read_to_string(&path).expect("the calendar");
        let read = expand(&path, "2027-01-01", "2028-01-01");
        let events = read["vevents"].as_array().expect("events");
        assert_eq!(events.len(), 1, "{file}: one VEVENT\n{raw}");
        let event = &events[0];
        assert_eq!(
            event["uid"], "https://small.example.gov.uk/events/open-day/",
            "{file}\n{raw}"
        );
        let summary = event["summary"].as_str().expect("a summary");
        assert!(
            carried(summary, &text),
            "{file}: SUMMARY {summary:?}\n{raw}"
        );
        let location = event["location"].as_str().expect("a location");
        assert!(
            carried(location, &format!("{text}, {text}")),
            "{file}: LOCATION {location:?}\n{raw}"
        );
        let calendar_name = read["name"].as_str().expect("a calendar name");
        assert!(
            carried(calendar_name, &name),
            "{file}: X-WR-CALNAME {calendar_name:?}"
        );
        assert_eq!(read["dates"].as_array().expect("dates").len(), 1, "{file}");
        // No line of the file is one the values held.
        for line in raw.split("\r\n") {
            assert!(
                !line.starts_with("UID:injected")
                    && !line.starts_with("X-Y")
                    && !line.starts_with("SUMMARY:second"),
                "{file}: {line}"
            );
        }
        let begins = raw.split("\r\n").filter(|l| *l == "BEGIN:VEVENT").count();
        assert_eq!(begins, 1, "{file}: lines that begin an event");
    }
}
