//! "Did you mean": the known words nearest to one that is not known.

/// Up to `max` candidates that look like `word`, the likeliest first.
///
/// A candidate qualifies if it is spelled alike (Jaro–Winkler), contains or is
/// contained in the word (`social-care` → `adult-social-care`), or shares one of
/// its hyphenated parts.
pub fn suggestions<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let word = word.to_lowercase();
    let parts: Vec<&str> = word
        .split(['-', '_', ' '])
        .filter(|p| p.len() > 2)
        .collect();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|original| {
            let candidate = original.to_lowercase();
            let candidate = candidate.as_str();
            let mut score = strsim::jaro_winkler(&word, candidate);
            if candidate.contains(word.as_str()) || word.contains(candidate) {
                score = score.max(0.9);
            }
            if candidate
                .split('-')
                .any(|p| p.len() > 2 && parts.contains(&p))
            {
                score = score.max(0.8);
            }
            (score >= 0.8).then_some((score, original))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// "did you mean `a` or `b`?", or nothing when no candidate is near.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let found = suggestions(word, candidates, 3);
    (!found.is_empty()).then(|| format!("did you mean {}?", quoted_list(&found, "or")))
}

/// `a`, `b` or `c`: a list of code words for a sentence.
pub fn quoted_list(words: &[&str], last: &str) -> String {
    match words {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., tail] => format!(
            "{} {last} `{tail}`",
            init.iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word() {
        let fields = ["name", "role", "organisation", "policy_areas"];
        assert_eq!(suggestions("organization", fields, 3), ["organisation"]);
        assert_eq!(suggestions("nmae", fields, 3), ["name"]);
        assert!(suggestions("zzz", fields, 3).is_empty());
    }

    #[test]
    fn parts_of_a_term_find_the_term() {
        let areas = ["adult-social-care", "childrens-services", "housing"];
        assert_eq!(suggestions("social-care", areas, 3), ["adult-social-care"]);
        assert_eq!(suggestions("children", areas, 3), ["childrens-services"]);
    }

    #[test]
    fn lists_read_as_english() {
        assert_eq!(quoted_list(&["a", "b", "c"], "or"), "`a`, `b` or `c`");
        assert_eq!(quoted_list(&["a"], "or"), "`a`");
    }
}
