//! `interchange introduce` against a real mail server on the loopback:
//! aiosmtpd (`tests/smtp/maildir.py`), which writes every message it takes
//! to a Maildir, read back by Python's email package
//! (`tests/smtp/inbox.py`) as a mail reader reads it.
//!
//! Needs `python3` with aiosmtpd (`python3 -m pip install --user
//! aiosmtpd==1.4.6`, which `.ci/run` does). Without it the tests are
//! reported as ignored, with a note saying what is missing, except under
//! CI (`CI` set), where they fail (`common::trials`).

use std::collections::BTreeMap;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Output, Stdio};
use std::time::Duration;

use common::federation::free_port;
use common::{interchange, repository, wait_until, write};
use generator::matching::round::{self, RoundFile};
use serde_json::Value;

mod common;

fn main() -> ExitCode {
    common::trials::run(
        "the introduction tests",
        common::trials::aiosmtpd_missing(),
        vec![
            (
                "every_group_is_introduced_once_and_a_failed_run_is_resumed",
                every_group_is_introduced_once_and_a_failed_run_is_resumed,
            ),
            (
                "a_refused_address_is_reported_and_the_others_are_still_sent",
                a_refused_address_is_reported_and_the_others_are_still_sent,
            ),
        ],
    )
}

const MONTH: &str = "2027-01";

/// One person of the test sites: slug, name, organisation, policy area,
/// email address (none if empty).
type Person = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// Eight people in three organisations of three sectors; one with no
/// email address, one whose name is markup, as an editor may write.
const PEOPLE: &[Person] = &[
    (
        "amira-hussain",
        "Amira Hussain",
        "acme",
        "housing",
        "amira@acme.example.gov.uk",
    ),
    (
        "tom-young",
        "Tom Young",
        "dft",
        "housing",
        "tom@dft.example.gov.uk",
    ),
    (
        "sian-obrien",
        "Siân O'Brien <b>Bold</b>",
        "trust",
        "public-health",
        "sian@trust.example.nhs.uk",
    ),
    ("gareth-jones", "Gareth Jones", "acme", "public-health", ""),
    (
        "priya-shah",
        "Priya Shah",
        "dft",
        "digital-and-data",
        "priya@dft.example.gov.uk",
    ),
    (
        "li-wei",
        "Li Wei",
        "trust",
        "digital-and-data",
        "li@trust.example.nhs.uk",
    ),
    (
        "dev-patel",
        "Dev Patel",
        "acme",
        "transport",
        "dev@acme.example.gov.uk",
    ),
    (
        "ruth-evans",
        "Ruth Evans",
        "trust",
        "transport",
        "ruth@trust.example.nhs.uk",
    ),
];

/// A site of `people` whose mail goes to the loopback on `port`, with its
/// buddy round of [`MONTH`] made.
fn site(port: u16, people: &[Person]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    write(
        root,
        "interchange.toml",
        &format!(
            "title = \"Small directory\"\nbase_url = \"https://small.example.gov.uk\"\norganisations = [\"acme\"]\n\n\
             [email]\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\n\
             from = \"Small directory <buddies@small.example.gov.uk>\"\n\
             reply_to = \"Jo Organiser <organiser@small.example.gov.uk>\"\n"
        ),
    );
    for (slug, name, sector) in [
        ("acme", "Acme Council", "local-government"),
        ("dft", "Department for Things", "central-government"),
        ("trust", "Northmoor NHS Trust", "nhs"),
    ] {
        write(
            root,
            &format!("content/organisations/{slug}.md"),
            &format!("---\nname: {name}\nsector: {sector}\n---\nAbout.\n"),
        );
    }
    for (slug, name, organisation, area, email) in people {
        // Without an email address, a fediverse handle to tell the others.
        let contact = if email.is_empty() {
            format!("contact:\n  fediverse: \"@{slug}@social.example\"\n")
        } else {
            format!("contact:\n  email: {email}\n")
        };
        write(
            root,
            &format!("content/profiles/{slug}.md"),
            &format!(
                "---\nname: \"{name}\"\nrole: Policy Adviser\norganisation: {organisation}\nlocation: Leeds\n\
                 policy_areas: [{area}]\nopen_to: [buddy]\n{contact}consent: 2026-01-01\n---\nAbout.\n"
            ),
        );
    }
    let made = interchange(&[
        "match",
        "buddies",
        "--month",
        MONTH,
        "--root",
        root.to_str().expect("UTF-8"),
    ]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn introduce(root: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "introduce",
        "--month",
        MONTH,
        "--root",
        root.to_str().expect("UTF-8"),
    ];
    args.extend_from_slice(extra);
    interchange(&args)
}

fn round_file(root: &Path) -> RoundFile {
    round::read_file(&root.join(format!("rounds/{MONTH}.yaml"))).expect("the round file")
}

/// aiosmtpd on the loopback, writing to a Maildir; killed when dropped.
struct MailServer {
    child: Child,
}

impl MailServer {
    /// Starts it on `port`, writing to `maildir`; with `limit`, it takes
    /// that many messages and answers every later one with a 451.
    fn start(port: u16, maildir: &Path, limit: Option<usize>) -> Self {
        let mut command = Command::new("python3");
        command
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "maildir.Maildir"])
            .arg(maildir)
            .env("PYTHONPATH", repository().join("tests/smtp"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(limit) = limit {
            command.arg(limit.to_string());
        }
        let child = command.spawn().expect("aiosmtpd starts");
        let server = Self { child };
        wait_until("the mail server to listen", || {
            TcpStream::connect_timeout(
                &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
                Duration::from_millis(200),
            )
            .is_ok()
        });
        server
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every message in `maildir`, as `tests/smtp/inbox.py` reads it.
fn inbox(maildir: &Path) -> Vec<Value> {
    if !maildir.join("new").is_dir() {
        return Vec::new();
    }
    let out = Command::new("python3")
        .arg(repository().join("tests/smtp/inbox.py"))
        .arg(maildir)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

fn email_of(slug: &str) -> Option<&'static str> {
    PEOPLE
        .iter()
        .find(|p| p.0 == slug)
        .map(|p| p.4)
        .filter(|e| !e.is_empty())
}

fn name_of(slug: &str) -> &'static str {
    PEOPLE
        .iter()
        .find(|p| p.0 == slug)
        .map(|p| p.1)
        .expect("a person of the site")
}

/// What HTML shows as `text`.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Checks that each member with an address of each group of the round
/// received the group's one message once, to the group, with both parts
/// naming and linking everyone.
fn check_arrived_once(root: &Path, messages: &[Value]) {
    let round = round_file(root);
    let mut by_recipient: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for message in messages {
        let rcpt = message["rcpt_to"].as_array().expect("recipients");
        assert_eq!(rcpt.len(), 1, "one envelope a recipient: {message}");
        by_recipient
            .entry(rcpt[0].as_str().expect("an address").to_string())
            .or_default()
            .push(message);
    }
    let mut expected = 0;
    for pair in &round.buddies {
        let members = &pair.pair.0;
        let mut ids = Vec::new();
        for member in members {
            let Some(address) = email_of(member) else {
                continue;
            };
            expected += 1;
            let received = by_recipient.get(address).map_or(&[][..], Vec::as_slice);
            assert_eq!(received.len(), 1, "{address} received {}", received.len());
            let message = received[0];
            ids.push(message["message_id"].clone());
            assert_eq!(message["defects"], Value::Array(vec![]), "{message}");
            assert_eq!(message["type"], "multipart/alternative");
            let to: Vec<(String, String)> = message["to"]
                .as_array()
                .expect("To")
                .iter()
                .map(|a| {
                    (
                        a[0].as_str().unwrap_or("").to_string(),
                        a[1].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect();
            let mut wanted: Vec<(String, String)> = members
                .iter()
                .filter_map(|m| Some((name_of(m).to_string(), email_of(m)?.to_string())))
                .collect();
            wanted.sort();
            let mut to_sorted = to.clone();
            to_sorted.sort();
            assert_eq!(to_sorted, wanted, "the To line of {address}'s message");
            assert_eq!(
                message["reply_to"][0][1], "organiser@small.example.gov.uk",
                "replies go to the organiser"
            );
            let parts = message["parts"].as_array().expect("parts");
            let kinds: Vec<&str> = parts.iter().filter_map(|p| p["type"].as_str()).collect();
            assert_eq!(kinds, ["text/plain", "text/html"], "{message}");
            let plain = parts[0]["text"].as_str().expect("text");
            let html = parts[1]["text"].as_str().expect("html");
            for member in members {
                let link = format!("https://small.example.gov.uk/profiles/{member}/");
                assert!(plain.contains(name_of(member)), "{plain}");
                assert!(plain.contains(&link), "{plain}");
                assert!(html.contains(&escaped(name_of(member))), "{html}");
                assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
                let subject = message["subject"].as_str().expect("a subject");
                assert!(subject.contains(name_of(member)), "{subject}");
            }
            assert!(!html.contains("<b>"), "a name's markup is escaped: {html}");
            assert!(plain.contains("30-minute call"), "{plain}");
            assert!(plain.contains("kept private"), "{plain}");
        }
        assert!(
            ids.windows(2).all(|w| w[0] == w[1]),
            "one message to the group: {ids:?}"
        );
    }
    assert_eq!(messages.len(), expected, "no message beyond the groups'");
}

fn every_group_is_introduced_once_and_a_failed_run_is_resumed() {
    let port = free_port();
    let site = site(port, PEOPLE);
    let root = site.path();
    let maildir: PathBuf = root.join("mail");
    let groups = round_file(root).buddies.len();
    assert_eq!(groups, 4, "eight people make four pairs");

    // A dry run prints every message and sends and records nothing: no
    // mail server is even running.
    let dry = introduce(root, &["--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let printed = text(&dry.stdout);
    assert_eq!(
        printed
            .matches("Subject: Your buddy for January 2027")
            .count(),
        groups,
        "{printed}"
    );
    for (_, name, ..) in PEOPLE {
        assert!(printed.contains(name), "{name} in {printed}");
    }
    assert!(
        printed.contains("Gareth Jones (gareth-jones) has no email address"),
        "{printed}"
    );
    assert!(
        !root.join("interchange.db").exists(),
        "a dry run records nothing"
    );

    // The mail server is down: the run fails, saying so, and sends nothing.
    let down = introduce(root, &[]);
    assert!(
        !down.status.success(),
        "a run with no mail server succeeded"
    );
    let said = text(&down.stderr);
    assert!(
        said.contains(&format!("the mail server 127.0.0.1:{port} failed")),
        "{said}"
    );
    assert!(said.contains("run the same command again"), "{said}");

    // It takes three messages, then answers 451: the run stops there.
    let first = MailServer::start(port, &maildir, Some(3));
    let partial = introduce(root, &[]);
    assert!(!partial.status.success(), "a run cut short succeeded");
    assert!(
        text(&partial.stderr).contains("451"),
        "{}",
        text(&partial.stderr)
    );
    assert_eq!(inbox(&maildir).len(), 3);
    drop(first);

    // Working again: the next run sends the rest, and only the rest.
    let _server = MailServer::start(port, &maildir, None);
    let rest = introduce(root, &[]);
    // Every email goes; Gareth's direct message cannot (his server,
    // social.example, does not exist), which is a failure to try again.
    assert!(
        !rest.status.success(),
        "{}\n{}",
        text(&rest.stdout),
        text(&rest.stderr)
    );
    assert!(
        text(&rest.stderr).contains("Gareth Jones (@gareth-jones@social.example): not sent:")
            && text(&rest.stderr).contains("run the same command again later"),
        "{}",
        text(&rest.stderr)
    );
    let report = text(&rest.stdout);
    assert!(report.contains("4 sent now"), "{report}");
    assert!(report.contains("3 sent by an earlier run"), "{report}");
    assert!(
        report.contains("Could not be reached by email (no address in their profile): Gareth Jones (gareth-jones)"),
        "{report}"
    );
    let messages = inbox(&maildir);
    check_arrived_once(root, &messages);
    let gareth = messages
        .iter()
        .find(|m| {
            m["parts"][0]["text"]
                .as_str()
                .is_some_and(|t| t.contains("Gareth Jones"))
        })
        .expect("the message to Gareth's buddy");
    assert!(
        gareth["parts"][0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("We have no email address for Gareth Jones")
                && t.contains("@gareth-jones@social.example")),
        "{gareth}"
    );

    // Run again: nothing is sent twice.
    let again = introduce(root, &[]);
    assert!(
        text(&again.stdout).contains("0 sent now"),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(inbox(&maildir).len(), messages.len());

    // Nor by a dry run after it.
    let dry = introduce(root, &["--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert_eq!(inbox(&maildir).len(), messages.len());
}

fn a_refused_address_is_reported_and_the_others_are_still_sent() {
    let port = free_port();
    let people: Vec<Person> = PEOPLE
        .iter()
        .map(|p| {
            if p.0 == "tom-young" {
                (p.0, p.1, p.2, p.3, "refused.tom@dft.example.gov.uk")
            } else {
                *p
            }
        })
        .collect();
    let site = site(port, &people);
    let root = site.path();
    let maildir = root.join("mail");
    let _server = MailServer::start(port, &maildir, None);

    let run = introduce(root, &[]);
    assert!(
        !run.status.success(),
        "a run with a refused address succeeded"
    );
    let said = text(&run.stderr);
    assert!(
        said.contains("Tom Young <refused.tom@dft.example.gov.uk>: refused")
            && said.contains("550"),
        "{said}"
    );
    // Everyone else with an address got theirs: seven addresses, less Tom's.
    let messages = inbox(&maildir);
    assert_eq!(messages.len(), 6, "{messages:?}");
    assert!(
        messages
            .iter()
            .all(|m| m["rcpt_to"][0] != "refused.tom@dft.example.gov.uk")
    );

    // The refusal is recorded: not tried again, still reported.
    let again = introduce(root, &[]);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("refused by an earlier run"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(inbox(&maildir).len(), 6, "nothing sent twice");
}
