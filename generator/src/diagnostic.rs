//! Diagnostics: what is wrong in the content, where, and what to do about it.
//!
//! The checker never stops at the first problem: it collects every diagnostic
//! in the site so a comms officer fixes them all in one pass.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use crate::source::{SourceFile, Span};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The site cannot be built until it is fixed.
    Error,
    /// Shown, but the site still builds.
    Warning,
}

impl Severity {
    /// The lower-case name, as printed and as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal,)*) => {
        /// What kind of problem a diagnostic reports: a stable name that editors,
        /// CI scripts and the documentation can refer to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// The stable kebab-case name of the code.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// Every code, in the order they are documented.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];
        }
    };
}

codes! {
    /// A file could not be read.
    Unreadable => "unreadable",
    /// The file has no front matter between `---` lines.
    MissingFrontMatter => "missing-front-matter",
    /// The YAML front matter (or the TOML config) does not parse.
    Syntax => "syntax",
    /// A field the format does not know.
    UnknownField => "unknown-field",
    /// A required field is absent.
    MissingField => "missing-field",
    /// A value of the wrong type (a list where text was expected, say).
    WrongType => "wrong-type",
    /// A value outside an enumeration.
    InvalidValue => "invalid-value",
    /// A policy area outside the controlled vocabulary.
    UnknownPolicyArea => "unknown-policy-area",
    /// A malformed slug, in a file name or a reference.
    InvalidSlug => "invalid-slug",
    /// A file in a folder that holds no kind of entry.
    UnknownKind => "unknown-kind",
    /// A reference to an entry that does not exist.
    UnknownReference => "unknown-reference",
    /// A link in a body to an entry that does not exist, or to a file that is not an entry.
    BrokenLink => "broken-link",
    /// A local entry names or links to a profile that is not listed (removed,
    /// perhaps): a warning, so that removing a person is never blocked.
    UnlistedProfile => "unlisted-profile",
    /// A profile joins another directory's programme that this one does
    /// not mirror (yet): a warning, as no other directory can stop a build.
    UnmirroredProgramme => "unmirrored-programme",
    /// A malformed or non-web URL.
    InvalidUrl => "invalid-url",
    /// A malformed email address.
    InvalidEmail => "invalid-email",
    /// A malformed date or time.
    InvalidDate => "invalid-date",
    /// A local time skipped by a clock change.
    NonexistentLocalTime => "nonexistent-local-time",
    /// A local time that happens twice at a clock change.
    AmbiguousLocalTime => "ambiguous-local-time",
    /// An event that ends before it starts.
    EndBeforeStart => "end-before-start",
    /// A consultation that closes before it opens.
    ClosesBeforeOpens => "closes-before-opens",
    /// A `consent` date that is still to come.
    ConsentInFuture => "consent-in-future",
    /// A `swap` offer from someone not open to job swaps.
    SwapWithoutJobSwap => "swap-without-job-swap",
    /// A photo or logo that is not under `static/`.
    MissingFile => "missing-file",
    /// A photo that is not a picture the site can resize, or is too large.
    UnusablePhoto => "unusable-photo",
    /// A `repeat` that is not a valid RFC 5545 rule.
    InvalidRepeat => "invalid-repeat",
    /// A date in `cancelled_dates` that is not one of the event's dates.
    NotAnOccurrence => "not-an-occurrence",
    /// An event with neither a venue nor an online link.
    NoPlace => "no-place",
    /// A consultation with no way to respond.
    NoWayToRespond => "no-way-to-respond",
    /// Interests that differ only in spelling.
    SimilarInterests => "similar-interests",
    /// An event with no end time.
    NoEnd => "no-end",
    /// A job swap offer whose profile has no level band: no `level:`, and a
    /// grade the table of levels does not know.
    NoLevel => "no-level",
    /// A round file that cannot be read as one.
    InvalidRound => "invalid-round",
    /// A round of this site's takes someone past the buddies (or the one
    /// job swap) they want in a month, as a round made before it has them.
    PairedElsewhere => "paired-elsewhere",
    /// A link in the site's folders to a file or folder outside the site:
    /// nothing outside it is read or published.
    OutsideSite => "outside-site",
    /// A link that leads to nothing, or round in a loop.
    BrokenFileLink => "broken-file-link",
    /// A file that looks like an entry but is not read: `.markdown`,
    /// `.MD`, `.md.txt`.
    NotAnEntryFile => "not-an-entry-file",
    /// A line of a body starting with a bullet character, which Markdown
    /// does not read as a list.
    WordBullets => "word-bullets",
    /// Example text written by `init` or `new`, not yet replaced.
    Placeholder => "placeholder",
    /// A control character, which no page, feed or calendar may carry.
    ControlCharacter => "control-character",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Another place a diagnostic refers to: the other file of a duplicate, say.
#[derive(Debug, Clone)]
pub struct Related {
    /// The other file.
    pub file: Arc<SourceFile>,
    /// The place in it.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// One problem found in the content.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem.
    pub code: Code,
    /// The file it is in.
    pub file: Arc<SourceFile>,
    /// Where in the file.
    pub span: Span,
    /// What is wrong, in a sentence.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// Other places involved.
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// An error at `span` in `file`.
    pub fn error(
        code: Code,
        file: &Arc<SourceFile>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            code,
            file: Arc::clone(file),
            span,
            message: message.into(),
            hint: None,
            related: Vec::new(),
        }
    }

    /// A warning at `span` in `file`.
    pub fn warning(
        code: Code,
        file: &Arc<SourceFile>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, file, span, message)
        }
    }

    /// The same diagnostic with advice on what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same diagnostic, pointing at another place too.
    pub fn with_related(
        mut self,
        file: &Arc<SourceFile>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            file: Arc::clone(file),
            span,
            message: message.into(),
        });
        self
    }

    /// The file's path, relative to the site root.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// The 1-based line and column where the problem is.
    pub fn line_col(&self) -> (usize, usize) {
        self.file.line_col(self.span.start)
    }

    /// Whether this diagnostic stops a build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:col: error[code]: message`, the form editors jump to.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, column) = self.line_col();
        write!(
            f,
            "{}:{line}:{column}: {}[{}]: {}",
            self.path().display(),
            self.severity.as_str(),
            self.code,
            self.message
        )
    }
}

/// Every diagnostic of one check, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds many.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(diagnostics);
    }

    /// Sorts by file, then position, so output is the same on every run.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (a.path(), a.span.start, a.code.as_str()).cmp(&(
                b.path(),
                b.span.start,
                b.code.as_str(),
            ))
        });
    }

    /// How many errors there are.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings there are.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Whether there is no diagnostic at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many diagnostics there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The diagnostics, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}
