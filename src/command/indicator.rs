//! `iisg indicator add|edit|remove`: the indicators of a logframe row — what is measured,
//! its unit, baseline, targets, source of verification and assumptions — changed in the
//! row's file, only that indicator's lines rewritten.

use super::Context;
use crate::error::Error;
use crate::model::{IndicatorDraft, LogframeRow, Month, Value};
use crate::store::indicators::{self, Edit};
use crate::store::{Change, Loaded, Plan, Record, Texts};

/// Arguments of `iisg indicator`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do with a logframe row's indicators
    #[command(subcommand)]
    pub command: Subcommand,
}

/// `iisg indicator add`, `edit` or `remove`.
#[derive(Debug, clap::Subcommand)]
pub enum Subcommand {
    /// Add an indicator to a logframe row: on its outcome, an objective or an output.
    Add(AddArgs),
    /// Change an indicator: the values given replace its own (`--target`s replace its
    /// targets); its progress stays.
    Edit(EditArgs),
    /// Take an indicator, with its progress, out of its row; those after it move up.
    Remove(RemoveArgs),
}

/// The logframe row, and what an indicator measures in it.
#[derive(Debug, clap::Args)]
pub struct Row {
    /// The logframe row (its id)
    #[arg(long, value_name = "N", value_parser = super::input::IdParser)]
    pub logframe: i64,
}

/// An indicator's values as flags.
#[derive(Debug, Default, clap::Args)]
pub struct Fields {
    /// The objective it measures, from 1 in the row's order (none: the row's outcome)
    #[arg(long, value_name = "K", help_heading = "Fields")]
    pub objective: Option<u32>,
    /// The output of that objective it measures, from 1 (needs `--objective`)
    #[arg(
        long,
        value_name = "J",
        requires = "objective",
        help_heading = "Fields"
    )]
    pub output: Option<u32>,
    /// What is measured, as written
    #[arg(long, allow_hyphen_values = true, help_heading = "Fields")]
    pub text: Option<String>,
    /// The unit of its values (`officers`, `%`); without one it is qualitative
    #[arg(long, allow_hyphen_values = true, help_heading = "Fields")]
    pub unit: Option<String>,
    /// Where it stood before: a number, or words for a qualitative indicator
    #[arg(
        long,
        value_name = "V",
        allow_hyphen_values = true,
        requires = "baseline_year",
        help_heading = "Fields"
    )]
    pub baseline: Option<String>,
    /// The year of the baseline
    #[arg(long, value_name = "Y", requires = "baseline", value_parser = year, help_heading = "Fields")]
    pub baseline_year: Option<u32>,
    /// A target value (repeatable, one for each milestone, each with a `--target-year`)
    #[arg(
        long,
        value_name = "V",
        allow_hyphen_values = true,
        help_heading = "Fields"
    )]
    pub target: Vec<String>,
    /// The year of the `--target` given in the same place (repeatable)
    #[arg(long, value_name = "Y", value_parser = year, help_heading = "Fields")]
    pub target_year: Vec<u32>,
    /// Sources and means of verification
    #[arg(
        long,
        value_name = "TEXT",
        allow_hyphen_values = true,
        help_heading = "Fields"
    )]
    pub verification: Option<String>,
    /// Assumptions its progress depends on
    #[arg(
        long,
        value_name = "TEXT",
        allow_hyphen_values = true,
        help_heading = "Fields"
    )]
    pub assumptions: Option<String>,
}

/// Arguments of `iisg indicator add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The logframe row.
    #[command(flatten)]
    pub row: Row,
    /// The indicator's values.
    #[command(flatten)]
    pub fields: Fields,
}

/// Arguments of `iisg indicator edit`.
#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// The logframe row.
    #[command(flatten)]
    pub row: Row,
    /// The indicator, from 1 in the row's order
    #[arg(long, value_name = "K")]
    pub indicator: usize,
    /// Make it measure the row's outcome again (not an objective or output)
    #[arg(long, conflicts_with_all = ["objective", "output"], help_heading = "Fields")]
    pub outcome: bool,
    /// The indicator's values.
    #[command(flatten)]
    pub fields: Fields,
}

/// Arguments of `iisg indicator remove`.
#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// The logframe row.
    #[command(flatten)]
    pub row: Row,
    /// The indicator, from 1 in the row's order
    #[arg(long, value_name = "K")]
    pub indicator: usize,
}

/// A year as a target or baseline may have.
fn year(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|y| Month::new(*y, 1).is_some())
        .ok_or_else(|| format!("`{text}` is not a year: write it in four digits, `2019`"))
}

/// Runs `iisg indicator`.
///
/// # Errors
/// When the row or indicator does not exist, a value is not valid, the change would add an
/// error to the plan, or the file cannot be written; nothing is written then.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    match &args.command {
        Subcommand::Add(args) => change(context, args.row.logframe, |row| {
            let mut draft = IndicatorDraft::default();
            fill(&mut draft, &args.fields)?;
            if draft.text.trim().is_empty() {
                return Err(Error::Missing("text"));
            }
            let number = row.len() + 1;
            Ok((Edit::Add(draft), format!("added indicator {number}")))
        }),
        Subcommand::Edit(args) => change(context, args.row.logframe, |row| {
            let mut draft = indicator(row, args.row.logframe, args.indicator)?.clone();
            if args.outcome {
                draft.objective = None;
                draft.output = None;
            }
            fill(&mut draft, &args.fields)?;
            let number = args.indicator;
            Ok((
                Edit::Replace(number, draft),
                format!("changed indicator {number}"),
            ))
        }),
        Subcommand::Remove(args) => change(context, args.row.logframe, |row| {
            let number = args.indicator;
            let old = indicator(row, args.row.logframe, number)?;
            let dropped = match old.progress.len() {
                0 => String::new(),
                1 => " and its progress value".into(),
                n => format!(" and its {n} progress values"),
            };
            Ok((
                Edit::Remove(number),
                format!("removed indicator {number} `{}`{dropped}", old.text),
            ))
        }),
    }
}

/// Indicator `number` of a row's, or why there is none.
pub(super) fn indicator(
    row: &[IndicatorDraft],
    logframe: i64,
    number: usize,
) -> Result<&IndicatorDraft, Error> {
    number
        .checked_sub(1)
        .and_then(|index| row.get(index))
        .ok_or_else(|| Error::Refused {
            message: match row.len() {
                0 => format!("logframe row {logframe} has no indicators; nothing was written"),
                n => format!(
                    "logframe row {logframe} has no indicator {number}: its indicators are 1 to {n}; nothing was written"
                ),
            },
            help: Some(format!(
                "`iisg report --results` lists each row's indicators; `iisg indicator add --logframe {logframe} …` adds one"
            )),
        })
}

/// The flags given, put into `draft`.
fn fill(draft: &mut IndicatorDraft, fields: &Fields) -> Result<(), Error> {
    let text = |name: &'static str, value: &Option<String>| -> Result<Option<String>, Error> {
        match value {
            Some(v) if v.trim().is_empty() => Err(Error::BadArgument(format!(
                "`--{name}` cannot be empty; nothing was written"
            ))),
            v => Ok(v.clone()),
        }
    };
    if let Some(t) = text("text", &fields.text)? {
        draft.text = t;
    }
    if let Some(k) = fields.objective {
        draft.objective = Some(k);
        draft.output = fields.output;
    }
    if let Some(unit) = text("unit", &fields.unit)? {
        draft.unit = Some(unit);
    }
    if let (Some(v), Some(y)) = (text("baseline", &fields.baseline)?, fields.baseline_year) {
        draft.baseline = Some((Value(v), y));
    }
    if fields.target.len() != fields.target_year.len() {
        return Err(Error::BadArgument(format!(
            "{} `--target` and {} `--target-year`: give each target its year \
             (`--target 60 --target-year 2019`); nothing was written",
            fields.target.len(),
            fields.target_year.len()
        )));
    }
    if !fields.target.is_empty() {
        draft.targets = Vec::new();
        for (value, year) in fields.target.iter().zip(&fields.target_year) {
            let value = text("target", &Some(value.clone()))?.unwrap_or_default();
            draft.targets.push((Value(value), *year));
        }
    }
    if let Some(v) = text("verification", &fields.verification)? {
        draft.verification = Some(v);
    }
    if let Some(a) = text("assumptions", &fields.assumptions)? {
        draft.assumptions = Some(a);
    }
    Ok(())
}

/// Changes the indicators of logframe row `logframe` as `make` says (given the row's
/// indicators, it gives the edit and what to tell), judged and written as one transaction.
///
/// # Errors
/// When there is no such row, `make` refuses, the file cannot be changed in place, the
/// change would add an error, or the file cannot be written.
pub(super) fn change(
    context: &mut Context,
    logframe: i64,
    make: impl FnOnce(&[IndicatorDraft]) -> Result<(Edit, String), Error>,
) -> Result<u8, Error> {
    let dir = context.data_dir()?;
    let lock = context.lock(&dir)?;
    let mut plan = context.load_for_change(dir, Texts::Keep)?;
    let (change, done) = planned(&plan, logframe, make)?;
    context.apply(&mut plan, &lock, std::slice::from_ref(&change))?;
    writeln!(context.out, "logframe row {logframe}: {done}")?;
    writeln!(context.out, "wrote {}", plan.dir.show(change.relative()))?;
    Ok(0)
}

/// The change of logframe row `logframe`'s file that `make` works out from its indicators,
/// and what to say of it (`indicator 1: 2019: 12 (added)`): what `iisg indicator` and
/// `iisg progress` write, and `iisg serve`'s forms.
///
/// # Errors
/// No such row; what `make` refuses; indicators written in a form not changed in place.
pub fn planned(
    plan: &Plan,
    logframe: i64,
    make: impl FnOnce(&[IndicatorDraft]) -> Result<(Edit, String), Error>,
) -> Result<(Change, String), Error> {
    let loaded = row(plan, logframe)?;
    let (edit, done) = make(&indicators::drafts(&loaded.record))?;
    let text = indicators::rewrite(loaded, &edit).map_err(|e| Error::Refused {
        message: format!("{e}; nothing was written"),
        help: Some(format!(
            "write the indicators one to a `- ` line, as `iisg indicator add` does, in an editor (`{}`)",
            loaded.file.shown()
        )),
    })?;
    let change = Change::Replace {
        relative: loaded.relative(),
        old: loaded.file.text.clone(),
        text,
    };
    Ok((change, done))
}

/// The one logframe row with the id.
fn row(plan: &Plan, id: i64) -> Result<&Loaded<LogframeRow>, Error> {
    let found: Vec<&Loaded<LogframeRow>> = LogframeRow::records(plan)
        .iter()
        .filter(|r| r.record.id.value == id)
        .collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::Refused {
            message: format!("no logframe row has id {id}; nothing was written"),
            help: Some("`iisg report --results` lists the rows and their indicators".into()),
        }),
        many => Err(Error::Refused {
            message: format!(
                "{} files hold logframe row {id}: {}; nothing was written",
                many.len(),
                many.iter()
                    .map(|r| format!("`{}`", r.file.shown()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            help: Some("give all but one a free id first".into()),
        }),
    }
}
