//! Who an event or consultation is for: people in some sectors of public
//! service, and members of the public.

use super::choices::{Choice, Sector};
use crate::diagnostic::Code;
use crate::did_you_mean::{did_you_mean, quoted_list};
use crate::fields::Reader;
use crate::node::Node;

/// The word for members of the public in an `audience` list.
pub const PUBLIC: &str = "public";

/// Who an event or consultation is for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Audience {
    /// The sectors invited: for an event with none, everyone in public
    /// service.
    pub sectors: Vec<Sector>,
    /// Whether members of the public may come or respond.
    pub public: bool,
}

impl Audience {
    /// `audience` as written: `[public, nhs]`. A single value is a list of one.
    pub(crate) fn read(r: &mut Reader<'_>, node: &Node) -> Option<Self> {
        let mut audience = Audience::default();
        for item in r.list(node, |r, n| {
            let text = r.text(n)?;
            if text == PUBLIC {
                return Some(None);
            }
            if let Some(sector) = Sector::from_slug(&text) {
                return Some(Some(sector));
            }
            let valid: Vec<&str> = Sector::slugs().chain([PUBLIC]).collect();
            let hint = match did_you_mean(&text, valid.iter().copied()) {
                Some(guess) => format!("{guess} The values are {}", quoted_list(&valid, "and")),
                None => format!(
                    "use `public` for members of the public, or a sector: {}",
                    quoted_list(&valid, "or")
                ),
            };
            r.push(
                r.error(
                    Code::InvalidValue,
                    n.span,
                    format!("`{text}` is not a sector, nor `public`"),
                )
                .with_hint(hint),
            );
            None
        }) {
            match item {
                Some(sector) => audience.sectors.push(sector),
                None => audience.public = true,
            }
        }
        Some(audience)
    }

    /// The list as written, `public` first.
    pub fn slugs(&self) -> Vec<&'static str> {
        self.public
            .then_some(PUBLIC)
            .into_iter()
            .chain(self.sectors.iter().map(|s| s.slug()))
            .collect()
    }
}

/// Every value an `audience` list takes, with its label: for editors.
pub fn labelled() -> Vec<(&'static str, &'static str)> {
    std::iter::once((PUBLIC, "Members of the public"))
        .chain(Sector::LABELLED.iter().copied())
        .collect()
}
