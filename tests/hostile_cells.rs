//! Text from the data that a spreadsheet would run or a Markdown renderer would obey: every
//! CSV the tool writes guards formulas, `import` takes the guard off again, and Markdown
//! shows HTML as text.

use crate::test::Test;

/// Each hostile text and how a CSV cell must hold it.
const CELLS: &[(&str, &str)] = &[
    (
        "=HYPERLINK(\"http://x\",\"y\")",
        "'=HYPERLINK(\"http://x\",\"y\")",
    ),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("-2+3", "'-2+3"),
    ("\t=1", "'\t=1"),
    ("'=already quoted", "''=already quoted"),
    ("-3", "-3"),
    ("2019-05", "2019-05"),
];

/// A YAML scalar holding exactly `text` (a JSON string is a YAML double-quoted one).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// Action `id` (from 1) with the hostile title `id`, the next one as scope and the one after
/// as notes.
fn hostile_action(id: usize, scope: Option<&str>) -> String {
    let text = |offset: usize| CELLS[(id - 1 + offset) % CELLS.len()].0;
    format!(
        "id: {id}\ntitle: {}\nlead: [DCAF]\ninvolved: [EUROPOL, FRONTEX]\nlocations: [ALB-GRE]\nscope: {}\ntimeline: 2019-05\nstatus: planned\nfinancing: [IPA-II-2017, GIZ]\nnotes: {}\n",
        quoted(text(0)),
        quoted(scope.unwrap_or(text(1))),
        quoted(text(2)),
    )
}

/// The plan with one action per hostile text; `scope` overrides every action's scope.
fn hostile_plan(test: Test, scope: Option<&str>) -> Test {
    (1..=CELLS.len()).fold(test, |test, id| {
        test.file(
            &format!("actions/{id:03}-x.yaml"),
            hostile_action(id, scope),
        )
    })
}

fn ok(test: &Test, args: &[&str]) -> String {
    let out = Test::run_in(test, args);
    assert_eq!(out.code, 0, "{args:?}\n{}\n{}", out.stdout, out.stderr);
    out.stdout
}

/// Whether a spreadsheet would take the cell as a formula: it begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return and is not a plain number.
fn runs(cell: &str) -> bool {
    let number = {
        let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && digits.matches('.').count() <= 1
    };
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !number
}

/// Every cell of a CSV text (several tables allowed, a blank line between).
fn cells(csv: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.as_bytes());
    reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .collect()
}

/// No cell of `csv` would run, and it holds each of `expected` as a whole cell.
fn guarded(what: &str, csv: &str, expected: &[&str]) {
    let cells = cells(csv);
    for cell in &cells {
        assert!(!runs(cell), "{what}: the cell {cell:?} would run\n{csv}");
        assert_ne!(
            cell, "'=already quoted",
            "{what}: that apostrophe is lost on import"
        );
    }
    for cell in expected {
        assert!(
            cells.iter().any(|c| c == cell),
            "{what}: no cell {cell:?}\n{csv}"
        );
    }
}

fn written() -> Vec<&'static str> {
    CELLS.iter().map(|(_, written)| *written).collect()
}

#[test]
fn every_csv_output_guards_exactly_the_formulas() {
    let test = hostile_plan(Test::new(), None);
    let all = written();
    for args in [
        &["list", "--format", "csv"][..],
        &["export", "--format", "csv"],
        &["report", "--timeline", "--format", "csv"],
        &[
            "report",
            "--overdue",
            "--as-of",
            "2019-07-01",
            "--format",
            "csv",
        ],
    ] {
        guarded(&args.join(" "), &ok(&test, args), &all);
    }
    // The summary's next deadlines, the partners and the money: guarded, and whole.
    for args in [
        &["report", "--format", "csv"][..],
        &["report", "--by-partner", "--format", "csv"],
        &["report", "--by-financing", "--format", "csv"],
    ] {
        guarded(&args.join(" "), &ok(&test, args), &[]);
    }
}

#[test]
fn history_csv_guards_subjects_titles_and_values() {
    let test = hostile_plan(Test::new(), Some("Border police"));
    test.git(&["init", "-q"]);
    test.commit("Plain scopes");
    let test = hostile_plan(test, None);
    test.commit(CELLS[0].0);
    let all = written();
    guarded(
        "changes",
        &ok(&test, &["changes", "--since", "HEAD~1", "--format", "csv"]),
        &all,
    );
    let log = ok(&test, &["log", "1", "--format", "csv"]);
    guarded("log", &log, &[CELLS[0].1, CELLS[1].1]);
}

#[test]
fn exported_csv_imports_back_changing_nothing() {
    let test = hostile_plan(Test::new(), None);
    assert_eq!(
        ok(&test, &["export", "--format", "csv", "-o", "table.csv"]),
        "wrote table.csv\n"
    );
    let before = test.snapshot_files();
    let out = ok(&test, &["import", "table.csv", "--update"]);
    assert!(
        out.ends_with("table.csv: 0 added, 0 updated, 8 unchanged\n"),
        "{out}"
    );
    assert_eq!(before, test.snapshot_files(), "no file differs");
    // And each title reads back as written, the one that begins with `'=` included.
    let json: serde_json::Value =
        serde_json::from_str(&ok(&test, &["list", "--format", "json"])).unwrap();
    let titles: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = CELLS.iter().map(|(text, _)| *text).collect();
    assert_eq!(titles, expected);
}

#[test]
fn a_fresh_plan_imports_the_exported_titles_whole() {
    let from = hostile_plan(Test::new(), None);
    ok(&from, &["export", "--format", "csv", "-o", "table.csv"]);
    let table = std::fs::read(from.data().join("../table.csv")).unwrap();
    let into = Test::new().file("../table.csv", table);
    ok(&into, &["import", "table.csv"]);
    for id in 1..=CELLS.len() {
        let name = format!("actions/{id:03}-x.yaml");
        let shown = ok(&into, &["show", &id.to_string(), "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(json["title"], CELLS[id - 1].0, "{name}");
        assert_eq!(json["scope"], CELLS[id % CELLS.len()].0, "{name}");
    }
}

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "<img src=x onerror=alert(1)>";

fn markup_plan() -> Test {
    let action = |id: u32, title: &str, scope: &str| {
        format!(
            "id: {id}\ntitle: {}\nlead: [DCAF]\ninvolved: []\nlocations: [ALB]\nscope: {}\ntimeline: 2019-05\nstatus: planned\nfinancing: []\nnotes: {}\naddresses: [BP-1]\n",
            quoted(title),
            quoted(scope),
            quoted(&format!("{SCRIPT} & {IMG}")),
        )
    };
    Test::new()
        .file(
            "plan.yaml",
            format!(
                "title: {}\nperiod:\n  start: 2018-07\n  end: 2019-12\nas_of: 2019-02-26\n",
                quoted(&format!("Plan {SCRIPT}"))
            ),
        )
        .file("actions/001-x.yaml", action(1, SCRIPT, IMG))
        .file("actions/002-y.yaml", action(2, &format!("a | b\n{IMG}"), "<IMG SRC=x>"))
        .file(
            "forums/bp.yaml",
            format!(
                "code: BP\nname: {}\nheading: {}\nneeds:\n  - id: BP-1\n    text: {}\n",
                quoted(IMG),
                quoted(&format!("Meeting {SCRIPT}")),
                quoted(&format!("Need {IMG}")),
            ),
        )
        .file(
            "logframe/01-x.yaml",
            format!(
                "id: 1\noutcome: {}\naddresses: [BP-1]\nobjectives:\n  - text: {}\n    outputs: [{}]\n",
                quoted(SCRIPT),
                quoted(IMG),
                quoted(&format!("{SCRIPT}\n{IMG}")),
            ),
        )
}

/// No tag of the data in `markdown`; its text there as entities.
fn no_markup(what: &str, markdown: &str) {
    let lower = markdown.to_lowercase();
    assert!(
        !lower.contains("<script"),
        "{what}: raw <script>\n{markdown}"
    );
    assert!(!lower.contains("<img"), "{what}: raw <img>\n{markdown}");
    assert!(
        markdown.contains("&lt;"),
        "{what}: the text is gone\n{markdown}"
    );
}

#[test]
fn markdown_shows_html_as_text() {
    let test = markup_plan();
    let export = ok(&test, &["export", "--format", "markdown"]);
    no_markup("export", &export);
    assert!(
        export.starts_with("# Plan &lt;script&gt;alert(1)&lt;/script&gt;\n"),
        "{export}"
    );
    assert!(export.contains("\n### Meeting &lt;script&gt;alert(1)&lt;/script&gt;\n"));
    assert!(
        export.contains("\n- **BP-1** Need &lt;img src=x onerror=alert(1)&gt; *("),
        "{export}"
    );
    assert!(
        export.contains("| 2 | a \\| b<br>&lt;img src=x onerror=alert(1)&gt; | DCAF |"),
        "pipes and line breaks stay escaped\n{export}"
    );
    for args in [
        &["list", "--format", "markdown"][..],
        &["report", "--format", "markdown"],
        &["report", "--timeline", "--format", "markdown"],
        &["report", "--coverage", "--format", "markdown"],
    ] {
        no_markup(&args.join(" "), &ok(&test, args));
    }
    test.git(&["init", "-q"]);
    test.commit(SCRIPT);
    let test = test.file("actions/001-x.yaml", hostile_scope(IMG));
    test.commit(IMG);
    no_markup(
        "changes",
        &ok(
            &test,
            &["changes", "--since", "HEAD~1", "--format", "markdown"],
        ),
    );
    no_markup("log", &ok(&test, &["log", "1", "--format", "markdown"]));
}

/// Action 1 of the markup plan with another scope.
fn hostile_scope(scope: &str) -> String {
    format!(
        "id: 1\ntitle: {}\nlead: [DCAF]\ninvolved: []\nlocations: [ALB]\nscope: {}\ntimeline: 2019-05\nstatus: planned\nfinancing: []\naddresses: [BP-1]\n",
        quoted(SCRIPT),
        quoted(&format!("{scope} changed")),
    )
}
