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
    },
}

/// No table of actions comes near this size (100,000 rows of the document's columns are
/// about 30 MB); a larger file is refused before it is read.
pub const MAX_TABLE_BYTES: u64 = 64 * 1024 * 1024;

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
        },
    })?;
    let text = String::from_utf8(bytes).map_err(|e| TableError::Form {
        path: shown.to_string(),
        reason: format!(
            "it holds bytes that are not UTF-8 (at byte {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })?;
    parse_table(&text).map_err(|reason| TableError::Form {
        path: shown.to_string(),
        reason,
    })
}

/// Parses a table's text: tab-separated when the header line holds a tab, else
/// semicolon-separated when it holds more semicolons than commas, else comma-separated.
///
/// # Errors
/// The reason, when the text has no header or a row does not parse.
pub fn parse_table(text: &str) -> Result<Table, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or("it is empty: the first line should name the columns")?;
    let delimiter = if header_line.contains('\t') {
        b'\t'
    } else if header_line.matches(';').count() > header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
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
    fn empty_text_is_refused() {
        assert!(parse_table("").is_err());
        assert!(parse_table("\u{feff}\n\n").is_err());
    }
}
