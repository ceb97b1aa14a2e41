//! Search tokens: a text's words as the browser's search splits them
//! (`search.js` follows the same rule), the stop words left out of the
//! index, and the shard each token is kept in.

use std::borrow::Cow;

/// Words too common to find anything by; leaving them out keeps the shards
/// of `th`, `an` and `wo` small.
const STOP_WORDS: &[&str] = &[
    "about", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
    "her", "his", "how", "in", "is", "it", "its", "of", "on", "or", "our", "she", "that", "the",
    "their", "them", "they", "this", "to", "was", "we", "what", "which", "who", "will", "with",
    "would",
];

/// Splits text into search tokens, as the browser does: lower-cased (and
/// borrowed from `text` when they already are), at least two characters.
pub(super) fn tokens(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    words(text).filter_map(|(word, ascii)| {
        if ascii {
            // Most words: bytes are characters, and lower-casing is ASCII's.
            if word.len() < 2 {
                None
            } else if word.bytes().any(|b| b.is_ascii_uppercase()) {
                Some(Cow::Owned(word.to_ascii_lowercase()))
            } else {
                Some(Cow::Borrowed(word))
            }
        } else if word.chars().count() < 2 {
            None
        } else if word.chars().all(|c| c.is_ascii_digit() || c.is_lowercase()) {
            // Lower-casing changes only letters that are not lower case.
            Some(Cow::Borrowed(word))
        } else {
            Some(Cow::Owned(word.to_lowercase()))
        }
    })
}

/// The words of `text`, its runs of letters and digits, each with whether
/// it is all ASCII. Read byte by byte, a character only where one is not
/// ASCII: every word of every entry goes through here.
fn words(text: &str) -> impl Iterator<Item = (&str, bool)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    // Whether the character at `i` is a letter or digit, and its length.
    let letter_at = move |i: usize| -> (bool, usize) {
        if bytes[i].is_ascii() {
            (bytes[i].is_ascii_alphanumeric(), 1)
        } else {
            text[i..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
        }
    };
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let (letter, len) = letter_at(at);
            if letter {
                break;
            }
            at += len;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        let mut ascii = true;
        while at < bytes.len() {
            let (letter, len) = letter_at(at);
            if !letter {
                break;
            }
            ascii &= len == 1;
            at += len;
        }
        Some((&text[start..at], ascii))
    })
}

/// A word of up to eight bytes as one number, its bytes zero-padded, in
/// the order of the words (tokens hold no zero byte, so no two collide).
const fn packed(word: &[u8]) -> u64 {
    let mut bytes = [0; 8];
    let mut i = 0;
    while i < word.len() {
        bytes[i] = word[i];
        i += 1;
    }
    u64::from_be_bytes(bytes)
}

/// The stop words as numbers, in the same order: looking a token up
/// compares numbers, not strings, for every short word of every entry.
const STOP_KEYS: [u64; STOP_WORDS.len()] = {
    let mut keys = [0; STOP_WORDS.len()];
    let mut i = 0;
    while i < STOP_WORDS.len() {
        assert!(STOP_WORDS[i].len() <= 8);
        keys[i] = packed(STOP_WORDS[i].as_bytes());
        i += 1;
    }
    keys
};

/// Whether a token is too common to index.
fn is_stop_word(token: &str) -> bool {
    token.len() <= 8 && STOP_KEYS.binary_search(&packed(token.as_bytes())).is_ok()
}

/// The tokens worth indexing: all but the stop words.
pub(super) fn indexed_tokens(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    tokens(text).filter(|t| !is_stop_word(t))
}

/// The shard a token is in: its first two characters, `_` for any outside `a-z0-9`.
pub(super) fn shard_key(token: &str) -> String {
    token
        .chars()
        .take(2)
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_every_word_lower_cased_whether_borrowed_or_not() {
        let text = "The Children's services & Data-science, Café ÉLAN 2027 a ǅemal 東京 Σοφία x9";
        // The rule as the browser applies it, lower-casing every word.
        let expected: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| t.chars().count() >= 2)
            .map(str::to_lowercase)
            .collect();
        let found: Vec<String> = tokens(text).map(Cow::into_owned).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn indexed_tokens_leave_out_stop_words() {
        let indexed: Vec<Cow<'_, str>> =
            indexed_tokens("The services of the Council, and ÉLAN").collect();
        assert_eq!(indexed, ["services", "council", "élan"]);
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        for word in ["a", "th", "ann", "thee", "wills", "abouts", "théir"] {
            assert!(!is_stop_word(word), "{word}");
        }
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.is_sorted());
        // And so are their numbers, which the lookup searches.
        assert!(STOP_KEYS.is_sorted());
    }

    proptest::proptest! {
        /// Words are split and lower-cased as by the rule the browser
        /// applies, character by character, in any script.
        #[test]
        fn tokens_follow_the_browsers_rule(text in "[ a-zA-Z0-9,.'é É ǅ Σσ 東京 \u{301}-]{0,40}") {
            let expected: Vec<String> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| t.chars().count() >= 2)
                .map(str::to_lowercase)
                .collect();
            let found: Vec<String> = tokens(&text).map(Cow::into_owned).collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn tokens_and_shards() {
        let found: Vec<Cow<'_, str>> =
            tokens("Children's services & Data-science, Café 2027 a").collect();
        assert_eq!(
            found,
            ["children", "services", "data", "science", "café", "2027"]
        );
        assert_eq!(shard_key("housing"), "ho");
        assert_eq!(shard_key("café"), "ca");
        assert_eq!(shard_key("élan"), "_l");
    }
}
