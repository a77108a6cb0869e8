//! Reading a table of rows from a Word document (`.docx`): the first table whose header row
//! names the document's columns, each cell as the text the document means, each row with its
//! row number in that table. Other tables, and the text around them, are passed over.
//!
//! A document is a zip, checked as a workbook is ([`check_zip`]: caps on entries and size,
//! no path outside, nothing encrypted; Strict Open XML refused). Its main part is read as a
//! stream of XML events, never whole. How a cell reads:
//!
//! - its paragraphs and line breaks (`w:br`, `w:cr`) are joined by one space, as the text
//!   runs on in the printed cell: `Implemen-` and `tation` on two lines read
//!   `Implemen- tation`, which the importer mends as it mends Word's hyphenation everywhere;
//! - `w:tab` is a tab, `w:noBreakHyphen` a hyphen, `w:sym` its character; a soft hyphen,
//!   hidden text (`w:vanish`), a field's instructions and the fallback of an
//!   `mc:AlternateContent` (a copy of its choice) are nothing;
//! - tracked changes read as accepted: inserted text (`w:ins`, `w:moveTo`) is there, deleted
//!   text (`w:del`, `w:moveFrom`) is not;
//! - a cell spanning columns (`w:gridSpan`) gives its text to the first and empty text to
//!   the others, so that every row's cells stand under the grid's columns (`w:gridBefore`
//!   likewise); a cell merged down into the one above (`w:vMerge` continue) has the text of
//!   the cell above, for the document shows that one text for every row it spans;
//! - a table inside a cell is part of that cell's text, and is never taken for the table;
//! - a table right after the List of Actions (only empty paragraphs or a page break between)
//!   with rows as wide as its header continues it, its own header row repeated or not: Word
//!   documents often split a long table so; rows are then numbered across those tables
//!   (`tables 2–4`).

use std::io::{BufRead, BufReader, Cursor};
use std::path::Path;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use super::sheet::{
    HEADER_HELP, SheetTable, below_header, check_zip, entry_text, read_zip_file, refusal,
};
use super::table::TableError;

/// The namespace of `WordprocessingML`, as Word writes it.
const MAIN: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// The namespaces of Strict Open XML begin so.
const STRICT: &str = "http://purl.oclc.org/ooxml/";
/// `DrawingML`'s, of a theme.
const DRAWING: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
/// Markup compatibility: `mc:AlternateContent` and its `mc:Fallback`.
const COMPATIBILITY: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
/// A Word table has at most 63 columns: no cell spans more.
const MAX_SPAN: usize = 63;
/// No table of a plan holds more cells than this (100,000 actions and then some); a table
/// with more is refused before it fills the memory.
pub const MAX_CELLS: usize = 2_000_000;

/// Reads the table of a Word document: the first table with a row, within its first 50,
/// that `is_header` takes for the header; the rows after the header, blank rows left out.
///
/// # Errors
/// When the file cannot be read, is not a Word document (or a hostile one), its XML is not
/// well-formed, or no table has such a header.
pub fn read_docx(
    path: &Path,
    shown: &str,
    is_header: &dyn Fn(&[String]) -> bool,
) -> Result<SheetTable, TableError> {
    read_docx_bytes(&read_zip_file(path, shown)?, shown, is_header)
}

/// [`read_docx`] of a document's bytes.
///
/// # Errors
/// As [`read_docx`].
pub fn read_docx_bytes(
    bytes: &[u8],
    shown: &str,
    is_header: &dyn Fn(&[String]) -> bool,
) -> Result<SheetTable, TableError> {
    let form = |reason: String| refusal(shown, reason, None);
    let part = main_part(bytes).map_err(|refused| refused.into_error(shown))?;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| form(format!("it is not a zip archive, as a .docx is ({e})")))?;
    let entry = archive.by_name(&part).map_err(|_| {
        form(format!(
            "it has no document part `{part}`: it is not a Word document"
        ))
    })?;
    let mut walk = Walk::new(is_header);
    match walk.read(BufReader::new(entry), &part) {
        Ok(Some(table)) => Ok(table),
        Ok(None) if walk.tables == 0 => Err(refusal(
            shown,
            "it has no table: the List of Actions is read from a table whose header row names the document's columns".into(),
            Some(HEADER_HELP),
        )),
        Ok(None) => Err(refusal(
            shown,
            format!(
                "none of its {} tables has a header row naming the document's columns",
                walk.tables
            ),
            Some(HEADER_HELP),
        )),
        Err(refused) => Err(refused.into_error(shown)),
    }
}

/// Checks that `bytes` are a zip fit to read as a Word document, and whose parts are
/// `WordprocessingML` as Word writes it (not Strict); the parts among `names` it has, each
/// with its text and checked to be well-formed, for `--reference-doc`.
///
/// # Errors
/// Why the document cannot lend its parts.
pub fn reference_parts(
    bytes: &[u8],
    shown: &str,
    names: &[&str],
) -> Result<Vec<(String, String)>, TableError> {
    main_part(bytes).map_err(|refused| refused.into_error(shown))?;
    let mut parts = Vec::new();
    for name in names {
        let Some(text) = entry_text(bytes, name) else {
            continue;
        };
        well_formed(&text, name).map_err(|refused| refused.into_error(shown))?;
        parts.push(((*name).to_string(), text));
    }
    Ok(parts)
}

/// Why a document is not read.
enum Refused {
    /// The reason, for a person.
    Plain(String),
    /// A Strict Open XML document.
    Strict,
}

impl Refused {
    fn into_error(self, shown: &str) -> TableError {
        match self {
            Self::Plain(reason) => refusal(shown, reason, None),
            Self::Strict => refusal(
                shown,
                "it is a Strict Open XML document, which iisg does not read".into(),
                Some("save it as an ordinary Word Document (.docx), not \"Strict Open XML\""),
            ),
        }
    }
}

/// The zip checked, and the name of its main part: what `_rels/.rels` names, else
/// `word/document.xml`.
fn main_part(bytes: &[u8]) -> Result<String, Refused> {
    check_zip(bytes).map_err(Refused::Plain)?;
    let Some(rels) = entry_text(bytes, "_rels/.rels") else {
        return Ok("word/document.xml".into());
    };
    let mut reader = NsReader::from_str(&rels);
    let mut target = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let kind = attribute(&e, "Type").unwrap_or_default();
                if kind.starts_with(STRICT) {
                    return Err(Refused::Strict);
                }
                if kind.ends_with("/officeDocument") {
                    target = attribute(&e, "Target");
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(Refused::Plain(format!(
                    "its part `_rels/.rels` is not well-formed XML: {e}"
                )));
            }
        }
    }
    Ok(target.map_or_else(
        || "word/document.xml".into(),
        |t| t.trim_start_matches('/').to_string(),
    ))
}

/// The value of the attribute whose local name is `name`, unescaped.
fn attribute(element: &BytesStart, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| {
            quick_xml::escape::unescape(&a.value)
                .map_or_else(|_| a.value.to_string(), std::borrow::Cow::into_owned)
        })
}

/// Whether `text` is well-formed XML of Word's transitional namespaces.
fn well_formed(text: &str, part: &str) -> Result<(), Refused> {
    let mut walk = Walk::new(&|_| false);
    walk.read(text.as_bytes(), part).map(|_| ())
}

/// A cell being read.
#[derive(Default)]
struct Cell {
    text: String,
    span: usize,
    /// Merged into the cell above (`w:vMerge` without `restart`).
    continues: bool,
}

/// A row being read: its cells so far, by grid column, and which of them continue the
/// cell above.
#[derive(Default)]
struct Row {
    cells: Vec<String>,
    continues: Vec<usize>,
}

/// The state of a walk through a document's XML.
struct Walk<'h> {
    is_header: &'h dyn Fn(&[String]) -> bool,
    /// Top-level tables begun.
    tables: usize,
    /// How many tables are open here (a table in a cell is the second).
    depth: usize,
    /// The rows of the top-level table so far.
    rows: Vec<Vec<String>>,
    /// Cells in it so far.
    cells: usize,
    row: Option<Row>,
    cell: Option<Cell>,
    /// A paragraph or line break waits to become a space before the next text.
    gap: bool,
    /// How deep inside deleted text (or another part not to read) the walk is.
    skip: usize,
    /// The List of Actions, once its header is found.
    found: Option<Found>,
    /// The run the walk is in, if any.
    run: Option<Run>,
    in_text: bool,
}

/// The List of Actions found: its rows so far, and the tables they came from.
struct Found {
    table: super::table::Table,
    /// How many cells its header row has: a table that continues it has as many.
    width: usize,
    first: usize,
    last: usize,
    /// Rows of its tables so far, header rows and all: the number of the next is one more.
    rows: u64,
    /// Words stand after its last table: a table after them does not continue it.
    words_after: bool,
    /// A table that does not continue it came.
    ended: bool,
}

/// A run (`w:r`) being read.
#[derive(Clone, Copy, Default)]
struct Run {
    /// Inside its properties (`w:rPr`).
    properties: bool,
    /// Hidden text (`w:vanish`).
    hidden: bool,
}

impl<'h> Walk<'h> {
    fn new(is_header: &'h dyn Fn(&[String]) -> bool) -> Self {
        Self {
            is_header,
            tables: 0,
            depth: 0,
            rows: Vec::new(),
            cells: 0,
            row: None,
            cell: None,
            gap: false,
            skip: 0,
            found: None,
            run: None,
            in_text: false,
        }
    }

    /// Walks the part `part` to its end, or to the end of the first table with a header.
    fn read(&mut self, input: impl BufRead, part: &str) -> Result<Option<SheetTable>, Refused> {
        let malformed = |e: &dyn std::fmt::Display, at: u64| {
            Refused::Plain(format!(
                "its part `{part}` is not well-formed XML (at byte {at}): {e}"
            ))
        };
        let mut reader = NsReader::from_reader(input);
        let mut buf = Vec::new();
        let mut open = 0usize;
        let mut root = true;
        loop {
            if self.found.as_ref().is_some_and(|found| found.ended) {
                return Ok(self.take_found());
            }
            buf.clear();
            let read = reader
                .read_resolved_event_into(&mut buf)
                .map(|(ns, event)| (Space::of(&ns), event));
            let (ns, event) = match read {
                Ok(read) => read,
                Err(e) => return Err(malformed(&e, reader.error_position())),
            };
            let word = ns == Space::Word;
            match event {
                Event::Start(e) => {
                    open += 1;
                    if std::mem::take(&mut root) {
                        check_root(ns, part)?;
                    }
                    if ns == Space::Compatibility && e.local_name().as_ref() == "Fallback" {
                        self.skip += 1;
                    } else if word {
                        self.start(&e)?;
                    }
                }
                Event::Empty(e) => {
                    if std::mem::take(&mut root) {
                        check_root(ns, part)?;
                    }
                    if word {
                        self.empty(&e)?;
                    }
                }
                Event::End(e) => {
                    open = open.saturating_sub(1);
                    let name = e.local_name();
                    if ns == Space::Compatibility && name.as_ref() == "Fallback" {
                        self.skip = self.skip.saturating_sub(1);
                    } else if word {
                        self.end(name.as_ref())?;
                    }
                }
                Event::Text(text) => self.content(&text.xml10_content()),
                Event::CData(text) => self.content(&text.xml10_content()),
                Event::GeneralRef(reference) => {
                    let at = reader.buffer_position();
                    let text = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => quick_xml::escape::resolve_predefined_entity(&reference)
                            .ok_or_else(|| {
                                malformed(
                                    &format!(
                                        "it refers to `&{};`, which XML does not define",
                                        &*reference
                                    ),
                                    at,
                                )
                            })?
                            .to_string(),
                        Err(e) => return Err(malformed(&e, at)),
                    };
                    self.content(&text);
                }
                Event::Eof if open > 0 || root => {
                    return Err(malformed(
                        &"it ends before its elements are closed",
                        reader.buffer_position(),
                    ));
                }
                Event::Eof => return Ok(self.take_found()),
                Event::DocType(_) => {
                    return Err(malformed(
                        &"it has a document type declaration, which Word never writes",
                        reader.buffer_position(),
                    ));
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
        }
    }

    fn start(&mut self, e: &BytesStart) -> Result<(), Refused> {
        match e.local_name().as_ref() {
            "tbl" => {
                self.depth += 1;
                if self.depth == 1
                    && let Some(found) = &mut self.found
                {
                    found.ended |= found.words_after;
                }
                if self.depth == 1 {
                    self.tables += 1;
                    self.rows.clear();
                    self.cells = 0;
                }
            }
            "tr" if self.depth == 1 => self.row = Some(Row::default()),
            "tc" if self.depth == 1 && self.row.is_some() => {
                self.cell = Some(Cell {
                    span: 1,
                    ..Cell::default()
                });
                self.gap = false;
            }
            "del" | "moveFrom" => self.skip += 1,
            "r" => self.run = Some(Run::default()),
            "rPr" => {
                if let Some(run) = &mut self.run {
                    run.properties = true;
                }
            }
            "t" => self.in_text = true,
            _ => self.empty(e)?,
        }
        Ok(())
    }

    fn empty(&mut self, e: &BytesStart) -> Result<(), Refused> {
        let value = || attribute(e, "val");
        match e.local_name().as_ref() {
            "tc" if self.depth == 1 && self.row.is_some() => {
                self.cell = Some(Cell {
                    span: 1,
                    ..Cell::default()
                });
                self.end_cell()?;
            }
            "gridBefore" if self.depth == 1 && self.cell.is_none() => {
                if let Some(row) = &mut self.row {
                    let before = value().and_then(|v| v.parse().ok()).unwrap_or(0usize);
                    row.cells
                        .resize(row.cells.len() + before.min(MAX_SPAN), String::new());
                }
            }
            "gridSpan" if self.depth == 1 => {
                if let Some(cell) = &mut self.cell {
                    let span = value().and_then(|v| v.parse().ok()).unwrap_or(1usize);
                    cell.span = span.clamp(1, MAX_SPAN);
                }
            }
            "vMerge" if self.depth == 1 => {
                if let Some(cell) = &mut self.cell {
                    cell.continues = value().is_none_or(|v| v == "continue");
                }
            }
            "vanish" => {
                if let Some(run) = &mut self.run
                    && run.properties
                {
                    run.hidden = !matches!(value().as_deref(), Some("0" | "false" | "off"));
                }
            }
            "br" | "cr" if self.in_content() => self.gap = true,
            "tab" | "ptab" if self.in_content() => self.push("\t"),
            "noBreakHyphen" if self.in_content() => self.push("-"),
            "sym" if self.in_content() => {
                let symbol = attribute(e, "char")
                    .and_then(|hex| u32::from_str_radix(&hex, 16).ok())
                    .and_then(char::from_u32);
                if let Some(c) = symbol {
                    self.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The end of an element.
    fn end(&mut self, name: &str) -> Result<(), Refused> {
        match name {
            "tbl" => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    self.end_table();
                }
            }
            "tr" if self.depth == 1 => {
                if let Some(mut row) = self.row.take() {
                    if let Some(above) = self.rows.last() {
                        for &column in &row.continues {
                            if let Some(text) = above.get(column) {
                                row.cells[column].clone_from(text);
                            }
                        }
                    }
                    self.rows.push(row.cells);
                }
            }
            "tc" if self.depth == 1 => self.end_cell()?,
            "p" => self.gap = true,
            "del" | "moveFrom" => self.skip = self.skip.saturating_sub(1),
            "r" => self.run = None,
            "rPr" => {
                if let Some(run) = &mut self.run {
                    run.properties = false;
                }
            }
            "t" => self.in_text = false,
            _ => {}
        }
        Ok(())
    }

    /// A top-level table ends: the List of Actions when its header is the first one found,
    /// or more of it when it continues the List (as wide, nothing but empty paragraphs
    /// between, its header repeated or not), or the end of the List.
    fn end_table(&mut self) {
        let rows = std::mem::take(&mut self.rows);
        let count = rows.len() as u64;
        match &mut self.found {
            None => {
                if let Some(table) = below_header(rows, 0, self.is_header) {
                    self.found = Some(Found {
                        width: table.headers.len(),
                        table,
                        first: self.tables,
                        last: self.tables,
                        rows: count,
                        words_after: false,
                        ended: false,
                    });
                }
            }
            Some(found) if rows.first().is_some_and(|r| r.len() == found.width) => {
                let repeated = (self.is_header)(&rows[0]);
                let before = found.rows;
                found.table.rows.extend(
                    rows.into_iter()
                        .enumerate()
                        .skip(usize::from(repeated))
                        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
                        .map(|(index, cells)| (before + index as u64 + 1, cells)),
                );
                found.rows += count;
                found.last = self.tables;
            }
            Some(found) => found.ended = true,
        }
    }

    /// The List of Actions, once found.
    fn take_found(&mut self) -> Option<SheetTable> {
        self.found.take().map(|found| SheetTable {
            table: found.table,
            place: if found.first == found.last {
                format!("table {}", found.first)
            } else {
                format!("tables {}–{}", found.first, found.last)
            },
        })
    }

    fn end_cell(&mut self) -> Result<(), Refused> {
        let (Some(cell), Some(row)) = (self.cell.take(), &mut self.row) else {
            return Ok(());
        };
        self.cells += cell.span;
        if self.cells > MAX_CELLS {
            return Err(Refused::Plain(format!(
                "its table {} has more than {MAX_CELLS} cells, more than any plan's table",
                self.tables
            )));
        }
        if cell.continues {
            row.continues.push(row.cells.len());
        }
        row.cells.push(cell.text);
        row.cells
            .resize(row.cells.len() + cell.span - 1, String::new());
        self.gap = false;
        Ok(())
    }

    /// In a run's content (not its properties), where a tab or a break is text.
    fn in_content(&self) -> bool {
        self.run.is_some_and(|run| !run.properties)
    }

    /// Character data: text of the document inside `w:t`, nothing elsewhere.
    fn content(&mut self, text: &str) {
        if !self.in_text {
            return;
        }
        if self.depth == 0
            && let Some(found) = &mut self.found
            && !text.trim().is_empty()
        {
            found.words_after = true;
        }
        self.push(text);
    }

    /// Text the document shows, kept when it is in a cell of the table being read.
    fn push(&mut self, text: &str) {
        let Some(cell) = &mut self.cell else {
            return;
        };
        if self.skip > 0 || self.run.is_some_and(|run| run.hidden) || text.is_empty() {
            return;
        }
        if std::mem::take(&mut self.gap) && !cell.text.is_empty() && !cell.text.ends_with(' ') {
            cell.text.push(' ');
        }
        cell.text.push_str(text);
    }
}

/// The namespaces a walk tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Space {
    Word,
    Drawing,
    Compatibility,
    Strict,
    Other,
}

impl Space {
    fn of(resolved: &ResolveResult) -> Self {
        match resolved {
            ResolveResult::Bound(ns) => match ns.0 {
                MAIN => Self::Word,
                DRAWING => Self::Drawing,
                COMPATIBILITY => Self::Compatibility,
                ns if ns.starts_with(STRICT) => Self::Strict,
                _ => Self::Other,
            },
            _ => Self::Other,
        }
    }
}

/// The root element is Word's (the document, or a part a reference document lends: styles,
/// numbering, a theme), and not Strict Open XML.
fn check_root(ns: Space, part: &str) -> Result<(), Refused> {
    match ns {
        Space::Strict => Err(Refused::Strict),
        Space::Word | Space::Drawing => Ok(()),
        Space::Compatibility | Space::Other => Err(Refused::Plain(format!(
            "its part `{part}` is not WordprocessingML: it is not a Word document"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A cell holding one paragraph of `text`.
    fn tc(text: &str) -> String {
        format!("<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
    }

    fn read(body: &str) -> Result<SheetTable, String> {
        let document = format!(
            "<?xml version=\"1.0\"?><w:document xmlns:w=\"{MAIN}\" xmlns:mc=\"{COMPATIBILITY}\"><w:body>{body}</w:body></w:document>"
        );
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(document.as_bytes()).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        read_docx_bytes(&bytes, "t.docx", &|cells| {
            cells.first().is_some_and(|c| c == "#")
        })
        .map_err(|e| e.to_string())
    }

    #[test]
    fn cells_read_as_the_document_means_them() {
        let header = format!(
            "<w:tr>{}{}<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>LEAD</w:t></w:r></w:p></w:tc>{}</w:tr>",
            tc("#"),
            tc("ACTION"),
            tc("STATUS")
        );
        let title = "<w:tc><w:p><w:r><w:t>Implemen-</w:t></w:r></w:p><w:p>\
            <w:ins><w:r><w:t>tation</w:t></w:r></w:ins>\
            <w:del><w:r><w:delText>gone</w:delText></w:r></w:del>\
            <w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r>\
            <w:r><w:tab/><w:t>a &amp; b&#x21;</w:t><w:br/><w:t>c</w:t><w:sym w:font=\"Symbol\" w:char=\"2013\"/></w:r>\
            <mc:AlternateContent><mc:Choice><w:r><w:t> d</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t> d</w:t></w:r></mc:Fallback></mc:AlternateContent>\
            </w:p></w:tc>";
        let lead = "<w:tc><w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
            <w:r><w:instrText> MERGEFIELD lead </w:instrText></w:r>\
            <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>DCAF</w:t></w:r>\
            <w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:tc><w:tc/>";
        let first = format!("<w:tr>{}{title}{lead}{}</w:tr>", tc("1"), tc("planned"));
        let second = format!(
            "<w:tr>{}<w:tc><w:tbl><w:tr>{}{}</w:tr></w:tbl><w:p/></w:tc>\
             <w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>JOO</w:t></w:r></w:p></w:tc>\
             <w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>",
            tc("2"),
            tc("inner"),
            tc("table")
        );
        let blank = "<w:tr><w:tc><w:p/></w:tc></w:tr>";
        let other = format!("<w:tbl><w:tr>{}{}</w:tr></w:tbl>", tc("Meeting"), tc("#"));
        let table = read(&format!(
            "<w:p><w:r><w:t>#</w:t></w:r></w:p>{other}<w:tbl>{header}{first}{second}{blank}</w:tbl>\
             <w:tbl><w:tr>{}</w:tr></w:tbl>",
            tc("#")
        ))
        .unwrap();
        assert_eq!(table.place, "table 2");
        assert_eq!(table.table.headers, ["#", "ACTION", "LEAD", "", "STATUS"]);
        let rows: Vec<(u64, Vec<&str>)> = table
            .table
            .rows
            .iter()
            .map(|(line, cells)| (*line, cells.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            rows,
            [
                (
                    2,
                    vec![
                        "1",
                        "Implemen- tation\ta & b! c\u{2013} d",
                        "DCAF",
                        "",
                        "planned"
                    ]
                ),
                (3, vec!["2", "inner table", "JOO", "", "planned"]),
            ]
        );
    }

    #[test]
    fn a_table_split_over_pages_reads_whole() {
        let row = |cells: &[&str]| {
            format!(
                "<w:tr>{}</w:tr>",
                cells.iter().map(|c| tc(c)).collect::<String>()
            )
        };
        let list = format!(
            "<w:tbl>{}{}</w:tbl><w:p/><w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>\
             <w:tbl>{}{}</w:tbl><w:tbl>{}</w:tbl>\
             <w:p><w:r><w:t>Annex</w:t></w:r></w:p><w:tbl>{}</w:tbl>",
            row(&["#", "ACTION"]),
            row(&["1", "one"]),
            row(&["#", "ACTION"]),
            row(&["2", "two"]),
            row(&["3", "three"]),
            row(&["4", "not the list"]),
        );
        let table = read(&list).unwrap();
        assert_eq!(table.place, "tables 1–3");
        assert_eq!(
            table.table.rows,
            [
                (2, vec!["1".to_string(), "one".into()]),
                (4, vec!["2".to_string(), "two".into()]),
                (5, vec!["3".to_string(), "three".into()]),
            ]
        );
        // A table of another width ends it too.
        let narrower = format!(
            "<w:tbl>{}{}</w:tbl><w:tbl>{}</w:tbl><w:tbl>{}</w:tbl>",
            row(&["#", "ACTION"]),
            row(&["1", "one"]),
            row(&["x"]),
            row(&["2", "two"])
        );
        assert_eq!(read(&narrower).unwrap().table.rows.len(), 1);
    }

    #[test]
    fn spans_are_capped() {
        let wide =
            "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"4000000000\"/></w:tcPr><w:p/></w:tc></w:tr>";
        let spanned = read(&format!(
            "<w:tbl><w:tr>{}</w:tr>{wide}{wide}</w:tbl>",
            tc("#")
        ))
        .unwrap();
        assert!(spanned.table.rows.is_empty());
        assert_eq!(spanned.table.headers, ["#"]);
        let error = read(&"<w:tbl><w:tr><w:tc/></w:tr></w:tbl>".repeat(2)).unwrap_err();
        assert!(error.contains("none of its 2 tables"), "{error}");
    }
}
