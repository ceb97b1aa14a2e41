//! Introductions: each group of a month's buddy round told who the others
//! are, what they share and what to do next, in one message to the whole
//! group, written for email (plain text and HTML) and, shorter, for a
//! direct message on the fediverse.
//!
//! What is said comes from the round file as it was written (its shared
//! policy areas and interests, its place) and from the profiles as they are
//! now (names, roles, addresses), so a corrected role or a new email
//! address is used without making the round again. Sending is elsewhere:
//! this module only writes.

mod note;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub use note::note;

use super::round::{self, Month, PairRecord, RoundError, RoundKind, Rounds};
use super::summary::{and_list, in_sentence};
use crate::content::profile::Profile;
use crate::content::round::overlaps;
use crate::content::{Directory, Entry, Kind, Site, TaxonomyKind, term_label};

/// The file holding the round of `month`: `rounds/<month>.yaml` for the
/// directory's own round, `rounds/<programme>/<month>.yaml` for a
/// programme's.
pub fn round_path(root: &Path, month: Month, programme: Option<&str>) -> PathBuf {
    match programme {
        None => Rounds::of_directory(root).file(month),
        Some(slug) => Rounds::of_programme(root, slug).file(month),
    }
}

/// Whether `text` can name a programme: a slug, so that it is a folder's
/// name under `rounds/` and nowhere else.
pub fn is_programme(text: &str) -> bool {
    crate::fields::is_slug(text)
}

/// Why a round's introductions cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum IntroductionError {
    /// The month has no round file.
    #[error("there is no round for {month}: {} does not exist", path.display())]
    NoRound {
        /// The file looked for.
        path: PathBuf,
        /// The month.
        month: Month,
    },
    /// The round file holds no buddy groups (only swaps, or nobody).
    #[error("{} has no buddy pairs for {month}", path.display())]
    NoGroups {
        /// The round file.
        path: PathBuf,
        /// The month.
        month: Month,
    },
    /// The round file could not be read.
    #[error(transparent)]
    Round(#[from] RoundError),
}

/// One person in a group.
#[derive(Debug, Clone)]
pub struct Member<'a> {
    /// How the round names them: the profile's key.
    pub id: String,
    /// Their profile as it is now.
    pub entry: &'a Entry<Profile>,
    /// Their profile page, absolute.
    pub link: String,
    /// "Kirkby Vale City Council (local government)", if their
    /// organisation is known.
    pub organisation: Option<String>,
}

impl Member<'_> {
    /// Their name.
    pub fn name(&self) -> &str {
        &self.entry.data.name
    }

    /// Their email address, if their profile gives one.
    pub fn email(&self) -> Option<&str> {
        self.entry.data.contact.email.as_deref()
    }

    /// Their fediverse handle (`@name@server`), if their profile gives one.
    pub fn fediverse(&self) -> Option<&str> {
        self.entry.data.contact.fediverse.as_deref()
    }

    /// "Housing Options Manager, Kirkby Vale City Council (local government)".
    pub fn job(&self) -> String {
        match &self.organisation {
            Some(organisation) => format!("{}, {organisation}", self.entry.data.role),
            None => self.entry.data.role.clone(),
        }
    }
}

/// One group of a round: two buddies, or three.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    /// The group's ids, sorted and joined by spaces: the same whatever
    /// order the round file lists them in, and how what was sent is
    /// recorded.
    pub key: String,
    /// The people still in the directory, by name: the first suggests a
    /// time to meet.
    pub members: Vec<Member<'a>>,
    /// The ids of people in the round whose profiles are gone since.
    pub gone: Vec<String>,
    /// The policy areas and interests they share, as people read them.
    pub shared: Vec<String>,
    /// The place they all work in, if they do.
    pub place: Option<String>,
}

impl Group<'_> {
    /// Who suggests a time: the first by name.
    pub fn suggester(&self) -> Option<&Member<'_>> {
        self.members.first()
    }

    /// The members without an email address.
    pub fn without_email(&self) -> impl Iterator<Item = &Member<'_>> {
        self.members.iter().filter(|m| m.email().is_none())
    }
}

/// A round's groups, ready to introduce.
#[derive(Debug, Clone)]
pub struct Round<'a> {
    /// The month.
    pub month: Month,
    /// The programme whose round it is; `None` for the directory's own.
    pub programme: Option<String>,
    /// The file it was read from.
    pub path: PathBuf,
    /// Its groups to introduce, in the round file's order.
    pub groups: Vec<Group<'a>>,
    /// Its groups held back, each with why: someone in it is in a round
    /// made before this one (here or in another directory) and wants no
    /// more buddies this month.
    pub held: Vec<(Group<'a>, Vec<String>)>,
}

/// Reads the round of `month` (of `programme`, if given) kept under `root`,
/// with each group's people found in `dir`.
pub fn read<'a>(
    dir: &'a Directory,
    root: &Path,
    month: Month,
    programme: Option<&str>,
) -> Result<Round<'a>, IntroductionError> {
    let path = round_path(root, month, programme);
    if !path.exists() {
        return Err(IntroductionError::NoRound { path, month });
    }
    let file = round::read_file(&path)?;
    if file.buddies.is_empty() {
        return Err(IntroductionError::NoGroups { path, month });
    }
    // The round as the directory read it, for what other rounds say.
    let known = dir
        .rounds
        .iter()
        .find(|r| !r.is_mirror() && r.month == month && r.programme.as_deref() == programme);
    let overlaps = known.map(|r| overlaps(dir, r)).unwrap_or_default();
    let mut groups = Vec::new();
    let mut held = Vec::new();
    for (index, record) in file.buddies.iter().enumerate() {
        let why: Vec<String> = overlaps
            .iter()
            .filter(|o| o.kind == RoundKind::Buddies && o.index == index)
            .map(|o| o.describe(dir, month))
            .collect();
        if why.is_empty() {
            groups.push(group(dir, record));
        } else {
            held.push((group(dir, record), why));
        }
    }
    Ok(Round {
        month,
        programme: programme.map(str::to_string),
        path,
        groups,
        held,
    })
}

fn group<'a>(dir: &'a Directory, record: &PairRecord) -> Group<'a> {
    let mut ids: Vec<String> = record.pair.0.clone();
    ids.sort();
    ids.dedup();
    let key = ids.join(" ");
    let mut members = Vec::new();
    let mut gone = Vec::new();
    for id in ids {
        match dir.profile(&id) {
            Some(entry) => members.push(member(dir, id, entry)),
            None => gone.push(id),
        }
    }
    members.sort_by(|a, b| {
        let key = |m: &Member<'_>| (m.name().to_lowercase(), m.id.clone());
        key(a).cmp(&key(b))
    });
    let shared = record
        .reasons
        .0
        .iter()
        .map(|slug| in_sentence(&tag_label(dir, slug)))
        .collect();
    Group {
        key,
        members,
        gone,
        shared,
        place: record.place.clone().filter(|p| !p.trim().is_empty()),
    }
}

fn member<'a>(dir: &'a Directory, id: String, entry: &'a Entry<Profile>) -> Member<'a> {
    let organisation = dir
        .organisation(&entry.data.organisation)
        .map(|o| format!("{} ({})", o.data.name, in_sentence(o.data.sector.label())));
    Member {
        link: dir.site.entry_id(Kind::Profile, &entry.slug),
        id,
        entry,
        organisation,
    }
}

/// A shared tag as people read it: the round file keeps slugs, and a
/// policy area is one the vocabulary knows; anything else is an interest.
fn tag_label(dir: &Directory, slug: &str) -> String {
    let kind = if dir.site.vocabulary.policy_area_label(slug).is_some() {
        TaxonomyKind::PolicyArea
    } else {
        TaxonomyKind::Interest
    };
    term_label(dir, kind, slug)
}

/// One group's introduction, for email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// The subject line.
    pub subject: String,
    /// The message as plain text.
    pub text: String,
    /// The same message as HTML, every value escaped.
    pub html: String,
}

/// Who to write to about pausing or leaving, shown in the message: the
/// organiser's address.
#[derive(Debug, Clone, Copy)]
pub struct Organiser<'s> {
    /// Their name or the scheme's, if known.
    pub name: Option<&'s str>,
    /// Their email address.
    pub address: &'s str,
}

/// How long the suggested first call lasts, in minutes.
pub const CALL_MINUTES: u32 = 30;
/// Within how many weeks the first call is suggested.
pub const CALL_WITHIN_WEEKS: u32 = 2;

/// A piece of the message: the same words become the plain text and the
/// HTML, so that the two never say different things.
enum Block {
    Paragraph(Vec<Span>),
    Heading(String),
    /// A person: name, job, link.
    Person {
        name: String,
        job: String,
        link: String,
    },
    /// Numbered steps.
    Steps(Vec<Vec<Span>>),
}

/// Text, or a link shown as its address.
enum Span {
    Text(String),
    Link(String),
    Email(String),
}

fn text(s: impl Into<String>) -> Span {
    Span::Text(s.into())
}

/// The names of a group, as a greeting lists them: "Amira and Tom".
fn first_names(group: &Group<'_>) -> String {
    let names: Vec<String> = group
        .members
        .iter()
        .map(|m| {
            m.name()
                .split_whitespace()
                .next()
                .unwrap_or(m.name())
                .to_string()
        })
        .collect();
    and_list(&names)
}

fn full_names(group: &Group<'_>) -> String {
    let names: Vec<String> = group.members.iter().map(|m| m.name().to_string()).collect();
    and_list(&names)
}

/// "both" for two, "all" for three or more.
fn together(group: &Group<'_>) -> &'static str {
    if group.members.len() <= 2 {
        "both"
    } else {
        "all"
    }
}

/// What the group shares, in a sentence or two.
fn common_ground(group: &Group<'_>) -> String {
    let mut out = if group.shared.is_empty() {
        "You have no policy area or interest in common: a chance to see how another sector works."
            .to_string()
    } else {
        format!(
            "You {} work on or care about {}.",
            together(group),
            and_list(&group.shared)
        )
    };
    if let Some(place) = &group.place {
        let _ = write!(
            out,
            " You {} work in {place}, so you could meet in person.",
            together(group)
        );
    }
    out
}

fn blocks(
    site: &Site,
    round: &Round<'_>,
    group: &Group<'_>,
    organiser: Organiser<'_>,
) -> Vec<Block> {
    let month = round.month.name();
    let mut out = vec![
        Block::Paragraph(vec![text(format!("Hello {},", first_names(group)))]),
        Block::Paragraph(vec![text(format!(
            "You are buddies for {month}. The buddy round of {} paired you with someone from another sector, to meet and learn how each other's work is done.",
            site.title
        ))]),
        Block::Heading("Who you are meeting".into()),
    ];
    for m in &group.members {
        out.push(Block::Person {
            name: m.name().to_string(),
            job: m.job(),
            link: m.link.clone(),
        });
    }
    out.push(Block::Heading("What you have in common".into()));
    out.push(Block::Paragraph(vec![text(common_ground(group))]));
    out.push(Block::Heading("What to do next".into()));
    let mut steps = vec![vec![text(format!(
        "Have a {CALL_MINUTES}-minute call in the next {CALL_WITHIN_WEEKS} weeks."
    ))]];
    if let Some(first) = group.suggester() {
        let first_name = first
            .name()
            .split_whitespace()
            .next()
            .unwrap_or(first.name());
        // Where to find each other: in the `To` line, when everyone is in it.
        let write = match (group.without_email().next(), group.members.len()) {
            (Some(_), _) => "",
            (None, 0..=2) => {
                " Write to each other directly: your addresses are in the \u{201c}To\u{201d} line of this email."
            }
            (None, _) => {
                " Write to the others directly: their addresses are in the \u{201c}To\u{201d} line of this email."
            }
        };
        steps.push(vec![text(format!(
            "{first_name}, please suggest 2 or 3 times that suit you.{write}"
        ))]);
    }
    steps.push(vec![text(
        "Read each other's profiles first, and think of one thing you would like to ask.",
    )]);
    out.push(Block::Steps(steps));
    let unreachable: Vec<&Member<'_>> = group.without_email().collect();
    if !unreachable.is_empty() {
        let mut said = Vec::new();
        for m in unreachable {
            let mut sentence = format!(
                "We have no email address for {}, so this email has not reached them.",
                m.name()
            );
            match m.fediverse() {
                Some(handle) => {
                    let _ = write!(
                        sentence,
                        " Their profile gives their fediverse handle, {handle}: you can write to them there."
                    );
                }
                None => sentence.push_str(" Their profile page says how to contact them."),
            }
            said.push(sentence);
        }
        out.push(Block::Paragraph(vec![text(said.join(" "))]));
    }
    if !group.gone.is_empty() {
        out.push(Block::Paragraph(vec![text(
            "Someone else was in this group but has left the directory since the round was made.",
        )]));
    }
    out.push(Block::Heading("If you want to pause or leave".into()));
    let mut pause = vec![text(
        "You can pause the buddy rounds until a date you choose, or leave them. Reply to this email to tell the organiser",
    )];
    match organiser.name {
        Some(name) => pause.push(text(format!(", {name} ("))),
        None => pause.push(text(" (")),
    }
    pause.push(Span::Email(organiser.address.to_string()));
    pause.push(text(
        "). They will pause you until the date you give, or take you out of the rounds; what you ask them is kept private.",
    ));
    out.push(Block::Paragraph(pause));
    out.push(Block::Paragraph(vec![
        text(format!("Sent by {}: ", site.title)),
        Span::Link(site.absolute("/")),
    ]));
    out
}

/// The introduction of `group` by email, from `site`.
pub fn letter(
    site: &Site,
    round: &Round<'_>,
    group: &Group<'_>,
    organiser: Organiser<'_>,
) -> Letter {
    let blocks = blocks(site, round, group, organiser);
    let subject = format!(
        "Your {} for {}: {}",
        if group.members.len() > 2 {
            "buddies"
        } else {
            "buddy"
        },
        round.month.name(),
        full_names(group)
    );
    Letter {
        text: plain(&blocks),
        html: html(&subject, &blocks, &site.language),
        subject,
    }
}

fn plain_spans(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text(t) | Span::Link(t) | Span::Email(t) => t.as_str(),
        })
        .collect()
}

/// Plain text, each paragraph wrapped at 72 columns, as mail readers
/// expect; links are kept whole on lines of their own where they would
/// not fit.
fn plain(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Paragraph(spans) => out.push_str(&wrap(&plain_spans(spans), "")),
            Block::Heading(title) => out.push_str(title),
            Block::Person { name, job, link } => {
                let _ = write!(out, "{name}\n{}\n{link}", wrap(job, ""));
            }
            Block::Steps(steps) => {
                let lines: Vec<String> = steps
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let line = wrap(&plain_spans(s), "   ");
                        format!("{}.{}", i + 1, &line[2.min(line.len())..])
                    })
                    .collect();
                out.push_str(&lines.join("\n"));
            }
        }
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// `text` wrapped at 72 columns, each line after the first (and the first)
/// starting with `indent`.
fn wrap(text: &str, indent: &str) -> String {
    const WIDTH: usize = 72;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::from(indent);
    for word in text.split_whitespace() {
        let fits = line.chars().count() + 1 + word.chars().count() <= WIDTH;
        if line.len() > indent.len() && !fits {
            lines.push(std::mem::replace(&mut line, String::from(indent)));
        }
        if line.len() > indent.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines.join("\n")
}

/// Text made safe in HTML.
fn escape(text: &str) -> String {
    crate::escape::markup(text)
}

fn html_spans(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text(t) => escape(t),
            Span::Link(url) => format!("<a href=\"{0}\" style=\"{LINK}\">{0}</a>", escape(url)),
            Span::Email(address) => format!(
                "<a href=\"mailto:{0}\" style=\"{LINK}\">{0}</a>",
                escape(address)
            ),
        })
        .collect()
}

/// Styles inline, as mail readers drop style sheets: the GOV.UK Design
/// System's type, colours and links.
const BODY: &str = "margin: 0; padding: 15px; font-family: Arial, Helvetica, sans-serif; font-size: 19px; line-height: 1.32; color: #0b0c0c; background: #ffffff;";
const HEADING: &str = "margin: 30px 0 15px; font-size: 24px; line-height: 1.25; font-weight: bold;";
const PARAGRAPH: &str = "margin: 0 0 20px;";
const LINK: &str = "color: #1d70b8; text-decoration: underline;";

fn html(subject: &str, blocks: &[Block], language: &str) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n</head>\n<body style=\"{BODY}\">\n<div style=\"max-width: 640px;\">\n",
        escape(language),
        escape(subject)
    );
    for block in blocks {
        match block {
            Block::Paragraph(spans) => {
                let _ = writeln!(out, "<p style=\"{PARAGRAPH}\">{}</p>", html_spans(spans));
            }
            Block::Heading(title) => {
                let _ = writeln!(out, "<h2 style=\"{HEADING}\">{}</h2>", escape(title));
            }
            Block::Person { name, job, link } => {
                let _ = writeln!(
                    out,
                    "<p style=\"{PARAGRAPH}\"><strong>{}</strong><br>\n{}<br>\n<a href=\"{2}\" style=\"{LINK}\">{2}</a></p>",
                    escape(name),
                    escape(job),
                    escape(link)
                );
            }
            Block::Steps(steps) => {
                let _ = writeln!(out, "<ol style=\"margin: 0 0 20px; padding-left: 20px;\">");
                for step in steps {
                    let _ = writeln!(
                        out,
                        "<li style=\"margin-bottom: 5px;\">{}</li>",
                        html_spans(step)
                    );
                }
                out.push_str("</ol>\n");
            }
        }
    }
    out.push_str("</div>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_programme_round_is_in_its_own_folder() {
        let root = Path::new("/site");
        let month: Month = "2027-01".parse().unwrap();
        assert_eq!(
            round_path(root, month, None),
            Path::new("/site/rounds/2027-01.yaml")
        );
        assert_eq!(
            round_path(root, month, Some("graduates")),
            Path::new("/site/rounds/graduates/2027-01.yaml")
        );
    }

    #[test]
    fn text_wraps_at_72_columns_and_keeps_long_words_whole() {
        let long = "word ".repeat(40);
        for line in wrap(&long, "").lines() {
            assert!(line.len() <= 72, "{line}");
        }
        let url = format!("https://{}.example/", "x".repeat(80));
        assert_eq!(wrap(&format!("see {url}"), ""), format!("see\n{url}"));
        assert!(wrap("one two", "   ").starts_with("   one"));
    }

    /// A site of three people in three sectors (and a round file naming
    /// them with one who has left), loaded.
    fn trio_site() -> (tempfile::TempDir, Directory) {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "interchange.toml",
            "title = \"Small\"\nbase_url = \"https://small.example.gov.uk\"\norganisations = [\"acme\"]\n",
        );
        for (slug, sector) in [
            ("acme", "local-government"),
            ("dft", "central-government"),
            ("trust", "nhs"),
        ] {
            write(
                &format!("content/organisations/{slug}.md"),
                &format!("---\nname: {slug}\nsector: {sector}\n---\n"),
            );
        }
        for (slug, name, organisation) in [
            ("zoe-adams", "Zoë Adams", "acme"),
            ("bob-stone", "Bob Stone", "dft"),
            ("cara-lee", "Cara Lee", "trust"),
        ] {
            write(
                &format!("content/profiles/{slug}.md"),
                &format!(
                    "---\nname: {name}\nrole: Analyst\norganisation: {organisation}\npolicy_areas: [housing]\nopen_to: [buddy]\ncontact:\n  email: {slug}@example.gov.uk\nconsent: 2026-01-01\n---\n"
                ),
            );
        }
        write(
            "rounds/2027-01.yaml",
            "month: 2027-01\nbuddies:\n  - pair: [zoe-adams, cara-lee, bob-stone, ann-gone]\n    weight: 3\n    reasons: [housing, walking]\n",
        );
        let loaded = crate::load(&crate::LoadOptions::new(dir.path().to_path_buf())).unwrap();
        assert!(!loaded.diagnostics.has_errors());
        (dir, loaded.directory)
    }

    #[test]
    fn a_group_of_three_is_introduced_as_one() {
        let (dir, directory) = trio_site();
        let month: Month = "2027-01".parse().unwrap();
        let round = read(&directory, dir.path(), month, None).unwrap();
        let group = &round.groups[0];
        assert_eq!(group.key, "ann-gone bob-stone cara-lee zoe-adams");
        assert_eq!(group.gone, ["ann-gone"]);
        let names: Vec<&str> = group.members.iter().map(|m| m.name()).collect();
        assert_eq!(names, ["Bob Stone", "Cara Lee", "Zoë Adams"]);
        let organiser = Organiser {
            name: Some("Jo"),
            address: "jo@example.gov.uk",
        };
        let letter = letter(&directory.site, &round, group, organiser);
        assert_eq!(
            letter.subject,
            "Your buddies for January 2027: Bob Stone, Cara Lee and Zoë Adams"
        );
        let text = letter.text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.starts_with("Hello Bob, Cara and Zoë,"), "{text}");
        assert!(
            text.contains("You all work on or care about housing and walking."),
            "{text}"
        );
        assert!(text.contains("Bob, please suggest 2 or 3 times"), "{text}");
        assert!(text.contains("Write to the others directly"), "{text}");
        assert!(text.contains("has left the directory"), "{text}");
        assert!(
            text.contains("https://small.example.gov.uk/profiles/cara-lee/"),
            "{text}"
        );
        assert!(letter.html.contains("<h2"), "{}", letter.html);
        // A direct message names the one it goes to, and the others.
        let zoe = &group.members[2];
        let note = note(
            &directory.site,
            &round,
            group,
            zoe,
            "https://social.example/users/zoe",
        );
        assert!(
            note.contains("href=\"https://social.example/users/zoe\" class=\"u-url mention\""),
            "{note}"
        );
        assert!(
            note.contains("Bob Stone") && note.contains("Cara Lee"),
            "{note}"
        );
        assert!(note.contains("Bob Stone will suggest some times"), "{note}");
    }

    #[test]
    fn a_month_without_a_round_says_so() {
        let (dir, directory) = trio_site();
        let month: Month = "2027-02".parse().unwrap();
        let error = read(&directory, dir.path(), month, None).unwrap_err();
        assert!(
            matches!(error, IntroductionError::NoRound { .. }),
            "{error}"
        );
        let error = read(
            &directory,
            dir.path(),
            "2027-01".parse().unwrap(),
            Some("graduates"),
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("rounds/graduates/2027-01.yaml"),
            "{error}"
        );
    }

    #[test]
    fn html_escapes_names_and_apostrophes_for_old_mail_readers() {
        assert_eq!(
            escape("<b>O'Brien</b> & \"co\""),
            "&lt;b&gt;O&#39;Brien&lt;/b&gt; &amp; &quot;co&quot;"
        );
    }
}
