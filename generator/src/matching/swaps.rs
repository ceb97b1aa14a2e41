//! A month's job-swap round: cycles in which everyone who moves is replaced
//! by someone coming the other way.
//!
//! An arc A → B means B's job suits what A wants (sector, policy area,
//! place) and both offer the same number of months. A cycle of two is a
//! straight swap; a cycle of three moves three people between three
//! organisations, each losing and gaining one. Choosing disjoint cycles that
//! place the most people is the kidney-exchange problem: every cycle up to
//! the length limit is listed, then an integer program picks the set that
//! places the most people, and among those the one that fits best. Beyond
//! [`EXACT_UP_TO_CYCLES`] cycles (far more than a round of a few thousand
//! offers has) a stated greedy choice is made instead.

use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, WithInitialSolution,
    WithTimeLimit, microlp, variable,
};

use super::people::paused;
use super::round::Month;
use crate::content::profile::Profile;
use crate::content::{Directory, Entry, Sector};

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
}

impl SwapOptions {
    /// Cycles of up to three, and ten seconds for each integer program.
    pub fn new(month: Month) -> Self {
        Self {
            month,
            max_cycle: 3,
            time_limit: std::time::Duration::from_secs(10),
            programme: None,
            wishes: super::wishes::Wishes::default(),
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
    /// Longest cycles first, then best fit, each taken if still disjoint.
    Greedy,
}

impl SwapMethod {
    /// What the method is called in a round's summary.
    pub fn describe(self) -> &'static str {
        match self {
            SwapMethod::Exact => "exact (integer program: most people placed, then best fit)",
            SwapMethod::PlacedExactly => {
                "the most people placed, proven; among those, the best fit found in the time allowed"
            }
            SwapMethod::BestFound => {
                "the best found in the time allowed (integer program stopped before proving it)"
            }
            SwapMethod::Greedy => "greedy (too many cycles for the integer program)",
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
}

impl SwapRound<'_> {
    /// How many people the chosen cycles place.
    pub fn placed(&self) -> usize {
        self.cycles.iter().map(|c| c.people.len()).sum()
    }
}

/// How well `b`'s job suits `a`, or `None` if it does not: an arc `a → b`.
pub fn fit(a: &Offer<'_>, b: &Offer<'_>) -> Option<i64> {
    let (Some(swap_a), Some(swap_b)) = (&a.entry.data.swap, &b.entry.data.swap) else {
        return None;
    };
    let (pa, pb) = (&a.entry.data, &b.entry.data);
    if a.id == b.id || pa.organisation == pb.organisation || swap_a.months != swap_b.months {
        return None;
    }
    let mut fit = 1;
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
pub fn arcs(offers: &[Offer<'_>]) -> Vec<Vec<(usize, i64)>> {
    use rayon::prelude::*;
    (0..offers.len())
        .into_par_iter()
        .map(|a| {
            (0..offers.len())
                .filter_map(|b| fit(&offers[a], &offers[b]).map(|f| (b, f)))
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
        })
        .collect();
    offers.sort_by(|a, b| a.id.cmp(&b.id));
    let arcs = arcs(&offers);
    let all = cycles(&offers, &arcs, options.max_cycle.min(3));
    let (chosen, method) = if all.len() <= EXACT_UP_TO_CYCLES {
        match exact(offers.len(), &all, options.time_limit) {
            Some((
                chosen,
                Proven {
                    placed: true,
                    fit: true,
                },
            )) => (chosen, SwapMethod::Exact),
            Some((chosen, Proven { placed: true, .. })) => (chosen, SwapMethod::PlacedExactly),
            Some((chosen, _)) => (chosen, SwapMethod::BestFound),
            None => (greedy(offers.len(), &all), SwapMethod::Greedy),
        }
    } else {
        (greedy(offers.len(), &all), SwapMethod::Greedy)
    };
    let mut cycles: Vec<Cycle> = chosen.into_iter().map(|i| all[i].clone()).collect();
    cycles.sort_by(|a, b| a.people.cmp(&b.people));
    let mut placed = vec![false; offers.len()];
    for c in &cycles {
        for &p in &c.people {
            placed[p] = true;
        }
    }
    SwapRound {
        month: options.month,
        unplaced: (0..offers.len()).filter(|&i| !placed[i]).collect(),
        offers,
        cycles,
        possible: all.len(),
        method,
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

/// Groups of cycles that share no one with any other group: each is solved
/// on its own (people offering 3 months never meet those offering 6).
fn components(people: usize, cycles: &[Cycle]) -> Vec<Vec<usize>> {
    fn root(parent: &mut [usize], mut p: usize) -> usize {
        while parent[p] != p {
            parent[p] = parent[parent[p]];
            p = parent[p];
        }
        p
    }
    let mut parent: Vec<usize> = (0..people).collect();
    for c in cycles {
        for w in c.people.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, c) in cycles.iter().enumerate() {
        let r = root(&mut parent, c.people[0]);
        groups.entry(r).or_default().push(i);
    }
    groups.into_values().collect()
}

/// The disjoint cycles placing the most people, then fitting best: two
/// integer programs per group of cycles, the first started from the greedy
/// choice, the second from the first's answer and bound to place as many.
/// Each stops at `limit` with the best found so far, and says so.
fn exact(
    people: usize,
    cycles: &[Cycle],
    limit: std::time::Duration,
) -> Option<(Vec<usize>, Proven)> {
    use rayon::prelude::*;
    let groups = components(people, cycles);
    let solved: Vec<Option<(Vec<usize>, Proven)>> = groups
        .par_iter()
        .map(|group| {
            let part: Vec<Cycle> = group.iter().map(|&i| cycles[i].clone()).collect();
            exact_group(people, &part, limit)
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
    limit: std::time::Duration,
) -> Option<(Vec<usize>, Proven)> {
    let placed_by =
        |chosen: &[usize]| -> usize { chosen.iter().map(|&i| cycles[i].people.len()).sum() };
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
    let start = greedy(people, cycles);
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

fn greedy(people: usize, cycles: &[Cycle]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..cycles.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&cycles[i], &cycles[j]);
        (b.people.len(), b.fit)
            .cmp(&(a.people.len(), a.fit))
            .then_with(|| a.people.cmp(&b.people))
    });
    let mut taken = vec![false; people];
    let mut chosen = Vec::new();
    for i in order {
        if cycles[i].people.iter().all(|&p| !taken[p]) {
            for &p in &cycles[i].people {
                taken[p] = true;
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

    fn placed(cycles: &[Cycle], chosen: &[usize]) -> usize {
        chosen.iter().map(|&i| cycles[i].people.len()).sum()
    }

    #[test]
    fn two_swaps_are_chosen_over_the_one_cycle_of_three_that_blocks_them() {
        let cycles = [cycle(&[0, 1, 2], 9), cycle(&[0, 3], 2), cycle(&[1, 4], 2)];
        let (chosen, proven) = exact(5, &cycles, LIMIT).expect("solved");
        assert!(proven.placed && proven.fit);
        assert_eq!(placed(&cycles, &chosen), 4);
        // Longest first would have placed three.
        assert_eq!(placed(&cycles, &greedy(5, &cycles)), 3);
    }

    #[test]
    fn among_choices_placing_as_many_the_best_fit_wins() {
        // Either swap places two; the second suits its people better.
        let cycles = [cycle(&[0, 1], 2), cycle(&[0, 2], 7)];
        assert_eq!(exact(3, &cycles, LIMIT).expect("solved").0, vec![1]);
        let cycles = [cycle(&[0, 1], 7), cycle(&[0, 2], 2)];
        assert_eq!(exact(3, &cycles, LIMIT).expect("solved").0, vec![0]);
    }
}
