//! Timelines as people write them ("By May 2019", "Q2 2019", "After …"), read into windows of months.

use std::fmt;

use serde::Serialize;

use super::month::{Month, month_number, parse_year, year_out_of_range, year_outside};

/// The forms a timeline may take, shown whenever one does not parse.
pub const ACCEPTED_FORMS: &str = "accepted forms: `July 2018` or `2018-07` (that month), \
`By May 2019` (due by the end of that month), `2019` (that year), \
`March 2019 – June 2019` or `Q2 2019` (that range), \
`Starting after <event>` or `After <event>` (waits on an event), \
each optionally followed by a condition in brackets, e.g. `2019 (when MSs agree)`";

/// When an action happens, as far as its timeline says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Window {
    /// Some time within these months (one month, a quarter, a year or a range).
    Within {
        /// The first month of the window.
        start: Month,
        /// The last month of the window.
        end: Month,
    },
    /// Due by the end of this month; no start is given.
    Deadline {
        /// The month it is due by.
        end: Month,
    },
    /// Waits on an event; no dates until it happens.
    Event {
        /// The event, as written.
        event: String,
    },
}

impl Window {
    /// The first month, when the window has one.
    #[must_use]
    pub fn start(&self) -> Option<Month> {
        match self {
            Self::Within { start, .. } => Some(*start),
            Self::Deadline { .. } | Self::Event { .. } => None,
        }
    }

    /// The last month, when the window has one.
    #[must_use]
    pub fn end(&self) -> Option<Month> {
        match self {
            Self::Within { end, .. } | Self::Deadline { end } => Some(*end),
            Self::Event { .. } => None,
        }
    }
}

/// A parsed timeline: its window and an optional condition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Timeline {
    /// When it happens.
    #[serde(flatten)]
    pub window: Window,
    /// A condition written in brackets after the window, e.g. `when MSs agree`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// Why a timeline could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineError {
    /// What is wrong, in a few words.
    pub reason: String,
}

impl fmt::Display for TimelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for TimelineError {}

impl Timeline {
    /// Reads a timeline written in any of the [`ACCEPTED_FORMS`].
    ///
    /// # Errors
    /// When the text is in none of those forms, or a range ends before it starts.
    pub fn parse(text: &str) -> Result<Self, TimelineError> {
        let not_a_timeline = |reason: &str| TimelineError {
            reason: format!("`{}` is not a timeline: {reason}", text.trim()),
        };
        let (body, condition) = split_condition(text)
            .ok_or_else(|| not_a_timeline("brackets must hold one condition at the end"))?;
        let fail = |reason: &str| match year_out_of_range(body) {
            // Whatever the form, a year no plan covers is what to fix.
            Some(year) => TimelineError {
                reason: format!("`{}`: {}", text.trim(), year_outside(year)),
            },
            None => not_a_timeline(reason),
        };
        if body.is_empty() {
            return Err(fail("it is empty"));
        }
        if let Some(event) = strip_prefix_words(body, &["starting", "after"])
            .or_else(|| strip_prefix_words(body, &["after"]))
        {
            if event.is_empty() {
                return Err(fail("`After` needs an event"));
            }
            let window = Window::Event {
                event: event.to_string(),
            };
            return Ok(Self { window, condition });
        }
        let window = if let Some(rest) = strip_prefix_words(body, &["by"]) {
            let (_, end) = point(rest).ok_or_else(|| fail("`By` needs a month or year"))?;
            Window::Deadline { end }
        } else if let Some((left, right)) = split_range(body) {
            let (_, end) = point(right).ok_or_else(|| fail("the range does not end in a month"))?;
            let (start, _) = point(left)
                .or_else(|| {
                    // "March – June 2019": the first month borrows the second one's year.
                    let month = Month::new(end.year(), month_number(left)?)?;
                    Some((month, month))
                })
                .ok_or_else(|| fail("the range does not start with a month"))?;
            if start > end {
                return Err(fail("the range ends before it starts"));
            }
            Window::Within { start, end }
        } else {
            let (start, end) = point(body).ok_or_else(|| fail("unknown form"))?;
            Window::Within { start, end }
        };
        Ok(Self { window, condition })
    }
}

/// A month, quarter or year, as the first and last month it covers.
fn point(text: &str) -> Option<(Month, Month)> {
    let text = text.trim();
    if let Some(month) = Month::parse(text) {
        return Some((month, month));
    }
    if let Some(year) = parse_year(text) {
        return Some((Month::new(year, 1)?, Month::new(year, 12)?));
    }
    let mut words = text.split_whitespace();
    let (quarter, year) = (words.next()?, words.next()?);
    if words.next().is_some() {
        return None;
    }
    let quarter: u32 = quarter.strip_prefix(['Q', 'q'])?.parse().ok()?;
    if !(1..=4).contains(&quarter) {
        return None;
    }
    let year = parse_year(year)?;
    Some((
        Month::new(year, quarter * 3 - 2)?,
        Month::new(year, quarter * 3)?,
    ))
}

/// Splits `… (condition)` into the window text and the condition.
/// `None` when brackets do not balance.
fn split_condition(text: &str) -> Option<(&str, Option<String>)> {
    let text = text.trim();
    let opens = text.matches('(').count();
    if opens != text.matches(')').count() {
        return None;
    }
    if opens == 0 {
        return Some((text, None));
    }
    let start = text.find('(')?;
    let inner = text[start + 1..].strip_suffix(')')?;
    // Only one trailing bracketed condition is a condition; brackets elsewhere are not a form.
    if inner.contains(['(', ')']) {
        return None;
    }
    Some((text[..start].trim_end(), Some(inner.trim().to_string())))
}

/// Strips leading words, case-insensitively, returning the trimmed rest.
fn strip_prefix_words<'a>(text: &'a str, words: &[&str]) -> Option<&'a str> {
    let mut rest = text.trim_start();
    for word in words {
        let head = rest.get(..word.len())?;
        if !head.eq_ignore_ascii_case(word) {
            return None;
        }
        rest = &rest[word.len()..];
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            return None;
        }
        rest = rest.trim_start();
    }
    Some(rest.trim_end())
}

/// Splits a range at its separator: an en or em dash, a spaced hyphen, or ` to `.
fn split_range(text: &str) -> Option<(&str, &str)> {
    for separator in ['–', '—'] {
        if let Some((left, right)) = text.split_once(separator) {
            return Some((left.trim(), right.trim()));
        }
    }
    for separator in [" - ", " to "] {
        if let Some(at) = text.to_ascii_lowercase().find(separator) {
            return Some((text[..at].trim(), text[at + separator.len()..].trim()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    fn case(text: &str, window: &Window, condition: Option<&str>) {
        let parsed = Timeline::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(&parsed.window, window, "{text:?}");
        assert_eq!(parsed.condition.as_deref(), condition, "{text:?}");
    }

    fn within(start: &str, end: &str) -> Window {
        Window::Within {
            start: m(start),
            end: m(end),
        }
    }

    fn rejected(text: &str) {
        assert!(Timeline::parse(text).is_err(), "{text:?} should not parse");
    }

    #[test]
    fn one_month() {
        case("July 2018", &within("2018-07", "2018-07"), None);
        case("2018-07", &within("2018-07", "2018-07"), None);
        case("september 2019", &within("2019-09", "2019-09"), None);
    }

    #[test]
    fn deadline() {
        case("By May 2019", &Window::Deadline { end: m("2019-05") }, None);
        case("by 2019-12", &Window::Deadline { end: m("2019-12") }, None);
        case("By 2019", &Window::Deadline { end: m("2019-12") }, None);
        case("By Q1 2019", &Window::Deadline { end: m("2019-03") }, None);
    }

    #[test]
    fn year_and_quarter() {
        case("2019", &within("2019-01", "2019-12"), None);
        case("Q2 2019", &within("2019-04", "2019-06"), None);
        case("q4 2018", &within("2018-10", "2018-12"), None);
    }

    #[test]
    fn ranges() {
        case(
            "March 2019 – June 2019",
            &within("2019-03", "2019-06"),
            None,
        );
        case(
            "March 2019 - June 2019",
            &within("2019-03", "2019-06"),
            None,
        );
        case("March 2019—June 2019", &within("2019-03", "2019-06"), None);
        case("2019-03 to 2019-06", &within("2019-03", "2019-06"), None);
        case("March – June 2019", &within("2019-03", "2019-06"), None);
        case("Q3 2018 – Q2 2019", &within("2018-07", "2019-06"), None);
        case("2018 – 2019", &within("2018-01", "2019-12"), None);
    }

    #[test]
    fn conditions() {
        case(
            "2019 (when MSs agree)",
            &within("2019-01", "2019-12"),
            Some("when MSs agree"),
        );
        case(
            "By June 2019 (if funded)",
            &Window::Deadline { end: m("2019-06") },
            Some("if funded"),
        );
    }

    #[test]
    fn events() {
        case(
            "Starting after the entry into force of the respective Status Agreement",
            &Window::Event {
                event: "the entry into force of the respective Status Agreement".into(),
            },
            None,
        );
        case(
            "After the elections",
            &Window::Event {
                event: "the elections".into(),
            },
            None,
        );
    }

    #[test]
    fn rejections() {
        for text in [
            "",
            "   ",
            "TBD",
            "soon",
            "Juli 2018",
            "2019-13",
            "By",
            "By someday",
            "After",
            "Afterwards 2019",
            "June 2019 – March 2019",
            "2019 (when",
            "2019 (a) (b)",
            "Q5 2019",
            "Q0 2019",
            "Bygone 2019",
            "19",
            "– 2019",
            "2019 –",
        ] {
            rejected(text);
        }
    }

    #[test]
    fn error_names_the_text() {
        let error = Timeline::parse("soonish").unwrap_err();
        assert_eq!(error.reason, "`soonish` is not a timeline: unknown form");
        let error = Timeline::parse("By 1000-01 (if funded)").unwrap_err();
        assert_eq!(
            error.reason,
            "`By 1000-01 (if funded)`: the year 1000 is outside the years a plan may cover, 1900–2199"
        );
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        for text in [
            "é–",
            "–é",
            "(",
            ")",
            "By é",
            "Q",
            "Q€ 2019",
            "after\u{0}x",
            "\u{feff}2019",
        ] {
            let _ = Timeline::parse(text);
        }
    }
}
