//! The whole plan as one document: Markdown that regenerates the meeting paper (the List of
//! Actions, Annex 1 by forum, Annex 2), CSV of the List of Actions, and JSON of everything.

use std::fmt::Write as _;
use std::io;

use serde::Serialize;

use super::action::{self, ActionRow};
use super::cell::markdown_text;
use super::grid::{markdown_head, markdown_row};
use super::{CsvRows, Grid, Stream};
use crate::analysis::coverage::NeedCoverage;
use crate::model::{Action, Entry, Forum, Need};
use crate::store::{Loaded, Plan};

/// The headings of the document's parts, as every export writes them.
pub const LIST_OF_ACTIONS: &str = "List of Actions";
/// Annex 1's heading.
pub const ANNEX_1: &str = "Annex 1: needs and conclusions of the regional meetings";
/// Annex 2's heading.
pub const ANNEX_2: &str = "Annex 2: logical framework";

/// The actions, sorted by id: an export makes each one's row as it writes it.
#[must_use]
pub fn actions_by_id(plan: &Plan) -> Vec<&Loaded<Action>> {
    let mut actions: Vec<&Loaded<Action>> = plan.actions.iter().collect();
    actions.sort_by_key(|a| a.record.id.value);
    actions
}

/// `Issued 26 February 2019 · July 2018 – December 2019 · statuses as of 26 February 2019`.
#[must_use]
pub fn subtitle(plan: &Plan) -> String {
    let Some(info) = &plan.info else {
        return String::new();
    };
    let info = &info.record;
    let mut parts = Vec::new();
    if let Some(issued) = &info.issued {
        parts.push(format!("Issued {}", issued.value.format("%-d %B %Y")));
    }
    parts.push(format!(
        "{} – {}",
        info.period.value.start.value, info.period.value.end.value
    ));
    if let Some(as_of) = info.as_of() {
        parts.push(format!("statuses as of {}", as_of.format("%-d %B %Y")));
    }
    parts.join(" · ")
}

/// The plan's title, or a plain one when plan.yaml could not be read.
#[must_use]
pub fn title(plan: &Plan) -> &str {
    plan.info
        .as_ref()
        .map_or("Plan of actions", |i| i.record.title.value.as_str())
}

/// The plan as a Markdown document, written to `out` a row at a time; the data's text shows
/// as written (no HTML reaches the renderer: see [`markdown_text`]).
pub fn markdown(plan: &Plan, out: &mut Stream) -> io::Result<()> {
    let _ = write!(out, "# {}\n\n", inline(title(plan)));
    let subtitle = subtitle(plan);
    if !subtitle.is_empty() {
        let _ = writeln!(out, "{}\n", inline(&subtitle));
    }
    let _ = writeln!(out, "## {LIST_OF_ACTIONS}\n");
    out.push_str(&markdown_head(&action::COLUMNS));
    for loaded in actions_by_id(plan) {
        out.push_str(&markdown_row(&action::cells(&ActionRow::new(loaded))));
        out.done()?;
    }
    if !plan.forums.is_empty() {
        let _ = writeln!(out, "\n## {ANNEX_1}");
        // What answers each need: the one answer `report --coverage` and the HTML give.
        let coverage = crate::analysis::coverage::coverage(plan);
        let answers = coverage.by_need();
        for forum in &plan.forums {
            out.push_str(&forum_markdown(&forum.record, &answers));
            out.done()?;
        }
    }
    if !plan.logframe.is_empty() {
        let _ = writeln!(out, "\n## {ANNEX_2}\n");
        out.push_str(&logframe_grid(plan).markdown());
        out.push_str("\n### Logframe matrix\n\n");
        let results = crate::analysis::results::results(plan);
        out.push_str(&super::matrix::grid(&results).markdown());
    }
    out.done()
}

/// The List of Actions as CSV, written to `out` a row at a time: `separator` between
/// cells, a byte-order mark first when `bom`.
pub fn csv(plan: &Plan, separator: u8, bom: bool, out: &mut dyn io::Write) -> io::Result<()> {
    if bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut csv = CsvRows::new(out, separator);
    csv.row(&action::COLUMNS)?;
    for loaded in actions_by_id(plan) {
        csv.row(&action::cells(&ActionRow::new(loaded)))?;
    }
    csv.finish()?;
    Ok(())
}

fn forum_markdown(
    forum: &Forum,
    answers: &std::collections::HashMap<&str, &NeedCoverage>,
) -> String {
    let mut out = format!("\n### {}\n\n", inline(forum_heading(forum)));
    let item = |need: &Need, indent: &str| {
        let answered = answers
            .get(need.id.value.as_str())
            .map_or_else(String::new, |n| format!(" *({})*", answered_by(n)));
        format!(
            "{indent}- **{}** {}{answered}\n",
            inline(&need.id.value),
            inline(&need.text.value)
        )
    };
    for need in &forum.needs.value {
        out.push_str(&item(&need.value, ""));
        for sub in &need.value.items {
            out.push_str(&item(&sub.value, "  "));
        }
    }
    out
}

/// A forum's heading in Annex 1: as the document writes it, else its name.
#[must_use]
pub fn forum_heading(forum: &Forum) -> &str {
    forum
        .heading
        .as_ref()
        .map_or(forum.name.value.as_str(), |h| h.value.as_str())
}

/// What answers a need, as Annex 1 tells it: `actions 1, 2; logframe rows 3`, or
/// `answered by nothing yet`.
#[must_use]
pub fn answered_by(need: &NeedCoverage) -> String {
    let list = |ids: &[i64]| {
        ids.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (need.actions.is_empty(), need.logframe.is_empty()) {
        (true, true) => "answered by nothing yet".to_string(),
        (false, true) => format!("actions {}", list(&need.actions)),
        (true, false) => format!("logframe rows {}", list(&need.logframe)),
        (false, false) => format!(
            "actions {}; logframe rows {}",
            list(&need.actions),
            list(&need.logframe)
        ),
    }
}

/// Text on one Markdown line, shown as written: line breaks as spaces, HTML as text.
fn inline(text: &str) -> String {
    markdown_text(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Annex 2: one row per objective, the outcome on its first, the outputs one a line.
#[must_use]
pub fn logframe_grid(plan: &Plan) -> Grid {
    let mut rows: Vec<_> = plan.logframe.iter().map(|r| &*r.record).collect();
    rows.sort_by_key(|r| r.id.value);
    let mut grid = Grid::new(&["Outcome", "Objective", "Output"]);
    for row in rows {
        let outcome = format!("{}. {}", row.id.value, row.outcome.value);
        if row.objectives.value.is_empty() {
            grid.push(vec![outcome.clone(), String::new(), String::new()]);
        }
        for (index, objective) in row.objectives.value.iter().enumerate() {
            let outputs: Vec<&str> = objective
                .value
                .outputs
                .iter()
                .map(|o| o.value.as_str())
                .collect();
            grid.push(vec![
                if index == 0 {
                    outcome.clone()
                } else {
                    String::new()
                },
                objective.value.text.value.clone(),
                outputs.join("\n"),
            ]);
        }
    }
    grid
}

/// Everything the plan holds, for `export --format json`.
#[derive(Serialize)]
pub struct Everything<'a> {
    /// plan.yaml.
    pub plan: Option<PlanView<'a>>,
    /// partners.yaml.
    pub partners: Vec<EntryView<'a>>,
    /// funding.yaml.
    pub funding: Vec<EntryView<'a>>,
    /// locations.yaml.
    pub locations: Vec<EntryView<'a>>,
    /// The forums of Annex 1 with their needs.
    pub forums: Vec<ForumView<'a>>,
    /// The actions, as `list --format json` gives them, each made as it is written.
    pub actions: Rows<'a>,
    /// The logframe rows of Annex 2.
    pub logframe: Vec<LogframeView<'a>>,
}

/// The actions by id, serialised as a list of [`ActionRow`]s made one at a time.
pub struct Rows<'a>(Vec<&'a Loaded<Action>>);

impl Serialize for Rows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|a| ActionRow::new(a)))
    }
}

/// plan.yaml.
#[derive(Serialize)]
pub struct PlanView<'a> {
    /// Title.
    pub title: &'a str,
    /// Issue date.
    pub issued: Option<chrono::NaiveDate>,
    /// First month.
    pub start: crate::model::Month,
    /// Last month.
    pub end: crate::model::Month,
    /// Statuses as of.
    pub as_of: Option<chrono::NaiveDate>,
    /// The coordinating partner.
    pub coordinator: Option<&'a str>,
}

/// A registry entry.
#[derive(Serialize)]
pub struct EntryView<'a> {
    /// Code.
    pub code: &'a str,
    /// Name.
    pub name: &'a str,
    /// Other spellings.
    pub aliases: Vec<&'a str>,
    /// Kind, provider or containing places, as the registry has them.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A forum.
#[derive(Serialize)]
pub struct ForumView<'a> {
    /// Code.
    pub code: &'a str,
    /// Name.
    pub name: &'a str,
    /// Heading as written.
    pub heading: Option<&'a str>,
    /// Place code.
    pub place: Option<&'a str>,
    /// First day.
    pub start: Option<chrono::NaiveDate>,
    /// Last day.
    pub end: Option<chrono::NaiveDate>,
    /// Needs, with sub-items.
    pub needs: Vec<NeedView<'a>>,
}

/// A need.
#[derive(Serialize)]
pub struct NeedView<'a> {
    /// Id.
    pub id: &'a str,
    /// Text.
    pub text: &'a str,
    /// Sub-items.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<NeedView<'a>>,
}

/// A logframe row.
#[derive(Serialize)]
pub struct LogframeView<'a> {
    /// Id.
    pub id: i64,
    /// Outcome.
    pub outcome: &'a str,
    /// Needs it answers.
    pub addresses: Vec<&'a str>,
    /// Objectives with their outputs.
    pub objectives: Vec<ObjectiveView<'a>>,
    /// The file it is kept in.
    pub file: &'a str,
}

/// An objective.
#[derive(Serialize)]
pub struct ObjectiveView<'a> {
    /// Text.
    pub text: &'a str,
    /// Outputs.
    pub outputs: Vec<&'a str>,
}

fn entry<'a, E: Entry>(entry: &'a E, extra: &[(&str, Option<serde_json::Value>)]) -> EntryView<'a> {
    EntryView {
        code: &entry.code().value,
        name: entry.name(),
        aliases: entry.aliases().iter().map(|a| a.value.as_str()).collect(),
        extra: extra
            .iter()
            .filter_map(|(k, v)| v.clone().map(|v| ((*k).to_string(), v)))
            .collect(),
    }
}

fn need(need: &Need) -> NeedView<'_> {
    NeedView {
        id: &need.id.value,
        text: &need.text.value,
        items: need.items.iter().map(|i| self::need(&i.value)).collect(),
    }
}

/// Gathers everything.
#[must_use]
pub fn everything(plan: &Plan) -> Everything<'_> {
    let text = |v: &Option<crate::model::Sp<String>>| v.as_ref().map(|s| s.value.clone().into());
    let mut logframe: Vec<LogframeView> = plan
        .logframe
        .iter()
        .map(|row| LogframeView {
            id: row.record.id.value,
            outcome: &row.record.outcome.value,
            addresses: row.record.addresses().collect(),
            objectives: row
                .record
                .objectives
                .value
                .iter()
                .map(|o| ObjectiveView {
                    text: &o.value.text.value,
                    outputs: o.value.outputs.iter().map(|x| x.value.as_str()).collect(),
                })
                .collect(),
            file: row.file.shown(),
        })
        .collect();
    logframe.sort_by_key(|r| r.id);
    Everything {
        plan: plan.info.as_ref().map(|i| PlanView {
            title: &i.record.title.value,
            issued: i.record.issued.as_ref().map(|d| d.value),
            start: i.record.period.value.start.value,
            end: i.record.period.value.end.value,
            as_of: i.record.as_of(),
            coordinator: i.record.coordinator.as_ref().map(|c| c.value.as_str()),
        }),
        partners: plan
            .partners
            .entries()
            .iter()
            .map(|p| entry(p, &[("kind", text(&p.kind))]))
            .collect(),
        funding: plan
            .funding
            .entries()
            .iter()
            .map(|f| entry(f, &[("provider", text(&f.provider))]))
            .collect(),
        locations: plan
            .places
            .entries()
            .iter()
            .map(|p| {
                let within: Vec<&str> = p.within.iter().map(|w| w.value.as_str()).collect();
                entry(
                    p,
                    &[("kind", text(&p.kind)), ("within", Some(within.into()))],
                )
            })
            .collect(),
        forums: plan
            .forums
            .iter()
            .map(|f| {
                let f = &f.record;
                ForumView {
                    code: &f.code.value,
                    name: &f.name.value,
                    heading: f.heading.as_ref().map(|h| h.value.as_str()),
                    place: f.place.as_ref().map(|p| p.value.as_str()),
                    start: f.start.as_ref().map(|d| d.value),
                    end: f.end.as_ref().map(|d| d.value),
                    needs: f.needs.value.iter().map(|n| need(&n.value)).collect(),
                }
            })
            .collect(),
        actions: Rows(actions_by_id(plan)),
        logframe,
    }
}
