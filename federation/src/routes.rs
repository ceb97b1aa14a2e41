//! The routes of a served site: the built site and its ActivityPub
//! documents on the same addresses. A browser asking for
//! `/profiles/priya-shah/` gets the page; a server asking for
//! `application/activity+json` gets the `Person`.

use std::path::Path;

use activitypub_federation::config::FederationConfig;
use axum::Router;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::FederationError;
use crate::instance::Instance;
use crate::objects::{document, fields};
use crate::protocol::{ACTIVITY_JSON, CONTEXT_DOCUMENT};
use crate::{discovery, inbox, publish};

/// What every route is given: the instance, in the federation crate's
/// configuration (which the inbox needs to fetch and verify actors).
pub type AppState = FederationConfig<Instance>;

/// Every route of the site: its inboxes, discovery documents and
/// ActivityPub documents, and the built site in `public` for everything
/// else. Served by [`crate::serve`]; callable in-process, without a socket.
pub fn app(state: AppState, public: &Path) -> Router {
    let site = ServeDir::new(public).not_found_service(ServeFile::new(public.join("404.html")));
    Router::new()
        // Every actor's inbox, and the shared one (the site's).
        .route("/inbox", post(inbox::post))
        .route("/profiles/{slug}/inbox", post(inbox::post))
        .route("/actor/inbox", post(inbox::post))
        .route("/.well-known/webfinger", get(webfinger))
        .route("/.well-known/nodeinfo", get(nodeinfo_links))
        .route("/nodeinfo/2.1", get(nodeinfo))
        .route("/.well-known/host-meta", get(host_meta))
        .route(fields::CONTEXT_PATH, get(context_document))
        .fallback_service(site)
        .layer(middleware::from_fn_with_state(state.clone(), negotiate))
        .layer(middleware::from_fn(no_impossible_paths))
        // A page and its ActivityPub document share an address: a cache
        // must keep them apart.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::VARY,
            HeaderValue::from_static("Accept"),
        ))
        // Pages change when the site is rebuilt: caches may keep them a few minutes.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        ))
        .with_state(state)
}

/// The longest name of a file or folder the file system takes, in bytes.
const LONGEST_NAME: usize = 255;
/// The longest path of a file of the site, in bytes: far more than any
/// page's, well within the file system's.
const LONGEST_PATH: usize = 2048;

/// How many bytes a segment of a path stands for, once `%XX` escapes are
/// read as the byte each is.
fn decoded_len(segment: &str) -> usize {
    let bytes = segment.as_bytes();
    let mut len = 0;
    let mut i = 0;
    while i < bytes.len() {
        let escape = bytes[i] == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        i += if escape { 3 } else { 1 };
        len += 1;
    }
    len
}

/// Answers a path no file of the site can have (a name longer than the
/// file system takes, or a path of thousands of segments) as any other
/// missing page, with the site's 404: asked of the file system, it is an
/// error, which the static files' service answers 500.
pub async fn no_impossible_paths(mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.len() > LONGEST_PATH || path.split('/').any(|s| decoded_len(s) > LONGEST_NAME) {
        // A path that is nowhere: every route answers it as missing.
        *request.uri_mut() = axum::http::Uri::from_static("/.interchange-no-such-page");
    }
    next.run(request).await
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
            // JSON-LD with the ActivityStreams profile or with none: a page
            // is never JSON-LD.
            let kind = kind.trim().to_ascii_lowercase();
            kind.starts_with(ACTIVITY_JSON) || kind.starts_with("application/ld+json")
        })
}

/// Answers ActivityPub requests for actors at their pages' addresses; passes
/// every other request to the site.
async fn negotiate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method();
    let reads = method == axum::http::Method::GET || method == axum::http::Method::HEAD;
    if !reads || !wants_activity(&request) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    if path.starts_with("/.well-known/")
        || path.starts_with("/nodeinfo/")
        || path.starts_with("/ns/")
    {
        return next.run(request).await;
    }
    match served(&state, &path, query.as_deref()).await {
        Ok(Served::Document(json)) => activity_json(json),
        Ok(Served::Gone(tombstone)) => {
            let mut response = activity_json(tombstone);
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
    Gone(crate::protocol::Tombstone),
    /// Nothing (404).
    Nothing,
}

async fn served(
    instance: &Instance,
    path: &str,
    query: Option<&str>,
) -> Result<Served, FederationError> {
    let (directory, history) = instance.dated().await;
    if let Some(json) = document::at(&directory, &history, &instance.store, path, query).await? {
        return Ok(Served::Document(json));
    }
    let id = directory.site.absolute(path);
    Ok(match instance.store.tombstone(&id).await? {
        Some((kind, deleted)) => Served::Gone(publish::tombstone(&id, &kind, deleted)),
        None => Served::Nothing,
    })
}

/// `json` as an ActivityPub document.
fn activity_json(json: impl serde::Serialize) -> Response {
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

async fn webfinger(State(state): State<AppState>, Query(query): Query<Resource>) -> Response {
    let Some(resource) = query.resource else {
        return (StatusCode::BAD_REQUEST, "a `resource` parameter is needed").into_response();
    };
    let response = match discovery::webfinger(&state.directory(), &state.host, &resource) {
        Some(json) => {
            let mut response = axum::Json(json).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/jrd+json"),
            );
            response
        }
        None => (StatusCode::NOT_FOUND, "no such account here").into_response(),
    };
    readable_anywhere(response)
}

/// `response` with CORS open to any origin: discovery documents are public,
/// and web clients on other origins look people up with them.
fn readable_anywhere(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

async fn nodeinfo_links(State(state): State<AppState>) -> Response {
    readable_anywhere(axum::Json(discovery::nodeinfo_links(&state.directory())).into_response())
}

async fn nodeinfo(State(state): State<AppState>) -> Response {
    let mut response = axum::Json(discovery::nodeinfo(&state.directory())).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"",
        ),
    );
    readable_anywhere(response)
}

/// The project's JSON-LD context, as the repository holds it: the same
/// on every instance.
async fn context_document() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/ld+json"),
        )],
        CONTEXT_DOCUMENT,
    )
        .into_response()
}

async fn host_meta(State(state): State<AppState>) -> Response {
    let mut response = discovery::host_meta(&state.directory()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xrd+xml; charset=utf-8"),
    );
    readable_anywhere(response)
}
