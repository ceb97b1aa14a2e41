//! "People you might like to meet": on each profile page, people from other
//! sectors who are open to a buddy or a coffee and have the most in common
//! with the person shown, scored as buddy rounds score a pair.

use rayon::prelude::*;

use super::people::{People, TagKind};
use crate::content::{Directory, OpenTo};

/// How many people a profile page suggests.
pub const PER_PROFILE: usize = 5;

/// One person suggested, and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Suggestion {
    /// Their position in the directory's profiles.
    pub profile: usize,
    /// The policy areas and interests shared, rarest first.
    pub shared: Vec<(TagKind, String)>,
    /// The place both work in, if they do.
    pub place: Option<String>,
}

/// Up to `count` suggestions for every profile of `dir`, by position.
///
/// Someone is suggested only when they share something (a policy area, an
/// interest or a place) with the person shown, so that every suggestion
/// carries its reason.
pub fn suggestions(dir: &Directory, count: usize) -> Vec<Vec<Suggestion>> {
    let people = People::new(dir, |_| true);
    let open = |i: usize| {
        let p = &people.people[i].entry.data;
        p.open_to.contains(&OpenTo::Buddy) || p.open_to.contains(&OpenTo::Coffee)
    };
    let mut by_person: Vec<(usize, Vec<Suggestion>)> = (0..people.len())
        .into_par_iter()
        .map(|a| {
            let found = people
                .best_for(a, count, |b| {
                    open(b)
                        && people.cross_sector(a, b)
                        && people.points(a, b) > super::people::BASE_POINTS
                })
                .into_iter()
                .map(|(b, _)| {
                    let common = people.common(a, b);
                    Suggestion {
                        profile: people.people[b].profile,
                        shared: common
                            .tags
                            .iter()
                            .map(|&t| {
                                let tag = people.tag(t);
                                (tag.kind, tag.slug.clone())
                            })
                            .collect(),
                        place: common
                            .same_place
                            .then(|| people.place(a).unwrap_or("").to_string()),
                    }
                })
                .collect();
            (people.people[a].profile, found)
        })
        .collect();
    by_person.sort_unstable_by_key(|(profile, _)| *profile);
    let mut all = vec![Vec::new(); dir.profiles.len()];
    for (profile, found) in by_person {
        all[profile] = found;
    }
    all
}
