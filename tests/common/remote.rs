//! Another fediverse server, as the inbox tests need one: actors with
//! their own keys, served on the loopback, inboxes that keep what is
//! delivered to them, and requests signed the way Mastodon signs them.
//! The signing and checking here are written from the HTTP Signatures
//! draft and RFC 9421, apart from the code under test.
//!
//! Inboxes of actors under `/users/strict-` take RFC 9421 signatures only
//! (401 to any other), as servers that have moved on from the draft do.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::pkcs8::{DecodePublicKey, EncodePublicKey, LineEnding};
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};

/// An RSA key pair.
pub struct Key {
    private: RsaPrivateKey,
    /// The public half, in PEM.
    pub public_pem: String,
}

/// Two keys, made once for all the tests of a binary (making one takes a
/// moment): the first is alice's, the second bob's.
pub fn keys() -> &'static [Key; 2] {
    static KEYS: OnceLock<[Key; 2]> = OnceLock::new();
    KEYS.get_or_init(|| {
        let make = || {
            let private = RsaPrivateKey::new(&mut rand::thread_rng(), 2048).expect("a key is made");
            let public_pem = RsaPublicKey::from(&private)
                .to_public_key_pem(LineEnding::LF)
                .expect("a PEM");
            Key {
                private,
                public_pem,
            }
        };
        [make(), make()]
    })
}

/// What an inbox of the remote server was sent.
#[derive(Clone, Debug)]
pub struct Delivery {
    /// The inbox's path.
    pub path: String,
    /// The headers, names lower-cased.
    pub headers: BTreeMap<String, String>,
    /// The body.
    pub body: String,
    /// The status it was answered with.
    pub status: u16,
}

impl Delivery {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON delivery")
    }
}

#[derive(Clone, Default)]
struct Seen {
    deliveries: Arc<Mutex<Vec<Delivery>>>,
    fetches: Arc<Mutex<Vec<String>>>,
    /// Each GET, with its headers.
    gets: Arc<Mutex<Vec<Delivery>>>,
    /// Statuses to answer the next deliveries of activities of a type with
    /// (202 once none is left for it), as (type, status).
    answers: Arc<Mutex<std::collections::VecDeque<(String, u16)>>>,
    port: u16,
}

impl Seen {
    /// Keeps a delivery; the status to answer it with.
    fn keep(&self, path: String, headers: BTreeMap<String, String>, body: String) -> StatusCode {
        let strict = path.starts_with("/users/strict-") && !headers.contains_key("signature-input");
        let status = if strict {
            401
        } else {
            // Only for the activity meant: a server also delivers others
            // (its entries, to a new follower) at moments a test cannot know.
            let kind = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["type"].as_str().map(str::to_string))
                .unwrap_or_default();
            let mut answers = self.answers.lock().expect("not poisoned");
            answers
                .iter()
                .position(|(k, _)| *k == kind)
                .and_then(|i| answers.remove(i))
                .map_or(202, |(_, status)| status)
        };
        self.deliveries
            .lock()
            .expect("not poisoned")
            .push(Delivery {
                path,
                headers,
                body,
                status,
            });
        StatusCode::from_u16(status).expect("a status")
    }
}

/// The remote server, stopped when dropped.
pub struct Remote {
    /// Its port: its actors are at `http://localhost:{port}/users/{name}`.
    pub port: u16,
    seen: Seen,
    _runtime: tokio::runtime::Runtime,
}

/// Padding that makes `huge`'s actor document larger than 1 MiB.
const HUGE: usize = 2 * 1024 * 1024;

impl Remote {
    /// Starts it on a free port of the loopback.
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        listener.set_nonblocking(true).expect("non-blocking");
        let port = listener.local_addr().expect("an address").port();
        let seen = Seen {
            port,
            ..Seen::default()
        };
        let app = Router::new().fallback(anyone).with_state(seen.clone());
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a listener");
            let _ = axum::serve(listener, app).await;
        });
        Self {
            port,
            seen,
            _runtime: runtime,
        }
    }

    /// The id of the actor `name`.
    pub fn actor(&self, name: &str) -> String {
        format!("http://localhost:{}/users/{name}", self.port)
    }

    /// `http://localhost:{port}{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.port)
    }

    /// Answers the next deliveries of activities of type `kind` (`Accept`)
    /// with `statuses`, in order.
    pub fn answer_next(&self, kind: &str, statuses: &[u16]) {
        self.seen
            .answers
            .lock()
            .expect("not poisoned")
            .extend(statuses.iter().map(|&status| (kind.to_string(), status)));
    }

    /// Everything delivered so far.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.seen.deliveries.lock().expect("not poisoned").clone()
    }

    /// The paths fetched so far.
    pub fn fetches(&self) -> Vec<String> {
        self.seen.fetches.lock().expect("not poisoned").clone()
    }

    /// Each GET so far, with its headers (and an empty body).
    pub fn gets(&self) -> Vec<Delivery> {
        self.seen.gets.lock().expect("not poisoned").clone()
    }

    /// Waits (a minute at most) for a delivery of an activity of `kind`
    /// that was taken in.
    pub fn wait_for(&self, kind: &str) -> Delivery {
        self.wait_until(|d| d.json()["type"] == kind && d.status < 300, kind)
    }

    /// Waits (a minute at most) for a delivery that `wanted` picks.
    pub fn wait_until(&self, wanted: impl Fn(&Delivery) -> bool, what: &str) -> Delivery {
        let kind = what;
        let start = Instant::now();
        loop {
            if let Some(found) = self.deliveries().into_iter().find(|d| wanted(d)) {
                return found;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no {kind} was delivered: {:?}",
                self.deliveries()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Every address: a GET is answered with an actor there, a POST is kept
/// as a delivery. `/users/bob` has bob's key and `/users/huge` a document
/// over 1 MiB; every other actor signs with alice's key, so that activities
/// other servers sent can be replayed with their host replaced by this one.
/// Actors under `/users/secure-` are served only to a signed GET (401
/// otherwise), as GoToSocial and Mastodon in authorized-fetch mode serve;
/// those under `/users/locked-` to no one (401).
async fn anyone(State(seen): State<Seen>, request: axum::extract::Request) -> Response {
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    if request.method() == axum::http::Method::POST {
        let headers = request
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect();
        let body = axum::body::to_bytes(request.into_body(), 1 << 20)
            .await
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        return seen.keep(path, headers, body).into_response();
    }
    seen.fetches
        .lock()
        .expect("not poisoned")
        .push(path.clone());
    let headers: BTreeMap<String, String> = request
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    let signed = headers.contains_key("signature");
    seen.gets.lock().expect("not poisoned").push(Delivery {
        path: path.clone(),
        headers,
        body: String::new(),
        status: 200,
    });
    if path.starts_with("/users/secure-") && !signed {
        return (StatusCode::UNAUTHORIZED, "Request not signed").into_response();
    }
    // A server that does not (yet) take this one's signatures.
    if path.starts_with("/users/locked-") {
        return (StatusCode::UNAUTHORIZED, "Unknown signer").into_response();
    }
    let key = if path == "/users/bob" {
        &keys()[1]
    } else {
        &keys()[0]
    };
    let id = format!("http://localhost:{}{path}", seen.port);
    let mut document = serde_json::json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id,
        "type": "Person",
        "inbox": format!("{id}/inbox"),
        "endpoints": { "sharedInbox": format!("http://localhost:{}/inbox", seen.port) },
        "publicKey": {
            "id": format!("{id}#main-key"),
            "owner": id,
            "publicKeyPem": key.public_pem,
        },
    });
    if path == "/users/huge" {
        document["summary"] = "x".repeat(HUGE).into();
    }
    (
        [(header::CONTENT_TYPE, "application/activity+json")],
        document.to_string(),
    )
        .into_response()
}

/// The headers of a POST of `body` to `host` + `path`, signed with `key`
/// as `key_id` over the `covered` headers, dated `date`.
pub fn signed(
    key: &Key,
    key_id: &str,
    host: &str,
    path: &str,
    body: &[u8],
    date: SystemTime,
    covered: &[&str],
) -> Vec<(String, String)> {
    let values: BTreeMap<&str, String> = [
        ("(request-target)", format!("post {path}")),
        ("host", host.to_string()),
        ("date", httpdate::fmt_http_date(date)),
        ("digest", digest(body)),
        ("content-type", "application/activity+json".to_string()),
    ]
    .into_iter()
    .collect();
    let signing_string = covered
        .iter()
        .map(|h| format!("{h}: {}", values[h]))
        .collect::<Vec<_>>()
        .join("\n");
    let signature = key
        .private
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signing_string.as_bytes()),
        )
        .expect("signed");
    let mut headers: Vec<(String, String)> = ["host", "date", "digest", "content-type"]
        .iter()
        .map(|h| (h.to_string(), values[h].clone()))
        .collect();
    headers.push((
        "signature".into(),
        format!(
            "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"{}\",signature=\"{}\"",
            covered.join(" "),
            BASE64.encode(signature)
        ),
    ));
    headers
}

/// The headers of a POST of `body` to `origin` + `path`, signed with `key`
/// as `key_id` by RFC 9421 (as Mastodon 4.5 signs: the method, the target
/// and the body's `Content-Digest`), created at `date`.
pub fn signed_rfc9421(
    key: &Key,
    key_id: &str,
    origin: &str,
    path: &str,
    body: &[u8],
    date: SystemTime,
) -> Vec<(String, String)> {
    let content_digest = format!("sha-256=:{}:", BASE64.encode(Sha256::digest(body)));
    let created = date
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let params = format!(
        "(\"@method\" \"@target-uri\" \"content-digest\");created={created};keyid=\"{key_id}\";alg=\"rsa-v1_5-sha256\""
    );
    let base = format!(
        "\"@method\": POST\n\"@target-uri\": {origin}{path}\n\"content-digest\": {content_digest}\n\"@signature-params\": {params}"
    );
    let signature = key
        .private
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(base.as_bytes()),
        )
        .expect("signed");
    vec![
        ("content-type".into(), "application/activity+json".into()),
        ("content-digest".into(), content_digest),
        ("signature-input".into(), format!("sig1={params}")),
        (
            "signature".into(),
            format!("sig1=:{}:", BASE64.encode(signature)),
        ),
    ]
}

/// Checks the RFC 9421 signature of `delivery`, sent to `origin`, with
/// `public_pem`: over at least the method, the target and the body's
/// digest, which matches its body. Reads only the simple form servers
/// send: one signature, components without parameters.
pub fn verify_rfc9421(delivery: &Delivery, origin: &str, public_pem: &str) -> Result<(), String> {
    let input = delivery
        .headers
        .get("signature-input")
        .ok_or("no Signature-Input")?;
    let (label, params) = input.split_once('=').ok_or("a labelled input")?;
    let signature = delivery
        .headers
        .get("signature")
        .and_then(|s| s.strip_prefix(&format!("{label}=:")))
        .and_then(|s| s.strip_suffix(':'))
        .ok_or("no signature with the input's label")?;
    let covered = params
        .strip_prefix('(')
        .and_then(|p| p.split_once(')'))
        .ok_or("a list of components")?
        .0;
    let components: Vec<&str> = covered.split(' ').map(|c| c.trim_matches('"')).collect();
    for needed in ["@method", "@target-uri", "content-digest"] {
        if !components.contains(&needed) {
            return Err(format!("{needed} is not covered: {input}"));
        }
    }
    let digest = format!(
        "sha-256=:{}:",
        BASE64.encode(Sha256::digest(delivery.body.as_bytes()))
    );
    if delivery.headers.get("content-digest") != Some(&digest) {
        return Err("the Content-Digest does not match the body".into());
    }
    let mut base = String::new();
    for component in &components {
        let value = match *component {
            "@method" => "POST".to_string(),
            "@target-uri" => format!("{origin}{}", delivery.path),
            "@authority" => origin.split_once("://").ok_or("an origin")?.1.to_string(),
            header => delivery
                .headers
                .get(header)
                .cloned()
                .ok_or(format!("no {header} header"))?,
        };
        base.push_str(&format!("\"{component}\": {value}\n"));
    }
    base.push_str(&format!("\"@signature-params\": {params}"));
    let key = RsaPublicKey::from_public_key_pem(public_pem).map_err(|e| e.to_string())?;
    let signature = BASE64.decode(signature).map_err(|e| e.to_string())?;
    key.verify(
        Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(base.as_bytes()),
        &signature,
    )
    .map_err(|e| format!("the signature does not verify: {e}"))
}

/// The headers Mastodon covers.
pub const MASTODON: &[&str] = &["(request-target)", "host", "date", "digest"];

/// `SHA-256=…` of `body`.
pub fn digest(body: &[u8]) -> String {
    format!("SHA-256={}", BASE64.encode(Sha256::digest(body)))
}

/// Whether `delivery` carries a signature by `public_pem` over its
/// request target, host, date and digest, and its digest matches its body.
pub fn verify(delivery: &Delivery, public_pem: &str) -> Result<(), String> {
    verify_as("post", delivery, public_pem, MASTODON)
}

/// Checks the signature of a GET this server received (`fetch`) with
/// `public_pem`: over at least `(request-target)`, `host` and `date`.
pub fn verify_fetch(fetch: &Delivery, public_pem: &str) -> Result<(), String> {
    verify_as(
        "get",
        fetch,
        public_pem,
        &["(request-target)", "host", "date"],
    )
}

/// Checks the signature of a request with `method` (lower case) over at
/// least `needed`, and its digest if it signs one.
fn verify_as(
    method: &str,
    delivery: &Delivery,
    public_pem: &str,
    needed: &[&str],
) -> Result<(), String> {
    let header = delivery
        .headers
        .get("signature")
        .ok_or("no Signature header")?;
    let fields: BTreeMap<&str, &str> = header
        .split(',')
        .filter_map(|part| part.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim().trim_matches('"')))
        .collect();
    let covered: Vec<&str> = fields
        .get("headers")
        .ok_or("no headers list")?
        .split_whitespace()
        .collect();
    for needed in needed {
        if !covered.contains(needed) {
            return Err(format!("{needed} is not signed"));
        }
    }
    if covered.contains(&"digest")
        && delivery.headers.get("digest") != Some(&digest(delivery.body.as_bytes()))
    {
        return Err("the digest does not match the body".into());
    }
    let signing_string = covered
        .iter()
        .map(|h| {
            let value = match *h {
                "(request-target)" => Some(format!("{method} {}", delivery.path)),
                "(created)" => fields.get("created").map(ToString::to_string),
                "(expires)" => fields.get("expires").map(ToString::to_string),
                name => delivery.headers.get(name).cloned(),
            };
            value
                .map(|v| format!("{h}: {v}"))
                .ok_or(format!("{h} is signed but absent"))
        })
        .collect::<Result<Vec<_>, _>>()?
        .join("\n");
    let key = RsaPublicKey::from_public_key_pem(public_pem).map_err(|e| e.to_string())?;
    let signature = BASE64
        .decode(fields.get("signature").ok_or("no signature")?)
        .map_err(|e| e.to_string())?;
    key.verify(
        Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(signing_string.as_bytes()),
        &signature,
    )
    .map_err(|e| format!("the signature does not verify: {e}"))
}
