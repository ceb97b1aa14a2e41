//! `interchange.toml`: the site's settings.

use jiff::tz::TimeZone;
use url::Url;

use super::levels::{self, Levels};
use super::vocabulary::label_from_slug;
use super::{Kind, Vocabulary};
use crate::diagnostic::Code;
use crate::did_you_mean::suggestions;
use crate::fields::{Fields, Reader, is_slug};
use crate::node::{Node, Value};

mod connections;
mod email;

pub use connections::Connections;
use connections::read_connections;
use email::read_email;
pub use email::{Email, EmailTls, Mailbox};

/// The site's settings.
#[derive(Debug, Clone)]
pub struct Site {
    /// The site's title.
    pub title: String,
    /// The absolute URL the site is published at, without a trailing slash.
    pub base_url: Url,
    /// The language of its pages, as a BCP 47 tag.
    pub language: String,
    /// The IANA name of the zone local times are written in.
    pub timezone: String,
    /// The organisations the site speaks for; the first is the default host of events.
    pub organisations: Vec<String>,
    /// The theme: `default`, or a folder under `themes/`.
    pub theme: String,
    /// Federation settings, if the site federates.
    pub federation: Option<Federation>,
    /// How introductions are emailed, if they are.
    pub email: Option<Email>,
    /// The accepted policy areas.
    pub vocabulary: Vocabulary,
    /// Whether raw HTML in local entries' bodies is kept as written. Off by
    /// default: it is sanitised. Mirrored entries are always sanitised.
    pub trust_html: bool,
    /// Which level band each grade is in: the built-in table with the
    /// site's `[levels]` over it.
    pub levels: Levels,
    /// `[swaps]`: how job swaps are made.
    pub swaps: SwapSettings,
    /// `[calendars]`: what the calendar files keep.
    pub calendars: CalendarSettings,
}

/// `[calendars]`: what the calendar files keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarSettings {
    /// For how many months after its last date an event stays in the
    /// calendars people subscribe to: a calendar program deletes what
    /// drops out of a subscribed calendar, so an event leaving at once
    /// would vanish from people's past days too.
    pub keep_past_months: u8,
}

impl CalendarSettings {
    /// The most months `keep_past_months` may be: ten years.
    pub const MAX_KEEP_PAST_MONTHS: u32 = 120;
}

impl Default for CalendarSettings {
    fn default() -> Self {
        Self {
            keep_past_months: 3,
        }
    }
}

/// `[swaps]`: how job swaps are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SwapSettings {
    /// How many level bands apart two people who swap may be: 0 (the same
    /// band) or 1 (the default).
    pub levels_apart: u8,
}

impl Default for SwapSettings {
    fn default() -> Self {
        Self { levels_apart: 1 }
    }
}

/// `[federation]`: how the site shares its directory.
#[derive(Debug, Clone)]
pub struct Federation {
    /// The site actor's handle: `acct:{handle}@{host}`.
    pub handle: String,
    /// Directories to follow and mirror.
    pub follow: Vec<Url>,
    /// Host patterns allowed to follow: `directory.leeds.gov.uk`, `*.gov.uk`
    /// (any host under gov.uk), `*` (any host); `:port` limits one to a port.
    pub allow: Vec<String>,
    /// The database URL: `sqlite://…` or `postgres://…`.
    pub database: String,
    /// The most entries kept from one followed directory.
    pub mirror_max_entries: u32,
    /// The most megabytes (MiB) of files kept from one followed directory.
    pub mirror_max_megabytes: u32,
    /// How long the server waits for clients, and how many it holds.
    pub connections: Connections,
}

impl Federation {
    /// The default [`Federation::mirror_max_entries`]: the largest
    /// directories (a national aggregator's) hold some 100,000 profiles.
    pub const MIRROR_MAX_ENTRIES: u32 = 250_000;
    /// The default [`Federation::mirror_max_megabytes`]: 250,000 entries
    /// of a few kilobytes, twice over.
    pub const MIRROR_MAX_MEGABYTES: u32 = 2048;
}

impl Federation {
    /// Whether a server at `url` may follow this site's actors.
    pub fn allows(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let port = url.port_or_known_default();
        self.allow
            .iter()
            .any(|pattern| pattern_matches(pattern, &host, port))
    }
}

/// Whether `host` (lowercase) on `port` matches an `allow` pattern.
fn pattern_matches(pattern: &str, host: &str, port: Option<u16>) -> bool {
    if pattern == "*" {
        return true;
    }
    let (name, wanted_port) = match pattern.rsplit_once(':') {
        Some((name, p)) => (name, p.parse::<u16>().ok()),
        None => (pattern, None),
    };
    if wanted_port.is_some_and(|p| Some(p) != port) {
        return false;
    }
    match name.strip_prefix("*.") {
        Some(parent) => host
            .strip_suffix(parent)
            .is_some_and(|rest| rest.ends_with('.')),
        None => host == name,
    }
}

impl Site {
    /// The settings used when `interchange.toml` cannot be read, so the
    /// content can still be checked.
    pub fn fallback() -> Self {
        Self {
            title: "Interchange".into(),
            base_url: Url::parse("https://example.invalid").expect("a valid literal URL"),
            language: "en-GB".into(),
            timezone: "Europe/London".into(),
            organisations: Vec::new(),
            theme: "default".into(),
            federation: None,
            email: None,
            vocabulary: Vocabulary::default(),
            trust_html: false,
            levels: Levels::builtin(),
            swaps: SwapSettings::default(),
            calendars: CalendarSettings::default(),
        }
    }

    /// The site's time zone.
    pub fn time_zone(&self) -> TimeZone {
        TimeZone::get(&self.timezone).unwrap_or(TimeZone::UTC)
    }

    /// The absolute address of a path of the site: `/profiles/` →
    /// `https://directory.leeds.gov.uk/profiles/`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base_url.as_str().trim_end_matches('/'))
    }

    /// The site's host, with its port if it has one (`directory.leeds.gov.uk`,
    /// `localhost:8080`): what other directories file its entries under.
    pub fn host(&self) -> String {
        let host = self
            .base_url
            .host_str()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match self.base_url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        }
    }

    /// The absolute address of an entry of this site: its page's URL and,
    /// for an entry the site federates, its ActivityPub id.
    pub fn entry_id(&self, kind: Kind, slug: &str) -> String {
        self.absolute(&kind.url(slug))
    }

    /// Whether an entry's raw HTML is kept rather than sanitised: only for
    /// the site's own entries, and only when it trusts its editors
    /// (`trust_html`). A mirrored entry is another directory's editors' work.
    pub fn trusts_html(&self, origin: &super::Origin) -> bool {
        self.trust_html && !origin.is_mirror()
    }

    /// Reads the settings, reporting every problem; missing values fall back
    /// to those of [`Site::fallback`].
    pub(crate) fn read(r: &mut Reader<'_>, node: &Node) -> Self {
        let mut site = Site::fallback();
        let Some(mut f) = Fields::of(r, node, Default::default(), "interchange.toml") else {
            return site;
        };
        if let Some(title) = f.read_required_as(
            r,
            "title",
            "title = \"Leeds public services directory\"",
            Reader::text,
        ) {
            site.title = title;
        }
        if let Some(url) = f.read_required_as(
            r,
            "base_url",
            "base_url = \"https://directory.leeds.gov.uk\"",
            base_url,
        ) {
            site.base_url = url;
        }
        if let Some(language) = f.read(r, "language", Reader::text) {
            site.language = language;
        }
        if let Some(zone) = f.read(r, "timezone", time_zone) {
            site.timezone = zone;
        }
        site.organisations = f
            .read_required_as(
                r,
                "organisations",
                "organisations = [\"leeds-city-council\"]",
                |r, n| {
                    Some(r.list(n, |r, n| {
                        r.reference(n, Kind::Organisation, "organisations")
                    }))
                },
            )
            .unwrap_or_default();
        if let Some(theme) = f.read(r, "theme", theme) {
            site.theme = theme;
        }
        site.trust_html = f.read(r, "trust_html", Reader::boolean).unwrap_or(false);
        site.federation = f.read(r, "federation", read_federation);
        site.email = f.read(r, "email", read_email);
        if let Some(vocabulary) = f.get("vocabulary") {
            read_vocabulary(r, vocabulary, &mut site.vocabulary);
        }
        if let Some(levels) = f.get("levels") {
            read_levels(r, levels, &mut site.levels);
        }
        if let Some(swaps) = f.read(r, "swaps", read_swaps) {
            site.swaps = swaps;
        }
        if let Some(calendars) = f.read(r, "calendars", read_calendars) {
            site.calendars = calendars;
        }
        f.finish(r);
        site
    }
}

/// The site's address: absolute, at the root of its host, as pages link to
/// each other from `/`.
/// Why a site cannot be published at `url`, if it cannot: pages link to
/// each other from `/`, so a site is published at the root of a host.
pub fn unpublishable(url: &Url) -> Option<String> {
    if !matches!(url.scheme(), "https" | "http") {
        return Some(format!("`{url}` is not an https:// or http:// address"));
    }
    (url.path() != "/" || url.query().is_some() || url.fragment().is_some())
        .then(|| format!("`{url}` is not the root of a host"))
}

/// What to do about an address [`unpublishable`] refuses.
pub const PUBLISH_AT_A_ROOT: &str =
    "publish the site at the root of its own host, like `https://directory.leeds.gov.uk`";

fn base_url(r: &mut Reader<'_>, node: &Node) -> Option<Url> {
    let url = r.url(node, &["https", "http"])?;
    if let Some(problem) = unpublishable(&url) {
        r.push(
            r.error(Code::InvalidUrl, node.span, problem)
                .with_hint(PUBLISH_AT_A_ROOT),
        );
        return None;
    }
    Some(url)
}

fn time_zone(r: &mut Reader<'_>, node: &Node) -> Option<String> {
    let name = r.text(node)?;
    if TimeZone::get(&name).is_ok() {
        return Some(name);
    }
    let known = jiff::tz::db().available();
    let names: Vec<String> = known.map(|n| n.as_str().to_string()).collect();
    let near = suggestions(&name, names.iter().map(String::as_str), 3);
    let hint = if near.is_empty() {
        "use an IANA time zone name, like `Europe/London`".to_string()
    } else {
        format!(
            "did you mean {}?",
            crate::did_you_mean::quoted_list(&near, "or")
        )
    };
    r.push(
        r.error(
            Code::InvalidValue,
            node.span,
            format!("`{name}` is not a time zone"),
        )
        .with_hint(hint),
    );
    None
}

fn theme(r: &mut Reader<'_>, node: &Node) -> Option<String> {
    let name = r.text(node)?;
    if name == "default" || r.context.root.join("themes").join(&name).is_dir() {
        return Some(name);
    }
    r.push(
        r.error(
            Code::MissingFile,
            node.span,
            format!("there is no theme `{name}`"),
        )
        .with_hint(format!(
            "use `default`, the built-in theme, or create the folder themes/{name}/"
        )),
    );
    None
}

fn read_federation(r: &mut Reader<'_>, node: &Node) -> Option<Federation> {
    let mut f = Fields::of(r, node, node.span, "`[federation]`")?;
    let handle = f.read_required_as(r, "handle", "handle = \"leeds\"", handle);
    let follow = f
        .read(r, "follow", |r, n| {
            Some(r.list(n, |r, n| r.url(n, &["https", "http"])))
        })
        .unwrap_or_default();
    let allow = f
        .read(r, "allow", |r, n| Some(r.list(n, host_pattern)))
        .unwrap_or_default();
    let database = f
        .read(r, "database", database_url)
        .unwrap_or_else(|| "sqlite://interchange.db".into());
    let mirror_max_entries = f
        .read(r, "mirror_max_entries", |r, n| r.number(n, 1, 100_000_000))
        .unwrap_or(Federation::MIRROR_MAX_ENTRIES);
    let mirror_max_megabytes = f
        .read(r, "mirror_max_megabytes", |r, n| r.number(n, 1, 10_000_000))
        .unwrap_or(Federation::MIRROR_MAX_MEGABYTES);
    let connections = read_connections(r, &mut f);
    f.finish(r);
    Some(Federation {
        handle: handle?,
        follow,
        allow,
        database,
        mirror_max_entries,
        mirror_max_megabytes,
        connections,
    })
}

fn handle(r: &mut Reader<'_>, node: &Node) -> Option<String> {
    let text = r.text(node)?;
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        Some(text)
    } else {
        r.push(
            r.error(
                Code::InvalidValue,
                node.span,
                format!("`{text}` is not a valid handle"),
            )
            .with_hint("use letters, digits, `_` and `-` only, like `leeds`"),
        );
        None
    }
}

/// A host or a wildcard over its subdomains, with an optional port:
/// `directory.leeds.gov.uk`, `*.gov.uk`, `localhost:8001`, or `*` for any.
fn host_pattern(r: &mut Reader<'_>, node: &Node) -> Option<String> {
    let text = r.text(node)?;
    if valid_host_pattern(&text) {
        Some(text.to_lowercase())
    } else {
        r.push(
            r.error(Code::InvalidValue, node.span, format!("`{text}` is not a host or host pattern"))
                .with_hint("write a host like `directory.leeds.gov.uk`, `*.gov.uk` for every host under gov.uk, or `*` for any host"),
        );
        None
    }
}

fn valid_host_pattern(text: &str) -> bool {
    if text == "*" {
        return true;
    }
    let (name, port) = match text.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (text, None),
    };
    if port.is_some_and(|p| p.parse::<u16>().is_err()) {
        return false;
    }
    let host = name.strip_prefix("*.").unwrap_or(name);
    // A bare name other than `localhost` is almost always a typo for a domain.
    (host.contains('.') || host.eq_ignore_ascii_case("localhost"))
        && matches!(url::Host::parse(host), Ok(url::Host::Domain(_)))
        && !host.contains('*')
}

fn database_url(r: &mut Reader<'_>, node: &Node) -> Option<String> {
    let text = r.text(node)?;
    if ["sqlite:", "postgres://", "postgresql://"]
        .iter()
        .any(|p| text.starts_with(p))
    {
        Some(text)
    } else {
        r.push(
            r.error(
                Code::InvalidValue,
                node.span,
                format!("`{text}` is not a database URL"),
            )
            .with_hint(
                "use `sqlite://interchange.db`, or `postgres://user@host/db` for PostgreSQL",
            ),
        );
        None
    }
}

/// `[vocabulary] policy_areas = ["slug", { slug = "x", label = "X" }]`.
fn read_vocabulary(r: &mut Reader<'_>, node: &Node, vocabulary: &mut Vocabulary) {
    let Some(mut f) = Fields::of(r, node, node.span, "`[vocabulary]`") else {
        return;
    };
    if let Some(areas) = f.get("policy_areas") {
        for (slug, label) in r.list(areas, vocabulary_term) {
            vocabulary.add_policy_area(slug, label);
        }
    }
    f.finish(r);
}

fn vocabulary_term(r: &mut Reader<'_>, node: &Node) -> Option<(String, String)> {
    if let Value::Map(_) = node.value {
        let mut f = Fields::of(r, node, node.span, "a policy area")?;
        let slug = f.read_required_as(r, "slug", "slug = \"coastal-communities\"", Reader::slug);
        let label = f.read(r, "label", Reader::text);
        f.finish(r);
        let slug = slug?;
        let label = label.unwrap_or_else(|| label_from_slug(&slug));
        return Some((slug, label));
    }
    let slug = r.text(node)?;
    if !is_slug(&slug) {
        return r.slug(node).map(|s| (s.clone(), label_from_slug(&s)));
    }
    let label = label_from_slug(&slug);
    Some((slug, label))
}

/// `[levels] "Band 8a" = 5`: grades and the band each is in, over the
/// built-in table. Each key is a grade as profiles write it; case, spaces and
/// punctuation do not matter.
fn read_levels(r: &mut Reader<'_>, node: &Node, table: &mut Levels) {
    let Value::Map(entries) = &node.value else {
        r.push(
            r.error(
                Code::WrongType,
                node.span,
                format!(
                    "expected a table of grades, found {}",
                    node.value.describe()
                ),
            )
            .with_hint("write it as a table: `[levels]`, then a line like `\"Band 8a\" = 5`"),
        );
        return;
    };
    for (key, value) in entries {
        let Some(grade) = r.text(key) else {
            continue;
        };
        let Some(level) = r.number(value, levels::LOWEST.into(), levels::HIGHEST.into()) else {
            continue;
        };
        // Within the range just checked.
        let level = level as u8;
        if !table.set(&grade, level) {
            r.push(
                r.error(
                    Code::InvalidValue,
                    key.span,
                    format!("`{grade}` is not a grade: it has no letters or digits"),
                )
                .with_hint("write the grade as profiles write it, like `\"Band 8a\" = 5`"),
            );
        }
    }
}

/// `[swaps] levels_apart = 1`.
fn read_swaps(r: &mut Reader<'_>, node: &Node) -> Option<SwapSettings> {
    let mut f = Fields::of(r, node, node.span, "`[swaps]`")?;
    let mut settings = SwapSettings::default();
    if let Some(apart) = f.read(r, "levels_apart", |r, n| r.number(n, 0, 1)) {
        // 0 or 1, just checked.
        settings.levels_apart = apart as u8;
    }
    f.finish(r);
    Some(settings)
}

/// `[calendars] keep_past_months = 3`.
fn read_calendars(r: &mut Reader<'_>, node: &Node) -> Option<CalendarSettings> {
    let mut f = Fields::of(r, node, node.span, "`[calendars]`")?;
    let mut settings = CalendarSettings::default();
    if let Some(months) = f.read(r, "keep_past_months", |r, n| {
        r.number(n, 0, CalendarSettings::MAX_KEEP_PAST_MONTHS)
    }) {
        // At most 120, just checked.
        settings.keep_past_months = months as u8;
    }
    f.finish(r);
    Some(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn federation(allow: &[&str]) -> Federation {
        Federation {
            handle: "leeds".into(),
            follow: Vec::new(),
            allow: allow.iter().map(|s| s.to_string()).collect(),
            database: String::new(),
            mirror_max_entries: Federation::MIRROR_MAX_ENTRIES,
            mirror_max_megabytes: Federation::MIRROR_MAX_MEGABYTES,
            connections: Connections::default(),
        }
    }

    fn allows(allow: &[&str], url: &str) -> bool {
        federation(allow).allows(&Url::parse(url).expect("a test URL"))
    }

    #[test]
    fn a_wildcard_allows_subdomains_but_not_lookalikes() {
        assert!(allows(&["*.gov.uk"], "https://directory.leeds.gov.uk/"));
        assert!(allows(&["*.gov.uk"], "https://A.B.GOV.UK/"));
        assert!(!allows(&["*.gov.uk"], "https://gov.uk/"));
        assert!(!allows(&["*.gov.uk"], "https://evilgov.uk/"));
        assert!(!allows(&["*.gov.uk"], "https://gov.uk.evil.example/"));
        assert!(allows(&["*"], "https://mastodon.social/"));
        assert!(!allows(&[], "https://directory.leeds.gov.uk/"));
    }

    #[test]
    fn a_port_in_a_pattern_allows_that_port_only() {
        assert!(allows(&["localhost:8001"], "http://localhost:8001/"));
        assert!(!allows(&["localhost:8001"], "http://localhost:8002/"));
        assert!(allows(&["localhost"], "http://localhost:8002/"));
        assert!(allows(
            &["directory.leeds.gov.uk:443"],
            "https://directory.leeds.gov.uk/"
        ));
    }

    #[test]
    fn patterns_are_checked_when_read() {
        for good in ["*", "*.gov.uk", "localhost", "localhost:8001", "a.b.c"] {
            assert!(valid_host_pattern(good), "{good}");
        }
        for bad in [
            "leeds",
            "*.*.uk",
            "gov.uk/x",
            "127.0.0.1",
            "a.b:port",
            "https://a.b",
        ] {
            assert!(!valid_host_pattern(bad), "{bad}");
        }
    }
}
