//! `export --format docx` and `import FILE.docx`: the meeting paper as a Word document that
//! python-docx reads as the document's tables, read back with the same rules as a CSV; a
//! document someone wrote around the List of Actions imports; hostile documents are refused.

use std::path::{Path, PathBuf};

use crate::import::{document, emptied_with, has_the_shipped_actions};
use crate::test::Test;
use crate::workbook::{bomb, encrypted, imports_unchanged, python_with, refused, zip_of};

fn export(test: &Test, args: &[&str]) -> PathBuf {
    let mut all = vec!["export", "--format", "docx", "-o", "plan.docx"];
    all.extend_from_slice(args);
    let out = Test::run_in(test, &all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    test.dir.path().join("plan.docx")
}

/// Runs a Python script with python-docx, what people's own scripts read Word files with.
fn python(script: &str, args: &[&Path]) -> String {
    python_with("docx", "python-docx", script, args)
}

#[test]
fn python_docx_reads_the_tables_cell_by_cell() {
    let test = Test::shipped();
    let path = export(&test, &[]);
    let out = python(
        r"
import docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
actions, logframe = d.tables[0], d.tables[1]
print(len(d.tables), len(actions.rows))
print([c.text for c in actions.rows[0].cells])
print([c.text for c in actions.rows[2].cells])
print([c.text for c in actions.rows[7].cells])
first = actions.rows[0]._tr
print(first.trPr.find(qn('w:tblHeader')) is not None)
print(actions._tbl.tblPr.find(qn('w:tblLayout')).get(qn('w:type')))
print([c.width.twips if c.width else None for c in actions.columns])
print(d.sections[0].orientation, d.sections[1].orientation)
print([p.text for p in d.paragraphs[:3]])
print([logframe.cell(r, 0).text[:20] for r in range(1, 5)])
merges = [tc.tcPr.find(qn('w:vMerge')) for tc in logframe._tbl.iter(qn('w:tc'))]
print(sum(m is not None and m.get(qn('w:val')) == 'restart' for m in merges))
print(' | '.join(p.text for p in d.paragraphs if p.style.name == 'Heading 1'))
",
        &[&path],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "5 29", "{out}");
    assert_eq!(
        lines[1],
        "['#', 'ACTION', 'LEAD PARTNER', 'INVOLVED', 'LOCATION', 'SCOPE', 'TIMELINE', 'STATUS', 'FINANCING']"
    );
    // The same cells as the CSV and the workbook write.
    assert_eq!(
        lines[2],
        "['2', 'Joint Operation TUZI', 'DCAF', 'EUROPOL, FRONTEX', 'ALB-MNE', 'Border police', 'October 2018', 'completed', 'IPA-II-2017, GIZ']"
    );
    assert_eq!(
        lines[3],
        "['7', 'Joint Operation with executive powers on the territory of key WB countries at their borders with MS', 'FRONTEX', '', 'ALB-GRE, MKD-GRE, SRB, MNE, BIH', 'Border Control; cross-border crime and capacity building operational activities', 'Starting after the entry into force of the respective Status Agreement', 'in-progress', 'FRONTEX']"
    );
    assert_eq!(lines[4], "True", "the header row repeats on every page");
    assert_eq!(lines[5], "fixed");
    assert_eq!(
        lines[6],
        "[458, 3300, 1218, 1500, 1220, 2288, 1704, 1204, 1678]"
    );
    assert_eq!(lines[7], "LANDSCAPE (1) PORTRAIT (0)");
    assert_eq!(
        lines[8],
        "['IISG Response Action 2018-2019', 'Issued 26 February 2019 · July 2018 – December 2019 · statuses as of 26 February 2019', 'List of Actions']"
    );
    // The first outcome runs down over its two objectives.
    assert_eq!(
        lines[9],
        "['1. Improvement of na', '1. Improvement of na', '2. Increasing the us', '3. Ensuring that all']"
    );
    assert_eq!(lines[10], "4", "four outcomes have more than one objective");
    assert_eq!(
        lines[11],
        "List of Actions | Annex 1: needs and conclusions of the regional meetings | Annex 2: logical framework | Glossary"
    );
}

#[test]
fn exported_and_imported_back_it_changes_nothing() {
    let test = Test::shipped();
    export(&test, &[]);
    imports_unchanged(&test, &["plan.docx", "--dry-run"]);
    imports_unchanged(&test, &["plan.docx"]);
    let out = Test::run_in(&test, &["export", "--format", "docx"]);
    assert_eq!(out.code, 2, "a Word document needs -o");
    assert!(out.stderr.contains("-o plan.docx"), "{}", out.stderr);
}

#[test]
fn the_same_plan_gives_the_same_bytes() {
    let test = Test::shipped();
    let bytes = |epoch: Option<&str>| {
        let env: Vec<(&str, &str)> = epoch
            .map(|e| ("SOURCE_DATE_EPOCH", e))
            .into_iter()
            .collect();
        let out = test.run_with(&["export", "--format", "docx", "-o", "plan.docx"], &env);
        assert_eq!(out.code, 0, "{}", out.stderr);
        std::fs::read(test.dir.path().join("plan.docx")).unwrap()
    };
    assert_eq!(bytes(None), bytes(None));
    let stamped = bytes(Some("1551139200"));
    assert_eq!(stamped, bytes(Some("1551139200")));
    assert_ne!(stamped, bytes(None));
    let core = python(
        "import docx\nprint(docx.Document(sys.argv[1]).core_properties.created)",
        &[&test.dir.path().join("plan.docx")],
    );
    assert_eq!(core.trim(), "None");
}

/// The document's List of Actions as a Word table among other tables and paragraphs, split
/// over two pages, its long cells in two paragraphs, a hyphenated word broken over a line,
/// as a person's file has it.
const AROUND: &str = r"
import docx
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1], encoding='utf-8') if l.strip()]
d = docx.Document()
d.add_heading('IISG RESPONSE ACTION 2018-2019', 0)
d.add_paragraph('Based on the initial request: # ACTION LEAD PARTNER INVOLVED LOCATION.')
t = d.add_table(rows=2, cols=3)
for c, text in enumerate(['Meeting', 'Place', 'Dates']):
    t.cell(0, c).text = text
t.cell(1, 0).text = 'Chiefs of Border Police'
d.add_paragraph('Rapid Reaction Plan 2018-2019 – List of Actions')
# Split over two pages as two tables, the second without a header.
first = d.add_table(rows=16, cols=9)
d.add_page_break()
second = d.add_table(rows=len(rows) - 16, cols=9)
for r, row in enumerate(rows):
    for c, text in enumerate(row):
        cell = first.cell(r, c) if r < 16 else second.cell(r - 16, c)
        words = text.split(' ')
        if '- ' in text:
            before, after = text.split('- ', 1)
            cell.text = before + '-'
            cell.paragraphs[0].add_run().add_break()
            cell.paragraphs[0].add_run(after)
        elif len(words) > 3 and c in (1, 5):
            cell.text = ' '.join(words[:len(words) // 2])
            cell.add_paragraph(' '.join(words[len(words) // 2:]))
        else:
            cell.text = text
d.add_page_break()
d.add_heading('ANNEX 1 – needs, conclusions and proposals', 1)
t = d.add_table(rows=2, cols=2)
t.cell(0, 0).text = '#'
t.cell(0, 1).text = 'ACTION'
d.save(sys.argv[2])
";

#[test]
fn a_word_document_around_the_list_imports_the_28_actions() {
    let test = emptied_with("list.tsv", document());
    let tsv = test.dir.path().join("list.tsv");
    let docx = test.dir.path().join("paper.docx");
    python(AROUND, &[&tsv, &docx]);
    let out = Test::run_in(&test, &["import", "paper.docx"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .ends_with("paper.docx: 28 added, 0 updated, 0 unchanged\n"),
        "{}",
        out.stdout
    );
    has_the_shipped_actions(&test);
    // A finding names the table, its row and the column.
    let edited = test.dir.path().join("edited.docx");
    python(
        r"
import docx
d = docx.Document(sys.argv[1])
d.tables[1].cell(4, 7).text = 'soon'
d.save(sys.argv[2])
",
        &[&docx, &edited],
    );
    let before = test.snapshot_files();
    let out = Test::run_in(&test, &["import", "--update", "edited.docx"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("edited.docx (tables 2–3):5: row 4, column `STATUS`"),
        "{}",
        out.stderr
    );
    assert_eq!(before, test.snapshot_files());
}

#[test]
fn a_reference_document_lends_its_styles() {
    let test = Test::shipped();
    let reference = test.dir.path().join("template.docx");
    python(
        r"
import docx
from docx.shared import Pt
d = docx.Document()
d.styles['Title'].font.size = Pt(40)
d.save(sys.argv[1])
",
        &[&reference],
    );
    let path = export(&test, &["--reference-doc", "template.docx"]);
    let out = python(
        r"
import docx, zipfile
print(zipfile.ZipFile(sys.argv[1]).read('word/styles.xml') == zipfile.ZipFile(sys.argv[2]).read('word/styles.xml'))
print(docx.Document(sys.argv[2]).styles['Title'].font.size.pt)
",
        &[&reference, &path],
    );
    assert_eq!(out, "True\n40.0\n");
    // The template is read with an import's checks.
    std::fs::write(test.dir.path().join("bomb.docx"), bomb("word/styles.xml")).unwrap();
    let out = Test::run_in(
        &test,
        &[
            "export",
            "--format",
            "docx",
            "-o",
            "x.docx",
            "--reference-doc",
            "bomb.docx",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("inflates to more than"),
        "{}",
        out.stderr
    );
    let out = Test::run_in(
        &test,
        &[
            "export",
            "--format",
            "html",
            "--reference-doc",
            "template.docx",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
}

/// A Word document whose main part is `body` (inside `w:document`).
fn word(body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip_of(&[("word/document.xml", document.as_bytes())])
}

#[test]
fn hostile_documents_are_refused() {
    let test = Test::shipped();
    refused(&test, "text.docx", b"#,Action\n1,x\n", "not a zip archive");
    // A zip bomb is refused at the cap, fast and in little memory.
    std::fs::write(test.dir.path().join("bomb.docx"), bomb("word/document.xml")).unwrap();
    let measured = python_with(
        "resource",
        "(the standard library)",
        r"
import subprocess, time
start = time.monotonic()
run = subprocess.run([sys.argv[1], 'import', 'bomb.docx'], cwd=sys.argv[2], capture_output=True)
print(run.returncode, time.monotonic() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
",
        &[Path::new(env!("CARGO_BIN_EXE_iisg")), test.dir.path()],
    );
    let parts: Vec<&str> = measured.split_whitespace().collect();
    assert_eq!(parts[0], "2", "{measured}");
    let seconds: f64 = parts[1].parse().unwrap();
    let kilobytes: u64 = parts[2].parse().unwrap();
    assert!(seconds < 2.0, "{measured}");
    assert!(kilobytes < 200 * 1024, "{measured}");
    refused(
        &test,
        "bomb.docx",
        &bomb("word/document.xml"),
        "inflates to more than 256 MiB",
    );
    refused(
        &test,
        "outside.docx",
        &zip_of(&[("../../evil.xml", b"x")]),
        "names a path outside the archive",
    );
    refused(
        &test,
        "locked.docx",
        &encrypted("word/document.xml"),
        "is encrypted",
    );
    let strict = zip_of(&[(
        "word/document.xml",
        br#"<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"/>"#,
    )]);
    refused(&test, "strict.docx", &strict, "Strict Open XML");
    let strict_rels = zip_of(&[(
        "_rels/.rels",
        br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
    )]);
    refused(&test, "strict2.docx", &strict_rels, "Strict Open XML");
    refused(
        &test,
        "empty.docx",
        &zip_of(&[("a.txt", b"x")]),
        "no document part `word/document.xml`",
    );
    refused(
        &test,
        "plain.docx",
        &word("<w:p><w:r><w:t># ACTION LEAD</w:t></w:r></w:p>"),
        "it has no table",
    );
    refused(
        &test,
        "other.docx",
        &word("<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Meeting</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"),
        "none of its 1 tables has a header row",
    );
    refused(
        &test,
        "broken.docx",
        &word("<w:tbl><w:tr><w:tc><w:p></w:tc></w:tr></w:tbl>"),
        "is not well-formed XML",
    );
    refused(
        &test,
        "cut.docx",
        &zip_of(&[("word/document.xml", b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:tbl>")]),
        "ends before its elements are closed",
    );
    refused(
        &test,
        "entity.docx",
        &word("<w:p><w:r><w:t>&lol;</w:t></w:r></w:p>"),
        "which XML does not define",
    );
    refused(
        &test,
        "doctype.docx",
        &zip_of(&[(
            "word/document.xml",
            b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]><x/>",
        )]),
        "document type declaration",
    );
}

#[test]
fn hostile_text_never_breaks_the_document() {
    let title = "Bell\u{7} <b>&amp;</b> \u{1b}[2J\u{202e} \u{ffff} =SUM(A1) '=x";
    let test = Test::new().file(
        "actions/001-x.yaml",
        crate::test::action(
            1,
            // YAML takes U+FFFF only escaped.
            &serde_json::to_string(title)
                .unwrap()
                .replace('\u{ffff}', "\\uffff"),
            "planned",
            "2019-05",
        ),
    );
    let path = export(&test, &[]);
    // lxml, under python-docx, refuses XML that is not well-formed.
    let out = python(
        "import docx\nprint(docx.Document(sys.argv[1]).tables[0].cell(1, 1).text)",
        &[&path],
    );
    assert_eq!(
        out.trim_end(),
        "Bell\\u0007 <b>&amp;</b> \\u001b[2J\\u202e \u{fffd} =SUM(A1) '=x"
    );
}
