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
    let check = interchange(&["check", "--root", site]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(String::from_utf8_lossy(&check.stderr).contains("no problems"));
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
    let today = jiff::Zoned::now().date().to_string();
    assert!(text.contains(&format!("consent: {today}")), "{text}");
    let check = interchange(&["check", "--root", site]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert_eq!(
        interchange(&["new", "profile", "!!!", "--root", site])
            .status
            .code(),
        Some(1)
    );
}
