//! Reading dates and times: a calendar date, a moment, and either, each in
//! the site's time zone unless it gives its own offset.

use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, Zoned};

use super::Reader;
use crate::diagnostic::Code;
use crate::node::{Node, Value};

impl Reader<'_> {
    /// A calendar date, `2026-10-01`.
    pub fn date(&mut self, node: &Node) -> Option<Date> {
        let text = self.date_text(node)?;
        match text.parse::<Date>() {
            Ok(date) if text.len() == 10 => Some(date),
            _ => {
                let hint = match day_month_year(&text) {
                    Some(iso) => format!("write it as `{iso}` (dates are year, month, day)"),
                    None => "write a date as YYYY-MM-DD, like `2026-10-01`".to_string(),
                };
                self.push(
                    self.error(
                        Code::InvalidDate,
                        node.span,
                        format!("`{text}` is not a date"),
                    )
                    .with_hint(hint),
                );
                None
            }
        }
    }

    /// A date and time: local in the site's zone (`2027-01-14T10:00`) or with an
    /// offset (`2027-01-14T10:00+01:00`). Local times that a clock change skips
    /// or repeats are errors: guessing would put people in the wrong room at the
    /// wrong hour.
    pub fn date_time(&mut self, node: &Node) -> Option<Zoned> {
        let text = self.date_text(node)?;
        let zone = self.context.time_zone.clone();
        // A day alone would be read as its midnight: an event from midnight
        // to midnight that no one meant.
        let day_only = text.len() == 10 && text.parse::<Date>().is_ok();
        if has_offset(&text) {
            if let Ok(ts) = text.parse::<Timestamp>() {
                return Some(ts.to_zoned(zone));
            }
        } else if !day_only && let Ok(dt) = text.parse::<DateTime>() {
            return self.local(node, dt, zone);
        }
        let hint = if text.parse::<Date>().is_ok() && text.len() == 10 {
            format!("add a time: `{text}T10:00`")
        } else {
            "write a local date and time as YYYY-MM-DDTHH:MM, like `2027-01-14T10:00`".to_string()
        };
        self.push(
            self.error(
                Code::InvalidDate,
                node.span,
                format!("`{text}` is not a date and time"),
            )
            .with_hint(hint),
        );
        None
    }

    /// A date or a date and time. A date alone means the start of the day
    /// (`end_of_day` false) or its last moment (`end_of_day` true).
    pub fn date_or_time(&mut self, node: &Node, end_of_day: bool) -> Option<Zoned> {
        let text = self.date_text(node)?;
        if text.len() == 10 {
            let date = self.date(node)?;
            let zone = self.context.time_zone.clone();
            let start = match date.to_zoned(zone) {
                Ok(start) => start,
                Err(e) => {
                    self.push(self.error(Code::InvalidDate, node.span, e.to_string()));
                    return None;
                }
            };
            return if end_of_day {
                start.end_of_day().ok()
            } else {
                Some(start)
            };
        }
        self.date_time(node)
    }

    fn date_text(&mut self, node: &Node) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.trim().to_string()),
            _ => {
                self.wrong_type(
                    node,
                    "a date",
                    "`2026-10-01`, or `2027-01-14T10:00` with a time",
                );
                None
            }
        }
    }

    fn local(&mut self, node: &Node, dt: DateTime, zone: TimeZone) -> Option<Zoned> {
        let ambiguous = zone.to_ambiguous_zoned(dt);
        match ambiguous.offset() {
            AmbiguousOffset::Unambiguous { .. } => ambiguous.unambiguous().ok(),
            AmbiguousOffset::Gap { before, after } => {
                let skipped = after.duration_since(before);
                self.push(
                    self.error(
                        Code::NonexistentLocalTime,
                        node.span,
                        format!(
                            "{dt} does not exist in {}: the clocks go forward then",
                            zone.iana_name().unwrap_or("the site's time zone")
                        ),
                    )
                    .with_hint(format!(
                        "the hour is skipped ({} minutes); choose a time outside it",
                        skipped.as_secs() / 60
                    )),
                );
                None
            }
            AmbiguousOffset::Fold { before, after } => {
                self.push(
                    self.error(
                        Code::AmbiguousLocalTime,
                        node.span,
                        format!("{dt} happens twice: the clocks go back then"),
                    )
                    .with_hint(format!(
                        "add the offset you mean: `{}{before}` (the first) or `{}{after}` (the second)",
                        dt.strftime("%Y-%m-%dT%H:%M"),
                        dt.strftime("%Y-%m-%dT%H:%M"),
                    )),
                );
                None
            }
        }
    }
}

/// Whether a date-time string carries its own offset (`Z`, `+01:00`, `-05:00`).
pub(super) fn has_offset(text: &str) -> bool {
    let Some(time) = text.split_once('T').map(|(_, t)| t) else {
        return false;
    };
    time.ends_with('Z') || time.ends_with('z') || time.contains('+') || time.contains('-')
}

/// A date written day first, as in the UK (`06/12/2026`, `6.12.2026`,
/// `6-12-2026`), in the form dates are written: `2026-12-06`.
fn day_month_year(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.trim().split(['/', '.', '-']).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let (day, month, year): (i8, i8, i16) =
        (day.parse().ok()?, month.parse().ok()?, year.parse().ok()?);
    let year = if year < 100 { 2000 + year } else { year };
    let date = jiff::civil::Date::new(year, month, day).ok()?;
    Some(date.to_string())
}

#[cfg(test)]
mod day_first_tests {
    use super::day_month_year;

    #[test]
    fn a_uk_date_is_offered_in_the_form_dates_take() {
        assert_eq!(day_month_year("06/12/2026").as_deref(), Some("2026-12-06"));
        assert_eq!(day_month_year("6.1.27").as_deref(), Some("2027-01-06"));
        assert_eq!(day_month_year("31/02/2026"), None);
        assert_eq!(day_month_year("next Tuesday"), None);
    }
}
