//! A free page (`content/pages/`): its title and body.

use tera::Context;

use super::shown::Own;
use super::{PageKind, Rendered, Renderer, home, page_inputs};
use crate::content::{Kind, Page};
use crate::render::index::Index;

page_inputs! {
    /// What a free page shows.
    pub(super) struct FreePage<'a> {
        page: Own<'a, Page>,
    }
}

impl<'a> FreePage<'a> {
    pub(super) fn new(ix: &'a Index<'a>, i: usize) -> Self {
        FreePage {
            page: Own(&ix.dir.pages[i]),
        }
    }
}

impl PageKind for FreePage<'_> {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let ix = r.index;
        let entry = self.page.0;
        let mut c = Context::new();
        let page = serde_json::json!({
            "title": entry.data.title,
            "body_html": self.page.body_html(ix),
            "updated": entry.updated.map(|d| d.strftime("%-d %B %Y").to_string()),
        });
        c.insert("entry", &page);
        let meta = r.meta(
            entry.data.title.clone(),
            Kind::Page.url(&entry.slug),
            entry.data.title.clone(),
            "pages",
            vec![home()],
        );
        Rendered {
            entry: Some(entry.path().to_path_buf()),
            ..Rendered::plain("page.html", meta, c)
        }
    }
}
