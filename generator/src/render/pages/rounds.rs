//! What pages show of matching rounds: on a person's page, the rounds they
//! were in and with whom; on a programme's, its latest rounds. Both name
//! only the people a round may name (see
//! [`Round::may_name`](crate::content::Round::may_name)); anyone else in a
//! group is "someone not listed here".
//!
//! Both are described by the places of the profiles they name, not by
//! names: a page's fingerprint hashes those people's cards (their name,
//! organisation and directory are on them), and only a page that is made
//! again reads their names. A person's line is one description (see
//! [`Line`]) for both.

use std::hash::Hash;

use serde::Serialize;

use super::Renderer;
use super::shown::{ListedCard, Shown};
use crate::content::{Kind, Origin, Round};
use crate::fingerprint::Fingerprinter;
use crate::matching::summary::number_word;
use crate::render::index::{Index, Placing, RoundPart};
use crate::render::views::Link;

/// The most rounds a person's page lists: a year of monthly rounds.
pub(super) const PERSON_ROUNDS: usize = 12;

/// The most rounds a programme's page lists.
pub(super) const PROGRAMME_ROUNDS: usize = 3;

/// The rounds a person was in, newest first, as their page lists them.
pub(super) struct PersonRounds<'a> {
    /// The person, by their place among the profiles.
    pub person: usize,
    /// Where they are in each round.
    pub placings: &'a [Placing],
}

impl PersonRounds<'_> {
    /// Each round as a line of the page.
    pub(super) fn value(&self, ix: &Index<'_>) -> Vec<PersonRoundView> {
        self.lines(ix).map(|line| line.view(ix)).collect()
    }

    fn lines<'i>(&self, ix: &'i Index<'_>) -> impl Iterator<Item = Line<'i>> {
        let person = self.person;
        self.placings
            .iter()
            .map(move |placing| Line::of(ix, person, *placing))
    }
}

impl Shown for PersonRounds<'_> {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        self.placings.len().hash(h);
        for line in self.lines(r.index) {
            line.hash_into(r, h);
        }
    }
}

/// A programme's latest rounds, newest first, as its page lists them.
pub(super) struct ProgrammeRounds<'a> {
    /// The rounds, by their place among the directory's.
    pub rounds: &'a [usize],
}

impl ProgrammeRounds<'_> {
    /// Each round with its groups and swaps.
    pub(super) fn value(&self, ix: &Index<'_>) -> Vec<ProgrammeRoundView> {
        self.rounds
            .iter()
            .map(|&r| {
                let round = &ix.dir.rounds[r];
                let people = &ix.round_people[r];
                ProgrammeRoundView {
                    month: round.month.name(),
                    month_iso: round.month.to_string(),
                    groups: shown(&people.groups)
                        .map(|members| named(ix, members.iter().copied()))
                        .collect(),
                    swaps: shown(&people.swaps)
                        .map(|cycle| {
                            // Told from someone the page names: a cycle
                            // read from any of its people is the same swap.
                            let from = cycle.iter().position(Option::is_some).unwrap_or(0);
                            let (before, after) = cycle.split_at(from);
                            SwapView {
                                two: cycle.len() == 2,
                                people: after
                                    .iter()
                                    .chain(before)
                                    .map(|&i| person(ix, i))
                                    .collect(),
                            }
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

impl Shown for ProgrammeRounds<'_> {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        self.rounds.len().hash(h);
        for &round in self.rounds {
            r.index.dir.rounds[round].month.hash(h);
            let people = &r.index.round_people[round];
            for parts in [&people.groups, &people.swaps] {
                shown(parts).count().hash(h);
                for members in shown(parts) {
                    members.len().hash(h);
                    for &member in members {
                        hash_person(r, member, h);
                    }
                }
            }
        }
    }
}

/// The groups or swaps of a round a programme's page shows: those naming
/// someone the page may name. One of people it may not name alone would
/// say nothing.
fn shown(parts: &[Vec<Option<usize>>]) -> impl Iterator<Item = &Vec<Option<usize>>> {
    parts
        .iter()
        .filter(|members| members.iter().any(Option::is_some))
}

/// What a person's page shows of one round they were in, by the places
/// of the profiles it names.
struct Line<'a> {
    round: &'a Round,
    part: LinePart,
}

/// Their group or swap, from where they stand in it.
enum LinePart {
    /// A buddy group: the others in it that the page may name, how many it
    /// may not, and its size.
    Group {
        partners: Vec<usize>,
        unlisted: usize,
        size: usize,
    },
    /// A job swap: whose job they take, who takes theirs (the same person
    /// in a swap of two).
    Swap {
        takes: Option<usize>,
        taken_by: Option<usize>,
        two: bool,
    },
}

impl<'a> Line<'a> {
    fn of(ix: &'a Index<'_>, person: usize, placing: Placing) -> Self {
        let round = &ix.dir.rounds[placing.round];
        let people = ix.round_people[placing.round].of(placing.part);
        let part = match placing.part {
            RoundPart::Group(_) => {
                let others = people.iter().filter(|&&m| m != Some(person));
                LinePart::Group {
                    partners: others.clone().flatten().copied().collect(),
                    unlisted: others.filter(|m| m.is_none()).count(),
                    size: people.len(),
                }
            }
            RoundPart::Swap(_) => {
                let n = people.len();
                let at = people
                    .iter()
                    .position(|&m| m == Some(person))
                    .unwrap_or_default();
                LinePart::Swap {
                    takes: people.get((at + 1) % n.max(1)).copied().flatten(),
                    taken_by: people.get((at + n - 1) % n.max(1)).copied().flatten(),
                    two: n == 2,
                }
            }
        };
        Line { round, part }
    }

    fn is_swap(&self) -> bool {
        matches!(self.part, LinePart::Swap { .. })
    }

    /// The programme, or the directory the round is of.
    fn scheme(&self, ix: &Index<'_>) -> Link {
        let round = self.round;
        let what = if self.is_swap() {
            "Job swap round"
        } else {
            "Buddy round"
        };
        match (&round.programme, &round.origin) {
            (Some(key), _) => match ix.dir.programme(key) {
                Some(p) => Link {
                    title: p.data.name.clone(),
                    url: Kind::Programme.url(&p.slug),
                },
                None => Link {
                    title: key.clone(),
                    url: String::new(),
                },
            },
            (None, Origin::Local) => Link {
                title: format!("{what} of this directory"),
                url: String::new(),
            },
            (None, Origin::Mirror { host, .. }) => Link {
                title: format!("{what} of {host}"),
                url: String::new(),
            },
        }
    }

    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        let ix = r.index;
        let scheme = self.scheme(ix);
        (&scheme.title, &scheme.url, self.round.month).hash(h);
        match &self.part {
            LinePart::Group {
                partners,
                unlisted,
                size,
            } => {
                (0u8, partners.len(), unlisted, size).hash(h);
                for &partner in partners {
                    hash_person(r, Some(partner), h);
                }
            }
            LinePart::Swap {
                takes,
                taken_by,
                two,
            } => {
                (1u8, two).hash(h);
                hash_person(r, *takes, h);
                hash_person(r, *taken_by, h);
            }
        }
    }

    fn view(&self, ix: &Index<'_>) -> PersonRoundView {
        let (group, swap) = match &self.part {
            LinePart::Group {
                partners,
                unlisted,
                size,
            } => (
                Some(GroupView {
                    partners: named(
                        ix,
                        partners
                            .iter()
                            .map(|&p| Some(p))
                            .chain(std::iter::repeat_n(None, *unlisted)),
                    ),
                    size: number_word(*size),
                    pair: *size == 2,
                }),
                None,
            ),
            LinePart::Swap {
                takes,
                taken_by,
                two,
            } => (
                None,
                Some(PersonSwapView {
                    takes: person(ix, *takes),
                    taken_by: person(ix, *taken_by),
                    two: *two,
                }),
            ),
        };
        PersonRoundView {
            scheme: self.scheme(ix),
            month: self.round.month.name(),
            month_iso: self.round.month.to_string(),
            group,
            swap,
        }
    }
}

/// Adds what a page shows of someone named in a round to its fingerprint:
/// their card (their name, organisation and directory are on it), or that
/// they are not named.
fn hash_person(r: &Renderer<'_>, person: Option<usize>, h: &mut Fingerprinter) {
    person.map(ListedCard).hash_into(r, h);
}

/// Someone named in a round, as a page names them; `None` for someone it
/// may not name.
fn person(ix: &Index<'_>, i: Option<usize>) -> Option<RoundPerson> {
    let entry = &ix.dir.profiles[i?];
    let p = &entry.data;
    Some(RoundPerson {
        name: p.name.clone(),
        url: Kind::Profile.url(&entry.slug),
        organisation: ix
            .dir
            .organisation(&p.organisation)
            .map(|o| o.data.name.clone()),
        host: match &entry.origin {
            Origin::Local => None,
            Origin::Mirror { host, .. } => Some(host.clone()),
        },
    })
}

/// People of a round, those the page may name first.
fn named(ix: &Index<'_>, people: impl Iterator<Item = Option<usize>>) -> Named {
    let mut named = Named {
        people: Vec::new(),
        unlisted: 0,
    };
    for i in people {
        match person(ix, i) {
            Some(p) => named.people.push(p),
            None => named.unlisted += 1,
        }
    }
    named
}

/// Someone in a round, as a page names them.
#[derive(Serialize)]
pub(super) struct RoundPerson {
    name: String,
    url: String,
    /// Their organisation's name.
    organisation: Option<String>,
    /// The directory they are from, when it is not this one.
    host: Option<String>,
}

/// Some of a round's people: those the page names, and how many more it
/// may not.
#[derive(Serialize)]
pub(super) struct Named {
    people: Vec<RoundPerson>,
    unlisted: usize,
}

/// One round as a person's page lists it.
#[derive(Serialize)]
pub(super) struct PersonRoundView {
    /// The programme (linked when the directory has it), or the directory
    /// whose round it is (not linked).
    scheme: Link,
    /// "January 2027".
    month: String,
    /// "2027-01".
    month_iso: String,
    /// Their buddy group, in a buddy round.
    group: Option<GroupView>,
    /// Their job swap, in a swap round.
    swap: Option<PersonSwapView>,
}

/// A person's buddy group: the others in it, and its size in words.
#[derive(Serialize)]
pub(super) struct GroupView {
    partners: Named,
    size: String,
    /// A group of two: they were paired with one person.
    pair: bool,
}

/// A person's job swap: whose job they take, and who takes theirs.
#[derive(Serialize)]
pub(super) struct PersonSwapView {
    takes: Option<RoundPerson>,
    taken_by: Option<RoundPerson>,
    /// A swap of two: they swap jobs with one person.
    two: bool,
}

/// One round as a programme's page lists it.
#[derive(Serialize)]
pub(super) struct ProgrammeRoundView {
    month: String,
    month_iso: String,
    groups: Vec<Named>,
    swaps: Vec<SwapView>,
}

/// A job swap: its people in order, each taking the next one's job, the
/// last the first's.
#[derive(Serialize)]
pub(super) struct SwapView {
    two: bool,
    people: Vec<Option<RoundPerson>>,
}
