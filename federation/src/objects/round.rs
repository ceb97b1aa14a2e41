//! A round this site made, as the `Page` it publishes (see
//! [`crate::protocol::RoundPage`]).

use activitypub_federation::kinds::object::PageType;
use generator::content::Profile;
use generator::content::{Directory, Origin, Round};
use generator::{Entry, Kind};

use super::{dates, organisation, person};
use crate::protocol::{Group, PUBLIC, ROUNDS, RoundPage, Swap, contexts};

/// The actor id of the person `key` names here, if they may be named to
/// other servers: a profile of this site that federates, or one mirrored
/// from another directory, by its address there.
fn actor_of(directory: &Directory, key: &str) -> Option<String> {
    let entry: &Entry<Profile> = directory.profile(key)?;
    match &entry.origin {
        Origin::Mirror { url, .. } => Some(url.to_string()),
        Origin::Local => {
            person::federates(entry).then(|| directory.site.entry_id(Kind::Profile, &entry.slug))
        }
    }
}

/// The document of `round`, one of this site's, published at `path`.
pub fn round_page(directory: &Directory, round: &Round, path: &str) -> RoundPage {
    let id = directory.site.absolute(path);
    let programme = round
        .programme
        .as_deref()
        .and_then(|slug| directory.programme(slug));
    let month = round.month.name();
    let (name, url) = match programme {
        Some(p) => (
            format!("{}: {month}", p.data.name),
            directory.site.entry_id(Kind::Programme, &p.slug),
        ),
        None => (
            format!("{}: buddy round, {month}", directory.site.title),
            organisation::id(directory),
        ),
    };
    let named = |keys: &[String]| -> Vec<String> {
        keys.iter()
            .filter_map(|key| actor_of(directory, key))
            .collect()
    };
    // A group is published with the people who may be named; one of whom
    // nobody may be is left out.
    let groups: Vec<Group> = round
        .groups
        .iter()
        .map(|g| Group { members: named(g) })
        .filter(|g| !g.members.is_empty())
        .collect();
    let swaps: Vec<Swap> = round
        .swaps
        .iter()
        .map(|c| Swap { cycle: named(c) })
        .filter(|s| !s.cycle.is_empty())
        .collect();
    let published = dates::xsd(round.made_at());
    RoundPage {
        context: contexts(),
        kind: PageType::Page,
        id,
        url,
        summary: counted(&groups, &swaps),
        content: content(directory, round),
        name,
        attributed_to: organisation::id(directory),
        to: vec![PUBLIC.to_string()],
        updated: published.clone(),
        published,
        entry_kind: ROUNDS.to_string(),
        round_of: programme.map(|p| directory.site.entry_id(Kind::Programme, &p.slug)),
        round_month: round.month.to_string(),
        groups,
        swaps,
    }
}

/// "3 groups and 1 job swap".
fn counted(groups: &[Group], swaps: &[Swap]) -> String {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    match (groups.len(), swaps.len()) {
        (g, 0) => plural(g, "buddy group", "buddy groups"),
        (0, s) => plural(s, "job swap", "job swaps"),
        (g, s) => format!(
            "{} and {}",
            plural(g, "buddy group", "buddy groups"),
            plural(s, "job swap", "job swaps")
        ),
    }
}

/// The round's groups and swaps by name, linked to the people's pages, as
/// HTML for servers that show only a page's text.
fn content(directory: &Directory, round: &Round) -> String {
    let names = |keys: &[String]| -> Vec<String> {
        keys.iter()
            .filter_map(|key| {
                let url = actor_of(directory, key)?;
                let entry = directory.profile(key)?;
                Some(format!(
                    "<a href=\"{}\">{}</a>",
                    generator::escape::markup(&url),
                    generator::escape::markup(&entry.data.name)
                ))
            })
            .collect()
    };
    let mut html = String::new();
    for (items, joiner) in [(&round.groups, " and "), (&round.swaps, " → ")] {
        let lines: Vec<String> = items
            .iter()
            .map(|keys| names(keys))
            .filter(|n| !n.is_empty())
            .map(|n| format!("<li>{}</li>", n.join(joiner)))
            .collect();
        if !lines.is_empty() {
            html.push_str("<ul>");
            html.push_str(&lines.concat());
            html.push_str("</ul>");
        }
    }
    html
}
