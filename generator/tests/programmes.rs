//! Programmes: a buddy round over one programme's members, in its groups,
//! with what people asked privately kept, and nobody given more buddies in a
//! month than they want.

use std::fs;
use std::path::Path;

use ahash::AHashMap;
use generator::matching::wishes;
use generator::matching::{BuddyOptions, Month, PastRounds, buddy_round, round};
use generator::{Directory, LoadOptions};

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().expect("a folder")).expect("folder made");
    fs::write(path, text).expect("written");
}

/// A site of four organisations, one per sector, and a programme open to
/// graduates of two cohorts, in pairs and a three for the odd one out.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path();
    write(
        root,
        "interchange.toml",
        "title = \"Vale\"\nbase_url = \"https://vale.example.gov.uk\"\norganisations = [\"council\"]\n",
    );
    for (slug, sector) in [
        ("council", "local-government"),
        ("department", "central-government"),
        ("hospital", "nhs"),
        ("police", "police"),
    ] {
        write(
            root,
            &format!("content/organisations/{slug}.md"),
            &format!("---\nname: The {slug}\nsector: {sector}\n---\n"),
        );
    }
    write(
        root,
        "content/programmes/graduates.md",
        "---\nname: Graduate buddies\norganisation: council\nkind: buddies\njoin:\n  cohorts: [ngdp-2027, fast-stream-2027]\ngroups: pairs-and-a-trio\n---\nFor graduates.\n",
    );
    dir
}

/// A profile at `organisation`, in `cohort` (if any), joining `programmes`.
fn person(root: &Path, slug: &str, organisation: &str, cohort: Option<&str>, programmes: &str) {
    let cohort = cohort.map_or(String::new(), |c| format!("cohort: {c}\n"));
    write(
        root,
        &format!("content/profiles/{slug}.md"),
        &format!(
            "---\nname: {slug}\nrole: Graduate\norganisation: {organisation}\npolicy_areas: [housing]\nopen_to: [coffee]\n{cohort}programmes: [{programmes}]\nconsent: 2026-01-01\n---\n"
        ),
    );
}

fn load(root: &Path) -> Directory {
    let loaded = generator::load(&LoadOptions::new(root.to_path_buf())).expect("loads");
    assert!(!loaded.diagnostics.has_errors(), "{:?}", loaded.diagnostics);
    loaded.directory
}

fn january() -> Month {
    "2027-01".parse().expect("a month")
}

fn options(dir: &Directory) -> BuddyOptions {
    let programme = dir
        .programme("graduates")
        .expect("the programme")
        .data
        .clone();
    BuddyOptions {
        programme: Some(("graduates".into(), programme)),
        ..BuddyOptions::new(january())
    }
}

/// The groups of a round, each as its members' ids in order.
fn groups(round: &generator::matching::BuddyRound<'_>) -> Vec<Vec<String>> {
    round
        .pairs
        .iter()
        .map(|p| {
            p.members()
                .map(|i| round.people.people[i].id.clone())
                .collect()
        })
        .collect()
}

#[test]
fn only_members_who_meet_its_rules_take_part_and_the_odd_one_out_makes_a_three() {
    let site = site();
    let root = site.path();
    person(root, "ana", "council", Some("ngdp-2027"), "graduates");
    person(
        root,
        "ben",
        "department",
        Some("fast-stream-2027"),
        "graduates",
    );
    person(root, "cat", "hospital", Some("ngdp-2027"), "graduates");
    // Joined, but in no cohort the programme is open to.
    person(root, "dev", "police", None, "graduates");
    // In a cohort, but has not joined.
    person(root, "eve", "police", Some("ngdp-2027"), "");
    let dir = load(root);
    let round = buddy_round(&dir, &PastRounds::default(), &options(&dir));

    let groups = groups(&round);
    assert_eq!(groups.len(), 1, "{groups:?}");
    let mut members = groups[0].clone();
    members.sort();
    assert_eq!(
        members,
        ["ana", "ben", "cat"],
        "three, not a pair and one left out"
    );
    assert!(round.unmatched.is_empty());
    assert_eq!(round.refused.len(), 1);
    assert_eq!(round.refused[0].0, "dev");
    let text = generator::matching::summary::buddy_summary(&round);
    assert!(
        text.starts_with("# Graduate buddies, January 2027"),
        "{text}"
    );
    assert!(text.contains("meet as three"), "{text}");
    assert!(
        text.contains("they are not in a cohort the programme is open to"),
        "{text}"
    );
    let (records, _) = generator::matching::summary::buddy_records(&round);
    assert_eq!(records[0].pair.0.len(), 3);

    // Recorded, the three are not grouped again by the programme.
    let rounds = round::Rounds::of_programme(root, "graduates");
    let file = round::RoundFile {
        month: january().to_string(),
        buddies: records,
        ..Default::default()
    };
    round::write(&rounds, january(), &file).expect("written");
    assert!(root.join("rounds/graduates/2027-01.yaml").is_file());
    let february: Month = "2027-02".parse().expect("a month");
    let history = PastRounds::read(&rounds, february, 6).expect("read");
    for (a, b) in [("ana", "ben"), ("ana", "cat"), ("ben", "cat")] {
        assert!(history.paired(a, b), "{a} and {b} met in the three");
    }
    // The whole directory's rounds are another history.
    let whole = PastRounds::read(&round::Rounds::of_directory(root), february, 6).expect("read");
    assert!(!whole.paired("ana", "ben"));
}

#[test]
fn private_wishes_are_kept_and_no_one_gets_more_buddies_than_they_want() {
    let site = site();
    let root = site.path();
    person(root, "ana", "council", Some("ngdp-2027"), "graduates");
    person(
        root,
        "ben",
        "department",
        Some("fast-stream-2027"),
        "graduates",
    );
    person(root, "cat", "hospital", Some("ngdp-2027"), "graduates");
    person(root, "dan", "police", Some("ngdp-2027"), "graduates");
    person(root, "eli", "department", Some("ngdp-2027"), "graduates");
    person(root, "fay", "hospital", Some("ngdp-2027"), "graduates");
    write(
        root,
        wishes::FILE,
        "pause:\n  - { profile: eli, until: 2027-03-01 }\napart:\n  - [ana, ben]\n  - [ana, dan]\n  - [nobody-here, ana]\n",
    );
    let dir = load(root);
    let (wishes, problems) = wishes::read(root, &dir);
    assert_eq!(problems.len(), 1, "the unknown name is a warning");
    let problem = &problems[0];
    assert_eq!(problem.file.path(), Path::new(wishes::FILE));
    assert_eq!(problem.file.line_col(problem.span.start).0, 6);
    assert!(
        problem.message.contains("nobody-here"),
        "{}",
        problem.message
    );

    // Fay is in a group this month in another scheme, and wants one buddy.
    let taken: AHashMap<String, u32> = [("fay".to_string(), 1)].into_iter().collect();
    let round = buddy_round(
        &dir,
        &PastRounds::default(),
        &BuddyOptions {
            wishes,
            taken,
            ..options(&dir)
        },
    );
    assert_eq!(round.paused, ["eli"]);
    assert_eq!(round.full, ["fay"]);
    let groups = groups(&round);
    let everyone: Vec<&String> = groups.iter().flatten().collect();
    assert!(
        !everyone.iter().any(|p| *p == "eli" || *p == "fay"),
        "{groups:?}"
    );
    for group in &groups {
        let has = |x: &str| group.iter().any(|p| p == x);
        assert!(!(has("ana") && has("ben")), "kept apart: {groups:?}");
        assert!(!(has("ana") && has("dan")), "kept apart: {groups:?}");
    }
    // Ana can meet only Cat, and does.
    assert!(
        groups
            .iter()
            .any(|g| g.contains(&"ana".to_string()) && g.contains(&"cat".to_string())),
        "{groups:?}"
    );
}

/// Everyone alike (one policy area, no place, four organisations in four
/// sectors): each is offered their own neighbours among equals, so everyone
/// is paired, not a few hubs and the rest left over.
#[test]
fn people_who_are_all_alike_are_all_paired() {
    let site = site();
    let root = site.path();
    let organisations = ["council", "department", "hospital", "police"];
    for n in 0..200 {
        person(
            root,
            &format!("person-{n:03}"),
            organisations[n % 4],
            Some("ngdp-2027"),
            "graduates",
        );
    }
    let dir = load(root);
    let round = buddy_round(&dir, &PastRounds::default(), &options(&dir));
    assert_eq!(round.people.len(), 200);
    assert_eq!(
        round.pairs.len(),
        100,
        "{} left over",
        round.unmatched.len()
    );
    assert!(round.unmatched.is_empty());
}

/// A programme has members in other directories: a profile mirrored from
/// another directory that joined this site's programme (by its host and
/// slug) is matched in it; one that joined a third directory's loads, named
/// by that directory's key, and attaches nothing to this site.
#[test]
fn people_of_other_directories_join_by_host_and_slug() {
    let site = site();
    let root = site.path();
    person(root, "ana", "council", Some("ngdp-2027"), "graduates");
    fire(
        root,
        &[
            ("ola", "vale.example.gov.uk/graduates"),
            ("pat", "graduates, leeds.example.gov.uk/yorkshire-buddies"),
        ],
    );
    let dir = load(root);
    let joined = |slug: &str| {
        dir.profile(slug)
            .expect("the profile")
            .data
            .programmes
            .clone()
    };
    assert_eq!(joined("fire.example.gov.uk/ola"), ["graduates"]);
    assert_eq!(
        joined("fire.example.gov.uk/pat"),
        [
            "fire.example.gov.uk/graduates",
            "leeds.example.gov.uk/yorkshire-buddies"
        ],
        "its own directory's programme, and a third's"
    );
    let round = buddy_round(&dir, &PastRounds::default(), &options(&dir));
    let mut members: Vec<String> = groups(&round).concat();
    members.sort();
    assert_eq!(members, ["ana", "fire.example.gov.uk/ola"]);
}

/// Profiles mirrored from fire.example.gov.uk, each `(slug, programmes)`,
/// with their organisation and the fire service's own programme.
fn fire(root: &Path, people: &[(&str, &str)]) {
    for (slug, programmes) in people {
        write(
            root,
            &format!("mirror/fire.example.gov.uk/profiles/{slug}.md"),
            &format!(
                "---\nname: {slug}\nrole: Graduate\norganisation: fire\npolicy_areas: [housing]\nopen_to: [coffee]\ncohort: ngdp-2027\nprogrammes: [{programmes}]\nconsent: 2026-01-01\norigin: https://fire.example.gov.uk/profiles/{slug}/\n---\n"
            ),
        );
    }
    write(
        root,
        "mirror/fire.example.gov.uk/organisations/fire.md",
        "---\nname: Fire\nsector: fire-and-rescue\norigin: https://fire.example.gov.uk/organisations/fire/\n---\n",
    );
    write(
        root,
        "mirror/fire.example.gov.uk/programmes/graduates.md",
        "---\nname: Fire graduates\norganisation: fire\nkind: buddies\norigin: https://fire.example.gov.uk/programmes/graduates/\n---\n",
    );
}

/// Another directory's published round, as the federation server keeps it,
/// names people by that directory's keys; the directory reads them as its
/// own keys. A person it paired counts towards their buddies this month
/// here, so this site's round leaves out someone who wants one buddy and
/// has one; but only people who joined its programme count, so a round
/// naming someone who never did takes nothing from them.
#[test]
fn another_directorys_round_counts_towards_the_buddies_people_want() {
    let site = site();
    let root = site.path();
    person(
        root,
        "ana",
        "council",
        Some("ngdp-2027"),
        "graduates, fire.example.gov.uk/graduates",
    );
    person(root, "bea", "department", Some("ngdp-2027"), "graduates");
    person(root, "cas", "hospital", Some("ngdp-2027"), "graduates");
    fire(root, &[("ola", "graduates")]);
    write(
        root,
        "mirror/fire.example.gov.uk/rounds/graduates/2027-01.yaml",
        "month: 2027-01\nmade: 2027-01-02T09:00:00Z\norigin: https://fire.example.gov.uk/programmes/graduates/rounds/2027-01/\nbuddies:\n  - pair: [ola, vale.example.gov.uk/ana]\n    weight: 1.0\n  - pair: [ola, vale.example.gov.uk/bea]\n    weight: 1.0\n",
    );
    let dir = load(root);
    assert_eq!(dir.rounds.len(), 1);
    let round = &dir.rounds[0];
    assert_eq!(
        round.programme.as_deref(),
        Some("fire.example.gov.uk/graduates")
    );
    assert_eq!(
        round.groups,
        [
            ["fire.example.gov.uk/ola", "ana"],
            ["fire.example.gov.uk/ola", "bea"]
        ]
    );
    let taken = round::groups_in(&dir, january(), Some("graduates"));
    assert_eq!(taken.get("ana"), Some(&1));
    assert_eq!(
        taken.get("bea"),
        None,
        "bea never joined the fire programme"
    );

    let round = buddy_round(
        &dir,
        &PastRounds::default(),
        &BuddyOptions {
            taken,
            ..options(&dir)
        },
    );
    let mut members: Vec<String> = groups(&round).concat();
    members.sort();
    assert_eq!(members, ["bea", "cas"], "ana has her buddy for January");
    assert_eq!(round.full, ["ana"]);
}

/// A round file that is not in the shape `match` writes is an error naming
/// its line, and the other files are read all the same.
#[test]
fn a_broken_round_file_is_named_with_its_line() {
    let site = site();
    let root = site.path();
    person(root, "ana", "council", Some("ngdp-2027"), "graduates");
    write(
        root,
        "rounds/graduates/2027-01.yaml",
        "month: 2027-01\nbuddies:\n  - pair: [ana, bea]\n    weight: lots\n",
    );
    write(root, "rounds/2027-02.yaml", "month: 2027-03\n");
    let loaded = generator::load(&LoadOptions::new(root.to_path_buf())).expect("loads");
    let problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}: {} {}",
                d.file.path().display(),
                d.file.line_col(d.span.start).0,
                d.code,
                d.message
            )
        })
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("rounds/2027-02.yaml:1: invalid-round the file is the round of 2027-02 by its name, but says `month: 2027-03`"), "{problems:?}");
    assert!(
        problems[1].starts_with("rounds/graduates/2027-01.yaml:4: invalid-round"),
        "{problems:?}"
    );
    assert_eq!(loaded.directory.profiles.len(), 1);
}

/// Two directories made their January rounds before either had the
/// other's, and both paired Ana, who wants one buddy a month. The round
/// made first keeps her: the later one's group with her is a warning
/// naming its line, and is held back from introductions. Made the other
/// way round, this site's round keeps her and says nothing.
#[test]
fn of_two_rounds_that_both_pair_someone_the_one_made_first_keeps_them() {
    let site = site();
    let root = site.path();
    person(
        root,
        "ana",
        "council",
        Some("ngdp-2027"),
        "graduates, fire.example.gov.uk/graduates",
    );
    person(root, "bea", "department", Some("ngdp-2027"), "graduates");
    person(root, "cas", "hospital", Some("ngdp-2027"), "graduates");
    person(root, "dan", "police", Some("ngdp-2027"), "graduates");
    fire(root, &[("ola", "graduates")]);
    write(
        root,
        "rounds/graduates/2027-01.yaml",
        "month: 2027-01\nmade: 2027-01-02T10:00:00Z\nbuddies:\n  - pair: [cas, dan]\n    weight: 1.0\n  - pair: [ana, bea]\n    weight: 1.0\n",
    );
    let theirs = |made: &str| {
        write(
            root,
            "mirror/fire.example.gov.uk/rounds/graduates/2027-01.yaml",
            &format!(
                "month: 2027-01\nmade: {made}\norigin: https://fire.example.gov.uk/programmes/graduates/rounds/2027-01/\nbuddies:\n  - pair: [ola, vale.example.gov.uk/ana]\n    weight: 1.0\n"
            ),
        );
    };

    theirs("2027-01-02T09:00:00Z");
    let loaded = generator::load(&LoadOptions::new(root.to_path_buf())).expect("loads");
    let warnings: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}: {} {}",
                d.file.path().display(),
                d.file.line_col(d.span.start).0,
                d.code,
                d.message
            )
        })
        .collect();
    assert_eq!(
        warnings,
        [
            "rounds/graduates/2027-01.yaml:6: paired-elsewhere ana (`ana`) is also in Fire graduates for January 2027, made 2 January 2027 09:00 UTC, which came first, and wants one buddy a month: this group is held back from introductions"
        ]
    );
    let dir = loaded.directory;
    let round = generator::matching::introductions::read(&dir, root, january(), Some("graduates"))
        .expect("the round");
    let introduced: Vec<&str> = round.groups.iter().map(|g| g.key.as_str()).collect();
    let held: Vec<&str> = round.held.iter().map(|(g, _)| g.key.as_str()).collect();
    assert_eq!(introduced, ["cas dan"]);
    assert_eq!(held, ["ana bea"]);

    theirs("2027-01-02T11:00:00Z");
    let loaded = generator::load(&LoadOptions::new(root.to_path_buf())).expect("loads");
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let round = generator::matching::introductions::read(
        &loaded.directory,
        root,
        january(),
        Some("graduates"),
    )
    .expect("the round");
    assert_eq!(round.groups.len(), 2);
    assert!(round.held.is_empty());
}

/// A profile with a name of its own, at `organisation`, joining
/// `programmes`; under `mirror/<host>/` when `host` is given.
fn named(
    root: &Path,
    host: Option<&str>,
    slug: &str,
    name: &str,
    organisation: &str,
    programmes: &str,
) {
    let (folder, origin) = match host {
        None => ("content".to_string(), String::new()),
        Some(host) => (
            format!("mirror/{host}"),
            format!("origin: https://{host}/profiles/{slug}/\n"),
        ),
    };
    write(
        root,
        &format!("{folder}/profiles/{slug}.md"),
        &format!(
            "---\nname: \"{name}\"\nrole: Graduate\norganisation: {organisation}\npolicy_areas: [housing]\nopen_to: [coffee]\ncohort: ngdp-2027\nprogrammes: [{programmes}]\nconsent: 2026-01-01\n{origin}---\n"
        ),
    );
}

/// The site at `root` built into `out`; each page's HTML by its address.
fn built(root: &Path, out: &Path) -> impl Fn(&str) -> String + use<> {
    let dir = load(root);
    let now = jiff::Timestamp::now();
    let options = generator::BuildOptions {
        output: out.to_path_buf(),
        base_url: None,
        internal: false,
    };
    generator::build(&dir, root, now, &options, &generator::render::Quiet).expect("builds");
    let out = out.to_path_buf();
    move |url: &str| {
        fs::read_to_string(out.join(url.trim_start_matches('/')).join("index.html"))
            .unwrap_or_else(|e| panic!("{url}: {e}"))
    }
}

/// What a page says, without its markup, in one line (characters written
/// as references stay so).
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the part of a page under the heading with `id` (of level 2 or 3)
/// says, up to the next heading of its level or above.
fn part(html: &str, id: &str) -> String {
    let (start, level) = [2, 3]
        .into_iter()
        .find_map(|level| {
            html.find(&format!("<h{level} id=\"{id}\">"))
                .map(|at| (at, level))
        })
        .unwrap_or_else(|| panic!("no part `{id}` in:\n{html}"));
    let rest = &html[start + 4..];
    let end = (2..=level)
        .filter_map(|l| rest.find(&format!("<h{l}")))
        .min()
        .unwrap_or(rest.len());
    text(&rest[..end])
}

/// A person's page lists the rounds they were in, newest first, each with
/// the others in their group (linked, with their organisation and, from
/// another directory, its host) or their swap; a round names only the
/// people it may: another directory's programme round says nothing on the
/// page of someone who never joined that programme. A programme's page
/// lists its rounds.
#[test]
fn pages_show_the_rounds_people_were_in() {
    let site = site();
    let root = site.path();
    named(
        root,
        None,
        "ana",
        "Ana Ali",
        "council",
        "graduates, fire.example.gov.uk/graduates",
    );
    named(root, None, "bea", "Bea Bell", "department", "graduates");
    named(root, None, "cas", "Cas Cole", "hospital", "graduates");
    fire(root, &[("pat", "graduates")]);
    // A name from another directory is text, not markup.
    named(
        root,
        Some("fire.example.gov.uk"),
        "ola",
        "Ola O'Brien <b>Chief</b>",
        "fire",
        "graduates",
    );
    write(
        root,
        "rounds/graduates/2027-01.yaml",
        "month: 2027-01\nmade: 2027-01-02T09:00:00Z\nbuddies:\n  - pair: [ana, bea]\n    weight: 1.0\n  - pair: [cas, gone]\n    weight: 1.0\n",
    );
    write(
        root,
        "mirror/fire.example.gov.uk/rounds/graduates/2027-02.yaml",
        "month: 2027-02\nmade: 2027-02-02T09:00:00Z\norigin: https://fire.example.gov.uk/programmes/graduates/rounds/2027-02/\nbuddies:\n  - pair: [ola, vale.example.gov.uk/ana]\n    weight: 1.0\n  - pair: [pat, vale.example.gov.uk/bea]\n    weight: 1.0\n",
    );
    write(
        root,
        "rounds/2027-03.yaml",
        "month: 2027-03\nswaps:\n  - cycle: [ana, cas, bea]\n    fit: 3\n",
    );
    write(
        root,
        "content/programmes/exchange.md",
        "---\nname: Job exchange\norganisation: council\nkind: swaps\n---\nSwaps.\n",
    );
    write(
        root,
        "rounds/exchange/2027-04.yaml",
        "month: 2027-04\nswaps:\n  - cycle: [gone, ana, cas]\n    fit: 3\n",
    );
    let out = tempfile::tempdir().expect("a folder");
    let page = built(root, &out.path().join("site"));

    let ana = page("/profiles/ana/");
    let ola = "<a href=\"/profiles/fire.example.gov.uk/ola/\">Ola O&#39;Brien &lt;b&gt;Chief&lt;/b&gt;</a> (Fire) <strong class=\"tag tag--mirror\">From fire.example.gov.uk</strong>";
    assert!(
        ana.contains(&format!("paired with {ola}")),
        "the mirrored partner, linked, escaped, with their organisation and host:\n{ana}"
    );
    assert!(!ana.contains("<b>Chief"));
    let said = part(&ana, "rounds");
    let lines = [
        "Job exchange, April 2027: takes the job of Cas Cole (The hospital); someone not listed here takes theirs",
        "Job swap round of this directory, March 2027: takes the job of Cas Cole (The hospital); Bea Bell (The department) takes theirs",
        "Fire graduates, February 2027: paired with Ola O&#39;Brien &lt;b&gt;Chief&lt;/b&gt; (Fire) From fire.example.gov.uk",
        "Graduate buddies, January 2027: paired with Bea Bell (The department)",
    ];
    let at: Vec<Option<usize>> = lines.iter().map(|line| said.find(line)).collect();
    assert!(at.iter().all(Option::is_some), "{lines:#?}\nin:\n{said}");
    assert!(at.is_sorted(), "newest first: {said}");
    assert!(ana.contains(
        "<a href=\"/programmes/graduates/\">Graduate buddies</a>, <time datetime=\"2027-01\">January 2027</time>: paired with <a href=\"/profiles/bea/\">Bea Bell</a> (The department)"
    ));

    // Bea never joined the fire service's programme: its round says
    // nothing of her, here or on the programme's page.
    let bea = part(&page("/profiles/bea/"), "rounds");
    assert!(
        bea.contains("Graduate buddies, January 2027: paired with Ana Ali (The council)"),
        "{bea}"
    );
    assert!(!bea.contains("February 2027"), "{bea}");
    assert!(
        bea.contains("Job swap round of this directory, March 2027: takes the job of Ana Ali (The council); Cas Cole (The hospital) takes theirs"),
        "{bea}"
    );

    // Someone this site does not list is not named.
    let cas = part(&page("/profiles/cas/"), "rounds");
    assert!(
        cas.contains("Graduate buddies, January 2027: paired with someone not listed here"),
        "{cas}"
    );

    let programme = part(&page("/programmes/graduates/"), "rounds");
    assert!(
        programme.contains("January 2027 Ana Ali (The council) and Bea Bell (The department) Cas Cole (The hospital) and someone not listed here"),
        "{programme}"
    );
    let theirs = part(
        &page("/programmes/fire.example.gov.uk/graduates/"),
        "rounds",
    );
    assert!(
        theirs.contains("February 2027 Ola O&#39;Brien &lt;b&gt;Chief&lt;/b&gt; (Fire) From fire.example.gov.uk and Ana Ali (The council) pat (Fire) From fire.example.gov.uk and someone not listed here"),
        "{theirs}"
    );
    assert!(!theirs.contains("Bea Bell"), "{theirs}");
    // A swap is told from someone the page names.
    let exchange = part(&page("/programmes/exchange/"), "rounds");
    assert!(
        exchange.contains("April 2027 Ana Ali (The council) takes the job of Cas Cole (The hospital), who takes the job of someone not listed here, who takes Ana Ali’s"),
        "{exchange}"
    );
}
