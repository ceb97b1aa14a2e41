//! A consultation's page: its status and dates, who leads it, how to
//! respond, and its sessions.

use tera::Context;
use url::Url;

use super::shown::{ConsultationCard, NextEventCard, Own, ProfileCardAt};
use super::{PageKind, Rendered, Renderer, canonical, crumb, home, page_inputs};
use crate::content::Consultation;
use crate::render::format;
use crate::render::index::Index;
use crate::render::views::email_html;

page_inputs! {
    /// What a consultation's page shows.
    pub(super) struct ConsultationPage<'a> {
        card: ConsultationCard,
        consultation: Own<'a, Consultation>,
        lead: ProfileCardAt,
        sessions: Vec<NextEventCard>,
    }
}

impl<'a> ConsultationPage<'a> {
    pub(super) fn new(ix: &'a Index<'a>, i: usize) -> Self {
        let entry = &ix.dir.consultations[i];
        ConsultationPage {
            card: ConsultationCard(i),
            consultation: Own(entry),
            lead: ProfileCardAt(
                entry
                    .data
                    .lead
                    .as_deref()
                    .and_then(|lead| ix.dir.profile_place(lead)),
            ),
            sessions: ix
                .events_by_consultation
                .get(entry.slug.as_str())
                .into_iter()
                .flatten()
                .map(|&e| NextEventCard(e))
                .collect(),
        }
    }
}

impl PageKind for ConsultationPage<'_> {
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r> {
        let ix = r.index;
        let entry = self.consultation.0;
        let k = &entry.data;
        let mut c = Context::new();
        let card = self.card.value(ix);
        let sessions: Vec<_> = self.sessions.iter().map(|e| e.value(ix)).collect();
        let consultation = serde_json::json!({
            "title": card.title, "url": card.url, "status": card.status, "opens": card.opens,
            "closes": card.closes, "closes_in": card.closes_in, "policy_areas": card.policy_areas,
            "opens_iso": format::iso(&k.opens), "closes_iso": format::iso(&k.closes),
            "public": k.audience.public,
            "audience": k.audience.sectors.iter().map(|s| ix.sector_tag(*s)).collect::<Vec<_>>(),
            "lead": self.lead.value(ix),
            "respond": {
                "url": k.respond.url.as_ref().map(Url::as_str),
                "email_html": k.respond.email.as_deref().map(email_html),
                "post": k.respond.post,
            },
            "outcome_url": k.outcome.as_ref().map(Url::as_str),
            "body_html": self.consultation.body_html(ix),
            "origin": ix.origin_from(&entry.origin, k.organisation.as_deref()),
        });
        c.insert("consultation", &consultation);
        c.insert("sessions", &sessions);
        let description = format!(
            "{}: open from {} to {}.",
            card.status.label, card.opens, card.closes
        );
        let mut meta = r.meta(
            k.title.clone(),
            card.url.clone(),
            description,
            "consultations",
            vec![home(), crumb("Consultations", "/consultations/")],
        );
        canonical(&mut meta, &entry.origin);
        Rendered {
            entry: Some(entry.path().to_path_buf()),
            ..Rendered::plain("consultation.html", meta, c)
        }
    }
}
