//! What the public sees of topics, consultations and events, as built:
//! a topic's events, consultations and asks beside its people; what is
//! open to the public; how soon a consultation closes.

mod common;
use common::{build, interchange, page, repository, text};

fn build_demo() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("a temporary folder");
    let output = build(&repository(), &out.path().join("public"), &[]);
    assert!(
        output.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// A small site with one person, Ann Lee, who works on housing.
fn site_with_ann() -> tempfile::TempDir {
    let site = common::small_site();
    common::write(
        site.path(),
        "content/profiles/ann.md",
        "---\nname: Ann Lee\nrole: Officer\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-10-01\n---\n",
    );
    site
}

/// The site at `root`, built into a new folder: the folder and the site.
fn built(root: &std::path::Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().expect("a temporary folder");
    let public = out.path().join("public");
    let output = build(root, &public, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (out, public)
}

#[test]
fn a_topic_page_lists_its_events_consultations_and_asks_as_well_as_its_people() {
    let out = build_demo();
    let public = out.path().join("public");
    let homelessness = text(&page(&public, "/policy-areas/homelessness/"));
    for shown in [
        "Upcoming events",
        "DCLS open day for local public service officers",
        "Consultations",
        "Review of the homelessness prevention duty",
        "Open asks",
        "Critical friend for a research plan on referrals to housing services",
        "People",
        "Amira Hussain",
    ] {
        assert!(
            homelessness.contains(shown),
            "{shown:?} is not on the page: {homelessness}"
        );
    }
    // Its events can be followed: its calendar and the site's feed.
    let homelessness_page = page(&public, "/policy-areas/homelessness/");
    assert!(
        homelessness_page.contains(
            "<a href=\"webcal://directory.example.gov.uk/policy-areas/homelessness/calendar.ics\">Subscribe in your calendar</a>"
        ),
        "{homelessness_page}"
    );
    assert!(
        public
            .join("policy-areas/homelessness/calendar.ics")
            .is_file()
    );
    // A sector's page lists what its organisations hold; a way of meeting's,
    // the asks that are one.
    let central = text(&page(&public, "/sectors/central-government/"));
    assert!(
        central.contains("DCLS open day for local public service officers"),
        "{central}"
    );
    let shadowing = text(&page(&public, "/open-to/shadowing/"));
    assert!(
        shadowing.contains("Host a day's shadowing in a hospital discharge or liaison team")
            || shadowing
                .contains("Host a day&#39;s shadowing in a hospital discharge or liaison team"),
        "{shadowing}"
    );
}

#[test]
fn a_topic_with_more_events_than_its_page_shows_has_pages_of_them() {
    let site = site_with_ann();
    let root = site.path();
    for day in 1..=7 {
        common::write(
            root,
            &format!("content/events/day-{day}.md"),
            &format!(
                "---\ntitle: Housing surgery {day}\nkind: meetup\nstart: 2027-01-{day:02}T10:00\nend: 2027-01-{day:02}T11:00\nonline: https://meet.example/{day}\npolicy_areas: [housing]\n---\n"
            ),
        );
    }
    let (_out, public) = built(root);
    let housing = page(&public, "/policy-areas/housing/");
    let shown = text(&housing);
    assert!(
        shown.contains("Housing surgery 5") && !shown.contains("Housing surgery 6"),
        "{shown}"
    );
    assert!(
        housing.contains("<a href=\"/policy-areas/housing/events/\">All 7 upcoming events"),
        "{housing}"
    );
    let all = text(&page(&public, "/policy-areas/housing/events/"));
    for day in 1..=7 {
        assert!(all.contains(&format!("Housing surgery {day}")), "{all}");
    }
    assert!(all.contains("Housing: upcoming events"), "{all}");
    // No section page where the topic's page shows everything.
    assert!(!public.join("policy-areas/housing/asks").exists());
}

#[test]
fn a_topic_only_an_event_or_a_consultation_is_under_has_its_page() {
    let site = site_with_ann();
    let root = site.path();
    // No one lists homelessness or emergency planning: an event and a consultation do.
    common::write(
        root,
        "content/events/rough-sleeping-count.md",
        "---\ntitle: Rough sleeping count briefing\nkind: workshop\nstart: 2027-01-12T10:00\nend: 2027-01-12T11:00\nonline: https://meet.example/count\npolicy_areas: [homelessness]\n---\n",
    );
    common::write(
        root,
        "content/consultations/flood-plan.md",
        "---\ntitle: Local emergency plan\nopens: 2026-11-01\ncloses: 2027-02-01\npolicy_areas: [emergency-planning]\nrespond:\n  url: https://consult.example/flood\n---\n",
    );
    let (_out, public) = built(root);
    let homelessness = text(&page(&public, "/policy-areas/homelessness/"));
    assert!(
        homelessness.contains("Rough sleeping count briefing")
            && homelessness.contains("No one is listed under Homelessness yet"),
        "{homelessness}"
    );
    let emergency = text(&page(&public, "/policy-areas/emergency-planning/"));
    assert!(emergency.contains("Local emergency plan"), "{emergency}");
    // Listed with the other policy areas, with no count of people, which
    // it has none of.
    let areas = page(&public, "/policy-areas/");
    assert!(
        areas.contains("<a href=\"/policy-areas/homelessness/\">Homelessness</a>\n")
            || areas.contains("<a href=\"/policy-areas/homelessness/\">Homelessness</a></li>"),
        "{areas}"
    );
    assert!(
        text(&areas).contains("Housing 1 person"),
        "{}",
        text(&areas)
    );
    let topics = page(&public, "/topics/");
    assert!(
        topics.contains("/policy-areas/emergency-planning/"),
        "{topics}"
    );
}

#[test]
fn events_and_consultations_open_to_the_public_say_so() {
    let out = build_demo();
    let public = out.path().join("public");
    let consultations = text(&page(&public, "/consultations/"));
    assert!(
        consultations.contains("Review of the homelessness prevention duty Open 1 October 2026 to 31 January 2029 Open to the public"),
        "{consultations}"
    );
    let review = text(&page(
        &public,
        "/consultations/homelessness-prevention-duty-review/",
    ));
    assert!(
        review.contains(
            "Who can respond Anyone: members of the public and people working in public service"
        ),
        "{review}"
    );
    let session = text(&page(&public, "/events/care-charging-public-session/"));
    assert!(
        session.contains("Who it is for Members of the public, and people working in:"),
        "{session}"
    );
    // Anything else is named, with `public` among the choices.
    let site = common::small_site();
    common::write(
        site.path(),
        "content/events/day.md",
        "---\ntitle: Day\nkind: open-day\nstart: 2027-01-14T10:00\nend: 2027-01-14T12:00\nonline: https://meet.example/day\naudience: [pubic, nhs]\n---\n",
    );
    let output = interchange(&["check", "--root", site.path().to_str().expect("UTF-8")]);
    let said = String::from_utf8_lossy(&output.stderr).to_string()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success());
    assert!(
        said.contains("`pubic` is not a sector, nor `public`")
            && said.contains("did you mean `public`?"),
        "{said}"
    );
}

#[test]
fn an_open_consultation_counts_down_its_last_days_and_leads_the_list() {
    let later = tempfile::tempdir().expect("a temporary folder");
    let public = later.path().join("public");
    let output = interchange(&[
        "build",
        "--root",
        repository().to_str().expect("UTF-8"),
        "--output",
        public.to_str().expect("UTF-8"),
        "--now",
        "2029-01-25",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // It closes at the end of 31 January 2029.
    let list = text(&page(&public, "/consultations/"));
    assert!(
        list.contains("Review of the homelessness prevention duty Open Closes in 6 days"),
        "{list}"
    );
    let open = list
        .find("Review of the homelessness prevention duty")
        .expect("the open one");
    let upcoming = list
        .find("Local resilience standards")
        .expect("the upcoming one");
    assert!(
        open < upcoming,
        "the open consultation is not listed first: {list}"
    );
    let own = text(&page(
        &public,
        "/consultations/homelessness-prevention-duty-review/",
    ));
    assert!(
        own.contains("Respond by 31 January 2029 (closes in 6 days)."),
        "{own}"
    );
    // The count changes at midnight, so the site does too.
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("Friday 26 January 2029 at 00:00"), "{said}");
}

#[test]
fn a_topic_page_lists_its_people_a_to_z_by_family_name() {
    // Their files' order (ann, bob, cat) is neither the A–Z order nor its
    // reverse.
    let site = common::small_site();
    for (file, name) in [
        ("ann", "Ann Young"),
        ("bob", "Bob Adams"),
        ("cat", "Cat Mills"),
    ] {
        common::write(
            site.path(),
            &format!("content/profiles/{file}.md"),
            &format!(
                "---\nname: {name}\nrole: Officer\norganisation: acme\npolicy_areas: [housing]\ninterests: [data]\nopen_to: [coffee]\nconsent: 2026-10-01\n---\n"
            ),
        );
    }
    let (_out, public) = built(site.path());
    for topic in [
        "/policy-areas/housing/",
        "/interests/data/",
        "/open-to/coffee/",
    ] {
        let shown = text(&page(&public, topic));
        let at = |name: &str| {
            shown
                .find(name)
                .unwrap_or_else(|| panic!("{name} is not on {topic}: {shown}"))
        };
        assert!(
            at("Bob Adams") < at("Cat Mills") && at("Cat Mills") < at("Ann Young"),
            "{topic} does not list its people A–Z by family name: {shown}"
        );
    }
}

#[test]
fn an_ask_an_event_and_a_consultation_name_their_person_wherever_they_are_shown() {
    let site = site_with_ann();
    let root = site.path();
    // Bob is on the intranet only: the public site never names him.
    common::write(
        root,
        "content/profiles/bob.md",
        "---\nname: Bob Stone\nrole: Analyst\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nvisibility: internal\nconsent: 2026-10-01\n---\n",
    );
    common::write(
        root,
        "content/asks/mentor.md",
        "---\ntitle: A mentor in housing\nkind: mentor\nby: ann\npolicy_areas: [housing]\n---\n",
    );
    common::write(
        root,
        "content/asks/speaker.md",
        "---\ntitle: A speaker on rents\nkind: speaker\nby: bob\npolicy_areas: [housing]\n---\n",
    );
    common::write(
        root,
        "content/events/briefing.md",
        "---\ntitle: Housing briefing\nkind: workshop\nstart: 2027-01-12T10:00\nend: 2027-01-12T11:00\nonline: https://meet.example/b\nhost: ann\npolicy_areas: [housing]\n---\n",
    );
    common::write(
        root,
        "content/consultations/rents.md",
        "---\ntitle: Social rents\nopens: 2026-11-01\ncloses: 2027-02-01\nlead: bob\npolicy_areas: [housing]\nrespond:\n  url: https://consult.example/rents\n---\n",
    );
    let (_out, public) = built(root);
    let asks = text(&page(&public, "/asks/"));
    assert!(
        asks.contains("A mentor in housing Open Mentor Asked by Ann Lee"),
        "{asks}"
    );
    // An internal profile's ask is on the intranet alone.
    assert!(
        asks.contains("1 open ask") && !asks.contains("A speaker on rents"),
        "{asks}"
    );
    let housing = text(&page(&public, "/policy-areas/housing/"));
    assert!(housing.contains("Asked by Ann Lee"), "{housing}");
    assert!(!housing.contains("Bob"), "{housing}");
    let mentor = page(&public, "/asks/mentor/");
    assert!(
        mentor.contains("<a href=\"/profiles/ann/\">Ann Lee</a>"),
        "{mentor}"
    );
    let briefing = text(&page(&public, "/events/briefing/"));
    assert!(
        briefing.contains("Ann Lee Officer, Acme Council"),
        "{briefing}"
    );
    let rents = text(&page(&public, "/consultations/rents/"));
    assert!(
        !rents.contains("Led by") && !rents.contains("Bob"),
        "{rents}"
    );

    // The intranet build names Bob where he asks and leads.
    let out = tempfile::tempdir().expect("a temporary folder");
    let internal = out.path().join("internal");
    let output = build(root, &internal, &["--internal"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let asks = text(&page(&internal, "/asks/"));
    assert!(
        asks.contains("A speaker on rents Open Speaker Asked by Bob Stone"),
        "{asks}"
    );
    let rents = text(&page(&internal, "/consultations/rents/"));
    assert!(
        rents.contains("Led by Bob Stone Analyst, Acme Council"),
        "{rents}"
    );
}
