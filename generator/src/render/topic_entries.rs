//! What a topic (a sector, a policy area, a way of meeting) holds besides
//! people: the events, consultations and asks under it, for its pages.
//!
//! An entry is under a policy area it names; under the sector of the
//! organisation that holds it (an ask, its asker's organisation); and, for
//! an ask or event that is itself a way of meeting (a coffee, a shadowing
//! day, a mentor wanted), under that way. Interests are people's alone.

use std::collections::HashSet;

use super::index::{Map, Occurrence};
use crate::content::{AskKind, Directory, EventKind, OpenTo, TaxonomyKind};

/// The events, consultations and asks under one topic, in the order their
/// lists show them.
#[derive(Debug, Default, Clone)]
pub struct TopicEntries {
    /// Events with a date to come, soonest first.
    pub events: Vec<usize>,
    /// Consultations, as the consultations list orders them.
    pub consultations: Vec<usize>,
    /// Open asks, newest first.
    pub asks: Vec<usize>,
}

/// Each topic's entries, by taxonomy and the term's slug.
pub type ByTopic = Map<(TaxonomyKind, String), TopicEntries>;

/// The way of meeting an ask of this kind is, if it is one.
fn ask_way(kind: AskKind) -> Option<OpenTo> {
    match kind {
        AskKind::Coffee => Some(OpenTo::Coffee),
        AskKind::ShadowingHost => Some(OpenTo::Shadowing),
        AskKind::Mentor => Some(OpenTo::Mentoring),
        AskKind::Speaker => Some(OpenTo::Speaking),
        AskKind::WorkshopPlace | AskKind::CriticalFriend => None,
    }
}

/// The way of meeting an event of this kind is, if it is one.
fn event_way(kind: EventKind) -> Option<OpenTo> {
    match kind {
        EventKind::ShadowingDay => Some(OpenTo::Shadowing),
        _ => None,
    }
}

/// Every topic's events (of `upcoming`), consultations (in the order of
/// `consultations`) and asks (of `open_asks`, whose askers are `askers`).
pub fn by_topic(
    dir: &Directory,
    upcoming: &[Occurrence],
    consultations: &[usize],
    open_asks: &[usize],
    askers: &[Option<usize>],
) -> ByTopic {
    let mut topics = ByTopic::default();
    let sector_of = |organisation: Option<&str>| {
        organisation
            .and_then(|o| dir.organisation(o))
            .map(|o| (TaxonomyKind::Sector, o.data.sector.slug().to_string()))
    };
    let areas = |areas: &[String]| {
        areas
            .iter()
            .map(|a| (TaxonomyKind::PolicyArea, a.clone()))
            .collect::<Vec<_>>()
    };
    let mut seen: HashSet<usize, ahash::RandomState> = HashSet::default();
    for occurrence in upcoming {
        if !seen.insert(occurrence.event) {
            continue;
        }
        let e = &dir.events[occurrence.event].data;
        let way = event_way(e.kind).map(|w| (TaxonomyKind::OpenTo, w.slug().to_string()));
        for topic in areas(&e.policy_areas)
            .into_iter()
            .chain(sector_of(e.organisation.as_deref()))
            .chain(way)
        {
            topics
                .entry(topic)
                .or_default()
                .events
                .push(occurrence.event);
        }
    }
    for &i in consultations {
        let c = &dir.consultations[i].data;
        for topic in areas(&c.policy_areas)
            .into_iter()
            .chain(sector_of(c.organisation.as_deref()))
        {
            topics.entry(topic).or_default().consultations.push(i);
        }
    }
    for &i in open_asks {
        let a = &dir.asks[i].data;
        let organisation = askers[i].map(|p| dir.profiles[p].data.organisation.as_str());
        let way = ask_way(a.kind).map(|w| (TaxonomyKind::OpenTo, w.slug().to_string()));
        for topic in areas(&a.policy_areas)
            .into_iter()
            .chain(sector_of(organisation))
            .chain(way)
        {
            topics.entry(topic).or_default().asks.push(i);
        }
    }
    topics
}
