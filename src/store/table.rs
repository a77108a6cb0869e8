//! Reading a table of rows from a TSV or CSV file: the delimiter found from the header line,
//! UTF-8 with or without a byte-order mark, LF or CRLF line ends, blank lines skipped.

use std::path::Path;

/// A table as read: its header cells and its rows, each with the line it starts on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// The header row's cells.
    pub headers: Vec<String>,
    /// The data rows: the 1-based line each starts on, and its cells.
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Why a table could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The file could not be read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The file as named.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The bytes are not UTF-8, or the rows do not parse as CSV/TSV.
    #[error("cannot read `{path}` as a table: {reason}")]
    Form {
        /// The file as named.
        path: String,
        /// What is wrong.
        reason: String,
        /// How to fix it, when there is something to say.
        help: Option<String>,
    },
}

/// No table of actions comes near this size (100,000 rows of the document's columns are
/// about 30 MB); a larger file is refused before it is read.
pub const MAX_TABLE_BYTES: u64 = 64 * 1024 * 1024;

impl TableError {
    /// How to fix it, when there is something to say.
    #[must_use]
    pub fn help(&self) -> Option<&str> {
        match self {
            Self::Io { .. } => None,
            Self::Form { help, .. } => help.as_deref(),
        }
    }
}

/// Why a text is not a table.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct FormError {
    /// What is wrong, with its line and column when it has one.
    pub reason: String,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
}

impl From<String> for FormError {
    fn from(reason: String) -> Self {
        Self { reason, help: None }
    }
}

/// Reads a table file, refusing files larger than any plan's table should be.
///
/// # Errors
/// When the file cannot be read, is not UTF-8, or is not a table.
pub fn read_table(path: &Path, shown: &str) -> Result<Table, TableError> {
    let io = |source| TableError::Io {
        path: shown.to_string(),
        source,
    };
    let bytes = super::read_input(path, MAX_TABLE_BYTES).map_err(|e| match e {
        super::InputError::Io(source) => io(source),
        other => TableError::Form {
            path: shown.to_string(),
            reason: other.to_string(),
            help: None,
        },
    })?;
    let text = String::from_utf8(bytes).map_err(|e| TableError::Form {
        path: shown.to_string(),
        reason: format!(
            "it holds bytes that are not UTF-8 (at byte {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ),
        help: None,
    })?;
    parse_table(&text).map_err(|e| TableError::Form {
        path: shown.to_string(),
        reason: e.reason,
        help: e.help,
    })
}

/// Parses a table's text: tab-separated when the header line holds a tab, else
/// semicolon-separated when it holds more semicolons than commas, else comma-separated.
///
/// # Errors
/// The reason, when the text has no header, a quoted cell is never closed, or a row does not
/// parse.
pub fn parse_table(text: &str) -> Result<Table, FormError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or_else(|| "it is empty: the first line should name the columns".to_string())?;
    let delimiter = if header_line.contains('\t') {
        b'\t'
    } else if header_line.matches(';').count() > header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    // A quoted cell left open reads every line after it into itself: the rows would come
    // out merged, or empty, and be refused for what they lack rather than for the quote.
    if text.contains('"')
        && let Some(problem) = unclosed_quote(text, delimiter)
    {
        return Err(problem);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Table::default();
    let mut header_seen = false;
    for record in reader.records() {
        let record = record.map_err(|e| match e.position() {
            Some(at) => format!("line {}: {e}", at.line()),
            None => e.to_string(),
        })?;

        // csv's position is where the record before it ended, before the line end and any
        // blank lines: step over those to the record's own first line.
        let mut byte = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0))
            .min(text.len());
        while matches!(text.as_bytes().get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        let line = text[..byte].matches('\n').count() as u64 + 1;
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if header_seen {
            table.rows.push((line, cells));
        } else {
            table.headers = cells;
            header_seen = true;
        }
    }
    Ok(table)
}

/// A quoted cell whose quote is never closed, or is closed by a quote with more text after
/// it (a quote inside the cell, not doubled): where it opened, as a row and column.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<FormError> {
    let bytes = text.as_bytes();
    let mut i = 0;
    // The cell's index in its record, the records before it that hold something (the
    // first is the header), and whether this record holds something yet.
    let (mut cell, mut records, mut filled) = (0usize, 0usize, false);
    let mut headers: Vec<&str> = Vec::new();
    let mut cell_start = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' && i == cell_start {
            let open = i;
            i += 1;
            loop {
                match bytes.get(i) {
                    None => return Some(quote_problem(text, open, records, cell, &headers, None)),
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => break,
                    Some(_) => i += 1,
                }
            }
            i += 1;
            match bytes.get(i) {
                None | Some(b'\r' | b'\n') => {}
                Some(&b) if b == delimiter => {}
                Some(_) => {
                    return Some(quote_problem(text, open, records, cell, &headers, Some(i)));
                }
            }
            filled = true;
            continue;
        }
        match bytes[i] {
            b if b == delimiter => {
                if records == 0 {
                    headers.push(text[cell_start..i].trim());
                }
                cell += 1;
                cell_start = i + 1;
            }
            b'\n' => {
                if records == 0 && filled {
                    headers.push(text[cell_start..i].trim());
                }
                records += usize::from(filled);
                (cell, filled, cell_start) = (0, false, i + 1);
            }
            b if !b.is_ascii_whitespace() => filled = true,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The finding for the quote opened at byte `open`, in cell `cell` of the record after
/// `records` filled ones; `closed` is where the text after a premature closing quote starts.
fn quote_problem(
    text: &str,
    open: usize,
    records: usize,
    cell: usize,
    headers: &[&str],
    closed: Option<usize>,
) -> FormError {
    let place = |byte: usize| {
        let line_start = text[..byte].rfind('\n').map_or(0, |n| n + 1);
        let line = text[..byte].matches('\n').count() + 1;
        (line, text[line_start..byte].chars().count() + 1)
    };
    let (line, column) = place(open);
    let row = match records {
        0 => "the header".to_string(),
        n => format!("row {n}"),
    };
    let heading = headers
        .get(cell)
        .filter(|h| !h.is_empty() && records > 0)
        .map_or_else(String::new, |h| format!(", column `{h}`"));
    let at = format!("line {line}, column {column} ({row}{heading})");
    match closed.map(place) {
        Some((end, _)) if end == line => FormError {
            reason: format!("{at}: the cell opened with `\"` here ends early, at a `\"` inside it"),
            help: Some("inside a quoted cell write a quote twice (`\"\"`)".into()),
        },
        Some((end, _)) => FormError {
            reason: format!(
                "{at}: the `\"` that opens this cell is not closed on its line; it runs on to line {end} and reads those rows into the cell"
            ),
            help: Some("close the cell with `\"` where it ends; inside a quoted cell write a quote twice (`\"\"`)".into()),
        },
        None => FormError {
            reason: format!(
                "{at}: the `\"` that opens this cell is never closed, so every line after it would be read into the cell"
            ),
            help: Some("close the cell with `\"` where it ends; inside a quoted cell write a quote twice (`\"\"`)".into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(table: &Table) -> Vec<Vec<String>> {
        table.rows.iter().map(|(_, c)| c.clone()).collect()
    }

    #[test]
    fn delimiters_bom_crlf_and_blank_lines() {
        let tsv = parse_table("\u{feff}#\tACTION\r\n\r\n1\tA, b\r\n \t \r\n2\tC\r\n").unwrap();
        assert_eq!(tsv.headers, ["#", "ACTION"]);
        assert_eq!(cells(&tsv), [["1", "A, b"], ["2", "C"]]);
        assert_eq!(tsv.rows[0].0, 3);
        assert_eq!(tsv.rows[1].0, 5);
        let csv = parse_table("#,ACTION\n1,\"A, b\"\n").unwrap();
        assert_eq!(cells(&csv), [["1", "A, b"]]);
        let semi = parse_table("#;ACTION\n1;A, b\n").unwrap();
        assert_eq!(cells(&semi), [["1", "A, b"]]);
    }

    #[test]
    fn an_unclosed_quote_is_placed_where_it_opens() {
        let text = "#,ACTION,LEAD PARTNER\n29,\"Border training,DCAF\n30,Second,FRONTEX\n";
        let problem = parse_table(text).unwrap_err();
        assert!(
            problem
                .reason
                .starts_with("line 2, column 4 (row 1, column `ACTION`): the `\"` that opens this cell is never closed"),
            "{problem:?}"
        );
        assert!(problem.help.unwrap().contains("`\"\"`"));
        let text = "#,ACTION\n\n1,\"Open\n2,\"B\",c\n";
        let problem = parse_table(text).unwrap_err();
        assert!(
            problem
                .reason
                .starts_with("line 3, column 3 (row 1, column `ACTION`)")
                && problem.reason.contains("runs on to line 4"),
            "{problem:?}"
        );
        let problem = parse_table("#,ACTION\n1,\"Say \"hi\"\"\n").unwrap_err();
        assert!(problem.reason.contains("ends early"), "{problem:?}");
        // Quotes that close, doubled quotes, quotes inside an unquoted cell, a cell over
        // two lines: all fine.
        let table =
            parse_table("#,ACTION\n1,\"A, \"\"b\"\"\"\n2,say \"x\"\n3,\"two\nlines\"\n").unwrap();
        assert_eq!(
            cells(&table),
            [["1", "A, \"b\""], ["2", "say \"x\""], ["3", "two\nlines"]]
        );
    }

    #[test]
    fn empty_text_is_refused() {
        assert!(parse_table("").is_err());
        assert!(parse_table("\u{feff}\n\n").is_err());
    }
}
