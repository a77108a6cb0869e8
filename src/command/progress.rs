//! `iisg progress add|edit|remove`: the values reported for an indicator, one a reporting
//! period (a month, a quarter or a year), each with its source, date and a note.

use chrono::NaiveDate;

use super::Context;
use super::indicator::{Row, change, indicator};
use crate::error::Error;
use crate::model::IndicatorDraft;
use crate::model::{PERIOD_FORMS, ProgressDraft, ReportingPeriod, Value};
use crate::store::indicators::Edit;
use crate::store::{Change, Plan};

/// Arguments of `iisg progress`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do with an indicator's progress values
    #[command(subcommand)]
    pub command: Subcommand,
}

/// `iisg progress add`, `edit` or `remove`.
#[derive(Debug, clap::Subcommand)]
pub enum Subcommand {
    /// Report a value of an indicator for a period.
    Add(ValueArgs),
    /// Change the value reported for a period, or its source, date or note.
    Edit(EditArgs),
    /// Take the value reported for a period out.
    Remove(Which),
}

/// The indicator and the period.
#[derive(Debug, clap::Args)]
pub struct Which {
    /// The logframe row.
    #[command(flatten)]
    pub row: Row,
    /// The indicator, from 1 in the row's order
    #[arg(long, value_name = "K")]
    pub indicator: usize,
    /// The reporting period: a month (`2019-05`), a quarter (`2019-Q2`) or a year (`2019`)
    #[arg(long, value_parser = period)]
    pub period: ReportingPeriod,
}

/// What is said of a value besides itself.
#[derive(Debug, clap::Args)]
pub struct About {
    /// Where the value comes from (a report, a database, …)
    #[arg(
        long,
        value_name = "TEXT",
        allow_hyphen_values = true,
        help_heading = "Fields"
    )]
    pub source: Option<String>,
    /// The day it was measured or reported: YYYY-MM-DD, or `today`
    #[arg(long, value_name = "DATE", value_parser = super::input::date, help_heading = "Fields")]
    pub date: Option<NaiveDate>,
    /// Free text
    #[arg(
        long,
        value_name = "TEXT",
        allow_hyphen_values = true,
        help_heading = "Fields"
    )]
    pub note: Option<String>,
}

/// Arguments of `iisg progress add`.
#[derive(Debug, clap::Args)]
pub struct ValueArgs {
    /// The indicator and the period.
    #[command(flatten)]
    pub which: Which,
    /// The value: a number, or words for a qualitative indicator
    #[arg(
        long,
        value_name = "V",
        allow_hyphen_values = true,
        help_heading = "Fields"
    )]
    pub value: String,
    /// Its source, date and note.
    #[command(flatten)]
    pub about: About,
}

/// Arguments of `iisg progress edit`.
#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// The indicator and the period.
    #[command(flatten)]
    pub which: Which,
    /// The new value
    #[arg(
        long,
        value_name = "V",
        allow_hyphen_values = true,
        help_heading = "Fields"
    )]
    pub value: Option<String>,
    /// Its source, date and note.
    #[command(flatten)]
    pub about: About,
}

/// A reporting period as written on the command line.
fn period(text: &str) -> Result<ReportingPeriod, String> {
    ReportingPeriod::parse(text).ok_or_else(|| format!("`{text}` is not a period: {PERIOD_FORMS}"))
}

/// Runs `iisg progress`.
///
/// # Errors
/// When the row, indicator or period's value does not exist (or exists already, for
/// `add`), a value is empty, the change would add an error to the plan, or the file cannot
/// be written; nothing is written then.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    change(context, which(args).row.logframe, |row| made(args, row))
}

/// The indicator and period `args` name.
fn which(args: &Args) -> &Which {
    match &args.command {
        Subcommand::Add(a) => &a.which,
        Subcommand::Edit(a) => &a.which,
        Subcommand::Remove(a) => a,
    }
}

/// The change of the plan's files `args` makes, and what to say of it: as `run` writes
/// it, for `iisg serve`'s form.
///
/// # Errors
/// As [`run`], but for writing.
pub fn planned(plan: &Plan, args: &Args) -> Result<(Change, String), Error> {
    super::indicator::planned(plan, which(args).row.logframe, |row| made(args, row))
}

/// The row's indicators with `args` made to them.
fn made(args: &Args, row: &[IndicatorDraft]) -> Result<(Edit, String), Error> {
    let which = which(args);
    let (logframe, number, period) = (which.row.logframe, which.indicator, which.period);
    let mut draft = indicator(row, logframe, number)?.clone();
    let at = draft.progress.iter().rposition(|p| p.period == period);
    let done = match (&args.command, at) {
        (Subcommand::Add(a), None) => {
            let mut new = ProgressDraft {
                period,
                value: Value(nonempty("value", &a.value)?),
                source: None,
                date: None,
                note: None,
            };
            about(&mut new, &a.about)?;
            draft.progress.push(new);
            format!("indicator {number}: {period}: {} (added)", a.value)
        }
        (Subcommand::Add(_), Some(index)) => {
            return Err(Error::Refused {
                message: format!(
                    "indicator {number} of logframe row {logframe} has a value for {period} already: {}; nothing was written",
                    draft.progress[index].value
                ),
                help: Some(format!(
                    "change it with `iisg progress edit --logframe {logframe} --indicator {number} --period {period} --value V`"
                )),
            });
        }
        (Subcommand::Edit(a), Some(index)) => {
            let entry = &mut draft.progress[index];
            let old = entry.value.clone();
            if let Some(value) = &a.value {
                entry.value = Value(nonempty("value", value)?);
            }
            about(entry, &a.about)?;
            format!("indicator {number}: {period}: {old} → {}", entry.value)
        }
        (Subcommand::Remove(_), Some(index)) => {
            let old = draft.progress.remove(index);
            format!("indicator {number}: {period}: {} (removed)", old.value)
        }
        (Subcommand::Edit(_) | Subcommand::Remove(_), None) => {
            return Err(Error::Refused {
                message: format!(
                    "indicator {number} of logframe row {logframe} has no value for {period}; nothing was written"
                ),
                help: Some(format!(
                    "add one with `iisg progress add --logframe {logframe} --indicator {number} --period {period} --value V`"
                )),
            });
        }
    };
    Ok((Edit::Replace(number, draft), done))
}

/// A value that may not be empty.
fn nonempty(name: &str, value: &str) -> Result<String, Error> {
    if value.trim().is_empty() {
        return Err(Error::BadArgument(format!(
            "`--{name}` cannot be empty; nothing was written"
        )));
    }
    Ok(value.to_string())
}

/// The source, date and note given, put into `entry`.
fn about(entry: &mut ProgressDraft, about: &About) -> Result<(), Error> {
    if let Some(source) = &about.source {
        entry.source = Some(nonempty("source", source)?);
    }
    if let Some(date) = about.date {
        entry.date = Some(date);
    }
    if let Some(note) = &about.note {
        entry.note = Some(nonempty("note", note)?);
    }
    Ok(())
}
