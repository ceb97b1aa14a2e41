//! `interchange match buddies|swaps`: a month's round over the whole
//! directory, written to `rounds/<month>.yaml` with a readable summary.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use generator::matching::pairing::Method;
use generator::matching::round::{self, RoundFile, RoundKind};
use generator::matching::{
    BuddyOptions, Month, PastRounds, RoundError, SwapOptions, buddy_round, summary, swap_round,
};
use generator::{Directory, LoadOptions};

use crate::report;

/// What every round takes.
#[derive(Debug, clap::Args)]
pub struct Run {
    /// The site folder, holding interchange.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The month of the round, YYYY-MM [default: this month].
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<Month>,
    /// Print the round; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Make the round again even if the month already has one.
    #[arg(long)]
    pub force: bool,
}

/// The directory to match over and the month, or `None` having said why.
fn prepare(run: &Run) -> Option<(Directory, Month)> {
    let loaded = report::load(&LoadOptions::new(run.root.clone()))?;
    if loaded.diagnostics.has_errors() {
        report::print_human(&loaded.diagnostics);
        eprintln!("{}", report::summary(&loaded.diagnostics, loaded.files));
        eprintln!("No round was made: fix the errors above, then run it again.");
        return None;
    }
    let site = &loaded.directory.site;
    let month = run
        .month
        .unwrap_or_else(|| Month::of(loaded.now.to_zoned(site.time_zone()).date()));
    Some((loaded.directory, month))
}

fn fail(error: &RoundError) -> ExitCode {
    eprintln!("error: {error}");
    if let RoundError::Exists { .. } = error {
        eprintln!("  help: pass --force to make the round again, replacing what it holds");
    }
    ExitCode::FAILURE
}

/// Makes a buddy round.
pub fn buddies(run: &Run, lookback: usize, method: Method) -> ExitCode {
    let Some((directory, month)) = prepare(run) else {
        return ExitCode::FAILURE;
    };
    let file = match round::open(
        &run.root,
        month,
        RoundKind::Buddies,
        run.force || run.dry_run,
    ) {
        Ok(file) => file,
        Err(error) => return fail(&error),
    };
    let history = match PastRounds::read(&run.root, month, lookback) {
        Ok(history) => history,
        Err(error) => return fail(&error),
    };
    let started = Instant::now();
    let options = BuddyOptions {
        method,
        ..BuddyOptions::new(month)
    };
    let round = buddy_round(&directory, &history, &options);
    let took = started.elapsed();
    let (pairs, unmatched) = summary::buddy_records(&round);
    let text = summary::buddy_summary(&round);
    let file = RoundFile {
        buddy_method: Some(round.method.describe().to_string()),
        buddies: pairs,
        unmatched,
        ..file
    };
    println!("{text}");
    eprintln!(
        "{} pairs from {} people ({} possible pairs weighed, {} earlier rounds read, {}) in {:.2} s.",
        round.pairs.len(),
        round.people.len(),
        round.edges,
        history.months.len(),
        round.method.short(),
        took.as_secs_f64()
    );
    write(run, month, &file, RoundKind::Buddies, &text)
}

/// Makes a job-swap round.
pub fn swaps(run: &Run, max_cycle: usize, time_limit: f64) -> ExitCode {
    if !(2..=3).contains(&max_cycle) {
        eprintln!("error: --max-cycle {max_cycle}: a cycle is 2 (a straight swap) or 3 people");
        eprintln!(
            "  help: longer cycles need everyone in them to move at once, and one who drops out breaks the rest"
        );
        return ExitCode::FAILURE;
    }
    let Ok(time_limit) = std::time::Duration::try_from_secs_f64(time_limit) else {
        eprintln!("error: --time-limit {time_limit}: give a number of seconds, such as 10");
        return ExitCode::FAILURE;
    };
    let Some((directory, month)) = prepare(run) else {
        return ExitCode::FAILURE;
    };
    let file = match round::open(&run.root, month, RoundKind::Swaps, run.force || run.dry_run) {
        Ok(file) => file,
        Err(error) => return fail(&error),
    };
    let started = Instant::now();
    let round = swap_round(
        &directory,
        &SwapOptions {
            max_cycle,
            time_limit,
            ..SwapOptions::new(month)
        },
    );
    let took = started.elapsed();
    let (cycles, unplaced) = summary::swap_records(&round);
    let text = summary::swap_summary(&round, &directory);
    let file = RoundFile {
        swaps: cycles,
        unplaced,
        ..file
    };
    println!("{text}");
    eprintln!(
        "{} of {} offers placed in {} swaps ({} possible cycles) in {:.2} s.",
        round.placed(),
        round.offers.len(),
        round.cycles.len(),
        round.possible,
        took.as_secs_f64()
    );
    write(run, month, &file, RoundKind::Swaps, &text)
}

fn write(run: &Run, month: Month, file: &RoundFile, kind: RoundKind, text: &str) -> ExitCode {
    if run.dry_run {
        eprintln!("A dry run: nothing was written.");
        return ExitCode::SUCCESS;
    }
    let written = round::write(&run.root, month, file)
        .and_then(|()| round::write_summary(&run.root, month, kind, text));
    match written {
        Ok(()) => {
            eprintln!(
                "Wrote {} and {}: commit them, so that later rounds do not repeat a pair.",
                month.file(&run.root).display(),
                month.summary_file(&run.root, kind).display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}
