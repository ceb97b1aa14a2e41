//! An entry's own terms, carried beside the ActivityStreams fields of the
//! document it is published as, so that a directory mirroring another
//! writes back the same Markdown file (the project's context defines them:
//! see `context`).

use activitypub_federation::protocol::helpers::deserialize_skip_error;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

/// The terms an entry is published with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryTerms {
    /// The folder of its kind: `profiles`, `events`, …
    pub entry_kind: String,
    /// Its front matter as written, as JSON, with what only makes sense on
    /// the site it came from made absolute.
    pub fields: Map<String, Value>,
    /// Its Markdown.
    pub source: Source,
    /// The organisation it belongs to, in the same form, for the mirror to
    /// write beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_entry: Option<Box<OrganisationEntry>>,
}

/// The organisation an entry belongs to: its terms and its address.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrganisationEntry {
    /// Its terms.
    #[serde(flatten)]
    pub terms: EntryTerms,
    /// Its page's address (written after its terms, where it always was:
    /// the fingerprints of what was published depend on the order).
    pub id: String,
}

/// An entry's source, as ActivityStreams' `source` carries it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// The text.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub content: Option<String>,
    /// Its media type: [`MARKDOWN`](super::MARKDOWN) for an entry's.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub media_type: Option<String>,
}

/// A document received from another directory, as the mirror reads it:
/// its id, its terms if it is an Interchange entry, and its text. Every
/// field may be missing or of another shape.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryDocument {
    /// Its id.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub id: Option<Url>,
    /// The folder of its kind.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub entry_kind: Option<String>,
    /// Its front matter, as given (whatever its shape: that it is given
    /// at all makes the document an entry rather than a reference).
    #[serde(default, deserialize_with = "super::present")]
    pub fields: Option<Value>,
    /// Its source.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub source: Option<Source>,
    /// Its text in HTML.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub content: Option<String>,
    /// Its summary.
    #[serde(default, deserialize_with = "deserialize_skip_error")]
    pub summary: Option<String>,
    /// The organisation it belongs to, as given.
    #[serde(default, deserialize_with = "super::present")]
    pub organisation_entry: Option<Value>,
}

impl EntryDocument {
    /// Reads a document; what is not an object has no fields.
    pub fn read(json: &Value) -> Self {
        super::fields_of(json)
    }

    /// Its front matter, if given as an object.
    pub fn fields(&self) -> Option<&Map<String, Value>> {
        self.fields.as_ref().and_then(Value::as_object)
    }

    /// The organisation it belongs to, if given.
    pub fn organisation(&self) -> Option<Self> {
        self.organisation_entry.as_ref().map(Self::read)
    }

    /// Its text: its source when that is Markdown, else its HTML or summary.
    pub fn text(&self) -> Option<&str> {
        if let Some(source) = &self.source
            && source.media_type.as_deref() == Some(super::MARKDOWN)
            && let Some(content) = &source.content
        {
            return Some(content);
        }
        self.content.as_deref().or(self.summary.as_deref())
    }
}

/// Adds `terms` to `document`, whose contexts define them.
pub fn add_terms(document: &mut Value, terms: EntryTerms) {
    if let Value::Object(object) = document
        && let Ok(Value::Object(terms)) = serde_json::to_value(terms)
    {
        object.extend(terms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_entry_from_an_instance_of_the_previous_version_reads_as_one_of_this() {
        let body = json!({
            "type": "Page",
            "id": "https://a.example.gov.uk/asks/mentor-wanted/",
            "askKind": "mentor",
            "entryKind": "asks",
            "fields": { "title": "A mentor", "kind": "mentor", "by": "priya-shah", "closes": "2027-06-30" },
            "source": { "content": "Someone.\n", "mediaType": "text/markdown" },
        });
        let with = |context: Value, closes: &str| {
            let mut document = body.clone();
            document["@context"] = context;
            document["closes"] = json!(closes);
            document
        };
        // Terms under the instance's own address, a bare date, as the
        // previous version sent them; and as this one does.
        let previous = EntryDocument::read(&with(
            json!([
                "https://www.w3.org/ns/activitystreams",
                "https://a.example.gov.uk/ns/interchange"
            ]),
            "2027-06-30",
        ));
        let current = EntryDocument::read(&with(
            json!([
                "https://www.w3.org/ns/activitystreams",
                "https://w3id.org/security/v1",
                { "ix": "https://w3id.org/interchange#" }
            ]),
            "2027-06-30T23:59:59+01:00",
        ));
        for document in [&previous, &current] {
            assert_eq!(document.entry_kind.as_deref(), Some("asks"));
            assert_eq!(
                document.fields().and_then(|f| f.get("closes")),
                Some(&json!("2027-06-30"))
            );
            assert_eq!(document.text(), Some("Someone.\n"));
        }
        assert_eq!(previous.id, current.id);
    }
}
