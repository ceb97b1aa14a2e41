//! A parsed document as a tree of values, each with the span it came from.
//!
//! Front matter (YAML) and the site config (TOML) are both read into this one
//! tree before being checked field by field. Deserialising straight into typed
//! structs with serde would stop at a file's first mistake; walking the tree
//! lets the checker report every mistake in a file, each at its own line.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::source::Span;

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it is in the file.
    pub span: Span,
}

/// The values front matter and config can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An empty value (`key:` with nothing after it).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// Text, including dates, which stay text until a field reads them.
    Str(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in the order written.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// How the value is described to a person: "a list", "text".
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true or false",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping of fields",
        }
    }
}

/// Why a YAML document could not be read.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// What the parser said.
    pub message: String,
    /// Where, if known.
    pub offset: Option<usize>,
}

/// Parses YAML into a tree. `text` is the whole slice given to the parser;
/// spans are byte offsets into it.
pub fn parse_yaml(text: &str) -> Result<Node, SyntaxError> {
    // Front matter holds tens of values, never thousands: a tight budget
    // refuses hostile input (alias bombs, deep nesting) in a few milliseconds.
    let options = serde_saphyr::options! {
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_nodes: 20_000,
            max_depth: 64,
            max_total_scalar_bytes: 4 * 1024 * 1024,
        },
    };
    let spanned: Spanned<Raw> =
        serde_saphyr::from_str_with_options(text, options).map_err(|e| {
            let offset = e.location().and_then(|l| {
                l.span()
                    .byte_offset()
                    .and_then(|o| usize::try_from(o).ok())
                    .or_else(|| offset_of(text, l.line(), l.column()))
            });
            SyntaxError {
                message: plain_message(&e.to_string()),
                offset,
            }
        })?;
    Ok(into_node(spanned))
}

/// The byte offset of a 1-based line and column (in characters), if inside `text`.
fn offset_of(text: &str, line: u64, column: u64) -> Option<usize> {
    let line = usize::try_from(line).ok()?.checked_sub(1)?;
    let column = usize::try_from(column).ok()?.saturating_sub(1);
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let rest = text.get(start..)?;
    let within = rest
        .char_indices()
        .nth(column)
        .map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}

/// The parser's message without the position it appends: the diagnostic shows that.
fn plain_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

fn span_of(spanned: &Spanned<Raw>) -> Span {
    let span = spanned.referenced.span();
    let start = span
        .byte_offset()
        .and_then(|o| usize::try_from(o).ok())
        .unwrap_or(0);
    let len = span
        .byte_len()
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(0);
    Span::new(start, len)
}

fn into_node(spanned: Spanned<Raw>) -> Node {
    let span = span_of(&spanned);
    let value = match spanned.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Int(i),
        Raw::Float(f) => Value::Float(f),
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(into_node).collect()),
        Raw::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (into_node(k), into_node(v)))
                .collect(),
        ),
    };
    Node { value, span }
}

/// The YAML value as serde-saphyr hands it over, each child with its location.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Raw, E> {
        Ok(Raw::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<Spanned<Raw>, Spanned<Raw>>()? {
            entries.push(entry);
        }
        Ok(Raw::Map(entries))
    }
}

/// Parses TOML into a tree, with byte spans into `text`.
pub fn parse_toml(text: &str) -> Result<Node, SyntaxError> {
    let table = toml::de::DeTable::parse(text).map_err(|e| SyntaxError {
        message: e.message().trim().to_string(),
        offset: e.span().map(|r| r.start),
    })?;
    let span = table.span();
    Ok(Node {
        value: toml_table(table.into_inner()),
        span: Span::new(span.start, span.end - span.start),
    })
}

fn toml_node(value: toml::Spanned<toml::de::DeValue<'_>>) -> Node {
    use toml::de::DeValue;
    let range = value.span();
    let span = Span::new(range.start, range.end - range.start);
    let value = match value.into_inner() {
        DeValue::String(s) => Value::Str(s.into_owned()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str().replace('_', "").as_str(), i.radix())
            .map_or_else(|_| Value::Str(i.as_str().to_string()), Value::Int),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse()
            .map_or_else(|_| Value::Str(f.as_str().to_string()), Value::Float),
        DeValue::Boolean(b) => Value::Bool(b),
        DeValue::Datetime(d) => Value::Str(d.to_string()),
        DeValue::Array(items) => Value::Seq(items.into_iter().map(toml_node).collect()),
        DeValue::Table(table) => toml_table(table),
    };
    Node { value, span }
}

fn toml_table(table: toml::de::DeTable<'_>) -> Value {
    let mut entries: Vec<(Node, Node)> = table
        .into_iter()
        .map(|(key, value)| {
            let range = key.span();
            let key = Node {
                value: Value::Str(key.into_inner().into_owned()),
                span: Span::new(range.start, range.end - range.start),
            };
            (key, toml_node(value))
        })
        .collect();
    // The table is keyed by name; put the entries back in the order written.
    entries.sort_by_key(|(key, _)| key.span.start);
    Value::Map(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_spans(node: &Node) -> Vec<(String, Span)> {
        match &node.value {
            Value::Map(entries) => entries
                .iter()
                .map(|(k, _)| match &k.value {
                    Value::Str(s) => (s.clone(), k.span),
                    other => panic!("key {other:?}"),
                })
                .collect(),
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn yaml_keys_and_values_carry_their_offsets() {
        let text = "---\nname: Priya\ntags: [a, b]\n";
        let node = parse_yaml(text).expect("parses");
        let keys = key_spans(&node);
        assert_eq!(keys[0].0, "name");
        assert_eq!(&text[keys[0].1.start..keys[0].1.start + 4], "name");
        assert_eq!(&text[keys[1].1.start..keys[1].1.start + 4], "tags");
        let Value::Map(entries) = &node.value else {
            unreachable!()
        };
        assert_eq!(entries[0].1.value, Value::Str("Priya".into()));
        assert_eq!(&text[entries[0].1.span.start..][..5], "Priya");
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("tags is a list")
        };
        assert_eq!(&text[items[1].span.start..][..1], "b");
    }

    #[test]
    fn dates_stay_text_and_numbers_are_numbers() {
        let node = parse_yaml("consent: 2026-10-01\ncapacity: 40\nok: true\n").expect("parses");
        let Value::Map(entries) = node.value else {
            unreachable!()
        };
        assert_eq!(entries[0].1.value, Value::Str("2026-10-01".into()));
        assert_eq!(entries[1].1.value, Value::Int(40));
        assert_eq!(entries[2].1.value, Value::Bool(true));
    }

    #[test]
    fn billion_laughs_is_refused_quickly() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for i in 1..10u8 {
            let prev = (b'a' + i - 1) as char;
            let name = (b'a' + i) as char;
            text.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let err = parse_yaml(&text).expect_err("refused");
        assert!(err.message.contains("budget"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_yaml(&text).is_err());
    }

    #[test]
    fn toml_keys_carry_their_offsets() {
        let text = "title = \"x\"\n[federation]\nhandle = \"h\"\n";
        let node = parse_toml(text).expect("parses");
        let keys = key_spans(&node);
        assert_eq!(keys[1].0, "federation");
        let Value::Map(entries) = &node.value else {
            unreachable!()
        };
        let inner = key_spans(&entries[1].1);
        assert_eq!(&text[inner[0].1.start..][..6], "handle");
    }
}
