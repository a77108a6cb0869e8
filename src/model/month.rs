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
        Self::read(text).ok()
    }

    /// Reads `2019-07`, `July 2019` or `Jul 2019`, saying why when the text is not a month.
    ///
    /// # Errors
    /// When the text is in neither form, names no month, or a year the plan cannot cover.
    pub fn read(text: &str) -> Result<Self, MonthError> {
        let text = text.trim();
        let (year, month) = if let Some((year, month)) = text.split_once('-') {
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if year.len() != 4 || !(1..=2).contains(&month.len()) || !digits(year) || !digits(month)
            {
                return Err(MonthError::Form);
            }
            let month = month.parse().map_err(|_| MonthError::Form)?;
            (year, month)
        } else {
            let mut words = text.split_whitespace();
            let (Some(name), Some(year), None) = (words.next(), words.next(), words.next()) else {
                return Err(MonthError::Form);
            };
            (year, month_number(name).ok_or(MonthError::Form)?)
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MonthError::Form);
        }
        let year: u32 = year.parse().map_err(|_| MonthError::Form)?;
        if !(1..=12).contains(&month) {
            return Err(MonthError::NoSuchMonth(month));
        }
        Self::new(year, month).ok_or(MonthError::Year(year))
    }

    /// The ISO form, `2019-07`.
    #[must_use]
    pub fn iso(self) -> String {
        format!("{:04}-{:02}", self.year(), self.month())
    }
}

/// Why a text is not a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonthError {
    /// Neither `2019-07` nor `July 2019`.
    Form,
    /// A month number outside 1–12.
    NoSuchMonth(u32),
    /// A year outside the ones a plan may cover.
    Year(u32),
}

impl fmt::Display for MonthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Form => f.write_str("write it as `2019-07` or `July 2019`"),
            Self::NoSuchMonth(n) => write!(f, "there is no month {n}: write 1 to 12"),
            Self::Year(year) => write!(f, "{}", year_outside(*year)),
        }
    }
}

/// `the year 1000 is outside the years a plan may cover, 1900–2199`.
#[must_use]
pub fn year_outside(year: u32) -> String {
    format!(
        "the year {year} is outside the years a plan may cover, {}–{}",
        YEARS.start(),
        YEARS.end()
    )
}

/// The first four-digit number in `text` that is a year no plan may cover, e.g. 1000 in
/// `By 1000-01`.
#[must_use]
pub fn year_out_of_range(text: &str) -> Option<u32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|word| word.len() == 4)
        .filter_map(|word| word.parse().ok())
        .find(|year| !YEARS.contains(year))
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
        Self::read(&text).map_err(|e| {
            // After the field's name: "`start` must be a month, …".
            serde::de::Error::custom(match e {
                MonthError::Form | MonthError::NoSuchMonth(_) => {
                    format!("must be a month, not `{text}`\n{e}")
                }
                MonthError::Year(year) => format!(
                    "has the year {year}, outside the years a plan may cover ({}–{})\ncheck the year of `{text}`",
                    YEARS.start(),
                    YEARS.end()
                ),
            })
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
    fn says_why_a_text_is_not_a_month() {
        assert_eq!(Month::read("1000-01"), Err(MonthError::Year(1000)));
        assert_eq!(Month::read("July 2300"), Err(MonthError::Year(2300)));
        assert_eq!(Month::read("2019-13"), Err(MonthError::NoSuchMonth(13)));
        assert_eq!(Month::read("2019-+1"), Err(MonthError::Form));
        assert_eq!(Month::read("Juli 2018"), Err(MonthError::Form));
        assert_eq!(
            MonthError::Year(1000).to_string(),
            "the year 1000 is outside the years a plan may cover, 1900–2199"
        );
        assert_eq!(year_out_of_range("By 1000-01"), Some(1000));
        assert_eq!(year_out_of_range("Q2 2019"), None);
        assert_eq!(year_out_of_range("12345"), None);
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
