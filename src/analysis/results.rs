//! The results of the plan, computed as data: each logframe row, its indicators, and for
//! each the baseline, the latest value reported, the targets and how much of the way from
//! baseline to final target has been come. What `report --results`, the Markdown matrix,
//! the HTML export and the IATI export all read.

use serde::Serialize;

use crate::model::{Indicator, Level, LogframeRow, Measure, Progress, ReportingPeriod, Value};
use crate::store::Plan;

/// Every logframe row with its indicators, in id order.
#[derive(Clone, Debug, Serialize)]
pub struct Results {
    /// The rows.
    pub rows: Vec<RowResults>,
}

/// One logframe row's results.
#[derive(Clone, Debug, Serialize)]
pub struct RowResults {
    /// Its id.
    pub id: i64,
    /// Its outcome.
    pub outcome: String,
    /// Its objectives, each with its outputs.
    pub objectives: Vec<ObjectiveText>,
    /// The actions that say they contribute to it.
    pub actions: Vec<i64>,
    /// The row's own assumptions column, if written.
    pub assumptions: Option<String>,
    /// Its indicators, numbered from 1.
    pub indicators: Vec<IndicatorResult>,
    /// Its file.
    pub file: String,
}

/// An objective's text and its outputs'.
#[derive(Clone, Debug, Serialize)]
pub struct ObjectiveText {
    /// The objective.
    pub text: String,
    /// Its outputs.
    pub outputs: Vec<String>,
}

/// One indicator, where it stands.
#[derive(Clone, Debug, Serialize)]
pub struct IndicatorResult {
    /// Its number in its row, from 1.
    pub number: usize,
    /// What it measures: `outcome`, `objective 1`, `output 1.2`.
    pub level: String,
    /// The text of the outcome, objective or output it measures.
    pub measures: String,
    /// What is measured.
    pub text: String,
    /// The unit; `null`: qualitative.
    pub unit: Option<String>,
    /// The baseline; `null`: none yet.
    pub baseline: Option<Point>,
    /// The targets, in file order.
    pub targets: Vec<Point>,
    /// The value of the latest period reported; `null`: no data.
    pub latest: Option<Reported>,
    /// How far from the baseline to the final target the latest value has come (0.5 is half
    /// way); `null` unless all three are numbers.
    pub share: Option<f64>,
    /// Sources and means of verification.
    pub verification: Option<String>,
    /// Assumptions.
    pub assumptions: Option<String>,
    /// Every value reported, in period order.
    pub progress: Vec<Reported>,
}

/// A value in a year.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// The value, as written.
    pub value: Value,
    /// Its year.
    pub year: u32,
}

/// A value reported for a period.
#[derive(Clone, Debug, Serialize)]
pub struct Reported {
    /// The period: `2019-05`, `2019-Q2`, `2019`.
    pub period: ReportingPeriod,
    /// The value, as written.
    pub value: Value,
    /// Where it comes from.
    pub source: Option<String>,
    /// The day it was measured or reported.
    pub date: Option<chrono::NaiveDate>,
    /// Free text.
    pub note: Option<String>,
}

impl From<&Measure> for Point {
    fn from(m: &Measure) -> Self {
        Self {
            value: m.value.value.clone(),
            year: m.year.value,
        }
    }
}

impl From<&Progress> for Reported {
    fn from(p: &Progress) -> Self {
        let text = |t: &Option<crate::model::Sp<String>>| t.as_ref().map(|t| t.value.clone());
        Self {
            period: p.period.value,
            value: p.value.value.clone(),
            source: text(&p.source),
            date: p.date.as_ref().map(|d| d.value),
            note: text(&p.note),
        }
    }
}

/// The results of every logframe row of `plan`, rows in id order.
#[must_use]
pub fn results(plan: &Plan) -> Results {
    let mut rows: Vec<RowResults> = plan
        .logframe
        .iter()
        .map(|loaded| {
            let row = &loaded.record;
            let mut actions: Vec<i64> = plan
                .actions
                .iter()
                .filter(|a| a.record.contributes_to().any(|id| id == row.id.value))
                .map(|a| a.record.id.value)
                .collect();
            actions.sort_unstable();
            actions.dedup();
            RowResults {
                id: row.id.value,
                outcome: row.outcome.value.clone(),
                objectives: row
                    .objectives
                    .value
                    .iter()
                    .map(|o| ObjectiveText {
                        text: o.value.text.value.clone(),
                        outputs: o.value.outputs.iter().map(|x| x.value.clone()).collect(),
                    })
                    .collect(),
                actions,
                assumptions: row.assumptions.as_ref().map(|a| a.value.clone()),
                indicators: row
                    .indicators()
                    .iter()
                    .enumerate()
                    .map(|(index, i)| indicator(row, index + 1, &i.value))
                    .collect(),
                file: loaded.file.shown().to_string(),
            }
        })
        .collect();
    rows.sort_by_key(|r| r.id);
    Results { rows }
}

/// One indicator's standing.
fn indicator(row: &LogframeRow, number: usize, indicator: &Indicator) -> IndicatorResult {
    let level = indicator.level();
    let text = |t: &Option<crate::model::Sp<String>>| t.as_ref().map(|t| t.value.clone());
    let mut progress: Vec<Reported> = indicator
        .progress
        .iter()
        .map(|p| (&p.value).into())
        .collect();
    progress.sort_by_key(|p| p.period.order());
    IndicatorResult {
        number,
        level: level.to_string(),
        measures: measured(row, level).unwrap_or_default(),
        text: indicator.text.value.clone(),
        unit: text(&indicator.unit),
        baseline: indicator.baseline.as_ref().map(|b| (&b.value).into()),
        targets: indicator
            .targets
            .iter()
            .map(|t| (&t.value).into())
            .collect(),
        latest: indicator.latest().map(Into::into),
        share: indicator.share(),
        verification: text(&indicator.verification),
        assumptions: text(&indicator.assumptions),
        progress,
    }
}

/// The text of what `level` names in `row`, when the row has it.
#[must_use]
pub fn measured(row: &LogframeRow, level: Level) -> Option<String> {
    let objective = |k: u32| {
        k.checked_sub(1)
            .and_then(|i| row.objectives.value.get(i as usize))
    };
    match level {
        Level::Outcome => Some(row.outcome.value.clone()),
        Level::Objective(k) => objective(k).map(|o| o.value.text.value.clone()),
        Level::Output(k, j) => objective(k)
            .and_then(|o| {
                j.checked_sub(1)
                    .and_then(|i| o.value.outputs.get(i as usize))
            })
            .map(|o| o.value.clone()),
    }
}

impl IndicatorResult {
    /// A value with the unit: `25 officers`, `adopted`.
    #[must_use]
    pub fn with_unit(&self, value: &Value) -> String {
        match (&self.unit, value.number()) {
            (Some(unit), Some(_)) => format!("{value} {unit}"),
            _ => value.to_string(),
        }
    }

    /// `0 officers (2018)`, or `no data`.
    #[must_use]
    pub fn baseline_text(&self) -> String {
        self.baseline.as_ref().map_or_else(
            || NO_DATA.to_string(),
            |b| format!("{} ({})", self.with_unit(&b.value), b.year),
        )
    }

    /// `60 officers (2019); 120 officers (2020)`, or `no data`.
    #[must_use]
    pub fn targets_text(&self) -> String {
        if self.targets.is_empty() {
            return NO_DATA.to_string();
        }
        let targets: Vec<String> = self
            .targets
            .iter()
            .map(|t| format!("{} ({})", self.with_unit(&t.value), t.year))
            .collect();
        targets.join("; ")
    }

    /// `25 officers (2019-Q1)`, or `no data`.
    #[must_use]
    pub fn latest_text(&self) -> String {
        self.latest.as_ref().map_or_else(
            || NO_DATA.to_string(),
            |p| format!("{} ({})", self.with_unit(&p.value), p.period),
        )
    }

    /// `42%`; `no data` without a value; `–` when it cannot be measured (words, or a
    /// missing baseline or target).
    #[must_use]
    pub fn share_text(&self) -> String {
        match (self.share, &self.latest) {
            (Some(share), _) => format!("{:.0}%", share * 100.0),
            (None, None) => NO_DATA.to_string(),
            (None, Some(_)) => "–".to_string(),
        }
    }
}

/// What stands where a value is not reported.
pub const NO_DATA: &str = "no data";
