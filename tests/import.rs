//! `iisg import`: the document's List of Actions read back into the shipped actions, and
//! every refusal leaving data/ as it was.

use serde_json::Value;

use crate::test::Test;

/// The document's table, as cut out of it.
pub fn document() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/list-of-actions.tsv"),
    )
    .unwrap()
}

/// The shipped plan with no actions, and a table file beside data/.
pub fn emptied_with(table_name: &str, table: impl AsRef<[u8]>) -> Test {
    let test = Test::shipped();
    for entry in std::fs::read_dir(test.data().join("actions")).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    std::fs::write(test.data().join("..").join(table_name), table).unwrap();
    test
}

fn actions(test: &Test) -> Vec<Value> {
    let out = Test::run_in(test, &["list", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json().as_array().unwrap().clone()
}

/// The fields a table can carry, and the file name, of every action.
fn fields(list: &[Value]) -> Vec<Value> {
    list.iter()
        .map(|a| {
            let mut kept = serde_json::Map::new();
            for key in [
                "id",
                "title",
                "lead",
                "involved",
                "locations",
                "scope",
                "timeline",
                "status",
                "requested_by",
                "financing",
                "notes",
            ] {
                kept.insert(key.into(), a.get(key).cloned().unwrap_or(Value::Null));
            }
            let file = a["file"].as_str().unwrap().rsplit('/').next().unwrap();
            kept.insert("file".into(), file.into());
            Value::Object(kept)
        })
        .collect()
}

/// The plan's 28 actions hold what the shipped ones do, as far as a table can carry it.
pub fn has_the_shipped_actions(test: &Test) {
    let imported = fields(&actions(test));
    let shipped = shipped_fields();
    assert_eq!(imported.len(), 28);
    for (got, want) in imported.iter().zip(&shipped) {
        assert_eq!(got, want);
    }
}

fn shipped_fields() -> Vec<Value> {
    fields(&actions(&Test::shipped()))
}

#[test]
fn the_document_table_gives_back_the_shipped_actions() {
    let test = emptied_with("list.tsv", document());
    let out = Test::run_in(&test, &["import", "list.tsv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("added action 1: data/actions/001-joint-operation-drino.yaml\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .ends_with("list.tsv: 28 added, 0 updated, 0 unchanged\n"),
        "{}",
        out.stdout
    );
    has_the_shipped_actions(&test);
    // The document's own irregularities are warnings, as in the shipped plan.
    assert!(
        out.stderr.contains("warning[lead-also-involved]"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("error"), "{}", out.stderr);
}

/// The document's table as CSV, columns reversed, with a BOM and CRLF line ends.
fn reordered_csv(table: &str) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for line in table.lines() {
        let mut cells: Vec<&str> = line.split('\t').collect();
        cells.reverse();
        writer.write_record(&cells).unwrap();
    }
    let body = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    format!("\u{feff}{}\r\n\r\n", body.replace("\r\n", "\r\n\r\n"))
}

#[test]
fn csv_with_bom_crlf_blank_lines_and_reordered_columns_reads_the_same() {
    let csv = reordered_csv(&document());
    assert!(csv.starts_with("\u{feff}FINANCING,STATUS,TIMELINE"));
    let test = emptied_with("list.csv", csv);
    let out = Test::run_in(&test, &["import", "list.csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(fields(&actions(&test)), shipped_fields());
}

#[test]
fn headers_match_in_any_case_and_spacing() {
    let table = document()
        .replacen("LEAD PARTNER", "lead  partner", 1)
        .replacen('#', "No", 1);
    let test = emptied_with("list.tsv", table);
    let out = Test::run_in(&test, &["import", "list.tsv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(actions(&test).len(), 28);
}

/// Runs and checks that nothing under the folder changed.
fn refused(test: &Test, args: &[&str]) -> crate::test::Output {
    let before = test.snapshot_files();
    let out = Test::run_in(test, args);
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        before,
        test.snapshot_files(),
        "a refused import changed files"
    );
    out
}

#[test]
fn an_unknown_partner_refuses_the_whole_table() {
    let table = document().replacen(
        "3\tJoint Operation DRINO 2\tDCAF",
        "3\tJoint Operation DRINO 2\tDCFA",
        1,
    );
    let test = emptied_with("list.tsv", table);
    let out = refused(&test, &["import", "list.tsv"]);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains(
            "error[unknown-partner]: unknown partner `DCFA`\n --> list.tsv:4: row 3, column `LEAD PARTNER`\n  = help: did you mean `DCAF`?"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("error: 1 problem in `list.tsv`; nothing was written"),
        "{}",
        out.stderr
    );
}

#[test]
fn every_problem_of_every_row_is_told_at_once() {
    let table = document()
        .replacen("ALB-MNE border", "Narnia", 1)
        .replacen("IPA II 2017 / GIZ", "IPA II 2017 / Gringotts", 1)
        .replacen("Requested by MNE", "Someday", 1);
    let test = emptied_with("list.tsv", table);
    let out = refused(&test, &["import", "list.tsv"]);
    assert!(
        out.stderr
            .contains("unknown location `Narnia`\n --> list.tsv:3: row 2, column `LOCATION`\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "unknown funding source `Gringotts`\n --> list.tsv:2: row 1, column `FINANCING`\n"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("`Someday` is not a status\n  --> list.tsv:13: row 12, column `STATUS`\n"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("3 problems"), "{}", out.stderr);
}

#[test]
fn a_missing_column_is_named() {
    let table: String = document()
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split('\t').collect();
            cells.remove(6);
            cells.join("\t") + "\n"
        })
        .collect();
    let test = emptied_with("list.tsv", table);
    let out = refused(&test, &["import", "list.tsv"]);
    assert!(
        out.stderr
            .contains("error[missing-column]: the table has no `TIMELINE` column\n --> list.tsv: header, column `TIMELINE`\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("= help: the first line names the document's columns"),
        "{}",
        out.stderr
    );
}

#[test]
fn unreadable_tables_are_refused() {
    let test = emptied_with("bad.tsv", b"#\tACTION\n1\t\xff\xfe\n");
    let out = refused(&test, &["import", "bad.tsv"]);
    assert!(out.stderr.contains("not UTF-8"), "{}", out.stderr);
    let out = refused(&test, &["import", "nowhere.tsv"]);
    assert!(
        out.stderr.contains("cannot read `nowhere.tsv`"),
        "{}",
        out.stderr
    );
    let test = emptied_with("odd.tsv", "#\tACTION\tCOLOUR\n");
    let out = refused(&test, &["import", "odd.tsv"]);
    assert!(
        out.stderr
            .contains("error[unknown-column]: the table has a column iisg does not know: `COLOUR`"),
        "{}",
        out.stderr
    );
}

#[test]
fn existing_ids_are_refused_unless_update() {
    let test = Test::shipped();
    std::fs::write(test.data().join("../list.tsv"), document()).unwrap();
    let out = refused(&test, &["import", "list.tsv"]);
    assert!(
        out.stderr.contains(
            "error[duplicate-id]: action 1 exists: data/actions/001-joint-operation-drino.yaml\n --> list.tsv:2: row 1, column `#`\n"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("28 problems"), "{}", out.stderr);
}

#[test]
fn update_rewrites_only_what_changed_in_place() {
    let test = Test::shipped();
    let table = document().replacen("By May 2019\t\tTBD", "By May 2019\tcompleted\tGIZ", 1);
    std::fs::write(test.data().join("../list.tsv"), table).unwrap();
    let before =
        std::fs::read_to_string(test.data().join("actions/004-joint-operation.yaml")).unwrap();
    let out = Test::run_in(&test, &["import", "list.tsv", "--update"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("updated action 4: data/actions/004-joint-operation.yaml\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("unchanged action 1: "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .ends_with("list.tsv: 0 added, 1 updated, 27 unchanged\n"),
        "{}",
        out.stdout
    );
    let after =
        std::fs::read_to_string(test.data().join("actions/004-joint-operation.yaml")).unwrap();
    let expected = before
        .replace("status: planned", "status: completed")
        .replace("financing: []", "financing: [GIZ]");
    // Comment, key order and the `addresses` the table does not carry are kept.
    assert_eq!(after, expected);
}

#[test]
fn dry_run_lists_and_writes_nothing() {
    let test = emptied_with("list.tsv", document());
    let before = test.snapshot_files();
    let out = Test::run_in(&test, &["import", "list.tsv", "--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(before, test.snapshot_files());
    assert!(
        out.stdout
            .starts_with("would add action 1: data/actions/001-joint-operation-drino.yaml\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .ends_with("28 added, 0 updated, 0 unchanged; dry run, nothing was written\n")
    );
}

#[test]
fn add_missing_appends_to_the_registries() {
    let table = "#\tACTION\tLEAD PARTNER\tINVOLVED\tLOCATION\tSCOPE\tTIMELINE\tSTATUS\tFINANCING\n\
                 \tBorder academy course\tBorder Police Academy\tDCAF\tPortorož; Narnia\tBorder police\tQ3 2019\t\tGIZ / Gringotts Fund?\n";
    let test = Test::shipped();
    std::fs::write(test.data().join("../new.tsv"), table).unwrap();
    let out = refused(&test, &["import", "new.tsv"]);
    assert!(
        out.stderr
            .contains("unknown partner `Border Police Academy`"),
        "{}",
        out.stderr
    );
    let out = Test::run_in(&test, &["import", "new.tsv", "--add-missing"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "added partner `BORDER-POLICE-ACADEMY` (Border Police Academy) to data/partners.yaml\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("added location `NARNIA` (Narnia) to data/locations.yaml\n")
    );
    assert!(
        out.stdout.contains(
            "added funding source `GRINGOTTS-FUND` (Gringotts Fund) to data/funding.yaml\n"
        )
    );
    assert!(
        out.stdout
            .contains("added action 29: data/actions/029-border-academy-course.yaml\n")
    );
    let partners = std::fs::read_to_string(test.data().join("partners.yaml")).unwrap();
    assert!(
        partners.ends_with(
            "  - code: BORDER-POLICE-ACADEMY\n    name: Border Police Academy\n    aliases: []\n"
        ),
        "{partners}"
    );
    let json = Test::run_in(&test, &["show", "29", "--format", "json"]).json();
    assert_eq!(json["lead"], serde_json::json!(["BORDER-POLICE-ACADEMY"]));
    assert_eq!(json["locations"], serde_json::json!(["POR", "NARNIA"]));
    assert_eq!(
        json["financing"],
        serde_json::json!([{"source": "GIZ", "tentative": true}, {"source": "GRINGOTTS-FUND", "tentative": true}])
    );
    assert_eq!(Test::run_in(&test, &["validate"]).code, 0);
}

#[test]
fn empty_ids_take_the_next_free_ones() {
    let table = "ACTION\t#\tLEAD PARTNER\tINVOLVED\tLOCATION\tSCOPE\tTIMELINE\tSTATUS\tFINANCING\n\
                 One more workshop\t\tDCAF\t\tWB\tBorder police\tQ3 2019\t\t\n\
                 And another\t\tDCAF\t\tWB\tBorder police\tQ4 2019\t\t\n";
    let test = Test::shipped();
    std::fs::write(test.data().join("../new.tsv"), table).unwrap();
    let out = Test::run_in(&test, &["import", "new.tsv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("added action 29: data/actions/029-one-more-workshop.yaml\n")
    );
    assert!(
        out.stdout
            .contains("added action 30: data/actions/030-and-another.yaml\n")
    );
}

#[test]
fn rows_that_break_a_rule_refuse_the_table() {
    let table = document().replacen("By May 2019", "Sometime soon", 1);
    let test = emptied_with("list.tsv", table);
    let out = refused(&test, &["import", "list.tsv"]);
    // At the row and column the user can fix, not at a line of a file that was never written.
    assert!(
        out.stderr.contains(
            "error[bad-timeline]: `Sometime soon` is not a timeline: unknown form\n --> list.tsv:5: row 4, column `TIMELINE`\n"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("data/actions/"), "{}", out.stderr);
}

#[test]
fn a_failure_half_way_leaves_data_as_it_was() {
    let test = emptied_with("list.tsv", document());
    // A folder where row 5's file would go: rows 1 to 4 are written, then 5 fails.
    std::fs::create_dir(test.data().join("actions/005-study-visit-s-to-joo.yaml")).unwrap();
    std::fs::write(
        test.data()
            .join("actions/005-study-visit-s-to-joo.yaml/keep"),
        "",
    )
    .unwrap();
    // The folder is met when the plan is read, before anything is written.
    let before = test.snapshot_files();
    let out = refused(&test, &["import", "list.tsv"]);
    assert!(out.stderr.contains("error[not-a-file]"), "{}", out.stderr);
    assert_eq!(before, test.snapshot_files());
}
#[test]
fn exported_csv_imports_back_unchanged() {
    let test = Test::shipped();
    let out = Test::run_in(&test, &["export", "--format", "csv", "-o", "plan.csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = Test::run_in(&test, &["import", "plan.csv", "--update"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .ends_with("plan.csv: 0 added, 0 updated, 28 unchanged\n"),
        "{}",
        out.stdout
    );
}

/// A status cell as people write it (`Done`, `in progress`, `Cancelled`) is the status.
#[test]
fn status_words_as_people_write_them() {
    let table = document()
        .replacen("\tcompleted\t", "\tDone\t", 1)
        .replacen("\tcompleted\t", "\tin progress\t", 1)
        .replacen("\tcompleted\t", "\tCANCELLED\t", 1);
    let test = emptied_with("list.tsv", table);
    let out = Test::run_in(&test, &["import", "list.tsv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = Test::run_in(&test, &["list", "--format", "json"]);
    let actions = out.json();
    let status = |id: i64| {
        actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status(1), "completed");
    assert_eq!(status(2), "in-progress");
    assert_eq!(status(3), "cancelled");
}

/// Four rows with six bad cells: an unknown lead and place, a timeline and a status that are
/// none, an unknown funding source, and the `#` of an action the plan has.
const SIX_BAD_CELLS: &str = "#\tACTION\tLEAD PARTNER\tINVOLVED\tLOCATION\tSCOPE\tTIMELINE\tSTATUS\tFINANCING\n\
    \tBorder academy course\tDCFA\t\tNarnia\tBorder police\tQ3 2019\t\tGIZ\n\
    \tDocument fraud seminar\tFRONTEX\t\tWB\tBorder police\tSummer-ish\tSomeday\tGIZ\n\
    \tCustoms data workshop\tSELEC\t\tWB\tCustoms\tQ4 2019\t\tGringotts\n\
    4\tCyber patrol exercise\tEUROPOL\t\tWB\tPolice\t2019\t\tGIZ\n";

/// Every `data/...` path a text names.
fn data_paths(text: &str) -> Vec<&str> {
    text.match_indices("data/")
        .map(|(start, _)| {
            let rest = &text[start..];
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '`' | ',' | ')' | '"' | ':'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn six_bad_cells_in_four_rows_are_six_findings_in_one_run() {
    let test = Test::shipped();
    std::fs::write(test.data().join("../new.tsv"), SIX_BAD_CELLS).unwrap();
    let out = refused(&test, &["import", "new.tsv"]);
    assert_eq!(out.stdout, "");
    insta::assert_snapshot!(out.stderr);
    assert_eq!(out.stderr.matches("error[").count(), 6, "{}", out.stderr);
    assert!(!out.stderr.contains("warning["), "{}", out.stderr);
    assert!(
        out.stderr
            .ends_with("error: 6 problems in `new.tsv`; nothing was written\n  help: fix the rows named above, then import again\n"),
        "{}",
        out.stderr
    );

    let out = refused(&test, &["import", "new.tsv", "--format", "json"]);
    let findings = out.json();
    let told: Vec<(&str, u64, u64, &str)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["file"], "new.tsv", "{f}");
            assert_eq!(f["severity"], "error", "{f}");
            (
                f["code"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
                f["cell"]["row"].as_u64().unwrap(),
                f["cell"]["column"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        told,
        [
            ("unknown-partner", 2, 1, "LEAD PARTNER"),
            ("unknown-location", 2, 1, "LOCATION"),
            ("bad-timeline", 3, 2, "TIMELINE"),
            ("bad-status", 3, 2, "STATUS"),
            ("unknown-funding", 4, 3, "FINANCING"),
            ("duplicate-id", 5, 4, "#"),
        ]
    );
    assert!(
        out.stderr.contains("6 problems in `new.tsv`"),
        "{}",
        out.stderr
    );

    // Every path told is a file on disk: none of a file the import would have written.
    let both = format!(
        "{}{}",
        out.stdout,
        Test::run_in(&test, &["import", "new.tsv"]).stderr
    );
    let paths = data_paths(&both);
    assert!(
        paths.contains(&"data/actions/004-joint-operation.yaml"),
        "{paths:?}"
    );
    for path in paths {
        assert!(
            test.data().join("..").join(path).is_file(),
            "{path} is not on disk"
        );
    }
}

/// A finding of the rules about a row that will be written is told at the row too, and a
/// warning does not refuse the table.
#[test]
fn warnings_about_new_rows_are_told_at_their_cells() {
    let table = "#\tACTION\tLEAD PARTNER\tINVOLVED\tLOCATION\tSCOPE\tTIMELINE\tSTATUS\tFINANCING\n\
                 \tBorder academy course\tDCAF\tDCAF\tWB\tBorder police\tBy January 2019\t\tGIZ\n";
    let test = Test::shipped();
    std::fs::write(test.data().join("../new.tsv"), table).unwrap();
    let out = Test::run_in(&test, &["import", "new.tsv", "--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "warning[lead-also-involved]: `DCAF` leads the action and is listed as involved too\n --> new.tsv:2: row 1, column `INVOLVED`\n"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("warning[overdue]: the window ended in January 2019, before 2019-02-26, and the action is planned\n --> new.tsv:2: row 1, column `TIMELINE`\n"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("data/"), "{}", out.stderr);
    let out = Test::run_in(&test, &["import", "new.tsv", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let findings = out.json();
    let codes: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["lead-also-involved", "overdue"]);
    // What was added goes to standard error, beside the JSON findings.
    assert!(
        out.stderr
            .contains("added action 29: data/actions/029-border-academy-course.yaml\n"),
        "{}",
        out.stderr
    );
}

/// `--update` rewrites files that are on disk, but the rewritten text is not: its findings
/// are told at the row too.
#[test]
fn findings_about_a_rewritten_action_are_told_at_its_row() {
    let test = Test::shipped();
    let table = document().replacen("By May 2019", "Summer-ish", 1);
    std::fs::write(test.data().join("../list.tsv"), table).unwrap();
    let out = refused(&test, &["import", "list.tsv", "--update"]);
    assert!(
        out.stderr.contains(
            "error[bad-timeline]: `Summer-ish` is not a timeline: unknown form\n --> list.tsv:5: row 4, column `TIMELINE`\n"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("data/"), "{}", out.stderr);
    assert!(out.stderr.contains("1 problem in"), "{}", out.stderr);
}
