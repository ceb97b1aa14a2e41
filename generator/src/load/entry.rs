//! Reading one entry file: where it sits (its kind, key and origin), its
//! front matter and body, and what it says that is checked against the
//! other files.

use std::path::Path;
use std::sync::Arc;

use crate::content::{
    Ask, Consultation, Entry, Event, Kind, Organisation, Origin, Page, Profile, Programme,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::fields::{Context, Fields, Reader, Reference, ReferenceFrom, is_slug, slugify};
use crate::node::{Node, parse_yaml};
use crate::source::{SourceFile, Span};

use super::checks;
use super::front_matter::{self, SplitError};

/// An entry of any kind.
pub(super) enum AnyEntry {
    Organisation(Arc<Entry<Organisation>>),
    Profile(Arc<Entry<Profile>>),
    Event(Arc<Entry<Event>>),
    Consultation(Arc<Entry<Consultation>>),
    Ask(Arc<Entry<Ask>>),
    Page(Arc<Entry<Page>>),
    Programme(Arc<Entry<Programme>>),
}

impl AnyEntry {
    /// The entry's kind and key.
    pub(super) fn key(&self) -> (Kind, &str) {
        match self {
            AnyEntry::Organisation(e) => (Kind::Organisation, &e.slug),
            AnyEntry::Profile(e) => (Kind::Profile, &e.slug),
            AnyEntry::Event(e) => (Kind::Event, &e.slug),
            AnyEntry::Consultation(e) => (Kind::Consultation, &e.slug),
            AnyEntry::Ask(e) => (Kind::Ask, &e.slug),
            AnyEntry::Page(e) => (Kind::Page, &e.slug),
            AnyEntry::Programme(e) => (Kind::Programme, &e.slug),
        }
    }
}

/// The entry a file makes, counted for the reference checks.
pub(crate) struct Claim {
    pub kind: Kind,
    /// Its key (see [`Entry::slug`]).
    pub slug: String,
}

/// What a file says that is checked against every other file.
pub(crate) struct Findings {
    pub file: Arc<SourceFile>,
    pub references: Vec<Reference>,
    /// Each interest: as written, the form compared, and where.
    pub interests: Vec<(String, String, Span)>,
}

/// What reading one file gave.
pub(super) struct ReadFile {
    pub(super) entry: Option<AnyEntry>,
    pub(super) claim: Option<Claim>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) findings: Findings,
    /// The files under `static/` its reading looked at, with their stamps.
    pub(super) looked_at: Vec<(String, Option<u64>)>,
}

impl ReadFile {
    /// A file not read, and why.
    pub(super) fn refused(diagnostic: Diagnostic) -> Self {
        Self {
            entry: None,
            claim: None,
            findings: Findings {
                file: Arc::clone(&diagnostic.file),
                references: Vec::new(),
                interests: Vec::new(),
            },
            diagnostics: vec![diagnostic],
            looked_at: Vec::new(),
        }
    }
}

/// The kind and key (see [`Entry::slug`]) of the entry the file at
/// `relative` (to the site folder) holds or held, if it is an entry's place.
pub fn entry_of(relative: &Path) -> Option<(Kind, String)> {
    let place = place(relative).ok()?;
    let key = place.key();
    Some((place.kind, key))
}

/// Where a file sits: its kind, slug and origin host, from its path.
struct Place {
    kind: Kind,
    slug: String,
    host: Option<String>,
}

impl Place {
    /// The entry's key: the slug, within its origin's namespace.
    fn key(&self) -> String {
        match &self.host {
            None => self.slug.clone(),
            Some(host) => crate::content::mirrored_key(host, &self.slug),
        }
    }
}

fn place(relative: &Path) -> Result<Place, String> {
    let parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let stem = relative
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let kinds = Kind::ALL.map(Kind::folder).join("/, ");
    let (host, folder) = match parts.as_slice() {
        [top, folder, _] if top == "content" => (None, folder),
        [top, host, folder, _] if top == "mirror" && crate::content::is_host(host) => {
            (Some(host.clone()), folder)
        }
        [top, host, _, _] if top == "mirror" => {
            return Err(format!(
                "`{host}` is not a host: mirror/ holds a folder for each followed directory, named by its host"
            ));
        }
        [top, ..] if top == "mirror" => {
            return Err("mirrored entries live at mirror/<host>/<kind>/<slug>.md".into());
        }
        _ => {
            return Err(format!(
                "entries live in a folder of their kind under content/: {kinds}/"
            ));
        }
    };
    let kind =
        Kind::from_folder(folder).ok_or_else(|| {
            match crate::did_you_mean::did_you_mean(folder, Kind::ALL.map(Kind::folder)) {
                Some(guess) => {
                    format!("`{folder}` is not a kind of entry: {guess} The kinds are {kinds}/")
                }
                None => format!("`{folder}` is not a kind of entry; the kinds are {kinds}/"),
            }
        })?;
    Ok(Place {
        kind,
        slug: stem,
        host,
    })
}

/// A file's bytes and what the system says of it, from one open.
fn read_with_metadata(path: &Path) -> std::io::Result<(Vec<u8>, std::fs::Metadata)> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    // Asked before the bytes are read: a write after it moves the file's
    // times, so a stamp made from it never vouches for bytes newer than it.
    let metadata = file.metadata()?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // Through `take`: a `File`'s own `read_to_end` asks for its size again.
    file.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok((bytes, metadata))
}

/// Reads the entry file at `relative` (to `root`).
pub(super) fn read_entry(root: &Path, relative: &Path, context: &Context) -> ReadFile {
    let (file, unreadable, _) = read_source(root, relative);
    read_entry_from(relative, file, unreadable, context)
}

/// The file at `relative` (to `root`) as a source file; why its text is
/// not all there if it is not (it cannot be read, or is not UTF-8); and
/// what the system said of it before it was read.
pub(super) fn read_source(
    root: &Path,
    relative: &Path,
) -> (Arc<SourceFile>, Option<String>, Option<std::fs::Metadata>) {
    let (text, metadata) = match read_with_metadata(&root.join(relative)) {
        Ok((bytes, metadata)) => (Ok(bytes), Some(metadata)),
        Err(e) => (Err(e), None),
    };
    let modified = metadata.as_ref().and_then(crate::files::modified);
    let (text, unreadable) = match text {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(e) => (
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
                Some(format!(
                    "the file is not UTF-8 text (at byte {})",
                    e.utf8_error().valid_up_to()
                )),
            ),
        },
        Err(e) => (String::new(), Some(format!("cannot read the file: {e}"))),
    };
    let text = crate::source::cleaned(relative, text);
    let file = Arc::new(SourceFile::new(relative, text).modified_at(modified));
    (file, unreadable, metadata)
}

/// Reads the entry in `file`, read from `relative`, and `unreadable`: why
/// its text is not all there.
pub(super) fn read_entry_from(
    relative: &Path,
    file: Arc<SourceFile>,
    unreadable: Option<String>,
    context: &Context,
) -> ReadFile {
    let mirrored = relative.starts_with("mirror");
    let mut out = ReadFile {
        entry: None,
        claim: None,
        diagnostics: Vec::new(),
        findings: Findings {
            file: Arc::clone(&file),
            references: Vec::new(),
            interests: Vec::new(),
        },
        looked_at: Vec::new(),
    };
    let first_line = file.line_span(1);
    if !mirrored {
        out.diagnostics
            .extend(super::mistakes::unpublishable_characters(&file));
    }
    if let Some(message) = unreadable {
        out.diagnostics.push(
            Diagnostic::error(Code::Unreadable, &file, first_line, message)
                .with_hint("save the file as UTF-8 text"),
        );
        return out;
    }
    let place = match place(relative) {
        Ok(place) => place,
        Err(hint) => {
            out.diagnostics.push(
                Diagnostic::error(
                    Code::UnknownKind,
                    &file,
                    first_line,
                    "this file is not in a folder of entries",
                )
                .with_hint(hint),
            );
            return out;
        }
    };
    if !is_slug(&place.slug) {
        out.diagnostics.push(
            Diagnostic::error(
                Code::InvalidSlug,
                &file,
                first_line,
                format!("the file name `{}` is not a valid slug", place.slug),
            )
            .with_hint(format!(
                "rename the file to `{}.md`: lower-case letters, digits and hyphens",
                slugify(&place.slug)
            )),
        );
    }
    let split = match front_matter::split(file.text()) {
        Ok(split) => split,
        Err(error) => {
            let (message, hint) = match error {
                SplitError::NoOpening => (
                    "the file has no front matter",
                    "start the file with a line `---`, the fields, then another `---`",
                ),
                SplitError::NoClosing => (
                    "the front matter is never closed",
                    "add a line `---` after the last field, before the text",
                ),
            };
            out.diagnostics.push(
                Diagnostic::error(Code::MissingFrontMatter, &file, first_line, message)
                    .with_hint(hint),
            );
            return out;
        }
    };
    let node = match parse_yaml(split.yaml) {
        Ok(node) => node,
        Err(e) => {
            // The parser stops at an invisible character, already reported
            // in words a person can act on.
            if !mirrored && split.yaml.chars().any(crate::escape::is_unpublishable) {
                return out;
            }
            // A mistake people make, on its own line, in plain words.
            if let Some(mistake) = super::mistakes::first_mistake(split.yaml, false) {
                out.diagnostics.push(mistake.diagnostic(&file));
                return out;
            }
            let span = e.offset.map_or(first_line, |o| Span::new(o, 0));
            out.diagnostics.push(
                Diagnostic::error(
                    Code::Syntax,
                    &file,
                    span,
                    format!("the front matter is not valid YAML: {}", e.message),
                )
                .with_hint(yaml_hint(&e.message)),
            );
            return out;
        }
    };
    // A list of bullets parses, as text that is not what was meant.
    if let Some(mistake) = super::mistakes::first_mistake(split.yaml, true) {
        out.diagnostics.push(mistake.diagnostic(&file));
        return out;
    }
    let mut reader = Reader::new(&file, context);
    reader.host = place.host.as_deref();
    body_links(&mut reader, split.body);
    let body_start = file.text().len() - split.body.len();
    if place.host.is_none() {
        let marked = super::mistakes::placeholders(split.yaml, 0)
            .into_iter()
            .chain(super::mistakes::placeholders(split.body, body_start));
        for (at, len, body) in marked {
            reader.push(placeholder(&file, Span::new(at, len), body));
        }
    }
    if let Some((at, len, item)) = super::mistakes::bullet_in_body(split.body, body_start) {
        reader.push(
            Diagnostic::warning(
                Code::WordBullets,
                &file,
                Span::new(at, len),
                "this line starts with a bullet pasted from a word processor: Markdown runs such lines together into one paragraph",
            )
            .with_hint(format!("start each item of a list with `- `, like `{item}`")),
        );
    }
    let entry = read_fields(
        &mut reader,
        &node,
        first_line,
        &place,
        split.body,
        split.body_line,
    );
    out.claim = Some(Claim {
        kind: place.kind,
        slug: place.key(),
    });
    out.entry = entry;
    out.diagnostics.extend(reader.diagnostics);
    out.findings.references = reader.references;
    out.looked_at = reader.looked_at;
    out.findings.interests = reader
        .interests
        .into_iter()
        .map(|(interest, span)| {
            let key = checks::interest_key(&interest);
            (interest, key, span)
        })
        .collect();
    out
}

/// Example text written by `init` or `new` and not yet replaced: a line
/// marked as such, or (`body`) the text after a body's mark.
pub(super) fn placeholder(file: &Arc<SourceFile>, span: Span, body: bool) -> Diagnostic {
    let hint = if body {
        format!(
            "write the real text here, then delete the line `{}` above it",
            crate::scaffold::PLACEHOLDER_BODY
        )
    } else {
        format!(
            "write the real value, then delete `{}` at the end of the line",
            crate::scaffold::PLACEHOLDER
        )
    };
    Diagnostic::warning(
        Code::Placeholder,
        file,
        span,
        "this is example text that `interchange init` or `new` wrote, and it would be published as it is",
    )
    .with_hint(hint)
}

/// Records the body's links to other entries as references, and reports
/// links that look like entry files but cannot be.
fn body_links(r: &mut Reader<'_>, body: &str) {
    // Most bodies link to no entry: skip parsing those.
    if !body.contains(".md") {
        return;
    }
    let body_start = r.file.text().len() - body.len();
    for (event, range) in
        pulldown_cmark::Parser::new_ext(body, crate::markdown::options()).into_offset_iter()
    {
        let destination = match &event {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let span = Span::new(body_start + range.start, range.len());
        match crate::content::links::entry_link(destination, r.file.path()) {
            None => {}
            Some(Ok(link)) => r.references.push(Reference {
                kind: link.kind,
                slug: link.slug,
                from: ReferenceFrom::Link,
                span,
            }),
            Some(Err(reason)) => r.push(r.error(Code::BrokenLink, span, reason).with_hint(
                "write `@/` then the entry's folder and file, like `@/profiles/priya-shah.md`",
            )),
        }
    }
}

fn yaml_hint(message: &str) -> &'static str {
    if message.contains("aliases") {
        "write each value out in full"
    } else if message.contains("written twice") {
        "each field may be written once; remove the repeated one"
    } else if message.contains("nested") || message.contains("recursion") {
        "the front matter is too large or too deeply nested; keep it to plain fields"
    } else {
        "check the indentation and quote text that contains `: ` or starts with `@`, `*` or `&`"
    }
}

fn read_fields(
    r: &mut Reader<'_>,
    node: &Node,
    opening: Span,
    place: &Place,
    body: &str,
    body_line: usize,
) -> Option<AnyEntry> {
    let what = format!("a {}", place.kind.name());
    let mut f = Fields::described(
        r,
        node,
        opening,
        what,
        crate::content::model::entry_fields(place.kind, place.host.is_some()),
    )?;
    let updated = f.read(r, "updated", Reader::date);
    // A mirrored entry without a valid origin is still read, so that all of
    // its problems are reported; it is then left out of the directory.
    let origin = match &place.host {
        None => Some(Origin::Local),
        Some(host) => f
            .read_required(r, "origin", |r, n| origin_url(r, n, host))
            .map(|url| Origin::Mirror {
                host: host.clone(),
                url: Box::new(url),
            }),
    };
    let links = r
        .references
        .iter()
        .filter(|reference| reference.from == ReferenceFrom::Link)
        .map(|reference| (reference.kind, reference.slug.clone()))
        .collect();
    let local = place.host.is_none();
    let common = Entry {
        slug: place.key(),
        origin: origin.clone().unwrap_or(Origin::Local),
        file: Arc::clone(r.file),
        body_start: r.file.text().len() - body.len(),
        body_line,
        updated,
        links,
        data: (),
    };
    // A local event or consultation that names no organisation is the site's
    // own (the first organisation of the config); a mirrored one stays unnamed.
    let organisation = r.context.organisation.clone().filter(|_| local);
    let read = match place.kind {
        Kind::Organisation => {
            Organisation::read(r, &mut f).map(|d| AnyEntry::Organisation(Arc::new(common.with(d))))
        }
        Kind::Profile => {
            Profile::read(r, &mut f).map(|d| AnyEntry::Profile(Arc::new(common.with(d))))
        }
        Kind::Event => Event::read(r, &mut f).map(|mut d| {
            if d.organisation.is_none() {
                d.organisation = organisation;
            }
            AnyEntry::Event(Arc::new(common.with(d)))
        }),
        Kind::Consultation => Consultation::read(r, &mut f, body).map(|mut d| {
            if d.organisation.is_none() {
                d.organisation = organisation;
            }
            AnyEntry::Consultation(Arc::new(common.with(d)))
        }),
        Kind::Ask => Ask::read(r, &mut f).map(|d| AnyEntry::Ask(Arc::new(common.with(d)))),
        Kind::Page => Page::read(r, &mut f).map(|d| AnyEntry::Page(Arc::new(common.with(d)))),
        Kind::Programme => {
            Programme::read(r, &mut f).map(|d| AnyEntry::Programme(Arc::new(common.with(d))))
        }
    };
    f.finish(r);
    read.filter(|_| origin.is_some())
}

/// A mirrored entry's canonical URL, which must be on the host it is filed under.
fn origin_url(r: &mut Reader<'_>, node: &Node, host: &str) -> Option<url::Url> {
    let url = r.url(node, &["https", "http"])?;
    let url_host = url.host_str().unwrap_or_default();
    let filed = host.split(':').next().unwrap_or(host);
    if url_host.eq_ignore_ascii_case(filed) {
        Some(url)
    } else {
        r.push(
            r.error(
                Code::InvalidUrl,
                node.span,
                format!("the origin is on {url_host}, but the entry is filed under mirror/{host}/"),
            )
            .with_hint("a mirrored entry must live under the folder of the host it came from"),
        );
        None
    }
}
