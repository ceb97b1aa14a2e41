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
//! people than the places it committed (`swap_places`). With microlp (the
//! default [`Solver`]), beyond [`EXACT_UP_TO_CYCLES`] cycles (a pilot of
//! some 2,000 offers has more) a stated greedy choice is made instead,
//! under the same limits; HiGHS (the `highs` feature) takes any number,
//! gathering those worth its time, and says how close to the most it is
//! proven to come.

mod solve;

pub use solve::Solver;
use solve::{Places, Proven, exact, greedy};

use super::people::paused;
use super::round::Month;
use crate::content::profile::Profile;
use crate::content::{Choice, Directory, Entry, Sector, Vetting};

/// The most cycles the integer programs are given, unless the solver
/// gathers the ones worth giving it ([`Solver::gathers`]).
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
    /// What people asked privately (`rounds/private.yaml`): who pauses, and
    /// who is never to be matched with whom.
    pub wishes: super::wishes::Wishes,
    /// How many level bands apart two people who swap may be; `None` for the
    /// site's setting (`[swaps] levels_apart`).
    pub levels_apart: Option<u8>,
    /// Who is placed in a swap this month already, in the rounds of other
    /// schemes (here and in other directories): nobody moves twice.
    pub placed: ahash::AHashSet<String>,
    /// The program that chooses the exchanges: [`Solver::best`] unless
    /// told.
    pub solver: Solver,
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
            placed: ahash::AHashSet::new(),
            solver: Solver::best(),
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
        written.unwrap_or(Vetting::usual_in(self.sector))
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

/// How the cycles were chosen, and how sure the choice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwapMethod {
    /// The most people placed, then the best fit, both proven.
    Exact,
    /// The most people placed, proven; the fit the best found in the time
    /// allowed.
    PlacedExactly,
    /// The search stopped at the time limit, having proven that no choice
    /// places more than `fewer` people more than this one.
    Within {
        /// At most this many more people could be placed.
        fewer: usize,
    },
    /// The best found in the time allowed, with nothing proven of how
    /// close it is to the most.
    BestFound,
    /// Longest cycles first, then best fit, each taken if still disjoint
    /// and its organisations have places left.
    Greedy,
}

impl SwapMethod {
    /// Whether the most people possible are placed, as proven.
    pub fn proven_most(self) -> bool {
        matches!(self, SwapMethod::Exact | SwapMethod::PlacedExactly)
    }

    /// How the exchanges were chosen, in words for the people who run the
    /// round (the summary they send on), to follow "There were N possible
    /// exchanges; ".
    pub fn describe(self) -> String {
        match self {
            SwapMethod::Exact => {
                "these are proven the best: no other choice places more people, and of those placing as many, none suits people better".into()
            }
            SwapMethod::PlacedExactly => {
                "these are proven to place as many people as any choice could; among such choices, they are the best suited found in the time allowed".into()
            }
            SwapMethod::Within { fewer: 1 } => {
                "these are the best found in the time allowed, and no other choice could place more than 1 more person".into()
            }
            SwapMethod::Within { fewer } => format!(
                "these are the best found in the time allowed, and no other choice could place more than {fewer} more people"
            ),
            SwapMethod::BestFound => {
                "these are the best found in the time allowed, and a longer run might place more people".into()
            }
            SwapMethod::Greedy => {
                "there were too many to compare them all, so exchanges of three were taken first, then those that suit people best, each while its people and places were free".into()
            }
        }
    }

    /// A few words for tables and logs.
    pub fn short(self) -> String {
        match self {
            SwapMethod::Exact => "proven best".into(),
            SwapMethod::PlacedExactly => "most placed proven".into(),
            SwapMethod::Within { fewer } => format!("at most {fewer} short of the most"),
            SwapMethod::BestFound => "best found in time".into(),
            SwapMethod::Greedy => "greedy".into(),
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
    /// The solver that chose them.
    pub solver: Solver,
    /// The organisations of the offers, with their places.
    pub organisations: Vec<Commitment>,
    /// Why each of [`SwapRound::unplaced`] was not placed, in its order.
    pub why_unplaced: Vec<Unplaced>,
    /// How many level bands apart the people of a swap could be.
    pub levels_apart: u8,
    /// Offers left out because another scheme placed them this month.
    pub elsewhere: Vec<String>,
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
/// once, starting at its smallest member, in the order of their people; a
/// cycle of three crosses three organisations.
pub fn cycles(offers: &[Offer<'_>], arcs: &[Vec<(usize, i64)>], max_cycle: usize) -> Vec<Cycle> {
    use rayon::prelude::*;
    // Who has an arc to each offer, and its fit.
    let mut into: Vec<Vec<(usize, i64)>> = vec![Vec::new(); arcs.len()];
    for (a, out) in arcs.iter().enumerate() {
        for &(b, fit) in out {
            into[b].push((a, fit));
        }
    }
    let found: Vec<Vec<Cycle>> = (0..arcs.len())
        .into_par_iter()
        .map_init(
            || vec![0i64; arcs.len()],
            |back, a| {
                // back[c]: the fit of c → a plus one, or 0 for no arc.
                for &(c, fit) in &into[a] {
                    back[c] = fit + 1;
                }
                let mut found = Vec::new();
                for &(b, ab) in arcs[a].iter().filter(|(b, _)| *b > a) {
                    if max_cycle >= 2 && back[b] > 0 {
                        found.push(Cycle {
                            people: vec![a, b],
                            fit: ab + back[b] - 1,
                        });
                    }
                    if max_cycle >= 3 {
                        let (oa, ob) = (offers[a].organisation, offers[b].organisation);
                        for &(c, bc) in arcs[b].iter().filter(|(c, _)| *c > a && *c != b) {
                            let oc = offers[c].organisation;
                            if back[c] > 0 && oc != oa && oc != ob {
                                found.push(Cycle {
                                    people: vec![a, b, c],
                                    fit: ab + bc + back[c] - 1,
                                });
                            }
                        }
                    }
                }
                for &(c, _) in &into[a] {
                    back[c] = 0;
                }
                found
            },
        )
        .collect();
    found.into_iter().flatten().collect()
}

/// Makes the swap round of `options.month` over the whole directory.
pub fn swap_round<'a>(dir: &'a Directory, options: &SwapOptions) -> SwapRound<'a> {
    let levels_apart = options.levels_apart.unwrap_or(dir.site.swaps.levels_apart);
    let mut elsewhere = Vec::new();
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
        .filter(|e| {
            let free = !options.placed.contains(&e.slug);
            if !free {
                elsewhere.push(e.slug.clone());
            }
            free
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
    let mut all = cycles(&offers, &arcs, options.max_cycle.min(3));
    // Two people who asked never to be matched do not swap with each other,
    // nor meet in one exchange of three.
    if !options.wishes.is_empty() {
        all.retain(|c| {
            c.people.iter().enumerate().all(|(i, &a)| {
                c.people[i + 1..]
                    .iter()
                    .all(|&b| !options.wishes.apart(&offers[a].id, &offers[b].id))
            })
        });
    }
    let (chosen, method) = if all.len() <= EXACT_UP_TO_CYCLES || options.solver.gathers() {
        match exact(
            offers.len(),
            &all,
            &places,
            options.time_limit,
            options.solver,
        ) {
            Some((chosen, Proven { most, fit })) => {
                let placed: usize = chosen.iter().map(|&i| all[i].people.len()).sum();
                let method = match most {
                    Some(most) if most <= placed && fit => SwapMethod::Exact,
                    Some(most) if most <= placed => SwapMethod::PlacedExactly,
                    Some(most) => SwapMethod::Within {
                        fewer: most - placed,
                    },
                    None => SwapMethod::BestFound,
                };
                (chosen, method)
            }
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
        elsewhere,
        unplaced,
        why_unplaced,
        offers,
        cycles,
        possible: all.len(),
        method,
        solver: options.solver,
        organisations,
        levels_apart,
    }
}
