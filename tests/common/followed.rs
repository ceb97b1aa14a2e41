//! A directory in local mode and a remote server (run by the test) whose
//! actors follow it, every request signed by the test itself, apart from
//! the code under test.

use std::time::SystemTime;

use serde_json::{Value, json};

use super::federation::{federate, free_port, site_with};
use super::remote::{self, MASTODON, Remote, keys, signed};
use super::{Answer, Server, get, post};

/// The content type of ActivityPub documents.
pub const ACTIVITY: &str = "application/activity+json";

/// A directory and a remote server that may or may not be allowed.
pub struct Setup {
    /// The remote server.
    pub remote: Remote,
    /// The directory's server.
    pub server: Server,
    /// `localhost:{port}` of the directory.
    pub host: String,
    /// The directory's folder.
    pub site: tempfile::TempDir,
}

/// A directory in local mode whose `allow` is `allow`, with `{remote}`
/// standing for the remote server's `localhost:{port}`.
pub fn setup(allow: &str) -> Setup {
    let remote = Remote::start();
    let port = free_port();
    let allow = allow.replace("{remote}", &format!("localhost:{}", remote.port));
    let site = site_with(
        &format!("http://localhost:{port}"),
        &format!("allow = [\"{allow}\"]"),
    );
    let server = federate(site.path(), port);
    Setup {
        remote,
        server,
        host: format!("localhost:{port}"),
        site,
    }
}

impl Setup {
    /// The site actor's id.
    pub fn site_actor(&self) -> String {
        format!("http://{}/", self.host)
    }

    /// Delivers `activity` to the shared inbox, signed now by `who`.
    pub fn deliver(&self, activity: &Value, who: &str) -> Answer {
        self.deliver_to("/inbox", activity, who)
    }

    /// Delivers `activity` to the inbox at `path`, signed now by `who`.
    pub fn deliver_to(&self, path: &str, activity: &Value, who: &str) -> Answer {
        let key = if who == "bob" { &keys()[1] } else { &keys()[0] };
        self.deliver_signed(path, activity, key, who, SystemTime::now(), MASTODON)
    }

    /// Delivers `activity` to the inbox at `path`, signed with `key` as
    /// `who`'s key, dated `date`, over `covered`.
    pub fn deliver_signed(
        &self,
        path: &str,
        activity: &Value,
        key: &remote::Key,
        who: &str,
        date: SystemTime,
        covered: &[&str],
    ) -> Answer {
        let body = activity.to_string();
        let headers = signed(
            key,
            &format!("{}#main-key", self.remote.actor(who)),
            &self.host,
            path,
            body.as_bytes(),
            date,
            covered,
        );
        post(self.server.port, path, &headers, body.as_bytes())
    }

    /// The headers and body of `activity` signed now for the shared
    /// inbox, with the key of every actor but bob, as its `actor`: to be
    /// sent later, many at a time.
    pub fn signed_for_inbox(&self, activity: &Value) -> (Vec<(String, String)>, Vec<u8>) {
        let actor = activity["actor"].as_str().expect("an actor");
        let body = activity.to_string().into_bytes();
        let headers = signed(
            &keys()[0],
            &format!("{actor}#main-key"),
            &self.host,
            "/inbox",
            &body,
            SystemTime::now(),
            MASTODON,
        );
        (headers, body)
    }

    /// How many follow the actor at `path`.
    pub fn followers(&self, path: &str) -> u64 {
        get(self.server.port, &format!("{path}followers"), ACTIVITY).json()["totalItems"]
            .as_u64()
            .expect("a count")
    }

    /// The public key of the actor at `path`.
    pub fn key_of(&self, path: &str) -> String {
        get(self.server.port, path, ACTIVITY).json()["publicKey"]["publicKeyPem"]
            .as_str()
            .expect("a key")
            .to_string()
    }
}

/// An activity of `kind` by `who` about `object`, at `path` on the remote.
pub fn activity(remote: &Remote, kind: &str, path: &str, who: &str, object: Value) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": remote.url(path),
        "type": kind,
        "actor": remote.actor(who),
        "object": object,
    })
}

/// A Follow of `object` by `who`, numbered `n`.
pub fn follow(remote: &Remote, who: &str, n: u32, object: &str) -> Value {
    activity(
        remote,
        "Follow",
        &format!("/follows/{who}/{n}"),
        who,
        object.into(),
    )
}
