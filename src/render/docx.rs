//! The plan as a Word document that looks like the meeting paper: the title and date; the
//! List of Actions as a table in the document's nine columns, on landscape pages, its header
//! row repeated on every page; Annex 1 by forum with its numbered needs; Annex 2 as the
//! Outcome / Objective / Output table, each outcome's cell merged down over its objectives;
//! and a glossary of every code the actions use.
//!
//! `WordprocessingML` is written by hand, not through a library, to keep hold of what makes
//! Word and `LibreOffice` lay the tables out alike: fixed column widths (`w:tblGrid` and
//! every cell's `w:tcW` under `w:tblLayout fixed`), `w:tblHeader`, `w:vMerge`. Every piece of
//! the data's text goes through [`text`]: control characters are shown as `\u001b`, as on a
//! terminal, and nothing XML forbids reaches the file. The same plan gives the same bytes:
//! the zip's times are fixed (`SOURCE_DATE_EPOCH`, else 1980-01-01).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Write as _};

use chrono::{Datelike, NaiveDateTime, Timelike};
use zip::write::SimpleFileOptions;

use super::Stream;
use super::action::{ActionRow, cells};
use super::cell::from_spreadsheet;
use super::document::{
    ANNEX_1, ANNEX_2, LIST_OF_ACTIONS, actions_by_id, answered_by, forum_heading, logframe_grid,
    subtitle, title,
};
use super::terminal::clean;
use super::xlsx::sheet_name;
use crate::import::Column;
use crate::model::{Entry, Need, Registry, RegistryKind};
use crate::store::Plan;

/// A4 in twentieths of a point, and margins of 2 cm.
const PAGE: (u32, u32) = (11_906, 16_838);
const MARGIN: u32 = 1_134;
/// The width of a landscape page's text, and of a portrait one's.
const WIDE: u32 = PAGE.1 - 2 * MARGIN;
const NARROW: u32 = PAGE.0 - 2 * MARGIN;
/// The List of Actions' columns, in twips (they add up to [`WIDE`]).
const ACTION_WIDTHS: [u32; 9] = [458, 3300, 1218, 1500, 1220, 2288, 1704, 1204, 1678];
/// Annex 2's columns (adding up to [`NARROW`]).
const LOGFRAME_WIDTHS: [u32; 3] = [2890, 3374, 3374];
/// The glossary's columns.
const GLOSSARY_WIDTHS: [u32; 2] = [1900, NARROW - 1900];
const fn sum(widths: &[u32]) -> u32 {
    let (mut total, mut index) = (0, 0);
    while index < widths.len() {
        total += widths[index];
        index += 1;
    }
    total
}
// Each table fills its page's width.
const _: () = assert!(sum(&ACTION_WIDTHS) == WIDE);
const _: () = assert!(sum(&LOGFRAME_WIDTHS) == NARROW);
const _: () = assert!(sum(&GLOSSARY_WIDTHS) == NARROW);
/// Text in tables, in half-points.
const TABLE_TEXT: u32 = 17;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The parts a reference document (`--reference-doc`) lends: its styles, and the numbering
/// and theme they may lean on.
pub const LENT_PARTS: [&str; 3] = [
    "word/styles.xml",
    "word/numbering.xml",
    "word/theme/theme1.xml",
];

/// How the document is made besides the plan.
#[derive(Debug, Default)]
pub struct Options {
    /// Parts of a reference document, by name (any of [`LENT_PARTS`]), used in place of
    /// iisg's own styles.
    pub reference: Vec<(String, String)>,
    /// When it is made: the zip's times and the document's dates. `None` writes 1980-01-01
    /// in the zip and no dates in the document.
    pub made: Option<NaiveDateTime>,
}

/// Writes the document to `out`, `word/document.xml` a row at a time into its zip entry.
///
/// # Errors
/// When `out` fails, or the zip cannot be written (only for a plan past zip's limits).
pub fn document<W: io::Write + io::Seek>(
    plan: &Plan,
    options: &Options,
    out: W,
) -> Result<W, zip::result::ZipError> {
    let lent = |name: &str| {
        options
            .reference
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, text)| text.as_str())
    };
    let styles = lent(LENT_PARTS[0]).unwrap_or(STYLES);
    let numbering = lent(LENT_PARTS[1]);
    let theme = lent(LENT_PARTS[2]);

    let time = options
        .made
        .and_then(|t| {
            zip::DateTime::from_date_and_time(
                u16::try_from(t.year()).ok()?,
                t.month() as u8,
                t.day() as u8,
                t.hour() as u8,
                t.minute() as u8,
                t.second() as u8,
            )
            .ok()
        })
        .unwrap_or_default();
    let file = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(out);
    let part = |zip: &mut zip::ZipWriter<W>, name: &str, text: &str| {
        zip.start_file(name, file)?;
        zip.write_all(text.as_bytes())?;
        Ok::<_, zip::result::ZipError>(())
    };
    let (numbered, themed) = (numbering.is_some(), theme.is_some());
    part(
        &mut zip,
        "[Content_Types].xml",
        &content_types(numbered, themed),
    )?;
    part(&mut zip, "_rels/.rels", &package_rels())?;
    part(&mut zip, "docProps/core.xml", &core(plan, options.made))?;
    zip.start_file("word/document.xml", file)?;
    // Handed to the compressor in pieces of 1 MiB: how zlib-rs deflates depends on how its
    // input arrives, and a document under 1 MiB arrives whole, as when it was made in memory.
    // (Never flushed: a flush would end a deflate block.)
    let mut entry = io::BufWriter::with_capacity(1 << 20, &mut zip);
    body(plan, &mut Stream::to(&mut entry))?;
    entry.into_inner().map_err(io::IntoInnerError::into_error)?;
    let rels = document_rels(numbered, themed);
    part(&mut zip, "word/_rels/document.xml.rels", &rels)?;
    part(&mut zip, "word/styles.xml", styles)?;
    part(&mut zip, "word/settings.xml", SETTINGS)?;
    part(&mut zip, "word/footer1.xml", FOOTER)?;
    if let Some(numbering) = numbering {
        part(&mut zip, "word/numbering.xml", numbering)?;
    }
    if let Some(theme) = theme {
        part(&mut zip, "word/theme/theme1.xml", theme)?;
    }
    zip.finish()
}

/// Appends `raw` as XML character data: control characters shown as on a terminal
/// (`\u001b`), `&`, `<` and `>` escaped, and the two characters XML forbids that are not
/// controls (U+FFFE, U+FFFF) replaced.
fn text(out: &mut String, raw: &str) {
    for c in clean(raw).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// A run of `raw` with the run properties `properties` (`<w:b/>` and so on): each tab a
/// `w:tab`. Line ends are the caller's: they are paragraphs.
fn run(out: &mut String, properties: &str, raw: &str) {
    out.push_str("<w:r>");
    if !properties.is_empty() {
        let _ = write!(out, "<w:rPr>{properties}</w:rPr>");
    }
    for (index, piece) in raw.split('\t').enumerate() {
        if index > 0 {
            out.push_str("<w:tab/>");
        }
        if !piece.is_empty() {
            out.push_str("<w:t xml:space=\"preserve\">");
            text(out, piece);
            out.push_str("</w:t>");
        }
    }
    out.push_str("</w:r>");
}

/// A paragraph of the style `style` holding `raw`, one run.
fn styled(out: &mut String, style: &str, raw: &str) {
    let _ = write!(out, "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>");
    run(out, "", raw);
    out.push_str("</w:p>");
}

/// The paragraph that ends a section; `wide` for landscape pages.
fn section_end(out: &mut String, wide: bool) {
    out.push_str("<w:p><w:pPr>");
    section(out, wide);
    out.push_str("</w:pPr></w:p>");
}

/// A section's properties: A4, portrait or landscape, the page number in the footer.
fn section(out: &mut String, wide: bool) {
    let (width, height, orient) = if wide {
        (PAGE.1, PAGE.0, " w:orient=\"landscape\"")
    } else {
        (PAGE.0, PAGE.1, "")
    };
    let _ = write!(
        out,
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
         <w:pgSz w:w=\"{width}\" w:h=\"{height}\"{orient}/>\
         <w:pgMar w:top=\"{MARGIN}\" w:right=\"{MARGIN}\" w:bottom=\"{MARGIN}\" w:left=\"{MARGIN}\" \
         w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>"
    );
}

/// How a cell of a table is merged with the one below or above it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Merge {
    None,
    /// The first of cells merged down.
    Restart,
    /// Merged into the cell above.
    Continue,
}

/// A table: a header row repeated on every page, then the rows, each handed on as it is
/// made; each cell as wide as its column, its lines as paragraphs. `merge` says how each
/// row's first cell is merged.
fn table<R: AsRef<[String]>>(
    out: &mut Stream,
    widths: &[u32],
    headers: &[&str],
    rows: impl IntoIterator<Item = R>,
    merge: &dyn Fn(usize) -> Merge,
) -> io::Result<()> {
    let total: u32 = widths.iter().sum();
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:tblBorders>"
    );
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        let _ = write!(
            out,
            "<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"
        );
    }
    out.push_str(
        "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar>\
         <w:left w:w=\"70\" w:type=\"dxa\"/><w:right w:w=\"70\" w:type=\"dxa\"/></w:tblCellMar>\
         <w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" \
         w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
    );
    for width in widths {
        let _ = write!(out, "<w:gridCol w:w=\"{width}\"/>");
    }
    out.push_str("</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (header, width) in headers.iter().zip(widths) {
        cell(out, *width, header, Merge::None, true);
    }
    out.push_str("</w:tr>");
    for (index, row) in rows.into_iter().enumerate() {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (column, (raw, width)) in row.as_ref().iter().zip(widths).enumerate() {
            let merge = if column == 0 {
                merge(index)
            } else {
                Merge::None
            };
            cell(out, *width, raw, merge, false);
        }
        out.push_str("</w:tr>");
        out.done()?;
    }
    out.push_str("</w:tbl>");
    Ok(())
}

/// One cell: its width, its merge, each line of `raw` a paragraph in table text.
fn cell(out: &mut String, width: u32, raw: &str, merge: Merge, header: bool) {
    let _ = write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
    match merge {
        Merge::None => {}
        Merge::Restart => out.push_str("<w:vMerge w:val=\"restart\"/>"),
        Merge::Continue => out.push_str("<w:vMerge/>"),
    }
    if header {
        out.push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"DDE5F0\"/>");
    }
    out.push_str("</w:tcPr>");
    let properties = format!(
        "{}<w:sz w:val=\"{TABLE_TEXT}\"/><w:szCs w:val=\"{TABLE_TEXT}\"/>",
        if header { "<w:b/>" } else { "" }
    );
    let raw = if merge == Merge::Continue { "" } else { raw };
    for line in raw.split('\n') {
        out.push_str(
            "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" \
             w:lineRule=\"auto\"/></w:pPr>",
        );
        let line = line.strip_suffix('\r').unwrap_or(line);
        if !line.is_empty() {
            run(out, &properties, line);
        }
        out.push_str("</w:p>");
    }
    out.push_str("</w:tc>");
}

/// A cell of the List of Actions as `import` reads it back: with one more apostrophe when
/// the importer would take one off (`'=x` stays `'=x`, see [`from_spreadsheet`]).
fn reads_back(raw: String) -> String {
    if from_spreadsheet(&raw) == raw {
        raw
    } else {
        format!("'{raw}")
    }
}

/// `word/document.xml`, written to `out` a row or a paragraph at a time.
fn body(plan: &Plan, out: &mut Stream) -> io::Result<()> {
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:body>"
    );
    styled(out, "Title", title(plan));
    let subtitle = subtitle(plan);
    if !subtitle.is_empty() {
        styled(out, "Subtitle", &subtitle);
    }
    styled(out, "Heading1", LIST_OF_ACTIONS);
    let rows = actions_by_id(plan).into_iter().map(|loaded| {
        let cells = cells(&ActionRow::new(loaded));
        cells.into_iter().map(reads_back).collect::<Vec<_>>()
    });
    let headers = Column::ALL.map(Column::heading);
    table(out, &ACTION_WIDTHS, &headers, rows, &|_| Merge::None)?;
    section_end(out, true);

    if !plan.forums.is_empty() {
        styled(out, "Heading1", ANNEX_1);
        let coverage = crate::analysis::coverage::coverage(plan);
        let answers = coverage.by_need();
        for forum in &plan.forums {
            styled(out, "Heading2", forum_heading(&forum.record));
            let item = |out: &mut String, need: &Need, level: u32| {
                let _ = write!(
                    out,
                    "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"{}\"/></w:tabs>\
                     <w:ind w:left=\"{}\" w:hanging=\"1020\"/></w:pPr>",
                    1020 * level,
                    1020 * level
                );
                run(out, "<w:b/>", &format!("{}\t", need.id.value));
                run(out, "", &need.text.value);
                if let Some(answer) = answers.get(need.id.value.as_str()) {
                    run(
                        out,
                        "<w:i/><w:color w:val=\"595959\"/>",
                        &format!(" ({})", answered_by(answer)),
                    );
                }
                out.push_str("</w:p>");
            };
            for need in &forum.record.needs.value {
                item(out, &need.value, 1);
                for sub in &need.value.items {
                    item(out, &sub.value, 2);
                }
                out.done()?;
            }
        }
    }
    if !plan.logframe.is_empty() {
        out.push_str("<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/><w:pageBreakBefore/></w:pPr>");
        run(out, "", ANNEX_2);
        out.push_str("</w:p>");
        let grid = logframe_grid(plan);
        let rows = &grid.rows;
        // An outcome's cell runs down over the rows of its other objectives, which leave it
        // empty.
        let merge = |index: usize| {
            if rows[index][0].is_empty() {
                Merge::Continue
            } else if rows.get(index + 1).is_some_and(|next| next[0].is_empty()) {
                Merge::Restart
            } else {
                Merge::None
            }
        };
        let headers: Vec<&str> = grid.headers.iter().map(String::as_str).collect();
        table(out, &LOGFRAME_WIDTHS, &headers, rows, &merge)?;
    }
    glossary(out, plan)?;
    // Word ends a body with a paragraph, never with a table.
    out.push_str("<w:p/>");
    section(out, false);
    out.push_str("</w:body></w:document>");
    out.done()
}

/// Every code the actions use, with its name, registry by registry.
fn glossary(out: &mut Stream, plan: &Plan) -> io::Result<()> {
    let mut partners = BTreeSet::new();
    let mut places = BTreeSet::new();
    let mut funding = BTreeSet::new();
    for action in &plan.actions {
        let action = &action.record;
        partners.extend(action.leads().chain(action.involved()));
        places.extend(action.locations());
        funding.extend(action.financing().map(|f| f.source.as_str()));
    }
    if partners.is_empty() && places.is_empty() && funding.is_empty() {
        return Ok(());
    }
    styled(out, "Heading1", "Glossary");
    for kind in [
        RegistryKind::Partners,
        RegistryKind::Locations,
        RegistryKind::Funding,
    ] {
        let rows = match kind {
            RegistryKind::Partners => used(&plan.partners, &partners),
            RegistryKind::Locations => used(&plan.places, &places),
            RegistryKind::Funding => used(&plan.funding, &funding),
        };
        if rows.is_empty() {
            continue;
        }
        styled(out, "Heading2", sheet_name(kind));
        table(out, &GLOSSARY_WIDTHS, &["Code", "Name"], &rows, &|_| {
            Merge::None
        })?;
    }
    Ok(())
}

/// The registry's entries among `codes`, in the registry's order, then the codes it does
/// not know.
fn used<E: Entry>(registry: &Registry<E>, codes: &BTreeSet<&str>) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = registry
        .entries()
        .iter()
        .filter(|e| codes.contains(e.code().value.as_str()))
        .map(|e| vec![e.code().value.clone(), e.name().to_string()])
        .collect();
    for code in codes {
        if registry.get(code).is_none() {
            rows.push(vec![(*code).to_string(), "(not in the registry)".into()]);
        }
    }
    rows
}

/// `[Content_Types].xml`.
fn content_types(numbering: bool, theme: bool) -> String {
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/word/document.xml\" ContentType=\"{main}.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"{main}.styles+xml\"/>\
         <Override PartName=\"/word/settings.xml\" ContentType=\"{main}.settings+xml\"/>\
         <Override PartName=\"/word/footer1.xml\" ContentType=\"{main}.footer+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    );
    if numbering {
        let _ = write!(
            out,
            "<Override PartName=\"/word/numbering.xml\" ContentType=\"{main}.numbering+xml\"/>"
        );
    }
    if theme {
        out.push_str(
            "<Override PartName=\"/word/theme/theme1.xml\" \
             ContentType=\"application/vnd.openxmlformats-officedocument.theme+xml\"/>",
        );
    }
    out.push_str("</Types>");
    out
}

/// `_rels/.rels`.
fn package_rels() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"{RELS}\">\
         <Relationship Id=\"rId1\" Type=\"{OFFICE_RELS}/officeDocument\" Target=\"word/document.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{RELS}/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
         </Relationships>"
    )
}

/// `word/_rels/document.xml.rels`.
fn document_rels(numbering: bool, theme: bool) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"{RELS}\">\
         <Relationship Id=\"rIdStyles\" Type=\"{OFFICE_RELS}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rIdSettings\" Type=\"{OFFICE_RELS}/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rIdFooter\" Type=\"{OFFICE_RELS}/footer\" Target=\"footer1.xml\"/>"
    );
    if numbering {
        let _ = write!(
            out,
            "<Relationship Id=\"rIdNumbering\" Type=\"{OFFICE_RELS}/numbering\" Target=\"numbering.xml\"/>"
        );
    }
    if theme {
        let _ = write!(
            out,
            "<Relationship Id=\"rIdTheme\" Type=\"{OFFICE_RELS}/theme\" Target=\"theme/theme1.xml\"/>"
        );
    }
    out.push_str("</Relationships>");
    out
}

/// `docProps/core.xml`: the title, iisg as the creator, and when it was made if told.
fn core(plan: &Plan, made: Option<NaiveDateTime>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>",
    );
    text(&mut out, title(plan));
    out.push_str("</dc:title><dc:creator>iisg</dc:creator>");
    if let Some(made) = made {
        let when = made.format("%Y-%m-%dT%H:%M:%SZ");
        let _ = write!(
            out,
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created>\
             <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified>"
        );
    }
    out.push_str("</cp:coreProperties>");
    out
}

/// `word/settings.xml`: Word 2013 and later's layout, not compatibility mode.
const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:defaultTabStop w:val=\"567\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
</w:settings>";

/// `word/footer1.xml`: the page number, centred.
const FOOTER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\
<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
</w:p></w:ftr>";

/// `word/styles.xml` when no reference document lends one: Arial (which `LibreOffice` shows
/// as the metrically equal Liberation Sans), and the styles the document uses.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>\
<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/><w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:spacing w:after=\"60\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"1F3864\"/><w:sz w:val=\"36\"/><w:szCs w:val=\"36\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Subtitle\"><w:name w:val=\"Subtitle\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:spacing w:after=\"240\"/></w:pPr><w:rPr><w:color w:val=\"595959\"/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/></w:pPr>\
<w:rPr><w:b/><w:color w:val=\"1F3864\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"200\" w:after=\"80\"/><w:outlineLvl w:val=\"1\"/></w:pPr>\
<w:rPr><w:b/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/></w:rPr></w:style>\
<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:semiHidden/>\
<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>";

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(raw: &str) -> String {
        let mut out = String::new();
        text(&mut out, raw);
        out
    }

    #[test]
    fn text_is_always_xml() {
        assert_eq!(escaped("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
        assert_eq!(escaped("bell\u{7}\u{0}end"), "bell\\u0007\\u0000end");
        assert_eq!(escaped("\u{1b}[2J\u{202e}"), "\\u001b[2J\\u202e");
        assert_eq!(escaped("no\u{fffe}\u{ffff}"), "no\u{fffd}\u{fffd}");
        assert_eq!(escaped("čćžšđ – “x”"), "čćžšđ – “x”");
    }

    #[test]
    fn cells_read_back_as_written() {
        assert_eq!(reads_back("=SUM(A1)".into()), "=SUM(A1)");
        assert_eq!(reads_back("'=SUM(A1)".into()), "''=SUM(A1)");
        assert_eq!(reads_back("'hello".into()), "'hello");
        for raw in ["'=x", "''+1", "plain", "'-"] {
            assert_eq!(from_spreadsheet(&reads_back(raw.into())), raw);
        }
    }
}
