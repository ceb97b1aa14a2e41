//! Choosing the cycles of a swap round: as many people placed as possible,
//! then the best fit, within the places organisations committed; exactly by
//! an integer program for each group of cycles that share people or an
//! organisation's places, or greedily where that would take too long.

use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, WithInitialSolution,
    WithTimeLimit, microlp, variable,
};

use super::Cycle;

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

/// How sure a choice of cycles is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Proven {
    /// The number of people placed is the most possible.
    pub(super) placed: bool,
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
pub(super) fn greedy(people: usize, cycles: &[Cycle], places: &Places) -> Vec<usize> {
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
