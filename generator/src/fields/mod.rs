//! Reading typed fields out of a parsed document, reporting every problem.
//!
//! A [`Reader`] holds what is known while one file is read (the file, the
//! site's time zone and vocabulary, the diagnostics so far); [`Fields`] walks
//! one mapping, remembers which fields were asked for, and reports the rest as
//! unknown. Each reading function returns `None` after reporting a problem, so
//! the caller carries on with the next field.

mod dates;
mod mapping;

pub use mapping::Fields;

#[cfg(test)]
use dates::has_offset;

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use url::Url;

use crate::content::choices::Choice;
use crate::content::{Kind, Vocabulary};
use crate::diagnostic::{Code, Diagnostic};
use crate::did_you_mean::{did_you_mean, quoted_list, suggestions};
use crate::node::{Node, Value};
use crate::source::{SourceFile, Span};

/// What reading any file needs to know about the site.
#[derive(Debug, Clone)]
pub struct Context {
    /// The site folder, to find files under `static/`.
    pub root: PathBuf,
    /// The zone local times are written in.
    pub time_zone: TimeZone,
    /// The moment the check is made as of.
    pub now: Timestamp,
    /// The accepted policy areas.
    pub vocabulary: Vocabulary,
    /// The organisation a local event or consultation belongs to when it
    /// names none: the site's first.
    pub organisation: Option<String>,
    /// Which level band each grade is in, for profiles' levels.
    pub levels: crate::content::Levels,
    /// This site's own host (`leeds.example.gov.uk`), which the keys of its
    /// entries leave out when other directories' entries name them.
    pub own_host: String,
}

impl Context {
    /// Today's date in the site's zone.
    pub fn today(&self) -> Date {
        self.now.to_zoned(self.time_zone.clone()).date()
    }
}

/// A reference from one entry to another, checked once every file is read.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Reference {
    /// The kind of entry referred to.
    pub kind: Kind,
    /// Its slug.
    pub slug: String,
    /// What refers to it.
    pub from: ReferenceFrom,
    /// Where the slug or link is written.
    pub span: Span,
}

/// What makes a reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceFrom {
    /// A field naming a slug.
    Field(&'static str),
    /// A link in the Markdown body.
    Link,
}

/// Kept as the field's name, or none for a link.
impl serde::Serialize for ReferenceFrom {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ReferenceFrom::Field(name) => Some(*name),
            ReferenceFrom::Link => None,
        }
        .serialize(serializer)
    }
}

/// Read back as the model's own name for the field: a name the model no
/// longer has is refused.
impl<'de> serde::Deserialize<'de> for ReferenceFrom {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)? {
            None => Ok(ReferenceFrom::Link),
            Some(name) => crate::content::model::field_named(&name)
                .map(ReferenceFrom::Field)
                .ok_or_else(|| serde::de::Error::custom(format!("no field is named `{name}`"))),
        }
    }
}

/// The state of reading one file.
pub struct Reader<'a> {
    /// The file being read.
    pub file: &'a Arc<SourceFile>,
    /// The site's settings.
    pub context: &'a Context,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
    /// References to other entries, to resolve later.
    pub references: Vec<Reference>,
    /// Interests as written, for the near-duplicate check across files.
    pub interests: Vec<(String, Span)>,
    /// The host a mirrored entry's file came from (its files may be URLs,
    /// and the slugs it names are that host's); `None` for a local file.
    pub host: Option<&'a str>,
    /// The files under `static/` looked at, each with its stamp as it was
    /// (see [`crate::files::stamp`]): what was read depends on them too.
    pub looked_at: Vec<(String, Option<u64>)>,
}

impl<'a> Reader<'a> {
    /// A reader for one file.
    pub fn new(file: &'a Arc<SourceFile>, context: &'a Context) -> Self {
        Self {
            file,
            context,
            diagnostics: Vec::new(),
            references: Vec::new(),
            interests: Vec::new(),
            host: None,
            looked_at: Vec::new(),
        }
    }

    /// An error in this file, to push.
    pub fn error(&self, code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, self.file, span, message)
    }

    /// A warning in this file, to push.
    pub fn warning(&self, code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(code, self.file, span, message)
    }

    /// Records a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn wrong_type(&mut self, node: &Node, expected: &str, example: &str) {
        let found = node.value.describe();
        self.push(
            self.error(
                Code::WrongType,
                node.span,
                format!("expected {expected}, found {found}"),
            )
            .with_hint(format!("write it like this: {example}")),
        );
    }

    /// Text. Numbers are taken as text too (a grade of `7`); true/false,
    /// lists and mappings are not.
    pub fn text(&mut self, node: &Node) -> Option<String> {
        match &node.value {
            Value::Str(s) if s.trim().is_empty() => {
                self.push(self.error(
                    Code::WrongType,
                    node.span,
                    "expected text, found an empty value",
                ));
                None
            }
            // Written as an escape (`"\v"`), an invisible character is
            // as unpublishable as one typed in; another directory's is
            // dropped, as the loader drops those typed into its files.
            Value::Str(s) if s.chars().any(crate::escape::is_unpublishable) => {
                if self.host.is_none() {
                    let c = s.chars().find(|&c| crate::escape::is_unpublishable(c));
                    self.push(
                        self.error(
                            Code::ControlCharacter,
                            node.span,
                            format!(
                                "the text holds U+{:04X}, an invisible character that cannot be published",
                                c.map_or(0, u32::from)
                            ),
                        )
                        .with_hint("remove the escape that writes it (such as `\\v` or `\\f`) from the quoted text"),
                    );
                    return None;
                }
                Some(crate::escape::publishable(s).trim().to_string())
            }
            Value::Str(s) => Some(s.trim().to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            _ => {
                self.wrong_type(
                    node,
                    "text",
                    "`name: Priya Shah` (quote text that YAML would misread: `\"yes\"`)",
                );
                None
            }
        }
    }

    /// A slug: lower-case ASCII letters, digits and single hyphens.
    pub fn slug(&mut self, node: &Node) -> Option<String> {
        let text = self.text(node)?;
        if is_slug(&text) {
            Some(text)
        } else {
            self.push(
                self.error(
                    Code::InvalidSlug,
                    node.span,
                    format!("`{text}` is not a valid slug"),
                )
                .with_hint(format!(
                    "use lower-case letters, digits and hyphens, like `{}`",
                    slugify(&text)
                )),
            );
            None
        }
    }

    /// A reference to another entry, resolved once every file is read, as
    /// the key of the entry meant (see [`crate::Entry::slug`]). A mirrored
    /// entry's slugs name entries of its own directory. A local entry may
    /// name a mirrored profile (a guest host or lead) by its host and slug,
    /// `fire.example.gov.uk/callum-reid`: a profile that goes is only
    /// a warning, so no other directory can stop this site building.
    pub fn reference(&mut self, node: &Node, kind: Kind, field: &'static str) -> Option<String> {
        let key = match (self.host, &node.value) {
            // A programme is joined across directories: any entry, local or
            // mirrored, may name another directory's, and one of this site's
            // named by its host is this site's.
            (_, Value::Str(text)) if kind == Kind::Programme && text.contains('/') => {
                let key = self.mirrored_entry(node, kind, text.trim())?;
                match key.split_once('/') {
                    Some((host, slug)) if host == self.context.own_host => slug.to_string(),
                    _ => key,
                }
            }
            (None, Value::Str(text)) if kind == Kind::Profile && text.contains('/') => {
                self.mirrored_entry(node, kind, text.trim())?
            }
            (None, _) => self.slug(node)?,
            (Some(host), _) => crate::content::mirrored_key(host, &self.slug(node)?),
        };
        self.references.push(Reference {
            kind,
            slug: key.clone(),
            from: ReferenceFrom::Field(field),
            span: node.span,
        });
        Some(key)
    }

    /// A mirrored entry's key, `host/slug`, as a local entry names it.
    fn mirrored_entry(&mut self, node: &Node, kind: Kind, text: &str) -> Option<String> {
        match text.split_once('/') {
            Some((host, slug)) if crate::content::is_host(host) && is_slug(slug) => {
                Some(text.to_string())
            }
            _ => {
                let example = match kind {
                    Kind::Programme => {
                        "`yorkshire-buddies`, or one run by another directory by its host and slug, like `leeds.example.gov.uk/yorkshire-buddies`"
                    }
                    _ => {
                        "`priya-shah`, or one mirrored from another directory by its host and slug, like `fire.example.gov.uk/callum-reid`"
                    }
                };
                self.push(
                    self.error(
                        Code::InvalidSlug,
                        node.span,
                        format!("`{text}` is not a {}'s slug", kind.name()),
                    )
                    .with_hint(format!(
                        "name a {} of this site by its slug, like {example}",
                        kind.name()
                    )),
                );
                None
            }
        }
    }

    /// A directory's host, as addresses and mirror folders write it
    /// (`leeds.example.gov.uk`, `localhost:8080`).
    pub fn host(&mut self, node: &Node) -> Option<String> {
        let text = self.text(node)?.trim().to_ascii_lowercase();
        if crate::content::is_host(&text) {
            return Some(text);
        }
        self.push(
            self.error(
                Code::InvalidValue,
                node.span,
                format!("`{text}` is not a directory's host"),
            )
            .with_hint("write the host of the directory's address, like `leeds.example.gov.uk`"),
        );
        None
    }

    /// An interest: an open tag, kept for the check of near-duplicates.
    pub fn interest(&mut self, node: &Node) -> Option<String> {
        let slug = self.slug(node)?;
        self.interests.push((slug.clone(), node.span));
        Some(slug)
    }

    /// A list. A single value is taken as a list of one.
    pub fn list<T>(
        &mut self,
        node: &Node,
        mut item: impl FnMut(&mut Self, &Node) -> Option<T>,
    ) -> Vec<T> {
        match &node.value {
            Value::Seq(items) => items.iter().filter_map(|n| item(self, n)).collect(),
            Value::Map(_) => {
                self.wrong_type(node, "a list", "`[first, second]`");
                Vec::new()
            }
            // `housing, homelessness`: a list without its brackets, read
            // as one value, would only be reported as a value not known.
            Value::Str(text) if looks_like_a_list(text) => {
                let items: Vec<&str> = text.split(',').map(str::trim).collect();
                self.push(
                    self.error(
                        Code::WrongType,
                        node.span,
                        format!(
                            "`{}` is a list: a list is written in square brackets",
                            text.trim()
                        ),
                    )
                    .with_hint(format!("write `[{}]`", items.join(", "))),
                );
                Vec::new()
            }
            _ => item(self, node).into_iter().collect(),
        }
    }

    /// One value of a fixed set.
    pub fn choice<T: Choice>(&mut self, node: &Node) -> Option<T> {
        let text = self.text(node)?;
        if let Some(value) = T::from_slug(&text) {
            return Some(value);
        }
        let valid: Vec<&str> = T::slugs().collect();
        let mut hint = format!("use one of {}", quoted_list(&valid, "or"));
        if let Some(guess) = did_you_mean(&text, valid.iter().copied()) {
            hint = format!("{guess} Valid values: {}", quoted_list(&valid, "and"));
        }
        self.push(
            self.error(
                Code::InvalidValue,
                node.span,
                format!("`{text}` is not a {}", T::WHAT),
            )
            .with_hint(hint),
        );
        None
    }

    /// A policy area from the site's vocabulary.
    pub fn policy_area(&mut self, node: &Node) -> Option<String> {
        let text = self.text(node)?;
        let vocabulary = &self.context.vocabulary;
        if vocabulary.contains_policy_area(&text) {
            return Some(text);
        }
        let near = suggestions(&text, vocabulary.policy_areas().map(|(slug, _)| slug), 3);
        let hint = if near.is_empty() {
            "choose a policy area from the list in docs/content.md (Policy areas), or add it to `[vocabulary] policy_areas` in interchange.toml".to_string()
        } else {
            format!(
                "did you mean {}? If none fits, add it to `[vocabulary] policy_areas` in interchange.toml",
                quoted_list(&near, "or")
            )
        };
        self.push(
            self.error(
                Code::UnknownPolicyArea,
                node.span,
                format!("`{text}` is not in the policy area vocabulary"),
            )
            .with_hint(hint),
        );
        None
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, node: &Node) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(node, "true or false", "`cancelled: false`");
                None
            }
        }
    }

    /// A whole number from `min` to `max`.
    pub fn number(&mut self, node: &Node, min: u32, max: u32) -> Option<u32> {
        match node.value {
            Value::Int(i) if i >= i64::from(min) && i <= i64::from(max) => u32::try_from(i).ok(),
            Value::Int(i) => {
                self.push(
                    self.error(
                        Code::InvalidValue,
                        node.span,
                        format!("{i} is out of range"),
                    )
                    .with_hint(format!("use a whole number from {min} to {max}")),
                );
                None
            }
            _ => {
                self.wrong_type(node, "a whole number", "`capacity: 40`");
                None
            }
        }
    }

    /// An absolute URL with one of the given schemes.
    pub fn url(&mut self, node: &Node, schemes: &[&str]) -> Option<Url> {
        let text = self.text(node)?;
        let schemes_text = quoted_list(schemes, "or");
        match Url::parse(&text) {
            Ok(url)
                if schemes.contains(&url.scheme())
                    && (url.scheme() == "mailto" || url.has_host()) =>
            {
                if url.scheme() == "mailto" {
                    let address = url.path();
                    if email_address::EmailAddress::parse_with_options(address, email_options())
                        .is_err()
                    {
                        self.push(
                            self.error(
                                Code::InvalidEmail,
                                node.span,
                                format!("`{address}` is not an email address"),
                            )
                            .with_hint("write it like `mailto:opendays@dhsc.gov.uk`"),
                        );
                        return None;
                    }
                }
                Some(url)
            }
            Ok(url) => {
                self.push(
                    self.error(
                        Code::InvalidUrl,
                        node.span,
                        format!("a `{}:` link is not allowed here", url.scheme()),
                    )
                    .with_hint(format!("use a link starting {schemes_text}")),
                );
                None
            }
            Err(e) => {
                let hint = if !text.contains("://") && text.contains('.') && !text.contains('@') {
                    format!("add the scheme: `https://{text}`")
                } else {
                    format!("write a full link starting {schemes_text}")
                };
                self.push(
                    self.error(
                        Code::InvalidUrl,
                        node.span,
                        format!("`{text}` is not a valid link: {e}"),
                    )
                    .with_hint(hint),
                );
                None
            }
        }
    }

    /// An email address.
    pub fn email(&mut self, node: &Node) -> Option<String> {
        let text = self.text(node)?;
        let text = text.strip_prefix("mailto:").unwrap_or(&text).to_string();
        match email_address::EmailAddress::parse_with_options(&text, email_options()) {
            Ok(_) => Some(text),
            Err(e) => {
                self.push(
                    self.error(
                        Code::InvalidEmail,
                        node.span,
                        format!("`{text}` is not an email address: {e}"),
                    )
                    .with_hint("write it like `priya.shah@leeds.gov.uk`"),
                );
                None
            }
        }
    }

    /// A file under `static/` that must exist: a photo or a logo. Mirrored
    /// entries may give an absolute URL instead.
    pub fn static_file(&mut self, node: &Node) -> Option<String> {
        let text = self.text(node)?;
        if self.host.is_some() && crate::content::is_remote_file(&text) {
            return self.url(node, &["https", "http"]).map(|u| u.to_string());
        }
        let relative = Path::new(&text);
        let inside = relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if !inside {
            self.push(
                self.error(
                    Code::MissingFile,
                    node.span,
                    format!("`{text}` is not a path inside static/"),
                )
                .with_hint(
                    "give the path relative to the static/ folder, like `photos/priya-shah.jpg`",
                ),
            );
            return None;
        }
        let found = crate::files::stamp(&self.context.root.join("static").join(relative));
        self.looked_at.push((text.clone(), found));
        if found.is_some() {
            Some(text)
        } else {
            self.push(
                self.error(
                    Code::MissingFile,
                    node.span,
                    format!("static/{text} does not exist"),
                )
                .with_hint(format!(
                    "add the file at static/{text}, or remove this field"
                )),
            );
            None
        }
    }

    /// A photo: a file under `static/` as [`Reader::static_file`] takes it,
    /// that is a picture the site can resize (see [`crate::pictures`]).
    pub fn photo(&mut self, node: &Node) -> Option<String> {
        let path = self.static_file(node)?;
        if crate::content::is_remote_file(&path) {
            return Some(path);
        }
        match crate::pictures::inspect(&self.context.root.join("static").join(&path)) {
            Ok(_) => Some(path),
            Err(problem) => {
                self.push(
                    self.error(
                        Code::UnusablePhoto,
                        node.span,
                        format!("static/{path} {problem}"),
                    )
                    .with_hint(problem.hint()),
                );
                None
            }
        }
    }
}

pub(crate) fn email_options() -> email_address::Options {
    email_address::Options::default().without_display_text()
}

/// Whether text given for a list is the list without its brackets: words
/// with commas between them, and no spaces within them (a place such as
/// `Kirkby Vale, North Yorkshire` is one value).
fn looks_like_a_list(text: &str) -> bool {
    text.contains(',')
        && text
            .split(',')
            .map(str::trim)
            .all(|item| !item.is_empty() && !item.contains(char::is_whitespace))
}

/// Whether `text` is a slug: `[a-z0-9]+(-[a-z0-9]+)*`.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A slug made from any text, for hints: `Priya Shah` → `priya-shah`.
/// Letters with accents become their plain forms (`Zoë` → `zoe`), as people
/// type them in addresses.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("priya-shah"));
        assert!(is_slug("a1"));
        assert!(!is_slug("Priya"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(""));
        assert_eq!(slugify("Priya  Shah!"), "priya-shah");
        assert_eq!(slugify("Zoë O'Brien"), "zoe-o-brien");
    }

    #[test]
    fn offsets_are_recognised() {
        assert!(has_offset("2027-01-14T10:00+01:00"));
        assert!(has_offset("2027-01-14T10:00Z"));
        assert!(has_offset("2027-01-14T10:00-05:00"));
        assert!(!has_offset("2027-01-14T10:00"));
        assert!(!has_offset("2027-01-14"));
    }
}
