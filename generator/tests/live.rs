//! A site served and saved file by file must be, after every save, the site
//! a full build of the same files writes: file for file, byte for byte. So
//! must a site built again by `interchange build` in a new process, from what
//! the last build kept on disk. Each test edits the demo directory the way an
//! editor would and compares; most do so both ways (see the end of the file).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use generator::live::{LiveSite, Outcome};
use generator::render::Quiet;
use generator::{AsOf, BuildOptions, Built, LoadOptions, Loaded};
use walkdir::WalkDir;

/// How the site is built again after each change.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Saves {
    /// Served: the live site is told which files changed.
    Served,
    /// `interchange build` run again, in a new process each time: it reads
    /// every file and what the last build kept on disk, and nothing else.
    Rebuilt,
}

/// The demo site, copied into a temporary folder.
struct Demo {
    _dir: tempfile::TempDir,
    root: PathBuf,
    saves: Saves,
    live: LiveSite,
    output: PathBuf,
    fresh: PathBuf,
    /// How many entry files the last rebuild parsed.
    last_parsed: std::cell::Cell<usize>,
    /// How many entry files the last rebuild opened.
    last_opened: std::cell::Cell<usize>,
}

fn load_options(root: &Path) -> LoadOptions {
    LoadOptions {
        root: root.to_path_buf(),
        as_of: AsOf::Date(jiff::civil::date(2027, 1, 14)),
    }
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let relative = entry.path().strip_prefix(from).expect("under the folder");
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("folder made");
        } else {
            std::fs::copy(entry.path(), &target).expect("file copied");
        }
    }
}

/// Every file of a built site, by path.
fn site_files(output: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    WalkDir::new(output)
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(output).expect("under").to_path_buf();
            (relative, std::fs::read(e.path()).expect("readable"))
        })
        .collect()
}

impl Demo {
    /// The demo, served.
    fn new() -> Self {
        Self::built(Saves::Served)
    }

    /// The demo, built the first time.
    fn built(saves: Saves) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path().join("site");
        let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for folder in ["content", "mirror", "rounds", "static"] {
            copy_folder(&demo.join(folder), &root.join(folder));
        }
        std::fs::copy(demo.join("interchange.toml"), root.join("interchange.toml"))
            .expect("config copied");
        let output = dir.path().join("live");
        let fresh = dir.path().join("fresh");
        let live = LiveSite::open(&load_options(&root), build_options(&output)).expect("opens");
        let mut demo = Self {
            _dir: dir,
            root,
            saves,
            live,
            output,
            fresh,
            last_parsed: std::cell::Cell::new(0),
            last_opened: std::cell::Cell::new(0),
        };
        let first = demo.save(&[]);
        assert_eq!(
            first,
            first_build_pages(&demo),
            "the first build writes every page"
        );
        demo
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
        std::fs::write(&path, text).expect("written");
        path
    }

    fn edit(&self, relative: &str, from: &str, to: &str) -> PathBuf {
        let path = self.root.join(relative);
        let text = std::fs::read_to_string(&path).expect("readable");
        assert!(text.contains(from), "{relative} has `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("written");
        path
    }

    /// Tells the live site of the changed files, or builds the site again
    /// as a new `interchange build` process does; returns how many pages it
    /// rendered.
    fn save(&mut self, changed: &[PathBuf]) -> usize {
        if self.saves == Saves::Rebuilt {
            return self.rebuild(generator::Memory::last_build(&build_options(&self.output)));
        }
        let update = self.live.update(changed, &Quiet);
        match update.outcome {
            Outcome::Built(built) => built.rendered,
            other => panic!(
                "the build failed: {other:?}\n{:?}",
                update
                    .diagnostics
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            ),
        }
    }

    /// Builds the site into the live output, from `memory`, as
    /// `interchange build` does; returns how many pages it rendered.
    fn rebuild(&self, memory: generator::Memory) -> usize {
        let keep = generator::Keep {
            folder: build_options(&self.output).cache_folder(),
            reuse: true,
            // The files written a moment ago are trusted at once, as if
            // written long before: a build here is slower than a tick of
            // the clock between the reading and the next edit.
            settled: std::time::Duration::ZERO,
        };
        let kept = generator::load_keeping(&load_options(&self.root), &keep).expect("loads");
        let fresh = generator::load(&load_options(&self.root)).expect("loads");
        assert_eq!(
            format!("{:?}", (&kept.directory, &kept.diagnostics)),
            format!("{:?}", (&fresh.directory, &fresh.diagnostics)),
            "what was kept from the last reading is what reading afresh gives"
        );
        self.last_parsed.set(kept.parsed);
        self.last_opened.set(kept.opened);
        self.build_into(&self.output, memory, kept).rendered
    }

    /// Builds the site as `loaded` into `output` from `memory`.
    fn build_into(&self, output: &Path, memory: generator::Memory, loaded: Loaded) -> Built {
        assert!(!loaded.diagnostics.has_errors(), "the site checks");
        generator::build_with(
            &loaded.directory,
            &self.root,
            loaded.now,
            &build_options(output),
            memory,
            &Quiet,
        )
        .expect("builds")
    }

    /// Asserts that the live site is the one a full build makes now, as
    /// `interchange build` makes it: the one build of a process, which
    /// keeps nothing for a next one.
    fn assert_same_as_full_build(&self, after: &str) {
        let loaded = generator::load(&load_options(&self.root)).expect("loads");
        assert!(!loaded.diagnostics.has_errors(), "{after}: the site checks");
        self.build_into(&self.fresh, generator::Memory::once(), loaded);
        let live = site_files(&self.output);
        let fresh = site_files(&self.fresh);
        let live_paths: Vec<&PathBuf> = live.keys().collect();
        let fresh_paths: Vec<&PathBuf> = fresh.keys().collect();
        assert_eq!(live_paths, fresh_paths, "{after}: the same files");
        for (path, bytes) in &fresh {
            assert!(
                live[path] == *bytes,
                "{after}: {} differs from a full build",
                path.display()
            );
        }
    }
}

/// Does `write` to the file at `path`, then sets its modification time
/// back to what it was, as `touch -r` or `rsync -t` would.
fn keeping_modified(path: &Path, write: impl FnOnce()) {
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("a time");
    write();
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(modified))
        .expect("its time put back");
}

fn build_options(output: &Path) -> BuildOptions {
    BuildOptions {
        output: output.to_path_buf(),
        base_url: None,
        internal: false,
    }
}

fn first_build_pages(demo: &Demo) -> usize {
    site_files(&demo.output)
        .keys()
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .count()
}

fn editing_a_bio_renders_a_few_pages_and_matches_a_full_build(saves: Saves) {
    let mut demo = Demo::built(saves);
    let pages = first_build_pages(&demo);
    let path = demo.edit(
        "content/profiles/amira-hussain.md",
        "Amira runs the council's housing options service",
        "Amira leads the council's housing options service",
    );
    let rendered = demo.save(&[path]);
    assert!(
        rendered >= 1 && rendered * 5 < pages,
        "a bio edit renders {rendered} of {pages} pages"
    );
    let page = std::fs::read_to_string(demo.output.join("profiles/amira-hussain/index.html"))
        .expect("the profile page");
    assert!(page.contains("Amira leads the council"));
    demo.assert_same_as_full_build("a bio edit");

    // Saving again with nothing changed renders nothing.
    assert_eq!(demo.save(&[]), 0);
}

fn a_file_written_again_unchanged_moves_its_dates_in_feeds_and_calendars(saves: Saves) {
    let mut demo = Demo::built(saves);
    let feed = demo.output.join("feeds/profiles.xml");
    let before = std::fs::read_to_string(&feed).expect("the feed");
    // Outside git an entry's dates are its file's time: saved again with
    // the same text, a profile and an event are dated anew.
    for relative in [
        "content/profiles/amira-hussain.md",
        "content/events/dcls-open-day-2027.md",
    ] {
        let path = demo.root.join(relative);
        let text = std::fs::read(&path).expect("readable");
        let time = std::fs::metadata(&path).and_then(|m| m.modified());
        std::fs::remove_file(&path).expect("removed");
        std::fs::write(&path, text).expect("written");
        let file = std::fs::File::options().write(true).open(&path);
        let later = time.expect("a time") + std::time::Duration::from_secs(60);
        file.and_then(|f| f.set_modified(later)).expect("dated");
        demo.save(&[path]);
    }
    assert_ne!(
        std::fs::read_to_string(&feed).expect("the feed"),
        before,
        "the feed dates the profile anew"
    );
    demo.assert_same_as_full_build("files written again unchanged");
}

fn renames_moves_and_new_terms_match_a_full_build(saves: Saves) {
    let mut demo = Demo::built(saves);
    // A new name moves the profile in the A–Z lists.
    let path = demo.edit(
        "content/profiles/amira-hussain.md",
        "name: Amira Hussain",
        "name: Amira Zubair",
    );
    demo.save(&[path]);
    demo.assert_same_as_full_build("a name change");
    // A new policy area and interest make new term pages.
    let path = demo.edit(
        "content/profiles/amira-hussain.md",
        "interests: [service-design,",
        "interests: [tenancy-law, service-design,",
    );
    demo.save(&[path]);
    demo.assert_same_as_full_build("a new interest");
    // An organisation's name is on every card of its people.
    let path = demo.edit("content/organisations/dcls.md", "name: ", "name: The ");
    demo.save(&[path]);
    demo.assert_same_as_full_build("an organisation renamed");
}

fn new_deleted_and_renamed_files_match_a_full_build(saves: Saves) {
    let mut demo = Demo::built(saves);
    let text = std::fs::read_to_string(demo.root.join("content/profiles/anjali-mistry.md"))
        .expect("readable");
    let new = demo.write(
        "content/profiles/anjali-mistry-2.md",
        &text.replacen("name: Anjali Mistry", "name: Anjali Mistry-Jones", 1),
    );
    demo.save(std::slice::from_ref(&new));
    assert!(
        demo.output
            .join("profiles/anjali-mistry-2/index.html")
            .is_file()
    );
    demo.assert_same_as_full_build("a new profile");

    std::fs::remove_file(&new).expect("deleted");
    demo.save(&[new]);
    assert!(
        !demo
            .output
            .join("profiles/anjali-mistry-2/index.html")
            .exists()
    );
    demo.assert_same_as_full_build("a profile deleted");

    let old = demo.root.join("content/profiles/chloe-adeyemi.md");
    let renamed = demo.root.join("content/profiles/chloe-adeyemi-brown.md");
    std::fs::rename(&old, &renamed).expect("renamed");
    demo.save(&[old, renamed]);
    assert!(
        !demo
            .output
            .join("profiles/chloe-adeyemi/index.html")
            .exists()
    );
    assert!(
        demo.output
            .join("profiles/chloe-adeyemi-brown/index.html")
            .is_file()
    );
    demo.assert_same_as_full_build("a profile renamed");
}

fn a_profile_first_in_name_order_coming_and_going_renders_only_the_pages_that_show_it(
    saves: Saves,
) {
    let mut demo = Demo::built(saves);
    let profiles = std::fs::read_dir(demo.root.join("content/profiles"))
        .expect("profiles")
        .count();
    // First in name order, so every other profile moves one place along;
    // open only to shadowing, so no page suggests them.
    let new = demo.write(
        "content/profiles/aaron-abbott.md",
        "---\nname: Aaron Abbott\nrole: Analyst\norganisation: kirkby-vale-hospitals\npolicy_areas: [public-health]\nopen_to: [shadowing]\nconsent: 2026-05-26\n---\nAaron analyses waiting lists.\n",
    );
    let rendered = demo.save(std::slice::from_ref(&new));
    assert!(
        rendered < profiles,
        "a new profile rendered {rendered} pages: the other {profiles} profiles' pages did not change"
    );
    demo.assert_same_as_full_build("a profile added first");
    std::fs::remove_file(&new).expect("deleted");
    let rendered = demo.save(&[new]);
    assert!(
        rendered < profiles,
        "a deleted profile rendered {rendered} pages"
    );
    demo.assert_same_as_full_build("a profile deleted");
}

fn a_new_card_template_redraws_every_listed_card(saves: Saves) {
    let mut demo = Demo::built(saves);
    let card = |marker: &str| {
        format!(
            "<div class=\"{marker}\">{{{{ <profile_card p={{p}} level={{level}} /> }}}}</div>\n"
        )
    };
    let template = demo.write(
        "themes/mine/templates/profile_card.html",
        &card("drawn-once"),
    );
    let config = demo.edit(
        "interchange.toml",
        "theme = \"default\"",
        "theme = \"mine\"",
    );
    demo.save(&[template.clone(), config]);
    let page = demo.output.join("profiles/index.html");
    let list = || std::fs::read_to_string(&page).expect("the A–Z list");
    assert!(list().contains("drawn-once"));
    demo.assert_same_as_full_build("a theme with its own card");

    std::fs::write(&template, card("drawn-again")).expect("saved");
    demo.save(&[template]);
    assert!(
        !list().contains("drawn-once"),
        "no card kept from the old template"
    );
    assert!(list().contains("drawn-again"));
    demo.assert_same_as_full_build("the card template changed");
}

fn events_consultations_asks_and_pages_match_a_full_build(saves: Saves) {
    let mut demo = Demo::built(saves);
    // (file, text before, text after, what the editor did)
    let edits = [
        (
            "content/events/fleet-electrification-meetup.md",
            "cancelled: true",
            "cancelled: false",
            "an event no longer cancelled",
        ),
        (
            "content/events/fleet-electrification-meetup.md",
            "host: rhiannon-evans",
            "host: amira-hussain",
            "an event's host changed",
        ),
        (
            "content/consultations/local-resilience-standards.md",
            "lead: lucy-brennan",
            "lead: amira-hussain",
            "a consultation's lead changed",
        ),
        (
            "content/asks/mentor-in-central-government.md",
            "title: ",
            "title: Help wanted with ",
            "an ask retitled",
        ),
        // A page's title is in the footer of every page.
        (
            "content/pages/privacy-notice.md",
            "title: Privacy notice",
            "title: How we use your information",
            "a footer page retitled",
        ),
    ];
    for (file, from, to, what) in edits {
        let path = demo.edit(file, from, to);
        demo.save(&[path]);
        demo.assert_same_as_full_build(what);
    }
}

fn a_profile_made_internal_leaves_the_public_site(saves: Saves) {
    let mut demo = Demo::built(saves);
    let path = demo.edit(
        "content/profiles/amira-hussain.md",
        "visibility: public",
        "visibility: internal",
    );
    demo.save(&[path]);
    assert!(
        !demo
            .output
            .join("profiles/amira-hussain/index.html")
            .exists()
    );
    demo.assert_same_as_full_build("a profile made internal");
}

#[test]
fn a_broken_save_keeps_the_site_and_the_next_good_one_catches_up() {
    let mut demo = Demo::new();
    let path = demo.edit(
        "content/profiles/amira-hussain.md",
        "role: Housing Options Manager",
        "role: [Housing Options Manager",
    );
    let update = demo.live.update(std::slice::from_ref(&path), &Quiet);
    assert!(matches!(update.outcome, Outcome::Problems));
    assert!(update.diagnostics.has_errors());
    let page = std::fs::read_to_string(demo.output.join("profiles/amira-hussain/index.html"))
        .expect("the last good page");
    assert!(page.contains("Housing Options Manager"));

    demo.edit(
        "content/profiles/amira-hussain.md",
        "role: [Housing Options Manager",
        "role: Head of Housing Options",
    );
    demo.save(&[path]);
    demo.assert_same_as_full_build("a fixed save");
}

/// Every problem a check reports, as an editor reads them.
fn problems(diagnostics: &generator::Diagnostics) -> Vec<String> {
    diagnostics.iter().map(ToString::to_string).collect()
}

#[test]
fn problems_across_files_after_each_save_are_those_of_a_fresh_check() {
    let mut demo = Demo::new();
    let fresh = |demo: &Demo| {
        problems(
            &generator::load(&load_options(&demo.root))
                .expect("loads")
                .diagnostics,
        )
    };
    let before = fresh(&demo);
    let dcls = std::fs::read_to_string(demo.root.join("content/organisations/dcls.md"))
        .expect("the organisation");
    // What is done, how (giving the file changed), and a problem it leaves.
    type Step<'a> = (&'a str, Box<dyn Fn(&Demo) -> PathBuf + 'a>, &'a str);
    let steps: Vec<Step> = vec![
        (
            "an interest spelled another way",
            Box::new(|demo| {
                demo.edit(
                    "content/profiles/amira-hussain.md",
                    "service-design,",
                    "service-designs,",
                )
            }),
            "is spelled `service-design` elsewhere",
        ),
        (
            "an interest no one else has",
            Box::new(|demo| {
                demo.edit(
                    "content/profiles/amira-hussain.md",
                    "lived-experience,",
                    "horticulture,",
                )
            }),
            "service-designs",
        ),
        (
            // Counting the old spelling still would make this one a warning.
            "that interest spelled another way",
            Box::new(|demo| {
                demo.edit(
                    "content/profiles/amira-hussain.md",
                    "horticulture,",
                    "horticultures,",
                )
            }),
            "service-designs",
        ),
        (
            "an organisation misspelled",
            Box::new(|demo| {
                demo.edit(
                    "content/profiles/ben-harrow.md",
                    "organisation: vale-and-moorland-police",
                    "organisation: vale-and-moorland-polic",
                )
            }),
            "names the organisation `vale-and-moorland-polic`",
        ),
        (
            "an organisation deleted",
            Box::new(|demo| {
                let path = demo.root.join("content/organisations/dcls.md");
                std::fs::remove_file(&path).expect("deleted");
                path
            }),
            "content/organisations/dcls.md does not exist",
        ),
        (
            "the organisation back",
            Box::new(|demo| demo.write("content/organisations/dcls.md", &dcls)),
            "vale-and-moorland-polic",
        ),
        (
            "the spelling put back",
            Box::new(|demo| {
                demo.edit(
                    "content/profiles/amira-hussain.md",
                    "service-designs,",
                    "service-design,",
                )
            }),
            "vale-and-moorland-polic",
        ),
    ];
    for (step, change, expected) in steps {
        let path = change(&demo);
        let update = demo.live.update(&[path], &Quiet);
        let saved = problems(&update.diagnostics);
        assert_eq!(saved, fresh(&demo), "after {step}");
        assert!(
            saved.iter().any(|p| p.contains(expected)),
            "after {step}: {saved:#?}"
        );
    }
    let path = demo.edit(
        "content/profiles/ben-harrow.md",
        "organisation: vale-and-moorland-polic",
        "organisation: vale-and-moorland-police",
    );
    let update = demo.live.update(&[path], &Quiet);
    assert_eq!(problems(&update.diagnostics), before, "all put back");
    assert!(matches!(update.outcome, Outcome::Built(_)));
}

fn the_search_index_kept_between_saves_is_the_one_a_full_build_makes(saves: Saves) {
    let mut demo = Demo::built(saves);
    // Enough people that a save changes few pages and keeps the rest of
    // the index: one of them at an organisation of their own.
    let organisations = [
        "dcls",
        "kirkby-vale-council",
        "kirkby-vale-hospitals",
        "vale-and-moorland-police",
    ];
    let mut written = Vec::new();
    for n in 0..120 {
        written.push(demo.write(
            &format!("content/profiles/analyst-{n}.md"),
            &format!(
                "---\nname: Sam Analyst{n}\nrole: Analyst\norganisation: {}\n\
                 policy_areas: [public-health]\ninterests: [evaluation]\n\
                 open_to: [buddy]\nconsent: 2026-05-26\nvisibility: public\n---\n\
                 Sam works on evaluation and reporting.\n",
                organisations[n % organisations.len()]
            ),
        ));
    }
    written.push(demo.write(
        "content/organisations/moorland-archives.md",
        "---\nname: Moorland Archives\nsector: local-government\n---\nThe county's archives.\n",
    ));
    written.push(demo.write(
        "content/profiles/rowan-archivist.md",
        "---\nname: Rowan Archivist\nrole: Archivist\norganisation: moorland-archives\n\
         policy_areas: [public-health]\ninterests: [heritage]\nopen_to: [buddy]\n\
         consent: 2026-05-26\nvisibility: public\n---\n\
         Rowan looks after the county's records and its planning history.\n",
    ));
    demo.save(&written);
    demo.assert_same_as_full_build("many new profiles");

    // A profile's search result shows its organisation's name.
    let path = demo.edit(
        "content/organisations/moorland-archives.md",
        "name: Moorland Archives",
        "name: Moorland Record Office",
    );
    let rendered = demo.save(&[path]);
    assert!(rendered < first_build_pages(&demo) / 4, "{rendered} pages");
    demo.assert_same_as_full_build("an organisation renamed, in search");

    // A word of the body now in the role as well: the same word, weighing more.
    let path = demo.edit(
        "content/profiles/rowan-archivist.md",
        "role: Archivist",
        "role: Archivist for planning",
    );
    let rendered = demo.save(&[path]);
    assert!(rendered < first_build_pages(&demo) / 4, "{rendered} pages");
    demo.assert_same_as_full_build("a word weighing more");
}

#[test]
fn a_removed_profile_leaves_the_site_though_the_build_with_it_fails_and_renders_a_part() {
    let mut demo = Demo::new();
    let pages = first_build_pages(&demo);
    // Removing one person renders the pages that showed them, not the site:
    // whom other profiles are suggested changes only near them.
    let gone = demo.root.join("content/profiles/gareth-pryce.md");
    std::fs::remove_file(&gone).expect("removed");
    let rendered = demo.save(std::slice::from_ref(&gone));
    assert!(
        rendered * 4 < pages,
        "removing a profile renders {rendered} of {pages} pages"
    );
    demo.assert_same_as_full_build("a profile removed");

    // Removed in the same save as a mistake elsewhere: the build fails and
    // the last good site stays, but without the person.
    let page = demo.output.join("profiles/amira-hussain/index.html");
    assert!(page.is_file());
    let gone = demo.root.join("content/profiles/amira-hussain.md");
    std::fs::remove_file(&gone).expect("removed");
    let broken = demo.write("content/profiles/broken.md", "---\nname: Broken\n---\n");
    let update = demo.live.update(&[gone, broken], &Quiet);
    assert!(
        matches!(update.outcome, Outcome::Problems),
        "{:?}",
        update.outcome
    );
    assert!(!page.exists(), "the removed profile's page is gone");
    assert!(
        demo.output
            .join("profiles/eleanor-grant/index.html")
            .is_file(),
        "the rest of the last good site stays"
    );
}

/// A round file saved, changed or removed renders again the pages of the
/// people in it, and of its programme, and no other page.
fn a_round_renders_the_pages_of_its_people_and_its_programme_and_no_others(saves: Saves) {
    let mut demo = Demo::built(saves);
    let round = |pair: &str| {
        format!(
            "month: 2026-12\nmade: 2026-12-01T09:00:00Z\nbuddy_method: exact maximum-weight matching (blossom)\nbuddies:\n- pair: [{pair}]\n  weight: 1.5\n  reasons: [adult-social-care]\n"
        )
    };
    let file = "rounds/vale-early-careers-buddies/2026-12.yaml";
    let path = demo.write(file, &round("harpreet-sandhu, martin-hale"));
    let rendered = demo.save(std::slice::from_ref(&path));
    assert_eq!(rendered, 3, "Harpreet's page, Martin's and the programme's");
    let page = std::fs::read_to_string(demo.output.join("profiles/harpreet-sandhu/index.html"))
        .expect("her page");
    assert!(
        page.contains(
            "December 2026</time>: paired with <a href=\"/profiles/martin-hale/\">Martin Hale</a>"
        ),
        "{page}"
    );
    demo.assert_same_as_full_build("a round added");

    // Martin's buddy is now Imran: Harpreet's page no longer shows the
    // round, Imran's does, and Martin's names Imran.
    demo.write(file, &round("imran-qureshi, martin-hale"));
    let rendered = demo.save(std::slice::from_ref(&path));
    assert_eq!(rendered, 4, "three people's pages and the programme's");
    demo.assert_same_as_full_build("a round changed");

    std::fs::remove_file(&path).expect("removed");
    let rendered = demo.save(std::slice::from_ref(&path));
    assert_eq!(rendered, 3, "Imran's page, Martin's and the programme's");
    demo.assert_same_as_full_build("a round removed");

    // Another directory's round over its whole directory, naming one of
    // its people and one of this site's.
    let path = demo.write(
        "mirror/fire.example.gov.uk/rounds/2026-12.yaml",
        "month: 2026-12\nmade: 2026-12-02T09:00:00Z\norigin: https://fire.example.gov.uk/rounds/2026-12/\nbuddies:\n- pair: [callum-reid, directory.example.gov.uk/amira-hussain]\n  weight: 1.0\n",
    );
    let rendered = demo.save(std::slice::from_ref(&path));
    assert_eq!(rendered, 2, "Callum's page and Amira's");
    let page = std::fs::read_to_string(demo.output.join("profiles/amira-hussain/index.html"))
        .expect("her page");
    assert!(
        page.contains("Buddy round of fire.example.gov.uk, <time datetime=\"2026-12\">December 2026</time>: paired with <a href=\"/profiles/fire.example.gov.uk/callum-reid/\">Callum Reid</a>"),
        "{page}"
    );
    demo.assert_same_as_full_build("a mirrored round added");
}

fn a_photo_added_replaced_and_removed_matches_a_full_build(saves: Saves) {
    let mut demo = Demo::built(saves);
    let pages = first_build_pages(&demo);
    let made = |demo: &Demo| -> Vec<PathBuf> {
        site_files(&demo.output)
            .into_keys()
            .filter(|p| p.starts_with("processed_images"))
            .collect()
    };
    let before = made(&demo);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/photos");
    let photo = demo.root.join("static/photos/amira.jpg");
    std::fs::create_dir_all(photo.parent().expect("a folder")).expect("folder");
    std::fs::copy(fixtures.join("portrait-on-its-side.jpg"), &photo).expect("copied");
    let profile = demo.edit(
        "content/profiles/amira-hussain.md",
        "name: Amira Hussain\n",
        "name: Amira Hussain\nphoto: photos/amira.jpg\n",
    );
    let rendered = demo.save(&[profile.clone(), photo.clone()]);
    assert!(rendered * 4 < pages, "a new photo renders {rendered} pages");
    let page_path = demo.output.join("profiles/amira-hussain/index.html");
    let page = std::fs::read_to_string(&page_path).expect("the profile page");
    assert!(
        page.contains("/processed_images/"),
        "the page shows the photo"
    );
    demo.assert_same_as_full_build("a photo added");

    // The photo replaced, and nothing else: her pages show the new one.
    std::fs::copy(fixtures.join("with-gps.jpg"), &photo).expect("copied");
    let rendered = demo.save(std::slice::from_ref(&photo));
    assert!(
        rendered >= 1 && rendered * 4 < pages,
        "a replaced photo renders {rendered} pages"
    );
    let replaced = std::fs::read_to_string(&page_path).expect("the profile page");
    assert_ne!(page, replaced, "the page shows the new photo");
    demo.assert_same_as_full_build("a photo replaced");

    let profile = demo.edit(
        "content/profiles/amira-hussain.md",
        "photo: photos/amira.jpg\n",
        "",
    );
    demo.save(&[profile]);
    assert_eq!(made(&demo), before, "no made photo of hers is left");
    demo.assert_same_as_full_build("a photo removed");
}

#[test]
fn a_build_in_a_new_process_trusts_only_an_intact_state_of_its_own() {
    let mut demo = Demo::built(Saves::Rebuilt);
    let pages = first_build_pages(&demo);
    let state = demo.output.with_file_name(".live.cache").join("last-build");
    assert!(
        state.is_file(),
        "the build kept its state beside the output"
    );
    let profile = demo.root.join("content/profiles/amira-hussain.md");
    let mut edits = 0;
    // Each edit adds a line to one profile's text.
    let mut edit = || {
        edits += 1;
        let text = std::fs::read_to_string(&profile).expect("readable");
        std::fs::write(&profile, format!("{text}\nEdit number {edits}.\n")).expect("written");
    };
    let few = |rendered: usize| rendered >= 1 && rendered * 5 < pages;

    edit();
    let rendered = demo.save(&[]);
    assert!(few(rendered), "an edit renders {rendered} of {pages} pages");
    demo.assert_same_as_full_build("an edit");

    // Damaged in any of these ways, the state is not read: the build is
    // a full one, and keeps a good state for the next.
    let intact = std::fs::read(&state).expect("the state");
    let damages: [(&str, Option<Vec<u8>>); 3] = [
        ("cut short", Some(intact[..intact.len() / 2].to_vec())),
        ("a byte changed", {
            let mut bytes = intact.clone();
            let middle = bytes.len() / 2;
            bytes[middle] ^= 1;
            Some(bytes)
        }),
        ("deleted", None),
    ];
    for (damage, bytes) in damages {
        match bytes {
            Some(bytes) => std::fs::write(&state, bytes).expect("written"),
            None => std::fs::remove_file(&state).expect("removed"),
        }
        edit();
        assert_eq!(demo.save(&[]), pages, "a state {damage} is not trusted");
        demo.assert_same_as_full_build(damage);
        edit();
        let rendered = demo.save(&[]);
        assert!(few(rendered), "after a state {damage}: {rendered} pages");
        demo.assert_same_as_full_build(damage);
    }

    // `--full` reads no state, and keeps one.
    assert_eq!(demo.rebuild(generator::Memory::full_build()), pages);
    edit();
    assert!(few(demo.save(&[])));
    demo.assert_same_as_full_build("a full build asked for");

    // Any other build into the output (here the site served, which keeps
    // its state in memory) leaves the state behind it untrusted.
    edit();
    assert!(matches!(
        demo.live
            .update(std::slice::from_ref(&profile), &Quiet)
            .outcome,
        Outcome::Built(_)
    ));
    assert!(!state.exists(), "served over, the state is gone");
    edit();
    assert_eq!(demo.save(&[]), pages);
    demo.assert_same_as_full_build("built after the site was served");
}

/// Runs each sequence both ways: saved while served, and built again in a
/// new process after each change.
#[test]
fn a_build_in_a_new_process_parses_only_the_files_that_changed() {
    let mut demo = Demo::built(Saves::Rebuilt);
    let folder = build_options(&demo.output).cache_folder();
    let keep = |reuse| generator::Keep {
        folder: folder.clone(),
        reuse,
        settled: std::time::Duration::ZERO,
    };
    let kept = keep(true).folder.join("last-read");
    assert!(kept.is_file(), "the build kept what it read");
    let every = generator::load(&load_options(&demo.root))
        .expect("loads")
        .parsed;
    // Files with a problem (the demo has warnings) are read each time, so
    // that their problems are found afresh.
    demo.save(&[]);
    let always = demo.last_parsed.get();
    assert!(always < every / 4, "{always} of {every} files parsed");

    demo.edit(
        "content/profiles/amira-hussain.md",
        "Amira runs",
        "Amira leads",
    );
    demo.save(&[]);
    assert_eq!(demo.last_parsed.get(), always + 1, "one file edited");
    demo.assert_same_as_full_build("an edit");

    // A photo written again (here with the same bytes, a new time) reads
    // again the profile that shows it.
    let photo = demo.root.join("static/photos/bethan-morgan.jpg");
    let bytes = std::fs::read(&photo).expect("the photo");
    std::fs::remove_file(&photo).expect("removed");
    std::fs::write(&photo, &bytes).expect("written");
    demo.save(&[]);
    assert_eq!(demo.last_parsed.get(), always + 1, "a photo written again");
    // Written over in place with other bytes of the same size, and its
    // modification time put back: its status-change time still moved.
    demo.save(&[]);
    let mut other = bytes.clone();
    let last = other.len() - 3;
    other[last] ^= 1;
    std::thread::sleep(std::time::Duration::from_millis(20));
    keeping_modified(&photo, || {
        std::fs::write(&photo, &other).expect("written over");
    });
    demo.save(&[]);
    assert_eq!(
        demo.last_parsed.get(),
        always + 1,
        "a photo written over, its time put back"
    );
    std::fs::write(&photo, &bytes).expect("written back");
    demo.save(&[]);

    // Gone, it is reported as reading afresh reports it.
    std::fs::remove_file(&photo).expect("removed");
    let without = generator::load_keeping(&load_options(&demo.root), &keep(true)).expect("loads");
    let fresh = generator::load(&load_options(&demo.root)).expect("loads");
    assert_eq!(without.parsed, always + 1, "a photo removed");
    assert!(
        without
            .diagnostics
            .iter()
            .any(|d| d.code == generator::Code::MissingFile
                && d.file.path().ends_with("bethan-morgan.md")),
        "the missing photo is reported"
    );
    assert_eq!(
        format!("{:?}", without.diagnostics),
        format!("{:?}", fresh.diagnostics)
    );
    std::fs::write(&photo, &bytes).expect("written back");
    demo.save(&[]);
    assert_eq!(demo.last_parsed.get(), always + 1, "its problem mended");

    // What an unchanged file names is kept, and checked against the files
    // as they are now: an ask by a profile deleted says so.
    let amira = demo.root.join("content/profiles/amira-hussain.md");
    let text = std::fs::read(&amira).expect("the profile");
    std::fs::remove_file(&amira).expect("removed");
    let without = generator::load_keeping(&load_options(&demo.root), &keep(true)).expect("loads");
    let fresh = generator::load(&load_options(&demo.root)).expect("loads");
    assert_eq!(without.parsed, always, "a profile deleted");
    assert!(
        without.diagnostics.iter().any(|d| d
            .file
            .path()
            .ends_with("hospital-discharge-shadowing-host.md")),
        "the ask by the profile deleted is reported"
    );
    assert_eq!(
        format!("{:?}", without.diagnostics),
        format!("{:?}", fresh.diagnostics)
    );
    std::fs::write(&amira, text).expect("written back");

    // What a reading depends on beyond the file: the config and the day.
    // Either changed, every file is read again; and so when what was kept
    // is damaged, or when it may not be used (`--full`).
    let config = demo.root.join("interchange.toml");
    let text = std::fs::read_to_string(&config).expect("the config");
    std::fs::write(&config, format!("{text}\n# edited\n")).expect("written");
    demo.save(&[]);
    assert_eq!(demo.last_parsed.get(), every, "the config changed");
    demo.save(&[]);
    assert_eq!(demo.last_parsed.get(), always, "then kept again");
    let next_day = LoadOptions {
        as_of: AsOf::Date(jiff::civil::date(2027, 1, 15)),
        ..load_options(&demo.root)
    };
    let loaded = generator::load_keeping(&next_day, &keep(true)).expect("loads");
    assert_eq!(loaded.parsed, every, "a new day");
    let bytes = std::fs::read(&kept).expect("kept");
    std::fs::write(&kept, &bytes[..bytes.len() / 2]).expect("written");
    demo.save(&[]);
    assert_eq!(demo.last_parsed.get(), every, "what was kept is cut short");
    demo.assert_same_as_full_build("what was kept cut short");
    let loaded = generator::load_keeping(&load_options(&demo.root), &keep(false)).expect("loads");
    assert_eq!(loaded.parsed, every, "--full");

    // In a larger site, what was kept is not written again after every
    // edit: the few files changed since are parsed again at each build,
    // until more than one in 64 are.
    for n in 0..64 {
        demo.write(
            &format!("content/profiles/analyst-{n}.md"),
            "---\nname: Sam Analyst\nrole: Analyst\norganisation: dcls\n\
             policy_areas: [public-health]\nopen_to: [buddy]\nconsent: 2026-05-26\n---\n\
             Sam works on evaluation.\n",
        );
    }
    demo.save(&[]);
    assert_eq!(demo.last_parsed.get(), always + 64, "new files");
    demo.save(&[]);
    assert_eq!(demo.last_parsed.get(), always, "kept");
    let edit = |demo: &Demo, n: usize| {
        demo.edit(
            &format!("content/profiles/analyst-{n}.md"),
            "evaluation",
            "evaluation and audit",
        );
    };
    edit(&demo, 0);
    demo.save(&[]);
    demo.save(&[]);
    assert_eq!(demo.last_parsed.get(), always + 1, "an edit, parsed again");
    edit(&demo, 1);
    demo.save(&[]);
    assert_eq!(demo.last_parsed.get(), always + 2, "two edits");
    demo.save(&[]);
    assert_eq!(
        demo.last_parsed.get(),
        always,
        "what was kept written again"
    );
    demo.assert_same_as_full_build("edits while what was kept is older");
}

#[test]
fn a_build_in_a_new_process_opens_only_the_files_whose_size_or_times_changed() {
    let mut demo = Demo::built(Saves::Rebuilt);
    let every = generator::load(&load_options(&demo.root))
        .expect("loads")
        .opened;
    // Files with a problem are read each time, so that their problems are
    // found afresh; any other file is taken from what was kept.
    demo.save(&[]);
    let always = demo.last_opened.get();
    assert_eq!(always, demo.last_parsed.get());
    assert!(always < every / 4, "{always} of {every} files opened");

    let amira = "content/profiles/amira-hussain.md";
    demo.edit(amira, "Amira runs", "Amira leads");
    demo.save(&[]);
    assert_eq!(demo.last_opened.get(), always + 1, "one file edited");
    demo.save(&[]);
    assert_eq!(demo.last_opened.get(), always, "then kept");

    // An edit that keeps the file's size, with its modification time set
    // back as `touch -r` or `rsync -t` would: the time of the change to
    // its status still tells.
    keeping_modified(&demo.root.join(amira), || {
        demo.edit(amira, "Amira leads", "Amira heads");
    });
    demo.save(&[]);
    assert_eq!(
        (demo.last_opened.get(), demo.last_parsed.get()),
        (always + 1, always + 1),
        "an edit that kept the size and modification time"
    );
    demo.assert_same_as_full_build("an edit that kept the size and modification time");

    // A file changed just before it is read is opened again next time,
    // even though its bytes are as kept: a write in the same tick of the
    // clock as the reading would not have moved its times.
    let keep = generator::Keep {
        folder: build_options(&demo.output).cache_folder(),
        reuse: true,
        settled: generator::Keep::SETTLED,
    };
    demo.edit(amira, "Amira heads", "Amira leads");
    let first = generator::load_keeping(&load_options(&demo.root), &keep).expect("loads");
    assert_eq!((first.opened, first.parsed), (always + 1, always + 1));
    let next = generator::load_keeping(&load_options(&demo.root), &keep).expect("loads");
    assert_eq!(
        (next.opened, next.parsed),
        (always + 1, always),
        "a file changed just before it was read"
    );
}

#[test]
fn a_build_in_a_new_process_writes_only_the_search_files_an_edit_touches() {
    let mut demo = Demo::built(Saves::Rebuilt);
    let search = demo.output.join("search");
    let pages = first_build_pages(&demo);
    // A word found nowhere else makes a shard of its own.
    demo.edit(
        "content/profiles/amira-hussain.md",
        "Amira runs",
        "Amira, a keen zymurgist, runs",
    );
    assert!(demo.save(&[]) * 4 < pages);
    let shard = std::fs::read_to_string(search.join("terms/zy.json")).expect("a new shard");
    assert!(shard.contains("zymurgist"), "{shard}");
    demo.assert_same_as_full_build("a new word");

    // The shards the edit is not in are neither read nor written: one
    // changed by hand stays as it is, until a full build.
    let doc =
        |shard: &str| std::fs::read_to_string(search.join("terms").join(shard)).expect("a shard");
    let id = doc("zy.json")
        .split("[[")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .map(|id| format!("[{id},"))
        .expect("amira's doc id");
    let untouched = std::fs::read_dir(search.join("terms"))
        .expect("the shards")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .find(|name| name != "be.json" && !doc(name).contains(&id))
        .expect("a shard without amira's doc");
    std::fs::write(search.join("terms").join(&untouched), "{}").expect("written");
    demo.edit(
        "content/profiles/amira-hussain.md",
        "zymurgist",
        "zymurgist and beekeeper",
    );
    demo.save(&[]);
    assert!(doc("be.json").contains("beekeeper"));
    assert_eq!(doc(&untouched), "{}", "a shard the edit is not in");
    demo.rebuild(generator::Memory::full_build());
    demo.assert_same_as_full_build("a full build");

    // A shard the edit is in, gone, is made again with the whole index.
    std::fs::remove_file(search.join("terms/zy.json")).expect("removed");
    demo.edit(
        "content/profiles/amira-hussain.md",
        "a keen zymurgist and beekeeper",
        "a keen zymurgist",
    );
    demo.save(&[]);
    demo.assert_same_as_full_build("a shard missing");
}

#[test]
fn a_build_in_a_new_process_copies_only_intact_lines_of_the_last_export() {
    let mut demo = Demo::built(Saves::Rebuilt);
    let export = demo.output.join("directory.json");
    let edit = |demo: &Demo, n: usize| {
        let path = demo.root.join("content/profiles/amira-hussain.md");
        let text = std::fs::read_to_string(&path).expect("readable");
        std::fs::write(&path, format!("{text}\nEdit number {n}.\n")).expect("written");
    };
    edit(&demo, 1);
    demo.save(&[]);
    assert!(
        std::fs::read_to_string(&export)
            .expect("the export")
            .contains("Edit number 1."),
        "the edited entry is made again"
    );
    demo.assert_same_as_full_build("an edit");
    // A line of another entry changed on disk, and the file cut short:
    // neither is copied into the next export.
    let text = std::fs::read_to_string(&export).expect("the export");
    let damaged = text.replacen("\"name\":\"Bethan Morgan\"", "\"name\":\"B. Morgan\"", 1);
    assert_ne!(damaged, text);
    let cut = damaged.len() * 3 / 4;
    std::fs::write(&export, &damaged.as_bytes()[..cut]).expect("written");
    edit(&demo, 2);
    demo.save(&[]);
    demo.assert_same_as_full_build("a damaged export");
}

macro_rules! served_and_rebuilt {
    ($($sequence:ident),* $(,)?) => {
        mod served {
            $(#[test]
            fn $sequence() {
                super::$sequence(super::Saves::Served);
            })*
        }
        mod rebuilt {
            $(#[test]
            fn $sequence() {
                super::$sequence(super::Saves::Rebuilt);
            })*
        }
    };
}

served_and_rebuilt!(
    editing_a_bio_renders_a_few_pages_and_matches_a_full_build,
    a_file_written_again_unchanged_moves_its_dates_in_feeds_and_calendars,
    renames_moves_and_new_terms_match_a_full_build,
    new_deleted_and_renamed_files_match_a_full_build,
    a_profile_first_in_name_order_coming_and_going_renders_only_the_pages_that_show_it,
    a_new_card_template_redraws_every_listed_card,
    events_consultations_asks_and_pages_match_a_full_build,
    a_profile_made_internal_leaves_the_public_site,
    the_search_index_kept_between_saves_is_the_one_a_full_build_makes,
    a_round_renders_the_pages_of_its_people_and_its_programme_and_no_others,
    a_photo_added_replaced_and_removed_matches_a_full_build,
);
