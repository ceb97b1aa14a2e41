//! Text made safe for each format the program writes outside templates
//! (whose HTML and XML Tera escapes itself): one function a format.

/// Text made safe inside HTML or XML, as text or as an attribute's value.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

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
    fn markup_escapes_every_character_that_could_open_or_close_markup() {
        assert_eq!(
            markup(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;"
        );
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let json = script_json(r#"{"name":"</script><script>alert(1)</script>"}"#.into());
        assert!(!json.contains("</script"), "{json}");
        assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    }
}
