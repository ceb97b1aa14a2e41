//! `content/programmes/<slug>.md`: a named matching scheme, owned by one of
//! the site's organisations, which people join from their profiles
//! (`programmes: [yorkshire-buddies]`). Its rounds are run by the
//! directory that owns it, and by no other.

use super::{Cadence, GroupSize, Kind, ProgrammeKind, Sector};
use crate::fields::{Fields, Reader};
use crate::node::Node;

/// A matching programme.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Programme {
    /// Its name, as people know it ("Yorkshire buddies").
    pub name: String,
    /// The organisation that runs it: one of this site's.
    pub organisation: String,
    /// Buddies or job swaps.
    pub kind: ProgrammeKind,
    /// Who may join.
    pub join: Eligibility,
    /// How often its rounds are run.
    pub cadence: Cadence,
    /// The groups a buddy round makes.
    pub groups: GroupSize,
    /// Where to write to its organisers (to pause, to leave, to ask).
    pub contact: Option<String>,
}

/// Who may join a programme: anyone, unless a list says otherwise; each
/// list that is given must be met.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Eligibility {
    /// The sectors people must work in.
    pub sectors: Vec<Sector>,
    /// The organisations they must work for (keys, as profiles name them).
    pub organisations: Vec<String>,
    /// The directories they must come from, by host (this site's own host
    /// for its own people).
    pub origins: Vec<String>,
    /// The cohorts they must be in (`cohort:` on a profile, such as
    /// `ngdp-2027` for the National Graduate Development Programme).
    pub cohorts: Vec<String>,
}

impl Programme {
    pub(crate) fn read(r: &mut Reader<'_>, f: &mut Fields<'_>) -> Option<Self> {
        let name = f.read_required(r, "name", Reader::text);
        let organisation = f.read_required(r, "organisation", |r, n| {
            r.reference(n, Kind::Organisation, "organisation")
        });
        let kind = f.read_required(r, "kind", Reader::choice);
        let join = f.read(r, "join", read_eligibility).unwrap_or_default();
        let cadence = f
            .read(r, "cadence", Reader::choice)
            .unwrap_or(Cadence::Monthly);
        let groups = f
            .read(r, "groups", Reader::choice)
            .unwrap_or(GroupSize::Pairs);
        let contact = f.read(r, "contact", Reader::email);
        Some(Self {
            name: name?,
            organisation: organisation?,
            kind: kind?,
            join,
            cadence,
            groups,
            contact,
        })
    }
}

fn read_eligibility(r: &mut Reader<'_>, node: &Node) -> Option<Eligibility> {
    let mut f = Fields::described(r, node, node.span, "`join`", crate::content::model::JOIN)?;
    let sectors = f
        .read(r, "sectors", |r, n| {
            Some(r.list(n, Reader::choice::<Sector>))
        })
        .unwrap_or_default();
    let organisations = f
        .read(r, "organisations", |r, n| {
            Some(r.list(n, |r, n| {
                r.reference(n, Kind::Organisation, "join.organisations")
            }))
        })
        .unwrap_or_default();
    let origins = f
        .read(r, "origins", |r, n| Some(r.list(n, Reader::host)))
        .unwrap_or_default();
    let cohorts = f
        .read(r, "cohorts", |r, n| Some(r.list(n, Reader::slug)))
        .unwrap_or_default();
    f.finish(r);
    Some(Eligibility {
        sectors,
        organisations,
        origins,
        cohorts,
    })
}

/// Why someone who joined a programme may not take part in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Their organisation's sector is not among those it is open to.
    Sector,
    /// Their organisation is not among those it is open to.
    Organisation,
    /// Their directory is not among those it is open to.
    Origin,
    /// They are in none of the cohorts it is open to.
    Cohort,
}

impl Refusal {
    /// The reason, as the round's summary gives it.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::Sector => "their sector is not one the programme is open to",
            Refusal::Organisation => "their organisation is not one the programme is open to",
            Refusal::Origin => "their directory is not one the programme is open to",
            Refusal::Cohort => "they are not in a cohort the programme is open to",
        }
    }
}

impl Programme {
    /// Why `entry` may not take part, if it may not: the first rule of
    /// `join` it does not meet.
    pub fn refusal(
        &self,
        directory: &super::Directory,
        entry: &super::Entry<super::Profile>,
    ) -> Option<Refusal> {
        let join = &self.join;
        let profile = &entry.data;
        let sector = directory
            .organisation(&profile.organisation)
            .map(|o| o.data.sector);
        if !join.sectors.is_empty() && !sector.is_some_and(|s| join.sectors.contains(&s)) {
            return Some(Refusal::Sector);
        }
        if !join.organisations.is_empty() && !join.organisations.contains(&profile.organisation) {
            return Some(Refusal::Organisation);
        }
        if !join.origins.is_empty() {
            let origin = match super::origin_host(&entry.slug) {
                Some(host) => host.to_string(),
                None => directory.site.host(),
            };
            if !join.origins.contains(&origin) {
                return Some(Refusal::Origin);
            }
        }
        if !join.cohorts.is_empty()
            && !profile
                .cohort
                .as_ref()
                .is_some_and(|c| join.cohorts.contains(c))
        {
            return Some(Refusal::Cohort);
        }
        None
    }
}
