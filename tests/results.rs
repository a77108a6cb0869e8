//! Results for donors: indicators and progress on logframe rows, by command and in files;
//! their rules; `report --results`; the logframe matrix; the IATI export.

use crate::test::{Output, Test, action};

/// A logframe row with one objective and two outputs.
const ROW: &str = "id: 1\noutcome: Better border checks\nobjectives:\n  - text: Staff trained\n    outputs: [Course held, Manual written]\n";

/// A plan with one action and one logframe row, and `indicators` (YAML lines) on the row.
fn plan(indicators: &str) -> Test {
    Test::new()
        .file("actions/001-a.yaml", action(1, "A", "planned", "2019"))
        .file("logframe/01-row.yaml", format!("{ROW}{indicators}"))
}

/// The findings `validate --format json` gives, as (code, line) pairs of `file`.
fn findings(test: &Test, file: &str) -> Vec<(String, u64)> {
    let out = Test::run_in(test, &["validate", "--format", "json"]);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out.json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == format!("data/{file}"))
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn has(test: &Test, file: &str, code: &str, line: u64) {
    let found = findings(test, file);
    assert!(
        found.contains(&(code.to_string(), line)),
        "no {code} at line {line} of {file}: {found:?}"
    );
}

fn lacks(test: &Test, file: &str, code: &str) {
    let found = findings(test, file);
    assert!(
        !found.iter().any(|(c, _)| c == code),
        "{code} in {file}: {found:?}"
    );
}

const FULL: &str = "indicators:\n  - text: Officers trained\n    objective: 1\n    unit: officers\n    baseline: {value: 0, year: 2018}\n    targets:\n      - {value: 60, year: 2019}\n    progress:\n      - {period: 2019-Q1, value: 25}\n";

#[test]
fn a_complete_indicator_has_no_findings() {
    let test = plan(FULL);
    assert_eq!(findings(&test, "logframe/01-row.yaml"), vec![]);
    test.args(["validate", "--strict"]).status(0);
}

#[test]
fn baseline_and_target_are_due_once_the_plan_has_begun() {
    let bare = "indicators:\n  - text: Officers trained\n";
    let test = plan(bare);
    has(&test, "logframe/01-row.yaml", "missing-baseline", 7);
    has(&test, "logframe/01-row.yaml", "missing-target", 7);
    // Before the period begins (2018-07), nothing is due yet.
    let early = plan(bare).file(
        "plan.yaml",
        "title: T\nperiod:\n  start: 2018-07\n  end: 2019-12\nas_of: 2018-05-01\n",
    );
    lacks(&early, "logframe/01-row.yaml", "missing-baseline");
    lacks(&early, "logframe/01-row.yaml", "missing-target");
    // A warning: validate passes, --strict does not.
    test.args(["validate", "--strict"]).status(1);
}

#[test]
fn targets_and_progress_outside_the_period() {
    let text = FULL
        .replace("{value: 60, year: 2019}", "{value: 60, year: 2021}")
        .replace("2019-Q1", "2020-Q1");
    let test = plan(&text);
    has(&test, "logframe/01-row.yaml", "target-outside-period", 12);
    has(&test, "logframe/01-row.yaml", "progress-outside-period", 14);
    // A year that overlaps the period is within it.
    let overlapping = plan(&FULL.replace("2019-Q1", "2018"));
    lacks(
        &overlapping,
        "logframe/01-row.yaml",
        "progress-outside-period",
    );
}

#[test]
fn progress_before_the_baseline_year() {
    let text = FULL
        .replace("year: 2018}", "year: 2019}")
        .replace("2019-Q1", "2018-11");
    let test = plan(&text);
    has(
        &test,
        "logframe/01-row.yaml",
        "progress-before-baseline",
        14,
    );
    lacks(&test, "logframe/01-row.yaml", "progress-outside-period");
}

#[test]
fn an_indicator_measures_what_its_row_has() {
    let test = plan(&FULL.replace("objective: 1", "objective: 2"));
    has(&test, "logframe/01-row.yaml", "unknown-result", 8);
    let test = plan(&FULL.replace("objective: 1", "objective: 1\n    output: 3"));
    has(&test, "logframe/01-row.yaml", "unknown-result", 9);
    let fine = plan(&FULL.replace("objective: 1", "objective: 1\n    output: 2"));
    lacks(&fine, "logframe/01-row.yaml", "unknown-result");
    let out = Test::run_in(&test, &["validate"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
}

#[test]
fn an_action_contributes_to_rows_that_exist() {
    let with = |rows: &str| {
        plan(FULL).file(
            "actions/001-a.yaml",
            format!(
                "{}contributes_to: {rows}\n",
                action(1, "A", "planned", "2019")
            ),
        )
    };
    let test = with("[1, 7]");
    has(&test, "actions/001-a.yaml", "unknown-logframe-row", 10);
    Test::run_in(&test, &["validate"]);
    assert_eq!(Test::run_in(&test, &["validate"]).code, 1);
    lacks(&with("[1]"), "actions/001-a.yaml", "unknown-logframe-row");
}

#[test]
fn a_period_that_is_none_is_a_wrong_type() {
    let test = plan(&FULL.replace("2019-Q1", "spring"));
    has(&test, "logframe/01-row.yaml", "wrong-type", 14);
}

/// Runs `line`, split at spaces; a word in single quotes may hold spaces.
fn cmd(test: &Test, line: &str) -> Output {
    let mut words: Vec<String> = Vec::new();
    let mut quoted = false;
    let mut word: Option<String> = None;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            ' ' if !quoted => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    Test::run_in(test, &args)
}

#[test]
fn indicators_and_progress_by_command() {
    let test = plan("");
    let file = test.data().join("logframe/01-row.yaml");
    let out = cmd(
        &test,
        "indicator add --logframe 1 --objective 1 --output 2 --text 'Manuals distributed' --unit copies --baseline 0 --baseline-year 2018 --target 200 --target-year 2019 --target 500 --target-year 2019 --verification 'Delivery notes'",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "logframe row 1: added indicator 1\nwrote data/logframe/01-row.yaml\n"
    );
    let added = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        added,
        format!(
            "{ROW}indicators:\n  - text: Manuals distributed\n    objective: 1\n    output: 2\n    unit: copies\n    baseline: {{value: 0, year: 2018}}\n    targets:\n      - {{value: 200, year: 2019}}\n      - {{value: 500, year: 2019}}\n    verification: Delivery notes\n"
        )
    );
    let out = cmd(
        &test,
        "progress add --logframe 1 --indicator 1 --period 2019-Q1 --value 120 --source 'DCAF, quarterly report' --date 2019-04-02",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text,
        format!(
            "{added}    progress:\n      - {{period: 2019-Q1, value: 120, source: \"DCAF, quarterly report\", date: 2019-04-02}}\n"
        )
    );
    // The same period again is refused: edit it instead.
    let before = test.snapshot_files();
    let out = cmd(
        &test,
        "progress add --logframe 1 --indicator 1 --period 2019-Q1 --value 1",
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("progress edit"), "{}", out.stderr);
    assert_eq!(before, test.snapshot_files());
    let out = cmd(
        &test,
        "progress edit --logframe 1 --indicator 1 --period 2019-Q1 --value 150",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("2019-Q1: 120 → 150"), "{}", out.stdout);
    let out = cmd(
        &test,
        "indicator edit --logframe 1 --indicator 1 --target 600 --target-year 2019",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("    targets:\n      - {value: 600, year: 2019}\n    verification"),
        "{text}"
    );
    assert!(text.contains("value: 150"), "progress kept: {text}");
    let out = cmd(
        &test,
        "progress remove --logframe 1 --indicator 1 --period 2019-Q1",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = cmd(&test, "indicator remove --logframe 1 --indicator 1");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        format!("{ROW}indicators: []\n")
    );
    cmd(&test, "validate --strict");
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let test = plan(FULL);
    let before = test.snapshot_files();
    let refusals = [
        "indicator add --logframe 9 --text X",
        "indicator add --logframe 1",
        "indicator add --logframe 1 --text X --baseline 3",
        "indicator add --logframe 1 --text X --target 3",
        "indicator add --logframe 1 --text X --target 3 --target-year 20x9",
        "indicator add --logframe 1 --text X --output 1",
        "indicator add --logframe 1 --text X --objective 4",
        "indicator edit --logframe 1 --indicator 2 --text Y",
        "indicator remove --logframe 1 --indicator 0",
        "progress add --logframe 1 --indicator 1 --period soon --value 1",
        "progress add --logframe 1 --indicator 1 --period 2019-05 --value ' '",
        "progress edit --logframe 1 --indicator 1 --period 2019-05 --value 2",
        "progress remove --logframe 1 --indicator 3 --period 2019-Q1",
    ];
    for args in refusals {
        let out = cmd(&test, args);
        assert_eq!(out.code, 2, "{args:?}: {}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.starts_with("error") || out.stderr.contains("error"),
            "{args:?}: {}",
            out.stderr
        );
        assert_eq!(before, test.snapshot_files(), "{args:?} wrote");
    }
}

