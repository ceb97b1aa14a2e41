//! What templates receive: the entries turned into plain values, with URLs,
//! labels and dates in words. The shapes are documented in docs/templates.md.

use std::sync::{Arc, Mutex, OnceLock};

use jiff::Zoned;
use serde::Serialize;

use super::format;
use super::index::{Body, Index};
use crate::content::links::EntryLink;
use crate::content::{Entry, Kind, Origin, Sector, TaxonomyKind, term_url};
use crate::markdown;

/// A titled link.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Link {
    /// The text.
    pub title: String,
    /// The address.
    pub url: String,
}

/// A taxonomy term, linking to its page.
#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    /// Its label.
    pub label: String,
    /// Its slug.
    pub slug: String,
    /// Its page.
    pub url: String,
}

/// A term with how many profiles are under it.
#[derive(Debug, Clone, Serialize)]
pub struct TagCount {
    /// The term.
    #[serde(flatten)]
    pub tag: Tag,
    /// How many profiles.
    pub count: usize,
}

/// Where a mirrored entry comes from.
#[derive(Debug, Clone, Serialize)]
pub struct OriginView {
    /// The other directory's host.
    pub host: String,
    /// The entry's page there.
    pub url: String,
    /// Who it comes from, as people know them: the entry's organisation,
    /// else the host.
    pub from: String,
}

/// A consultation's status.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// `upcoming`, `open`, `closed` or `outcome-published`.
    pub slug: &'static str,
    /// As shown.
    pub label: &'static str,
}

/// A profile in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileCard {
    /// Name.
    pub name: String,
    /// Page.
    pub url: String,
    /// Job title.
    pub role: String,
    /// Organisation.
    pub organisation: Option<Link>,
    /// Sector of the organisation.
    pub sector: Option<Tag>,
    /// Where they work.
    pub location: Option<String>,
    /// Ways to meet them.
    pub open_to: Vec<Tag>,
    /// Where a mirrored profile comes from.
    pub origin: Option<OriginView>,
    /// Their photo.
    pub photo: Option<super::photos::PhotoView>,
}

/// An event in a list: a repeating one once, at its next date.
#[derive(Debug, Clone, Serialize)]
pub struct EventCard {
    /// Title.
    pub title: String,
    /// Page.
    pub url: String,
    /// Kind, linking to the events list.
    pub kind: Tag,
    /// When, in words; for a series at its next date, its rule too.
    pub when: String,
    /// The start, for `<time datetime>`.
    pub start_iso: String,
    /// Where, in words.
    pub place: String,
    /// Whether it is called off.
    pub cancelled: bool,
    /// Whether members of the public may come.
    pub public: bool,
    /// The organisation holding it.
    pub organisation: Option<Link>,
    /// Where a mirrored event comes from.
    pub origin: Option<OriginView>,
}

/// A calendar file to subscribe to, for the `subscribe` component.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct CalendarLinks {
    /// Its `https://` address: to download it, or to paste into a program
    /// that asks for a calendar's address.
    pub https: String,
    /// Its `webcal://` address, which opens the reader's calendar program
    /// to subscribe to it.
    pub webcal: String,
}

/// A consultation in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ConsultationCard {
    /// Title.
    pub title: String,
    /// Page.
    pub url: String,
    /// Where it stands.
    pub status: Status,
    /// Whether members of the public may respond.
    pub public: bool,
    /// Opening date in words.
    pub opens: String,
    /// Closing date in words.
    pub closes: String,
    /// For an open consultation closing within a month, how soon, in
    /// words: "Closes today", "Closes in 3 days".
    pub closes_in: Option<String>,
    /// Policy areas.
    pub policy_areas: Vec<Tag>,
}

/// How many days before it closes an open consultation counts them down.
pub const CLOSES_IN_DAYS: i32 = 30;

/// An ask in a list.
#[derive(Debug, Clone, Serialize)]
pub struct AskCard {
    /// Title.
    pub title: String,
    /// Page.
    pub url: String,
    /// Kind, linking to the asks list.
    pub kind: Tag,
    /// Who asks.
    pub by: Option<Link>,
    /// Closing date in words.
    pub closes: Option<String>,
    /// Whether someone took it up.
    pub filled: bool,
    /// Whether it still wants answers.
    pub open: bool,
}

/// Body words indexed per entry: enough to find people by what they work on.
pub(super) const BODY_WORDS: usize = 300;

/// An email address as a `mailto:` link in which every character but ASCII
/// letters, digits, `-`, `_` and `+` is a character reference: `@`, the dots
/// and the colon of `mailto:` among them. People and screen readers read the
/// address as it is; a harvester searching the page's bytes for an address
/// (`name@host.tld`) or for `mailto:` finds neither. Writing every
/// character so would cost five to six bytes each and stop no harvester
/// that decodes references, and the address is in `directory.json` as it is.
fn obfuscate(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut decimal = itoa::Buffer::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+') {
            out.push(c);
        } else {
            out.push_str("&#");
            out.push_str(decimal.format(u32::from(c)));
            out.push(';');
        }
    }
    out
}

/// An email address as a `mailto:` link, obfuscated as [`obfuscate`] says.
pub fn email_html(address: &str) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        obfuscate(&format!("mailto:{address}")),
        obfuscate(address)
    )
}

impl Index<'_> {
    /// A term of a taxonomy as a tag.
    pub fn tag(&self, kind: TaxonomyKind, slug: &str) -> Tag {
        Tag {
            label: crate::content::term_label(self.dir, kind, slug),
            slug: slug.to_string(),
            url: term_url(kind, slug),
        }
    }

    /// Tags for a list of slugs.
    pub fn tags<'s>(
        &self,
        kind: TaxonomyKind,
        slugs: impl IntoIterator<Item = &'s str>,
    ) -> Vec<Tag> {
        slugs.into_iter().map(|s| self.tag(kind, s)).collect()
    }

    /// A sector as a tag.
    pub fn sector_tag(&self, sector: Sector) -> Tag {
        self.tag(TaxonomyKind::Sector, sector.slug())
    }

    /// A link to an organisation, if it is in the directory.
    pub fn organisation_link(&self, slug: &str) -> Option<Link> {
        self.dir.organisation(slug).map(|o| Link {
            title: o.data.name.clone(),
            url: Kind::Organisation.url(&o.slug),
        })
    }

    /// A link to the profile at `i` among the directory's.
    pub fn profile_link_at(&self, i: usize) -> Link {
        let p = &self.dir.profiles[i];
        Link {
            title: p.data.name.clone(),
            url: Kind::Profile.url(&p.slug),
        }
    }

    /// A profile card.
    pub fn profile_card(&self, i: usize) -> ProfileCard {
        let entry = &self.dir.profiles[i];
        let p = &entry.data;
        ProfileCard {
            name: p.name.clone(),
            url: Kind::Profile.url(&entry.slug),
            role: p.role.clone(),
            organisation: self.organisation_link(&p.organisation),
            sector: self.sector_of(i).map(|s| self.sector_tag(s)),
            location: p.location.clone(),
            open_to: self.tags(TaxonomyKind::OpenTo, p.open_to.iter().map(|o| o.slug())),
            origin: self.origin_from(&entry.origin, Some(&p.organisation)),
            photo: p.photo.as_deref().map(|photo| self.photos.view(photo)),
        }
    }

    /// An event card for the occurrence starting at `start` (the event's
    /// own start by default). A series at one of its dates is said as its
    /// rule and that date: "Second Thursday of every month, next …".
    pub fn event_card(&self, i: usize, start: Option<(&Zoned, Option<&Zoned>)>) -> EventCard {
        let entry = &self.dir.events[i];
        let e = &entry.data;
        let rule = e.repeat.as_deref().filter(|_| start.is_some());
        let (start, end) = start.unwrap_or((&e.start, e.end.as_ref()));
        let when = format::when(start, end);
        let when = match rule {
            Some(rule) => super::series::next(rule, start, &when),
            None => when,
        };
        let place = match (&e.venue, &e.online) {
            (Some(venue), Some(_)) => format!("{} and online", venue.name),
            (Some(venue), None) => venue.name.clone(),
            (None, _) => "Online".to_string(),
        };
        EventCard {
            title: e.title.clone(),
            url: Kind::Event.url(&entry.slug),
            kind: Tag {
                label: e.kind.label().to_string(),
                slug: e.kind.slug().to_string(),
                url: "/events/".to_string(),
            },
            when,
            start_iso: format::iso(start),
            place,
            cancelled: e.cancelled,
            public: e.audience.public,
            organisation: e
                .organisation
                .as_deref()
                .and_then(|o| self.organisation_link(o)),
            origin: self.origin_from(&entry.origin, e.organisation.as_deref()),
        }
    }

    /// An event card for the event's next date, or its only one.
    pub fn next_event_card(&self, i: usize) -> EventCard {
        let next = self.upcoming_of(i).first().map(|start| {
            let e = &self.dir.events[i].data;
            let end = e.end.as_ref().and_then(|end| {
                let length = end.timestamp().duration_since(e.start.timestamp());
                start.checked_add(length).ok()
            });
            (start.clone(), end)
        });
        match next {
            Some((start, end)) => self.event_card(i, Some((&start, end.as_ref()))),
            None => self.event_card(i, None),
        }
    }

    /// The two addresses of a calendar file of the site, from its path
    /// (`/calendar.ics`).
    pub fn calendar_links(&self, path: &str) -> CalendarLinks {
        let https = self.dir.site.absolute(path);
        // webcal:// is the same address with the scheme that makes a
        // browser hand it to the calendar program.
        let webcal = match https.split_once("://") {
            Some((_, rest)) => format!("webcal://{rest}"),
            None => https.clone(),
        };
        CalendarLinks { https, webcal }
    }

    /// The upcoming dates of an event.
    pub fn upcoming_of(&self, i: usize) -> &[Zoned] {
        self.occurrences
            .get(&i)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Where a mirrored entry comes from, named by `organisation` (its
    /// key), the organisation it belongs to, where this site has it.
    pub fn origin_from(&self, entry: &Origin, organisation: Option<&str>) -> Option<OriginView> {
        let mut view = origin(entry)?;
        if let Some(o) = organisation.and_then(|o| self.dir.organisation(o)) {
            view.from = o.data.name.clone();
        }
        Some(view)
    }

    /// A consultation card.
    pub fn consultation_card(&self, i: usize) -> ConsultationCard {
        let entry = &self.dir.consultations[i];
        let c = &entry.data;
        ConsultationCard {
            title: c.title.clone(),
            url: Kind::Consultation.url(&entry.slug),
            status: status(c.status(self.now)),
            public: c.audience.public,
            opens: format::date(&c.opens),
            closes: format::date(&c.closes),
            closes_in: self.closes_in(c).map(|days| match days {
                0 => "Closes today".to_string(),
                1 => "Closes tomorrow".to_string(),
                n => format!("Closes in {n} days"),
            }),
            policy_areas: self.tags(
                TaxonomyKind::PolicyArea,
                c.policy_areas.iter().map(String::as_str),
            ),
        }
    }

    /// How many days from today an open consultation closes, if within a
    /// month (a count further off says less than the date).
    pub fn closes_in(&self, c: &crate::content::Consultation) -> Option<i32> {
        if c.status(self.now) != crate::content::ConsultationStatus::Open {
            return None;
        }
        let zone = self.dir.site.time_zone();
        let closing_day = c.closes.with_time_zone(zone).date();
        let days = (closing_day - self.today).get_days();
        (0..=CLOSES_IN_DAYS).contains(&days).then_some(days)
    }

    /// An ask card.
    pub fn ask_card(&self, i: usize) -> AskCard {
        let entry = &self.dir.asks[i];
        let a = &entry.data;
        let today = self.today;
        AskCard {
            title: a.title.clone(),
            url: Kind::Ask.url(&entry.slug),
            kind: Tag {
                label: a.kind.label().to_string(),
                slug: a.kind.slug().to_string(),
                url: "/asks/".to_string(),
            },
            by: self.askers[i].map(|p| self.profile_link_at(p)),
            closes: a.closes.map(|d| d.strftime("%-d %B %Y").to_string()),
            filled: a.filled,
            open: a.is_open(today),
        }
    }

    /// An entry's body as HTML: links to other entries resolved against this
    /// build (an entry left out becomes plain text), raw HTML sanitised
    /// unless the site trusts its own editors.
    pub fn body_html<T>(&self, entry: &Entry<T>) -> String {
        if !self.keeps_bodies() {
            return self.read_body_html(entry);
        }
        self.body(entry)
            .get_or_init(|| self.read_body(entry))
            .html
            .clone()
    }

    /// An entry's body as the search index keeps it, its first words
    /// ([`markdown::text`]): from the reading that made its HTML, when that
    /// came first.
    pub fn body_words<T>(&self, entry: &Entry<T>) -> Arc<str> {
        if !self.keeps_bodies() {
            return Arc::from(markdown::text(entry.body(), BODY_WORDS));
        }
        let body = self.body(entry);
        let read = body.get_or_init(|| self.read_body(entry));
        crate::lock(&read.words)
            .take()
            .unwrap_or_else(|| Arc::from(markdown::text(entry.body(), BODY_WORDS)))
    }

    /// The place of an entry's body in this build. The lock is held only to
    /// find the place, not to read the body.
    fn body<T>(&self, entry: &Entry<T>) -> Arc<OnceLock<Body>> {
        crate::lock(&self.bodies)
            .entry(Index::body_key(entry))
            .or_default()
            .clone()
    }

    fn read_body<T>(&self, entry: &Entry<T>) -> Body {
        let trusted = self.dir.site.trusts_html(&entry.origin);
        let url_of = |link: &EntryLink| self.link_url(link);
        let (html, words) =
            markdown::to_html_and_text(entry.body(), entry.path(), &url_of, trusted, BODY_WORDS);
        Body {
            html,
            words: Mutex::new(Some(Arc::from(words))),
        }
    }

    /// An entry's body as HTML alone, as [`Index::read_body`] reads it.
    fn read_body_html<T>(&self, entry: &Entry<T>) -> String {
        let trusted = self.dir.site.trusts_html(&entry.origin);
        let url_of = |link: &EntryLink| self.link_url(link);
        markdown::to_html(entry.body(), entry.path(), &url_of, trusted)
    }

    /// The page of an entry a body links to, if it is in this build.
    fn link_url(&self, link: &EntryLink) -> Option<String> {
        self.dir
            .contains(link.kind, &link.slug)
            .then(|| link.kind.url(&link.slug))
    }
}

/// Where a mirrored entry comes from, for templates.
pub fn origin(origin: &Origin) -> Option<OriginView> {
    match origin {
        Origin::Local => None,
        Origin::Mirror { host, url } => Some(OriginView {
            host: host.clone(),
            url: url.to_string(),
            from: host.clone(),
        }),
    }
}

/// A status for templates.
pub fn status(status: crate::content::ConsultationStatus) -> Status {
    use crate::content::ConsultationStatus as S;
    Status {
        slug: match status {
            S::Upcoming => "upcoming",
            S::Open => "open",
            S::Closed => "closed",
            S::OutcomePublished => "outcome-published",
        },
        label: status.label(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn all_but_letters_digits_and_three_marks_become_decimal_references() {
        assert_eq!(
            super::obfuscate("a@b.é-_+<\"'&"),
            "a&#64;b&#46;&#233;-_+&#60;&#34;&#39;&#38;"
        );
        assert_eq!(super::obfuscate("\u{10FFFF}0"), "&#1114111;0");
    }

    use super::*;

    #[test]
    fn email_is_written_without_its_at_dots_and_colon() {
        let html = email_html("jo.bloggs@b.gov.uk");
        assert_eq!(
            html,
            "<a href=\"mailto&#58;jo&#46;bloggs&#64;b&#46;gov&#46;uk\">jo&#46;bloggs&#64;b&#46;gov&#46;uk</a>"
        );
        assert!(!html.contains('@') && !html.contains("mailto:"));
    }
}
