//! The site as an `Organization` actor at its home page: the actor other
//! directories follow, `acct:{handle}@{host}`.

use generator::content::Directory;
use generator::git_dates::GitDates;

use crate::protocol::{Actor, ActorKind, Image};
use crate::store::Keys;

/// The site actor's id: the home page.
pub fn id(directory: &Directory) -> String {
    directory.site.absolute("/")
}

/// The site's `Organization`. It shows its organisation (the site's
/// first), and is dated as that organisation's entry: the site has no date
/// of its own.
pub fn organization(directory: &Directory, keys: &Keys, history: &GitDates) -> Actor {
    let handle = directory
        .site
        .federation
        .as_ref()
        .map_or_else(String::new, |f| f.handle.clone());
    let mut site = super::actor(
        ActorKind::Organization,
        id(directory),
        handle,
        directory.site.title.clone(),
        keys,
    );
    site.entries = Some(super::collection::entries_id(directory));
    // What Mastodon shows of an account: the organisation's logo as its
    // picture, its website and sector as profile fields.
    if let Some(organisation) = directory
        .site
        .organisations
        .first()
        .and_then(|slug| directory.organisation(slug))
    {
        let o = &organisation.data;
        site.icon = o.logo.as_deref().map(|logo| Image {
            kind: activitypub_federation::kinds::object::ImageType::Image,
            url: super::fields::file_url(directory, logo),
        });
        if let Some(website) = &o.website {
            site.attachment
                .push(super::link_property("Website", website));
        }
        site.attachment
            .push(super::property("Sector", o.sector.label()));
        let dates = history.dates(organisation, &directory.site.time_zone());
        site.published = Some(super::dates::xsd(dates.published));
        site.updated = Some(super::dates::xsd(dates.updated));
    }
    site.summary = format!(
        "{} public servants open to meeting people from other sectors.",
        directory
            .profiles
            .iter()
            .filter(|p| super::person::federates(p))
            .count()
    );
    site
}
