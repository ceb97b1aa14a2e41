//! The checks that need every file at once.

use super::{Claim, Findings};
use crate::content::Kind;
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
    /// The files that claim each slug, by kind: how many from each origin
    /// (`None`, this site; else the mirrored directory's host).
    slugs: HashMap<Kind, HashMap<String, Owners>>,
    /// Each interest's spellings, by the form compared, with how many
    /// times each is used.
    spellings: HashMap<String, Vec<(String, usize)>>,
}

impl Tally {
    /// Counts a file in.
    pub(super) fn add(&mut self, claim: Option<&Claim>, findings: &Findings) {
        if let Some(claim) = claim {
            let owners = self
                .slugs
                .entry(claim.kind)
                .or_default()
                .entry(claim.slug.clone())
                .or_default();
            let origin = origin_of(claim.file.path());
            match owners.iter_mut().find(|(o, _)| *o == origin) {
                Some((_, count)) => *count += 1,
                None => owners.push((origin, 1)),
            }
        }
        for (interest, key, _) in &findings.interests {
            let forms = self.spellings.entry(key.clone()).or_default();
            match forms.iter_mut().find(|(form, _)| form == interest) {
                Some((_, count)) => *count += 1,
                None => forms.push((interest.clone(), 1)),
            }
        }
    }

    /// Counts a file out, as it was counted in.
    pub(super) fn remove(&mut self, claim: Option<&Claim>, findings: &Findings) {
        if let Some(claim) = claim
            && let Some(slugs) = self.slugs.get_mut(&claim.kind)
            && let Some(owners) = slugs.get_mut(claim.slug.as_str())
        {
            let origin = origin_of(claim.file.path());
            if let Some((_, count)) = owners.iter_mut().find(|(o, _)| *o == origin) {
                *count -= 1;
            }
            owners.retain(|(_, count)| *count > 0);
            if owners.is_empty() {
                slugs.remove(claim.slug.as_str());
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

/// Two entries of one kind with one slug: within `content/` folders that
/// cannot happen, so the clash is between `content/` and `mirror/`, or
/// between two mirrors. The later file is reported, naming the first;
/// `claims` come in path order with `content/` before `mirror/`, so a local
/// entry always keeps its slug.
pub(super) fn duplicate_slugs(claims: &[&Claim]) -> Vec<Diagnostic> {
    let mut first: HashMap<(Kind, &str), &Claim> = HashMap::default();
    let mut diagnostics = Vec::new();
    for &claim in claims {
        match first.get(&(claim.kind, claim.slug.as_str())) {
            None => {
                first.insert((claim.kind, claim.slug.as_str()), claim);
            }
            Some(original) => {
                let hint = if claim.mirrored && !original.mirrored {
                    "a mirrored entry has the slug of a local one, and only one can have the page; rename the local file"
                } else {
                    "two mirrored directories use this slug; stop mirroring one, or ask its publisher to rename it"
                };
                diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateSlug,
                        &claim.file,
                        claim.file.line_span(1),
                        format!(
                            "another {} is also called `{}`: {}",
                            claim.kind.name(),
                            claim.slug,
                            original.file.path().display()
                        ),
                    )
                    .with_hint(hint)
                    .with_related(
                        &original.file,
                        original.file.line_span(1),
                        "the first one",
                    ),
                );
            }
        }
    }
    diagnostics
}

/// References to entries that do not exist, each naming the file that would
/// have to exist.
pub(super) fn references(tally: &Tally, findings: &[&Findings]) -> Vec<Diagnostic> {
    let empty = HashMap::default();
    let mut diagnostics = Vec::new();
    for &Findings {
        file, references, ..
    } in findings
    {
        let from = origin_of(file.path());
        for reference in references {
            let slugs = tally.slugs.get(&reference.kind).unwrap_or(&empty);
            let owners = slugs.get(reference.slug.as_str());
            // A mirrored entry names only entries of its own directory: never
            // this site's, nor a third's, which it could otherwise attach to.
            let named = owners.is_some_and(|owners| {
                from.is_none() || owners.iter().any(|(origin, _)| *origin == from)
            });
            if named {
                continue;
            }
            if let (Some(host), Some(_)) = (&from, owners) {
                diagnostics.push(other_directorys(file, reference, host));
                continue;
            }
            let guess = did_you_mean(&reference.slug, slugs.keys().map(String::as_str));
            if reference.kind == Kind::Profile && from.is_none() {
                diagnostics.push(unlisted_profile(file, reference, guess));
                continue;
            }
            let folder = reference.kind.folder();
            let expected = format!("content/{folder}/{}.md", reference.slug);
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
            diagnostics
                .push(Diagnostic::error(code, file, reference.span, message).with_hint(hint));
        }
    }
    diagnostics
}

/// The files claiming one slug: how many from each origin.
type Owners = Vec<(Option<String>, usize)>;

/// The directory a file comes from: `None` for this site's own (`content/`),
/// the host for `mirror/<host>/…`.
fn origin_of(path: &std::path::Path) -> Option<String> {
    let mut parts = path.iter();
    if parts.next()? != "mirror" {
        return None;
    }
    parts.next().map(|host| host.to_string_lossy().into_owned())
}

/// A mirrored entry naming an entry that exists here, but not among its own
/// directory's: refused (it waits, as for an entry still to come), so that
/// another directory cannot attach its entries to this site's people,
/// organisations or events.
fn other_directorys(file: &Arc<SourceFile>, reference: &Reference, host: &str) -> Diagnostic {
    let kind = reference.kind.name();
    let slug = &reference.slug;
    let what = match reference.from {
        ReferenceFrom::Field(field) => format!("`{field}` names"),
        ReferenceFrom::Link => "this link goes to".to_string(),
    };
    let code = match reference.from {
        ReferenceFrom::Field(_) => Code::UnknownReference,
        ReferenceFrom::Link => Code::BrokenLink,
    };
    Diagnostic::error(
        code,
        file,
        reference.span,
        format!("{what} the {kind} `{slug}`, which {host} has not sent: an entry from another directory names only that directory's entries"),
    )
    .with_hint(format!(
        "this site's own `{slug}` (or another directory's) is not {host}'s to name; the entry waits until {host} sends its `{slug}`"
    ))
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
