//! Printing diagnostics: graphical for people (through miette), JSON lines
//! for editors and CI.

use std::fmt;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use generator::{Diagnostic, Diagnostics, LoadOptions, Severity, SourceFile};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

/// Loads the site, or explains why it is not one.
pub fn load(options: &LoadOptions) -> Option<generator::Loaded> {
    loaded(generator::load(options))
}

/// The site loaded, or `None` once why it could not be is printed.
pub fn loaded(
    result: Result<generator::Loaded, generator::LoadError>,
) -> Option<generator::Loaded> {
    match result {
        Ok(loaded) => Some(loaded),
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!(
                "  help: run this inside a site folder (the one holding interchange.toml), or pass --root DIR"
            );
            None
        }
    }
}

/// Runs `check` and prints its findings; the exit code says whether any is an error.
pub fn check(options: &LoadOptions, json: bool) -> ExitCode {
    let Some(mut loaded) = load(options) else {
        return ExitCode::FAILURE;
    };
    // The private wishes of the rounds are checked too (they are read by
    // the rounds alone, never built into the site).
    let (_, wishes) = generator::matching::wishes::read(&options.root, &loaded.directory);
    if !wishes.is_empty() {
        loaded.diagnostics.extend(wishes);
        loaded.diagnostics.sort();
        loaded.files += 1;
    }
    if json {
        print_json(&loaded.diagnostics);
    } else {
        print_human(&loaded.diagnostics);
        let summary = summary(&loaded.diagnostics, loaded.files);
        eprintln!("{summary}");
    }
    if loaded.diagnostics.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// One line on how a check went.
pub fn summary(diagnostics: &Diagnostics, files: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    match (errors, warnings) {
        (0, 0) => format!("Checked {}: no problems.", plural(files, "file")),
        (0, w) => format!(
            "Checked {}: {}, no errors.",
            plural(files, "file"),
            plural(w, "warning")
        ),
        (e, w) => format!(
            "Checked {}: {} and {}. Fix the errors to build the site.",
            plural(files, "file"),
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}

/// Prints diagnostics for a person, on standard error.
pub fn print_human(diagnostics: &Diagnostics) {
    let stderr = std::io::stderr();
    let colour = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = stderr.lock();
    for diagnostic in diagnostics {
        let shown = Shown::new(diagnostic);
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = handler.render_report(&mut text, &shown);
        let _ = writeln!(out, "{text}");
    }
}

fn print_json(diagnostics: &Diagnostics) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for diagnostic in diagnostics {
        let (line, column) = diagnostic.line_col();
        let related: Vec<_> = diagnostic
            .related
            .iter()
            .map(|r| {
                let (line, column) = r.file.line_col(r.span.start);
                serde_json::json!({
                    "file": r.file.path(),
                    "line": line,
                    "column": column,
                    "message": r.message,
                })
            })
            .collect();
        let object = serde_json::json!({
            "file": diagnostic.path(),
            "line": line,
            "column": column,
            "severity": diagnostic.severity.as_str(),
            "code": diagnostic.code.as_str(),
            "message": diagnostic.message,
            "hint": diagnostic.hint,
            "related": related,
        });
        let _ = writeln!(out, "{object}");
    }
}

/// The longest line drawn with its text: miette cannot draw a mark far
/// along a longer one (past column 65,535 it panics), and no one reads
/// such a line on a terminal anyway.
const LONGEST_LINE_DRAWN: usize = 1_000;

/// Whether the line holding `offset` in `file` is too long to draw.
fn too_long_to_draw(file: &SourceFile, offset: usize) -> bool {
    let (line, _) = file.line_col(offset);
    let start = file.line_start(line);
    let end = file.line_start(line + 1);
    end.saturating_sub(start) > LONGEST_LINE_DRAWN
}

/// A diagnostic in the form miette draws; one on a line too long to draw
/// is given as its place and message, without the line.
struct Shown<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<NamedSource<Arc<str>>>,
    /// Its message, with its place when the line is not drawn.
    message: String,
    related: Vec<Related>,
}

impl<'a> Shown<'a> {
    fn new(diagnostic: &'a Diagnostic) -> Self {
        let drawn = !too_long_to_draw(&diagnostic.file, diagnostic.span.start);
        let message = if drawn {
            diagnostic.message.clone()
        } else {
            let (line, column) = diagnostic.line_col();
            format!(
                "{}:{line}:{column}: {}",
                diagnostic.path().display(),
                diagnostic.message
            )
        };
        Self {
            diagnostic,
            source: drawn.then(|| named_source(&diagnostic.file)),
            message,
            related: diagnostic
                .related
                .iter()
                .map(|r| {
                    let drawn = !too_long_to_draw(&r.file, r.span.start);
                    let (line, column) = r.file.line_col(r.span.start);
                    Related {
                        message: if drawn {
                            r.message.clone()
                        } else {
                            format!("{}:{line}:{column}: {}", r.file.path().display(), r.message)
                        },
                        source: drawn.then(|| named_source(&r.file)),
                        span: SourceSpan::new(r.span.start.into(), r.span.len),
                    }
                })
                .collect(),
        }
    }
}

fn named_source(file: &SourceFile) -> NamedSource<Arc<str>> {
    NamedSource::new(file.path().display().to_string(), file.shared_text())
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .hint
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let span = self.diagnostic.span;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".into()),
            SourceSpan::new(span.start.into(), span.len),
        ))))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

/// Another place a diagnostic points to, drawn with its own file.
#[derive(Debug)]
struct Related {
    message: String,
    source: Option<NamedSource<Arc<str>>>,
    span: SourceSpan,
}

impl fmt::Display for Related {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Related {}

impl miette::Diagnostic for Related {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            None, self.span,
        ))))
    }
}
