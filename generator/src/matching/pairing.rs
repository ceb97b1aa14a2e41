//! Pairs of greatest total weight in a general graph.
//!
//! Buddy pairs are not split into two sides, so the graph is general and
//! the exact answer takes Edmonds' blossom algorithm (here the `mwmatching`
//! crate, a port of Van Rantwijk's reference implementation, O(n³)). It is
//! used up to [`EXACT_UP_TO`] people. Beyond, where it would take minutes, a
//! stated approximation runs in near-linear time: greedy by weight; passes
//! of local improvement that take an unused edge when dropping the pairs it
//! crosses and re-pairing their partners (with each other, or with someone
//! still free) gains weight; then sweeps that cut the graph into windows of a
//! few hundred people and solve each window exactly. Its distance from the
//! optimum is measured by `cargo bench --bench matching` on sizes both run.

use std::cmp::Reverse;

/// The most people the exact algorithm is used for when the method is
/// [`Method::Auto`].
pub const EXACT_UP_TO: usize = 3_000;

/// How many passes of improvement the approximation makes at most.
const PASSES: usize = 2;

/// One possible pair: two people (`a < b`) and what pairing them is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// The first person.
    pub a: u32,
    /// The second person.
    pub b: u32,
    /// What the pair is worth.
    pub points: i32,
}

/// How pairs are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// Exact up to [`EXACT_UP_TO`] people, approximate beyond.
    #[default]
    Auto,
    /// Maximum weight, by the blossom algorithm.
    Exact,
    /// Greedy by weight, then local improvement.
    Approximate,
}

impl Method {
    /// What the method is called in a round's summary.
    pub fn describe(self) -> &'static str {
        match self {
            Method::Auto => "automatic",
            Method::Exact => "exact maximum-weight matching (blossom)",
            Method::Approximate => "greedy by weight with local improvement (approximate)",
        }
    }

    /// One word for it: "exact" or "approximate".
    pub fn short(self) -> &'static str {
        match self {
            Method::Auto => "automatic",
            Method::Exact => "exact",
            Method::Approximate => "approximate",
        }
    }

    /// The method that runs for `people` people.
    pub fn resolve(self, people: usize) -> Method {
        match self {
            Method::Auto if people <= EXACT_UP_TO => Method::Exact,
            Method::Auto => Method::Approximate,
            other => other,
        }
    }
}

/// The chosen pairs, `(a, b)` with `a < b`, sorted, and the method used.
pub fn best_pairs(people: usize, edges: &[Edge], method: Method) -> (Vec<(u32, u32)>, Method) {
    let method = method.resolve(people);
    let mates = match method {
        Method::Exact => exact(edges),
        _ => approximate(people, edges),
    };
    let mut pairs: Vec<(u32, u32)> = mates
        .iter()
        .enumerate()
        .filter_map(|(a, m)| m.filter(|&b| a < b as usize).map(|b| (a as u32, b)))
        .collect();
    pairs.sort_unstable();
    (pairs, method)
}

/// The total weight of `pairs` in `edges`.
pub fn total(edges: &[Edge], pairs: &[(u32, u32)]) -> i64 {
    let mut by_pair: Vec<((u32, u32), i32)> =
        edges.iter().map(|e| ((e.a, e.b), e.points)).collect();
    by_pair.sort_unstable();
    pairs
        .iter()
        .filter_map(|p| {
            by_pair
                .binary_search_by(|(q, _)| q.cmp(p))
                .ok()
                .map(|i| i64::from(by_pair[i].1))
        })
        .sum()
}

fn exact(edges: &[Edge]) -> Vec<Option<u32>> {
    let usable: Vec<(usize, usize, i32)> = edges
        .iter()
        .filter(|e| e.points > 0)
        .map(|e| (e.a as usize, e.b as usize, e.points))
        .collect();
    if usable.is_empty() {
        return Vec::new();
    }
    mwmatching::Matching::new(usable)
        .solve()
        .into_iter()
        .map(|m| (m != mwmatching::SENTINEL).then_some(m as u32))
        .collect()
}

/// Each vertex's neighbours, best first.
struct Adjacency {
    start: Vec<usize>,
    next: Vec<(u32, i32)>,
}

impl Adjacency {
    fn new(people: usize, edges: &[Edge]) -> Self {
        let mut degree = vec![0usize; people + 1];
        for e in edges {
            degree[e.a as usize] += 1;
            degree[e.b as usize] += 1;
        }
        let mut start = vec![0usize; people + 1];
        for v in 0..people {
            start[v + 1] = start[v] + degree[v];
        }
        let mut fill = start.clone();
        let mut next = vec![(0u32, 0i32); start[people]];
        for e in edges {
            next[fill[e.a as usize]] = (e.b, e.points);
            fill[e.a as usize] += 1;
            next[fill[e.b as usize]] = (e.a, e.points);
            fill[e.b as usize] += 1;
        }
        for v in 0..people {
            next[start[v]..start[v + 1]].sort_unstable_by_key(|&(u, w)| (Reverse(w), u));
        }
        Self { start, next }
    }

    fn of(&self, v: u32) -> &[(u32, i32)] {
        &self.next[self.start[v as usize]..self.start[v as usize + 1]]
    }

    fn weight(&self, v: u32, u: u32) -> Option<i32> {
        self.of(v).iter().find(|&&(x, _)| x == u).map(|&(_, w)| w)
    }
}

fn approximate(people: usize, edges: &[Edge]) -> Vec<Option<u32>> {
    let adjacency = Adjacency::new(people, edges);
    let mut order: Vec<&Edge> = edges.iter().filter(|e| e.points > 0).collect();
    order.sort_unstable_by_key(|e| (Reverse(e.points), e.a, e.b));
    let mut mate: Vec<Option<u32>> = vec![None; people];
    for e in &order {
        if mate[e.a as usize].is_none() && mate[e.b as usize].is_none() {
            mate[e.a as usize] = Some(e.b);
            mate[e.b as usize] = Some(e.a);
        }
    }
    let weight_of = |mate: &[Option<u32>], v: u32| -> i32 {
        mate[v as usize]
            .and_then(|m| adjacency.weight(v, m))
            .unwrap_or(0)
    };
    // The best free neighbour of `v`, other than those in `not`.
    let best_free = |mate: &[Option<u32>], v: u32, not: &[u32]| -> Option<(u32, i32)> {
        adjacency
            .of(v)
            .iter()
            .find(|(u, _)| mate[*u as usize].is_none() && !not.contains(u))
            .copied()
    };
    for _ in 0..PASSES {
        let mut improved = false;
        for e in &order {
            let (u, v) = (e.a, e.b);
            if mate[u as usize] == Some(v) {
                continue;
            }
            let (mu, mv) = (mate[u as usize], mate[v as usize]);
            let lost = weight_of(&mate, u) + weight_of(&mate, v);
            // The partners left alone: paired together, or each with someone free.
            let mut rematch: Vec<(u32, u32)> = Vec::new();
            let mut regained = 0;
            match (mu, mv) {
                (Some(x), Some(y)) => {
                    let together = adjacency.weight(x, y).unwrap_or(0);
                    let apart_x = best_free(&mate, x, &[u, v]);
                    let apart_y = best_free(&mate, y, &[u, v, apart_x.map_or(u, |a| a.0)]);
                    let apart = apart_x.map_or(0, |a| a.1) + apart_y.map_or(0, |a| a.1);
                    if together > 0 && together >= apart {
                        rematch.push((x, y));
                        regained = together;
                    } else {
                        rematch.extend(apart_x.map(|a| (x, a.0)));
                        rematch.extend(apart_y.map(|a| (y, a.0)));
                        regained = apart;
                    }
                }
                (Some(x), None) | (None, Some(x)) => {
                    if let Some((free, w)) = best_free(&mate, x, &[u, v]) {
                        rematch.push((x, free));
                        regained = w;
                    }
                }
                (None, None) => {}
            }
            if e.points + regained <= lost {
                continue;
            }
            for w in [mu, mv].into_iter().flatten() {
                mate[w as usize] = None;
            }
            mate[u as usize] = Some(v);
            mate[v as usize] = Some(u);
            for (x, y) in rematch {
                mate[x as usize] = Some(y);
                mate[y as usize] = Some(x);
            }
            improved = true;
        }
        if !improved {
            break;
        }
    }
    for sweep in 0..SWEEPS {
        refine(&adjacency, &mut mate, sweep);
    }
    mate
}

/// The most people in one window the approximation solves exactly.
const WINDOW: usize = 700;

/// How many times the approximation goes over the whole graph in windows.
const SWEEPS: usize = 2;

/// Improves a matching by solving windows of the graph exactly.
///
/// The graph is cut into windows of up to [`WINDOW`] people, each grown
/// from a seed along edges and closed under the matching (a person's buddy
/// is in their window), so that the pairs inside a window can be replaced by
/// the best pairs among its people without touching any other. Windows are
/// disjoint and solved in parallel; each sweep starts them from other seeds,
/// so that their borders move.
fn refine(adjacency: &Adjacency, mate: &mut [Option<u32>], sweep: usize) {
    use rayon::prelude::*;
    let people = mate.len();
    let mut covered = vec![false; people];
    let mut windows: Vec<Vec<u32>> = Vec::new();
    let seeds: Box<dyn Iterator<Item = usize>> = if sweep.is_multiple_of(2) {
        Box::new(0..people)
    } else {
        Box::new((0..people).rev())
    };
    for seed in seeds {
        if covered[seed] {
            continue;
        }
        let mut window = Vec::new();
        let mut queue = std::collections::VecDeque::from([seed as u32]);
        while let Some(v) = queue.pop_front() {
            if window.len() >= WINDOW {
                break;
            }
            if covered[v as usize] {
                continue;
            }
            for w in std::iter::once(v).chain(mate[v as usize]) {
                if !covered[w as usize] {
                    covered[w as usize] = true;
                    window.push(w);
                    queue.extend(
                        adjacency
                            .of(w)
                            .iter()
                            .map(|&(u, _)| u)
                            .filter(|&u| !covered[u as usize]),
                    );
                }
            }
        }
        window.sort_unstable();
        windows.push(window);
    }
    let better: Vec<Option<Vec<(u32, u32)>>> = windows
        .par_iter()
        .map(|window| {
            let local = |v: u32| window.binary_search(&v).ok();
            let mut edges = Vec::new();
            let mut current = 0i64;
            for (i, &v) in window.iter().enumerate() {
                for &(u, w) in adjacency.of(v) {
                    if let Some(j) = local(u).filter(|&j| j > i) {
                        edges.push(Edge {
                            a: i as u32,
                            b: j as u32,
                            points: w,
                        });
                        if mate[v as usize] == Some(u) {
                            current += i64::from(w);
                        }
                    }
                }
            }
            let (pairs, _) = best_pairs(window.len(), &edges, Method::Exact);
            (total(&edges, &pairs) > current).then(|| {
                pairs
                    .into_iter()
                    .map(|(a, b)| (window[a as usize], window[b as usize]))
                    .collect()
            })
        })
        .collect();
    for (window, pairs) in windows.iter().zip(better) {
        let Some(pairs) = pairs else { continue };
        for &v in window {
            mate[v as usize] = None;
        }
        for (a, b) in pairs {
            mate[a as usize] = Some(b);
            mate[b as usize] = Some(a);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The heaviest matching by trying every one: for small graphs only.
    fn brute_force(people: usize, edges: &[Edge]) -> i64 {
        fn go(v: usize, used: &mut Vec<bool>, people: usize, w: &[Vec<Option<i32>>]) -> i64 {
            if v == people {
                return 0;
            }
            if used[v] {
                return go(v + 1, used, people, w);
            }
            used[v] = true;
            let mut best = go(v + 1, used, people, w);
            for u in v + 1..people {
                if let (false, Some(x)) = (used[u], w[v][u]) {
                    used[u] = true;
                    best = best.max(i64::from(x) + go(v + 1, used, people, w));
                    used[u] = false;
                }
            }
            used[v] = false;
            best
        }
        let mut w = vec![vec![None; people]; people];
        for e in edges.iter().filter(|e| e.points > 0) {
            w[e.a as usize][e.b as usize] = Some(e.points);
        }
        go(0, &mut vec![false; people], people, &w)
    }

    fn random_graph(seed: u64, people: usize, density: u64) -> Vec<Edge> {
        let mut state = seed;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state >> 33
        };
        let mut edges = Vec::new();
        for a in 0..people as u32 {
            for b in a + 1..people as u32 {
                if next() % 100 < density {
                    edges.push(Edge {
                        a,
                        b,
                        points: 1 + (next() % 500) as i32,
                    });
                }
            }
        }
        edges
    }

    #[test]
    fn exact_pairs_weigh_what_trying_every_matching_finds() {
        for seed in 0..300 {
            let people = 2 + (seed as usize % 9);
            let edges = random_graph(seed, people, 30 + seed % 60);
            let (pairs, method) = best_pairs(people, &edges, Method::Exact);
            assert_eq!(method, Method::Exact);
            let mut seen = vec![false; people];
            for &(a, b) in &pairs {
                assert!(
                    !seen[a as usize] && !seen[b as usize],
                    "seed {seed}: someone twice"
                );
                seen[a as usize] = true;
                seen[b as usize] = true;
            }
            assert_eq!(
                total(&edges, &pairs),
                brute_force(people, &edges),
                "seed {seed}: {edges:?} gave {pairs:?}"
            );
        }
    }

    #[test]
    fn approximate_pairs_on_a_graph_wider_than_a_window_come_near_the_optimum() {
        // Three windows' worth of people, about eight possible partners each,
        // so that windows, their borders and the local passes all matter.
        let people = 3 * WINDOW;
        let edges = random_graph(7, people, 100 * 8 / people as u64 + 1);
        let (pairs, method) = best_pairs(people, &edges, Method::Approximate);
        assert_eq!(method, Method::Approximate);
        let mut seen = vec![false; people];
        for &(a, b) in &pairs {
            assert!(!seen[a as usize] && !seen[b as usize], "someone twice");
            seen[a as usize] = true;
            seen[b as usize] = true;
        }
        let (best, _) = best_pairs(people, &edges, Method::Exact);
        let (got, optimum) = (total(&edges, &pairs), total(&edges, &best));
        assert!(got <= optimum);
        assert!(got * 100 >= optimum * 95, "{got} of {optimum}");
    }
}
