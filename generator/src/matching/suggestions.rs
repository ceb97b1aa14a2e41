//! "People you might like to meet": on each profile page, people from other
//! sectors who are open to a buddy or a coffee and have the most in common
//! with the person shown, scored as buddy rounds score a pair.

use std::sync::Arc;

use rayon::prelude::*;

use super::people::{BASE_POINTS, People, TagKind, Ties};

/// How many people are read from one tag's list: a page shows five, so a
/// sample of a few hundred sharers finds good ones at a fraction of the
/// cost of a buddy round's search, on every build.
const SCAN_PER_TAG: usize = 24;
use crate::content::{Directory, Entry, OpenTo, Profile};

/// How many people a profile page suggests.
pub const PER_PROFILE: usize = 5;

/// One person suggested, and why.
///
/// Its texts are shared: read back from what a build kept, the same policy
/// area or place is one string, however many suggestions name it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Suggestion {
    /// Their position in the directory's profiles.
    pub profile: usize,
    /// The policy areas and interests shared, rarest first.
    pub shared: Vec<(TagKind, Arc<str>)>,
    /// The place both work in, if they do.
    pub place: Option<Arc<str>>,
}

/// Each profile's part of [`inputs`] at the last build, beside the entry it
/// was worked out from.
pub type KnownInputs = Vec<(Arc<Entry<Profile>>, u64)>;

/// A number standing for everything suggestions are made from: each
/// profile's slug, origin, organisation, policy areas, interests, place and
/// ways of meeting, and each organisation's sector. Equal numbers, equal
/// suggestions: a save that changes only a biography keeps them.
///
/// A profile's part is taken from `known` when its entry is the one it was
/// worked out from (a file not read again since): reading every profile's
/// fields was most of the cost, on every save. `known` is left holding this
/// build's parts.
pub fn inputs(dir: &Directory, known: &mut KnownInputs) -> u64 {
    use crate::fingerprint::of;
    use std::hash::{Hash, Hasher};
    let parts: KnownInputs = dir
        .profiles
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
            let part = match known.get(i) {
                Some((entry, part)) if Arc::ptr_eq(entry, e) => *part,
                _ => {
                    let p = &e.data;
                    of((
                        (&e.slug, &p.organisation),
                        (&p.policy_areas, &p.interests, &p.location, &p.open_to),
                    ))
                }
            };
            (Arc::clone(e), part)
        })
        .collect();
    let mut h = crate::fingerprint::hasher();
    parts.len().hash(&mut h);
    for (_, part) in &parts {
        part.hash(&mut h);
    }
    for o in &dir.organisations {
        (&o.slug, o.data.sector).hash(&mut h);
    }
    *known = parts;
    h.finish()
}

/// Up to `count` suggestions for every profile of `dir`, by position.
///
/// Someone is suggested only when they share something (a policy area, an
/// interest or a place) with the person shown, so that every suggestion
/// carries its reason.
pub fn suggestions(dir: &Directory, count: usize) -> Vec<Vec<Suggestion>> {
    let people = People::new(dir, |_| true);
    let open: Vec<bool> = people
        .people
        .iter()
        .map(|p| {
            let open_to = &p.entry.data.open_to;
            open_to.contains(&OpenTo::Buddy) || open_to.contains(&OpenTo::Coffee)
        })
        .collect();
    // Each tag's and place's text made once, shared by every suggestion
    // naming it.
    let tags: Vec<Arc<str>> = (0..people.tag_count())
        .map(|t| Arc::from(people.tag(t as u32).slug.as_str()))
        .collect();
    let places: Vec<Arc<str>> = people
        .place_names()
        .iter()
        .map(|p| Arc::from(p.as_str()))
        .collect();
    // Searched in ring order: at 300,000 profiles, in the order of their
    // ids, each search's reads missed the cache and took twice as long.
    let mut best: Vec<(usize, Box<[u32]>)> = people
        .in_ring_order()
        .par_iter()
        .map(|&a| {
            let a = a as usize;
            let found = people
                .best_for(a, count, SCAN_PER_TAG, Ties::ByName, |b| {
                    open[b] && people.cross_sector(a, b)
                })
                .into_iter()
                // Those filled in from everyone share nothing: no reason to give.
                .filter(|&(_, points)| points > BASE_POINTS)
                .map(|(b, _)| b as u32)
                // Only the people found are kept until every search is
                // done: the list searched holds every candidate weighed.
                .collect();
            (a, found)
        })
        .collect();
    // The suggestions themselves are made in the profiles' order, each
    // profile's beside the next, as the pages and the state read them:
    // made in ring order, they lay scattered, and reading them cost more
    // than searching in ring order saved.
    best.sort_unstable_by_key(|&(a, _)| people.people[a].profile);
    let by_person: Vec<(usize, Vec<Suggestion>)> = best
        .into_par_iter()
        .map(|(a, found)| {
            let made = found
                .iter()
                .map(|&b| {
                    let b = b as usize;
                    let common = people.common(a, b);
                    Suggestion {
                        profile: people.people[b].profile,
                        shared: common
                            .tags
                            .iter()
                            .map(|&t| (people.tag(t).kind, Arc::clone(&tags[t as usize])))
                            .collect(),
                        place: common.same_place.then(|| match people.place_number(a) {
                            Some(p) => Arc::clone(&places[p as usize]),
                            None => Arc::from(""),
                        }),
                    }
                })
                .collect();
            (people.people[a].profile, made)
        })
        .collect();
    let mut all = vec![Vec::new(); dir.profiles.len()];
    for (profile, found) in by_person {
        all[profile] = found;
    }
    all
}
