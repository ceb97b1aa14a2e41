//! Splitting an entry file into its YAML front matter and Markdown body.

/// The parts of an entry file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter, from the opening `---` up to (not including) the
    /// closing one. The opening line is kept so that offsets in it are offsets
    /// in the file.
    pub yaml: &'a str,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// The 1-based line the body starts on.
    pub body_line: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    NoOpening,
    /// The front matter is never closed.
    NoClosing,
}

/// Splits `text` at its `---` lines. A byte-order mark is tolerated.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = text[start..].split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::NoOpening)?;
    if first.trim_end() != "---" {
        return Err(SplitError::NoOpening);
    }
    let mut offset = start + first.len();
    for (index, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[..offset],
                body: &text[offset + line.len()..],
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(SplitError::NoClosing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_fences() {
        let text = "---\nname: A\n---\nBody\n";
        let split = split(text).expect("splits");
        assert_eq!(split.yaml, "---\nname: A\n");
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let text = "\u{feff}---\r\nname: A\r\n---\r\nBody";
        let split = split(text).expect("splits");
        assert_eq!(split.body, "Body");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn missing_fences_are_reported() {
        assert_eq!(split("name: A\n"), Err(SplitError::NoOpening));
        assert_eq!(split("---\nname: A\n"), Err(SplitError::NoClosing));
        assert_eq!(split(""), Err(SplitError::NoOpening));
    }
}
