//! `export --format xlsx` and `import FILE.xlsx`: a workbook a focal point fills in, read
//! back with the same rules as a CSV; and hostile workbooks refused.

use std::io::Write as _;

use crate::test::Test;

fn export(test: &Test) -> std::path::PathBuf {
    let path = test.dir.path().join("plan.xlsx");
    let out = Test::run_in(test, &["export", "--format", "xlsx", "-o", "plan.xlsx"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    path
}

/// Runs a Python script on the workbook; openpyxl is what people's own scripts read it with.
fn python(script: &str, args: &[&std::path::Path]) -> String {
    python_with("openpyxl", "openpyxl", script, args)
}

/// Runs a Python script that imports `module` (installed as the package `package`) on the
/// files `args`; its standard output.
pub fn python_with(module: &str, package: &str, script: &str, args: &[&std::path::Path]) -> String {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import sys\ntry:\n    import {module}\nexcept ImportError:\n    sys.exit('python3 -m pip install {package}: the file is checked with it')\n{script}"
        ))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `import --update` with these arguments leaves each of the 28 actions as it is, and every
/// file too.
pub fn imports_unchanged(test: &Test, args: &[&str]) {
    let before = test.snapshot_files();
    let mut all = vec!["import", "--update"];
    all.extend_from_slice(args);
    let out = Test::run_in(test, &all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("0 added, 0 updated, 28 unchanged"),
        "{}",
        out.stdout
    );
    assert_eq!(before, test.snapshot_files());
}

#[test]
fn exported_and_imported_back_it_changes_nothing() {
    let test = Test::shipped();
    // A list whose letters alone spell another code (ALB-MNE) stays a list.
    let path = test.data().join("actions/001-joint-operation-drino.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("locations: [ALB-GRE]", "locations: [ALB, MNE]"),
    )
    .unwrap();
    export(&test);
    imports_unchanged(&test, &["plan.xlsx"]);
    let out = Test::run_in(&test, &["export", "--format", "csv", "-o", "plan.csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    imports_unchanged(&test, &["plan.csv"]);
    let out = Test::run_in(&test, &["export", "--format", "xlsx"]);
    assert_eq!(out.code, 2, "a workbook needs -o");
}

#[test]
fn the_workbook_has_its_sheets_lists_and_frozen_header() {
    let test = Test::shipped();
    let path = export(&test);
    let out = python(
        r#"
wb = openpyxl.load_workbook(sys.argv[1])
print(wb.sheetnames)
ws = wb["Actions"]
print(ws.freeze_panes, ws.auto_filter.ref)
print([c.value for c in ws[1]])
print([c.value for c in ws[3]])
for dv in ws.data_validations.dataValidation:
    print(dv.sqref, dv.formula1)
"#,
        &[&path],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "['Actions', 'Needs', 'Logframe', 'Matrix', 'Partners', 'Locations', 'Funding']"
    );
    assert_eq!(lines[1], "A2 A1:I29");
    assert_eq!(
        lines[2],
        "['#', 'Action', 'Lead', 'Involved', 'Location', 'Scope', 'Timeline', 'Status', 'Financing']"
    );
    assert!(
        lines[3].starts_with("[2, 'Joint Operation TUZI', 'DCAF'"),
        "{out}"
    );
    assert!(
        out.contains("H2:H529 \"requested,planned,in-progress,completed,postponed,cancelled\""),
        "{out}"
    );
    assert!(out.contains("C2:C529 Partners!$A$2:$A$18"), "{out}");
    assert!(out.contains("E2:E529 Locations!$A$2:$A$19"), "{out}");
    assert!(out.contains("I2:I529 Funding!$A$2:$A$13"), "{out}");
}

#[test]
fn a_workbook_a_person_edited_imports_exactly_the_edits() {
    let test = Test::repo();
    let path = export(&test);
    let edited = test.dir.path().join("edited.xlsx");
    python(
        r#"
import datetime
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Actions"]
ws["H5"] = "Done"
row = ws.max_row + 1
for column, value in [(2, "Frontex border workshop"), (3, "Frontex"), (5, "WB"),
                      (6, "Border police"), (7, datetime.datetime(2019, 9, 1)), (8, "planned")]:
    ws.cell(row=row, column=column, value=value)
wb.save(sys.argv[2])
"#,
        &[&path, &edited],
    );
    std::fs::remove_file(&path).unwrap();
    let out = Test::run_in(&test, &["import", "--update", "edited.xlsx"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("1 added, 1 updated, 27 unchanged"),
        "{}",
        out.stdout
    );
    let diff = test.git(&["diff", "-U0", "--no-color"]);
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| {
            (l.starts_with('-') || l.starts_with('+'))
                && !l.starts_with("---")
                && !l.starts_with("+++")
        })
        .collect();
    assert_eq!(
        changed,
        ["-status: planned", "+status: completed"],
        "{diff}"
    );
    let json = Test::run_in(&test, &["show", "29", "--format", "json"]).json();
    assert_eq!(json["lead"][0], "FRONTEX", "{json}");
    assert_eq!(json["timeline"], "September 2019", "{json}");
    // Its findings name the sheet, the row and the column.
    assert!(
        out.stderr
            .contains("edited.xlsx (sheet Actions):5: row 4, column `STATUS`"),
        "{}",
        out.stderr
    );
}

/// A zip holding these entries.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Imports `bytes` as the file `name`: refused (exit 2) saying `says`, with no panic and
/// nothing written.
pub fn refused(test: &Test, name: &str, bytes: &[u8], says: &str) {
    std::fs::write(test.dir.path().join(name), bytes).unwrap();
    let before = test.snapshot_files();
    let out = Test::run_in(test, &["import", name]);
    assert_eq!(out.code, 2, "{name}: {}", out.stderr);
    assert!(out.stderr.contains(says), "{name}: {}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert_eq!(before, test.snapshot_files());
}

/// 300 MB of zeros in the entry `name`: a zip bomb of a few hundred kilobytes.
pub fn bomb(name: &str) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    writer.start_file(name, options).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..300 {
        writer.write_all(&zeros).unwrap();
    }
    let bomb = writer.finish().unwrap().into_inner();
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());
    bomb
}

/// A zip whose entry `name` is encrypted: the flag in both of its headers.
pub fn encrypted(name: &str) -> Vec<u8> {
    let mut locked = zip_of(&[(name, b"<x/>")]);
    for signature in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
        let at = locked.windows(4).position(|w| w == signature).unwrap();
        let flags = at + if signature[2] == 3 { 6 } else { 8 };
        locked[flags] |= 1;
    }
    locked
}

#[test]
fn hostile_workbooks_are_refused() {
    let test = Test::shipped();
    refused(&test, "text.xlsx", b"#,Action\n1,x\n", "not a zip archive");
    let bomb = bomb("xl/worksheets/sheet1.xml");
    refused(&test, "bomb.xlsx", &bomb, "inflates to more than 256 MiB");
    refused(
        &test,
        "outside.xlsx",
        &zip_of(&[("../../evil.xml", b"x")]),
        "names a path outside the archive",
    );
    let locked = encrypted("xl/workbook.xml");
    refused(&test, "locked.xlsx", &locked, "is encrypted");
    // A Strict Open XML workbook: the namespace of its workbook part.
    let strict = zip_of(&[(
        "xl/workbook.xml",
        br#"<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"/>"#,
    )]);
    refused(&test, "strict.xlsx", &strict, "Strict Open XML");
    refused(
        &test,
        "empty.xlsx",
        &zip_of(&[("a.txt", b"x")]),
        "not a workbook",
    );
}
