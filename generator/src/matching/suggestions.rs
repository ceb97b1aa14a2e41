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

/// Every profile's suggestions, in the order of the directory's profiles.
///
/// Flat: a national directory's are a million, each naming a few policy
/// areas and interests. Held as a million lists, each with its own list of
/// texts, they raised a build's peak memory at 200,000 profiles by some
/// 85 MiB (145 MiB after one edit, which reads them back), and reading them
/// back was 6 % of that build's work; as a few arrays they are kept and
/// read back as they are. Each text (a tag's slug, a place's name) is held
/// once, and named by its number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suggestions {
    /// Each text named, once.
    texts: Vec<Box<str>>,
    /// Where each profile's suggestions begin in `made`; one more than
    /// there are profiles, the last where the last profile's end.
    starts: Vec<u32>,
    /// Every suggestion, each profile's together.
    made: Vec<Made>,
    /// The tags each suggestion names, as their kind and text's number.
    shared: Vec<(TagKind, u32)>,
}

/// One suggestion, as [`Suggestions`] holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Made {
    /// The position in the directory's profiles of the person suggested.
    profile: u32,
    /// Where its tags begin in `shared`, and how many there are.
    shared: (u32, u32),
    /// The number of the place's text, if both work there.
    place: Option<u32>,
}

/// One person suggested, and why: a view into [`Suggestions`].
#[derive(Debug, Clone, Copy)]
pub struct Suggestion<'a> {
    /// Their position in the directory's profiles.
    pub profile: usize,
    shared: &'a [(TagKind, u32)],
    place: Option<u32>,
    texts: &'a [Box<str>],
}

impl<'a> Suggestion<'a> {
    /// The policy areas and interests shared, rarest first: each its kind
    /// and slug.
    pub fn shared(&self) -> impl ExactSizeIterator<Item = (TagKind, &'a str)> + 'a {
        let texts = self.texts;
        self.shared
            .iter()
            .map(move |&(kind, n)| (kind, texts.get(n as usize).map_or("", |t| &**t)))
    }

    /// The place both work in, if they do.
    pub fn place(&self) -> Option<&'a str> {
        let texts = self.texts;
        self.place
            .map(|n| texts.get(n as usize).map_or("", |t| &**t))
    }
}

/// Suggestions as kept on disk: the texts, then each array as its numbers'
/// bytes, four to a number (a place of none as the largest), so that they
/// are read back by copying, not a number at a time: a national
/// directory's are some ten million numbers.
#[derive(serde::Serialize, serde::Deserialize)]
struct KeptSuggestions<'a> {
    texts: std::borrow::Cow<'a, [Box<str>]>,
    #[serde(borrow)]
    starts: Raw<'a>,
    #[serde(borrow)]
    made: Raw<'a>,
    #[serde(borrow)]
    shared: Raw<'a>,
}

/// Bytes written and read as one run, borrowed when read.
struct Raw<'a>(std::borrow::Cow<'a, [u8]>);

impl serde::Serialize for Raw<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Raw<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Raw<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_borrowed_bytes<E>(self, bytes: &'de [u8]) -> Result<Raw<'de>, E> {
                Ok(Raw(std::borrow::Cow::Borrowed(bytes)))
            }
            fn visit_bytes<E>(self, bytes: &[u8]) -> Result<Raw<'de>, E> {
                Ok(Raw(std::borrow::Cow::Owned(bytes.to_vec())))
            }
        }
        deserializer.deserialize_bytes(Visitor)
    }
}

/// A place of none, as kept.
const NO_PLACE: u32 = u32::MAX;

impl serde::Serialize for Suggestions {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fn numbers(n: impl Iterator<Item = u32>) -> Raw<'static> {
            Raw(n.flat_map(u32::to_le_bytes).collect::<Vec<u8>>().into())
        }
        let made = self.made.iter().flat_map(|m| {
            let place = m.place.unwrap_or(NO_PLACE);
            [m.profile, m.shared.0, m.shared.1, place]
        });
        let shared = self.shared.iter().flat_map(|&(kind, n)| {
            let kind = match kind {
                TagKind::PolicyArea => 0,
                TagKind::Interest => 1,
            };
            [kind, n]
        });
        KeptSuggestions {
            texts: std::borrow::Cow::Borrowed(&self.texts),
            starts: numbers(self.starts.iter().copied()),
            made: numbers(made),
            shared: numbers(shared),
        }
        .serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Suggestions {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let kept = KeptSuggestions::deserialize(deserializer)?;
        let numbers = |raw: &Raw<'_>, width: usize| -> Result<Vec<u32>, D::Error> {
            if !raw.0.len().is_multiple_of(4 * width) {
                return Err(D::Error::custom("a kept array cut short"));
            }
            let four = raw.0.chunks_exact(4);
            Ok(four
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect())
        };
        let made = numbers(&kept.made, 4)?
            .chunks_exact(4)
            .map(|m| Made {
                profile: m[0],
                shared: (m[1], m[2]),
                place: (m[3] != NO_PLACE).then_some(m[3]),
            })
            .collect();
        let shared = numbers(&kept.shared, 2)?
            .chunks_exact(2)
            .map(|s| {
                let kind = match s[0] {
                    0 => Ok(TagKind::PolicyArea),
                    1 => Ok(TagKind::Interest),
                    _ => Err(D::Error::custom("an unknown kind of tag")),
                };
                kind.map(|kind| (kind, s[1]))
            })
            .collect::<Result<_, _>>()?;
        let read = Suggestions {
            texts: kept.texts.into_owned(),
            starts: numbers(&kept.starts, 1)?,
            made,
            shared,
        };
        if !read.is_whole() {
            return Err(D::Error::custom(
                "kept suggestions naming what they do not hold",
            ));
        }
        Ok(read)
    }
}

/// One suggestion as a test writes it: the position suggested, the tags
/// shared and the place.
#[cfg(test)]
pub(crate) type Written<'a> = (usize, Vec<(TagKind, &'a str)>, Option<&'a str>);

impl Suggestions {
    /// The suggestions on the page of the profile at `profile` in the
    /// directory: none for a profile beyond those they were made for.
    pub fn of(&self, profile: usize) -> impl ExactSizeIterator<Item = Suggestion<'_>> {
        let at = |i: usize| self.starts.get(i).map_or(0, |&n| n as usize);
        let (from, to) = (at(profile), at(profile + 1).max(at(profile)));
        let made = self.made.get(from..to).unwrap_or_default();
        made.iter().map(move |m| {
            let (start, len) = (m.shared.0 as usize, m.shared.1 as usize);
            Suggestion {
                profile: m.profile as usize,
                shared: self.shared.get(start..start + len).unwrap_or_default(),
                place: m.place,
                texts: &self.texts,
            }
        })
    }

    /// Whether every number in them names something they hold: what kept
    /// suggestions are checked for when read back.
    fn is_whole(&self) -> bool {
        let made = self.made.len();
        let starts = self.starts.windows(2).all(|w| w[0] <= w[1])
            && self.starts.last().is_some_and(|&n| n as usize == made);
        let texts = self.texts.len();
        let made_whole = self.made.iter().all(|m| {
            let (start, len) = (m.shared.0 as usize, m.shared.1 as usize);
            start
                .checked_add(len)
                .is_some_and(|end| end <= self.shared.len())
                && m.place.is_none_or(|n| (n as usize) < texts)
        });
        let shared_whole = self.shared.iter().all(|&(_, n)| (n as usize) < texts);
        starts && made_whole && shared_whole
    }

    /// Suggestions written one profile at a time, for tests: each profile's
    /// list of (position suggested, tags shared, place).
    #[cfg(test)]
    pub(crate) fn from_lists(lists: &[Vec<Written<'_>>]) -> Self {
        let mut made = Self::default();
        let number =
            |texts: &mut Vec<Box<str>>, text: &str| match texts.iter().position(|t| &**t == text) {
                Some(n) => n as u32,
                None => {
                    texts.push(text.into());
                    (texts.len() - 1) as u32
                }
            };
        for list in lists {
            made.starts.push(made.made.len() as u32);
            for (profile, shared, place) in list {
                let start = made.shared.len() as u32;
                for &(kind, text) in shared {
                    let n = number(&mut made.texts, text);
                    made.shared.push((kind, n));
                }
                let place = place.map(|p| number(&mut made.texts, p));
                made.made.push(Made {
                    profile: *profile as u32,
                    shared: (start, shared.len() as u32),
                    place,
                });
            }
        }
        made.starts.push(made.made.len() as u32);
        made
    }
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
pub fn suggestions(dir: &Directory, count: usize) -> Suggestions {
    let people = People::new(dir, |_| true);
    let open: Vec<bool> = people
        .people
        .iter()
        .map(|p| {
            let open_to = &p.entry.data.open_to;
            open_to.contains(&OpenTo::Buddy) || open_to.contains(&OpenTo::Coffee)
        })
        .collect();
    // Each tag's slug is text number `t`, each place's name follows them,
    // and the last is the empty place of someone placed nowhere.
    let tag_count = people.tag_count() as u32;
    let mut texts: Vec<Box<str>> = (0..tag_count)
        .map(|t| people.tag(t).slug.as_str().into())
        .collect();
    texts.extend(people.place_names().iter().map(|p| p.as_str().into()));
    let nowhere = texts.len() as u32;
    texts.push("".into());
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
    // than searching in ring order saved. Made in parallel a stretch at a
    // time, each stretch's tags counted from its own start, then joined.
    best.sort_unstable_by_key(|&(a, _)| people.people[a].profile);
    let stretches: Vec<Stretch> = best
        .par_chunks(1024)
        .map(|stretch| {
            let mut made = Stretch::default();
            for (a, found) in stretch {
                let a = *a;
                for &b in found.iter() {
                    let b = b as usize;
                    let common = people.common(a, b);
                    let start = made.shared.len() as u32;
                    let tags = common.tags.iter().map(|&t| (people.tag(t).kind, t));
                    made.shared.extend(tags);
                    made.made.push(Made {
                        profile: people.people[b].profile as u32,
                        shared: (start, common.tags.len() as u32),
                        place: common
                            .same_place
                            .then(|| people.place_number(a).map_or(nowhere, |p| tag_count + p)),
                    });
                }
                made.counts.push((people.people[a].profile, found.len()));
            }
            made
        })
        .collect();
    Stretch::join(stretches, texts, dir.profiles.len())
}

/// The suggestions of a stretch of profiles, made on their own: their tags
/// counted from the stretch's start.
#[derive(Default)]
struct Stretch {
    /// Each profile's position and how many suggestions it has.
    counts: Vec<(usize, usize)>,
    made: Vec<Made>,
    shared: Vec<(TagKind, u32)>,
}

impl Stretch {
    /// The suggestions of `profiles` profiles, from stretches in their
    /// order, naming `texts`.
    fn join(stretches: Vec<Stretch>, texts: Vec<Box<str>>, profiles: usize) -> Suggestions {
        let mut all = Suggestions {
            texts,
            starts: Vec::with_capacity(profiles + 1),
            made: Vec::with_capacity(stretches.iter().map(|s| s.made.len()).sum()),
            shared: Vec::with_capacity(stretches.iter().map(|s| s.shared.len()).sum()),
        };
        let mut count_of = vec![0; profiles];
        for stretch in stretches {
            let offset = all.shared.len() as u32;
            all.made.extend(stretch.made.into_iter().map(|mut m| {
                m.shared.0 += offset;
                m
            }));
            all.shared.extend(stretch.shared);
            for (profile, count) in stretch.counts {
                count_of[profile] = count;
            }
        }
        let mut start = 0;
        for count in count_of {
            all.starts.push(start as u32);
            start += count;
        }
        all.starts.push(start as u32);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists() -> Suggestions {
        Suggestions::from_lists(&[
            vec![
                (4, vec![(TagKind::PolicyArea, "housing")], Some("Leeds")),
                (
                    2,
                    vec![
                        (TagKind::Interest, "rivers"),
                        (TagKind::PolicyArea, "housing"),
                    ],
                    None,
                ),
            ],
            Vec::new(),
            vec![(0, Vec::new(), Some("Leeds"))],
        ])
    }

    /// Each profile's suggestions as a test writes them.
    fn read(made: &Suggestions, profile: usize) -> Vec<Written<'_>> {
        made.of(profile)
            .map(|s| (s.profile, s.shared().collect(), s.place()))
            .collect()
    }

    #[test]
    fn each_profile_finds_its_own_suggestions_and_none_beyond_them() {
        let made = lists();
        assert!(made.is_whole());
        assert_eq!(
            read(&made, 0),
            vec![
                (4, vec![(TagKind::PolicyArea, "housing")], Some("Leeds")),
                (
                    2,
                    vec![
                        (TagKind::Interest, "rivers"),
                        (TagKind::PolicyArea, "housing")
                    ],
                    None
                ),
            ]
        );
        assert_eq!(read(&made, 1), Vec::new());
        assert_eq!(read(&made, 2), vec![(0, Vec::new(), Some("Leeds"))]);
        assert_eq!(read(&made, 3), Vec::new(), "a profile made since");
        assert_eq!(made.texts.len(), 3, "each text held once");
    }

    #[test]
    fn kept_suggestions_read_back_as_they_were_and_not_when_cut_short() {
        let made = lists();
        let bytes = postcard::to_allocvec(&made).expect("kept");
        assert_eq!(
            postcard::from_bytes::<Suggestions>(&bytes),
            Ok(made.clone())
        );
        let cut_bytes = postcard::to_allocvec(&KeptSuggestions {
            texts: std::borrow::Cow::Borrowed(&made.texts),
            starts: Raw(vec![0; 4].into()),
            made: Raw(vec![0; 15].into()),
            shared: Raw(Vec::new().into()),
        })
        .expect("kept");
        assert!(postcard::from_bytes::<Suggestions>(&cut_bytes).is_err());
        let mut beyond_texts = made;
        beyond_texts.shared[0].1 = 3;
        let beyond_bytes = postcard::to_allocvec(&beyond_texts).expect("kept");
        assert!(
            postcard::from_bytes::<Suggestions>(&beyond_bytes).is_err(),
            "a text number beyond the texts is not read back"
        );
    }

    #[test]
    fn suggestions_naming_what_they_do_not_hold_are_not_whole() {
        let mut beyond_texts = lists();
        beyond_texts.shared[0].1 = 3;
        assert!(!beyond_texts.is_whole());
        let mut beyond_tags = lists();
        beyond_tags.made[1].shared.1 = 3;
        assert!(!beyond_tags.is_whole());
        let mut out_of_order = lists();
        out_of_order.starts[1] = 3;
        assert!(!out_of_order.is_whole());
        let mut short = lists();
        short.starts.pop();
        assert!(!short.is_whole());
    }
}
