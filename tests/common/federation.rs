//! Sites that federate, and the server started on them.

use std::net::TcpListener;
use std::path::Path;

use super::Server;

/// A port free on the loopback now.
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A site at `http://localhost:{port}` with one organisation and three
/// profiles (one public, one internal, one kept from federation), an
/// event, a consultation and an ask.
pub fn site(port: u16) -> tempfile::TempDir {
    site_with(&format!("http://localhost:{port}"), "")
}

/// The same site at `base_url`, with `federation` added to its
/// `[federation]` table.
pub fn site_with(base_url: &str, federation: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    super::write(
        root,
        "interchange.toml",
        &format!(
            "title = \"Small\"\nbase_url = \"{base_url}\"\norganisations = [\"acme\"]\n\n[federation]\nhandle = \"small\"\ndatabase = \"sqlite://federation.sqlite\"\n{federation}\n"
        ),
    );
    super::write(
        root,
        "content/organisations/acme.md",
        "---\nname: Acme Council\nsector: local-government\n---\nA council.\n",
    );
    let profile = |name: &str, extra: &str| {
        format!(
            "---\nname: {name}\nrole: Housing Adviser\norganisation: acme\npolicy_areas: [housing]\nopen_to: [buddy, coffee]\nconsent: 2026-01-01\n{extra}---\n{name} works on housing <em>options</em>.\n"
        )
    };
    super::write(
        root,
        "content/profiles/priya-shah.md",
        &profile("Priya Shah", ""),
    );
    super::write(
        root,
        "content/profiles/internal-ian.md",
        &profile("Ian Internal", "visibility: internal\n"),
    );
    super::write(
        root,
        "content/events/housing-open-day.md",
        "---\ntitle: Housing open day\nkind: open-day\nstart: 2027-03-04T10:00\nend: 2027-03-04T16:00\nvenue:\n  name: Acme Civic Centre\n  address: 1 High Street, Acme\ncapacity: 40\nbooking: https://book.example.gov.uk/open-day\nhost: priya-shah\n---\nCome and see how the housing team works.\n",
    );
    super::write(
        root,
        "content/consultations/housing-allocations.md",
        "---\ntitle: Housing allocations review\nopens: 2027-01-10T09:00\ncloses: 2027-03-31T23:59\npolicy_areas: [housing]\nlead: priya-shah\nrespond:\n  url: https://consult.example.gov.uk/allocations\n---\nHow homes are allocated.\n",
    );
    super::write(
        root,
        "content/asks/mentor-wanted.md",
        "---\ntitle: A mentor in central government\nkind: mentor\nby: priya-shah\ncloses: 2027-06-30\npolicy_areas: [housing]\n---\nSomeone who knows how funding is allocated.\n",
    );
    super::write(
        root,
        "content/profiles/quiet-quentin.md",
        &profile("Quentin Quiet", "federate: false\n"),
    );
    dir
}

/// Writes `count` more officers of Acme into the site at `root`:
/// `person-0000` to `person-{count - 1}`.
pub fn add_officers(root: &Path, count: usize) {
    for i in 0..count {
        super::write(
            root,
            &format!("content/profiles/person-{i:04}.md"),
            &format!(
                "---\nname: Person {i}\nrole: Officer\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-01-01\n---\nWorks.\n"
            ),
        );
    }
}

/// `interchange federate --insecure-local` on `port`.
pub fn federate(root: &Path, port: u16) -> Server {
    federate_with(root, port, &["--insecure-local"])
}

/// `interchange federate` on `port` with `flags`.
pub fn federate_with(root: &Path, port: u16, flags: &[&str]) -> Server {
    federate_env(root, port, flags, &[])
}

/// `interchange federate` on `port` with `flags` and `env`.
pub fn federate_env(root: &Path, port: u16, flags: &[&str], env: &[(&str, &str)]) -> Server {
    let listen = format!("127.0.0.1:{port}");
    let mut args = vec![
        "federate",
        "--listen",
        &listen,
        "--root",
        root.to_str().expect("UTF-8"),
    ];
    args.extend_from_slice(flags);
    super::start_with_env(&args, env, "Federating on", move |_| port)
}

/// `interchange federate --insecure-local` on `port`, its log (at the
/// `info` level) appended to the file `log`, as an operator would read it.
pub fn federate_logged(root: &Path, port: u16, log: &Path) -> Server {
    let listen = format!("127.0.0.1:{port}");
    let args = [
        "federate",
        "--listen",
        &listen,
        "--root",
        root.to_str().expect("UTF-8"),
        "--insecure-local",
    ];
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("a log file");
    super::start_logging_to(
        &args,
        &[("RUST_LOG", "info")],
        "Federating on",
        move |_| port,
        file.into(),
    )
}
