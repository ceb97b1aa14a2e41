//! What pages need to find quickly: who works where, which events a person
//! hosts, the terms of every taxonomy, the upcoming dates of every event,
//! the rounds each person and each programme was in. Built once per build,
//! in time proportional to the directory.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use jiff::{Timestamp, Zoned};
use rayon::prelude::*;

use crate::content::{
    ConsultationStatus, Directory, Entry, Round, Sector, TaxonomyKind, term_label,
};
use crate::matching::suggestions::Suggestions;

/// A hash map keyed by slugs and positions: built many times a second
/// while a site is served, so with a fast hash.
pub type Map<K, V> = HashMap<K, V, ahash::RandomState>;

/// One term of a taxonomy and the profiles under it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Term {
    /// Its slug.
    pub slug: String,
    /// Its label.
    pub label: String,
    /// The profiles under it, in A–Z order.
    pub profiles: Vec<usize>,
}

/// One dated occurrence of an event: its only date, or one of a series.
#[derive(Debug, Clone)]
pub struct Occurrence {
    /// The event.
    pub event: usize,
    /// When this occurrence starts.
    pub start: Zoned,
    /// When it ends, if the event says.
    pub end: Option<Zoned>,
}

/// A round's people as this build may show them, in the round's order:
/// each by their place among the directory's profiles, or `None` for
/// someone the build does not list (another directory's person not
/// mirrored here, an internal profile on the public site) or whom the round
/// may not name (see [`Round::may_name`](crate::content::Round::may_name)).
#[derive(Debug, Clone, Default)]
pub struct RoundPeople {
    /// Each buddy group's members.
    pub groups: Vec<Vec<Option<usize>>>,
    /// Each job swap's people: each takes the next one's job, the last the
    /// first's.
    pub swaps: Vec<Vec<Option<usize>>>,
}

/// A buddy group or a job swap of a round, by its place in the round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoundPart {
    /// One of its buddy groups.
    Group(usize),
    /// One of its job swaps.
    Swap(usize),
}

impl RoundPeople {
    /// The people of one part of the round.
    pub fn of(&self, part: RoundPart) -> &[Option<usize>] {
        let found = match part {
            RoundPart::Group(g) => self.groups.get(g),
            RoundPart::Swap(s) => self.swaps.get(s),
        };
        found.map(Vec::as_slice).unwrap_or_default()
    }
}

/// Someone's place in a round: the round, by its place among the
/// directory's rounds, and their group or swap in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placing {
    /// The round.
    pub round: usize,
    /// Their group or swap.
    pub part: RoundPart,
}

/// How far ahead a repeating event's dates are listed.
const REPEAT_HORIZON_DAYS: i64 = 366;
/// The most dates of one repeating event listed.
const REPEAT_LIMIT: u16 = 60;

/// Lookups over a directory, as of one moment.
pub struct Index<'a> {
    /// The directory.
    pub dir: &'a Directory,
    /// The moment the build is as of.
    pub now: Timestamp,
    /// Its day where the site is.
    pub today: jiff::civil::Date,
    /// Profiles in A–Z order (by family name, then the whole name).
    pub profiles_az: Vec<usize>,
    /// Organisations in A–Z order.
    pub organisations_az: Vec<usize>,
    /// Each organisation's people, A–Z.
    pub people_by_organisation: Map<&'a str, Vec<usize>>,
    /// Every event with a date to come, once, at its next date (for a
    /// series, the next not called off), soonest first: what lists show
    /// and count, so that a repeating event is one entry in them.
    pub upcoming: Vec<Occurrence>,
    /// Events with no date to come, latest first.
    pub past: Vec<usize>,
    /// Each event's upcoming dates, by event, without those called off.
    pub occurrences: Map<usize, Vec<Zoned>>,
    /// Events by host.
    pub events_by_host: Map<&'a str, Vec<usize>>,
    /// Each event's host, by their place among the profiles: none where
    /// the event names no host, or names one this build does not have.
    pub hosts: Vec<Option<usize>>,
    /// Events by organisation.
    pub events_by_organisation: Map<&'a str, Vec<usize>>,
    /// Events by the consultation they are sessions of.
    pub events_by_consultation: Map<&'a str, Vec<usize>>,
    /// Consultations by organisation.
    pub consultations_by_organisation: Map<&'a str, Vec<usize>>,
    /// Consultations in listing order: by status, then closing date.
    pub consultations: Vec<usize>,
    /// Asks by the profile asking.
    pub asks_by_profile: Map<&'a str, Vec<usize>>,
    /// Each ask's asker, by their place among the profiles (none where
    /// this build does not have them): found once, not each time a list
    /// shows the ask.
    pub askers: Vec<Option<usize>>,
    /// Open asks, newest first.
    pub open_asks: Vec<usize>,
    /// Closed or filled asks, newest first.
    pub closed_asks: Vec<usize>,
    /// The terms of each taxonomy, with the profiles under them: every
    /// term a profile, event, consultation or ask is under.
    pub taxonomies: Taxonomies,
    /// The terms profiles are under, which a next build may keep (see
    /// [`KnownTerms`]).
    pub people_terms: Taxonomies,
    /// The events, consultations and asks under each topic.
    pub topic_entries: super::topic_entries::ByTopic,
    /// The A–Z order `taxonomies` follow, as a number (see [`KnownTerms`]).
    pub terms_order: u64,
    /// What the A–Z order is made from, as a number (see [`KnownOrder`]).
    order_keys: u64,
    /// The people each profile page suggests meeting, by profile.
    pub suggestions: Arc<Suggestions>,
    /// The profiles' photos as made for the site (none read: each shown
    /// as it is).
    pub photos: super::photos::Photos,
    /// Each round's people as this build shows them, in the order of the
    /// directory's rounds.
    pub round_people: Vec<RoundPeople>,
    /// Where each person is in the rounds that may name them, newest month
    /// first, by profile.
    pub rounds_by_person: Map<usize, Vec<Placing>>,
    /// Each programme's rounds, newest month first, by the programme's key.
    pub rounds_by_programme: Map<&'a str, Vec<usize>>,
    /// Each entry's body, by its file (see [`Index::body_key`]): made when
    /// first asked for, as its page, `directory.json` and the search index
    /// all read it. Filled as asked, so that a save showing a few bodies
    /// does not make a place for every one.
    pub(super) bodies: Mutex<Map<usize, Arc<OnceLock<Body>>>>,
    /// Whether bodies read are kept in `bodies` (see
    /// [`Index::keep_no_bodies`]).
    keeps_bodies: std::sync::atomic::AtomicBool,
    /// The policy areas with a calendar file, made when first asked for
    /// (see [`super::calendar::has_policy_area_calendar`]).
    pub(super) calendar_areas: OnceLock<std::collections::HashSet<String, ahash::RandomState>>,
}

/// An entry's body, read once a build for everything that shows it.
#[derive(Debug)]
pub(super) struct Body {
    /// As its page shows it.
    pub html: String,
    /// Its words as the search index keeps them, until the index takes
    /// them: read with the HTML, but needed only once.
    pub words: Mutex<Option<Arc<str>>>,
}

/// The terms of each taxonomy, with the profiles under them, shared so
/// that a save which changes none of them keeps them.
pub type Taxonomies = Arc<Vec<(TaxonomyKind, Vec<Term>)>>;

/// Terms made by an earlier index, to be kept if the next is made from the
/// same things.
#[derive(Debug, Clone)]
pub struct KnownTerms {
    /// A number for what terms are made from besides the A–Z order: each
    /// profile's tags, ways of meeting and organisation, each
    /// organisation's sector, and the site's settings (labels come from its
    /// vocabulary).
    pub inputs: u64,
    /// The A–Z order of the profiles, which orders each term's profiles,
    /// as a number.
    pub order: u64,
    /// The terms.
    pub taxonomies: Taxonomies,
}

/// The A–Z order of an earlier index, and each organisation's people in
/// it: kept while every profile keeps its place in the directory, its name
/// and its organisation, as on most saves.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct KnownOrder {
    /// Each profile's name and organisation, in directory order, as a number.
    keys: u64,
    profiles_az: Vec<usize>,
    /// Each organisation's people, A–Z.
    people: Vec<Vec<usize>>,
}

/// What an earlier index made, for [`Index::keeping`] to keep where the
/// next is made from the same things.
#[derive(Debug, Default, Clone, Copy)]
pub struct Known<'k> {
    /// The terms, if made from the same inputs as the next index's.
    pub terms: Option<&'k KnownTerms>,
    /// The A–Z order.
    pub order: Option<&'k KnownOrder>,
}

impl<'a> Index<'a> {
    /// Builds every lookup; `suggestions` are those of
    /// [`suggestions`](crate::matching::suggestions::suggestions) for `dir`,
    /// made by the caller so that a rebuild can keep the last ones.
    pub fn new(dir: &'a Directory, now: Timestamp, suggestions: Arc<Suggestions>) -> Self {
        Self {
            suggestions,
            ..Self::keeping(dir, now, Known::default())
        }
    }

    /// Builds every lookup as [`Index::new`] does but the suggestions, which
    /// the caller gives once made (a build makes them beside the index),
    /// keeping what an earlier index made from the same things (see
    /// [`Known`]): a save that changes no tag, name or organisation (a
    /// biography, a role) need not sort the profiles or make the terms again.
    pub fn keeping(dir: &'a Directory, now: Timestamp, known: Known<'_>) -> Self {
        let order_keys = order_keys(dir);
        let (profiles_az, people_by_organisation) =
            match known.order.filter(|order| order.keys == order_keys) {
                Some(order) => (
                    order.profiles_az.clone(),
                    order
                        .people
                        .iter()
                        .filter_map(|people| {
                            let first = dir.profiles.get(*people.first()?)?;
                            Some((first.data.organisation.as_str(), people.clone()))
                        })
                        .collect(),
                ),
                None => {
                    let profiles_az = a_to_z(dir);
                    let mut people: Map<&str, Vec<usize>> = Map::default();
                    for &i in &profiles_az {
                        people
                            .entry(dir.profiles[i].data.organisation.as_str())
                            .or_default()
                            .push(i);
                    }
                    (profiles_az, people)
                }
            };
        let mut organisations_az: Vec<usize> = (0..dir.organisations.len()).collect();
        organisations_az.sort_by_cached_key(|&i| dir.organisations[i].data.name.to_lowercase());

        let (upcoming, past, occurrences) = dates(dir, now);
        let hosts: Vec<Option<&str>> = dir.events.iter().map(|e| e.data.host.as_deref()).collect();
        let hosts = dir.profile_places(&hosts);
        let mut events_by_host: Map<&str, Vec<usize>> = Map::default();
        let mut events_by_organisation: Map<&str, Vec<usize>> = Map::default();
        let mut events_by_consultation: Map<&str, Vec<usize>> = Map::default();
        // Upcoming first (soonest first), then past (latest first).
        let mut seen: HashSet<usize, ahash::RandomState> = HashSet::default();
        let order = upcoming
            .iter()
            .map(|o| o.event)
            .chain(past.iter().copied())
            .filter(|i| seen.insert(*i))
            .collect::<Vec<_>>();
        for i in order {
            let event = &dir.events[i].data;
            if let Some(host) = &event.host {
                events_by_host.entry(host.as_str()).or_default().push(i);
            }
            if let Some(organisation) = &event.organisation {
                events_by_organisation
                    .entry(organisation.as_str())
                    .or_default()
                    .push(i);
            }
            if let Some(consultation) = &event.consultation {
                events_by_consultation
                    .entry(consultation.as_str())
                    .or_default()
                    .push(i);
            }
        }

        let mut consultations: Vec<usize> = (0..dir.consultations.len()).collect();
        consultations.sort_by_key(|&i| {
            let c = &dir.consultations[i].data;
            // What people can respond to now first, closing soonest first;
            // then those still to open, soonest first; then the closed,
            // most recent first, with or without their outcome.
            let closes = c.closes.timestamp().as_second();
            match c.status(now) {
                ConsultationStatus::Open => (0, closes),
                ConsultationStatus::Upcoming => (1, c.opens.timestamp().as_second()),
                ConsultationStatus::Closed | ConsultationStatus::OutcomePublished => (2, -closes),
            }
        });
        let mut consultations_by_organisation: Map<&str, Vec<usize>> = Map::default();
        for &i in &consultations {
            if let Some(organisation) = &dir.consultations[i].data.organisation {
                consultations_by_organisation
                    .entry(organisation.as_str())
                    .or_default()
                    .push(i);
            }
        }

        let today = now.to_zoned(dir.site.time_zone()).date();
        let mut asks: Vec<usize> = (0..dir.asks.len()).collect();
        // Newest first: by `updated`, then by closing date, latest first.
        asks.sort_by(|&i, &j| {
            let key = |a: &'a Entry<crate::content::Ask>| (a.updated, a.data.closes, &a.slug);
            key(&dir.asks[j]).cmp(&key(&dir.asks[i]))
        });
        let (open_asks, closed_asks): (Vec<usize>, Vec<usize>) = asks
            .into_iter()
            .partition(|&i| dir.asks[i].data.is_open(today));
        let mut asks_by_profile: Map<&str, Vec<usize>> = Map::default();
        for &i in open_asks.iter().chain(&closed_asks) {
            asks_by_profile
                .entry(dir.asks[i].data.by.as_str())
                .or_default()
                .push(i);
        }

        let askers: Vec<Option<&str>> = dir.asks.iter().map(|a| Some(a.data.by.as_str())).collect();
        let askers = dir.profile_places(&askers);
        let Placings {
            round_people,
            by_person: rounds_by_person,
            by_programme: rounds_by_programme,
        } = placings(dir);

        let terms_order = crate::fingerprint::of(&profiles_az);
        let people_terms = match known.terms {
            Some(known) if known.order == terms_order => known.taxonomies.clone(),
            _ => Arc::new(
                TaxonomyKind::ALL
                    .into_par_iter()
                    .map(|kind| (kind, terms(dir, kind, &profiles_az)))
                    .collect(),
            ),
        };
        let topic_entries =
            super::topic_entries::by_topic(dir, &upcoming, &consultations, &open_asks, &askers);
        let taxonomies = with_topics(dir, &people_terms, &topic_entries);
        Self {
            people_terms,
            topic_entries,
            dir,
            now,
            today,
            profiles_az,
            organisations_az,
            people_by_organisation,
            upcoming,
            past,
            occurrences,
            events_by_host,
            hosts,
            events_by_organisation,
            events_by_consultation,
            consultations_by_organisation,
            consultations,
            asks_by_profile,
            askers,
            open_asks,
            closed_asks,
            taxonomies,
            terms_order,
            order_keys,
            suggestions: Arc::default(),
            photos: super::photos::Photos::default(),
            round_people,
            rounds_by_person,
            rounds_by_programme,
            bodies: Mutex::default(),
            keeps_bodies: std::sync::atomic::AtomicBool::new(true),
            calendar_areas: OnceLock::new(),
        }
    }

    /// Its A–Z order, for the next index to keep (see [`Known`]).
    pub fn known_order(&self) -> KnownOrder {
        KnownOrder {
            keys: self.order_keys,
            profiles_az: self.profiles_az.clone(),
            people: self.people_by_organisation.values().cloned().collect(),
        }
    }

    /// Keeps no body read: each is read for whatever asks, as that asks
    /// for it (the search index its words, the export and its page its
    /// HTML). A one-off build of a national directory would otherwise hold
    /// every body at once, for the price of reading each twice more.
    pub(super) fn keep_no_bodies(&self) {
        self.keeps_bodies
            .store(false, std::sync::atomic::Ordering::Relaxed);
        std::mem::take(&mut *crate::lock(&self.bodies));
    }

    /// Whether bodies read are kept (see [`Index::keep_no_bodies`]).
    pub(super) fn keeps_bodies(&self) -> bool {
        self.keeps_bodies.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The key of an entry's body among [`Index::bodies`]: its file, which
    /// is one allocation for as long as the directory is.
    pub(super) fn body_key<T>(entry: &Entry<T>) -> usize {
        Arc::as_ptr(&entry.file) as usize
    }

    /// The digest of each profile's organisation's file, by profile: found
    /// through each organisation's people, not by a search for each person's
    /// organisation, as it is made on every save.
    pub fn organisation_digests(&self) -> Vec<Option<u64>> {
        let dir = self.dir;
        let mut organisation_of: Vec<Option<u64>> = vec![None; dir.profiles.len()];
        for o in &dir.organisations {
            let people = self.people_by_organisation.get(o.slug.as_str());
            for &i in people.into_iter().flatten() {
                organisation_of[i] = Some(o.file.digest());
            }
        }
        organisation_of
    }

    /// The next moment after `now` at which the site's pages would change
    /// with no edit: an event starting or ending, a consultation opening or
    /// closing, an ask's closing day ending. A scheduled rebuild then keeps
    /// the site true.
    pub fn next_change(&self) -> Option<Timestamp> {
        let dir = self.dir;
        let zone = dir.site.time_zone();
        let mut moments: Vec<Timestamp> = Vec::new();
        for occurrence in &self.upcoming {
            moments.push(occurrence.start.timestamp());
            if let Some(end) = &occurrence.end {
                moments.push(end.timestamp());
            }
        }
        // A date called off passing changes its event's page.
        for e in &dir.events {
            for day in &e.data.cancelled_dates {
                if let Some(start) = e.data.start_on(*day) {
                    moments.push(start.timestamp());
                }
            }
        }
        for c in &dir.consultations {
            moments.push(c.data.opens.timestamp());
            moments.push(c.data.closes.timestamp());
        }
        // An open consultation counts down its last days: each midnight
        // changes what its cards say.
        if dir
            .consultations
            .iter()
            .any(|c| self.closes_in(&c.data).is_some())
            && let Ok(midnight) = self.today.tomorrow().and_then(|d| d.to_zoned(zone.clone()))
        {
            moments.push(midnight.timestamp());
        }
        for a in &dir.asks {
            if let Some(closes) = a.data.closes
                && let Some(next_day) = closes
                    .tomorrow()
                    .ok()
                    .and_then(|d| d.to_zoned(zone.clone()).ok())
            {
                moments.push(next_day.timestamp());
            }
        }
        // A past event leaves the calendars some months after it ended.
        for &i in &self.past {
            moments.extend(super::calendar::leaves_calendars(self, i));
        }
        moments.into_iter().filter(|t| *t > self.now).min()
    }

    /// The sector of a profile: its organisation's.
    pub fn sector_of(&self, profile: usize) -> Option<Sector> {
        let organisation = &self.dir.profiles[profile].data.organisation;
        self.dir.organisation(organisation).map(|o| o.data.sector)
    }

    /// The terms of one taxonomy.
    pub fn terms(&self, kind: TaxonomyKind) -> &[Term] {
        self.taxonomies
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, terms)| terms.as_slice())
            .unwrap_or_default()
    }
}

/// The profiles in A–Z order (by family name, then the whole name).
fn a_to_z(dir: &Directory) -> Vec<usize> {
    // Sorted beside their keys, not through the entries: a sort reads
    // each key many times. Equal names keep the directory's (slug) order.
    let mut keyed: Vec<(&(String, String), usize)> = dir
        .profiles
        .iter()
        .enumerate()
        .map(|(i, p)| (&p.data.sort_key, i))
        .collect();
    keyed.par_sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// What [`a_to_z`] and each organisation's people are made from: every
/// profile's name and organisation, in directory order.
fn order_keys(dir: &Directory) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = crate::fingerprint::hasher();
    for p in &dir.profiles {
        (&p.data.sort_key, &p.data.organisation).hash(&mut hasher);
    }
    hasher.finish()
}

/// Each round's people as the build shows them, where each person is in
/// them, and each programme's rounds; newest month first. A person is
/// placed only in a round that may name them.
fn placings(dir: &Directory) -> Placings<'_> {
    let position =
        |round: &Round, key: &str| dir.profile_place(key).filter(|_| round.may_name(dir, key));
    let round_people: Vec<RoundPeople> = dir
        .rounds
        .par_iter()
        .map(|round| {
            let people = |parts: &[Vec<String>]| -> Vec<Vec<Option<usize>>> {
                parts
                    .iter()
                    .map(|keys| keys.iter().map(|key| position(round, key)).collect())
                    .collect()
            };
            RoundPeople {
                groups: people(&round.groups),
                swaps: people(&round.swaps),
            }
        })
        .collect();
    let mut by_person: Map<usize, Vec<Placing>> = Map::default();
    let mut by_programme: Map<&str, Vec<usize>> = Map::default();
    // Rounds are in month order: read backwards, each list is newest first.
    for (r, round) in dir.rounds.iter().enumerate().rev() {
        if let Some(programme) = &round.programme {
            by_programme.entry(programme.as_str()).or_default().push(r);
        }
        let people = &round_people[r];
        let groups = people.groups.iter().enumerate();
        let parts = groups
            .map(|(g, members)| (RoundPart::Group(g), members))
            .chain(
                people
                    .swaps
                    .iter()
                    .enumerate()
                    .map(|(s, cycle)| (RoundPart::Swap(s), cycle)),
            );
        for (part, members) in parts {
            for &i in members.iter().flatten() {
                let placed = by_person.entry(i).or_default();
                let placing = Placing { round: r, part };
                // Named twice in one group, they are in it once.
                if placed.last() != Some(&placing) {
                    placed.push(placing);
                }
            }
        }
    }
    Placings {
        round_people,
        by_person,
        by_programme,
    }
}

/// What [`placings`] finds: the index's fields of the same names.
struct Placings<'a> {
    round_people: Vec<RoundPeople>,
    by_person: Map<usize, Vec<Placing>>,
    by_programme: Map<&'a str, Vec<usize>>,
}

/// Each upcoming event at its next date, the past events, and each
/// event's next dates.
fn dates(dir: &Directory, now: Timestamp) -> (Vec<Occurrence>, Vec<usize>, Map<usize, Vec<Zoned>>) {
    let horizon = now
        .checked_add(jiff::SignedDuration::from_hours(24 * REPEAT_HORIZON_DAYS))
        .unwrap_or(now);
    let mut upcoming = Vec::new();
    let mut past = Vec::new();
    let mut occurrences = Map::default();
    for (i, entry) in dir.events.iter().enumerate() {
        let event = &entry.data;
        let length = event
            .end
            .as_ref()
            .map(|end| end.timestamp().duration_since(event.start.timestamp()));
        // An occurrence still running counts as upcoming: look back by its length.
        let since = length.and_then(|l| now.checked_sub(l).ok()).unwrap_or(now);
        let starts: Vec<Zoned> = event
            .occurrences(since, REPEAT_LIMIT)
            .into_iter()
            // A rule without an end is listed a year ahead; one with an end, whole.
            .filter(|start| {
                let endless = event
                    .repeat
                    .as_deref()
                    .is_some_and(|rule| !crate::content::event::rule_is_bounded(rule));
                (!endless || start.timestamp() <= horizon) && !event.is_called_off(start)
            })
            .collect();
        let Some(next) = starts.first() else {
            past.push(i);
            continue;
        };
        upcoming.push(Occurrence {
            event: i,
            start: next.clone(),
            end: length.and_then(|l| next.checked_add(l).ok()),
        });
        occurrences.insert(i, starts);
    }
    upcoming.sort_by(|a, b| a.start.cmp(&b.start).then(a.event.cmp(&b.event)));
    past.sort_by(|&a, &b| dir.events[b].data.start.cmp(&dir.events[a].data.start));
    (upcoming, past, occurrences)
}

/// The terms profiles are under (`people`), with those only events,
/// consultations or asks are under (a policy area no one lists but an
/// event names) added, each with no profile: every topic has its page.
fn with_topics(
    dir: &Directory,
    people: &Taxonomies,
    topics: &super::topic_entries::ByTopic,
) -> Taxonomies {
    let known = |kind: TaxonomyKind, slug: &str| {
        people
            .iter()
            .find(|(k, _)| *k == kind)
            .is_some_and(|(_, terms)| terms.iter().any(|t| t.slug == slug))
    };
    let extra: Vec<&(TaxonomyKind, String)> = topics
        .keys()
        .filter(|(kind, slug)| !known(*kind, slug))
        .collect();
    if extra.is_empty() {
        return Arc::clone(people);
    }
    let mut taxonomies: Vec<(TaxonomyKind, Vec<Term>)> = people.as_ref().clone();
    for (kind, terms) in &mut taxonomies {
        let before = terms.len();
        terms.extend(
            extra
                .iter()
                .filter(|(k, _)| k == kind)
                .map(|(_, slug)| Term {
                    slug: slug.clone(),
                    label: term_label(dir, *kind, slug),
                    profiles: Vec::new(),
                }),
        );
        if terms.len() > before {
            sort_terms(terms);
        }
    }
    Arc::new(taxonomies)
}

/// Terms in the order lists show them: by label; among equal labels, by
/// slug, as the slugs' order is not kept.
fn sort_terms(terms: &mut [Term]) {
    terms.sort_by_cached_key(|t| (t.label.to_lowercase(), t.slug.clone()));
}

/// The terms of a taxonomy that have at least one profile.
fn terms(dir: &Directory, kind: TaxonomyKind, profiles_az: &[usize]) -> Vec<Term> {
    // Each profile's terms are numbered in the directory's order, the order
    // the entries lie in memory; then each term's list is made in A–Z
    // order from those numbers. Reading the entries themselves in A–Z
    // order costs a few cache misses a profile: over a second at 300,000.
    let mut numbers: Map<&str, u32> = Map::default();
    let mut slugs: Vec<&str> = Vec::new();
    let mut starts: Vec<u32> = Vec::with_capacity(dir.profiles.len() + 1);
    let mut found: Vec<u32> = Vec::with_capacity(dir.profiles.len());
    for entry in &dir.profiles {
        starts.push(found.len() as u32);
        let profile = &entry.data;
        let mut add = |slug| {
            let next = slugs.len() as u32;
            let number = *numbers.entry(slug).or_insert_with(|| {
                slugs.push(slug);
                next
            });
            found.push(number);
        };
        match kind {
            TaxonomyKind::Sector => {
                if let Some(o) = dir.organisation(&profile.organisation) {
                    add(o.data.sector.slug());
                }
            }
            TaxonomyKind::PolicyArea => profile.policy_areas.iter().for_each(|a| add(a)),
            TaxonomyKind::Interest => profile.interests.iter().for_each(|a| add(a)),
            TaxonomyKind::OpenTo => profile.open_to.iter().for_each(|o| add(o.slug())),
        }
    }
    starts.push(found.len() as u32);
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); slugs.len()];
    for &i in profiles_az {
        for &number in &found[starts[i] as usize..starts[i + 1] as usize] {
            lists[number as usize].push(i);
        }
    }
    let mut terms: Vec<Term> = slugs
        .into_iter()
        .zip(lists)
        .map(|(slug, profiles)| Term {
            slug: slug.to_string(),
            label: term_label(dir, kind, slug),
            profiles,
        })
        .collect();
    sort_terms(&mut terms);
    terms
}
