//! Rules about results: each logframe row's indicators (what they measure, their baseline,
//! targets and progress against the plan's period), and the rows actions contribute to.

use super::{Context, Findings};
use crate::diagnostic::Code;
use crate::model::{Action, Indicator, Level, LogframeRow, Month, Sp};

/// The rules over one logframe row's indicators.
pub(super) fn row(context: &Context, findings: &mut Findings, file: &str, row: &LogframeRow) {
    let started = context
        .period
        .is_some_and(|(first, _)| first.first_day() <= context.as_of);
    for (index, indicator) in row.indicators().iter().enumerate() {
        let number = index + 1;
        let indicator = &indicator.value;
        level(findings, file, row, number, indicator);
        if started {
            missing(context, findings, file, number, indicator);
        }
        if let Some((first, last)) = context.period {
            dates(findings, file, number, indicator, (first, last));
        }
    }
}

/// The objective or output an indicator names must be one of its row's.
fn level(
    findings: &mut Findings,
    file: &str,
    row: &LogframeRow,
    number: usize,
    indicator: &Indicator,
) {
    let objectives = &row.objectives.value;
    let (at, problem) = match (indicator.level(), &indicator.objective, &indicator.output) {
        (Level::Outcome, None, Some(output)) => (
            output,
            "names an output but no objective: an output is of an objective".to_string(),
        ),
        (Level::Objective(k) | Level::Output(k, _), Some(at), _)
            if k == 0 || k as usize > objectives.len() =>
        {
            (
                at,
                format!(
                    "measures objective {k}, and the row has {} objective{}",
                    objectives.len(),
                    if objectives.len() == 1 { "" } else { "s" }
                ),
            )
        }
        (Level::Output(k, j), _, Some(at)) => {
            let outputs = objectives[k as usize - 1].value.outputs.len();
            if j != 0 && j as usize <= outputs {
                return;
            }
            (
                at,
                format!("measures output {j} of objective {k}, which has {outputs} output(s)"),
            )
        }
        _ => return,
    };
    findings
        .add(
            Code::UnknownResult,
            file,
            at,
            format!("indicator {number} {problem}"),
        )
        .help = Some(
        "objectives and their outputs are numbered from 1 in the order the row lists them".into(),
    );
}

/// A baseline and a target are due once the plan's period has begun.
fn missing(
    context: &Context,
    findings: &mut Findings,
    file: &str,
    number: usize,
    indicator: &Indicator,
) {
    let as_of = context.as_of;
    if indicator.baseline.is_none() {
        findings
            .add(
                Code::MissingBaseline,
                file,
                &indicator.text,
                format!("indicator {number} has no baseline, and the plan has begun (as of {as_of})"),
            )
            .help = Some(
            "record where it stood before: `iisg indicator edit --logframe N --indicator K --baseline V --baseline-year Y`"
                .into(),
        );
    }
    if indicator.targets.is_empty() {
        findings
            .add(
                Code::MissingTarget,
                file,
                &indicator.text,
                format!("indicator {number} has no target, and the plan has begun (as of {as_of})"),
            )
            .help = Some(
            "record where it should get to: `iisg indicator edit --logframe N --indicator K --target V --target-year Y`"
                .into(),
        );
    }
}

/// Targets and progress within the plan's period, progress not before the baseline.
fn dates(
    findings: &mut Findings,
    file: &str,
    number: usize,
    indicator: &Indicator,
    (first, last): (Month, Month),
) {
    for target in &indicator.targets {
        let year = &target.value.year;
        if year.value < first.year() || year.value > last.year() {
            findings
                .add(
                    Code::TargetOutsidePeriod,
                    file,
                    year,
                    format!(
                        "indicator {number} has a target for {}, outside the plan's period, {first} – {last}",
                        year.value
                    ),
                )
                .help = Some("set the target for a year of the period, or widen `period` in plan.yaml".into());
        }
    }
    let baseline_year = indicator.baseline.as_ref().map(|b| b.value.year.value);
    for progress in &indicator.progress {
        let period: &Sp<_> = &progress.value.period;
        if period.value.last() < first || period.value.first() > last {
            findings
                .add(
                    Code::ProgressOutsidePeriod,
                    file,
                    period,
                    format!(
                        "indicator {number} has a value for {}, outside the plan's period, {first} – {last}",
                        period.value
                    ),
                )
                .help = Some("correct the period, or widen `period` in plan.yaml".into());
        } else if let Some(year) = baseline_year
            && period.value.last().year() < year
        {
            findings
                .add(
                    Code::ProgressBeforeBaseline,
                    file,
                    period,
                    format!(
                        "indicator {number} has a value for {}, before its baseline year {year}",
                        period.value
                    ),
                )
                .help = Some("correct the period, or the baseline's year".into());
        }
    }
}

/// The rows an action contributes to must exist.
pub(super) fn contributes(context: &Context, findings: &mut Findings, file: &str, action: &Action) {
    let Some(rows) = &action.contributes_to else {
        return;
    };
    for id in &rows.value {
        if !context.logframe_ids.contains(&id.value) {
            findings
                .add(
                    Code::UnknownLogframeRow,
                    file,
                    id,
                    format!(
                        "the action contributes to logframe row {}, which does not exist",
                        id.value
                    ),
                )
                .help = Some(match context.logframe_ids.iter().max() {
                Some(highest) => format!(
                    "the plan's logframe rows are numbered up to {highest}: `iisg report --results` lists them"
                ),
                None => {
                    "the plan has no logframe rows yet: add one with `iisg add-logframe`".into()
                }
            });
        }
    }
}
