//! The taxonomies' pages: every taxonomy with its terms, one taxonomy's
//! terms, and a term's people (a page of cards at a time).

use tera::Context;

use super::shown::{People, Plain, TermCounts};
use super::{PageKind, Rendered, Renderer, crumb, home, page_inputs, page_title};
use crate::content::{TaxonomyKind, term_url};
use crate::render::index::Index;
use crate::render::paginate::page_url;
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

page_inputs! {
    /// What one page of a term shows: its people.
    pub(super) struct TermPage<'a> {
        kind: Plain<TaxonomyKind>,
        slug: Plain<&'a str>,
        people: People<'a>,
    }
}

impl<'a> TermPage<'a> {
    pub(super) fn new(ix: &'a Index<'a>, kind: TaxonomyKind, t: usize, number: usize) -> Self {
        let term = &ix.terms(kind)[t];
        TermPage {
            kind: Plain(kind),
            slug: Plain(&term.slug),
            people: People {
                people: &term.profiles,
                number,
            },
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
