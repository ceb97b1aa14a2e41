//! `interchange introduce`: each group of a month's buddy round introduced
//! to each other by one email, and each member who gives a fediverse handle
//! by a direct message, sent once: what was sent is recorded in the
//! database, so a second run sends only what the first could not.

use std::path::PathBuf;
use std::process::ExitCode;

use federation::Channel;
use federation::introductions::fediverse::{Notes, send_notes as send_notes_with};
use federation::introductions::{self, MailSettings, Outcome, Report};
use generator::LoadOptions;
use generator::content::site::Email;
use generator::matching::Month;
use generator::matching::introductions::{IntroductionError, Round, is_programme};

use crate::report;

/// What `introduce` takes.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site folder, holding interchange.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The month of the round, YYYY-MM [default: this month].
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<Month>,
    /// The programme whose round it is (its slug); the directory's own
    /// round if not given.
    #[arg(long, value_name = "SLUG", value_parser = programme)]
    pub programme: Option<String>,
    /// Print every message (headers and text); send and record nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Send direct messages to servers over plain http and on this
    /// machine's own network, for trying it out locally.
    #[arg(long)]
    pub insecure_local: bool,
}

fn programme(text: &str) -> Result<String, String> {
    if is_programme(text) {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not a programme's slug: lower-case letters, digits and single hyphens, as in its file name content/programmes/<slug>.md"
        ))
    }
}

/// The mail server's user name and password from the environment: both,
/// or neither (a server that wants none).
fn credentials() -> Result<Option<(String, String)>, String> {
    let read = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (
        read(Email::USERNAME_VARIABLE),
        read(Email::PASSWORD_VARIABLE),
    ) {
        (Some(user), Some(password)) => Ok(Some((user, password))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(format!(
            "{} is set but {} is not: set both, or neither for a mail server that needs no login",
            Email::USERNAME_VARIABLE,
            Email::PASSWORD_VARIABLE
        )),
        (None, Some(_)) => Err(format!(
            "{} is set but {} is not: set both, or neither for a mail server that needs no login",
            Email::PASSWORD_VARIABLE,
            Email::USERNAME_VARIABLE
        )),
    }
}

fn round_error(error: &IntroductionError, month: Month, programme: Option<&str>) -> ExitCode {
    eprintln!("error: {error}");
    match error {
        IntroductionError::NoRound { .. } | IntroductionError::NoGroups { .. } => {
            let which = programme.map_or(String::new(), |p| format!(" --programme {p}"));
            eprintln!(
                "  help: make the round first: interchange match buddies --month {month}{which}"
            );
        }
        IntroductionError::Round(_) => {
            eprintln!(
                "  help: the round file is written by `interchange match`: restore it from git"
            );
        }
    }
    ExitCode::FAILURE
}

/// Sends, or prints, the introductions of a round.
pub fn run(args: &Args) -> ExitCode {
    let Some(loaded) = report::load(&LoadOptions::new(args.root.clone())) else {
        return ExitCode::FAILURE;
    };
    if loaded.diagnostics.has_errors() {
        report::print_human(&loaded.diagnostics);
        eprintln!("{}", report::summary(&loaded.diagnostics, loaded.files));
        eprintln!("No introduction was sent: fix the errors above, then run it again.");
        return ExitCode::FAILURE;
    }
    let directory = loaded.directory;
    let site = &directory.site;
    let month = args
        .month
        .unwrap_or_else(|| Month::of(loaded.now.to_zoned(site.time_zone()).date()));
    let programme = args.programme.as_deref();
    let round =
        match generator::matching::introductions::read(&directory, &args.root, month, programme) {
            Ok(round) => round,
            Err(error) => return round_error(&error, month, programme),
        };
    let handles = round
        .groups
        .iter()
        .flat_map(|g| &g.members)
        .any(|m| m.fediverse().is_some());
    let Some(email) = site.email.clone() else {
        if !handles {
            eprintln!(
                "error: interchange.toml has no [email] table, and nobody in the round gives a fediverse handle: introductions cannot reach anyone"
            );
            eprintln!(
                "  help: add the mail server, e.g.\n\n    [email]\n    host = \"smtp.example.gov.uk\"\n    from = \"{} <buddies@example.gov.uk>\"\n    reply_to = \"organiser@example.gov.uk\"\n\n  and set {} and {} where this runs (docs/content.md)",
                site.title,
                Email::USERNAME_VARIABLE,
                Email::PASSWORD_VARIABLE
            );
            return ExitCode::FAILURE;
        }
        eprintln!(
            "warning: interchange.toml has no [email] table: introductions go only by direct message, to those who give a fediverse handle"
        );
        return by_fediverse_only(args, &directory, &round);
    };
    if args.dry_run {
        return dry_run(site, Some(&email), &round);
    }
    let credentials = match credentials() {
        Ok(credentials) => credentials,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let settings = MailSettings { email, credentials };
    let database = crate::federate::database(&directory, &args.root);
    let Some(runtime) = crate::runtime() else {
        return ExitCode::FAILURE;
    };
    let started = std::time::Instant::now();
    let sent = runtime.block_on(async {
        let store = federation::Store::open(&database).await?;
        let emails = introductions::send_emails(site, &round, &settings, &store).await?;
        let took = started.elapsed();
        let notes = if handles {
            Some(send_notes(args, &directory, &round, &store).await?)
        } else {
            None
        };
        Ok::<_, introductions::IntroduceError>((emails, took, notes))
    });
    let (report, took, notes) = match sent {
        Ok(sent) => sent,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    print_report(&round, &settings.email, &report, took);
    if let Some(notes) = &notes {
        print_notes(notes);
    }
    if report.failed() || notes.as_ref().is_some_and(Report::failed) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Sends (or, in a dry run, prints) a round's introductions by direct
/// message alone, for a site with no mail server.
fn by_fediverse_only(args: &Args, directory: &generator::Directory, round: &Round<'_>) -> ExitCode {
    if args.dry_run {
        return dry_run(&directory.site, None, round);
    }
    let database = crate::federate::database(directory, &args.root);
    let Some(runtime) = crate::runtime() else {
        return ExitCode::FAILURE;
    };
    let sent = runtime.block_on(async {
        let store = federation::Store::open(&database).await?;
        send_notes(args, directory, round, &store).await
    });
    match sent {
        Ok(notes) => {
            print_notes(&notes);
            if notes.failed() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn send_notes(
    args: &Args,
    directory: &generator::Directory,
    round: &Round<'_>,
    store: &federation::Store,
) -> Result<Report, introductions::IntroduceError> {
    let notes = Notes::new(directory, store, args.insecure_local).await?;
    send_notes_with(&directory.site, round, &notes, store).await
}

/// Says how the direct messages went.
fn print_notes(report: &Report) {
    let count = |outcome: fn(&Outcome) -> bool| report.count(Channel::Fediverse, outcome);
    println!(
        "By direct message on the fediverse: {} sent now, {} sent by an earlier run.",
        count(|o| matches!(o, Outcome::Sent)),
        count(|o| matches!(o, Outcome::SentBefore))
    );
    for r in report
        .reached
        .iter()
        .filter(|r| r.channel == Channel::Fediverse && r.outcome.is_failure())
    {
        let handle = r.address.as_deref().unwrap_or("");
        match &r.outcome {
            Outcome::Refused(detail) | Outcome::RefusedBefore(detail) => {
                eprintln!("error: {} ({handle}): refused: {detail}", r.name);
                eprintln!(
                    "  help: check the handle in their profile ({}); a changed handle is tried at the next run",
                    r.recipient
                );
            }
            Outcome::Failed(detail) => {
                eprintln!("error: {} ({handle}): not sent: {detail}", r.name);
                eprintln!("  help: run the same command again later: it sends only what is left");
            }
            _ => {}
        }
    }
}

/// Prints every message as it would be sent.
fn dry_run(site: &generator::content::Site, email: Option<&Email>, round: &Round<'_>) -> ExitCode {
    let rule = "-".repeat(72);
    let mut failed = false;
    for group in &round.groups {
        for member in group.members.iter().filter(|m| m.fediverse().is_some()) {
            println!("{rule}");
            println!(
                "Direct message to {} ({}):\n{}",
                member.fediverse().unwrap_or_default(),
                member.name(),
                generator::matching::introductions::note(site, round, group, member, "")
            );
        }
        let Some(email) = email else {
            continue;
        };
        match introductions::compose(site, email, round, group) {
            Ok(composed) => {
                println!("{rule}");
                print!("{}", composed.headers());
                println!();
                print!("{}", composed.letter.text);
                for member in group.members.iter().filter(|m| m.email().is_none()) {
                    println!(
                        "[{} ({}) has no email address: not sent to them]",
                        member.name(),
                        member.id
                    );
                }
            }
            Err(error) => {
                eprintln!("error: group {}: {error}", group.key);
                failed = true;
            }
        }
    }
    println!("{rule}");
    print_held(round);
    eprintln!(
        "A dry run: {} messages for {} (from {}) printed; nothing was sent or recorded.",
        round.groups.len(),
        round.month,
        round.path.display()
    );
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Says which groups were held back, and why.
fn print_held(round: &Round<'_>) {
    for (group, why) in &round.held {
        let names: Vec<&str> = group.members.iter().map(|m| m.name()).collect();
        println!(
            "  Held back, not introduced: {} ({}). {}.",
            names.join(" and "),
            group.key,
            why.join("; ")
        );
    }
    if !round.held.is_empty() {
        println!(
            "  Tell the others in those groups, or make the round again with --force before introducing it."
        );
    }
}

fn print_report(round: &Round<'_>, email: &Email, report: &Report, took: std::time::Duration) {
    let count = |outcome: fn(&Outcome) -> bool| report.count(Channel::Email, outcome);
    let sent = count(|o| matches!(o, Outcome::Sent));
    let before = count(|o| matches!(o, Outcome::SentBefore));
    println!(
        "Introductions of {} ({} groups, from {}), by email through {}:",
        round.month,
        round.groups.len(),
        round.path.display(),
        email.host
    );
    println!(
        "  {sent} sent now in {:.2} s, {before} sent by an earlier run.",
        took.as_secs_f64()
    );
    print_held(round);
    let with = |pick: fn(&Outcome) -> bool| {
        report
            .reached
            .iter()
            .filter(move |r| r.channel == Channel::Email && pick(&r.outcome))
    };
    let unreachable: Vec<String> = with(|o| matches!(o, Outcome::NoAddress))
        .map(|r| format!("{} ({})", r.name, r.recipient))
        .collect();
    if !unreachable.is_empty() {
        println!(
            "  Could not be reached by email (no address in their profile): {}. The others in their groups were told.",
            unreachable.join(", ")
        );
    }
    for r in with(|o| matches!(o, Outcome::Refused(_) | Outcome::RefusedBefore(_))) {
        let (Outcome::Refused(detail) | Outcome::RefusedBefore(detail)) = &r.outcome else {
            continue;
        };
        let when = if matches!(r.outcome, Outcome::RefusedBefore(_)) {
            "refused by an earlier run"
        } else {
            "refused"
        };
        eprintln!(
            "error: {} <{}>: {when}: {detail}",
            r.name,
            r.address.as_deref().unwrap_or("")
        );
        eprintln!(
            "  help: check the address in their profile ({}); a changed address is tried at the next run",
            r.recipient
        );
    }
    let failure = report.reached.iter().find_map(|r| match &r.outcome {
        Outcome::Failed(detail) if r.channel == Channel::Email => Some((r, detail)),
        _ => None,
    });
    if let Some((failure, detail)) = failure {
        let waiting = with(|o| matches!(o, Outcome::Failed(_) | Outcome::NotTried)).count();
        eprintln!(
            "error: the mail server {}:{} failed, sending to {}: {detail}",
            email.host,
            email.port,
            failure.address.as_deref().unwrap_or("")
        );
        eprintln!(
            "  help: {waiting} introductions were not sent; run the same command again once the mail server works: it sends only those"
        );
    }
}
