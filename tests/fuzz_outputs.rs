//! Fuzz target for the files written for machines: an event and a profile
//! with hostile text (line breaks, `]]>`, `<`, emoji, RTL marks, very long
//! lines…) are built, and the event's calendar (read by the `ical` crate),
//! the Atom feeds (`roxmltree`) and `directory.json` (`serde_json`) must
//! parse and give back the text that went in: trimmed, without the
//! characters no page may carry, and, in the calendar, with every line
//! break as one `\n` (its only kind).
//!
//! Under `cargo test` it builds a few dozen sites; `BOLERO_RANDOM_ITERATIONS`
//! or `BOLERO_RANDOM_TEST_TIME_MS` run it longer (docs/testing.md).

use std::fs;
use std::io::BufReader;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use generator::fuzzing::Bytes;
use generator::{AsOf, BuildOptions, LoadOptions, yaml_text};

/// Sites built under `cargo test`: each is a whole build.
const ITERATIONS: usize = 25;

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().expect("a folder")).expect("a folder made");
    fs::write(path, text).expect("a file written");
}

/// Text as check accepts it and the fields read it: without what no page
/// may carry, trimmed.
fn as_read(text: &str) -> String {
    generator::escape::publishable(text).trim().to_string()
}

/// Text with every line break as one `\n`, as calendar text gives them
/// back.
fn one_kind_of_break(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}'], "\n")
}

/// A calendar TEXT value unescaped (RFC 5545, 3.3.11).
fn unescape_ics(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The lines of a calendar, unfolded (RFC 5545, 3.1): a line break and
/// the one space or tab after it removed. Every line must end in CRLF.
fn unfold(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"), "the last line ends in CRLF");
    let mut lines: Vec<String> = Vec::new();
    for line in text.split_terminator("\r\n") {
        assert!(
            !line.contains(['\r', '\n']),
            "a bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "a line of {} octets", line.len());
        match (line.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some(last)) => last.push_str(rest),
            _ => lines.push(line.to_string()),
        }
    }
    lines
}

/// The text of every `<title>` of an Atom feed's entries.
fn atom_titles(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).expect("a feed");
    let xml = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} is not XML ({e}):\n{text}", path.display()));
    xml.descendants()
        .filter(|n| n.has_tag_name("entry"))
        .flat_map(|entry| entry.children().filter(|n| n.has_tag_name("title")))
        .map(|title| title.text().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn fuzz_calendar_feed_and_json_writers() {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    static BUILT: AtomicUsize = AtomicUsize::new(0);
    bolero::check!()
        .with_iterations(ITERATIONS)
        .for_each(|data: &[u8]| {
            RUNS.fetch_add(1, Ordering::Relaxed);
            let mut input = Bytes::new(data);
            // A letter first: text that is only spaces is refused by check,
            // and the site then never built.
            let title = format!("T{}", input.text(12));
            let venue = format!("V{}", input.text(6));
            let name = format!("N{}", input.text(8));
            let role = format!("R{}", input.text(6));
            let body = input.text(10);
            let dir = tempfile::tempdir().expect("a temporary folder");
            let root = dir.path();
            write(
                root,
                "interchange.toml",
                "title = \"Fuzz\"\nbase_url = \"https://fuzz.example.gov.uk\"\norganisations = [\"acme\"]\n",
            );
            write(
                root,
                "content/organisations/acme.md",
                "---\nname: Acme\nsector: local-government\n---\nAbout.\n",
            );
            write(
                root,
                "content/profiles/fuzz.md",
                &format!(
                    "---\nname: {}\nrole: {}\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-10-01\n---\n{}\n",
                    yaml_text(&generator::escape::publishable(&name)),
                    yaml_text(&generator::escape::publishable(&role)),
                    generator::escape::publishable(&body),
                ),
            );
            write(
                root,
                "content/events/fuzz.md",
                &format!(
                    "---\ntitle: {}\nkind: meetup\nstart: 2027-02-01T10:00\nend: 2027-02-01T12:00\nvenue:\n  name: {}\n  address: 1 High Street\n---\n{}\n",
                    yaml_text(&generator::escape::publishable(&title)),
                    yaml_text(&generator::escape::publishable(&venue)),
                    generator::escape::publishable(&body),
                ),
            );
            let options = LoadOptions {
                root: root.to_path_buf(),
                as_of: AsOf::Date(jiff::civil::date(2027, 1, 14)),
            };
            let loaded = generator::load(&options).expect("the site loads");
            if loaded.diagnostics.has_errors() {
                // Empty text, say: refused by check, so never built.
                return;
            }
            BUILT.fetch_add(1, Ordering::Relaxed);
            let public = root.join("public");
            let build = BuildOptions {
                output: public.clone(),
                base_url: None,
                internal: false,
            };
            generator::build(&loaded.directory, root, loaded.now, &build, &generator::render::Quiet)
                .expect("the site builds");

            // The calendar: parsed by the `ical` crate, and unfolded here
            // (the crate drops spaces at the start of a folded line's
            // continuation, which RFC 5545 keeps), its SUMMARY the title.
            let ics = public.join("events/fuzz/event.ics");
            let file = fs::File::open(&ics).expect("the event's calendar");
            let calendars: Vec<_> = ical::IcalParser::new(BufReader::new(file))
                .collect::<Result<_, _>>()
                .unwrap_or_else(|e| panic!("the calendar does not parse: {e}"));
            assert_eq!(calendars.len(), 1);
            assert_eq!(calendars[0].events.len(), 1);
            let text = fs::read_to_string(&ics).expect("the event's calendar");
            let summary = unfold(&text)
                .into_iter()
                .find_map(|line| line.strip_prefix("SUMMARY:").map(str::to_string))
                .expect("a SUMMARY");
            assert_eq!(
                unescape_ics(&summary),
                one_kind_of_break(&as_read(&title))
            );

            // The feeds: XML, the title and the name in them.
            let events = atom_titles(&public.join("feeds/events.xml"));
            assert!(
                events.contains(&as_read(&title)),
                "{events:?}"
            );
            let profiles = atom_titles(&public.join("feeds/profiles.xml"));
            assert!(
                profiles.contains(&as_read(&name)),
                "{profiles:?}"
            );

            // directory.json: JSON, the name and role as read.
            let export: serde_json::Value =
                serde_json::from_slice(&fs::read(public.join("directory.json")).expect("directory.json"))
                    .expect("directory.json is JSON");
            let profile = export["profiles"]
                .as_array()
                .and_then(|all| all.iter().find(|p| p["slug"] == "fuzz"))
                .expect("the profile is exported");
            assert_eq!(profile["name"], as_read(&name));
            assert_eq!(profile["role"], as_read(&role));
        });
    eprintln!(
        "fuzz_calendar_feed_and_json_writers: {} runs, {} sites built and read back",
        RUNS.load(Ordering::Relaxed),
        BUILT.load(Ordering::Relaxed)
    );
}
