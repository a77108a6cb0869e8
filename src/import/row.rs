//! One row of cells read as the document writes them, into an action and the problems of its
//! cells.

use std::collections::BTreeMap;

use super::columns::{Column, Columns};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::RegistryKind;
use crate::model::cell::{self, mend_hyphenation};
use crate::model::{ActionDraft, Entry, Funding, IdError, Registry, Status, parse_id};
use crate::render::cell::from_spreadsheet;
use crate::store::Plan;

/// A name no registry knows.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Missing {
    /// The registry it would go into.
    pub kind: RegistryKind,
    /// The name as the cell writes it.
    pub text: String,
}

/// One data row, read into an action.
#[derive(Debug)]
pub struct Row {
    /// The line of the table it starts on.
    pub line: u64,
    /// Its 1-based number among the data rows.
    pub number: usize,
    /// The id its `#` gives; `None` when the cell is empty or no id.
    pub id: Option<i64>,
    /// The action it makes (id 0 until one is given).
    pub draft: ActionDraft,
    /// The columns whose cells have a problem, already told.
    pub bad: Vec<Column>,
}

/// Every row read, with what was wrong in their cells and the names no registry knows.
pub struct Read {
    /// The rows, in table order.
    pub rows: Vec<Row>,
    /// The problems of their cells, in row order.
    pub findings: Vec<Diagnostic>,
    /// Each unknown name, with the row (its index) and column that named it first.
    pub missing: BTreeMap<Missing, (usize, Column)>,
}

/// Reads every row of a table whose columns are `columns`; `file` is the table as shown.
#[must_use]
pub fn read_rows(rows: &[(u64, Vec<String>)], columns: Columns, plan: &Plan, file: &str) -> Read {
    let mut read = Read {
        rows: Vec::with_capacity(rows.len()),
        findings: Vec::new(),
        missing: BTreeMap::new(),
    };
    for (index, (line, cells)) in rows.iter().enumerate() {
        let mut reader = RowReader {
            file,
            line: *line,
            row: index + 1,
            cells,
            columns,
            findings: &mut read.findings,
            missing: Vec::new(),
            notes: Vec::new(),
            bad: Vec::new(),
        };
        let row = reader.read(plan);
        for (missing, column) in reader.missing {
            read.missing.entry(missing).or_insert((index, column));
        }
        read.rows.push(row);
    }
    read
}

/// Reads the cells of one row.
struct RowReader<'a> {
    file: &'a str,
    line: u64,
    row: usize,
    cells: &'a [String],
    columns: Columns,
    findings: &'a mut Vec<Diagnostic>,
    missing: Vec<(Missing, Column)>,
    notes: Vec<String>,
    bad: Vec<Column>,
}

impl RowReader<'_> {
    /// The cell's text: hyphenation mended, trimmed, and without the apostrophe `export`
    /// puts before text a spreadsheet would run as a formula (taken off last, so that a
    /// text that begins with a tab reads back whole).
    fn cell(&self, column: Column) -> String {
        let text = self
            .cells
            .get(self.columns.index(column))
            .map_or("", String::as_str);
        from_spreadsheet(mend_hyphenation(text).trim()).to_string()
    }

    fn problem(&mut self, code: Code, column: Column, message: String, help: String) {
        self.findings.push(
            Diagnostic::new(code, message, self.file)
                .in_table(self.line, self.row, Some(column.heading()))
                .help(help),
        );
        if !self.bad.contains(&column) {
            self.bad.push(column);
        }
    }

    fn read(&mut self, plan: &Plan) -> Row {
        let id = self.id();
        let mut involved_cell = self.cell(Column::Involved);
        let lead = self.codes(&plan.partners, RegistryKind::Partners, Column::Lead, None);
        if let Some(rest) = strip_words(&involved_cell, "in collaboration with") {
            self.note(Column::Involved);
            involved_cell = rest.to_string();
        }
        let involved = self.codes(
            &plan.partners,
            RegistryKind::Partners,
            Column::Involved,
            Some(&involved_cell),
        );
        let locations = self.codes(
            &plan.places,
            RegistryKind::Locations,
            Column::Location,
            None,
        );
        let (status, requested_by) = self.status(plan);
        let financing = self
            .codes(
                &plan.funding,
                RegistryKind::Funding,
                Column::Financing,
                None,
            )
            .into_iter()
            .map(|(source, tentative)| Funding { source, tentative })
            .collect();
        let notes = (!self.notes.is_empty()).then(|| self.notes.join(" "));
        let codes = |list: Vec<(String, bool)>| list.into_iter().map(|(c, _)| c).collect();
        Row {
            line: self.line,
            number: self.row,
            id,
            draft: ActionDraft {
                id: id.unwrap_or(0),
                title: self.cell(Column::Action),
                lead: codes(lead),
                involved: codes(involved),
                locations: codes(locations),
                scope: self.cell(Column::Scope),
                timeline: self.cell(Column::Timeline),
                status,
                requested_by,
                financing,
                addresses: None,
                contributes_to: None,
                notes,
            },
            bad: std::mem::take(&mut self.bad),
        }
    }

    /// The id `#` gives, if any: a number from 1 to 999999 (`12.` as Word numbers a list).
    fn id(&mut self) -> Option<i64> {
        let text = self.cell(Column::Id);
        if text.is_empty() {
            return None;
        }
        match parse_id(text.trim_end_matches('.')) {
            Ok(id) => Some(id),
            Err(reason) => {
                let code = match reason {
                    IdError::OutOfRange => Code::InvalidId,
                    IdError::NotANumber => Code::WrongType,
                };
                self.problem(
                    code,
                    Column::Id,
                    format!("`{text}` is not an id: {reason}"),
                    "leave `#` empty to take the next free one".into(),
                );
                None
            }
        }
    }

    /// The status, and who requested it.
    fn status(&mut self, plan: &Plan) -> (Status, Option<String>) {
        let text = self.cell(Column::Status);
        let Some(found) = cell::status(&text) else {
            let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
            self.problem(
                Code::BadStatus,
                Column::Status,
                format!("`{text}` is not a status"),
                format!(
                    "write one of {}, `Planning / Implementation`, `Requested by <place>`, or leave it empty for planned",
                    names.join(", ")
                ),
            );
            // The row is checked as a closed action, so that no rule about its status
            // (overdue, completed without money, …) speaks of a status it does not have.
            return (Status::Cancelled, None);
        };
        if found.keep_wording {
            self.note(Column::Status);
        }
        let by = found.requested_by.and_then(|by| {
            let codes = self.codes(
                &plan.places,
                RegistryKind::Locations,
                Column::Status,
                Some(&by),
            );
            codes.into_iter().next().map(|(code, _)| code)
        });
        (found.status, by)
    }

    /// Keeps the cell's wording in a note: `Location as written: WB (PCC SEE).`
    fn note(&mut self, column: Column) {
        let text = self.cell(column);
        let stop = if text.ends_with('.') { "" } else { "." };
        let note = format!("{} as written: {text}{stop}", column.label());
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// The codes of a cell (or of `text` read from it), reporting unknown names.
    fn codes<E: Entry>(
        &mut self,
        registry: &Registry<E>,
        kind: RegistryKind,
        column: Column,
        text: Option<&str>,
    ) -> Vec<(String, bool)> {
        let cell_text = text.map_or_else(|| self.cell(column), ToString::to_string);
        let found = cell::codes(registry, &cell_text);
        if found.keep_wording {
            self.note(column);
        }
        for name in found.unknown {
            let help = match registry.suggest(&name) {
                Some(code) => format!(
                    "did you mean `{code}`? Or pass `--add-missing` to add `{name}` to {}",
                    kind.file()
                ),
                None => format!(
                    "correct the name, add it to {} first, or pass `--add-missing`",
                    kind.file()
                ),
            };
            let code = match kind {
                RegistryKind::Partners => Code::UnknownPartner,
                RegistryKind::Funding => Code::UnknownFunding,
                RegistryKind::Locations => Code::UnknownLocation,
            };
            self.problem(
                code,
                column,
                format!("unknown {} `{name}`", kind.noun()),
                help,
            );
            self.missing.push((Missing { kind, text: name }, column));
        }
        found.codes
    }
}

/// `text` without a leading phrase, in any case.
fn strip_words<'a>(text: &'a str, words: &str) -> Option<&'a str> {
    let head = text.get(..words.len())?;
    head.eq_ignore_ascii_case(words)
        .then(|| text[words.len()..].trim())
        .filter(|rest| !rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DataDir, Plan};

    fn plan() -> Plan {
        let dir = DataDir {
            path: "/nonexistent/data".into(),
            shown: "data".into(),
        };
        let partners = "partners:\n  - code: DCAF\n    name: DCAF Ljubljana\n    aliases: []\n";
        Plan::from_texts(
            dir,
            [("partners.yaml".to_string(), partners.as_bytes().to_vec())],
        )
    }

    fn case(cells: [&str; 9]) -> Read {
        let headers: Vec<String> = Column::ALL.iter().map(|c| c.heading().into()).collect();
        let (columns, _) = Columns::find(&headers, "t.tsv");
        let rows = vec![(2, cells.map(ToString::to_string).to_vec())];
        read_rows(&rows, columns.unwrap(), &plan(), "t.tsv")
    }

    #[test]
    fn every_bad_cell_of_a_row_is_a_finding_at_its_column() {
        let read = case(["x", "T", "DCFA", "", "", "", "2019", "Someday", ""]);
        let told: Vec<(Code, Option<String>)> = read
            .findings
            .iter()
            .map(|f| (f.code, f.cell.as_ref().and_then(|c| c.column.clone())))
            .collect();
        assert_eq!(
            told,
            [
                (Code::WrongType, Some("#".into())),
                (Code::UnknownPartner, Some("LEAD PARTNER".into())),
                (Code::BadStatus, Some("STATUS".into())),
            ]
        );
        let row = &read.rows[0];
        assert_eq!(row.bad, [Column::Id, Column::Lead, Column::Status]);
        assert_eq!(row.draft.status, Status::Cancelled);
        assert_eq!(read.findings[0].line, 2);
        let missing: Vec<_> = read.missing.into_iter().collect();
        assert_eq!(
            missing,
            [(
                Missing {
                    kind: RegistryKind::Partners,
                    text: "DCFA".into()
                },
                (0, Column::Lead)
            )]
        );
    }

    #[test]
    fn a_good_row_has_no_findings() {
        let read = case(["7.", "T", "DCAF", "", "", "", "2019", "", ""]);
        assert!(read.findings.is_empty());
        assert_eq!(read.rows[0].id, Some(7));
        assert_eq!(read.rows[0].draft.lead, ["DCAF"]);
    }
}
