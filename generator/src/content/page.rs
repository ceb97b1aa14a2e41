//! `content/pages/<slug>.md`: free pages such as the privacy notice.

use crate::fields::{Fields, Reader};

/// A free page: about, privacy notice, accessibility statement.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Page {
    /// Its title.
    pub title: String,
}

impl Page {
    pub(crate) fn read(r: &mut Reader<'_>, f: &mut Fields<'_>) -> Option<Self> {
        let title = f.read_required(r, "title", Reader::text);
        Some(Self { title: title? })
    }
}
