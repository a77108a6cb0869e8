//! The document's nine columns, the header names each accepts, and where each is in a table.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::lookup_key;

/// A column of the document's List of Actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// `#`: the action's id.
    Id,
    /// `ACTION`: its title.
    Action,
    /// `LEAD PARTNER`.
    Lead,
    /// `INVOLVED`: the other partners.
    Involved,
    /// `LOCATION`: the places.
    Location,
    /// `SCOPE`: who it is for.
    Scope,
    /// `TIMELINE`.
    Timeline,
    /// `STATUS`, and who requested it.
    Status,
    /// `FINANCING`: the funding sources.
    Financing,
}

impl Column {
    /// The nine, in the document's order.
    pub const ALL: [Self; 9] = [
        Self::Id,
        Self::Action,
        Self::Lead,
        Self::Involved,
        Self::Location,
        Self::Scope,
        Self::Timeline,
        Self::Status,
        Self::Financing,
    ];

    /// The heading as the document writes it, and as findings name the column.
    #[must_use]
    pub fn heading(self) -> &'static str {
        match self {
            Self::Id => "#",
            Self::Action => "ACTION",
            Self::Lead => "LEAD PARTNER",
            Self::Involved => "INVOLVED",
            Self::Location => "LOCATION",
            Self::Scope => "SCOPE",
            Self::Timeline => "TIMELINE",
            Self::Status => "STATUS",
            Self::Financing => "FINANCING",
        }
    }

    /// How a note names the column (`Location as written: …`).
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Lead => "Lead",
            Self::Involved => "Involved",
            Self::Location => "Location",
            Self::Status => "Status",
            Self::Financing => "Financing",
            _ => self.heading(),
        }
    }

    /// The column a header cell names: the document's headings, and the ones `list` and
    /// `export` write, in any case and spacing.
    #[must_use]
    pub fn named(header: &str) -> Option<Self> {
        if header.trim() == "#" {
            return Some(Self::Id);
        }
        Some(match lookup_key(header).as_str() {
            "id" | "no" => Self::Id,
            "action" | "title" => Self::Action,
            "leadpartner" | "lead" | "leadpartners" => Self::Lead,
            "involved" | "involvedpartners" => Self::Involved,
            "location" | "locations" => Self::Location,
            "scope" => Self::Scope,
            "timeline" => Self::Timeline,
            "status" => Self::Status,
            "financing" | "funding" => Self::Financing,
            _ => return None,
        })
    }
}

/// Where each of the nine columns is in a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns([usize; 9]);

impl Columns {
    /// Finds the nine columns in a table's header. Every problem of the header is a finding
    /// (of the header, row 0, with no line: a reader does not say on which line the header
    /// was); the columns are `None` when one is missing or named twice. A column iisg does not
    /// know is a finding, but the rows can still be read (and checked) without it.
    #[must_use]
    pub fn find(headers: &[String], file: &str) -> (Option<Self>, Vec<Diagnostic>) {
        let mut found: [Option<usize>; 9] = [None; 9];
        let mut findings = Vec::new();
        let mut usable = true;
        let expected = Column::ALL.map(Column::heading).join(", ");
        let header = |code, message: String, column: &str, help: String| {
            Diagnostic::new(code, message, file)
                .in_table(0, 0, Some(column))
                .help(help)
        };
        for (index, name) in headers.iter().enumerate() {
            if name.trim().is_empty() {
                continue;
            }
            match Column::named(name) {
                Some(column) => {
                    let slot = &mut found[column as usize];
                    if let Some(first) = *slot {
                        usable = false;
                        findings.push(header(
                            Code::DuplicateColumn,
                            format!(
                                "the table names the column `{}` twice: `{}` and `{name}`",
                                column.heading(),
                                headers[first].trim()
                            ),
                            column.heading(),
                            "keep one of them".into(),
                        ));
                    } else {
                        *slot = Some(index);
                    }
                }
                None => findings.push(header(
                    Code::UnknownColumn,
                    format!(
                        "the table has a column iisg does not know: `{}`",
                        name.trim()
                    ),
                    name.trim(),
                    format!(
                        "the header names the document's columns, in any order and case: {expected}"
                    ),
                )),
            }
        }
        for column in Column::ALL {
            if found[column as usize].is_none() {
                usable = false;
                findings.push(header(
                    Code::MissingColumn,
                    format!("the table has no `{}` column", column.heading()),
                    column.heading(),
                    format!(
                        "the first line names the document's columns, in any order and case: {expected}"
                    ),
                ));
            }
        }
        let columns = usable.then(|| Self(found.map(Option::unwrap_or_default)));
        (columns, findings)
    }

    /// The index of a column among a row's cells.
    #[must_use]
    pub fn index(self, column: Column) -> usize {
        self.0[column as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(headers: &[&str]) -> (Option<Columns>, Vec<String>) {
        let headers: Vec<String> = headers.iter().map(ToString::to_string).collect();
        let (columns, findings) = Columns::find(&headers, "t.tsv");
        (columns, findings.into_iter().map(|f| f.message).collect())
    }

    const NINE: [&str; 9] = [
        "#",
        "ACTION",
        "LEAD PARTNER",
        "INVOLVED",
        "LOCATION",
        "SCOPE",
        "TIMELINE",
        "STATUS",
        "FINANCING",
    ];

    #[test]
    fn the_document_header_in_any_order() {
        let mut headers = NINE;
        headers.reverse();
        let (columns, findings) = case(&headers);
        assert!(findings.is_empty());
        let columns = columns.unwrap();
        assert_eq!(columns.index(Column::Id), 8);
        assert_eq!(columns.index(Column::Financing), 0);
    }

    #[test]
    fn every_header_problem_at_once() {
        let (columns, findings) = case(&["#", "Lead", "lead partner", "COLOUR", "ACTION"]);
        assert_eq!(columns, None);
        assert_eq!(
            findings[..2],
            [
                "the table names the column `LEAD PARTNER` twice: `Lead` and `lead partner`",
                "the table has a column iisg does not know: `COLOUR`",
            ]
        );
        assert_eq!(findings.len(), 2 + 6, "{findings:?}");
    }

    #[test]
    fn an_unknown_extra_column_still_reads_the_rows() {
        let mut headers = NINE.to_vec();
        headers.push("COLOUR");
        let (columns, findings) = case(&headers);
        assert!(columns.is_some());
        assert_eq!(findings.len(), 1);
    }
}
