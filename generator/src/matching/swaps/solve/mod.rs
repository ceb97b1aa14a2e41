//! Choosing the cycles of a swap round: as many people placed as possible,
//! then the best fit, within the places organisations committed; exactly by
//! an integer program for each group of cycles that share people or an
//! organisation's places, or greedily where that would take too long.
//!
//! Two solvers: microlp, in Rust, always built, which runs two programs
//! (the most placed, then the best fit among choices placing as many) and
//! says nothing of how close a search it stopped came; and HiGHS (the
//! `highs` feature), which runs one program whose weights put a person
//! placed before any fit, gives a group with many cycles only those worth
//! giving it (see [`generated`]), and where it stops says how many more
//! people any choice could place at most.

use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, WithInitialSolution,
    WithTimeLimit, variable,
};

use super::Cycle;

#[cfg(feature = "highs")]
mod generated;
#[cfg(feature = "highs")]
use generated::generated;

/// The places organisations committed, as a choice of cycles must respect
/// them.
#[derive(Debug, Clone)]
pub(super) struct Places {
    /// Each person's organisation.
    pub(super) organisation: Vec<usize>,
    /// Each organisation's places, if it set a number.
    pub(super) places: Vec<Option<u32>>,
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

/// The program that chooses among the exchanges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solver {
    /// microlp, in Rust, built everywhere: it proves small rounds best,
    /// and of a search stopped at the time limit it cannot say how close
    /// it came.
    Microlp,
    /// HiGHS (the `highs` feature): proves larger rounds best, and where
    /// it stops at the time limit, how many more people at most any choice
    /// could place.
    #[cfg(feature = "highs")]
    Highs,
}

impl Solver {
    /// Every solver this program was built with.
    pub const ALL: &[Solver] = &[
        Solver::Microlp,
        #[cfg(feature = "highs")]
        Solver::Highs,
    ];

    /// The one a round uses unless told: the last built in (HiGHS when the
    /// `highs` feature is on, else microlp).
    pub fn best() -> Self {
        Self::ALL[Self::ALL.len() - 1]
    }

    /// Whether, of a round with more cycles than it can be given at once,
    /// it gathers those that could place more people and bounds what the
    /// rest could (HiGHS): others leave such a round to the greedy choice.
    pub fn gathers(self) -> bool {
        #[cfg(feature = "highs")]
        if self == Solver::Highs {
            return true;
        }
        false
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Solver::Microlp => "microlp",
            #[cfg(feature = "highs")]
            Solver::Highs => "HiGHS",
        }
    }
}

/// How sure a choice of cycles is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Proven {
    /// The most people any choice could place, as far as the solver
    /// proved: the number placed when that is proven the most; `None` when
    /// the solver stopped without a bound.
    pub(super) most: Option<usize>,
    /// The fit is the best among choices placing as many.
    pub(super) fit: bool,
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
pub(super) fn exact(
    people: usize,
    cycles: &[Cycle],
    places: &Places,
    limit: std::time::Duration,
    solver: Solver,
) -> Option<(Vec<usize>, Proven)> {
    use rayon::prelude::*;
    let groups = components(people, cycles, places);
    let solved: Vec<Option<(Vec<usize>, Proven)>> = groups
        .par_iter()
        .map(|group| {
            if group.len() == cycles.len() {
                return exact_group(people, cycles, places, limit, solver);
            }
            let part: Vec<Cycle> = group.iter().map(|&i| cycles[i].clone()).collect();
            exact_group(people, &part, places, limit, solver)
                .map(|(chosen, proven)| (chosen.into_iter().map(|k| group[k]).collect(), proven))
        })
        .collect();
    let mut chosen = Vec::new();
    let mut proven = Proven {
        most: Some(0),
        fit: true,
    };
    for (part, p) in solved.into_iter().collect::<Option<Vec<_>>>()? {
        chosen.extend(part);
        proven.most = proven.most.zip(p.most).map(|(a, b)| a + b);
        proven.fit &= p.fit;
    }
    chosen.sort_unstable();
    Some((chosen, proven))
}

/// One integer program over a group's cycles: a yes or no for each cycle,
/// at most one cycle for each person and no more than an organisation's
/// places, maximising `weight`.
struct Program<'a> {
    cycles: &'a [Cycle],
    /// The constraints, each at most its number: a person's cycles (1),
    /// or the cycles through an organisation whose places bind.
    rows: Vec<(f64, Vec<usize>)>,
}

/// What a program found.
struct Found {
    chosen: Vec<usize>,
    /// Proven the best.
    optimal: bool,
    /// The best any choice could do, as proven, when the solver says.
    bound: Option<f64>,
}

impl Program<'_> {
    /// The best choice by `weight`, started from `start`, placing at least
    /// `at_least` people if given.
    fn solve(
        &self,
        solver: Solver,
        weight: &dyn Fn(&Cycle) -> f64,
        start: &[usize],
        at_least: Option<f64>,
        limit: std::time::Duration,
    ) -> Option<Found> {
        match solver {
            Solver::Microlp => self.microlp(weight, start, at_least, limit),
            #[cfg(feature = "highs")]
            Solver::Highs => self.highs(weight, start, at_least, limit),
        }
    }

    fn microlp(
        &self,
        weight: &dyn Fn(&Cycle) -> f64,
        start: &[usize],
        at_least: Option<f64>,
        limit: std::time::Duration,
    ) -> Option<Found> {
        let mut vars = ProblemVariables::new();
        let x: Vec<Variable> = self
            .cycles
            .iter()
            .map(|_| vars.add(variable().binary()))
            .collect();
        let objective: Expression = self
            .cycles
            .iter()
            .zip(&x)
            .map(|(c, &v)| weight(c) * v)
            .sum();
        let mut initial: Vec<(Variable, f64)> = x.iter().map(|&v| (v, 0.0)).collect();
        for &i in start {
            initial[i].1 = 1.0;
        }
        let mut problem = vars
            .maximise(objective)
            .using(good_lp::microlp)
            .with_initial_solution(initial)
            .with_time_limit(limit.as_secs_f64());
        for (most, through) in &self.rows {
            let sum: Expression = through.iter().map(|&i| x[i]).sum();
            problem = problem.with(sum.leq(*most));
        }
        if let Some(bound) = at_least {
            let placed: Expression = self
                .cycles
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
        Some(Found {
            chosen,
            optimal,
            // microlp says nothing of how far a search it stopped was
            // from the best.
            bound: None,
        })
    }

    #[cfg(feature = "highs")]
    fn highs(
        &self,
        weight: &dyn Fn(&Cycle) -> f64,
        start: &[usize],
        at_least: Option<f64>,
        limit: std::time::Duration,
    ) -> Option<Found> {
        let mut problem = highs::ColProblem::default();
        // Each cycle's rows, found by going through the rows once.
        let mut rows: Vec<Vec<(highs::Row, f64)>> = vec![Vec::new(); self.cycles.len()];
        for (most, through) in &self.rows {
            let row = problem.add_row(..=*most);
            for &i in through {
                rows[i].push((row, 1.0));
            }
        }
        if let Some(bound) = at_least {
            let row = problem.add_row(bound..);
            for (i, c) in self.cycles.iter().enumerate() {
                rows[i].push((row, c.people.len() as f64));
            }
        }
        for (c, rows) in self.cycles.iter().zip(&rows) {
            problem.add_integer_column(weight(c), 0..=1, rows);
        }
        let mut model = problem.try_optimise(highs::Sense::Maximise).ok()?;
        model.make_quiet();
        model
            .try_set_option("time_limit", limit.as_secs_f64())
            .ok()?;
        // Every weight is a whole number, so a gap under one is none.
        model.try_set_option("mip_rel_gap", 0.0).ok()?;
        model.try_set_option("mip_abs_gap", 0.99).ok()?;
        let mut initial = vec![0.0; self.cycles.len()];
        for &i in start {
            initial[i] = 1.0;
        }
        model
            .try_set_solution(Some(&initial), None, None, None)
            .ok()?;
        let solved = model.try_solve().ok()?;
        if solved.primal_solution_status() != highs::HighsSolutionStatus::Feasible {
            return None;
        }
        let optimal = solved.status() == highs::HighsModelStatus::Optimal;
        let bound = solved
            .double_info_value(c"mip_dual_bound")
            .ok()
            .filter(|b| b.is_finite());
        let chosen = solved
            .get_solution()
            .columns()
            .iter()
            .enumerate()
            .filter(|(_, v)| **v > 0.5)
            .map(|(i, _)| i)
            .collect();
        Some(Found {
            chosen,
            optimal,
            bound,
        })
    }
}

/// How many cycles of a group HiGHS is given all at once; beyond, it is
/// given those that could improve on its linear relaxation (see
/// [`generated`]).
#[cfg(feature = "highs")]
const ALL_AT_ONCE_UP_TO: usize = 10_000;

fn exact_group(
    people: usize,
    cycles: &[Cycle],
    places: &Places,
    limit: std::time::Duration,
    solver: Solver,
) -> Option<(Vec<usize>, Proven)> {
    #[cfg(feature = "highs")]
    if solver == Solver::Highs && cycles.len() > ALL_AT_ONCE_UP_TO {
        return generated(people, cycles, places, limit);
    }
    whole(people, cycles, places, limit, solver, None)
}

/// The programs over all of a group's cycles (or those gathered), started
/// from `start` (else the greedy choice): microlp's two, or HiGHS's one.
fn whole(
    people: usize,
    cycles: &[Cycle],
    places: &Places,
    limit: std::time::Duration,
    solver: Solver,
    start: Option<Vec<usize>>,
) -> Option<(Vec<usize>, Proven)> {
    let placed_by =
        |chosen: &[usize]| -> usize { chosen.iter().map(|&i| cycles[i].people.len()).sum() };
    // One constraint per person in the group in more than one cycle.
    let mut containing: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, c) in cycles.iter().enumerate() {
        for &p in &c.people {
            containing.entry(p).or_default().push(i);
        }
    }
    let mut rows: Vec<(f64, Vec<usize>)> = containing
        .into_values()
        .filter(|c| c.len() > 1)
        .map(|c| (1.0, c))
        .collect();
    // The organisations whose places bind here, each with the cycles that
    // place one of its people (never two: a cycle's organisations differ).
    rows.extend(places.binding(cycles).into_iter().filter_map(|(o, _)| {
        let through: Vec<usize> = (0..cycles.len())
            .filter(|&i| {
                cycles[i]
                    .people
                    .iter()
                    .any(|&p| places.organisation[p] == o)
            })
            .collect();
        Some((f64::from(places.places[o]?), through))
    }));
    let program = Program { cycles, rows };
    let start = start.unwrap_or_else(|| greedy(people, cycles, places));
    #[cfg(feature = "highs")]
    if solver == Solver::Highs {
        let scale = scale(cycles);
        let found = program.solve(
            solver,
            &|c| scale * c.people.len() as f64 + c.fit as f64,
            &start,
            None,
            limit,
        )?;
        let placed = placed_by(&found.chosen);
        let most = if found.optimal {
            Some(placed)
        } else {
            found
                .bound
                .map(|b| (((b + 0.5) / scale).floor() as usize).max(placed))
        };
        return Some((
            found.chosen,
            Proven {
                most,
                fit: found.optimal,
            },
        ));
    }
    let most = program.solve(solver, &|c| c.people.len() as f64, &start, None, limit)?;
    let count = placed_by(&most.chosen);
    let proven_most = if most.optimal {
        Some(count)
    } else {
        // A whole number of people: a bound of 10.0000001 is 10.
        most.bound.map(|b| ((b + 1e-6).floor() as usize).max(count))
    };
    // A half below, so that rounding in the solver cannot make it unreachable.
    let best = program.solve(
        solver,
        &|c| c.fit as f64,
        &most.chosen,
        Some(count as f64 - 0.5),
        limit,
    );
    Some(match best {
        Some(best) if placed_by(&best.chosen) == count => (
            best.chosen,
            Proven {
                most: proven_most,
                fit: best.optimal,
            },
        ),
        _ => (
            most.chosen,
            Proven {
                most: proven_most,
                fit: false,
            },
        ),
    })
}

/// What a person placed is worth against fit, so that one program finds
/// the most people placed and, among those choices, the best fit: more
/// than the fit of any whole choice (no choice places a person twice, so
/// none fits better than every person's best share of a cycle).
#[cfg(feature = "highs")]
fn scale(cycles: &[Cycle]) -> f64 {
    let people = cycles
        .iter()
        .flat_map(|c| c.people.iter().copied())
        .max()
        .map_or(0, |p| p + 1);
    let mut best = vec![0.0f64; people];
    for c in cycles {
        let share = c.fit as f64 / c.people.len() as f64;
        for &p in &c.people {
            best[p] = best[p].max(share);
        }
    }
    (best.iter().sum::<f64>() + 1.0).ceil()
}

/// Longest cycles first, then best fit, each taken if it shares no one
/// with those taken and each of its organisations has a place left.
pub(super) fn greedy(people: usize, cycles: &[Cycle], places: &Places) -> Vec<usize> {
    // Counted into one bucket for each length and fit (cycles of three
    // first, best fit first), ties in the order listed, which is the order
    // of their people.
    let (low, high) = cycles.iter().fold((i64::MAX, i64::MIN), |(l, h), c| {
        (l.min(c.fit), h.max(c.fit))
    });
    let fits = (high.saturating_sub(low).saturating_add(1)).clamp(0, 1 << 20) as usize;
    let bucket = |c: &Cycle| {
        let fit = (high - c.fit).min(fits as i64 - 1) as usize;
        (3 - c.people.len().clamp(2, 3)) * fits + fit
    };
    let mut starts = vec![0usize; 2 * fits + 1];
    for c in cycles {
        starts[bucket(c) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut order = vec![0; cycles.len()];
    for (i, c) in cycles.iter().enumerate() {
        let b = bucket(c);
        order[starts[b]] = i;
        starts[b] += 1;
    }
    in_order(people, cycles, places, &order)
}

/// The cycles of `order`, in that order, each taken if it shares no one
/// with those taken and each of its organisations has a place left.
fn in_order(people: usize, cycles: &[Cycle], places: &Places, order: &[usize]) -> Vec<usize> {
    let mut taken = vec![false; people];
    let mut left: Vec<Option<u32>> = places.places.clone();
    let mut chosen = Vec::new();
    for &i in order {
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
        for &solver in Solver::ALL {
            let (chosen, proven) = exact(5, &cycles, &unlimited(5), LIMIT, solver).expect("solved");
            assert_eq!(
                proven,
                Proven {
                    most: Some(4),
                    fit: true
                },
                "{solver:?}"
            );
            assert_eq!(placed(&cycles, &chosen), 4, "{solver:?}");
        }
        // Longest first would have placed three.
        assert_eq!(placed(&cycles, &greedy(5, &cycles, &unlimited(5))), 3);
    }

    #[test]
    fn among_choices_placing_as_many_the_best_fit_wins() {
        for &solver in Solver::ALL {
            // Either swap places two; the second suits its people better.
            let cycles = [cycle(&[0, 1], 2), cycle(&[0, 2], 7)];
            assert_eq!(
                exact(3, &cycles, &unlimited(3), LIMIT, solver)
                    .expect("solved")
                    .0,
                vec![1]
            );
            let cycles = [cycle(&[0, 1], 7), cycle(&[0, 2], 2)];
            assert_eq!(
                exact(3, &cycles, &unlimited(3), LIMIT, solver)
                    .expect("solved")
                    .0,
                vec![0]
            );
        }
    }

    #[test]
    fn an_organisations_places_bind_across_groups_that_share_no_one() {
        for &solver in Solver::ALL {
            // People 0 and 1 are of one organisation with one place; 2 and 3 of
            // others. The two swaps share no one, but not both can be made.
            let places = Places {
                organisation: vec![0, 0, 1, 2],
                places: vec![Some(1), None, None],
            };
            let cycles = [cycle(&[0, 2], 2), cycle(&[1, 3], 5)];
            assert_eq!(components(4, &cycles, &places).len(), 1);
            let (chosen, proven) = exact(4, &cycles, &places, LIMIT, solver).expect("solved");
            assert_eq!(
                proven,
                Proven {
                    most: Some(2),
                    fit: true
                }
            );
            assert_eq!(chosen, vec![1], "the better fit of the two");
            assert_eq!(greedy(4, &cycles, &places), vec![1]);
            // With two places, both.
            let places = Places {
                places: vec![Some(2), None, None],
                ..places
            };
            assert_eq!(components(4, &cycles, &places).len(), 2);
            assert_eq!(
                exact(4, &cycles, &places, LIMIT, solver).expect("solved").0,
                vec![0, 1]
            );
            assert_eq!(greedy(4, &cycles, &places).len(), 2);
        }
    }

    #[test]
    fn no_places_places_no_one() {
        for &solver in Solver::ALL {
            let places = Places {
                organisation: vec![0, 1, 2],
                places: vec![None, Some(0), None],
            };
            let cycles = [cycle(&[0, 1, 2], 3), cycle(&[0, 2], 1)];
            assert_eq!(
                exact(3, &cycles, &places, LIMIT, solver).expect("solved").0,
                vec![1]
            );
            assert_eq!(greedy(3, &cycles, &places), vec![1]);
        }
    }

    /// A round of random cycles among 120 people in 40 organisations, a
    /// third of which have two places: (people, cycles, places).
    #[cfg(feature = "highs")]
    fn random_round(seed: u64, count: usize) -> (usize, Vec<Cycle>, Places) {
        let mut state = seed;
        let mut next = |below: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % below
        };
        let people = 120;
        let organisation: Vec<usize> = (0..people).map(|p| p % 40).collect();
        let places = (0..40).map(|o| (o % 3 == 0).then_some(2)).collect();
        let mut cycles = Vec::new();
        while cycles.len() < count {
            let size = 2 + next(2);
            let mut members: Vec<usize> = (0..size).map(|_| next(people)).collect();
            members.sort_unstable();
            let mut orgs: Vec<usize> = members.iter().map(|&p| organisation[p]).collect();
            orgs.sort_unstable();
            orgs.dedup();
            if orgs.len() == size {
                cycles.push(cycle(&members, 1 + next(9) as i64));
            }
        }
        (
            people,
            cycles,
            Places {
                organisation,
                places,
            },
        )
    }

    /// Whether `chosen` share no one and keep every organisation's places.
    #[cfg(feature = "highs")]
    fn allowed(cycles: &[Cycle], chosen: &[usize], places: &Places) -> bool {
        let mut taken = std::collections::HashSet::new();
        let mut used = vec![0; places.places.len()];
        for &i in chosen {
            for &p in &cycles[i].people {
                if !taken.insert(p) {
                    return false;
                }
                used[places.organisation[p]] += 1;
            }
        }
        used.iter()
            .zip(&places.places)
            .all(|(&n, most)| most.is_none_or(|m| n <= m as usize))
    }

    /// Gathering cycles by their duals places as many as giving HiGHS every
    /// cycle at once, and what it proves no choice could beat is never less
    /// than what the best choice places.
    #[cfg(feature = "highs")]
    #[test]
    fn gathered_cycles_place_as_many_and_bound_what_any_choice_could() {
        for seed in 1..=6 {
            let (people, cycles, places) = random_round(seed, 600);
            let (all, proven) =
                whole(people, &cycles, &places, LIMIT, Solver::Highs, None).expect("solved");
            let best = placed(&cycles, &all);
            assert_eq!(proven.most, Some(best), "seed {seed}: proven best");
            let (chosen, proven) = generated(people, &cycles, &places, LIMIT).expect("solved");
            assert!(allowed(&cycles, &chosen, &places), "seed {seed}");
            let most = proven.most.expect("a bound");
            assert!(most >= best, "seed {seed}: {most} below {best}");
            assert_eq!(placed(&cycles, &chosen), best, "seed {seed}");
        }
    }
}
