//! Reading a table of rows from an Excel workbook (`.xlsx`): the sheet whose header names
//! the document's columns, each cell as the text a person sees (a date as its month, a
//! formula as its value), each row with its row number in the sheet.
//!
//! A workbook is a zip, and a zip can be hostile: before any of it is read as a workbook,
//! every entry is inflated (and thrown away) under caps on their number and their total
//! size, so that a zip bomb is refused in the time it takes to reach the cap, whatever sizes
//! its headers claim; an entry whose path leaves the archive, an encrypted entry and a Strict
//! Open XML workbook are refused, each saying why.

use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use super::table::{MAX_TABLE_BYTES, Table, TableError};
use crate::model::Month;

/// No workbook of a plan has more entries than this.
pub const MAX_ENTRIES: usize = 10_000;
/// Nor holds more than this, inflated.
pub const MAX_UNZIPPED: u64 = 256 * 1024 * 1024;

/// A table read from a workbook or a document, and where in it the table was.
#[derive(Debug)]
pub struct SheetTable {
    /// The rows; each row's number is its row in the sheet or the document's table.
    pub table: Table,
    /// Where it was, as findings name it: `sheet Actions`, `table 2`.
    pub place: String,
}

/// What the header of the List of Actions names, for a person told that no header did.
pub const HEADER_HELP: &str = "the header names #, ACTION, LEAD PARTNER, INVOLVED, LOCATION, SCOPE, TIMELINE, STATUS, FINANCING (any order and case)";

/// Checks that the zip in `bytes` inflates within the caps, with no entry outside it and
/// none encrypted.
///
/// # Errors
/// The reason, for a person.
pub fn check_zip(bytes: &[u8]) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("it is not a zip archive, as a .xlsx or .docx is ({e})"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!(
            "it holds {} entries, more than the {MAX_ENTRIES} any plan's file has",
            archive.len()
        ));
    }
    let mut total = 0u64;
    for index in 0..archive.len() {
        let raw = archive
            .by_index_raw(index)
            .map_err(|e| format!("its entry {index} cannot be read: {e}"))?;
        let name = raw
            .name()
            .map_or_else(|_| format!("#{index}"), |n| n.to_string());
        if raw.enclosed_name().is_none() {
            return Err(format!(
                "its entry `{name}` names a path outside the archive"
            ));
        }
        if raw.encrypted() {
            return Err(format!(
                "its entry `{name}` is encrypted: save the file without a password"
            ));
        }
        drop(raw);
        let entry = archive
            .by_index(index)
            .map_err(|e| format!("its entry `{name}` cannot be read: {e}"))?;
        let left = MAX_UNZIPPED - total;
        let inflated = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|e| format!("its entry `{name}` cannot be inflated: {e}"))?;
        total += inflated;
        if total > MAX_UNZIPPED {
            return Err(format!(
                "it inflates to more than {} MiB (a zip bomb, or not a plan's file)",
                MAX_UNZIPPED / (1024 * 1024)
            ));
        }
    }
    Ok(())
}

/// Why the workbook or document `shown` is not read.
pub(super) fn refusal(shown: &str, reason: String, help: Option<&str>) -> TableError {
    TableError::Form {
        path: shown.to_string(),
        reason,
        help: help.map(ToString::to_string),
    }
}

/// The entry `name` of a checked zip, as text.
pub(super) fn entry_text(bytes: &[u8], name: &str) -> Option<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut entry = archive.by_name(name).ok()?;
    let mut text = String::new();
    entry.read_to_string(&mut text).ok()?;
    Some(text)
}

/// Reads the table of a workbook: the sheet named `sheet`, or else the first sheet with a
/// row that `is_header` takes for the header (within its first 50 rows); the rows after the
/// header, blank rows left out.
///
/// # Errors
/// When the file cannot be read, is not a workbook (or a hostile one), or no sheet has such
/// a header.
pub fn read_xlsx(
    path: &Path,
    shown: &str,
    sheet: Option<&str>,
    is_header: &dyn Fn(&[String]) -> bool,
) -> Result<SheetTable, TableError> {
    read_xlsx_bytes(read_zip_file(path, shown)?, shown, sheet, is_header)
}

/// The bytes of a workbook or document named on the command line, at most
/// [`MAX_TABLE_BYTES`] of them.
///
/// # Errors
/// When the file cannot be read, is not a regular file or is too large.
pub fn read_zip_file(path: &Path, shown: &str) -> Result<Vec<u8>, TableError> {
    super::read_input(path, MAX_TABLE_BYTES).map_err(|e| match e {
        super::InputError::Io(source) => TableError::Io {
            path: shown.to_string(),
            source,
        },
        other => refusal(shown, other.to_string(), None),
    })
}

/// [`read_xlsx`] of a workbook's bytes.
///
/// # Errors
/// As [`read_xlsx`].
pub fn read_xlsx_bytes(
    bytes: Vec<u8>,
    shown: &str,
    sheet: Option<&str>,
    is_header: &dyn Fn(&[String]) -> bool,
) -> Result<SheetTable, TableError> {
    let form = |reason: String, help: Option<&str>| refusal(shown, reason, help);
    check_zip(&bytes).map_err(|reason| form(reason, None))?;
    let strict = entry_text(&bytes, "xl/workbook.xml")
        .is_some_and(|t| t.contains("http://purl.oclc.org/ooxml/spreadsheetml/main"));
    if strict {
        return Err(form(
            "it is a Strict Open XML workbook, which iisg does not read".into(),
            Some("save it as an ordinary Excel Workbook (.xlsx), not \"Strict Open XML\""),
        ));
    }
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| form(format!("it is not a workbook iisg can read: {e}"), None))?;
    let names = book.sheet_names();
    if let Some(wanted) = sheet
        && !names.iter().any(|n| n == wanted)
    {
        return Err(form(
            format!(
                "it has no sheet `{wanted}`; its sheets are {}",
                names.join(", ")
            ),
            None,
        ));
    }
    for name in names {
        if sheet.is_some_and(|wanted| wanted != name) {
            continue;
        }
        let range = book
            .worksheet_range(&name)
            .map_err(|e| form(format!("its sheet `{name}` cannot be read: {e}"), None))?;
        let first_row = range.start().map_or(0, |(row, _)| row);
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect();
        let Some(table) = below_header(rows, u64::from(first_row), is_header) else {
            continue;
        };
        return Ok(SheetTable {
            table,
            place: format!("sheet {name}"),
        });
    }
    Err(form(
        match sheet {
            Some(wanted) => {
                format!("its sheet `{wanted}` has no header row naming the document's columns")
            }
            None => "no sheet has a header row naming the document's columns".into(),
        },
        Some(&format!("{HEADER_HELP}; `--sheet NAME` chooses the sheet")),
    ))
}

/// The table in `rows` (the first of them numbered `first_row` + 1): the header is the first
/// row, within the first 50, that `is_header` takes for one; the rows are those after it,
/// blank rows left out, each with its number. `None` when no row is a header.
pub(super) fn below_header(
    mut rows: Vec<Vec<String>>,
    first_row: u64,
    is_header: &dyn Fn(&[String]) -> bool,
) -> Option<Table> {
    let header = rows.iter().take(50).position(|r| is_header(r))?;
    Some(Table {
        headers: std::mem::take(&mut rows[header]),
        rows: rows
            .into_iter()
            .enumerate()
            .skip(header + 1)
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
            .map(|(index, cells)| (first_row + index as u64 + 1, cells))
            .collect(),
    })
}

/// A cell as the text a person sees: a whole number without a decimal point, a date as its
/// month (`July 2019`, as a timeline writes it), a formula as the value Excel stored.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(n) => n.to_string(),
        #[allow(clippy::float_cmp)]
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(date) => date
            .as_datetime()
            .map(|d| Month::of_date(d.date()).to_string())
            .unwrap_or_default(),
        Data::Error(error) => format!("#{error:?}"),
    }
}
