//! Calendar dates, instants, "today" and ages in the deployment's time zone.
//!
//! A date without a time (date of birth, registration date, due date) is a [`time::Date`] from
//! input to storage to the wire, written `YYYY-MM-DD`. It never becomes midnight in some zone, so it
//! cannot move by a day. "Today" and ages come from a clock reading the caller passes in and the
//! deployment's UTC offset, never from the machine's zone. This module does no IO and never reads
//! the clock.

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, UtcOffset};

use crate::config::DigitScript;
use crate::text::{self, DigitError};

/// A typed date or timestamp that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error(transparent)]
    Digits(#[from] DigitError),
    #[error(
        "invalid date format: dates are YYYY-MM-DD (an import may declare another order) \
         and timestamps are RFC 3339 with an offset"
    )]
    Format,
    #[error("impossible date: that month or day does not exist in the calendar")]
    Impossible,
}

impl DateError {
    /// Returns the stable error code the client translates.
    pub fn code(&self) -> &'static str {
        match self {
            DateError::Digits(error) => error.code(),
            DateError::Format => "invalid_date_format",
            DateError::Impossible => "impossible_date",
        }
    }
}

/// The order of day, month and year that an import declares for all its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// `dd/mm/yyyy`, the usual order in Bangladesh.
    DayMonthYear,
    MonthDayYear,
    YearMonthDay,
}

/// Parses an ISO 8601 calendar date, `YYYY-MM-DD` with a four-digit year and two-digit month and day.
///
/// The value is trimmed like [`text::clean_text`] and its digits converted with
/// [`text::ascii_digits`], so `২০১৭-০৬-১৫` is 15 June 2017. A well-formed date that does not exist,
/// such as `2015-02-31` or month 13, is [`DateError::Impossible`].
pub fn parse_date(input: &str, accepted: &[DigitScript]) -> Result<Date, DateError> {
    let ascii = text::ascii_digits(&text::clean_text(input), accepted)?;
    let (separator, fields) = split_date_fields(&ascii).ok_or(DateError::Format)?;
    if !is_iso_shape(separator, fields) {
        return Err(DateError::Format);
    }
    calendar_date(fields[0], fields[1], fields[2])
}

/// Parses a date from an import in the declared `order`.
///
/// The fields are separated by one kind of separator, `/`, `-` or `.`. The year has four digits
/// and the day and month one or two. An ISO `YYYY-MM-DD` date is accepted whatever the order. A date
/// that does not exist is [`DateError::Impossible`] and day and month are never swapped to make it
/// fit, so `13/25/2020` in [`DateOrder::DayMonthYear`] is rejected.
pub fn parse_date_in_order(
    input: &str,
    order: DateOrder,
    accepted: &[DigitScript],
) -> Result<Date, DateError> {
    let ascii = text::ascii_digits(&text::clean_text(input), accepted)?;
    let (separator, fields) = split_date_fields(&ascii).ok_or(DateError::Format)?;
    if is_iso_shape(separator, fields) {
        return calendar_date(fields[0], fields[1], fields[2]);
    }

    let [year, month, day] = match order {
        DateOrder::DayMonthYear => [fields[2], fields[1], fields[0]],
        DateOrder::MonthDayYear => [fields[2], fields[0], fields[1]],
        DateOrder::YearMonthDay => fields,
    };
    let is_short = |field: &str| (1..=2).contains(&field.len());
    if year.len() != 4 || !is_short(month) || !is_short(day) {
        return Err(DateError::Format);
    }
    calendar_date(year, month, day)
}

/// Splits `text` into three non-empty runs of ASCII digits joined by one separator, `/`, `-` or `.`.
fn split_date_fields(text: &str) -> Option<(char, [&str; 3])> {
    let separator = text.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(separator, '/' | '-' | '.') {
        return None;
    }

    let mut parts = text.split(separator);
    let fields = [parts.next()?, parts.next()?, parts.next()?];
    let all_digits =
        fields.iter().all(|field| !field.is_empty() && field.bytes().all(|b| b.is_ascii_digit()));
    (parts.next().is_none() && all_digits).then_some((separator, fields))
}

fn is_iso_shape(separator: char, fields: [&str; 3]) -> bool {
    separator == '-' && fields.map(str::len) == [4, 2, 2]
}

/// Builds a date from digit-only fields of at most four digits.
fn calendar_date(year: &str, month: &str, day: &str) -> Result<Date, DateError> {
    let year: i32 = year.parse().map_err(|_| DateError::Format)?;
    let month: u8 = month.parse().map_err(|_| DateError::Format)?;
    let day: u8 = day.parse().map_err(|_| DateError::Format)?;

    let month = Month::try_from(month).map_err(|_| DateError::Impossible)?;
    Date::from_calendar_date(year, month, day).map_err(|_| DateError::Impossible)
}

/// Formats `date` as `YYYY-MM-DD` with ASCII digits, whatever the display locale.
///
/// Years 0 to 9999 give the four-digit form that [`parse_date`] reads back. NOTE: `time::Date` can
/// also represent negative years, which come out with a leading `-` that [`parse_date`] rejects.
pub fn format_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// Returns the calendar date at the instant `now` in the deployment's zone.
///
/// The offset `now` carries does not matter, only the instant. With Asia/Dhaka (+360 minutes),
/// 2026-12-31T18:00:00Z is already 2027-01-01.
///
/// # Panics
///
/// If `utc_offset_minutes` is outside ±1559 minutes (25:59), the range of [`time::UtcOffset`].
/// Configuration validation accepts only -720 to 840.
pub fn today(now: OffsetDateTime, utc_offset_minutes: i32) -> Date {
    in_zone(now, utc_offset_minutes).date()
}

/// Returns the same instant expressed at the deployment's UTC offset, for display.
///
/// # Panics
///
/// If `utc_offset_minutes` is outside ±1559 minutes, as for [`today`].
pub fn in_zone(instant: OffsetDateTime, utc_offset_minutes: i32) -> OffsetDateTime {
    let offset = UtcOffset::from_whole_seconds(utc_offset_minutes.saturating_mul(60))
        .expect("the deployment's UTC offset is within ±25:59");
    instant.to_offset(offset)
}

/// Parses an RFC 3339 timestamp with a mandatory offset (`Z` or `+06:00`) as an instant.
///
/// The offset is kept as given. Use [`in_zone`] to show the instant in the deployment's zone. A
/// timestamp without an offset is [`DateError::Format`], because the instant it names is unknown. A
/// well-formed timestamp on a day that does not exist, such as 30 February, is [`DateError::Impossible`].
///
/// Parsing is the `time` 0.3 crate's RFC 3339 parser, which also accepts a lowercase `t` or `z` and
/// a space in place of `T`, as RFC 3339 section 5.6 allows. NOTE: it reads a leap second
/// (`23:59:60`) as 23:59:59.999999999.
pub fn parse_instant(input: &str) -> Result<OffsetDateTime, DateError> {
    OffsetDateTime::parse(&text::clean_text(input), &Rfc3339).map_err(|error| match error {
        time::error::Parse::TryFromParsed(_) => DateError::Impossible,
        _ => DateError::Format,
    })
}

/// Computes the age in whole calendar years on the date `on`.
///
/// The age goes up on the birthday. A 29 February birthday is reached on 1 March in years without
/// 29 February. The result is negative when `date_of_birth` is after `on`.
pub fn age_years(date_of_birth: Date, on: Date) -> i32 {
    let years = on.year() - date_of_birth.year();
    let birthday_reached =
        (u8::from(on.month()), on.day()) >= (u8::from(date_of_birth.month()), date_of_birth.day());
    if birthday_reached { years } else { years - 1 }
}

/// Computes the date of birth recorded for a child whose age is only estimated: `on` minus
/// `age_years` calendar years.
///
/// From 29 February, a target year without 29 February gives 28 February. That way
/// [`age_years`] returns `age_years` on `on`, which 1 March would not. Ages beyond the range of
/// `time::Date` (year -9999) give `Date::MIN`.
pub fn estimated_date_of_birth(age_years: u32, on: Date) -> Date {
    years_before(on, age_years).unwrap_or(Date::MIN)
}

/// Returns the date `years` calendar years before `date`, or `None` before the range of `time::Date`.
/// 29 February becomes 28 February when the target year has no 29 February.
fn years_before(date: Date, years: u32) -> Option<Date> {
    let year = i32::try_from(i64::from(date.year()) - i64::from(years)).ok()?;
    let is_leap_day = date.month() == Month::February && date.day() == 29;
    let day = if is_leap_day && !time::util::is_leap_year(year) { 28 } else { date.day() };
    Date::from_calendar_date(year, date.month(), day).ok()
}

/// A closed range of whole-year ages, such as 6-11. `max: None` means "and older".
///
/// A range with `min` above `max` contains no age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeRange {
    pub min: u32,
    pub max: Option<u32>,
}

/// The age groups used in reports unless a deployment configures its own: 0-5, 6-11, 12-17, 18+.
pub const STANDARD_AGE_RANGES: [AgeRange; 4] = [
    AgeRange { min: 0, max: Some(5) },
    AgeRange { min: 6, max: Some(11) },
    AgeRange { min: 12, max: Some(17) },
    AgeRange { min: 18, max: None },
];

impl AgeRange {
    /// Returns whether `age` lies in the range. A negative age never does.
    pub fn contains(&self, age: i32) -> bool {
        let Ok(age) = u32::try_from(age) else {
            return false;
        };
        age >= self.min && self.max.is_none_or(|max| age <= max)
    }

    /// Returns the label shown in reports: `0-5`, or `18+` when there is no maximum.
    pub fn label(&self) -> String {
        match self.max {
            Some(max) => format!("{}-{}", self.min, max),
            None => format!("{}+", self.min),
        }
    }

    /// Returns the earliest and latest date of birth, both inclusive, of a person whose age on
    /// `as_of` is in the range, so an age filter becomes an indexed date-of-birth range query.
    ///
    /// `None` means no bound on that side: the earliest date is `None` when there is no maximum age.
    /// A child whose birthday falls on `as_of` already has the new age. When no date of birth
    /// qualifies (`min` above `max`, or `min` beyond the range of `time::Date`), the earliest date
    /// comes back after the latest, which a `BETWEEN` query treats as empty.
    pub fn date_of_birth_bounds(&self, as_of: Date) -> (Option<Date>, Option<Date>) {
        let Some(latest) = years_before(as_of, self.min) else {
            return (Some(Date::MAX), Some(Date::MIN));
        };

        // Someone born on `limit` turns max + 1 on `as_of`, so the earliest date is the day after.
        let earliest = self
            .max
            .and_then(|max| max.checked_add(1))
            .and_then(|years| years_before(as_of, years))
            .and_then(Date::next_day);
        (earliest, Some(latest))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    use super::*;

    const BENGALI: &[DigitScript] = &[DigitScript::Bengali];

    // A date without a time stays a calendar date.

    #[test]
    fn date_round_trips_as_calendar_date() {
        let parsed = parse_date("2017-06-15", &[]).unwrap();
        assert_eq!(parsed, date!(2017 - 06 - 15));
        assert_eq!(format_date(parsed), "2017-06-15");
    }

    #[test]
    fn format_date_pads_year_month_and_day() {
        assert_eq!(format_date(date!(0999 - 01 - 02)), "0999-01-02");
    }

    #[test]
    fn parse_date_accepts_iso_only() {
        for input in
            ["15/06/2017", "2017-6-15", "2017/06/15", "2017-06-15T00:00:00Z", "17-06-15", "", "-2017-06-15"]
        {
            assert_eq!(parse_date(input, &[]), Err(DateError::Format), "input {input:?}");
        }
    }

    #[test]
    fn parse_date_thirty_first_february_impossible() {
        let error = parse_date("2015-02-31", &[]).unwrap_err();
        assert_eq!(error, DateError::Impossible);
        assert_eq!(error.code(), "impossible_date");
        assert_eq!(parse_date("2020-13-01", &[]), Err(DateError::Impossible));
        assert_eq!(parse_date("2020-00-10", &[]), Err(DateError::Impossible));
    }

    #[test]
    fn parse_date_leap_day_only_in_leap_year() {
        assert_eq!(parse_date("2024-02-29", &[]), Ok(date!(2024 - 02 - 29)));
        assert_eq!(parse_date("2023-02-29", &[]), Err(DateError::Impossible));
    }

    // Bengali digits are read, and the stored form is ASCII ISO 8601.

    #[test]
    fn parse_date_with_bengali_digits() {
        let parsed = parse_date(" ২০১৭-০৬-১৫ ", BENGALI).unwrap();
        assert_eq!(format_date(parsed), "2017-06-15");
    }

    #[test]
    fn parse_date_with_mixed_digits_rejected() {
        let error = parse_date("2017-০৬-১৫", BENGALI).unwrap_err();
        assert_eq!(error.code(), "mixed_digit_scripts");
    }

    #[test]
    fn parse_date_with_unaccepted_digits_rejected() {
        let error = parse_date("২০১৭-০৬-১৫", &[]).unwrap_err();
        assert_eq!(error.code(), "digit_script_not_accepted");
    }

    #[test]
    fn import_dates_in_day_month_year_order() {
        let day_first = DateOrder::DayMonthYear;
        assert_eq!(parse_date_in_order("15/06/2017", day_first, BENGALI), Ok(date!(2017 - 06 - 15)));
        assert_eq!(parse_date_in_order("১৫/০৬/২০১৭", day_first, BENGALI), Ok(date!(2017 - 06 - 15)));
        assert_eq!(parse_date_in_order("০১/০১/২০১৪", day_first, BENGALI), Ok(date!(2014 - 01 - 01)));
        assert_eq!(parse_date_in_order("০৩/০২/২০১৬", day_first, BENGALI), Ok(date!(2016 - 02 - 03)));
        assert_eq!(parse_date_in_order("3.2.2016", day_first, BENGALI), Ok(date!(2016 - 02 - 03)));
        assert_eq!(parse_date_in_order("03-02-2016", day_first, BENGALI), Ok(date!(2016 - 02 - 03)));
    }

    #[test]
    fn import_date_thirty_first_february_impossible() {
        let result = parse_date_in_order("৩১/০২/২০১৫", DateOrder::DayMonthYear, BENGALI);
        assert_eq!(result, Err(DateError::Impossible));
    }

    #[test]
    fn import_date_never_swaps_day_and_month() {
        let result = parse_date_in_order("13/25/2020", DateOrder::DayMonthYear, &[]);
        assert_eq!(result, Err(DateError::Impossible));
    }

    #[test]
    fn import_date_in_month_day_year_order() {
        let result = parse_date_in_order("06/15/2017", DateOrder::MonthDayYear, &[]);
        assert_eq!(result, Ok(date!(2017 - 06 - 15)));
    }

    #[test]
    fn import_date_in_year_month_day_order() {
        let result = parse_date_in_order("2017/6/5", DateOrder::YearMonthDay, &[]);
        assert_eq!(result, Ok(date!(2017 - 06 - 05)));
    }

    #[test]
    fn import_accepts_iso_date_in_any_order() {
        for order in [DateOrder::DayMonthYear, DateOrder::MonthDayYear, DateOrder::YearMonthDay] {
            assert_eq!(parse_date_in_order("2017-06-15", order, &[]), Ok(date!(2017 - 06 - 15)), "{order:?}");
        }
    }

    #[test]
    fn import_date_with_wrong_shape_rejected() {
        let day_first = DateOrder::DayMonthYear;
        for input in
            ["2017/06/15", "15/06-2017", "15/06/17", "015/06/2017", "15 06 2017", "15//2017", "1/2/3/2017"]
        {
            assert_eq!(parse_date_in_order(input, day_first, &[]), Err(DateError::Format), "input {input:?}");
        }
    }

    // "Today" is the date in the deployment's zone.

    #[test]
    fn today_in_dhaka_turns_at_local_midnight() {
        assert_eq!(today(datetime!(2026-12-31 18:00:00 UTC), 360), date!(2027 - 01 - 01));
        assert_eq!(today(datetime!(2026-12-31 17:59:59 UTC), 360), date!(2026 - 12 - 31));
    }

    #[test]
    fn today_ignores_offset_of_clock_reading() {
        let instant_in_new_york = datetime!(2026-12-31 13:00:00 -5);
        assert_eq!(today(instant_in_new_york, 360), date!(2027 - 01 - 01));
        assert_eq!(today(instant_in_new_york, 0), date!(2026 - 12 - 31));
    }

    // A timestamp with an offset is an instant, shown in the deployment's zone.

    #[test]
    fn instant_shown_in_deployment_zone() {
        let instant = parse_instant("2026-12-31T18:00:00Z").unwrap();
        let in_dhaka = in_zone(instant, 360);
        assert_eq!(in_dhaka, instant);
        assert_eq!(in_dhaka.offset(), UtcOffset::from_hms(6, 0, 0).unwrap());
        assert_eq!(in_dhaka.date(), date!(2027 - 01 - 01));
        assert_eq!(in_dhaka.hour(), 0);
    }

    #[test]
    fn instant_keeps_given_offset() {
        let instant = parse_instant("2027-01-01T00:00:00+06:00").unwrap();
        assert_eq!(instant, datetime!(2026-12-31 18:00:00 UTC));
        assert_eq!(instant.offset().whole_minutes(), 360);
    }

    #[test]
    fn instant_without_offset_rejected() {
        let error = parse_instant("2026-12-31T18:00:00").unwrap_err();
        assert_eq!(error, DateError::Format);
        assert_eq!(error.code(), "invalid_date_format");
        assert_eq!(parse_instant("2026-12-31"), Err(DateError::Format));
    }

    #[test]
    fn instant_on_thirtieth_february_impossible() {
        assert_eq!(parse_instant("2026-02-30T10:00:00Z"), Err(DateError::Impossible));
    }

    // Calendar ages, estimated dates of birth and age ranges.

    #[test]
    fn age_counts_calendar_years() {
        assert_eq!(age_years(date!(2017 - 06 - 15), date!(2024 - 06 - 20)), 7);
        assert_eq!(age_years(date!(2018 - 06 - 20), date!(2024 - 06 - 19)), 5);
        assert_eq!(age_years(date!(2018 - 06 - 20), date!(2024 - 06 - 20)), 6);
        // 365-day years would give 7 here, because of the leap days.
        assert_eq!(age_years(date!(2017 - 01 - 01), date!(2023 - 12 - 30)), 6);
    }

    #[test]
    fn twenty_ninth_february_birthday_reached_on_first_march() {
        let born = date!(2016 - 02 - 29);
        assert_eq!(age_years(born, date!(2025 - 02 - 28)), 8);
        assert_eq!(age_years(born, date!(2025 - 03 - 01)), 9);
        assert_eq!(age_years(born, date!(2024 - 02 - 28)), 7);
        assert_eq!(age_years(born, date!(2024 - 02 - 29)), 8);
    }

    #[test]
    fn age_before_birth_is_negative() {
        assert_eq!(age_years(date!(2024 - 06 - 20), date!(2024 - 06 - 19)), -1);
    }

    #[test]
    fn estimated_date_of_birth_gives_stated_age() {
        let registered = date!(2024 - 06 - 20);
        let estimated = estimated_date_of_birth(7, registered);
        assert_eq!(estimated, date!(2017 - 06 - 20));
        assert_eq!(age_years(estimated, registered), 7);
        // The age keeps moving after registration.
        assert_eq!(age_years(estimated, date!(2025 - 06 - 20)), 8);
    }

    #[test]
    fn leap_day_estimate_uses_28_february() {
        let registered = date!(2024 - 02 - 29);
        assert_eq!(estimated_date_of_birth(1, registered), date!(2023 - 02 - 28));
        assert_eq!(estimated_date_of_birth(4, registered), date!(2020 - 02 - 29));
        assert_eq!(age_years(estimated_date_of_birth(1, registered), registered), 1);
    }

    #[test]
    fn estimated_date_of_birth_beyond_calendar_saturates() {
        assert_eq!(estimated_date_of_birth(u32::MAX, date!(2024 - 06 - 20)), Date::MIN);
    }

    #[test]
    fn birthday_on_as_of_moves_range() {
        let as_of = date!(2024 - 06 - 20);
        let age = age_years(date!(2018 - 06 - 20), as_of);
        assert!(!STANDARD_AGE_RANGES[0].contains(age));
        assert!(STANDARD_AGE_RANGES[1].contains(age));
    }

    #[test]
    fn age_range_contains_both_ends() {
        let range = AgeRange { min: 6, max: Some(11) };
        assert!(!range.contains(5));
        assert!(range.contains(6));
        assert!(range.contains(11));
        assert!(!range.contains(12));
        assert!(!STANDARD_AGE_RANGES[0].contains(-1));
        assert!(STANDARD_AGE_RANGES[3].contains(90));
    }

    #[test]
    fn age_range_labels() {
        let labels: Vec<String> = STANDARD_AGE_RANGES.iter().map(AgeRange::label).collect();
        assert_eq!(labels, ["0-5", "6-11", "12-17", "18+"]);
    }

    #[test]
    fn age_range_serializes_open_end_as_null() {
        let json = serde_json::to_string(&STANDARD_AGE_RANGES[3]).unwrap();
        assert_eq!(json, r#"{"min":18,"max":null}"#);
    }

    #[test]
    fn date_of_birth_bounds_of_closed_range() {
        let bounds = AgeRange { min: 6, max: Some(11) }.date_of_birth_bounds(date!(2024 - 06 - 20));
        assert_eq!(bounds, (Some(date!(2012 - 06 - 21)), Some(date!(2018 - 06 - 20))));
    }

    #[test]
    fn date_of_birth_bounds_of_open_range() {
        let bounds = STANDARD_AGE_RANGES[3].date_of_birth_bounds(date!(2024 - 06 - 20));
        assert_eq!(bounds, (None, Some(date!(2006 - 06 - 20))));
    }

    #[test]
    fn date_of_birth_bounds_on_leap_day() {
        let bounds = STANDARD_AGE_RANGES[0].date_of_birth_bounds(date!(2024 - 02 - 29));
        assert_eq!(bounds, (Some(date!(2018 - 03 - 01)), Some(date!(2024 - 02 - 29))));
    }

    #[test]
    fn inverted_range_bounds_are_empty() {
        let (earliest, latest) =
            AgeRange { min: 10, max: Some(5) }.date_of_birth_bounds(date!(2024 - 06 - 20));
        assert!(earliest.unwrap() > latest.unwrap());
    }

    fn any_date() -> impl Strategy<Value = Date> {
        // 1900-01-01 to 2100-12-31 as Julian day numbers.
        (2_415_021..=2_488_434_i32).prop_map(|day| Date::from_julian_day(day).unwrap())
    }

    fn date_near_leap_day() -> impl Strategy<Value = Date> {
        (1990..2040_i32, prop::sample::select(vec![(2_u8, 28_u8), (2, 29), (3, 1)])).prop_map(
            |(year, (month, day))| {
                let month = Month::try_from(month).unwrap();
                Date::from_calendar_date(year, month, day)
                    .unwrap_or_else(|_| Date::from_calendar_date(year, month, 28).unwrap())
            },
        )
    }

    fn any_age_range() -> impl Strategy<Value = AgeRange> {
        (0..40_u32, prop::option::of(0..40_u32)).prop_map(|(min, max)| AgeRange { min, max })
    }

    fn bounds_contain(bounds: (Option<Date>, Option<Date>), date_of_birth: Date) -> bool {
        let (earliest, latest) = bounds;
        earliest.is_none_or(|earliest| date_of_birth >= earliest)
            && latest.is_none_or(|latest| date_of_birth <= latest)
    }

    proptest! {
        #[test]
        fn bounds_agree_with_age(range in any_age_range(), as_of in any_date(), born in any_date()) {
            let in_range = range.contains(age_years(born, as_of));
            prop_assert_eq!(bounds_contain(range.date_of_birth_bounds(as_of), born), in_range);
        }

        #[test]
        fn bounds_agree_with_age_near_leap_days(
            range in any_age_range(),
            as_of in date_near_leap_day(),
            born in date_near_leap_day(),
        ) {
            let in_range = range.contains(age_years(born, as_of));
            prop_assert_eq!(bounds_contain(range.date_of_birth_bounds(as_of), born), in_range);
        }

        #[test]
        fn estimated_date_of_birth_round_trips_age(age in 0..120_u32, on in any_date()) {
            prop_assert_eq!(age_years(estimated_date_of_birth(age, on), on), age as i32);
        }
    }
}
