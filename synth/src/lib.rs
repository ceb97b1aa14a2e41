//! Synthetic directories in Interchange's content format, for benchmarks.
//!
//! The same size and seed always give the same files, so runs on different
//! days and machines measure the same work. Proportions follow a large
//! directory: one organisation per 250 profiles (at least four, one per main
//! sector), one event per ten profiles, one consultation per hundred, one ask
//! per twenty.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use generator::content::vocabulary::DEFAULT_POLICY_AREAS;
use generator::{AsOf, LoadOptions};

/// The sizes a benchmark runs at: the comma-separated list in the
/// environment variable `variable`, else `default`.
pub fn sizes_from_env(variable: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(variable)
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

/// The number in the environment variable `variable`, else `default`.
pub fn number_from_env(variable: &str, default: usize) -> usize {
    std::env::var(variable)
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(default)
}

/// How benchmarks load a synthetic site: as of a fixed day, so that every
/// run checks and builds the same pages.
pub fn load_options(root: &Path) -> LoadOptions {
    LoadOptions {
        root: root.to_path_buf(),
        as_of: AsOf::Date(jiff::civil::date(2026, 11, 23)),
    }
}

/// A small deterministic random source (SplitMix64): no dependency, same
/// numbers everywhere.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// `count` distinct items of `from`.
    fn pick<'a>(&mut self, from: &[&'a str], count: usize) -> Vec<&'a str> {
        let mut chosen: Vec<&str> = Vec::with_capacity(count);
        while chosen.len() < count.min(from.len()) {
            let item = from[self.below(from.len())];
            if !chosen.contains(&item) {
                chosen.push(item);
            }
        }
        chosen
    }
}

const SECTORS: &[&str] = &[
    "local-government",
    "central-government",
    "nhs",
    "police",
    "fire-and-rescue",
];
/// Grades in each of [`SECTORS`], as their people write them, spanning the
/// levels of `docs/levels.md`.
const SECTOR_GRADES: [&[&str]; 5] = [
    &[
        "Scale 4",
        "Scale 6",
        "SO1",
        "SO2",
        "PO1",
        "PO3",
        "PO4",
        "Head of Service",
    ],
    &["EO", "HEO", "SEO", "Grade 7", "Grade 6", "SCS1"],
    &[
        "Band 4", "Band 5", "Band 6", "Band 7", "Band 8a", "Band 8b", "Band 8c",
    ],
    &[
        "PCSO",
        "Constable",
        "Sergeant",
        "Inspector",
        "Chief Inspector",
        "Superintendent",
    ],
    &[
        "Firefighter",
        "Crew Manager",
        "Watch Manager",
        "Station Manager",
        "Group Manager",
        "Area Manager",
    ],
];
const FIRST: &[&str] = &[
    "Priya",
    "Tom",
    "Aisha",
    "Gareth",
    "Mei",
    "Oluwaseun",
    "Siobhan",
    "Rhys",
    "Fatima",
    "Callum",
    "Eleni",
    "Hamza",
];
const LAST: &[&str] = &[
    "Shah",
    "Young",
    "Begum",
    "Jones",
    "Chen",
    "Adeyemi",
    "Murphy",
    "Evans",
    "Khan",
    "Stewart",
    "Papadopoulos",
    "Ali",
];
const ROLES: &[&str] = &[
    "Policy Adviser",
    "Service Manager",
    "Data Analyst",
    "Programme Lead",
    "Commissioning Officer",
    "Inspector",
    "Head of Strategy",
];
const TOWNS: &[&str] = &[
    "Leeds",
    "London",
    "Bradford",
    "Manchester",
    "York",
    "Sheffield",
    "Cardiff",
    "Glasgow",
];
const INTERESTS: &[&str] = &[
    "data",
    "service-design",
    "behavioural-science",
    "user-research",
    "open-data",
    "procurement-reform",
    "co-production",
    "evaluation",
    "systems-thinking",
    "community-engagement",
    "digital-inclusion",
    "prevention",
    "early-intervention",
    "place-based-working",
    "leadership",
    "coaching",
    "ai",
    "automation",
    "mapping",
    "accessibility",
    "plain-english",
    "budgeting",
    "partnerships",
    "trauma-informed-practice",
    "restorative-practice",
    "volunteering",
    "apprenticeships",
    "climate-adaptation",
    "active-travel",
    "housing-retrofit",
];
const OPEN_TO: &[&str] = &[
    "buddy",
    "coffee",
    "shadowing",
    "mentoring",
    "speaking",
    "secondment",
];
const EVENT_KINDS: &[&str] = &[
    "open-day",
    "meetup",
    "workshop",
    "shadowing-day",
    "conference",
];
const ASK_KINDS: &[&str] = &[
    "shadowing-host",
    "coffee",
    "workshop-place",
    "mentor",
    "speaker",
    "critical-friend",
];

/// How many entries of each kind a directory of `profiles` profiles has.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Profiles.
    pub profiles: usize,
    /// Organisations.
    pub organisations: usize,
    /// Events.
    pub events: usize,
    /// Consultations.
    pub consultations: usize,
    /// Asks.
    pub asks: usize,
}

impl Sizes {
    /// The proportions of a large directory.
    pub fn for_profiles(profiles: usize) -> Self {
        Self {
            profiles,
            organisations: (profiles / 250).max(SECTORS.len()),
            events: profiles / 10,
            consultations: (profiles / 100).max(1),
            asks: profiles / 20,
        }
    }

    /// Every entry file, plus the config.
    pub fn files(&self) -> usize {
        self.profiles + self.organisations + self.events + self.consultations + self.asks + 1
    }
}

/// Writes a synthetic site of `sizes` into `root` (which should be empty).
pub fn write_site(root: &Path, sizes: Sizes, seed: u64) -> io::Result<()> {
    let mut random = Random(seed);
    for kind in [
        "organisations",
        "profiles",
        "events",
        "consultations",
        "asks",
    ] {
        fs::create_dir_all(root.join("content").join(kind))?;
    }
    fs::write(
        root.join("interchange.toml"),
        "title = \"Synthetic directory\"\nbase_url = \"https://directory.example.gov.uk\"\norganisations = [\"organisation-0\"]\n",
    )?;
    let areas: Vec<&str> = DEFAULT_POLICY_AREAS
        .iter()
        .take(30)
        .map(|(slug, _)| *slug)
        .collect();

    for i in 0..sizes.organisations {
        let sector = SECTORS[i % SECTORS.len()];
        let text = format!(
            "---\nname: Organisation {i}\nsector: {sector}\nwebsite: https://org{i}.example.gov.uk\nregion: region-{}\n---\nOrganisation {i} serves its area. {}\n",
            i % 9,
            paragraph(&mut random)
        );
        fs::write(
            root.join(format!("content/organisations/organisation-{i}.md")),
            text,
        )?;
    }
    for i in 0..sizes.profiles {
        let name = format!(
            "{} {}",
            FIRST[random.below(FIRST.len())],
            LAST[random.below(LAST.len())]
        );
        let organisation = random.below(sizes.organisations);
        let count = 1 + random.below(4);
        let policy = random.pick(&areas, count);
        let count = 2 + random.below(5);
        let interests = random.pick(INTERESTS, count);
        let count = 1 + random.below(3);
        let mut open_to = random.pick(OPEN_TO, count);
        if !open_to.contains(&"buddy") && random.below(4) > 0 {
            open_to.push("buddy");
        }
        // One in ten offers a job swap; what they want and their grade (a
        // swap needs a level) follow from their number, so the random stream
        // (and the rest of the site) is the same with or without swaps.
        let swap = if i % 10 == 0 {
            open_to.push("job-swap");
            let k = i / 10;
            let grades = SECTOR_GRADES[organisation % SECTORS.len()];
            format!(
                "grade: {}\nswap:\n  months: {}\n  wants:\n    sectors: [{}]\n    policy_areas: [{}, {}]\n",
                grades[(k * 3 + k / 7) % grades.len()],
                if k % 2 == 0 { 3 } else { 6 },
                SECTORS[k % SECTORS.len()],
                areas[k % areas.len()],
                areas[(k * 7 + 3) % areas.len()],
            )
        } else {
            String::new()
        };
        let mut text = String::new();
        let _ = write!(
            text,
            "---\nname: {name}\nrole: {}\norganisation: organisation-{organisation}\nlocation: {}\npolicy_areas: [{}]\ninterests: [{}]\nopen_to: [{}]\ncontact:\n  email: person{i}@org{organisation}.example.gov.uk\nconsent: 2026-0{}-1{}\n{swap}---\n",
            ROLES[random.below(ROLES.len())],
            TOWNS[random.below(TOWNS.len())],
            policy.join(", "),
            interests.join(", "),
            open_to.join(", "),
            1 + random.below(9),
            random.below(10),
        );
        let _ = write!(
            text,
            "{name} works on {}.\n\n{}\n\n## What I would like to talk about\n\n- {}\n- {}\n",
            policy.join(" and ").replace('-', " "),
            paragraph(&mut random),
            interests[0].replace('-', " "),
            interests[1].replace('-', " "),
        );
        fs::write(root.join(format!("content/profiles/person-{i}.md")), text)?;
    }
    for i in 0..sizes.events {
        let month = 1 + random.below(12);
        let day = 1 + random.below(28);
        let text = format!(
            "---\ntitle: Event {i}\nkind: {}\nstart: 2027-{month:02}-{day:02}T10:00\nend: 2027-{month:02}-{day:02}T15:30\nvenue:\n  name: Hall {i}\n  address: {i} High Street, {}\naudience: [{}]\ncapacity: {}\nbooking: https://book.example.gov.uk/{i}\nhost: person-{}\norganisation: organisation-{}\npolicy_areas: [{}]\n---\n{}\n",
            EVENT_KINDS[random.below(EVENT_KINDS.len())],
            TOWNS[random.below(TOWNS.len())],
            random.pick(SECTORS, 2).join(", "),
            10 + random.below(90),
            random.below(sizes.profiles.max(1)),
            random.below(sizes.organisations),
            random.pick(&areas, 1).join(", "),
            paragraph(&mut random),
        );
        fs::write(root.join(format!("content/events/event-{i}.md")), text)?;
    }
    for i in 0..sizes.consultations {
        let text = format!(
            "---\ntitle: Consultation {i}\nopens: 2026-0{}-01\ncloses: 2027-0{}-28\npolicy_areas: [{}]\nrespond:\n  url: https://consult.example.gov.uk/{i}\n---\n{}\n",
            1 + random.below(9),
            1 + random.below(9),
            random.pick(&areas, 2).join(", "),
            paragraph(&mut random),
        );
        fs::write(
            root.join(format!("content/consultations/consultation-{i}.md")),
            text,
        )?;
    }
    for i in 0..sizes.asks {
        let text = format!(
            "---\ntitle: Ask {i}\nkind: {}\nby: person-{}\ncloses: 2027-0{}-15\npolicy_areas: [{}]\n---\n{}\n",
            ASK_KINDS[random.below(ASK_KINDS.len())],
            random.below(sizes.profiles.max(1)),
            1 + random.below(9),
            random.pick(&areas, 1).join(", "),
            paragraph(&mut random),
        );
        fs::write(root.join(format!("content/asks/ask-{i}.md")), text)?;
    }
    Ok(())
}

/// The width and height of the photos [`add_photos`] makes: a staff photo
/// as comms teams get them, larger than any page shows it.
pub const PHOTO_SIZE: (u32, u32) = (640, 800);

/// Gives each of the first `profiles` profiles of the site at `root` (as
/// [`write_site`] wrote it) a photo of its own: a JPEG under
/// `static/photos/`, a portrait-shaped picture with a gradient, a face-like
/// oval and grain, so that decoding and encoding it cost what a photo's do.
pub fn add_photos(root: &Path, profiles: usize) -> io::Result<()> {
    use rayon::prelude::*;
    fs::create_dir_all(root.join("static/photos"))?;
    (0..profiles).into_par_iter().try_for_each(|i| {
        let jpeg = photo(i as u64);
        fs::write(root.join(format!("static/photos/person-{i}.jpg")), jpeg)?;
        let path = root.join(format!("content/profiles/person-{i}.md"));
        let text = fs::read_to_string(&path)?;
        let text = text.replacen("---\n", &format!("---\nphoto: photos/person-{i}.jpg\n"), 1);
        fs::write(path, text)
    })
}

/// The JPEG of photo number `n`: each number its own picture.
pub fn photo(n: u64) -> Vec<u8> {
    let mut random = Random(n.wrapping_mul(0x2545_f491_4f6c_dd1d));
    let (width, height) = PHOTO_SIZE;
    let tone = |random: &mut Random| 60 + random.below(140) as i32;
    let (top, bottom, face) = (
        [tone(&mut random), tone(&mut random), tone(&mut random)],
        [tone(&mut random), tone(&mut random), tone(&mut random)],
        [tone(&mut random), tone(&mut random), tone(&mut random)],
    );
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (f64::from(x), f64::from(y));
        let (cx, cy) = (f64::from(width) / 2.0, f64::from(height) * 0.4);
        let inside = ((fx - cx) / 170.0).powi(2) + ((fy - cy) / 220.0).powi(2) < 1.0;
        let grain = (random.below(17) as i32) - 8;
        let channel = |c: usize| {
            let base = if inside {
                face[c]
            } else {
                let t = y as i32 * 256 / height as i32;
                (top[c] * (256 - t) + bottom[c] * t) / 256
            };
            (base + grain).clamp(0, 255) as u8
        };
        image::Rgb([channel(0), channel(1), channel(2)])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&picture)
        .expect("a picture in memory encodes");
    jpeg
}

fn paragraph(random: &mut Random) -> String {
    const SENTENCES: &[&str] = &[
        "The team brings together officers from several services to design support around people rather than organisations.",
        "Much of the work is about sharing data safely so that frontline staff see the whole picture.",
        "A recent pilot moved decisions closer to neighbourhoods and halved the time to a first visit.",
        "Partners across health, policing and the council meet monthly to review what is working.",
        "The next step is to evaluate the pilot properly and decide what to scale.",
        "Colleagues elsewhere in the public sector have solved similar problems in different ways.",
    ];
    (0..3)
        .map(|_| SENTENCES[random.below(SENTENCES.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

/// One kind of job in the pilot: its title, its grade as written, the
/// regulated profession it needs, a level written out (for grades the table
/// has no band for, such as police staff grades), and how often it comes up.
struct Job {
    role: &'static str,
    grade: &'static str,
    regulated: Option<&'static str>,
    level: Option<u8>,
    weight: usize,
}

const fn job(role: &'static str, grade: &'static str, weight: usize) -> Job {
    Job {
        role,
        grade,
        regulated: None,
        level: None,
        weight,
    }
}

const fn registered(
    role: &'static str,
    grade: &'static str,
    profession: &'static str,
    weight: usize,
) -> Job {
    Job {
        role,
        grade,
        regulated: Some(profession),
        level: None,
        weight,
    }
}

/// One sector of the pilot: the jobs its people offer, the policy areas
/// they work on, and the sectors they would go to (weighted).
struct PilotSector {
    sector: &'static str,
    jobs: &'static [Job],
    areas: &'static [&'static str],
    wants: &'static [(&'static str, usize)],
}

const COUNCIL: PilotSector = PilotSector {
    sector: "local-government",
    jobs: &[
        job("Customer Services Adviser", "Scale 3", 2),
        job("Housing Options Officer", "Scale 6", 3),
        job("Community Safety Officer", "SO1", 3),
        job("Policy Officer", "SO2", 3),
        registered("Social Worker", "SO2", "social-work", 2),
        registered("Public Health Nurse", "Band 6", "nursing", 1),
        job("Senior Planning Officer", "PO2", 2),
        job("Commissioning Manager", "PO3", 3),
        job("Service Manager", "PO5", 2),
        job("Head of Housing", "Head of Service", 1),
        job(
            "Assistant Director, Adult Social Care",
            "Assistant Director",
            1,
        ),
    ],
    areas: &[
        "housing",
        "homelessness",
        "adult-social-care",
        "childrens-services",
        "community-safety",
        "planning",
        "economic-development",
        "public-health",
        "finance",
        "net-zero",
    ],
    wants: &[("central-government", 6), ("nhs", 2), ("police", 2)],
};

const DEPARTMENT: PilotSector = PilotSector {
    sector: "central-government",
    jobs: &[
        job("Administrative Officer", "AO", 1),
        job("Grants Officer", "EO", 3),
        job("Policy Adviser", "HEO", 4),
        job("Senior Policy Adviser", "SEO", 4),
        job("Policy Lead", "Grade 7", 4),
        job("Team Leader", "Grade 6", 2),
        job("Deputy Director", "SCS1", 1),
    ],
    areas: &[
        "housing",
        "homelessness",
        "local-democracy",
        "finance",
        "economic-development",
        "planning",
        "community-safety",
        "net-zero",
        "adult-social-care",
        "digital-and-data",
    ],
    wants: &[("local-government", 8), ("nhs", 1), ("police", 1)],
};

const TRUST: PilotSector = PilotSector {
    sector: "nhs",
    jobs: &[
        job("Healthcare Support Worker", "Band 3", 1),
        job("Discharge Coordinator", "Band 4", 2),
        registered("Staff Nurse", "Band 5", "nursing", 3),
        registered("Physiotherapist", "Band 6", "physiotherapy", 1),
        registered("Mental Health Nurse", "Band 6", "nursing", 2),
        job("Business Intelligence Analyst", "Band 6", 2),
        registered("Ward Manager", "Band 7", "nursing", 2),
        job("Commissioning Manager", "Band 7", 2),
        registered(
            "Mental Health Liaison Team Manager",
            "Band 8a",
            "nursing",
            1,
        ),
        job("Service Manager", "Band 8a", 2),
        job("Head of Partnerships", "Band 8b", 1),
        job("Associate Director of Strategy", "Band 8c", 1),
    ],
    areas: &[
        "public-health",
        "mental-health",
        "hospital-care",
        "adult-social-care",
        "health-and-care-integration",
        "safeguarding",
        "digital-and-data",
        "workforce",
    ],
    wants: &[
        ("local-government", 5),
        ("police", 3),
        ("central-government", 2),
    ],
};

const FORCE: PilotSector = PilotSector {
    sector: "police",
    jobs: &[
        job("Police Community Support Officer", "PCSO", 2),
        job("Neighbourhood Officer", "Constable", 4),
        job("Investigator", "Detective Constable", 2),
        job("Neighbourhood Sergeant", "Sergeant", 3),
        Job {
            role: "Mental Health Nurse, Force Control Room",
            grade: "Police Staff Grade 9",
            regulated: Some("nursing"),
            level: Some(4),
            weight: 1,
        },
        Job {
            role: "Intelligence Analyst",
            grade: "Police Staff Grade 7",
            regulated: None,
            level: Some(3),
            weight: 2,
        },
        job("Neighbourhood Inspector", "Inspector", 2),
        job("Chief Inspector, Partnerships", "Chief Inspector", 1),
        job("Superintendent, Local Policing", "Superintendent", 1),
    ],
    areas: &[
        "policing",
        "community-safety",
        "domestic-abuse",
        "safeguarding",
        "mental-health",
        "criminal-justice",
        "substance-misuse",
        "digital-and-data",
    ],
    wants: &[
        ("local-government", 6),
        ("nhs", 3),
        ("central-government", 1),
    ],
};

/// Where the pilot's councils are, and so the places its people work.
const PILOT_TOWNS: &[&str] = &[
    "Leeds",
    "Bradford",
    "Wakefield",
    "Huddersfield",
    "Halifax",
    "York",
    "Sheffield",
    "Rotherham",
    "Doncaster",
    "Barnsley",
];

/// The pilot's other departments, by name.
const OTHER_DEPARTMENTS: &[&str] = &[
    "Department for Work and Skills",
    "Department for Health Policy",
    "Home Affairs Department",
    "Department for Net Zero",
    "Department for Justice Services",
];

/// One kind of organisation in the pilot: how many of it, how many of its
/// people offer a swap, and the places it committed to.
struct PilotOrganisations {
    slug: &'static str,
    sector: &'static PilotSector,
    count: usize,
    offers: usize,
    places: usize,
}

/// The pilot as it was described: ten councils each committed to swap ten
/// staff at a time, a department that offered 50 and other departments 50
/// more, with offers from NHS trusts and police forces whose places are
/// fewer than their offers.
const PILOT: &[PilotOrganisations] = &[
    PilotOrganisations {
        slug: "council",
        sector: &COUNCIL,
        count: 10,
        offers: 10,
        places: 10,
    },
    PilotOrganisations {
        slug: "department",
        sector: &DEPARTMENT,
        count: 1,
        offers: 50,
        places: 50,
    },
    PilotOrganisations {
        slug: "other-department",
        sector: &DEPARTMENT,
        count: 5,
        offers: 10,
        places: 10,
    },
    PilotOrganisations {
        slug: "trust",
        sector: &TRUST,
        count: 3,
        offers: 15,
        places: 10,
    },
    PilotOrganisations {
        slug: "force",
        sector: &FORCE,
        count: 2,
        offers: 15,
        places: 10,
    },
];

/// What [`write_pilot`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PilotSizes {
    /// Organisations.
    pub organisations: usize,
    /// Profiles, every one offering a swap.
    pub offers: usize,
}

impl Random {
    /// An item of `from`, each as likely as its weight.
    fn weighted<'a, T>(&mut self, from: &'a [T], weight: impl Fn(&T) -> usize) -> &'a T {
        let total: usize = from.iter().map(&weight).sum();
        let mut at = self.below(total.max(1));
        for item in from {
            let w = weight(item);
            if at < w {
                return item;
            }
            at -= w;
        }
        &from[from.len() - 1]
    }
}

/// Writes the pilot's job-swap round into `root` (which should be empty):
/// `copies` of [`PILOT`] side by side (each copy's organisations numbered
/// apart), every profile an offer, with realistic grades (a few of them
/// police staff grades with `level:` written) and regulated clinical and
/// social work jobs.
pub fn write_pilot(root: &Path, copies: usize, seed: u64) -> io::Result<PilotSizes> {
    let mut random = Random(seed);
    for kind in ["organisations", "profiles"] {
        fs::create_dir_all(root.join("content").join(kind))?;
    }
    fs::write(
        root.join("interchange.toml"),
        "title = \"Job swap pilot\"\nbase_url = \"https://directory.example.gov.uk\"\norganisations = [\"council-0-0\"]\n",
    )?;
    let mut sizes = PilotSizes {
        organisations: 0,
        offers: 0,
    };
    for copy in 0..copies {
        for kind in PILOT {
            for n in 0..kind.count {
                let slug = format!("{}-{copy}-{n}", kind.slug);
                let town = match kind.sector.sector {
                    "local-government" => PILOT_TOWNS[n % PILOT_TOWNS.len()],
                    "central-government" => ["London", "Leeds", "Sheffield"][n % 3],
                    _ => PILOT_TOWNS[(n * 3 + 1) % PILOT_TOWNS.len()],
                };
                // Named as people know them; copies after the first numbered.
                let mut name = match kind.slug {
                    "council" => format!("{town} Council"),
                    "department" => "Department for Communities".to_string(),
                    "other-department" => {
                        OTHER_DEPARTMENTS[n % OTHER_DEPARTMENTS.len()].to_string()
                    }
                    "trust" => format!("{town} NHS Trust"),
                    _ => format!("{town} Police"),
                };
                if copy > 0 {
                    name = format!("{name} {}", copy + 1);
                }
                fs::write(
                    root.join(format!("content/organisations/{slug}.md")),
                    format!(
                        "---\nname: {name}\nsector: {}\nswap_places: {}\n---\nA pilot organisation.\n",
                        kind.sector.sector, kind.places
                    ),
                )?;
                sizes.organisations += 1;
                for k in 0..kind.offers {
                    let person = format!("{slug}-person-{k}");
                    let text = pilot_offer(&mut random, kind.sector, &slug, town);
                    fs::write(root.join(format!("content/profiles/{person}.md")), text)?;
                    sizes.offers += 1;
                }
            }
        }
    }
    Ok(sizes)
}

/// One person's profile and swap offer, in `organisation` in `town`.
fn pilot_offer(
    random: &mut Random,
    sector: &PilotSector,
    organisation: &str,
    town: &str,
) -> String {
    let name = format!(
        "{} {}",
        FIRST[random.below(FIRST.len())],
        LAST[random.below(LAST.len())]
    );
    let job = random.weighted(sector.jobs, |j| j.weight);
    let count = 2 + random.below(2);
    let areas = random.pick(sector.areas, count);
    // Departments' people work in London or a regional office.
    let location = if sector.sector == "central-government" {
        ["London", "London", "Leeds", "Sheffield"][random.below(4)]
    } else {
        town
    };
    let wanted = *random.weighted(sector.wants, |(_, w)| *w);
    let mut sectors = vec![wanted.0];
    if random.below(3) == 0 {
        let other = random.weighted(sector.wants, |(_, w)| *w).0;
        if !sectors.contains(&other) {
            sectors.push(other);
        }
    }
    // What they would work on: some of their own areas and some of the
    // sector they would go to, or anything.
    let wants_areas = if random.below(10) < 3 {
        String::new()
    } else {
        let theirs = [&COUNCIL, &DEPARTMENT, &TRUST, &FORCE]
            .into_iter()
            .find(|s| s.sector == wanted.0)
            .map_or(sector.areas, |s| s.areas);
        let mut wants = random.pick(theirs, 2);
        for area in random.pick(sector.areas, 2) {
            if !wants.contains(&area) {
                wants.push(area);
            }
        }
        format!("    policy_areas: [{}]\n", wants.join(", "))
    };
    let wants_places = if random.below(2) == 0 {
        String::new()
    } else {
        let mut places = vec![location];
        for place in random.pick(PILOT_TOWNS, 2) {
            if !places.contains(&place) {
                places.push(place);
            }
        }
        format!("    locations: [{}]\n", places.join(", "))
    };
    let months = if random.below(5) < 2 { 3 } else { 6 };
    let level = job.level.map_or(String::new(), |l| format!("level: {l}\n"));
    let regulated = job
        .regulated
        .map_or(String::new(), |p| format!("  regulated: {p}\n"));
    format!(
        "---\nname: {name}\nrole: {}\norganisation: {organisation}\ngrade: {}\n{level}location: {location}\npolicy_areas: [{}]\nopen_to: [buddy, job-swap]\nconsent: 2026-09-01\nswap:\n  months: {months}\n{regulated}  wants:\n    sectors: [{}]\n{wants_areas}{wants_places}---\n{name} would like to spend {months} months in another part of public service.\n",
        job.role,
        job.grade,
        areas.join(", "),
        sectors.join(", "),
    )
}

/// Writes beside a synthetic site (into the same `root`) what Hugo needs to
/// build the same pages from the same files: `hugo.toml`, which makes policy
/// areas and interests taxonomies, and minimal layouts (a page per entry,
/// the section listings, the taxonomy and term pages). Hugo's own extras
/// (feeds, sitemap, robots.txt) are turned off: it makes only pages.
pub fn write_hugo(root: &Path) -> io::Result<()> {
    fs::write(
        root.join("hugo.toml"),
        r#"baseURL = "https://directory.example.gov.uk/"
title = "Synthetic directory"
languageCode = "en-gb"
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]
contentDir = "content"

[taxonomies]
policy_area = "policy_areas"
interest = "interests"
"#,
    )?;
    let layouts = root.join("layouts/_default");
    fs::create_dir_all(&layouts)?;
    let page = |title: &str, main: &str| {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{title} | {{{{ site.Title }}}}</title></head>\n<body><header><a href=\"/\">{{{{ site.Title }}}}</a></header>\n<main>\n{main}\n</main></body></html>\n"
        )
    };
    fs::write(
        layouts.join("single.html"),
        page(
            "{{ .Params.name | default .Params.title }}",
            "<h1>{{ .Params.name | default .Params.title }}</h1>\n{{ with .Params.role }}<p>{{ . }}</p>{{ end }}\n{{ with .Params.policy_areas }}<ul>{{ range . }}<li><a href=\"/policy_areas/{{ . | urlize }}/\">{{ . }}</a></li>{{ end }}</ul>{{ end }}\n{{ with .Params.interests }}<ul>{{ range . }}<li><a href=\"/interests/{{ . | urlize }}/\">{{ . }}</a></li>{{ end }}</ul>{{ end }}\n{{ .Content }}",
        ),
    )?;
    let listing = "<h1>{{ .Title }}</h1>\n<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Params.name | default .Params.title | default .Title }}</a></li>{{ end }}</ul>";
    for name in ["list.html", "terms.html", "term.html"] {
        fs::write(layouts.join(name), page("{{ .Title }}", listing))?;
    }
    fs::write(
        root.join("layouts/index.html"),
        page(
            "Home",
            "<h1>{{ site.Title }}</h1>\n<ul>{{ range site.Sections }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>",
        ),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synthetic_site_checks_clean() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let sizes = Sizes::for_profiles(300);
        write_site(dir.path(), sizes, 7).expect("written");
        // Hugo's config and layouts beside the site change nothing for it.
        write_hugo(dir.path()).expect("written");
        assert!(dir.path().join("layouts/_default/single.html").is_file());
        let loaded = generator::load(&generator::LoadOptions {
            root: dir.path().to_path_buf(),
            as_of: generator::AsOf::Date(jiff::civil::date(2026, 11, 23)),
        })
        .expect("loads");
        assert!(
            loaded.diagnostics.is_empty(),
            "{:?}",
            loaded.diagnostics.iter().next()
        );
        assert_eq!(loaded.files, sizes.files());
        assert_eq!(loaded.directory.profiles.len(), 300);
        // Every swap offer has a level.
        assert!(
            loaded
                .directory
                .profiles
                .iter()
                .filter(|p| p.data.swap.is_some())
                .all(|p| p.data.level.is_some())
        );
    }

    #[test]
    fn the_pilot_checks_clean_and_is_as_described() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let sizes = write_pilot(dir.path(), 1, 7).expect("written");
        assert_eq!(
            sizes,
            PilotSizes {
                organisations: 21,
                offers: 275
            }
        );
        let loaded = generator::load(&load_options(dir.path())).expect("loads");
        assert!(
            loaded.diagnostics.is_empty(),
            "{:?}",
            loaded.diagnostics.iter().next()
        );
        let directory = &loaded.directory;
        assert!(directory.profiles.iter().all(|p| p.data.level.is_some()));
        let places = |prefix: &str| -> Vec<Option<u32>> {
            directory
                .organisations
                .iter()
                .filter(|o| o.slug.starts_with(prefix))
                .map(|o| o.data.swap_places)
                .collect()
        };
        assert_eq!(places("council-"), vec![Some(10); 10]);
        assert_eq!(places("department-"), vec![Some(50)]);
        // Every level from 1 to 6 is offered.
        for level in 1..=6 {
            assert!(
                directory
                    .profiles
                    .iter()
                    .any(|p| p.data.level == Some(level)),
                "{level}"
            );
        }
    }
}
