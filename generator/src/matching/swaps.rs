//! A month's job-swap round: cycles in which everyone who moves is replaced
//! by someone coming the other way.
//!
//! An arc A → B means B's job suits what A wants (sector, policy area,
//! place), both offer the same number of months, their jobs are of a
//! similar size (level bands at most `levels_apart` apart, both known) and
//! neither job needs a regulated profession the other's holder is not in. A
//! cycle of two is a straight swap; a cycle of three moves three people
//! between three organisations, each losing and gaining one. As every arc of
//! a cycle of three is within `levels_apart`, so are all three people.
//!
//! Choosing disjoint cycles that place the most people is the
//! kidney-exchange problem: every cycle up to the length limit is listed,
//! then an integer program picks the set that places the most people, and
//! among those the one that fits best, placing no more of an organisation's
//! people than the places it committed (`swap_places`). Beyond
//! [`EXACT_UP_TO_CYCLES`] cycles (far more than a round of a few thousand
//! offers has) a stated greedy choice is made instead, under the same
//! limits.

use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, WithInitialSolution,
    WithTimeLimit, microlp, variable,
};

use super::people::paused;
use super::round::Month;
use crate::content::profile::Profile;
use crate::content::{Choice, Directory, Entry, Sector, Vetting};

/// The most cycles the integer program is given.
pub const EXACT_UP_TO_CYCLES: usize = 200_000;

/// How a swap round is made.
#[derive(Debug, Clone)]
pub struct SwapOptions {
    /// The month of the round.
    pub month: Month,
    /// The longest cycle: 2 or 3.
    pub max_cycle: usize,
    /// How long each integer program may run before the best it has found
    /// is taken.
    pub time_limit: std::time::Duration,
    /// The programme the round is of (its key and entry): only offers of
    /// people who joined it and meet its rules. With none, every offer.
    pub programme: Option<(String, crate::content::Programme)>,
    /// What people asked privately (`rounds/private.yaml`): who pauses.
    pub wishes: super::wishes::Wishes,
    /// How many level bands apart two people who swap may be; `None` for the
    /// site's setting (`[swaps] levels_apart`).
    pub levels_apart: Option<u8>,
}

impl SwapOptions {
    /// Cycles of up to three, ten seconds for each integer program, and the
    /// site's rule for levels.
    pub fn new(month: Month) -> Self {
        Self {
            month,
            max_cycle: 3,
            time_limit: std::time::Duration::from_secs(10),
            programme: None,
            wishes: super::wishes::Wishes::default(),
            levels_apart: None,
        }
    }
}

/// Someone offering a job swap.
#[derive(Debug, Clone)]
pub struct Offer<'a> {
    /// How rounds name them.
    pub id: String,
    /// Their profile.
    pub entry: &'a Entry<Profile>,
    /// Their organisation's sector.
    pub sector: Option<Sector>,
    /// Their level band: an offer without one is not placed.
    pub level: Option<u8>,
    /// Their organisation, as its position in [`SwapRound::organisations`].
    pub organisation: usize,
}

impl Offer<'_> {
    /// The vetting whoever takes this person's job must pass first: what
    /// the offer says, else what its sector always asks of a newcomer
    /// (police vetting in a force, the Civil Service's baseline checks in a
    /// department).
    pub fn vetting(&self) -> Vetting {
        let written = self.entry.data.swap.as_ref().and_then(|s| s.vetting);
        written.unwrap_or(match self.sector {
            Some(Sector::Police) => Vetting::Police,
            Some(Sector::CentralGovernment) => Vetting::Baseline,
            _ => Vetting::Usual,
        })
    }
}

/// An organisation with people in a round, and the places it committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commitment {
    /// Its key (slug, or `host/slug` when mirrored).
    pub slug: String,
    /// The most of its people the round may place, if it said.
    pub places: Option<u32>,
    /// How many of its people the round placed.
    pub placed: usize,
}

/// Why an offer was not placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unplaced {
    /// The profile has no level band: no `level:`, and a grade the table
    /// does not know.
    NoLevel,
    /// No exchange could include them: no one of a near level (and, for a
    /// regulated job, the same profession) wanted their job and had one they
    /// wanted, for as many months.
    NoExchange,
    /// Their organisation's places were all taken.
    PlacesTaken,
    /// Exchanges they could have been in were passed over for ones that
    /// placed more people or suited them better.
    OthersChosen,
}

/// How many offers, and how many placed, at one level band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelMix {
    /// The band (`None`: offers with no level).
    pub level: Option<u8>,
    /// How many offered a swap.
    pub offered: usize,
    /// How many were placed.
    pub placed: usize,
    /// How many were placed from each sector, in the sectors' order.
    pub by_sector: Vec<(Sector, usize)>,
}

/// A cycle: `people[i]` takes the job of `people[i + 1]`, the last the first's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// Positions in the round's offers, starting with the smallest.
    pub people: Vec<usize>,
    /// How well the jobs suit the people taking them.
    pub fit: i64,
}

/// How the cycles were chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwapMethod {
    /// The integer programs: the most people placed, then the best fit,
    /// both proven.
    Exact,
    /// The most people placed, proven; the fit the best found in the time
    /// allowed.
    PlacedExactly,
    /// The best found in the time allowed, not proven the most.
    BestFound,
    /// Longest cycles first, then best fit, each taken if still disjoint
    /// and its organisations have places left.
    Greedy,
}

impl SwapMethod {
    /// How the exchanges were chosen, in words for the people who run the
    /// round (the summary they send on), to follow "There were N possible
    /// exchanges; ".
    pub fn describe(self) -> &'static str {
        match self {
            SwapMethod::Exact => {
                "these place as many people as any choice could, and among such choices suit people best"
            }
            SwapMethod::PlacedExactly => {
                "these place as many people as any choice could; among such choices, they are the best suited found in the time allowed"
            }
            SwapMethod::BestFound => {
                "these are the best found in the time allowed, and a longer run might place more people"
            }
            SwapMethod::Greedy => {
                "there were too many to compare them all, so exchanges of three were taken first, then those that suit people best, each while its people and places were free"
            }
        }
    }
}

/// A swap round.
pub struct SwapRound<'a> {
    /// The month.
    pub month: Month,
    /// Everyone offering a swap who is not paused, by id.
    pub offers: Vec<Offer<'a>>,
    /// The chosen cycles.
    pub cycles: Vec<Cycle>,
    /// Offers no chosen cycle places.
    pub unplaced: Vec<usize>,
    /// How many cycles there were to choose from.
    pub possible: usize,
    /// How they were chosen.
    pub method: SwapMethod,
    /// The organisations of the offers, with their places.
    pub organisations: Vec<Commitment>,
    /// Why each of [`SwapRound::unplaced`] was not placed, in its order.
    pub why_unplaced: Vec<Unplaced>,
    /// How many level bands apart the people of a swap could be.
    pub levels_apart: u8,
}

impl SwapRound<'_> {
    /// How many people the chosen cycles place.
    pub fn placed(&self) -> usize {
        self.cycles.iter().map(|c| c.people.len()).sum()
    }

    /// The offers and the people placed at each level band, lowest first,
    /// then those with no level, if any.
    pub fn mix(&self) -> Vec<LevelMix> {
        let mut placed = vec![false; self.offers.len()];
        for c in &self.cycles {
            for &p in &c.people {
                placed[p] = true;
            }
        }
        let levels = (crate::content::levels::LOWEST..=crate::content::levels::HIGHEST)
            .map(Some)
            .chain(
                self.offers
                    .iter()
                    .any(|o| o.level.is_none())
                    .then_some(None),
            );
        levels
            .map(|level| {
                let at: Vec<usize> = (0..self.offers.len())
                    .filter(|&i| self.offers[i].level == level)
                    .collect();
                let by_sector = Sector::ALL
                    .iter()
                    .map(|&(_, sector)| {
                        let n = at
                            .iter()
                            .filter(|&&i| placed[i] && self.offers[i].sector == Some(sector))
                            .count();
                        (sector, n)
                    })
                    .collect();
                LevelMix {
                    level,
                    offered: at.len(),
                    placed: at.iter().filter(|&&i| placed[i]).count(),
                    by_sector,
                }
            })
            .collect()
    }
}

/// How well `b`'s job suits `a`, or `None` if it does not: an arc `a → b`.
/// Their levels must both be known and at most `levels_apart` bands apart,
/// and a job needing a regulated profession goes only to someone in it.
pub fn fit(a: &Offer<'_>, b: &Offer<'_>, levels_apart: u8) -> Option<i64> {
    let (Some(swap_a), Some(swap_b)) = (&a.entry.data.swap, &b.entry.data.swap) else {
        return None;
    };
    let (pa, pb) = (&a.entry.data, &b.entry.data);
    if a.id == b.id || pa.organisation == pb.organisation || swap_a.months != swap_b.months {
        return None;
    }
    let (Some(level_a), Some(level_b)) = (a.level, b.level) else {
        return None;
    };
    // Each one's job is the other's to do: a registered nurse's job needs
    // a registered nurse, and someone who is not one cannot leave theirs for it.
    if level_a.abs_diff(level_b) > levels_apart || swap_a.regulated != swap_b.regulated {
        return None;
    }
    let mut fit = 1;
    // A job of the same band suits a little better than one a band away.
    if level_a == level_b {
        fit += 1;
    }
    if !swap_a.sectors.is_empty() {
        if !b.sector.is_some_and(|s| swap_a.sectors.contains(&s)) {
            return None;
        }
        fit += 1;
    }
    if !swap_a.policy_areas.is_empty() {
        let wanted = pb
            .policy_areas
            .iter()
            .filter(|p| swap_a.policy_areas.contains(p))
            .count() as i64;
        if wanted == 0 {
            return None;
        }
        fit += wanted;
    }
    if !swap_a.locations.is_empty() {
        let there = pb.location.as_deref().is_some_and(|l| {
            swap_a
                .locations
                .iter()
                .any(|w| w.trim().eq_ignore_ascii_case(l.trim()))
        });
        if !there {
            return None;
        }
        fit += 1;
    }
    // Experience of the work counts too.
    fit += pa
        .policy_areas
        .iter()
        .filter(|p| pb.policy_areas.contains(p))
        .count() as i64;
    Some(fit)
}

/// Every arc, as each offer's sorted list of (target, fit).
pub fn arcs(offers: &[Offer<'_>], levels_apart: u8) -> Vec<Vec<(usize, i64)>> {
    use rayon::prelude::*;
    (0..offers.len())
        .into_par_iter()
        .map(|a| {
            (0..offers.len())
                .filter_map(|b| fit(&offers[a], &offers[b], levels_apart).map(|f| (b, f)))
                .collect()
        })
        .collect()
}

/// Every cycle of length 2 up to `max_cycle` (at most 3) in `arcs`, each
/// once, starting at its smallest member; a cycle of three crosses three
/// organisations.
pub fn cycles(offers: &[Offer<'_>], arcs: &[Vec<(usize, i64)>], max_cycle: usize) -> Vec<Cycle> {
    let arc = |a: usize, b: usize| -> Option<i64> {
        arcs[a]
            .binary_search_by_key(&b, |&(t, _)| t)
            .ok()
            .map(|i| arcs[a][i].1)
    };
    let organisation = |i: usize| offers[i].entry.data.organisation.as_str();
    let mut found = Vec::new();
    for a in 0..arcs.len() {
        for &(b, ab) in arcs[a].iter().filter(|(b, _)| *b > a) {
            if max_cycle >= 2
                && let Some(ba) = arc(b, a)
            {
                found.push(Cycle {
                    people: vec![a, b],
                    fit: ab + ba,
                });
            }
            if max_cycle >= 3 {
                for &(c, bc) in arcs[b].iter().filter(|(c, _)| *c > a && *c != b) {
                    if organisation(c) == organisation(a) || organisation(c) == organisation(b) {
                        continue;
                    }
                    if let Some(ca) = arc(c, a) {
                        found.push(Cycle {
                            people: vec![a, b, c],
                            fit: ab + bc + ca,
                        });
                    }
                }
            }
        }
    }
    found
}

/// Makes the swap round of `options.month` over the whole directory.
pub fn swap_round<'a>(dir: &'a Directory, options: &SwapOptions) -> SwapRound<'a> {
    let levels_apart = options.levels_apart.unwrap_or(dir.site.swaps.levels_apart);
    let mut offers: Vec<Offer<'a>> = dir
        .profiles
        .iter()
        .filter(|e| {
            e.data.swap.is_some()
                && !paused(&e.data, options.month)
                && !options.wishes.paused(&e.slug, options.month)
                && options.programme.as_ref().is_none_or(|(key, programme)| {
                    e.data.programmes.contains(key) && programme.refusal(dir, e).is_none()
                })
        })
        .map(|e| Offer {
            id: e.slug.clone(),
            entry: e,
            sector: dir
                .organisation(&e.data.organisation)
                .map(|o| o.data.sector),
            level: e.data.level,
            organisation: 0,
        })
        .collect();
    offers.sort_by(|a, b| a.id.cmp(&b.id));
    // Organisations numbered in the order their first offer comes.
    let mut organisations: Vec<Commitment> = Vec::new();
    let mut numbers: ahash::AHashMap<&str, usize> = ahash::AHashMap::new();
    for offer in &mut offers {
        let slug = offer.entry.data.organisation.as_str();
        offer.organisation = *numbers.entry(slug).or_insert_with(|| {
            organisations.push(Commitment {
                slug: slug.to_string(),
                places: dir.organisation(slug).and_then(|o| o.data.swap_places),
                placed: 0,
            });
            organisations.len() - 1
        });
    }
    let places = Places {
        organisation: offers.iter().map(|o| o.organisation).collect(),
        places: organisations.iter().map(|o| o.places).collect(),
    };
    let arcs = arcs(&offers, levels_apart);
    let all = cycles(&offers, &arcs, options.max_cycle.min(3));
    let (chosen, method) = if all.len() <= EXACT_UP_TO_CYCLES {
        match exact(offers.len(), &all, &places, options.time_limit) {
            Some((
                chosen,
                Proven {
                    placed: true,
                    fit: true,
                },
            )) => (chosen, SwapMethod::Exact),
            Some((chosen, Proven { placed: true, .. })) => (chosen, SwapMethod::PlacedExactly),
            Some((chosen, _)) => (chosen, SwapMethod::BestFound),
            None => (greedy(offers.len(), &all, &places), SwapMethod::Greedy),
        }
    } else {
        (greedy(offers.len(), &all, &places), SwapMethod::Greedy)
    };
    let mut cycles: Vec<Cycle> = chosen.into_iter().map(|i| all[i].clone()).collect();
    cycles.sort_by(|a, b| a.people.cmp(&b.people));
    let mut placed = vec![false; offers.len()];
    for c in &cycles {
        for &p in &c.people {
            placed[p] = true;
            organisations[offers[p].organisation].placed += 1;
        }
    }
    let mut possible = vec![false; offers.len()];
    for c in &all {
        for &p in &c.people {
            possible[p] = true;
        }
    }
    let unplaced: Vec<usize> = (0..offers.len()).filter(|&i| !placed[i]).collect();
    let why_unplaced = unplaced
        .iter()
        .map(|&i| {
            let organisation = &organisations[offers[i].organisation];
            if offers[i].level.is_none() {
                Unplaced::NoLevel
            } else if !possible[i] {
                Unplaced::NoExchange
            } else if organisation
                .places
                .is_some_and(|p| organisation.placed >= p as usize)
            {
                Unplaced::PlacesTaken
            } else {
                Unplaced::OthersChosen
            }
        })
        .collect();
    SwapRound {
        month: options.month,
        unplaced,
        why_unplaced,
        offers,
        cycles,
        possible: all.len(),
        method,
        organisations,
        levels_apart,
    }
}

/// The places organisations committed, as a choice of cycles must respect
/// them.
#[derive(Debug, Clone)]
struct Places {
    /// Each person's organisation.
    organisation: Vec<usize>,
    /// Each organisation's places, if it set a number.
    places: Vec<Option<u32>>,
}

impl Places {
    /// The organisations whose places fewer than all their people in
    /// `cycles` could fill, with those people: only they limit a choice.
    fn binding(&self, cycles: &[Cycle]) -> Vec<(usize, Vec<usize>)> {
        let mut people: Vec<Vec<usize>> = vec![Vec::new(); self.places.len()];
        for c in cycles {
            for &p in &c.people {
                people[self.organisation[p]].push(p);
            }
        }
        people
            .into_iter()
            .enumerate()
            .filter_map(|(o, mut members)| {
                members.sort_unstable();
                members.dedup();
                let places = self.places[o]? as usize;
                (members.len() > places).then_some((o, members))
            })
            .collect()
    }
}

/// How sure a choice of cycles is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Proven {
    /// The number of people placed is the most possible.
    placed: bool,
    /// The fit is the best among choices placing as many.
    fit: bool,
}

/// Groups of cycles that share no one with any other group, nor anyone
/// from an organisation whose places bind: each is solved on its own
/// (people offering 3 months never meet those offering 6).
fn components(people: usize, cycles: &[Cycle], places: &Places) -> Vec<Vec<usize>> {
    fn root(parent: &mut [usize], mut p: usize) -> usize {
        while parent[p] != p {
            parent[p] = parent[parent[p]];
            p = parent[p];
        }
        p
    }
    let mut parent: Vec<usize> = (0..people).collect();
    let join = |parent: &mut Vec<usize>, x: usize, y: usize| {
        let (a, b) = (root(parent, x), root(parent, y));
        parent[a.max(b)] = a.min(b);
    };
    for c in cycles {
        for w in c.people.windows(2) {
            join(&mut parent, w[0], w[1]);
        }
    }
    // Everyone from an organisation with fewer places than people is in one
    // group, where its places are counted.
    for (_, members) in places.binding(cycles) {
        for w in members.windows(2) {
            join(&mut parent, w[0], w[1]);
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, c) in cycles.iter().enumerate() {
        let r = root(&mut parent, c.people[0]);
        groups.entry(r).or_default().push(i);
    }
    groups.into_values().collect()
}

/// The disjoint cycles placing the most people, then fitting best, within
/// each organisation's places: two integer programs per group of cycles,
/// the first started from the greedy choice, the second from the first's
/// answer and bound to place as many. Each stops at `limit` with the best
/// found so far, and says so.
fn exact(
    people: usize,
    cycles: &[Cycle],
    places: &Places,
    limit: std::time::Duration,
) -> Option<(Vec<usize>, Proven)> {
    use rayon::prelude::*;
    let groups = components(people, cycles, places);
    let solved: Vec<Option<(Vec<usize>, Proven)>> = groups
        .par_iter()
        .map(|group| {
            let part: Vec<Cycle> = group.iter().map(|&i| cycles[i].clone()).collect();
            exact_group(people, &part, places, limit)
                .map(|(chosen, proven)| (chosen.into_iter().map(|k| group[k]).collect(), proven))
        })
        .collect();
    let mut chosen = Vec::new();
    let mut proven = Proven {
        placed: true,
        fit: true,
    };
    for (part, p) in solved.into_iter().collect::<Option<Vec<_>>>()? {
        chosen.extend(part);
        proven.placed &= p.placed;
        proven.fit &= p.fit;
    }
    chosen.sort_unstable();
    Some((chosen, proven))
}

fn exact_group(
    people: usize,
    cycles: &[Cycle],
    places: &Places,
    limit: std::time::Duration,
) -> Option<(Vec<usize>, Proven)> {
    let placed_by =
        |chosen: &[usize]| -> usize { chosen.iter().map(|&i| cycles[i].people.len()).sum() };
    // The organisations whose places bind here, each with the cycles that
    // place one of its people (never two: a cycle's organisations differ).
    let limits: Vec<(f64, Vec<usize>)> = places
        .binding(cycles)
        .into_iter()
        .filter_map(|(o, _)| {
            let through: Vec<usize> = (0..cycles.len())
                .filter(|&i| {
                    cycles[i]
                        .people
                        .iter()
                        .any(|&p| places.organisation[p] == o)
                })
                .collect();
            Some((f64::from(places.places[o]?), through))
        })
        .collect();
    let solve = |weight: &dyn Fn(&Cycle) -> f64,
                 start: &[usize],
                 at_least: Option<f64>|
     -> Option<(Vec<usize>, bool)> {
        let mut vars = ProblemVariables::new();
        let x: Vec<Variable> = cycles
            .iter()
            .map(|_| vars.add(variable().binary()))
            .collect();
        let objective: Expression = cycles.iter().zip(&x).map(|(c, &v)| weight(c) * v).sum();
        let mut initial: Vec<(Variable, f64)> = x.iter().map(|&v| (v, 0.0)).collect();
        for &i in start {
            initial[i].1 = 1.0;
        }
        let mut problem = vars
            .maximise(objective)
            .using(microlp)
            .with_initial_solution(initial)
            .with_time_limit(limit.as_secs_f64());
        // One constraint per person in the group (not per person offering).
        let mut containing: std::collections::BTreeMap<usize, Vec<Variable>> = Default::default();
        for (c, &v) in cycles.iter().zip(&x) {
            for &p in &c.people {
                containing.entry(p).or_default().push(v);
            }
        }
        for vars in containing.values().filter(|v| v.len() > 1) {
            let sum: Expression = vars.iter().copied().sum();
            problem = problem.with(sum.leq(1.0));
        }
        for (places, through) in &limits {
            let sum: Expression = through.iter().map(|&i| x[i]).sum();
            problem = problem.with(sum.leq(*places));
        }
        if let Some(bound) = at_least {
            let placed: Expression = cycles
                .iter()
                .zip(&x)
                .map(|(c, &v)| c.people.len() as f64 * v)
                .sum();
            problem = problem.with(placed.geq(bound));
        }
        let solution = problem.solve().ok()?;
        let optimal = matches!(solution.status(), good_lp::SolutionStatus::Optimal);
        let chosen = x
            .iter()
            .enumerate()
            .filter(|(_, v)| solution.value(**v) > 0.5)
            .map(|(i, _)| i)
            .collect();
        Some((chosen, optimal))
    };
    let start = greedy(people, cycles, places);
    let (most, placed_proven) = solve(&|c| c.people.len() as f64, &start, None)?;
    let count = placed_by(&most);
    // A half below, so that rounding in the solver cannot make it unreachable.
    let (best, fit_proven) = solve(&|c| c.fit as f64, &most, Some(count as f64 - 0.5))?;
    Some(if placed_by(&best) == count {
        (
            best,
            Proven {
                placed: placed_proven,
                fit: fit_proven,
            },
        )
    } else {
        (
            most,
            Proven {
                placed: placed_proven,
                fit: false,
            },
        )
    })
}

/// Longest cycles first, then best fit, each taken if it shares no one
/// with those taken and each of its organisations has a place left.
fn greedy(people: usize, cycles: &[Cycle], places: &Places) -> Vec<usize> {
    let mut order: Vec<usize> = (0..cycles.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&cycles[i], &cycles[j]);
        (b.people.len(), b.fit)
            .cmp(&(a.people.len(), a.fit))
            .then_with(|| a.people.cmp(&b.people))
    });
    let mut taken = vec![false; people];
    let mut left: Vec<Option<u32>> = places.places.clone();
    let mut chosen = Vec::new();
    for i in order {
        let people = &cycles[i].people;
        let room = people
            .iter()
            .all(|&p| left[places.organisation[p]].is_none_or(|n| n > 0));
        if room && people.iter().all(|&p| !taken[p]) {
            for &p in people {
                taken[p] = true;
                if let Some(n) = &mut left[places.organisation[p]] {
                    *n -= 1;
                }
            }
            chosen.push(i);
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

    fn cycle(people: &[usize], fit: i64) -> Cycle {
        Cycle {
            people: people.to_vec(),
            fit,
        }
    }

    /// Everyone in an organisation of their own with no limit on places.
    fn unlimited(people: usize) -> Places {
        Places {
            organisation: (0..people).collect(),
            places: vec![None; people],
        }
    }

    fn placed(cycles: &[Cycle], chosen: &[usize]) -> usize {
        chosen.iter().map(|&i| cycles[i].people.len()).sum()
    }

    #[test]
    fn two_swaps_are_chosen_over_the_one_cycle_of_three_that_blocks_them() {
        let cycles = [cycle(&[0, 1, 2], 9), cycle(&[0, 3], 2), cycle(&[1, 4], 2)];
        let (chosen, proven) = exact(5, &cycles, &unlimited(5), LIMIT).expect("solved");
        assert!(proven.placed && proven.fit);
        assert_eq!(placed(&cycles, &chosen), 4);
        // Longest first would have placed three.
        assert_eq!(placed(&cycles, &greedy(5, &cycles, &unlimited(5))), 3);
    }

    #[test]
    fn among_choices_placing_as_many_the_best_fit_wins() {
        // Either swap places two; the second suits its people better.
        let cycles = [cycle(&[0, 1], 2), cycle(&[0, 2], 7)];
        assert_eq!(
            exact(3, &cycles, &unlimited(3), LIMIT).expect("solved").0,
            vec![1]
        );
        let cycles = [cycle(&[0, 1], 7), cycle(&[0, 2], 2)];
        assert_eq!(
            exact(3, &cycles, &unlimited(3), LIMIT).expect("solved").0,
            vec![0]
        );
    }

    #[test]
    fn an_organisations_places_bind_across_groups_that_share_no_one() {
        // People 0 and 1 are of one organisation with one place; 2 and 3 of
        // others. The two swaps share no one, but not both can be made.
        let places = Places {
            organisation: vec![0, 0, 1, 2],
            places: vec![Some(1), None, None],
        };
        let cycles = [cycle(&[0, 2], 2), cycle(&[1, 3], 5)];
        assert_eq!(components(4, &cycles, &places).len(), 1);
        let (chosen, proven) = exact(4, &cycles, &places, LIMIT).expect("solved");
        assert!(proven.placed && proven.fit);
        assert_eq!(chosen, vec![1], "the better fit of the two");
        assert_eq!(greedy(4, &cycles, &places), vec![1]);
        // With two places, both.
        let places = Places {
            places: vec![Some(2), None, None],
            ..places
        };
        assert_eq!(components(4, &cycles, &places).len(), 2);
        assert_eq!(
            exact(4, &cycles, &places, LIMIT).expect("solved").0,
            vec![0, 1]
        );
        assert_eq!(greedy(4, &cycles, &places).len(), 2);
    }

    #[test]
    fn no_places_places_no_one() {
        let places = Places {
            organisation: vec![0, 1, 2],
            places: vec![None, Some(0), None],
        };
        let cycles = [cycle(&[0, 1, 2], 3), cycle(&[0, 2], 1)];
        assert_eq!(
            exact(3, &cycles, &places, LIMIT).expect("solved").0,
            vec![1]
        );
        assert_eq!(greedy(3, &cycles, &places), vec![1]);
    }
}
