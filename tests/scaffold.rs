//! `interchange init` and `interchange new`: what they write checks and
//! builds at once.

mod common;
use common::interchange;

fn run(args: &[&str]) -> String {
    let output = interchange(args);
    assert!(
        output.status.success(),
        "{args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Records that the officer of the profile at `path` agreed, on the first
/// of January 2026.
fn agree(path: &std::path::Path) {
    let text = std::fs::read_to_string(path).expect("a profile");
    std::fs::write(
        path,
        text.replace("\nconsent:\n", "\nconsent: 2026-01-01\n"),
    )
    .expect("written");
}

#[test]
fn init_then_check_then_build_in_an_empty_folder() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let site = dir.path().join("leeds");
    let site = site.to_str().expect("UTF-8");
    run(&["init", site, "--organisation", "Leeds City Council"]);
    for file in [
        "interchange.toml",
        "content/organisations/leeds-city-council.md",
        "content/pages/privacy-notice.md",
        "content/pages/accessibility-statement.md",
        ".gitignore",
        ".github/workflows/site.yml",
    ] {
        assert!(dir.path().join("leeds").join(file).is_file(), "{file}");
    }
    // The example person has not agreed to be listed: nothing is built
    // until someone asks and records the date they did.
    let check = interchange(&["check", "--root", site]);
    let said = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{said}");
    assert!(
        said.contains("`consent` is empty")
            && said.contains("ask the officer whether they agree to be listed"),
        "{said}"
    );
    assert_eq!(
        said.matches("error[").count() + said.matches("× ").count(),
        1,
        "{said}"
    );
    let help = said
        .lines()
        .find(|l| l.trim_start().starts_with("help:"))
        .unwrap_or_default();
    assert!(
        !help.chars().any(|c| c.is_ascii_digit()),
        "no date is suggested: {help}"
    );
    agree(&dir.path().join("leeds/content/profiles/alex-example.md"));
    // Built, but every line of example text is named until it is replaced.
    let check = interchange(&["check", "--root", site, "--format", "json"]);
    let said = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{said}");
    let placeholders: Vec<String> = said
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|d| d["code"] == "placeholder")
        .map(|d| format!("{}:{}", d["file"].as_str().unwrap_or_default(), d["line"]))
        .collect();
    for place in [
        "interchange.toml:3",
        "content/organisations/leeds-city-council.md:4",
        "content/profiles/alex-example.md:3",
        "content/pages/privacy-notice.md:14",
    ] {
        assert!(
            placeholders.contains(&place.to_string()),
            "{place}: {placeholders:?}"
        );
    }
    assert!(
        said.lines().all(|l| !l.contains("\"severity\":\"error\"")),
        "{said}"
    );
    let built = run(&["build", "--root", site]);
    assert!(built.contains("Built"), "{built}");
    assert!(
        dir.path()
            .join("leeds/public/profiles/alex-example/index.html")
            .is_file()
    );
    // A second init does not overwrite the site.
    assert_eq!(interchange(&["init", site]).status.code(), Some(1));
}

#[test]
fn new_entries_get_a_fresh_slug_and_check_clean() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let site = dir.path().to_str().expect("UTF-8");
    run(&["init", site]);
    let first = run(&["new", "profile", "Zoë O'Brien", "--root", site]);
    assert!(first.contains("content/profiles/zoe-o-brien.md"), "{first}");
    let second = run(&["new", "profile", "Zoë O'Brien", "--root", site]);
    assert!(
        second.contains("content/profiles/zoe-o-brien-2.md"),
        "{second}"
    );
    for (kind, name) in [
        ("event", "Curry club"),
        ("consultation", "Parking review"),
        ("ask", "Find a mentor"),
        ("page", "Contact us"),
        ("programme", "Graduate buddies"),
    ] {
        run(&["new", kind, name, "--root", site]);
    }
    let text = std::fs::read_to_string(dir.path().join("content/profiles/zoe-o-brien.md"))
        .expect("written");
    assert!(
        text.contains("# Ask Zoë O'Brien whether they agree to be listed")
            && text.contains("\nconsent:\n"),
        "consent is left for someone to collect: {text}"
    );
    for profile in ["alex-example", "zoe-o-brien", "zoe-o-brien-2"] {
        agree(&dir.path().join(format!("content/profiles/{profile}.md")));
    }
    let check = interchange(&["check", "--root", site]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // Any name is read back as itself, whatever YAML would make of it.
    for (kind, name) in [
        ("event", "Housing: what next?"),
        ("profile", "Seán Ó Briain #1"),
        ("page", "True"),
        ("consultation", "@council's \"review\""),
        ("organisation", "Yes"),
    ] {
        let made = run(&["new", kind, name, "--root", site]);
        let path = made
            .split_whitespace()
            .find(|w| w.contains("content/"))
            .expect("the file written");
        if kind == "profile" {
            agree(std::path::Path::new(path));
        }
        let loaded =
            generator::load(&generator::LoadOptions::new(dir.path())).expect("the site loads");
        assert!(
            !loaded.diagnostics.has_errors(),
            "{name}: {:?}",
            loaded.diagnostics
        );
        let written = loaded
            .directory
            .profiles
            .iter()
            .map(|p| p.data.name.clone())
            .chain(loaded.directory.events.iter().map(|e| e.data.title.clone()))
            .chain(loaded.directory.pages.iter().map(|p| p.data.title.clone()))
            .chain(
                loaded
                    .directory
                    .consultations
                    .iter()
                    .map(|c| c.data.title.clone()),
            )
            .chain(
                loaded
                    .directory
                    .organisations
                    .iter()
                    .map(|o| o.data.name.clone()),
            )
            .any(|n| n == name);
        assert!(written, "`{name}` read back as itself");
    }
    assert_eq!(
        interchange(&["new", "profile", "!!!", "--root", site])
            .status
            .code(),
        Some(1)
    );
}
