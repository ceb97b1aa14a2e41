//! The HTTP client for every request the server makes: fetching actors and
//! objects, delivering activities. It is where server-side request forgery
//! is stopped: an activity names any URL it likes, and without these checks
//! a stranger could make the server fetch from its own network.

use std::time::Duration;

use activitypub_federation::resolver::ValidatingDnsResolver;
use reqwest::redirect::Policy;

use crate::error::FederationError;
use crate::protocol::{ACTIVITY_JSON, BODY_LIMIT, document_id};

/// How long a fetch or delivery may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The client. Outside local mode its resolver refuses names that resolve
/// to loopback, private, link-local, carrier-grade NAT or IPv4-mapped
/// addresses, at the moment of connecting (so a name that changes its
/// answer between check and use is caught too). Redirects are not followed
/// by the client: the federation crate follows one itself, checking the new
/// address like the first.
pub fn http_client(insecure_local: bool) -> Result<reqwest::Client, FederationError> {
    // The TLS backend needs a process-wide choice of cryptography; the
    // binary makes it first, and a library user may have made another.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(concat!("Interchange/", env!("CARGO_PKG_VERSION")))
        .redirect(Policy::none())
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .dns_resolver(ValidatingDnsResolver::new(Vec::new(), !insecure_local))
        .build()
        .map_err(|e| FederationError::Config(format!("cannot make the HTTP client: {e}")))
}

/// A document fetched from another server.
#[derive(Debug)]
pub enum Fetched {
    /// It is there.
    Document(serde_json::Value),
    /// It is gone (404 or 410): deleted, or never there.
    Gone,
}

/// Fetches the ActivityPub document at `url`: served as ActivityPub JSON,
/// at most [`BODY_LIMIT`] bytes, with `id` its own address.
/// Outside local mode only `https` is fetched.
pub async fn fetch_document(
    client: &reqwest::Client,
    url: &url::Url,
    insecure_local: bool,
) -> Result<Fetched, FederationError> {
    let failed = |reason: String| FederationError::Fetch {
        url: url.to_string(),
        reason,
    };
    if url.scheme() != "https" && !(insecure_local && url.scheme() == "http") {
        return Err(failed("only https addresses are fetched".into()));
    }
    let mut response = client
        .get(url.as_str())
        .header(reqwest::header::ACCEPT, ACTIVITY_JSON)
        .send()
        .await
        .map_err(|e| failed(crate::error::chain(&e)))?;
    let status = response.status();
    if status == reqwest::StatusCode::NOT_FOUND || status == reqwest::StatusCode::GONE {
        return Ok(Fetched::Gone);
    }
    if !status.is_success() {
        return Err(failed(format!("it answered {status}")));
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !(content_type.starts_with(ACTIVITY_JSON) || content_type.starts_with("application/ld+json"))
    {
        return Err(failed(format!(
            "it is served as `{content_type}`, not as ActivityPub JSON"
        )));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| failed(crate::error::chain(&e)))?
    {
        if body.len() + chunk.len() > BODY_LIMIT {
            return Err(failed(format!("it is larger than {BODY_LIMIT} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    let json: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| failed(format!("it is not JSON: {e}")))?;
    let id = document_id(&json);
    if id != Some(url.as_str()) {
        return Err(failed(format!(
            "it names itself {}",
            id.unwrap_or("nothing")
        )));
    }
    Ok(Fetched::Document(json))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A listener on a free port of the loopback, and whether something
    /// connected to it.
    async fn listener() -> (u16, tokio::task::JoinHandle<bool>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a listener");
        let port = listener.local_addr().expect("an address").port();
        (
            port,
            tokio::spawn(async move { listener.accept().await.is_ok() }),
        )
    }

    /// A name resolving to the loopback is refused before any connection.
    #[tokio::test]
    async fn loopback_names_are_refused_outside_local_mode() {
        let (port, accepted) = listener().await;
        let refused = http_client(false)
            .expect("a client")
            .get(format!("http://localhost:{port}/"))
            .send()
            .await;
        let error = refused.expect_err("the loopback is refused");
        let chain = crate::error::chain(&error);
        assert!(chain.contains("internal IP"), "{chain}");
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!accepted.is_finished(), "nothing connected to the loopback");
        accepted.abort();

        // The same request in local mode reaches the listener's port.
        let (port, accepted) = listener().await;
        let _ = http_client(true)
            .expect("a client")
            .get(format!("http://localhost:{port}/"))
            .timeout(Duration::from_millis(500))
            .send()
            .await;
        assert!(accepted.await.expect("joined"), "local mode connects");
    }
}
