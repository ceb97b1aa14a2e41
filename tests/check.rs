//! `interchange check` as a comms officer runs it: the built binary on real
//! folders, its exit code and what it prints.

use std::path::Path;

mod common;
use common::{interchange, repository};

fn broken_site() -> String {
    repository()
        .join("tests/fixtures/broken-site")
        .display()
        .to_string()
}

/// Every problem planted in tests/fixtures/broken-site, as `file:line code`.
const EXPECTED: &[&str] = &[
    "content/asks/mentor.md:5 invalid-date",
    "content/consultations/backwards.md:4 closes-before-opens",
    "content/consultations/backwards.md:6 invalid-email",
    "content/events/online-chat.md:4 no-end",
    "content/events/spring-forward.md:3 invalid-value",
    "content/events/spring-forward.md:4 nonexistent-local-time",
    "content/events/spring-forward.md:6 invalid-repeat",
    "content/events/spring-forward.md:8 unlisted-profile",
    "content/organisations/northmoor-council.md:3 invalid-value",
    "content/organisations/northmoor-council.md:4 invalid-url",
    "content/organisations/northmoor-council.md:5 missing-file",
    "content/pages/about.md:1 missing-front-matter",
    "content/profiles/ada-lovell.md:4 unknown-field",
    "content/profiles/ada-lovell.md:5 unknown-policy-area",
    "content/profiles/ada-lovell.md:8 consent-in-future",
    "content/profiles/ada-lovell.md:10 invalid-email",
    "content/profiles/ben-carter.md:4 unknown-reference",
    "content/profiles/ben-carter.md:6 similar-interests",
    "content/profiles/ben-carter.md:9 no-level",
    "content/profiles/ben-carter.md:9 swap-without-job-swap",
    "content/profiles/cat-doyle.md:1 missing-field",
    "content/profiles/cat-doyle.md:3 wrong-type",
    "content/profiles/dan-evans.md:3 syntax",
    // It names this site's organisation, not one its own directory sent.
    "mirror/fire.example.gov.uk/profiles/ben-carter.md:4 unknown-reference",
];

#[test]
fn broken_site_reports_every_problem_as_json_and_exits_1() {
    let site = broken_site();
    let output = interchange(&[
        "check",
        "--root",
        &site,
        "--now",
        "2026-11-23",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let mut found = Vec::new();
    for line in stdout.lines() {
        let d: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
        for key in [
            "file", "line", "column", "code", "message", "hint", "severity",
        ] {
            assert!(d.get(key).is_some(), "{key} missing in {line}");
        }
        found.push(format!(
            "{}:{} {}",
            d["file"].as_str().unwrap_or_default(),
            d["line"],
            d["code"].as_str().unwrap_or_default()
        ));
    }
    assert_eq!(found, EXPECTED);
}

#[test]
fn broken_site_shows_each_problem_with_its_place_and_advice() {
    let site = broken_site();
    let output = interchange(&["check", "--root", &site, "--now", "2026-11-23"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 output");
    for expected in EXPECTED {
        let (place, code) = expected.split_once(' ').expect("place and code");
        assert!(
            stderr.contains(&format!("[{place}:")),
            "{place} not shown:\n{stderr}"
        );
        assert!(stderr.contains(code), "{code} not shown");
    }
    // The snippet shows the offending line, and the advice is given.
    assert!(stderr.contains("sector: local-goverment"));
    assert!(stderr.contains("did you mean `local-government`?"));
    assert!(stderr.contains("add the scheme: `https://www.northmoor.example.gov.uk`"));
    // Not a terminal: no colour codes.
    assert!(!stderr.contains('\u{1b}'), "colour codes in piped output");
    assert!(
        stderr.contains("Checked 13 files: 20 errors and 4 warnings."),
        "{stderr}"
    );
}

#[test]
fn demo_directory_checks_clean() {
    let root = repository().display().to_string();
    let output = interchange(&["check", "--root", &root]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("no problems"), "{stderr}");
}

#[test]
fn a_folder_that_is_not_a_site_is_explained() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let output = interchange(&["check", "--root", &dir.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("has no interchange.toml"), "{stderr}");
    assert!(stderr.contains("--root DIR"), "{stderr}");
}

#[test]
fn a_bad_date_for_now_is_a_usage_error() {
    let output = interchange(&["check", "--now", "soon"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`soon` is not a date"));
}

/// What `check` says of `[email]` in a small site's config, as
/// `line code message hint` lines.
fn email_problems(table: &str) -> Vec<String> {
    config_problems(&format!("[email]\n{table}"))
}

/// What `check` says of a small site's config with `tables` after it, as
/// `line code message hint` lines.
fn config_problems(tables: &str) -> Vec<String> {
    let site = common::small_site();
    common::write(
        site.path(),
        "interchange.toml",
        &format!("{}\n{tables}", common::SMALL_CONFIG),
    );
    let output = interchange(&[
        "check",
        "--root",
        &site.path().display().to_string(),
        "--format",
        "json",
    ]);
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let d: serde_json::Value = serde_json::from_str(line).expect("JSON");
            format!(
                "{} {} {} | {}",
                d["line"],
                d["code"].as_str().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default(),
                d["hint"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn email_settings_are_checked_and_a_password_is_refused() {
    let good =
        "host = \"smtp.small.example.gov.uk\"\nfrom = \"Small <buddies@small.example.gov.uk>\"\n";
    assert_eq!(email_problems(good), Vec::<String>::new());

    // Credentials come from the environment: in the file they would be
    // committed and published.
    let problems = email_problems(&format!("{good}password = \"hunter2\"\n"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("8 unknown-field"), "{problems:?}");
    assert!(
        problems[0].contains("INTERCHANGE_SMTP_PASSWORD"),
        "{problems:?}"
    );

    let problems = email_problems(
        "host = \"smtp.small.example.gov.uk:587\"\ntls = \"ssl\"\nfrom = \"not an address\"\n",
    );
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].starts_with("6 invalid-value"), "{problems:?}");
    assert!(problems[0].contains("port = 587"), "{problems:?}");
    assert!(problems[1].starts_with("7 invalid-value"), "{problems:?}");
    assert!(problems[2].starts_with("8 invalid-email"), "{problems:?}");

    // Unencrypted mail to another machine is allowed, with a warning.
    let problems = email_problems(&format!("{good}tls = \"none\"\n"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("unencrypted"), "{problems:?}");
    let problems = email_problems(
        "host = \"127.0.0.1\"\ntls = \"none\"\nfrom = \"buddies@small.example.gov.uk\"\n",
    );
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn connection_limits_are_checked() {
    let table = "[federation]\nhandle = \"small\"\n";
    let good = format!(
        "{table}header_timeout_seconds = 5\nbody_timeout_seconds = 10\nidle_timeout_seconds = 30\nmax_connections = 500\n"
    );
    assert_eq!(config_problems(&good), Vec::<String>::new());

    let problems = config_problems(&format!(
        "{table}header_timeout_seconds = 0\nidle_timeout_seconds = \"1m\"\nmax_connections = 0\n"
    ));
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(
        problems[0]
            .starts_with("7 invalid-value 0 is out of range | use a whole number from 1 to 3600"),
        "{problems:?}"
    );
    assert!(problems[1].starts_with("8 "), "{problems:?}");
    assert!(problems[1].contains("whole number"), "{problems:?}");
    assert!(
        problems[2].starts_with(
            "9 invalid-value 0 is out of range | use a whole number from 1 to 1000000"
        ),
        "{problems:?}"
    );
}

/// A problem far along a very long line (a pasted list of 7,000 interests)
/// is reported with its place, by `check` and by `build`, never a crash.
#[test]
fn a_problem_on_a_very_long_line_is_reported_not_a_crash() {
    let site = common::small_site();
    let root = site.path();
    let interests: Vec<String> = (0..7_000).map(|i| format!("interest-{i}")).collect();
    common::write(
        root,
        "content/profiles/long-line.md",
        &format!(
            "---\nname: Long Line\nrole: Officer\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-01-01\ninterests: [{}, NOT A SLUG]\n---\n",
            interests.join(", ")
        ),
    );
    let root_arg = root.to_str().expect("UTF-8");
    let out = tempfile::tempdir().expect("a folder");
    for run in [
        interchange(&["check", "--root", root_arg]),
        interchange(&[
            "build",
            "--root",
            root_arg,
            "--output",
            out.path().join("public").to_str().expect("UTF-8"),
        ]),
    ] {
        let said = String::from_utf8_lossy(&run.stderr);
        assert_eq!(
            run.status.code(),
            Some(1),
            "{}",
            &said[..said.len().min(2_000)]
        );
        assert!(
            said.contains("content/profiles/long-line.md:8:")
                && said.contains("`NOT A SLUG` is not a valid slug"),
            "{}",
            &said[..said.len().min(2_000)]
        );
    }
}

/// The mistakes people make writing front matter are told in plain words,
/// on their own line, with the line as it should be.
#[test]
fn common_front_matter_mistakes_are_explained_with_the_corrected_line() {
    let site = common::small_site();
    let root = site.path();
    let profile = |slug: &str, line: &str| {
        common::write(
            root,
            &format!("content/profiles/{slug}.md"),
            &format!(
                "---\nname: Priya Shah\n{line}\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-01-01\n---\n"
            ),
        );
    };
    profile("colon", "role: Head of Service: Communities");
    profile("tab", "contact:\n\temail: priya@acme.gov.uk");
    profile(
        "bullets",
        "role: Adviser\ninterests:\n  • data\n  • housing",
    );
    profile("curly", "role: “Adviser: housing”");
    profile("email", "role: Adviser\nemail: priya@acme.gov.uk");
    common::write(
        root,
        "content/profiles/body-bullets.md",
        "---\nname: Priya Shah\nrole: Adviser\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2025-01-01\n---\nPriya works on:\n\n• allocations\n• homelessness\n",
    );
    common::write(
        root,
        "content/profiles/misspelled.md",
        "---\nname: Priya Shah\nrole: Adviser\norganisation: acme\npolcy_areas: [housing]\nopen_to: [coffee]\nconsent: 06/12/2025\n---\n",
    );
    profile(
        "unbracketed",
        "role: Adviser\ninterests: data, service-design",
    );
    let run = interchange(&[
        "check",
        "--root",
        root.to_str().expect("UTF-8"),
        "--format",
        "json",
    ]);
    let said = String::from_utf8_lossy(&run.stdout);
    let found: Vec<serde_json::Value> = said
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let about = |file: &str| -> (String, String, u64) {
        let d = found
            .iter()
            .find(|d| d["file"] == format!("content/profiles/{file}.md"))
            .unwrap_or_else(|| panic!("nothing about {file}: {said}"));
        (
            d["message"].as_str().unwrap_or_default().to_string(),
            d["hint"].as_str().unwrap_or_default().to_string(),
            d["line"].as_u64().unwrap_or_default(),
        )
    };
    assert_eq!(
        about("colon"),
        (
            "a colon inside a value needs quotes around the value".into(),
            "write the line as: role: \"Head of Service: Communities\"".into(),
            3
        )
    );
    assert_eq!(
        about("tab"),
        (
            "this line is indented with a tab: front matter is indented with spaces".into(),
            "write the line as:   email: priya@acme.gov.uk".into(),
            4
        )
    );
    assert_eq!(about("bullets").1, "write the line as:   - data");
    assert_eq!(about("bullets").2, 5);
    assert_eq!(
        about("curly").1,
        "write the line as: role: \"Adviser: housing\""
    );
    assert_eq!(
        about("body-bullets"),
        (
            "this line starts with a bullet pasted from a word processor: Markdown runs such lines together into one paragraph".into(),
            "start each item of a list with `- `, like `- allocations`".into(),
            11
        )
    );
    assert!(
        about("email")
            .1
            .starts_with("`email` goes under `contact:`"),
        "{:?}",
        about("email")
    );
    let misspelled: Vec<(String, String)> = found
        .iter()
        .filter(|d| d["file"] == "content/profiles/misspelled.md")
        .map(|d| {
            (
                d["message"].as_str().unwrap_or_default().to_string(),
                d["hint"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        misspelled,
        [
            (
                "`polcy_areas` is not a field: it looks like `policy_areas`, which a profile needs"
                    .to_string(),
                "rename it to `policy_areas`".to_string()
            ),
            (
                "`06/12/2025` is not a date".to_string(),
                "write it as `2025-12-06` (dates are year, month, day)".to_string()
            ),
        ],
        "one message for the misspelling, none for a missing field"
    );
    assert_eq!(
        about("unbracketed"),
        (
            "`data, service-design` is a list: a list is written in square brackets".into(),
            "write `[data, service-design]`".into(),
            4
        )
    );
}

/// Nothing outside the site is read: a link to a file or folder outside it
/// is an error (and its text never shown), a broken or looping link is
/// reported, and a file saved under another ending is named.
#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_refused_and_odd_files_are_named() {
    use std::os::unix::fs::symlink;
    let site = common::small_site();
    let root = site.path();
    let outside = tempfile::tempdir().expect("a folder");
    std::fs::write(
        outside.path().join("secret.md"),
        "---\nname: Secret\n---\nTOP SECRET TEXT\n",
    )
    .expect("written");
    std::fs::create_dir_all(root.join("content/profiles")).expect("a folder");
    symlink(
        outside.path().join("secret.md"),
        root.join("content/profiles/secret.md"),
    )
    .expect("a link");
    symlink(outside.path(), root.join("content/pages")).expect("a link");
    std::fs::create_dir_all(root.join("static/photos")).expect("a folder");
    symlink(
        outside.path().join("secret.md"),
        root.join("static/photos/priya.jpg"),
    )
    .expect("a link");
    symlink(
        root.join("content/profiles/nowhere.md"),
        root.join("content/profiles/broken.md"),
    )
    .expect("a link");
    symlink(root.join("content"), root.join("content/profiles/loop")).expect("a link");
    for name in ["ana.markdown", "bo.md.txt", "cy.MD"] {
        common::write(
            root,
            &format!("content/profiles/{name}"),
            "---\nname: X\n---\n",
        );
    }
    let run = interchange(&[
        "check",
        "--root",
        root.to_str().expect("UTF-8"),
        "--format",
        "json",
    ]);
    let said = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(1), "{said}");
    assert!(!said.contains("TOP SECRET"), "{said}");
    let codes: Vec<(String, String, String)> = said
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_string(),
                d["code"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let has = |file: &str, code: &str, severity: &str| {
        codes.contains(&(file.to_string(), code.to_string(), severity.to_string()))
    };
    assert!(
        has("content/profiles/secret.md", "outside-site", "error"),
        "{codes:?}"
    );
    assert!(has("content/pages", "outside-site", "error"), "{codes:?}");
    assert!(
        has("static/photos/priya.jpg", "outside-site", "error"),
        "{codes:?}"
    );
    assert!(
        has("content/profiles/broken.md", "broken-file-link", "warning"),
        "{codes:?}"
    );
    assert!(
        has("content/profiles/loop", "broken-file-link", "warning"),
        "{codes:?}"
    );
    for name in ["ana.markdown", "bo.md.txt", "cy.MD"] {
        assert!(
            has(
                &format!("content/profiles/{name}"),
                "not-an-entry-file",
                "warning"
            ),
            "{codes:?}"
        );
    }
    assert_eq!(codes.len(), 8, "nothing else, and nothing read: {codes:?}");
}
