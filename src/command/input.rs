//! What people type, turned into what files hold: codes from names and aliases, funding
//! with a `?` for tentative money, need ids in any case.

use std::ffi::OsStr;

use clap::builder::TypedValueParser;
use clap::error::ErrorKind;

use crate::error::Error;
use chrono::{Datelike, NaiveDate};

use crate::model::{Entry, Funding, IdError, Month, MonthError, Registry, parse_id};
use crate::store::Plan;

/// Reads an id on the command line (`show ID`, `edit ID`, `log ID`, `renumber ID --to NEW`):
/// a whole number in [`IDS`](crate::model::IDS). A word is told to search for it instead.
#[derive(Clone, Copy, Debug)]
pub struct IdParser;

impl TypedValueParser for IdParser {
    type Value = i64;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<i64, clap::Error> {
        let text = value.to_string_lossy();
        parse_id(&text).map_err(|reason| {
            let search = if reason == IdError::NotANumber && !text.trim().is_empty() {
                format!(
                    "  help: to find an action by its title or scope: `iisg list --search {}`\n",
                    shell_word(&text)
                )
            } else {
                String::new()
            };
            let message = format!("`{text}` is not an id: {reason}\n{search}");
            clap::Error::raw(ErrorKind::ValueValidation, message).with_cmd(cmd)
        })
    }
}

/// Reads a date on the command line: `YYYY-MM-DD`, or `today` (the local date), in a year
/// a plan may cover.
///
/// # Errors
/// When the text is in neither form, or names no day of the calendar.
pub fn date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("today") {
        return Ok(chrono::Local::now().date_naive());
    }
    let not = |why: String| format!("`{text}` is not a date: {why}");
    let form = || not("write it as YYYY-MM-DD (`2019-02-26`), or `today`".into());
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts[..] else {
        return Err(form());
    };
    let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return Err(form());
    }
    let number = |s: &str| s.parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(year), number(month), number(day));
    let Some(first) = Month::new(year, month) else {
        let why = if (1..=12).contains(&month) {
            MonthError::Year(year)
        } else {
            MonthError::NoSuchMonth(month)
        };
        return Err(not(why.to_string()));
    };
    first
        .first_day()
        .with_day(day)
        .filter(|_| day > 0)
        .ok_or_else(|| not(format!("{first} has no day {day}")))
}

/// Reads a month on the command line: `YYYY-MM` or `July 2019`.
///
/// # Errors
/// When the text is neither, or names a month or year no plan has.
pub fn month(text: &str) -> Result<Month, String> {
    Month::read(text).map_err(|why| format!("`{}` is not a month: {why}", text.trim()))
}

/// The text as one shell word: as it is when it is plain, else in single quotes.
#[must_use]
pub fn shell_word(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ',' | ':'));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The registry code a person means, or an error with the closest code.
///
/// # Errors
/// When no code, alias or name matches.
pub fn resolve<E: Entry>(
    registry: &Registry<E>,
    text: Option<&str>,
) -> Result<Option<String>, Error> {
    let Some(text) = text else {
        return Ok(None);
    };
    match registry.resolve(text) {
        Some(entry) => Ok(Some(entry.code().value.clone())),
        None => Err(Error::UnknownCode {
            kind: E::KIND.noun(),
            adder: Some(E::KIND.command()),
            text: text.to_string(),
            suggestion: registry.suggest(text).map(ToString::to_string),
        }),
    }
}

/// Every value of a repeatable flag, each also split at commas, trimmed, empty ones dropped.
#[must_use]
pub fn split(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(ToString::to_string)
        .collect()
}

/// Codes for a list of names, codes or aliases.
///
/// # Errors
/// On the first one the registry does not know.
pub fn codes<E: Entry>(registry: &Registry<E>, values: &[String]) -> Result<Vec<String>, Error> {
    split(values)
        .iter()
        .map(|v| resolve(registry, Some(v)).map(Option::unwrap_or_default))
        .collect()
}

/// Funding entries; a trailing `?` marks one tentative, as the document writes it
/// (`TAIEX?`).
///
/// # Errors
/// On the first source the registry does not know.
pub fn funding(plan: &Plan, values: &[String]) -> Result<Vec<Funding>, Error> {
    split(values)
        .iter()
        .map(|v| {
            let (name, tentative) = match v.strip_suffix('?') {
                Some(name) => (name.trim_end(), true),
                None => (v.as_str(), false),
            };
            let source = resolve(&plan.funding, Some(name))?.unwrap_or_default();
            Ok(Funding { source, tentative })
        })
        .collect()
}

/// Need ids as the forums write them (`bp-7A` → `BP-7a`).
///
/// # Errors
/// On the first id no forum has.
pub fn needs(plan: &Plan, values: &[String]) -> Result<Vec<String>, Error> {
    let known: Vec<&str> = plan
        .forums
        .iter()
        .flat_map(|f| f.record.all_needs())
        .map(|(need, _)| need.id.value.as_str())
        .collect();
    split(values)
        .iter()
        .map(|v| {
            known
                .iter()
                .find(|k| k.eq_ignore_ascii_case(v))
                .map(ToString::to_string)
                .ok_or_else(|| Error::UnknownCode {
                    kind: "need",
                    adder: None,
                    text: v.clone(),
                    suggestion: known
                        .iter()
                        .find(|k| strsim::levenshtein(&k.to_lowercase(), &v.to_lowercase()) <= 1)
                        .map(ToString::to_string),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(text: &str, expected: Result<&str, &str>) {
        match (date(text), expected) {
            (Ok(day), Ok(want)) => assert_eq!(day.to_string(), want, "{text}"),
            (Err(why), Err(want)) => assert!(why.contains(want), "{text}: {why}"),
            (got, _) => panic!("{text}: {got:?}"),
        }
    }

    #[test]
    fn dates_as_written() {
        case("2019-02-26", Ok("2019-02-26"));
        case(" 2020-02-29 ", Ok("2020-02-29"));
        case("2019-02-29", Err("February 2019 has no day 29"));
        case("2019-02-00", Err("has no day 0"));
        case("2019-00-10", Err("there is no month 0"));
        case("2019-2-26", Err("YYYY-MM-DD"));
        case("26.02.2019", Err("YYYY-MM-DD"));
        case("0999-01-01", Err("the year 999 is outside"));
        let today = chrono::Local::now().date_naive();
        assert_eq!(date("Today"), Ok(today));
    }
}
