//! Dates, times and places in words, as the pages show them.

use jiff::Zoned;

/// `14 January 2027`.
pub fn date(at: &Zoned) -> String {
    at.strftime("%-d %B %Y").to_string()
}

/// `Thursday 14 January 2027, 10:00 to 15:30 (GMT)`, or across days
/// `Wednesday 14 June 2028, 09:30 to Thursday 15 June 2028, 16:00 (BST)`.
pub fn when(start: &Zoned, end: Option<&Zoned>) -> String {
    let day = |z: &Zoned| z.strftime("%A %-d %B %Y").to_string();
    let time = |z: &Zoned| z.strftime("%H:%M").to_string();
    let zone = |z: &Zoned| z.strftime("%Z").to_string();
    match end {
        Some(end) if end.date() == start.date() => {
            format!(
                "{}, {} to {} ({})",
                day(start),
                time(start),
                time(end),
                zone(end)
            )
        }
        Some(end) => format!(
            "{}, {} to {}, {} ({})",
            day(start),
            time(start),
            day(end),
            time(end),
            zone(end)
        ),
        None => format!("{}, {} ({})", day(start), time(start), zone(start)),
    }
}

/// An instant as RFC 3339 in UTC, to the millisecond at most (the end of a
/// day is 23:59:59.999, not nine digits of it): for `<time datetime>`,
/// which allows no more, and every file made for machines.
pub fn iso(at: &Zoned) -> String {
    instant(at.timestamp())
}

/// [`iso`], of a timestamp.
pub fn instant(at: jiff::Timestamp) -> String {
    jiff::Timestamp::from_millisecond(at.as_millisecond())
        .unwrap_or(at)
        .to_string()
}

/// A link that searches OpenStreetMap for an address.
pub fn map_url(address: &str) -> String {
    let query: String = url::form_urlencoded::byte_serialize(address.as_bytes()).collect();
    format!("https://www.openstreetmap.org/search?query={query}")
}

/// The English name of a language tag, for the languages most spoken in
/// the UK's public services; other tags are shown as written.
pub fn language_name(tag: &str) -> String {
    let primary = tag.split('-').next().unwrap_or(tag);
    let name = match primary {
        "en" => "English",
        "cy" => "Welsh",
        "gd" => "Scottish Gaelic",
        "ga" => "Irish",
        "kw" => "Cornish",
        "bfi" => "British Sign Language",
        "ur" => "Urdu",
        "pa" => "Punjabi",
        "bn" => "Bengali",
        "gu" => "Gujarati",
        "hi" => "Hindi",
        "ta" => "Tamil",
        "pl" => "Polish",
        "ro" => "Romanian",
        "lt" => "Lithuanian",
        "pt" => "Portuguese",
        "es" => "Spanish",
        "fr" => "French",
        "de" => "German",
        "it" => "Italian",
        "ar" => "Arabic",
        "so" => "Somali",
        "fa" => "Persian",
        "ps" => "Pashto",
        "ku" => "Kurdish",
        "tr" => "Turkish",
        "ti" => "Tigrinya",
        "am" => "Amharic",
        "yo" => "Yoruba",
        "zh" => "Chinese",
        "yue" => "Cantonese",
        "uk" => "Ukrainian",
        "ru" => "Russian",
        _ => return tag.to_string(),
    };
    name.to_string()
}

/// The name of a region slug: the UK's nations and English regions by
/// their usual names, any other slug in words.
pub fn region_name(slug: &str) -> String {
    let name = match slug {
        "north-east" => "North East",
        "north-west" => "North West",
        "yorkshire-and-the-humber" => "Yorkshire and the Humber",
        "east-midlands" => "East Midlands",
        "west-midlands" => "West Midlands",
        "east-of-england" => "East of England",
        "london" => "London",
        "south-east" => "South East",
        "south-west" => "South West",
        "wales" => "Wales",
        "scotland" => "Scotland",
        "northern-ireland" => "Northern Ireland",
        _ => return crate::content::vocabulary::label_from_slug(slug),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Zoned {
        text.parse::<jiff::civil::DateTime>()
            .expect("a date-time")
            .in_tz("Europe/London")
            .expect("in London")
    }

    #[test]
    fn times_read_as_people_write_them() {
        assert_eq!(
            when(&at("2027-01-14T10:00"), Some(&at("2027-01-14T15:30"))),
            "Thursday 14 January 2027, 10:00 to 15:30 (GMT)"
        );
        assert_eq!(
            when(&at("2028-06-14T09:30"), Some(&at("2028-06-15T16:00"))),
            "Wednesday 14 June 2028, 09:30 to Thursday 15 June 2028, 16:00 (BST)"
        );
        assert_eq!(date(&at("2027-02-01T00:00")), "1 February 2027");
        assert_eq!(iso(&at("2027-07-14T10:00")), "2027-07-14T09:00:00Z");
    }

    #[test]
    fn regions_are_named() {
        assert_eq!(
            region_name("yorkshire-and-the-humber"),
            "Yorkshire and the Humber"
        );
        assert_eq!(region_name("kirkby-vale"), "Kirkby vale");
    }

    #[test]
    fn languages_are_named() {
        assert_eq!(language_name("cy"), "Welsh");
        assert_eq!(language_name("pt-BR"), "Portuguese");
        assert_eq!(language_name("xx"), "xx");
    }
}
