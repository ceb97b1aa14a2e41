//! A profile as a `Person` actor, at its page's address, with the fields
//! Mastodon shows on a profile.

use generator::Entry;
use generator::content::{Directory, Profile};
use serde::Serialize;

use super::{PropertyValue, PublicKey, context};
use crate::store::Keys;

/// A `Person`, ready to serialise.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    /// The JSON-LD contexts.
    #[serde(rename = "@context")]
    pub context: serde_json::Value,
    /// Always `Person`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The profile page's address.
    pub id: String,
    /// The slug: `@slug@host`.
    pub preferred_username: String,
    /// The name.
    pub name: String,
    /// The bio, as the page shows it.
    pub summary: String,
    /// The page.
    pub url: String,
    /// Where activities for the person are sent.
    pub inbox: String,
    /// What the person has published.
    pub outbox: String,
    /// Who follows them.
    pub followers: String,
    /// Role, organisation, sector, policy areas, what they are open to.
    pub attachment: Vec<PropertyValue>,
    /// The photo, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon: Option<serde_json::Value>,
    /// Whether directories and search may list them: a profile is published
    /// to be found.
    pub discoverable: bool,
    /// Follows are accepted by the site, not one by one.
    pub manually_approves_followers: bool,
    /// The key that signs what they send.
    pub public_key: PublicKey,
}

/// The address of a profile's page, which is its actor id.
pub fn id(directory: &Directory, slug: &str) -> String {
    directory.site.absolute(&format!("/profiles/{slug}/"))
}

/// Whether a profile may leave the instance as an actor: public, local and
/// not kept back with `federate: false`.
pub fn federates(entry: &Entry<Profile>) -> bool {
    entry.data.federates() && !entry.origin.is_mirror()
}

/// The `Person` of a profile.
pub fn person(directory: &Directory, entry: &Entry<Profile>, keys: &Keys) -> Person {
    let p = &entry.data;
    let id = id(directory, &entry.slug);
    let organisation = directory.organisation(&p.organisation);
    let mut attachment = vec![PropertyValue::text("Role", &p.role)];
    if let Some(o) = organisation {
        attachment.push(PropertyValue::text("Organisation", &o.data.name));
        attachment.push(PropertyValue::text("Sector", o.data.sector.label()));
    }
    if !p.policy_areas.is_empty() {
        let areas: Vec<&str> = p
            .policy_areas
            .iter()
            .map(|a| directory.site.vocabulary.policy_area_label(a).unwrap_or(a))
            .collect();
        attachment.push(PropertyValue::text("Policy areas", &areas.join(", ")));
    }
    if !p.open_to.is_empty() {
        let open: Vec<&str> = p.open_to.iter().map(|o| o.label()).collect();
        attachment.push(PropertyValue::text("Open to", &open.join(", ")));
    }
    let summary = super::body_html(directory, entry);
    let icon = p.photo.as_deref().map(|photo| {
        let url = if photo.starts_with("https://") || photo.starts_with("http://") {
            photo.to_string()
        } else {
            directory
                .site
                .absolute(&format!("/{}", photo.trim_start_matches('/')))
        };
        serde_json::json!({ "type": "Image", "url": url })
    });
    Person {
        context: context(),
        kind: "Person",
        preferred_username: entry.slug.clone(),
        name: p.name.clone(),
        summary,
        url: id.clone(),
        inbox: format!("{id}inbox"),
        outbox: format!("{id}outbox"),
        followers: format!("{id}followers"),
        attachment,
        icon,
        discoverable: true,
        manually_approves_followers: false,
        public_key: PublicKey {
            id: format!("{id}#main-key"),
            owner: id.clone(),
            public_key_pem: keys.public_pem.clone(),
        },
        id,
    }
}
