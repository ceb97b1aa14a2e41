//! `interchange federate`: build the site, serve it with its ActivityPub
//! documents on the same addresses, and keep both in step with the files:
//! a save (or a `git pull`) is rebuilt and published, and entries mirrored
//! from followed directories are rebuilt as they arrive.
//!
//! `interchange publish`: publish what changed once, for a site whose
//! server runs elsewhere.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, mpsc};

use federation::BuildStep;
use generator::live::{LiveSite, Watch, rebuild_on_change};
use generator::{BuildOptions, Directory, LoadOptions};

use crate::report;

/// The database URL of the config, with a relative SQLite file placed in
/// the site folder rather than wherever the command is run from.
fn database_url(configured: &str, root: &Path) -> String {
    match sqlite_file(configured) {
        Some(file) if file.is_relative() => {
            let options = configured.find('?').map_or("", |at| &configured[at..]);
            format!("sqlite://{}{options}", root.join(file).display())
        }
        _ => configured.to_string(),
    }
}

/// The file of a SQLite database URL (`sqlite://path`, or
/// `sqlite:path`, as valid to SQLite), without its options; none for
/// another database, or one in memory.
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let file = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let file = file.split('?').next().unwrap_or(file);
    (!file.starts_with(':')).then(|| PathBuf::from(file))
}

/// The database of the site at `root`: `[federation] database`, or
/// `interchange.db` in the site folder when the site does not federate.
pub fn database(directory: &Directory, root: &Path) -> String {
    let configured = directory.site.federation.as_ref().map_or_else(
        || "sqlite://interchange.db".to_string(),
        |f| f.database.clone(),
    );
    database_url(&configured, root)
}

/// When failed deliveries are tried again: after a minute, doubling, unless
/// `INTERCHANGE_FIRST_RETRY` (seconds) says otherwise.
fn backoff() -> federation::Backoff {
    let mut backoff = federation::Backoff::default();
    if let Some(seconds) = std::env::var("INTERCHANGE_FIRST_RETRY")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        backoff.first = std::time::Duration::from_secs(seconds);
    }
    backoff
}

fn init_logging() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// The server's options for the site at `root`.
fn options(
    directory: &Directory,
    root: &Path,
    listen: SocketAddr,
    insecure_local: bool,
) -> federation::Options {
    federation::Options {
        listen,
        public: root.join("public"),
        database: database(directory, root),
        insecure_local,
        backoff: backoff(),
        root: root.to_path_buf(),
        limits: federation::Limits::from_settings(
            &directory
                .site
                .federation
                .as_ref()
                .map(|f| f.connections)
                .unwrap_or_default(),
        ),
    }
}

/// Checks that the site can federate; warns of what will surprise.
fn ready(directory: &Directory, insecure_local: bool) -> bool {
    if let Err(error) = federation::check(directory, insecure_local) {
        eprintln!("error: {error}");
        return false;
    }
    if let Some(federation) = &directory.site.federation {
        if federation.allow.is_empty() {
            eprintln!(
                "warning: [federation] has no `allow`: every follow will be rejected. Add the hosts that may follow, like allow = [\"*.gov.uk\"]."
            );
        }
        for source in federation.follow.iter().filter(|s| !federation.allows(s)) {
            eprintln!(
                "warning: {source} is in [federation] follow but its host is not in `allow`: it will not be mirrored."
            );
        }
    }
    if insecure_local {
        eprintln!(
            "warning: --insecure-local: http and localhost addresses are allowed. Never use this in production."
        );
    }
    true
}

/// Builds what `changed` calls for (see [`federation::build_site`]) and
/// tells what happened. The directory built, or none (the last good site
/// stays served).
fn build(site: &mut LiveSite, changed: &[PathBuf]) -> Option<Directory> {
    let build = federation::build_site(site, changed);
    for step in build.steps {
        match step {
            BuildStep::Built { built, warnings } => {
                if !warnings.is_empty() {
                    report::print_human(&warnings);
                }
                tracing::info!(rendered = built.rendered, pages = built.pages, "site built");
            }
            BuildStep::SetAside {
                file,
                problem,
                waiting,
            } => {
                tracing::warn!(
                    file = %file.display(),
                    %problem,
                    waiting,
                    "a mirrored entry is set aside: the site is built without it"
                );
            }
            BuildStep::Problems(diagnostics) => {
                report::print_human(&diagnostics);
                eprintln!("The site has problems: the pages served are from the last good build.");
            }
            BuildStep::Unreadable(error) => eprintln!("error: {error}"),
            BuildStep::Failed(error) => eprintln!("error: {error}"),
        }
    }
    build.directory
}

/// Builds and serves until stopped.
pub fn run(root: PathBuf, listen: SocketAddr, insecure_local: bool) -> ExitCode {
    init_logging();
    let root = root.canonicalize().unwrap_or(root);
    let build_options = BuildOptions {
        output: root.join("public"),
        base_url: None,
        internal: false,
    };
    let mut site = match LiveSite::open(&LoadOptions::new(&root), build_options) {
        Ok(site) => site,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let Some(directory) = build(&mut site, &[]) else {
        eprintln!("error: the site could not be built; fix the problems above and start again");
        return ExitCode::FAILURE;
    };
    if !ready(&directory, insecure_local) {
        return ExitCode::FAILURE;
    }
    let options = options(&directory, &root, listen, insecure_local);
    let (built, directories) = tokio::sync::watch::channel(Arc::new(directory));

    // Saves and mirrored entries arrive on one channel; one thread builds,
    // so builds never overlap, and each good build is published.
    let (changes, saved) = mpsc::channel::<Vec<PathBuf>>();
    // Mirrored files are written by the server, which says when it has.
    let watch = match Watch::start(&root, changes.clone(), false) {
        Ok(watch) => watch,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    std::thread::spawn(move || {
        rebuild_on_change(&mut site, &saved, |site, changed| {
            if let Some(directory) = build(site, changed) {
                let _ = built.send(Arc::new(directory));
            }
        });
    });

    let Some(runtime) = crate::runtime() else {
        return ExitCode::FAILURE;
    };
    let served = runtime.block_on(federation::serve(directories, changes, options));
    drop(watch);
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Publishes what changed once, and sends what can be sent now.
pub fn publish(root: PathBuf, insecure_local: bool) -> ExitCode {
    init_logging();
    let Some(loaded) = report::load(&LoadOptions::new(&root)) else {
        return ExitCode::FAILURE;
    };
    if loaded.diagnostics.has_errors() {
        report::print_human(&loaded.diagnostics);
        eprintln!("{}", report::summary(&loaded.diagnostics, loaded.files));
        eprintln!("Nothing was published: fix the problems above first.");
        return ExitCode::FAILURE;
    }
    if !ready(&loaded.directory, insecure_local) {
        return ExitCode::FAILURE;
    }
    // Nothing listens: only the database and the sending are used.
    let listen = SocketAddr::from(([127, 0, 0, 1], 0));
    let options = options(&loaded.directory, &root, listen, insecure_local);
    let directory = loaded.directory;
    let Some(runtime) = crate::runtime() else {
        return ExitCode::FAILURE;
    };
    match runtime.block_on(federation::publish_once(directory, &options)) {
        Ok((published, pending)) => {
            println!("Published: {published}.");
            if pending > 0 {
                println!(
                    "{pending} deliveries could not be made now: the server (`interchange federate`) tries them again."
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Copies the site's database into the empty database at `to`.
pub fn copy_database(root: &Path, to: &str) -> ExitCode {
    let Some(loaded) = report::load(&LoadOptions::new(root)) else {
        return ExitCode::FAILURE;
    };
    if loaded.diagnostics.has_errors() {
        report::print_human(&loaded.diagnostics);
        eprintln!("{}", report::summary(&loaded.diagnostics, loaded.files));
        eprintln!(
            "Nothing was copied: fix the problems above first, so that the right database is read."
        );
        return ExitCode::FAILURE;
    }
    let from = database(&loaded.directory, root);
    // Opening a SQLite file makes it: a mistyped site folder would copy a
    // new, empty database over nothing.
    if let Some(file) = sqlite_file(&from)
        && !file.is_file()
    {
        eprintln!(
            "error: there is no database at {}: nothing to copy",
            file.display()
        );
        eprintln!("  help: pass the site folder of the server with --root");
        return ExitCode::FAILURE;
    }
    let Some(runtime) = crate::runtime() else {
        return ExitCode::FAILURE;
    };
    let copied = runtime.block_on(async {
        let source = federation::Store::open(&from).await?;
        let target = federation::Store::open(to).await?;
        source.copy_into(&target).await
    });
    match copied {
        Ok(copied) => {
            let (from, to) = (
                federation::without_password(&from),
                federation::without_password(to),
            );
            println!("Copied {from} into {to}: {copied}.");
            println!(
                "Set `database = \"{to}\"` under [federation] in interchange.toml (its password in PGPASSWORD, not the file: see docs/deploy.md), then start the server."
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("Nothing was copied.");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::database_url;
    use std::path::Path;

    #[test]
    fn a_relative_sqlite_file_is_in_the_site_folder_however_it_is_written() {
        let root = Path::new("/srv/site");
        for written in ["sqlite://state.db", "sqlite:state.db"] {
            assert_eq!(database_url(written, root), "sqlite:///srv/site/state.db");
        }
        assert_eq!(
            database_url("sqlite://state.db?mode=rw", root),
            "sqlite:///srv/site/state.db?mode=rw"
        );
        for kept in [
            "sqlite:///var/lib/interchange/interchange.db",
            "sqlite:/var/lib/interchange/interchange.db",
            "postgres://interchange@localhost/interchange",
        ] {
            assert_eq!(database_url(kept, root), kept);
        }
    }
}
