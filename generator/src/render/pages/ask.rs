//! An ask's page: what is asked, by whom, and until when.

use tera::Context;

use super::shown::{AskCard, Own, ProfileCardAt};
use super::{PageKind, Rendered, Renderer, canonical, crumb, home, page_inputs};
use crate::content::{Ask, TaxonomyKind};
use crate::render::index::Index;

page_inputs! {
    /// What an ask's page shows.
    pub(super) struct AskPage<'a> {
        card: AskCard,
        ask: Own<'a, Ask>,
        by: ProfileCardAt,
    }
}

impl<'a> AskPage<'a> {
    pub(super) fn new(ix: &'a Index<'a>, i: usize) -> Self {
        let entry = &ix.dir.asks[i];
        AskPage {
            card: AskCard(i),
            ask: Own(entry),
            by: ProfileCardAt(ix.askers[i]),
        }
    }
}

impl PageKind for AskPage<'_> {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let ix = r.index;
        let entry = self.ask.0;
        let a = &entry.data;
        let mut c = Context::new();
        let card = self.card.value(ix);
        let ask = serde_json::json!({
            "title": card.title, "url": card.url, "kind": card.kind, "by": card.by,
            "closes": card.closes, "filled": card.filled, "open": card.open,
            "policy_areas": ix.tags(TaxonomyKind::PolicyArea, a.policy_areas.iter().map(String::as_str)),
            "by_profile": self.by.value(ix),
            "body_html": self.ask.body_html(ix),
            "origin": ix.origin_from(
                &entry.origin,
                self.by.0.map(|p| ix.dir.profiles[p].data.organisation.as_str()),
            ),
        });
        c.insert("ask", &ask);
        let mut meta = r.meta(
            a.title.clone(),
            card.url.clone(),
            format!("{}: {}", a.kind.label(), a.title),
            "asks",
            vec![home(), crumb("Asks", "/asks/")],
        );
        canonical(&mut meta, &entry.origin);
        Rendered {
            entry: Some(entry.path().to_path_buf()),
            ..Rendered::plain("ask.html", meta, c)
        }
    }
}
