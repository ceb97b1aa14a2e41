//! The JSON-LD contexts of what this server serves and sends: every term
//! its documents use, defined once.
//!
//! ActivityStreams and the security vocabulary (for `publicKey`) are named
//! by URL: every processor knows them, most without fetching. Every other
//! term is in the project's context, `federation/context.jsonld` (described
//! in `docs/federation.md`), compiled in so that what is served and what
//! the repository holds cannot differ. Its own terms are under one
//! namespace for every instance, `https://w3id.org/interchange#` (a
//! permanent identifier, independent of any host); the terms Mobilizon,
//! Mastodon and schema.org already name keep their IRIs there, so that a
//! peer reads an event's address, booking link and status as it reads
//! Mobilizon's.

use std::sync::LazyLock;

use serde_json::{Map, Value};

/// The project's JSON-LD context document, as in the repository.
pub const CONTEXT_DOCUMENT: &str = include_str!("../../context.jsonld");

/// The ActivityStreams context, which every activity names.
pub const ACTIVITY_STREAMS: &str = "https://www.w3.org/ns/activitystreams";

/// The security vocabulary's context, for an actor's `publicKey`.
pub const SECURITY: &str = "https://w3id.org/security/v1";

/// The term definitions of the project's context (its `@context` object).
/// The file is part of the program, and a test reads it: an empty object
/// stands for it only if it were not JSON.
static TERMS: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str::<Value>(CONTEXT_DOCUMENT)
        .ok()
        .and_then(|mut document| document.get_mut("@context").map(Value::take))
        .unwrap_or_else(|| Value::Object(Map::new()))
});

/// The contexts of every actor and object: ActivityStreams, the security
/// vocabulary, and the project's terms given inline. Inline rather than by
/// the address of the copy each instance serves: many processors load only
/// the contexts they ship with (the two named here are among them) and will
/// not fetch another, and one that would still needs this server up and
/// reachable to read a document it already holds.
pub fn contexts() -> Value {
    Value::Array(vec![
        Value::String(ACTIVITY_STREAMS.to_string()),
        Value::String(SECURITY.to_string()),
        TERMS.clone(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_context_document_defines_the_projects_terms_under_one_namespace() {
        let document: Value =
            serde_json::from_str(CONTEXT_DOCUMENT).expect("context.jsonld is JSON");
        let terms = document["@context"]
            .as_object()
            .expect("its @context is an object");
        assert_eq!(terms["ix"], "https://w3id.org/interchange#");
        assert_eq!(&TERMS.as_object().expect("the terms"), &terms);
        // Each of the project's terms is under the namespace, never under
        // an instance's address.
        for name in [
            "entries",
            "entryKind",
            "fields",
            "opens",
            "closes",
            "askKind",
        ] {
            let definition = &terms[name];
            let id = definition
                .get("@id")
                .unwrap_or(definition)
                .as_str()
                .unwrap_or_else(|| panic!("{name} is defined"));
            assert_eq!(id, format!("ix:{name}"));
        }
        // Mobilizon's terms, at Mobilizon's IRIs.
        assert_eq!(terms["mz"], "https://joinmobilizon.org/ns#");
        assert_eq!(terms["ical"], "http://www.w3.org/2002/12/cal/ical#");
        assert_eq!(terms["joinMode"]["@id"], "mz:joinMode");
        assert_eq!(terms["streetAddress"], "schema:streetAddress");
    }
}
