//! The pages that show no entry: search (answered in the browser) and the
//! page for addresses the site does not have.

use tera::Context;

use super::{PageKind, Rendered, Renderer, home, page_inputs};

page_inputs! {
    /// The search page: its form, and the script that queries the index.
    pub(super) struct Search {}
}

impl PageKind for Search {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let meta = r.meta(
            "Search".into(),
            "/search/".into(),
            "Search the directory by name, job, organisation, policy area or interest.".into(),
            "search",
            vec![home()],
        );
        Rendered::plain("search.html", meta, Context::new())
    }
}

page_inputs! {
    /// The page for an address the site does not have.
    pub(super) struct NotFound {}
}

impl PageKind for NotFound {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let meta = r.meta(
            "Page not found".into(),
            "/404.html".into(),
            "There is no page at this address.".into(),
            "home",
            vec![],
        );
        Rendered::plain("404.html", meta, Context::new())
    }
}
