//! The home page: the sectors, and the first few events, open
//! consultations and asks.

use tera::Context;

use super::shown::{AskCard, ConsultationCard, EventCard, Own, Plain, TermCounts};
use super::{PageKind, Rendered, Renderer, page_inputs};
use crate::content::{ConsultationStatus, Page, TaxonomyKind};
use crate::render::index::Index;
use crate::render::views::TagCount;

/// How many upcoming events, open consultations and open asks it shows.
const ITEMS: usize = 5;

page_inputs! {
    /// What the home page shows.
    pub(super) struct Home<'a> {
        profiles: Plain<usize>,
        organisations: Plain<usize>,
        sectors: TermCounts<'a>,
        upcoming: Vec<EventCard<'a>>,
        open_consultations: Vec<ConsultationCard>,
        newest_asks: Vec<AskCard>,
        /// The `about` page's body, shown as the introduction.
        about: Option<Own<'a, Page>>,
    }
}

impl<'a> Home<'a> {
    pub(super) fn new(ix: &'a Index<'a>) -> Self {
        let dir = ix.dir;
        Home {
            profiles: Plain(dir.profiles.len()),
            organisations: Plain(dir.organisations.len()),
            sectors: TermCounts {
                kind: TaxonomyKind::Sector,
                terms: ix.terms(TaxonomyKind::Sector),
            },
            upcoming: ix
                .upcoming
                .iter()
                .take(ITEMS)
                .map(|o| EventCard {
                    event: o.event,
                    start: Some((&o.start, o.end.as_ref())),
                })
                .collect(),
            open_consultations: ix
                .consultations
                .iter()
                .filter(|&&i| dir.consultations[i].data.status(ix.now) == ConsultationStatus::Open)
                .take(ITEMS)
                .map(|&i| ConsultationCard(i))
                .collect(),
            newest_asks: ix
                .open_asks
                .iter()
                .take(ITEMS)
                .map(|&i| AskCard(i))
                .collect(),
            about: dir.page("about").map(Own),
        }
    }
}

impl PageKind for Home<'_> {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let ix = r.index;
        let dir = ix.dir;
        let mut c = Context::new();
        let mut sectors: Vec<TagCount> = self.sectors.value(ix);
        sectors.sort_by(|a, b| b.count.cmp(&a.count).then(a.tag.label.cmp(&b.tag.label)));
        c.insert("profile_count", &self.profiles.0);
        c.insert("sectors", &sectors);
        let upcoming: Vec<_> = self.upcoming.iter().map(|e| e.value(ix)).collect();
        c.insert("upcoming_events", &upcoming);
        let open: Vec<_> = self
            .open_consultations
            .iter()
            .map(|k| k.value(ix))
            .collect();
        c.insert("open_consultations", &open);
        let asks: Vec<_> = self.newest_asks.iter().map(|a| a.value(ix)).collect();
        c.insert("newest_asks", &asks);
        c.insert("about_html", &self.about.as_ref().map(|p| p.body_html(ix)));
        c.insert("topics_url", "/topics/");
        let description = format!(
            "{} public servants from {} organisations, open to meeting people from other sectors.",
            self.profiles.0, self.organisations.0
        );
        let meta = r.meta(
            dir.site.title.clone(),
            "/".into(),
            description,
            "home",
            vec![],
        );
        Rendered::plain("index.html", meta, c)
    }
}
