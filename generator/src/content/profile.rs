//! `content/profiles/<slug>.md`: an officer open to meeting across sectors.

use jiff::civil::Date;
use url::Url;

use super::levels::{self, Lookup};
use super::{Kind, OpenTo, Profession, Sector, Vetting, Visibility};
use crate::diagnostic::Code;
use crate::fields::{Fields, Reader};
use crate::node::Node;

/// An officer's entry in the directory.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Profile {
    /// Their name.
    pub name: String,
    /// Their job title.
    pub role: String,
    /// The organisation they work for.
    pub organisation: String,
    /// Their grade, in their organisation's words.
    pub grade: Option<String>,
    /// Where they work.
    pub location: Option<String>,
    /// The policy areas they work on, from the vocabulary.
    pub policy_areas: Vec<String>,
    /// What else they care about: open tags.
    pub interests: Vec<String>,
    /// The ways they are open to meeting people.
    pub open_to: Vec<OpenTo>,
    /// Languages they speak, as BCP 47 tags.
    pub languages: Vec<String>,
    /// Their pronouns.
    pub pronouns: Option<String>,
    /// A photo under `static/` (or a URL, for mirrored entries).
    pub photo: Option<String>,
    /// How to reach them.
    pub contact: Contact,
    /// When they agreed to be published.
    pub consent: Date,
    /// Who may see the profile.
    pub visibility: Visibility,
    /// Whether other directories may mirror it.
    pub federate: bool,
    /// Matching rounds skip them until this date.
    pub paused_until: Option<Date>,
    /// Their offer of a job swap.
    pub swap: Option<Swap>,
    /// The matching programmes they have joined (keys: a programme of this
    /// site by its slug, another directory's as `host/slug`).
    pub programmes: Vec<String>,
    /// The cohort they belong to, such as `ngdp-2027`: programmes may be
    /// open to a cohort only.
    pub cohort: Option<String>,
    /// The most buddies they want in a month, across every programme.
    pub max_buddies_per_month: u32,
    /// Their level band, 1 (entry) to 7 (executive): as written in
    /// `level:`, else the band of their grade (see [`super::levels`]); none
    /// if neither says. Job swaps pair people of near levels only.
    pub level: Option<u8>,
    /// The key profiles are listed by, from the name: family name first, as
    /// directories do (made once, as lists are sorted on every build).
    pub sort_key: (String, String),
}

/// The key a name is listed by: the family name (the last word), then the
/// whole name, both lower-cased.
pub fn sort_key(name: &str) -> (String, String) {
    let family = name.split_whitespace().last().unwrap_or(name);
    (family.to_lowercase(), name.to_lowercase())
}

/// Ways to reach an officer; all optional.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    /// Email address.
    pub email: Option<String>,
    /// Fediverse handle, `@name@host`.
    pub fediverse: Option<String>,
    /// LinkedIn page (boxed: few profiles give one, and a URL is 88 bytes
    /// in every profile that does not).
    pub linkedin: Option<Box<Url>>,
}

/// An offer to swap jobs for a while.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Swap {
    /// How long, in months.
    pub months: u32,
    /// Sectors they would go to (any, if empty).
    pub sectors: Vec<Sector>,
    /// Policy areas they would work on (any, if empty).
    pub policy_areas: Vec<String>,
    /// Places they could work (any, if empty).
    pub locations: Vec<String>,
    /// The regulated profession their job needs its holder to be registered
    /// in, if it does: they swap only with someone in the same one.
    pub regulated: Option<Profession>,
    /// The vetting whoever takes their job must pass first, if the post says
    /// (else what its organisation's sector always needs: see
    /// `matching::swaps`).
    pub vetting: Option<Vetting>,
}

/// What to do about a profile with no consent, as every message about it
/// says: ask, and write the date the officer agreed.
pub const CONSENT_HINT: &str = "ask the officer whether they agree to be listed; once they have, write the date they agreed as `consent: YYYY-MM-DD` (a profile without it is not published)";

impl Profile {
    pub(crate) fn read(r: &mut Reader<'_>, f: &mut Fields<'_>) -> Option<Self> {
        let name = f.read_required(r, "name", Reader::text);
        let role = f.read_required(r, "role", Reader::text);
        let organisation = f.read_required(r, "organisation", |r, n| {
            r.reference(n, Kind::Organisation, "organisation")
        });
        let grade = f.read(r, "grade", Reader::text);
        let location = f.read(r, "location", Reader::text);
        let policy_areas = f.read_required(r, "policy_areas", |r, n| {
            non_empty(r, n, "policy_areas", Reader::policy_area)
        });
        let interests = f
            .read(r, "interests", |r, n| Some(r.list(n, Reader::interest)))
            .unwrap_or_default();
        let open_to = f.read_required(r, "open_to", |r, n| {
            non_empty(r, n, "open_to", Reader::choice::<OpenTo>)
        });
        let languages = f
            .read(r, "languages", |r, n| Some(r.list(n, language)))
            .unwrap_or_default();
        let pronouns = f.read(r, "pronouns", Reader::text);
        let photo = f.read(r, "photo", Reader::photo);
        let contact = f.read(r, "contact", read_contact).unwrap_or_default();
        let consent_span = f.key_span("consent");
        // No example date: a date made up to pass the check would publish
        // someone who never agreed.
        let consent = f.require(r, "consent").and_then(|node| r.date(node));
        if let (Some(date), Some(span)) = (consent, consent_span) {
            let today = r.context.today();
            if date > today {
                r.push(
                    r.error(
                        Code::ConsentInFuture,
                        span,
                        format!("consent is dated {date}, which is after today ({today})"),
                    )
                    .with_hint("write the date the officer agreed, which is today or earlier; if they have not agreed yet, leave `consent:` empty until they do"),
                );
            }
        }
        let visibility = f
            .read(r, "visibility", Reader::choice)
            .unwrap_or(Visibility::Public);
        let federate = f.read(r, "federate", Reader::boolean).unwrap_or(true);
        let paused_until = f.read(r, "paused_until", Reader::date);
        let swap_span = f.key_span("swap");
        let swap = f.read(r, "swap", read_swap);
        let programmes = f
            .read(r, "programmes", |r, n| {
                Some(r.list(n, |r, n| r.reference(n, Kind::Programme, "programmes")))
            })
            .unwrap_or_default();
        let cohort = f.read(r, "cohort", Reader::slug);
        let max_buddies_per_month = f
            .read(r, "max_buddies_per_month", |r, n| r.number(n, 0, 4))
            .unwrap_or(1);
        let open_to = open_to?;
        if let (Some(_), Some(span)) = (&swap, swap_span)
            && !open_to.contains(&OpenTo::JobSwap)
        {
            r.push(
                r.error(
                    Code::SwapWithoutJobSwap,
                    span,
                    "a job swap is offered, but `open_to` does not include `job-swap`",
                )
                .with_hint("add `job-swap` to `open_to`, or remove `swap`"),
            );
        }
        let level = read_level(
            r,
            f,
            grade.as_deref(),
            swap.is_some().then_some(swap_span).flatten(),
        );
        let name = name?;
        Some(Self {
            sort_key: sort_key(&name),
            name,
            role: role?,
            organisation: organisation?,
            grade,
            location,
            policy_areas: policy_areas?,
            interests,
            open_to,
            languages,
            pronouns,
            photo,
            contact,
            consent: consent?,
            visibility,
            federate,
            paused_until,
            swap,
            programmes,
            cohort,
            max_buddies_per_month,
            level,
        })
    }

    /// Whether the profile may be shown on the public site and shared.
    pub fn is_public(&self) -> bool {
        self.visibility == Visibility::Public
    }

    /// Whether the profile leaves this instance over federation.
    pub fn federates(&self) -> bool {
        self.is_public() && self.federate
    }

    /// Whether matching rounds include the profile on `date`.
    pub fn is_paused_on(&self, date: Date) -> bool {
        self.paused_until.is_some_and(|until| date < until)
    }
}

/// A list that must hold at least one valid item.
fn non_empty<'r, T>(
    r: &mut Reader<'r>,
    node: &Node,
    name: &str,
    item: impl FnMut(&mut Reader<'r>, &Node) -> Option<T>,
) -> Option<Vec<T>> {
    let before = r.diagnostics.len();
    let items = r.list(node, item);
    if items.is_empty() && r.diagnostics.len() == before {
        r.push(
            r.error(Code::MissingField, node.span, format!("`{name}` is empty"))
                .with_hint("give at least one value"),
        );
    }
    (!items.is_empty()).then_some(items)
}

/// A BCP 47 language tag such as `en`, `cy` or `pt-BR`.
fn language(r: &mut Reader<'_>, node: &Node) -> Option<String> {
    let text = r.text(node)?;
    let mut parts = text.split('-');
    let primary = parts.next().unwrap_or_default();
    let valid = (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if valid {
        Some(text)
    } else {
        r.push(
            r.error(Code::InvalidValue, node.span, format!("`{text}` is not a language tag"))
                .with_hint("use a BCP 47 tag: `en` for English, `cy` for Welsh, `gd` for Gaelic, `pa` for Punjabi"),
        );
        None
    }
}

fn read_contact(r: &mut Reader<'_>, node: &Node) -> Option<Contact> {
    let mut f = Fields::described(
        r,
        node,
        node.span,
        "`contact`",
        crate::content::model::CONTACT,
    )?;
    let contact = Contact {
        email: f.read(r, "email", Reader::email),
        fediverse: f.read(r, "fediverse", fediverse_handle),
        linkedin: f
            .read(r, "linkedin", |r, n| r.url(n, &["https"]))
            .map(Box::new),
    };
    f.finish(r);
    Some(contact)
}

/// A fediverse handle, `@name@host`.
fn fediverse_handle(r: &mut Reader<'_>, node: &Node) -> Option<String> {
    let text = r.text(node)?;
    let valid = text
        .strip_prefix('@')
        .and_then(|rest| rest.split_once('@'))
        .is_some_and(|(user, server)| {
            // A server may give its port, as one tried out on a laptop does.
            let host = match server.rsplit_once(':') {
                Some((host, port)) if port.parse::<u16>().is_ok() => host,
                _ => server,
            };
            !user.is_empty()
                && user
                    .chars()
                    .all(|c| c.is_alphanumeric() || "_.-".contains(c))
                && (host.contains('.') || host == "localhost")
                && url::Host::parse(host).is_ok()
        });
    if valid {
        Some(text)
    } else {
        r.push(
            r.error(
                Code::InvalidValue,
                node.span,
                format!("`{text}` is not a fediverse handle"),
            )
            .with_hint("write it as `\"@name@server.example\"`, in quotes"),
        );
        None
    }
}

/// A profile's level: `level:` as written, else its grade's band. A local
/// profile offering a swap (`swap`, where the offer is written) with neither
/// is warned about: its offer cannot be placed.
fn read_level(
    r: &mut Reader<'_>,
    f: &mut Fields<'_>,
    grade: Option<&str>,
    swap: Option<crate::source::Span>,
) -> Option<u8> {
    if let Some(node) = f.get("level") {
        // A level out of range is reported, and not replaced by the grade's.
        return r
            .number(node, levels::LOWEST.into(), levels::HIGHEST.into())
            .map(|level| level as u8);
    }
    let lookup = grade.map_or(Lookup::Unknown, |g| r.context.levels.of(g));
    if let Some(level) = lookup.level() {
        return Some(level);
    }
    // Mirrored profiles are their own directory's to fix.
    let (Some(swap), None) = (swap, r.host) else {
        return None;
    };
    let levels_hint = "`level:` (1 to 7: docs/levels.md lists the bands)";
    let warning = match (grade, lookup) {
        (Some(grade), Lookup::Spans(low, high)) => r
            .warning(
                Code::NoLevel,
                f.key_span("grade").unwrap_or(swap),
                format!("the grade `{grade}` spans two level bands ({low} and {high}), so this job swap offer cannot be placed"),
            )
            .with_hint(format!("add `level: {low}` or `level: {high}`, the band of the job offered")),
        (Some(grade), _) => {
            let g = grade.trim();
            // `7` or `8a`: a number is no grade without whose it is.
            let bare_number = g.starts_with(|c: char| c.is_ascii_digit())
                && g.chars().all(|c| c.is_ascii_alphanumeric());
            let advice = if bare_number {
                format!("`{grade}` alone could be a Civil Service grade or an NHS band: write it as `Grade {grade}` or `Band {grade}`, or add {levels_hint}")
            } else {
                format!("add {levels_hint} to this profile, or map the grade for the whole site in interchange.toml: `[levels]`, then `\"{grade}\" = 4` with its band")
            };
            r.warning(
                Code::NoLevel,
                f.key_span("grade").unwrap_or(swap),
                format!("the grade `{grade}` is in no level band, so this job swap offer cannot be placed"),
            )
            .with_hint(advice)
        }
        (None, _) => r
            .warning(
                Code::NoLevel,
                swap,
                "this job swap offer cannot be placed: the profile has no `grade` or `level`",
            )
            .with_hint(format!("add `grade:` as the organisation writes it (`Grade 7`, `Band 6`, `Sergeant`, `PO3`), or {levels_hint}")),
    };
    r.push(warning);
    None
}

fn read_swap(r: &mut Reader<'_>, node: &Node) -> Option<Swap> {
    let mut f = Fields::described(r, node, node.span, "`swap`", crate::content::model::SWAP)?;
    let months = f.read_required(r, "months", |r, n| r.number(n, 1, 24));
    let regulated = f.read(r, "regulated", Reader::choice::<Profession>);
    let vetting = f.read(r, "vetting", Reader::choice::<Vetting>);
    let wants = f.get("wants");
    let (mut sectors, mut policy_areas, mut locations) = (Vec::new(), Vec::new(), Vec::new());
    if let Some(wants) = wants
        && let Some(mut w) = Fields::described(
            r,
            wants,
            wants.span,
            "`swap.wants`",
            crate::content::model::WANTS,
        )
    {
        sectors = w
            .read(r, "sectors", |r, n| {
                Some(r.list(n, Reader::choice::<Sector>))
            })
            .unwrap_or_default();
        policy_areas = w
            .read(r, "policy_areas", |r, n| {
                Some(r.list(n, Reader::policy_area))
            })
            .unwrap_or_default();
        locations = w
            .read(r, "locations", |r, n| Some(r.list(n, Reader::text)))
            .unwrap_or_default();
        w.finish(r);
    }
    f.finish(r);
    Some(Swap {
        months: months?,
        sectors,
        policy_areas,
        locations,
        regulated,
        vetting,
    })
}
