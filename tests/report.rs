//! `iisg report`: the numbers a coordination meeting relies on, and every report in every
//! format as a snapshot.

use crate::test::Test;

fn report(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let test = Test::shipped();
    let out = Test::run_in(&test, &all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json()
}

#[test]
fn by_partner_counts_as_the_document_does() {
    let rows = report(&["--by-partner"]);
    let row = |code: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["partner"] == code)
            .unwrap_or_else(|| panic!("no row for {code}"))
            .clone()
    };
    let counts = |code: &str| {
        let r = row(code);
        (
            r["led"].as_u64().unwrap(),
            r["involved_in"].as_u64().unwrap(),
        )
    };
    assert_eq!(counts("DCAF").0, 15);
    assert_eq!(counts("EUROPOL"), (2, 13));
    assert_eq!(counts("FRONTEX"), (2, 12));
    assert_eq!(counts("SELEC").0, 3);
    assert_eq!(counts("JOO").0, 3);
    let frontex = row("FRONTEX");
    assert_eq!(frontex["by_status"]["in-progress"], 1);
    assert!(
        frontex["funding"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "FRONTEX")
    );
    let total = rows.as_array().unwrap().last().unwrap().clone();
    assert_eq!(total["partner"], "TOTAL");
    assert_eq!(total["led"], 29, "28 actions, one with a joint lead");
}

#[test]
fn by_status_and_financing() {
    let rows = report(&["--by-status"]);
    let completed = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "completed")
        .unwrap();
    assert_eq!(completed["ids"], serde_json::json!([1, 2, 3, 11]));
    let money = report(&["--by-financing"]);
    assert_eq!(
        money["no_financing"],
        serde_json::json!([4, 8, 9, 10, 12, 20])
    );
    let taiex = money["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "TAIEX")
        .unwrap();
    assert_eq!(
        (taiex["actions"].as_u64(), taiex["tentative"].as_u64()),
        (Some(2), Some(2))
    );
}

#[test]
fn by_location_rolls_up() {
    let rows = report(&["--by-location"]);
    let row = |code: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["place"] == code)
            .unwrap()
            .clone()
    };
    // Action 7 names the Albania–Greece border and BiH: it counts under each, and once under WB.
    assert_eq!(row("ALB-GRE")["ids"], serde_json::json!([1, 3, 7]));
    assert_eq!(row("GRC")["ids"], serde_json::json!([1, 3, 7]));
    assert_eq!(row("ALB")["total"], 5);
    assert_eq!(row("WB")["direct"], 13);
    assert!(row("WB")["total"].as_u64().unwrap() > 13);
    assert_eq!(row("-")["ids"], serde_json::json!([24, 25, 26, 27, 28]));
}

#[test]
fn coverage_names_every_need_and_the_gaps() {
    let data = report(&["--coverage"]);
    let needs: Vec<&str> = data["needs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["parent"].is_null())
        .map(|n| n["need"].as_str().unwrap())
        .collect();
    assert_eq!(needs.len(), 23);
    assert_eq!(
        data["no_action"],
        serde_json::json!([
            "BP-1", "BP-3", "BP-4", "BP-8", "BP-9", "BP-10", "CT-1", "CT-2", "CT-3"
        ])
    );
    assert_eq!(data["nothing"], serde_json::json!(["CT-1", "CT-2"]));
    let bp7 = data["needs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["need"] == "BP-7")
        .unwrap();
    assert_eq!(
        bp7["actions"],
        serde_json::json!([8, 14]),
        "BP-7 through its sub-item BP-7a too"
    );
}

#[test]
fn overlaps_rank_the_cases_worth_a_meeting() {
    let rows = report(&["--overlaps"]);
    let rows = rows.as_array().unwrap();
    let find = |ids: serde_json::Value| rows.iter().find(|r| r["actions"] == ids).cloned();
    let series = find(serde_json::json!([24, 25, 26, 27])).expect("the 24–27 series");
    assert_eq!(series["kind"], "series");
    assert!(find(serde_json::json!([1, 3])).is_some_and(|r| r["kind"] == "series"));
    assert!(find(serde_json::json!([2, 12])).is_some_and(|r| r["kind"] == "series"));
    let bih = find(serde_json::json!([4, 7])).expect("the two joint operations in BiH");
    assert_eq!(bih["kind"], "duplicate");
    assert!(bih["reason"].as_str().unwrap().contains("BIH"), "{bih}");
    assert_eq!(
        rows[0]["actions"],
        serde_json::json!([4, 7]),
        "strongest first"
    );
    let scores: Vec<f64> = rows.iter().map(|r| r["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    for row in rows {
        assert!(!row["reason"].as_str().unwrap().is_empty());
    }
}

#[test]
fn overdue_moves_with_as_of() {
    assert_eq!(report(&["--overdue"]), serde_json::json!([]));
    let rows = report(&["--overdue", "--as-of", "2019-06-15"]);
    let ids: Vec<i64> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [22, 21, 23, 4, 24]);
    assert_eq!(rows[0]["months_late"], 3);
}

#[test]
fn summary_on_one_screen() {
    let data = report(&[]);
    assert_eq!(data["actions"], 28);
    assert_eq!(data["percent_complete"], 14.3);
    assert_eq!(data["warnings"], 9);
    assert_eq!(data["next_deadlines"][0]["id"], 22);
    let out = Test::run_in(&Test::shipped(), &["report"]);
    assert!(
        out.stdout.lines().count() < 50,
        "one screen:\n{}",
        out.stdout
    );
}

#[test]
fn timeline_draws_bars() {
    let test = Test::shipped();
    let out = test.run_with(&["report", "--timeline"], &[("COLUMNS", "100")]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.lines().all(|l| l.chars().count() <= 100),
        "fits 100 columns:\n{}",
        out.stdout
    );
    let drino = out
        .stdout
        .lines()
        .find(|l| l.contains("Joint Operation DRINO "))
        .unwrap();
    assert!(drino.contains('█'), "{drino}");
    assert!(
        out.stdout.contains('◆') && out.stdout.contains("⧗ after"),
        "{}",
        out.stdout
    );
    let narrow = test.run_with(&["report", "--timeline"], &[("COLUMNS", "60")]);
    assert!(
        narrow
            .stdout
            .lines()
            .filter(|l| !l.starts_with('█') && !l.starts_with('✔'))
            .all(|l| l.chars().count() <= 60),
        "{}",
        narrow.stdout
    );
    let json = report(&["--timeline"]);
    assert_eq!(json["start"], "2018-07");
    assert_eq!(json["end"], "2019-12");
    assert_eq!(
        json["actions"][3]["window"],
        serde_json::json!({"kind": "deadline", "end": "2019-05"})
    );
}

#[test]
fn every_report_in_every_format() {
    let reports: &[(&str, &[&str])] = &[
        ("summary", &[]),
        ("by_partner", &["--by-partner"]),
        ("by_status", &["--by-status"]),
        ("by_financing", &["--by-financing"]),
        ("by_location", &["--by-location"]),
        ("timeline", &["--timeline"]),
        ("coverage", &["--coverage"]),
        ("overlaps", &["--overlaps"]),
        ("overdue", &["--overdue", "--as-of", "2019-06-15"]),
    ];
    let test = Test::shipped();
    for (name, args) in reports {
        for format in ["table", "json", "csv", "markdown"] {
            let mut all = vec!["report"];
            all.extend_from_slice(args);
            all.extend_from_slice(&["--format", format]);
            let out = test.run_with(&all, &[("COLUMNS", "120")]);
            assert_eq!(out.code, 0, "{name} {format}: {}", out.stderr);
            assert!(!out.stdout.is_empty());
            if format == "json" {
                out.json();
            }
            insta::assert_snapshot!(format!("report_{name}_{format}"), out.stdout);
        }
    }
}

#[test]
fn one_report_at_a_time() {
    let out = Test::run_in(&Test::shipped(), &["report", "--by-partner", "--coverage"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("cannot be used with"), "{}", out.stderr);
}

/// One answer per question: for every need and sub-item, `report --coverage`, the HTML
/// dashboard and the Markdown paper name the same actions and logframe rows.
#[test]
fn coverage_is_one_answer_in_every_format() {
    let test = Test::shipped();
    let report = Test::run_in(&test, &["report", "--coverage", "--format", "json"]).json();
    let html = Test::run_in(&test, &["export", "--format", "html"]).stdout;
    let markdown = Test::run_in(&test, &["export", "--format", "markdown"]).stdout;
    let numbers = |text: &str| -> Vec<i64> {
        text.split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect()
    };
    let needs = report["needs"].as_array().unwrap();
    assert!(needs.len() > 20);
    for need in needs {
        let id = need["need"].as_str().unwrap();
        let ids = |key: &str| -> Vec<i64> {
            need[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_i64().unwrap())
                .collect()
        };
        let (actions, rows) = (ids("actions"), ids("logframe"));
        // HTML: the row of the need, its actions cell and its logframe cell.
        let start = html
            .find(&format!("data-need=\"{id}\""))
            .unwrap_or_else(|| panic!("{id}"));
        let row = &html[start..start + html[start..].find("</tr>").unwrap()];
        let cells: Vec<&str> = row.split("<td").collect();
        let html_actions: Vec<i64> = numbers(cells[3])
            .into_iter()
            .step_by(2) // `href="#action-8">8`: each id twice
            .collect();
        assert_eq!(html_actions, actions, "{id}: HTML actions");
        assert_eq!(
            numbers(cells[4].trim_start_matches('>')),
            rows,
            "{id}: HTML rows"
        );
        // Markdown: the need's line.
        let line = markdown
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("- **{id}**")))
            .unwrap_or_else(|| panic!("{id} not in the Markdown"));
        let said = &line[line.rfind("*(").unwrap()..];
        let (md_actions, md_rows) = match said.split_once(';') {
            Some((a, r)) => (numbers(a), numbers(r)),
            None if said.contains("actions") => (numbers(said), Vec::new()),
            None => (Vec::new(), numbers(said)),
        };
        assert_eq!((md_actions, md_rows), (actions, rows), "{id}: Markdown");
    }
}

#[test]
fn overlaps_of_a_plan_with_more_cases_than_listed_say_so() {
    let test = Test::look_alikes();
    let out = test.run_with(&["report", "--overlaps", "--format", "json"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows = out.json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 10_000);
    assert!(rows.iter().all(|r| r["kind"] == "duplicate"));
    assert!(
        out.stderr.contains("Only the 10,000 strongest"),
        "{}",
        out.stderr
    );
    // The shipped plan's cases are all listed, with no such note.
    let shipped = Test::shipped().run_with(&["report", "--overlaps"], &[]);
    assert_eq!(shipped.code, 0, "{}", shipped.stderr);
    assert!(!shipped.stderr.contains("strongest"), "{}", shipped.stderr);
}
