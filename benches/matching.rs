//! How long matching rounds take, how much memory they use, and how far the
//! approximate pairing is from the exact optimum, on synthetic directories.
//!
//! Run with `cargo bench --bench matching`. Prints two Markdown tables:
//! - the distance of the approximation from the optimum, both run in this
//!   process on the same candidate graph, at sizes where the exact blossom
//!   algorithm runs (`MATCH_GAP_SIZES`, default `1000,2000,4000` profiles);
//! - `interchange match buddies` and `match swaps` (both `--dry-run`) as a
//!   user runs them, at `MATCH_BENCH_SIZES` (default `10000,100000`): the
//!   round itself as the command reports it, the whole command (loading and
//!   checking every file first), and the command's peak resident memory;
//! - the job-swap pilot (`synth::write_pilot`: ten councils offering ten
//!   swaps each, a department 50, other departments 50, NHS trusts and
//!   police forces), `PILOT_BENCH_COPIES` times over (default `1,3,10`): how
//!   many are placed, at which levels and from which sectors, and how long
//!   the round takes in this process, once the directory is loaded;
//! - the pilot at `SOLVER_BENCH_COPIES` (default `4,36`: 1,100 and 9,900
//!   offers), its round made by each solver built in (microlp; HiGHS with
//!   `--features highs`): how many placed, what is proven, how long.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use generator::content::Sector;
use generator::matching::pairing::Method;
use generator::matching::swaps::{Solver, SwapMethod};
use generator::matching::{BuddyOptions, Month, PastRounds, SwapOptions, buddy_round, swap_round};

fn site(profiles: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    synth::write_site(dir.path(), synth::Sizes::for_profiles(profiles), 1).expect("written");
    dir
}

fn january() -> Month {
    "2027-01".parse().expect("a month")
}

/// The peak resident memory of a process so far, in kB.
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Runs `interchange match ...` on `root`: its wall time, its peak memory
/// (kB, read from /proc while it runs) and what it said on stderr.
fn run(root: &Path, round: &str) -> (Duration, u64, String) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_interchange"))
        .args(["match", round, "--dry-run", "--month", "2027-01", "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut peak = 0;
    loop {
        if let Some(kb) = peak_kb(child.id()) {
            peak = peak.max(kb);
        }
        if child.try_wait().expect("waited").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let wall = started.elapsed();
    let said = reader.join().unwrap_or_default();
    (wall, peak, said)
}

/// The number after `before` and before `after` in what a command said.
fn figure(said: &str, before: &str, after: &str) -> String {
    said.lines()
        .find_map(|l| {
            let rest = &l[l.find(before)? + before.len()..];
            Some(rest[..rest.find(after)?].trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

fn main() {
    println!(
        "| profiles | taking part | possible pairs | exact total | exact time | approximate total | approximate time | gap |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for profiles in synth::sizes_from_env("MATCH_GAP_SIZES", &[1_000, 2_000, 4_000]) {
        let dir = site(profiles);
        let loaded = generator::load(&synth::load_options(dir.path())).expect("loads");
        assert!(
            !loaded.diagnostics.has_errors(),
            "the synthetic site checks clean"
        );
        let history = PastRounds::default();
        let mut results = Vec::new();
        for method in [Method::Exact, Method::Approximate] {
            let options = BuddyOptions {
                method,
                ..BuddyOptions::new(january())
            };
            let started = Instant::now();
            let round = buddy_round(&loaded.directory, &history, &options);
            let took = started.elapsed();
            results.push((round.total(), took, round.people.len(), round.edges));
        }
        let (exact, approximate) = (results[0], results[1]);
        println!(
            "| {profiles} | {} | {} | {:.2} | {:.2} s | {:.2} | {:.3} s | {:.2} % |",
            exact.2,
            exact.3,
            exact.0 as f64 / 100.0,
            exact.1.as_secs_f64(),
            approximate.0 as f64 / 100.0,
            approximate.1.as_secs_f64(),
            100.0 * (exact.0 - approximate.0) as f64 / exact.0 as f64
        );
    }
    println!();
    println!(
        "| profiles | taking part | possible pairs | pairing | buddy round | whole command | peak memory | swap offers | possible exchanges | placed | swap round | whole command | peak memory |"
    );
    println!("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for profiles in synth::sizes_from_env("MATCH_BENCH_SIZES", &[10_000, 100_000]) {
        let dir = site(profiles);
        let (wall, peak, said) = run(dir.path(), "buddies");
        assert!(said.contains("pairs from"), "{said}");
        let (swap_wall, swap_peak, swap_said) = run(dir.path(), "swaps");
        assert!(swap_said.contains("offers placed"), "{swap_said}");
        println!(
            "| {profiles} | {} | {} | {} | {} s | {:.2} s | {} MB | {} | {} | {} | {} s | {:.2} s | {} MB |",
            figure(&said, "pairs from ", " people"),
            figure(&said, "people (", " possible"),
            figure(&said, "earlier rounds read, ", ")"),
            figure(&said, ") in ", " s."),
            wall.as_secs_f64(),
            peak / 1024,
            figure(&swap_said, " of ", " offers"),
            figure(&swap_said, "swaps (", " possible"),
            figure(&swap_said, "", " of "),
            figure(&swap_said, "exchanges) in ", " s"),
            swap_wall.as_secs_f64(),
            swap_peak / 1024,
        );
    }
    println!();
    pilot();
    println!();
    solvers();
}

/// The pilot's round at each size: what it places and how fast.
fn pilot() {
    println!(
        "The job-swap pilot (`synth DIR --pilot COPIES`): ten councils offering ten swaps each with ten places, a department offering 50 with 50 places, five other departments ten each, three NHS trusts and two police forces offering fifteen each with ten places, in realistic grades (some jobs regulated: nursing, social work, physiotherapy), COPIES times over. The round as `match swaps` makes it (a time limit of ten seconds, with the solver the bench was built with), timed in this process once the directory is loaded."
    );
    println!();
    println!(
        "| pilot | organisations | offers | possible exchanges | placed | exchanges of two, three | placed of offered, by level 1–7 | placed by sector: local government, central government, NHS, police | how chosen | swap round |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---|---|---|---:|");
    for copies in synth::sizes_from_env("PILOT_BENCH_COPIES", &[1, 3, 10]) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let sizes = synth::write_pilot(dir.path(), copies, 1).expect("written");
        let loaded = generator::load(&synth::load_options(dir.path())).expect("loads");
        assert!(
            loaded.diagnostics.is_empty(),
            "the pilot checks clean: {:?}",
            loaded.diagnostics.iter().next()
        );
        let started = Instant::now();
        let round = swap_round(&loaded.directory, &SwapOptions::new(january()));
        let took = started.elapsed();
        // Every organisation's places held.
        for o in &round.organisations {
            assert!(o.places.is_none_or(|p| o.placed <= p as usize), "{o:?}");
        }
        let mix = round.mix();
        let levels: Vec<String> = mix
            .iter()
            .filter_map(|m| {
                Some(format!("{}/{}", m.placed, m.offered)).filter(|_| m.level.is_some())
            })
            .collect();
        let sectors: Vec<String> = [
            Sector::LocalGovernment,
            Sector::CentralGovernment,
            Sector::Nhs,
            Sector::Police,
        ]
        .iter()
        .map(|s| {
            mix.iter()
                .flat_map(|m| &m.by_sector)
                .filter(|(x, _)| x == s)
                .map(|(_, n)| n)
                .sum::<usize>()
                .to_string()
        })
        .collect();
        let twos = round.cycles.iter().filter(|c| c.people.len() == 2).count();
        let method = round.method.short();
        println!(
            "| {copies}× | {} | {} | {} | {} ({:.0} %) | {twos}, {} | {} | {} | {method} | {:.2} s |",
            sizes.organisations,
            sizes.offers,
            round.possible,
            round.placed(),
            100.0 * round.placed() as f64 / sizes.offers as f64,
            round.cycles.len() - twos,
            levels.join(", "),
            sectors.join(", "),
            took.as_secs_f64(),
        );
    }
}

/// The pilot's round made by each solver built in (microlp always; HiGHS
/// with `--features highs`), at `SOLVER_BENCH_COPIES` (default 4 and 36:
/// 1,100 and 9,900 offers): what each places, what it proves, how long.
fn solvers() {
    println!(
        "The pilot's round made by each solver built into the bench (`cargo bench --bench matching --features highs` for both), as `match swaps` makes it, with its time limit of ten seconds: microlp runs two searches (the most placed, then the best suited among those), HiGHS one. \"At most\" is how many more people, at most, any choice could place, as the solver proved it (+0: the most possible); timed in this process once the directory is loaded."
    );
    println!();
    println!(
        "| pilot | offers | possible exchanges | solver | placed | proven | at most | swap round |"
    );
    println!("|---:|---:|---:|---|---:|---|---:|---:|");
    for copies in synth::sizes_from_env("SOLVER_BENCH_COPIES", &[4, 36]) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let sizes = synth::write_pilot(dir.path(), copies, 1).expect("written");
        let loaded = generator::load(&synth::load_options(dir.path())).expect("loads");
        for &solver in Solver::ALL {
            let started = Instant::now();
            let round = swap_round(
                &loaded.directory,
                &SwapOptions {
                    solver,
                    ..SwapOptions::new(january())
                },
            );
            let took = started.elapsed();
            let (proven, most) = match round.method {
                SwapMethod::Exact => ("best: most placed, best suited".to_string(), "+0".into()),
                SwapMethod::PlacedExactly => ("most placed".to_string(), "+0".into()),
                SwapMethod::Within { fewer } => ("no".into(), format!("+{fewer}")),
                SwapMethod::BestFound => ("no".into(), "unknown".into()),
                SwapMethod::Greedy => ("no (greedy)".into(), "unknown".into()),
            };
            println!(
                "| {copies}× | {} | {} | {} | {} | {proven} | {most} | {:.2} s |",
                sizes.offers,
                round.possible,
                solver.name(),
                round.placed(),
                took.as_secs_f64(),
            );
        }
    }
}
