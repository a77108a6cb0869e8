//! The validation rules' findings about the files an import stages, told where the user can
//! act on them: at the table's row and the column whose cell gave the field, never at a line
//! of a file that is not on disk.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::columns::Column;
use super::registry::Appended;
use super::row::Row;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Action, Pos};

/// A staged action file: the row it came from and where its fields are.
struct Staged {
    row: usize,
    stand_in: bool,
    /// Each field's line and column, in file order, with the column that gave it.
    fields: Vec<(u64, u64, Option<Column>)>,
}

/// Where each staged file came from.
pub struct Trace<'a> {
    table: &'a str,
    rows: &'a [Row],
    appended: &'a [Appended],
    /// The folder of the action files as shown (`data/actions/`), to find their paths in a
    /// message.
    folder: String,
    staged: HashMap<String, Staged>,
}

/// Where a finding is to be told.
pub enum Told {
    /// At a row of the table.
    Row(Diagnostic),
    /// At a file on disk, as the rules found it (a staged path in its text made a row).
    Elsewhere(Diagnostic),
    /// Not at all: it is about a cell whose problem is told already, or about a stand-in id.
    Dropped,
}

impl<'a> Trace<'a> {
    /// No staged file yet: `folder` is the action folder as shown, with its slash.
    pub fn new(table: &'a str, rows: &'a [Row], appended: &'a [Appended], folder: String) -> Self {
        Self {
            table,
            rows,
            appended,
            folder,
            staged: HashMap::new(),
        }
    }

    /// Notes that `action`, staged at `shown`, is row `row`'s (its index).
    pub fn staged(&mut self, shown: String, row: usize, stand_in: bool, action: &Action) {
        self.staged.insert(
            shown,
            Staged {
                row,
                stand_in,
                fields: fields(action),
            },
        );
    }

    /// Where `finding` is told, and how.
    pub fn tell(&self, mut finding: Diagnostic) -> Told {
        if let Some(staged) = self.staged.get(&finding.file) {
            let column = column_at(&staged.fields, finding.line, finding.column);
            if finding.code == Code::PossibleOverlap && self.names_a_stand_in(&finding, staged) {
                return Told::Dropped;
            }
            return self.at_row(finding, staged.row, column);
        }
        if let Some(appended) = self.appended.iter().find(|a| a.shown == finding.file)
            && (appended.created || finding.line > appended.kept_lines)
        {
            // The entry the line falls in; a finding about the whole of a new file, the first.
            let entry = appended
                .entries
                .iter()
                .rev()
                .find(|(first, ..)| *first <= finding.line)
                .or(appended.entries.first());
            if let Some(&(_, row, column)) = entry {
                return self.at_row(finding, row, Some(column));
            }
        }
        finding.message = self.rows_for_paths(&finding.message);
        finding.help = finding.help.map(|h| self.rows_for_paths(&h));
        Told::Elsewhere(finding)
    }

    fn at_row(&self, mut finding: Diagnostic, row: usize, column: Option<Column>) -> Told {
        let row = &self.rows[row];
        if column.is_some_and(|c| row.bad.contains(&c)) {
            return Told::Dropped;
        }
        finding.file = self.table.to_string();
        finding.width = 1;
        finding.message = self.rows_for_paths(&finding.message);
        finding.help = finding.help.map(|h| self.rows_for_paths(&h));
        Told::Row(finding.in_table(row.line, row.number, column.map(Column::heading)))
    }

    /// Whether an overlap finding is about a row checked under a stand-in id: its id is
    /// none the user gave, so no comparison with it means anything.
    fn names_a_stand_in(&self, finding: &Diagnostic, staged: &Staged) -> bool {
        staged.stand_in
            || self
                .paths(finding.help.as_deref().unwrap_or_default())
                .any(|(_, path)| self.staged.get(path).is_some_and(|s| s.stand_in))
    }

    /// The staged action files a text names: each with its byte range.
    fn paths<'t>(&self, text: &'t str) -> impl Iterator<Item = (std::ops::Range<usize>, &'t str)> {
        text.match_indices(self.folder.as_str())
            .map(move |(start, _)| {
                let name = &text[start + self.folder.len()..];
                let len = name
                    .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
                    .unwrap_or(name.len());
                let end = start + self.folder.len() + len;
                (start..end, &text[start..end])
            })
    }

    /// `text` with each staged file's path written as its row of the table.
    fn rows_for_paths(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut done = 0;
        for (range, path) in self.paths(text) {
            if let Some(staged) = self.staged.get(path) {
                out.push_str(&text[done..range.start]);
                let number = self.rows[staged.row].number;
                let _ = write!(out, "row {number} of `{}`", self.table);
                done = range.end;
            }
        }
        out.push_str(&text[done..]);
        out
    }
}

/// Where each field of an action is, with the column whose cell gave it (none for what the
/// table does not carry: `addresses`, `notes`).
fn fields(action: &Action) -> Vec<(u64, u64, Option<Column>)> {
    let mut at: Vec<(Pos, Option<Column>)> = vec![
        (action.id.referenced, Some(Column::Id)),
        (action.title.referenced, Some(Column::Action)),
        (action.lead.referenced, Some(Column::Lead)),
        (action.involved.referenced, Some(Column::Involved)),
        (action.locations.referenced, Some(Column::Location)),
        (action.scope.referenced, Some(Column::Scope)),
        (action.timeline.referenced, Some(Column::Timeline)),
        (action.status.referenced, Some(Column::Status)),
        (action.financing.referenced, Some(Column::Financing)),
    ];
    if let Some(by) = &action.requested_by {
        at.push((by.referenced, Some(Column::Status)));
    }
    if let Some(addresses) = &action.addresses {
        at.push((addresses.referenced, None));
    }
    if let Some(notes) = &action.notes {
        at.push((notes.referenced, None));
    }
    let mut fields: Vec<(u64, u64, Option<Column>)> = at
        .into_iter()
        .filter(|(pos, _)| pos.line() > 0)
        .map(|(pos, column)| (pos.line(), pos.column(), column))
        .collect();
    fields.sort_by_key(|&(line, column, _)| (line, column));
    fields
}

/// The column of the field a position falls in: the last field that starts at or before it.
fn column_at(fields: &[(u64, u64, Option<Column>)], line: u64, column: u64) -> Option<Column> {
    if line == 0 {
        return None;
    }
    fields
        .iter()
        .rev()
        .find(|&&(l, c, _)| (l, c) <= (line, column))
        .and_then(|&(.., found)| found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_falls_in_the_field_that_starts_before_it() {
        let fields = [
            (2, 5, Some(Column::Id)),
            (3, 7, Some(Column::Lead)),
            (5, 3, Some(Column::Involved)),
            (9, 8, None),
        ];
        assert_eq!(column_at(&fields, 3, 8), Some(Column::Lead));
        assert_eq!(column_at(&fields, 4, 1), Some(Column::Lead));
        assert_eq!(column_at(&fields, 6, 5), Some(Column::Involved));
        assert_eq!(column_at(&fields, 9, 8), None);
        assert_eq!(column_at(&fields, 1, 1), None);
        assert_eq!(column_at(&fields, 0, 0), None);
    }
}
