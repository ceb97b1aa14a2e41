//! `interchange federate`: build the site, then serve it with its
//! ActivityPub documents on the same addresses.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use generator::render::Quiet;
use generator::{BuildOptions, LoadOptions};

use crate::report;

/// The database URL of the config, with a relative SQLite file placed in
/// the site folder rather than wherever the command is run from.
fn database_url(configured: &str, root: &Path) -> String {
    match configured.strip_prefix("sqlite://") {
        Some(file) if !Path::new(file).is_absolute() => {
            format!("sqlite://{}", root.join(file).display())
        }
        _ => configured.to_string(),
    }
}

/// When failed deliveries are tried again: after a minute, doubling, unless
/// `INTERCHANGE_FIRST_RETRY` (seconds) says otherwise.
fn backoff() -> federation::delivery::Backoff {
    let mut backoff = federation::delivery::Backoff::default();
    if let Some(seconds) = std::env::var("INTERCHANGE_FIRST_RETRY")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        backoff.first = std::time::Duration::from_secs(seconds);
    }
    backoff
}

/// Builds and serves until stopped.
pub fn run(root: PathBuf, listen: SocketAddr, insecure_local: bool) -> ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let options = LoadOptions::new(&root);
    let Some(loaded) = report::load(&options) else {
        return ExitCode::FAILURE;
    };
    if loaded.diagnostics.has_errors() {
        report::print_human(&loaded.diagnostics);
        eprintln!("{}", report::summary(&loaded.diagnostics, loaded.files));
        return ExitCode::FAILURE;
    }
    if let Err(error) = federation::server::check(&loaded.directory, insecure_local) {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    if loaded
        .directory
        .site
        .federation
        .as_ref()
        .is_some_and(|f| f.allow.is_empty())
    {
        eprintln!(
            "warning: [federation] has no `allow`: every follow will be rejected. Add the hosts that may follow, like allow = [\"*.gov.uk\"]."
        );
    }
    if insecure_local {
        eprintln!(
            "warning: --insecure-local: http and localhost addresses are allowed. Never use this in production."
        );
    }
    let public = root.join("public");
    let build = BuildOptions {
        output: public.clone(),
        base_url: None,
        internal: false,
    };
    if let Err(error) = generator::build(&loaded.directory, &root, loaded.now, &build, &Quiet) {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    let directory = generator::render::public_view(&loaded.directory);
    let database = directory.site.federation.as_ref().map_or_else(
        || "sqlite://interchange.db".to_string(),
        |f| f.database.clone(),
    );
    let options = federation::Options {
        listen,
        public,
        database: database_url(&database, &root),
        insecure_local,
        backoff: backoff(),
    };
    let Some(runtime) = crate::runtime() else {
        return ExitCode::FAILURE;
    };
    match runtime.block_on(federation::serve(directory, options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
