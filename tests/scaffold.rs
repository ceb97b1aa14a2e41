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

/// A YAML file that `init` wrote, read as JSON values.
fn yaml(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("written");
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The steps of a GitHub Actions job.
fn steps(job: &serde_json::Value) -> &[serde_json::Value] {
    job["steps"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// The step of `steps` that uses the action `name` (at any version).
fn uses<'a>(steps: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with(&format!("{name}@")))
        })
        .unwrap_or_else(|| panic!("a step using {name}: {steps:?}"))
}

#[test]
fn init_writes_ci_that_checks_every_push_and_publishes_the_default_branch() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let site = dir.path().to_str().expect("UTF-8");
    run(&["init", site]);
    // Installed from the project's own repository, at this version.
    let repository = env!("CARGO_PKG_REPOSITORY");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        repository.starts_with("https://") && !repository.contains(".invalid"),
        "{repository}"
    );
    let install = format!(
        "cargo install --locked --git {repository} --tag \"v$INTERCHANGE_VERSION\" interchange"
    );
    let gitlab_install = format!(
        "cargo install --locked --root .interchange --git {repository} --tag \"v$INTERCHANGE_VERSION\" interchange"
    );

    // GitHub: every push and pull request, hourly, by hand.
    let github = yaml(&dir.path().join(".github/workflows/site.yml"));
    let on = &github["on"];
    for trigger in ["push", "pull_request", "workflow_dispatch"] {
        assert!(on.get(trigger).is_some(), "on: {trigger}: {on}");
    }
    assert_eq!(on["schedule"][0]["cron"], "0 * * * *", "{on}");
    assert_eq!(github["env"]["INTERCHANGE_VERSION"], version);
    assert_eq!(github["permissions"]["contents"], "read");
    let build = steps(&github["jobs"]["build"]);
    assert_eq!(
        uses(build, "actions/checkout")["with"]["fetch-depth"],
        0,
        "the whole history, which dates feeds and calendars"
    );
    // The command is kept between runs, per version, and compiled only
    // when it is not.
    let cache = uses(build, "actions/cache");
    assert_eq!(cache["with"]["path"], "~/.cargo/bin/interchange");
    let key = cache["with"]["key"].as_str().unwrap_or_default();
    assert!(key.contains("env.INTERCHANGE_VERSION"), "{key}");
    let id = cache["id"].as_str().expect("the cache step's id");
    let runs: Vec<(&str, &str)> = build
        .iter()
        .filter_map(|s| Some((s["run"].as_str()?, s["if"].as_str().unwrap_or_default())))
        .collect();
    let commands: Vec<&str> = runs.iter().map(|(run, _)| *run).collect();
    assert_eq!(
        commands,
        [install.as_str(), "interchange check", "interchange build"]
    );
    assert_eq!(runs[0].1, format!("steps.{id}.outputs.cache-hit != 'true'"));
    // What was built is published from the default branch (and by the
    // hourly run, which is always on it), never from a pull request.
    let upload = uses(build, "actions/upload-pages-artifact");
    assert_eq!(upload["with"]["path"], "public/");
    let deploy = &github["jobs"]["deploy"];
    for condition in [&upload["if"], &deploy["if"]] {
        let condition = condition.as_str().expect("a condition");
        for part in [
            "github.event_name == 'schedule'",
            "github.event_name != 'pull_request'",
            "github.ref_name == github.event.repository.default_branch",
        ] {
            assert!(condition.contains(part), "{condition}");
        }
    }
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["permissions"]["pages"], "write");
    assert_eq!(deploy["permissions"]["id-token"], "write");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    assert_eq!(deploy["concurrency"]["group"], "pages");
    assert_eq!(deploy["concurrency"]["cancel-in-progress"], false);
    let deployment = uses(steps(deploy), "actions/deploy-pages");
    assert_eq!(
        deploy["environment"]["url"],
        format!(
            "${{{{ steps.{}.outputs.page_url }}}}",
            deployment["id"].as_str().expect("the deploy step's id")
        )
    );

    // GitLab: every push checked; Pages from the default branch; the
    // hourly schedule is the project's setting, which the file says.
    let path = dir.path().join(".gitlab-ci.yml");
    let gitlab = yaml(&path);
    assert_eq!(gitlab["variables"]["INTERCHANGE_VERSION"], version);
    assert_eq!(gitlab["variables"]["GIT_DEPTH"], "0");
    let default = &gitlab["default"];
    assert!(
        default["before_script"]
            .as_array()
            .expect("before_script")
            .iter()
            .filter_map(|line| line.as_str())
            .any(|line| line
                == format!("test -x .interchange/bin/interchange || {gitlab_install}")),
        "{default}"
    );
    assert_eq!(default["cache"]["key"], "interchange-$INTERCHANGE_VERSION");
    assert_eq!(default["cache"]["paths"][0], ".interchange/");
    let check = &gitlab["check"];
    assert!(check.get("rules").is_none(), "checked on every push");
    assert_eq!(check["script"][0], "interchange check");
    let pages = &gitlab["pages"];
    assert_eq!(
        pages["rules"][0]["if"],
        "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
    );
    assert_eq!(pages["script"][0], "interchange build");
    assert_eq!(pages["artifacts"]["paths"][0], "public");
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(
        text.contains("Pipeline schedules") && text.contains("0 * * * *"),
        "{text}"
    );
    for text in [
        text,
        std::fs::read_to_string(dir.path().join(".github/workflows/site.yml")).expect("written"),
    ] {
        assert!(text.contains("base_url"), "tells where to publish: {text}");
    }
}
