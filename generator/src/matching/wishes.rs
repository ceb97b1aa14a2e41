//! `rounds/private.yaml`: what people have asked of the organisers and
//! nobody else: to sit out the rounds for a while, or never to be matched
//! with a particular person. It is read by the rounds and by `check`, and
//! by nothing that publishes: it never reaches the site, the feeds,
//! `directory.json` or other directories, and it is not part of the
//! [`Directory`] any of them is made from.
//!
//! ```yaml
//! pause:
//!   - priya-shah                                   # until further notice
//!   - { profile: sam-okoro, until: 2027-03-01 }
//! apart:
//!   - [priya-shah, fire.example.gov.uk/callum-reid]
//! ```

use std::path::Path;
use std::sync::Arc;

use ahash::{AHashMap, AHashSet};
use jiff::civil::Date;

use super::round::Month;
use crate::content::Directory;
use crate::diagnostic::{Code, Diagnostic};
use crate::did_you_mean::did_you_mean;
use crate::fields::{Context, Fields, Reader};
use crate::node::{Node, Value, parse_yaml};
use crate::source::{SourceFile, Span};

/// Where the wishes are kept, under the site folder.
pub const FILE: &str = "rounds/private.yaml";

/// What people asked of the rounds, privately.
#[derive(Debug, Clone, Default)]
pub struct Wishes {
    /// Who sits out, and until when (for good, if no date).
    paused: AHashMap<String, Option<Date>>,
    /// Pairs never to be matched, each as (smaller key, larger key).
    apart: AHashSet<(String, String)>,
}

impl Wishes {
    /// Whether `person` sits out the rounds of `month`.
    pub fn paused(&self, person: &str, month: Month) -> bool {
        self.paused
            .get(person)
            .is_some_and(|until| until.is_none_or(|until| until > month.first_day()))
    }

    /// Whether `a` and `b` asked never to be matched.
    pub fn apart(&self, a: &str, b: &str) -> bool {
        let pair = if a <= b { (a, b) } else { (b, a) };
        self.apart
            .contains(&(pair.0.to_string(), pair.1.to_string()))
    }

    /// Whether nothing is asked.
    pub fn is_empty(&self) -> bool {
        self.paused.is_empty() && self.apart.is_empty()
    }
}

/// The wishes of the site at `root` (none, if it has no such file), and
/// every problem with the file: each naming its line, as `check` shows it.
/// A name that is not a profile of `directory` is a warning (people
/// leave); the rest of the file still counts.
pub fn read(root: &Path, directory: &Directory) -> (Wishes, Vec<Diagnostic>) {
    let path = root.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return (Wishes::default(), Vec::new());
        }
        Err(e) => {
            let file = Arc::new(SourceFile::new(FILE, ""));
            let error = Diagnostic::error(
                Code::Syntax,
                &file,
                Span::new(0, 0),
                format!("{FILE} cannot be read: {e}"),
            );
            return (Wishes::default(), vec![error]);
        }
    };
    let file = Arc::new(SourceFile::new(FILE, text));
    let context = Context {
        root: root.to_path_buf(),
        time_zone: directory.site.time_zone(),
        now: jiff::Timestamp::UNIX_EPOCH,
        vocabulary: Default::default(),
        organisation: None,
        levels: Default::default(),
        own_host: directory.site.host(),
    };
    let mut r = Reader::new(&file, &context);
    let node = match parse_yaml(file.text()) {
        Ok(node) => node,
        Err(e) => {
            let span = e
                .offset
                .map_or_else(|| file.line_span(1), |o| Span::new(o, 0));
            r.push(
                r.error(
                    Code::Syntax,
                    span,
                    format!("{FILE} is not valid YAML: {}", e.message),
                )
                .with_hint("fix the syntax: until then, no round is made"),
            );
            return (Wishes::default(), r.diagnostics);
        }
    };
    let mut wishes = Wishes::default();
    if matches!(node.value, Value::Null) {
        return (wishes, r.diagnostics);
    }
    let Some(mut f) = Fields::of(&mut r, &node, node.span, FILE) else {
        return (wishes, r.diagnostics);
    };
    let pauses = f
        .read(&mut r, "pause", |r, n| Some(r.list(n, pause)))
        .unwrap_or_default();
    let aparts = f
        .read(&mut r, "apart", |r, n| Some(r.list(n, apart)))
        .unwrap_or_default();
    f.finish(&mut r);
    for ((key, span), until) in pauses {
        if known(&mut r, directory, &key, span) {
            wishes.paused.insert(key, until);
        }
    }
    for [(a, a_span), (b, b_span)] in aparts {
        if known(&mut r, directory, &a, a_span) & known(&mut r, directory, &b, b_span) {
            let pair = if a <= b { (a, b) } else { (b, a) };
            wishes.apart.insert(pair);
        }
    }
    (wishes, r.diagnostics)
}

/// A profile's key, as written, and where.
type Named = (String, Span);

/// One pause: a profile's key, or `{ profile, until }`.
fn pause(r: &mut Reader<'_>, node: &Node) -> Option<(Named, Option<Date>)> {
    if let Value::Map(_) = node.value {
        let mut f = Fields::of(r, node, node.span, "a pause")?;
        let profile = f.read_required_as(r, "profile", "profile: priya-shah", key);
        let until = f.read(r, "until", Reader::date);
        f.finish(r);
        return Some((profile?, until));
    }
    Some((key(r, node)?, None))
}

/// Two people to keep apart: `[a, b]`.
fn apart(r: &mut Reader<'_>, node: &Node) -> Option<[Named; 2]> {
    let names = match &node.value {
        Value::Seq(items) if items.len() == 2 => r.list(node, key),
        _ => {
            r.push(
                r.error(
                    Code::WrongType,
                    node.span,
                    "an `apart` entry names two people",
                )
                .with_hint("write it as `[priya-shah, fire.example.gov.uk/callum-reid]`"),
            );
            return None;
        }
    };
    let [a, b]: [Named; 2] = names.try_into().ok()?;
    Some([a, b])
}

/// A profile's key as written: its slug, or `host/slug` for a mirrored one.
fn key(r: &mut Reader<'_>, node: &Node) -> Option<Named> {
    let text = r.text(node)?.trim().to_string();
    Some((text, node.span))
}

/// Whether `key` is a profile of the directory; a warning if not.
fn known(r: &mut Reader<'_>, directory: &Directory, key: &str, span: Span) -> bool {
    if directory.profile(key).is_some() {
        return true;
    }
    let guess = did_you_mean(key, directory.profiles.iter().map(|p| p.slug.as_str()));
    let hint = match guess {
        Some(guess) => format!("{guess} If they have left, remove them from {FILE}."),
        None => format!("if they have left, remove them from {FILE}; if not, correct the name"),
    };
    r.push(
        r.warning(
            Code::UnlistedProfile,
            span,
            format!("{FILE} names `{key}`, who is not in the directory: the wish is not applied"),
        )
        .with_hint(hint),
    );
    false
}
