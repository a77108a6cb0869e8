//! Indicators of a logframe row, with their baseline, targets and the progress reported
//! against them: the results donors look for (the EU logframe's columns, IATI's result →
//! indicator → period).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use chrono::NaiveDate;

use super::{Month, Sp};

/// One indicator of a logframe row: on the row's outcome, one of its objectives, or one of
/// an objective's outputs.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// What is measured, as written.
    pub text: Sp<String>,
    /// The objective it measures (1 is the first); none: the row's outcome.
    #[serde(default)]
    pub objective: Option<Sp<u32>>,
    /// The output of that objective it measures (1 is the first).
    #[serde(default)]
    pub output: Option<Sp<u32>>,
    /// The unit of its values (`officers`, `%`); none: a qualitative indicator.
    #[serde(default)]
    pub unit: Option<Sp<String>>,
    /// Where it stood before: a value and its year.
    #[serde(default)]
    pub baseline: Option<Sp<Measure>>,
    /// Where it should get to: one or more milestones, each a value and its year.
    #[serde(default)]
    pub targets: Vec<Sp<Measure>>,
    /// Sources and means of verification.
    #[serde(default)]
    pub verification: Option<Sp<String>>,
    /// Assumptions the indicator's progress depends on.
    #[serde(default)]
    pub assumptions: Option<Sp<String>>,
    /// The values reported, each for a period.
    #[serde(default)]
    pub progress: Vec<Sp<Progress>>,
}

/// A value in a year: a baseline or a target.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// The value.
    pub value: Sp<Value>,
    /// Its year.
    pub year: Sp<u32>,
}

/// A value reported for a period.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// The month, quarter or year it is for.
    pub period: Sp<ReportingPeriod>,
    /// The value.
    pub value: Sp<Value>,
    /// Where it comes from.
    #[serde(default)]
    pub source: Option<Sp<String>>,
    /// The day it was measured or reported.
    #[serde(default)]
    pub date: Option<Sp<NaiveDate>>,
    /// Free text.
    #[serde(default)]
    pub note: Option<Sp<String>>,
}

/// A value as written: a number (`12`, `37.5`) or words (`adopted`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Value(pub String);

impl Value {
    /// The number it is, when it is one written in plain digits (`12`, `-3`, `37.5`).
    #[must_use]
    pub fn number(&self) -> Option<f64> {
        let text = self.0.trim();
        let digits = text.strip_prefix('-').unwrap_or(text);
        let mut parts = digits.splitn(2, '.');
        let whole = parts.next().unwrap_or_default();
        let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let fraction_ok = parts.next().is_none_or(plain);
        (plain(whole) && fraction_ok)
            .then(|| text.parse().ok())
            .flatten()
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Value {
    /// A number or a text, kept as written (a number as YAML read it).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl serde::de::Visitor<'_> for Either {
            type Value = Value;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a text")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Value, E> {
                Ok(Value(text.to_owned()))
            }

            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Value, E> {
                Ok(Value(n.to_string()))
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Value, E> {
                Ok(Value(n.to_string()))
            }

            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Value, E> {
                Ok(Value(n.to_string()))
            }

            fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Value, E> {
                Ok(Value(b.to_string()))
            }
        }
        deserializer.deserialize_any(Either)
    }
}

/// A reporting period: a month (`2019-05`), a quarter (`2019-Q2`) or a year (`2019`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportingPeriod {
    /// One month.
    Month(Month),
    /// A quarter of a year: the year and 1 to 4.
    Quarter(u32, u32),
    /// A whole year.
    Year(u32),
}

/// The forms a reporting period may take, shown when one does not read.
pub const PERIOD_FORMS: &str =
    "a reporting period is a month (`2019-05`), a quarter (`2019-Q2`) or a year (`2019`)";

impl ReportingPeriod {
    /// Reads `2019-05` (or `May 2019`), `2019-Q2` (or `Q2 2019`), or `2019`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
            let year = text.parse().ok()?;
            return Month::new(year, 1).map(|_| Self::Year(year));
        }
        let upper = text.to_ascii_uppercase();
        let quarter = upper
            .split_once("-Q")
            .or_else(|| upper.split_once(" Q"))
            .map(|(y, q)| (y.to_string(), q.to_string()))
            .or_else(|| {
                let (q, y) = upper.strip_prefix('Q')?.split_once(' ')?;
                Some((y.to_string(), q.to_string()))
            });
        if let Some((year, q)) = quarter {
            let year: u32 = year.trim().parse().ok()?;
            let q: u32 = q.trim().parse().ok()?;
            return ((1..=4).contains(&q) && Month::new(year, 1).is_some())
                .then_some(Self::Quarter(year, q));
        }
        Month::parse(text).map(Self::Month)
    }

    /// Its first month.
    ///
    /// # Panics
    /// Never for a period [`ReportingPeriod::parse`] read (its year is one a month has).
    #[must_use]
    pub fn first(self) -> Month {
        match self {
            Self::Month(m) => m,
            Self::Quarter(year, q) => Month::new(year, q * 3 - 2).expect("a quarter's month"),
            Self::Year(year) => Month::new(year, 1).expect("a year's month"),
        }
    }

    /// Its last month.
    ///
    /// # Panics
    /// Never for a period [`ReportingPeriod::parse`] read.
    #[must_use]
    pub fn last(self) -> Month {
        match self {
            Self::Month(m) => m,
            Self::Quarter(year, q) => Month::new(year, q * 3).expect("a quarter's month"),
            Self::Year(year) => Month::new(year, 12).expect("a year's month"),
        }
    }

    /// Its first day.
    #[must_use]
    pub fn first_day(self) -> NaiveDate {
        self.first().first_day()
    }

    /// Its last day.
    #[must_use]
    pub fn last_day(self) -> NaiveDate {
        self.last().last_day()
    }

    /// The order in which periods are latest: by last month, then the shorter one.
    #[must_use]
    pub fn order(self) -> (Month, Month) {
        (self.last(), self.first())
    }
}

impl fmt::Display for ReportingPeriod {
    /// The file form: `2019-05`, `2019-Q2`, `2019`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Month(m) => f.write_str(&m.iso()),
            Self::Quarter(year, q) => write!(f, "{year}-Q{q}"),
            Self::Year(year) => write!(f, "{year}"),
        }
    }
}

impl Serialize for ReportingPeriod {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReportingPeriod {
    /// Text or a bare year (`2019`, which YAML reads as a number).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::parse(&value.0).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "must be a reporting period, not `{value}`\n{PERIOD_FORMS}"
            ))
        })
    }
}

/// What an indicator measures: the row's outcome, an objective, or an output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The row's outcome.
    Outcome,
    /// Objective K (from 1).
    Objective(u32),
    /// Output J (from 1) of objective K.
    Output(u32, u32),
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Outcome => f.write_str("outcome"),
            Self::Objective(k) => write!(f, "objective {k}"),
            Self::Output(k, j) => write!(f, "output {k}.{j}"),
        }
    }
}

impl Indicator {
    /// What it measures.
    #[must_use]
    pub fn level(&self) -> Level {
        match (&self.objective, &self.output) {
            (None, _) => Level::Outcome,
            (Some(k), None) => Level::Objective(k.value),
            (Some(k), Some(j)) => Level::Output(k.value, j.value),
        }
    }

    /// The progress value of the latest period, when any is reported (of two for one
    /// period, the one written last).
    #[must_use]
    pub fn latest(&self) -> Option<&Progress> {
        self.progress
            .iter()
            .map(|p| &p.value)
            .enumerate()
            .max_by_key(|(index, p)| (p.period.value.order(), *index))
            .map(|(_, p)| p)
    }

    /// The last target: the one with the latest year (of two for one year, the one
    /// written last).
    #[must_use]
    pub fn final_target(&self) -> Option<&Measure> {
        self.targets
            .iter()
            .enumerate()
            .max_by_key(|(index, t)| (t.value.year.value, *index))
            .map(|(_, t)| &t.value)
    }

    /// How far from the baseline to the final target the latest value has come, as a
    /// share (0.5 half way; below 0 or above 1 when it went back or beyond); `None` unless
    /// the three are numbers and the target differs from the baseline.
    #[must_use]
    pub fn share(&self) -> Option<f64> {
        let baseline = self.baseline.as_ref()?.value.value.value.number()?;
        let target = self.final_target()?.value.value.number()?;
        let latest = self.latest()?.value.value.number()?;
        let way = target - baseline;
        (way != 0.0).then(|| (latest - baseline) / way)
    }
}

/// An indicator's fields as plain values: what the commands change and the store writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndicatorDraft {
    /// What is measured.
    pub text: String,
    /// The objective it measures (from 1); none: the outcome.
    pub objective: Option<u32>,
    /// The output of that objective (from 1).
    pub output: Option<u32>,
    /// The unit; none: qualitative.
    pub unit: Option<String>,
    /// The baseline: value and year.
    pub baseline: Option<(Value, u32)>,
    /// The targets: value and year, in file order.
    pub targets: Vec<(Value, u32)>,
    /// Sources and means of verification.
    pub verification: Option<String>,
    /// Assumptions.
    pub assumptions: Option<String>,
    /// The values reported, in file order.
    pub progress: Vec<ProgressDraft>,
}

/// A progress value's fields as plain values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressDraft {
    /// The period it is for.
    pub period: ReportingPeriod,
    /// The value.
    pub value: Value,
    /// Where it comes from.
    pub source: Option<String>,
    /// When it was measured or reported.
    pub date: Option<NaiveDate>,
    /// Free text.
    pub note: Option<String>,
}

impl From<&Indicator> for IndicatorDraft {
    fn from(indicator: &Indicator) -> Self {
        let text = |t: &Option<Sp<String>>| t.as_ref().map(|t| t.value.clone());
        let measure = |m: &Measure| (m.value.value.clone(), m.year.value);
        Self {
            text: indicator.text.value.clone(),
            objective: indicator.objective.as_ref().map(|o| o.value),
            output: indicator.output.as_ref().map(|o| o.value),
            unit: text(&indicator.unit),
            baseline: indicator.baseline.as_ref().map(|b| measure(&b.value)),
            targets: indicator
                .targets
                .iter()
                .map(|t| measure(&t.value))
                .collect(),
            verification: text(&indicator.verification),
            assumptions: text(&indicator.assumptions),
            progress: indicator
                .progress
                .iter()
                .map(|p| {
                    let p = &p.value;
                    ProgressDraft {
                        period: p.period.value,
                        value: p.value.value.clone(),
                        source: text(&p.source),
                        date: p.date.as_ref().map(|d| d.value),
                        note: text(&p.note),
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(text: &str, expected: Option<&str>) {
        assert_eq!(
            ReportingPeriod::parse(text)
                .map(|p| p.to_string())
                .as_deref(),
            expected,
            "{text:?}"
        );
    }

    #[test]
    fn periods_in_their_three_forms() {
        case("2019-05", Some("2019-05"));
        case("May 2019", Some("2019-05"));
        case("2019-Q2", Some("2019-Q2"));
        case("2019-q4", Some("2019-Q4"));
        case("Q2 2019", Some("2019-Q2"));
        case("2019", Some("2019"));
        for bad in ["2019-Q5", "2019-Q0", "2019-13", "19", "soon", "", "Q 2019"] {
            case(bad, None);
        }
        let q2 = ReportingPeriod::parse("2019-Q2").unwrap();
        assert_eq!(q2.first().iso(), "2019-04");
        assert_eq!(q2.last_day().to_string(), "2019-06-30");
        assert_eq!(
            ReportingPeriod::Year(2019).first_day().to_string(),
            "2019-01-01"
        );
    }

    #[test]
    fn numbers_are_plain_digits() {
        let n = |s: &str| Value(s.into()).number();
        assert_eq!(n("12"), Some(12.0));
        assert_eq!(n("-3"), Some(-3.0));
        assert_eq!(n("37.5"), Some(37.5));
        for text in [
            "1e3",
            "NaN",
            "inf",
            "12 officers",
            "",
            ".5",
            "5.",
            "adopted",
        ] {
            assert_eq!(n(text), None, "{text:?}");
        }
    }
}
