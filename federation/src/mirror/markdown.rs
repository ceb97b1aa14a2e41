//! A received entry written back as a Markdown file in the content format:
//! its fields as YAML front matter, `origin:` last, then its Markdown.
//!
//! The fields come from another server, so the writer trusts nothing: a
//! field name that is not a plain lower-case word is dropped, text is
//! quoted whenever it could be read as anything but text, and nothing the
//! sender writes can end the front matter early. Whether the fields make a
//! valid entry is then the loader's to say, as for any file.

use serde_json::{Map, Value};

/// The order fields are written in, as the content format documents them;
/// any other field follows, by name.
const ORDER: &[&str] = &[
    "name",
    "title",
    "kind",
    "role",
    "sector",
    "organisation",
    "website",
    "logo",
    "region",
    "grade",
    "location",
    "start",
    "end",
    "repeat",
    "opens",
    "closes",
    "venue",
    "online",
    "audience",
    "capacity",
    "booking",
    "host",
    "by",
    "lead",
    "consultation",
    "policy_areas",
    "interests",
    "open_to",
    "languages",
    "pronouns",
    "photo",
    "contact",
    "respond",
    "outcome",
    "accessibility",
    "cancelled",
    "filled",
    "consent",
    "visibility",
    "paused_until",
    "swap",
    "updated",
];

/// The file for an entry with `fields` and Markdown `body`, from `origin`.
pub fn entry_file(fields: &Map<String, Value>, origin: &str, body: &str) -> String {
    let mut keys: Vec<&String> = fields
        .keys()
        .filter(|k| is_field_name(k) && k.as_str() != "origin" && !fields[k.as_str()].is_null())
        .collect();
    keys.sort_by_key(|k| {
        (
            ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()),
            k.as_str(),
        )
    });
    let mut out = String::from("---\n");
    for key in keys {
        write_field(&mut out, 0, key, &fields[key.as_str()]);
    }
    write_field(&mut out, 0, "origin", &Value::String(origin.to_string()));
    out.push_str("---\n");
    out.push_str(body);
    if !body.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Whether `name` may be written as a field name: a lower-case word.
pub(crate) fn is_field_name(name: &str) -> bool {
    (1..=40).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn write_field(out: &mut String, indent: usize, key: &str, value: &Value) {
    let pad = " ".repeat(indent);
    // A field named `null`, `true` or `false` is quoted, or it would be
    // read back as that value rather than as a name.
    let key = &generator::yaml_text(key);
    let kept: Vec<(&String, &Value)> = match value {
        Value::Object(map) => map
            .iter()
            .filter(|(k, v)| is_field_name(k) && !v.is_null())
            .collect(),
        _ => Vec::new(),
    };
    // A mapping with nothing kept is written `{}`: `key:` alone would be
    // read back as nothing rather than an empty mapping.
    if kept.is_empty() {
        let value = match value {
            Value::Object(_) => &Value::Object(Map::new()),
            other => other,
        };
        out.push_str(&format!("{pad}{key}: {}\n", inline(value)));
    } else {
        out.push_str(&format!("{pad}{key}:\n"));
        for (name, value) in kept {
            write_field(out, indent + 2, name, value);
        }
    }
}

/// A value on one line: a scalar, or a list or mapping in flow style.
fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => generator::yaml_text(s),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(inline).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .filter(|(k, _)| is_field_name(k))
                .map(|(k, v)| format!("{}: {}", generator::yaml_text(k), inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn fields_are_written_in_the_documented_order_with_origin_last() {
        let file = entry_file(
            &fields(json!({
                "open_to": ["buddy", "coffee"],
                "name": "Priya Shah",
                "consent": "2026-10-01",
                "contact": { "email": "priya@example.gov.uk" },
                "role": "Adviser: housing",
            })),
            "https://a.example.gov.uk/profiles/priya-shah/",
            "About Priya.",
        );
        assert_eq!(
            file,
            "---\nname: Priya Shah\nrole: \"Adviser: housing\"\nopen_to: [buddy, coffee]\ncontact:\n  email: \"priya@example.gov.uk\"\nconsent: 2026-10-01\norigin: \"https://a.example.gov.uk/profiles/priya-shah/\"\n---\nAbout Priya.\n"
        );
    }

    #[test]
    fn nothing_sent_can_end_the_front_matter_or_add_a_field() {
        let file = entry_file(
            &fields(json!({
                "name": "Eve\n---\nvisibility: internal",
                "origin": "https://elsewhere.example/",
                "Bad Key": "x",
                "capacity": "40",
                "cancelled": "true",
            })),
            "https://a.example.gov.uk/events/x/",
            "",
        );
        let front: Vec<&str> = file.lines().collect();
        assert_eq!(front.iter().filter(|l| **l == "---").count(), 2, "{file}");
        assert!(file.contains("name: \"Eve\\n---\\nvisibility: internal\"\n"));
        assert!(
            file.contains("capacity: \"40\"\n"),
            "text stays text: {file}"
        );
        assert!(file.contains("cancelled: \"true\"\n"));
        assert!(!file.contains("Bad Key"));
        assert!(!file.contains("elsewhere"));
    }

    /// Found writing fuzz_mirror_round_trip: a mapping whose fields were all
    /// left out was written as `contact:` alone, which reads as nothing.
    #[test]
    fn a_mapping_with_nothing_kept_reads_back_as_an_empty_mapping() {
        let file = entry_file(
            &fields(json!({ "contact": { "Bad Key": "x", "email": null } })),
            "https://a.example.gov.uk/profiles/x/",
            "",
        );
        assert!(file.contains("contact: {}\n"), "{file}");
    }

    /// Found by fuzz_mirror_round_trip: a field named `null` was written
    /// plain and read back as no name at all, losing the field.
    #[test]
    fn a_field_named_like_a_value_keeps_its_name() {
        let file = entry_file(
            &fields(json!({ "null": true, "contact": { "true": "x" }, "tags": [{ "false": 1 }] })),
            "https://a.example.gov.uk/profiles/x/",
            "",
        );
        assert!(file.contains("\"null\": true\n"), "{file}");
        assert!(file.contains("  \"true\": x\n"), "{file}");
        assert!(file.contains("[{\"false\": 1}]"), "{file}");
    }
}
