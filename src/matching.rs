//! `interchange match buddies|swaps`: a month's round over the whole
//! directory (written to `rounds/<month>.yaml`) or over one programme's
//! members (`rounds/<programme>/<month>.yaml`), with a readable summary.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use generator::content::{Cadence, Programme, ProgrammeKind};
use generator::matching::pairing::Method;
use generator::matching::round::{self, RoundFile, RoundKind, Rounds};
use generator::matching::wishes::{self, Wishes};
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
    /// Make the round of one programme (content/programmes/SLUG.md) over
    /// the people who joined it, rather than over the whole directory.
    #[arg(long, value_name = "SLUG")]
    pub programme: Option<String>,
}

/// What a round is made from: the directory, the month, whose round it is
/// (the whole directory's or a programme's) and what people asked privately.
struct Prepared {
    directory: Directory,
    month: Month,
    rounds: Rounds,
    programme: Option<(String, Programme)>,
    wishes: Wishes,
    /// The month's round file as it is, to make the round in.
    file: RoundFile,
}

/// What a `kind` round is made from, or `None` having said why not.
fn prepare(run: &Run, kind: RoundKind) -> Option<Prepared> {
    let loaded = report::load(&LoadOptions::new(run.root.clone()))?;
    if loaded.diagnostics.has_errors() {
        report::print_human(&loaded.diagnostics);
        eprintln!("{}", report::summary(&loaded.diagnostics, loaded.files));
        eprintln!("No round was made: fix the errors above, then run it again.");
        return None;
    }
    let directory = loaded.directory;
    let month = run
        .month
        .unwrap_or_else(|| Month::of(loaded.now.to_zoned(directory.site.time_zone()).date()));
    let (wishes, problems) = wishes::read(&run.root, &directory);
    if !problems.is_empty() {
        let mut diagnostics = generator::Diagnostics::default();
        diagnostics.extend(problems);
        report::print_human(&diagnostics);
        if diagnostics.has_errors() {
            eprintln!(
                "No round was made: fix {} first, so that everyone's wishes are kept.",
                wishes::FILE
            );
            return None;
        }
    }
    let (rounds, programme) = match &run.programme {
        None => (Rounds::of_directory(&run.root), None),
        Some(slug) => {
            let kind = match kind {
                RoundKind::Buddies => ProgrammeKind::Buddies,
                RoundKind::Swaps => ProgrammeKind::Swaps,
            };
            let programme = owned_programme(&directory, slug, kind)?;
            if !(run.force || run.dry_run || quarter_free(&directory, slug, &programme, month)) {
                return None;
            }
            (
                Rounds::of_programme(&run.root, slug),
                Some((slug.clone(), programme)),
            )
        }
    };
    let file = match round::open(&rounds, month, kind, run.force || run.dry_run) {
        Ok(file) => file,
        Err(error) => {
            fail(&error);
            return None;
        }
    };
    Some(Prepared {
        directory,
        month,
        rounds,
        programme,
        wishes,
        file,
    })
}

/// The programme `slug`, if this directory runs it and it makes `kind`
/// rounds; otherwise says why not.
fn owned_programme(directory: &Directory, slug: &str, kind: ProgrammeKind) -> Option<Programme> {
    let Some(entry) = directory.programme(slug) else {
        let local: Vec<&str> = directory
            .programmes
            .iter()
            .filter(|p| !p.origin.is_mirror())
            .map(|p| p.slug.as_str())
            .collect();
        eprintln!("error: there is no programme `{slug}` (content/programmes/{slug}.md)");
        if local.is_empty() {
            eprintln!("  help: this directory has no programme: add one under content/programmes/");
        } else {
            eprintln!(
                "  help: this directory's programmes are {}",
                local.join(", ")
            );
        }
        return None;
    };
    if let Some(host) = generator::content::origin_host(&entry.slug) {
        eprintln!(
            "error: the programme `{slug}` is run by {host}: only the directory that owns a programme makes its rounds"
        );
        eprintln!(
            "  help: its members are matched by {host}; this directory shows what it publishes"
        );
        return None;
    }
    if entry.data.kind != kind {
        let command = match entry.data.kind {
            ProgrammeKind::Buddies => "buddies",
            ProgrammeKind::Swaps => "swaps",
        };
        eprintln!(
            "error: `{slug}` is a programme of {}: run `interchange match {command} --programme {slug}`",
            entry.data.kind.label().to_lowercase()
        );
        return None;
    }
    Some(entry.data.clone())
}

/// Whether a programme that meets every three months has no round yet in
/// the quarter of `month`; says which it has if it does.
fn quarter_free(directory: &Directory, slug: &str, programme: &Programme, month: Month) -> bool {
    if programme.cadence != Cadence::Quarterly {
        return true;
    }
    let made = directory.rounds.iter().find(|r| {
        !r.is_mirror()
            && r.programme.as_deref() == Some(slug)
            && r.month != month
            && r.month.quarter() == month.quarter()
            && !(r.groups.is_empty() && r.swaps.is_empty())
    });
    let Some(made) = made else {
        return true;
    };
    eprintln!(
        "error: `{slug}` meets every three months, and its round for this quarter is {} ({})",
        made.month,
        made.path.display()
    );
    eprintln!(
        "  help: the next is due from {}; pass --force to make a second round this quarter",
        next_quarter(month)
    );
    false
}

/// The first month of the quarter after `month`'s.
fn next_quarter(month: Month) -> Month {
    let start = month.quarter().first_day();
    let next = start
        .checked_add(jiff::Span::new().months(3))
        .unwrap_or(start);
    Month::of(next)
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
    let Some(Prepared {
        directory,
        month,
        rounds,
        programme,
        wishes,
        file,
    }) = prepare(run, RoundKind::Buddies)
    else {
        return ExitCode::FAILURE;
    };
    let history = match PastRounds::read(&rounds, month, lookback) {
        Ok(history) => history,
        Err(error) => return fail(&error),
    };
    // Groups this month in the other schemes' rounds, this directory's and
    // those other directories published, count towards each person's
    // `max_buddies_per_month`.
    let scheme = programme.as_ref().map(|(slug, _)| slug.as_str());
    let taken = round::groups_in(&directory, month, scheme);
    let started = Instant::now();
    let options = BuddyOptions {
        method,
        programme,
        wishes,
        taken,
        ..BuddyOptions::new(month)
    };
    let round = buddy_round(&directory, &history, &options);
    let took = started.elapsed();
    let (pairs, unmatched) = summary::buddy_records(&round);
    let text = summary::buddy_summary(&round);
    let file = RoundFile {
        made: made(&file, run.force),
        buddy_method: Some(round.method.describe().to_string()),
        buddies: pairs,
        unmatched,
        ..file
    };
    println!("{text}");
    eprintln!(
        "{} {} from {} people ({} possible pairs weighed, {} earlier rounds read, {}) in {:.2} s.",
        round.pairs.len(),
        if round.pairs.iter().any(|p| p.third.is_some()) {
            "groups"
        } else {
            "pairs"
        },
        round.people.len(),
        round.edges,
        history.months.len(),
        round.method.short(),
        took.as_secs_f64()
    );
    write(run, &rounds, month, &file, RoundKind::Buddies, &text)
}

/// Makes a job-swap round.
pub fn swaps(run: &Run, max_cycle: usize, time_limit: f64) -> ExitCode {
    if !(2..=3).contains(&max_cycle) {
        eprintln!(
            "error: --max-cycle {max_cycle}: an exchange is of 2 (a straight swap) or 3 people"
        );
        eprintln!(
            "  help: longer exchanges need everyone in them to move at once, and one who drops out breaks the rest"
        );
        return ExitCode::FAILURE;
    }
    let Ok(time_limit) = std::time::Duration::try_from_secs_f64(time_limit) else {
        eprintln!("error: --time-limit {time_limit}: give a number of seconds, such as 10");
        return ExitCode::FAILURE;
    };
    let Some(Prepared {
        directory,
        month,
        rounds,
        programme,
        wishes,
        file,
    }) = prepare(run, RoundKind::Swaps)
    else {
        return ExitCode::FAILURE;
    };
    let scheme = programme.as_ref().map(|(slug, _)| slug.as_str());
    let placed = round::placed_in(&directory, month, scheme);
    let started = Instant::now();
    let round = swap_round(
        &directory,
        &SwapOptions {
            max_cycle,
            time_limit,
            placed,
            programme,
            wishes,
            ..SwapOptions::new(month)
        },
    );
    let took = started.elapsed();
    let (cycles, unplaced) = summary::swap_records(&round);
    let text = summary::swap_summary(&round, &directory);
    let file = RoundFile {
        made: made(&file, run.force),
        swaps: cycles,
        unplaced,
        ..file
    };
    println!("{text}");
    eprintln!(
        "{} of {} offers placed in {} swaps ({} possible exchanges) in {:.2} s: {} ({}).",
        round.placed(),
        round.offers.len(),
        round.cycles.len(),
        round.possible,
        took.as_secs_f64(),
        round.method.short(),
        round.solver.name()
    );
    write(run, &rounds, month, &file, RoundKind::Swaps, &text)
}

/// When the month's round file was first made: kept when its other round
/// is added, and now when a round is made again (which then yields, to a
/// round of another scheme made before it, anyone both take past the
/// buddies they want).
fn made(file: &RoundFile, force: bool) -> Option<String> {
    let now = || {
        jiff::Timestamp::now()
            .round(jiff::Unit::Second)
            .unwrap_or_else(|_| jiff::Timestamp::now())
            .to_string()
    };
    match &file.made {
        Some(made) if !force => Some(made.clone()),
        _ => Some(now()),
    }
}

fn write(
    run: &Run,
    rounds: &Rounds,
    month: Month,
    file: &RoundFile,
    kind: RoundKind,
    text: &str,
) -> ExitCode {
    if run.dry_run {
        eprintln!("A dry run: nothing was written.");
        return ExitCode::SUCCESS;
    }
    let written = round::write(rounds, month, file)
        .and_then(|()| round::write_summary(rounds, month, kind, text));
    match written {
        Ok(()) => {
            eprintln!(
                "Wrote {} and {}: commit them, so that later rounds do not repeat a pair.",
                rounds.file(month).display(),
                rounds.summary_file(month, kind).display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}
