//! iCalendar text (RFC 5545) written line by line: every value escaped for
//! its kind, every line folded at 75 octets, never inside a character.
//!
//! What an editor or a followed directory wrote can never start a line of
//! its own: text values have their line breaks written as `\n` and any
//! other control character as a space, and values that cannot be escaped
//! (addresses, dates, rules) lose their control characters, so that a title
//! holding `END:VEVENT` on a line of its own stays inside `SUMMARY`.

/// The longest line, in octets, before its line break (RFC 5545, 3.1).
const LINE_OCTETS: usize = 75;

/// An iCalendar document being written.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// `BEGIN:<component>`.
    pub fn begin(&mut self, component: &str) {
        self.line("BEGIN", &[], &clean(component));
    }

    /// `END:<component>`.
    pub fn end(&mut self, component: &str) {
        self.line("END", &[], &clean(component));
    }

    /// A property whose value is TEXT (a title, a place, a description):
    /// backslashes, commas, semicolons and line breaks escaped.
    pub fn text(&mut self, name: &str, value: &str) {
        self.line(name, &[], &text(value));
    }

    /// A property whose value is not TEXT (a date, an address, a rule, a
    /// number), with its parameters: nothing in it is escaped, as its own
    /// syntax has no escapes, but control characters are dropped.
    pub fn value(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        self.line(name, params, &clean(value));
    }

    /// Lines another writer wrote (its [`Writer::finish`]), as they are:
    /// a part written once and copied into several documents.
    pub fn append(&mut self, lines: &str) {
        self.out.push_str(lines);
    }

    /// The document, each line ended by CRLF.
    pub fn finish(self) -> String {
        self.out
    }

    fn line(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        let mut line = clean(name);
        for (param, param_value) in params {
            line.push(';');
            line.push_str(&clean(param));
            line.push('=');
            line.push_str(&parameter(param_value));
        }
        line.push(':');
        line.push_str(value);
        fold_into(&mut self.out, &line);
    }
}

/// TEXT escaped (RFC 5545, 3.3.11): a line break of any kind (CRLF, CR,
/// LF, or Unicode's line and paragraph separators) as `\n`, any other
/// control character but tab as a space.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                // CRLF is one line break.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A value with no escapes of its own, with every control character
/// (line breaks included) dropped.
fn clean(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}'))
        .collect()
}

/// A parameter's value, quoted when it holds `;`, `:` or `,`; a double
/// quote, which no parameter value can hold, is dropped.
fn parameter(value: &str) -> String {
    let value: String = clean(value).chars().filter(|c| *c != '"').collect();
    if value.contains([';', ':', ',']) {
        format!("\"{value}\"")
    } else {
        value
    }
}

/// Appends `line` folded: no line longer than 75 octets, each line after
/// the first starting with a space, never splitting a character.
fn fold_into(out: &mut String, line: &str) {
    let mut room = LINE_OCTETS;
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > room {
            // A line is not left ending in a space, which some readers
            // trim: the space starts the next line instead, after the one
            // that marks it as folded.
            let moved = used > 1 && out.ends_with(' ');
            if moved {
                out.pop();
            }
            out.push_str("\r\n ");
            // The space that starts a folded line counts in its 75 octets.
            room = LINE_OCTETS - 1;
            used = 0;
            if moved {
                out.push(' ');
                used = 1;
            }
        }
        out.push(c);
        used += width;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_its_four_characters_and_every_line_break() {
        assert_eq!(text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(text("one\r\ntwo\rthree\nfour"), r"one\ntwo\nthree\nfour");
        assert_eq!(text("a\u{b}b\u{0}c\u{7f}d\te"), "a b c d\te");
        assert_eq!(text("a\u{2028}b"), r"a\nb");
    }

    #[test]
    fn an_injected_line_stays_in_its_property() {
        let mut w = Writer::new();
        w.text("SUMMARY", "Hi\r\nEND:VEVENT\r\nBEGIN:VEVENT\nUID:x");
        w.value("URL", &[], "https://a.example/\r\nX:y");
        w.value(
            "DTSTART",
            &[("TZID", "Europe/London\r\n\"x\";y")],
            "20270114T183000",
        );
        let ics = w.finish();
        let lines: Vec<&str> = ics.split("\r\n").collect();
        assert_eq!(
            lines,
            [
                r"SUMMARY:Hi\nEND:VEVENT\nBEGIN:VEVENT\nUID:x",
                "URL:https://a.example/X:y",
                "DTSTART;TZID=\"Europe/Londonx;y\":20270114T183000",
                ""
            ]
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut w = Writer::new();
        // Two-octet and four-octet characters, so that a fold at a byte
        // count would fall inside one.
        let title = "é".repeat(50) + &"🚒".repeat(30) + "end";
        w.text("SUMMARY", &title);
        let ics = w.finish();
        assert!(ics.ends_with("\r\n"));
        let lines: Vec<&str> = ics.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 2, "{lines:?}");
        for (i, line) in lines.iter().enumerate() {
            assert!(line.len() <= 75, "line {i} is {} octets", line.len());
            if i > 0 {
                assert!(line.starts_with(' '), "{line}");
            }
        }
        let unfolded: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
            .collect();
        assert_eq!(unfolded, format!("SUMMARY:{title}"));
    }

    #[test]
    fn no_folded_line_ends_in_a_space() {
        let mut w = Writer::new();
        let value = "word ".repeat(40);
        w.text("DESCRIPTION", &value);
        let ics = w.finish();
        let lines: Vec<&str> = ics.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(line.len() <= 75, "{line}");
            assert!(
                !line.ends_with(' ') || *line == lines[lines.len() - 1],
                "{line:?}"
            );
        }
        let unfolded: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
            .collect();
        assert_eq!(unfolded, format!("DESCRIPTION:{value}"));
    }

    #[test]
    fn a_line_of_75_octets_is_not_folded() {
        let mut w = Writer::new();
        w.text("SUMMARY", &"a".repeat(75 - "SUMMARY:".len()));
        assert_eq!(w.finish().matches("\r\n").count(), 1);
    }
}
