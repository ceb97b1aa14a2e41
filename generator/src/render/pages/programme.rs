//! A programme's page: what it is, who runs it, who may join and how, its
//! latest rounds, and the people who have joined.

use tera::Context;

use super::rounds::{PROGRAMME_ROUNDS, ProgrammeRounds};
use super::shown::{ListedCard, Own, Plain};
use super::{PageKind, Rendered, Renderer, canonical, home, page_inputs};
use crate::content::{Kind, Programme, TaxonomyKind};
use crate::render::index::Index;

page_inputs! {
    /// What a programme's page shows.
    pub(super) struct ProgrammePage<'a> {
        programme: Own<'a, Programme>,
        organisation: Plain<Option<(String, String)>>,
        members: Vec<ListedCard>,
        rounds: ProgrammeRounds<'a>,
    }
}

impl<'a> ProgrammePage<'a> {
    pub(super) fn new(ix: &'a Index<'a>, i: usize) -> Self {
        let entry = &ix.dir.programmes[i];
        // A mirrored programme names its own directory's organisation.
        let organisation = ix
            .organisation_link(&entry.data.organisation)
            .map(|l| (l.title, l.url));
        let members = ix
            .dir
            .profiles
            .iter()
            .enumerate()
            .filter(|(_, p)| p.data.programmes.iter().any(|k| *k == entry.slug))
            .map(|(i, _)| ListedCard(i))
            .collect();
        let rounds = ix
            .rounds_by_programme
            .get(entry.slug.as_str())
            .map_or(&[][..], |rounds| {
                &rounds[..rounds.len().min(PROGRAMME_ROUNDS)]
            });
        ProgrammePage {
            programme: Own(entry),
            organisation: Plain(organisation),
            members,
            rounds: ProgrammeRounds { rounds },
        }
    }
}

impl PageKind for ProgrammePage<'_> {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let ix = r.index;
        let entry = self.programme.0;
        let p = &entry.data;
        let join = &p.join;
        let sectors: Vec<_> = join
            .sectors
            .iter()
            .map(|s| r.tag(TaxonomyKind::Sector, s.slug()))
            .collect();
        let organisations: Vec<_> = join
            .organisations
            .iter()
            .filter_map(|o| ix.organisation_link(o))
            .collect();
        let members: Vec<tera::Value> = self.members.iter().map(|m| m.value(r)).collect();
        let view = serde_json::json!({
            "name": p.name,
            "kind": p.kind.label(),
            "organisation": self.organisation.0.as_ref().map(|(title, url)| serde_json::json!({"title": title, "url": url})),
            "sectors": sectors,
            "organisations": organisations,
            "origins": join.origins,
            "cohorts": join.cohorts,
            "cadence": p.cadence.label(),
            "groups": p.groups.label(),
            "contact": p.contact,
            "slug": entry.slug,
            "body_html": self.programme.body_html(ix),
            "origin": ix.origin_from(&entry.origin, Some(&p.organisation)),
        });
        let mut c = Context::new();
        c.insert("programme", &view);
        c.insert("members", &members);
        c.insert("rounds", &self.rounds.value(ix));
        let url = Kind::Programme.url(&entry.slug);
        let mut meta = r.meta(
            p.name.clone(),
            url,
            format!("{}: {}", p.kind.label(), p.name),
            "programmes",
            vec![home()],
        );
        canonical(&mut meta, &entry.origin);
        Rendered {
            entry: Some(entry.path().to_path_buf()),
            ..Rendered::plain("programme.html", meta, c)
        }
    }
}
