//! Markdown bodies to HTML.
//!
//! CommonMark with tables, footnotes, strikethrough and task lists, through
//! pulldown-cmark. Headings get ids so they can be linked to; a body's `#`
//! headings become `h2`, as the page's `h1` is the entry's title. Links to
//! other entries' files become their page URLs. Raw HTML is sanitised with
//! ammonia unless the site trusts its own editors' HTML; links with schemes
//! that run code (`javascript:`) are dropped either way.

use std::collections::HashSet;
use std::path::Path;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::content::links::{EntryLink, entry_link};
use crate::fields::slugify;

/// The Markdown extensions every body is read with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders a body to HTML. `from` is the body's file (for relative links);
/// `url_of` gives the page of a linked entry, or `None` to unlink it (an
/// entry left out of this build). `trusted` keeps raw HTML as written.
pub fn to_html(
    body: &str,
    from: &Path,
    url_of: &dyn Fn(&EntryLink) -> Option<String>,
    trusted: bool,
) -> String {
    render(body, from, url_of, trusted, None)
}

/// A body's HTML, as [`to_html`] makes it, and its first `words` words of
/// [`text`], from one reading of the Markdown: a build needs both of every
/// body.
pub fn to_html_and_text(
    body: &str,
    from: &Path,
    url_of: &dyn Fn(&EntryLink) -> Option<String>,
    trusted: bool,
    words: usize,
) -> (String, String) {
    let mut text = Words::new(words);
    let html = render(body, from, url_of, trusted, Some(&mut text));
    (html, text.text)
}

/// The first `words` words a body shows, for searching, each separated by
/// one space: its text and code, without markup, links' addresses or raw
/// HTML.
pub fn text(body: &str, words: usize) -> String {
    let mut text = Words::new(words);
    for event in Parser::new_ext(body, options()) {
        // The rest of a long body need not be read.
        if text.left == 0 {
            break;
        }
        text.push(&event);
    }
    text.text
}

/// Words gathered from a body's events, up to a number of them.
struct Words {
    text: String,
    left: usize,
}

impl Words {
    fn new(words: usize) -> Self {
        Self {
            text: String::new(),
            left: words,
        }
    }

    /// Adds the words of an event's text or code; each event's text is
    /// apart from the next, as the page shows them.
    fn push(&mut self, event: &Event<'_>) {
        let (Event::Text(piece) | Event::Code(piece)) = event else {
            return;
        };
        if !piece.is_ascii() {
            for word in piece.split_whitespace() {
                self.add(word);
            }
            return;
        }
        // Most text: white space is one byte, so the words are found byte
        // by byte, without decoding characters.
        let mut start = None;
        for (i, byte) in piece.bytes().enumerate() {
            // Unicode's white space, as far as ASCII goes.
            let space = matches!(byte, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
            match start {
                Some(from) if space => {
                    self.add(&piece[from..i]);
                    start = None;
                }
                None if !space => start = Some(i),
                _ => {}
            }
        }
        if let Some(from) = start {
            self.add(&piece[from..]);
        }
    }

    fn add(&mut self, word: &str) {
        if self.left == 0 {
            return;
        }
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(word);
        self.left -= 1;
    }
}

fn render(
    body: &str,
    from: &Path,
    url_of: &dyn Fn(&EntryLink) -> Option<String>,
    trusted: bool,
    text: Option<&mut Words>,
) -> String {
    let mut events: Vec<Event<'_>> = Parser::new_ext(body, options()).collect();
    if let Some(text) = text {
        for event in &events {
            text.push(event);
        }
    }
    let has_raw_html = events
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    name_headings(&mut events);
    let events = rewrite_links(events, from, url_of);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if has_raw_html && !trusted {
        SANITISER.clean(&html).to_string()
    } else {
        html
    }
}

/// What survives sanitising: ammonia's safe defaults, plus the ids and
/// classes that headings and footnotes need.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    for tag in ["h2", "h3", "h4", "h5", "h6", "div", "sup", "li"] {
        builder.add_tag_attributes(tag, ["id"]);
    }
    for tag in ["div", "sup", "span"] {
        builder.add_tag_attributes(tag, ["class"]);
    }
    builder.add_tag_attributes("input", ["type", "checked", "disabled"]);
    builder.add_tags(["input"]);
    builder
});

/// Gives every heading an id from its text (unless written with `{#id}`),
/// unique within the body, and turns `h1` into `h2`.
fn name_headings(events: &mut [Event<'_>]) {
    let mut taken: HashSet<String> = HashSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            if let Event::Start(Tag::Heading { level, id, .. }) = &mut events[i] {
                if *level == HeadingLevel::H1 {
                    *level = HeadingLevel::H2;
                }
                let base = match id {
                    Some(written) => written.to_string(),
                    None => match slugify(&text) {
                        s if s.is_empty() => "section".to_string(),
                        s => s,
                    },
                };
                let mut unique = base.clone();
                let mut n = 1;
                while !taken.insert(unique.clone()) {
                    n += 1;
                    unique = format!("{base}-{n}");
                }
                *id = Some(CowStr::from(unique));
            }
            if let Some(Event::End(TagEnd::Heading(level))) = events.get_mut(j)
                && *level == HeadingLevel::H1
            {
                *level = HeadingLevel::H2;
            }
            i = j;
        }
        i += 1;
    }
}

/// Whether a link destination is safe to follow: a web, mail or phone link,
/// or one without a scheme (relative, or an anchor).
fn safe_destination(destination: &str) -> bool {
    let scheme = destination
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        None => true,
        Some(s) => ["http", "https", "mailto", "tel"]
            .iter()
            .any(|ok| s.eq_ignore_ascii_case(ok)),
    }
}

fn rewrite_links<'a>(
    events: Vec<Event<'a>>,
    from: &Path,
    url_of: &dyn Fn(&EntryLink) -> Option<String>,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    // Depth of links being dropped: their text stays, the link goes.
    let mut dropped = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let target = match entry_link(&dest_url, from) {
                    None if safe_destination(&dest_url) => Some(dest_url.to_string()),
                    None | Some(Err(_)) => None,
                    Some(Ok(link)) => url_of(&link).map(|url| match &link.fragment {
                        Some(fragment) => format!("{url}#{fragment}"),
                        None => url,
                    }),
                };
                match target {
                    Some(url) => out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(url),
                        title,
                        id,
                    })),
                    None => dropped += 1,
                }
            }
            Event::End(TagEnd::Link) if dropped > 0 => dropped -= 1,
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) if !safe_destination(&dest_url) => out.push(Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::from(""),
                title,
                id,
            })),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(body: &str) -> String {
        to_html(
            body,
            Path::new("content/events/open-day.md"),
            &|link| {
                (link.slug != "gone").then(|| format!("/{}/{}/", link.kind.folder(), link.slug))
            },
            false,
        )
    }

    #[test]
    fn headings_get_ids_and_no_second_h1() {
        let out = html("# About us\n\n## About us\n\n### Our {#team}\n");
        assert!(out.contains("<h2 id=\"about-us\">About us</h2>"), "{out}");
        assert!(out.contains("<h2 id=\"about-us-2\">About us</h2>"), "{out}");
        assert!(out.contains("<h3 id=\"team\">Our</h3>"), "{out}");
        assert!(!out.contains("<h1"));
    }

    #[test]
    fn entry_links_become_urls() {
        let out = html("See [Priya](@/profiles/priya-shah.md#work) and [the day](other-day.md).");
        assert!(out.contains("href=\"/profiles/priya-shah/#work\""), "{out}");
        assert!(out.contains("href=\"/events/other-day/\""), "{out}");
    }

    #[test]
    fn links_to_entries_left_out_keep_their_text() {
        let out = html("Ask [someone](@/profiles/gone.md) today.");
        assert_eq!(out, "<p>Ask someone today.</p>\n");
    }

    #[test]
    fn scripts_never_pass() {
        let out = html(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))",
        );
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("onerror"), "{out}");
        assert!(!out.contains("javascript:"), "{out}");
    }

    #[test]
    fn text_is_what_the_page_shows_read_once_or_alone() {
        let body = "# Our work\n\nSee [Priya](@/profiles/priya-shah.md) about `data`.\n\n| Area | Lead |\n|---|---|\n| Housing | ~~Sam~~ Jo |\n\n<b>raw</b> and\u{a0}café\u{2003}too\n";
        let from = Path::new("content/events/open-day.md");
        let (html, text) = to_html_and_text(body, from, &|_| None, false, 100);
        assert_eq!(html, super::to_html(body, from, &|_| None, false));
        assert_eq!(text, super::text(body, 100));
        assert_eq!(
            text,
            "Our work See Priya about data . Area Lead Housing Sam Jo raw and café too"
        );
        assert_eq!(super::text(body, 3), "Our work See");
        assert_eq!(super::text(body, 0), "");
    }

    proptest::proptest! {
        /// ASCII text is split without decoding characters, by the same
        /// rule as any other: Unicode's white space.
        #[test]
        fn words_split_as_unicode_does(
            ascii in "[ab \t\n\r\u{b}\u{c}.]{0,30}",
            other in "(\u{a0}|\u{2003}|é)?",
        ) {
            // Half are ASCII; the rest end with a character that is not.
            let piece = ascii + &other;
            let mut words = Words::new(usize::MAX);
            words.push(&Event::Text(CowStr::from(piece.as_str())));
            let expected: Vec<&str> = piece.split_whitespace().collect();
            proptest::prop_assert_eq!(words.text, expected.join(" "));
        }
    }

    #[test]
    fn tables_footnotes_and_strikethrough() {
        let out = html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new[^1]\n\n[^1]: A note.\n");
        assert!(out.contains("<table>"), "{out}");
        assert!(out.contains("<del>old</del>"), "{out}");
        assert!(out.contains("footnote-definition"), "{out}");
    }
}
