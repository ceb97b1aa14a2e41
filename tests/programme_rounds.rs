//! A programme with members in two directories, run by the one that owns
//! it: two `interchange federate --insecure-local` processes on the
//! loopback that follow each other. A runs its programme's round over its
//! own member and B's; the round is published, reaches B's mirror with
//! B's member named as B names them, counts towards the buddies B's people
//! want, and leaves B when A takes the round back.

use std::path::Path;

use common::federation::{federate, free_port, site_with};
use common::followed::ACTIVITY;
use common::{get, interchange, wait_until, write};

mod common;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn a_programmes_round_reaches_its_members_directories_and_counts_there() {
    let (a_port, b_port) = (free_port(), free_port());
    let a = site_with(
        &format!("http://localhost:{a_port}"),
        &format!("follow = [\"http://localhost:{b_port}/\"]\nallow = [\"localhost\"]"),
    );
    write(
        a.path(),
        "content/programmes/graduates.md",
        "---\nname: Graduate buddies\norganisation: acme\nkind: buddies\n---\nFor new starters.\n",
    );
    write(
        a.path(),
        "content/profiles/sam-okoro.md",
        "---\nname: Sam Okoro\nrole: Graduate\norganisation: acme\npolicy_areas: [housing]\nopen_to: [buddy]\nprogrammes: [graduates]\nconsent: 2026-01-01\n---\n",
    );
    let b = tempfile::tempdir().expect("a folder");
    write(
        b.path(),
        "interchange.toml",
        &format!(
            "title = \"Beta\"\nbase_url = \"http://localhost:{b_port}\"\norganisations = [\"beta-trust\"]\n\n[federation]\nhandle = \"beta\"\ndatabase = \"sqlite://federation.sqlite\"\nfollow = [\"http://localhost:{a_port}/\"]\nallow = [\"localhost\"]\n"
        ),
    );
    write(
        b.path(),
        "content/organisations/beta-trust.md",
        "---\nname: Beta NHS Trust\nsector: nhs\n---\n",
    );
    write(
        b.path(),
        "content/profiles/tom-young.md",
        &format!(
            "---\nname: Tom Young\nrole: Graduate\norganisation: beta-trust\npolicy_areas: [housing]\nopen_to: [buddy]\nprogrammes: [localhost:{a_port}/graduates]\nconsent: 2026-01-01\n---\n"
        ),
    );
    let _a_server = federate(a.path(), a_port);
    let _b_server = federate(b.path(), b_port);

    // Each mirrors the other: A has B's member, B has A's programme.
    let a_mirror = a.path().join(format!("mirror/localhost:{b_port}"));
    let b_mirror = b.path().join(format!("mirror/localhost:{a_port}"));
    wait_until("each directory mirroring the other", || {
        a_mirror.join("profiles/tom-young.md").is_file()
            && b_mirror.join("programmes/graduates.md").is_file()
            && b_mirror.join("profiles/sam-okoro.md").is_file()
    });

    // A's round pairs its member with B's; B cannot run A's programme.
    let a_root = a.path().to_str().expect("UTF-8");
    let made = interchange(&[
        "match",
        "buddies",
        "--root",
        a_root,
        "--programme",
        "graduates",
        "--month",
        "2027-01",
    ]);
    let said = String::from_utf8_lossy(&made.stdout);
    assert!(
        made.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(
        said.contains("Sam Okoro") && said.contains("Tom Young"),
        "{said}"
    );
    let b_root = b.path().to_str().expect("UTF-8");
    let refused = interchange(&[
        "match",
        "buddies",
        "--root",
        b_root,
        "--programme",
        &format!("localhost:{a_port}/graduates"),
        "--month",
        "2027-01",
    ]);
    assert!(!refused.status.success());

    // Published: the round at its address names both by their actors.
    let address = "/programmes/graduates/rounds/2027-01/";
    wait_until("the round served by A", || {
        get(a_port, address, ACTIVITY).status == 200
    });
    let round = get(a_port, address, ACTIVITY).json();
    assert_eq!(round["type"], "Page");
    assert_eq!(round["roundMonth"], "2027-01");
    assert_eq!(
        round["roundOf"],
        format!("http://localhost:{a_port}/programmes/graduates/")
    );
    let members = round["groups"][0]["members"].to_string();
    assert!(
        members.contains(&format!("http://localhost:{a_port}/profiles/sam-okoro/"))
            && members.contains(&format!("http://localhost:{b_port}/profiles/tom-young/")),
        "{round}"
    );

    // B keeps it, with its own member named as B names him.
    let kept = b_mirror.join("rounds/graduates/2027-01.yaml");
    wait_until("the round in B's mirror", || kept.is_file());
    let text = read(&kept);
    let pair = text
        .lines()
        .find(|l| l.starts_with("- pair: "))
        .unwrap_or_default();
    let mut members: Vec<&str> = pair
        .trim_start_matches("- pair: [")
        .trim_end_matches(']')
        .split(", ")
        .collect();
    members.sort_unstable();
    let tom = format!("localhost:{b_port}/tom-young");
    assert_eq!(members, [tom.as_str(), "sam-okoro"], "{text}");
    assert!(
        text.contains(&format!(
            "origin: http://localhost:{a_port}/programmes/graduates/rounds/2027-01/"
        )),
        "{text}"
    );

    // Tom wants one buddy a month and has his January one: B's own round
    // leaves him out, and Sam.
    let own = interchange(&[
        "match",
        "buddies",
        "--root",
        b_root,
        "--month",
        "2027-01",
        "--dry-run",
    ]);
    let said = String::from_utf8_lossy(&own.stdout);
    assert!(
        said.contains("2 more already have as many buddies this month as they asked for"),
        "{said}{}",
        String::from_utf8_lossy(&own.stderr)
    );

    // A takes the round back: it leaves B.
    std::fs::remove_file(a.path().join("rounds/graduates/2027-01.yaml")).expect("removed");
    wait_until("the round gone from B", || !kept.exists());
    assert_eq!(get(a_port, address, ACTIVITY).status, 410);
}
