//! The EU logframe matrix: the results chain (each row's outcome, its objectives and their
//! outputs) beside the indicators of each level, their baselines, targets, current values,
//! sources of verification and assumptions.

use super::Grid;
use crate::analysis::results::{IndicatorResult, Results};

/// The matrix's columns.
pub const HEADERS: [&str; 7] = [
    "Results chain",
    "Indicators",
    "Baselines",
    "Targets",
    "Current values",
    "Sources of verification",
    "Assumptions",
];

/// One line of the matrix: a level of the results chain and its indicators, cells as lines.
#[must_use]
pub fn lines(results: &Results) -> Vec<[String; 7]> {
    let mut out = Vec::new();
    for row in &results.rows {
        let level = |level: &str| -> Vec<&IndicatorResult> {
            row.indicators.iter().filter(|i| i.level == level).collect()
        };
        let mut outcome = cells(
            format!("Outcome {}: {}", row.id, row.outcome),
            &level("outcome"),
        );
        if let Some(assumptions) = &row.assumptions {
            push_line(&mut outcome[6], assumptions);
        }
        out.push(outcome);
        for (k, objective) in row.objectives.iter().enumerate() {
            let k = k + 1;
            out.push(cells(
                format!("Objective {}.{k}: {}", row.id, objective.text),
                &level(&format!("objective {k}")),
            ));
            for (j, output) in objective.outputs.iter().enumerate() {
                let j = j + 1;
                out.push(cells(
                    format!("Output {}.{k}.{j}: {output}", row.id),
                    &level(&format!("output {k}.{j}")),
                ));
            }
        }
    }
    out
}

fn push_line(cell: &mut String, line: &str) {
    if !cell.is_empty() {
        cell.push('\n');
    }
    cell.push_str(line);
}

/// The cells of one level: its indicators numbered as in their row.
fn cells(chain: String, indicators: &[&IndicatorResult]) -> [String; 7] {
    let mut cells: [String; 7] = Default::default();
    cells[0] = chain;
    for i in indicators {
        let n = i.number;
        let unit = i
            .unit
            .as_deref()
            .map(|u| format!(" ({u})"))
            .unwrap_or_default();
        push_line(&mut cells[1], &format!("{n}. {}{unit}", i.text));
        push_line(&mut cells[2], &format!("{n}. {}", i.baseline_text()));
        push_line(&mut cells[3], &format!("{n}. {}", i.targets_text()));
        push_line(&mut cells[4], &format!("{n}. {}", i.latest_text()));
        let verification = i.verification.as_deref().unwrap_or("");
        push_line(&mut cells[5], &format!("{n}. {verification}"));
        if let Some(assumptions) = &i.assumptions {
            push_line(&mut cells[6], &format!("{n}. {assumptions}"));
        }
    }
    cells
}

/// The matrix as a table.
#[must_use]
pub fn grid(results: &Results) -> Grid {
    let mut grid = Grid::new(&HEADERS);
    for line in lines(results) {
        grid.push(line.to_vec());
    }
    grid
}
