//! schema.org JSON-LD for each page, so search engines and other tools read
//! people, events and organisations as such.

use serde_json::{Value, json};

use super::index::Index;
use super::views::{Link, entry_url};
use crate::content::Kind;

/// A `GovernmentOrganization`.
pub fn organisation(index: &Index<'_>, slug: &str) -> Option<Value> {
    let entry = index.dir.organisation(slug)?;
    let o = &entry.data;
    Some(json!({
        "@type": "GovernmentOrganization",
        "@id": index.dir.site.absolute(&entry_url(Kind::Organisation, slug)),
        "name": o.name,
        "url": o.website.as_ref().map_or_else(|| index.dir.site.absolute(&entry_url(Kind::Organisation, slug)), ToString::to_string),
        "areaServed": o.region,
    }))
}

/// A `Person` working for their organisation.
pub fn person(index: &Index<'_>, i: usize) -> Value {
    let entry = &index.dir.profiles[i];
    let p = &entry.data;
    let url = index
        .dir
        .site
        .absolute(&entry_url(Kind::Profile, &entry.slug));
    json!({
        "@type": "Person",
        "@id": url,
        "name": p.name,
        "jobTitle": p.role,
        "url": url,
        "worksFor": organisation(index, &p.organisation),
        "knowsAbout": p.policy_areas.iter().chain(&p.interests).collect::<Vec<_>>(),
        "workLocation": p.location.as_ref().map(|l| json!({ "@type": "Place", "name": l })),
        "knowsLanguage": p.languages,
    })
}

/// An `Event`, with its attendance mode, place, organiser and status.
pub fn event(index: &Index<'_>, i: usize) -> Value {
    let entry = &index.dir.events[i];
    let e = &entry.data;
    let mode = match (&e.venue, &e.online) {
        (Some(_), Some(_)) => "https://schema.org/MixedEventAttendanceMode",
        (None, Some(_)) => "https://schema.org/OnlineEventAttendanceMode",
        _ => "https://schema.org/OfflineEventAttendanceMode",
    };
    let mut location = Vec::new();
    if let Some(venue) = &e.venue {
        location.push(json!({ "@type": "Place", "name": venue.name, "address": venue.address }));
    }
    if let Some(online) = &e.online {
        location.push(json!({ "@type": "VirtualLocation", "url": online.as_str() }));
    }
    let start = index.upcoming_of(i).first().unwrap_or(&e.start);
    json!({
        "@type": "Event",
        "@id": index.dir.site.absolute(&entry_url(Kind::Event, &entry.slug)),
        "name": e.title,
        "startDate": start.timestamp().to_string(),
        "endDate": e.end.as_ref().map(|end| end.timestamp().to_string()),
        "eventAttendanceMode": mode,
        "eventStatus": if e.cancelled { "https://schema.org/EventCancelled" } else { "https://schema.org/EventScheduled" },
        "location": location,
        "organizer": e.organisation.as_deref().and_then(|o| organisation(index, o)),
        "maximumAttendeeCapacity": e.capacity,
        "url": index.dir.site.absolute(&entry_url(Kind::Event, &entry.slug)),
    })
}

/// A `BreadcrumbList` ending at the page itself.
pub fn breadcrumbs(index: &Index<'_>, crumbs: &[Link], title: &str, url: &str) -> Value {
    let items: Vec<Value> = crumbs
        .iter()
        .map(|c| (c.title.as_str(), c.url.as_str()))
        .chain(std::iter::once((title, url)))
        .enumerate()
        .map(|(n, (name, path))| {
            json!({ "@type": "ListItem", "position": n + 1, "name": name, "item": index.dir.site.absolute(path) })
        })
        .collect();
    json!({ "@type": "BreadcrumbList", "itemListElement": items })
}

/// The JSON-LD of a page, safe inside a `<script>` element.
pub fn script(graph: Vec<Value>) -> String {
    let document = json!({ "@context": "https://schema.org", "@graph": graph });
    // `</script>` inside a string must not end the element.
    document.to_string().replace('<', "\\u003c")
}
