//! A parsed document as a tree of values, each with the span it came from.
//!
//! Front matter (YAML) and the site config (TOML) are both read into this one
//! tree before being checked field by field. Deserialising straight into typed
//! structs with serde would stop at a file's first mistake; walking the tree
//! lets the checker report every mistake in a file, each at its own line.

use crate::source::Span;

mod simple;

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

impl Node {
    /// The value as JSON, mappings' keys that are not text left out.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as Json;
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::Float(f) => Json::from(*f),
            Value::Str(s) => Json::String(s.clone()),
            Value::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(pairs) => Json::Object(
                pairs
                    .iter()
                    .filter_map(|(key, value)| match &key.value {
                        Value::Str(key) => Some((key.clone(), value.to_json())),
                        _ => None,
                    })
                    .collect(),
            ),
        }
    }
}

/// Why a document could not be read.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// Where, as a byte offset, if known.
    pub offset: Option<usize>,
}

impl SyntaxError {
    fn at(offset: usize, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            offset: Some(offset),
        }
    }
}

/// The most values one front matter may hold: tens are usual, so this only
/// stops hostile or runaway input.
const MAX_NODES: usize = 20_000;

/// The deepest nesting allowed; the format itself needs three levels.
const MAX_DEPTH: usize = 64;

/// A list or mapping whose children are still being read.
enum Open {
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>, Option<Node>),
}

/// Text as a YAML value: plain when it can only be read as this text, else
/// in double quotes (JSON's escapes are YAML's, and keep it on one line), so
/// that a colon, a `#`, a leading `@` or a word like `yes` stays text. The
/// one way files this program writes put text into YAML.
pub fn yaml_text(s: &str) -> String {
    let plain = !s.is_empty()
        && s.trim() == s
        && s.chars().next().is_some_and(char::is_alphanumeric)
        && s.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/' | '(' | ')' | '\'' | '+')
        })
        // What this program's reader takes for anything but this text
        // (`0x1F` and `0o17` are numbers to it) is quoted, by asking it.
        && resolve_plain(s.to_string()) == Value::Str(s.to_string())
        // As is what other readers, following YAML 1.1, take for numbers
        // or booleans: `1e3`, `1_000`, `0b101`, `yes`, `off`.
        && s.parse::<f64>().is_err()
        && !(s.starts_with(|c: char| c.is_ascii_digit())
            && (s.contains('_') || s.starts_with("0b")))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "inf" | "nan"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

/// Parses a YAML document into a tree, with byte spans into `text`.
///
/// Front matter of the usual simple shape is read line by line; any other
/// goes through the general parser, with the same result.
pub fn parse_yaml(text: &str) -> Result<Node, SyntaxError> {
    let Some(node) = simple::parse(text) else {
        return parse_general(text);
    };
    #[cfg(debug_assertions)]
    {
        // Debug output compares NaN with NaN as equal, unlike `==`.
        let general = parse_general(text).map(|n| format!("{n:?}"));
        debug_assert_eq!(
            general.as_deref().ok(),
            Some(format!("{node:?}").as_str()),
            "the simple reading of {text:?} differs from the general parser's"
        );
    }
    Ok(node)
}

/// Any YAML document, through the general parser.
///
/// The events of granit-parser (the YAML 1.2 parser behind serde-saphyr) are
/// assembled here directly: it is about three times faster than going through
/// serde with a span on every value, and the loader reads thousands of files.
/// Front matter is plain data, so anchors and aliases are refused outright,
/// which also rules out alias bombs; nesting and size are capped.
fn parse_general(text: &str) -> Result<Node, SyntaxError> {
    use granit_parser::Event;

    let mut stack: Vec<(Open, usize)> = Vec::new();
    let mut root: Option<Node> = None;
    let mut nodes = 0usize;
    for event in granit_parser::Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| SyntaxError {
            message: e.info(),
            offset: Some(byte_offset(text, e.marker())),
        })?;
        let start = byte_offset(text, &span.start);
        let end = byte_offset(text, &span.end).max(start);
        let anchored = event.anchor_id().is_some();
        let node = match event {
            Event::Alias(_) | Event::UnresolvedAlias(_) => return Err(no_aliases(start)),
            _ if anchored => return Err(no_aliases(start)),
            Event::Scalar(value, style, _, tag) => {
                let tagged_str = tag
                    .as_deref()
                    .is_some_and(|t| t.core_suffix() == Some("str"));
                let value = if style == granit_parser::ScalarStyle::Plain && !tagged_str {
                    resolve_plain(value.into_owned())
                } else {
                    Value::Str(value.into_owned())
                };
                Node {
                    value,
                    span: Span::new(start, end - start),
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(SyntaxError::at(
                        start,
                        format!("nested more than {MAX_DEPTH} levels deep"),
                    ));
                }
                let open = if matches!(event, Event::SequenceStart(..)) {
                    Open::Seq(Vec::new())
                } else {
                    Open::Map(Vec::new(), None)
                };
                stack.push((open, start));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((open, opened)) = stack.pop() else {
                    continue;
                };
                let value = match open {
                    Open::Seq(items) => Value::Seq(items),
                    Open::Map(entries, _) => Value::Map(entries),
                };
                Node {
                    value,
                    span: Span::new(opened, end.max(opened) - opened),
                }
            }
            Event::DocumentStart(..) if root.is_some() => {
                return Err(SyntaxError::at(
                    start,
                    "a second document starts here; front matter is one document",
                ));
            }
            _ => continue,
        };
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(SyntaxError::at(
                start,
                format!("more than {MAX_NODES} values"),
            ));
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some((Open::Seq(items), _)) => items.push(node),
            Some((Open::Map(entries, pending), _)) => match pending.take() {
                Some(key) => entries.push((key, node)),
                None => {
                    if let Value::Str(name) = &node.value
                        && entries
                            .iter()
                            .any(|(k, _)| matches!(&k.value, Value::Str(n) if n == name))
                    {
                        return Err(SyntaxError::at(
                            node.span.start,
                            format!("the field `{name}` is written twice"),
                        ));
                    }
                    *pending = Some(node);
                }
            },
        }
    }
    Ok(root.unwrap_or(Node {
        value: Value::Null,
        span: Span::default(),
    }))
}

fn no_aliases(offset: usize) -> SyntaxError {
    SyntaxError::at(
        offset,
        "anchors and aliases (`&name`, `*name`) are not allowed in front matter",
    )
}

/// A marker's byte offset; for string input the parser knows it, otherwise
/// it is found from the character index.
fn byte_offset(text: &str, marker: &granit_parser::Marker) -> usize {
    marker.byte_offset().unwrap_or_else(|| {
        text.char_indices()
            .nth(marker.index())
            .map_or(text.len(), |(i, _)| i)
    })
}

/// The value of a plain (unquoted) scalar under the YAML 1.2 core schema.
/// Dates are not a type there, so `2026-10-01` stays text for the fields to read.
fn resolve_plain(text: String) -> Value {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(&text);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map_or(Value::Str(text), Value::Int);
    }
    let radix = |prefix: &str, radix: u32| {
        text.strip_prefix(prefix)
            .filter(|digits| !digits.is_empty())
            .and_then(|digits| i64::from_str_radix(digits, radix).ok())
    };
    if let Some(i) = radix("0x", 16).or_else(|| radix("0o", 8)) {
        return Value::Int(i);
    }
    let looks_numeric = unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && unsigned.bytes().any(|b| b.is_ascii_digit());
    if looks_numeric && let Ok(f) = text.parse::<f64>() {
        return Value::Float(f);
    }
    Value::Str(text)
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
    fn plain_scalars_follow_the_core_schema() {
        let text =
            "a: ~\nb: 0x1F\nc: 1.5e3\nd: -7\ne: 1.2.3\nf: '40'\ng: .5\nh: 2026-10-01T10:00\n";
        let Value::Map(entries) = parse_yaml(text).expect("parses").value else {
            unreachable!()
        };
        let values: Vec<Value> = entries.into_iter().map(|(_, v)| v.value).collect();
        assert_eq!(
            values,
            [
                Value::Null,
                Value::Int(31),
                Value::Float(1500.0),
                Value::Int(-7),
                Value::Str("1.2.3".into()),
                Value::Str("40".into()),
                Value::Float(0.5),
                Value::Str("2026-10-01T10:00".into()),
            ]
        );
    }

    /// Found by hand (fuzz_mirror_round_trip checks the class): `0x1F` and `0o17`
    /// were written plain and read back as the numbers 31 and 15.
    #[test]
    fn yaml_text_reads_back_as_the_same_text() {
        for text in [
            "0x1F",
            "0o17",
            "0x",
            "1_000",
            "0b101",
            "1e3",
            ".5",
            "-7",
            "+1",
            "~",
            "Null",
            "yes",
            "off",
            ".inf",
            "-.Inf",
            ".NaN",
            "2026-10-01",
            "Priya Shah",
            "O'Brien",
            "a: b",
            " x",
        ] {
            let written = format!("field: {}\n", yaml_text(text));
            let Value::Map(entries) = parse_yaml(&written).expect("parses").value else {
                panic!("{written} is not a mapping")
            };
            assert_eq!(entries[0].1.value, Value::Str(text.into()), "{written}");
        }
        // What no reader mistakes stays plain.
        assert_eq!(yaml_text("Priya Shah"), "Priya Shah");
        assert_eq!(yaml_text("2026-10-01"), "2026-10-01");
        assert_eq!(yaml_text("0x1F"), "\"0x1F\"");
    }

    #[test]
    fn repeated_fields_are_refused() {
        let err = parse_yaml("name: A\nrole: B\nname: C\n").expect_err("refused");
        assert_eq!(err.message, "the field `name` is written twice");
        assert_eq!(err.offset, Some(16));
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
        assert!(err.message.contains("aliases"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_yaml(&text).expect_err("refused");
        // The parser's own limit may stop it before ours does.
        assert!(
            err.message.contains("nested more than 64") || err.message.contains("recursion limit"),
            "{}",
            err.message
        );
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
