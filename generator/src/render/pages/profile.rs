//! A person's page: their card and the rest of their profile, the rounds
//! they were in, the events they host, their asks, and the people it
//! suggests they meet.

use std::hash::Hash;

use serde::Serialize;
use tera::Context;
use url::Url;

use super::rounds::{PERSON_ROUNDS, PersonRounds};
use super::shown::{AskCard, ListedCard, NextEventCard, Own, Plain, Shown};
use super::{PageKind, Rendered, Renderer, canonical, crumb, home, page_inputs};
use crate::content::{Kind, Profile, TaxonomyKind};
use crate::fingerprint::Fingerprinter;
use crate::matching::suggestions::Suggestion;
use crate::render::format;
use crate::render::index::Index;
use crate::render::structured;
use crate::render::views::{Link, email_html};

/// Someone a profile page suggests meeting: their card, and what the two
/// share. Not their position in the directory, which shifts whenever a
/// profile before it comes or goes.
pub(super) struct Suggested<'a>(Suggestion<'a>);

impl Shown for Suggested<'_> {
    fn hash_into(&self, r: &Renderer<'_>, h: &mut Fingerprinter) {
        ListedCard(self.0.profile).hash_into(r, h);
        let shared = self.0.shared();
        shared.len().hash(h);
        shared.for_each(|tag| tag.hash(h));
        self.0.place().hash(h);
    }
}

page_inputs! {
    /// What a profile's page shows.
    pub(super) struct ProfilePage<'a> {
        card: ListedCard,
        profile: Own<'a, Profile>,
        suggestions: Vec<Suggested<'a>>,
        hosted_events: Vec<NextEventCard>,
        asks: Vec<AskCard>,
        programmes: Plain<Vec<Link>>,
        rounds: PersonRounds<'a>,
    }
}

impl<'a> ProfilePage<'a> {
    pub(super) fn new(ix: &'a Index<'a>, i: usize) -> Self {
        let entry = &ix.dir.profiles[i];
        let slug = entry.slug.as_str();
        ProfilePage {
            card: ListedCard(i),
            profile: Own(entry),
            suggestions: ix.suggestions.of(i).map(Suggested).collect(),
            hosted_events: ix
                .events_by_host
                .get(slug)
                .into_iter()
                .flatten()
                .map(|&e| NextEventCard(e))
                .collect(),
            asks: ix
                .asks_by_profile
                .get(slug)
                .into_iter()
                .flatten()
                .map(|&a| AskCard(a))
                .collect(),
            // The programmes they joined: linked where the directory has
            // the programme, named by its key where it does not (another
            // directory's, not mirrored here).
            programmes: Plain(
                entry
                    .data
                    .programmes
                    .iter()
                    .map(|key| match ix.dir.programme(key) {
                        Some(p) => Link {
                            title: p.data.name.clone(),
                            url: Kind::Programme.url(&p.slug),
                        },
                        None => Link {
                            title: key.clone(),
                            url: String::new(),
                        },
                    })
                    .collect(),
            ),
            rounds: PersonRounds {
                person: i,
                placings: ix.rounds_by_person.get(&i).map_or(&[], |placings| {
                    &placings[..placings.len().min(PERSON_ROUNDS)]
                }),
            },
        }
    }
}

impl PageKind for ProfilePage<'_> {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let ix = r.index;
        let i = self.card.0;
        let entry = self.profile.0;
        let p = &entry.data;
        let mut c = Context::new();
        let rest = ProfileView {
            grade: p.grade.as_deref(),
            pronouns: p.pronouns.as_deref(),
            languages: p
                .languages
                .iter()
                .map(|l| format::language_name(l))
                .collect(),
            policy_areas: r.tags(TaxonomyKind::PolicyArea, &p.policy_areas),
            interests: r.tags(TaxonomyKind::Interest, &p.interests),
            contact: ContactView {
                email_html: p.contact.email.as_deref().map(email_html),
                fediverse: p.contact.fediverse.as_deref(),
                fediverse_url: p.contact.fediverse.as_deref().and_then(fediverse_url),
                linkedin: p.contact.linkedin.as_deref().map(Url::as_str),
            },
            swap: p.swap.as_ref().map(|s| SwapView {
                months: s.months,
                sectors: s
                    .sectors
                    .iter()
                    .map(|x| r.tag(TaxonomyKind::Sector, x.slug()))
                    .collect(),
                policy_areas: r.tags(TaxonomyKind::PolicyArea, &s.policy_areas),
                locations: &s.locations,
                level: p
                    .level
                    .and_then(crate::content::levels::band)
                    .map(|b| LevelView {
                        number: b.level,
                        name: b.name,
                        pay: b.pay,
                    }),
                regulated: s.regulated.map(|x| RegulatedView {
                    label: x.label(),
                    regulator: x.regulator(),
                }),
                vetting: s
                    .vetting
                    .unwrap_or_else(|| {
                        let sector = ix.dir.organisation(&p.organisation).map(|o| o.data.sector);
                        crate::content::Vetting::usual_in(sector)
                    })
                    .label(),
            }),
            bio_html: self.profile.body_html(ix),
            updated: entry.updated.map(|d| d.strftime("%-d %B %Y").to_string()),
            programmes: &self.programmes.0,
        };
        let hosted: Vec<_> = self.hosted_events.iter().map(|e| e.value(ix)).collect();
        let asks: Vec<_> = self.asks.iter().map(|a| a.value(ix)).collect();
        // Made as template values straight away: each suggestion's
        // card is shared with every list it is on, drawn once.
        let suggestions: Vec<tera::Value> = self
            .suggestions
            .iter()
            .map(|Suggested(s)| {
                let shared: Vec<tera::Value> = s
                    .shared()
                    .map(|(kind, slug)| r.tag(kind.into(), slug))
                    .collect();
                let mut view = tera::Map::new();
                view.insert("card".into(), ListedCard(s.profile).value(r));
                view.insert("shared".into(), tera::Value::from(shared));
                view.insert("place".into(), tera::Value::from(s.place()));
                tera::Value::from(view)
            })
            .collect();
        // The card is made once a build, for every list the profile
        // is on: the page adds the rest to it rather than making it again.
        // The page is the profile, not its card in a list: the card's
        // fields are copied, not its drawn HTML.
        let card = r.card(i).listed.as_map();
        let mut profile =
            tera::Map::with_capacity(card.map_or(0, |card| card.len()) + ProfileView::FIELDS);
        profile.extend(
            card.into_iter()
                .flatten()
                .filter(|(key, _)| key.as_str() != Some("html"))
                .map(|(key, value)| (key.clone(), value.clone())),
        );
        rest.insert_into(&mut profile);
        c.insert_value("profile", tera::Value::from(profile));
        c.insert_value("suggestions", tera::Value::from(suggestions));
        c.insert("hosted_events", &hosted);
        c.insert("asks", &asks);
        c.insert("rounds", &self.rounds.value(ix));
        // Not from a second making of the card: the description
        // needs only the organisation's name.
        let description = match ix.organisation_link(&p.organisation) {
            Some(o) => format!("{}, {}", p.role, o.title),
            None => p.role.clone(),
        };
        let mut meta = r.meta(
            p.name.clone(),
            Kind::Profile.url(&entry.slug),
            description,
            "profiles",
            vec![home(), crumb("Profiles", "/profiles/")],
        );
        canonical(&mut meta, &entry.origin);
        meta.og_type = "profile";
        Rendered {
            template: "profile.html",
            entry: Some(entry.path().to_path_buf()),
            meta,
            context: c,
            node: Some(structured::Thing::Person(structured::person(ix, i))),
        }
    }
}

/// What a profile's page shows besides its card.
struct ProfileView<'a> {
    grade: Option<&'a str>,
    pronouns: Option<&'a str>,
    languages: Vec<String>,
    policy_areas: Vec<tera::Value>,
    interests: Vec<tera::Value>,
    contact: ContactView<'a>,
    swap: Option<SwapView<'a>>,
    bio_html: String,
    updated: Option<String>,
    programmes: &'a [Link],
}

impl ProfileView<'_> {
    /// How many fields [`ProfileView::insert_into`] adds.
    const FIELDS: usize = 10;

    /// Adds each field to the card's, as the page's `profile`: straight
    /// into that map, not made as a map of its own and copied over (every
    /// profile page does this).
    fn insert_into(self, profile: &mut tera::Map) {
        let fields: [(&str, tera::Value); ProfileView::FIELDS] = [
            ("grade", self.grade.into()),
            ("pronouns", self.pronouns.into()),
            ("languages", self.languages.into()),
            ("policy_areas", self.policy_areas.into()),
            ("interests", self.interests.into()),
            ("contact", tera::Value::from_serializable(&self.contact)),
            ("swap", tera::Value::from_serializable(&self.swap)),
            ("bio_html", self.bio_html.into()),
            ("updated", self.updated.into()),
            (
                "programmes",
                tera::Value::from_serializable(self.programmes),
            ),
        ];
        for (name, value) in fields {
            profile.insert(name.into(), value);
        }
    }
}

/// How to reach someone, as their page shows it.
#[derive(Serialize)]
struct ContactView<'a> {
    email_html: Option<String>,
    fediverse: Option<&'a str>,
    fediverse_url: Option<String>,
    linkedin: Option<&'a str>,
}

/// The job swap someone offers.
#[derive(Serialize)]
struct SwapView<'a> {
    months: u32,
    sectors: Vec<tera::Value>,
    policy_areas: Vec<tera::Value>,
    locations: &'a [String],
    level: Option<LevelView>,
    regulated: Option<RegulatedView>,
    /// What whoever takes the job must pass first.
    vetting: &'static str,
}

/// A level band, as a swap offer shows it.
#[derive(Serialize)]
struct LevelView {
    number: u8,
    name: &'static str,
    pay: &'static str,
}

/// The regulated profession a job needs.
#[derive(Serialize)]
struct RegulatedView {
    label: &'static str,
    regulator: &'static str,
}

/// `@name@host` → `https://host/@name`.
fn fediverse_url(handle: &str) -> Option<String> {
    let (user, host) = handle.strip_prefix('@')?.split_once('@')?;
    Some(format!("https://{host}/@{user}"))
}
