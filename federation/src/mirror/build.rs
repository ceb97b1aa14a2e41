//! Building a site with the entries mirrored from other directories. A
//! mirrored file the loader refuses is set aside and the site built again
//! without it, so that an entry from another directory never holds this
//! site back; one that only names an entry still to come is tried again
//! once more mirrored entries have arrived (an event may name a profile
//! that comes a moment later). A problem in the site's own files is never
//! set aside: it is the editors' to fix.

use std::path::{Path, PathBuf};

use generator::live::{LiveSite, Outcome};
use generator::render::Quiet;
use generator::{BuildError, Built, Code, Diagnostic, Diagnostics, Directory, LoadError};

use super::{restore_waiting, set_aside};

/// The most builds for one batch of changes: the build, again without
/// what is set aside, with what was waiting, and once more if that fails.
const MOST_BUILDS: usize = 4;

/// What building a site for a batch of changes gave.
#[derive(Debug)]
pub struct SiteBuild {
    /// The directory last built as the public may see it, to serve and
    /// publish; none if no build succeeded (the last good site stays served).
    pub directory: Option<Directory>,
    /// What happened, in order, for the command to tell.
    pub steps: Vec<BuildStep>,
}

/// One thing that happened while building a site.
#[derive(Debug)]
pub enum BuildStep {
    /// The site was built.
    Built {
        /// What was written.
        built: Built,
        /// The warnings of its files (none is usual).
        warnings: Diagnostics,
    },
    /// A mirrored file the site could not build with was set aside: the
    /// site is built without it.
    SetAside {
        /// The file, relative to the site folder.
        file: PathBuf,
        /// Its first error.
        problem: Diagnostic,
        /// Whether it is tried again when more mirrored entries arrive
        /// (it only names one not here yet); if not, it waits for a new
        /// version from its directory.
        waiting: bool,
    },
    /// The site's own files have errors (among these diagnostics): nothing
    /// was built.
    Problems(Diagnostics),
    /// The site can no longer be read.
    Unreadable(LoadError),
    /// The build failed.
    Failed(BuildError),
}

/// Builds what the `changed` files (none: only the clock moved) call for,
/// setting aside the mirrored files the site cannot build with, and
/// putting back those waiting once more mirrored entries have arrived.
pub fn build_site(site: &mut LiveSite, changed: &[PathBuf]) -> SiteBuild {
    let root = site.root().to_path_buf();
    let mut changed = changed.to_vec();
    let mut retried = false;
    // Files set aside by this call: building without them is not news
    // that a waiting entry could use.
    let mut set_aside_now: Vec<PathBuf> = Vec::new();
    let mut result = SiteBuild {
        directory: None,
        steps: Vec::new(),
    };
    for _ in 0..MOST_BUILDS {
        let update = site.update(&changed, &Quiet);
        changed = match update.outcome {
            Outcome::Built(built) => {
                result.steps.push(BuildStep::Built {
                    built,
                    warnings: update.diagnostics,
                });
                result.directory = update.directory.map(|d| d.public_view());
                let arrived = changed
                    .iter()
                    .any(|p| is_mirrored(&root, p) && !set_aside_now.contains(p));
                if retried || !arrived {
                    break;
                }
                // New mirrored entries may be what a waiting one names.
                retried = true;
                restore_waiting(&root)
            }
            Outcome::Problems => {
                let errors: Vec<&Diagnostic> =
                    update.diagnostics.iter().filter(|d| d.is_error()).collect();
                if !errors.iter().all(|d| d.file.path().starts_with("mirror")) {
                    result.steps.push(BuildStep::Problems(update.diagnostics));
                    break;
                }
                let set = set_aside_refused(&root, &errors, &mut result.steps);
                set_aside_now.extend(set.iter().cloned());
                set
            }
            Outcome::Unreadable(error) => {
                result.steps.push(BuildStep::Unreadable(error));
                break;
            }
            Outcome::Failed(error) => {
                result.steps.push(BuildStep::Failed(error));
                break;
            }
        };
        if changed.is_empty() {
            break;
        }
    }
    result
}

/// Sets aside each mirrored file with one of `errors` (all in `mirror/`),
/// telling of it in `steps`. The paths set aside, for the site to read
/// again.
fn set_aside_refused(
    root: &Path,
    errors: &[&Diagnostic],
    steps: &mut Vec<BuildStep>,
) -> Vec<PathBuf> {
    let mut set = Vec::new();
    for error in errors {
        let file = error.file.path();
        let path = root.join(file);
        if set.contains(&path) {
            continue;
        }
        // Only a missing entry can arrive later; anything else waits for a
        // new version from its directory.
        let waiting = errors
            .iter()
            .filter(|d| d.file.path() == file)
            .all(|d| d.code == Code::UnknownReference);
        // A file that cannot be moved stays: the site keeps its last good
        // build, and the next change tries again.
        if set_aside(&path, waiting).is_ok() {
            steps.push(BuildStep::SetAside {
                file: file.to_path_buf(),
                problem: (*error).clone(),
                waiting,
            });
            set.push(path);
        }
    }
    set
}

/// Whether `path` is under the site's `mirror/`.
fn is_mirrored(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root)
        .unwrap_or(path)
        .starts_with("mirror")
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::mirror::write_entry;
    use generator::{BuildOptions, LoadOptions};

    /// The directory entries are mirrored from.
    const REMOTE: &str = "https://fire.example.gov.uk";

    /// A small site in a temporary folder, kept live and built once.
    struct Site {
        _dir: tempfile::TempDir,
        root: PathBuf,
        live: LiveSite,
    }

    impl Site {
        fn new() -> Self {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let root = dir.path().join("site");
            write(
                &root,
                "interchange.toml",
                "title = \"Small\"\nbase_url = \"https://small.example.gov.uk\"\norganisations = [\"acme\"]\n",
            );
            write(
                &root,
                "content/organisations/acme.md",
                "---\nname: Acme Council\nsector: local-government\n---\nA council.\n",
            );
            write(
                &root,
                "content/profiles/priya-shah.md",
                &profile("Priya Shah", "acme"),
            );
            let build = BuildOptions {
                output: root.join("public"),
                base_url: None,
                internal: false,
            };
            let mut live = LiveSite::open(&LoadOptions::new(&root), build).expect("the site opens");
            let first = build_site(&mut live, &[]);
            assert!(first.directory.is_some(), "{:?}", first.steps);
            Site {
                _dir: dir,
                root,
                live,
            }
        }

        /// Mirrors an entry the way the server does on receiving it; the
        /// paths written.
        fn mirror(&self, document: &Value) -> Vec<PathBuf> {
            let limits = crate::mirror::limits::Limits::default();
            let caps = crate::mirror::limits::Caps::of(None);
            write_entry(&self.root, &limits, caps, document).expect("mirrored")
        }

        fn path(&self, relative: &str) -> PathBuf {
            self.root.join(relative)
        }
    }

    fn write(root: &Path, relative: &str, text: &str) -> PathBuf {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder made");
        std::fs::write(&path, text).expect("written");
        path
    }

    fn profile(name: &str, organisation: &str) -> String {
        format!(
            "---\nname: {name}\nrole: Housing Adviser\norganisation: {organisation}\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-01-01\n---\n{name} works on housing.\n"
        )
    }

    /// A profile as its directory publishes it, with its organisation.
    fn remote_profile(slug: &str, name: &str, open_to: &str) -> Value {
        json!({
            "id": format!("{REMOTE}/profiles/{slug}/"),
            "type": "Person",
            "entryKind": "profiles",
            "fields": {
                "name": name, "role": "Station Manager", "organisation": "kirkby-vale-fire",
                "policy_areas": ["community-safety"], "open_to": [open_to], "consent": "2026-01-01",
            },
            "source": { "content": format!("{name} runs a station."), "mediaType": "text/markdown" },
            "organisationEntry": {
                "id": format!("{REMOTE}/organisations/kirkby-vale-fire/"),
                "entryKind": "organisations",
                "fields": { "name": "Kirkby Vale Fire", "sector": "fire-and-rescue" },
                "source": { "content": "", "mediaType": "text/markdown" },
            },
        })
    }

    /// An event as its directory publishes it, hosted by `host`.
    fn remote_event(slug: &str, host: &str) -> Value {
        json!({
            "id": format!("{REMOTE}/events/{slug}/"),
            "type": "Event",
            "entryKind": "events",
            "fields": {
                "title": "Wildfire open day", "kind": "open-day", "start": "2030-05-01T10:00+01:00",
                "venue": { "name": "Highmoor Fire Station" }, "host": host,
            },
            "source": { "content": "Watch the exercise.", "mediaType": "text/markdown" },
        })
    }

    /// The files set aside, relative to the site folder, with whether each
    /// waits, in the order they were (each once: building without a file
    /// just set aside does not bring it back).
    fn set_aside_in(build: &SiteBuild) -> Vec<(PathBuf, bool)> {
        build
            .steps
            .iter()
            .filter_map(|step| match step {
                BuildStep::SetAside { file, waiting, .. } => Some((file.clone(), *waiting)),
                _ => None,
            })
            .collect()
    }

    fn has_event(build: &SiteBuild, slug: &str) -> bool {
        let directory = build.directory.as_ref().expect("the site built");
        directory.events.iter().any(|e| e.slug == slug)
    }

    fn has_profile(build: &SiteBuild, slug: &str) -> bool {
        let directory = build.directory.as_ref().expect("the site built");
        directory.profiles.iter().any(|p| p.slug == slug)
    }

    #[test]
    fn an_event_naming_a_profile_still_to_come_waits_and_is_built_when_it_arrives() {
        let mut site = Site::new();
        let event = "mirror/fire.example.gov.uk/events/wildfire-day.md";

        let arrived = site.mirror(&remote_event("wildfire-day", "nadia-ferreira"));
        let build = build_site(&mut site.live, &arrived);
        assert_eq!(set_aside_in(&build), vec![(PathBuf::from(event), true)]);
        let Some(BuildStep::SetAside { problem, .. }) = build.steps.first() else {
            panic!("the event is set aside first: {:?}", build.steps);
        };
        assert_eq!(problem.code, Code::UnknownReference);
        assert!(
            !has_event(&build, "fire.example.gov.uk/wildfire-day"),
            "built without it"
        );
        assert!(!site.path(event).exists());
        assert!(
            site.path("mirror/fire.example.gov.uk/events/.wildfire-day.md.waiting")
                .is_file()
        );

        let arrived = site.mirror(&remote_profile(
            "nadia-ferreira",
            "Nadia Ferreira",
            "coffee",
        ));
        let build = build_site(&mut site.live, &arrived);
        assert!(set_aside_in(&build).is_empty(), "{:?}", build.steps);
        assert!(
            has_event(&build, "fire.example.gov.uk/wildfire-day"),
            "restored and built"
        );
        assert!(has_profile(&build, "fire.example.gov.uk/nadia-ferreira"));
        assert!(site.path(event).is_file());
        assert!(
            site.path("public/events/fire.example.gov.uk/wildfire-day/index.html")
                .is_file()
        );
    }

    #[test]
    fn an_entry_with_a_local_ones_slug_is_built_beside_it_at_its_own_address() {
        let mut site = Site::new();
        let arrived = site.mirror(&remote_profile("priya-shah", "Priya Shah", "coffee"));
        let build = build_site(&mut site.live, &arrived);
        assert!(set_aside_in(&build).is_empty(), "{:?}", build.steps);
        assert!(has_profile(&build, "priya-shah"), "the local one");
        assert!(has_profile(&build, "fire.example.gov.uk/priya-shah"));
        assert!(site.path("public/profiles/priya-shah/index.html").is_file());
        assert!(
            site.path("public/profiles/fire.example.gov.uk/priya-shah/index.html")
                .is_file()
        );
    }

    /// Another directory's programme arrives: it has its page here, and a
    /// local profile joins it by its host and slug, with no warning.
    #[test]
    fn a_programme_of_another_directory_is_built_and_its_local_members_named() {
        let mut site = Site::new();
        let arrived = site.mirror(&json!({
            "id": format!("{REMOTE}/programmes/fire-buddies/"),
            "type": "Page",
            "entryKind": "programmes",
            "programmeKind": "buddies",
            "fields": {
                "name": "Fire buddies", "organisation": "kirkby-vale-fire", "kind": "buddies",
                "join": { "sectors": ["fire-and-rescue", "local-government"] },
            },
            "source": { "content": "Buddies across the fire service.", "mediaType": "text/markdown" },
            "organisationEntry": {
                "id": format!("{REMOTE}/organisations/kirkby-vale-fire/"),
                "entryKind": "organisations",
                "fields": { "name": "Kirkby Vale Fire", "sector": "fire-and-rescue" },
                "source": { "content": "", "mediaType": "text/markdown" },
            },
        }));
        let mut changed = arrived;
        changed.push(write(
            &site.root,
            "content/profiles/priya-shah.md",
            &profile("Priya Shah", "acme").replacen(
                "---\n",
                "---\nprogrammes: [fire.example.gov.uk/fire-buddies]\n",
                1,
            ),
        ));
        let build = build_site(&mut site.live, &changed);
        let directory = build.directory.as_ref().expect("built");
        let programme = directory
            .programme("fire.example.gov.uk/fire-buddies")
            .expect("mirrored");
        assert!(programme.origin.is_mirror());
        assert_eq!(programme.data.name, "Fire buddies");
        assert!(
            site.path("public/programmes/fire.example.gov.uk/fire-buddies/index.html")
                .is_file()
        );
        let page = std::fs::read_to_string(site.path("public/profiles/priya-shah/index.html"))
            .expect("Priya's page");
        assert!(
            page.contains("href=\"/programmes/fire.example.gov.uk/fire-buddies/\""),
            "her page links the programme she joined"
        );
    }

    #[test]
    fn an_entry_with_a_wrong_value_is_refused_and_its_corrected_version_built() {
        let mut site = Site::new();
        let file = "mirror/fire.example.gov.uk/profiles/nadia-ferreira.md";

        let arrived = site.mirror(&remote_profile(
            "nadia-ferreira",
            "Nadia Ferreira",
            "juggling",
        ));
        let build = build_site(&mut site.live, &arrived);
        assert_eq!(set_aside_in(&build), vec![(PathBuf::from(file), false)]);
        assert!(!has_profile(&build, "fire.example.gov.uk/nadia-ferreira"));

        let arrived = site.mirror(&remote_profile(
            "nadia-ferreira",
            "Nadia Ferreira",
            "coffee",
        ));
        let build = build_site(&mut site.live, &arrived);
        assert!(set_aside_in(&build).is_empty(), "{:?}", build.steps);
        assert!(has_profile(&build, "fire.example.gov.uk/nadia-ferreira"));
        assert!(
            !site
                .path("mirror/fire.example.gov.uk/profiles/.nadia-ferreira.md.refused")
                .exists()
        );
    }

    #[test]
    fn an_error_in_a_local_file_is_reported_and_nothing_set_aside() {
        let mut site = Site::new();
        let local = write(
            &site.root,
            "content/profiles/sam-okoro.md",
            "---\nname: Sam Okoro\n---\nNo role, no organisation.\n",
        );
        let mut changed = site.mirror(&remote_event("wildfire-day", "nadia-ferreira"));
        changed.push(local.clone());
        let build = build_site(&mut site.live, &changed);
        assert!(build.directory.is_none(), "nothing built");
        let [BuildStep::Problems(diagnostics)] = build.steps.as_slice() else {
            panic!("the problems are reported: {:?}", build.steps);
        };
        assert!(
            diagnostics.iter().any(
                |d| d.is_error() && d.file.path() == Path::new("content/profiles/sam-okoro.md")
            )
        );
        assert!(local.is_file(), "a local file is never moved");
        assert!(
            site.path("mirror/fire.example.gov.uk/events/wildfire-day.md")
                .is_file(),
            "nor a mirrored one while the site's own files have errors"
        );
    }
}
