//! draft-cavage-http-signatures, as Mastodon signs: a `Signature` header
//! naming the key, the headers signed and the signature.

use std::collections::BTreeMap;
use std::time::SystemTime;

use http_signature_normalization::verify::Unverified;
use http_signature_normalization::{Config, PrepareVerifyError};

use super::{PAST, Request, check_time, unauthorised};
use crate::error::InboxError;

/// The headers a signature must cover.
pub const SIGNED: [&str; 3] = ["date", "host", "digest"];

/// A draft-cavage signature, read.
pub struct Signature(Unverified);

impl Signature {
    /// Reads the signature of `request`: covering `date`, `host` and
    /// `digest`, with a Date in the window around `now`.
    pub fn read(request: &Request<'_>, now: SystemTime) -> Result<Self, InboxError> {
        check_date(request, now)?;
        let mut fields: BTreeMap<String, String> = request
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_string())))
            .collect();
        // HTTP/2 has no Host header: its authority is the same thing.
        if !fields.contains_key("host")
            && let Some(authority) = request.uri.authority()
        {
            fields.insert("host".into(), authority.to_string());
        }
        let config = SIGNED
            .iter()
            .fold(Config::new().set_expiration(PAST), |c, h| {
                c.require_header(h)
            });
        let path = request.uri.path_and_query().map_or("/", |p| p.as_str());
        config
            .begin_verify(request.method.as_str(), path, fields)
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

    /// Whether `verified(signature, signed bytes)` holds of it.
    pub fn verify(&self, verified: impl Fn(&[u8], &[u8]) -> bool) -> bool {
        use base64::Engine;
        self.0.verify(|signature, signing_string| {
            base64::engine::general_purpose::STANDARD
                .decode(signature)
                .is_ok_and(|signature| verified(&signature, signing_string.as_bytes()))
        })
    }
}

/// The Date header is there and in the window.
fn check_date(request: &Request<'_>, now: SystemTime) -> Result<(), InboxError> {
    let date = request
        .headers
        .get("date")
        .and_then(|d| d.to_str().ok())
        .ok_or_else(|| unauthorised("a signed request needs a Date header"))?;
    let date = httpdate::parse_http_date(date)
        .map_err(|_| unauthorised(format!("the Date header `{date}` is not an HTTP date")))?;
    check_time(date, now, "the Date header")
}
