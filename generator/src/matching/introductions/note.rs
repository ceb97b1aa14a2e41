//! An introduction as a direct message on the fediverse: shorter than the
//! email, opening with a mention of the person it is for.

use std::fmt::Write as _;

use super::{CALL_MINUTES, CALL_WITHIN_WEEKS, Group, Member, Round, common_ground, escape};
use crate::content::Site;

/// The introduction of `group` as a direct message to `to`, one of its
/// members, on the fediverse: HTML as ActivityPub servers take a `Note`'s
/// content, opening with a mention of `to` (whose actor is `actor`) so
/// that their server shows it to them alone.
pub fn note(
    site: &Site,
    round: &Round<'_>,
    group: &Group<'_>,
    to: &Member<'_>,
    actor: &str,
) -> String {
    let handle = to.fediverse().unwrap_or(to.name());
    let user = handle
        .trim_start_matches('@')
        .split('@')
        .next()
        .unwrap_or(handle);
    let others: Vec<&Member<'_>> = group.members.iter().filter(|m| m.id != to.id).collect();
    let mut out = format!(
        "<p><span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span> ",
        escape(actor),
        escape(user)
    );
    let _ = write!(
        out,
        "You are buddies for {} in the buddy round of {}, with:</p>",
        escape(&round.month.name()),
        escape(&site.title)
    );
    for m in &others {
        let _ = write!(
            out,
            "<p>{}, {}: <a href=\"{2}\">{2}</a></p>",
            escape(m.name()),
            escape(&m.job()),
            escape(&m.link)
        );
    }
    let _ = write!(
        out,
        "<p>{} Have a {CALL_MINUTES}-minute call in the next {CALL_WITHIN_WEEKS} weeks.",
        escape(&common_ground(group))
    );
    if let Some(first) = group.suggester() {
        if first.id == to.id {
            out.push_str(" Please suggest 2 or 3 times that suit you.");
        } else {
            let _ = write!(out, " {} will suggest some times.", escape(first.name()));
        }
    }
    out.push_str("</p>");
    out
}
