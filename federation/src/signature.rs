//! HTTP Signatures (draft-cavage, as Mastodon signs) on what arrives.
//!
//! The federation crate checks less than a server open to the world needs:
//! only `digest` must be signed and a Date from the future passes. Here a
//! signature must cover `date`, `host` and `digest`, the Date must be
//! within twelve hours past and one hour ahead (the window Mastodon uses,
//! so deliveries from a retry queue still pass), and every failure is a 401
//! that names the fault (a 401 also makes RFC 9421 senders retry with this
//! older form).

use std::time::{Duration, SystemTime};

use axum::http::{HeaderMap, Method, Uri};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use http_signature_normalization::verify::Unverified;
use http_signature_normalization::{Config, PrepareVerifyError};
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};

use crate::error::InboxError;

/// How old a request's Date may be.
pub const PAST: Duration = Duration::from_secs(12 * 60 * 60);
/// How far ahead a request's Date may be (clocks drift).
pub const FUTURE: Duration = Duration::from_secs(60 * 60);
/// The headers a signature must cover.
pub const SIGNED: [&str; 3] = ["date", "host", "digest"];

fn unauthorised(reason: impl Into<String>) -> InboxError {
    InboxError::refused(401, reason)
}

/// A request's signature, read and checked in every way that needs no key.
pub struct Signature(Unverified);

impl Signature {
    /// Reads the signature of a request made at `now`: present, covering
    /// `date`, `host` and `digest`, with a Date in the window.
    pub fn read(
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        now: SystemTime,
    ) -> Result<Self, InboxError> {
        if !headers.contains_key("signature") && !headers.contains_key("authorization") {
            return Err(unauthorised(
                "an inbox takes signed requests only: sign it with HTTP Signatures (a `Signature` header with keyId, headers and signature)",
            ));
        }
        check_date(headers, now)?;
        let mut fields: std::collections::BTreeMap<String, String> = headers
            .iter()
            .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_string())))
            .collect();
        // HTTP/2 has no Host header: its authority is the same thing.
        if !fields.contains_key("host")
            && let Some(authority) = uri.authority()
        {
            fields.insert("host".into(), authority.to_string());
        }
        let config = SIGNED
            .iter()
            .fold(Config::new().set_expiration(PAST), |c, h| {
                c.require_header(h)
            });
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        config
            .begin_verify(method.as_str(), path, fields)
            .map(Self)
            .map_err(|error| match error {
                PrepareVerifyError::Required(mut missing) => {
                    let mut missing: Vec<String> = missing.take_headers().into_iter().collect();
                    missing.sort();
                    unauthorised(format!(
                        "the signature must cover date, host and digest; it leaves out {}",
                        missing.join(", ")
                    ))
                }
                other => unauthorised(format!("the signature cannot be read: {other}")),
            })
    }

    /// The id of the key it was made with.
    pub fn key_id(&self) -> &str {
        self.0.key_id()
    }

    /// Whether it was made with the private half of `public_key_pem`.
    pub fn verify(&self, public_key_pem: &str) -> bool {
        let Some(key) = public_key(public_key_pem) else {
            return false;
        };
        self.0.verify(|signature, signing_string| {
            BASE64.decode(signature).is_ok_and(|signature| {
                key.verify(
                    Pkcs1v15Sign::new::<Sha256>(),
                    &Sha256::digest(signing_string.as_bytes()),
                    &signature,
                )
                .is_ok()
            })
        })
    }
}

/// An RSA public key in PEM, in either form servers publish: SPKI
/// (`BEGIN PUBLIC KEY`, Mastodon) or PKCS#1 (`BEGIN RSA PUBLIC KEY`,
/// Mobilizon). The base64 is read however it is wrapped: some servers
/// (Smithereen) write it on one line, which strict PEM readers refuse.
pub fn public_key(pem: &str) -> Option<RsaPublicKey> {
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .flat_map(|line| line.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let der = BASE64.decode(body).ok()?;
    if pem.contains("BEGIN RSA PUBLIC KEY") {
        RsaPublicKey::from_pkcs1_der(&der).ok()
    } else {
        RsaPublicKey::from_public_key_der(&der).ok()
    }
}

/// The Date header is there and in the window.
fn check_date(headers: &HeaderMap, now: SystemTime) -> Result<(), InboxError> {
    let date = headers
        .get("date")
        .and_then(|d| d.to_str().ok())
        .ok_or_else(|| unauthorised("a signed request needs a Date header"))?;
    let date = httpdate::parse_http_date(date)
        .map_err(|_| unauthorised(format!("the Date header `{date}` is not an HTTP date")))?;
    if date > now + FUTURE {
        return Err(unauthorised(
            "the Date header is more than an hour ahead: check the sending server's clock",
        ));
    }
    if date + PAST < now {
        return Err(unauthorised(
            "the Date header is more than twelve hours old: sign each delivery afresh",
        ));
    }
    Ok(())
}

/// The body is the one the `Digest` header (signed) vouches for.
pub fn check_digest(headers: &HeaderMap, body: &[u8]) -> Result<(), InboxError> {
    let header = headers
        .get("digest")
        .and_then(|d| d.to_str().ok())
        .ok_or_else(|| unauthorised("a signed request needs a Digest header (SHA-256=…)"))?;
    let expected = BASE64.encode(Sha256::digest(body));
    // `SHA-256=…`, possibly among other algorithms.
    let sha256 = header.split(',').find_map(|part| {
        let (algorithm, value) = part.trim().split_once('=')?;
        algorithm.eq_ignore_ascii_case("sha-256").then_some(value)
    });
    match sha256 {
        Some(value) if value == expected => Ok(()),
        Some(_) => Err(unauthorised(
            "the body does not match its Digest: it was changed after signing",
        )),
        None => Err(unauthorised("the Digest header has no SHA-256 value")),
    }
}
