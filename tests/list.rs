use crate::test::{Test, action};

fn ids(test: &Test) -> Vec<i64> {
    test.status(0)
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

fn shipped(args: &[&str]) -> Vec<i64> {
    ids(&Test::shipped()
        .args(["list", "--format", "json"])
        .args(args.iter().copied()))
}

#[test]
fn completed_actions_of_the_shipped_plan() {
    assert_eq!(shipped(&["--status", "completed"]), [1, 2, 3, 11]);
}

#[test]
fn several_statuses() {
    assert_eq!(
        shipped(&["--status", "completed", "--status", "requested"]),
        [1, 2, 3, 11, 12]
    );
    assert_eq!(shipped(&["--status", "in-progress,requested"]), [7, 12]);
}

#[test]
fn partner_as_lead_or_involved() {
    let frontex = shipped(&["--partner", "frontex"]);
    assert!(frontex.contains(&7) && frontex.contains(&8) && frontex.contains(&1));
    assert_eq!(shipped(&["--lead", "FRONTEX"]), [7, 8]);
    assert_eq!(shipped(&["--lead", "PCC SEE"]), [15, 16]);
}

#[test]
fn location_includes_the_places_inside() {
    // BiH directly (4, 7); Greece through the borders inside it (1, 3 and 7).
    assert_eq!(shipped(&["--location", "BIH"]), [4, 7]);
    assert_eq!(shipped(&["--location", "GRE"]), [1, 3, 7]);
    assert_eq!(shipped(&["--location", "FYROM"]), [7]);
    let wb = shipped(&["--location", "WB"]);
    assert!(wb.contains(&1) && wb.contains(&6) && wb.contains(&7) && !wb.contains(&5));
}

#[test]
fn financing_timeline_and_search() {
    assert_eq!(shipped(&["--financing", "NORAD"]), [14, 15]);
    assert_eq!(shipped(&["--financing", "taiex"]), [5, 6]);
    assert_eq!(shipped(&["--due-before", "2019-01"]), [1, 2, 3]);
    assert_eq!(
        shipped(&["--due-before", "June 2019"]),
        [1, 2, 3, 4, 11, 21, 22, 23, 24]
    );
    assert_eq!(shipped(&["--search", "drino"]), [1, 3]);
    assert_eq!(shipped(&["--search", "PROSECUTION"]), [3, 24, 25, 26, 27]);
}

#[test]
fn overdue_against_a_date() {
    assert_eq!(shipped(&["--overdue"]), Vec::<i64>::new());
    assert_eq!(
        shipped(&["--overdue", "--as-of", "2019-06-01"]),
        [4, 21, 22, 23, 24]
    );
}

#[test]
fn filters_combine() {
    assert_eq!(
        shipped(&["--lead", "DCAF", "--location", "ALB", "--status", "planned"]),
        Vec::<i64>::new()
    );
    assert_eq!(
        shipped(&["--lead", "DCAF", "--location", "ALB"]),
        [1, 2, 3, 12]
    );
}

#[test]
fn json_has_the_designed_shape() {
    let json = Test::shipped()
        .args(["list", "--format", "json"])
        .status(0)
        .json();
    let actions = json.as_array().unwrap();
    assert_eq!(actions.len(), 28);
    let fifth = &actions[4];
    for key in [
        "id",
        "title",
        "lead",
        "involved",
        "locations",
        "scope",
        "timeline",
        "status",
        "financing",
        "file",
    ] {
        assert!(fifth.get(key).is_some(), "missing {key}");
    }
    assert_eq!(
        fifth["financing"],
        serde_json::json!([{"source": "JOO", "tentative": true}, {"source": "TAIEX", "tentative": true}])
    );
    assert_eq!(fifth["file"], "data/actions/005-study-visit-s-to-joo.yaml");
}

#[test]
fn unknown_filter_values_are_refused_with_a_suggestion() {
    let out = Test::shipped()
        .args(["list", "--partner", "DCFA"])
        .status(2);
    assert!(
        out.stderr.contains("unknown partner `DCFA`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `DCAF`?"),
        "{}",
        out.stderr
    );
    let out = Test::shipped()
        .args(["list", "--due-before", "soon"])
        .status(2);
    assert!(
        out.stderr.contains("`soon` is not a month"),
        "{}",
        out.stderr
    );
    // Words as people write them are statuses; a word that names none lists them.
    let done = Test::shipped()
        .args(["list", "--status", "Done", "--format", "json"])
        .status(0);
    assert_eq!(done.json().as_array().unwrap().len(), 4);
    let out = Test::shipped()
        .args(["list", "--status", "maybe"])
        .status(2);
    assert!(
        out.stderr
            .contains("`maybe` is not a status: use one of requested, planned"),
        "{}",
        out.stderr
    );
}

#[test]
fn every_format_of_the_shipped_plan() {
    for format in ["table", "csv", "markdown", "json"] {
        let out = Test::shipped()
            .args(["list", "--status", "completed", "--format", format])
            .status(0);
        insta::assert_snapshot!(format!("list_completed_{format}"), out.stdout);
    }
}

#[test]
fn csv_has_a_header_and_a_row_per_action() {
    let out = Test::shipped().args(["list", "--format", "csv"]).status(0);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    assert_eq!(reader.headers().unwrap().len(), 9);
    assert_eq!(reader.records().count(), 28);
}

#[test]
fn data_is_found_walking_up_or_named() {
    let test = Test::new()
        .file("actions/001-a.yaml", action(1, "A", "planned", "2019"))
        .args(["list", "--format", "json"]);
    assert_eq!(ids(&test.cwd("x/y")), [1]);
    let test = Test::new()
        .file("actions/001-a.yaml", action(1, "A", "planned", "2019"))
        .cwd("elsewhere");
    let data = test.data().to_string_lossy().to_string();
    assert_eq!(
        ids(&test.args(["--data", &data, "list", "--format", "json"])),
        [1]
    );
    let test = Test::new()
        .file("actions/001-a.yaml", action(1, "A", "planned", "2019"))
        .cwd("elsewhere");
    let data = test.data().to_string_lossy().to_string();
    assert_eq!(
        ids(&test
            .env("IISG_DATA", &data)
            .args(["list", "--format", "json"])),
        [1]
    );
}

#[test]
fn no_plan_is_a_clear_error() {
    let out = Test::empty().args(["list"]).status(2);
    assert!(out.stderr.contains("no plan found"), "{}", out.stderr);
    assert!(out.stderr.contains("--data"), "{}", out.stderr);
    let out = Test::empty().args(["--data", "nowhere", "list"]).status(2);
    assert!(
        out.stderr.contains("is not a plan folder"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_empty_plan_lists_nothing() {
    let out = Test::new().args(["list", "--format", "json"]).status(0);
    assert_eq!(out.stdout, "[]\n");
}

/// On a narrow terminal (tmux, 60 columns) the table keeps id, title and status readable:
/// it leaves out the less important columns instead of cutting words into pieces, and says
/// which.
#[test]
fn a_narrow_terminal_drops_columns_not_words() {
    let test = Test::shipped();
    let terminal = crate::test::Terminal::start(&test, "list --status completed", (60, 60));
    terminal.wait_for("EXIT=");
    let text = terminal.screen();
    assert!(text.contains("EXIT=0"), "{text}");
    for word in [
        "Joint",
        "Operation",
        "DRINO",
        "completed",
        "Status",
        "Action",
    ] {
        assert!(text.contains(word), "{word} is cut:\n{text}");
    }
    assert!(text.contains("left out to fit: Involved"), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 60), "{text}");
}

/// An empty result says so in words, not as an empty table.
#[test]
fn empty_results_say_so() {
    let out = Test::shipped()
        .args(["list", "--status", "postponed"])
        .status(0);
    assert_eq!(out.stdout, "No action matches.\n");
    let out = Test::new().args(["list"]).status(0);
    assert!(
        out.stdout.starts_with("The plan has no actions yet"),
        "{}",
        out.stdout
    );
    let out = Test::shipped()
        .args(["list", "--status", "postponed", "--format", "json"])
        .status(0);
    assert_eq!(out.stdout.trim(), "[]");
}
