//! A month's buddy round: everyone open to a buddy paired with someone from
//! another sector, by what they have in common.
//!
//! Each participant's best possible buddies are found through the index of
//! [`People`] (at most `candidates` each, so the graph stays sparse and the
//! round scales); pairs from earlier rounds are left out; people left
//! without a buddy last time count a little more, so that the odd one out
//! of one month is first in line the next; then the pairs of greatest total
//! weight are chosen ([`pairing`](super::pairing)).

use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;

use super::pairing::{self, Edge, Method};
use super::people::{Common, People, Ties, paused};
use super::round::{Month, PastRounds};
use super::wishes::Wishes;
use crate::content::{Directory, Entry, GroupSize, OpenTo, Profile, Programme, Refusal};

/// Extra points on every possible pair of someone left without a buddy in
/// the last round.
pub const PRIORITY_POINTS: i32 = 50;

/// How a buddy round is made.
#[derive(Debug, Clone)]
pub struct BuddyOptions {
    /// The month of the round.
    pub month: Month,
    /// How many possible buddies are kept for each person.
    pub candidates: usize,
    /// How pairs are chosen.
    pub method: Method,
    /// The programme the round is of (its key and entry): only people who
    /// joined it and meet its rules take part, in its groups. With none,
    /// everyone open to a buddy takes part, in pairs.
    pub programme: Option<(String, Programme)>,
    /// What people asked privately (`rounds/private.yaml`).
    pub wishes: Wishes,
    /// How many buddy groups each person is in already this month, in the
    /// rounds of other schemes: nobody is given more buddies in a month than
    /// their `max_buddies_per_month`.
    pub taken: AHashMap<String, u32>,
}

impl BuddyOptions {
    /// The defaults for a month: the whole directory, ten possible buddies
    /// each, exact where it runs in seconds.
    pub fn new(month: Month) -> Self {
        Self {
            month,
            candidates: 10,
            method: Method::Auto,
            programme: None,
            wishes: Wishes::default(),
            taken: AHashMap::new(),
        }
    }
}

/// Two buddies, or three where a programme puts the odd one out with a pair.
#[derive(Debug, Clone)]
pub struct Pair {
    /// The first, by id.
    pub a: usize,
    /// The second.
    pub b: usize,
    /// What the first two have in common.
    pub common: Common,
    /// A third, who would otherwise have had no buddy this round.
    pub third: Option<usize>,
}

impl Pair {
    /// Everyone in the group.
    pub fn members(&self) -> impl Iterator<Item = usize> + '_ {
        [self.a, self.b].into_iter().chain(self.third)
    }
}

/// Why someone has no buddy this month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpaired {
    /// Everyone they could meet is in their sector or organisation, or was
    /// their buddy in a recent round.
    NoOneEligible,
    /// Everyone they could meet was paired with someone who suited them better.
    OddOneOut,
}

/// A buddy round.
pub struct BuddyRound<'a> {
    /// The month.
    pub month: Month,
    /// The participants.
    pub people: People<'a>,
    /// The pairs, by the first one's id.
    pub pairs: Vec<Pair>,
    /// Who has no buddy, and why.
    pub unmatched: Vec<(usize, Unpaired)>,
    /// Who was first in line, having had no buddy last time.
    pub prioritised: Vec<usize>,
    /// The ids of people who would take part but have paused.
    pub paused: Vec<String>,
    /// The name of the programme the round is of, if it is of one.
    pub programme: Option<String>,
    /// The ids of people who joined the programme but may not take part in
    /// it, and why.
    pub refused: Vec<(String, Refusal)>,
    /// The ids of people who have as many buddies this month as they want,
    /// from other schemes' rounds.
    pub full: Vec<String>,
    /// How the pairs were chosen.
    pub method: Method,
    /// How many possible pairs were weighed.
    pub edges: usize,
}

impl BuddyRound<'_> {
    /// The sum of the pairs' weights, in points.
    pub fn total(&self) -> i64 {
        self.pairs.iter().map(|p| i64::from(p.common.points)).sum()
    }
}

/// Makes the buddy round of `options.month` over the whole directory,
/// mirrored profiles included.
pub fn buddy_round<'a>(
    dir: &'a Directory,
    history: &PastRounds,
    options: &BuddyOptions,
) -> BuddyRound<'a> {
    // Who is in the scheme: a programme's members, or everyone open to a
    // buddy; of them, who sits out, may not take part, or has enough
    // buddies this month already.
    let member = |e: &Entry<Profile>| match &options.programme {
        Some((key, _)) => e.data.programmes.iter().any(|p| p == key),
        None => e.data.open_to.contains(&OpenTo::Buddy),
    };
    let paused_now = |e: &Entry<Profile>| {
        paused(&e.data, options.month) || options.wishes.paused(&e.slug, options.month)
    };
    let refusal = |e: &Entry<Profile>| {
        options
            .programme
            .as_ref()
            .and_then(|(_, programme)| programme.refusal(dir, e))
    };
    let full = |e: &Entry<Profile>| {
        options.taken.get(&e.slug).copied().unwrap_or(0) >= e.data.max_buddies_per_month
    };
    let (mut paused, mut refused, mut full_now) = (Vec::new(), Vec::new(), Vec::new());
    for e in dir.profiles.iter().filter(|e| member(e)) {
        if paused_now(e) {
            paused.push(e.slug.clone());
        } else if let Some(why) = refusal(e) {
            refused.push((e.slug.clone(), why));
        } else if full(e) {
            full_now.push(e.slug.clone());
        }
    }
    let people = People::new(dir, |e| {
        member(e) && !paused_now(e) && refusal(e).is_none() && !full(e)
    });

    // Earlier pairs and last month's unmatched, as positions.
    let position: AHashMap<&str, u32> = people
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i as u32))
        .collect();
    let earlier: AHashSet<(u32, u32)> = history_pairs(history, &position).collect();
    let first_in_line: AHashSet<u32> = history
        .unmatched
        .iter()
        .filter_map(|id| position.get(id.as_str()).copied())
        .collect();

    let k = options.candidates;
    // Searched in ring order, as suggestions are (see there); the edges
    // are sorted after, so the order found does not show.
    let found: Vec<Vec<Edge>> = people
        .in_ring_order()
        .par_iter()
        .map(|&a| {
            let a = a as usize;
            people
                .best_for(a, k, super::people::SCAN_PER_TAG, Ties::AlongTheRing, |b| {
                    people.cross_sector(a, b)
                        && !earlier.contains(&ordered(a as u32, b as u32))
                        && !options
                            .wishes
                            .apart(&people.people[a].id, &people.people[b].id)
                })
                .into_iter()
                .map(|(b, points)| {
                    let (x, y) = ordered(a as u32, b as u32);
                    let bonus = [x, y].iter().filter(|p| first_in_line.contains(p)).count() as i32
                        * PRIORITY_POINTS;
                    Edge {
                        a: x,
                        b: y,
                        points: points + bonus,
                    }
                })
                .collect()
        })
        .collect();
    let mut edges: Vec<Edge> = found.into_iter().flatten().collect();
    edges.sort_unstable_by_key(|e| (e.a, e.b));
    edges.dedup_by_key(|e| (e.a, e.b));

    let (chosen, method) = pairing::best_pairs(people.len(), &edges, options.method);
    let mut pairs: Vec<Pair> = chosen
        .iter()
        .map(|&(a, b)| Pair {
            a: a as usize,
            b: b as usize,
            common: people.common(a as usize, b as usize),
            third: None,
        })
        .collect();
    let mut has_edge = vec![false; people.len()];
    for e in &edges {
        has_edge[e.a as usize] = true;
        has_edge[e.b as usize] = true;
    }
    let trios = options
        .programme
        .as_ref()
        .is_some_and(|(_, p)| p.groups == GroupSize::PairsAndATrio);
    if trios {
        let suits = |pair: &Pair, x: usize| {
            let (a, b) = (pair.a, pair.b);
            let meets = |y: usize| {
                !earlier.contains(&ordered(x as u32, y as u32))
                    && !options
                        .wishes
                        .apart(&people.people[x].id, &people.people[y].id)
            };
            (people.cross_sector(x, a) || people.cross_sector(x, b)) && meets(a) && meets(b)
        };
        let mut grouped = vec![false; people.len()];
        for p in &pairs {
            grouped[p.a] = true;
            grouped[p.b] = true;
        }
        // Each odd one out who could have met someone joins the pair that
        // suits them best, so that no one who joined is left out.
        let odd: Vec<usize> = (0..people.len())
            .filter(|&x| !grouped[x] && has_edge[x])
            .collect();
        for x in odd {
            let best = pairs
                .iter_mut()
                .filter(|p| p.third.is_none() && suits(p, x))
                .max_by_key(|p| {
                    (
                        people.points(p.a, x) + people.points(p.b, x),
                        std::cmp::Reverse(p.a),
                    )
                });
            if let Some(pair) = best {
                pair.third = Some(x);
            }
        }
    }
    let mut paired = vec![false; people.len()];
    for p in &pairs {
        for i in p.members() {
            paired[i] = true;
        }
    }
    let unmatched = (0..people.len())
        .filter(|&i| !paired[i])
        .map(|i| {
            let why = if has_edge[i] {
                Unpaired::OddOneOut
            } else {
                Unpaired::NoOneEligible
            };
            (i, why)
        })
        .collect();
    let mut prioritised: Vec<usize> = first_in_line.iter().map(|&i| i as usize).collect();
    prioritised.sort_unstable();
    BuddyRound {
        month: options.month,
        people,
        pairs,
        unmatched,
        prioritised,
        paused,
        programme: options.programme.as_ref().map(|(_, p)| p.name.clone()),
        refused,
        full: full_now,
        method,
        edges: edges.len(),
    }
}

fn history_pairs<'h>(
    history: &'h PastRounds,
    position: &'h AHashMap<&str, u32>,
) -> impl Iterator<Item = (u32, u32)> + 'h {
    history.pairs().filter_map(|(a, b)| {
        let (x, y) = (position.get(a.as_str())?, position.get(b.as_str())?);
        Some(ordered(*x, *y))
    })
}

fn ordered(a: u32, b: u32) -> (u32, u32) {
    if a < b { (a, b) } else { (b, a) }
}
