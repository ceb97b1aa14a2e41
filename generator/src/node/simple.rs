//! The simple shape most front matter has, read without the general parser.
//!
//! Nearly every file is a block mapping of `field: value` lines, with
//! lists written `[a, b]` or as `- item` lines, a few nested mappings and
//! now and then quoted text, in plain ASCII. Reading that shape line by
//! line is several times faster than the general YAML parser, and loading
//! reads thousands of files. The result is the tree the general parser
//! gives, spans included; anything outside the shape (escapes, comments,
//! empty values, anchors, multi-line text, any byte that is not plain
//! printable ASCII, any doubt) is left to the general parser, which also
//! reports every mistake. In debug builds the two are compared on every
//! file read.

use super::{Node, Value, resolve_plain};
use crate::source::Span;

/// Deeper than the format needs: deeper files go to the general parser.
const MAX_DEPTH: usize = 8;

/// Longer than front matter is; longer text goes to the general parser,
/// which caps the number of values. This many bytes hold fewer values than
/// that cap, each value taking at least two bytes.
const MAX_LEN: usize = 16 * 1024;

/// The tree of `text`, or `None` when it is not of the simple shape.
pub(super) fn parse(text: &str) -> Option<Node> {
    if text.len() > MAX_LEN
        || !text
            .bytes()
            .all(|b| b == b'\n' || (b' '..=b'~').contains(&b) && !matches!(b, b'#' | b'{' | b'}'))
    {
        return None;
    }
    // Front matter comes with its opening `---` line, which starts the document.
    let from = if text.starts_with("---\n") { 4 } else { 0 };
    let mut lines = Lines::new(text, from);
    let first = lines.peek()?;
    if first.indent != 0 {
        return None;
    }
    let node = mapping(&mut lines, 0, 0)?;
    // Every line must have been read as part of the mapping.
    lines.peek().is_none().then_some(node)
}

/// A line with something on it.
#[derive(Clone, Copy)]
struct Line<'a> {
    /// Offset of its first character after the indentation.
    start: usize,
    /// Spaces before it.
    indent: usize,
    /// What follows the indentation, trailing spaces removed.
    content: &'a str,
}

/// The non-blank lines of a text, one at a time.
struct Lines<'a> {
    text: &'a str,
    /// Offset of the next line not yet read.
    at: usize,
    next: Option<Line<'a>>,
}

impl<'a> Lines<'a> {
    /// The lines of `text` from offset `at`.
    fn new(text: &'a str, at: usize) -> Self {
        let mut lines = Self {
            text,
            at,
            next: None,
        };
        lines.advance();
        lines
    }

    fn peek(&self) -> Option<Line<'a>> {
        self.next
    }

    /// Where the next line's content starts, or the end of the text: where
    /// the general parser ends a block that the next line closes.
    fn boundary(&self) -> usize {
        self.next.map_or(self.text.len(), |line| line.start)
    }

    fn advance(&mut self) {
        self.next = None;
        while self.at < self.text.len() {
            let rest = &self.text[self.at..];
            let len = rest.find('\n').unwrap_or(rest.len());
            let raw = &rest[..len];
            let line_start = self.at;
            self.at += len + 1;
            let content = raw.trim_start_matches(' ');
            let indent = raw.len() - content.len();
            let content = content.trim_end_matches(' ');
            if !content.is_empty() {
                self.next = Some(Line {
                    start: line_start + indent,
                    indent,
                    content,
                });
                return;
            }
        }
    }
}

fn scalar(text: &str, start: usize) -> Node {
    Node {
        value: resolve_plain(text.to_string()),
        span: Span::new(start, text.len()),
    }
}

/// Whether `text` reads as one plain scalar and nothing else: it starts
/// with no indicator, and no `: ` (or final `:`) makes it a mapping. In a
/// flow list, commas, brackets and colons end or nest it, so it has none.
fn plain(text: &str, in_flow: bool) -> bool {
    let Some(first) = text.bytes().next() else {
        return false;
    };
    let colon_space = text.as_bytes().windows(2).any(|w| w == b": ");
    if b"-?:,[]{}#&*!|>'\"%@`".contains(&first) || text.ends_with(':') || colon_space {
        return false;
    }
    !in_flow || !text.bytes().any(|b| matches!(b, b',' | b'[' | b']' | b':'))
}

/// A value written on its line, starting at `start`: plain, or quoted
/// with no escapes (`"@name@social.example"`, `'Care: a review'`).
fn text_value(text: &str, start: usize) -> Option<Node> {
    if plain(text, false) {
        return Some(scalar(text, start));
    }
    let quote = text.bytes().next().filter(|q| matches!(q, b'"' | b'\''))?;
    let inner = text[1..].strip_suffix(quote as char)?;
    if inner.bytes().any(|b| b == quote || b == b'\\') {
        return None;
    }
    Some(Node {
        value: Value::Str(inner.to_string()),
        span: Span::new(start, text.len()),
    })
}

/// A block mapping whose keys are at `indent`, opened at depth `depth`.
fn mapping(lines: &mut Lines<'_>, indent: usize, depth: usize) -> Option<Node> {
    if depth > MAX_DEPTH {
        return None;
    }
    let start = lines.peek()?.start;
    let mut entries: Vec<(Node, Node)> = Vec::new();
    while let Some(line) = lines.peek() {
        if line.indent < indent {
            break;
        }
        if line.indent > indent {
            return None;
        }
        let (name, rest) = line.content.split_once(':')?;
        // A field name: letters, digits, `_` and `-`, not first (a list item).
        let name_ok = !name.is_empty()
            && !name.starts_with('-')
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !name_ok || !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        if entries.iter().any(|(k, _)| {
            k.span.len == name.len() && &lines.text[k.span.start..k.span.end()] == name
        }) {
            return None;
        }
        let key = scalar(name, line.start);
        let value_text = rest.trim_start_matches(' ');
        let value_start = line.start + line.content.len() - value_text.len();
        lines.advance();
        let value = if value_text.is_empty() {
            // A block below: a mapping or a list, more indented, or a list
            // at the key's own indentation.
            let next = lines.peek()?;
            let item = next.content == "-" || next.content.starts_with("- ");
            if item && next.indent >= indent {
                sequence(lines, next.indent, next.indent == indent)?
            } else if next.indent > indent {
                mapping(lines, next.indent, depth + 1)?
            } else {
                // `field:` with nothing under it.
                return None;
            }
        } else {
            let value = if value_text.starts_with('[') {
                flow(value_text, value_start)?
            } else {
                text_value(value_text, value_start)?
            };
            // A more indented line would continue the text, or be a mistake.
            if lines.peek().is_some_and(|next| next.indent > indent) {
                return None;
            }
            value
        };
        entries.push((key, value));
    }
    let end = lines.boundary();
    Some(Node {
        value: Value::Map(entries),
        span: Span::new(start, end - start),
    })
}

/// A block list of items written on their lines, its dashes at `indent`. A list at its key's
/// own indentation starts, for the general parser, at its first item.
fn sequence(lines: &mut Lines<'_>, indent: usize, indentless: bool) -> Option<Node> {
    let mut start = lines.peek()?.start;
    let mut items = Vec::new();
    while let Some(line) = lines.peek() {
        if line.indent != indent {
            if line.indent > indent {
                return None;
            }
            break;
        }
        let Some(item) = line.content.strip_prefix("- ") else {
            if indentless {
                // The next key of the mapping the list is in.
                break;
            }
            return None;
        };
        let text = item.trim_start_matches(' ');
        let at = line.start + line.content.len() - text.len();
        if indentless && items.is_empty() {
            start = at;
        }
        items.push(text_value(text, at)?);
        lines.advance();
    }
    let end = lines.boundary();
    Some(Node {
        value: Value::Seq(items),
        span: Span::new(start, end - start),
    })
}

/// A list written on one line, `[a, b]`, starting at `start`.
fn flow(text: &str, start: usize) -> Option<Node> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    let mut items = Vec::new();
    if !inner.trim_matches(' ').is_empty() {
        let mut at = start + 1;
        for raw in inner.split(',') {
            let item = raw.trim_matches(' ');
            if !plain(item, true) {
                return None;
            }
            let offset = at + (raw.len() - raw.trim_start_matches(' ').len());
            items.push(scalar(item, offset));
            at += raw.len() + 1;
        }
    }
    Some(Node {
        value: Value::Seq(items),
        span: Span::new(start, text.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The general parser's tree, as debug text (NaN equals NaN there).
    fn general(text: &str) -> Option<String> {
        super::super::parse_general(text)
            .ok()
            .map(|n| format!("{n:?}"))
    }

    #[test]
    fn the_usual_front_matter_is_read_simply_and_alike() {
        let text = "---\nname: Callum Murphy\nrole:   Service Manager  \n\
            policy_areas: [cyber-security]\ninterests: [ prevention,volunteering , x ]\n\
            contact:\n  email: person10@org19.example.gov.uk\n  n: 5\n\
            list:\n  - one\n  - two\nlist2:\n- a\n\n- b\nnone: []\n\
            swap:\n  months: 6\n  wants:\n    sectors: [central-government]\n\
            \x20   policy_areas: [childrens-services, housing]\n\
            booking: https://book.example.gov.uk/0\nstart: 2027-12-06T10:00\nlast: x\n\n";
        let node = parse(text).expect("the simple shape");
        assert_eq!(Some(format!("{node:?}")), general(text));
    }

    #[test]
    fn other_shapes_are_left_to_the_general_parser() {
        for text in [
            "name: 'it''s'\n",
            "name: \"a\\\"b\"\n",
            "tags: ['a']\n",
            "name: x # a comment\n",
            "photo:\nname: x\n",
            "name: Zoë\n",
            "name: a: b\n",
            "bio: first line\n  second line\n",
            "name: &a x\nother: *a\n",
            "- a\n- b\n",
            "  name: x\n",
            "name: x\nname: y\n",
            "tags: [a, [b]]\n",
            "tags: [a,\n  b]\n",
            "tags: [a, b,]\n",
            "name:\tx\n",
            "--- \nname: x\n",
            "---\nname: x\n---\n",
            "text: |\n  block\n",
        ] {
            assert!(parse(text).is_none(), "{text:?} read simply");
        }
    }

    /// Words for values: the first 28 plain or simply quoted, the others only looking so.
    const WORDS: &[&str] = &[
        "a",
        "x",
        "Priya Shah",
        "2026-10-01",
        "2027-12-06T10:00",
        "40",
        "+3",
        "0x1F",
        "0o17",
        "1.5e3",
        ".5",
        ".nan",
        "~",
        "null",
        "true",
        "False",
        "No",
        "a b",
        "a:b",
        "it's",
        "a]",
        "https://x.example/a?b=c",
        "x@y.example",
        "'Care: a review'",
        "\"@a@b.example\"",
        "\"\"",
        "''",
        "Children's services",
        "-7",
        "-.inf",
        "a, b",
        "a: b",
        "a:",
        "-",
        "- a",
        "-a",
        "'q'",
        "\"q\"",
        "[a]",
        "a [b]",
        "&x",
        "*x",
        "!t x",
        "|",
        ">",
        "?",
        "? a",
        "%x",
        "@x",
        "`x`",
        "a #c",
        "é",
        "a,b",
        "...",
        "---",
    ];

    /// A small random generator, so that one seed makes one document.
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        /// Mostly the first, plain, words; now and then any.
        fn word(&mut self) -> &'static str {
            let from = if self.roll(8) == 0 { WORDS.len() } else { 28 };
            WORDS[self.roll(from)]
        }
    }

    /// A mapping at `indent`: fields with text, lists and mappings, at the
    /// indentations the simple reading expects and sometimes others.
    fn mapping_text(dice: &mut Dice, indent: usize, depth: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        for field in 0..1 + dice.roll(5) {
            let key = match dice.roll(12) {
                0 => "name",
                1 => "1",
                _ => ["tags", "role", "k_1", "a-b", "contact", "when"][field % 6],
            };
            out.push_str(&format!("{pad}{key}:"));
            match dice.roll(if depth < 3 { 6 } else { 3 }) {
                0 => out.push_str(&format!(" {}", dice.word())),
                1 => {
                    let items: Vec<&str> = (0..dice.roll(4)).map(|_| dice.word()).collect();
                    let sep = [",", ", ", " , "][dice.roll(3)];
                    out.push_str(&format!(" [{}]", items.join(sep)));
                }
                2 => out.push_str(&format!("   {}  ", dice.word())),
                3 | 4 => {
                    let at = indent + [0, 2, 2, 4][dice.roll(4)];
                    for _ in 0..1 + dice.roll(3) {
                        out.push_str(&format!("\n{}- {}", " ".repeat(at), dice.word()));
                    }
                }
                _ => {
                    out.push('\n');
                    let deeper = indent + 1 + dice.roll(4);
                    mapping_text(dice, deeper, depth + 1, out);
                    continue;
                }
            }
            out.push('\n');
            if dice.roll(6) == 0 {
                out.push_str(&" ".repeat(dice.roll(3)));
                out.push('\n');
            }
        }
    }

    /// A document of the simple shape, or, now and then, one changed a
    /// little: a line indented differently, a character replaced.
    fn document(seed: u64) -> String {
        let mut dice = Dice(seed | 1);
        let mut text = String::new();
        if dice.roll(2) == 0 {
            text.push_str(["---\n", "---\n", "--- \n", "\u{feff}---\n"][dice.roll(4)]);
        }
        mapping_text(&mut dice, 0, 0, &mut text);
        if dice.roll(3) == 0 && !text.is_empty() {
            let at = dice.roll(text.len());
            if text.is_char_boundary(at) {
                let swap = [" ", "\n", ":", "-", "  ", "[", "#", "\t", "é", ""][dice.roll(10)];
                text.replace_range(at..at + usize::from(text.as_bytes()[at].is_ascii()), swap);
            }
        }
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        /// Whatever is read simply is read exactly as the general parser reads it.
        #[test]
        fn simple_reading_agrees_with_the_general_parser(seed in any::<u64>()) {
            let text = document(seed);
            if let Some(node) = parse(&text) {
                prop_assert_eq!(Some(format!("{node:?}")), general(&text), "{:?}", text);
            }
        }
    }
}
