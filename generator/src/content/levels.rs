//! Level bands: one small ordered scale, 1 (entry) to 7 (executive), onto
//! which every sector's grades are mapped by pay, so that a job swap pairs
//! people whose jobs are of a similar size. A grade is written as each
//! organisation writes it (`Band 8a`, `G7`, `Sergeant`, `PO3`); this table
//! says which band it is in. It is approximate: grades' pay ranges overlap
//! and vary by employer and region. `docs/levels.md` gives the table, the
//! pay it rests on and its sources; a site can change or add mappings in
//! `interchange.toml` (`[levels]`), and a profile can set `level:` itself.

use std::collections::BTreeMap;

/// The lowest level.
pub const LOWEST: u8 = 1;

/// The highest level.
pub const HIGHEST: u8 = 7;

/// One band of the scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    /// Its number, 1 to 7.
    pub level: u8,
    /// What it is called.
    pub name: &'static str,
    /// The full-time basic pay it stands for, roughly.
    pub pay: &'static str,
}

/// The bands, lowest first. The pay ranges are the basis of the table: a
/// grade is in the band that holds the middle of its usual pay range.
pub const BANDS: [Band; 7] = [
    Band {
        level: 1,
        name: "Entry",
        pay: "under £28,000",
    },
    Band {
        level: 2,
        name: "Practitioner",
        pay: "£28,000 to £35,000",
    },
    Band {
        level: 3,
        name: "Experienced practitioner",
        pay: "£35,000 to £46,000",
    },
    Band {
        level: 4,
        name: "Manager or specialist",
        pay: "£46,000 to £60,000",
    },
    Band {
        level: 5,
        name: "Senior manager",
        pay: "£60,000 to £80,000",
    },
    Band {
        level: 6,
        name: "Head of service",
        pay: "£80,000 to £110,000",
    },
    Band {
        level: 7,
        name: "Executive",
        pay: "£110,000 and over",
    },
];

/// The band of a level, if it is one (1 to 7).
pub fn band(level: u8) -> Option<&'static Band> {
    BANDS.iter().find(|b| b.level == level)
}

/// The grades every site knows, as commonly written, with their bands.
/// They are compared in [`normalise`]d form, so case, spaces, hyphens and
/// full stops do not matter (`G7`, `g 7`, `Grade 7.` are one), nor do the
/// words in [`NOISE`] before them (`AfC Band 6`, `Police Sergeant`,
/// `Detective Inspector`). NJC spinal column points are added by
/// [`spinal_point`].
const GRADES: &[(&str, u8)] = &[
    // Civil Service (delegated grades vary by department; national rates).
    ("AA", 1),
    ("Administrative Assistant", 1),
    ("AO", 1),
    ("Administrative Officer", 1),
    ("EO", 2),
    ("Executive Officer", 2),
    ("HEO", 3),
    ("Higher Executive Officer", 3),
    ("SEO", 3),
    ("Senior Executive Officer", 3),
    ("G7", 4),
    ("Grade 7", 4),
    ("G6", 5),
    ("Grade 6", 5),
    ("SCS1", 6),
    ("SCS1A", 6),
    ("SCS Pay Band 1", 6),
    ("SCS PB1", 6),
    ("Deputy Director", 6),
    ("SCS2", 7),
    ("SCS Pay Band 2", 7),
    ("SCS PB2", 7),
    ("SCS3", 7),
    ("SCS Pay Band 3", 7),
    ("SCS PB3", 7),
    ("Director General", 7),
    ("SCS4", 7),
    ("Permanent Secretary", 7),
    ("DD", 6),
    ("PB1", 6),
    ("DG", 7),
    ("PB2", 7),
    ("PB3", 7),
    ("Perm Sec", 7),
    // NHS Agenda for Change, England 2025/26 (Band 1 is closed and paid as Band 2).
    ("Band 1", 1),
    ("Band 2", 1),
    ("Band 3", 1),
    ("Band 4", 2),
    ("Band 5", 2),
    ("Band 6", 3),
    ("Band 7", 4),
    ("Band 8a", 4),
    ("Band 8b", 5),
    ("Band 8c", 6),
    ("Band 8d", 6),
    ("Band 9", 7),
    ("Very Senior Manager", 7),
    ("VSM", 7),
    // Local government: the grades many councils still name from the old
    // APT&C scales, on today's NJC spine (each council's own mapping varies).
    ("Scale 1", 1),
    ("Scale 2", 1),
    ("Scale 3", 1),
    ("Scale 4", 1),
    ("Scale 5", 2),
    ("Scale 6", 2),
    ("SO1", 3),
    ("SO2", 3),
    ("Senior Officer", 3),
    ("PO1", 3),
    ("PO2", 3),
    ("PO3", 4),
    ("PO4", 4),
    ("PO5", 4),
    ("PO6", 4),
    ("Principal Officer", 4),
    ("Head of Service", 6),
    ("Assistant Director", 6),
    ("Deputy Chief Officer", 6),
    ("Director", 7),
    ("Strategic Director", 7),
    ("Corporate Director", 7),
    ("Executive Director", 7),
    ("Chief Officer", 7),
    ("Deputy Chief Executive", 7),
    ("Chief Executive", 7),
    // Police officer ranks, England and Wales, from September 2025
    // ("Police" and "Detective" before a rank are ignored).
    ("Constable", 3),
    ("PC", 3),
    ("DC", 3),
    ("Sergeant", 4),
    ("Sgt", 4),
    ("PS", 4),
    ("DS", 4),
    ("Inspector", 5),
    ("Insp", 5),
    ("DI", 5),
    ("Chief Inspector", 5),
    ("Ch Insp", 5),
    ("Chief Insp", 5),
    ("DCI", 5),
    ("Superintendent", 6),
    ("Supt", 6),
    ("DSU", 6),
    ("Chief Superintendent", 6),
    ("DCS", 6),
    ("Chief Supt", 6),
    ("Ch Supt", 6),
    ("Commander", 7),
    ("Cmdr", 7),
    ("Commissioner", 7),
    ("Deputy Commissioner", 7),
    ("Assistant Chief Constable", 7),
    ("ACC", 7),
    ("Deputy Chief Constable", 7),
    ("DCC", 7),
    ("Chief Constable", 7),
    ("Deputy Assistant Commissioner", 7),
    ("Assistant Commissioner", 7),
    // Police staff grades differ from force to force, and PCSOs' pay is set
    // by each force; the PCSO role is common enough to be placed:
    ("PCSO", 2),
    ("Community Support Officer", 2),
    // Fire and rescue ranks: the NJC for Local Authority Fire and Rescue
    // Services (the Grey Book), from July 2024; brigade managers (ACFO and
    // up, the Gold Book) are paid locally.
    ("Trainee Firefighter", 2),
    ("Firefighter", 2),
    ("FF", 2),
    ("Crew Manager", 3),
    ("CM", 3),
    ("Watch Manager", 3),
    ("WM", 3),
    ("Station Manager", 4),
    ("SM", 4),
    ("Group Manager", 4),
    ("GM", 4),
    ("Area Manager", 5),
    ("AM", 5),
    ("Assistant Chief Fire Officer", 6),
    ("ACFO", 6),
    ("Deputy Chief Fire Officer", 7),
    ("DCFO", 7),
    ("Chief Fire Officer", 7),
    ("CFO", 7),
];

/// Words written before a grade that say only whose grade it is, dropped
/// before a grade not in the table as written is looked up again.
const NOISE: &[&str] = &[
    "agenda for change",
    "afc",
    "nhs",
    "civil service",
    "njc",
    "police",
    "detective",
    "det",
    // An acting or temporary rank or grade is of the one acted in.
    "acting",
    "temporary",
];

/// The level of NJC spinal column point `point` (1 to 43), by its 2025/26
/// pay: up to about £27,700 at point 10, about £34,400 at point 23, about
/// £45,100 at point 34, about £54,500 at point 43. Points above 43 are each
/// council's own, so they are not in the table.
fn spinal_point(point: u8) -> Option<u8> {
    match point {
        1..=10 => Some(1),
        11..=23 => Some(2),
        24..=34 => Some(3),
        35..=43 => Some(4),
        _ => None,
    }
}

/// The ways a spinal column point is written, before its number.
const SPINAL_POINT: &[&str] = &[
    "scp",
    "spinal point",
    "spinal column point",
    "pay point",
    "point",
];

/// What a grade says about its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// It is in this band.
    Level(u8),
    /// It names two grades (`HEO/SEO`, `Band 6/7`) in different bands.
    Spans(u8, u8),
    /// The table does not know it.
    Unknown,
}

impl Lookup {
    /// The band, if there is one.
    pub fn level(self) -> Option<u8> {
        match self {
            Lookup::Level(level) => Some(level),
            _ => None,
        }
    }
}

/// The table of grades and their bands a site uses: the built-in one, with
/// the site's own mappings over it.
#[derive(Debug, Clone)]
pub struct Levels {
    /// Kept in order, not hashed: the site's settings are part of every
    /// page's fingerprint, so they must print the same in every build.
    by_grade: BTreeMap<String, u8>,
}

impl Default for Levels {
    fn default() -> Self {
        Self::builtin()
    }
}

impl Levels {
    /// The built-in table.
    pub fn builtin() -> Self {
        let mut by_grade: BTreeMap<String, u8> = GRADES
            .iter()
            .map(|&(grade, level)| (normalise(grade), level))
            .collect();
        for point in 1..=43 {
            if let Some(level) = spinal_point(point) {
                for way in SPINAL_POINT {
                    by_grade.insert(normalise(&format!("{way} {point}")), level);
                }
            }
        }
        Self { by_grade }
    }

    /// Maps `grade` to `level`, over any mapping it had. Returns `false`,
    /// changing nothing, if the grade has no letters or digits to match on.
    pub fn set(&mut self, grade: &str, level: u8) -> bool {
        let key = normalise(grade);
        if key.is_empty() {
            return false;
        }
        self.by_grade.insert(key, level);
        true
    }

    /// The band of a grade as written on a profile. A grade naming two
    /// (`HEO/SEO`, `Band 6/7`, `SO2 or PO1`) is in a band if both are.
    pub fn of(&self, grade: &str) -> Lookup {
        if let Some(level) = self.lookup(grade) {
            return Lookup::Level(level);
        }
        // An acting or temporary rank (`T/Insp`, `A/Sgt`) is of the rank
        // acted in, not two grades.
        let trimmed = grade.trim_start();
        if let Some(acted) = ["T/", "t/", "A/", "a/"]
            .iter()
            .find_map(|prefix| trimmed.strip_prefix(prefix))
            && let Some(level) = self.lookup(acted)
        {
            return Lookup::Level(level);
        }
        let parts: Vec<&str> = grade
            .split(['/', '|'])
            .flat_map(|part| part.split(" or "))
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect();
        if parts.len() < 2 {
            return Lookup::Unknown;
        }
        // `Band 6/7`: a later part that is only a number takes the first
        // part's words (`Band 7`).
        let first = normalise(parts[0]);
        let words = first
            .rsplit_once(' ')
            .filter(|(_, last)| last.starts_with(|c: char| c.is_ascii_digit()))
            .map(|(words, _)| words)
            .unwrap_or("");
        let mut levels = Vec::with_capacity(parts.len());
        for part in &parts {
            let key = normalise(part);
            let level = self.lookup(part).or_else(|| {
                (!words.is_empty() && key.starts_with(|c: char| c.is_ascii_digit()))
                    .then(|| self.lookup(&format!("{words} {key}")))
                    .flatten()
            });
            match level {
                Some(level) => levels.push(level),
                None => return Lookup::Unknown,
            }
        }
        let (low, high) = (
            levels.iter().copied().min().unwrap_or(LOWEST),
            levels.iter().copied().max().unwrap_or(LOWEST),
        );
        if low == high {
            Lookup::Level(low)
        } else {
            Lookup::Spans(low, high)
        }
    }

    fn lookup(&self, grade: &str) -> Option<u8> {
        let key = normalise(grade);
        if let Some(&level) = self.by_grade.get(&key) {
            return Some(level);
        }
        let mut rest = key.as_str();
        // `NHS AfC Band 6`: every such word, in any order.
        while let Some(after) = NOISE
            .iter()
            .find_map(|word| rest.strip_prefix(word)?.strip_prefix(' '))
        {
            rest = after;
        }
        (rest.len() < key.len())
            .then(|| self.by_grade.get(rest).copied())
            .flatten()
    }
}

/// A grade in the form grades are compared in: lower case, words and
/// numbers apart (`SCS1` is `scs 1`, `8a` is `8 a`), anything in brackets
/// and every other character dropped, single spaces.
pub fn normalise(grade: &str) -> String {
    let mut out = String::with_capacity(grade.len() + 4);
    // Whether a separator came since the last character kept.
    let mut gap = false;
    let mut depth = 0usize;
    for c in grade.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                gap = true;
            }
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                gap = true;
            }
            _ if depth > 0 => {}
            c if c.is_alphanumeric() => {
                for c in c.to_lowercase() {
                    if let Some(last) = out.chars().next_back()
                        && (gap || last.is_ascii_digit() != c.is_ascii_digit())
                    {
                        out.push(' ');
                    }
                    out.push(c);
                    gap = false;
                }
            }
            _ => gap = true,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(grade: &str) -> Option<u8> {
        Levels::builtin().of(grade).level()
    }

    #[test]
    fn spellings_of_one_grade_are_one() {
        assert_eq!(normalise("G7"), "g 7");
        assert_eq!(normalise("Grade  7."), "grade 7");
        assert_eq!(normalise("SCS1"), "scs 1");
        assert_eq!(normalise("Band 8A"), "band 8 a");
        assert_eq!(normalise("AfC band-8a"), "afc band 8 a");
        assert_eq!(normalise("Grade 7 (policy)"), "grade 7");
        assert_eq!(normalise("PO 3"), normalise("PO3"));
        assert_eq!(normalise("  "), "");
    }

    #[test]
    fn civil_service_grades() {
        for (grade, band) in [
            ("AA", 1),
            ("Administrative Officer", 1),
            ("EO", 2),
            ("HEO", 3),
            ("Senior Executive Officer", 3),
            ("G7", 4),
            ("Grade 7", 4),
            ("grade7", 4),
            ("G6", 5),
            ("Grade 6", 5),
            ("SCS1", 6),
            ("SCS 1", 6),
            ("SCS Pay Band 1", 6),
            ("Deputy Director", 6),
            ("SCS2", 7),
            ("Director General", 7),
            ("SCS4", 7),
        ] {
            assert_eq!(level(grade), Some(band), "{grade}");
        }
    }

    #[test]
    fn nhs_agenda_for_change_bands() {
        for (grade, band) in [
            ("Band 2", 1),
            ("Band 3", 1),
            ("Band 4", 2),
            ("Band 5", 2),
            ("AfC Band 6", 3),
            ("NHS Band 7", 4),
            ("Band 8a", 4),
            ("band 8A", 4),
            ("Band 8b", 5),
            ("Band 8c", 6),
            ("Band 8d", 6),
            ("Agenda for Change Band 9", 7),
        ] {
            assert_eq!(level(grade), Some(band), "{grade}");
        }
    }

    #[test]
    fn local_government_grades_points_and_titles() {
        for (grade, band) in [
            ("Scale 1", 1),
            ("Scale 4", 1),
            ("Scale 6", 2),
            ("SO1", 3),
            ("SO 2", 3),
            ("PO1", 3),
            ("PO3", 4),
            ("PO6", 4),
            ("Principal Officer", 4),
            ("SCP 5", 1),
            ("NJC SCP 23", 2),
            ("Spinal column point 30", 3),
            ("scp43", 4),
            ("Head of Service", 6),
            ("Assistant Director", 6),
            ("Director", 7),
            ("Chief Executive", 7),
        ] {
            assert_eq!(level(grade), Some(band), "{grade}");
        }
        assert_eq!(level("SCP 44"), None, "points above 43 are local");
    }

    #[test]
    fn police_ranks() {
        for (grade, band) in [
            ("Constable", 3),
            ("Police Constable", 3),
            ("PC", 3),
            ("Detective Constable", 3),
            ("Sergeant", 4),
            ("Detective Sergeant", 4),
            ("Inspector", 5),
            ("Chief Inspector", 5),
            ("DCI", 5),
            ("Superintendent", 6),
            ("Chief Superintendent", 6),
            ("ACC", 7),
            ("Chief Constable", 7),
            ("PCSO", 2),
            ("Police Community Support Officer", 2),
            ("Sgt", 4),
            ("Det Sgt", 4),
            ("T/Insp", 5),
            ("A/Sgt", 4),
            ("Acting Inspector", 5),
            ("Chief Insp", 5),
            ("DCS", 6),
            ("Cmdr", 7),
        ] {
            assert_eq!(level(grade), Some(band), "{grade}");
        }
    }

    #[test]
    fn fire_ranks() {
        assert_eq!(level("Firefighter"), Some(2));
        assert_eq!(level("Watch Manager"), Some(3));
        assert_eq!(level("Station Manager"), Some(4));
        assert_eq!(level("Chief Fire Officer"), Some(7));
        assert_eq!(level("WM"), Some(3));
        assert_eq!(level("GM"), Some(4));
        assert_eq!(level("ACFO"), Some(6));
    }

    #[test]
    fn a_grade_naming_two_is_in_a_band_only_if_both_are() {
        let levels = Levels::builtin();
        assert_eq!(levels.of("HEO/SEO"), Lookup::Level(3));
        assert_eq!(levels.of("Band 7/8a"), Lookup::Level(4));
        assert_eq!(levels.of("Band 6/7"), Lookup::Spans(3, 4));
        assert_eq!(levels.of("SEO or G7"), Lookup::Spans(3, 4));
        assert_eq!(levels.of("Band 6/Grade 99"), Lookup::Unknown);
    }

    #[test]
    fn unknown_and_ambiguous_grades_have_no_band() {
        // A bare number could be a Civil Service grade or an NHS band.
        assert_eq!(level("7"), None);
        assert_eq!(level("Grade 5"), None);
        assert_eq!(level("Band Z"), None);
        assert_eq!(level(""), None);
    }

    #[test]
    fn a_site_mapping_adds_or_overrides() {
        let mut levels = Levels::builtin();
        assert!(levels.set("band 8A", 5));
        assert_eq!(levels.of("Band 8a"), Lookup::Level(5));
        assert!(levels.set("Grade H", 4));
        assert_eq!(levels.of("grade h"), Lookup::Level(4));
        assert!(!levels.set(" - ", 4));
    }

    #[test]
    fn every_band_has_grades_from_the_table() {
        for band in BANDS {
            assert!(
                GRADES.iter().any(|&(_, level)| level == band.level),
                "{}",
                band.level
            );
        }
        assert!(GRADES.iter().all(|&(_, l)| (LOWEST..=HIGHEST).contains(&l)));
    }
}
