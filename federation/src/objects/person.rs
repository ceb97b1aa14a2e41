//! A profile as a `Person` actor, at its page's address, with the fields
//! Mastodon shows on a profile.

use generator::Entry;
use generator::Kind;
use generator::content::{Directory, Profile};
use generator::git_dates::Dates;

use super::property;
use crate::protocol::{Actor, ActorKind, Image};
use crate::store::Keys;

/// Whether a profile may leave the instance as an actor: public, local and
/// not kept back with `federate: false`.
pub fn federates(entry: &Entry<Profile>) -> bool {
    entry.data.federates() && !entry.origin.is_mirror()
}

/// The `Person` of a profile, first published and last changed at `dates`.
pub fn person(directory: &Directory, entry: &Entry<Profile>, keys: &Keys, dates: Dates) -> Actor {
    let p = &entry.data;
    let id = directory.site.entry_id(Kind::Profile, &entry.slug);
    let organisation = directory.organisation(&p.organisation);
    let mut attachment = vec![property("Role", &p.role)];
    if let Some(o) = organisation {
        attachment.push(property("Organisation", &o.data.name));
        attachment.push(property("Sector", o.data.sector.label()));
    }
    if !p.policy_areas.is_empty() {
        let areas: Vec<&str> = p
            .policy_areas
            .iter()
            .map(|a| directory.site.vocabulary.policy_area_label(a).unwrap_or(a))
            .collect();
        attachment.push(property("Policy areas", &areas.join(", ")));
    }
    if !p.open_to.is_empty() {
        let open: Vec<&str> = p.open_to.iter().map(|o| o.label()).collect();
        attachment.push(property("Open to", &open.join(", ")));
    }
    let summary = super::body_html(directory, entry);
    let icon = p.photo.as_deref().map(|photo| Image {
        kind: activitypub_federation::kinds::object::ImageType::Image,
        url: super::fields::file_url(directory, photo),
    });
    let mut person = super::actor(
        ActorKind::Person,
        id,
        entry.slug.clone(),
        p.name.clone(),
        keys,
    );
    person.summary = summary;
    person.attachment = attachment;
    person.icon = icon;
    person.published = Some(super::dates::xsd(dates.published));
    person.updated = Some(super::dates::xsd(dates.updated));
    person
}
