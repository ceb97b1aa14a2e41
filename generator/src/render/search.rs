//! The search index: built from the directory's fields, split so that a
//! query downloads only what it needs.
//!
//! Every token (lower-cased, split at anything not a letter or digit, at least
//! two characters) maps to its postings, `[doc, weight]`. Tokens are sharded by
//! their first two characters into `search/terms/<key>.json`, so a query of
//! one word fetches one shard (prefix matching happens in the browser);
//! documents' titles and summaries are in chunks of 500, fetched for the
//! results shown. Built straight from the typed entries, it costs no HTML
//! parsing and scales with the directory's words.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use pulldown_cmark::{Event, Parser};
use rayon::prelude::*;
use serde::Serialize;

use super::index::Index;
use super::views::entry_url;
use crate::content::{Entry, Kind};

/// Documents per chunk file: a page of results spreads over chunks, so they
/// are kept small (about 13 KB at 100 profiles).
pub const CHUNK_SIZE: usize = 100;
/// Body words indexed per entry: enough to find people by what they work on.
const BODY_WORDS: usize = 300;

/// A search result as the page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Doc {
    /// Its number in the index.
    pub id: u32,
    /// Name or title.
    pub title: String,
    /// Page.
    pub url: String,
    /// `profile`, `organisation`, `event`, `consultation`, `ask` or `page`.
    pub kind: &'static str,
    /// One line about it.
    pub summary: String,
}

/// Weights of where a word is found.
const TITLE: u32 = 8;
const SUMMARY: u32 = 4;
const TAGS: u32 = 3;
const BODY: u32 = 1;

/// Words too common to find anything by; leaving them out keeps the shards
/// of `th`, `an` and `wo` small.
const STOP_WORDS: &[&str] = &[
    "about", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
    "her", "his", "how", "in", "is", "it", "its", "of", "on", "or", "our", "she", "that", "the",
    "their", "them", "they", "this", "to", "was", "we", "what", "which", "who", "will", "with",
    "would",
];

/// Splits text into search tokens, as the browser does.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| t.chars().count() >= 2)
        .map(str::to_lowercase)
}

/// The tokens worth indexing: all but the stop words.
fn indexed_tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    tokens(text).filter(|t| !STOP_WORDS.contains(&t.as_str()))
}

/// The shard a token is in: its first two characters, `_` for any outside `a-z0-9`.
pub fn shard_key(token: &str) -> String {
    token
        .chars()
        .take(2)
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The plain text of a Markdown body, its first `BODY_WORDS` words.
fn body_text<T>(entry: &Entry<T>) -> String {
    let mut text = String::new();
    for event in Parser::new(&entry.body) {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(&t);
            text.push(' ');
        }
    }
    text.split_whitespace()
        .take(BODY_WORDS)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A document and the weighted text it is found by.
struct Source {
    doc: Doc,
    fields: Vec<(u32, String)>,
}

/// What the index was last made from, so that a save makes again only the
/// shards and chunks that changed.
#[derive(Debug, Default)]
pub struct Cache {}

/// The index files: every path, and the bytes of those that may have changed.
pub(super) fn files(index: &Index<'_>, _cache: &mut Cache) -> super::Made {
    super::Made::whole(all_files(index))
}

/// Every index file: (path under the site, bytes).
fn all_files(index: &Index<'_>) -> Vec<(PathBuf, Vec<u8>)> {
    let sources = sources(index);
    let weighted: Vec<HashMap<String, u32>> = sources
        .par_iter()
        .map(|source| {
            let mut weights: HashMap<String, u32> = HashMap::new();
            for (weight, text) in &source.fields {
                for token in indexed_tokens(text) {
                    let w = weights.entry(token).or_default();
                    *w = (*w).max(*weight);
                }
            }
            weights
        })
        .collect();
    let mut shards: BTreeMap<String, BTreeMap<String, Vec<(u32, u32)>>> = BTreeMap::new();
    for (id, weights) in weighted.into_iter().enumerate() {
        for (token, weight) in weights {
            shards
                .entry(shard_key(&token))
                .or_default()
                .entry(token)
                .or_default()
                .push((id as u32, weight));
        }
    }
    let mut files = Vec::with_capacity(shards.len() + sources.len() / CHUNK_SIZE + 2);
    files.push((
        PathBuf::from("search/meta.json"),
        json(
            &serde_json::json!({ "version": 1, "count": sources.len(), "chunk_size": CHUNK_SIZE }),
        ),
    ));
    for (key, terms) in &shards {
        files.push((
            PathBuf::from(format!("search/terms/{key}.json")),
            json(terms),
        ));
    }
    let docs: Vec<&Doc> = sources.iter().map(|s| &s.doc).collect();
    for (n, chunk) in docs.chunks(CHUNK_SIZE).enumerate() {
        files.push((PathBuf::from(format!("search/docs/{n}.json")), json(&chunk)));
    }
    files
}

fn json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    // Plain maps, lists and strings always serialise.
    serde_json::to_vec(value).unwrap_or_default()
}

fn sources(index: &Index<'_>) -> Vec<Source> {
    let dir = index.dir;
    let mut sources = Vec::new();
    let mut push = |kind: &'static str,
                    url: String,
                    title: &str,
                    summary: String,
                    tags: String,
                    body: String| {
        let id = sources.len() as u32;
        sources.push(Source {
            fields: vec![
                (TITLE, title.to_string()),
                (SUMMARY, summary.clone()),
                (TAGS, tags),
                (BODY, body),
            ],
            doc: Doc {
                id,
                title: title.to_string(),
                url,
                kind,
                summary,
            },
        });
    };
    let organisation_name = |slug: &str| {
        dir.organisation(slug)
            .map(|o| o.data.name.clone())
            .unwrap_or_default()
    };
    for &i in &index.profiles_az {
        let e = &dir.profiles[i];
        let p = &e.data;
        let organisation = organisation_name(&p.organisation);
        let summary = if organisation.is_empty() {
            p.role.clone()
        } else {
            format!("{}, {organisation}", p.role)
        };
        let tags = [
            p.policy_areas
                .iter()
                .map(|a| dir.site.vocabulary.policy_area_label(a).unwrap_or(a))
                .collect::<Vec<_>>()
                .join(" "),
            p.interests.join(" "),
            p.open_to
                .iter()
                .map(|o| o.label())
                .collect::<Vec<_>>()
                .join(" "),
            p.location.clone().unwrap_or_default(),
            index
                .sector_of(i)
                .map(|s| s.label().to_string())
                .unwrap_or_default(),
        ]
        .join(" ");
        push(
            "profile",
            entry_url(Kind::Profile, &e.slug),
            &p.name,
            summary,
            tags,
            body_text(e),
        );
    }
    for &i in &index.organisations_az {
        let e = &dir.organisations[i];
        let o = &e.data;
        push(
            "organisation",
            entry_url(Kind::Organisation, &e.slug),
            &o.name,
            o.sector.label().to_string(),
            o.region.clone().unwrap_or_default(),
            body_text(e),
        );
    }
    for e in &dir.events {
        let v = &e.data;
        let place = v
            .venue
            .as_ref()
            .map(|v| format!("{} {}", v.name, v.address.clone().unwrap_or_default()))
            .unwrap_or_default();
        let summary = format!("{}, {}", v.kind.label(), super::format::date(&v.start));
        push(
            "event",
            entry_url(Kind::Event, &e.slug),
            &v.title,
            summary,
            format!("{place} {}", v.policy_areas.join(" ")),
            body_text(e),
        );
    }
    for e in &dir.consultations {
        let c = &e.data;
        let summary = format!(
            "{}: {} to {}",
            c.status(index.now).label(),
            super::format::date(&c.opens),
            super::format::date(&c.closes)
        );
        push(
            "consultation",
            entry_url(Kind::Consultation, &e.slug),
            &c.title,
            summary,
            c.policy_areas.join(" "),
            body_text(e),
        );
    }
    for e in &dir.asks {
        let a = &e.data;
        push(
            "ask",
            entry_url(Kind::Ask, &e.slug),
            &a.title,
            a.kind.label().to_string(),
            a.policy_areas.join(" "),
            body_text(e),
        );
    }
    for e in &dir.pages {
        push(
            "page",
            entry_url(Kind::Page, &e.slug),
            &e.data.title,
            String::new(),
            String::new(),
            body_text(e),
        );
    }
    sources
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_shards() {
        let found: Vec<String> =
            tokens("Children's services & Data-science, Café 2027 a").collect();
        assert_eq!(
            found,
            ["children", "services", "data", "science", "café", "2027"]
        );
        assert_eq!(shard_key("housing"), "ho");
        assert_eq!(shard_key("café"), "ca");
        assert_eq!(shard_key("élan"), "_l");
    }
}
