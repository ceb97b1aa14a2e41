//! Who can be matched, and what two people have in common.
//!
//! Every kind of matching (buddy rounds, suggestions on profile pages) scores
//! a pair the same way, here: a base for meeting across sectors at all, the
//! policy areas and interests they share, each counting more the rarer it is
//! among the people considered (a shared niche says more than a shared
//! "data"), and a bonus for working in the same place, where they can meet in
//! person. Scores are whole "points" (hundredths), so that sums are exact and
//! the same on every machine.

use ahash::AHashMap;

use super::round::Month;
use crate::content::profile::Profile;
use crate::content::{Choice, Directory, Entry, Sector};

/// Points for any pair from different sectors: meeting at all is the point.
pub const BASE_POINTS: i32 = 100;

/// Points for working in the same place.
pub const PLACE_POINTS: i32 = 100;

/// How many people are read from one tag's list when looking for someone's
/// best buddies. Shorter lists are read whole; of a longer one, a
/// deterministic window is read, which keeps the search linear in the
/// directory.
pub const SCAN_PER_TAG: usize = 96;

/// What a shared tag is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum TagKind {
    /// A policy area from the vocabulary.
    PolicyArea,
    /// An open interest.
    Interest,
}

/// One policy area or interest, with its weight among the people considered.
#[derive(Debug, Clone)]
pub struct Tag {
    /// Policy area or interest.
    pub kind: TagKind,
    /// Its slug.
    pub slug: String,
    /// What sharing it is worth.
    pub points: i32,
}

/// One person who can be matched.
#[derive(Debug, Clone)]
pub struct Person<'a> {
    /// Their position in the directory's profiles.
    pub profile: usize,
    /// How rounds name them: the profile's key, its slug or `host/slug`
    /// for a mirrored profile (see [`Entry::slug`]).
    pub id: String,
    /// Their entry.
    pub entry: &'a Entry<Profile>,
    /// Their organisation's sector.
    pub sector: Option<Sector>,
    /// Their organisation.
    pub organisation: &'a str,
}

/// Whether someone sits out the rounds of `month`: their `paused_until` is
/// after the month's first day.
pub fn paused(profile: &Profile, month: Month) -> bool {
    profile.paused_until.is_some_and(|d| d > month.first_day())
}

/// What two people have in common.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Common {
    /// The pair's score.
    pub points: i32,
    /// The tags they share, rarest first.
    pub tags: Vec<u32>,
    /// Whether they work in the same place.
    pub same_place: bool,
}

/// How many of a person's tags are kept in their [`Packed`] line; a person
/// with more has them all in `People::tag_flat` instead.
const INLINE_TAGS: usize = 7;

/// How many of the most used tags a person's [`Packed`] line marks as bits:
/// two people's shared ones are then found in one `and`.
const COMMON_TAGS: usize = 128;

/// What the hot path reads of a person, in one cache line: searching reads
/// thousands of people per person, and each read is a cache miss, so a
/// person's tags are kept beside the rest rather than in a list of their own.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
struct Packed {
    /// Which of the [`COMMON_TAGS`] most used tags they have, as bits.
    common: u128,
    /// The organisation, numbered.
    organisation: u32,
    /// The place, numbered, or `u32::MAX` if none.
    place: u32,
    /// Where their tags start in `People::tag_flat`, if they have more
    /// than [`INLINE_TAGS`].
    tags_from: u32,
    /// How many tags they have.
    tags_len: u32,
    /// Their tags, when they have at most [`INLINE_TAGS`].
    tags: [u32; INLINE_TAGS],
    /// The sector's position in the fixed list, or `u8::MAX` if unknown.
    sector: u8,
    /// Whether they have a tag beyond the [`COMMON_TAGS`].
    rare: bool,
}

/// The people considered for one kind of matching, indexed for finding each
/// one's best matches quickly.
pub struct People<'a> {
    /// The directory they come from.
    pub dir: &'a Directory,
    /// The people, sorted by id so that every result is deterministic.
    pub people: Vec<Person<'a>>,
    tags: Vec<Tag>,
    /// For each tag, the people who have it.
    postings: Vec<Vec<u32>>,
    /// For each place, the people there.
    places: Vec<Vec<u32>>,
    place_names: Vec<String>,
    packed: Vec<Packed>,
    tag_flat: Vec<u32>,
    tag_points: Vec<i32>,
    /// Each person's place on a ring of hashes of their ids. Lists too long
    /// to read whole are read from a person's own place on the ring, so
    /// that a person coming or going moves each window by one at most:
    /// the people a profile page suggests change only where that person
    /// was, or would be, among them, not across the directory.
    ring: Vec<u64>,
    /// Everyone, in ring order.
    by_ring: Vec<u32>,
}

impl<'a> People<'a> {
    /// The profiles of `dir` that `include` accepts, with tag weights from
    /// how often each tag occurs among them.
    pub fn new(dir: &'a Directory, include: impl Fn(&Entry<Profile>) -> bool) -> Self {
        let mut tag_numbers: AHashMap<(TagKind, &str), u32> = AHashMap::new();
        let mut tags: Vec<Tag> = Vec::new();
        let mut place_numbers: AHashMap<String, u32> = AHashMap::new();
        let mut place_names: Vec<String> = Vec::new();
        // Each person with their sorted tag numbers and place number.
        let mut people: Vec<(Person<'a>, Vec<u32>, Option<u32>)> = Vec::new();
        for (profile, entry) in dir.profiles.iter().enumerate() {
            if !include(entry) {
                continue;
            }
            let p = &entry.data;
            let mut numbers = Vec::with_capacity(p.policy_areas.len() + p.interests.len());
            let named = p
                .policy_areas
                .iter()
                .map(|s| (TagKind::PolicyArea, s.as_str()))
                .chain(p.interests.iter().map(|s| (TagKind::Interest, s.as_str())));
            for (kind, slug) in named {
                let next = tags.len() as u32;
                let number = *tag_numbers.entry((kind, slug)).or_insert_with(|| {
                    tags.push(Tag {
                        kind,
                        slug: slug.to_string(),
                        points: 0,
                    });
                    next
                });
                numbers.push(number);
            }
            numbers.sort_unstable();
            numbers.dedup();
            let place = p.location.as_deref().map(place_key).map(|key| {
                let next = place_names.len() as u32;
                *place_numbers.entry(key).or_insert_with(|| {
                    place_names.push(p.location.clone().unwrap_or_default());
                    next
                })
            });
            let person = Person {
                profile,
                id: entry.slug.clone(),
                entry,
                sector: dir.organisation(&p.organisation).map(|o| o.data.sector),
                organisation: p.organisation.as_str(),
            };
            people.push((person, numbers, place));
        }
        people.sort_by(|a, b| a.0.id.cmp(&b.0.id));

        let mut postings = vec![Vec::new(); tags.len()];
        let mut places = vec![Vec::new(); place_names.len()];
        // Every list of people in the order of their ids' hashes (see
        // `ring`); `people` is in id order, so in index order within a tie.
        let ring: Vec<u64> = people.iter().map(|(p, _, _)| spread(&p.id)).collect();
        let mut by_ring: Vec<u32> = (0..people.len() as u32).collect();
        by_ring.sort_by_key(|&i| (ring[i as usize], i));
        for &i in &by_ring {
            let (_, numbers, place) = &people[i as usize];
            for &t in numbers {
                postings[t as usize].push(i);
            }
            if let Some(place) = place {
                places[*place as usize].push(i);
            }
        }
        // Numbered from the most used: the first [`COMMON_TAGS`] are kept as
        // bits, and most shared tags are among them.
        let mut order: Vec<usize> = (0..tags.len()).collect();
        order.sort_by(|&x, &y| {
            postings[y]
                .len()
                .cmp(&postings[x].len())
                .then_with(|| (tags[x].kind, &tags[x].slug).cmp(&(tags[y].kind, &tags[y].slug)))
        });
        let mut renumbered = vec![0u32; tags.len()];
        for (new, &old) in order.iter().enumerate() {
            renumbered[old] = new as u32;
        }
        let mut taken: Vec<Option<Tag>> = tags.into_iter().map(Some).collect();
        let mut tags: Vec<Tag> = order.iter().filter_map(|&old| taken[old].take()).collect();
        let mut taken: Vec<Vec<u32>> = postings;
        let postings: Vec<Vec<u32>> = order
            .iter()
            .map(|&old| std::mem::take(&mut taken[old]))
            .collect();
        for (_, numbers, _) in &mut people {
            for t in numbers.iter_mut() {
                *t = renumbered[*t as usize];
            }
            numbers.sort_unstable();
        }
        let n = people.len().max(1) as f64;
        for (tag, list) in tags.iter_mut().zip(&postings) {
            // ln(1 + n/df): a tag everyone has still counts a little; one
            // two people share counts most.
            let rarity = (1.0 + n / list.len().max(1) as f64).ln();
            tag.points = (rarity * 100.0).round() as i32;
        }
        let mut organisations: AHashMap<&str, u32> = AHashMap::new();
        let mut tag_flat = Vec::new();
        let packed = people
            .iter()
            .map(|(p, numbers, place)| {
                let next = organisations.len() as u32;
                let organisation = *organisations.entry(p.organisation).or_insert(next);
                let tags_from = tag_flat.len() as u32;
                let mut tags = [0; INLINE_TAGS];
                if numbers.len() <= INLINE_TAGS {
                    tags[..numbers.len()].copy_from_slice(numbers);
                } else {
                    tag_flat.extend_from_slice(numbers);
                }
                let common = numbers
                    .iter()
                    .filter(|&&t| (t as usize) < COMMON_TAGS)
                    .fold(0u128, |bits, &t| bits | 1 << t);
                Packed {
                    common,
                    rare: numbers.last().is_some_and(|&t| t as usize >= COMMON_TAGS),
                    tags,
                    sector: p
                        .sector
                        .and_then(|s| Sector::ALL.iter().position(|(_, x)| *x == s))
                        .map_or(u8::MAX, |i| i as u8),
                    organisation,
                    place: place.unwrap_or(u32::MAX),
                    tags_from,
                    tags_len: numbers.len() as u32,
                }
            })
            .collect();
        let people = people.into_iter().map(|(p, _, _)| p).collect();
        let tag_points = tags.iter().map(|t| t.points).collect();
        Self {
            dir,
            people,
            tags,
            postings,
            places,
            place_names,
            packed,
            tag_flat,
            tag_points,
            ring,
            by_ring,
        }
    }

    /// How many people there are.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// Whether there is no one.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// Everyone, by number, in the order of their places on the ring.
    /// People near each other on it read the same stretch of each long list
    /// in [`Self::best_for`]: searched one after another, they find those
    /// people already in the cache.
    pub fn in_ring_order(&self) -> &[u32] {
        &self.by_ring
    }

    /// The tag a number stands for.
    pub fn tag(&self, number: u32) -> &Tag {
        &self.tags[number as usize]
    }

    /// The place person `i` works in, as they wrote it.
    pub fn place(&self, i: usize) -> Option<&str> {
        self.place_number(i)
            .map(|p| self.place_names[p as usize].as_str())
    }

    /// How many tags people have between them, numbered from 0.
    pub fn tag_count(&self) -> usize {
        self.tags.len()
    }

    /// Every place people work in, by number.
    pub fn place_names(&self) -> &[String] {
        &self.place_names
    }

    /// The number of the place person `i` works in, if they said.
    pub fn place_number(&self, i: usize) -> Option<u32> {
        Some(self.packed[i].place).filter(|&p| p != u32::MAX)
    }

    /// Person `i`'s policy areas and interests, as sorted tag numbers.
    fn tags_of(&self, i: usize) -> &[u32] {
        let p = &self.packed[i];
        let len = p.tags_len as usize;
        if len <= INLINE_TAGS {
            &p.tags[..len]
        } else {
            &self.tag_flat[p.tags_from as usize..p.tags_from as usize + len]
        }
    }

    /// The score of a pair, without saying why: the hot path of every search.
    pub fn points(&self, a: usize, b: usize) -> i32 {
        let mut points = BASE_POINTS;
        if self.same_place(a, b) {
            points += PLACE_POINTS;
        }
        let (x, y) = (&self.packed[a], &self.packed[b]);
        let mut shared = x.common & y.common;
        while shared != 0 {
            points += self.tag_points[shared.trailing_zeros() as usize];
            shared &= shared - 1;
        }
        if !(x.rare && y.rare) {
            return points;
        }
        // The rest, in sorted lists: the rare tags come last.
        let rare =
            |tags: &'_ [u32]| -> usize { tags.partition_point(|&t| (t as usize) < COMMON_TAGS) };
        let (s, t) = (self.tags_of(a), self.tags_of(b));
        let (s, t) = (&s[rare(s)..], &t[rare(t)..]);
        let (mut i, mut j) = (0, 0);
        while i < s.len() && j < t.len() {
            match s[i].cmp(&t[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    points += self.tag_points[s[i] as usize];
                    i += 1;
                    j += 1;
                }
            }
        }
        points
    }

    /// What a pair has in common, and its score.
    pub fn common(&self, a: usize, b: usize) -> Common {
        let theirs = self.tags_of(b);
        let mut tags: Vec<u32> = self
            .tags_of(a)
            .iter()
            .copied()
            .filter(|t| theirs.binary_search(t).is_ok())
            .collect();
        tags.sort_by(|&s, &t| {
            let (s, t) = (self.tag(s), self.tag(t));
            t.points
                .cmp(&s.points)
                .then(s.kind.cmp(&t.kind))
                .then(s.slug.cmp(&t.slug))
        });
        Common {
            points: self.points(a, b),
            tags,
            same_place: self.same_place(a, b),
        }
    }

    fn same_place(&self, a: usize, b: usize) -> bool {
        self.place_number(a).is_some() && self.packed[a].place == self.packed[b].place
    }

    /// Whether two people may be paired at all: from different sectors and
    /// organisations (and both with a known sector).
    pub fn cross_sector(&self, a: usize, b: usize) -> bool {
        let (x, y) = (&self.packed[a], &self.packed[b]);
        a != b
            && x.organisation != y.organisation
            && x.sector != u8::MAX
            && y.sector != u8::MAX
            && x.sector != y.sector
    }

    /// Up to `k` of the people `eligible` accepts with the highest scores for
    /// person `a`, best first (ties to the first by id).
    ///
    /// People sharing a tag or a place with `a` are found through the lists
    /// of each, reading at most `scan` of each list; if that finds fewer than
    /// `k`, the rest are filled from
    /// everyone, starting at a place that depends on `a`, so that people with
    /// nothing in common are still spread over the directory rather than all
    /// offered the same few.
    pub fn best_for(
        &self,
        a: usize,
        k: usize,
        scan: usize,
        ties: Ties,
        eligible: impl Fn(usize) -> bool,
    ) -> Vec<(usize, i32)> {
        if k == 0 || self.people.len() < 2 {
            return Vec::new();
        }
        let start = self.ring[a];
        let ring = &self.ring;
        // Where a list (in ring order) reaches `start`.
        let from = |list: &[u32]| list.partition_point(|&b| ring[b as usize] < start);
        let mut found: Vec<u32> = Vec::new();
        let lists = self
            .tags_of(a)
            .iter()
            .map(|&t| &self.postings[t as usize])
            .chain(self.place_number(a).map(|p| &self.places[p as usize]));
        for list in lists {
            if list.len() <= scan {
                found.extend_from_slice(list);
            } else {
                let from = from(list);
                let to = (from + scan).min(list.len());
                found.extend_from_slice(&list[from..to]);
                found.extend_from_slice(&list[..scan - (to - from)]);
            }
        }
        found.sort_unstable();
        found.dedup();
        let mut scored: Vec<(usize, i32)> = found
            .into_iter()
            .map(|b| b as usize)
            .filter(|&b| b != a && eligible(b))
            .map(|b| (b, self.points(a, b)))
            .collect();
        if scored.len() < k {
            // Fill from everyone, skipping those already found; bounded so a
            // directory where few are eligible stays linear.
            let n = self.people.len();
            let mut seen: Vec<usize> = scored.iter().map(|&(b, _)| b).collect();
            seen.sort_unstable();
            let from = from(&self.by_ring);
            let ring_order = (0..n).map(|i| self.by_ring[(from + i) % n] as usize);
            for b in ring_order.take(64 * k + 64) {
                if scored.len() >= k {
                    break;
                }
                if b != a && seen.binary_search(&b).is_err() && eligible(b) {
                    scored.push((b, self.points(a, b)));
                }
            }
        }
        let after = |b: usize| match ties {
            Ties::ByName => 0,
            Ties::AlongTheRing => ring[b].wrapping_sub(start),
        };
        let by_score = |x: &(usize, i32), y: &(usize, i32)| {
            y.1.cmp(&x.1)
                .then(after(x.0).cmp(&after(y.0)))
                .then(x.0.cmp(&y.0))
        };
        if scored.len() > k {
            scored.select_nth_unstable_by(k - 1, by_score);
            scored.truncate(k);
        }
        scored.sort_unstable_by(by_score);
        scored
    }
}

/// Which of equally good people [`People::best_for`] offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ties {
    /// The first by id: a list that stays the same as people come and go
    /// elsewhere (a profile page's suggestions).
    ByName,
    /// The nearest after the person on the ring: everyone offered their own
    /// neighbours, not all the same few (a round, where the few could pair
    /// only a few of the many who share a score).
    AlongTheRing,
}

/// Places compare without case or surrounding space ("leeds" is "Leeds").
fn place_key(place: &str) -> String {
    place.trim().to_lowercase()
}

/// A number from an id that is the same on every run and machine.
fn spread(id: &str) -> u64 {
    crate::fingerprint::of(id)
}

impl From<TagKind> for crate::content::TaxonomyKind {
    fn from(kind: TagKind) -> Self {
        match kind {
            TagKind::PolicyArea => crate::content::TaxonomyKind::PolicyArea,
            TagKind::Interest => crate::content::TaxonomyKind::Interest,
        }
    }
}
