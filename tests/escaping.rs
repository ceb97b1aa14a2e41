//! What editors and other directories write is hostile until escaped: a
//! name with a line break, `</script>`, `]]>` or an invisible control
//! character must reach every page and file the site publishes as text,
//! never as markup, a new line of a format, or a broken document.
//! (Calendars have their own tests in tests/outputs.rs.)

use std::fs;

mod common;
use common::{build, interchange, write};

/// A name written with YAML escapes for a carriage return and a line feed,
/// and the two strings that end a script element and a CDATA section.
const NAME: &str = r#""Ann <b>Lee</b>\r\nX-Evil: 1 </script><script>alert(1)</script> ]]> &amp;""#;
/// The name as YAML reads it.
const NAME_READ: &str = "Ann <b>Lee</b>\r\nX-Evil: 1 </script><script>alert(1)</script> ]]> &amp;";

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    write(
        root,
        "interchange.toml",
        "title = \"Small ]]> </script>\"\nbase_url = \"https://small.example.gov.uk\"\norganisations = [\"acme\"]\n",
    );
    write(
        root,
        "content/organisations/acme.md",
        &format!("---\nname: {NAME}\nsector: local-government\n---\nAbout.\n"),
    );
    write(
        root,
        "content/profiles/ann.md",
        &format!(
            "---\nname: {NAME}\nrole: {NAME}\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-10-01\n---\nShe works on ]]> and </script> alike.\n"
        ),
    );
    write(
        root,
        "content/events/day.md",
        &format!(
            "---\ntitle: {NAME}\nkind: open-day\nstart: 2027-01-14T10:00\nend: 2027-01-14T16:00\nvenue:\n  name: {NAME}\n  address: {NAME}\n---\nCome.\n"
        ),
    );
    write(
        root,
        "content/consultations/rules.md",
        &format!(
            "---\ntitle: {NAME}\nopens: 2026-11-01\ncloses: 2027-02-28\nrespond:\n  url: https://consult.example/rules\n---\nTell us.\n"
        ),
    );
    // Another directory's entry, with invisible characters typed into it:
    // cleaned as it is read, never refused (this site cannot fix it).
    write(
        root,
        "mirror/other.example.gov.uk/organisations/fire.md",
        "---\nname: Other\u{b} Fire\nsector: fire-and-rescue\norigin: https://other.example.gov.uk/organisations/fire/\n---\nAbout.\n",
    );
    write(
        root,
        "mirror/other.example.gov.uk/profiles/zed.md",
        "---\nname: Zed\u{b} Smith\u{c}\u{1b}[31m\nrole: \"Officer\\v one\"\norganisation: fire\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-10-01\norigin: https://other.example.gov.uk/profiles/zed/\n---\nAbout\u{0} Zed.\n",
    );
    dir
}

/// The JSON-LD of a page, which must be JSON and hold no `</script>`.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script type=\"application/ld+json\">") {
        let body = &rest[start + 35..];
        let end = body
            .find("</script>")
            .expect("the script element is closed");
        found.push(
            serde_json::from_str(&body[..end])
                .unwrap_or_else(|e| panic!("JSON-LD that is not JSON ({e}): {}", &body[..end])),
        );
        rest = &body[end..];
    }
    found
}

#[test]
fn every_published_file_carries_hostile_text_as_text() {
    let dir = site();
    let out = tempfile::tempdir().expect("a temporary folder");
    let public = out.path().join("public");
    let built = build(dir.path(), &public, &[]);
    assert!(
        built.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let public = public.canonicalize().expect("the built site");
    let all = common::files_under(&public);
    assert!(all.len() > 20, "{} files", all.len());
    for file in &all {
        let bytes = fs::read(file).expect("readable");
        let name = file.display();
        // No invisible character reaches any file.
        for bad in [0x00u8, 0x0b, 0x0c, 0x1b] {
            assert!(!bytes.contains(&bad), "{name} holds byte {bad:#04x}");
        }
        let text = String::from_utf8_lossy(&bytes);
        let extension = file.extension().and_then(|e| e.to_str());
        if matches!(extension, Some("html" | "xml")) {
            assert!(
                !text.contains("<script>alert"),
                "{name} runs the editor's script"
            );
        }
        match extension {
            Some("html") => {
                for document in json_ld(&text) {
                    assert!(document.is_object() || document.is_array(), "{name}");
                }
            }
            Some("xml") => {
                if let Err(e) = roxmltree::Document::parse(&text) {
                    panic!("{name} is not XML: {e}");
                }
            }
            Some("json") => {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                    panic!("{name} is not JSON: {e}");
                }
            }
            _ => {}
        }
    }

    // The page shows the name as written.
    let page = fs::read_to_string(public.join("profiles/ann/index.html")).expect("Ann's page");
    assert!(
        page.contains("Ann &lt;b&gt;Lee&lt;&#x2F;b&gt;")
            || page.contains("Ann &lt;b&gt;Lee&lt;/b&gt;"),
        "the name is not shown as text"
    );
    assert!(
        page.contains("]]&gt; &amp;amp;"),
        "the name's end is not shown as text"
    );

    // Feeds read back to the text written, its carriage return too.
    let feed = fs::read_to_string(public.join("feeds/profiles.xml")).expect("the feed");
    let feed = roxmltree::Document::parse(&feed).expect("XML");
    let titles: Vec<&str> = feed
        .descendants()
        .filter(|n| n.has_tag_name("title") && n.parent().is_some_and(|p| p.has_tag_name("entry")))
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&NAME_READ), "{titles:?}");
    assert!(titles.contains(&"Zed Smith[31m"), "{titles:?}");

    // The export holds the name exactly, and the other directory's cleaned.
    let export: serde_json::Value =
        serde_json::from_slice(&fs::read(public.join("directory.json")).expect("directory.json"))
            .expect("JSON");
    let names: Vec<&str> = export["profiles"]
        .as_array()
        .expect("profiles")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(names.contains(&NAME_READ), "{names:?}");
    assert!(names.contains(&"Zed Smith[31m"), "{names:?}");
    let zed = export["profiles"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["slug"] == "other.example.gov.uk/zed"))
        .expect("Zed");
    assert_eq!(zed["role"], "Officer one");
    assert!(
        zed["body_html"]
            .as_str()
            .is_some_and(|b| b.contains("About Zed.")),
        "{zed}"
    );
}

#[test]
fn check_refuses_an_invisible_character_and_says_where_it_is() {
    let dir = common::small_site();
    write(
        dir.path(),
        "content/profiles/ann.md",
        "---\nname: Ann\u{b}Lee\nrole: \"Officer\\f\"\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-10-01\n---\nHello.\n",
    );
    let (passed, problems) = common::check_json(dir.path());
    assert!(!passed);
    let problems: Vec<serde_json::Value> = problems
        .into_iter()
        .filter(|p| p["code"] == "control-character")
        .collect();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0]["line"], 2);
    assert_eq!(problems[0]["column"], 10);
    assert!(
        problems[0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("U+000B (vertical tab) is an invisible character")),
        "{problems:#?}"
    );

    // Written as an escape, it is refused too, once the typed one is gone.
    write(
        dir.path(),
        "content/profiles/ann.md",
        "---\nname: Ann Lee\nrole: \"Officer\\f\"\norganisation: acme\npolicy_areas: [housing]\nopen_to: [coffee]\nconsent: 2026-10-01\n---\nHello.\n",
    );
    let output = interchange(&["check", "--root", dir.path().to_str().expect("UTF-8")]);
    let said = String::from_utf8_lossy(&output.stderr).to_string()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success());
    assert!(said.contains("U+000C, an invisible character"), "{said}");
}
