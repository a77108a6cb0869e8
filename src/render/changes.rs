//! What changed, as tables and JSON: `changes` (records between two revisions) and `log` (one
//! record's commits).

use serde::Serialize;

use super::Grid;
use crate::analysis::changes::{Change, ChangeKind, Key, Kind};
use crate::analysis::history::Event;
use crate::model::FieldChange;

/// An empty value as shown in a table.
fn shown(value: &str) -> &str {
    if value.is_empty() { "(none)" } else { value }
}

/// One `field: old → new` line per changed field.
fn field_lines(fields: &[FieldChange]) -> String {
    fields
        .iter()
        .map(|f| format!("{}: {} → {}", f.field, shown(&f.old), shown(&f.new)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn kind(kind: Kind) -> &'static str {
    kind.as_str()
}

/// The line that opens `changes --format markdown`: `since 26 February 2019: 3 actions
/// completed, 2 actions added, 1 partner joined; as_of moved to 30 June 2019`.
#[must_use]
pub fn summary(since: &str, (records, plan): &(Vec<String>, Vec<String>)) -> String {
    let mut parts = Vec::new();
    if !records.is_empty() {
        parts.push(records.join(", "));
    }
    if !plan.is_empty() {
        parts.push(plan.join(", "));
    }
    if parts.is_empty() {
        parts.push("nothing changed".into());
    }
    format!(
        "Since {since}: {}.\n",
        super::cell::markdown_text(&parts.join("; "))
    )
}

/// The changes as a table (and Markdown): one row per record, its changed fields one a line.
#[must_use]
pub fn grid(changes: &[Change]) -> Grid {
    let mut grid = Grid::new(&["Kind", "Id", "Change", "Title", "Fields"]);
    for change in changes {
        grid.push(vec![
            kind(change.kind).into(),
            change.id.to_string(),
            change.change.as_str().into(),
            change.title.clone(),
            field_lines(&change.fields),
        ]);
    }
    grid
}

/// The changes as CSV rows: one row per changed field, one row for an added or removed
/// record, so that every cell holds one value.
#[must_use]
pub fn csv_grid(changes: &[Change]) -> Grid {
    let mut grid = Grid::new(&["kind", "id", "change", "title", "field", "old", "new"]);
    for change in changes {
        let head = vec![
            kind(change.kind).to_string(),
            change.id.to_string(),
            change.change.as_str().to_string(),
            change.title.clone(),
        ];
        push_field_rows(&mut grid, &head, &change.fields);
    }
    grid
}

/// One CSV row per changed field, each after `head`; one row with empty field cells when
/// no field changed (an added or removed record).
fn push_field_rows(grid: &mut Grid, head: &[String], fields: &[FieldChange]) {
    if fields.is_empty() {
        grid.push([head, &[String::new(), String::new(), String::new()]].concat());
    }
    for field in fields {
        let values = [
            field.field.to_string(),
            field.old.clone(),
            field.new.clone(),
        ];
        grid.push([head, &values].concat());
    }
}

/// One commit of an action's history as `log --format json` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct EventRow<'a> {
    /// The commit's full hash.
    pub commit: &'a str,
    /// The author date, strict ISO 8601.
    pub date: &'a str,
    /// The author's name.
    pub author: &'a str,
    /// The commit message's first line.
    pub subject: &'a str,
    /// `added`, `removed`, `modified`, `renumbered` or `renamed`.
    pub change: ChangeKind,
    /// The record's id (or code) after the commit; before it, when removed.
    pub id: &'a Key,
    /// The record's title (outcome, name) after the commit; before it, when removed.
    pub title: &'a str,
    /// The fields the commit changed.
    pub fields: &'a [FieldChange],
}

impl<'a> EventRow<'a> {
    /// The row of one event.
    #[must_use]
    pub fn new(event: &'a Event) -> Self {
        Self {
            commit: &event.commit.hash,
            date: &event.commit.date,
            author: &event.commit.author,
            subject: &event.commit.subject,
            change: event.change,
            id: &event.id,
            title: &event.title,
            fields: &event.fields,
        }
    }
}

/// What an event did, as a table cell: `added`, `removed`, or its fields one a line; a
/// renumber first says so (`renumbered 30 → 31`), then the other fields.
fn event_cell(event: &Event) -> String {
    match event.change {
        ChangeKind::Added | ChangeKind::Removed => event.change.as_str().to_string(),
        ChangeKind::Modified => field_lines(&event.fields),
        ChangeKind::Renumbered | ChangeKind::Renamed => {
            let (key, rest): (Vec<_>, Vec<_>) = event
                .fields
                .iter()
                .cloned()
                .partition(|f| matches!(f.field, "id" | "code"));
            let mut lines: Vec<String> = key
                .iter()
                .map(|k| format!("{} {} → {}", event.change.as_str(), k.old, k.new))
                .collect();
            if !rest.is_empty() {
                lines.push(field_lines(&rest));
            }
            lines.join("\n")
        }
    }
}

/// The history as a table (and Markdown): short hash, day, author, subject, the record's
/// title then, what changed.
#[must_use]
pub fn history_grid(events: &[Event]) -> Grid {
    let mut grid = Grid::new(&["Commit", "Date", "Author", "Subject", "Title", "Change"]);
    for event in events {
        grid.push(vec![
            event.commit.hash.chars().take(7).collect(),
            event.commit.date.chars().take(10).collect(),
            event.commit.author.clone(),
            event.commit.subject.clone(),
            event.title.clone(),
            event_cell(event),
        ]);
    }
    grid
}

/// The history as CSV rows: one row per changed field, one for an added or removed action.
#[must_use]
pub fn history_csv_grid(events: &[Event]) -> Grid {
    let mut grid = Grid::new(&[
        "commit", "date", "author", "subject", "id", "title", "change", "field", "old", "new",
    ]);
    for event in events {
        let head = vec![
            event.commit.hash.clone(),
            event.commit.date.clone(),
            event.commit.author.clone(),
            event.commit.subject.clone(),
            event.id.to_string(),
            event.title.clone(),
            event.change.as_str().to_string(),
        ];
        push_field_rows(&mut grid, &head, &event.fields);
    }
    grid
}
