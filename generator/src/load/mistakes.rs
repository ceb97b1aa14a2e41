//! The mistakes people make writing front matter, found on the line they
//! are on and explained in plain words with the line corrected, before the
//! YAML parser's own message (written for programmers, and often about
//! another line) is shown.

/// A mistake found on one line of front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Mistake {
    /// Where the line starts, in the file.
    pub(super) offset: usize,
    /// The line's length, without its line break.
    pub(super) len: usize,
    /// What is wrong, in plain words.
    pub(super) message: String,
    /// The line as it should be.
    pub(super) corrected: String,
}

/// The first line of a Markdown `body` (starting at `offset` in its file)
/// that begins with a bullet character, as text pasted from a word
/// processor does: Markdown runs such lines together into one paragraph.
/// Its offset, length, and the line as a Markdown list item.
pub(super) fn bullet_in_body(body: &str, offset: usize) -> Option<(usize, usize, String)> {
    if !has_bullet(body) {
        return None;
    }
    let mut at = offset;
    for raw in body.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let text = line.trim_start();
        if let Some(item) = text.strip_prefix(BULLETS) {
            return Some((at, line.len(), format!("- {}", item.trim_start())));
        }
        at += raw.len();
    }
    None
}

impl Mistake {
    /// The mistake as a syntax error in `file`, with the corrected line.
    pub(super) fn diagnostic(
        self,
        file: &std::sync::Arc<crate::source::SourceFile>,
    ) -> crate::diagnostic::Diagnostic {
        crate::diagnostic::Diagnostic::error(
            crate::diagnostic::Code::Syntax,
            file,
            crate::source::Span::new(self.offset, self.len),
            self.message,
        )
        .with_hint(format!("write the line as: {}", self.corrected))
    }
}

/// Characters word processors put at the start of a list item.
const BULLETS: &[char] = &['•', '◦', '▪', '‣', '●', '○', '■', '–', '—'];

/// Whether `text` holds one of the [`BULLETS`]. Every file read is asked:
/// none is ASCII, and most text is, which is found a word at a time rather
/// than a character at a time.
fn has_bullet(text: &str) -> bool {
    !text.is_ascii() && text.contains(BULLETS)
}

/// The first line of `yaml` (front matter, from its opening `---`, whose
/// offsets are the file's) with a mistake this module knows. Front matter
/// that parsed is looked at for bullets only: a list of bullets parses, as
/// one line of text, where each other mistake fails to.
pub(super) fn first_mistake(yaml: &str, parsed: bool) -> Option<Mistake> {
    // Read for every file that parsed: almost none has a bullet at all.
    if parsed && !has_bullet(yaml) {
        return None;
    }
    let mut offset = 0;
    for raw in yaml.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let found = if parsed { bullets(line) } else { explain(line) };
        if let Some((message, corrected)) = found {
            return Some(Mistake {
                offset,
                len: line.len(),
                message,
                corrected,
            });
        }
        offset += raw.len();
    }
    None
}

/// A list written with bullet characters, and the line corrected.
fn bullets(line: &str) -> Option<(String, String)> {
    explain(line).filter(|(message, _)| message.contains("bullet"))
}

/// What is wrong with one line, and the line corrected.
fn explain(line: &str) -> Option<(String, String)> {
    let indent_len = line.len() - line.trim_start_matches([' ', '\t']).len();
    let indent = &line[..indent_len];
    let rest = &line[indent_len..];
    if indent.contains('\t') {
        let corrected = format!("{}{rest}", indent.replace('\t', "  "));
        return Some((
            "this line is indented with a tab: front matter is indented with spaces".into(),
            corrected,
        ));
    }
    if line.contains('\u{a0}') {
        return Some((
            "this line has a non-breaking space (often pasted from Word or a web page) where a plain space is needed".into(),
            line.replace('\u{a0}', " "),
        ));
    }
    if let Some(item) = rest.strip_prefix(BULLETS) {
        return Some((
            "a list item starts with `- `, not a bullet character".into(),
            format!("{indent}- {}", item.trim_start()),
        ));
    }
    let (key, value) = rest.split_once(':')?;
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let value = value.trim();
    if !is_key || value.is_empty() {
        return None;
    }
    if value.starts_with(['“', '”', '‘', '’']) {
        let inner = value.trim_matches(['“', '”', '‘', '’', '"']);
        return Some((
            "curly quotes (“ ”) are not quotes in front matter: use straight ones (\")".into(),
            format!("{indent}{key}: {}", crate::node::yaml_text(inner)),
        ));
    }
    let quoted = value.starts_with(['"', '\'', '[', '{']);
    if !quoted && (value.contains(": ") || value.ends_with(':')) {
        return Some((
            "a colon inside a value needs quotes around the value".into(),
            format!("{indent}{key}: {}", crate::node::yaml_text(value)),
        ));
    }
    if !quoted && value.starts_with(BULLETS) {
        let items: Vec<&str> = value
            .split(BULLETS)
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .collect();
        return Some((
            "a list is written in square brackets, not with bullet characters".into(),
            format!("{indent}{key}: [{}]", items.join(", ")),
        ));
    }
    None
}

/// Each line of `text` (from `offset` in its file) still holding example
/// text that `init` or `new` wrote: a line marked with
/// [`PLACEHOLDER`](crate::scaffold::PLACEHOLDER), or the line after the
/// body's mark. Each as its offset, its length, and whether it is text
/// after a body's mark.
pub(super) fn placeholders(text: &str, offset: usize) -> Vec<(usize, usize, bool)> {
    use crate::scaffold::{PLACEHOLDER, PLACEHOLDER_BODY};
    let mut found = Vec::new();
    if !text.contains("placeholder") {
        return found;
    }
    let mut at = offset;
    let mut after_mark = false;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        if after_mark && !line.trim().is_empty() {
            found.push((at, line.len(), true));
            after_mark = false;
        } else if line.trim() == PLACEHOLDER_BODY {
            after_mark = true;
        } else if line.trim_end().ends_with(PLACEHOLDER) {
            found.push((at, line.len(), false));
        }
        at += raw.len();
    }
    found
}

/// Every character of a local file that no page, feed or calendar may
/// carry (see [`crate::escape::is_unpublishable`]), each an error on its
/// own line and column: invisible in an editor, they arrive with text
/// pasted from a word processor or a spreadsheet. Files mirrored from
/// other directories are not refused but cleaned as they are read.
pub(super) fn unpublishable_characters(
    file: &std::sync::Arc<crate::source::SourceFile>,
) -> Vec<crate::Diagnostic> {
    use crate::source::Span;
    file.text()
        .char_indices()
        .filter(|&(_, c)| crate::escape::is_unpublishable(c))
        // One a line is enough to find them all.
        .scan(None, |last_line, (at, c)| {
            let line = file.line_col(at).0;
            let first = *last_line != Some(line);
            *last_line = Some(line);
            Some(first.then_some((at, c)))
        })
        .flatten()
        .take(20)
        .map(|(at, c)| {
            crate::Diagnostic::error(
                crate::Code::ControlCharacter,
                file,
                Span::new(at, c.len_utf8()),
                format!(
                    "{} is an invisible character that cannot be published",
                    character_name(c)
                ),
            )
            .with_hint("delete it (it often comes with text pasted from a word processor or a spreadsheet); retyping the line removes it too")
        })
        .collect()
}

/// A character as a person can look it up: `U+000B (vertical tab)`.
fn character_name(c: char) -> String {
    let name = match c {
        '\u{0}' => " (null)",
        '\u{8}' => " (backspace)",
        '\u{b}' => " (vertical tab)",
        '\u{c}' => " (form feed)",
        '\u{1b}' => " (escape)",
        '\u{7f}' => " (delete)",
        '\u{85}' => " (next line)",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corrected(line: &str) -> Option<String> {
        explain(line).map(|(_, c)| c)
    }

    #[test]
    fn each_mistake_gets_its_corrected_line() {
        assert_eq!(
            corrected("role: Head of Service: Communities").as_deref(),
            Some("role: \"Head of Service: Communities\"")
        );
        assert_eq!(
            corrected("name:\u{a0}Priya Shah").as_deref(),
            Some("name: Priya Shah")
        );
        assert_eq!(
            corrected("\temail: priya@leeds.gov.uk").as_deref(),
            Some("  email: priya@leeds.gov.uk")
        );
        assert_eq!(corrected("  • housing").as_deref(), Some("  - housing"));
        assert_eq!(
            corrected("name: “Priya Shah”").as_deref(),
            Some("name: Priya Shah")
        );
        assert_eq!(
            corrected("policy_areas: • housing • homelessness").as_deref(),
            Some("policy_areas: [housing, homelessness]")
        );
    }

    #[test]
    fn good_lines_are_left_alone() {
        for line in [
            "---",
            "name: Priya Shah",
            "role: \"Head of Service: Communities\"",
            "website: https://www.leeds.gov.uk",
            "start: 2027-03-04T10:00",
            "policy_areas: [housing, homelessness]",
            "  - housing",
            "contact:",
            "# a comment: with a colon",
        ] {
            assert_eq!(explain(line), None, "{line}");
        }
    }
}
