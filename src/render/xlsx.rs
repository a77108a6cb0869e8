//! The plan as an Excel workbook a focal point can fill in: an Actions sheet in the
//! document's columns (header frozen, filters on, widths set, lists to choose the status,
//! partners, places and funding from), and sheets for the needs, the logframe and each
//! registry. Exported and imported back, it changes nothing.
//!
//! Every cell is written as text (`write_string`): a title that begins with `=` is never a
//! formula in a workbook iisg wrote.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, FormatAlign, Formula, Workbook, Worksheet,
    XlsxError,
};

use super::action::{ActionRow, COLUMNS, cells};
use super::document::{actions_by_id, logframe_grid, title};
use crate::model::{Entry, Registry, RegistryKind, Status};
use crate::store::Plan;

/// How many rows below the last action the lists still apply to: room for new rows.
const ROOM: u32 = 500;

/// Writes the workbook to `out`. The Actions sheet's rows are written as they are made, into
/// an unnamed temporary file in `folder` (gone when iisg ends, however it ends), and copied
/// into the workbook at the end: a workbook of 100,000 actions never holds their cells. Its
/// text is written in the cells (inline strings), not in the shared-strings table, which
/// would hold every title and scope of the plan until the end.
///
/// # Errors
/// When `out` or the temporary file fails, or the workbook cannot be made (a sheet or cell
/// limit of Excel's is passed).
pub fn workbook<W: std::io::Write + Send>(
    plan: &Plan,
    folder: &std::path::Path,
    out: W,
) -> Result<(), XlsxError> {
    let mut book = Workbook::new();
    book.set_tempdir(folder)?;
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color("#DDE5F0");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    book.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(title(plan))
            .set_comment("Written by iisg; `iisg import FILE --update` reads it back"),
    );

    actions_sheet(
        book.add_worksheet_with_constant_memory()?,
        plan,
        (&header, &wrap),
    )?;
    needs_sheet(book.add_worksheet(), plan, (&header, &wrap))?;
    {
        let sheet = book.add_worksheet();
        sheet.set_name("Logframe")?;
        let grid = logframe_grid(plan);
        table(
            sheet,
            (&grid.headers, &grid.rows),
            &[50, 50, 60],
            (&header, &wrap),
        )?;
    }
    {
        // The EU logframe matrix, beside the plain Annex 2.
        let sheet = book.add_worksheet();
        sheet.set_name("Matrix")?;
        let grid = super::matrix::grid(&crate::analysis::results::results(plan));
        let widths = [50, 40, 20, 20, 20, 30, 30];
        table(
            sheet,
            (&grid.headers, &grid.rows),
            &widths,
            (&header, &wrap),
        )?;
    }
    for kind in [
        RegistryKind::Partners,
        RegistryKind::Locations,
        RegistryKind::Funding,
    ] {
        let name = sheet_name(kind);
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        let (headers, rows) = match kind {
            RegistryKind::Partners => entries(&plan.partners, "Kind", |p| {
                vec![p.kind.as_ref().map(|k| k.value.clone()).unwrap_or_default()]
            }),
            RegistryKind::Locations => {
                let (mut headers, rows) = entries(&plan.places, "Kind", |p| {
                    vec![
                        p.kind.as_ref().map(|k| k.value.clone()).unwrap_or_default(),
                        p.within
                            .iter()
                            .map(|w| w.value.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ]
                });
                headers.insert(3, "Within".into());
                (headers, rows)
            }
            RegistryKind::Funding => entries(&plan.funding, "Provider", |f| {
                vec![
                    f.provider
                        .as_ref()
                        .map(|p| p.value.clone())
                        .unwrap_or_default(),
                ]
            }),
        };
        table(
            sheet,
            (&headers, &rows),
            &[14, 60, 24, 20, 30],
            (&header, &wrap),
        )?;
    }
    book.save_to_writer(out)
}

/// The sheet a registry is written on, and its heading in the Word document's glossary.
pub(super) fn sheet_name(kind: RegistryKind) -> &'static str {
    match kind {
        RegistryKind::Partners => "Partners",
        RegistryKind::Locations => "Locations",
        RegistryKind::Funding => "Funding",
    }
}

/// The Needs sheet: every forum's needs and their sub-items.
fn needs_sheet(
    sheet: &mut Worksheet,
    plan: &Plan,
    (header, wrap): (&Format, &Format),
) -> Result<(), XlsxError> {
    sheet.set_name("Needs")?;
    let mut rows = Vec::new();
    for forum in &plan.forums {
        for (need, parent) in forum.record.all_needs() {
            rows.push(vec![
                forum.record.code.value.clone(),
                need.id.value.clone(),
                parent.unwrap_or_default().to_string(),
                need.text.value.clone(),
            ]);
        }
    }
    let headers = ["Forum", "Need", "Part of", "Text"];
    table(sheet, (&headers, &rows), &[10, 10, 10, 90], (header, wrap))?;
    Ok(())
}

/// The Actions sheet: the document's columns, and the lists to choose from.
fn actions_sheet(
    sheet: &mut Worksheet,
    plan: &Plan,
    (header, wrap): (&Format, &Format),
) -> Result<(), XlsxError> {
    sheet.set_name("Actions")?;
    let rows = actions_by_id(plan)
        .into_iter()
        .map(|loaded| cells(&ActionRow::new(loaded)));
    let widths = [6, 48, 14, 22, 16, 30, 20, 13, 22];
    let count = table(sheet, (&COLUMNS, rows), &widths, (header, wrap))?;
    // A sheet written a row at a time (`add_worksheet_with_constant_memory`) writes its last row
    // twice when that row has a height of its own (rust_xlsxwriter 0.102), which Excel
    // takes for a broken file: one blank cell below, the first row of the room for new
    // actions, makes the last action's row an ordinary one.
    sheet.write_blank(count + 1, 0, wrap)?;
    let last = count + ROOM;
    let statuses = DataValidation::new()
        .allow_list_strings(&Status::NAMES)?
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_title("Status")?
        .set_error_message(format!("One of: {}", Status::NAMES.join(", ")))?;
    sheet.add_data_validation(1, 7, last, 7, &statuses)?;
    // A cell may name several codes ("EUROPOL, FRONTEX"): the lists offer one, and warn
    // (never stop) on anything else; `import` checks every code.
    let lists = [
        (2, RegistryKind::Partners, "Lead"),
        (3, RegistryKind::Partners, "Involved"),
        (4, RegistryKind::Locations, "Location"),
        (8, RegistryKind::Funding, "Financing"),
    ];
    for (column, kind, what) in lists {
        let name = sheet_name(kind);
        let entries = match kind {
            RegistryKind::Partners => plan.partners.entries().len(),
            RegistryKind::Locations => plan.places.entries().len(),
            RegistryKind::Funding => plan.funding.entries().len(),
        };
        let count = entries.max(1) as u32 + 1;
        let choose = DataValidation::new()
            .allow_list_formula(Formula::new(format!("={name}!$A$2:$A${count}")))
            .set_error_style(DataValidationErrorStyle::Information)
            .ignore_blank(true)
            .set_error_title(what)?
            .set_error_message(format!(
                "Codes from the {name} sheet, separated by commas; a name the plan does not \
                 know is refused by `iisg import`"
            ))?;
        sheet.add_data_validation(1, column, last, column, &choose)?;
    }
    Ok(())
}

/// A registry as rows: code, name, what only its kind has, aliases.
fn entries<E: Entry>(
    registry: &Registry<E>,
    third: &str,
    own: impl Fn(&E) -> Vec<String>,
) -> (Vec<String>, Vec<Vec<String>>) {
    let headers = vec!["Code".into(), "Name".into(), third.into(), "Aliases".into()];
    let rows = registry
        .entries()
        .iter()
        .map(|entry| {
            let mut row = vec![entry.code().value.clone(), entry.name().to_string()];
            row.extend(own(entry));
            row.push(
                entry
                    .aliases()
                    .iter()
                    .map(|a| a.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            row
        })
        .collect();
    (headers, rows)
}

/// A header row, frozen, filtered and repeated on every printed page, then the rows, every
/// cell text but the Actions sheet's ids (numbers, as a spreadsheet sorts them); columns
/// `widths` wide (in characters), each row as tall as its longest cell needs (a
/// spreadsheet does not grow a row for wrapped text it did not write itself), and the
/// sheet printed landscape, one page wide. Returns how many rows there are.
fn table<H: AsRef<str>, R: AsRef<[String]>>(
    sheet: &mut Worksheet,
    (headers, rows): (&[H], impl IntoIterator<Item = R>),
    widths: &[u16],
    (header, wrap): (&Format, &Format),
) -> Result<u32, XlsxError> {
    for (column, width) in widths.iter().enumerate() {
        sheet.set_column_width(column as u16, *width)?;
    }
    for (column, text) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, text.as_ref(), header)?;
    }
    let ids = headers.first().is_some_and(|h| h.as_ref() == COLUMNS[0]);
    let mut count = 0;
    for row in rows {
        count += 1;
        let mut lines = 1;
        for (column, text) in row.as_ref().iter().enumerate() {
            if ids
                && column == 0
                && let Ok(id) = text.parse::<i64>()
            {
                sheet.write_number_with_format(count, 0, id as f64, wrap)?;
            } else {
                sheet.write_string_with_format(count, column as u16, text, wrap)?;
            }
            let width = usize::from(widths.get(column).copied().unwrap_or(10).max(4) - 2);
            let needed: usize = text
                .split('\n')
                .map(|line| line.chars().count().div_ceil(width).max(1))
                .sum();
            lines = lines.max(needed);
        }
        if lines > 1 {
            sheet.set_row_height(count, 15.0 * lines.min(20) as f64)?;
        }
    }
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_freeze_panes(1, 0)?;
    let last_column = headers.len().saturating_sub(1) as u16;
    sheet.autofilter(0, 0, count, last_column)?;
    Ok(count)
}
