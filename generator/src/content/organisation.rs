//! `content/organisations/<slug>.md`: an organisation the directory's people work for.

use url::Url;

use super::Sector;
use crate::fields::{Fields, Reader};

/// An organisation: a council, a department, a trust, a force.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Organisation {
    /// Its name, as people know it.
    pub name: String,
    /// Its sector.
    pub sector: Sector,
    /// Its own website.
    pub website: Option<Url>,
    /// A logo under `static/` (or a URL, for mirrored entries).
    pub logo: Option<String>,
    /// The region it serves, as a slug (`yorkshire-and-the-humber`).
    pub region: Option<String>,
    /// The most of its people a job-swap round may place: what it has
    /// committed to (none: no limit).
    pub swap_places: Option<u32>,
}

impl Organisation {
    pub(crate) fn read(r: &mut Reader<'_>, f: &mut Fields<'_>) -> Option<Self> {
        let name = f.read_required(r, "name", Reader::text);
        let sector = f.read_required(r, "sector", Reader::choice);
        let website = f.read(r, "website", |r, n| r.url(n, &["https", "http"]));
        let logo = f.read(r, "logo", Reader::static_file);
        let region = f.read(r, "region", Reader::slug);
        let swap_places = f.read(r, "swap_places", |r, n| r.number(n, 0, 1_000_000));
        Some(Self {
            name: name?,
            sector: sector?,
            website,
            logo,
            region,
            swap_places,
        })
    }
}
