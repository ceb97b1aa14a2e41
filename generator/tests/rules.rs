//! One test per rule of the content format: each writes a small site with one
//! mistake and asserts the exact diagnostic a comms officer would see.

use std::fs;
use std::path::Path;

use generator::{AsOf, Code, Diagnostic, LoadOptions, Loaded, Severity};

/// A valid site to break one rule at a time.
struct Site {
    dir: tempfile::TempDir,
}

const CONFIG: &str = r#"title = "Test directory"
base_url = "https://directory.example.gov.uk"
organisations = ["acme-council"]
"#;

const ORGANISATION: &str = "---
name: Acme Council
sector: local-government
---
About Acme.
";

const PROFILE: &str = "---
name: Priya Shah
role: Policy Adviser
organisation: acme-council
policy_areas: [adult-social-care]
interests: [data]
open_to: [buddy, coffee]
consent: 2026-10-01
---
Works on care.
";

impl Site {
    fn new() -> Self {
        let site = Site {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        site.write("interchange.toml", CONFIG);
        site.write("content/organisations/acme-council.md", ORGANISATION);
        site.write("content/profiles/priya-shah.md", PROFILE);
        site
    }

    fn write(&self, path: &str, text: &str) -> &Self {
        let path = self.dir.path().join(path);
        fs::create_dir_all(path.parent().expect("a parent folder")).expect("folder created");
        fs::write(path, text).expect("file written");
        self
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn load(&self) -> Loaded {
        generator::load(&LoadOptions {
            root: self.root().to_path_buf(),
            as_of: AsOf::Date(jiff::civil::date(2026, 11, 23)),
        })
        .expect("the site loads")
    }

    /// `(code, file, line)` of every diagnostic.
    fn found(&self) -> Vec<(Code, String, usize)> {
        self.load().diagnostics.iter().map(summary).collect()
    }

    /// The one diagnostic of the site, failing if there are others.
    fn only(&self) -> Diagnostic {
        let loaded = self.load();
        let all: Vec<_> = loaded.diagnostics.iter().map(summary).collect();
        assert_eq!(all.len(), 1, "expected one diagnostic, found {all:?}");
        loaded
            .diagnostics
            .into_iter()
            .next()
            .expect("one diagnostic")
    }
}

fn summary(d: &Diagnostic) -> (Code, String, usize) {
    (d.code, d.path().display().to_string(), d.line_col().0)
}

fn assert_at(d: &Diagnostic, code: Code, file: &str, line: usize, column: usize) {
    assert_eq!(
        (d.code, d.path().display().to_string(), d.line_col()),
        (code, file.to_string(), (line, column)),
        "{d}"
    );
}

fn hint(d: &Diagnostic) -> &str {
    d.hint.as_deref().unwrap_or_default()
}

const PROFILE_PATH: &str = "content/profiles/tom-young.md";

/// A profile with `replace` swapped for `with` in the valid one.
fn profile_with(replace: &str, with: &str) -> String {
    assert!(PROFILE.contains(replace), "{replace}");
    PROFILE.replace(replace, with)
}

#[test]
fn the_valid_site_is_clean() {
    let site = Site::new();
    let loaded = site.load();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.directory.profiles.len(), 1);
    assert_eq!(loaded.directory.profiles[0].data.name, "Priya Shah");
}

#[test]
fn unknown_field_suggests_the_nearest() {
    let site = Site::new();
    site.write(PROFILE_PATH, &profile_with("role:", "rol:"));
    // One mistake, one message, where it is: not a missing `role` as well.
    let d = site.only();
    assert_at(&d, Code::UnknownField, PROFILE_PATH, 3, 1);
    assert_eq!(
        d.message,
        "`rol` is not a field: it looks like `role`, which a profile needs"
    );
    assert_eq!(hint(&d), "rename it to `role`");
}

#[test]
fn origin_in_local_content_is_explained() {
    let site = Site::new();
    site.write(
        PROFILE_PATH,
        &profile_with("consent:", "origin: https://x.example/\nconsent:"),
    );
    let d = site.only();
    assert_at(&d, Code::UnknownField, PROFILE_PATH, 8, 1);
    assert!(hint(&d).contains("only mirrored entries"), "{}", hint(&d));
}

#[test]
fn wrong_type_names_what_was_expected() {
    let site = Site::new();
    site.write(
        PROFILE_PATH,
        &profile_with("name: Priya Shah", "name: [Priya, Shah]"),
    );
    let d = site.only();
    assert_at(&d, Code::WrongType, PROFILE_PATH, 2, 7);
    assert_eq!(d.message, "expected text, found a list");
}

#[test]
fn value_outside_an_enumeration_lists_the_valid_ones() {
    let site = Site::new();
    site.write(
        PROFILE_PATH,
        &profile_with("[buddy, coffee]", "[buddy, tea]"),
    );
    let d = site.only();
    assert_at(&d, Code::InvalidValue, PROFILE_PATH, 7, 18);
    assert_eq!(d.message, "`tea` is not a kind of meeting");
    assert!(
        hint(&d).contains("`buddy`, `coffee`, `shadowing`, `job-swap`"),
        "{}",
        hint(&d)
    );
}

#[test]
fn sector_typo_is_caught_with_a_guess() {
    let site = Site::new();
    site.write(
        "content/organisations/acme-council.md",
        &ORGANISATION.replace("local-government", "local-govt"),
    );
    let d = site.only();
    assert_at(
        &d,
        Code::InvalidValue,
        "content/organisations/acme-council.md",
        3,
        9,
    );
    assert!(
        hint(&d).starts_with("did you mean `local-government`?"),
        "{}",
        hint(&d)
    );
}

#[test]
fn missing_required_field_points_at_the_front_matter() {
    let site = Site::new();
    site.write(
        PROFILE_PATH,
        &profile_with("organisation: acme-council\n", ""),
    );
    let d = site.only();
    assert_at(&d, Code::MissingField, PROFILE_PATH, 1, 1);
    assert_eq!(d.message, "a profile has no `organisation`");
    assert_eq!(hint(&d), "add `organisation: leeds-city-council`");
}

#[test]
fn dangling_reference_names_both_files() {
    let site = Site::new();
    site.write(PROFILE_PATH, &profile_with("acme-council", "acme-counsil"));
    let d = site.only();
    assert_at(&d, Code::UnknownReference, PROFILE_PATH, 4, 15);
    assert_eq!(
        d.message,
        "`organisation` names the organisation `acme-counsil`, but content/organisations/acme-counsil.md does not exist"
    );
    assert!(
        hint(&d).starts_with("did you mean `acme-council`?"),
        "{}",
        hint(&d)
    );
}

#[test]
fn site_organisations_must_exist() {
    let site = Site::new();
    site.write(
        "interchange.toml",
        &CONFIG.replace("[\"acme-council\"]", "[\"acme-council\", \"nowhere\"]"),
    );
    let d = site.only();
    // TOML spans include the quotes.
    assert_at(&d, Code::UnknownReference, "interchange.toml", 3, 34);
}

/// The organisation of `other.example.gov.uk`, as its mirror holds it, for
/// mirrored profiles to name (a mirrored entry names only its own
/// directory's entries).
fn with_other_council(site: &Site) {
    site.write(
        "mirror/other.example.gov.uk/organisations/other-council.md",
        "---\nname: Other Council\nsector: local-government\norigin: https://other.example.gov.uk/organisations/other-council/\n---\nA council.\n",
    );
}

/// A profile as `other.example.gov.uk` sends it: of its own organisation.
fn mirrored_profile(slug: &str) -> String {
    profile_with(
        "consent:",
        &format!("origin: https://other.example.gov.uk/profiles/{slug}/\nconsent:"),
    )
    .replace("organisation: acme-council", "organisation: other-council")
}

#[test]
fn one_slug_from_this_site_and_two_directories_names_three_profiles() {
    let site = Site::new();
    with_other_council(&site);
    site.write(
        "mirror/other.example.gov.uk/profiles/priya-shah.md",
        &mirrored_profile("priya-shah"),
    );
    site.write(
        "mirror/third.example.gov.uk/organisations/other-council.md",
        "---\nname: Third Council\nsector: local-government\norigin: https://third.example.gov.uk/organisations/other-council/\n---\nA council.\n",
    );
    site.write(
        "mirror/third.example.gov.uk/profiles/priya-shah.md",
        &mirrored_profile("priya-shah").replace("other.example", "third.example"),
    );
    let loaded = site.load();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let keys: Vec<_> = loaded
        .directory
        .profiles
        .iter()
        .map(|p| p.slug.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "other.example.gov.uk/priya-shah",
            "priya-shah",
            "third.example.gov.uk/priya-shah"
        ]
    );
    // Each names its own directory's `other-council`.
    let third = loaded
        .directory
        .profile("third.example.gov.uk/priya-shah")
        .expect("the third directory's profile");
    assert_eq!(
        third.data.organisation,
        "third.example.gov.uk/other-council"
    );
}

#[test]
fn a_local_event_names_a_mirrored_profile_by_its_host_and_slug() {
    let site = Site::new();
    with_other_council(&site);
    let sam = mirrored_profile("sam-lee").replace("Priya Shah", "Sam Lee");
    site.write("mirror/other.example.gov.uk/profiles/sam-lee.md", &sam);
    site.write(
        EVENT_PATH,
        &EVENT.replace("host: priya-shah", "host: other.example.gov.uk/sam-lee"),
    );
    let loaded = site.load();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let event = loaded.directory.event("open-day").expect("the event");
    assert_eq!(
        event.data.host.as_deref(),
        Some("other.example.gov.uk/sam-lee")
    );

    // Gone from its directory, the guest is only a warning.
    fs::remove_file(
        site.root()
            .join("mirror/other.example.gov.uk/profiles/sam-lee.md"),
    )
    .expect("removed");
    let d = site.only();
    assert_at(&d, Code::UnlistedProfile, EVENT_PATH, 9, 7);
    assert_eq!(d.severity, Severity::Warning);

    // Written wrongly, it says how to write it.
    site.write(
        EVENT_PATH,
        &EVENT.replace("host: priya-shah", "host: Other/sam-lee"),
    );
    let d = site.only();
    assert_at(&d, Code::InvalidSlug, EVENT_PATH, 9, 7);
    assert!(hint(&d).contains("fire.example.gov.uk/callum-reid"), "{d}");
}

#[test]
fn mirrored_entries_are_read_with_their_origin() {
    let site = Site::new();
    with_other_council(&site);
    let mirrored = mirrored_profile("sam-lee").replace("Priya Shah", "Sam Lee");
    site.write("mirror/other.example.gov.uk/profiles/sam-lee.md", &mirrored);
    let loaded = site.load();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let sam = loaded
        .directory
        .profile("other.example.gov.uk/sam-lee")
        .expect("mirrored profile");
    assert!(sam.origin.is_mirror());
}

#[test]
fn mirrored_origin_must_be_on_its_host() {
    let site = Site::new();
    with_other_council(&site);
    let mirrored = profile_with(
        "consent:",
        "origin: https://elsewhere.example/profiles/sam/\nconsent:",
    )
    .replace("organisation: acme-council", "organisation: other-council");
    site.write("mirror/other.example.gov.uk/profiles/sam.md", &mirrored);
    let d = site.only();
    assert_at(
        &d,
        Code::InvalidUrl,
        "mirror/other.example.gov.uk/profiles/sam.md",
        8,
        9,
    );
}

const EVENT: &str = "---
title: Open day
kind: open-day
start: 2027-01-14T10:00
end: 2027-01-14T15:30
venue:
  name: 39 Victoria Street
  address: 39 Victoria Street, London SW1H 0EU
host: priya-shah
---
Come and see.
";
const EVENT_PATH: &str = "content/events/open-day.md";

#[test]
fn an_event_start_without_a_time_is_an_error_not_midnight() {
    let site = Site::new();
    site.write(
        EVENT_PATH,
        &EVENT
            .replace("start: 2027-01-14T10:00", "start: 2027-01-14")
            .replace("end: 2027-01-14T15:30\n", ""),
    );
    let found = site.found();
    assert!(
        found.contains(&(Code::InvalidDate, EVENT_PATH.into(), 4)),
        "{found:?}"
    );
    let loaded = site.load();
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == Code::InvalidDate)
        .expect("the start");
    assert_eq!(hint(d), "add a time: `2027-01-14T10:00`");
}

#[test]
fn event_ending_before_it_starts() {
    let site = Site::new();
    site.write(
        EVENT_PATH,
        &EVENT.replace("end: 2027-01-14T15:30", "end: 2027-01-14T09:30"),
    );
    let d = site.only();
    assert_at(&d, Code::EndBeforeStart, EVENT_PATH, 5, 6);
}

#[test]
fn event_without_end_is_a_warning_only() {
    let site = Site::new();
    site.write(EVENT_PATH, &EVENT.replace("end: 2027-01-14T15:30\n", ""));
    let loaded = site.load();
    assert!(!loaded.diagnostics.has_errors());
    let d = site.only();
    assert_eq!(d.severity, Severity::Warning);
    assert_at(&d, Code::NoEnd, EVENT_PATH, 4, 1);
    assert_eq!(loaded.directory.events.len(), 1);
}

#[test]
fn event_needs_a_place() {
    let site = Site::new();
    let event = EVENT.replace(
        "venue:\n  name: 39 Victoria Street\n  address: 39 Victoria Street, London SW1H 0EU\n",
        "",
    );
    site.write(EVENT_PATH, &event);
    let d = site.only();
    assert_at(&d, Code::NoPlace, EVENT_PATH, 1, 1);
}

#[test]
fn event_times_are_local_to_the_site() {
    let site = Site::new();
    site.write(EVENT_PATH, EVENT);
    site.write(
        "content/events/summer.md",
        &EVENT.replace("2027-01-14", "2027-07-14"),
    );
    let loaded = site.load();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let winter = loaded.directory.event("open-day").expect("event");
    let summer = loaded.directory.event("summer").expect("event");
    // 10:00 in London is 10:00 UTC in January and 09:00 UTC in July.
    assert_eq!(
        winter.data.start.timestamp().to_string(),
        "2027-01-14T10:00:00Z"
    );
    assert_eq!(
        summer.data.start.timestamp().to_string(),
        "2027-07-14T09:00:00Z"
    );
}

#[test]
fn nonexistent_local_time_at_the_spring_change() {
    let site = Site::new();
    site.write(
        EVENT_PATH,
        &EVENT
            .replace("start: 2027-01-14T10:00", "start: 2027-03-28T01:30")
            .replace("end: 2027-01-14T15:30", "end: 2027-03-28T04:00"),
    );
    let d = site.only();
    assert_at(&d, Code::NonexistentLocalTime, EVENT_PATH, 4, 8);
    assert!(
        d.message.contains("does not exist in Europe/London"),
        "{}",
        d.message
    );
}

#[test]
fn ambiguous_local_time_at_the_autumn_change() {
    let site = Site::new();
    site.write(
        EVENT_PATH,
        &EVENT
            .replace("start: 2027-01-14T10:00", "start: 2027-10-31T01:30")
            .replace("end: 2027-01-14T15:30", "end: 2027-10-31T04:00"),
    );
    let d = site.only();
    assert_at(&d, Code::AmbiguousLocalTime, EVENT_PATH, 4, 8);
    assert!(hint(&d).contains("2027-10-31T01:30+01"), "{}", hint(&d));
    // With the offset written, it is accepted.
    site.write(
        EVENT_PATH,
        &EVENT
            .replace("start: 2027-01-14T10:00", "start: 2027-10-31T01:30+00:00")
            .replace("end: 2027-01-14T15:30", "end: 2027-10-31T04:00"),
    );
    assert!(site.found().is_empty());
}

#[test]
fn invalid_repeat_rule() {
    let site = Site::new();
    site.write(
        EVENT_PATH,
        &EVENT.replace("host:", "repeat: FREQ=FORTNIGHTLY;COUNT=3\nhost:"),
    );
    let d = site.only();
    assert_at(&d, Code::InvalidRepeat, EVENT_PATH, 9, 9);
}

#[test]
fn repeat_rule_expands_in_local_time() {
    let site = Site::new();
    site.write(
        EVENT_PATH,
        &EVENT.replace("host:", "repeat: FREQ=MONTHLY;BYDAY=2TH;COUNT=6\nhost:"),
    );
    let loaded = site.load();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let event = loaded.directory.event("open-day").expect("event");
    let starts: Vec<String> = event
        .data
        .occurrences(loaded.now, 10)
        .iter()
        .map(|z| z.strftime("%Y-%m-%d %H:%M %Z").to_string())
        .collect();
    // The second Thursday of each month, always 10:00 on the wall clock.
    assert_eq!(
        starts,
        [
            "2027-01-14 10:00 GMT",
            "2027-02-11 10:00 GMT",
            "2027-03-11 10:00 GMT",
            "2027-04-08 10:00 BST",
            "2027-05-13 10:00 BST",
            "2027-06-10 10:00 BST",
        ]
    );
}

#[test]
fn a_cancelled_date_must_be_one_of_the_series() {
    let site = Site::new();
    // 11 February is the second Thursday; 12 February is not.
    site.write(
        EVENT_PATH,
        &EVENT.replace(
            "host:",
            "repeat: FREQ=MONTHLY;BYDAY=2TH;COUNT=6\ncancelled_dates: [2027-02-11, 2027-02-12]\nhost:",
        ),
    );
    let d = site.only();
    assert_at(&d, Code::NotAnOccurrence, EVENT_PATH, 10, 31);
    assert_eq!(
        d.message,
        "2027-02-12 (Friday 12 February 2027) is not one of this event's dates"
    );
    // The date that is one of them is left out of the dates to come.
    site.write(
        EVENT_PATH,
        &EVENT.replace(
            "host:",
            "repeat: FREQ=MONTHLY;BYDAY=2TH;COUNT=6\ncancelled_dates: [2027-02-11]\nhost:",
        ),
    );
    let loaded = site.load();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let event = &loaded.directory.event("open-day").expect("event").data;
    let kept: Vec<String> = event
        .occurrences(loaded.now, 3)
        .iter()
        .filter(|z| !event.is_called_off(z))
        .map(|z| z.strftime("%Y-%m-%d").to_string())
        .collect();
    assert_eq!(kept, ["2027-01-14", "2027-03-11"]);
}

#[test]
fn cancelled_dates_need_a_repeating_event() {
    let site = Site::new();
    site.write(
        EVENT_PATH,
        &EVENT.replace("host:", "cancelled_dates: [2027-01-14]\nhost:"),
    );
    let d = site.only();
    assert_at(&d, Code::NotAnOccurrence, EVENT_PATH, 9, 18);
    assert!(hint(&d).contains("cancelled: true"), "{}", hint(&d));
}

const CONSULTATION: &str = "---
title: Charging reform
opens: 2026-12-01
closes: 2027-02-28T23:59
policy_areas: [adult-social-care]
lead: priya-shah
respond:
  url: https://consult.example.gov.uk/charging
---
About it.
";
const CONSULTATION_PATH: &str = "content/consultations/charging.md";

#[test]
fn consultation_closing_before_it_opens() {
    let site = Site::new();
    site.write(
        CONSULTATION_PATH,
        &CONSULTATION.replace("closes: 2027-02-28T23:59", "closes: 2026-11-30"),
    );
    let d = site.only();
    assert_at(&d, Code::ClosesBeforeOpens, CONSULTATION_PATH, 4, 9);
}

#[test]
fn consultation_needs_a_way_to_respond() {
    let site = Site::new();
    site.write(
        CONSULTATION_PATH,
        &CONSULTATION.replace(
            "  url: https://consult.example.gov.uk/charging\n",
            "  nothing: here\n",
        ),
    );
    let found = site.found();
    assert_eq!(
        found,
        [
            (Code::NoWayToRespond, CONSULTATION_PATH.into(), 8),
            (Code::UnknownField, CONSULTATION_PATH.into(), 8),
        ]
    );
}

#[test]
fn consultation_status_is_derived_from_its_dates() {
    use generator::content::ConsultationStatus;
    let site = Site::new();
    site.write(CONSULTATION_PATH, CONSULTATION);
    site.write(
        "content/consultations/done.md",
        &CONSULTATION
            .replace("opens: 2026-12-01", "opens: 2026-01-05")
            .replace("closes: 2027-02-28T23:59", "closes: 2026-03-01")
            .replace("About it.", "About it.\n\n## Outcome\n\nWe changed it."),
    );
    let loaded = site.load();
    let status = |slug: &str, date| {
        let now = jiff::civil::date(2026, 11, 23)
            .at(12, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .expect("a moment");
        let now = match date {
            Some(d) => d,
            None => now,
        }
        .timestamp();
        loaded
            .directory
            .consultation(slug)
            .expect("consultation")
            .data
            .status(now)
    };
    assert_eq!(status("charging", None), ConsultationStatus::Upcoming);
    let in_january = jiff::civil::date(2027, 1, 10)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .expect("a moment");
    assert_eq!(
        status("charging", Some(in_january)),
        ConsultationStatus::Open
    );
    assert_eq!(status("done", None), ConsultationStatus::OutcomePublished);
}

#[test]
fn missing_consent_is_an_error() {
    let site = Site::new();
    site.write(PROFILE_PATH, &profile_with("consent: 2026-10-01\n", ""));
    let d = site.only();
    assert_at(&d, Code::MissingField, PROFILE_PATH, 1, 1);
    assert_eq!(d.message, "a profile has no `consent`");
}

#[test]
fn future_consent_is_an_error_as_of_the_check_date() {
    let site = Site::new();
    site.write(PROFILE_PATH, &profile_with("2026-10-01", "2026-12-01"));
    let d = site.only();
    assert_at(&d, Code::ConsentInFuture, PROFILE_PATH, 8, 1);
    // As of a later date, the same consent is in the past.
    let later = generator::load(&LoadOptions {
        root: site.root().to_path_buf(),
        as_of: AsOf::Date(jiff::civil::date(2026, 12, 2)),
    })
    .expect("loads");
    assert!(later.diagnostics.is_empty());
}

#[test]
fn swap_needs_job_swap_in_open_to() {
    let site = Site::new();
    let offer =
        "grade: Grade 7\nswap:\n  months: 3\n  wants:\n    sectors: [central-government]\nconsent:";
    site.write(PROFILE_PATH, &profile_with("consent:", offer));
    let d = site.only();
    assert_at(&d, Code::SwapWithoutJobSwap, PROFILE_PATH, 9, 1);
    // With job-swap, the same offer is fine.
    site.write(
        PROFILE_PATH,
        &profile_with("consent:", offer).replace("[buddy, coffee]", "[buddy, job-swap]"),
    );
    assert!(site.found().is_empty());
}

/// The valid profile offering a swap, with `fields` (a grade, a level) before it.
fn swap_offer(fields: &str) -> String {
    profile_with("consent:", &format!("{fields}swap:\n  months: 3\nconsent:"))
        .replace("[buddy, coffee]", "[buddy, job-swap]")
}

#[test]
fn a_swap_offer_whose_grade_has_no_level_is_a_warning_saying_how_to_fix_it() {
    let site = Site::new();
    site.write(PROFILE_PATH, &swap_offer("grade: Band 8x\n"));
    let d = site.only();
    assert_eq!(d.severity, Severity::Warning);
    assert_at(&d, Code::NoLevel, PROFILE_PATH, 8, 1);
    assert_eq!(
        d.message,
        "the grade `Band 8x` is in no level band, so this job swap offer cannot be placed"
    );
    assert_eq!(
        hint(&d),
        "add `level:` (1 to 7: docs/levels.md lists the bands) to this profile, or map the grade for the whole site in interchange.toml: `[levels]`, then `\"Band 8x\" = 4` with its band"
    );
    assert!(
        site.load()
            .directory
            .profile("tom-young")
            .expect("Tom")
            .data
            .level
            .is_none()
    );

    // A bare number could be either of two grades.
    site.write(PROFILE_PATH, &swap_offer("grade: 7\n"));
    let d = site.only();
    assert_at(&d, Code::NoLevel, PROFILE_PATH, 8, 1);
    assert!(hint(&d).starts_with("`7` alone could be a Civil Service grade or an NHS band: write it as `Grade 7` or `Band 7`"), "{}", hint(&d));

    // Two grades in two bands.
    site.write(PROFILE_PATH, &swap_offer("grade: Band 6/7\n"));
    let d = site.only();
    assert_eq!(
        hint(&d),
        "add `level: 3` or `level: 4`, the band of the job offered"
    );

    // No grade at all: the warning is at the offer.
    site.write(PROFILE_PATH, &swap_offer(""));
    let d = site.only();
    assert_at(&d, Code::NoLevel, PROFILE_PATH, 8, 1);
    assert_eq!(
        d.message,
        "this job swap offer cannot be placed: the profile has no `grade` or `level`"
    );

    // `level:` settles it, whatever the grade.
    site.write(PROFILE_PATH, &swap_offer("grade: Band 8x\nlevel: 5\n"));
    assert!(site.found().is_empty());
    assert_eq!(
        site.load()
            .directory
            .profile("tom-young")
            .expect("Tom")
            .data
            .level,
        Some(5)
    );

    // Without a swap offer, a grade with no band is nobody's concern.
    site.write(
        PROFILE_PATH,
        &profile_with("consent:", "grade: Band 8x\nconsent:"),
    );
    assert!(site.found().is_empty());
}

#[test]
fn a_known_grade_gives_a_profile_its_level() {
    let site = Site::new();
    site.write(PROFILE_PATH, &swap_offer("grade: AfC band 8a\n"));
    assert!(site.found().is_empty());
    assert_eq!(
        site.load()
            .directory
            .profile("tom-young")
            .expect("Tom")
            .data
            .level,
        Some(4)
    );
    // An empty `level:` is as if unwritten.
    site.write(PROFILE_PATH, &swap_offer("grade: AfC band 8a\nlevel:\n"));
    assert!(site.found().is_empty());
    assert_eq!(
        site.load()
            .directory
            .profile("tom-young")
            .expect("Tom")
            .data
            .level,
        Some(4)
    );
}

#[test]
fn a_level_outside_the_scale_is_an_error() {
    let site = Site::new();
    site.write(PROFILE_PATH, &swap_offer("grade: Grade 7\nlevel: 9\n"));
    let d = site.only();
    assert_at(&d, Code::InvalidValue, PROFILE_PATH, 9, 8);
    assert_eq!(hint(&d), "use a whole number from 1 to 7");
}

#[test]
fn the_site_s_levels_override_and_add_to_the_table() {
    let site = Site::new();
    site.write(
        "interchange.toml",
        &format!("{CONFIG}\n[levels]\n\"Band 8a\" = 5\n\"Police Staff Grade 10\" = 4\n"),
    );
    site.write(PROFILE_PATH, &swap_offer("grade: Band 8A\n"));
    assert!(site.found().is_empty());
    assert_eq!(
        site.load()
            .directory
            .profile("tom-young")
            .expect("Tom")
            .data
            .level,
        Some(5)
    );
    site.write(PROFILE_PATH, &swap_offer("grade: police staff grade 10\n"));
    assert!(site.found().is_empty());
    assert_eq!(
        site.load()
            .directory
            .profile("tom-young")
            .expect("Tom")
            .data
            .level,
        Some(4)
    );
}

#[test]
fn the_site_s_levels_and_swap_settings_are_checked_with_their_lines() {
    let site = Site::new();
    site.write(
        "interchange.toml",
        &format!("{CONFIG}\n[levels]\n\"Band 8a\" = 8\n\"--\" = 3\nHEO = \"three\"\n\n[swaps]\nlevels_apart = 2\nlevel_apart = 1\n"),
    );
    let found = site.found();
    assert_eq!(
        found,
        [
            (Code::InvalidValue, "interchange.toml".into(), 6),
            (Code::InvalidValue, "interchange.toml".into(), 7),
            (Code::WrongType, "interchange.toml".into(), 8),
            (Code::InvalidValue, "interchange.toml".into(), 11),
            (Code::UnknownField, "interchange.toml".into(), 12),
        ]
    );
    let loaded = site.load();
    let hints: Vec<&str> = loaded.diagnostics.iter().map(hint).collect();
    assert_eq!(hints[0], "use a whole number from 1 to 7");
    assert_eq!(hints[3], "use a whole number from 0 to 1");
    assert_eq!(hints[4], "did you mean `levels_apart`?");
}

#[test]
fn a_regulated_profession_is_one_of_the_list() {
    let site = Site::new();
    site.write(
        PROFILE_PATH,
        &profile_with(
            "consent:",
            "grade: Band 6\nswap:\n  months: 3\n  regulated: nurse\n  vetting: sc\nconsent:",
        )
        .replace("[buddy, coffee]", "[buddy, job-swap]"),
    );
    let found = site.found();
    assert_eq!(
        found,
        [
            (Code::InvalidValue, PROFILE_PATH.into(), 11),
            (Code::InvalidValue, PROFILE_PATH.into(), 12),
        ]
    );
    let loaded = site.load();
    assert!(
        hint(loaded.diagnostics.iter().next().expect("one")).starts_with("did you mean `nursing`?")
    );
}

#[test]
fn swap_places_is_a_whole_number() {
    let site = Site::new();
    site.write(
        "content/organisations/acme-council.md",
        &ORGANISATION.replace(
            "sector: local-government\n",
            "sector: local-government\nswap_places: ten\n",
        ),
    );
    let d = site.only();
    assert_at(
        &d,
        Code::WrongType,
        "content/organisations/acme-council.md",
        4,
        14,
    );
}

#[test]
fn missing_photo_and_logo_files() {
    let site = Site::new();
    site.write(
        PROFILE_PATH,
        &profile_with("consent:", "photo: tom.jpg\nconsent:"),
    );
    site.write(
        "content/organisations/acme-council.md",
        &ORGANISATION.replace("sector:", "logo: logos/acme.svg\nsector:"),
    );
    let found = site.found();
    assert_eq!(
        found,
        [
            (
                Code::MissingFile,
                "content/organisations/acme-council.md".into(),
                3
            ),
            (Code::MissingFile, PROFILE_PATH.into(), 8),
        ]
    );
    // A file that is there but is not a picture is no photo.
    site.write("static/tom.jpg", "jpeg");
    site.write("static/logos/acme.svg", "<svg/>");
    assert_eq!(
        site.found(),
        [(Code::UnusablePhoto, PROFILE_PATH.into(), 8)]
    );
    let photo = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/photos/with-gps.jpg"),
    )
    .expect("the fixture");
    std::fs::write(site.root().join("static/tom.jpg"), photo).expect("written");
    assert!(site.found().is_empty());
}

#[test]
fn policy_area_outside_the_vocabulary_hints_the_nearest() {
    let site = Site::new();
    site.write(
        PROFILE_PATH,
        &profile_with("[adult-social-care]", "[social-care]"),
    );
    let d = site.only();
    assert_at(&d, Code::UnknownPolicyArea, PROFILE_PATH, 5, 16);
    assert!(
        hint(&d).starts_with("did you mean `adult-social-care`"),
        "{}",
        hint(&d)
    );
}

#[test]
fn a_site_may_extend_the_vocabulary() {
    let site = Site::new();
    site.write(
        PROFILE_PATH,
        &profile_with("[adult-social-care]", "[coastal-communities]"),
    );
    site.write(
        "interchange.toml",
        &format!("{CONFIG}\n[vocabulary]\npolicy_areas = [\"coastal-communities\"]\n"),
    );
    let loaded = site.load();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(
        loaded
            .directory
            .site
            .vocabulary
            .policy_area_label("coastal-communities"),
        Some("Coastal communities")
    );
}

#[test]
fn malformed_url() {
    let site = Site::new();
    site.write(
        "content/organisations/acme-council.md",
        &ORGANISATION.replace("sector:", "website: www.acme.gov.uk\nsector:"),
    );
    let d = site.only();
    assert_at(
        &d,
        Code::InvalidUrl,
        "content/organisations/acme-council.md",
        3,
        10,
    );
    assert_eq!(hint(&d), "add the scheme: `https://www.acme.gov.uk`");
}

#[test]
fn malformed_email() {
    let site = Site::new();
    site.write(
        PROFILE_PATH,
        &profile_with(
            "consent:",
            "contact:\n  email: priya.shah@@acme.gov.uk\nconsent:",
        ),
    );
    let d = site.only();
    assert_at(&d, Code::InvalidEmail, PROFILE_PATH, 9, 10);
}

#[test]
fn malformed_booking_mailto() {
    let site = Site::new();
    site.write(
        EVENT_PATH,
        &EVENT.replace("host:", "booking: mailto:not-an-address\nhost:"),
    );
    let d = site.only();
    assert_at(&d, Code::InvalidEmail, EVENT_PATH, 9, 10);
}

#[test]
fn similar_interests_are_warnings() {
    let site = Site::new();
    site.write(PROFILE_PATH, &profile_with("[data]", "[data-science]"));
    site.write(
        "content/profiles/sam-lee.md",
        &profile_with("[data]", "[datascience]").replace("Priya Shah", "Sam Lee"),
    );
    site.write(
        "content/profiles/ann-bell.md",
        &profile_with("[data]", "[data-science]").replace("Priya Shah", "Ann Bell"),
    );
    let loaded = site.load();
    assert!(!loaded.diagnostics.has_errors());
    let d = site.only();
    assert_eq!(d.severity, Severity::Warning);
    assert_at(
        &d,
        Code::SimilarInterests,
        "content/profiles/sam-lee.md",
        6,
        13,
    );
    assert!(
        hint(&d).starts_with("write `data-science` (used 2 times)"),
        "{}",
        hint(&d)
    );
}

#[test]
fn bad_yaml_is_reported_and_other_files_still_checked() {
    let site = Site::new();
    site.write(PROFILE_PATH, "---\nname: Tom\nrole: [unclosed\n---\n");
    site.write(EVENT_PATH, &EVENT.replace("kind: open-day", "kind: party"));
    let found = site.found();
    assert_eq!(
        found,
        [
            (Code::InvalidValue, EVENT_PATH.into(), 3),
            (Code::Syntax, PROFILE_PATH.into(), 3),
        ]
    );
}

#[test]
fn hostile_yaml_is_refused_without_hanging() {
    let site = Site::new();
    let mut bomb = String::from("---\na: &a [x,x,x,x,x,x,x,x,x]\n");
    for i in 1..9u8 {
        let (prev, name) = ((b'a' + i - 1) as char, (b'a' + i) as char);
        bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    bomb.push_str("---\n");
    site.write(PROFILE_PATH, &bomb);
    site.write(
        "content/profiles/deep.md",
        &format!("---\na: {}{}\n---\n", "[".repeat(5000), "]".repeat(5000)),
    );
    let found = site.found();
    assert_eq!(
        found,
        [
            (Code::Syntax, "content/profiles/deep.md".into(), 2),
            // The first anchor is refused.
            (Code::Syntax, PROFILE_PATH.into(), 2),
        ]
    );
}

#[test]
fn missing_front_matter() {
    let site = Site::new();
    site.write(PROFILE_PATH, "name: Tom\n");
    site.write("content/profiles/open.md", "---\nname: Tom\n");
    let found = site.found();
    assert_eq!(
        found,
        [
            (
                Code::MissingFrontMatter,
                "content/profiles/open.md".into(),
                1
            ),
            (Code::MissingFrontMatter, PROFILE_PATH.into(), 1),
        ]
    );
}

#[test]
fn file_name_must_be_a_slug() {
    let site = Site::new();
    site.write(
        "content/profiles/Tom Young.md",
        &PROFILE.replace("Priya", "Tom"),
    );
    let d = site.only();
    assert_at(&d, Code::InvalidSlug, "content/profiles/Tom Young.md", 1, 1);
    assert_eq!(
        hint(&d),
        "rename the file to `tom-young.md`: lower-case letters, digits and hyphens"
    );
}

#[test]
fn file_outside_a_kind_folder() {
    let site = Site::new();
    site.write("content/people/tom.md", PROFILE);
    let d = site.only();
    assert_at(&d, Code::UnknownKind, "content/people/tom.md", 1, 1);
}

#[test]
fn a_folder_named_nearly_as_a_kind_says_which() {
    let site = Site::new();
    site.write("content/profile/tom.md", PROFILE);
    let d = site.only();
    assert_at(&d, Code::UnknownKind, "content/profile/tom.md", 1, 1);
    assert!(
        hint(&d).starts_with("`profile` is not a kind of entry: did you mean `profiles`?"),
        "{}",
        hint(&d)
    );
}

#[test]
fn config_problems_are_reported_with_the_content() {
    let site = Site::new();
    site.write(
        "interchange.toml",
        &format!("{CONFIG}timezone = \"Europe/Londres\"\n\n[federation]\nhandel = \"x\"\n"),
    );
    site.write(
        PROFILE_PATH,
        &profile_with("[buddy, coffee]", "[buddy, tea]"),
    );
    let found = site.found();
    assert_eq!(
        found,
        [
            (Code::InvalidValue, PROFILE_PATH.into(), 7),
            (Code::InvalidValue, "interchange.toml".into(), 4),
            (Code::UnknownField, "interchange.toml".into(), 7),
        ]
    );
    let loaded = site.load();
    let zone = loaded
        .diagnostics
        .iter()
        .find(|d| d.path() == Path::new("interchange.toml"))
        .expect("zone diagnostic");
    assert!(
        hint(zone).starts_with("did you mean `Europe/London`"),
        "{}",
        hint(zone)
    );
}

#[test]
fn broken_toml_still_checks_the_content() {
    let site = Site::new();
    site.write("interchange.toml", "title = \"unclosed\nbase_url = 1\n");
    site.write(
        PROFILE_PATH,
        &profile_with("[buddy, coffee]", "[buddy, tea]"),
    );
    let found = site.found();
    assert_eq!(found[0].0, Code::InvalidValue);
    assert!(
        found
            .iter()
            .any(|(code, file, _)| *code == Code::Syntax && file == "interchange.toml")
    );
}

#[test]
fn a_folder_without_config_is_not_a_site() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let error = generator::load(&LoadOptions::new(dir.path())).expect_err("not a site");
    assert!(
        error.to_string().contains("has no interchange.toml"),
        "{error}"
    );
}

#[test]
fn every_code_is_documented_in_the_content_reference() {
    let reference =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/content.md"))
            .expect("docs/content.md exists");
    for code in Code::ALL {
        assert!(
            reference.contains(&format!("`{}`", code.as_str())),
            "docs/content.md does not explain `{code}`"
        );
    }
}

#[test]
fn respond_with_only_empty_ways_is_no_way() {
    let site = Site::new();
    site.write(
        CONSULTATION_PATH,
        &CONSULTATION.replace(
            "  url: https://consult.example.gov.uk/charging\n",
            "  url:\n  email:\n",
        ),
    );
    let d = site.only();
    assert_at(&d, Code::NoWayToRespond, CONSULTATION_PATH, 8, 3);
}

#[test]
fn similar_interests_in_mirrored_files_are_not_warned_about() {
    let site = Site::new();
    site.write(PROFILE_PATH, &profile_with("[data]", "[data-science]"));
    with_other_council(&site);
    let mirrored = mirrored_profile("sam-lee").replace("[data]", "[datascience]");
    site.write("mirror/other.example.gov.uk/profiles/sam-lee.md", &mirrored);
    site.write(
        "content/profiles/ann-bell.md",
        &profile_with("[data]", "[datascience]"),
    );
    // The mirrored spelling makes `datascience` the common one; the local
    // `data-science` is the one warned about.
    let found = site.found();
    assert_eq!(found, [(Code::SimilarInterests, PROFILE_PATH.into(), 6)]);
}

#[test]
fn links_in_bodies_must_reach_an_entry() {
    let site = Site::new();
    site.write(
        PROFILE_PATH,
        &profile_with(
            "Works on care.",
            "Works with [Priya](@/profiles/priya-shah.md) and [Sam](@/profiles/sam-lee.md).\n\nSee [notes](../notes/x.md).",
        ),
    );
    let found = site.found();
    // A link to a profile not listed is a warning (it may have been
    // removed); a link to a file that is not an entry is an error.
    assert_eq!(
        found,
        [
            (Code::UnlistedProfile, PROFILE_PATH.into(), 10),
            (Code::BrokenLink, PROFILE_PATH.into(), 12),
        ]
    );
    let loaded = site.load();
    let first = loaded.diagnostics.iter().next().expect("a diagnostic");
    assert_eq!(first.line_col(), (10, 50));
    assert!(!first.is_error());
    assert_eq!(
        first.message,
        "this link goes to the profile `sam-lee`, which is not listed: the link is shown as plain text"
    );
}

#[test]
fn removing_a_profile_is_never_blocked_by_the_entries_that_name_it() {
    let site = Site::new();
    site.write(
        "content/events/open-day.md",
        "---\ntitle: Open day\nkind: open-day\nstart: 2027-03-04T10:00\nend: 2027-03-04T16:00\nvenue:\n  name: Civic Centre\nhost: sam-lee\n---\nCome and see.\n",
    );
    site.write(
        "content/consultations/allocations.md",
        "---\ntitle: Allocations review\nopens: 2027-01-10T09:00\ncloses: 2027-03-31T23:59\nlead: sam-lee\nrespond:\n  url: https://consult.example.gov.uk/allocations\n---\nHow homes are allocated.\n",
    );
    site.write(
        "content/asks/mentor-wanted.md",
        "---\ntitle: A mentor\nkind: mentor\nby: sam-lee\n---\nSomeone who knows funding.\n",
    );
    // Sam's profile is gone: every mention is a warning, none an error.
    let loaded = site.load();
    let found: Vec<_> = loaded.diagnostics.iter().map(summary).collect();
    assert_eq!(
        found,
        [
            (
                Code::UnlistedProfile,
                "content/asks/mentor-wanted.md".into(),
                4
            ),
            (
                Code::UnlistedProfile,
                "content/consultations/allocations.md".into(),
                5
            ),
            (
                Code::UnlistedProfile,
                "content/events/open-day.md".into(),
                8
            ),
        ]
    );
    assert!(!loaded.diagnostics.has_errors());
    let messages: Vec<&str> = loaded
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "`by` names the profile `sam-lee`, which is not listed: the ask is not shown",
            "`lead` names the profile `sam-lee`, which is not listed: the consultation is shown without a lead",
            "`host` names the profile `sam-lee`, which is not listed: the event is shown without a host",
        ]
    );
    // And nothing made from the directory carries the slug.
    let directory = &loaded.directory;
    assert_eq!(
        directory.event("open-day").expect("the event").data.host,
        None
    );
    let consultation = directory
        .consultation("allocations")
        .expect("the consultation");
    assert_eq!(consultation.data.lead, None);
    assert!(directory.ask("mentor-wanted").is_none(), "the ask is shown");
}

#[test]
fn a_mirrored_entry_cannot_attach_itself_to_this_sites_entries() {
    let site = Site::new();
    // Another directory's profile naming this site's organisation, and its
    // ask naming this site's officer.
    let profile = profile_with(
        "consent:",
        "origin: https://other.example.gov.uk/profiles/sam-lee/\nconsent:",
    )
    .replace("Priya Shah", "Sam Lee");
    site.write("mirror/other.example.gov.uk/profiles/sam-lee.md", &profile);
    site.write(
        "mirror/other.example.gov.uk/asks/mentor-wanted.md",
        "---\ntitle: A mentor\nkind: mentor\nby: priya-shah\norigin: https://other.example.gov.uk/asks/mentor-wanted/\n---\nSomeone who knows funding.\n",
    );
    let loaded = site.load();
    let found: Vec<_> = loaded.diagnostics.iter().map(summary).collect();
    assert_eq!(
        found,
        [
            (
                Code::UnknownReference,
                "mirror/other.example.gov.uk/asks/mentor-wanted.md".into(),
                4
            ),
            (
                Code::UnknownReference,
                "mirror/other.example.gov.uk/profiles/sam-lee.md".into(),
                4
            ),
        ]
    );
    let first = loaded.diagnostics.iter().next().expect("a diagnostic");
    assert_eq!(
        first.message,
        "`by` names the profile `priya-shah`, which other.example.gov.uk has not sent (a directory's entries name only its own)"
    );
    // Once its directory sends its own organisation, the profile is read.
    with_other_council(&site);
    site.write(
        "mirror/other.example.gov.uk/profiles/sam-lee.md",
        &mirrored_profile("sam-lee").replace("Priya Shah", "Sam Lee"),
    );
    let found = site.found();
    assert_eq!(
        found,
        [(
            Code::UnknownReference,
            "mirror/other.example.gov.uk/asks/mentor-wanted.md".into(),
            4
        )]
    );
}
