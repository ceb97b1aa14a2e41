//! One mapping of a file (an entry's front matter, `contact:`, the site's
//! settings) read field by field: which fields it may have (from the
//! content model, or those asked for), each missing, misspelled, misplaced
//! or unknown one reported where it is.

use super::Reader;
use crate::content::model::{self, Field};
use crate::diagnostic::Code;
use crate::did_you_mean::{did_you_mean, quoted_list};
use crate::node::{Node, Value};
use crate::source::Span;

/// The fields of one mapping, read one by one.
pub struct Fields<'n> {
    entries: &'n [(Node, Node)],
    /// The fields the mapping may have, from the content model; for a
    /// mapping outside it (the site's settings), those asked for.
    model: Option<Vec<&'static Field>>,
    asked: Vec<&'static str>,
    /// Keys reported already as a misspelling of a required field.
    misspelled: Vec<String>,
    /// Where a missing field is reported: the mapping's key, or the front matter's opening line.
    at: Span,
    /// What the mapping is, for messages ("profile", "`contact`").
    what: String,
}

impl<'n> Fields<'n> {
    /// The fields of `node`, which must be a mapping. `at` is where missing
    /// fields are reported; `what` names the mapping in messages.
    pub fn of(
        reader: &mut Reader<'_>,
        node: &'n Node,
        at: Span,
        what: impl Into<String>,
    ) -> Option<Self> {
        let what = what.into();
        match &node.value {
            Value::Map(entries) => Some(Self {
                entries,
                model: None,
                asked: Vec::new(),
                misspelled: Vec::new(),
                at,
                what,
            }),
            _ => {
                reader.wrong_type(
                    node,
                    &format!("the fields of {what}"),
                    "`name: value` lines",
                );
                None
            }
        }
    }

    /// The fields of `node` as the content model describes them: the
    /// model's `fields` are the names known, and give the examples and
    /// hints of messages.
    pub fn described(
        reader: &mut Reader<'_>,
        node: &'n Node,
        at: Span,
        what: impl Into<String>,
        fields: impl IntoIterator<Item = &'static Field>,
    ) -> Option<Self> {
        let mut this = Self::of(reader, node, at, what)?;
        this.model = Some(fields.into_iter().collect());
        Some(this)
    }

    /// The model's field of this name.
    fn field(&self, name: &str) -> Option<&'static Field> {
        let found = self
            .model
            .as_ref()
            .and_then(|model| model.iter().find(|f| f.name == name).copied());
        debug_assert!(
            self.model.is_none() || found.is_some(),
            "`{name}` is read in {} but is not in the content model",
            self.what
        );
        found
    }

    /// The value of a field, if present and not empty (nothing, or blank
    /// text).
    pub fn get(&mut self, name: &'static str) -> Option<&'n Node> {
        #[cfg(debug_assertions)]
        self.field(name);
        self.asked.push(name);
        self.entries
            .iter()
            .find(|(key, _)| matches!(&key.value, Value::Str(k) if k == name))
            .map(|(_, value)| value)
            // `paused_until: ""`, as editors that clear a field write it.
            .filter(|value| match &value.value {
                Value::Null => false,
                Value::Str(text) => !text.trim().is_empty(),
                _ => true,
            })
    }

    /// Whether a field is written at all, even empty.
    pub fn has(&self, name: &str) -> bool {
        self.key_span(name).is_some()
    }

    /// Where the mapping is: its key, or the front matter's opening line.
    pub fn span(&self) -> Span {
        self.at
    }

    /// The key of a field, to point at the field as a whole.
    pub fn key_span(&self, name: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|(key, _)| matches!(&key.value, Value::Str(k) if k == name))
            .map(|(key, _)| key.span)
    }

    /// The value of a field that must be present; its absence is reported
    /// with the model's example, or what the model says of it where no
    /// example should be copied.
    pub fn require(&mut self, reader: &mut Reader<'_>, name: &'static str) -> Option<&'n Node> {
        let hint = match self.field(name) {
            Some(Field {
                example: Some(example),
                ..
            }) => format!("add `{name}: {example}`"),
            Some(field) => field.about.to_string(),
            None => format!("add `{name}`"),
        };
        self.require_explained(reader, name, &hint)
    }

    /// The value of a required field, or an error with `hint` if it is
    /// absent or empty: for a field whose value no example should suggest.
    pub fn require_explained(
        &mut self,
        reader: &mut Reader<'_>,
        name: &'static str,
        hint: &str,
    ) -> Option<&'n Node> {
        let value = self.get(name);
        if value.is_none() && self.key_span(name).is_none() {
            // `polcy_areas` for `policy_areas`: the one mistake, where it
            // is, rather than a missing field and an unknown one.
            let near = self.entries.iter().find_map(|(key, _)| match &key.value {
                Value::Str(k)
                    if k != name
                        && !self.misspelled.contains(k)
                        && strsim::jaro_winkler(k, name) >= 0.88 =>
                {
                    Some((k.clone(), key.span))
                }
                _ => None,
            });
            if let Some((key, span)) = near {
                reader.push(
                    reader
                        .error(
                            Code::UnknownField,
                            span,
                            format!(
                                "`{key}` is not a field: it looks like `{name}`, which {} needs",
                                self.what
                            ),
                        )
                        .with_hint(format!("rename it to `{name}`")),
                );
                self.misspelled.push(key);
                return None;
            }
        }
        if value.is_none() {
            let message = match self.key_span(name) {
                Some(_) => format!("`{name}` is empty"),
                None => format!("{} has no `{name}`", self.what),
            };
            let span = self.key_span(name).unwrap_or(self.at);
            reader.push(
                reader
                    .error(Code::MissingField, span, message)
                    .with_hint(hint.to_string()),
            );
        }
        value
    }

    /// Reads a field with `read` if it is present.
    pub fn read<'r, T>(
        &mut self,
        reader: &mut Reader<'r>,
        name: &'static str,
        read: impl FnOnce(&mut Reader<'r>, &'n Node) -> Option<T>,
    ) -> Option<T> {
        self.get(name).and_then(|node| read(reader, node))
    }

    /// Reads a required field with `read`.
    pub fn read_required<'r, T>(
        &mut self,
        reader: &mut Reader<'r>,
        name: &'static str,
        read: impl FnOnce(&mut Reader<'r>, &'n Node) -> Option<T>,
    ) -> Option<T> {
        self.require(reader, name)
            .and_then(|node| read(reader, node))
    }

    /// Reads a required field of a mapping outside the content model (the
    /// site's settings); its absence is reported with `line` to add.
    pub fn read_required_as<'r, T>(
        &mut self,
        reader: &mut Reader<'r>,
        name: &'static str,
        line: &str,
        read: impl FnOnce(&mut Reader<'r>, &'n Node) -> Option<T>,
    ) -> Option<T> {
        self.require_explained(reader, name, &format!("add `{line}`"))
            .and_then(|node| read(reader, node))
    }

    /// Reports every field that is not known, with where it belongs or
    /// the nearest known name.
    pub fn finish(self, reader: &mut Reader<'_>) {
        #[cfg(debug_assertions)]
        if let Some(model) = &self.model
            && !reader.diagnostics.iter().any(crate::Diagnostic::is_error)
        {
            for field in model {
                debug_assert!(
                    self.asked.contains(&field.name),
                    "`{}` is in the content model of {} but was never read",
                    field.name,
                    self.what
                );
            }
        }
        let known: Vec<&'static str> = match &self.model {
            Some(model) => model.iter().map(|f| f.name).collect(),
            None => self.asked.clone(),
        };
        for (key, _) in self.entries {
            let Value::Str(name) = &key.value else {
                reader.push(
                    reader
                        .error(
                            Code::UnknownField,
                            key.span,
                            format!("`{}` cannot be a field name", describe_key(key)),
                        )
                        .with_hint("field names are words like `name` or `policy_areas`"),
                );
                continue;
            };
            if known.contains(&name.as_str()) || self.misspelled.contains(name) {
                continue;
            }
            let under = self
                .model
                .as_deref()
                .and_then(|model| model::belongs_under(model, name));
            let hint = if name == "origin" {
                Some("only mirrored entries, under mirror/, have an `origin`".to_string())
            } else if let Some(path) = under {
                Some(written_under(&path, name))
            } else {
                did_you_mean(name, known.iter().copied())
            };
            let mut diagnostic = reader.error(
                Code::UnknownField,
                key.span,
                format!("{} has no field `{name}`", self.what),
            );
            diagnostic = match hint {
                Some(hint) => diagnostic.with_hint(hint),
                None => {
                    let mut known = known.clone();
                    known.sort_unstable();
                    known.dedup();
                    diagnostic.with_hint(format!("the fields are {}", quoted_list(&known, "and")))
                }
            };
            reader.push(diagnostic);
        }
    }
}

/// The hint for a field written where it does not belong: the mappings
/// it goes under, each indented two spaces further.
fn written_under(path: &[&str], name: &str) -> String {
    let parents = path
        .iter()
        .map(|p| format!("`{p}:`"))
        .collect::<Vec<_>>()
        .join(" then ");
    let mut lines = String::new();
    for (depth, part) in path.iter().chain([&name]).enumerate() {
        let value = if depth == path.len() { " …" } else { "" };
        lines.push_str(&format!("\n    {}{part}:{value}", "  ".repeat(depth)));
    }
    format!("`{name}` goes under {parents}, indented by two spaces:{lines}")
}

fn describe_key(key: &Node) -> String {
    match &key.value {
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.describe().to_string(),
    }
}
