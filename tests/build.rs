//! `interchange build` as an editor runs it: the built binary on the demo
//! directory and on small sites made for one point each.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{build, interchange, page, repository, text};

fn build_demo(extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("a temporary folder");
    let output = build(&repository(), &out.path().join("public"), extra);
    assert!(
        output.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// Every file of a folder with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).expect("a readable folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = fs::read(&path).expect("a readable file");
                files.insert(path.strip_prefix(dir).expect("inside").to_path_buf(), bytes);
            }
        }
    }
    files
}

fn slugs(folder: &str) -> Vec<String> {
    let mut slugs: Vec<String> = fs::read_dir(repository().join(folder))
        .expect("a folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            p.file_stem()
                .expect("a stem")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    slugs.sort();
    slugs
}

#[test]
fn the_demo_has_a_page_for_every_entry_and_term() {
    let out = build_demo(&[]);
    let site = out.path().join("public");
    // A mirrored entry's page is under its origin's host.
    let fire = "fire.example.gov.uk/";
    for (kind, folder, under) in [
        ("organisations", "content/organisations", ""),
        ("profiles", "content/profiles", ""),
        ("events", "content/events", ""),
        ("consultations", "content/consultations", ""),
        ("asks", "content/asks", ""),
        ("pages", "content/pages", ""),
        ("profiles", "mirror/fire.example.gov.uk/profiles", fire),
        ("events", "mirror/fire.example.gov.uk/events", fire),
        (
            "organisations",
            "mirror/fire.example.gov.uk/organisations",
            fire,
        ),
    ] {
        for slug in slugs(folder) {
            let path = site.join(kind).join(under).join(&slug).join("index.html");
            // The internal profile is the one exception, tested below.
            assert_eq!(path.is_file(), slug != "fiona-mcleod", "{}", path.display());
        }
    }
    for page in [
        "",
        "profiles",
        "organisations",
        "events",
        "events/past",
        "consultations",
        "asks",
        "asks/closed",
        "topics",
        "sectors",
        "policy-areas",
        "interests",
        "open-to",
    ] {
        assert!(
            site.join(page).join("index.html").is_file(),
            "/{page}/ missing"
        );
    }
    assert!(site.join("404.html").is_file());
    assert!(site.join("style.css").is_file());
    assert!(
        site.join("logos/dcls.svg").is_file(),
        "static files are copied"
    );

    // Every term has its page: each policy area a public profile names.
    let mut areas = std::collections::BTreeSet::new();
    for slug in slugs("content/profiles") {
        if slug == "fiona-mcleod" {
            continue;
        }
        let source = fs::read_to_string(
            repository()
                .join("content/profiles")
                .join(format!("{slug}.md")),
        )
        .expect("a profile");
        let line = source
            .lines()
            .find(|l| l.starts_with("policy_areas:"))
            .expect("policy areas");
        for area in line
            .trim_start_matches("policy_areas:")
            .trim()
            .trim_matches(['[', ']'])
            .split(',')
        {
            areas.insert(area.trim().to_string());
        }
    }
    for area in areas {
        assert!(
            site.join("policy-areas")
                .join(&area)
                .join("index.html")
                .is_file(),
            "term page for {area}"
        );
    }
    for term in [
        "sectors/nhs",
        "sectors/police",
        "open-to/buddy",
        "open-to/job-swap",
        "interests/data",
    ] {
        assert!(
            site.join(term).join("index.html").is_file(),
            "/{term}/ missing"
        );
    }

    // The A–Z listing names every public profile.
    let listing = text(&page(&site, "/profiles/"));
    for slug in slugs("content/profiles") {
        let source = fs::read_to_string(
            repository()
                .join("content/profiles")
                .join(format!("{slug}.md")),
        )
        .expect("a profile");
        let name = source
            .lines()
            .find_map(|l| l.strip_prefix("name: "))
            .expect("a name")
            .trim_matches('"');
        assert_eq!(
            listing.contains(name),
            slug != "fiona-mcleod",
            "{name} in the listing"
        );
    }
}

#[test]
fn a_profile_page_shows_its_organisation_and_tags() {
    let out = build_demo(&[]);
    let html = page(&out.path().join("public"), "/profiles/amira-hussain/");
    let seen = text(&html);
    assert!(seen.contains("Amira Hussain"), "{seen}");
    assert!(seen.contains("Kirkby Vale City Council"), "{seen}");
    assert!(html.contains("href=\"/organisations/kirkby-vale-council/\""));
    assert!(
        html.contains("href=\"/policy-areas/housing/\""),
        "policy area tag links to its page"
    );
    assert!(
        html.contains("href=\"/open-to/job-swap/\""),
        "open-to tag links to its page"
    );
    assert!(html.contains("<h1"));
    assert_eq!(html.matches("<h1").count(), 1, "one h1");
    // The email address is not in the page as plain text.
    assert!(
        !html.contains("@kirkbyvale"),
        "email written in character references"
    );
    assert!(
        html.contains("<a href=\"mailto&#58;"),
        "mailto link present"
    );
}

#[test]
fn consultations_say_where_they_stand() {
    let out = build_demo(&[]);
    let site = out.path().join("public");
    let closed = text(&page(
        &site,
        "/consultations/adult-social-care-charging-policy/",
    ));
    assert!(closed.contains("Outcome published"), "{closed}");
    let open = text(&page(
        &site,
        "/consultations/homelessness-prevention-duty-review/",
    ));
    assert!(open.contains("Open"), "{open}");
    let upcoming = text(&page(&site, "/consultations/local-resilience-standards/"));
    assert!(upcoming.contains("Upcoming"), "{upcoming}");
    // As of a later date, the open one has closed, without an outcome.
    let later = tempfile::tempdir().expect("a temporary folder");
    let output = interchange(&[
        "build",
        "--root",
        repository().to_str().expect("UTF-8"),
        "--output",
        later.path().join("public").to_str().expect("UTF-8"),
        "--now",
        "2029-02-15",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let closed_later = text(&page(
        &later.path().join("public"),
        "/consultations/homelessness-prevention-duty-review/",
    ));
    assert!(closed_later.contains("Closed"), "{closed_later}");
}

#[test]
fn a_repeating_event_lists_its_next_dates() {
    let out = build_demo(&[]);
    let site = out.path().join("public");
    let event = text(&page(&site, "/events/community-safety-curry-club/"));
    // The second Thursday of the month, from January 2027.
    for date in ["14 January 2027", "11 February 2027", "11 March 2027"] {
        assert!(event.contains(date), "{date} in {event}");
    }
    // The date called off is listed as such on its page.
    assert!(
        event.contains("Cancelled Thursday 12 August 2027"),
        "12 August called off: {event}"
    );
    // In the list it is one event, said by its rule and its next date.
    let listing = text(&page(&site, "/events/"));
    assert_eq!(
        listing.matches("Community safety curry club").count(),
        1,
        "listed once: {listing}"
    );
    assert!(
        listing.contains(
            "Second Thursday of every month, next Thursday 14 January 2027, 18:30 to 20:30 (GMT)"
        ),
        "{listing}"
    );
    assert!(!listing.contains("11 February 2027, 18:30"), "{listing}");
    // Counts are of events, not of dates.
    assert!(listing.contains("11 upcoming events"), "{listing}");
    let home = text(&page(&site, "/"));
    assert_eq!(
        home.matches("Community safety curry club").count(),
        1,
        "{home}"
    );
}

#[test]
fn mirrored_entries_are_marked_and_point_to_their_origin() {
    let out = build_demo(&[]);
    let html = page(
        &out.path().join("public"),
        "/profiles/fire.example.gov.uk/nadia-ferreira/",
    );
    assert!(
        html.contains(
            "rel=\"canonical\" href=\"https://fire.example.gov.uk/profiles/nadia-ferreira/\""
        ),
        "canonical to origin"
    );
    assert!(text(&html).contains("fire.example.gov.uk"));
}

#[test]
fn the_public_build_has_no_trace_of_internal_profiles() {
    let public = build_demo(&[]);
    let internal = build_demo(&["--internal"]);
    let has_fiona = |dir: &Path| {
        snapshot(dir).values().any(|bytes| {
            String::from_utf8_lossy(bytes).contains("Fiona McLeod")
                || String::from_utf8_lossy(bytes).contains("fiona-mcleod")
        })
    };
    assert!(
        !has_fiona(&public.path().join("public")),
        "the internal profile leaked"
    );
    assert!(has_fiona(&internal.path().join("public")));
    assert!(
        internal
            .path()
            .join("public/profiles/fiona-mcleod/index.html")
            .is_file()
    );
}

/// A small site for one point.
fn small_site(profile_body: &str) -> tempfile::TempDir {
    let dir = common::small_site();
    common::write(
        dir.path(),
        "content/profiles/priya-shah.md",
        &format!(
            "---\nname: Priya Shah\nrole: Adviser\norganisation: acme\npolicy_areas: [housing]\nopen_to: [buddy]\nconsent: 2026-01-01\n---\n{profile_body}\n"
        ),
    );
    dir
}

#[test]
fn scripts_in_markdown_never_reach_the_page() {
    let site = small_site(
        "Hello <script>alert('x')</script> <img src=x onerror=\"alert(1)\"> [link](javascript:alert(2))",
    );
    let output = build(site.path(), &site.path().join("public"), &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for (path, bytes) in snapshot(&site.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        // The only scripts are the theme's own (JSON-LD, search).
        let scripts = text.matches("<script").count();
        let known = text
            .matches("<script type=\"application/ld+json\">")
            .count()
            + text.matches("<script defer src=\"/search.js\">").count();
        assert_eq!(scripts, known, "{} has a script", path.display());
        assert!(
            !text.contains("alert("),
            "{} has the script's code",
            path.display()
        );
        assert!(
            !text.contains("onerror"),
            "{} has an event handler",
            path.display()
        );
        assert!(
            !text.contains("javascript:"),
            "{} has a javascript: link",
            path.display()
        );
    }
}

/// Switches a small site to its own theme, `themes/mine`, with `template`
/// holding `text`; every other template is the default theme's.
fn own_template(site: &Path, template: &str, text: &str) {
    common::write(
        site,
        "interchange.toml",
        &format!("{}theme = \"mine\"\n", common::SMALL_CONFIG),
    );
    common::write(site, &format!("themes/mine/templates/{template}"), text);
}

/// Builds `site` into `public`, which must fail and leave `public` as it
/// was (`before`); what it said.
fn refused_build(site: &Path, public: &Path, before: &BTreeMap<PathBuf, Vec<u8>>) -> String {
    let broken = build(site, public, &[]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        snapshot(public) == *before,
        "the last good site is kept, byte for byte"
    );
    String::from_utf8_lossy(&broken.stderr).into_owned()
}

#[test]
fn a_failed_build_keeps_the_last_good_site_byte_for_byte() {
    let site = small_site("Works on housing.");
    let public = site.path().join("public");
    let first = build(site.path(), &public, &[]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = snapshot(&public);
    assert!(before.len() > 5);

    // A content error: the check fails, nothing is written.
    fs::write(
        site.path().join("content/profiles/tom-young.md"),
        "---\nname: Tom Young\nrole: [oops]\n---\n",
    )
    .expect("written");
    let stderr = refused_build(site.path(), &public, &before);
    assert!(
        stderr.contains("content/profiles/tom-young.md:3"),
        "{stderr}"
    );
    assert!(stderr.contains("was not built"), "{stderr}");

    // A template error: the theme fails while rendering, nothing is replaced.
    fs::remove_file(site.path().join("content/profiles/tom-young.md")).expect("removed");
    own_template(
        site.path(),
        "profile.html",
        "{% extends \"base.html\" %}{% block content %}\n<p>{{ profile.no_such_field }}</p>\n{% endblock content %}",
    );
    let stderr = refused_build(site.path(), &public, &before);
    assert!(
        stderr.contains("profile.html"),
        "names the template: {stderr}"
    );
    assert!(
        stderr.contains("content/profiles/priya-shah.md"),
        "names the entry: {stderr}"
    );
    assert!(
        !site.path().join(".public.building").exists(),
        "the staging folder is removed"
    );
}

#[test]
fn a_site_can_override_one_template() {
    let site = small_site("Works on housing.");
    own_template(
        site.path(),
        "profile.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Custom {{ profile.name }}</h1>{% endblock content %}",
    );
    let output = build(site.path(), &site.path().join("public"), &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = page(&site.path().join("public"), "/profiles/priya-shah/");
    assert!(html.contains("<h1>Custom Priya Shah</h1>"), "{html}");
    // The other pages keep the default theme.
    assert!(page(&site.path().join("public"), "/profiles/").contains("Priya Shah"));
}

#[test]
fn lists_show_each_card_as_the_theme_draws_it_and_a_broken_card_is_named() {
    let site = small_site("Works on housing.");
    // Someone from another sector with the same policy area, for Priya's
    // page to suggest.
    common::write(
        site.path(),
        "content/organisations/nhs-leeds.md",
        "---\nname: NHS Leeds\nsector: nhs\n---\n",
    );
    common::write(
        site.path(),
        "content/profiles/tom-baker.md",
        "---\nname: Tom Baker\nrole: Nurse\norganisation: nhs-leeds\npolicy_areas: [housing]\nopen_to: [buddy]\nconsent: 2026-01-01\n---\n",
    );
    let public = site.path().join("public");
    own_template(
        site.path(),
        "profile_card.html",
        "<span class=\"mine\">{{ p.name }}, h{{ level }}</span>",
    );
    let output = build(site.path(), &public, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The same card, in the item the list writes, under the letter headings
    // (h2) of the A–Z list and of a term's page, under the organisation's
    // "People" (h2), and among the people another profile suggests.
    for url in [
        "/profiles/",
        "/policy-areas/housing/",
        "/organisations/acme/",
    ] {
        let html = page(&public, url);
        assert!(
            html.contains("<li><span class=\"mine\">Priya Shah, h3</span></li>"),
            "{url}: {html}"
        );
    }
    let html = page(&public, "/profiles/tom-baker/");
    let meet = &html[html.find("id=\"meet\"").expect("suggestions")..];
    assert!(
        meet.contains("<li><span class=\"mine\">Priya Shah, h3</span>\n<p>In common: Housing"),
        "{meet}"
    );

    let before = snapshot(&public);
    own_template(
        site.path(),
        "profile_card.html",
        "<li>{{ p.no_such_field }}</li>",
    );
    let stderr = refused_build(site.path(), &public, &before);
    assert!(
        stderr.contains("profile_card.html"),
        "names the template: {stderr}"
    );
}

#[test]
fn long_listings_are_paginated() {
    let site = small_site("Bio.");
    for i in 0..120 {
        fs::write(
            site.path().join(format!("content/profiles/person-{i:03}.md")),
            format!("---\nname: Person {i:03}\nrole: Officer\norganisation: acme\npolicy_areas: [housing]\nopen_to: [buddy]\nconsent: 2026-01-01\n---\nBio.\n"),
        )
        .expect("written");
    }
    let output = build(site.path(), &site.path().join("public"), &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let public = site.path().join("public");
    for url in [
        "/profiles/",
        "/profiles/page/2/",
        "/profiles/page/3/",
        "/policy-areas/housing/page/3/",
        "/organisations/acme/page/3/",
    ] {
        let html = page(&public, url);
        let people = html.matches("href=\"/profiles/person-").count()
            + html.matches("href=\"/profiles/priya-shah/\"").count();
        assert!(people <= 50 && people > 0, "{url} lists {people}");
    }
    assert!(!public.join("profiles/page/4/index.html").exists());
    assert!(page(&public, "/profiles/page/2/").contains("aria-current=\"page\""));
}

#[test]
fn build_says_when_the_site_next_changes_by_itself() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let output = build(&repository(), &out.path().join("public"), &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The first date of the curry club, the demo's next event after 23 November 2026.
    assert!(
        stdout.contains("The site changes next on Thursday 14 January 2027 at 18:30 GMT"),
        "{stdout}"
    );
}

#[test]
fn a_page_rendered_on_its_own_is_the_page_the_build_writes() {
    use generator::render::Theme;
    let out = build_demo(&[]);
    let options = generator::LoadOptions {
        root: repository(),
        as_of: "2026-11-23".parse().expect("a date"),
    };
    let loaded = generator::load(&options).expect("loads");
    let mut theme = Theme::load(&repository(), &loaded.directory.site.theme).expect("a theme");
    let build = generator::BuildOptions {
        output: out.path().join("public"),
        base_url: None,
        internal: false,
    };
    let repository = repository();
    generator::render::with_pages(
        &loaded.directory,
        &repository,
        loaded.now,
        &build,
        &mut theme,
        |pages| {
            for url in [
                "/profiles/amira-hussain/",
                "/policy-areas/housing/",
                "/organisations/",
            ] {
                let alone = pages.render(url).expect("renders").expect("a page");
                assert_eq!(alone, page(&out.path().join("public"), url), "{url}");
            }
            assert!(pages.render("/no/such/page/").expect("renders").is_none());
            // Internal profiles have no page on the public site.
            assert!(
                pages
                    .render("/profiles/fiona-mcleod/")
                    .expect("renders")
                    .is_none()
            );
        },
    )
    .expect("the photos are read");
}

/// A build never writes into a folder of files it did not write: it
/// refuses, saying what to do, and with `--force` moves the folder aside
/// whole before building in its place.
#[test]
fn a_folder_of_other_files_is_refused_and_moved_aside_only_when_asked() {
    let site = common::small_site();
    let out = tempfile::tempdir().expect("a folder");
    let output = out.path().join("www");
    std::fs::create_dir_all(&output).expect("a folder");
    std::fs::write(output.join("budget.xlsx"), "figures").expect("written");
    let output_arg = output.to_str().expect("UTF-8");
    let root_arg = site.path().to_str().expect("UTF-8");

    let refused = common::interchange(&["build", "--root", root_arg, "--output", output_arg]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{said}");
    assert!(
        said.contains("holds files Interchange did not write (such as budget.xlsx)")
            && said.contains("--force"),
        "{said}"
    );
    assert_eq!(
        std::fs::read_to_string(output.join("budget.xlsx")).expect("kept"),
        "figures"
    );

    let forced = common::interchange(&[
        "build", "--root", root_arg, "--output", output_arg, "--force",
    ]);
    let said = String::from_utf8_lossy(&forced.stderr);
    assert!(forced.status.success(), "{said}");
    assert!(said.contains("moved to"), "{said}");
    assert!(output.join("index.html").is_file());
    assert!(!output.join("budget.xlsx").exists());
    assert_eq!(
        std::fs::read_to_string(out.path().join("www.before-interchange/budget.xlsx"))
            .expect("kept aside"),
        "figures"
    );
    // Built again, as often as may be: the files aside stay.
    for _ in 0..2 {
        let again = common::interchange(&["build", "--root", root_arg, "--output", output_arg]);
        assert!(again.status.success());
    }
    assert!(
        out.path()
            .join("www.before-interchange/budget.xlsx")
            .is_file()
    );
}

#[test]
fn an_address_given_for_one_build_follows_the_rule_of_base_url() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let public = out.path().join("public");
    let refused = build(
        &repository(),
        &public,
        &["--base-url", "https://leeds-council.github.io/directory/"],
    );
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains(
            "--base-url: `https://leeds-council.github.io/directory/` is not the root of a host"
        ) && said.contains("publish the site at the root of its own host"),
        "{said}"
    );
    assert!(
        !public.exists(),
        "a refused build wrote {}",
        public.display()
    );
}

/// The number of pages `interchange build` says it rendered, and in all.
fn pages_built(output: &std::process::Output) -> (usize, usize) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let number = |after: &str| -> Option<usize> {
        let rest = &stdout[stdout.find(after)? + after.len()..];
        rest.split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    let all = number("Built ").unwrap_or_else(|| panic!("{stdout}"));
    if stdout.contains("pages (none had changed") {
        return (0, all);
    }
    (number(" pages (").unwrap_or(all), all)
}

#[test]
fn building_again_renders_only_what_changed_and_writes_what_a_full_build_writes() {
    let site = small_site("Priya advises on housing.");
    for n in 0..40 {
        common::write(
            site.path(),
            &format!("content/profiles/officer-{n}.md"),
            &format!(
                "---\nname: Officer {n}\nrole: Analyst\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-01-01\n---\nOfficer {n} works on lettings.\n"
            ),
        );
    }
    let out = tempfile::tempdir().expect("a temporary folder");
    let public = out.path().join("public");
    let first = build(site.path(), &public, &[]);
    assert!(first.status.success());
    let (rendered, pages) = pages_built(&first);
    assert_eq!(rendered, pages, "the first build renders every page");

    common::write(
        site.path(),
        "content/profiles/priya-shah.md",
        "---\nname: Priya Shah\nrole: Head of Housing\norganisation: acme\npolicy_areas: [housing]\nopen_to: [buddy]\nconsent: 2026-01-01\n---\nPriya advises on housing.\n",
    );
    let again = build(site.path(), &public, &[]);
    assert!(again.status.success());
    let (rendered, all) = pages_built(&again);
    assert_eq!(all, pages);
    assert!(
        rendered >= 1 && rendered * 4 < pages,
        "one profile changed: {}",
        String::from_utf8_lossy(&again.stdout)
    );
    assert!(text(&page(&public, "/profiles/priya-shah/")).contains("Head of Housing"));

    let full = out.path().join("full");
    let whole = build(site.path(), &full, &["--full"]);
    assert!(whole.status.success());
    assert_eq!(pages_built(&whole), (pages, pages));
    assert!(
        snapshot(&public) == snapshot(&full),
        "the site built again is the site a full build writes"
    );
    // `--full` renders every page, even where the last build kept its state.
    let forced = build(site.path(), &public, &["--full"]);
    assert_eq!(pages_built(&forced), (pages, pages));
    let unchanged = build(site.path(), &public, &[]);
    assert_eq!(pages_built(&unchanged), (0, pages), "nothing changed");
}

#[test]
fn a_build_as_of_an_earlier_day_than_the_last_renders_every_page() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let public = out.path().join("public");
    let root = repository();
    let later = common::build_as_of(&root, &public, "2027-06-01", &[]);
    assert!(later.status.success());
    // Events that had passed are upcoming again: nothing kept is trusted.
    let earlier = build(&root, &public, &[]);
    assert!(earlier.status.success());
    let (rendered, pages) = pages_built(&earlier);
    assert_eq!(rendered, pages);
    let full = out.path().join("full");
    assert!(build(&root, &full, &["--full"]).status.success());
    assert!(snapshot(&public) == snapshot(&full));
}
