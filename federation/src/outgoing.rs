//! The HTTP client for every request the server makes: fetching actors and
//! objects, delivering activities. It is where server-side request forgery
//! is stopped: an activity names any URL it likes, and without these checks
//! a stranger could make the server fetch from its own network.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect::Policy;

use crate::error::FederationError;
use crate::protocol::{ACTIVITY_JSON, BODY_LIMIT, document_id};

/// How long a fetch or delivery may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Whether the server may connect to `ip`: never to a private, loopback,
/// link-local, carrier-grade NAT, unspecified or unique-local address (an
/// IPv4 address written as IPv6 is judged as itself); in local mode, to the
/// loopback only of those.
pub fn may_connect(ip: IpAddr, insecure_local: bool) -> bool {
    let ip = ip.to_canonical();
    if ip.is_loopback() {
        return insecure_local;
    }
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || a == 0
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_unspecified() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Refuses `url` if its host is an address written out that the server may
/// not connect to: such a host never reaches the resolver, which checks
/// names.
pub fn check_address(url: &url::Url, insecure_local: bool) -> Result<(), String> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
        Some(url::Host::Domain(_)) => return Ok(()),
        None => return Err("it has no host".into()),
    };
    if may_connect(ip, insecure_local) {
        Ok(())
    } else {
        Err(format!("{ip} is an internal address: it is never fetched"))
    }
}

/// Resolves names, refusing any that resolves to an address the server may
/// not connect to ([`may_connect`]), at the moment of connecting: a name
/// that changes its answer between a check and its use is caught too.
#[derive(Debug, Clone, Copy)]
struct GuardedResolver {
    insecure_local: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let insecure_local = self.insecure_local;
        Box::pin(async move {
            let host = name.as_str().trim_end_matches('.').to_string();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some(internal) = found.iter().find(|a| !may_connect(a.ip(), insecure_local)) {
                return Err(format!("{host} resolves to an internal IP, {}", internal.ip()).into());
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

/// The client. Its resolver refuses names that resolve to internal
/// addresses ([`GuardedResolver`]), and every fetch refuses internal
/// addresses written out ([`check_address`]). Redirects are not followed
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
        .dns_resolver(std::sync::Arc::new(GuardedResolver { insecure_local }))
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
    check_address(url, insecure_local).map_err(failed)?;
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

    #[test]
    fn internal_addresses_in_every_form_are_refused() {
        let internal = [
            "127.0.0.1",
            "127.1.2.3",
            "0.0.0.0",
            "0.1.2.3",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ];
        for text in internal {
            let ip: IpAddr = text.parse().expect("an address");
            assert!(!may_connect(ip, false), "{text} is refused");
        }
        for text in ["93.184.216.34", "100.128.0.1", "172.32.0.1", "2001:db8::1"] {
            let ip: IpAddr = text.parse().expect("an address");
            assert!(may_connect(ip, false), "{text} is public");
        }
        // Local mode opens the loopback, and only it.
        for text in ["127.0.0.1", "::1", "::ffff:127.0.0.1"] {
            assert!(
                may_connect(text.parse().expect("an address"), true),
                "{text}"
            );
        }
        for text in [
            "10.1.2.3",
            "192.168.1.1",
            "169.254.169.254",
            "fc00::1",
            "0.0.0.0",
        ] {
            assert!(
                !may_connect(text.parse().expect("an address"), true),
                "{text}"
            );
        }
    }

    /// An address written out never reaches the resolver: it is checked
    /// before any connection, in every form a URL can write it.
    #[tokio::test]
    async fn internal_addresses_written_out_are_never_fetched() {
        let (port, accepted) = listener().await;
        let client = http_client(false).expect("a client");
        for host in ["127.0.0.1", "[::ffff:127.0.0.1]", "2130706433", "0x7f.1"] {
            let url = url::Url::parse(&format!("https://{host}:{port}/actor")).expect("a URL");
            let refused = fetch_document(&client, &url, false).await;
            let error = refused.expect_err("refused").to_string();
            assert!(error.contains("internal address"), "{host}: {error}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!accepted.is_finished(), "nothing connected to the loopback");
        accepted.abort();

        // In local mode, the loopback is fetched; a private address is not.
        let client = http_client(true).expect("a client");
        let private = url::Url::parse("http://10.0.0.1/actor").expect("a URL");
        let error = fetch_document(&client, &private, true)
            .await
            .expect_err("refused");
        assert!(error.to_string().contains("internal address"), "{error}");
        let (port, accepted) = listener().await;
        let loopback = url::Url::parse(&format!("http://127.0.0.1:{port}/")).expect("a URL");
        let _ = tokio::time::timeout(
            Duration::from_millis(500),
            fetch_document(&client, &loopback, true),
        )
        .await;
        assert!(
            accepted.await.expect("joined"),
            "local mode connects to the loopback"
        );
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
