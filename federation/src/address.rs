//! Which server an address is on: what the rules that keep each server to
//! its own actors and objects compare.

use url::Url;

/// `host[:port]` of `url`, lower-cased, as the `Host` header and handles
/// give it.
pub fn authority(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}
