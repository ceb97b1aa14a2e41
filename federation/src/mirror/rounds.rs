//! Rounds received from another directory, kept as round files under
//! `mirror/<host>/rounds/` in the format `interchange match` writes, so
//! that the site reads them as it reads its own: with people named as their
//! directory names them (`priya-shah` for one of its own, `host/slug` for
//! anyone else's), which the loader turns into this site's keys.
//!
//! A round is taken only as its directory's: its address, its programme's
//! and the month are checked against each other, and a person is kept only
//! if their address is a profile's on an Interchange directory. Whom it may
//! count is the loader's to say (a programme's round names only people who
//! joined it).

use std::path::{Path, PathBuf};

use generator::content::round::{self, CycleRecord, FOLDER, FlowSeq, Month, PairRecord, RoundFile};
use generator::{Kind, content::mirrored_key};
use url::Url;

use super::Folder;
use crate::address::authority;
use crate::error::FederationError;
use crate::protocol::RoundDocument;

/// Where the round `id` is mirrored, relative to the site folder:
/// `mirror/<host>/rounds/[<programme>/]<yyyy-mm>.yaml`, if `id` is a
/// round's address.
pub fn file_of(id: &Url) -> Option<PathBuf> {
    let host = authority(id)?;
    let (programme, month) = round::at_path(id.path())?;
    let mut path = Path::new("mirror").join(host).join(FOLDER);
    if let Some(slug) = programme {
        path.push(slug);
    }
    Some(path.join(format!("{month}.yaml")))
}

/// Writes a received round's file. Its path if it was written; none if the
/// document is not a round of its own directory's, nothing changed, or its
/// directory has sent all this site keeps.
pub(super) fn write(
    folder: &Folder<'_>,
    document: &RoundDocument,
) -> Result<Option<PathBuf>, FederationError> {
    let Some(file) = round_file(document) else {
        return Ok(None);
    };
    let Some(id) = &document.id else {
        return Ok(None);
    };
    let Some(relative) = file_of(id) else {
        return Ok(None);
    };
    let host = authority(id).unwrap_or_default();
    let header = format!("Published by {host}; kept here by the federation server. Do not edit.");
    let text = round::text(&file, &header, &relative).map_err(|e| FederationError::Mirror {
        path: relative.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    folder.write_text(id, &relative, &text)
}

/// The round file of a received round, if it is one of its own
/// directory's: its programme on its host, its month that of its address.
fn round_file(document: &RoundDocument) -> Option<RoundFile> {
    let id = document.id.as_ref()?;
    let host = authority(id)?;
    let (programme, month) = round::at_path(id.path())?;
    if document.round_month.as_deref() != Some(month.to_string().as_str()) {
        return None;
    }
    let said = document
        .round_of
        .as_ref()
        .map(|url| (authority(url), url.path().to_string()));
    let expected = programme.map(|slug| (Some(host.clone()), Kind::Programme.url(slug)));
    if said != expected {
        return None;
    }
    let made = document
        .published
        .as_deref()
        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
        .map(|t| t.to_string());
    let people = |urls: &[Url]| -> Vec<String> {
        urls.iter()
            .filter_map(|url| written_key(url, &host))
            .collect()
    };
    Some(RoundFile {
        month: month.to_string(),
        made,
        origin: Some(id.to_string()),
        buddies: document
            .groups
            .iter()
            .map(|g| people(&g.members))
            .filter(|members| !members.is_empty())
            .map(|members| PairRecord {
                pair: FlowSeq(members),
                weight: 0.0,
                reasons: FlowSeq(Vec::new()),
                place: None,
            })
            .collect(),
        swaps: document
            .swaps
            .iter()
            .map(|s| people(&s.cycle))
            .filter(|cycle| !cycle.is_empty())
            .map(|cycle| CycleRecord {
                cycle: FlowSeq(cycle),
                fit: 0,
            })
            .collect(),
        ..RoundFile::default()
    })
}

/// The person at the profile address `url`, as the directory at `host`
/// names them: its own by slug, anyone else's by host and slug. None for
/// an address that is not a profile's.
fn written_key(url: &Url, host: &str) -> Option<String> {
    let of = authority(url)?;
    let (kind, slug) = Kind::entry_at(url.path())?;
    if kind != Kind::Profile || slug.contains('/') {
        return None;
    }
    Some(if of == host {
        slug.to_string()
    } else {
        mirrored_key(&of, slug)
    })
}

/// Removes the round files under a followed directory's `folder`
/// (`mirror/<host>`) that are not `listed`. Their paths.
pub(super) fn remove_unlisted(
    folder: &Path,
    listed: &std::collections::HashSet<PathBuf>,
) -> Result<Vec<PathBuf>, FederationError> {
    let mut removed = Vec::new();
    let files = walkdir::WalkDir::new(folder.join(FOLDER))
        .max_depth(2)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".yaml"))
                .is_some_and(|stem| stem.parse::<Month>().is_ok())
        });
    for file in files {
        if !listed.contains(&file) {
            generator::files::remove_durably(&file).map_err(|source| FederationError::Mirror {
                path: file.clone(),
                source,
            })?;
            removed.push(file);
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document(round_of: serde_json::Value, month: &str) -> RoundDocument {
        RoundDocument::read(&json!({
            "type": "Page",
            "id": "https://a.example.gov.uk/programmes/graduates/rounds/2027-01/",
            "entryKind": "rounds",
            "roundOf": round_of,
            "roundMonth": month,
            "published": "2027-01-02T09:00:00Z",
            "groups": [
                { "members": [
                    "https://a.example.gov.uk/profiles/ana/",
                    "https://b.example.gov.uk/profiles/bea/",
                    "https://mastodon.example/users/cat",
                ] },
            ],
            "swaps": [],
        }))
        .expect("a round")
    }

    #[test]
    fn a_round_is_written_with_people_as_its_directory_names_them() {
        let file = round_file(&document(
            json!("https://a.example.gov.uk/programmes/graduates/"),
            "2027-01",
        ))
        .expect("its own directory's round");
        assert_eq!(file.month, "2027-01");
        assert_eq!(file.made.as_deref(), Some("2027-01-02T09:00:00Z"));
        assert_eq!(file.buddies[0].pair.0, ["ana", "b.example.gov.uk/bea"]);
        assert_eq!(
            file_of(
                &Url::parse("https://a.example.gov.uk/programmes/graduates/rounds/2027-01/")
                    .expect("a URL")
            ),
            Some(PathBuf::from(
                "mirror/a.example.gov.uk/rounds/graduates/2027-01.yaml"
            ))
        );
    }

    #[test]
    fn a_round_of_another_directorys_programme_or_month_is_refused() {
        for (round_of, month) in [
            (
                json!("https://b.example.gov.uk/programmes/graduates/"),
                "2027-01",
            ),
            (
                json!("https://a.example.gov.uk/programmes/other/"),
                "2027-01",
            ),
            (json!(null), "2027-01"),
            (
                json!("https://a.example.gov.uk/programmes/graduates/"),
                "2027-02",
            ),
        ] {
            assert!(
                round_file(&document(round_of.clone(), month)).is_none(),
                "{round_of} {month}"
            );
        }
    }
}
