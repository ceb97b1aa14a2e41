//! The HTTP client for every request the server makes: fetching actors and
//! objects, delivering activities. It is where server-side request forgery
//! is stopped: an activity names any URL it likes, and without these checks
//! a stranger could make the server fetch from its own network.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect::Policy;

use crate::address::authority;
use crate::error::FederationError;
use crate::protocol::{ACTIVITY_JSON, BODY_LIMIT, document_id};
use crate::signature::{Signer, Standard};
use crate::store::Store;

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
/// addresses ([`GuardedResolver`]), and every request refuses internal
/// addresses written out ([`check_address`]). Redirects are not followed:
/// a redirect would reach an address no check has seen.
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

/// Every request this server makes to another: checked before it connects
/// ([`check_address`], and the client's resolver), and signed. A fetch is
/// signed by the instance actor, so that servers answering only signed
/// fetches (GoToSocial; Mastodon in authorized-fetch mode) answer it; a
/// delivery by the actor whose activity it is.
///
/// Signatures are draft-cavage first, as every server reads; a host that
/// answers 401 or 403 is asked again with RFC 9421, and the standard that
/// worked is remembered for it, in the store when there is one.
#[derive(Clone)]
pub struct Outgoing {
    client: reqwest::Client,
    insecure_local: bool,
    fetcher: Arc<Signer>,
    signers: Arc<Mutex<HashMap<String, Arc<Signer>>>>,
    standards: Arc<Mutex<HashMap<String, Standard>>>,
    store: Option<Store>,
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outgoing")
            .field("fetcher", &self.fetcher)
            .field("insecure_local", &self.insecure_local)
            .finish()
    }
}

impl Outgoing {
    /// Requests signed, when they fetch, by `fetcher`; with the standard
    /// each host takes kept in `store` (and read from it now), if given.
    pub async fn new(
        insecure_local: bool,
        fetcher: Signer,
        store: Option<Store>,
    ) -> Result<Self, FederationError> {
        let mut standards = HashMap::new();
        if let Some(store) = &store {
            for (host, name) in store.signature_standards().await? {
                if let Some(standard) = Standard::named(&name) {
                    standards.insert(host, standard);
                }
            }
        }
        Ok(Self {
            client: http_client(insecure_local)?,
            insecure_local,
            fetcher: Arc::new(fetcher),
            signers: Arc::default(),
            standards: Arc::new(Mutex::new(standards)),
            store,
        })
    }

    /// Whether http and the loopback are allowed (local mode).
    pub fn insecure_local(&self) -> bool {
        self.insecure_local
    }

    /// The signer for the key `key_id` whose private half is
    /// `private_pem`: made once, as reading a key costs.
    pub fn signer(&self, key_id: &str, private_pem: &str) -> Result<Arc<Signer>, FederationError> {
        let mut signers = self.signers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(signer) = signers.get(key_id) {
            return Ok(signer.clone());
        }
        let signer = Arc::new(Signer::new(key_id.to_string(), private_pem)?);
        signers.insert(key_id.to_string(), signer.clone());
        Ok(signer)
    }

    /// Refuses `url` unless it may be requested: https (or, in local mode,
    /// http), and not an internal address written out.
    fn check(&self, url: &url::Url) -> Result<String, String> {
        if url.scheme() != "https" && !(self.insecure_local && url.scheme() == "http") {
            return Err("only https addresses are fetched".into());
        }
        check_address(url, self.insecure_local)?;
        authority(url).ok_or_else(|| "it has no host".into())
    }

    fn standard_for(&self, host: &str) -> Standard {
        self.standards
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(host)
            .copied()
            .unwrap_or(Standard::Cavage)
    }

    async fn learn(&self, host: &str, standard: Standard) {
        self.standards
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(host.to_string(), standard);
        if let Some(store) = &self.store
            && let Err(error) = store.learn_signature_standard(host, standard.name()).await
        {
            tracing::warn!(%error, host, "cannot keep the signature standard of a host");
        }
        tracing::info!(
            host,
            standard = standard.name(),
            "a host's signature standard learned"
        );
    }

    /// Sends a request of `method` to `url`, signed by `signer` in the
    /// standard `url`'s host takes, knocking again with the other on a 401
    /// or 403.
    async fn signed(
        &self,
        signer: &Signer,
        method: reqwest::Method,
        url: &url::Url,
        body: Option<&[u8]>,
    ) -> Result<reqwest::Response, FederationError> {
        let host = self
            .check(url)
            .map_err(|reason| FederationError::AddressRefused {
                url: url.to_string(),
                reason,
            })?;
        let standard = self.standard_for(&host);
        let response = self
            .send(signer, standard, method.clone(), url, body)
            .await?;
        if !matches!(response.status().as_u16(), 401 | 403) {
            return Ok(response);
        }
        let again = self
            .send(signer, standard.other(), method, url, body)
            .await?;
        if !matches!(again.status().as_u16(), 401 | 403) {
            self.learn(&host, standard.other()).await;
            return Ok(again);
        }
        Ok(response)
    }

    async fn send(
        &self,
        signer: &Signer,
        standard: Standard,
        method: reqwest::Method,
        url: &url::Url,
        body: Option<&[u8]>,
    ) -> Result<reqwest::Response, FederationError> {
        let signed = signer.sign(
            standard,
            method.as_str(),
            url,
            body,
            std::time::SystemTime::now(),
        )?;
        let mut request = self
            .client
            .request(method, url.as_str())
            .header(reqwest::header::ACCEPT, ACTIVITY_JSON);
        for (name, value) in signed.headers {
            request = request.header(name, value);
        }
        if let Some(body) = body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, ACTIVITY_JSON)
                .body(body.to_vec());
        }
        request.send().await.map_err(|e| {
            let reason = crate::error::chain(&e);
            // The resolver's refusal surfaces inside the client's error.
            if reason.contains("internal IP") {
                FederationError::AddressRefused {
                    url: url.to_string(),
                    reason,
                }
            } else {
                FederationError::Unreachable {
                    url: url.to_string(),
                    reason,
                }
            }
        })
    }

    /// Delivers `body` to `inbox`, signed by `signer`: the status it was
    /// answered with, or why it could not be sent.
    pub async fn deliver(
        &self,
        signer: &Signer,
        inbox: &url::Url,
        body: &[u8],
    ) -> Result<reqwest::StatusCode, FederationError> {
        self.signed(signer, reqwest::Method::POST, inbox, Some(body))
            .await
            .map(|response| response.status())
    }

    /// The actor of the account `handle` (`@name@server`, or
    /// `name@server`), as its server's WebFinger gives it: the link of
    /// `rel` `self` served as ActivityPub JSON. Asked over https (http in
    /// local mode), unsigned, as WebFinger is public.
    pub async fn webfinger(&self, handle: &str) -> Result<url::Url, FederationError> {
        let failed = |url: &str, reason: String| FederationError::Fetch {
            url: url.to_string(),
            reason,
        };
        let account = handle.trim_start_matches('@');
        let Some((_, server)) = account.split_once('@') else {
            return Err(failed(
                handle,
                "it is not a handle like @name@server".into(),
            ));
        };
        let scheme = if self.insecure_local { "http" } else { "https" };
        let mut url = url::Url::parse(&format!("{scheme}://{server}/.well-known/webfinger"))
            .map_err(|e| failed(handle, format!("its server is not a host: {e}")))?;
        url.query_pairs_mut()
            .append_pair("resource", &format!("acct:{account}"));
        self.check(&url)
            .map_err(|reason| FederationError::AddressRefused {
                url: url.to_string(),
                reason,
            })?;
        let response = self
            .client
            .get(url.as_str())
            .header(reqwest::header::ACCEPT, "application/jrd+json")
            .send()
            .await
            .map_err(|e| FederationError::Unreachable {
                url: url.to_string(),
                reason: crate::error::chain(&e),
            })?;
        let status = response.status();
        if !status.is_success() {
            return Err(FederationError::FetchRefused {
                url: url.to_string(),
                status: status.as_u16(),
            });
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| failed(url.as_str(), crate::error::chain(&e)))?;
        if body.len() > BODY_LIMIT {
            return Err(failed(
                url.as_str(),
                format!("it is larger than {BODY_LIMIT} bytes"),
            ));
        }
        // Read leniently: servers add links of other shapes (a template,
        // no type), which are not the one looked for.
        let jrd: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| failed(url.as_str(), format!("it is not JSON: {e}")))?;
        let links = jrd["links"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        links
            .iter()
            .find(|link| {
                link["rel"] == "self"
                    && link["type"].as_str().is_some_and(|kind| {
                        kind.starts_with(ACTIVITY_JSON) || kind.starts_with("application/ld+json")
                    })
            })
            .and_then(|link| link["href"].as_str())
            .and_then(|href| url::Url::parse(href).ok())
            .ok_or_else(|| failed(url.as_str(), "it names no ActivityPub actor".into()))
    }

    /// Fetches the ActivityPub document at `url`, signed by the instance
    /// actor: served as ActivityPub JSON, at most [`BODY_LIMIT`] bytes,
    /// with `id` its own address. Outside local mode only `https` is
    /// fetched.
    pub async fn fetch_document(&self, url: &url::Url) -> Result<Fetched, FederationError> {
        let failed = |reason: String| FederationError::Fetch {
            url: url.to_string(),
            reason,
        };
        let mut response = self
            .signed(&self.fetcher, reqwest::Method::GET, url, None)
            .await?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND || status == reqwest::StatusCode::GONE {
            return Ok(Fetched::Gone);
        }
        if !status.is_success() {
            return Err(FederationError::FetchRefused {
                url: url.to_string(),
                status: status.as_u16(),
            });
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !(content_type.starts_with(ACTIVITY_JSON)
            || content_type.starts_with("application/ld+json"))
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Requests from a site with a fresh key.
    async fn outgoing(insecure_local: bool) -> Outgoing {
        let pair =
            activitypub_federation::http_signatures::generate_actor_keypair().expect("a key pair");
        let signer = Signer::new(
            "https://a.example/actor/#main-key".into(),
            &pair.private_key,
        )
        .expect("a signer");
        Outgoing::new(insecure_local, signer, None)
            .await
            .expect("a client")
    }

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
    /// before any connection, fetch or delivery, in every form a URL can
    /// write it.
    #[tokio::test]
    async fn internal_addresses_written_out_are_never_fetched() {
        let (port, accepted) = listener().await;
        let outgoing = outgoing(false).await;
        for host in ["127.0.0.1", "[::ffff:127.0.0.1]", "2130706433", "0x7f.1"] {
            let url = url::Url::parse(&format!("https://{host}:{port}/actor")).expect("a URL");
            let refused = outgoing.fetch_document(&url).await;
            let error = refused.expect_err("refused").to_string();
            assert!(error.contains("internal address"), "{host}: {error}");
            // A delivery too: an actor may name any inbox it likes.
            let refused = outgoing.deliver(&outgoing.fetcher, &url, b"{}").await;
            let error = refused.expect_err("refused").to_string();
            assert!(error.contains("internal address"), "{host}: {error}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!accepted.is_finished(), "nothing connected to the loopback");
        accepted.abort();

        // In local mode, the loopback is fetched; a private address is not.
        let outgoing = super::tests::outgoing(true).await;
        let private = url::Url::parse("http://10.0.0.1/actor").expect("a URL");
        let error = outgoing
            .fetch_document(&private)
            .await
            .expect_err("refused");
        assert!(error.to_string().contains("internal address"), "{error}");
        let (port, accepted) = listener().await;
        let loopback = url::Url::parse(&format!("http://127.0.0.1:{port}/")).expect("a URL");
        let _ = tokio::time::timeout(
            Duration::from_millis(500),
            outgoing.fetch_document(&loopback),
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
