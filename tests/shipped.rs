//! The shipped data against the source document: counts, and every cell of the List of
//! Actions (cut out of the document as `fixtures/list-of-actions.tsv`).

use crate::test::Test;

fn yaml_files(folder: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(crate::test::shipped_data().join(folder))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| {
            std::path::Path::new(n)
                .extension()
                .is_some_and(|e| e == "yaml")
        })
        .collect();
    names.sort();
    names
}

#[test]
fn the_document_counts() {
    assert_eq!(yaml_files("actions").len(), 28);
    assert_eq!(yaml_files("logframe").len(), 16);
    let forums = yaml_files("forums");
    assert_eq!(forums, ["bp.yaml", "cp.yaml", "ct.yaml"]);
    let needs: usize = forums
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(crate::test::shipped_data().join("forums").join(f))
                .unwrap();
            text.lines().filter(|l| l.starts_with("  - id: ")).count()
        })
        .sum();
    assert_eq!(needs, 23);
    let objectives: usize = yaml_files("logframe")
        .iter()
        .map(|f| {
            let text =
                std::fs::read_to_string(crate::test::shipped_data().join("logframe").join(f))
                    .unwrap();
            text.lines().filter(|l| l.starts_with("  - text: ")).count()
        })
        .sum();
    assert_eq!(objectives, 21);
}

/// The document's status column, as the design maps it.
fn status(cell: &str) -> &'static str {
    match cell {
        "" => "planned",
        "completed" => "completed",
        c if c.starts_with("Planning") => "in-progress",
        c if c.starts_with("Requested") => "requested",
        other => panic!("unexpected status {other:?}"),
    }
}

#[test]
fn every_action_matches_its_row_in_the_document() {
    let json = Test::shipped()
        .args(["list", "--format", "json"])
        .status(0)
        .json();
    let actions = json.as_array().unwrap();
    let table = include_str!("fixtures/list-of-actions.tsv");
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 28);
    assert_eq!(actions.len(), 28);
    for (row, action) in rows.iter().zip(actions) {
        let id: i64 = row[0].parse().unwrap();
        assert_eq!(action["id"], id);
        assert_eq!(action["title"], row[1], "title of {id}");
        assert_eq!(action["scope"], row[5], "scope of {id}");
        assert_eq!(
            action["timeline"],
            row[6].replace("- ", ""),
            "timeline of {id}"
        );
        assert_eq!(action["status"], status(row[7]), "status of {id}");
        let tentative = action["financing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["tentative"] == true);
        let document_tentative = row[8].contains('?') || row[8].contains("(if available)");
        assert_eq!(tentative, document_tentative, "tentative financing of {id}");
        let no_financing = row[8].is_empty() || row[8] == "TBD";
        assert_eq!(
            action["financing"].as_array().unwrap().is_empty(),
            no_financing,
            "financing of {id}"
        );
        assert!(
            action["window"].is_object(),
            "timeline of {id} does not parse"
        );
    }
}

#[test]
fn leads_and_partners_as_the_document_names_them() {
    let json = Test::shipped()
        .args(["list", "--format", "json"])
        .status(0)
        .json();
    let lead = |id: usize| json[id - 1]["lead"].clone();
    let involved = |id: usize| json[id - 1]["involved"].clone();
    assert_eq!(lead(8), serde_json::json!(["DCAF", "FRONTEX"]));
    assert_eq!(involved(15), serde_json::json!(["FRONTEX"]));
    assert_eq!(involved(17), serde_json::json!(["EUROPOL", "FRONTEX"]));
    assert_eq!(involved(5), serde_json::json!(["JOO"]));
    assert_eq!(
        json[6]["locations"],
        serde_json::json!(["ALB-GRE", "MKD-GRE", "SRB", "MNE", "BIH"])
    );
    assert_eq!(json[11]["requested_by"], "MNE");
    let leads = |code: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .filter(|a| a["lead"].as_array().unwrap().iter().any(|l| l == code))
            .count()
    };
    assert_eq!(
        (
            leads("DCAF"),
            leads("EUROPOL"),
            leads("FRONTEX"),
            leads("SELEC"),
            leads("JOO")
        ),
        (15, 2, 2, 3, 3)
    );
}
