//! New sites and new entries: `interchange init` and `interchange new`.
//!
//! Every file written here has each required field, today's date where a
//! change is recorded, and dates in the future where an event or
//! consultation needs them, and checks clean, but for one thing: a
//! profile's `consent` is left empty, with a comment saying to ask the
//! officer, so that no one is published who never agreed.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::content::Kind;
use crate::fields::slugify;

mod workflows;

/// Ends a line of example text in a file written here, until someone
/// writes the real value: `check` warns about every line that still has it.
pub const PLACEHOLDER: &str = "# placeholder";

/// Starts a body of example text, for the same reason.
pub const PLACEHOLDER_BODY: &str = "<!-- placeholder: replace this text -->";

/// Why a scaffold could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// `init` into a folder that already holds a site.
    #[error("{} already has an interchange.toml", .0.display())]
    AlreadyASite(PathBuf),
    /// A name with no letters or digits to make a slug from.
    #[error("`{0}` has no letters or digits to name a file after")]
    NoSlug(String),
    /// A file could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

fn write(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let io = |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, text).map_err(io)
}

/// A day `days` after `today`.
fn later(today: Date, days: i64) -> Date {
    today
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(today)
}

/// The text of a new entry of `kind` called `name`, for an organisation.
pub fn entry_text(kind: Kind, name: &str, organisation: &str, today: Date) -> String {
    let start = later(today, 28);
    // Whatever the name holds (a colon, a `#`, `True`), it is read back as
    // itself; a comment that names it stays one line.
    let said = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = &crate::node::yaml_text(&said);
    match kind {
        Kind::Organisation => format!(
            "---\nname: {name}\nsector: local-government\nwebsite: https://www.example.gov.uk  {PLACEHOLDER}\n---\n{PLACEHOLDER_BODY}\nWhat {said} does, in a paragraph.\n"
        ),
        Kind::Profile => format!(
            "---\nname: {name}\nrole: Policy Officer  {PLACEHOLDER}\norganisation: {organisation}\nlocation: Leeds  {PLACEHOLDER}\npolicy_areas: [housing]  {PLACEHOLDER}\ninterests: [data]  {PLACEHOLDER}\nopen_to: [buddy, coffee]\n# Ask {said} whether they agree to be listed; once they have, write the date\n# they agreed here (YYYY-MM-DD). Until then the profile is not published.\nconsent:\nupdated: {today}\n---\n{PLACEHOLDER_BODY}\nWhat {said} works on, and what they would like to talk about.\n"
        ),
        Kind::Event => format!(
            "---\ntitle: {name}\nkind: open-day\nstart: {start}T10:00\nend: {start}T15:30\nvenue:\n  name: Civic Centre  {PLACEHOLDER}\n  address: Civic Centre, Leeds LS1 1UR  {PLACEHOLDER}\naudience: [local-government, central-government, nhs, police]\norganisation: {organisation}\naccessibility: Step-free access throughout.  {PLACEHOLDER}\nupdated: {today}\n---\n{PLACEHOLDER_BODY}\nWhat happens on the day, and who it is for.\n"
        ),
        Kind::Consultation => format!(
            "---\ntitle: {name}\nopens: {today}\ncloses: {}\npolicy_areas: [housing]\norganisation: {organisation}\nrespond:\n  email: consultations@example.gov.uk  {PLACEHOLDER}\nupdated: {today}\n---\n{PLACEHOLDER_BODY}\nWhat the consultation is about and what it asks.\n",
            later(today, 84)
        ),
        Kind::Ask => format!(
            "---\ntitle: {name}\nkind: coffee\nby: REPLACE-WITH-A-PROFILE\ncloses: {}\nupdated: {today}\n---\n{PLACEHOLDER_BODY}\nWhat you are asking for, and why.\n",
            later(today, 56)
        ),
        Kind::Page => format!(
            "---\ntitle: {name}\nupdated: {today}\n---\n{PLACEHOLDER_BODY}\nThe page's text.\n"
        ),
        Kind::Programme => format!(
            "---\nname: {name}\norganisation: {organisation}\nkind: buddies\njoin:\n  sectors: [local-government, central-government, nhs, police]\ncadence: monthly\ngroups: pairs-and-a-trio\ncontact: buddies@example.gov.uk  {PLACEHOLDER}\nupdated: {today}\n---\n{PLACEHOLDER_BODY}\nWhat the programme is for, who it is for, and what joining asks of people.\n"
        ),
    }
}

/// Writes a new entry of `kind` named `name` into the site at `root`, under
/// a slug made from the name that no file of that kind has yet.
pub fn new_entry(
    root: &Path,
    kind: Kind,
    name: &str,
    organisation: &str,
    today: Date,
) -> Result<PathBuf, ScaffoldError> {
    let base = slugify(name);
    if base.is_empty() {
        return Err(ScaffoldError::NoSlug(name.to_string()));
    }
    let folder = root.join("content").join(kind.folder());
    let mut slug = base.clone();
    let mut n = 1;
    while folder.join(format!("{slug}.md")).exists() {
        n += 1;
        slug = format!("{base}-{n}");
    }
    let path = folder.join(format!("{slug}.md"));
    let mut text = entry_text(kind, name, organisation, today);
    if kind == Kind::Ask {
        // An ask needs the profile asking; the site's first one stands in.
        let by =
            first_file(&root.join("content/profiles")).unwrap_or_else(|| "your-profile".into());
        text = text.replace("REPLACE-WITH-A-PROFILE", &by);
    }
    write(&path, &text)?;
    Ok(path)
}

/// The stem of the first Markdown file in a folder, in name order.
fn first_file(folder: &Path) -> Option<String> {
    let mut stems: Vec<String> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    stems.sort();
    stems.into_iter().next()
}

/// Creates a new site in `dir` for `organisation`: the config, the
/// organisation, one example of each kind, the free pages every public site
/// needs, a .gitignore, and CI that checks it and publishes it with GitHub
/// Pages or GitLab Pages. Returns the files written.
pub fn init(dir: &Path, organisation: &str, today: Date) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.join(crate::load::CONFIG_FILE).exists() {
        return Err(ScaffoldError::AlreadyASite(dir.to_path_buf()));
    }
    let org = {
        let slug = slugify(organisation);
        if slug.is_empty() {
            return Err(ScaffoldError::NoSlug(organisation.to_string()));
        }
        slug
    };
    // One file a line, as a table.
    #[rustfmt::skip]
    let mut files: Vec<(PathBuf, String)> = vec![
        (
            PathBuf::from("interchange.toml"),
            format!(
                "# The site's settings: see the content reference for every key.\ntitle = \"{organisation} directory\"\nbase_url = \"https://directory.example.gov.uk\"  {PLACEHOLDER}\nlanguage = \"en-GB\"\ntimezone = \"Europe/London\"\norganisations = [\"{org}\"]\n"
            ),
        ),
        (PathBuf::from(format!("content/organisations/{org}.md")), entry_text(Kind::Organisation, organisation, &org, today)),
        (PathBuf::from("content/profiles/alex-example.md"), entry_text(Kind::Profile, "Alex Example", &org, today)),
        (PathBuf::from("content/events/open-day.md"), entry_text(Kind::Event, "Open day", &org, today)),
        (PathBuf::from("content/consultations/example-consultation.md"), entry_text(Kind::Consultation, "Example consultation", &org, today)),
        (
            PathBuf::from("content/asks/coffee-with-a-housing-officer.md"),
            entry_text(Kind::Ask, "Coffee with a housing officer", &org, today).replace("REPLACE-WITH-A-PROFILE", "alex-example"),
        ),
        (
            PathBuf::from("content/pages/about.md"),
            format!("---\ntitle: About this directory\nupdated: {today}\n---\nThis directory lists people at {organisation} who are happy to meet colleagues from other parts of public service: for a coffee, as a buddy, to shadow or to swap jobs for a while.\n"),
        ),
        (
            PathBuf::from("content/pages/privacy-notice.md"),
            format!("---\ntitle: Privacy notice\nupdated: {today}\n---\n## What we publish\n\nThe name, role, organisation and interests of officers who have agreed to be listed, and the date they agreed.\n\n## How to be removed\n\nEmail the directory's editors and your entry will be removed at the next update, here and in every directory that mirrors it.\n\n{PLACEHOLDER_BODY}\nAdapt this notice with your data protection officer before you publish.\n"),
        ),
        (
            PathBuf::from("content/pages/accessibility-statement.md"),
            format!("---\ntitle: Accessibility statement\nupdated: {today}\n---\nThis site aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. Tell us about any problem you find and we will fix it.\n\n{PLACEHOLDER_BODY}\nAdapt this statement after testing your own site.\n"),
        ),
        (PathBuf::from(".gitignore"), "/public\n/.public.*\n*.db\n*.db-shm\n*.db-wal\n.*.new\n".to_string()),
        (PathBuf::from(".github/workflows/site.yml"), workflows::github()),
        (PathBuf::from(".gitlab-ci.yml"), workflows::gitlab()),
    ];
    let mut written = Vec::new();
    for (path, text) in files.drain(..) {
        write(&dir.join(&path), &text)?;
        written.push(path);
    }
    written.extend(editor(dir)?);
    Ok(written)
}

/// The browser editor and the JSON Schema, made for the site just written.
fn editor(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    let io = |source| ScaffoldError::Io {
        path: dir.join(crate::cms::FOLDER),
        source,
    };
    let loaded = crate::load(&crate::LoadOptions::new(dir.to_path_buf()))
        .map_err(|e| io(std::io::Error::other(e.to_string())))?;
    let editor = crate::cms::Editor {
        site: &loaded.directory.site,
        directory: Some(&loaded.directory),
        backend: crate::cms::Backend::GitGateway,
        branch: "main".to_string(),
    };
    crate::cms::write(dir, &editor).map_err(io)
}
