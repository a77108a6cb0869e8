//! A calendar month, the unit every timeline window is measured in.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// English month names, in calendar order.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A month of a year, ordered in time; stored as months since year 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(u32);

/// The years a plan can sensibly talk about; anything else is a typo.
const YEARS: std::ops::RangeInclusive<u32> = 1900..=2199;

impl Month {
    /// The month `month` (1–12) of `year`, if both are in range.
    #[must_use]
    pub fn new(year: u32, month: u32) -> Option<Self> {
        (YEARS.contains(&year) && (1..=12).contains(&month)).then(|| Self(year * 12 + month - 1))
    }

    /// The month a date falls in.
    #[must_use]
    pub fn of_date(date: NaiveDate) -> Self {
        // chrono dates before year 0 do not occur in a plan; clamp rather than wrap.
        let year = u32::try_from(date.year()).unwrap_or(0);
        Self(year * 12 + date.month0())
    }

    /// The year, e.g. 2019.
    #[must_use]
    pub fn year(self) -> u32 {
        self.0 / 12
    }

    /// The month of the year, 1–12.
    #[must_use]
    pub fn month(self) -> u32 {
        self.0 % 12 + 1
    }

    /// The month `n` months later (or earlier, for negative `n`).
    #[must_use]
    pub fn plus(self, n: i32) -> Self {
        Self(self.0.saturating_add_signed(n))
    }

    /// How many months from `self` to `other` (negative when `other` is earlier).
    #[must_use]
    pub fn months_until(self, other: Self) -> i64 {
        i64::from(other.0) - i64::from(self.0)
    }

    /// The first day of the month.
    #[must_use]
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year().try_into().unwrap_or(0), self.month(), 1)
            .unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the month.
    #[must_use]
    pub fn last_day(self) -> NaiveDate {
        self.plus(1)
            .first_day()
            .pred_opt()
            .unwrap_or(NaiveDate::MIN)
    }

    /// The month's English name, e.g. `July`.
    #[must_use]
    pub fn name(self) -> &'static str {
        MONTH_NAMES[(self.0 % 12) as usize]
    }

    /// Reads `2019-07`, `July 2019` or `Jul 2019`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some((year, month)) = text.split_once('-') {
            if year.len() == 4 && (1..=2).contains(&month.len()) {
                return Self::new(year.parse().ok()?, month.parse().ok()?);
            }
            return None;
        }
        let mut words = text.split_whitespace();
        let (name, year) = (words.next()?, words.next()?);
        if words.next().is_some() {
            return None;
        }
        Self::new(parse_year(year)?, month_number(name)?)
    }

    /// The ISO form, `2019-07`.
    #[must_use]
    pub fn iso(self) -> String {
        format!("{:04}-{:02}", self.year(), self.month())
    }
}

/// A four-digit year in the accepted range.
#[must_use]
pub fn parse_year(text: &str) -> Option<u32> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = text.parse().ok()?;
    YEARS.contains(&year).then_some(year)
}

/// The number (1–12) of an English month name or its common abbreviation.
#[must_use]
pub fn month_number(name: &str) -> Option<u32> {
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    if lower == "sept" {
        return Some(9);
    }
    MONTH_NAMES
        .iter()
        .position(|full| {
            let full = full.to_ascii_lowercase();
            lower == full || (lower.len() == 3 && full.starts_with(&lower))
        })
        .and_then(|i| u32::try_from(i + 1).ok())
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name(), self.year())
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not a month: write it as `2019-07` or `July 2019`"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(text: &str, expected: Option<(u32, u32)>) {
        let got = Month::parse(text).map(|m| (m.year(), m.month()));
        assert_eq!(got, expected, "{text:?}");
    }

    #[test]
    fn parses_the_written_forms() {
        case("2019-07", Some((2019, 7)));
        case("2019-7", Some((2019, 7)));
        case("July 2018", Some((2018, 7)));
        case("jul 2018", Some((2018, 7)));
        case("Sept 2019", Some((2019, 9)));
        case("  December   2019 ", Some((2019, 12)));
    }

    #[test]
    fn rejects_the_rest() {
        case("2019-13", None);
        case("2019-00", None);
        case("Juli 2018", None);
        case("July", None);
        case("July 18", None);
        case("July 2018 x", None);
        case("0000-01", None);
        case("", None);
        case("9999999999-01", None);
    }

    #[test]
    fn arithmetic_and_days() {
        let m = Month::new(2019, 12).unwrap();
        assert_eq!(m.plus(1), Month::new(2020, 1).unwrap());
        assert_eq!(m.last_day(), NaiveDate::from_ymd_opt(2019, 12, 31).unwrap());
        assert_eq!(
            Month::new(2019, 2).unwrap().last_day(),
            NaiveDate::from_ymd_opt(2019, 2, 28).unwrap()
        );
        assert_eq!(Month::new(2018, 7).unwrap().months_until(m), 17);
        assert_eq!(m.to_string(), "December 2019");
        assert_eq!(m.iso(), "2019-12");
    }
}
