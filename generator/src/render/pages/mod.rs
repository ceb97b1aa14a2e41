//! The site's pages, one file a kind.
//!
//! Each kind declares what its page shows as a struct of [`Shown`] inputs
//! (with [`page_inputs!`]), made by one function from the index; the page's
//! template values are made from that struct, and its fingerprint is every
//! field of it. So a page kind's values and fingerprint sit side by side,
//! and a page is rendered again exactly when something it shows changed.
//!
//! To add a page kind: a file here with its inputs and `render`, a [`Job`]
//! variant, its address in [`Renderer::url`], its place in [`jobs`] and
//! [`Renderer::inputs`], and its template in the theme.

mod ask;
mod consultation;
mod event;
mod fixed;
mod home;
mod list;
mod organisation;
mod page;
mod profile;
mod programme;
mod rounds;
pub(super) mod shown;
mod topics;

#[cfg(test)]
mod tests;

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use serde::Serialize;
use tera::Context;

use super::BuildError;
use super::index::Index;
use super::paginate::{page_count, page_url};
use super::structured;
use super::theme::error_text;
use super::views::{Link, origin};
use crate::content::digests;
use crate::content::{Directory, Kind, Origin, TaxonomyKind, term_url};
use crate::fingerprint::{hasher, of};
use crate::lock;
pub(super) use list::List;
use shown::{Keys, Shown, page_inputs};

/// One page to render.
#[derive(Debug, Clone, Copy)]
pub(super) enum Job {
    Home,
    List(List, usize),
    Profile(usize),
    Organisation(usize, usize),
    Event(usize),
    Consultation(usize),
    Ask(usize),
    Page(usize),
    Programme(usize),
    Topics,
    Search,
    Taxonomy(TaxonomyKind),
    Term(TaxonomyKind, usize, usize),
    /// A page of a topic's events, consultations or asks.
    TopicSection(TaxonomyKind, usize, topics::Section, usize),
    NotFound,
}

/// Every page of the site.
pub(super) fn jobs(index: &Index<'_>) -> Vec<Job> {
    let dir = index.dir;
    let mut jobs = vec![Job::Home, Job::Topics, Job::Search, Job::NotFound];
    for list in List::ALL {
        jobs.extend((1..=page_count(list.len(index))).map(|n| Job::List(list, n)));
    }
    jobs.extend((0..dir.profiles.len()).map(Job::Profile));
    for i in 0..dir.organisations.len() {
        let people = index
            .people_by_organisation
            .get(dir.organisations[i].slug.as_str())
            .map_or(0, Vec::len);
        jobs.extend((1..=page_count(people)).map(|n| Job::Organisation(i, n)));
    }
    jobs.extend((0..dir.events.len()).map(Job::Event));
    jobs.extend((0..dir.consultations.len()).map(Job::Consultation));
    jobs.extend((0..dir.asks.len()).map(Job::Ask));
    jobs.extend((0..dir.pages.len()).map(Job::Page));
    jobs.extend((0..dir.programmes.len()).map(Job::Programme));
    for (kind, terms) in index.taxonomies.iter() {
        jobs.push(Job::Taxonomy(*kind));
        for (t, term) in terms.iter().enumerate() {
            jobs.extend((1..=page_count(term.profiles.len())).map(|n| Job::Term(*kind, t, n)));
            // A section has pages of its own only when the topic's page
            // cannot show it all.
            for section in topics::Section::ALL {
                let total = section.len(index, *kind, &term.slug);
                if total > topics::SHOWN {
                    jobs.extend(
                        (1..=page_count(total)).map(|n| Job::TopicSection(*kind, t, section, n)),
                    );
                }
            }
        }
    }
    jobs
}

/// What every page shows: the site's settings (and footer), whether this is
/// the intranet build, the theme, and the `epoch`: how many times the
/// moment of a time-based change has passed (an event starting, a
/// consultation closing), after which every page is made again.
pub(super) fn global(dir: &Directory, internal: bool, theme: u64, epoch: u64) -> u64 {
    of((
        format!("{:?}", dir.site),
        internal,
        theme,
        digests(&dir.pages),
        epoch,
    ))
}

/// A page kind: what it shows (its fingerprint, through [`Shown`]) and the
/// page made from that.
trait PageKind: Shown {
    /// The page's template, entry, metadata and template values.
    fn render<'r>(&self, r: &'r Renderer<'_>) -> Rendered<'r>;
}

/// A page ready for its template.
struct Rendered<'a> {
    template: &'static str,
    /// The file the page is made from, for errors.
    entry: Option<PathBuf>,
    meta: PageMeta,
    context: Context,
    /// What the page is about, as schema.org JSON-LD (breadcrumbs are added
    /// to every page that has them).
    node: Option<structured::Thing<'a>>,
}

impl Rendered<'_> {
    /// A page with no entry of its own and no JSON-LD node.
    fn plain(template: &'static str, meta: PageMeta, context: Context) -> Self {
        Rendered {
            template,
            entry: None,
            meta,
            context,
            node: None,
        }
    }
}

#[derive(Serialize)]
struct PageMeta {
    title: String,
    url: String,
    canonical: String,
    description: String,
    section: &'static str,
    breadcrumbs: Vec<Link>,
    /// Open Graph's type: `website`, or `profile` for a person.
    og_type: &'static str,
    /// schema.org JSON-LD, ready for a `<script>` element.
    json_ld: Option<String>,
}

fn crumb(title: &str, url: &str) -> Link {
    Link {
        title: title.to_string(),
        url: url.to_string(),
    }
}

fn home() -> Link {
    crumb("Home", "/")
}

/// A–Z groups of items under the first letter of their key.
#[derive(Serialize)]
struct Group<T> {
    letter: String,
    items: Vec<T>,
}

/// The letter a name is listed under: its first letter or digit, capitalised.
fn letter(key: &str) -> String {
    key.chars()
        .find(|c| c.is_alphanumeric())
        .map_or_else(|| "#".to_string(), |c| c.to_uppercase().collect())
}

fn groups<T: Clone>(items: &[T], key: impl Fn(&T) -> String) -> Vec<Group<T>> {
    let mut groups: Vec<Group<T>> = Vec::new();
    for item in items {
        let letter = letter(&key(item));
        match groups.last_mut() {
            Some(group) if group.letter == letter => group.items.push(item.clone()),
            _ => groups.push(Group {
                letter,
                items: vec![item.clone()],
            }),
        }
    }
    groups
}

/// A profile's card, ready for templates: its fields and the `html` the
/// theme's `profile_card.html` draws from them (unless that failed, and the
/// build with it). Kept for every list the profile is on; its tags and
/// organisation are the values every card shares, not copies.
struct Card {
    /// Its A–Z letter.
    letter: Box<str>,
    listed: tera::Value,
}

/// Renders any page of one build.
pub(super) struct Renderer<'a> {
    index: &'a Index<'a>,
    tera: &'a tera::Tera,
    /// Every profile's card, made when a page first shows it: a profile
    /// is on many list pages, and in other profiles' suggestions.
    profile_cards: Vec<OnceLock<Card>>,
    /// Every term as a tag, ready for templates: a term is on many pages.
    tags: ahash::AHashMap<(TaxonomyKind, &'a str), tera::Value>,
    /// Every organisation as a link, ready for templates: shared by the
    /// cards of its people.
    organisations: ahash::AHashMap<&'a str, tera::Value>,
    /// The first error drawing a listed card, reported by the page showing it.
    card_error: Mutex<Option<String>>,
    /// What the cards are made from, for fingerprints.
    keys: Keys,
}

impl<'a> Renderer<'a> {
    pub(super) fn new(index: &'a Index<'a>, tera: &'a tera::Tera) -> Self {
        let profiles = index.dir.profiles.len();
        Renderer {
            index,
            tera,
            profile_cards: (0..profiles).map(|_| OnceLock::new()).collect(),
            card_error: Mutex::new(None),
            tags: index
                .taxonomies
                .iter()
                .flat_map(|(kind, terms)| {
                    terms.iter().map(move |t| {
                        let tag = tera::Value::from_serializable(&index.tag(*kind, &t.slug));
                        ((*kind, t.slug.as_str()), tag)
                    })
                })
                .collect(),
            organisations: index
                .dir
                .organisations
                .iter()
                .map(|o| {
                    let link = index.organisation_link(&o.slug);
                    (o.slug.as_str(), tera::Value::from_serializable(&link))
                })
                .collect(),
            keys: Keys::new(index),
        }
    }

    /// Keeps no body read (see [`Index::keep_no_bodies`]).
    pub(super) fn keep_no_bodies(&self) {
        self.index.keep_no_bodies();
    }

    /// The address of a job's page.
    pub(super) fn url(&self, job: &Job) -> String {
        let dir = self.index.dir;
        match *job {
            Job::Home => "/".into(),
            Job::List(list, number) => page_url(list.url(), number),
            Job::Profile(i) => Kind::Profile.url(&dir.profiles[i].slug),
            Job::Organisation(i, number) => {
                page_url(&Kind::Organisation.url(&dir.organisations[i].slug), number)
            }
            Job::Event(i) => Kind::Event.url(&dir.events[i].slug),
            Job::Consultation(i) => Kind::Consultation.url(&dir.consultations[i].slug),
            Job::Ask(i) => Kind::Ask.url(&dir.asks[i].slug),
            Job::Page(i) => Kind::Page.url(&dir.pages[i].slug),
            Job::Programme(i) => Kind::Programme.url(&dir.programmes[i].slug),
            Job::Topics => "/topics/".into(),
            Job::Search => "/search/".into(),
            Job::Taxonomy(kind) => kind.url().into(),
            Job::Term(kind, t, number) => {
                page_url(&term_url(kind, &self.index.terms(kind)[t].slug), number)
            }
            Job::TopicSection(kind, t, section, number) => page_url(
                &topics::section_url(kind, &self.index.terms(kind)[t].slug, section),
                number,
            ),
            Job::NotFound => "/404.html".into(),
        }
    }

    /// Calls `f` with what a job's page shows: the one place a job becomes
    /// its page kind, for its fingerprint and its rendering alike.
    fn inputs<R>(&self, job: &Job, f: impl FnOnce(&dyn PageKind) -> R) -> R {
        let ix = self.index;
        match *job {
            Job::Home => f(&home::Home::new(ix)),
            Job::List(list, number) => f(&list::ListPage::new(ix, list, number)),
            Job::Profile(i) => f(&profile::ProfilePage::new(ix, i)),
            Job::Organisation(i, number) => f(&organisation::OrganisationPage::new(ix, i, number)),
            Job::Event(i) => f(&event::EventPage::new(ix, i)),
            Job::Consultation(i) => f(&consultation::ConsultationPage::new(ix, i)),
            Job::Ask(i) => f(&ask::AskPage::new(ix, i)),
            Job::Page(i) => f(&page::FreePage::new(ix, i)),
            Job::Programme(i) => f(&programme::ProgrammePage::new(ix, i)),
            Job::Topics => f(&topics::Topics::new(ix)),
            Job::Taxonomy(kind) => f(&topics::TaxonomyPage::new(ix, kind)),
            Job::Term(kind, t, number) => f(&topics::TermPage::new(ix, kind, t, number)),
            Job::TopicSection(kind, t, section, number) => {
                f(&topics::SectionPage::new(ix, kind, t, section, number))
            }
            Job::Search => f(&fixed::Search {}),
            Job::NotFound => f(&fixed::NotFound {}),
        }
    }

    /// The fingerprint of the page at `url`; `global` covers what every
    /// page shows. Positions in the directory (which shift as entries come
    /// and go) are not part of it: only what the page shows.
    pub(super) fn fingerprint(&self, job: &Job, url: &str, global: u64) -> u64 {
        let mut h = hasher();
        global.hash(&mut h);
        url.hash(&mut h);
        self.inputs(job, |page| page.hash_into(self, &mut h));
        h.finish()
    }

    /// A page's address and HTML.
    pub(super) fn render(&self, job: &Job) -> Result<(String, String), BuildError> {
        let mut html = Vec::new();
        let url = self.render_into(job, &mut html)?;
        // Tera writes only text: its output is UTF-8.
        let html = String::from_utf8(html)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok((url, html))
    }

    /// Writes a page's HTML at the end of `html`, and gives its address. A
    /// whole build writes every page through one buffer a thread, which
    /// spares growing a new one for each.
    pub(super) fn render_into(&self, job: &Job, html: &mut Vec<u8>) -> Result<String, BuildError> {
        let Rendered {
            template,
            entry,
            mut meta,
            mut context,
            node,
        } = self.inputs(job, |page| page.render(self));
        // Once a card fails to draw, the build fails with its error, from
        // whichever page notices first.
        if let Some(message) = lock(&self.card_error).clone() {
            return Err(BuildError::Render {
                page: meta.url,
                template: LISTED_CARD.to_string(),
                entry,
                message,
            });
        }
        let json_ld = {
            let mut graph: Vec<structured::Thing<'_>> = node.into_iter().collect();
            if !meta.breadcrumbs.is_empty() {
                graph.push(structured::Thing::Breadcrumbs(structured::breadcrumbs(
                    self.index,
                    &meta.breadcrumbs,
                    &meta.title,
                    &meta.url,
                )));
            }
            (!graph.is_empty()).then(|| structured::script(&graph))
        };
        meta.json_ld = json_ld;
        debug_assert_eq!(meta.url, self.url(job), "a page's address has one rule");
        context.insert("page", &meta);
        self.tera
            .render_to(template, &context, html)
            .map_err(|e| BuildError::Render {
                page: meta.url.clone(),
                template: template.to_string(),
                entry,
                message: error_text(&e),
            })?;
        Ok(meta.url)
    }

    fn meta(
        &self,
        title: String,
        url: String,
        description: String,
        section: &'static str,
        breadcrumbs: Vec<Link>,
    ) -> PageMeta {
        PageMeta {
            canonical: self.index.dir.site.absolute(&url),
            json_ld: None,
            og_type: "website",
            title,
            url,
            description,
            section,
            breadcrumbs,
        }
    }

    /// A profile's card, made and drawn once a build.
    fn card(&self, i: usize) -> &Card {
        self.profile_cards[i].get_or_init(|| {
            let card = self.card_fields(i);
            let mut context = Context::new();
            context.insert_value("p", card.clone());
            context.insert("level", &CARD_HEADING);
            let drawn = self.tera.render(LISTED_CARD, &context);
            drop(context);
            let listed = match drawn {
                Ok(html) => {
                    // The fields are not copied: the context that shared them is gone.
                    let mut map = card.into_map().unwrap_or_default();
                    map.insert("html".into(), tera::Value::safe_string(html.trim()));
                    tera::Value::from(map)
                }
                Err(e) => {
                    lock(&self.card_error).get_or_insert_with(|| error_text(&e));
                    card
                }
            };
            let letter = letter(&self.index.dir.profiles[i].data.sort_key.0).into();
            Card { letter, listed }
        })
    }

    /// A profile card's fields ([`views::ProfileCard`]) as template values,
    /// made from the tags and organisations every card shares.
    fn card_fields(&self, i: usize) -> tera::Value {
        let index = self.index;
        let entry = &index.dir.profiles[i];
        let p = &entry.data;
        let mut map = tera::Map::default();
        map.insert("name".into(), p.name.as_str().into());
        map.insert("url".into(), Kind::Profile.url(&entry.slug).into());
        map.insert("role".into(), p.role.as_str().into());
        let organisation = self.organisations.get(p.organisation.as_str()).cloned();
        map.insert("organisation".into(), organisation.into());
        let sector = index
            .sector_of(i)
            .map(|s| self.tag(TaxonomyKind::Sector, s.slug()));
        map.insert("sector".into(), sector.into());
        map.insert("location".into(), p.location.as_deref().into());
        let open_to: Vec<tera::Value> = p
            .open_to
            .iter()
            .map(|o| self.tag(TaxonomyKind::OpenTo, o.slug()))
            .collect();
        map.insert("open_to".into(), open_to.into());
        let origin = index.origin_from(&entry.origin, Some(&p.organisation));
        map.insert("origin".into(), tera::Value::from_serializable(&origin));
        let photo = p.photo.as_deref().map(|x| index.photos.view(x));
        map.insert("photo".into(), tera::Value::from_serializable(&photo));
        map.into()
    }

    /// A profile's card as a list shows it: with its `html`, drawn by the
    /// theme. Without it if drawing failed, and the error kept for the page
    /// to report.
    fn listed_card(&self, i: usize) -> tera::Value {
        self.card(i).listed.clone()
    }

    /// A term as a tag, ready for templates.
    fn tag(&self, kind: TaxonomyKind, slug: &str) -> tera::Value {
        self.tags
            .get(&(kind, slug))
            .cloned()
            .unwrap_or_else(|| tera::Value::from_serializable(&self.index.tag(kind, slug)))
    }

    /// Terms as tags, ready for templates.
    fn tags(&self, kind: TaxonomyKind, slugs: &[String]) -> Vec<tera::Value> {
        slugs.iter().map(|slug| self.tag(kind, slug)).collect()
    }
}

/// The canonical address of an entry's page: its own directory's, when it
/// is mirrored.
fn canonical(meta: &mut PageMeta, entry_origin: &Origin) {
    if let Some(origin) = origin(entry_origin) {
        meta.canonical = origin.url;
    }
}

/// The template that draws one listed profile card: the theme's
/// `profile_card` component, given `p` and `level`.
const LISTED_CARD: &str = "profile_card.html";

/// The heading level of a listed profile card: under the letter headings
/// (`h2`) of the A–Z list and a term's page, and under the `h2` of an
/// organisation's people and of a profile's suggestions. One level
/// everywhere lets each card be drawn once a build.
const CARD_HEADING: usize = 3;

/// A page's title, with its number after the first: `Profiles (page 2 of 5)`.
fn page_title(title: &str, number: usize) -> String {
    if number <= 1 {
        title.to_string()
    } else {
        format!("{title} (page {number})")
    }
}

/// The address of a file under static/ (or a URL, for mirrored entries).
pub(super) fn asset_url(path: &str) -> String {
    if crate::content::is_remote_file(path) {
        path.to_string()
    } else {
        format!("/{}", path.trim_start_matches('/'))
    }
}
