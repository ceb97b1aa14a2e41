//! The JSON Schema of the front matter, made from the content model
//! ([`crate::content::model`]), for editors that check YAML as it is typed
//! and for tools that write entries.
//!
//! The schema says what a field can hold; `interchange check` says more
//! (that an organisation named exists, that a consent date is not in the
//! future, that a file under `static/` is there). One definition a kind,
//! under `$defs`, named by the kind (`#/$defs/profile`), beside the site's
//! policy areas (`#/$defs/policy-area`).

use serde_json::{Map, Value, json};

use crate::content::model::{self, Field, Shape};
use crate::content::vocabulary::capitalised;
use crate::content::{Kind, Vocabulary};

/// Where `init` and `interchange cms` write the schema, in a site's folder.
pub const FILE: &str = "content.schema.json";

/// The schema of every kind of entry's front matter, with the policy areas
/// of `vocabulary`.
pub fn json_schema(vocabulary: &Vocabulary) -> Value {
    let mut defs = Map::new();
    for kind in Kind::ALL {
        let fields: Vec<&Field> = model::entry_fields(kind, false).collect();
        let mut def = object(&fields, vocabulary);
        def["title"] = json!(format!("{} ({}/)", capitalised(kind.name()), kind.folder()));
        defs.insert(kind.name().to_string(), def);
    }
    let mut area = one_of(vocabulary.policy_areas());
    area["title"] = json!("A policy area");
    defs.insert("policy-area".to_string(), area);
    let any: Vec<Value> = Kind::ALL
        .iter()
        .map(|kind| json!({ "$ref": format!("#/$defs/{}", kind.name()) }))
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Interchange entry front matter",
        "description": "The fields between the --- lines of a file under content/. Each kind has a definition under $defs, named by the kind: content/profiles/*.md is #/$defs/profile. `interchange check` checks what a schema cannot: that entries named exist, that files are there, that consent is not in the future.",
        "anyOf": any,
        "$defs": defs,
    })
}

/// The schema as the file `init` and `interchange cms` write.
pub fn json_schema_text(vocabulary: &Vocabulary) -> String {
    let mut text = serde_json::to_string_pretty(&json_schema(vocabulary))
        .unwrap_or_else(|_| String::from("{}"));
    text.push('\n');
    text
}

fn object(fields: &[&Field], vocabulary: &Vocabulary) -> Value {
    let mut properties = Map::new();
    for field in fields {
        properties.insert(field.name.to_string(), property(field, vocabulary));
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn property(field: &Field, vocabulary: &Vocabulary) -> Value {
    let mut schema = shape(&field.shape, field.non_empty, vocabulary);
    schema["description"] = json!(field.about);
    if let Some(default) = field.default.and_then(yaml_value) {
        schema["default"] = default;
    }
    if let Some(example) = field.example.and_then(yaml_value) {
        schema["examples"] = json!([example]);
    }
    schema
}

/// A value as YAML reads it, for defaults and examples.
fn yaml_value(text: &str) -> Option<Value> {
    serde_saphyr::from_str::<Value>(text.trim_start_matches('\n'))
        .ok()
        .filter(|v| !v.is_null())
}

const SLUG: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

fn shape(shape: &Shape, non_empty: bool, vocabulary: &Vocabulary) -> Value {
    match shape {
        // Numbers are read as text too: a grade of 7.
        Shape::Text => json!({ "type": ["string", "number"], "minLength": 1 }),
        Shape::Slug | Shape::Interest => json!({ "type": "string", "pattern": SLUG }),
        Shape::Date => json!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        }),
        Shape::DateTime => json!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?$",
        }),
        Shape::DateOrTime => json!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$",
        }),
        Shape::Boolean => json!({ "type": "boolean" }),
        Shape::Number { min, max } => json!({ "type": "integer", "minimum": min, "maximum": max }),
        Shape::Link(schemes) => json!({
            "type": "string",
            "pattern": format!("^({}):", schemes.join("|")),
        }),
        Shape::Email => json!({ "type": "string", "pattern": "^(mailto:)?[^@\\s]+@[^@\\s]+$" }),
        Shape::File => json!({ "type": "string", "minLength": 1 }),
        Shape::Language => json!({
            "type": "string",
            "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
        }),
        Shape::Handle => json!({ "type": "string", "pattern": "^@[^@\\s]+@[^@\\s]+$" }),
        Shape::Host => json!({ "type": "string", "pattern": "^[A-Za-z0-9.-]+(:[0-9]+)?$" }),
        Shape::RepeatRule => json!({ "type": "string", "pattern": "FREQ=" }),
        Shape::Choice(values) => one_of(values.iter().copied()),
        // Defined once: the list is long and used by many fields.
        Shape::PolicyArea => json!({ "$ref": "#/$defs/policy-area" }),
        Shape::Audience => one_of(crate::content::audience::labelled().into_iter()),
        Shape::Entry(Kind::Profile | Kind::Programme) => json!({
            "type": "string",
            // Another directory's, by its host and slug.
            "pattern": "^([A-Za-z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+(-[a-z0-9]+)*$",
        }),
        Shape::Entry(_) => json!({ "type": "string", "pattern": SLUG }),
        Shape::List(item) => {
            let item = self::shape(item, false, vocabulary);
            let mut list = json!({ "type": "array", "items": item });
            if non_empty {
                list["minItems"] = json!(1);
            }
            // A single value is read as a list of one.
            json!({ "anyOf": [list, item] })
        }
        Shape::Fields(fields) => object(&fields.iter().collect::<Vec<_>>(), vocabulary),
        Shape::FieldsOrText(fields) => json!({
            "anyOf": [
                object(&fields.iter().collect::<Vec<_>>(), vocabulary),
                self::shape(&Shape::Text, false, vocabulary),
            ]
        }),
    }
}

/// One of a fixed set, each value with its label for editors to show.
fn one_of<'a>(values: impl Iterator<Item = (&'a str, &'a str)>) -> Value {
    let values: Vec<Value> = values
        .map(|(slug, label)| json!({ "const": slug, "title": label }))
        .collect();
    json!({ "type": "string", "oneOf": values })
}
