//! A repeating event's rule in plain English, as lists show it once:
//! "Second Thursday of every month, next Thursday 14 January 2027, …".
//!
//! Only the forms people write most are put in words (a frequency, an
//! interval, weekdays with or without their place in the month, a day of the
//! month); any other rule is shown as "Repeats", since words that say a
//! little less than the rule would send people on the wrong day.

use jiff::Zoned;

/// The words for a series at its next date: the rule described, then the
/// date (`when`, as [`super::format::when`] writes it).
pub fn next(rule: &str, start: &Zoned, when: &str) -> String {
    match describe(rule, start) {
        Some(words) => format!("{words}, next {when}"),
        None => format!("Repeats; next {when}"),
    }
}

/// The rule starting at `start`, in words, without its end (the event's
/// page lists every date): `None` for a rule these words cannot say.
pub fn describe(rule: &str, start: &Zoned) -> Option<String> {
    let mut freq = None;
    let mut interval = 1u32;
    let mut days: Vec<(i32, &str)> = Vec::new();
    let mut set_pos: Vec<i32> = Vec::new();
    let mut month_days: Vec<i32> = Vec::new();
    for part in rule.trim().trim_start_matches("RRULE:").split(';') {
        let (key, value) = part.split_once('=')?;
        match key.to_ascii_uppercase().as_str() {
            "FREQ" => freq = Some(value.to_ascii_uppercase()),
            "INTERVAL" => interval = value.parse().ok().filter(|n| *n >= 1)?,
            "BYDAY" => {
                for day in value.split(',') {
                    days.push(by_day(day)?);
                }
            }
            "BYSETPOS" => {
                for pos in value.split(',') {
                    set_pos.push(pos.parse().ok()?);
                }
            }
            "BYMONTHDAY" => {
                for day in value.split(',') {
                    month_days.push(day.parse().ok()?);
                }
            }
            // Where the series ends, and which day starts a week (which
            // changes nothing the words say), leave the words as they are.
            "COUNT" | "UNTIL" | "WKST" => {}
            _ => return None,
        }
    }
    let weekday = |name: &str| day_name(name).map(str::to_string);
    match freq?.as_str() {
        "DAILY" if days.is_empty() && set_pos.is_empty() && month_days.is_empty() => {
            Some(every(interval, "day", "days"))
        }
        "WEEKLY" if set_pos.is_empty() && month_days.is_empty() => {
            if days.iter().any(|(n, _)| *n != 0) {
                return None;
            }
            let names = if days.is_empty() {
                vec![start.strftime("%A").to_string()]
            } else {
                week_order(&days)
                    .into_iter()
                    .map(weekday)
                    .collect::<Option<Vec<_>>>()?
            };
            let on = if is_weekdays(&days) {
                "weekday".to_string()
            } else {
                and_list(&names)
            };
            Some(match interval {
                1 => format!("Every {on}"),
                2 => format!("Every other {on}"),
                n => format!("Every {n} weeks on {on}"),
            })
        }
        "MONTHLY" => {
            let months = every(interval, "month", "months").to_lowercase();
            if !days.is_empty() && month_days.is_empty() {
                let places = monthly_places(&days, &set_pos)?;
                let ordinals = places
                    .iter()
                    .map(|(n, _)| ordinal_word(*n))
                    .collect::<Option<Vec<_>>>()?;
                // "First and third Tuesday", but "first Monday and third Friday".
                let words = match places.first() {
                    Some((_, on)) if places.iter().all(|(_, d)| d == on) => {
                        format!("{} {on}", and_list(&ordinals))
                    }
                    _ => {
                        let pairs: Vec<String> = ordinals
                            .iter()
                            .zip(&places)
                            .map(|(n, (_, on))| format!("{n} {on}"))
                            .collect();
                        and_list(&pairs)
                    }
                };
                Some(capitalise(&format!("{words} of {months}")))
            } else if days.is_empty() && set_pos.is_empty() {
                let month_days = if month_days.is_empty() {
                    vec![i32::from(start.day())]
                } else {
                    month_days
                };
                let words = month_days
                    .iter()
                    .map(|&d| day_of_month(d))
                    .collect::<Option<Vec<_>>>()?;
                Some(format!("The {} of {months}", and_list(&words)))
            } else {
                None
            }
        }
        "YEARLY" if days.is_empty() && set_pos.is_empty() && month_days.is_empty() => {
            let on = start.strftime("%-d %B").to_string();
            Some(match interval {
                1 => format!("Every year on {on}"),
                2 => format!("Every other year on {on}"),
                n => format!("Every {n} years on {on}"),
            })
        }
        _ => None,
    }
}

/// "Every day", "Every other day", "Every 3 days".
fn every(interval: u32, one: &str, many: &str) -> String {
    match interval {
        1 => format!("Every {one}"),
        2 => format!("Every other {one}"),
        n => format!("Every {n} {many}"),
    }
}

/// A `BYDAY` value: its place (0 for every such day) and its weekday.
fn by_day(text: &str) -> Option<(i32, &str)> {
    let split = text.len().checked_sub(2)?;
    let (number, day) = text.split_at_checked(split)?;
    day_name(day)?;
    let number = match number {
        "" => 0,
        n => n.trim_start_matches('+').parse().ok()?,
    };
    Some((number, day))
}

/// The places in the month a monthly rule names: each weekday with its
/// place (`2TH`), or weekdays picked by `BYSETPOS` (`BYDAY=TH;BYSETPOS=2`,
/// or the last weekday of the month: `BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1`).
fn monthly_places(days: &[(i32, &str)], set_pos: &[i32]) -> Option<Vec<(i32, String)>> {
    if set_pos.is_empty() {
        if days.iter().any(|(n, _)| *n == 0) {
            return None;
        }
        let mut sorted = days.to_vec();
        sorted.sort_by_key(|(n, _)| if *n < 0 { 100 - n } else { *n });
        return sorted
            .into_iter()
            .map(|(n, d)| Some((n, day_name(d)?.to_string())))
            .collect();
    }
    if days.iter().any(|(n, _)| *n != 0) {
        return None;
    }
    let on = if days.len() == 1 {
        day_name(days[0].1)?.to_string()
    } else if is_weekdays(days) {
        "weekday".to_string()
    } else {
        return None;
    };
    let mut positions = set_pos.to_vec();
    positions.sort_by_key(|n| if *n < 0 { 100 - n } else { *n });
    Some(positions.into_iter().map(|n| (n, on.clone())).collect())
}

/// Whether the days are Monday to Friday, each once.
fn is_weekdays(days: &[(i32, &str)]) -> bool {
    let mut names: Vec<&str> = days.iter().map(|(_, d)| *d).collect();
    names.sort_unstable();
    names.dedup();
    names.len() == 5
        && ["MO", "TU", "WE", "TH", "FR"]
            .iter()
            .all(|d| names.contains(d))
}

/// The days' codes from Monday to Sunday.
fn week_order<'d>(days: &[(i32, &'d str)]) -> Vec<&'d str> {
    const WEEK: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    let mut names: Vec<&str> = days.iter().map(|(_, d)| *d).collect();
    names.sort_by_key(|d| WEEK.iter().position(|w| w == d));
    names.dedup();
    names
}

fn day_name(code: &str) -> Option<&'static str> {
    Some(match code.to_ascii_uppercase().as_str() {
        "MO" => "Monday",
        "TU" => "Tuesday",
        "WE" => "Wednesday",
        "TH" => "Thursday",
        "FR" => "Friday",
        "SA" => "Saturday",
        "SU" => "Sunday",
        _ => return None,
    })
}

/// "first" … "fifth", "last", "second last": a place in the month.
fn ordinal_word(n: i32) -> Option<&'static str> {
    Some(match n {
        1 => "first",
        2 => "second",
        3 => "third",
        4 => "fourth",
        5 => "fifth",
        -1 => "last",
        -2 => "second last",
        _ => return None,
    })
}

/// "14th", "last day": a day of the month.
fn day_of_month(n: i32) -> Option<String> {
    match n {
        1..=31 => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            Some(format!("{n}{suffix}"))
        }
        -1 => Some("last day".to_string()),
        _ => None,
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[impl AsRef<str>]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Thursday 14 January 2027, 18:30 in London.
    fn start() -> Zoned {
        "2027-01-14T18:30[Europe/London]".parse().expect("a time")
    }

    fn say(rule: &str) -> Option<String> {
        describe(rule, &start())
    }

    #[test]
    fn monthly_weekday_places_are_said_as_a_place_in_the_month() {
        let s = |r| say(r).expect("described");
        assert_eq!(
            s("FREQ=MONTHLY;BYDAY=2TH"),
            "Second Thursday of every month"
        );
        assert_eq!(
            s("FREQ=MONTHLY;BYDAY=2TH;COUNT=12"),
            "Second Thursday of every month"
        );
        assert_eq!(
            s("RRULE:FREQ=MONTHLY;BYDAY=-1FR"),
            "Last Friday of every month"
        );
        assert_eq!(
            s("FREQ=MONTHLY;BYDAY=TH;BYSETPOS=2"),
            "Second Thursday of every month"
        );
        assert_eq!(
            s("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"),
            "Last weekday of every month"
        );
        assert_eq!(
            s("FREQ=MONTHLY;BYDAY=3TU,1TU"),
            "First and third Tuesday of every month"
        );
        assert_eq!(
            s("FREQ=MONTHLY;BYDAY=1MO,3FR"),
            "First Monday and third Friday of every month"
        );
        assert_eq!(
            s("FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH"),
            "Second Thursday of every other month"
        );
        assert_eq!(
            s("FREQ=MONTHLY;INTERVAL=3;BYDAY=+1MO"),
            "First Monday of every 3 months"
        );
    }

    #[test]
    fn monthly_days_of_the_month() {
        assert_eq!(
            say("FREQ=MONTHLY").as_deref(),
            Some("The 14th of every month")
        );
        assert_eq!(
            say("FREQ=MONTHLY;BYMONTHDAY=1,22").as_deref(),
            Some("The 1st and 22nd of every month")
        );
        assert_eq!(
            say("FREQ=MONTHLY;BYMONTHDAY=-1").as_deref(),
            Some("The last day of every month")
        );
        assert_eq!(
            say("FREQ=MONTHLY;BYMONTHDAY=11,12,13,3").as_deref(),
            Some("The 11th, 12th, 13th and 3rd of every month")
        );
    }

    #[test]
    fn weekly_daily_and_yearly() {
        let s = |r| say(r).expect("described");
        assert_eq!(s("FREQ=WEEKLY"), "Every Thursday");
        assert_eq!(s("FREQ=WEEKLY;INTERVAL=2"), "Every other Thursday");
        assert_eq!(
            s("FREQ=WEEKLY;INTERVAL=3;BYDAY=TU"),
            "Every 3 weeks on Tuesday"
        );
        assert_eq!(
            s("FREQ=WEEKLY;BYDAY=WE,MO;WKST=SU"),
            "Every Monday and Wednesday"
        );
        assert_eq!(s("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"), "Every weekday");
        assert_eq!(s("FREQ=DAILY"), "Every day");
        assert_eq!(
            s("FREQ=DAILY;INTERVAL=2;UNTIL=20270301T000000Z"),
            "Every other day"
        );
        assert_eq!(s("FREQ=DAILY;INTERVAL=10"), "Every 10 days");
        assert_eq!(s("FREQ=YEARLY"), "Every year on 14 January");
    }

    #[test]
    fn rules_the_words_cannot_say_fall_back() {
        for rule in [
            "FREQ=YEARLY;BYMONTH=3;BYDAY=2TH",
            "FREQ=HOURLY",
            "FREQ=MONTHLY;BYDAY=TH",
            "FREQ=MONTHLY;BYDAY=7TH",
            "FREQ=WEEKLY;BYDAY=2TH",
            "FREQ=MONTHLY;BYDAY=TH,FR;BYSETPOS=2",
            "FREQ=MONTHLY;BYDAY=2TH;BYMONTHDAY=10",
            "FREQ=MONTHLY;BYMONTHDAY=40",
            "FREQ=DAILY;BYHOUR=9",
            "INTERVAL=2",
            "garbage",
        ] {
            assert_eq!(say(rule), None, "{rule}");
        }
        assert_eq!(
            next("FREQ=HOURLY", &start(), "Thursday 14 January 2027"),
            "Repeats; next Thursday 14 January 2027"
        );
        assert_eq!(
            next(
                "FREQ=MONTHLY;BYDAY=2TH",
                &start(),
                "Thursday 14 January 2027"
            ),
            "Second Thursday of every month, next Thursday 14 January 2027"
        );
    }
}
