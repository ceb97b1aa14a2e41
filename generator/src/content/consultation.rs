//! `content/consultations/<slug>.md`: a policy consultation.

use jiff::{Timestamp, Zoned};
use url::Url;

use super::Kind;
use crate::diagnostic::Code;
use crate::fields::{Fields, Reader};
use crate::node::Node;

/// A consultation the public and other organisations can respond to.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Consultation {
    /// Its title.
    pub title: String,
    /// When it opens.
    pub opens: Zoned,
    /// When it closes (the end of the day, when only a date is written).
    pub closes: Zoned,
    /// Policy areas it concerns.
    pub policy_areas: Vec<String>,
    /// The profile leading it.
    pub lead: Option<String>,
    /// The organisation running it; the site's first when not said.
    pub organisation: Option<String>,
    /// Who may respond: sectors named, and whether members of the public.
    pub audience: super::Audience,
    /// Ways to respond; at least one is set.
    pub respond: Respond,
    /// A link to the published outcome.
    pub outcome: Option<Url>,
    /// Whether the body has an `## Outcome` section.
    pub outcome_in_body: bool,
}

/// Ways to respond to a consultation.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Respond {
    /// An online form or page.
    pub url: Option<Url>,
    /// An email address.
    pub email: Option<String>,
    /// A postal address.
    pub post: Option<String>,
}

/// Where a consultation stands; derived from its dates, never written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConsultationStatus {
    /// Not open yet.
    Upcoming,
    /// Taking responses.
    Open,
    /// Closed, outcome not yet published.
    Closed,
    /// Closed, and its outcome is published.
    OutcomePublished,
}

impl ConsultationStatus {
    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            ConsultationStatus::Upcoming => "Upcoming",
            ConsultationStatus::Open => "Open",
            ConsultationStatus::Closed => "Closed",
            ConsultationStatus::OutcomePublished => "Outcome published",
        }
    }
}

impl Consultation {
    pub(crate) fn read(r: &mut Reader<'_>, f: &mut Fields<'_>, body: &str) -> Option<Self> {
        let title = f.read_required(r, "title", Reader::text);
        let opens = f.read_required(r, "opens", |r, n| r.date_or_time(n, false));
        let closes_node = f.require(r, "closes");
        let closes = closes_node.and_then(|n| r.date_or_time(n, true));
        if let (Some(opens), Some(closes), Some(node)) = (&opens, &closes, closes_node)
            && closes <= opens
        {
            r.push(
                r.error(
                    Code::ClosesBeforeOpens,
                    node.span,
                    format!(
                        "the consultation closes ({}) before it opens ({})",
                        closes.strftime("%Y-%m-%d %H:%M"),
                        opens.strftime("%Y-%m-%d %H:%M")
                    ),
                )
                .with_hint("check the dates of `opens` and `closes`"),
            );
        }
        let policy_areas = f
            .read(r, "policy_areas", |r, n| {
                Some(r.list(n, Reader::policy_area))
            })
            .unwrap_or_default();
        let lead = f.read(r, "lead", |r, n| r.reference(n, Kind::Profile, "lead"));
        let organisation = f.read(r, "organisation", |r, n| {
            r.reference(n, Kind::Organisation, "organisation")
        });
        let audience = f
            .read(r, "audience", super::Audience::read)
            .unwrap_or_default();
        let respond = f.read_required(r, "respond", read_respond);
        let outcome = f.read(r, "outcome", |r, n| r.url(n, &["https", "http"]));
        Some(Self {
            title: title?,
            opens: opens?,
            closes: closes?,
            policy_areas,
            lead,
            organisation,
            audience,
            respond: respond?,
            outcome,
            outcome_in_body: has_outcome_section(body),
        })
    }

    /// Where the consultation stands at `now`.
    pub fn status(&self, now: Timestamp) -> ConsultationStatus {
        if now < self.opens.timestamp() {
            ConsultationStatus::Upcoming
        } else if now < self.closes.timestamp() {
            ConsultationStatus::Open
        } else if self.outcome.is_some() || self.outcome_in_body {
            ConsultationStatus::OutcomePublished
        } else {
            ConsultationStatus::Closed
        }
    }
}

/// Whether a Markdown body has a heading reading "Outcome".
fn has_outcome_section(body: &str) -> bool {
    body.lines().any(|line| {
        let line = line.trim();
        line.starts_with('#')
            && line
                .trim_start_matches('#')
                .trim()
                .eq_ignore_ascii_case("outcome")
    })
}

fn read_respond(r: &mut Reader<'_>, node: &Node) -> Option<Respond> {
    let mut f = Fields::described(
        r,
        node,
        node.span,
        "`respond`",
        crate::content::model::RESPOND,
    )?;
    let before = r.diagnostics.len();
    let respond = Respond {
        url: f.read(r, "url", |r, n| r.url(n, &["https", "http"])),
        email: f.read(r, "email", Reader::email),
        post: f.read(r, "post", Reader::text),
    };
    // A way written but wrong is reported on its own line; only report
    // "no way" when none is written at all.
    let given = respond.url.is_some() || respond.email.is_some() || respond.post.is_some();
    let wrong = r.diagnostics.len() > before;
    f.finish(r);
    if !given && !wrong {
        r.push(
            r.error(
                Code::NoWayToRespond,
                node.span,
                "the consultation gives no way to respond",
            )
            .with_hint("add at least one of `url`, `email` or `post` under `respond`"),
        );
        return None;
    }
    Some(respond)
}
