//! Rounds with too many exchanges to give HiGHS at once: those worth its
//! time are gathered by the linear relaxation's prices, whose duals also
//! bound what any choice could place.

use super::*;

/// A group with too many cycles to give the solver at once. The linear
/// relaxation (a fraction of a cycle may be chosen) is solved over a few
/// cycles, then every cycle is priced by its duals (what each person and
/// each organisation's last place is worth) and the cycles that would
/// raise it are added, until none would or half the time is spent. Any
/// duals bound what every choice can reach: a choice is worth no more than
/// the duals' total plus, for each person, their largest share of what a
/// cycle is worth beyond its price. The program then chooses among the
/// cycles gathered, and is proven best among all where it reaches that
/// bound.
pub(super) fn generated(
    people: usize,
    cycles: &[Cycle],
    places: &Places,
    limit: std::time::Duration,
) -> Option<(Vec<usize>, Proven)> {
    use rayon::prelude::*;
    let started = std::time::Instant::now();
    let scale = scale(cycles);
    let worth = |c: &Cycle| scale * c.people.len() as f64 + c.fit as f64;
    let binding: Vec<Option<f64>> = {
        let mut binding = vec![None; places.places.len()];
        for (o, _) in places.binding(cycles) {
            binding[o] = places.places[o].map(f64::from);
        }
        binding
    };
    let start = greedy(people, cycles, places);
    let mut gathered = vec![false; cycles.len()];
    let mut chosen: Vec<usize> = Vec::new();
    for &i in &start {
        gathered[i] = true;
        chosen.push(i);
    }
    // Each person's first two cycles, as they were listed.
    let mut seen = vec![0u8; people];
    for (i, c) in cycles.iter().enumerate() {
        if !gathered[i] && c.people.iter().any(|&p| seen[p] < 2) {
            gathered[i] = true;
            chosen.push(i);
            for &p in &c.people {
                seen[p] = seen[p].saturating_add(1);
            }
        }
    }
    let mut bound = f64::INFINITY;
    let mut relaxation = Relaxation::new(people, cycles, places, &binding, &chosen, &worth)?;
    let values = loop {
        let duals = relaxation.solve(people, binding.len())?;
        let (person, organisation) = (&duals.person, &duals.organisation);
        let excess = |c: &Cycle| {
            let price: f64 = c
                .people
                .iter()
                .map(|&p| person[p] + organisation[places.organisation[p]])
                .sum();
            worth(c) - price
        };
        // Each person's largest share of a cycle's excess, and the cycle
        // not yet gathered with the most excess of those they are in.
        let none = || (vec![0.0f64; people], vec![(0.0f64, usize::MAX); people]);
        let (share, best) = cycles
            .par_iter()
            .enumerate()
            .fold(none, |(mut share, mut best), (i, c)| {
                let excess = excess(c);
                if excess > 0.0 {
                    let each = excess / c.people.len() as f64;
                    for &p in &c.people {
                        share[p] = f64::max(share[p], each);
                        // Worth gathering only beyond rounding.
                        if !gathered[i] && excess > 1e-6 && excess > best[p].0 {
                            best[p] = (excess, i);
                        }
                    }
                }
                (share, best)
            })
            .reduce(none, |(mut share, mut best), (other, more)| {
                for (s, o) in share.iter_mut().zip(other) {
                    *s = s.max(o);
                }
                for (b, m) in best.iter_mut().zip(more) {
                    if m.0 > b.0 {
                        *b = m;
                    }
                }
                (share, best)
            });
        let mut better: Vec<usize> = best
            .into_iter()
            .filter(|b| b.1 != usize::MAX)
            .map(|b| b.1)
            .collect();
        better.sort_unstable();
        better.dedup();
        let total: f64 = person.iter().sum::<f64>()
            + organisation
                .iter()
                .zip(&binding)
                .map(|(z, b)| z * b.unwrap_or(0.0))
                .sum::<f64>();
        bound = bound.min(total + share.iter().sum::<f64>());
        if better.is_empty() || started.elapsed() > limit / 2 {
            break duals.values;
        }
        for &i in &better {
            gathered[i] = true;
            chosen.push(i);
            relaxation.add(cycles, i, places, worth(&cycles[i]))?;
        }
    };
    // Worth is a whole number: a bound of 10.0000001 is 10.
    let bound = (bound + 1e-6).floor();
    // The relaxation's choice rounded: cycles taken in the order of how
    // much of each it chose, then by worth, while their people and places
    // are free.
    let mut order: Vec<usize> = (0..relaxation.columns.len()).collect();
    order.sort_by(|&a, &b| {
        values[b]
            .total_cmp(&values[a])
            .then(
                worth(&cycles[relaxation.columns[b]])
                    .total_cmp(&worth(&cycles[relaxation.columns[a]])),
            )
            .then(relaxation.columns[a].cmp(&relaxation.columns[b]))
    });
    let order: Vec<usize> = order.into_iter().map(|k| relaxation.columns[k]).collect();
    let rounded = in_order(people, cycles, places, &order);
    let worth_of = |chosen: &[usize]| -> f64 { chosen.iter().map(|&i| worth(&cycles[i])).sum() };
    let start = if worth_of(&rounded) > worth_of(&start) {
        rounded
    } else {
        start
    };
    let placed_by =
        |chosen: &[usize]| -> usize { chosen.iter().map(|&i| cycles[i].people.len()).sum() };
    if worth_of(&start) >= bound {
        return Some((
            start.clone(),
            Proven {
                most: Some(placed_by(&start)),
                fit: true,
            },
        ));
    }
    chosen.sort_unstable();
    let part: Vec<Cycle> = chosen.iter().map(|&i| cycles[i].clone()).collect();
    let position = |i: usize| chosen.binary_search(&i).ok();
    let start: Vec<usize> = start.iter().filter_map(|&i| position(i)).collect();
    let (within, _) = whole(people, &part, places, limit / 2, Solver::Highs, Some(start))?;
    let within: Vec<usize> = within.into_iter().map(|k| chosen[k]).collect();
    let placed = placed_by(&within);
    let reached = worth_of(&within);
    // Nor can more be placed than everyone in a cycle, within their
    // organisations' places.
    let mut in_one = vec![false; people];
    for c in cycles {
        for &p in &c.people {
            in_one[p] = true;
        }
    }
    let mut each = vec![0usize; places.places.len()];
    for p in (0..people).filter(|&p| in_one[p]) {
        each[places.organisation[p]] += 1;
    }
    let everyone: usize = each
        .iter()
        .zip(&places.places)
        .map(|(&n, most)| most.map_or(n, |m| n.min(m as usize)))
        .sum();
    Some((
        within,
        Proven {
            most: Some(((bound / scale).floor() as usize).min(everyone).max(placed)),
            fit: reached >= bound,
        },
    ))
}

/// The linear relaxation over the cycles gathered so far, kept between
/// solves so that each starts from the last one's basis.
struct Relaxation {
    model: highs::Model,
    /// Each person's row, and each organisation's whose places bind, with
    /// its position.
    person: Vec<Option<(highs::Row, usize)>>,
    organisation: Vec<Option<(highs::Row, usize)>>,
    /// The cycle of each column.
    columns: Vec<usize>,
}

/// What a solve of the relaxation gives: the duals, at least zero, of
/// each person and organisation (zero where they have no row), and each
/// column's value.
struct Duals {
    person: Vec<f64>,
    organisation: Vec<f64>,
    values: Vec<f64>,
}

impl Relaxation {
    /// A row for everyone in `cycles` and each organisation in `binding`,
    /// and a column for each of `chosen`.
    fn new(
        people: usize,
        cycles: &[Cycle],
        places: &Places,
        binding: &[Option<f64>],
        chosen: &[usize],
        worth: &dyn Fn(&Cycle) -> f64,
    ) -> Option<Self> {
        let mut problem = highs::ColProblem::default();
        let mut person = vec![None; people];
        let mut organisation = vec![None; binding.len()];
        let mut rows = 0;
        for c in cycles {
            for &p in &c.people {
                if person[p].is_none() {
                    person[p] = Some((problem.add_row(..=1.0), rows));
                    rows += 1;
                }
                let o = places.organisation[p];
                if let Some(most) = binding[o]
                    && organisation[o].is_none()
                {
                    organisation[o] = Some((problem.add_row(..=most), rows));
                    rows += 1;
                }
            }
        }
        let mut relaxation = Relaxation {
            model: highs::Model::new(highs::ColProblem::default()),
            person,
            organisation,
            columns: Vec::new(),
        };
        for &i in chosen {
            problem.add_column(
                worth(&cycles[i]),
                0..,
                relaxation.factors(&cycles[i], places),
            );
            relaxation.columns.push(i);
        }
        relaxation.model = problem.try_optimise(highs::Sense::Maximise).ok()?;
        relaxation.model.make_quiet();
        Some(relaxation)
    }

    fn factors(&self, c: &Cycle, places: &Places) -> Vec<(highs::Row, f64)> {
        c.people
            .iter()
            .flat_map(|&p| {
                let organisation = self.organisation[places.organisation[p]];
                self.person[p]
                    .into_iter()
                    .chain(organisation)
                    .map(|(r, _)| (r, 1.0))
            })
            .collect()
    }

    fn add(&mut self, cycles: &[Cycle], i: usize, places: &Places, worth: f64) -> Option<()> {
        let factors = self.factors(&cycles[i], places);
        self.model.try_add_column(worth, 0.., factors).ok()?;
        self.columns.push(i);
        Some(())
    }

    fn solve(&mut self, people: usize, organisations: usize) -> Option<Duals> {
        let model = std::mem::replace(
            &mut self.model,
            highs::Model::new(highs::ColProblem::default()),
        );
        let solved = model.try_solve().ok()?;
        if solved.status() != highs::HighsModelStatus::Optimal {
            return None;
        }
        let solution = solved.get_solution();
        let rows = solution.dual_rows();
        // Whichever sign HiGHS gives a maximisation's duals, their size is
        // what the row is worth.
        let dual = |row: &Option<(highs::Row, usize)>| row.map_or(0.0, |(_, r)| rows[r].abs());
        let duals = Duals {
            person: (0..people).map(|p| dual(&self.person[p])).collect(),
            organisation: (0..organisations)
                .map(|o| dual(&self.organisation[o]))
                .collect(),
            values: solution.columns().to_vec(),
        };
        self.model = highs::Model::from(solved);
        Some(duals)
    }
}
