//! Fuzz targets for reading files: the front matter reader and the loader
//! over random sites. Whatever a file holds, reading it gives an entry or
//! diagnostics whose places are in the file, never a panic.
//!
//! Under `cargo test` each runs a few hundred random inputs;
//! `BOLERO_RANDOM_ITERATIONS` or `BOLERO_RANDOM_TEST_TIME_MS` run them
//! longer, and docs/testing.md runs them coverage-guided under libFuzzer.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::fuzzing::Bytes;
use crate::load::{AsOf, LoadOptions, front_matter, load};
use crate::node::{Node, Value, parse_yaml};
use crate::{Diagnostic, SourceFile, Span};

/// Inputs run under `cargo test`, unless bolero's variables ask for more.
const ITERATIONS: usize = 300;

/// The folders entries live in, and some they do not.
const FOLDERS: &[&str] = &[
    "content/profiles",
    "content/organisations",
    "content/events",
    "content/consultations",
    "content/pages",
    "content/asks",
    "content/programmes",
    "content/unknown",
    "mirror/other.example.gov.uk/profiles",
    "mirror/other.example.gov.uk/organisations",
    "mirror/other.example.gov.uk/events",
    "content",
];

/// Field names the format has, so that values reach the fields' readers.
const FIELDS: &[&str] = &[
    "name",
    "title",
    "role",
    "organisation",
    "sector",
    "kind",
    "start",
    "end",
    "repeat",
    "venue",
    "policy_areas",
    "interests",
    "open_to",
    "consent",
    "contact",
    "email",
    "url",
    "grade",
    "opens",
    "closes",
    "capacity",
    "programmes",
    "origin",
    "photo",
];

/// Front matter shaped like an entry's, its values hostile.
fn front_matter_text(input: &mut Bytes<'_>) -> String {
    let mut text = String::new();
    if input.one_in(8) {
        text.push('\u{feff}');
    }
    text.push_str(if input.one_in(4) { "---\r\n" } else { "---\n" });
    for _ in 0..input.below(8) {
        let key = FIELDS[input.below(FIELDS.len())];
        let indent = " ".repeat(input.below(3) * 2);
        match input.byte() % 4 {
            0 => text.push_str(&format!("{indent}{key}: {}\n", input.text(6))),
            1 => text.push_str(&format!(
                "{indent}{key}: [{}, {}]\n",
                input.text(3),
                input.text(3)
            )),
            2 => text.push_str(&format!("{indent}{key}:\n  - {}\n", input.text(4))),
            _ => text.push_str(&format!("{indent}{key}: \"{}\"\n", input.text(6))),
        }
    }
    if !input.one_in(8) {
        text.push_str("---\n");
    }
    text.push_str(&input.text(8));
    text
}

/// Panics unless `span` is a place in `file` that can be shown.
fn assert_in_file(file: &SourceFile, span: Span, what: &str) {
    let text = file.text();
    assert!(
        span.end() <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end()),
        "{what}: span {span:?} is not a place in {} ({} bytes)",
        file.path().display(),
        text.len()
    );
    let (line, column) = file.line_col(span.start);
    let lines = text.split_inclusive('\n').count().max(1);
    assert!(
        line >= 1 && line <= lines + 1 && column >= 1,
        "{what}: {line}:{column}"
    );
    assert!(file.line_start(line) <= span.start);
}

/// Panics unless every diagnostic points into its file and can be shown.
fn assert_reportable(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        assert_in_file(&d.file, d.span, &d.message);
        for related in &d.related {
            assert_in_file(&related.file, related.span, &related.message);
        }
        let shown = d.to_string();
        let (line, column) = d.line_col();
        assert!(shown.contains(&format!(":{line}:{column}:")), "{shown}");
    }
}

/// Panics unless every node of `node` has a span inside `text`.
fn assert_spans(node: &Node, text: &str) {
    assert!(
        node.span.end() <= text.len() && text.is_char_boundary(node.span.start),
        "node {node:?} outside {} bytes",
        text.len()
    );
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|n| assert_spans(n, text)),
        Value::Map(pairs) => pairs.iter().for_each(|(k, v)| {
            assert_spans(k, text);
            assert_spans(v, text);
        }),
        _ => {}
    }
}

/// A site folder holding `files` and a config.
fn site(config: &str, files: &[(String, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let write = |relative: &str, text: &str| {
        let path = dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).expect("a folder");
        std::fs::write(path, text).expect("a file");
    };
    write("interchange.toml", config);
    for (relative, text) in files {
        write(relative, text);
    }
    dir
}

const CONFIG: &str =
    "title = \"Fuzz\"\nbase_url = \"https://fuzz.example.gov.uk\"\norganisations = [\"acme\"]\n";

/// Loads the site and checks what it reports.
fn load_and_check(root: &Path) {
    let options = LoadOptions {
        root: root.to_path_buf(),
        as_of: AsOf::Date(jiff::civil::date(2027, 1, 14)),
    };
    if let Ok(loaded) = load(&options) {
        assert_reportable(&loaded.diagnostics.iter().cloned().collect::<Vec<_>>());
    }
}

#[test]
fn fuzz_front_matter_reader() {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    bolero::check!()
        .with_iterations(ITERATIONS)
        .for_each(|data: &[u8]| {
            RUNS.fetch_add(1, Ordering::Relaxed);
            let mut input = Bytes::new(data);
            let text = if input.one_in(4) {
                input.text(30)
            } else {
                front_matter_text(&mut input)
            };
            if let Ok(split) = front_matter::split(&text) {
                assert!(text.starts_with(split.yaml));
                assert!(text.ends_with(split.body));
                // Its own spans are checked; a panic in it is a crash.
                if let Ok(node) = parse_yaml(split.yaml) {
                    assert_spans(&node, split.yaml);
                }
            }
            let file = SourceFile::new("content/profiles/fuzz.md", text.as_str());
            assert_in_file(&file, Span::new(text.len(), 0), "the end");
            let root = site(CONFIG, &[("content/profiles/fuzz.md".into(), text)]);
            load_and_check(root.path());
        });
    eprintln!(
        "fuzz_front_matter_reader: {} runs",
        RUNS.load(Ordering::Relaxed)
    );
}

#[test]
fn fuzz_loader_over_random_sites() {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    bolero::check!()
        .with_iterations(ITERATIONS / 3)
        .for_each(|data: &[u8]| {
            RUNS.fetch_add(1, Ordering::Relaxed);
            let mut input = Bytes::new(data);
            let config = if input.one_in(4) {
                format!("{CONFIG}{}", input.text(10))
            } else {
                CONFIG.to_string()
            };
            let files: Vec<(String, String)> = (0..1 + input.below(5))
                .map(|_| {
                    let folder = FOLDERS[input.below(FOLDERS.len())];
                    let name = match input.byte() % 4 {
                        0 => input.text(3).replace(['/', '\0', '\\'], "_"),
                        _ => input.word(12),
                    };
                    let extension = [".md", ".md", ".MD", ".txt", ""][input.below(5)];
                    let text = front_matter_text(&mut input);
                    (format!("{folder}/{name}{extension}"), text)
                })
                // A name no file system takes is not the loader's to meet.
                .filter(|(path, _)| {
                    path.len() < 200
                        && !path
                            .split('/')
                            .any(|p| p.is_empty() || p == "." || p == ".." || p.len() > 100)
                })
                .collect();
            let root = site(&config, &files);
            load_and_check(root.path());
        });
    eprintln!(
        "fuzz_loader_over_random_sites: {} runs",
        RUNS.load(Ordering::Relaxed)
    );
}
