//! Reports as tables, CSV and Markdown: each report is one or more titled sections.

use std::fmt::Write as _;

use super::{Grid, Style};
use crate::analysis::coverage::Coverage;
use crate::analysis::overlap::Ranked;
use crate::analysis::report::{
    FundingReport, Ids, OverdueRow, PartnerRow, PlaceRow, StatusRow, Summary, TimelineReport,
};
use crate::model::{Status, Window};

/// A titled table.
#[derive(Clone, Debug)]
pub struct Section {
    /// A heading, when the report has several parts.
    pub title: Option<String>,
    /// The rows.
    pub grid: Grid,
}

impl Section {
    fn new(title: Option<&str>, grid: Grid) -> Self {
        Self {
            title: title.map(ToString::to_string),
            grid,
        }
    }
}

/// How a report's sections are written out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Terminal tables.
    Table,
    /// CSV, sections separated by a blank line.
    Csv,
    /// Markdown, a `###` heading over each titled section.
    Markdown,
}

/// The sections, one after the other.
#[must_use]
pub fn write(sections: &[Section], layout: Layout, style: Style) -> String {
    let mut out = String::new();
    for (index, section) in sections.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        match layout {
            Layout::Table => {
                if let Some(title) = &section.title {
                    let _ = writeln!(out, "{}", style.paint("1", title));
                }
                out.push_str(&section.grid.table(style));
            }
            Layout::Csv => out.push_str(&section.grid.csv()),
            Layout::Markdown => {
                if let Some(title) = &section.title {
                    let _ = writeln!(out, "### {title}\n");
                }
                out.push_str(&section.grid.markdown());
            }
        }
    }
    out
}

/// `1, 2, 3`.
fn ids(ids: &Ids) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `planned 3, completed 1`: the non-zero counts, in status order.
fn statuses(counts: &std::collections::BTreeMap<Status, usize>) -> String {
    counts
        .iter()
        .map(|(status, n)| format!("{status} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `3 (4, 8, 9)`, or `0`.
fn count_ids(list: &Ids) -> String {
    if list.is_empty() {
        "0".into()
    } else {
        format!("{} ({})", list.len(), ids(list))
    }
}

/// `--by-partner`.
#[must_use]
pub fn by_partner(rows: &[PartnerRow]) -> Vec<Section> {
    let mut grid = Grid::new(&[
        "Partner",
        "Name",
        "Led",
        "Involved in",
        "By status",
        "Funding",
    ]);
    for row in rows {
        grid.push(vec![
            row.partner.clone(),
            row.name.clone().unwrap_or_default(),
            row.led.to_string(),
            row.involved_in.to_string(),
            statuses(&row.by_status),
            row.funding.iter().cloned().collect::<Vec<_>>().join(", "),
        ]);
    }
    vec![Section::new(None, grid)]
}

/// `--by-status`.
#[must_use]
pub fn by_status(rows: &[StatusRow]) -> Vec<Section> {
    let mut grid = Grid::new(&["Status", "Actions", "%", "Ids"]);
    for row in rows {
        grid.push(vec![
            row.status.to_string(),
            row.actions.to_string(),
            format!("{:.1}", row.percent),
            ids(&row.ids),
        ]);
    }
    let total: usize = rows.iter().map(|r| r.actions).sum();
    grid.push(vec![
        "total".into(),
        total.to_string(),
        "100.0".into(),
        String::new(),
    ]);
    vec![Section::new(None, grid)]
}

/// `--by-financing`.
#[must_use]
pub fn by_financing(report: &FundingReport) -> Vec<Section> {
    let mut grid = Grid::new(&["Source", "Name", "Actions", "Tentative", "Ids"]);
    for row in &report.sources {
        grid.push(vec![
            row.source.clone(),
            row.name.clone().unwrap_or_default(),
            row.actions.to_string(),
            row.tentative.to_string(),
            ids(&row.ids),
        ]);
    }
    let mut gaps = Grid::new(&["Gap", "Actions", "Ids"]);
    gaps.push(vec![
        "no financing (TBD)".into(),
        report.no_financing.len().to_string(),
        ids(&report.no_financing),
    ]);
    gaps.push(vec![
        "only tentative financing".into(),
        report.only_tentative.len().to_string(),
        ids(&report.only_tentative),
    ]);
    vec![
        Section::new(Some("Funding sources"), grid),
        Section::new(Some("Financing gaps"), gaps),
    ]
}

/// `--by-location`: names indented under the places that contain them.
#[must_use]
pub fn by_location(rows: &[PlaceRow]) -> Vec<Section> {
    let mut grid = Grid::new(&[
        "Place",
        "Name",
        "Kind",
        "Named by",
        "With places inside",
        "Ids",
    ]);
    for row in rows {
        grid.push(vec![
            format!("{}{}", "  ".repeat(row.depth), row.place),
            row.name.clone().unwrap_or_default(),
            row.kind.clone().unwrap_or_default(),
            row.direct.to_string(),
            row.total.to_string(),
            ids(&row.ids),
        ]);
    }
    vec![Section::new(None, grid)]
}

/// `--coverage`: every need, then the gaps.
#[must_use]
pub fn coverage(report: &Coverage) -> Vec<Section> {
    let mut grid = Grid::new(&["Need", "Text", "Actions", "Logframe rows"]);
    for need in &report.needs {
        let indent = if need.parent.is_some() { "  " } else { "" };
        grid.push(vec![
            format!("{indent}{}", need.need),
            need.text.clone(),
            ids(&need.actions),
            ids(&need.logframe),
        ]);
    }
    let mut gaps = Grid::new(&["Gap", "Needs"]);
    gaps.push(vec![
        "answered by no action".into(),
        report.no_action.join(", "),
    ]);
    gaps.push(vec![
        "answered by nothing at all".into(),
        report.nothing.join(", "),
    ]);
    vec![
        Section::new(Some("Needs of Annex 1 and what answers them"), grid),
        Section::new(Some("Gaps"), gaps),
    ]
}

/// `--overlaps`.
#[must_use]
pub fn overlaps(rows: &[Ranked]) -> Vec<Section> {
    let mut grid = Grid::new(&["Score", "Kind", "Actions", "Reason"]);
    for row in rows {
        grid.push(vec![
            format!("{:.2}", row.score),
            serde_json::to_value(row.kind)
                .ok()
                .and_then(|v| v.as_str().map(ToString::to_string))
                .unwrap_or_default(),
            ids(&row.actions),
            row.reason.clone(),
        ]);
    }
    vec![Section::new(None, grid)]
}

/// `--overdue`.
#[must_use]
pub fn overdue(rows: &[OverdueRow]) -> Vec<Section> {
    let mut grid = Grid::new(&[
        "#",
        "Action",
        "Lead",
        "Timeline",
        "Status",
        "Ended",
        "Months late",
    ]);
    for row in rows {
        grid.push(vec![
            row.id.to_string(),
            row.title.clone(),
            row.lead.join(", "),
            row.timeline.clone(),
            row.status.to_string(),
            row.ended.to_string(),
            row.months_late.to_string(),
        ]);
    }
    vec![Section::new(None, grid)]
}

/// No flag: the plan on one screen.
#[must_use]
pub fn summary(report: &Summary) -> Vec<Section> {
    let mut plan = Grid::new(&["Plan", ""]);
    plan.push(vec!["Title".into(), report.title.clone()]);
    plan.push(vec!["As of".into(), report.as_of.to_string()]);
    plan.push(vec!["Actions".into(), report.actions.to_string()]);
    plan.push(vec![
        "Complete".into(),
        format!("{:.1}%", report.percent_complete),
    ]);
    plan.push(vec![
        "Partners".into(),
        format!("{} ({} leading)", report.partners, report.lead_partners),
    ]);
    plan.push(vec!["No financing".into(), count_ids(&report.no_financing)]);
    plan.push(vec![
        "Only tentative financing".into(),
        count_ids(&report.only_tentative),
    ]);
    plan.push(vec!["Overdue".into(), count_ids(&report.overdue)]);
    plan.push(vec![
        "Validate".into(),
        format!("{} errors, {} warnings", report.errors, report.warnings),
    ]);
    let mut statuses = Grid::new(&["Status", "Actions", "%"]);
    for row in &report.by_status {
        statuses.push(vec![
            row.status.to_string(),
            row.actions.to_string(),
            format!("{:.1}", row.percent),
        ]);
    }
    let mut next = Grid::new(&["#", "Action", "Due by", "Status"]);
    for deadline in &report.next_deadlines {
        next.push(vec![
            deadline.id.to_string(),
            deadline.title.clone(),
            deadline.ends.to_string(),
            deadline.status.to_string(),
        ]);
    }
    vec![
        Section::new(Some("Summary"), plan),
        Section::new(Some("Actions by status"), statuses),
        Section::new(Some("Next deadlines"), next),
    ]
}

/// `--timeline` as rows (CSV, Markdown): each action's window; Markdown adds the bar.
#[must_use]
pub fn timeline_rows(report: &TimelineReport, bars: bool) -> Vec<Section> {
    let mut headers = vec!["#", "Action", "Status", "Timeline", "From", "To"];
    if bars {
        headers.push("Bar");
    }
    let mut grid = Grid::new(&headers);
    for row in &report.actions {
        let (from, to) = match &row.window {
            Some(Window::Within { start, end }) => (start.iso(), end.iso()),
            Some(Window::Deadline { end }) => (String::new(), end.iso()),
            Some(Window::Event { .. }) | None => (String::new(), String::new()),
        };
        let mut cells = vec![
            row.id.to_string(),
            row.title.clone(),
            row.status.to_string(),
            row.timeline.clone(),
            from,
            to,
        ];
        if bars {
            let bar: String = super::gantt::bar(report, row, 1)
                .into_iter()
                .map(|(c, _)| c)
                .collect();
            cells.push(format!("`{}`", bar.trim_end()));
        }
        grid.push(cells);
    }
    vec![Section::new(None, grid)]
}

/// `--results`: each logframe row's indicators, baseline → latest value → target and the
/// share of the way; a row without indicators says so.
#[must_use]
pub fn results(report: &crate::analysis::results::Results) -> Vec<Section> {
    let mut grid = Grid::new(&RESULT_HEADERS);
    for row in &report.rows {
        if row.indicators.is_empty() {
            grid.push(vec![
                row.id.to_string(),
                String::new(),
                "(no indicators)".into(),
                format!("outcome: {}", row.outcome),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for indicator in &row.indicators {
            grid.push(result_cells(row.id, indicator));
        }
    }
    vec![Section::new(None, grid)]
}

/// The columns of `--results`, in the report and the HTML export.
pub const RESULT_HEADERS: [&str; 8] = [
    "Row",
    "#",
    "Indicator",
    "Measures",
    "Baseline",
    "Latest",
    "Target",
    "Share",
];

/// One indicator's cells under [`RESULT_HEADERS`].
#[must_use]
pub fn result_cells(
    row: i64,
    indicator: &crate::analysis::results::IndicatorResult,
) -> Vec<String> {
    vec![
        row.to_string(),
        indicator.number.to_string(),
        indicator.text.clone(),
        format!("{}: {}", indicator.level, indicator.measures),
        indicator.baseline_text(),
        indicator.latest_text(),
        indicator.targets_text(),
        indicator.share_text(),
    ]
}
