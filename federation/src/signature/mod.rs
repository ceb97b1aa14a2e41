//! HTTP signatures, in both standards servers use: draft-cavage (what
//! Mastodon has signed with since 2017) and RFC 9421 (HTTP Message
//! Signatures, which Mastodon accepts since 4.5 and Fedify sends first).
//! What arrives is read and checked here ([`Signature`]); what this server
//! sends is signed by a [`Signer`].
//!
//! The federation crate checks less than a server open to the world needs:
//! only `digest` must be signed and a Date from the future passes. Here a
//! signature must cover the method, target, host and body, be made within
//! twelve hours past and one hour ahead (the window Mastodon uses, so
//! deliveries from a retry queue still pass), and every failure is a 401
//! that names the fault (a 401 also makes a sender that knocked with one
//! standard try the other).

mod cavage;
mod rfc9421;
mod signer;

use std::time::{Duration, SystemTime};

use axum::http::{HeaderMap, Method, Uri};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256, Sha512};

pub use signer::{Signed, Signer, Standard};

use crate::error::InboxError;

/// How old a signature may be.
pub const PAST: Duration = Duration::from_secs(12 * 60 * 60);
/// How far ahead a signature may be dated (clocks drift).
pub const FUTURE: Duration = Duration::from_secs(60 * 60);

fn unauthorised(reason: impl Into<String>) -> InboxError {
    InboxError::refused(401, reason)
}

/// A request's signature, read and checked in every way that needs no key.
pub enum Signature {
    /// draft-cavage-http-signatures (`Signature: keyId=…,signature=…`).
    Cavage(cavage::Signature),
    /// RFC 9421 (`Signature-Input` and `Signature`).
    Rfc9421(rfc9421::Signature),
}

/// A request as the signature checks see it.
pub struct Request<'a> {
    /// Its method.
    pub method: &'a Method,
    /// Its target, as it arrived (path and query).
    pub uri: &'a Uri,
    /// Its headers.
    pub headers: &'a HeaderMap,
    /// This server's scheme and authority (`https://example.org`): the
    /// target URI a sender signed is this and the path.
    pub origin: &'a str,
}

impl Signature {
    /// Reads the signature of `request`, made at `now`: present, in either
    /// standard, covering what it must, made within the window.
    pub fn read(request: &Request<'_>, now: SystemTime) -> Result<Self, InboxError> {
        if request.headers.contains_key("signature-input") {
            return rfc9421::Signature::read(request, now).map(Self::Rfc9421);
        }
        if !request.headers.contains_key("signature")
            && !request.headers.contains_key("authorization")
        {
            return Err(unauthorised(
                "an inbox takes signed requests only: sign it with HTTP Signatures (RFC 9421, or a draft-cavage `Signature` header with keyId, headers and signature)",
            ));
        }
        cavage::Signature::read(request, now).map(Self::Cavage)
    }

    /// The id of the key it was made with.
    pub fn key_id(&self) -> &str {
        match self {
            Self::Cavage(signature) => signature.key_id(),
            Self::Rfc9421(signature) => signature.key_id(),
        }
    }

    /// Whether it was made with the private half of `public_key_pem`.
    pub fn verify(&self, public_key_pem: &str) -> bool {
        let verified = |signature: &[u8], signed: &[u8]| verify(public_key_pem, signature, signed);
        match self {
            Self::Cavage(signature) => signature.verify(verified),
            Self::Rfc9421(signature) => signature.verify(verified),
        }
    }

    /// The body is the one the signed digest vouches for: `Content-Digest`
    /// under RFC 9421, `Digest` under draft-cavage.
    pub fn check_body(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), InboxError> {
        match self {
            Self::Cavage(_) => check_digest(headers, body),
            Self::Rfc9421(_) => check_content_digest(headers, body),
        }
    }
}

/// An RSA public key in PEM, in either form servers publish: SPKI
/// (`BEGIN PUBLIC KEY`, Mastodon) or PKCS#1 (`BEGIN RSA PUBLIC KEY`,
/// Mobilizon). The base64 is read however it is wrapped: some servers
/// (Smithereen) write it on one line, which strict PEM readers refuse.
pub fn public_key(pem: &str) -> Option<RsaPublicKey> {
    let der = pem_body(pem)?;
    if pem.contains("BEGIN RSA PUBLIC KEY") {
        RsaPublicKey::from_pkcs1_der(&der).ok()
    } else {
        RsaPublicKey::from_public_key_der(&der).ok()
    }
}

/// Whether `signature` is `public_key_pem`'s RSA signature (PKCS#1 v1.5,
/// SHA-256) of `signed`. Checked by ring, eight times faster than the
/// `rsa` crate (every delivery is checked); a key ring refuses (shorter
/// than 2048 bits, as a few old servers have) by the `rsa` crate.
fn verify(public_key_pem: &str, signature: &[u8], signed: &[u8]) -> bool {
    use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
    let Some(der) = pem_body(public_key_pem) else {
        return false;
    };
    let pkcs1 = if public_key_pem.contains("BEGIN RSA PUBLIC KEY") {
        Some(der.as_slice())
    } else {
        rsa::pkcs8::spki::SubjectPublicKeyInfoRef::try_from(der.as_slice())
            .ok()
            .and_then(|info| info.subject_public_key.as_bytes())
    };
    if pkcs1.is_some_and(|key| {
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, key)
            .verify(signed, signature)
            .is_ok()
    }) {
        return true;
    }
    public_key(public_key_pem).is_some_and(|key| {
        key.size() < 256
            && key
                .verify(
                    Pkcs1v15Sign::new::<Sha256>(),
                    &Sha256::digest(signed),
                    signature,
                )
                .is_ok()
    })
}

/// The DER inside a PEM, however its base64 is wrapped.
fn pem_body(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .flat_map(|line| line.chars().filter(|c| !c.is_whitespace()))
        .collect();
    BASE64.decode(body).ok()
}

/// A signature's time, `signed` (from a Date header or `created`), is in
/// the window around `now`.
fn check_time(signed: SystemTime, now: SystemTime, what: &str) -> Result<(), InboxError> {
    if signed > now + FUTURE {
        return Err(unauthorised(format!(
            "{what} is more than an hour ahead: check the sending server's clock"
        )));
    }
    if signed + PAST < now {
        return Err(unauthorised(format!(
            "{what} is more than twelve hours old: sign each delivery afresh"
        )));
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

/// The body is the one the `Content-Digest` header (RFC 9530, signed)
/// vouches for, by SHA-256 or SHA-512.
pub fn check_content_digest(headers: &HeaderMap, body: &[u8]) -> Result<(), InboxError> {
    let header = headers
        .get("content-digest")
        .and_then(|d| d.to_str().ok())
        .ok_or_else(|| {
            unauthorised("a request signed by RFC 9421 needs a Content-Digest header (sha-256=:…:)")
        })?;
    let digests: sfv::Dictionary = sfv::Parser::new(header)
        .parse()
        .map_err(|e| unauthorised(format!("the Content-Digest header cannot be read: {e}")))?;
    let mut known = false;
    for (algorithm, value) in &digests {
        let expected = match algorithm.as_str() {
            "sha-256" => Sha256::digest(body).to_vec(),
            "sha-512" => Sha512::digest(body).to_vec(),
            _ => continue,
        };
        known = true;
        let given = match value {
            sfv::ListEntry::Item(item) => item.bare_item.as_byte_sequence(),
            sfv::ListEntry::InnerList(_) => None,
        };
        if given != Some(expected.as_slice()) {
            return Err(unauthorised(
                "the body does not match its Content-Digest: it was changed after signing",
            ));
        }
    }
    if known {
        Ok(())
    } else {
        Err(unauthorised(
            "the Content-Digest header has no sha-256 or sha-512 value",
        ))
    }
}

/// The `Content-Digest` of `body`, by SHA-256.
pub fn content_digest(body: &[u8]) -> String {
    format!("sha-256=:{}:", BASE64.encode(Sha256::digest(body)))
}

/// The `Digest` of `body`, by SHA-256 (draft-cavage).
pub fn digest(body: &[u8]) -> String {
    format!("SHA-256={}", BASE64.encode(Sha256::digest(body)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::RsaPrivateKey;
    use rsa::pkcs1::EncodeRsaPublicKey;
    use rsa::pkcs8::{EncodePublicKey, LineEnding};

    /// Keys in both forms servers publish, of the usual size and of the
    /// 1024 bits a few old servers still have, verify what they signed,
    /// and only that.
    #[test]
    fn keys_in_every_form_and_size_verify_their_signatures() {
        let signed = b"(request-target): post /inbox";
        for bits in [2048, 1024] {
            let private = RsaPrivateKey::new(&mut rand::thread_rng(), bits).expect("a key");
            let public = RsaPublicKey::from(&private);
            let signature = private
                .sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(signed))
                .expect("signed");
            let spki = public.to_public_key_pem(LineEnding::LF).expect("SPKI");
            let pkcs1 = public.to_pkcs1_pem(LineEnding::LF).expect("PKCS#1");
            // Smithereen's: the base64 on one line.
            let one_line = format!(
                "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----",
                spki.lines()
                    .filter(|l| !l.starts_with("-----"))
                    .collect::<String>()
            );
            for pem in [&spki, &pkcs1, &one_line] {
                assert!(verify(pem, &signature, signed), "{bits} bits: {pem}");
                assert!(!verify(pem, &signature, b"another"), "{bits} bits");
            }
        }
    }
}
