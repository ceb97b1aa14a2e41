//! Matching rounds on random small directories, checked against exhaustive
//! search: buddy pairs weigh what the best of all pairings weighs, no one
//! appears twice, every pair crosses sectors and organisations, and no pair
//! of an earlier round recurs; swap cycles are valid, disjoint, within the
//! length limit, between people of near levels and of the same regulated
//! profession, within each organisation's places, and place as many people
//! as the best of every choice.

use std::fs;
use std::path::Path;

use generator::matching::round::{self, CycleRecord, PairRecord, RoundFile};
use generator::matching::{BuddyOptions, Month, PastRounds, SwapOptions, buddy_round, swap_round};
use generator::{AsOf, Directory, LoadOptions};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

const SECTORS: [&str; 4] = ["local-government", "central-government", "nhs", "police"];
const AREAS: [&str; 4] = ["housing", "adult-social-care", "policing", "mental-health"];
// More than fit beside a person in the matcher's packed lines (11 tags
// with their policy areas), so that both places tags are kept are tested.
const INTERESTS: [&str; 10] = [
    "data",
    "service-design",
    "coaching",
    "mapping",
    "evaluation",
    "procurement",
    "digital",
    "finance",
    "planning",
    "research",
];
const PLACES: [&str; 3] = ["Leeds", "London", "Kirkby Vale"];
/// Grades of four level bands, from four sectors' scales.
const GRADES: [(&str, u8); 6] = [
    ("Band 5", 2),
    ("HEO", 3),
    ("SO2", 3),
    ("Grade 7", 4),
    ("Sergeant", 4),
    ("Band 8b", 5),
];
const PROFESSIONS: [&str; 2] = ["nursing", "social-work"];

/// A swap offer: months, and the sectors, policy areas and places wanted.
type Wants = (u32, Vec<usize>, Vec<usize>, Vec<usize>);

/// One random person.
#[derive(Debug, Clone)]
struct Person {
    organisation: usize,
    areas: Vec<usize>,
    interests: Vec<usize>,
    place: usize,
    buddy: bool,
    paused: bool,
    swap: Option<Wants>,
    /// A position in `GRADES`, or none (no level: never placed).
    grade: Option<usize>,
    /// A position in `PROFESSIONS`, for a regulated job.
    regulated: Option<usize>,
}

/// A random small directory and an earlier round.
#[derive(Debug, Clone)]
struct Instance {
    sectors: Vec<usize>,
    /// Each organisation's `swap_places`, if it has any.
    places: Vec<Option<u32>>,
    /// `[swaps] levels_apart`.
    levels_apart: u8,
    people: Vec<Person>,
    earlier: Vec<(usize, usize)>,
}

fn subset(n: usize, min: usize) -> impl Strategy<Value = Vec<usize>> {
    proptest::sample::subsequence((0..n).collect::<Vec<_>>(), min..=n)
}

fn person(organisations: usize) -> impl Strategy<Value = Person> {
    (
        0..organisations,
        subset(AREAS.len(), 1),
        subset(INTERESTS.len(), 0),
        0..PLACES.len(),
        prop::bool::weighted(0.85),
        prop::bool::weighted(0.1),
        prop::option::weighted(
            0.7,
            (
                prop_oneof![Just(3u32), Just(6u32)],
                subset(SECTORS.len(), 0),
                subset(AREAS.len(), 0),
                subset(PLACES.len(), 0),
            ),
        ),
        prop::option::weighted(0.9, 0..GRADES.len()),
        prop::option::weighted(0.25, 0..PROFESSIONS.len()),
    )
        .prop_map(
            |(organisation, areas, interests, place, buddy, paused, swap, grade, regulated)| {
                Person {
                    organisation,
                    areas,
                    interests,
                    place,
                    buddy,
                    paused,
                    swap,
                    grade,
                    regulated,
                }
            },
        )
}

fn instance() -> impl Strategy<Value = Instance> {
    (3usize..=5).prop_flat_map(|organisations| {
        (
            prop::collection::vec(0..SECTORS.len(), organisations),
            prop::collection::vec(prop::option::weighted(0.4, 0u32..=2), organisations),
            0u8..=1,
            prop::collection::vec(person(organisations), 2..=9),
            prop::collection::vec((0usize..9, 0usize..9), 0..4),
        )
            .prop_map(|(sectors, places, levels_apart, people, earlier)| {
                let n = people.len();
                let earlier = earlier
                    .into_iter()
                    .map(|(a, b)| (a % n, b % n))
                    .filter(|(a, b)| a != b)
                    .collect();
                Instance {
                    sectors,
                    places,
                    levels_apart,
                    people,
                    earlier,
                }
            })
    })
}

fn list(names: &[&str], picked: &[usize]) -> String {
    let names: Vec<&str> = picked.iter().map(|&i| names[i]).collect();
    format!("[{}]", names.join(", "))
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
    fs::write(path, text).expect("written");
}

/// A site on disk with its config and an organisation `org-N` in each of
/// `sectors`, for the caller to add people to.
fn organisations(sectors: &[&str]) -> tempfile::TempDir {
    organisations_with(sectors, &vec![None; sectors.len()], 1)
}

/// The same, each organisation with its `swap_places`, and the site's
/// `levels_apart`.
fn organisations_with(
    sectors: &[&str],
    places: &[Option<u32>],
    levels_apart: u8,
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    write(
        root,
        "interchange.toml",
        &format!(
            "title = \"Test\"\nbase_url = \"https://directory.example.gov.uk\"\norganisations = [\"org-0\"]\n\n[swaps]\nlevels_apart = {levels_apart}\n"
        ),
    );
    for (i, sector) in sectors.iter().enumerate() {
        let places = places[i].map_or(String::new(), |n| format!("swap_places: {n}\n"));
        write(
            root,
            &format!("content/organisations/org-{i}.md"),
            &format!("---\nname: Organisation {i}\nsector: {sector}\n{places}---\n"),
        );
    }
    dir
}

/// The instance as a site on disk, with its earlier round in `rounds/`.
fn site(instance: &Instance) -> tempfile::TempDir {
    let sectors: Vec<&str> = instance.sectors.iter().map(|&s| SECTORS[s]).collect();
    let dir = organisations_with(&sectors, &instance.places, instance.levels_apart);
    let root = dir.path();
    for (i, p) in instance.people.iter().enumerate() {
        let mut open_to = vec!["coffee"];
        if p.buddy {
            open_to.push("buddy");
        }
        let mut swap = String::new();
        if let Some((months, sectors, areas, places)) = &p.swap {
            open_to.push("job-swap");
            let regulated = p.regulated.map_or(String::new(), |r| {
                format!("  regulated: {}\n", PROFESSIONS[r])
            });
            swap = format!(
                "swap:\n  months: {months}\n{regulated}  wants:\n    sectors: {}\n    policy_areas: {}\n    locations: {}\n",
                list(&SECTORS, sectors),
                list(&AREAS, areas),
                list(&PLACES, places)
            );
        }
        let grade = p
            .grade
            .map_or(String::new(), |g| format!("grade: {}\n", GRADES[g].0));
        let paused = if p.paused {
            "paused_until: 2027-03-01\n"
        } else {
            ""
        };
        write(
            root,
            &format!("content/profiles/person-{i}.md"),
            &format!(
                "---\nname: Person {i}\nrole: Officer {i}\norganisation: org-{}\n{grade}location: {}\npolicy_areas: {}\ninterests: {}\nopen_to: [{}]\nconsent: 2026-10-01\n{paused}{swap}---\nA person.\n",
                p.organisation,
                PLACES[p.place],
                list(&AREAS, &p.areas),
                list(&INTERESTS, &p.interests),
                open_to.join(", "),
            ),
        );
    }
    let earlier = RoundFile {
        month: "2026-12".into(),
        buddies: instance
            .earlier
            .iter()
            .map(|&(a, b)| PairRecord {
                pair: serde_saphyr::FlowSeq(vec![format!("person-{a}"), format!("person-{b}")]),
                weight: 1.0,
                reasons: serde_saphyr::FlowSeq(vec![]),
                place: None,
            })
            .collect(),
        ..RoundFile::default()
    };
    round::write(
        &round::Rounds::of_directory(root),
        "2026-12".parse().expect("a month"),
        &earlier,
    )
    .expect("round written");
    dir
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

fn index(id: &str) -> usize {
    id.trim_start_matches("person-").parse().expect("a person")
}

/// What a pair is worth, by the rule the docs give: 1 for meeting, 1 for
/// the same place, and ln(1 + n/df) for each shared tag, where n is the
/// number of people taking part and df how many of them have the tag; all
/// in hundredths.
fn worth(instance: &Instance, taking_part: &[usize], a: usize, b: usize) -> i64 {
    let (x, y) = (&instance.people[a], &instance.people[b]);
    let n = taking_part.len() as f64;
    let mut points = 100;
    if x.place == y.place {
        points += 100;
    }
    let rarity = |has: &dyn Fn(&Person) -> bool| {
        let df = taking_part
            .iter()
            .filter(|&&i| has(&instance.people[i]))
            .count() as f64;
        ((1.0 + n / df).ln() * 100.0).round() as i64
    };
    for area in x.areas.iter().filter(|t| y.areas.contains(t)) {
        points += rarity(&|p: &Person| p.areas.contains(area));
    }
    for interest in x.interests.iter().filter(|t| y.interests.contains(t)) {
        points += rarity(&|p: &Person| p.interests.contains(interest));
    }
    points
}

fn may_pair(instance: &Instance, a: usize, b: usize) -> bool {
    let (x, y) = (&instance.people[a], &instance.people[b]);
    x.organisation != y.organisation
        && instance.sectors[x.organisation] != instance.sectors[y.organisation]
        && !instance
            .earlier
            .iter()
            .any(|&(s, t)| (s, t) == (a, b) || (s, t) == (b, a))
}

/// The best total of any set of disjoint allowed pairs.
fn best_total(instance: &Instance, taking_part: &[usize]) -> i64 {
    fn go(rest: &[usize], weigh: &dyn Fn(usize, usize) -> Option<i64>) -> i64 {
        let Some((&first, others)) = rest.split_first() else {
            return 0;
        };
        let mut best = go(others, weigh);
        for (k, &other) in others.iter().enumerate() {
            if let Some(w) = weigh(first, other) {
                let remaining: Vec<usize> = others
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != k)
                    .map(|(_, &p)| p)
                    .collect();
                best = best.max(w + go(&remaining, weigh));
            }
        }
        best
    }
    go(taking_part, &|a, b| {
        may_pair(instance, a, b).then(|| worth(instance, taking_part, a, b))
    })
}

/// Whether `b`'s job suits what `a` wants, by the rule the docs give: what
/// `a` wants of it, the same months, both levels known and at most
/// `levels_apart` apart, and the same regulated profession or none.
fn suits(instance: &Instance, a: usize, b: usize) -> bool {
    let (x, y) = (&instance.people[a], &instance.people[b]);
    let (Some((months_x, sectors, areas, places)), Some((months_y, ..))) = (&x.swap, &y.swap)
    else {
        return false;
    };
    let (Some(level_x), Some(level_y)) =
        (x.grade.map(|g| GRADES[g].1), y.grade.map(|g| GRADES[g].1))
    else {
        return false;
    };
    a != b
        && x.organisation != y.organisation
        && months_x == months_y
        && level_x.abs_diff(level_y) <= instance.levels_apart
        && x.regulated == y.regulated
        && (sectors.is_empty() || sectors.contains(&instance.sectors[y.organisation]))
        && (areas.is_empty() || areas.iter().any(|t| y.areas.contains(t)))
        && (places.is_empty() || places.contains(&y.place))
}

/// The most people any set of disjoint cycles of at most `max` places,
/// placing no more of an organisation's people than its places, where
/// `left` is what each organisation has left.
fn most_placed(instance: &Instance, rest: &[usize], max: usize, left: &mut [Option<u32>]) -> usize {
    let Some((&first, others)) = rest.split_first() else {
        return 0;
    };
    let mut best = most_placed(instance, others, max, left);
    let without = |gone: &[usize]| -> Vec<usize> {
        others
            .iter()
            .copied()
            .filter(|p| !gone.contains(p))
            .collect()
    };
    // Takes a cycle's places if each of its organisations has one left.
    let take = |left: &mut [Option<u32>], people: &[usize]| -> bool {
        let organisations: Vec<usize> = people
            .iter()
            .map(|&p| instance.people[p].organisation)
            .collect();
        if organisations.iter().any(|&o| left[o] == Some(0)) {
            return false;
        }
        for &o in &organisations {
            if let Some(n) = &mut left[o] {
                *n -= 1;
            }
        }
        true
    };
    let give_back = |left: &mut [Option<u32>], people: &[usize]| {
        for &p in people {
            if let Some(n) = &mut left[instance.people[p].organisation] {
                *n += 1;
            }
        }
    };
    for &b in others {
        if suits(instance, first, b) && suits(instance, b, first) && take(left, &[first, b]) {
            best = best.max(2 + most_placed(instance, &without(&[b]), max, left));
            give_back(left, &[first, b]);
        }
        if max >= 3 {
            for &c in others.iter().filter(|&&c| c != b) {
                let organisations = [first, b, c].map(|p| instance.people[p].organisation);
                let distinct = organisations[0] != organisations[1]
                    && organisations[1] != organisations[2]
                    && organisations[0] != organisations[2];
                if distinct
                    && suits(instance, first, b)
                    && suits(instance, b, c)
                    && suits(instance, c, first)
                    && take(left, &[first, b, c])
                {
                    best = best.max(3 + most_placed(instance, &without(&[b, c]), max, left));
                    give_back(left, &[first, b, c]);
                }
            }
        }
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn buddy_pairs_are_the_best_cross_sector_pairing(instance in instance()) {
        let dir = site(&instance);
        let directory = load(dir.path());
        let history = PastRounds::read(&round::Rounds::of_directory(dir.path()), january(), 6).expect("history");
        let round = buddy_round(&directory, &history, &BuddyOptions::new(january()));
        let (pairs, unmatched) = generator::matching::summary::buddy_records(&round);

        let taking_part: Vec<usize> = (0..instance.people.len())
            .filter(|&i| instance.people[i].buddy && !instance.people[i].paused)
            .collect();
        let mut seen = Vec::new();
        let mut total = 0;
        for pair in &pairs {
            let [a, b] = [index(&pair.pair.0[0]), index(&pair.pair.0[1])];
            prop_assert!(taking_part.contains(&a) && taking_part.contains(&b));
            prop_assert!(!seen.contains(&a) && !seen.contains(&b), "someone twice: {pairs:?}");
            seen.extend([a, b]);
            prop_assert!(may_pair(&instance, a, b), "{a} and {b} may not be paired");
            let expected = worth(&instance, &taking_part, a, b);
            prop_assert_eq!((pair.weight * 100.0).round() as i64, expected);
            total += expected;
        }
        prop_assert_eq!(total, best_total(&instance, &taking_part));
        let mut everyone: Vec<usize> = seen.clone();
        everyone.extend(unmatched.iter().map(|id| index(id)));
        everyone.sort_unstable();
        prop_assert_eq!(everyone, taking_part);
    }

    #[test]
    fn swap_cycles_place_as_many_as_any_choice(instance in instance(), max in 2usize..=3) {
        let dir = site(&instance);
        let directory = load(dir.path());
        let round = swap_round(&directory, &SwapOptions { max_cycle: max, ..SwapOptions::new(january()) });
        let (cycles, unplaced) = generator::matching::summary::swap_records(&round);
        let mut seen = Vec::new();
        for CycleRecord { cycle, .. } in &cycles {
            let people: Vec<usize> = cycle.0.iter().map(|id| index(id)).collect();
            prop_assert!((2..=max).contains(&people.len()), "{people:?}");
            for (k, &p) in people.iter().enumerate() {
                prop_assert!(!instance.people[p].paused);
                prop_assert!(!seen.contains(&p), "someone twice: {cycles:?}");
                seen.push(p);
                let next = people[(k + 1) % people.len()];
                prop_assert!(suits(&instance, p, next), "{p} cannot take {next}'s job");
            }
            if people.len() == 3 {
                let organisations: Vec<usize> = people.iter().map(|&p| instance.people[p].organisation).collect();
                prop_assert!(organisations[0] != organisations[1] && organisations[1] != organisations[2] && organisations[0] != organisations[2]);
            }
        }
        for (o, places) in instance.places.iter().enumerate() {
            let placed = seen.iter().filter(|&&p| instance.people[p].organisation == o).count();
            prop_assert!(places.is_none_or(|n| placed <= n as usize), "org-{o} has {places:?} places and {placed} placed");
        }
        let offers: Vec<usize> = (0..instance.people.len())
            .filter(|&i| instance.people[i].swap.is_some() && !instance.people[i].paused)
            .collect();
        let mut left = instance.places.clone();
        prop_assert_eq!(seen.len(), most_placed(&instance, &offers, max, &mut left));
        prop_assert_eq!(seen.len() + unplaced.len(), offers.len());
    }
}

#[test]
fn a_buddy_round_is_the_same_every_time() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..10 {
        let instance = instance()
            .new_tree(&mut runner)
            .expect("an instance")
            .current();
        let dir = site(&instance);
        let directory = load(dir.path());
        let history = PastRounds::read(&round::Rounds::of_directory(dir.path()), january(), 6)
            .expect("history");
        let options = BuddyOptions::new(january());
        let first = generator::matching::summary::buddy_records(&buddy_round(
            &directory, &history, &options,
        ));
        let again = generator::matching::summary::buddy_records(&buddy_round(
            &directory, &history, &options,
        ));
        assert_eq!(format!("{first:?}"), format!("{again:?}"));
    }
}

/// A pair's score is the base, the place, and the points of every tag both
/// have, however many tags there are: many more than the matcher keeps as
/// bits, and more than fit beside a person.
#[test]
fn a_pairs_score_counts_every_shared_tag_common_or_rare() {
    use generator::matching::people::{BASE_POINTS, PLACE_POINTS, People};
    let dir = organisations(&["nhs", "police"]);
    let root = dir.path();
    // 300 interests, each person with about half of them, overlapping unevenly.
    let interests = |i: usize| -> Vec<String> {
        (0..300)
            .filter(|k| (k / (i + 1)).is_multiple_of(2))
            .map(|k| format!("topic-{k}"))
            .collect()
    };
    for i in 0..8 {
        write(
            root,
            &format!("content/profiles/person-{i}.md"),
            &format!(
                "---\nname: Person {i}\nrole: Officer\norganisation: org-{}\nlocation: {}\npolicy_areas: [housing]\ninterests: [{}]\nopen_to: [buddy]\nconsent: 2026-10-01\n---\nA person.\n",
                i % 2,
                PLACES[i % 2],
                interests(i).join(", "),
            ),
        );
    }
    let directory = load(root);
    let people = People::new(&directory, |_| true);
    assert_eq!(people.len(), 8);
    for a in 0..people.len() {
        for b in (0..people.len()).filter(|&b| b != a) {
            let common = people.common(a, b);
            // The shared tags, from the profiles themselves.
            let theirs = |i: usize| {
                let p = &people.people[i].entry.data;
                let mut tags: Vec<String> = p.interests.clone();
                tags.extend(p.policy_areas.iter().cloned());
                tags
            };
            let mut expected: Vec<String> = theirs(a)
                .into_iter()
                .filter(|t| theirs(b).contains(t))
                .collect();
            let mut found: Vec<String> = common
                .tags
                .iter()
                .map(|&t| people.tag(t).slug.clone())
                .collect();
            expected.sort();
            found.sort();
            assert_eq!(found, expected, "{a} and {b} share");
            assert!(expected.len() > 30, "{a} and {b} share many tags");
            let place =
                people.people[a].entry.data.location == people.people[b].entry.data.location;
            let points = BASE_POINTS
                + if place { PLACE_POINTS } else { 0 }
                + common
                    .tags
                    .iter()
                    .map(|&t| people.tag(t).points)
                    .sum::<i32>();
            assert_eq!(people.points(a, b), points, "{a} and {b} score");
        }
    }
}
