//! The taxonomies people are listed by (sector, policy area, interest, what
//! they are open to): their kinds, and their terms' labels and addresses,
//! which pages, feeds and matching summaries all show.

use super::{Choice, Directory, OpenTo, Sector};

/// The taxonomies every site has, in the order the topics page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum TaxonomyKind {
    /// The sector of a person's organisation.
    Sector,
    /// Policy areas, from the vocabulary.
    PolicyArea,
    /// Open tags.
    Interest,
    /// Ways of meeting.
    OpenTo,
}

impl TaxonomyKind {
    /// Every taxonomy.
    pub const ALL: [TaxonomyKind; 4] = [
        TaxonomyKind::Sector,
        TaxonomyKind::PolicyArea,
        TaxonomyKind::Interest,
        TaxonomyKind::OpenTo,
    ];

    /// Its title.
    pub fn title(self) -> &'static str {
        match self {
            TaxonomyKind::Sector => "Sectors",
            TaxonomyKind::PolicyArea => "Policy areas",
            TaxonomyKind::Interest => "Interests",
            TaxonomyKind::OpenTo => "Open to",
        }
    }

    /// The address of its index, which prefixes its terms' addresses.
    pub fn url(self) -> &'static str {
        match self {
            TaxonomyKind::Sector => "/sectors/",
            TaxonomyKind::PolicyArea => "/policy-areas/",
            TaxonomyKind::Interest => "/interests/",
            TaxonomyKind::OpenTo => "/open-to/",
        }
    }
}

/// The address of a taxonomy term's page.
pub fn term_url(kind: TaxonomyKind, slug: &str) -> String {
    [kind.url(), slug, "/"].concat()
}

/// The label of a term, as pages show it.
pub fn term_label(dir: &Directory, kind: TaxonomyKind, slug: &str) -> String {
    match kind {
        TaxonomyKind::Sector => Sector::from_slug(slug)
            .map(Sector::label)
            .unwrap_or(slug)
            .to_string(),
        TaxonomyKind::PolicyArea => dir
            .site
            .vocabulary
            .policy_area_label(slug)
            .unwrap_or(slug)
            .to_string(),
        TaxonomyKind::OpenTo => OpenTo::from_slug(slug)
            .map(OpenTo::label)
            .unwrap_or(slug)
            .to_string(),
        TaxonomyKind::Interest => super::vocabulary::label_from_slug(slug),
    }
}
