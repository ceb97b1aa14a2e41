//! The production server: the built site and its ActivityPub documents on
//! the same addresses. A browser asking for `/profiles/priya-shah/` gets the
//! page; a server asking for `application/activity+json` gets the `Person`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use generator::content::Directory;
use serde::Deserialize;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use activitypub_federation::config::FederationConfig;
use axum::extract::FromRef;
use axum::routing::post;

use crate::error::FederationError;
use crate::instance::{Instance, Rebuild, authority};
use crate::objects::{document, page};
use crate::store::Store;
use crate::{delivery, discovery, inbox, mirror, outgoing, publish};
use tokio::sync::watch;

/// The content type of ActivityPub documents, exactly as servers expect it.
pub const ACTIVITY_JSON: &str = "application/activity+json";

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
pub async fn instance(
    site: watch::Receiver<Arc<Directory>>,
    rebuild: Rebuild,
    options: &Options,
) -> Result<Instance, FederationError> {
    let directory = site.borrow().clone();
    check(&directory, options.insecure_local)?;
    let store = Store::open(&options.database).await?;
    Ok(Instance {
        host: authority(&directory.site.base_url).ok_or_else(|| {
            FederationError::Config(format!("{} has no host", directory.site.base_url))
        })?,
        site,
        root: options.root.clone(),
        rebuild,
        client: outgoing::http_client(options.insecure_local)?,
        insecure_local: options.insecure_local,
        store,
        deliveries: Arc::new(tokio::sync::Notify::new()),
    })
}

/// Serves until SIGTERM or Ctrl+C: the site as `site` gives it (each new
/// build published as it arrives), mirrors of the directories it follows
/// (their changed files sent to `rebuild`), and the deliveries.
pub async fn serve(
    site: watch::Receiver<Arc<Directory>>,
    rebuild: Rebuild,
    options: Options,
) -> Result<(), FederationError> {
    let instance = instance(site, rebuild, &options).await?;
    let federation = federation_config(instance.clone(), options.insecure_local).await?;
    tokio::spawn(prune_receipts(instance.store.clone()));
    // Deliveries left pending by the last run are resumed here.
    tokio::spawn(delivery::run(federation.clone(), options.backoff));
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
    tracing::info!(%address, "federating");
    println!("Federating on http://{address}/ (Ctrl+C to stop)");
    let state = AppState {
        instance,
        federation,
    };
    axum::serve(listener, router(state, &options.public))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|source| FederationError::Listen {
            address: address.to_string(),
            source,
        })
}

/// Publishes what changed in `directory` once, sends what can be sent now,
/// and leaves the rest queued for the server (`interchange publish`, for
/// a site built and edited away from its server). What was published, and
/// how many deliveries are left.
pub async fn publish_once(
    directory: Directory,
    options: &Options,
) -> Result<(publish::Published, i64), FederationError> {
    let (_site, site) = watch::channel(Arc::new(directory));
    // Nothing is mirrored here: what would be rebuilt goes nowhere.
    let (rebuild, _) = std::sync::mpsc::channel();
    let instance = instance(site, rebuild, options).await?;
    let federation = federation_config(instance.clone(), options.insecure_local).await?;
    let published = publish::publish(&instance).await?;
    while delivery::send_due(&federation, options.backoff).await > 0 {}
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

async fn shutdown() {
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

/// What the routes share: the instance, and the federation crate's
/// configuration made around it.
#[derive(Clone)]
struct AppState {
    instance: Instance,
    federation: FederationConfig<Instance>,
}

impl FromRef<AppState> for Instance {
    fn from_ref(state: &AppState) -> Self {
        state.instance.clone()
    }
}

impl FromRef<AppState> for FederationConfig<Instance> {
    fn from_ref(state: &AppState) -> Self {
        state.federation.clone()
    }
}

/// The federation crate's configuration: the site's host, the guarded
/// HTTP client, and (in local mode only) leave to use http and ports.
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

fn router(state: AppState, public: &std::path::Path) -> Router {
    let site = ServeDir::new(public).not_found_service(ServeFile::new(public.join("404.html")));
    let instance = state.instance.clone();
    Router::new()
        // Every actor's inbox, and the shared one (the site's).
        .route("/inbox", post(inbox::post))
        .route("/profiles/{slug}/inbox", post(inbox::post))
        .route("/.well-known/webfinger", get(webfinger))
        .route("/.well-known/nodeinfo", get(nodeinfo_links))
        .route("/nodeinfo/2.1", get(nodeinfo))
        .route("/.well-known/host-meta", get(host_meta))
        .route(page::CONTEXT_PATH, get(context_document))
        .fallback_service(site)
        .layer(middleware::from_fn_with_state(instance.clone(), negotiate))
        // Pages change when the site is rebuilt: caches may keep them a few minutes.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        ))
        .with_state(state)
}

/// Whether a request asks for ActivityPub JSON rather than a page.
fn wants_activity(request: &Request) -> bool {
    request
        .headers()
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|kind| {
            let kind = kind.trim().to_ascii_lowercase();
            kind.starts_with(ACTIVITY_JSON)
                || (kind.starts_with("application/ld+json") && kind.contains("activitystreams"))
        })
}

/// Answers ActivityPub requests for actors at their pages' addresses; passes
/// every other request to the site.
async fn negotiate(State(instance): State<Instance>, request: Request, next: Next) -> Response {
    if request.method() != axum::http::Method::GET || !wants_activity(&request) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_string();
    if path.starts_with("/.well-known/")
        || path.starts_with("/nodeinfo/")
        || path.starts_with("/ns/")
    {
        return next.run(request).await;
    }
    match served(&instance, &path).await {
        Ok(Served::Document(json)) => activity_json(json),
        Ok(Served::Gone(json)) => {
            let mut response = activity_json(json);
            *response.status_mut() = StatusCode::GONE;
            response
        }
        Ok(Served::Nothing) => {
            (StatusCode::NOT_FOUND, "no ActivityPub object here").into_response()
        }
        Err(error) => {
            tracing::error!(%error, path, "cannot answer");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the server cannot answer now",
            )
                .into_response()
        }
    }
}

/// What a server asking for ActivityPub at a path is given.
enum Served {
    /// The document there.
    Document(serde_json::Value),
    /// The `Tombstone` of what was deleted there (410).
    Gone(serde_json::Value),
    /// Nothing (404).
    Nothing,
}

async fn served(instance: &Instance, path: &str) -> Result<Served, FederationError> {
    let directory = instance.directory();
    if let Some(json) = document::at(&directory, &instance.store, path).await? {
        return Ok(Served::Document(json));
    }
    let id = directory.site.absolute(path);
    Ok(match instance.store.tombstone(&id).await? {
        Some((kind, deleted)) => Served::Gone(publish::tombstone(&id, &kind, deleted)),
        None => Served::Nothing,
    })
}

fn activity_json(json: serde_json::Value) -> Response {
    let mut response = axum::Json(json).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(ACTIVITY_JSON),
    );
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

#[derive(Deserialize)]
struct Resource {
    resource: Option<String>,
}

async fn webfinger(State(instance): State<Instance>, Query(query): Query<Resource>) -> Response {
    let Some(resource) = query.resource else {
        return (StatusCode::BAD_REQUEST, "a `resource` parameter is needed").into_response();
    };
    match discovery::webfinger(&instance.directory(), &instance.host, &resource) {
        Some(json) => {
            let mut response = axum::Json(json).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/jrd+json"),
            );
            response
        }
        None => (StatusCode::NOT_FOUND, "no such account here").into_response(),
    }
}

async fn nodeinfo_links(State(instance): State<Instance>) -> Response {
    axum::Json(discovery::nodeinfo_links(&instance.directory())).into_response()
}

async fn nodeinfo(State(instance): State<Instance>) -> Response {
    let mut response = axum::Json(discovery::nodeinfo(&instance.directory())).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"",
        ),
    );
    response
}

async fn context_document(State(instance): State<Instance>) -> Response {
    let mut response = axum::Json(page::context_document(&instance.directory())).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/ld+json"),
    );
    response
}

async fn host_meta(State(instance): State<Instance>) -> Response {
    let mut response = discovery::host_meta(&instance.directory()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xrd+xml; charset=utf-8"),
    );
    response
}
