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
use super::people::{Common, People, paused};
use super::round::{Month, PastRounds};
use crate::content::{Directory, OpenTo};

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
}

impl BuddyOptions {
    /// The defaults for a month: ten possible buddies each, exact where it
    /// runs in seconds.
    pub fn new(month: Month) -> Self {
        Self {
            month,
            candidates: 10,
            method: Method::Auto,
        }
    }
}

/// Two buddies.
#[derive(Debug, Clone)]
pub struct Pair {
    /// The first, by id.
    pub a: usize,
    /// The second.
    pub b: usize,
    /// What they have in common.
    pub common: Common,
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
    let open = |p: &crate::content::Profile| p.open_to.contains(&OpenTo::Buddy);
    let paused_now = |p: &crate::content::Profile| paused(p, options.month);
    let mut paused: Vec<String> = dir
        .profiles
        .iter()
        .filter(|e| open(&e.data) && paused_now(&e.data))
        .map(|e| e.slug.clone())
        .collect();
    paused.sort();
    let people = People::new(dir, |e| open(&e.data) && !paused_now(&e.data));

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
    let found: Vec<Vec<Edge>> = (0..people.len())
        .into_par_iter()
        .map(|a| {
            people
                .best_for(a, k, super::people::SCAN_PER_TAG, |b| {
                    people.cross_sector(a, b) && !earlier.contains(&ordered(a as u32, b as u32))
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
    let pairs: Vec<Pair> = chosen
        .iter()
        .map(|&(a, b)| Pair {
            a: a as usize,
            b: b as usize,
            common: people.common(a as usize, b as usize),
        })
        .collect();
    let mut paired = vec![false; people.len()];
    for p in &pairs {
        paired[p.a] = true;
        paired[p.b] = true;
    }
    let mut has_edge = vec![false; people.len()];
    for e in &edges {
        has_edge[e.a as usize] = true;
        has_edge[e.b as usize] = true;
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
