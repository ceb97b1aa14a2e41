//! Job swaps as the pilot asked for them: only between jobs of near levels,
//! a regulated job only with someone in its profession, no more of an
//! organisation's people than the places it committed, and a summary that
//! says what each swap still needs and the mix of levels placed.

use std::fs;
use std::path::Path;

use generator::matching::summary::{swap_records, swap_summary};
use generator::matching::swaps::{Solver, SwapMethod, Unplaced};
use generator::matching::{Month, SwapOptions, swap_round};
use generator::{AsOf, Directory, LoadOptions};

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
    fs::write(path, text).expect("written");
}

/// A site with the organisations `(slug, sector, places)`.
fn site(organisations: &[(&str, &str, Option<u32>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    write(
        dir.path(),
        "interchange.toml",
        &format!(
            "title = \"Test\"\nbase_url = \"https://directory.example.gov.uk\"\norganisations = [\"{}\"]\n",
            organisations[0].0
        ),
    );
    for (slug, sector, places) in organisations {
        let places = places.map_or(String::new(), |n| format!("swap_places: {n}\n"));
        write(
            dir.path(),
            &format!("content/organisations/{slug}.md"),
            &format!("---\nname: {slug}\nsector: {sector}\n{places}---\n"),
        );
    }
    dir
}

/// A swap offer: `extra` holds more of the swap's fields (`regulated:`),
/// each line indented by two.
struct Offer<'a> {
    slug: &'a str,
    role: &'a str,
    organisation: &'a str,
    grade: &'a str,
    areas: &'a str,
    wants_sectors: &'a str,
    wants_areas: &'a str,
    extra: &'a str,
}

fn offer(root: &Path, o: &Offer<'_>) {
    write(
        root,
        &format!("content/profiles/{}.md", o.slug),
        &format!(
            "---\nname: {}\nrole: {}\norganisation: {}\ngrade: {}\nlocation: Kirkby Vale\npolicy_areas: {}\nopen_to: [job-swap]\nconsent: 2026-10-01\nswap:\n  months: 3\n{}  wants:\n    sectors: {}\n    policy_areas: {}\n---\nA person.\n",
            o.slug,
            o.role,
            o.organisation,
            o.grade,
            o.areas,
            o.extra,
            o.wants_sectors,
            o.wants_areas
        ),
    );
}

fn load(root: &Path) -> Directory {
    let loaded = generator::load(&LoadOptions {
        root: root.to_path_buf(),
        as_of: AsOf::Date(jiff::civil::date(2026, 11, 23)),
    })
    .expect("the site loads");
    assert!(!loaded.diagnostics.has_errors(), "{:?}", loaded.diagnostics);
    loaded.directory
}

fn january() -> Month {
    "2027-01".parse().expect("a month")
}

/// The exchanges of a round, each as its people's slugs.
fn exchanges(dir: &Directory) -> Vec<Vec<String>> {
    let round = swap_round(dir, &SwapOptions::new(january()));
    swap_records(&round)
        .0
        .into_iter()
        .map(|c| c.cycle.0)
        .collect()
}

/// The three offers the pilot found placed together: a police sergeant
/// coordinating mental health work would take a council Head of Service's
/// job, who would take an NHS mental health liaison team manager's (a
/// nursing post, Band 8a), who would take the sergeant's.
fn the_found_defect(root: &Path, head_of_service: &str, nursing: &str) {
    offer(
        root,
        &Offer {
            slug: "ben-harrow",
            role: "Mental Health and Vulnerability Coordinator",
            organisation: "police-force",
            grade: "Sergeant",
            areas: "[policing, mental-health, safeguarding]",
            wants_sectors: "[local-government]",
            wants_areas: "[safeguarding, adult-social-care]",
            extra: "",
        },
    );
    offer(
        root,
        &Offer {
            slug: "gareth-pryce",
            role: "Head of Adult Social Care Commissioning",
            organisation: "city-council",
            grade: head_of_service,
            areas: "[adult-social-care, safeguarding]",
            wants_sectors: "[nhs]",
            wants_areas: "[mental-health]",
            extra: "",
        },
    );
    offer(
        root,
        &Offer {
            slug: "chloe-adeyemi",
            role: "Mental Health Liaison Team Manager",
            organisation: "hospital-trust",
            grade: "Band 8a",
            areas: "[mental-health, hospital-care, safeguarding]",
            wants_sectors: "[police]",
            wants_areas: "[mental-health, policing]",
            extra: nursing,
        },
    );
}

const THREE: &[(&str, &str, Option<u32>)] = &[
    ("city-council", "local-government", None),
    ("police-force", "police", None),
    ("hospital-trust", "nhs", None),
];

#[test]
fn the_found_defect_is_not_placed() {
    // As the pilot ran it: three jobs of three sizes, one of them clinical.
    let dir = site(THREE);
    the_found_defect(dir.path(), "Head of Service", "  regulated: nursing\n");
    let directory = load(dir.path());
    assert_eq!(exchanges(&directory), Vec::<Vec<String>>::new());
    let round = swap_round(&directory, &SwapOptions::new(january()));
    assert_eq!(round.why_unplaced, vec![Unplaced::NoExchange; 3]);

    // The Head of Service alone (level 6 among two at level 4) keeps it
    // from being made, even with no regulated job in it.
    let dir = site(THREE);
    the_found_defect(dir.path(), "Head of Service", "");
    assert_eq!(
        exchanges(&load(dir.path())),
        Vec::<Vec<String>>::new(),
        "two bands apart"
    );

    // So does the nursing post alone, among three jobs of one level.
    let dir = site(THREE);
    the_found_defect(dir.path(), "PO3", "  regulated: nursing\n");
    assert_eq!(
        exchanges(&load(dir.path())),
        Vec::<Vec<String>>::new(),
        "a nurse's job for a sergeant"
    );

    // Without either, the same three wants make the exchange: the test
    // above is of the rules, not of what they want.
    let dir = site(THREE);
    the_found_defect(dir.path(), "PO3", "");
    assert_eq!(
        exchanges(&load(dir.path())),
        vec![vec![
            "ben-harrow".to_string(),
            "gareth-pryce".to_string(),
            "chloe-adeyemi".to_string()
        ]]
    );
}

/// `n` people in `from` who each want a job in `to`'s sector, and `n` in
/// `to` who each want one in `from`'s, all at one level: everyone could be
/// placed in straight swaps.
fn two_sides(root: &Path, from: &str, to: &str, n: usize) {
    for i in 0..n {
        for (side, org, wants) in [("a", from, "[nhs]"), ("b", to, "[local-government]")] {
            offer(
                root,
                &Offer {
                    slug: &format!("{side}-{i}"),
                    role: "Officer",
                    organisation: org,
                    grade: "Grade 7",
                    areas: "[housing]",
                    wants_sectors: wants,
                    wants_areas: "[housing]",
                    extra: "",
                },
            );
        }
    }
}

#[test]
fn an_organisation_s_places_are_never_exceeded() {
    let dir = site(&[
        ("city-council", "local-government", Some(2)),
        ("hospital-trust", "nhs", None),
    ]);
    two_sides(dir.path(), "city-council", "hospital-trust", 5);
    let directory = load(dir.path());
    let round = swap_round(&directory, &SwapOptions::new(january()));
    assert_eq!(
        round.placed(),
        4,
        "two of the council's, and their partners"
    );
    let council = round
        .organisations
        .iter()
        .find(|o| o.slug == "city-council")
        .expect("the council");
    assert_eq!((council.places, council.placed), (Some(2), 2));
    let taken = round
        .unplaced
        .iter()
        .zip(&round.why_unplaced)
        .filter(|(i, why)| round.offers[**i].id.starts_with("a-") && **why == Unplaced::PlacesTaken)
        .count();
    assert_eq!(taken, 3, "{:?}", round.why_unplaced);
    let summary = swap_summary(&round, &directory);
    assert!(
        summary.contains("city-council's 2 places this round were all taken"),
        "{summary}"
    );
    assert!(summary.contains("| city-council | 2 | 2 |"), "{summary}");

    // No places at all: none of its people placed.
    let dir = site(&[
        ("city-council", "local-government", Some(0)),
        ("hospital-trust", "nhs", Some(3)),
    ]);
    two_sides(dir.path(), "city-council", "hospital-trust", 3);
    let directory = load(dir.path());
    let round = swap_round(&directory, &SwapOptions::new(january()));
    assert_eq!(round.placed(), 0);
}

#[test]
fn a_regulated_job_swaps_only_within_its_profession() {
    let dir = site(&[
        ("hospital-trust", "nhs", None),
        ("police-force", "police", None),
        ("city-council", "local-government", None),
    ]);
    let root = dir.path();
    let person = |slug: &str, organisation: &str, wants: &str, regulated: &str| {
        offer(
            root,
            &Offer {
                slug,
                role: "Practitioner",
                organisation,
                grade: "Band 7",
                areas: "[mental-health]",
                wants_sectors: wants,
                wants_areas: "[mental-health]",
                extra: regulated,
            },
        );
    };
    // A nurse in the trust, who would go anywhere.
    person(
        "nurse-a",
        "hospital-trust",
        "[police, local-government]",
        "  regulated: nursing\n",
    );
    // A social worker in the council and an unregistered officer in the
    // force, who would both go to the trust: neither can take a nurse's job.
    person(
        "social-worker",
        "city-council",
        "[nhs]",
        "  regulated: social-work\n",
    );
    person("officer", "police-force", "[nhs]", "");
    let directory = load(root);
    assert_eq!(exchanges(&directory), Vec::<Vec<String>>::new());

    // A nurse in the force swaps with the nurse in the trust.
    person("nurse-b", "police-force", "[nhs]", "  regulated: nursing\n");
    let directory = load(root);
    assert_eq!(
        exchanges(&directory),
        vec![vec!["nurse-a".to_string(), "nurse-b".to_string()]]
    );
    let round = swap_round(&directory, &SwapOptions::new(january()));
    let summary = swap_summary(&round, &directory);
    assert!(
        summary.contains(
            "the teams taking them on check that nurse-a and nurse-b are registered with the Nursing and Midwifery Council (nursing)"
        ),
        "{summary}"
    );
    assert!(
        summary.contains("nurse-a passes police vetting to work at police-force"),
        "{summary}"
    );
    assert!(
        summary.contains("no one at a near level and in social work wanted their job"),
        "{summary}"
    );
}

#[test]
fn the_summary_says_what_each_swap_needs_and_the_levels_placed() {
    let dir = site(&[
        ("city-council", "local-government", Some(10)),
        ("department", "central-government", None),
        ("police-force", "police", None),
    ]);
    let root = dir.path();
    for (slug, organisation, grade, wants, extra) in [
        (
            "council-a",
            "city-council",
            "SO2",
            "[central-government]",
            "",
        ),
        (
            "civil-servant-a",
            "department",
            "HEO",
            "[local-government]",
            "  vetting: security-check\n",
        ),
        (
            "council-b",
            "city-council",
            "Head of Service",
            "[police]",
            "",
        ),
        (
            "police-b",
            "police-force",
            "Superintendent",
            "[local-government]",
            "",
        ),
        ("council-c", "city-council", "Scale 3", "[police]", ""),
        ("council-d", "city-council", "Grade Q", "[police]", ""),
    ] {
        offer(
            root,
            &Offer {
                slug,
                role: "Officer",
                organisation,
                grade,
                areas: "[housing]",
                wants_sectors: wants,
                wants_areas: "[housing]",
                extra,
            },
        );
    }
    let directory = load(root);
    let round = swap_round(&directory, &SwapOptions::new(january()));
    let summary = swap_summary(&round, &directory);
    assert!(
        summary.contains("Still needed before it starts: both people's managers agree to it and council-a passes security check clearance (SC) to work at department."),
        "{summary}"
    );
    assert!(
        summary.contains("Still needed before it starts: both people's managers agree to it and council-b passes police vetting to work at police-force."),
        "{summary}"
    );
    for row in [
        "| Level | Offered | Placed | Local government | Central government | Police |",
        "| 1, entry (under £28,000) | 1 | 0 | 0 | 0 | 0 |",
        "| 3, experienced practitioner (£35,000 to £46,000) | 2 | 2 | 1 | 1 | 0 |",
        "| 6, head of service (£80,000 to £110,000) | 2 | 2 | 1 | 0 | 1 |",
        "| no level | 1 | 0 | 0 | 0 | 0 |",
        "| All | 6 | 4 | 2 | 1 | 1 |",
        "| city-council | 10 | 2 |",
    ] {
        assert!(summary.contains(row), "{row}\n{summary}");
    }
    assert!(
        summary.contains("their grade, Grade Q, is in no level band; set `level:` on their profile, or add the grade to `[levels]` in interchange.toml"),
        "{summary}"
    );
    // What an organiser reads is in plain words.
    for jargon in ["integer program", "cycle", "greedy"] {
        assert!(
            !summary.to_lowercase().contains(jargon),
            "{jargon}: {summary}"
        );
    }
}

#[test]
fn a_site_may_ask_for_the_same_level_only() {
    let dir = site(&[
        ("city-council", "local-government", None),
        ("hospital-trust", "nhs", None),
    ]);
    let root = dir.path();
    // Band 8b is level 5, Head of Service level 6.
    for (slug, organisation, grade, wants) in [
        ("council", "city-council", "Head of Service", "[nhs]"),
        ("trust", "hospital-trust", "Band 8b", "[local-government]"),
    ] {
        offer(
            root,
            &Offer {
                slug,
                role: "Manager",
                organisation,
                grade,
                areas: "[housing]",
                wants_sectors: wants,
                wants_areas: "[housing]",
                extra: "",
            },
        );
    }
    assert_eq!(
        exchanges(&load(root)).len(),
        1,
        "one band apart, by default"
    );
    let config = fs::read_to_string(root.join("interchange.toml")).expect("config");
    write(
        root,
        "interchange.toml",
        &format!("{config}\n[swaps]\nlevels_apart = 0\n"),
    );
    assert_eq!(exchanges(&load(root)).len(), 0, "the same band only");
    // An option a programme could set overrides the site's.
    let directory = load(root);
    let round = swap_round(
        &directory,
        &SwapOptions {
            levels_apart: Some(1),
            ..SwapOptions::new(january())
        },
    );
    assert_eq!(round.cycles.len(), 1);
}

/// Someone who asked privately never to be matched with another does not
/// swap with them: with one offer on each side, there is no swap at all.
#[test]
fn people_who_asked_to_be_kept_apart_do_not_swap() {
    let dir = site(&[
        ("city-council", "local-government", None),
        ("hospital-trust", "nhs", None),
    ]);
    two_sides(dir.path(), "city-council", "hospital-trust", 1);
    let directory = load(dir.path());
    assert_eq!(exchanges(&directory), [["a-0", "b-0"]]);
    write(
        dir.path(),
        "rounds/private.yaml",
        "apart:\n  - [b-0, a-0]\n",
    );
    let (wishes, problems) = generator::matching::wishes::read(dir.path(), &directory);
    assert!(problems.is_empty(), "{problems:?}");
    let round = swap_round(
        &directory,
        &SwapOptions {
            wishes,
            ..SwapOptions::new(january())
        },
    );
    assert_eq!(round.placed(), 0);
}

/// An exchange of three that would block two straight swaps: taking
/// exchanges of three first (the greedy choice) places three people, the
/// two swaps four. The round places four, with whichever solver the program
/// was built with, and its summary says in plain words that no choice
/// could do better.
#[test]
fn the_round_places_the_most_people_and_says_it_is_proven_best() {
    let dir = site(&[
        ("city-council", "local-government", None),
        ("hospital-trust", "nhs", None),
        ("county-police", "police", None),
        ("housing-department", "central-government", None),
        ("second-police", "police", None),
    ]);
    for (slug, organisation, wants) in [
        ("a", "city-council", "[nhs, central-government]"),
        ("b", "hospital-trust", "[police]"),
        ("c", "county-police", "[local-government]"),
        ("d", "housing-department", "[local-government]"),
        ("e", "second-police", "[nhs]"),
    ] {
        offer(
            dir.path(),
            &Offer {
                slug,
                role: "Officer",
                organisation,
                grade: "Grade 7",
                areas: "[housing]",
                wants_sectors: wants,
                wants_areas: "[housing]",
                extra: "",
            },
        );
    }
    let directory = load(dir.path());
    for &solver in Solver::ALL {
        let round = swap_round(
            &directory,
            &SwapOptions {
                solver,
                ..SwapOptions::new(january())
            },
        );
        assert_eq!(round.possible, 3, "a, b and c; a and d; b and e");
        assert_eq!(round.placed(), 4, "{}", solver.name());
        assert_eq!(round.method, SwapMethod::Exact, "{}", solver.name());
        let placed: Vec<Vec<String>> = swap_records(&round)
            .0
            .into_iter()
            .map(|c| c.cycle.0)
            .collect();
        assert_eq!(placed, [["a", "d"], ["b", "e"]]);
        let summary = swap_summary(&round, &directory);
        assert!(
            summary.contains(
                "There were 3 possible exchanges; these are proven the best: no other choice places more people, and of those placing as many, none suits people better."
            ),
            "{summary}"
        );
        for jargon in ["cycle", "integer program", "solver"] {
            assert!(
                !summary.to_lowercase().contains(jargon),
                "{jargon}: {summary}"
            );
        }
    }
}
