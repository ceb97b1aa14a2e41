//! Inputs for the fuzz targets: hostile text made from a fuzzer's bytes.
//!
//! A fuzzer gives bytes; the targets need text of the kinds that break
//! parsers and writers. Each byte picks a piece: a token one format or
//! another reads specially (`0x1F`, `yes`, `]]>`, `---`, a CRLF, a BOM, an
//! RTL mark…), a character, or a long run of one (for columns past 65,535).
//! Tokens let a random search hit the special cases at once; a
//! coverage-guided one finds more from the comparisons it watches.
//! Shared by the targets of every crate (docs/testing.md).

/// Tokens that some reader takes for something other than text.
const TOKENS: &[&str] = &[
    "0x1F",
    "0o17",
    "0b1",
    "1e3",
    ".5",
    "-7",
    "+1",
    "1_000",
    "0",
    "00",
    "1.0",
    ".inf",
    "-.Inf",
    ".nan",
    "nan",
    "inf",
    "Infinity",
    "~",
    "null",
    "Null",
    "true",
    "False",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "2026-10-01",
    "12:30",
    "---",
    "...",
    "- ",
    ": ",
    " #",
    "#",
    "&a",
    "*a",
    "!",
    "!!str ",
    "|",
    ">",
    "%",
    "@",
    "`",
    "'",
    "\"",
    "\\",
    "\\n",
    "{",
    "}",
    "[",
    "]",
    ",",
    "?",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "\u{feff}",
    "\u{200f}",
    "\u{202e}",
    "\u{2028}",
    "\u{85}",
    "\u{a0}",
    "\u{7f}",
    "\u{0}",
    "\u{b}",
    "\u{1b}[31m",
    "\u{fffe}",
    "\u{ffff}",
    "\u{1F600}",
    "\u{1F468}\u{200D}\u{1F469}",
    "e\u{301}",
    "\u{5d0}",
    "]]>",
    "<![CDATA[",
    "<",
    ">",
    "&",
    "&amp;",
    "</script>",
    "<b>",
    ";",
    "\\,",
    "BEGIN:VEVENT",
    "END:VCALENDAR",
    "http://",
    "https://a.example/x",
    "mailto:a@b",
    "origin",
];

/// A reader of a fuzzer's bytes, as text and numbers.
#[derive(Debug)]
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// Reads from `data`; once it is used up, every read gives zero.
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    /// Whether every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next byte, or zero.
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    /// Whether the next byte is a multiple of `n`: true one time in `n`.
    pub fn one_in(&mut self, n: u8) -> bool {
        self.byte().is_multiple_of(n.max(1))
    }

    /// A number below `n` (`n` at least 1).
    pub fn below(&mut self, n: usize) -> usize {
        let wide = usize::from(self.byte()) << 8 | usize::from(self.byte());
        wide % n.max(1)
    }

    /// Text of up to `pieces` pieces, each a token, a character or a run.
    pub fn text(&mut self, pieces: usize) -> String {
        let count = self.below(pieces + 1);
        let mut out = String::new();
        for _ in 0..count {
            if self.is_empty() {
                break;
            }
            let pick = usize::from(self.byte());
            match pick {
                p if p < TOKENS.len() => out.push_str(TOKENS[p]),
                p if p < 200 => out.push(char::from(self.byte() & 0x7f)),
                200..=249 => {
                    let code = u32::from(self.byte()) << 16
                        | u32::from(self.byte()) << 8
                        | u32::from(self.byte());
                    out.push(char::from_u32(code % 0x11_0000).unwrap_or('\u{fffd}'));
                }
                _ => {
                    // A long run, up to 130,000 characters: past u16 columns.
                    let run = self.below(65_536) * 2;
                    let c = ['a', ' ', 'é', '\u{1F600}'][self.below(4)];
                    out.extend(std::iter::repeat_n(c, run));
                }
            }
        }
        out
    }

    /// A plain word of lower-case letters and digits, at most `max` long
    /// and at least one character: a name a file or field may have.
    pub fn word(&mut self, max: usize) -> String {
        let len = 1 + self.below(max.max(1));
        (0..len)
            .map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789-_"[self.below(38)]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_pick_tokens_characters_and_runs() {
        // One piece: token 0; then one piece: the ASCII character 'A'.
        assert_eq!(Bytes::new(&[0, 1, 0]).text(4), "0x1F");
        assert_eq!(Bytes::new(&[0, 1, 150, b'A']).text(4), "A");
        // A run of 2 × 40,000 characters of 'a'.
        let run = Bytes::new(&[0, 1, 255, 0x9c, 0x40, 0, 0]).text(4);
        assert_eq!(run.len(), 80_000);
        assert!(run.chars().all(|c| c == 'a'));
        assert_eq!(Bytes::new(&[]).text(4), "");
    }
}
