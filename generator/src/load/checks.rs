//! The checks that need every file at once.

use super::entry::{Claim, Findings};
use crate::content::{Kind, origin_host};
use crate::diagnostic::{Code, Diagnostic};
use crate::did_you_mean::did_you_mean;
use crate::fields::{Reference, ReferenceFrom};
use crate::source::SourceFile;
use std::sync::Arc;

/// Maps with a fast hash: the checks run on every save while a
/// site is served.
type HashMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;

/// What the checks count over every file, kept up to date file by file as
/// a served site's files are read again: counting them all again took most
/// of the checks' time on every save.
#[derive(Debug, Default)]
pub(super) struct Tally {
    /// The entries' keys, by kind (see [`crate::Entry::slug`]), with how
    /// many files claim each: one, but a file read again is counted in
    /// before its old self is counted out.
    keys: HashMap<Kind, HashMap<String, usize>>,
    /// Each interest's spellings, by the form compared, with how many
    /// times each is used.
    spellings: HashMap<String, Vec<(String, usize)>>,
}

impl Tally {
    /// Counts a file in.
    pub(super) fn add(&mut self, claim: Option<&Claim>, findings: &Findings) {
        if let Some(claim) = claim {
            *self
                .keys
                .entry(claim.kind)
                .or_default()
                .entry(claim.slug.clone())
                .or_default() += 1;
        }
        for (interest, key, _) in &findings.interests {
            // Looked up before the key is copied: most interests are
            // counted many times.
            let forms = match self.spellings.get_mut(key.as_str()) {
                Some(forms) => forms,
                None => self.spellings.entry(key.clone()).or_default(),
            };
            match forms.iter_mut().find(|(form, _)| form == interest) {
                Some((_, count)) => *count += 1,
                None => forms.push((interest.clone(), 1)),
            }
        }
    }

    /// Counts a file out, as it was counted in.
    pub(super) fn remove(&mut self, claim: Option<&Claim>, findings: &Findings) {
        if let Some(claim) = claim
            && let Some(keys) = self.keys.get_mut(&claim.kind)
            && let Some(count) = keys.get_mut(claim.slug.as_str())
        {
            *count -= 1;
            if *count == 0 {
                keys.remove(claim.slug.as_str());
            }
        }
        for (interest, key, _) in &findings.interests {
            if let Some(forms) = self.spellings.get_mut(key.as_str()) {
                if let Some((_, count)) = forms.iter_mut().find(|(form, _)| form == interest) {
                    *count -= 1;
                }
                forms.retain(|(_, count)| *count > 0);
                if forms.is_empty() {
                    self.spellings.remove(key.as_str());
                }
            }
        }
    }
}

/// References to entries that do not exist, each naming the file that would
/// have to exist, and a mirrored entry's references outside its directory.
pub(super) fn references(tally: &Tally, findings: &[&Findings]) -> Vec<Diagnostic> {
    let empty = HashMap::default();
    let mut diagnostics = Vec::new();
    for &Findings {
        file, references, ..
    } in findings
    {
        let from = origin_of(file.path());
        for reference in references {
            let keys = tally.keys.get(&reference.kind).unwrap_or(&empty);
            let exists = keys.contains_key(reference.slug.as_str());
            let to = origin_host(&reference.slug);
            match from {
                // A programme is joined across directories: another
                // directory's profile may name this site's, or a third's
                // this site does not mirror, and is matched there alone.
                Some(_) if joins_programme(reference) => {}
                // Fields name the directory's own entries by construction;
                // a link could still lead out of its folder.
                Some(host) if to != Some(host) => {
                    diagnostics.push(other_directorys(file, reference, host));
                }
                Some(host) if !exists => diagnostics.push(not_sent(file, reference, host)),
                Some(_) => {}
                None if exists => {}
                None => {
                    let guess = did_you_mean(&reference.slug, keys.keys().map(String::as_str));
                    diagnostics.push(match (reference.kind, to) {
                        (Kind::Profile, _) => unlisted_profile(file, reference, guess),
                        (Kind::Programme, Some(host)) => {
                            unmirrored_programme(file, reference, host)
                        }
                        _ => unknown(file, reference, guess),
                    });
                }
            }
        }
    }
    diagnostics
}

/// Whether a reference is a profile's `programmes`.
fn joins_programme(reference: &Reference) -> bool {
    reference.kind == Kind::Programme
        && matches!(reference.from, ReferenceFrom::Field("programmes"))
}

/// The directory a file comes from: `None` for this site's own (`content/`),
/// the host for `mirror/<host>/…`.
fn origin_of(path: &std::path::Path) -> Option<&str> {
    let mut parts = path.iter();
    if parts.next()? != "mirror" {
        return None;
    }
    parts.next().and_then(|host| host.to_str())
}

/// A local entry naming an entry that does not exist: the file that would
/// have to.
fn unknown(file: &Arc<SourceFile>, reference: &Reference, guess: Option<String>) -> Diagnostic {
    let folder = reference.kind.folder();
    let expected = match reference.slug.split_once('/') {
        Some((host, slug)) => format!("mirror/{host}/{folder}/{slug}.md"),
        None => format!("content/{folder}/{}.md", reference.slug),
    };
    let hint = match guess {
        Some(guess) => format!("{guess} Otherwise create {expected}"),
        None => format!("create {expected}, or correct the slug"),
    };
    let kind = reference.kind.name();
    let slug = &reference.slug;
    let (code, message) = match reference.from {
        ReferenceFrom::Field(field) => (
            Code::UnknownReference,
            format!("`{field}` names the {kind} `{slug}`, but {expected} does not exist"),
        ),
        ReferenceFrom::Link => (
            Code::BrokenLink,
            format!("this link goes to the {kind} `{slug}`, but {expected} does not exist"),
        ),
    };
    Diagnostic::error(code, file, reference.span, message).with_hint(hint)
}

/// A mirrored entry naming one of its directory's entries that has not
/// arrived: it waits (the federation server tries it again as more arrive).
fn not_sent(file: &Arc<SourceFile>, reference: &Reference, host: &str) -> Diagnostic {
    let kind = reference.kind.name();
    let slug = bare_slug(&reference.slug);
    let (code, what) = match reference.from {
        ReferenceFrom::Field(field) => (Code::UnknownReference, format!("`{field}` names")),
        ReferenceFrom::Link => (Code::BrokenLink, "this link goes to".to_string()),
    };
    Diagnostic::error(
        code,
        file,
        reference.span,
        format!("{what} the {kind} `{slug}`, which {host} has not sent (a directory's entries name only its own)"),
    )
    .with_hint(format!(
        "the entry is left out until {host} sends its {kind} `{slug}`"
    ))
}

/// A key's slug, without the host of a mirrored entry's.
fn bare_slug(key: &str) -> &str {
    key.split_once('/').map_or(key, |(_, slug)| slug)
}

/// A mirrored entry linking outside its own directory's folder: refused, so
/// that another directory cannot attach its entries to this site's people,
/// organisations or events, nor to a third directory's.
fn other_directorys(file: &Arc<SourceFile>, reference: &Reference, host: &str) -> Diagnostic {
    let kind = reference.kind.name();
    let slug = &reference.slug;
    Diagnostic::error(
        Code::BrokenLink,
        file,
        reference.span,
        format!("this link goes to the {kind} `{slug}`, outside what {host} sent: an entry from another directory links only to that directory's entries"),
    )
    .with_hint(format!("the entry is left out until {host} sends a version without the link"))
}

/// A local entry naming or linking to a profile that is not listed: a
/// warning, saying what is shown instead, so that removing a person is never
/// blocked by the entries that name them.
fn unlisted_profile(
    file: &Arc<SourceFile>,
    reference: &Reference,
    guess: Option<String>,
) -> Diagnostic {
    let slug = &reference.slug;
    let shown = match reference.from {
        ReferenceFrom::Field("host") => "the event is shown without a host",
        ReferenceFrom::Field("lead") => "the consultation is shown without a lead",
        ReferenceFrom::Field("by") => "the ask is not shown",
        ReferenceFrom::Field(_) => "it is shown without them",
        ReferenceFrom::Link => "the link is shown as plain text",
    };
    let message = match reference.from {
        ReferenceFrom::Field(field) => {
            format!("`{field}` names the profile `{slug}`, which is not listed: {shown}")
        }
        ReferenceFrom::Link => {
            format!("this link goes to the profile `{slug}`, which is not listed: {shown}")
        }
    };
    let hint = match guess {
        Some(guess) => format!("{guess} If the profile was removed, remove this mention too."),
        None => "if the profile was removed, remove this mention too; if not, correct the slug"
            .to_string(),
    };
    Diagnostic::warning(Code::UnlistedProfile, file, reference.span, message).with_hint(hint)
}

/// A profile joining another directory's programme that this directory
/// does not hold: it may not follow that directory, or the programme has
/// not arrived; the profile is matched in it by its own directory alone.
fn unmirrored_programme(file: &Arc<SourceFile>, reference: &Reference, host: &str) -> Diagnostic {
    let slug = bare_slug(&reference.slug);
    Diagnostic::warning(
        Code::UnmirroredProgramme,
        file,
        reference.span,
        format!("`programmes` names {host}'s programme `{slug}`, which this directory does not mirror"),
    )
    .with_hint(format!(
        "follow {host} (`follow` in [federation]) to show the programme here, or correct the host and slug"
    ))
}

/// The form interests are compared in: `Data_Science`, `data-science` and
/// `datascience` all become `datascience`; a plural `s` is dropped.
pub(super) fn interest_key(interest: &str) -> String {
    let key: String = interest
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(|c| c.to_lowercase())
        .collect();
    match key.strip_suffix('s') {
        Some(singular) if singular.len() > 3 => singular.to_string(),
        _ => key,
    }
}

/// Interests spelled differently across the directory though they are the
/// same word: matching relies on shared terms, so each less common spelling
/// is a warning pointing to the most common one.
pub(super) fn similar_interests(tally: &Tally, findings: &[&Findings]) -> Vec<Diagnostic> {
    // Each key's spellings are almost always one: then there is nothing to
    // warn about, and no file to read.
    let mut preferred: HashMap<&str, (&str, usize)> = HashMap::default();
    for forms in tally.spellings.values().filter(|forms| forms.len() > 1) {
        // The most used spelling wins; among equals, the one with hyphens, then the first.
        let (best, count) = forms
            .iter()
            .max_by(|a, b| {
                a.1.cmp(&b.1)
                    .then(a.0.contains('-').cmp(&b.0.contains('-')))
                    .then(b.0.cmp(&a.0))
            })
            .map(|(form, count)| (form.as_str(), *count))
            .unwrap_or_default();
        for (form, _) in forms {
            if form != best {
                preferred.insert(form.as_str(), (best, count));
            }
        }
    }
    if preferred.is_empty() {
        return Vec::new();
    }
    let mut diagnostics = Vec::new();
    // Mirrored spellings count towards the common one, but only local files,
    // which this site's editors can change, are warned about.
    for &Findings {
        file, interests, ..
    } in findings
        .iter()
        .filter(|f| !f.file.path().starts_with("mirror"))
    {
        for (interest, _, span) in interests {
            if let Some((best, count)) = preferred.get(interest.as_str()) {
                let used = if *count == 1 {
                    "once".to_string()
                } else {
                    format!("{count} times")
                };
                diagnostics.push(
                    Diagnostic::warning(
                        Code::SimilarInterests,
                        file,
                        *span,
                        format!("the interest `{interest}` is spelled `{best}` elsewhere"),
                    )
                    .with_hint(format!(
                        "write `{best}` (used {used}) so that matching sees one interest"
                    )),
                );
            }
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_interest_share_a_key() {
        assert_eq!(interest_key("data-science"), interest_key("datascience"));
        assert_eq!(
            interest_key("service-design"),
            interest_key("service-designs")
        );
        assert_ne!(interest_key("data"), interest_key("dates"));
        assert_eq!(interest_key("gis"), "gis");
    }
}
