//! Text made safe for each format the program writes outside templates
//! (whose HTML and XML Tera escapes itself): one function a format.

/// Whether a character is one no page, feed or calendar may carry: a
/// control character other than tab, line feed and carriage return (which
/// XML 1.0 forbids, HTML reports as a parse error, and a calendar line
/// must not hold), or a Unicode noncharacter. Text from editors and from
/// other directories may hold them when pasted from elsewhere.
pub fn is_unpublishable(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Text without the characters [`is_unpublishable`] refuses.
pub fn publishable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_unpublishable) {
        text.chars().filter(|&c| !is_unpublishable(c)).collect()
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Text made safe inside HTML or XML, as text or as an attribute's value.
pub fn markup(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing to a Vec cannot fail.
    let _ = write_markup(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`markup`], written to `out`: how templates escape what they print.
///
/// Read a byte at a time, not a character at a time: every value of every
/// page goes through here, and nearly all of it is plain. A byte that may
/// begin something to replace is found in [`ATTENTION`]; only then is the
/// character it begins looked at.
pub fn write_markup(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let mut plain = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !ATTENTION[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        // `i` is at the start of a character: every byte flagged is either
        // ASCII or the first byte of a character (0xC2, 0xEF).
        let c = text[i..].chars().next().unwrap_or_default();
        let replacement: &[u8] = match c {
            '&' => b"&amp;",
            '<' => b"&lt;",
            '>' => b"&gt;",
            '"' => b"&quot;",
            // Not `&apos;`, which HTML before HTML5 (and mail readers that
            // still follow it) shows as written; names like O'Brien are common.
            '\'' => b"&#39;",
            // An XML reader turns a carriage return written as it is into
            // a line feed; written as a reference, it reads back as itself.
            '\r' => b"&#13;",
            c if is_unpublishable(c) => b"",
            c => {
                i += c.len_utf8();
                continue;
            }
        };
        out.write_all(&bytes[plain..i])?;
        out.write_all(replacement)?;
        i += c.len_utf8();
        plain = i;
    }
    out.write_all(&bytes[plain..])
}

/// The bytes that may begin a character [`write_markup`] replaces: the
/// five that open or close markup, the carriage return, the ASCII
/// controls, and the first bytes of U+0080–U+009F (0xC2) and of
/// U+FFFE and U+FFFF (0xEF).
static ATTENTION: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = !matches!(b, 0x09 | 0x0A);
        b += 1;
    }
    let mut others = [b'&', b'<', b'>', b'"', b'\'', 0x7F, 0xC2, 0xEF].as_slice();
    while let [first, rest @ ..] = others {
        table[*first as usize] = true;
        others = rest;
    }
    table
};

/// JSON made safe inside an HTML `<script>` element: a `</script>` in one
/// of its strings must not end the element.
pub fn script_json(json: String) -> String {
    if json.contains('<') {
        json.replace('<', "\\u003c")
    } else {
        json
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_drops_what_no_document_may_carry() {
        assert_eq!(
            markup("Tab\tkept;\u{b}vertical\u{0}gone\u{85}\u{FFFF}"),
            "Tab\tkept;verticalgone"
        );
        assert_eq!(markup("a]]>b"), "a]]&gt;b");
        assert_eq!(publishable("line\u{b}\u{1b}[31m"), "line[31m");
    }

    #[test]
    fn markup_escapes_every_character_that_could_open_or_close_markup() {
        assert_eq!(
            markup(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }

    /// Found by fuzz_calendar_feed_and_json_writers: an event's title with
    /// a carriage return came back from the Atom feed with a line feed.
    #[test]
    fn markup_keeps_a_carriage_return_for_xml_readers() {
        assert_eq!(markup("a\rb\r\nc\nd"), "a&#13;b&#13;\nc\nd");
    }

    /// The byte table finds every character the rule replaces: each
    /// character of the first plane and a few beyond, alone and between
    /// plain letters, is escaped as the rule says.
    #[test]
    fn markup_replaces_exactly_the_characters_the_rule_names() {
        let rule = |c: char| -> String {
            match c {
                '&' => "&amp;".into(),
                '<' => "&lt;".into(),
                '>' => "&gt;".into(),
                '"' => "&quot;".into(),
                '\'' => "&#39;".into(),
                '\r' => "&#13;".into(),
                c if is_unpublishable(c) => String::new(),
                c => c.to_string(),
            }
        };
        let chars = (0..=0xFFFF_u32)
            .chain([0x1_0000, 0x1_F600, 0x10_FFFF])
            .filter_map(char::from_u32);
        for c in chars {
            assert_eq!(markup(&format!("a{c}b")), format!("a{}b", rule(c)), "{c:?}");
        }
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let json = script_json(r#"{"name":"</script><script>alert(1)</script>"}"#.into());
        assert!(!json.contains("</script"), "{json}");
        assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    }
}
