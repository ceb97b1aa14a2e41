//! The controlled vocabulary of policy areas.
//!
//! Matching depends on people using the same words for the same work, so policy
//! areas are chosen from a list rather than typed freely. A site may extend the
//! list in `interchange.toml` under `[vocabulary]`.

/// The policy areas every site knows, as `(slug, label)`, in the order they are listed.
pub const DEFAULT_POLICY_AREAS: &[(&str, &str)] = &[
    ("adult-social-care", "Adult social care"),
    ("childrens-services", "Children's services"),
    ("education-and-skills", "Education and skills"),
    ("early-years", "Early years"),
    ("special-educational-needs", "Special educational needs"),
    ("public-health", "Public health"),
    ("mental-health", "Mental health"),
    ("primary-care", "Primary care"),
    ("hospital-care", "Hospital care"),
    ("health-and-care-integration", "Health and care integration"),
    ("housing", "Housing"),
    ("homelessness", "Homelessness"),
    ("planning", "Planning"),
    ("transport", "Transport"),
    ("environment", "Environment"),
    ("net-zero", "Net zero and climate"),
    ("waste-and-recycling", "Waste and recycling"),
    ("economic-development", "Economic development"),
    ("employment", "Employment and welfare"),
    ("community-safety", "Community safety"),
    ("policing", "Policing"),
    ("criminal-justice", "Criminal justice"),
    ("domestic-abuse", "Domestic abuse"),
    ("safeguarding", "Safeguarding"),
    ("substance-misuse", "Drugs and alcohol"),
    ("emergency-planning", "Emergency planning and resilience"),
    ("digital-and-data", "Digital and data"),
    ("cyber-security", "Cyber security"),
    ("procurement", "Procurement and commercial"),
    ("finance", "Public finance"),
    ("workforce", "Workforce and people"),
    ("equality-and-inclusion", "Equality and inclusion"),
    ("local-democracy", "Local democracy and elections"),
    ("devolution", "Devolution"),
    ("culture-and-heritage", "Culture and heritage"),
    ("sport-and-leisure", "Sport and leisure"),
    ("regulation-and-licensing", "Regulation and licensing"),
    ("trading-standards", "Trading standards"),
    ("migration-and-asylum", "Migration and asylum"),
    ("veterans", "Armed forces and veterans"),
    ("rural-affairs", "Rural affairs"),
    ("regeneration", "Regeneration"),
];

/// The policy areas a site accepts: the default list plus the site's own.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    policy_areas: Vec<(String, String)>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Self {
            policy_areas: DEFAULT_POLICY_AREAS
                .iter()
                .map(|(slug, label)| (slug.to_string(), label.to_string()))
                .collect(),
        }
    }
}

impl Vocabulary {
    /// Adds a site's own policy area; a slug already known keeps its first label.
    pub fn add_policy_area(&mut self, slug: String, label: String) {
        if !self.contains_policy_area(&slug) {
            self.policy_areas.push((slug, label));
        }
    }

    /// Whether a policy area is in the vocabulary.
    pub fn contains_policy_area(&self, slug: &str) -> bool {
        self.policy_areas.iter().any(|(s, _)| s == slug)
    }

    /// The label of a policy area, if it is known.
    pub fn policy_area_label(&self, slug: &str) -> Option<&str> {
        self.policy_areas
            .iter()
            .find(|(s, _)| s == slug)
            .map(|(_, label)| label.as_str())
    }

    /// Every policy area as `(slug, label)`.
    pub fn policy_areas(&self) -> impl Iterator<Item = (&str, &str)> {
        self.policy_areas
            .iter()
            .map(|(slug, label)| (slug.as_str(), label.as_str()))
    }
}

/// A label made from a slug, for terms that have no label of their own:
/// `coastal-communities` → `Coastal communities`.
pub fn label_from_slug(slug: &str) -> String {
    capitalised(&slug.replace('-', " "))
}

/// Text with its first letter in capitals: `profile` → `Profile`.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
