//! The production server: the site's routes ([`app`]) on a socket, with
//! what runs beside them as long as it does: publishing each new build,
//! delivering, mirroring the directories followed, forgetting old receipts.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use activitypub_federation::config::FederationConfig;
use generator::content::Directory;
use tokio::sync::watch;

use crate::address::authority;
use crate::connections::{Limits, serve_limited};
use crate::error::FederationError;
use crate::instance::{Instance, Rebuild};
use crate::routes::{AppState, app};
use crate::store::Store;
use crate::{delivery, mirror, outgoing, publish};

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// The address to listen on.
    pub listen: SocketAddr,
    /// The built site.
    pub public: PathBuf,
    /// The database URL.
    pub database: String,
    /// Allow `http` and `localhost` addresses: for tests and demos on one
    /// machine, never in production.
    pub insecure_local: bool,
    /// When failed deliveries are tried again.
    pub backoff: delivery::Backoff,
    /// The site folder: mirrored entries are written under its `mirror/`.
    pub root: PathBuf,
    /// How long clients are waited for, and how many are served at once.
    pub limits: Limits,
}

/// Checks that the site can federate as configured.
pub fn check(directory: &Directory, insecure_local: bool) -> Result<(), FederationError> {
    if directory.site.federation.is_none() {
        return Err(FederationError::Config(
            "interchange.toml has no [federation] table: add one with at least `handle = \"...\"`"
                .into(),
        ));
    }
    let url = &directory.site.base_url;
    if url.scheme() != "https" && !insecure_local {
        return Err(FederationError::Config(format!(
            "base_url {url} is not https: other servers only federate over HTTPS; for a test on this machine use --insecure-local with base_url = \"http://localhost:PORT\""
        )));
    }
    if url
        .host()
        .is_some_and(|h| !matches!(h, url::Host::Domain(_)))
    {
        return Err(FederationError::Config(format!(
            "base_url {url} names an IP address: federation needs a domain name (use http://localhost:PORT on this machine)"
        )));
    }
    Ok(())
}

/// The instance serving `site` (its directory now and as rebuilt),
/// with its database open and up to date.
async fn instance(
    site: watch::Receiver<Arc<Directory>>,
    rebuild: Rebuild,
    options: &Options,
) -> Result<Instance, FederationError> {
    let directory = site.borrow().clone();
    check(&directory, options.insecure_local)?;
    let store = Store::open(&options.database).await?;
    // Every fetch is signed by the instance actor.
    let fetcher = crate::objects::application::id(&directory);
    let keys = store.keys(&fetcher).await?;
    let fetcher = crate::signature::Signer::new(
        crate::objects::application::key_id(&directory),
        &keys.private_pem,
    )?;
    let outgoing =
        outgoing::Outgoing::new(options.insecure_local, fetcher, Some(store.clone())).await?;
    Ok(Instance {
        host: authority(&directory.site.base_url).ok_or_else(|| {
            FederationError::Config(format!("{} has no host", directory.site.base_url))
        })?,
        site,
        root: options.root.clone(),
        rebuild,
        outgoing,
        store,
        deliveries: Arc::new(tokio::sync::Notify::new()),
        limits: Arc::default(),
        history: Default::default(),
    })
}

/// What [`app`] serves for `site` (its directory now and as rebuilt, the
/// paths of mirrored files that change sent to `rebuild`): the instance
/// with its database open and up to date, in the federation crate's
/// configuration.
pub async fn open(
    site: watch::Receiver<Arc<Directory>>,
    rebuild: Rebuild,
    options: &Options,
) -> Result<AppState, FederationError> {
    let instance = instance(site, rebuild, options).await?;
    federation_config(instance, options.insecure_local).await
}

/// Serves until SIGTERM or Ctrl+C: the site as `site` gives it (each new
/// build published as it arrives; [`build_site`](crate::build_site) gives
/// the public view every served directory must be), mirrors of the directories it follows
/// (their changed files sent to `rebuild`), and the deliveries.
pub async fn serve(
    site: watch::Receiver<Arc<Directory>>,
    rebuild: Rebuild,
    options: Options,
) -> Result<(), FederationError> {
    let state = open(site, rebuild, &options).await?;
    let instance = Instance::clone(&state);
    tokio::spawn(prune_receipts(instance.store.clone()));
    // Deliveries left pending by the last run are resumed here.
    tokio::spawn(delivery::run(state.clone(), options.backoff));
    tokio::spawn(publish_changes(instance.clone()));
    tokio::spawn(mirror::keep_following(instance.clone()));
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|source| FederationError::Listen {
            address: options.listen.to_string(),
            source,
        })?;
    let address = listener
        .local_addr()
        .map_err(|source| FederationError::Listen {
            address: options.listen.to_string(),
            source,
        })?;
    let limits = options.limits;
    tracing::info!(
        %address,
        max_connections = limits.max_connections,
        header_timeout = ?limits.header_timeout,
        body_timeout = ?limits.body_timeout,
        idle_timeout = ?limits.idle_timeout,
        "federating"
    );
    println!("Federating on http://{address}/ (Ctrl+C to stop)");
    serve_limited(listener, app(state, &options.public), limits, shutdown()).await;
    Ok(())
}

/// Publishes what changed in `directory` (its public view: nothing else
/// ever leaves the site) once, sends what can be sent now,
/// and leaves the rest queued for the server (`interchange publish`, for
/// a site built and edited away from its server). What was published, and
/// how many deliveries are left.
pub async fn publish_once(
    directory: Directory,
    options: &Options,
) -> Result<(publish::Published, i64), FederationError> {
    let (_site, site) = watch::channel(Arc::new(directory.public_view()));
    // Nothing is mirrored here: what would be rebuilt goes nowhere.
    let (rebuild, _) = std::sync::mpsc::channel();
    let state = open(site, rebuild, options).await?;
    let instance: &Instance = &state;
    let published = publish::publish(instance).await?;
    while delivery::send_due(&state, options.backoff).await > 0 {}
    Ok((published, instance.store.pending_deliveries().await?))
}

/// Publishes the directory now, and again each time the site is rebuilt.
async fn publish_changes(instance: Instance) {
    let mut site = instance.site.clone();
    loop {
        if let Err(error) = publish::publish(&instance).await {
            tracing::error!(%error, "cannot publish; trying again at the next change");
        }
        if site.changed().await.is_err() {
            return;
        }
    }
}

/// How long the id of a received activity is kept: longer than senders
/// retry a delivery (Mastodon gives up after about a week).
const RECEIPTS_KEPT: i64 = 30 * 24 * 60 * 60;

/// Forgets old activity ids now and every hour.
async fn prune_receipts(store: Store) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
    loop {
        hourly.tick().await;
        let before = jiff::Timestamp::now().as_second() - RECEIPTS_KEPT;
        match store.prune_receipts(before).await {
            Ok(0) => {}
            Ok(forgotten) => tracing::info!(forgotten, "old activity ids forgotten"),
            Err(error) => tracing::warn!(%error, "cannot forget old activity ids"),
        }
    }
}

/// Completes on SIGTERM (what systemd sends) or Ctrl+C.
pub async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("stopping");
}

/// The federation crate's configuration: the site's host, the guarded
/// HTTP client, and (in local mode only) leave to use http and ports.
/// Every request to another server goes through [`outgoing::Outgoing`],
/// which signs it; the crate is given the guarded client all the same.
async fn federation_config(
    instance: Instance,
    insecure_local: bool,
) -> Result<FederationConfig<Instance>, FederationError> {
    FederationConfig::builder()
        .domain(instance.host.clone())
        .app_data(instance)
        .client(outgoing::http_client(insecure_local)?.into())
        .request_timeout(outgoing::TIMEOUT)
        .debug(insecure_local)
        .build()
        .await
        .map_err(|e| FederationError::Config(format!("cannot set up federation: {e}")))
}
