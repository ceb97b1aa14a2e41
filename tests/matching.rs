//! Matching on the demo directory, through the command line: a buddy round
//! and a swap round written to one round file, a second month that repeats
//! no pair, and the suggestions on profile pages.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::{build, interchange, repository};
use generator::matching::round::{self, RoundFile};
use generator::{Directory, LoadOptions};

/// A copy of the demo directory (config, content, mirror, static files), to
/// write rounds in.
fn demo_copy() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).expect("folder");
        for entry in fs::read_dir(from).expect("readable") {
            let entry = entry.expect("an entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("a type").is_dir() {
                copy(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), target).expect("copied");
            }
        }
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    fs::copy(
        repository().join("interchange.toml"),
        dir.path().join("interchange.toml"),
    )
    .expect("config copied");
    copy(&repository().join("content"), &dir.path().join("content"));
    for folder in ["mirror", "static"] {
        copy(&repository().join(folder), &dir.path().join(folder));
    }
    dir
}

fn run(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["match"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--root", root.to_str().expect("UTF-8")]);
    interchange(&all)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn load(root: &Path) -> Directory {
    generator::load(&LoadOptions::new(root.to_path_buf()))
        .expect("the demo loads")
        .directory
}

/// The profile a round names by its key (`slug`, or `host/slug` when
/// mirrored).
fn profile<'a>(dir: &'a Directory, id: &str) -> &'a generator::Entry<generator::content::Profile> {
    let entry = dir
        .profile(id)
        .unwrap_or_else(|| panic!("{id} is not a profile"));
    assert_eq!(entry.origin.is_mirror(), id.contains('/'), "{id}");
    entry
}

fn sector(dir: &Directory, id: &str) -> generator::content::Sector {
    let organisation = &profile(dir, id).data.organisation;
    dir.organisation(organisation)
        .expect("its organisation")
        .data
        .sector
}

#[test]
fn buddy_and_swap_rounds_on_the_demo_directory() {
    let site = demo_copy();
    let root = site.path();
    let dir = load(root);

    let out = run(root, &["buddies", "--month", "2027-01"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    assert!(
        summary.starts_with("# Buddy round, January 2027"),
        "{summary}"
    );
    let january: RoundFile =
        round::read_file(&root.join("rounds/2027-01.yaml")).expect("a round file");
    assert_eq!(january.month, "2027-01");

    // Everyone open to a buddy and not pausing is paired once or listed as
    // unmatched; the paused sit it out.
    let taking_part: BTreeSet<String> = dir
        .profiles
        .iter()
        .filter(|e| e.data.open_to.contains(&generator::content::OpenTo::Buddy))
        .filter(|e| {
            e.data
                .paused_until
                .is_none_or(|d| d <= jiff::civil::date(2027, 1, 1))
        })
        .map(|e| e.slug.clone())
        .collect();
    assert!(!taking_part.contains("imran-qureshi"), "paused until March");
    let mut seen = BTreeSet::new();
    for pair in &january.buddies {
        let [a, b] = [&pair.pair.0[0], &pair.pair.0[1]];
        assert!(
            seen.insert(a.clone()) && seen.insert(b.clone()),
            "{a} or {b} twice"
        );
        assert_ne!(
            sector(&dir, a),
            sector(&dir, b),
            "{a} and {b} share a sector"
        );
        assert_ne!(
            profile(&dir, a).data.organisation,
            profile(&dir, b).data.organisation
        );
        // Both names and every shared tag are in the summary.
        for id in [a, b] {
            assert!(
                summary.contains(&profile(&dir, id).data.name),
                "{id} not in the summary"
            );
        }
        assert!(pair.weight >= 1.0);
    }
    seen.extend(january.unmatched.iter().cloned());
    assert_eq!(seen, taking_part);
    assert_eq!(
        january.unmatched.len(),
        taking_part.len() % 2,
        "only the odd one out"
    );
    assert!(
        january
            .buddies
            .iter()
            .any(|p| p.pair.0.iter().any(|id| id.contains('/'))),
        "mirrored profiles take part: {:?}",
        january.buddies
    );
    assert!(root.join("rounds/2027-01.buddies.md").exists());

    // The same month again is refused without --force, and nothing changes.
    let before = fs::read_to_string(root.join("rounds/2027-01.yaml")).expect("readable");
    let again = run(root, &["buddies", "--month", "2027-01"]);
    assert!(!again.status.success());
    let error = text(&again.stderr);
    assert!(
        error.contains("rounds/2027-01.yaml already holds the buddy pairs of 2027-01"),
        "{error}"
    );
    assert!(error.contains("--force"), "{error}");
    assert_eq!(
        fs::read_to_string(root.join("rounds/2027-01.yaml")).expect("readable"),
        before
    );

    // A dry run prints and writes nothing.
    let dry = run(root, &["buddies", "--month", "2027-02", "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(text(&dry.stdout).contains("# Buddy round, February 2027"));
    assert!(!root.join("rounds/2027-02.yaml").exists());

    // February repeats no January pair, and January's odd one out is paired.
    let out = run(root, &["buddies", "--month", "2027-02"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let february = round::read_file(&root.join("rounds/2027-02.yaml")).expect("a round file");
    let earlier: BTreeSet<BTreeSet<&String>> = january
        .buddies
        .iter()
        .map(|p| p.pair.0.iter().collect())
        .collect();
    for pair in &february.buddies {
        let now: BTreeSet<&String> = pair.pair.0.iter().collect();
        assert!(!earlier.contains(&now), "{now:?} met in January");
    }
    for id in &january.unmatched {
        assert!(
            february.buddies.iter().any(|p| p.pair.0.contains(id)),
            "{id} waited in January and is first in line in February"
        );
    }

    // Swaps go into the same month's file, beside the buddies.
    let out = run(root, &["swaps", "--month", "2027-01"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let both = round::read_file(&root.join("rounds/2027-01.yaml")).expect("a round file");
    assert_eq!(
        both.buddies.len(),
        january.buddies.len(),
        "the buddies are kept"
    );
    assert!(!both.swaps.is_empty(), "the demo has swaps to make");
    let mut moving = BTreeSet::new();
    for cycle in &both.swaps {
        let people = &cycle.cycle.0;
        assert!((2..=3).contains(&people.len()));
        for (k, id) in people.iter().enumerate() {
            assert!(moving.insert(id.clone()), "{id} in two swaps");
            let wants = profile(&dir, id).data.swap.clone().expect("a swap offer");
            let next = profile(&dir, &people[(k + 1) % people.len()]);
            let next_sector = sector(&dir, &people[(k + 1) % people.len()]);
            assert!(wants.sectors.is_empty() || wants.sectors.contains(&next_sector));
            assert!(
                wants.policy_areas.is_empty()
                    || wants
                        .policy_areas
                        .iter()
                        .any(|p| next.data.policy_areas.contains(p))
            );
            assert_eq!(
                Some(wants.months),
                next.data.swap.as_ref().map(|s| s.months)
            );
            // Jobs of near levels, and a regulated job for someone in it.
            let (mine, theirs) = (profile(&dir, id).data.level, next.data.level);
            assert!(
                mine.zip(theirs).is_some_and(|(a, b)| a.abs_diff(b) <= 1),
                "{id} at {mine:?} takes a job at {theirs:?}"
            );
            assert_eq!(
                wants.regulated,
                next.data.swap.as_ref().and_then(|s| s.regulated)
            );
        }
    }
    // The exchange the pilot found (a police coordinator into a Head of
    // Service's job, who goes into a clinical NHS manager's) is not made.
    assert!(
        !both.swaps.iter().any(|c| {
            let people = &c.cycle.0;
            ["ben-harrow", "gareth-pryce", "chloe-adeyemi"]
                .iter()
                .all(|p| people.contains(&p.to_string()))
        }),
        "{:?}",
        both.swaps
    );
    let summary = fs::read_to_string(root.join("rounds/2027-01.swaps.md")).expect("a summary");
    assert!(summary.contains("takes"), "{summary}");
    assert!(
        summary.contains("Still needed before it starts"),
        "{summary}"
    );
    assert!(summary.contains("## Levels placed"), "{summary}");
    let max_two = run(root, &["swaps", "--month", "2027-01", "--max-cycle", "4"]);
    assert!(!max_two.status.success());
    assert!(text(&max_two.stderr).contains("an exchange is of 2 (a straight swap) or 3 people"));
}

/// The links of the "People you might like to meet" section of a page.
fn suggested(page: &Path) -> Vec<String> {
    let html = fs::read_to_string(page).expect("the page");
    let Some(start) = html.find("id=\"meet\"") else {
        return Vec::new();
    };
    let section = &html[start..];
    let section = &section[..section.find("</ul>").expect("a list")];
    section
        .split("<h3><a href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').expect("a link")].to_string())
        .collect()
}

#[test]
fn profile_pages_suggest_people_from_other_sectors_with_the_reason() {
    let site = tempfile::tempdir().expect("a temporary folder");
    let public = site.path().join("public");
    let out = build(&repository(), &public, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dir = load(&repository());

    let sophie = suggested(&public.join("profiles/sophie-marsh/index.html"));
    assert!(!sophie.is_empty() && sophie.len() <= 5, "{sophie:?}");
    let html = fs::read_to_string(public.join("profiles/sophie-marsh/index.html")).expect("page");
    assert!(html.contains("People you might like to meet"));
    assert!(html.contains("In common: "));
    for url in &sophie {
        let slug = url.trim_matches('/').rsplit('/').next().expect("a slug");
        let entry = dir.profile(slug).expect("a profile");
        assert_ne!(sector(&dir, slug), sector(&dir, "sophie-marsh"), "{slug}");
        let open = &entry.data.open_to;
        assert!(
            open.contains(&generator::content::OpenTo::Buddy)
                || open.contains(&generator::content::OpenTo::Coffee)
        );
    }

    // Fiona McLeod is internal: suggested on the intranet build, never on
    // the public site.
    let internal = site.path().join("internal");
    let out = build(&repository(), &internal, &["--internal"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let fiona = "/profiles/fiona-mcleod/".to_string();
    let on_intranet = fs::read_dir(internal.join("profiles"))
        .expect("profiles")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("index.html").exists())
        .any(|e| suggested(&e.path().join("index.html")).contains(&fiona));
    assert!(on_intranet, "Fiona is suggested somewhere on the intranet");
    for entry in fs::read_dir(public.join("profiles"))
        .expect("profiles")
        .filter_map(Result::ok)
    {
        let page = entry.path().join("index.html");
        if page.exists() {
            assert!(!suggested(&page).contains(&fiona), "{}", page.display());
        }
    }
}

/// A programme's round over its members, in its own folder; another
/// directory's programme is refused (only its owner runs it); the private
/// wishes are checked by `check` with their line.
#[test]
fn a_programme_is_run_by_its_own_directory_only() {
    let dir = demo_copy();
    let root = dir.path();
    let made = run(
        root,
        &[
            "buddies",
            "--programme",
            "vale-early-careers-buddies",
            "--month",
            "2027-01",
        ],
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let summary = text(&made.stdout);
    assert!(
        summary.starts_with("# Vale early-careers buddies, January 2027"),
        "{summary}"
    );
    let file = round::read_file(&root.join("rounds/vale-early-careers-buddies/2027-01.yaml"))
        .expect("the programme's round");
    let members: BTreeSet<String> = file.buddies.iter().flat_map(|g| g.pair.0.clone()).collect();
    let directory = load(root);
    for id in &members {
        let joined = &profile(&directory, id).data.programmes;
        assert!(
            joined.iter().any(|p| p == "vale-early-careers-buddies"),
            "{id} did not join"
        );
    }
    assert!(
        !root.join("rounds/2027-01.yaml").exists(),
        "the whole directory's round is another"
    );

    // Every three months: one round a quarter, the next from April.
    let programme = root.join("content/programmes/vale-early-careers-buddies.md");
    let text_of = fs::read_to_string(&programme).expect("the programme");
    fs::write(
        &programme,
        text_of.replace("cadence: monthly", "cadence: quarterly"),
    )
    .expect("written");
    let month = |m: &str| {
        run(
            root,
            &[
                "buddies",
                "--programme",
                "vale-early-careers-buddies",
                "--month",
                m,
            ],
        )
    };
    let february = month("2027-02");
    assert!(!february.status.success());
    let said = text(&february.stderr);
    assert!(
        said.contains("meets every three months, and its round for this quarter is 2027-01")
            && said.contains("the next is due from 2027-04"),
        "{said}"
    );
    assert!(month("2027-04").status.success());

    fs::create_dir_all(root.join("mirror/fire.example.gov.uk/programmes")).expect("folder");
    fs::write(
        root.join("mirror/fire.example.gov.uk/programmes/fire-buddies.md"),
        "---\nname: Fire buddies\norganisation: kirkby-vale-fire\nkind: buddies\norigin: https://fire.example.gov.uk/programmes/fire-buddies/\n---\n",
    )
    .expect("written");
    let refused = run(
        root,
        &[
            "buddies",
            "--programme",
            "fire.example.gov.uk/fire-buddies",
            "--month",
            "2027-01",
        ],
    );
    assert!(!refused.status.success());
    let said = text(&refused.stderr);
    assert!(
        said.contains("is run by fire.example.gov.uk: only the directory that owns a programme makes its rounds"),
        "{said}"
    );

    fs::write(
        root.join("rounds/private.yaml"),
        "pause:\n  - amira-hussain\napart:\n  - [sophie-marsh, priya-shahh]\n",
    )
    .expect("written");
    let checked = interchange(&["check", "--root", root.to_str().expect("UTF-8")]);
    let said = text(&checked.stderr);
    assert!(checked.status.success(), "a warning: {said}");
    assert!(said.contains("rounds/private.yaml:4"), "{said}");
    assert!(said.contains("priya-shahh"), "{said}");
}

/// A round file's text without the moment it was made: what two runs over
/// the same directory write alike.
fn without_made(bytes: &[u8]) -> String {
    text(bytes)
        .lines()
        .filter(|line| !line.starts_with("made: "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `interchange match` has begun writing the round of 2027-01 in
/// `rounds`: a hidden file of a write in progress, or the round file
/// changed from `before`.
fn writing(rounds: &Path, before: &Option<(std::time::SystemTime, u64)>) -> bool {
    let Ok(files) = fs::read_dir(rounds) else {
        return false;
    };
    files.filter_map(Result::ok).any(|file| {
        let name = file.file_name().to_string_lossy().into_owned();
        if name == "2027-01.yaml" {
            let now = file
                .metadata()
                .ok()
                .and_then(|m| Some((m.modified().ok()?, m.len())));
            now != *before
        } else {
            name.starts_with(".2027-01.yaml")
        }
    })
}

/// `interchange match` killed (SIGKILL) at moments over a whole run, and
/// the moment it starts writing: the month's round file and its summary
/// are each the last run's or a whole new one, never half of one, and the
/// file of an earlier month is untouched.
#[test]
fn a_round_killed_at_any_moment_leaves_the_last_round_or_a_whole_new_one() {
    let site = tempfile::tempdir().expect("a folder");
    let root = site.path();
    synth::write_site(root, synth::Sizes::for_profiles(1000), 7).expect("a site");
    let december = run(root, &["buddies", "--month", "2026-12"]);
    assert!(december.status.success(), "{}", text(&december.stderr));
    let earlier = fs::read(root.join("rounds/2026-12.yaml")).expect("December's round");

    let started = std::time::Instant::now();
    let whole = run(root, &["buddies", "--month", "2027-01", "--force"]);
    let took = started.elapsed();
    assert!(whole.status.success(), "{}", text(&whole.stderr));
    let rounds = root.join("rounds");
    let file = rounds.join("2027-01.yaml");
    let summary = rounds.join("2027-01.buddies.md");
    let (round_text, summary_text) = (
        without_made(&fs::read(&file).expect("the round")),
        fs::read(&summary).expect("the summary"),
    );

    let root_arg = root.to_str().expect("UTF-8");
    for step in 0..8u32 {
        let before = fs::metadata(&file)
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        let mut running = std::process::Command::new(env!("CARGO_BIN_EXE_interchange"))
            .args([
                "match", "buddies", "--month", "2027-01", "--force", "--root", root_arg,
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("started");
        if step < 4 {
            // A third of the way through, and on.
            std::thread::sleep(took.mul_f64(0.35 + f64::from(step) * 0.15));
        } else {
            // The moment it starts writing.
            let watching = std::time::Instant::now();
            while !writing(&rounds, &before) && watching.elapsed() < took * 4 {
                std::hint::spin_loop();
            }
        }
        let _ = running.kill();
        let _ = running.wait();
        // Compared whole, but only their sizes said: they are long.
        let now = without_made(&fs::read(&file).expect("the round is never missing"));
        assert!(
            now == round_text,
            "killed at step {step}: the round file has {} bytes, not the {} of a whole one",
            now.len(),
            round_text.len()
        );
        let now = fs::read(&summary).expect("the summary is never missing");
        assert!(
            now == summary_text,
            "killed at step {step}: the summary has {} bytes, not the {} of a whole one",
            now.len(),
            summary_text.len()
        );
    }
    assert_eq!(
        fs::read(root.join("rounds/2026-12.yaml")).expect("December's round"),
        earlier
    );
}
