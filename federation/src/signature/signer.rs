//! Signing what this server sends: deliveries and fetches, in either
//! standard. The private key is ring's: an RSA signature per request is
//! most of the cost of a fetch, and ring makes one three times faster than
//! the `rsa` crate.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use url::Url;

use super::rfc9421::{self, ALGORITHM};
use crate::address::authority;
use crate::error::FederationError;

/// The two standards of HTTP signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    /// draft-cavage, in the form Mastodon sends: `rsa-sha256` over
    /// `(request-target) host date` and, with a body, `digest`. Every
    /// server reads it.
    Cavage,
    /// RFC 9421, over `@method`, `@target-uri`, `@authority`, `date` and,
    /// with a body, `content-digest`.
    Rfc9421,
}

impl Standard {
    /// Its name, as the store keeps it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Cavage => "draft-cavage",
            Self::Rfc9421 => "rfc9421",
        }
    }

    /// The standard named `name`.
    pub fn named(name: &str) -> Option<Self> {
        [Self::Cavage, Self::Rfc9421]
            .into_iter()
            .find(|s| s.name() == name)
    }

    /// The other standard: the one to try when a host refuses this one.
    pub fn other(self) -> Self {
        match self {
            Self::Cavage => Self::Rfc9421,
            Self::Rfc9421 => Self::Cavage,
        }
    }
}

/// The headers that sign a request, to add to it.
#[derive(Debug, Clone)]
pub struct Signed {
    /// Each header's name and value.
    pub headers: Vec<(&'static str, String)>,
}

/// An actor's private key, ready to sign with.
pub struct Signer {
    key_id: String,
    key: RsaKeyPair,
    random: SystemRandom,
}

impl std::fmt::Debug for Signer {
    // The private key is never written out, not even to a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("key_id", &self.key_id)
            .finish()
    }
}

impl Signer {
    /// The key `key_id`, from its private half in PKCS#8 PEM.
    pub fn new(key_id: String, private_pem: &str) -> Result<Self, FederationError> {
        let der = super::pem_body(private_pem)
            .ok_or_else(|| FederationError::Keys(format!("the key {key_id} is not PEM")))?;
        let key = RsaKeyPair::from_pkcs8(&der).map_err(|e| {
            FederationError::Keys(format!("the key {key_id} is not an RSA key: {e}"))
        })?;
        Ok(Self {
            key_id,
            key,
            random: SystemRandom::new(),
        })
    }

    /// The id of its key, as signatures name it.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The headers signing a request of `method` to `url`, with `body`,
    /// made at `now`, by `standard`.
    pub fn sign(
        &self,
        standard: Standard,
        method: &str,
        url: &Url,
        body: Option<&[u8]>,
        now: SystemTime,
    ) -> Result<Signed, FederationError> {
        let date = httpdate::fmt_http_date(now);
        let host = authority(url)
            .ok_or_else(|| FederationError::Config(format!("{url} has no host to sign for")))?;
        match standard {
            Standard::Cavage => self.cavage(method, url, host, date, body),
            Standard::Rfc9421 => self.rfc9421(method, url, host, date, body, now),
        }
    }

    fn cavage(
        &self,
        method: &str,
        url: &Url,
        host: String,
        date: String,
        body: Option<&[u8]>,
    ) -> Result<Signed, FederationError> {
        let target = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        };
        let mut signing = format!(
            "(request-target): {} {target}\nhost: {host}\ndate: {date}",
            method.to_ascii_lowercase()
        );
        let mut names = "(request-target) host date";
        let mut headers = vec![("host", host), ("date", date)];
        if let Some(body) = body {
            let digest = super::digest(body);
            signing.push_str(&format!("\ndigest: {digest}"));
            names = "(request-target) host date digest";
            headers.push(("digest", digest));
        }
        let signature = BASE64.encode(self.signature(signing.as_bytes())?);
        headers.push((
            "signature",
            format!(
                "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"{names}\",signature=\"{signature}\"",
                self.key_id
            ),
        ));
        Ok(Signed { headers })
    }

    fn rfc9421(
        &self,
        method: &str,
        url: &Url,
        host: String,
        date: String,
        body: Option<&[u8]>,
        now: SystemTime,
    ) -> Result<Signed, FederationError> {
        let mut components = vec![
            ("@method".to_string(), method.to_ascii_uppercase()),
            ("@target-uri".to_string(), url.to_string()),
            ("@authority".to_string(), host.clone()),
            ("date".to_string(), date.clone()),
        ];
        let mut headers = vec![("host", host), ("date", date)];
        if let Some(body) = body {
            let digest = super::content_digest(body);
            components.push(("content-digest".to_string(), digest.clone()));
            headers.push(("content-digest", digest));
        }
        let created = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let params = self.params(&components, created)?;
        let signature = self.signature(rfc9421::base(&components, &params).as_bytes())?;
        headers.push(("signature-input", format!("sig1={params}")));
        headers.push(("signature", format!("sig1=:{}:", BASE64.encode(signature))));
        Ok(Signed { headers })
    }

    /// The signature parameters: the components covered, when, by which key.
    fn params(
        &self,
        components: &[(String, String)],
        created: i64,
    ) -> Result<String, FederationError> {
        let invalid = |e: sfv::Error| {
            FederationError::Keys(format!("cannot write the signature's parameters: {e}"))
        };
        let mut list = sfv::ListSerializer::new();
        {
            let mut inner = list.inner_list();
            for (name, _) in components {
                inner.bare_item(sfv::StringRef::from_str(name).map_err(invalid)?);
            }
            inner
                .finish()
                .parameter(
                    sfv::key_ref("created"),
                    sfv::Integer::try_from(created).map_err(invalid)?,
                )
                .parameter(
                    sfv::key_ref("keyid"),
                    sfv::StringRef::from_str(&self.key_id).map_err(invalid)?,
                )
                .parameter(
                    sfv::key_ref("alg"),
                    sfv::StringRef::from_str(ALGORITHM).map_err(invalid)?,
                );
        }
        list.finish()
            .ok_or_else(|| FederationError::Keys("the signature covers nothing".into()))
    }

    /// The RSA signature (PKCS#1 v1.5, SHA-256) of `message`.
    fn signature(&self, message: &[u8]) -> Result<Vec<u8>, FederationError> {
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &self.random, message, &mut signature)
            .map_err(|_| FederationError::Keys(format!("cannot sign with {}", self.key_id)))?;
        Ok(signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::{Request, Signature};
    use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};

    /// A key pair as the store makes them.
    fn keys() -> (String, String) {
        let pair =
            activitypub_federation::http_signatures::generate_actor_keypair().expect("a key pair");
        (pair.public_key, pair.private_key)
    }

    fn headers_of(signed: &Signed) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in &signed.headers {
            headers.append(
                HeaderName::from_static(name),
                HeaderValue::from_str(value).expect("a header value"),
            );
        }
        headers
    }

    /// What this server signs, in either standard, its own inbox reads and
    /// verifies; a request sent to another host, or changed, does not.
    #[test]
    fn both_standards_sign_what_the_inbox_verifies() {
        let (public, private) = keys();
        let signer = Signer::new("https://a.example/#main-key".into(), &private).expect("a key");
        let url = Url::parse("https://b.example/inbox").expect("a URL");
        let body = br#"{"type":"Follow"}"#;
        let now = SystemTime::now();
        let method = Method::POST;
        let uri: Uri = "/inbox".parse().expect("a URI");
        for standard in [Standard::Cavage, Standard::Rfc9421] {
            let signed = signer
                .sign(standard, "POST", &url, Some(body), now)
                .expect("signed");
            let headers = headers_of(&signed);
            let request = Request {
                method: &method,
                uri: &uri,
                headers: &headers,
                origin: "https://b.example",
            };
            let signature = Signature::read(&request, now).expect("readable");
            assert_eq!(signature.key_id(), "https://a.example/#main-key");
            assert!(signature.verify(&public), "{standard:?} verifies");
            signature
                .check_body(&headers, body)
                .expect("the body matches");
            assert!(
                signature.check_body(&headers, b"{}").is_err(),
                "{standard:?}"
            );

            // Replayed to another server, or with another key.
            let elsewhere = Request {
                origin: "https://c.example",
                ..request
            };
            let replayed = Signature::read(&elsewhere, now).expect("readable");
            if standard == Standard::Rfc9421 {
                assert!(!replayed.verify(&public), "bound to its target");
            }
            let (other, _) = keys();
            assert!(!signature.verify(&other), "{standard:?} with another key");
        }
        // A signature from long ago is refused before any key is fetched.
        let old = now - std::time::Duration::from_secs(13 * 60 * 60);
        let signed = signer
            .sign(Standard::Rfc9421, "POST", &url, Some(body), old)
            .expect("signed");
        let headers = headers_of(&signed);
        let request = Request {
            method: &method,
            uri: &uri,
            headers: &headers,
            origin: "https://b.example",
        };
        let refused = Signature::read(&request, now).err().expect("too old");
        assert!(refused.to_string().contains("twelve hours"), "{refused}");
    }

    fn signature_of(signed: &Signed) -> &str {
        signed
            .headers
            .iter()
            .find(|(name, _)| *name == "signature")
            .map(|(_, value)| value.as_str())
            .expect("a Signature header")
    }

    /// Mastodon's form: `rsa-sha256`, over the headers it signs.
    #[test]
    fn draft_cavage_is_signed_as_mastodon_signs() {
        let (_, private) = keys();
        let signer =
            Signer::new("https://a.example/actor#main-key".into(), &private).expect("a key");
        let url = Url::parse("https://b.example/users/x?page=2").expect("a URL");
        let get = signer
            .sign(Standard::Cavage, "GET", &url, None, SystemTime::now())
            .expect("signed");
        let signature = signature_of(&get);
        assert!(
            signature.contains(r#"algorithm="rsa-sha256""#),
            "{signature}"
        );
        assert!(
            signature.contains(r#"headers="(request-target) host date""#),
            "{signature}"
        );
        let post = signer
            .sign(
                Standard::Cavage,
                "POST",
                &url,
                Some(b"{}"),
                SystemTime::now(),
            )
            .expect("signed");
        let signature = signature_of(&post);
        assert!(
            signature.contains(r#"headers="(request-target) host date digest""#),
            "{signature}"
        );
    }
}
