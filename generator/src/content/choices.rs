//! The fixed enumerations of the content format: sectors, what people are open
//! to, kinds of event and ask, visibility.

/// A fixed set of values written as slugs in front matter.
pub trait Choice: Sized + Copy + 'static {
    /// What a value of this set is called in messages ("a sector").
    const WHAT: &'static str;
    /// Every value with its slug, in the order they are documented.
    const ALL: &'static [(&'static str, Self)];
    /// Every slug with its label, in the same order: for editors' lists.
    const LABELLED: &'static [(&'static str, &'static str)];

    /// The value a slug names, if any.
    fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(name, _)| *name == slug)
            .map(|(_, value)| *value)
    }

    /// Every valid slug, for messages.
    fn slugs() -> impl Iterator<Item = &'static str> {
        Self::ALL.iter().map(|(name, _)| *name)
    }
}

macro_rules! choice {
    (
        $(#[doc = $doc:literal])*
        $name:ident, $what:literal {
            $($(#[doc = $vdoc:literal])* $variant:ident => $slug:literal, $label:literal;)*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[doc = $vdoc])* #[doc = concat!("`", $slug, "`: ", $label, ".")] $variant,)*
        }

        impl Choice for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [(&'static str, Self)] = &[$(($slug, $name::$variant),)*];
            const LABELLED: &'static [(&'static str, &'static str)] = &[$(($slug, $label),)*];
        }

        impl $name {
            /// The slug, as written in front matter and URLs.
            pub fn slug(self) -> &'static str {
                match self {
                    $($name::$variant => $slug,)*
                }
            }

            /// The label shown to people.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)*
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.slug())
            }
        }

        /// Read back from its slug, as it is written.
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let slug = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Self::ALL
                    .iter()
                    .find(|(s, _)| *s == slug)
                    .map(|(_, value)| *value)
                    .ok_or_else(|| serde::de::Error::custom(format!("no {} is `{slug}`", Self::WHAT)))
            }
        }
    };
}

choice! {
    /// The part of public service an organisation belongs to. Matching pairs
    /// people across sectors, so the list is fixed.
    Sector, "sector" {
        LocalGovernment => "local-government", "Local government";
        CentralGovernment => "central-government", "Central government";
        Nhs => "nhs", "NHS";
        Police => "police", "Police";
        FireAndRescue => "fire-and-rescue", "Fire and rescue";
        DevolvedGovernment => "devolved-government", "Devolved government";
        ArmsLengthBody => "arms-length-body", "Arm's-length body";
        Education => "education", "Education";
        VoluntarySector => "voluntary-sector", "Voluntary sector";
    }
}

choice! {
    /// The ways an officer is open to meeting people.
    OpenTo, "kind of meeting" {
        Buddy => "buddy", "Buddy";
        Coffee => "coffee", "Coffee";
        Shadowing => "shadowing", "Shadowing";
        JobSwap => "job-swap", "Job swap";
        Mentoring => "mentoring", "Mentoring";
        Speaking => "speaking", "Speaking";
        Secondment => "secondment", "Secondment";
    }
}

choice! {
    /// What kind of event an event is.
    EventKind, "kind of event" {
        OpenDay => "open-day", "Open day";
        ConsultationSession => "consultation-session", "Consultation session";
        Meetup => "meetup", "Meet-up";
        Workshop => "workshop", "Workshop";
        ShadowingDay => "shadowing-day", "Shadowing day";
        Conference => "conference", "Conference";
    }
}

choice! {
    /// What a small ask asks for.
    AskKind, "kind of ask" {
        ShadowingHost => "shadowing-host", "Host a shadowing day";
        Coffee => "coffee", "Coffee";
        WorkshopPlace => "workshop-place", "Place at a workshop";
        Mentor => "mentor", "Mentor";
        Speaker => "speaker", "Speaker";
        CriticalFriend => "critical-friend", "Critical friend";
    }
}

choice! {
    /// Who may see a profile.
    Visibility, "visibility" {
        /// On the public site and shared with other directories.
        Public => "public", "Public";
        /// Only in the intranet build (`build --internal`); never federated.
        Internal => "internal", "Internal";
    }
}

choice! {
    /// What a matching programme arranges.
    ProgrammeKind, "kind of programme" {
        /// Buddies: people paired (or put in threes) each round, to meet.
        Buddies => "buddies", "Buddies";
        /// Job swaps: exchanges in which each person who moves is replaced.
        Swaps => "swaps", "Job swaps";
    }
}

choice! {
    /// A regulated profession: a job in one can only be done by someone on
    /// its register, so a swap offer that names one swaps only with another
    /// in the same profession.
    Profession, "regulated profession" {
        Nursing => "nursing", "Nursing";
        Midwifery => "midwifery", "Midwifery";
        Medicine => "medicine", "Medicine";
        Dentistry => "dentistry", "Dentistry";
        Pharmacy => "pharmacy", "Pharmacy";
        Optometry => "optometry", "Optometry";
        Paramedic => "paramedic", "Paramedic practice";
        Physiotherapy => "physiotherapy", "Physiotherapy";
        OccupationalTherapy => "occupational-therapy", "Occupational therapy";
        Radiography => "radiography", "Radiography";
        SpeechAndLanguageTherapy => "speech-and-language-therapy", "Speech and language therapy";
        Dietetics => "dietetics", "Dietetics";
        Psychology => "psychology", "Practitioner psychology";
        BiomedicalScience => "biomedical-science", "Biomedical science";
        SocialWork => "social-work", "Social work";
        Law => "law", "Law (solicitors and barristers)";
    }
}

impl Profession {
    /// The body whose register the profession's people must be on (in
    /// England; the devolved nations have their own for social work).
    pub fn regulator(self) -> &'static str {
        match self {
            Profession::Nursing | Profession::Midwifery => "the Nursing and Midwifery Council",
            Profession::Medicine => "the General Medical Council",
            Profession::Dentistry => "the General Dental Council",
            Profession::Pharmacy => "the General Pharmaceutical Council",
            Profession::Optometry => "the General Optical Council",
            Profession::Paramedic
            | Profession::Physiotherapy
            | Profession::OccupationalTherapy
            | Profession::Radiography
            | Profession::SpeechAndLanguageTherapy
            | Profession::Dietetics
            | Profession::Psychology
            | Profession::BiomedicalScience => "the Health and Care Professions Council",
            Profession::SocialWork => "Social Work England",
            Profession::Law => "the Solicitors Regulation Authority or the Bar Standards Board",
        }
    }
}

choice! {
    /// How often a programme's rounds are run.
    Cadence, "cadence" {
        Monthly => "monthly", "Monthly";
        Quarterly => "quarterly", "Every three months";
    }
}

impl Vetting {
    /// What a post in `sector` asks of a newcomer when it says nothing
    /// itself: police vetting in a force, the Civil Service's baseline
    /// checks in a department, else the employer's usual checks.
    pub fn usual_in(sector: Option<Sector>) -> Vetting {
        match sector {
            Some(Sector::Police) => Vetting::Police,
            Some(Sector::CentralGovernment) => Vetting::Baseline,
            _ => Vetting::Usual,
        }
    }
}

choice! {
    /// The groups a buddy programme makes.
    GroupSize, "group size" {
        /// Pairs only: someone left over waits for the next round.
        Pairs => "pairs", "Pairs";
        /// Pairs, and one group of three when the number is odd, so that no
        /// one who joined is left out.
        PairsAndATrio => "pairs-and-a-trio", "Pairs, and a three for the odd one out";
    }
}

choice! {
    /// The checks someone must pass before they start in a post.
    Vetting, "kind of vetting" {
        /// Nothing beyond the employer's usual checks.
        Usual => "none", "no vetting beyond the usual checks";
        /// The Civil Service's baseline checks, for every post in a department.
        Baseline => "baseline", "baseline personnel security checks (BPSS)";
        /// An enhanced criminal record check, for work with children or adults at risk.
        Dbs => "dbs", "an enhanced DBS check";
        /// Counter-terrorist check.
        CounterTerroristCheck => "counter-terrorist-check", "a counter-terrorist check (CTC)";
        /// Security check.
        SecurityCheck => "security-check", "security check clearance (SC)";
        /// Developed vetting.
        DevelopedVetting => "developed-vetting", "developed vetting (DV)";
        /// Vetting by the force, for anyone working in a police organisation.
        Police => "police", "police vetting";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip() {
        for (slug, sector) in Sector::ALL {
            assert_eq!(Sector::from_slug(slug), Some(*sector));
            assert_eq!(sector.slug(), *slug);
        }
        assert_eq!(OpenTo::from_slug("job-swap"), Some(OpenTo::JobSwap));
        assert_eq!(EventKind::from_slug("party"), None);
    }
}
