//! Everything the site publishes besides HTML, read back with independent
//! parsers: iCalendar (the `ical` crate), Atom (`atom_syndication`), sitemaps
//! (`roxmltree`), JSON-LD and the directory export (`serde_json`).

use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::repository;

fn build(root: &Path, output: &Path) {
    let result = common::build(root, output, &[]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let public = dir.path().join("public");
    build(&repository(), &public);
    (dir, public)
}

/// The VEVENTs of an .ics file, each as (name, value) properties.
fn events(path: &Path) -> Vec<Vec<(String, String)>> {
    let file = fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let calendars: Vec<_> = ical::IcalParser::new(BufReader::new(file))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
    assert_eq!(calendars.len(), 1, "{}", path.display());
    calendars[0]
        .events
        .iter()
        .map(|event| {
            event
                .properties
                .iter()
                .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
                .collect()
        })
        .collect()
}

fn property<'a>(event: &'a [(String, String)], name: &str) -> &'a str {
    event
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {event:?}"))
}

fn all_files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == extension) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn every_calendar_parses_with_local_times_in_the_site_zone() {
    let (_dir, public) = demo();
    let calendars = all_files(&public, "ics");
    assert!(calendars.len() >= 12 + 3, "{calendars:?}");
    for path in &calendars {
        let text = fs::read_to_string(path).expect("a calendar");
        assert!(
            text.contains(
                "\r\nPRODID:-//Interchange//Kirkby Vale public services directory//EN\r\n"
            ),
            "{}",
            path.display()
        );
        assert!(
            text.contains("\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"),
            "{}",
            path.display()
        );
        for event in events(path) {
            for name in [
                "UID",
                "DTSTAMP",
                "DTSTART",
                "SUMMARY",
                "SEQUENCE",
                "STATUS",
                "URL",
                "DESCRIPTION",
            ] {
                property(&event, name);
            }
        }
    }
    // Winter and summer: 10:00 and 09:00 as people in London read them,
    // with the zone that says what that is in UTC on either day.
    let winter =
        fs::read_to_string(public.join("events/dcls-open-day-2027/event.ics")).expect("a calendar");
    assert!(
        winter.contains("\r\nDTSTART;TZID=Europe/London:20270311T100000\r\n"),
        "{winter}"
    );
    let winter = events(&public.join("events/dcls-open-day-2027/event.ics"));
    assert_eq!(
        property(&winter[0], "UID"),
        "https://directory.example.gov.uk/events/dcls-open-day-2027/"
    );
    let summer =
        fs::read_to_string(public.join("events/vale-public-services-conference-2028/event.ics"))
            .expect("a calendar");
    assert!(
        summer.contains("\r\nDTSTART;TZID=Europe/London:20280614T090000\r\n"),
        "{summer}"
    );
    // A repeating event is one VEVENT: its rule, and the date called off.
    let curry = events(&public.join("events/community-safety-curry-club/event.ics"));
    assert_eq!(curry.len(), 1);
    assert_eq!(
        property(&curry[0], "RRULE"),
        "FREQ=MONTHLY;BYDAY=2TH;COUNT=12"
    );
    assert_eq!(property(&curry[0], "EXDATE"), "20270812T183000");
    let description = property(&curry[0], "DESCRIPTION");
    for said in [
        "An informal meet-up on the second Thursday",
        "Second Thursday of every month",
        "Book by email: daniel.okafor@kirkbyvale.example.gov.uk",
        "Access: Ground-floor room with step-free access",
        "Where: The Spice Route",
    ] {
        assert!(description.contains(said), "{said}: {description}");
    }
    // Cancelled events say so.
    let cancelled = events(&public.join("events/fleet-electrification-meetup/event.ics"));
    assert_eq!(property(&cancelled[0], "STATUS"), "CANCELLED");
    // The site calendar has each event once; the organisation and policy
    // area ones their own.
    let site = events(&public.join("calendar.ics"));
    let uids: std::collections::BTreeSet<&str> = site.iter().map(|e| property(e, "UID")).collect();
    assert_eq!(uids.len(), site.len(), "each event once");
    assert!(site.len() > 5);
    assert!(
        public
            .join("organisations/kirkby-vale-council/calendar.ics")
            .is_file()
    );
    assert!(
        public
            .join("policy-areas/homelessness/calendar.ics")
            .is_file()
    );
}

#[test]
fn past_events_stay_in_calendars_for_the_months_the_site_keeps_them() {
    let site = tempfile::tempdir().expect("a temporary folder");
    let write = |path: &str, text: &str| common::write(site.path(), path, text);
    let settings = "title = \"Small\"\nbase_url = \"https://small.example.gov.uk\"\norganisations = [\"acme\"]\n";
    write("interchange.toml", settings);
    write(
        "content/organisations/acme.md",
        "---\nname: Acme Council\nsector: local-government\n---\n",
    );
    // The build is as of 23 November 2026: one event ended two months
    // before, one four months before.
    for (slug, day) in [("september", "2026-09-23"), ("july", "2026-07-23")] {
        write(
            &format!("content/events/{slug}.md"),
            &format!(
                "---\ntitle: Open day {slug}\nkind: open-day\nstart: {day}T10:00\nend: {day}T12:00\nvenue: Town Hall\n---\n"
            ),
        );
    }
    let public = site.path().join("public");
    let titles = |public: &Path| -> Vec<String> {
        events(&public.join("calendar.ics"))
            .iter()
            .map(|e| property(e, "SUMMARY").to_string())
            .collect()
    };
    let built = common::build(site.path(), &public, &[]);
    assert!(built.status.success());
    assert_eq!(
        titles(&public),
        ["Open day september"],
        "three months by default"
    );
    // Nothing is to come, but the September day leaves the calendars three
    // months after it ended: the build says when to build again.
    let said = String::from_utf8_lossy(&built.stdout);
    assert!(
        said.contains("The site changes next on Wednesday 23 December 2026 at 12:00 GMT"),
        "{said}"
    );
    write(
        "interchange.toml",
        &format!("{settings}[calendars]\nkeep_past_months = 6\n"),
    );
    build(site.path(), &public);
    assert_eq!(titles(&public), ["Open day july", "Open day september"]);
    write(
        "interchange.toml",
        &format!("{settings}[calendars]\nkeep_past_months = 0\n"),
    );
    build(site.path(), &public);
    assert!(!public.join("calendar.ics").exists() || titles(&public).is_empty());
    // Each event's own file keeps it, whatever its date.
    assert!(public.join("events/july/event.ics").is_file());
}

#[test]
fn feeds_are_valid_atom_with_stable_ids() {
    let (_dir, public) = demo();
    for name in ["profiles", "events", "consultations", "asks"] {
        let path = public.join(format!("feeds/{name}.xml"));
        let text = fs::read_to_string(&path).expect("a feed");
        let feed: atom_syndication::Feed = text.parse().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            feed.id,
            format!("https://directory.example.gov.uk/feeds/{name}.xml")
        );
        assert!(!feed.entries.is_empty(), "{name} is empty");
        let mut ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), feed.entries.len(), "{name} repeats an id");
        for entry in &feed.entries {
            assert!(entry.id.starts_with("https://directory.example.gov.uk/"));
            assert!(
                entry.updated <= feed.updated,
                "{name}: an entry newer than its feed"
            );
        }
    }
}

#[test]
fn sitemap_lists_every_page_and_robots_points_to_it() {
    let (_dir, public) = demo();
    let robots = fs::read_to_string(public.join("robots.txt")).expect("robots.txt");
    assert!(
        robots.contains("Sitemap: https://directory.example.gov.uk/sitemap.xml"),
        "{robots}"
    );
    let text = fs::read_to_string(public.join("sitemap.xml")).expect("sitemap.xml");
    let xml = roxmltree::Document::parse(&text).expect("the sitemap parses");
    let root = xml.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<&str> = root
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    let pages = all_files(&public, "html").len() - 1; // all but 404.html
    assert_eq!(locs.len(), pages);
    assert!(locs.contains(&"https://directory.example.gov.uk/profiles/amira-hussain/"));
    assert!(
        !locs.iter().any(|l| l.contains("fiona-mcleod")),
        "no internal profile"
    );
}

/// The JSON-LD of a page.
fn json_ld(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD script")
        + 35;
    let end = start + html[start..].find("</script>").expect("closed");
    serde_json::from_str(&html[start..end]).expect("JSON-LD is JSON")
}

fn of_type<'a>(document: &'a serde_json::Value, kind: &str) -> &'a serde_json::Value {
    document["@graph"]
        .as_array()
        .expect("a graph")
        .iter()
        .find(|n| n["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {document}"))
}

#[test]
fn pages_carry_schema_org_json_ld_and_open_graph() {
    let (_dir, public) = demo();
    let profile =
        fs::read_to_string(public.join("profiles/amira-hussain/index.html")).expect("a page");
    let document = json_ld(&profile);
    assert_eq!(document["@context"], "https://schema.org");
    let person = of_type(&document, "Person");
    assert_eq!(person["name"], "Amira Hussain");
    assert_eq!(person["worksFor"]["@type"], "GovernmentOrganization");
    assert_eq!(person["worksFor"]["name"], "Kirkby Vale City Council");
    let crumbs = of_type(&document, "BreadcrumbList");
    assert_eq!(crumbs["itemListElement"].as_array().map(Vec::len), Some(3));
    assert!(profile.contains("<meta property=\"og:type\" content=\"profile\">"));
    assert!(profile.contains("<meta property=\"og:title\" content=\"Amira Hussain\">"));

    let event = fs::read_to_string(
        public.join("events/homelessness-prevention-session-kirkby-vale/index.html"),
    )
    .expect("a page");
    let document = json_ld(&event);
    let event = of_type(&document, "Event");
    assert_eq!(
        event["eventAttendanceMode"],
        "https://schema.org/MixedEventAttendanceMode"
    );
    assert_eq!(event["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(event["organizer"]["@type"], "GovernmentOrganization");
    let kinds: Vec<&str> = event["location"]
        .as_array()
        .expect("places")
        .iter()
        .filter_map(|l| l["@type"].as_str())
        .collect();
    assert_eq!(kinds, ["Place", "VirtualLocation"]);

    let organisation =
        fs::read_to_string(public.join("organisations/dcls/index.html")).expect("a page");
    assert_eq!(
        of_type(&json_ld(&organisation), "GovernmentOrganization")["name"],
        "Department for Communities and Local Services"
    );
}

#[test]
fn the_directory_export_lists_every_public_entry() {
    let (_dir, public) = demo();
    let export: serde_json::Value =
        serde_json::from_slice(&fs::read(public.join("directory.json")).expect("directory.json"))
            .expect("JSON");
    let profiles = export["profiles"].as_array().expect("profiles");
    // 25 local profiles but the internal one and the one who asked not to
    // be shared (`federate: false`), and two mirrored.
    assert_eq!(profiles.len(), 25);
    assert!(!profiles.iter().any(|p| p["slug"] == "harpreet-sandhu"));
    // What the pages show, and nothing more: not when someone is away
    // (`paused_until`), nor settings for matching.
    for profile in profiles {
        for private in [
            "paused_until",
            "federate",
            "visibility",
            "cohort",
            "max_buddies_per_month",
        ] {
            assert!(profile.get(private).is_none(), "{private} in {profile}");
        }
    }
    let rhiannon = profiles
        .iter()
        .find(|p| p["slug"] == "rhiannon-evans")
        .expect("Rhiannon, who is paused");
    assert!(!rhiannon.to_string().contains("2027-03-01"), "{rhiannon}");
    let amira = profiles
        .iter()
        .find(|p| p["slug"] == "amira-hussain")
        .expect("Amira");
    assert_eq!(
        amira["url"],
        "https://directory.example.gov.uk/profiles/amira-hussain/"
    );
    assert_eq!(amira["organisation"], "kirkby-vale-council");
    assert!(
        amira["policy_areas"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    assert_eq!(export["consultations"].as_array().map(Vec::len), Some(3));
    // A series says which of its dates are called off, as its page does.
    let curry_club = export["events"]
        .as_array()
        .and_then(|e| {
            e.iter()
                .find(|e| e["slug"] == "community-safety-curry-club")
        })
        .expect("the curry club");
    assert_eq!(
        curry_club["cancelled_dates"],
        serde_json::json!(["2027-08-12"])
    );
    assert!(
        !curry_club["upcoming"].to_string().contains("2027-08-12"),
        "{curry_club}"
    );

    // What a job swap needs travels with the offer: the level band (from
    // the grade), the regulated profession, the vetting; and the places an
    // organisation committed.
    let bethan = profiles
        .iter()
        .find(|p| p["slug"] == "bethan-morgan")
        .expect("Bethan");
    assert!(
        bethan["swap"]["level"]
            .as_u64()
            .is_some_and(|l| (1..=7).contains(&l)),
        "{bethan}"
    );
    assert_eq!(bethan["swap"]["regulated"], "nursing", "{bethan}");
    let council = export["organisations"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["slug"] == "kirkby-vale-council"))
        .expect("the council");
    assert_eq!(council["swap_places"], 3);
}

/// A job swap offer's page says its level, the profession it needs and the
/// vetting whoever takes it must pass; an organisation's page its places.
#[test]
fn a_swap_offer_shows_what_it_needs() {
    let (_dir, public) = demo();
    let page = |path: &str| fs::read_to_string(public.join(path)).expect("a page");
    let bethan = page("profiles/bethan-morgan/index.html");
    assert!(bethan.contains("<dt>Level</dt>"), "{bethan}");
    assert!(
        bethan.contains("Nursing: their job is swapped only with someone registered with the Nursing and Midwifery Council."),
        "{bethan}"
    );
    assert!(
        bethan.contains("Whoever takes their job needs police vetting."),
        "{bethan}"
    );
    let council = page("organisations/kirkby-vale-council/index.html");
    assert!(
        council.contains(
            "Up to 3 of its people a round, each replaced by someone coming the other way"
        ),
        "{council}"
    );
}

#[test]
fn an_unchanged_rebuild_changes_no_feed_or_calendar() {
    let (_dir, public) = demo();
    let read = |public: &Path| {
        let mut files: Vec<(PathBuf, Vec<u8>)> = all_files(public, "ics")
            .into_iter()
            .chain(all_files(public, "xml"))
            .map(|p| {
                (
                    p.strip_prefix(public).expect("inside").to_path_buf(),
                    fs::read(&p).expect("read"),
                )
            })
            .collect();
        files.sort();
        files
    };
    let first = read(&public);
    build(&repository(), &public);
    assert_eq!(read(&public), first);
}

/// Runs git in `dir`, committing as of `date`.
fn git(dir: &Path, date: &str, args: &[&str]) {
    let status = Command::new("git")
        .env("GIT_COMMITTER_DATE", date)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.gov.uk",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn a_changed_event_gets_a_new_sequence_and_stamp() {
    let site = tempfile::tempdir().expect("a temporary folder");
    let write = |path: &str, text: &str| {
        let path = site.path().join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        fs::write(path, text).expect("written");
    };
    write(
        "interchange.toml",
        "title = \"Small\"\nbase_url = \"https://small.example.gov.uk\"\norganisations = [\"acme\"]\n",
    );
    write(
        "content/organisations/acme.md",
        "---\nname: Acme Council\nsector: local-government\n---\n",
    );
    let event = "---\ntitle: Open day\nkind: open-day\nstart: 2027-05-04T10:00\nend: 2027-05-04T12:00\nvenue: Town Hall\n---\n";
    write("content/events/open-day.md", event);
    git(site.path(), "2026-01-01T10:00:00Z", &["init", "-q"]);
    git(site.path(), "2026-01-01T10:00:00Z", &["add", "."]);
    git(
        site.path(),
        "2026-01-01T10:00:00Z",
        &["commit", "-q", "-m", "first"],
    );
    let public = site.path().join("public");
    build(site.path(), &public);
    let before = events(&public.join("events/open-day/event.ics"));
    assert_eq!(property(&before[0], "SEQUENCE"), "0");

    write(
        "content/events/open-day.md",
        &event.replace("12:00", "13:00"),
    );
    git(
        site.path(),
        "2026-02-01T10:00:00Z",
        &["commit", "-q", "-am", "longer"],
    );
    build(site.path(), &public);
    let after = events(&public.join("events/open-day/event.ics"));
    assert_eq!(property(&after[0], "SEQUENCE"), "1");
    assert_eq!(property(&after[0], "DTEND"), "20270504T130000");
    assert_eq!(property(&before[0], "DTSTAMP"), "20260101T100000Z");
    assert_eq!(property(&after[0], "DTSTAMP"), "20260201T100000Z");
    assert_eq!(property(&after[0], "UID"), property(&before[0], "UID"));
}

/// From the first occurrence of `marker` to the end: a picture's own data.
fn from<'a>(bytes: &'a [u8], marker: &[u8]) -> &'a [u8] {
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .unwrap_or_else(|| panic!("no {marker:?} in the file"));
    &bytes[at..]
}

#[test]
fn pictures_are_published_without_what_cameras_wrote_into_them() {
    let site = common::small_site();
    let root = site.path();
    let fixtures = common::repository().join("tests/fixtures/photos");
    let photo = fs::read(fixtures.join("with-gps.jpg")).expect("the photo");
    let logo = fs::read(fixtures.join("with-text.png")).expect("the logo");
    fs::create_dir_all(root.join("static/images")).expect("a folder");
    fs::write(root.join("static/images/ann.jpg"), &photo).expect("written");
    fs::write(root.join("static/images/acme.png"), &logo).expect("written");
    common::write(
        root,
        "content/profiles/ann.md",
        "---\nname: Ann Lee\nrole: Officer\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nphoto: images/ann.jpg\nconsent: 2026-10-01\n---\n",
    );
    // The fixtures hold what a phone and an editor write.
    for (bytes, said) in [
        (&photo, &b"PhoneMaker"[..]),
        (&photo, b"taken at home"),
        (&logo, b"home"),
    ] {
        assert!(
            bytes.windows(said.len()).any(|w| w == said),
            "the fixture lacks {said:?}"
        );
    }

    let out = tempfile::tempdir().expect("a temporary folder");
    let public = out.path().join("public");
    build(root, &public);
    let published = fs::read(public.join("images/ann.jpg")).expect("the published photo");
    for said in [&b"Exif"[..], b"PhoneMaker", b"Model X", b"taken at home"] {
        assert!(
            !published.windows(said.len()).any(|w| w == said),
            "the published photo still says {:?}",
            String::from_utf8_lossy(said)
        );
    }
    // The picture itself is the same, from its first frame to its end.
    assert_eq!(from(&published, &[0xFF, 0xC0]), from(&photo, &[0xFF, 0xC0]));
    // Pages show the pictures made of it (see tests/photos.rs); the
    // original stays at its address for anyone who links to it.
    let page = fs::read_to_string(public.join("profiles/ann/index.html")).expect("Ann's page");
    assert!(
        page.contains("src=\"/processed_images/"),
        "the page shows no photo"
    );

    let published = fs::read(public.join("images/acme.png")).expect("the published picture");
    for said in [&b"tEXt"[..], b"home", b"someone"] {
        assert!(
            !published.windows(said.len()).any(|w| w == said),
            "the published picture still says {:?}",
            String::from_utf8_lossy(said)
        );
    }
    assert_eq!(from(&published, b"IDAT"), from(&logo, b"IDAT"));
}
