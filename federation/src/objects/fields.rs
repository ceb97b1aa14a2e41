//! An entry's own fields, carried beside the ActivityStreams ones so that a
//! directory mirroring another writes back the same Markdown file.
//!
//! Mastodon reads a profile's `name`, `summary` and `attachment`; another
//! Interchange instance reads these terms instead:
//!
//! - `entryKind`: the folder of its kind (`profiles`, `events`, …);
//! - `fields`: its front matter as written, as JSON, with what only makes
//!   sense on the site it came from made absolute (local times given their
//!   offset, a photo its address, a default organisation named);
//! - `source`: its Markdown, as ActivityStreams' `source` carries it;
//! - `organisationEntry`: the organisation it belongs to, in the same form,
//!   for the mirror to write beside it.

use generator::content::{Directory, Organisation};
use generator::{Entry, Kind};
use serde_json::{Map, Value, json};

use crate::protocol::{EntryTerms, MARKDOWN, OrganisationEntry, Source};

/// Where an instance serves the project's JSON-LD context (whose terms
/// are under one namespace for every instance, not under this address).
pub const CONTEXT_PATH: &str = "/ns/interchange";

/// An entry's front matter as written, and the organisation it belongs to:
/// read once for a document, which needs both.
pub struct Written<'a> {
    /// Its front matter, as JSON.
    pub fields: Map<String, Value>,
    /// The organisation it belongs to, if the site has it.
    pub organisation: Option<&'a Entry<Organisation>>,
}

/// What `entry`, of `kind`, says as written.
pub fn written<'a, T>(directory: &'a Directory, kind: Kind, entry: &Entry<T>) -> Written<'a> {
    let fields = front_matter(entry);
    let organisation = if kind == Kind::Organisation {
        None
    } else {
        fields
            .get("organisation")
            .and_then(Value::as_str)
            .or_else(|| {
                // Events and consultations that name none are the site's own.
                matches!(kind, Kind::Event | Kind::Consultation)
                    .then(|| directory.site.organisations.first().map(String::as_str))
                    .flatten()
            })
            .and_then(|slug| directory.organisation(slug))
    };
    Written {
        fields,
        organisation,
    }
}

/// The terms of `entry`, of `kind`, as `written`, with `adjust` applied to
/// its fields.
pub fn terms<T>(
    directory: &Directory,
    kind: Kind,
    entry: &Entry<T>,
    written: Written<'_>,
    adjust: impl FnOnce(&mut Map<String, Value>),
) -> EntryTerms {
    let mut fields = written.fields;
    fields.remove("origin");
    adjust(&mut fields);
    EntryTerms {
        entry_kind: kind.folder().to_string(),
        fields,
        source: Source {
            content: Some(entry.body().to_string()),
            media_type: Some(MARKDOWN.to_string()),
        },
        organisation_entry: written
            .organisation
            .map(|organisation| Box::new(organisation_terms(directory, organisation))),
    }
}

/// Adds `terms` to a document (whose contexts define them).
pub fn add_to(document: &mut Value, terms: EntryTerms) {
    crate::protocol::add_terms(document, terms);
}

/// An organisation, as terms with its id.
fn organisation_terms(
    directory: &Directory,
    organisation: &Entry<Organisation>,
) -> OrganisationEntry {
    let written = written(directory, Kind::Organisation, organisation);
    let terms = terms(
        directory,
        Kind::Organisation,
        organisation,
        written,
        |fields| {
            absolute_file(directory, fields, "logo");
        },
    );
    OrganisationEntry {
        id: directory
            .site
            .entry_id(Kind::Organisation, &organisation.slug),
        terms,
    }
}

/// The front matter of an entry's file, as JSON.
fn front_matter<T>(entry: &Entry<T>) -> Map<String, Value> {
    generator::load::fields_as_written(&entry.file)
}

/// Replaces the file named at `field` (under `static/`) by its address.
pub fn absolute_file(directory: &Directory, fields: &mut Map<String, Value>, field: &str) {
    if let Some(Value::String(file)) = fields.get_mut(field) {
        *file = file_url(directory, file);
    }
}

/// The address of a file under `static/`, or the URL as it is.
pub fn file_url(directory: &Directory, file: &str) -> String {
    if generator::content::is_remote_file(file) {
        file.to_string()
    } else {
        directory
            .site
            .absolute(&format!("/{}", file.trim_start_matches('/')))
    }
}

/// A moment as a mirror reads it anywhere: with its offset, to the minute.
pub fn moment(zoned: &jiff::Zoned) -> Value {
    Value::String(zoned.strftime("%Y-%m-%dT%H:%M%:z").to_string())
}

/// Sets `field` to the profile the entry names as the directory holds it,
/// or removes it: a profile not listed (removed, internal, kept from
/// federation's public view) was cleared from the entry, and its slug must
/// not travel in the fields as written either. Nor does a guest's mirrored
/// from another directory: that profile is not this site's to publish, and a
/// mirror reads the slugs it is sent as this site's.
pub fn profile_named(fields: &mut Map<String, Value>, field: &str, slug: Option<&str>) {
    match slug.filter(|slug| generator::content::origin_host(slug).is_none()) {
        Some(slug) => {
            fields.insert(field.into(), json!(slug));
        }
        None => {
            fields.remove(field);
        }
    }
}

/// Sets `field` to the site's first organisation if the entry names none.
pub fn default_organisation(directory: &Directory, fields: &mut Map<String, Value>) {
    if !fields.contains_key("organisation")
        && let Some(first) = directory.site.organisations.first()
    {
        fields.insert("organisation".into(), json!(first));
    }
}
