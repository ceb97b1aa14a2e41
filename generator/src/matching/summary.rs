//! A round as it is recorded (the records of `rounds/<month>.yaml`) and as
//! people read it (a Markdown summary with a short introduction for each
//! pair or swap, for the email that announces the round).

use std::fmt::Write as _;

use serde_saphyr::FlowSeq;

use super::buddies::{BuddyRound, Unpaired};
use super::people::People;
use super::round::{CycleRecord, PairRecord};
use super::swaps::{Cycle, Offer, SwapRound, Unplaced};
use crate::content::levels;
use crate::content::profile::Profile;
use crate::content::{Choice, Directory, Entry, Sector, Vetting};
use crate::content::{TaxonomyKind, term_label};

/// The pairs and the unmatched of a buddy round, as recorded.
pub fn buddy_records(round: &BuddyRound<'_>) -> (Vec<PairRecord>, Vec<String>) {
    let people = &round.people;
    let pairs = round
        .pairs
        .iter()
        .map(|p| PairRecord {
            pair: FlowSeq(p.members().map(|i| people.people[i].id.clone()).collect()),
            weight: f64::from(p.common.points) / 100.0,
            reasons: FlowSeq(
                p.common
                    .tags
                    .iter()
                    .map(|&t| people.tag(t).slug.clone())
                    .collect(),
            ),
            place: p
                .common
                .same_place
                .then(|| people.place(p.a).unwrap_or("").to_string()),
        })
        .collect();
    let unmatched = round
        .unmatched
        .iter()
        .map(|&(i, _)| people.people[i].id.clone())
        .collect();
    (pairs, unmatched)
}

/// The cycles and the unplaced of a swap round, as recorded.
pub fn swap_records(round: &SwapRound<'_>) -> (Vec<CycleRecord>, Vec<String>) {
    let cycles = round
        .cycles
        .iter()
        .map(|c| CycleRecord {
            cycle: FlowSeq(
                c.people
                    .iter()
                    .map(|&i| round.offers[i].id.clone())
                    .collect(),
            ),
            fit: c.fit,
        })
        .collect();
    let unplaced = round
        .unplaced
        .iter()
        .map(|&i| round.offers[i].id.clone())
        .collect();
    (cycles, unplaced)
}

/// "1 pair was", "3 pairs were".
fn counted(n: usize, one: &str, more: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { more })
}

/// The first word of a name, as a sentence that already named the person
/// in full calls them.
fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

/// "Priya Shah (Policy Adviser, Leeds City Council, local government)".
fn introduce(dir: &Directory, entry: &Entry<Profile>) -> String {
    let p = &entry.data;
    let organisation = dir.organisation(&p.organisation);
    let mut text = format!("**{}** ({}", p.name, p.role);
    if let Some(o) = organisation {
        let _ = write!(
            text,
            ", {}, {}",
            o.data.name,
            in_sentence(o.data.sector.label())
        );
    }
    text.push(')');
    text
}

/// A label as it reads inside a sentence: lower case, but for acronyms
/// ("Local government" → "local government", "NHS" stays "NHS").
pub(super) fn in_sentence(label: &str) -> String {
    label
        .split(' ')
        .map(|word| {
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            if letters > 1 && word.chars().all(|c| !c.is_lowercase()) {
                word.to_string()
            } else {
                word.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "adult social care, data and service design"; with a serial comma when an
/// item has an "and" of its own ("digital and data, housing, and data").
pub(super) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] if !a.contains(" and ") => format!("{a} and {b}"),
        [rest @ .., last] if rest.iter().any(|i| i.contains(" and ")) => {
            format!("{}, and {last}", rest.join(", "))
        }
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn tag_label(people: &People<'_>, number: u32) -> String {
    let tag = people.tag(number);
    in_sentence(&term_label(
        people.dir,
        TaxonomyKind::from(tag.kind),
        &tag.slug,
    ))
}

/// A buddy round for people to read.
pub fn buddy_summary(round: &BuddyRound<'_>) -> String {
    let people = &round.people;
    let dir = people.dir;
    let scheme = round.programme.as_deref().unwrap_or("Buddy round");
    let mut out = format!("# {scheme}, {}\n\n", round.month.name());
    let trios = round.pairs.iter().filter(|p| p.third.is_some()).count();
    let groups = if trios == 0 {
        format!(
            "{} made",
            counted(round.pairs.len(), "pair was", "pairs were")
        )
    } else {
        format!(
            "{} made ({} of three, so that no one was left out)",
            counted(round.pairs.len(), "group was", "groups were"),
            trios
        )
    };
    let _ = writeln!(
        out,
        "{} people took part and {groups}, each across sectors and organisations, by {}.",
        people.len(),
        round.method.describe()
    );
    if !round.paused.is_empty() {
        let _ = writeln!(
            out,
            "{} more are pausing and sit this round out.",
            round.paused.len()
        );
    }
    if !round.full.is_empty() {
        let _ = writeln!(
            out,
            "{} more already have as many buddies this month as they asked for, from other programmes' rounds (this directory's or others').",
            round.full.len()
        );
    }
    out.push_str(if trios == 0 {
        "\n## Pairs\n\n"
    } else {
        "\n## Groups\n\n"
    });
    for pair in &round.pairs {
        let (a, b) = (&people.people[pair.a], &people.people[pair.b]);
        match pair.third.map(|c| &people.people[c]) {
            None => {
                let _ = write!(
                    out,
                    "- {} meets {}.",
                    introduce(dir, a.entry),
                    introduce(dir, b.entry)
                );
            }
            Some(c) => {
                let _ = write!(
                    out,
                    "- {}, {} and {} meet as three.",
                    introduce(dir, a.entry),
                    introduce(dir, b.entry),
                    introduce(dir, c.entry)
                );
            }
        }
        let shared: Vec<String> = pair
            .common
            .tags
            .iter()
            .map(|&t| tag_label(people, t))
            .collect();
        // What the first two share; a third joins them.
        let both = match pair.third {
            None => "You both".to_string(),
            Some(_) => format!(
                "{} and {} both",
                first_name(&people.people[pair.a].entry.data.name),
                first_name(&people.people[pair.b].entry.data.name)
            ),
        };
        if shared.is_empty() {
            out.push_str(" They have no policy area or interest in common: a chance to see how another sector works.");
        } else {
            let _ = write!(out, " {both} care about {}.", and_list(&shared));
        }
        if pair.common.same_place {
            let _ = write!(
                out,
                " {both} work in {}, so you could meet in person.",
                people.place(pair.a).unwrap_or("")
            );
        }
        if let Some(c) = pair.third {
            let _ = write!(
                out,
                " {} joins them, so that no one is left out this month.",
                first_name(&people.people[c].entry.data.name)
            );
        }
        out.push('\n');
    }
    if !round.unmatched.is_empty() {
        out.push_str("\n## Without a buddy this month\n\n");
        for &(i, why) in &round.unmatched {
            let reason = match why {
                Unpaired::OddOneOut => {
                    "the odd one out this round; they will be first in line next month"
                }
                Unpaired::NoOneEligible => {
                    "no one from another sector and organisation is left whom they have not met in a recent round"
                }
            };
            let _ = writeln!(
                out,
                "- {}: {reason}.",
                introduce(dir, people.people[i].entry)
            );
        }
    }
    if !round.refused.is_empty() {
        out.push_str("\n## Joined, but not able to take part\n\n");
        for (id, why) in &round.refused {
            let who = dir
                .profile(id)
                .map_or_else(|| id.clone(), |entry| introduce(dir, entry));
            let _ = writeln!(out, "- {who}: {}.", why.reason());
        }
    }
    out.push_str(
        "\n## Next steps\n\n\
         1. Check the groups above, then send each its introduction with \
         `interchange introduce` (with `--dry-run` first, to read them).\n\
         2. Ask each group to meet within two weeks, for half an hour, online or in person.\n\
         3. Anyone who wants to pause or leave can say so to the organisers: \
         a pause goes in `rounds/private.yaml`, which is never published.\n",
    );
    out
}

/// A swap round for people to read: the organisers who arrange the swaps
/// and the people in them.
pub fn swap_summary(round: &SwapRound<'_>, dir: &Directory) -> String {
    let mut out = format!("# Job swaps, {}\n\n", round.month.name());
    let exchanges = match round.cycles.len() {
        1 => "1 exchange".to_string(),
        n => format!("{n} exchanges"),
    };
    let _ = writeln!(
        out,
        "{} offered a job swap and {} placed, in {exchanges}: each is two or three people taking each other's jobs, so every team that lets someone go gains someone in their place.",
        people(round.offers.len()),
        match round.placed() {
            1 => "1 is".to_string(),
            n => format!("{n} are"),
        },
    );
    let levels = if round.levels_apart == 0 {
        "only with jobs at their own level"
    } else {
        "only with jobs at their own level or one band either side"
    };
    let _ = writeln!(
        out,
        "People swap {levels} (the levels are below), and someone in a regulated profession only with others in it."
    );
    let _ = writeln!(
        out,
        "There were {} possible exchanges; {}.",
        round.possible,
        round.method.describe()
    );
    if !round.elsewhere.is_empty() {
        let _ = writeln!(
            out,
            "{} more are placed in a swap this month by another programme (this directory's or another's) and sit this round out.",
            round.elsewhere.len()
        );
    }
    out.push_str("\n## Swaps\n\n");
    for cycle in &round.cycles {
        let kind = if cycle.people.len() == 2 {
            "A straight swap"
        } else {
            "An exchange of three"
        };
        let months = round.offers[cycle.people[0]]
            .entry
            .data
            .swap
            .as_ref()
            .map_or(0, |s| s.months);
        let _ = writeln!(out, "- {kind}, for {months} months:");
        for (k, &i) in cycle.people.iter().enumerate() {
            let next = cycle.people[(k + 1) % cycle.people.len()];
            let _ = writeln!(
                out,
                "  - {} takes {}.",
                introduce_offer(dir, &round.offers[i]),
                job(dir, &round.offers[next])
            );
        }
        let _ = writeln!(
            out,
            "  - Still needed before it starts: {}.",
            and_list(&needs(round, cycle, dir))
        );
    }
    levels_placed(&mut out, round);
    places_used(&mut out, round, dir);
    if !round.unplaced.is_empty() {
        out.push_str("\n## Not placed this month\n\n");
        for (&i, &why) in round.unplaced.iter().zip(&round.why_unplaced) {
            let _ = writeln!(
                out,
                "- {}: {}.",
                introduce_offer(dir, &round.offers[i]),
                unplaced_because(round, i, why, dir)
            );
        }
    }
    out
}

/// "1 person", "12 people".
fn people(n: usize) -> String {
    if n == 1 {
        "1 person".to_string()
    } else {
        format!("{n} people")
    }
}

/// An offer's person, with their level: "**Priya Shah** (Policy Adviser,
/// Leeds City Council, local government, level 4)".
fn introduce_offer(dir: &Directory, offer: &Offer<'_>) -> String {
    let mut text = introduce(dir, offer.entry);
    if let Some(level) = offer.level {
        text.pop();
        let _ = write!(text, ", level {level})");
    }
    text
}

/// What an exchange needs before it starts: the managers' agreement, the
/// vetting each new post asks of the person taking it, and the checks of a
/// regulated profession's registration.
fn needs(round: &SwapRound<'_>, cycle: &Cycle, dir: &Directory) -> Vec<String> {
    let mut needs = vec![if cycle.people.len() == 2 {
        "both people's managers agree to it".to_string()
    } else {
        format!(
            "all {} people's managers agree to it",
            number_word(cycle.people.len())
        )
    }];
    for (k, &i) in cycle.people.iter().enumerate() {
        let post = &round.offers[cycle.people[(k + 1) % cycle.people.len()]];
        let vetting = post.vetting();
        if vetting != Vetting::Usual {
            let mut text = format!(
                "{} passes {}",
                round.offers[i].entry.data.name,
                vetting.label()
            );
            if let Some(o) = dir.organisation(&post.entry.data.organisation) {
                let _ = write!(text, " to work at {}", o.data.name);
            }
            needs.push(text);
        }
    }
    let profession = round.offers[cycle.people[0]]
        .entry
        .data
        .swap
        .as_ref()
        .and_then(|s| s.regulated);
    if let Some(profession) = profession {
        let names: Vec<String> = cycle
            .people
            .iter()
            .map(|&i| round.offers[i].entry.data.name.clone())
            .collect();
        needs.push(format!(
            "the teams taking them on check that {} are registered with {} ({})",
            and_list(&names),
            profession.regulator(),
            in_sentence(profession.label())
        ));
    }
    needs
}

/// The size of a group or a swap as a sentence says it: "two", "three";
/// a larger one in figures.
pub(crate) fn number_word(n: usize) -> String {
    match n {
        2 => "two".into(),
        3 => "three".into(),
        n => n.to_string(),
    }
}

/// "4, manager or specialist (£46,000 to £60,000)".
fn level_name(level: Option<u8>) -> String {
    match level.and_then(levels::band) {
        Some(band) => format!("{}, {} ({})", band.level, in_sentence(band.name), band.pay),
        None => "no level".to_string(),
    }
}

/// The mix of levels offered and placed, and each sector's share of those
/// placed.
fn levels_placed(out: &mut String, round: &SwapRound<'_>) {
    let mix = round.mix();
    // Only the sectors with someone offering.
    let sectors: Vec<Sector> = Sector::ALL
        .iter()
        .map(|&(_, s)| s)
        .filter(|&s| round.offers.iter().any(|o| o.sector == Some(s)))
        .collect();
    out.push_str("\n## Levels placed\n\n");
    out.push_str("| Level | Offered | Placed |");
    for s in &sectors {
        let _ = write!(out, " {} |", s.label());
    }
    out.push_str("\n|---|---:|---:|");
    for _ in &sectors {
        out.push_str("---:|");
    }
    out.push('\n');
    for row in mix.iter().filter(|m| m.offered > 0) {
        let _ = write!(
            out,
            "| {} | {} | {} |",
            level_name(row.level),
            row.offered,
            row.placed
        );
        for s in &sectors {
            let n = row
                .by_sector
                .iter()
                .find(|(x, _)| x == s)
                .map_or(0, |(_, n)| *n);
            let _ = write!(out, " {n} |");
        }
        out.push('\n');
    }
    let _ = write!(out, "| All | {} | {} |", round.offers.len(), round.placed());
    for s in &sectors {
        let n: usize = mix
            .iter()
            .flat_map(|m| &m.by_sector)
            .filter(|(x, _)| x == s)
            .map(|(_, n)| n)
            .sum();
        let _ = write!(out, " {n} |");
    }
    out.push_str("\n\nLevels are approximate bands of pay, one scale for every sector. The sector columns count the people placed from each.\n");
}

/// How many of the places each organisation committed were used.
fn places_used(out: &mut String, round: &SwapRound<'_>, dir: &Directory) {
    let committed: Vec<_> = round
        .organisations
        .iter()
        .filter(|o| o.places.is_some())
        .collect();
    if committed.is_empty() {
        return;
    }
    out.push_str("\n## Places organisations committed\n\n");
    out.push_str("| Organisation | Places | Placed |\n|---|---:|---:|\n");
    for o in committed {
        let name = dir
            .organisation(&o.slug)
            .map_or(o.slug.as_str(), |e| e.data.name.as_str());
        let _ = writeln!(
            out,
            "| {name} | {} | {} |",
            o.places.unwrap_or_default(),
            o.placed
        );
    }
}

/// Why someone was not placed, and what would help.
fn unplaced_because(round: &SwapRound<'_>, i: usize, why: Unplaced, dir: &Directory) -> String {
    let offer = &round.offers[i];
    match why {
        Unplaced::NoLevel => match &offer.entry.data.grade {
            Some(grade) => format!(
                "their grade, {grade}, is in no level band; set `level:` on their profile, or add the grade to `[levels]` in interchange.toml"
            ),
            None => "their profile has no grade or level; add `grade:` or `level:` to it".to_string(),
        },
        Unplaced::NoExchange => {
            let regulated = offer
                .entry
                .data
                .swap
                .as_ref()
                .and_then(|s| s.regulated)
                .map_or(String::new(), |p| {
                    format!(" and in {}", in_sentence(p.label()))
                });
            format!(
                "no one at a near level{regulated} wanted their job and had one they wanted, for as many months"
            )
        }
        Unplaced::PlacesTaken => {
            let o = &round.organisations[offer.organisation];
            let name = dir
                .organisation(&o.slug)
                .map_or(o.slug.as_str(), |e| e.data.name.as_str());
            format!(
                "{name}'s {} places this round were all taken",
                o.places.unwrap_or_default()
            )
        }
        Unplaced::OthersChosen => "the exchanges they could have joined were passed over for ones placing more people or suiting people better; they are in line again next month".to_string(),
    }
}

/// "Tom Young's job (Deputy Director) at the Department of Health, in London".
fn job(dir: &Directory, offer: &Offer<'_>) -> String {
    let p = &offer.entry.data;
    let mut text = format!("{}'s job ({})", p.name, p.role);
    if let Some(o) = dir.organisation(&p.organisation) {
        let _ = write!(text, " at {}", o.data.name);
    }
    if let Some(place) = &p.location {
        let _ = write!(text, ", in {place}");
    }
    text
}
