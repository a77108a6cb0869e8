use crate::test::Test;

#[test]
fn shows_names_needs_and_logframe_rows() {
    let out = Test::shipped().args(["show", "8"]).status(0);
    insta::assert_snapshot!("show_8_table", out.stdout);
    let json = Test::shipped()
        .args(["show", "8", "--format", "json"])
        .status(0)
        .json();
    assert_eq!(
        json["lead_names"][1]["name"],
        "European Border and Coast Guard Agency"
    );
    let needs: Vec<&str> = json["needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(needs, ["BP-7", "CP-5"]);
    assert!(
        json["needs"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Improving the quality")
    );
    let rows: Vec<i64> = json["logframe"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    // Row 8 answers BP-7 itself, row 4 its sub-item BP-7b.
    assert_eq!(rows, [4, 8]);
}

#[test]
fn json_snapshot() {
    let out = Test::shipped()
        .args(["show", "12", "--format", "json"])
        .status(0);
    insta::assert_snapshot!("show_12_json", out.stdout);
}

#[test]
fn unknown_id() {
    let out = Test::shipped().args(["show", "99"]).status(2);
    assert!(out.stderr.contains("no action has id 99"), "{}", out.stderr);
}
