//! The inbox as other servers meet it: the real binary on the loopback, a
//! second server (run by the test) whose actors follow it, and every
//! request signed by the test itself, apart from the code under test.

use std::time::{Duration, SystemTime};

use common::federation::{federate_env, federate_with, free_port, site_with};
use common::followed::{ACTIVITY, Setup, activity, follow, setup};
use common::remote::{self, MASTODON, Remote, keys, signed, signed_rfc9421};
use common::{Answer, get, post};
use serde_json::{Value, json};

mod common;

#[test]
fn a_follow_from_an_allowed_host_gets_a_signed_accept_and_undo_ends_it() {
    let s = setup("{remote}");
    let site = s.site_actor();
    let following = follow(&s.remote, "alice", 1, &site);
    let answer = s.deliver(&following, "alice");
    assert_eq!(answer.status, 202, "{}", answer.body);

    let accept = s.remote.wait_for("Accept");
    assert_eq!(accept.path, "/users/alice/inbox");
    let json = accept.json();
    assert_eq!(json["actor"], site);
    assert_eq!(json["object"]["type"], "Follow");
    assert_eq!(json["object"]["id"], following["id"]);
    remote::verify(&accept, &s.key_of("/")).expect("the Accept is signed with the site's key");
    assert_eq!(s.followers("/"), 1);

    // A public profile is followed the same way, at its own inbox; its
    // server-wide inbox is the shared one.
    let priya = format!("{site}profiles/priya-shah/");
    let person = get(s.server.port, "/profiles/priya-shah/", ACTIVITY).json();
    assert_eq!(person["endpoints"]["sharedInbox"], format!("{site}inbox"));
    let own_inbox = person["inbox"].as_str().expect("an inbox");
    let path = own_inbox
        .strip_prefix(site.trim_end_matches('/'))
        .expect("on the site");
    let answer = s.deliver_to(path, &follow(&s.remote, "alice", 2, &priya), "alice");
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert_eq!(s.followers("/profiles/priya-shah/"), 1);

    let undo = activity(&s.remote, "Undo", "/undos/1", "alice", following.clone());
    let answer = s.deliver(&undo, "alice");
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert_eq!(s.followers("/"), 0, "the Undo ended the follow");
    assert_eq!(s.followers("/profiles/priya-shah/"), 1, "only that follow");

    // The same Follow delivered again is taken in but not acted on twice.
    let again = s.deliver(&following, "alice");
    assert_eq!(again.status, 202, "{}", again.body);
    assert_eq!(
        s.followers("/"),
        0,
        "a redelivered Follow is processed once"
    );
}

#[test]
fn a_follow_from_a_host_not_allowed_gets_a_reject() {
    let s = setup("*.gov.uk");
    let following = follow(&s.remote, "alice", 1, &s.site_actor());
    let answer = s.deliver(&following, "alice");
    assert_eq!(answer.status, 202, "{}", answer.body);

    let reject = s.remote.wait_for("Reject");
    assert_eq!(reject.json()["object"]["id"], following["id"]);
    remote::verify(&reject, &s.key_of("/")).expect("the Reject is signed");
    assert_eq!(s.followers("/"), 0);
    assert!(
        s.remote
            .deliveries()
            .iter()
            .all(|d| d.json()["type"] != "Accept"),
        "no Accept"
    );
}

#[test]
fn deliveries_not_signed_by_their_actor_are_refused_with_401() {
    let s = setup("{remote}");
    let site = s.site_actor();
    let now = SystemTime::now();
    let hours = |h: u64| Duration::from_secs(h * 3600);
    let alice = &keys()[0];
    let bob = &keys()[1];
    let body = |n: u32| follow(&s.remote, "alice", n, &site);

    let refused = |answer: Answer, reason: &str| {
        assert_eq!(answer.status, 401, "{reason}: {}", answer.body);
        assert!(
            answer.body.contains(reason),
            "the refusal says {reason:?}: {}",
            answer.body
        );
    };

    // No signature at all.
    let text = body(1).to_string();
    let unsigned: Vec<(String, String)> = vec![
        ("host".into(), s.host.clone()),
        ("date".into(), httpdate::fmt_http_date(now)),
        ("digest".into(), remote::digest(text.as_bytes())),
        ("content-type".into(), ACTIVITY.into()),
    ];
    refused(
        post(s.server.port, "/inbox", &unsigned, text.as_bytes()),
        "signed requests only",
    );

    // The body changed after signing, its digest left as it was.
    let headers = signed(
        alice,
        &format!("{}#main-key", s.remote.actor("alice")),
        &s.host,
        "/inbox",
        text.as_bytes(),
        now,
        MASTODON,
    );
    let altered = body(2).to_string();
    refused(
        post(s.server.port, "/inbox", &headers, altered.as_bytes()),
        "does not match its Digest",
    );

    // The body changed and its digest made again: the signature no longer fits.
    let redigested: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| match n.as_str() {
            "digest" => (n.clone(), remote::digest(altered.as_bytes())),
            _ => (n.clone(), v.clone()),
        })
        .collect();
    refused(
        post(s.server.port, "/inbox", &redigested, altered.as_bytes()),
        "signature does not match",
    );

    // Dated too long ago, or ahead of the clock.
    refused(
        s.deliver_signed(
            "/inbox",
            &body(3),
            alice,
            "alice",
            now - hours(13),
            MASTODON,
        ),
        "twelve hours old",
    );
    refused(
        s.deliver_signed("/inbox", &body(4), alice, "alice", now + hours(2), MASTODON),
        "hour ahead",
    );

    // Date or host left out of what is signed.
    refused(
        s.deliver_signed(
            "/inbox",
            &body(5),
            alice,
            "alice",
            now,
            &["(request-target)", "host", "digest"],
        ),
        "leaves out date",
    );
    refused(
        s.deliver_signed(
            "/inbox",
            &body(6),
            alice,
            "alice",
            now,
            &["(request-target)", "date", "digest"],
        ),
        "leaves out host",
    );

    // Signed by bob, for alice.
    refused(
        s.deliver_signed("/inbox", &body(7), bob, "bob", now, MASTODON),
        "but http://localhost",
    );
    // Named as alice's key, made with bob's.
    refused(
        s.deliver_signed("/inbox", &body(8), bob, "alice", now, MASTODON),
        "signature does not match",
    );
    // Signed by alice, rightly, but for another server, and replayed here.
    let text = body(10).to_string();
    let elsewhere = signed(
        alice,
        &format!("{}#main-key", s.remote.actor("alice")),
        "directory.other.example",
        "/inbox",
        text.as_bytes(),
        now,
        MASTODON,
    );
    refused(
        post(s.server.port, "/inbox", &elsewhere, text.as_bytes()),
        "addressed to directory.other.example, not to this server",
    );
    assert_eq!(s.followers("/"), 0, "nothing refused was acted on");

    // Signed by alice, dated two hours ago (a delivery from a retry queue):
    // taken in.
    let answer = s.deliver_signed("/inbox", &body(9), alice, "alice", now - hours(2), MASTODON);
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert_eq!(s.followers("/"), 1);
}

#[test]
fn activities_speaking_for_another_host_are_refused() {
    let s = setup("{remote}");
    let site = s.site_actor();
    let elsewhere = format!("http://localhost:{}", free_port());

    // The activity's id is on another host (here, another port) than its actor.
    let mut spoofed = follow(&s.remote, "alice", 1, &site);
    spoofed["id"] = format!("{elsewhere}/follows/1").into();
    let answer = s.deliver(&spoofed, "alice");
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(
        answer.body.contains("another host than its actor"),
        "{}",
        answer.body
    );

    // A Delete or Update of an object that lives on another server.
    for (kind, object) in [
        ("Delete", format!("{site}profiles/priya-shah/")),
        ("Update", format!("{elsewhere}/users/carol")),
    ] {
        let changing = activity(
            &s.remote,
            kind,
            &format!("/{kind}/1"),
            "alice",
            json!({"id": object, "type": "Person"}),
        );
        let answer = s.deliver(&changing, "alice");
        assert_eq!(answer.status, 403, "{kind}: {}", answer.body);
        assert!(
            answer.body.contains("only its own server"),
            "{}",
            answer.body
        );
    }

    // An Undo of bob's Follow, sent by alice.
    let bobs = follow(&s.remote, "bob", 1, &site);
    let undo = activity(&s.remote, "Undo", "/undos/2", "alice", bobs);
    let answer = s.deliver(&undo, "alice");
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(s.followers("/"), 0);
}

#[test]
fn a_body_or_an_actor_over_a_mebibyte_is_not_read() {
    let s = setup("{remote}");
    let mut large = follow(&s.remote, "alice", 1, &s.site_actor());
    large["summary"] = "x".repeat(1536 * 1024).into();
    let answer = s.deliver(&large, "alice");
    assert_eq!(answer.status, 413, "{}", answer.body);

    // An actor whose document is over 1 MiB is abandoned.
    let from_huge = follow(&s.remote, "huge", 1, &s.site_actor());
    let answer = s.deliver_signed(
        "/inbox",
        &from_huge,
        &keys()[0],
        "huge",
        SystemTime::now(),
        MASTODON,
    );
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(answer.body.contains("larger than"), "{}", answer.body);
    assert_eq!(s.followers("/"), 0);
}

#[test]
fn a_join_of_an_event_is_answered_with_ignore() {
    let s = setup("{remote}");
    let event = format!("{}events/housing-open-day/", s.site_actor());
    let join = activity(&s.remote, "Join", "/joins/1", "alice", event.into());
    let answer = s.deliver(&join, "alice");
    assert_eq!(answer.status, 202, "{}", answer.body);
    let ignore = s.remote.wait_for("Ignore");
    assert_eq!(ignore.json()["object"]["id"], join["id"]);
    remote::verify(&ignore, &s.key_of("/")).expect("the Ignore is signed");

    let mut unknown = join.clone();
    unknown["id"] = s.remote.url("/joins/2").into();
    unknown["object"] = format!("{}events/no-such-event/", s.site_actor()).into();
    assert_eq!(s.deliver(&unknown, "alice").status, 404);
}

#[test]
fn outside_local_mode_internal_addresses_are_never_fetched() {
    let remote = Remote::start();
    let port = free_port();
    let site = site_with("https://directory.example.gov.uk", "allow = [\"*\"]");
    let server = federate_with(site.path(), port, &[]);
    let host = "directory.example.gov.uk";

    let deliver_from = |actor: &str| {
        let origin = url_origin(actor);
        let activity = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{origin}/follows/1"),
            "type": "Follow",
            "actor": actor,
            "object": format!("https://{host}/"),
        });
        let body = activity.to_string();
        let headers = signed(
            &keys()[0],
            &format!("{actor}#main-key"),
            host,
            "/inbox",
            body.as_bytes(),
            SystemTime::now(),
            MASTODON,
        );
        post(server.port, "/inbox", &headers, body.as_bytes())
    };

    for actor in [
        "https://localhost/users/alice".to_string(),
        "https://127.0.0.1/users/alice".to_string(),
        "https://10.0.0.1/users/alice".to_string(),
        "https://169.254.169.254/latest/meta-data".to_string(),
        "https://[::1]/users/alice".to_string(),
        "https://100.64.0.1/users/alice".to_string(),
        // The remote server itself: plain http, on a port of the loopback.
        remote.actor("alice"),
    ] {
        let answer = deliver_from(&actor);
        assert_eq!(answer.status, 400, "{actor}: {}", answer.body);
        assert!(answer.body.contains("refused"), "{actor}: {}", answer.body);
    }
    assert!(
        remote.fetches().is_empty(),
        "nothing was fetched from the loopback: {:?}",
        remote.fetches()
    );
}

/// `scheme://host[:port]` of a URL written in a test.
fn url_origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.split('/').next().expect("a host");
    format!("{scheme}://{host}")
}

#[test]
fn every_activity_other_servers_sent_is_taken_in_or_refused_never_failed() {
    let s = setup("{remote}");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("federation/tests/fixtures/activitypub");
    let mut files = Vec::new();
    let mut folders = vec![fixtures];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("the ActivityPub samples") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.to_string_lossy().contains("/activities/") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 60, "{} activity samples", files.len());

    let mut taken_in = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a sample");
        let json: Value = serde_json::from_str(&text).expect("JSON");
        let Some(actor) = json["actor"].as_str().or(json["actor"]["id"].as_str()) else {
            continue; // not an activity (a bare Note): refused when read
        };
        // The sample as its server would send it here: its host is the
        // remote server's, and the remote signs it as its actor.
        let origin = url_origin(actor);
        let replayed = text.replace(&origin, &s.remote.url(""));
        let activity: Value = serde_json::from_str(&replayed).expect("JSON");
        let actor = activity["actor"]
            .as_str()
            .or(activity["actor"]["id"].as_str())
            .expect("an actor")
            .to_string();
        let headers = signed(
            &keys()[0],
            &format!("{actor}#main-key"),
            &s.host,
            "/inbox",
            replayed.as_bytes(),
            SystemTime::now(),
            MASTODON,
        );
        let answer = post(s.server.port, "/inbox", &headers, replayed.as_bytes());
        let name = file.display();
        assert!(
            [202, 400, 403, 404].contains(&answer.status),
            "{name}: {} {}",
            answer.status,
            answer.body
        );
        if answer.status == 202 {
            taken_in += 1;
        } else {
            assert!(
                !answer.body.is_empty(),
                "{name}: a refusal gives its reason"
            );
        }
    }
    assert!(taken_in >= 55, "most samples are taken in ({taken_in})");
}

#[test]
fn a_failed_delivery_is_tried_again_after_a_restart_and_a_refused_one_is_not() {
    let remote = Remote::start();
    let port = free_port();
    let site = site_with(
        &format!("http://localhost:{port}"),
        &format!("allow = [\"localhost:{}\"]", remote.port),
    );
    // Failed deliveries are tried again after a second, then two, …
    let retry = [("INTERCHANGE_FIRST_RETRY", "1")];
    let flags = ["--insecure-local"];
    let server = federate_env(site.path(), port, &flags, &retry);
    let s = Setup {
        remote,
        server,
        host: format!("localhost:{port}"),
        site,
    };

    // The follower's server is down (503) for the first two deliveries of
    // the Accept.
    s.remote.answer_next("Accept", &[503, 503]);
    let following = follow(&s.remote, "alice", 1, &s.site_actor());
    assert_eq!(s.deliver(&following, "alice").status, 202);
    s.remote
        .wait_until(|d| d.status == 503, "a first, failed, delivery");

    // The directory's server stops with the Accept still pending, and
    // starts again: the Accept is delivered all the same.
    let Setup {
        remote,
        server,
        host,
        site,
    } = s;
    drop(server);
    let server = federate_env(site.path(), port, &flags, &retry);
    let s = Setup {
        remote,
        server,
        host,
        site,
    };
    let accept = s.remote.wait_for("Accept");
    assert_eq!(accept.json()["object"]["id"], following["id"]);
    let tries = s
        .remote
        .deliveries()
        .iter()
        .filter(|d| d.json()["object"]["id"] == following["id"])
        .map(|d| d.status)
        .collect::<Vec<_>>();
    assert_eq!(tries, [503, 503, 202], "tried until it was taken in");

    // A delivery refused with a 4xx is not tried again.
    s.remote.answer_next("Accept", &[400]);
    let refused = follow(&s.remote, "bob", 1, &s.site_actor());
    assert_eq!(s.deliver(&refused, "bob").status, 202);
    s.remote
        .wait_until(|d| d.status == 400, "the refused delivery");
    // Long enough for two retries, had there been any.
    std::thread::sleep(Duration::from_secs(4));
    let tries = s
        .remote
        .deliveries()
        .iter()
        .filter(|d| d.json()["object"]["id"] == refused["id"])
        .count();
    assert_eq!(tries, 1, "a refused delivery is not retried");
}

#[test]
fn a_server_that_answers_only_signed_fetches_can_follow_us() {
    let s = setup("{remote}");
    let site = s.site_actor();
    // Its actor is served only to a signed GET.
    let following = follow(&s.remote, "secure-alice", 1, &site);
    let answer = s.deliver(&following, "secure-alice");
    assert_eq!(answer.status, 202, "{}", answer.body);
    let accept = s.remote.wait_for("Accept");
    assert_eq!(accept.path, "/users/secure-alice/inbox");
    assert_eq!(s.followers("/"), 1);

    // The fetch of its actor was signed by the instance actor, which
    // NodeInfo links to, as Mastodon signs.
    let links = get(s.server.port, "/.well-known/nodeinfo", "application/json").json();
    let instance_actor = links["links"]
        .as_array()
        .expect("links")
        .iter()
        .find(|l| l["rel"] == "https://www.w3.org/ns/activitystreams#Application")
        .and_then(|l| l["href"].as_str())
        .expect("NodeInfo links the instance actor")
        .to_string();
    assert_eq!(instance_actor, format!("{site}actor/"));
    let application = get(s.server.port, "/actor/", ACTIVITY).json();
    assert_eq!(application["type"], "Application");
    let fetch = s
        .remote
        .gets()
        .into_iter()
        .find(|g| g.path == "/users/secure-alice")
        .expect("its actor was fetched");
    let signature = fetch.headers.get("signature").expect("a signed fetch");
    assert!(
        signature.contains(&format!("keyId=\"{instance_actor}#main-key\""))
            && signature.contains("algorithm=\"rsa-sha256\"")
            && !signature.contains("(created)"),
        "over dated headers, as Mastodon signs: {signature}"
    );
    remote::verify_fetch(&fetch, &s.key_of("/actor/"))
        .expect("the fetch verifies with the instance actor's key");
}

/// A server that answers the signed fetch of its actor with 401 (it does
/// not know this one yet, or is down for maintenance behind a gate) is
/// told to try again (5xx), not that its Follow is bad (4xx, dropped).
#[test]
fn a_follow_whose_actor_cannot_be_fetched_for_now_is_to_be_retried() {
    let s = setup("{remote}");
    let answer = s.deliver(
        &follow(&s.remote, "locked-alice", 1, &s.site_actor()),
        "locked-alice",
    );
    assert_eq!(answer.status, 502, "{}", answer.body);
    assert!(answer.body.contains("401"), "{}", answer.body);
    assert!(answer.body.contains("try again"), "{}", answer.body);
    assert_eq!(s.followers("/"), 0);
}

/// RFC 9421 (HTTP Message Signatures), as Mastodon 4.5 and Fedify send it,
/// is taken like the draft; one made for another server's inbox, or over
/// another body, is not.
#[test]
fn a_follow_signed_by_rfc_9421_is_accepted_and_bound_to_this_server() {
    let s = setup("{remote}");
    let site = s.site_actor();
    let following = follow(&s.remote, "alice", 1, &site);
    let body = following.to_string();
    let key_id = format!("{}#main-key", s.remote.actor("alice"));
    let here = format!("http://{}", s.host);
    let sent_here = |signed_for: &str, body: &[u8]| {
        let mut headers = signed_rfc9421(
            &keys()[0],
            &key_id,
            signed_for,
            "/inbox",
            body,
            SystemTime::now(),
        );
        headers.push(("host".into(), s.host.clone()));
        post(s.server.port, "/inbox", &headers, body)
    };

    let replayed = sent_here("http://other.example", body.as_bytes());
    assert_eq!(replayed.status, 401, "{}", replayed.body);
    let mut changed = following.clone();
    changed["id"] = json!(s.remote.url("/follows/alice/2"));
    let mut headers = signed_rfc9421(
        &keys()[0],
        &key_id,
        &here,
        "/inbox",
        body.as_bytes(),
        SystemTime::now(),
    );
    headers.push(("host".into(), s.host.clone()));
    let tampered = post(
        s.server.port,
        "/inbox",
        &headers,
        changed.to_string().as_bytes(),
    );
    assert_eq!(tampered.status, 401, "{}", tampered.body);
    assert!(
        tampered.body.contains("Content-Digest"),
        "{}",
        tampered.body
    );
    assert_eq!(s.followers("/"), 0);

    let answer = sent_here(&here, body.as_bytes());
    assert_eq!(answer.status, 202, "{}", answer.body);
    s.remote.wait_for("Accept");
    assert_eq!(s.followers("/"), 1);
}

/// A server that takes RFC 9421 only answers the draft with 401: the
/// `Accept` is sent again signed by RFC 9421, which verifies, and that
/// host is sent RFC 9421 first from then on.
#[test]
fn a_host_that_refuses_the_draft_is_sent_rfc_9421_and_remembered() {
    let s = setup("{remote}");
    let site = s.site_actor();
    let origin = format!("http://localhost:{}", s.remote.port);
    let taken = |who: &'static str| {
        move |d: &remote::Delivery| {
            d.status == 202
                && d.path == format!("/users/{who}/inbox")
                && d.json()["type"] == "Accept"
        }
    };
    let answer = s.deliver(&follow(&s.remote, "strict-alice", 1, &site), "strict-alice");
    assert_eq!(answer.status, 202, "{}", answer.body);
    let accepted = s
        .remote
        .wait_until(taken("strict-alice"), "the Accept taken");
    remote::verify_rfc9421(&accepted, &origin, &s.key_of("/"))
        .expect("the Accept verifies by RFC 9421 with the site's key");
    let knocks: Vec<_> = s
        .remote
        .deliveries()
        .into_iter()
        .filter(|d| d.path == "/users/strict-alice/inbox")
        .collect();
    assert_eq!(knocks.len(), 2, "the draft, then RFC 9421");
    assert_eq!(knocks[0].status, 401);
    assert!(!knocks[0].headers.contains_key("signature-input"));

    let answer = s.deliver(&follow(&s.remote, "strict-carol", 1, &site), "strict-carol");
    assert_eq!(answer.status, 202, "{}", answer.body);
    s.remote
        .wait_until(taken("strict-carol"), "the second Accept taken");
    let refused: Vec<_> = s
        .remote
        .deliveries()
        .into_iter()
        .filter(|d| d.path == "/users/strict-carol/inbox" && d.status == 401)
        .collect();
    assert!(refused.is_empty(), "the host's standard was remembered");
}
