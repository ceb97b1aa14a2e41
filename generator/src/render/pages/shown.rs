//! What pages show of other entries: cards, bodies, pages of people, term
//! counts. Each is a handle (a position in the index, a slug) that gives
//! both its template value and what it is made from, for the fingerprint
//! of every page that shows it; so a page's values and its fingerprint come
//! from one description of its inputs (see [`page_inputs!`]).

use std::hash::Hash;

use jiff::Zoned;
use rayon::prelude::*;
use tera::Context;

use super::Renderer;
use crate::content::{Entry, TaxonomyKind};
use crate::fingerprint::Fingerprinter;
use crate::render::index::{Index, Term};
use crate::render::paginate::{page_count, page_range, pagination};
use crate::render::views::{self, TagCount};

/// Something a page shows: what it is made from goes into the page's
/// fingerprint, so that the page is made again when it changes.
pub(in crate::render) trait Shown {
    /// Adds what it is made from to a page's fingerprint.
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter);
}

/// Declares what a page kind shows, as a struct of [`Shown`] fields, and
/// its fingerprint as every one of those fields: a field added to the
/// struct is in the fingerprint, so the two cannot drift apart.
macro_rules! page_inputs {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident $(<$lt:lifetime>)? {
            $($(#[$field_meta:meta])* $field:ident: $ty:ty,)*
        }
    ) => {
        $(#[$meta])*
        $vis struct $name $(<$lt>)? {
            $($(#[$field_meta])* $field: $ty,)*
        }

        impl $(<$lt>)? $crate::render::pages::shown::Shown for $name $(<$lt>)? {
            #[allow(unused_variables)]
            fn hash_into(
                &self,
                r: &$crate::render::pages::Renderer<'_>,
                h: &mut $crate::fingerprint::Fingerprinter,
            ) {
                $(self.$field.hash_into(r, h);)*
            }
        }
    };
}
pub(in crate::render) use page_inputs;

/// A plain value a page shows (a count, a slug), hashed as it is.
pub(in crate::render) struct Plain<T>(pub T);

impl<T: Hash> Shown for Plain<T> {
    fn hash_into(&self, _: &Renderer<'_>, h: &mut Fingerprinter) {
        self.0.hash(h);
    }
}

impl<T: Shown> Shown for Option<T> {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        self.is_some().hash(h);
        if let Some(shown) = self {
            shown.hash_into(r, h);
        }
    }
}

impl<T: Shown> Shown for Vec<T> {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        self.len().hash(h);
        for shown in self {
            shown.hash_into(r, h);
        }
    }
}

/// Hashes of the cards every list shows, made once per build.
pub(in crate::render) struct Keys {
    /// Each profile's card: the profile, its organisation and its photo.
    profile_cards: Vec<u64>,
    /// Each event's card: the event and its organisation.
    event_cards: Vec<u64>,
    /// Each ask's card: the ask, whether it is open, and who asks.
    ask_cards: Vec<u64>,
}

impl Keys {
    pub(in crate::render) fn new(index: &Index<'_>) -> Self {
        use crate::fingerprint::of;
        let dir = index.dir;
        let profile_cards = dir
            .profiles
            .par_iter()
            .zip(index.organisation_digests())
            .map(|(p, organisation)| {
                let photo = p.data.photo.as_deref().and_then(|x| index.photos.get(x));
                of((p.file.digest(), organisation, photo))
            })
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
            .zip(&index.askers)
            .map(|(ask, by)| {
                let by = by.map(|p| dir.profiles[p].file.digest());
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

/// A profile's card as lists show it, drawn by the theme.
#[derive(Clone, Copy)]
pub(in crate::render) struct ListedCard(pub usize);

impl ListedCard {
    pub(in crate::render) fn value(&self, r: &Renderer<'_>) -> tera::Value {
        r.listed_card(self.0)
    }
}

impl Shown for ListedCard {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        r.keys.profile_cards[self.0].hash(h);
    }
}

/// A profile's card as a field of an event, consultation or ask, by the
/// profile's place among the directory's: nothing if the profile is not in
/// this build.
#[derive(Clone, Copy)]
pub(in crate::render) struct ProfileCardAt(pub Option<usize>);

impl ProfileCardAt {
    pub(in crate::render) fn value(&self, ix: &Index<'_>) -> Option<views::ProfileCard> {
        self.0.map(|i| ix.profile_card(i))
    }
}

impl Shown for ProfileCardAt {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        self.0.map(|i| r.keys.profile_cards[i]).hash(h);
    }
}

/// An event's card, for one of its dates (or its own start).
pub(in crate::render) struct EventCard<'a> {
    pub event: usize,
    pub start: Option<(&'a Zoned, Option<&'a Zoned>)>,
}

impl EventCard<'_> {
    pub(in crate::render) fn value(&self, ix: &Index<'_>) -> views::EventCard {
        ix.event_card(self.event, self.start)
    }
}

impl Shown for EventCard<'_> {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        r.keys.event_cards[self.event].hash(h);
        // The end follows from the start and the event's file.
        self.start.map(|(start, _)| start.timestamp()).hash(h);
    }
}

/// An event's card for its next date, or its only one.
#[derive(Clone, Copy)]
pub(in crate::render) struct NextEventCard(pub usize);

impl NextEventCard {
    pub(in crate::render) fn value(&self, ix: &Index<'_>) -> views::EventCard {
        ix.next_event_card(self.0)
    }
}

impl Shown for NextEventCard {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        r.keys.event_cards[self.0].hash(h);
        r.index
            .upcoming_of(self.0)
            .first()
            .map(Zoned::timestamp)
            .hash(h);
    }
}

/// A consultation's card: its file and its status now.
#[derive(Clone, Copy)]
pub(in crate::render) struct ConsultationCard(pub usize);

impl ConsultationCard {
    pub(in crate::render) fn value(&self, ix: &Index<'_>) -> views::ConsultationCard {
        ix.consultation_card(self.0)
    }
}

impl Shown for ConsultationCard {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        let ix = r.index;
        let consultation = &ix.dir.consultations[self.0];
        consultation.file.digest().hash(h);
        consultation.data.status(ix.now).hash(h);
        ix.closes_in(&consultation.data).hash(h);
    }
}

/// An ask's card.
#[derive(Clone, Copy)]
pub(in crate::render) struct AskCard(pub usize);

impl AskCard {
    pub(in crate::render) fn value(&self, ix: &Index<'_>) -> views::AskCard {
        ix.ask_card(self.0)
    }
}

impl Shown for AskCard {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        r.keys.ask_cards[self.0].hash(h);
    }
}

/// An entry itself, as its own page shows it: its fields, and its body
/// with its links to other entries, each live or plain text.
pub(in crate::render) struct Own<'a, T>(pub &'a Entry<T>);

impl<T> Own<'_, T> {
    /// The body as HTML.
    pub(in crate::render) fn body_html(&self, ix: &Index<'_>) -> String {
        ix.body_html(self.0)
    }
}

impl<T> Shown for Own<'_, T> {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        self.0.file.digest().hash(h);
        for (kind, slug) in &self.0.links {
            r.index.dir.contains(*kind, slug).hash(h);
        }
    }
}

/// One page of a list of people's cards, A–Z.
pub(in crate::render) struct People<'a> {
    pub people: &'a [usize],
    pub number: usize,
}

impl People<'_> {
    /// Gives the page's `items`, their A–Z `groups`, the `total` and the
    /// `pagination`, each card with its `html`.
    pub(in crate::render) fn insert(&self, r: &Renderer<'_>, c: &mut Context, base: &str) {
        let people = self.people;
        let number = self.number;
        let page = &people[page_range(people.len(), number)];
        // Each card is cloned once for `items` and once for `groups`.
        let (letters, items): (Vec<&str>, Vec<tera::Value>) = page
            .iter()
            .map(|&i| {
                let card = r.card(i);
                (&*card.letter, card.listed.clone())
            })
            .unzip();
        let mut groups: Vec<(String, Vec<tera::Value>)> = Vec::new();
        for (letter, card) in letters.iter().zip(&items) {
            match groups.last_mut() {
                Some((last, items)) if last == letter => items.push(card.clone()),
                _ => groups.push(((*letter).to_string(), vec![card.clone()])),
            }
        }
        let groups: Vec<tera::Value> = groups
            .into_iter()
            .map(|(letter, items)| {
                let mut group = tera::Map::new();
                group.insert("letter".into(), tera::Value::from(letter));
                group.insert("items".into(), tera::Value::from(items));
                tera::Value::from(group)
            })
            .collect();
        c.insert_value("groups", tera::Value::from(groups));
        c.insert_value("items", tera::Value::from(items));
        c.insert("total", &people.len());
        c.insert(
            "pagination",
            &pagination(base, number, page_count(people.len())),
        );
    }
}

impl Shown for People<'_> {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        let people = self.people;
        (people.len(), page_count(people.len())).hash(h);
        for &i in &people[page_range(people.len(), self.number)] {
            r.keys.profile_cards[i].hash(h);
        }
    }
}

/// The terms of a taxonomy, each with how many people it has.
pub(in crate::render) struct TermCounts<'a> {
    pub kind: TaxonomyKind,
    pub terms: &'a [Term],
}

impl TermCounts<'_> {
    pub(in crate::render) fn value(&self, ix: &Index<'_>) -> Vec<TagCount> {
        self.terms
            .iter()
            .map(|t| TagCount {
                tag: ix.tag(self.kind, &t.slug),
                count: t.profiles.len(),
            })
            .collect()
    }
}

impl Shown for TermCounts<'_> {
    fn hash_into(&self, _: &Renderer<'_>, h: &mut Fingerprinter) {
        for term in self.terms {
            (&term.slug, term.profiles.len()).hash(h);
        }
    }
}
