//! The content model: the typed form of everything a site is made of.

pub mod ask;
pub mod audience;
pub mod choices;
pub mod consultation;
pub mod event;
pub mod levels;
pub mod links;
pub mod model;
pub mod organisation;
pub mod page;
pub mod profile;
pub mod programme;
pub mod round;
pub mod site;
pub mod taxonomies;
pub mod vocabulary;

use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;
use url::Url;

use crate::source::SourceFile;

pub use ask::Ask;
pub use audience::Audience;
pub use choices::{
    AskKind, Cadence, Choice, EventKind, GroupSize, OpenTo, Profession, ProgrammeKind, Sector,
    Vetting, Visibility,
};
pub use consultation::{Consultation, ConsultationStatus};
pub use event::Event;
pub use levels::Levels;
pub use organisation::Organisation;
pub use page::Page;
pub use profile::Profile;
pub use programme::{Eligibility, Programme, Refusal};
pub use round::{Month, Round};
pub use site::Site;
pub use taxonomies::{TaxonomyKind, term_label, term_url};
pub use vocabulary::Vocabulary;

/// The kinds of entry, each a folder under `content/` (and `mirror/<host>/`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Kind {
    /// `organisations/`
    Organisation,
    /// `profiles/`
    Profile,
    /// `events/`
    Event,
    /// `consultations/`
    Consultation,
    /// `asks/`
    Ask,
    /// `pages/`
    Page,
    /// `programmes/`
    Programme,
}

impl Kind {
    /// Every kind, in the order listings show them.
    pub const ALL: [Kind; 7] = [
        Kind::Organisation,
        Kind::Profile,
        Kind::Event,
        Kind::Consultation,
        Kind::Ask,
        Kind::Page,
        Kind::Programme,
    ];

    /// The folder the kind lives in, which is also the first part of its URLs.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Organisation => "organisations",
            Kind::Profile => "profiles",
            Kind::Event => "events",
            Kind::Consultation => "consultations",
            Kind::Ask => "asks",
            Kind::Page => "pages",
            Kind::Programme => "programmes",
        }
    }

    /// The address of an entry's page on its site from its key (see
    /// [`Entry::slug`]): `/profiles/priya-shah/` for a local entry,
    /// `/profiles/fire.example.gov.uk/callum-reid/` for a mirrored one. The
    /// one rule for it, which pages, feeds, calendars and federation
    /// (through [`Site::entry_id`]) all follow.
    pub fn url(self, slug: &str) -> String {
        // Joined, not formatted: made for every link of every page.
        ["/", self.folder(), "/", slug, "/"].concat()
    }

    /// The kind and key of the entry whose page is at `path`
    /// (`/profiles/priya-shah/`, `/profiles/fire.example.gov.uk/callum-reid/`):
    /// the inverse of [`Kind::url`].
    pub fn entry_at(path: &str) -> Option<(Kind, &str)> {
        let (folder, rest) = path.strip_prefix('/')?.split_once('/')?;
        let key = rest.strip_suffix('/')?;
        let kind = Kind::from_folder(folder)?;
        let slug = match key.split_once('/') {
            Some((host, slug)) => is_host(host).then_some(slug)?,
            None => key,
        };
        (!slug.is_empty() && !slug.contains('/')).then_some((kind, key))
    }

    /// The kind a folder holds.
    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == folder)
    }

    /// The singular name, for messages ("profile").
    pub fn name(self) -> &'static str {
        match self {
            Kind::Organisation => "organisation",
            Kind::Profile => "profile",
            Kind::Event => "event",
            Kind::Consultation => "consultation",
            Kind::Ask => "ask",
            Kind::Page => "page",
            Kind::Programme => "programme",
        }
    }
}

/// The key of the entry mirrored from `host` with the slug `slug`:
/// `fire.example.gov.uk/callum-reid`. Every origin's slugs are its own, so
/// the same slug from this site and from any number of other directories
/// names as many entries, each with its own address.
pub fn mirrored_key(host: &str, slug: &str) -> String {
    [host, "/", slug].concat()
}

/// The host an entry's key says it was mirrored from; `None` for a local
/// entry's.
pub fn origin_host(key: &str) -> Option<&str> {
    key.split_once('/').map(|(host, _)| host)
}

/// Whether `text` can be a mirror folder's name: a host, with its port if
/// it has one, as the federation server writes it (`fire.example.gov.uk`,
/// `127.0.0.1:8080`). Its characters are safe in an address and a path.
pub fn is_host(text: &str) -> bool {
    (1..=253).contains(&text.len())
        && !text.starts_with(['.', ':', '-'])
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-:".contains(&b))
}

/// Whether a `photo` or `logo` is a mirrored entry's file at its own
/// directory, by its address, rather than a file under `static/`.
pub fn is_remote_file(value: &str) -> bool {
    value.starts_with("https://") || value.starts_with("http://")
}

/// Where an entry comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Origin {
    /// Written by this site's editors, under `content/`.
    Local,
    /// Received from another directory, under `mirror/<host>/`; read-only.
    Mirror {
        /// The other directory's host.
        host: String,
        /// The entry's canonical URL there (boxed: most entries are local,
        /// and a national directory holds hundreds of thousands).
        url: Box<Url>,
    },
}

impl Origin {
    /// Whether the entry was received from another directory.
    pub fn is_mirror(&self) -> bool {
        matches!(self, Origin::Mirror { .. })
    }
}

/// One entry: what every kind has in common, and its own fields in `data`.
///
/// Kept between builds (see `load`) without its file, which is read again.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Entry<T> {
    /// The entry's key, unique within its kind and the tail of its address:
    /// the file's stem for a local entry (`priya-shah`), and the origin's
    /// host, a slash and the stem for a mirrored one
    /// (`fire.example.gov.uk/callum-reid`, see [`mirrored_key`]).
    pub slug: String,
    /// Local or mirrored.
    pub origin: Origin,
    /// The file it was read from.
    #[serde(skip, default = "SourceFile::none")]
    pub file: Arc<SourceFile>,
    /// Where the Markdown body starts in the file's text: the body is the
    /// rest of the file, read from there rather than copied.
    pub body_start: usize,
    /// The 1-based line of the file where the body starts.
    pub body_line: usize,
    /// When the entry last changed in substance, if its editors say.
    pub updated: Option<Date>,
    /// The entries its body links to, as (kind, slug).
    pub links: Vec<(Kind, String)>,
    /// The kind's own fields.
    pub data: T,
}

impl Entry<()> {
    /// The same entry carrying its kind's fields.
    pub(crate) fn with<T>(self, data: T) -> Entry<T> {
        Entry {
            slug: self.slug,
            origin: self.origin,
            file: self.file,
            body_start: self.body_start,
            body_line: self.body_line,
            updated: self.updated,
            links: self.links,
            data,
        }
    }
}

impl<T> Entry<T> {
    /// The Markdown body, after the front matter.
    pub fn body(&self) -> &str {
        self.file.text().get(self.body_start..).unwrap_or_default()
    }

    /// The file's path, relative to the site root.
    pub fn path(&self) -> &Path {
        self.file.path()
    }
}

/// Everything a site holds, checked and typed. Listings are sorted by slug.
///
/// Entries are shared, so that a copy of the directory (the public view of
/// it, the next state of a site being served) costs a pointer per entry.
#[derive(Debug, Clone)]
pub struct Directory {
    /// The site's settings, from `interchange.toml`.
    pub site: Site,
    /// Organisations, local and mirrored.
    pub organisations: Vec<Arc<Entry<Organisation>>>,
    /// Officers' profiles, local and mirrored.
    pub profiles: Vec<Arc<Entry<Profile>>>,
    /// Events.
    pub events: Vec<Arc<Entry<Event>>>,
    /// Consultations.
    pub consultations: Vec<Arc<Entry<Consultation>>>,
    /// Small asks.
    pub asks: Vec<Arc<Entry<Ask>>>,
    /// Free pages.
    pub pages: Vec<Arc<Entry<Page>>>,
    /// Matching programmes: this site's, and those of the directories it
    /// mirrors (which only their own directories run).
    pub programmes: Vec<Arc<Entry<Programme>>>,
    /// Matching rounds: this site's, and those the directories it mirrors
    /// published; by month, then file.
    pub rounds: Vec<Arc<Round>>,
}

/// The digests of a list of entries' files, as one number.
pub fn digests<T>(entries: &[Arc<Entry<T>>]) -> u64 {
    each_file(entries, SourceFile::digest)
}

/// The fingerprint of every entry's file's modification time, in order:
/// outside git, or changed since its last commit, an entry's dates in
/// feeds and calendars are its file's time (see [`crate::git_dates`]).
pub fn times<T>(entries: &[Arc<Entry<T>>]) -> u64 {
    each_file(entries, SourceFile::modified)
}

/// The fingerprint of what `of` says of each entry's file, in order.
fn each_file<T, H: std::hash::Hash>(
    entries: &[Arc<Entry<T>>],
    of: impl Fn(&SourceFile) -> H,
) -> u64 {
    use std::hash::Hasher;
    let mut hasher = crate::fingerprint::hasher();
    for entry in entries {
        of(&entry.file).hash(&mut hasher);
    }
    hasher.finish()
}

/// The place of the entry with `slug` among `entries`, which are in slug
/// order.
pub(crate) fn place<T>(entries: &[Arc<Entry<T>>], slug: &str) -> Option<usize> {
    entries.binary_search_by(|e| e.slug.as_str().cmp(slug)).ok()
}

/// The places of many slugs among `sorted`, whose keys (`key`) are in
/// order; `None` for a slug none has, and for no slug. The slugs are taken in order, each
/// found by galloping on from the last one's place, so that the search
/// reads entries near each other: a binary search for each, among 300,000
/// profiles, reads some 36 scattered places in memory.
pub(crate) fn places<E>(
    sorted: &[E],
    key: impl Fn(&E) -> &str,
    slugs: &[Option<&str>],
) -> Vec<Option<usize>> {
    let mut order: Vec<(&str, usize)> = (slugs.iter().enumerate())
        .filter_map(|(i, slug)| Some(((*slug)?, i)))
        .collect();
    order.sort_unstable();
    let mut found = vec![None; slugs.len()];
    let mut from = 0;
    for (slug, i) in order {
        let rest = &sorted[from..];
        // Every key before `hi / 2` is known to be less than `slug`.
        let mut hi = 1;
        while hi < rest.len() && key(&rest[hi - 1]) < slug {
            hi *= 2;
        }
        let hi = hi.min(rest.len());
        let lo = hi / 2;
        let at = lo + rest[lo..hi].partition_point(|e| key(e) < slug);
        if rest.get(at).is_some_and(|e| key(e) == slug) {
            found[i] = Some(from + at);
        }
        from += at;
    }
    found
}

/// The entry with `slug` among `entries`, which are in slug order.
pub(crate) fn find<'a, T>(entries: &'a [Arc<Entry<T>>], slug: &str) -> Option<&'a Entry<T>> {
    place(entries, slug).map(|i| &*entries[i])
}

impl Directory {
    /// The organisation with this slug.
    pub fn organisation(&self, slug: &str) -> Option<&Entry<Organisation>> {
        find(&self.organisations, slug)
    }

    /// The profile with this slug.
    pub fn profile(&self, slug: &str) -> Option<&Entry<Profile>> {
        find(&self.profiles, slug)
    }

    /// The place of the profile with this slug among the profiles.
    pub fn profile_place(&self, slug: &str) -> Option<usize> {
        place(&self.profiles, slug)
    }

    /// The places of the profiles with these slugs among the profiles.
    pub fn profile_places(&self, slugs: &[Option<&str>]) -> Vec<Option<usize>> {
        places(&self.profiles, |p| p.slug.as_str(), slugs)
    }

    /// The place of the consultation with this slug among the consultations.
    pub fn consultation_place(&self, slug: &str) -> Option<usize> {
        place(&self.consultations, slug)
    }

    /// The event with this slug.
    pub fn event(&self, slug: &str) -> Option<&Entry<Event>> {
        find(&self.events, slug)
    }

    /// The consultation with this slug.
    pub fn consultation(&self, slug: &str) -> Option<&Entry<Consultation>> {
        find(&self.consultations, slug)
    }

    /// The ask with this slug.
    pub fn ask(&self, slug: &str) -> Option<&Entry<Ask>> {
        find(&self.asks, slug)
    }

    /// The page with this slug.
    pub fn page(&self, slug: &str) -> Option<&Entry<Page>> {
        find(&self.pages, slug)
    }

    /// The programme with this slug.
    pub fn programme(&self, slug: &str) -> Option<&Entry<Programme>> {
        find(&self.programmes, slug)
    }

    /// How many entries of every kind there are.
    pub fn len(&self) -> usize {
        self.organisations.len()
            + self.profiles.len()
            + self.events.len()
            + self.consultations.len()
            + self.asks.len()
            + self.pages.len()
            + self.programmes.len()
    }

    /// Whether the directory holds no entry at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every entry's file, as one number: the same exactly when every
    /// file is.
    pub fn digest(&self) -> u64 {
        self.each_file(SourceFile::digest)
    }

    /// The fingerprint of every entry's file's modification time (see
    /// [`times`]).
    pub fn times(&self) -> u64 {
        self.each_file(SourceFile::modified)
    }

    /// The fingerprint of what `of` says of every entry's file, kind by kind.
    fn each_file<H: std::hash::Hash>(&self, of: impl Fn(&SourceFile) -> H + Copy) -> u64 {
        crate::fingerprint::of([
            each_file(&self.organisations, of),
            each_file(&self.profiles, of),
            each_file(&self.events, of),
            each_file(&self.consultations, of),
            each_file(&self.asks, of),
            each_file(&self.pages, of),
            each_file(&self.programmes, of),
        ])
    }

    /// Whether the directory holds the entry of this kind and slug: a link
    /// to one it does not hold is shown as plain text.
    pub fn contains(&self, kind: Kind, slug: &str) -> bool {
        match kind {
            Kind::Organisation => self.organisation(slug).is_some(),
            Kind::Profile => self.profile(slug).is_some(),
            Kind::Event => self.event(slug).is_some(),
            Kind::Consultation => self.consultation(slug).is_some(),
            Kind::Ask => self.ask(slug).is_some(),
            Kind::Page => self.page(slug).is_some(),
            Kind::Programme => self.programme(slug).is_some(),
        }
    }

    /// The directory as the public may see it: no internal profiles, and no
    /// trace of them (asks they posted, their names on events and
    /// consultations). The public site, `directory.json`, the search index
    /// and federation all show this, never more.
    pub fn public_view(&self) -> Directory {
        let mut public = self.clone();
        public.profiles.retain(|p| p.data.is_public());
        public.forget_unlisted_profiles();
        public
    }

    /// Whether every profile it lists may be shown to the public.
    pub fn lists_no_internal_profile(&self) -> bool {
        use rayon::prelude::*;
        self.profiles.par_iter().all(|p| p.data.is_public())
    }

    /// Leaves no trace of a profile the directory does not list: an ask it
    /// posted is dropped, and an event or consultation naming it as host or
    /// lead is shown without one. Removing a person (or keeping them off
    /// the public site) is never blocked by what names them, and nothing
    /// made from the directory carries their slug.
    pub fn forget_unlisted_profiles(&mut self) {
        use rayon::prelude::*;
        // In parallel: a national directory looks up 100,000 asks' and
        // events' people among 300,000 profiles, at every build.
        // Searched for in one list of the slugs rather than through each
        // profile's entry, which took two reads from memory a step.
        let slugs: Vec<&str> = self.profiles.par_iter().map(|p| p.slug.as_str()).collect();
        let listed = |slug: &String| slugs.binary_search(&slug.as_str()).is_ok();
        let kept: Vec<bool> = self.asks.par_iter().map(|a| listed(&a.data.by)).collect();
        let mut kept = kept.into_iter();
        self.asks.retain(|_| kept.next().unwrap_or(true));
        self.events.par_iter_mut().for_each(|event| {
            if event.data.host.as_ref().is_some_and(|h| !listed(h)) {
                Arc::make_mut(event).data.host = None;
            }
        });
        self.consultations.par_iter_mut().for_each(|consultation| {
            if consultation.data.lead.as_ref().is_some_and(|l| !listed(l)) {
                Arc::make_mut(consultation).data.lead = None;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn many_slugs_are_placed_as_one_search_each_would_place_them() {
        // Keys with gaps, so that some slugs fall between them, before the
        // first and after the last; slugs repeated and out of order.
        let sorted: Vec<String> = (0..1000).map(|n| format!("p{:05}", n * 3)).collect();
        let mut slugs: Vec<String> = (0..400)
            .map(|n| format!("p{:05}", (n * 7919) % 3100))
            .collect();
        slugs.extend([
            "a".to_string(),
            "z".to_string(),
            "p00000".to_string(),
            "p02997".to_string(),
        ]);
        slugs.push(slugs[5].clone());
        let mut slugs: Vec<Option<&str>> = slugs.iter().map(|s| Some(s.as_str())).collect();
        slugs.insert(7, None);
        let placed = super::places(&sorted, String::as_str, &slugs);
        for (slug, place) in slugs.iter().zip(&placed) {
            let one = slug.and_then(|slug| sorted.binary_search_by(|k| k.as_str().cmp(slug)).ok());
            assert_eq!(*place, one, "{slug:?}");
        }
        assert_eq!(placed[7], None);
        assert!(placed.iter().filter(|p| p.is_some()).count() > 100);
        assert!(placed.iter().filter(|p| p.is_none()).count() > 100);
        assert_eq!(
            super::places(&[] as &[String], String::as_str, &slugs),
            vec![None; slugs.len()]
        );
    }

    #[test]
    fn an_entrys_address_is_read_back_as_its_kind_and_slug() {
        for kind in Kind::ALL {
            let url = kind.url("priya-shah");
            assert_eq!(Kind::entry_at(&url), Some((kind, "priya-shah")), "{url}");
            let key = super::mirrored_key("127.0.0.1:8080", "priya-shah");
            let url = kind.url(&key);
            assert_eq!(
                url,
                format!("/{}/127.0.0.1:8080/priya-shah/", kind.folder())
            );
            assert_eq!(Kind::entry_at(&url), Some((kind, key.as_str())), "{url}");
        }
        for path in [
            "/",
            "/profiles/",
            "/profiles/priya-shah",
            "/profiles/priya-shah/inbox",
            "/topics/housing/",
            "profiles/priya-shah/",
            "/profiles/Fire.Example/callum-reid/",
            "/profiles/a/b/c/",
            "/profiles/fire.example.gov.uk//",
        ] {
            assert_eq!(Kind::entry_at(path), None, "{path}");
        }
    }
}
