//! What each page is made from, as one number.
//!
//! A page's fingerprint mixes the digests of the files it shows (each file's
//! path and text), the lookups it depends on (where it sits in a list, how
//! long the list is, which dates are to come), and what every page shows
//! (the site's settings and footer, the theme). A page whose fingerprint is
//! the one it had at the last build is the same page and is not rendered
//! again: a change to one profile re-renders its page, the list and term
//! pages it is listed on, its organisation's pages, and the pages that show
//! its card, and nothing else.
//!
//! Every input of a page's template context must be named here; the tests
//! compare a site updated save by save with one built afresh, file by file.

use std::hash::{Hash, Hasher};

use super::index::Index;
use super::paginate::{page_count, page_range};
use super::{Job, List, Renderer};
use crate::content::TaxonomyKind;
use crate::content::{ConsultationStatus, Entry};
use crate::fingerprint::{Fingerprinter, digests, hasher, of};

/// Hashes of the cards every list shows, made once per build.
pub(super) struct Keys {
    /// Each profile's card: the profile and its organisation.
    profile_cards: Vec<u64>,
    /// Each event's card: the event and its organisation.
    event_cards: Vec<u64>,
    /// Each ask's card: the ask, whether it is open, and who asks.
    ask_cards: Vec<u64>,
}

/// The digest of each profile's organisation's file, by profile: found
/// through each organisation's people, not by a search for each person's
/// organisation, as it is made on every save.
pub(super) fn organisations_of(index: &Index<'_>) -> Vec<Option<u64>> {
    let dir = index.dir;
    let mut organisation_of: Vec<Option<u64>> = vec![None; dir.profiles.len()];
    for o in &dir.organisations {
        let people = index.people_by_organisation.get(o.slug.as_str());
        for &i in people.into_iter().flatten() {
            organisation_of[i] = Some(o.file.digest());
        }
    }
    organisation_of
}

impl Keys {
    pub(super) fn new(index: &Index<'_>) -> Self {
        let dir = index.dir;
        let profile_cards = dir
            .profiles
            .iter()
            .zip(organisations_of(index))
            .map(|(p, organisation)| of((p.file.digest(), organisation)))
            .collect();
        let event_cards = dir
            .events
            .iter()
            .map(|event| {
                let organisation = event
                    .data
                    .organisation
                    .as_deref()
                    .and_then(|o| dir.organisation(o))
                    .map(|o| o.file.digest());
                of((event.file.digest(), organisation))
            })
            .collect();
        let ask_cards = dir
            .asks
            .iter()
            .map(|ask| {
                let by = dir.profile(&ask.data.by).map(|p| p.file.digest());
                of((ask.file.digest(), ask.data.is_open(index.today), by))
            })
            .collect();
        Self {
            profile_cards,
            event_cards,
            ask_cards,
        }
    }
}

impl Renderer<'_> {
    /// The fingerprint of the page at `url`; `global` covers what every
    /// page shows. Positions in the directory (which shift as entries come
    /// and go) are not part of it: only what the page shows.
    pub(super) fn fingerprint(&self, job: &Job, url: &str, global: u64) -> u64 {
        let ix = self.index;
        let dir = ix.dir;
        let mut h = hasher();
        global.hash(&mut h);
        url.hash(&mut h);
        match *job {
            Job::Home => {
                dir.profiles.len().hash(&mut h);
                dir.organisations.len().hash(&mut h);
                for term in ix.terms(TaxonomyKind::Sector) {
                    (&term.slug, term.profiles.len()).hash(&mut h);
                }
                for occurrence in ix.upcoming.iter().take(5) {
                    self.hash_event_card(occurrence.event, &mut h);
                    occurrence.start.timestamp().hash(&mut h);
                }
                ix.consultations
                    .iter()
                    .filter(|&&i| {
                        dir.consultations[i].data.status(ix.now) == ConsultationStatus::Open
                    })
                    .take(5)
                    .for_each(|&i| self.hash_consultation_card(i, &mut h));
                for &i in ix.open_asks.iter().take(5) {
                    self.hash_ask_card(i, &mut h);
                }
                if let Some(about) = dir.page("about") {
                    self.hash_body(about, &mut h);
                }
            }
            Job::List(list, number) => {
                let total = list.len(ix);
                total.hash(&mut h);
                let range = page_range(total, number);
                match list {
                    List::Profiles => {
                        for &i in &ix.profiles_az[range] {
                            self.keys.profile_cards[i].hash(&mut h);
                        }
                    }
                    List::Organisations => {
                        for &i in &ix.organisations_az[range] {
                            let o = &dir.organisations[i];
                            o.file.digest().hash(&mut h);
                            ix.people_by_organisation
                                .get(o.slug.as_str())
                                .map_or(0, Vec::len)
                                .hash(&mut h);
                        }
                    }
                    List::UpcomingEvents => {
                        for occurrence in &ix.upcoming[range] {
                            self.hash_event_card(occurrence.event, &mut h);
                            occurrence.start.timestamp().hash(&mut h);
                        }
                    }
                    List::PastEvents => {
                        for &i in &ix.past[range] {
                            self.hash_event_card(i, &mut h);
                        }
                    }
                    List::Consultations => {
                        for &i in &ix.consultations[range] {
                            self.hash_consultation_card(i, &mut h);
                        }
                    }
                    List::OpenAsks => {
                        for &i in &ix.open_asks[range] {
                            self.hash_ask_card(i, &mut h);
                        }
                    }
                    List::ClosedAsks => {
                        for &i in &ix.closed_asks[range] {
                            self.hash_ask_card(i, &mut h);
                        }
                    }
                }
            }
            Job::Profile(i) => {
                let entry = &dir.profiles[i];
                self.keys.profile_cards[i].hash(&mut h);
                self.hash_body(entry, &mut h);
                // The card and the reasons, not the position, which shifts
                // whenever a profile before it comes or goes.
                for s in &ix.suggestions[i] {
                    self.keys.profile_cards[s.profile].hash(&mut h);
                    (&s.shared, &s.place).hash(&mut h);
                }
                for &e in ix
                    .events_by_host
                    .get(entry.slug.as_str())
                    .into_iter()
                    .flatten()
                {
                    self.hash_next_event_card(e, &mut h);
                }
                for &a in ix
                    .asks_by_profile
                    .get(entry.slug.as_str())
                    .into_iter()
                    .flatten()
                {
                    self.hash_ask_card(a, &mut h);
                }
            }
            Job::Organisation(i, number) => {
                let entry = &dir.organisations[i];
                self.hash_body(entry, &mut h);
                let people = ix
                    .people_by_organisation
                    .get(entry.slug.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                self.hash_people(people, number, &mut h);
                for &e in ix
                    .events_by_organisation
                    .get(entry.slug.as_str())
                    .into_iter()
                    .flatten()
                    .filter(|&&e| !ix.upcoming_of(e).is_empty())
                    .take(10)
                {
                    self.hash_next_event_card(e, &mut h);
                }
                for &k in ix
                    .consultations_by_organisation
                    .get(entry.slug.as_str())
                    .into_iter()
                    .flatten()
                {
                    self.hash_consultation_card(k, &mut h);
                }
            }
            Job::Event(i) => {
                let entry = &dir.events[i];
                self.hash_next_event_card(i, &mut h);
                self.hash_body(entry, &mut h);
                ix.upcoming_of(i)
                    .iter()
                    .for_each(|start| start.timestamp().hash(&mut h));
                if let Some(host) = &entry.data.host {
                    self.hash_profile_card_of(host, &mut h);
                }
                if let Some(consultation) = &entry.data.consultation
                    && let Ok(k) = dir
                        .consultations
                        .binary_search_by(|c| c.slug.as_str().cmp(consultation))
                {
                    self.hash_consultation_card(k, &mut h);
                }
            }
            Job::Consultation(i) => {
                let entry = &dir.consultations[i];
                self.hash_consultation_card(i, &mut h);
                self.hash_body(entry, &mut h);
                if let Some(lead) = &entry.data.lead {
                    self.hash_profile_card_of(lead, &mut h);
                }
                for &e in ix
                    .events_by_consultation
                    .get(entry.slug.as_str())
                    .into_iter()
                    .flatten()
                {
                    self.hash_next_event_card(e, &mut h);
                }
            }
            Job::Ask(i) => {
                let entry = &dir.asks[i];
                self.hash_ask_card(i, &mut h);
                self.hash_body(entry, &mut h);
                self.hash_profile_card_of(&entry.data.by, &mut h);
            }
            Job::Page(i) => self.hash_body(&dir.pages[i], &mut h),
            Job::Topics => {
                for (_, terms) in ix.taxonomies.iter() {
                    for term in terms {
                        (&term.slug, term.profiles.len()).hash(&mut h);
                    }
                }
            }
            Job::Taxonomy(kind) => {
                for term in ix.terms(kind) {
                    (&term.slug, term.profiles.len()).hash(&mut h);
                }
            }
            Job::Term(kind, t, number) => {
                let term = &ix.terms(kind)[t];
                term.slug.hash(&mut h);
                self.hash_people(&term.profiles, number, &mut h);
            }
            Job::Search | Job::NotFound => {}
        }
        h.finish()
    }

    /// A page of profile cards: the cards, the page number and the total.
    fn hash_people(&self, people: &[usize], number: usize, h: &mut Fingerprinter) {
        (people.len(), page_count(people.len())).hash(h);
        for &i in &people[page_range(people.len(), number)] {
            self.keys.profile_cards[i].hash(h);
        }
    }

    /// A body as rendered: its text, and whether each entry it links to exists.
    fn hash_body<T>(&self, entry: &Entry<T>, h: &mut Fingerprinter) {
        let ix = self.index;
        entry.file.digest().hash(h);
        for (kind, slug) in &entry.links {
            ix.dir.contains(*kind, slug).hash(h);
        }
    }

    fn hash_profile_card_of(&self, slug: &str, h: &mut Fingerprinter) {
        let dir = self.index.dir;
        dir.profiles
            .binary_search_by(|p| p.slug.as_str().cmp(slug))
            .ok()
            .map(|i| self.keys.profile_cards[i])
            .hash(h);
    }

    fn hash_event_card(&self, i: usize, h: &mut Fingerprinter) {
        self.keys.event_cards[i].hash(h);
    }

    fn hash_next_event_card(&self, i: usize, h: &mut Fingerprinter) {
        self.hash_event_card(i, h);
        self.index
            .upcoming_of(i)
            .first()
            .map(jiff::Zoned::timestamp)
            .hash(h);
    }

    fn hash_consultation_card(&self, i: usize, h: &mut Fingerprinter) {
        let ix = self.index;
        let consultation = &ix.dir.consultations[i];
        consultation.file.digest().hash(h);
        consultation.data.status(ix.now).hash(h);
    }

    fn hash_ask_card(&self, i: usize, h: &mut Fingerprinter) {
        self.keys.ask_cards[i].hash(h);
    }
}

/// What every page shows: the site's settings (and footer), whether this is
/// the intranet build, the theme, and the `epoch`: how many times the
/// moment of a time-based change has passed (an event starting, a
/// consultation closing), after which every page is made again.
pub(super) fn global(
    dir: &crate::content::Directory,
    internal: bool,
    theme: u64,
    epoch: u64,
) -> u64 {
    of((
        format!("{:?}", dir.site),
        internal,
        theme,
        digests(&dir.pages),
        epoch,
    ))
}
