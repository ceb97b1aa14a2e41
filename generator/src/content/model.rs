//! The content format as data: every field of every kind of entry, what it
//! holds, whether it is required, an example and a line about it.
//!
//! This is the one description of the front matter. The readers in this
//! module's siblings ask for fields by name and [`crate::fields::Fields`]
//! takes everything else from here: which names exist (anything else is an
//! unknown field), the example a missing required field's message offers,
//! where a field written at the wrong level belongs. The JSON Schema
//! ([`crate::schema`]) and the browser editor's configuration
//! ([`crate::cms`]) are made from it too. In debug builds a reader that
//! asks for a field missing here, or leaves one of these unread in a file
//! without errors, fails at once, so the two cannot drift apart.

use super::Kind;
use super::choices::{
    AskKind, Cadence, Choice, EventKind, GroupSize, OpenTo, Profession, ProgrammeKind, Sector,
    Vetting, Visibility,
};
use super::profile::CONSENT_HINT;

/// What a field holds.
#[derive(Debug)]
pub enum Shape {
    /// One line of text.
    Text,
    /// Lower-case letters, digits and single hyphens.
    Slug,
    /// A calendar date, `2026-10-01`.
    Date,
    /// A date and time, `2027-01-14T10:00`, local unless it gives an offset.
    DateTime,
    /// A date, or a date and time.
    DateOrTime,
    /// `true` or `false`.
    Boolean,
    /// A whole number in a range.
    Number {
        /// The least accepted.
        min: u32,
        /// The most accepted.
        max: u32,
    },
    /// A link with one of these schemes.
    Link(&'static [&'static str]),
    /// An email address.
    Email,
    /// A path to a file under `static/`.
    File,
    /// A BCP 47 language tag.
    Language,
    /// A fediverse handle, `@name@server`.
    Handle,
    /// A directory's host, `leeds.example.gov.uk`.
    Host,
    /// An RFC 5545 recurrence rule.
    RepeatRule,
    /// One of a fixed set: slugs with their labels.
    Choice(&'static [(&'static str, &'static str)]),
    /// A policy area from the site's vocabulary.
    PolicyArea,
    /// Who an event or consultation is for: a sector, or `public`.
    Audience,
    /// An open tag.
    Interest,
    /// Another entry, by its slug (or host and slug, for a mirrored one).
    Entry(Kind),
    /// A list of values (a single value is taken as a list of one).
    List(&'static Shape),
    /// Fields of their own, indented under the field.
    Fields(&'static [Field]),
    /// Fields of their own, or only the first of them as text.
    FieldsOrText(&'static [Field]),
}

/// One field of the front matter.
#[derive(Debug)]
pub struct Field {
    /// Its name, as written before the colon.
    pub name: &'static str,
    /// What it holds.
    pub shape: Shape,
    /// Whether an entry must have it.
    pub required: bool,
    /// A value to show, as written in YAML. Left out where any example
    /// would be wrong to copy (a consent date).
    pub example: Option<&'static str>,
    /// What it means, in a line for an editor.
    pub about: &'static str,
    /// The value taken when it is left out, as written.
    pub default: Option<&'static str>,
    /// At least one value, for a required list.
    pub non_empty: bool,
    /// Its name in words, where the name with spaces would be wrong
    /// (`linkedin` is "LinkedIn").
    pub label: Option<&'static str>,
}

impl Field {
    const fn optional(name: &'static str, shape: Shape, about: &'static str) -> Self {
        Self {
            name,
            shape,
            required: false,
            example: None,
            about,
            default: None,
            non_empty: false,
            label: None,
        }
    }

    const fn required(
        name: &'static str,
        shape: Shape,
        example: &'static str,
        about: &'static str,
    ) -> Self {
        Self {
            name,
            shape,
            required: true,
            example: Some(example),
            about,
            default: None,
            non_empty: false,
            label: None,
        }
    }

    const fn or(self, default: &'static str) -> Self {
        Self {
            default: Some(default),
            ..self
        }
    }

    const fn like(self, example: &'static str) -> Self {
        Self {
            example: Some(example),
            ..self
        }
    }

    const fn labelled(self, label: &'static str) -> Self {
        Self {
            label: Some(label),
            ..self
        }
    }

    const fn at_least_one(self) -> Self {
        Self {
            non_empty: true,
            ..self
        }
    }

    /// The fields under this one, if it has any.
    pub fn fields(&self) -> Option<&'static [Field]> {
        match self.shape {
            Shape::Fields(fields) | Shape::FieldsOrText(fields) => Some(fields),
            _ => None,
        }
    }
}

const WEB: &[&str] = &["https", "http"];
const POLICY_AREAS: Shape = Shape::List(&Shape::PolicyArea);
const SECTORS: Shape = Shape::List(&Shape::Choice(Sector::LABELLED));

/// Fields every entry may have.
pub const COMMON: &[Field] = &[Field::optional(
    "updated",
    Shape::Date,
    "When the entry last changed in substance (not for typo fixes).",
)];

/// Fields of an entry mirrored from another directory.
pub const MIRRORED: &[Field] = &[Field::required(
    "origin",
    Shape::Link(WEB),
    "https://directory.example.gov.uk/profiles/priya-shah/",
    "The entry's address in the directory it comes from.",
)];

const ORGANISATION: &[Field] = &[
    Field::required(
        "name",
        Shape::Text,
        "Leeds City Council",
        "The name people know it by.",
    ),
    Field::required(
        "sector",
        Shape::Choice(Sector::LABELLED),
        "local-government",
        "The part of public service it belongs to.",
    ),
    Field::optional("website", Shape::Link(WEB), "Its own website.")
        .like("https://www.leeds.gov.uk"),
    Field::optional("logo", Shape::File, "Its logo: a file under static/.")
        .like("logos/leeds-city-council.svg"),
    Field::optional("region", Shape::Slug, "The region it serves, as a slug.")
        .like("yorkshire-and-the-humber"),
    Field::optional(
        "swap_places",
        Shape::Number {
            min: 0,
            max: 1_000_000,
        },
        "The most of its people one job-swap round may place.",
    ),
];

/// The fields of `contact`.
pub const CONTACT: &[Field] = &[
    Field::optional("email", Shape::Email, "Their email address.").like("priya.shah@leeds.gov.uk"),
    Field::optional("fediverse", Shape::Handle, "Their fediverse handle.")
        .like("\"@priya@social.example\""),
    Field::optional("linkedin", Shape::Link(&["https"]), "Their LinkedIn page.")
        .labelled("LinkedIn"),
];

/// The fields of `swap.wants`.
pub const WANTS: &[Field] = &[
    Field::optional(
        "sectors",
        SECTORS,
        "Sectors they would go to (any, if none).",
    ),
    Field::optional(
        "policy_areas",
        POLICY_AREAS,
        "Policy areas they would work on (any, if none).",
    ),
    Field::optional(
        "locations",
        Shape::List(&Shape::Text),
        "Places they could work (any, if none).",
    ),
];

/// The fields of `swap`.
pub const SWAP: &[Field] = &[
    Field::required(
        "months",
        Shape::Number { min: 1, max: 24 },
        "3",
        "How long they would swap for, in months.",
    ),
    Field::optional(
        "regulated",
        Shape::Choice(Profession::LABELLED),
        "The regulated profession their job needs its holder to be registered in, if it does.",
    ),
    Field::optional(
        "vetting",
        Shape::Choice(Vetting::LABELLED),
        "The vetting whoever takes their job must pass first (else what the sector always needs).",
    ),
    Field::optional(
        "wants",
        Shape::Fields(WANTS),
        "What they are looking for; each part left out means any.",
    ),
];

const PROFILE: &[Field] = &[
    Field::required("name", Shape::Text, "Priya Shah", "Their name."),
    Field::required(
        "role",
        Shape::Text,
        "Policy Adviser, Adult Social Care",
        "Their job title.",
    ),
    Field::required(
        "organisation",
        Shape::Entry(Kind::Organisation),
        "leeds-city-council",
        "Who they work for.",
    ),
    Field::optional(
        "grade",
        Shape::Text,
        "Their grade in their organisation's words (Grade 7, Band 8a, PO3, Sergeant).",
    )
    .like("Grade 7"),
    Field::optional(
        "level",
        Shape::Number { min: 1, max: 7 },
        "Their level band, 1 to 7, when the grade does not give it.",
    ),
    Field::optional("location", Shape::Text, "Where they work.").like("Leeds"),
    Field::required(
        "policy_areas",
        POLICY_AREAS,
        "[adult-social-care, housing]",
        "What they work on, from the site's list of policy areas.",
    )
    .at_least_one(),
    Field::optional(
        "interests",
        Shape::List(&Shape::Interest),
        "What else they care about: open tags.",
    )
    .like("[data-sharing, co-production]"),
    Field::required(
        "open_to",
        Shape::List(&Shape::Choice(OpenTo::LABELLED)),
        "[buddy, coffee]",
        "The ways they are happy to meet people.",
    )
    .at_least_one(),
    Field::optional(
        "languages",
        Shape::List(&Shape::Language),
        "Languages they speak, as tags: en, cy, gd, pa, pt-BR.",
    )
    .like("[en, cy]"),
    Field::optional("pronouns", Shape::Text, "Their pronouns.").like("she/her"),
    Field::optional("photo", Shape::File, "Their photo: a file under static/."),
    Field::optional(
        "contact",
        Shape::Fields(CONTACT),
        "How to reach them; every part is optional.",
    ),
    Field {
        name: "consent",
        shape: Shape::Date,
        required: true,
        example: None,
        about: CONSENT_HINT,
        default: None,
        non_empty: false,
        label: None,
    },
    Field::optional(
        "visibility",
        Shape::Choice(Visibility::LABELLED),
        "public: on the site and shared; internal: only in the internal build.",
    )
    .or("public"),
    Field::optional(
        "federate",
        Shape::Boolean,
        "false keeps a public profile off other directories.",
    )
    .or("true"),
    Field::optional(
        "paused_until",
        Shape::Date,
        "Matching rounds skip them until this date.",
    ),
    Field::optional(
        "swap",
        Shape::Fields(SWAP),
        "An offer of a job swap; needs job-swap in open_to.",
    ),
    Field::optional(
        "programmes",
        Shape::List(&Shape::Entry(Kind::Programme)),
        "The matching programmes they have joined.",
    ),
    Field::optional(
        "cohort",
        Shape::Slug,
        "The cohort they belong to, such as ngdp-2027.",
    ),
    Field::optional(
        "max_buddies_per_month",
        Shape::Number { min: 0, max: 4 },
        "The most buddies they are given in a month.",
    )
    .or("1"),
];

/// The fields of `venue`.
pub const VENUE: &[Field] = &[
    Field::required(
        "name",
        Shape::Text,
        "39 Victoria Street",
        "The building or room.",
    ),
    Field::optional("address", Shape::Text, "Its postal address."),
];

const EVENT: &[Field] = &[
    Field::required(
        "title",
        Shape::Text,
        "Open day for local authority officers",
        "The event's name.",
    ),
    Field::required(
        "kind",
        Shape::Choice(EventKind::LABELLED),
        "open-day",
        "What sort of event it is.",
    ),
    Field::required(
        "start",
        Shape::DateTime,
        "2027-01-14T10:00",
        "When it starts (the first time, if it repeats).",
    ),
    Field::optional("end", Shape::DateTime, "When it ends; after the start.")
        .like("2027-01-14T16:00"),
    Field::optional(
        "repeat",
        Shape::RepeatRule,
        "How it repeats, as an RFC 5545 rule.",
    )
    .like("FREQ=MONTHLY;BYDAY=2TH;COUNT=6"),
    Field::optional(
        "cancelled_dates",
        Shape::List(&Shape::Date),
        "Dates of a repeating event that are called off, each one of its dates.",
    )
    .like("[2027-02-11]"),
    Field::optional(
        "venue",
        Shape::FieldsOrText(VENUE),
        "Where it is held in person (a venue, an online link or both).",
    ),
    Field::optional(
        "online",
        Shape::Link(WEB),
        "A link to join online (a venue, an online link or both).",
    ),
    Field::optional(
        "audience",
        Shape::List(&Shape::Audience),
        "Who is invited: public for members of the public, and sectors (everyone in public service, if none).",
    )
    .like("[public, nhs]"),
    Field::optional(
        "capacity",
        Shape::Number {
            min: 1,
            max: 1_000_000,
        },
        "How many people can come.",
    ),
    Field::optional(
        "booking",
        Shape::Link(&["https", "http", "mailto"]),
        "Where to book: a web page, or mailto: and an address.",
    ),
    Field::optional(
        "host",
        Shape::Entry(Kind::Profile),
        "The person hosting it.",
    ),
    Field::optional(
        "organisation",
        Shape::Entry(Kind::Organisation),
        "The organisation holding it (the site's first, if none).",
    ),
    Field::optional(
        "consultation",
        Shape::Entry(Kind::Consultation),
        "The consultation this is a session of.",
    ),
    Field::optional("policy_areas", POLICY_AREAS, "What it is about."),
    Field::optional(
        "accessibility",
        Shape::Text,
        "Access arrangements: step-free access, hearing loops, BSL.",
    ),
    Field::optional(
        "cancelled",
        Shape::Boolean,
        "true when the event has been called off.",
    )
    .or("false"),
];

/// The fields of `respond`.
pub const RESPOND: &[Field] = &[
    Field::optional("url", Shape::Link(WEB), "An online form or page.")
        .like("https://consult.example/charging"),
    Field::optional("email", Shape::Email, "An email address for responses."),
    Field::optional("post", Shape::Text, "A postal address."),
];

const CONSULTATION: &[Field] = &[
    Field::required(
        "title",
        Shape::Text,
        "Charging reform for adult social care",
        "The consultation's name.",
    ),
    Field::required(
        "opens",
        Shape::DateOrTime,
        "2026-12-01",
        "When it opens; a date alone means the start of that day.",
    ),
    Field::required(
        "closes",
        Shape::DateOrTime,
        "2027-02-28T23:59",
        "When it closes; a date alone means the end of that day.",
    ),
    Field::optional("policy_areas", POLICY_AREAS, "What it is about."),
    Field::optional(
        "lead",
        Shape::Entry(Kind::Profile),
        "The officer leading it.",
    ),
    Field::optional(
        "audience",
        Shape::List(&Shape::Audience),
        "Who may respond: public for members of the public, and sectors.",
    )
    .like("[public]"),
    Field::optional(
        "organisation",
        Shape::Entry(Kind::Organisation),
        "The organisation running it (the site's first, if none).",
    ),
    Field::required(
        "respond",
        Shape::Fields(RESPOND),
        "\n  url: https://consult.example/charging",
        "How to respond: at least one of a link, an email address and a postal address.",
    ),
    Field::optional(
        "outcome",
        Shape::Link(WEB),
        "Where the outcome is published.",
    ),
];

const ASK: &[Field] = &[
    Field::required(
        "title",
        Shape::Text,
        "Host a day's shadowing",
        "What is asked, in a line.",
    ),
    Field::required(
        "kind",
        Shape::Choice(AskKind::LABELLED),
        "shadowing-host",
        "What kind of help.",
    ),
    Field::required(
        "by",
        Shape::Entry(Kind::Profile),
        "priya-shah",
        "Who is asking.",
    ),
    Field::optional(
        "closes",
        Shape::Date,
        "The last day to answer (open until filled, if none).",
    ),
    Field::optional("policy_areas", POLICY_AREAS, "What it concerns."),
    Field::optional(
        "filled",
        Shape::Boolean,
        "true once someone has taken it up.",
    )
    .or("false"),
];

const PAGE: &[Field] = &[Field::required(
    "title",
    Shape::Text,
    "Privacy notice",
    "The page's title.",
)];

/// The fields of `join`.
pub const JOIN: &[Field] = &[
    Field::optional("sectors", SECTORS, "The sectors members must work in."),
    Field::optional(
        "organisations",
        Shape::List(&Shape::Entry(Kind::Organisation)),
        "The organisations they must work for.",
    ),
    Field::optional(
        "origins",
        Shape::List(&Shape::Host),
        "The directories they must come from, by host.",
    ),
    Field::optional(
        "cohorts",
        Shape::List(&Shape::Slug),
        "The cohorts they must be in.",
    ),
];

const PROGRAMME: &[Field] = &[
    Field::required(
        "name",
        Shape::Text,
        "Yorkshire buddies",
        "Its name, as people know it.",
    ),
    Field::required(
        "organisation",
        Shape::Entry(Kind::Organisation),
        "kirkby-vale-council",
        "The organisation that runs it: one of this site's.",
    ),
    Field::required(
        "kind",
        Shape::Choice(ProgrammeKind::LABELLED),
        "buddies",
        "What its rounds make: buddy groups or job swaps.",
    ),
    Field::optional(
        "join",
        Shape::Fields(JOIN),
        "Who may take part; each list given must be met (anyone, if none).",
    ),
    Field::optional(
        "cadence",
        Shape::Choice(Cadence::LABELLED),
        "How often its rounds are run.",
    )
    .or("monthly"),
    Field::optional(
        "groups",
        Shape::Choice(GroupSize::LABELLED),
        "Pairs, or pairs and a three so that no one is left out.",
    )
    .or("pairs"),
    Field::optional(
        "contact",
        Shape::Email,
        "Where members write to pause, to leave or to ask.",
    ),
];

/// The fields of one kind of entry, besides [`COMMON`] (and [`MIRRORED`]).
pub fn fields_of(kind: Kind) -> &'static [Field] {
    match kind {
        Kind::Organisation => ORGANISATION,
        Kind::Profile => PROFILE,
        Kind::Event => EVENT,
        Kind::Consultation => CONSULTATION,
        Kind::Ask => ASK,
        Kind::Page => PAGE,
        Kind::Programme => PROGRAMME,
    }
}

/// Every field an entry of `kind` may have, local or `mirrored`.
pub fn entry_fields(kind: Kind, mirrored: bool) -> impl Iterator<Item = &'static Field> {
    let origin = if mirrored { MIRRORED } else { &[] };
    COMMON.iter().chain(fields_of(kind)).chain(origin)
}

/// The model's own name for a field named `name`, at any level of any
/// kind of entry, if there is one.
pub fn field_named(name: &str) -> Option<&'static str> {
    fn search(fields: &'static [Field], name: &str) -> Option<&'static str> {
        fields.iter().find_map(|field| {
            if field.name == name {
                Some(field.name)
            } else {
                search(field.fields()?, name)
            }
        })
    }
    Kind::ALL
        .iter()
        .find_map(|&kind| search(fields_of(kind), name))
        .or_else(|| search(COMMON, name))
        .or_else(|| search(MIRRORED, name))
}

/// The path to the mapping a field named `name` belongs in, when it is
/// one level or more down from `fields`: `["contact"]` for `email` on a
/// profile. For a field written at the top when it goes under another.
pub fn belongs_under(fields: &[&'static Field], name: &str) -> Option<Vec<&'static str>> {
    fn search(fields: &'static [Field], name: &str, path: &mut Vec<&'static str>) -> bool {
        if fields.iter().any(|f| f.name == name) {
            return true;
        }
        for field in fields {
            if let Some(inner) = field.fields() {
                path.push(field.name);
                if search(inner, name, path) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    fields.iter().find_map(|field| {
        let mut path = vec![field.name];
        search(field.fields()?, name, &mut path).then_some(path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_within_each_mapping() {
        fn check(fields: &[&Field]) {
            for (i, field) in fields.iter().enumerate() {
                assert!(
                    !fields[..i].iter().any(|f| f.name == field.name),
                    "`{}` twice",
                    field.name
                );
                if let Some(inner) = field.fields() {
                    check(&inner.iter().collect::<Vec<_>>());
                }
            }
        }
        for kind in Kind::ALL {
            check(&entry_fields(kind, true).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_field_written_too_high_is_found_where_it_belongs() {
        let profile: Vec<_> = entry_fields(Kind::Profile, false).collect();
        assert_eq!(belongs_under(&profile, "email"), Some(vec!["contact"]));
        assert_eq!(
            belongs_under(&profile, "sectors"),
            Some(vec!["swap", "wants"])
        );
        assert_eq!(belongs_under(&profile, "name"), None);
        assert_eq!(belongs_under(&profile, "colour"), None);
    }
}
