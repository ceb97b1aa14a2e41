//! `content/asks/<slug>.md`: a small ask on the micro-tasking board.

use jiff::civil::Date;

use super::{AskKind, Kind};
use crate::fields::{Fields, Reader};

/// A small, concrete request one officer makes of others.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Ask {
    /// What is asked, in a line.
    pub title: String,
    /// What kind of help.
    pub kind: AskKind,
    /// The profile asking.
    pub by: String,
    /// The last day to answer, if any.
    pub closes: Option<Date>,
    /// Policy areas it concerns.
    pub policy_areas: Vec<String>,
    /// Whether someone has taken it up.
    pub filled: bool,
}

impl Ask {
    pub(crate) fn read(r: &mut Reader<'_>, f: &mut Fields<'_>) -> Option<Self> {
        let title = f.read_required(r, "title", Reader::text);
        let kind = f.read_required(r, "kind", Reader::choice);
        let by = f.read_required(r, "by", |r, n| r.reference(n, Kind::Profile, "by"));
        let closes = f.read(r, "closes", Reader::date);
        let policy_areas = f
            .read(r, "policy_areas", |r, n| {
                Some(r.list(n, Reader::policy_area))
            })
            .unwrap_or_default();
        let filled = f.read(r, "filled", Reader::boolean).unwrap_or(false);
        Some(Self {
            title: title?,
            kind: kind?,
            by: by?,
            closes,
            policy_areas,
            filled,
        })
    }

    /// Whether the ask still wants answers on `today`.
    pub fn is_open(&self, today: Date) -> bool {
        !self.filled && self.closes.is_none_or(|closes| today <= closes)
    }
}
