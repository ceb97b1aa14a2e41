//! The taxonomies' pages: every taxonomy with its terms, one taxonomy's
//! terms, and a term's people (a page of cards at a time).

use tera::Context;

use super::shown::{AskCard, ConsultationCard, NextEventCard, People, Plain, TermCounts};
use super::{PageKind, Rendered, Renderer, crumb, home, page_inputs, page_title};
use crate::content::{TaxonomyKind, term_url};
use crate::render::index::Index;
use crate::render::paginate::{page_count, page_range, page_url, pagination};
use crate::render::views::Link;

page_inputs! {
    /// What the topics page shows: every taxonomy's terms.
    pub(super) struct Topics<'a> {
        taxonomies: Vec<TermCounts<'a>>,
    }
}

impl<'a> Topics<'a> {
    pub(super) fn new(ix: &'a Index<'a>) -> Self {
        Topics {
            taxonomies: ix
                .taxonomies
                .iter()
                .map(|(kind, terms)| TermCounts { kind: *kind, terms })
                .collect(),
        }
    }
}

impl PageKind for Topics<'_> {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let ix = r.index;
        let mut c = Context::new();
        let taxonomies: Vec<_> = self
            .taxonomies
            .iter()
            .map(|terms| {
                serde_json::json!({
                    "title": terms.kind.title(),
                    "url": terms.kind.url(),
                    "terms": terms.value(ix),
                })
            })
            .collect();
        c.insert("taxonomies", &taxonomies);
        let meta = r.meta(
            "Topics".into(),
            "/topics/".into(),
            "Browse people by sector, policy area, interest and what they are open to.".into(),
            "topics",
            vec![home()],
        );
        Rendered::plain("taxonomies.html", meta, c)
    }
}

/// A taxonomy as templates link to it.
fn taxonomy_link(kind: TaxonomyKind) -> Link {
    Link {
        title: kind.title().into(),
        url: kind.url().into(),
    }
}

page_inputs! {
    /// What a taxonomy's page shows: its terms.
    pub(super) struct TaxonomyPage<'a> {
        terms: TermCounts<'a>,
    }
}

impl<'a> TaxonomyPage<'a> {
    pub(super) fn new(ix: &'a Index<'a>, kind: TaxonomyKind) -> Self {
        TaxonomyPage {
            terms: TermCounts {
                kind,
                terms: ix.terms(kind),
            },
        }
    }
}

impl PageKind for TaxonomyPage<'_> {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let kind = self.terms.kind;
        let mut c = Context::new();
        c.insert("taxonomy", &taxonomy_link(kind));
        c.insert("terms", &self.terms.value(r.index));
        let meta = r.meta(
            kind.title().into(),
            kind.url().into(),
            format!("People by {}.", kind.title().to_lowercase()),
            "topics",
            vec![home(), crumb("Topics", "/topics/")],
        );
        Rendered::plain("taxonomy.html", meta, c)
    }
}

/// How many of a topic's events, consultations and asks its first page
/// shows; its section's own pages list them all.
pub(super) const SHOWN: usize = 5;

/// A part of a topic other than its people, with pages of its own when it
/// has more than its first page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(in crate::render) enum Section {
    /// Events with a date to come.
    Events,
    /// Consultations.
    Consultations,
    /// Open asks.
    Asks,
}

impl Section {
    /// Every section, in the order a topic's page shows them.
    pub(in crate::render) const ALL: [Section; 3] =
        [Section::Events, Section::Consultations, Section::Asks];

    /// The section's place under its topic's address.
    fn path(self) -> &'static str {
        match self {
            Section::Events => "events/",
            Section::Consultations => "consultations/",
            Section::Asks => "asks/",
        }
    }

    /// What the section lists, as a heading.
    fn title(self) -> &'static str {
        match self {
            Section::Events => "Upcoming events",
            Section::Consultations => "Consultations",
            Section::Asks => "Open asks",
        }
    }

    /// How many the topic has.
    pub(in crate::render) fn len(self, ix: &Index<'_>, kind: TaxonomyKind, slug: &str) -> usize {
        let Some(entries) = ix.topic_entries.get(&(kind, slug.to_string())) else {
            return 0;
        };
        match self {
            Section::Events => entries.events.len(),
            Section::Consultations => entries.consultations.len(),
            Section::Asks => entries.asks.len(),
        }
    }
}

/// The address of a topic's section.
pub(in crate::render) fn section_url(kind: TaxonomyKind, slug: &str, section: Section) -> String {
    format!("{}{}", term_url(kind, slug), section.path())
}

/// Cards of a topic's section: `range` of them.
#[derive(Default)]
struct Cards {
    events: Vec<NextEventCard>,
    consultations: Vec<ConsultationCard>,
    asks: Vec<AskCard>,
}

impl Cards {
    fn of(
        ix: &Index<'_>,
        kind: TaxonomyKind,
        slug: &str,
        sections: &[Section],
        range: impl Fn(usize) -> std::ops::Range<usize>,
    ) -> Self {
        let Some(entries) = ix.topic_entries.get(&(kind, slug.to_string())) else {
            return Self::default();
        };
        let take = |list: &[usize], section: Section| -> Vec<usize> {
            if sections.contains(&section) {
                list.get(range(list.len())).unwrap_or_default().to_vec()
            } else {
                Vec::new()
            }
        };
        Cards {
            events: take(&entries.events, Section::Events)
                .into_iter()
                .map(NextEventCard)
                .collect(),
            consultations: take(&entries.consultations, Section::Consultations)
                .into_iter()
                .map(ConsultationCard)
                .collect(),
            asks: take(&entries.asks, Section::Asks)
                .into_iter()
                .map(AskCard)
                .collect(),
        }
    }
}

/// Gives a page's `events`, `consultations` and `asks`.
fn insert_cards(
    ix: &Index<'_>,
    c: &mut Context,
    events: &[NextEventCard],
    consultations: &[ConsultationCard],
    asks: &[AskCard],
) {
    let events: Vec<_> = events.iter().map(|e| e.value(ix)).collect();
    let consultations: Vec<_> = consultations.iter().map(|k| k.value(ix)).collect();
    let asks: Vec<_> = asks.iter().map(|a| a.value(ix)).collect();
    c.insert("events", &events);
    c.insert("consultations", &consultations);
    c.insert("asks", &asks);
}

page_inputs! {
    /// What one page of a term shows: its people, and on its first page
    /// the first of its events, consultations and asks.
    pub(super) struct TermPage<'a> {
        kind: Plain<TaxonomyKind>,
        slug: Plain<&'a str>,
        people: People<'a>,
        events: Vec<NextEventCard>,
        consultations: Vec<ConsultationCard>,
        asks: Vec<AskCard>,
        totals: Plain<[usize; 3]>,
        /// Whether the term has a calendar file: a policy area with
        /// events in calendars.
        calendar: Plain<bool>,
    }
}

impl<'a> TermPage<'a> {
    pub(super) fn new(ix: &'a Index<'a>, kind: TaxonomyKind, t: usize, number: usize) -> Self {
        let term = &ix.terms(kind)[t];
        let first = number <= 1;
        let cards = if first {
            Cards::of(ix, kind, &term.slug, &Section::ALL, |n| 0..n.min(SHOWN))
        } else {
            Cards::default()
        };
        TermPage {
            kind: Plain(kind),
            slug: Plain(&term.slug),
            people: People {
                people: &term.profiles,
                number,
            },
            events: cards.events,
            consultations: cards.consultations,
            asks: cards.asks,
            totals: Plain(if first {
                Section::ALL.map(|s| s.len(ix, kind, &term.slug))
            } else {
                [0; 3]
            }),
            calendar: Plain(
                first
                    && kind == TaxonomyKind::PolicyArea
                    && crate::render::calendar::has_policy_area_calendar(ix, &term.slug),
            ),
        }
    }
}

impl PageKind for TermPage<'_> {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let ix = r.index;
        let kind = self.kind.0;
        let slug = self.slug.0;
        let number = self.people.number;
        let url = term_url(kind, slug);
        let mut c = Context::new();
        self.people.insert(r, &mut c, &url);
        c.insert("taxonomy", &taxonomy_link(kind));
        let tag = ix.tag(kind, slug);
        c.insert("term", &tag);
        insert_cards(ix, &mut c, &self.events, &self.consultations, &self.asks);
        let more: Vec<_> = Section::ALL
            .iter()
            .zip(self.totals.0)
            .map(|(&section, total)| {
                serde_json::json!({
                    "total": total,
                    "url": (total > SHOWN).then(|| section_url(kind, slug, section)),
                })
            })
            .collect();
        c.insert("more", &more);
        let calendar = self
            .calendar
            .0
            .then(|| ix.calendar_links(&format!("{url}calendar.ics")));
        c.insert("calendar", &calendar);
        c.insert(
            "feed",
            &(self.calendar.0 || !self.events.is_empty()).then_some("/feeds/events.xml"),
        );
        let meta = r.meta(
            page_title(&tag.label, number),
            page_url(&url, number),
            format!("{} people: {}.", self.people.people.len(), tag.label),
            "topics",
            vec![
                home(),
                crumb("Topics", "/topics/"),
                crumb(kind.title(), kind.url()),
            ],
        );
        Rendered::plain("term.html", meta, c)
    }
}

page_inputs! {
    /// One page of a topic's events, consultations or asks.
    pub(super) struct SectionPage<'a> {
        kind: Plain<TaxonomyKind>,
        slug: Plain<&'a str>,
        section: Plain<Section>,
        number: Plain<usize>,
        total: Plain<usize>,
        events: Vec<NextEventCard>,
        consultations: Vec<ConsultationCard>,
        asks: Vec<AskCard>,
    }
}

impl<'a> SectionPage<'a> {
    pub(super) fn new(
        ix: &'a Index<'a>,
        kind: TaxonomyKind,
        t: usize,
        section: Section,
        number: usize,
    ) -> Self {
        let slug = ix.terms(kind)[t].slug.as_str();
        let cards = Cards::of(ix, kind, slug, &[section], |n| page_range(n, number));
        SectionPage {
            kind: Plain(kind),
            slug: Plain(slug),
            section: Plain(section),
            number: Plain(number),
            total: Plain(section.len(ix, kind, slug)),
            events: cards.events,
            consultations: cards.consultations,
            asks: cards.asks,
        }
    }
}

impl PageKind for SectionPage<'_> {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let ix = r.index;
        let (kind, slug, section, number) =
            (self.kind.0, self.slug.0, self.section.0, self.number.0);
        let base = section_url(kind, slug, section);
        let tag = ix.tag(kind, slug);
        let mut c = Context::new();
        insert_cards(ix, &mut c, &self.events, &self.consultations, &self.asks);
        c.insert("term", &tag);
        c.insert("section", section.title());
        c.insert("total", &self.total.0);
        c.insert(
            "pagination",
            &pagination(&base, number, page_count(self.total.0)),
        );
        let title = format!("{}: {}", tag.label, section.title().to_lowercase());
        let meta = r.meta(
            page_title(&title, number),
            page_url(&base, number),
            format!("{} on {}.", section.title(), tag.label),
            "topics",
            vec![
                home(),
                crumb("Topics", "/topics/"),
                crumb(kind.title(), kind.url()),
                crumb(&tag.label, &term_url(kind, slug)),
            ],
        );
        Rendered::plain("term_section.html", meta, c)
    }
}
