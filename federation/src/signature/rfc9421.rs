//! RFC 9421 HTTP Message Signatures, as the fediverse uses them: RSA keys
//! (`rsa-v1_5-sha256`), a `keyid` naming an actor's key, and the body
//! vouched for by `Content-Digest` (RFC 9530).
//!
//! Structured fields are parsed and written by `sfv`; what is built here
//! is the signature base, the same for signing and checking.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sfv::{FieldType, ListEntry};

use super::{Request, check_time, unauthorised};
use crate::error::InboxError;

/// The algorithm every fediverse RSA key signs with.
pub const ALGORITHM: &str = "rsa-v1_5-sha256";

/// What a signature must cover: the method and the whole target (scheme,
/// host and path: a request signed for another server does not verify
/// here), and the body's digest where there is a body.
const REQUIRED: [&str; 2] = ["@method", "@target-uri"];

/// An RFC 9421 signature, read: its key, and the base it must sign.
pub struct Signature {
    key_id: String,
    base: String,
    signature: Vec<u8>,
}

impl Signature {
    /// Reads the first signature of `request` this server can check: over
    /// the method, target and body digest, made with an RSA key within the
    /// window around `now`, unexpired.
    pub fn read(request: &Request<'_>, now: SystemTime) -> Result<Self, InboxError> {
        let inputs = dictionary(request, "signature-input")?;
        let signatures = dictionary(request, "signature")?;
        let mut refused = None;
        // A request may carry several (a proxy may add its own): the first
        // that meets the rules is the one checked.
        for (label, input) in &inputs {
            match read_one(label.as_str(), input, &signatures, request, now) {
                Ok(signature) => return Ok(signature),
                Err(error) => {
                    refused.get_or_insert(error);
                }
            }
        }
        Err(refused
            .unwrap_or_else(|| unauthorised("the Signature-Input header names no signature")))
    }

    /// The id of the key it was made with.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Whether `verified(signature, signature base)` holds of it.
    pub fn verify(&self, verified: impl Fn(&[u8], &[u8]) -> bool) -> bool {
        verified(&self.signature, self.base.as_bytes())
    }
}

/// A header of `request` read as a structured dictionary.
fn dictionary(request: &Request<'_>, name: &str) -> Result<sfv::Dictionary, InboxError> {
    let value = request
        .headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(", ");
    if value.is_empty() {
        return Err(unauthorised(format!(
            "a request signed by RFC 9421 needs a `{name}` header"
        )));
    }
    sfv::Parser::new(&value)
        .parse()
        .map_err(|e| unauthorised(format!("the `{name}` header cannot be read: {e}")))
}

/// The signature labelled `label`, if it meets the rules.
fn read_one(
    label: &str,
    input: &ListEntry,
    signatures: &sfv::Dictionary,
    request: &Request<'_>,
    now: SystemTime,
) -> Result<Signature, InboxError> {
    let ListEntry::InnerList(covered) = input else {
        return Err(unauthorised(format!(
            "signature `{label}`: its input is not a list of components"
        )));
    };
    let signature = signatures
        .iter()
        .find(|(name, _)| name.as_str() == label)
        .and_then(|(_, entry)| match entry {
            ListEntry::Item(item) => item.bare_item.as_byte_sequence().map(<[u8]>::to_vec),
            ListEntry::InnerList(_) => None,
        })
        .ok_or_else(|| {
            unauthorised(format!(
                "the Signature header has no byte sequence labelled `{label}`"
            ))
        })?;
    let param = |name: &str| {
        covered
            .params
            .iter()
            .find(|(key, _)| key.as_str() == name)
            .map(|(_, value)| value)
    };
    let key_id = param("keyid")
        .and_then(|v| v.as_string())
        .map(|s| s.as_str().to_string())
        .ok_or_else(|| unauthorised(format!("signature `{label}` names no `keyid`")))?;
    if let Some(algorithm) = param("alg") {
        let algorithm = algorithm.as_string().map(|s| s.as_str());
        if algorithm != Some(ALGORITHM) {
            return Err(unauthorised(format!(
                "signature `{label}` is made with {}: this server checks {ALGORITHM} only",
                algorithm.unwrap_or("an unnamed algorithm")
            )));
        }
    }
    let created = param("created")
        .and_then(|v| v.as_integer())
        .map(i64::from)
        .ok_or_else(|| unauthorised(format!("signature `{label}` has no `created` time")))?;
    check_time(moment(created), now, "the signature's `created` time")?;
    if let Some(expires) = param("expires").and_then(|v| v.as_integer())
        && moment(i64::from(expires)) < now
    {
        return Err(unauthorised(format!("signature `{label}` has expired")));
    }

    let mut components = Vec::with_capacity(covered.items.len());
    for item in &covered.items {
        let Some(name) = item.bare_item.as_string().map(|s| s.as_str()) else {
            return Err(unauthorised(format!(
                "signature `{label}` covers a component that is not a string"
            )));
        };
        if !item.params.is_empty() {
            return Err(unauthorised(format!(
                "signature `{label}` covers `{name}` with parameters, which this server does not read"
            )));
        }
        components.push((name.to_string(), value_of(name, request)?));
    }
    let mut missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|r| !components.iter().any(|(name, _)| name == r))
        .collect();
    if has_body(request) && !components.iter().any(|(name, _)| name == "content-digest") {
        missing.push("content-digest");
    }
    if !missing.is_empty() {
        return Err(unauthorised(format!(
            "signature `{label}` must cover @method, @target-uri and content-digest; it leaves out {}",
            missing.join(", ")
        )));
    }
    let params = vec![ListEntry::InnerList(covered.clone())]
        .serialize()
        .ok_or_else(|| unauthorised(format!("signature `{label}` has empty parameters")))?;
    Ok(Signature {
        key_id,
        base: base(&components, &params),
        signature,
    })
}

/// `seconds` since 1970 as a moment (before 1970 is as at 1970).
fn moment(seconds: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).unwrap_or(0))
}

/// Whether the request carries a body, which its signature must vouch for.
fn has_body(request: &Request<'_>) -> bool {
    request
        .headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() != "0")
        && !matches!(request.method.as_str(), "GET" | "HEAD")
}

/// The value of a covered component in `request`.
fn value_of(name: &str, request: &Request<'_>) -> Result<String, InboxError> {
    let path = request.uri.path();
    let query = request.uri.query();
    let target = request.uri.path_and_query().map_or("/", |p| p.as_str());
    let value = match name {
        "@method" => request.method.as_str().to_string(),
        "@target-uri" => format!("{}{target}", request.origin),
        "@authority" => request
            .origin
            .split_once("://")
            .map_or(request.origin, |(_, authority)| authority)
            .to_ascii_lowercase(),
        "@scheme" => request
            .origin
            .split_once("://")
            .map_or("https", |(scheme, _)| scheme)
            .to_string(),
        "@request-target" => target.to_string(),
        "@path" => path.to_string(),
        "@query" => format!("?{}", query.unwrap_or_default()),
        derived if derived.starts_with('@') => {
            return Err(unauthorised(format!(
                "the signature covers `{derived}`, which this server does not derive"
            )));
        }
        header => {
            let values: Vec<&str> = request
                .headers
                .get_all(header)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .map(str::trim)
                .collect();
            if values.is_empty() {
                return Err(unauthorised(format!(
                    "the signature covers the header `{header}`, which the request does not have"
                )));
            }
            values.join(", ")
        }
    };
    Ok(value)
}

/// The signature base (RFC 9421 §2.5): each covered component's line, then
/// the parameters' line.
pub fn base(components: &[(String, String)], params: &str) -> String {
    let mut base = String::new();
    for (name, value) in components {
        base.push_str(&format!("\"{name}\": {value}\n"));
    }
    base.push_str(&format!("\"@signature-params\": {params}"));
    base
}
