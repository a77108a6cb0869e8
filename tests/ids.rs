//! One id range, 1 to 999999, on every surface: the command line, the loader's rules,
//! `import`, `renumber --to` and the next free id.

use crate::test::{Output, Test};

/// What each surface is given, and whether it is an id.
const VALUES: &[(&str, bool)] = &[
    ("0", false),
    ("-1", false),
    ("999999", true),
    ("1000000", false),
    ("4294967296", false),
    ("9223372036854775807", false),
    ("DRINO", false),
];

/// What the command line says of a value that is not an id.
fn not_an_id(value: &str) -> String {
    if value == "DRINO" {
        "error: `DRINO` is not an id: ids are whole numbers from 1 to 999999\n  help: to find an action by its title or scope: `iisg list --search DRINO`\n".into()
    } else {
        format!("error: `{value}` is not an id: ids run from 1 to 999999\n")
    }
}

/// An action file with this id, written as given.
fn action(id: &str, title: &str) -> String {
    format!(
        "id: {id}\ntitle: {title}\nlead: [DCAF]\ninvolved: [EUROPOL]\nlocations: [ALB-GRE]\nscope: Border police\ntimeline: Q3 2019\nstatus: planned\nfinancing: [GIZ]\n"
    )
}

fn plan() -> Test {
    Test::new().file("actions/001-a.yaml", action("1", "Joint Operation DRINO"))
}

/// Runs and checks the exit code; a refusal (exit 2) must leave every file as it was.
fn run(test: &Test, args: &[&str], code: i32) -> Output {
    let before = test.snapshot_files();
    let out = Test::run_in(test, args);
    assert_eq!(out.code, code, "{args:?}\n{}\n{}", out.stdout, out.stderr);
    if code == 2 {
        assert_eq!(before, test.snapshot_files(), "{args:?} changed files");
    }
    out
}

#[test]
fn the_command_line_takes_ids_from_1_to_999999() {
    let test = plan();
    test.git(&["init", "-q"]);
    test.commit("Plan");
    for &(value, is_id) in VALUES {
        for args in [
            &["show", value][..],
            &["edit", value, "--status", "completed"],
            &["log", value],
            &["renumber", value, "--to", "30"],
            &["renumber", "1", "--to", value],
        ] {
            if is_id && args[1] == "1" {
                continue; // `renumber 1 --to 999999` runs: below.
            }
            let out = run(&test, args, 2);
            let expected = if is_id {
                "error: no action has id 999999\n  help: `iisg list` shows every action's id\n"
                    .to_string()
            } else {
                not_an_id(value)
            };
            assert_eq!(out.stderr, expected, "{args:?}");
            assert_eq!(out.stdout, "", "{args:?}");
        }
    }
    let out = Test::run_in(&test, &["renumber", "1", "--to", "999999"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(test.data().join("actions/999999-a.yaml").exists());
    run(&test, &["show", "999999"], 0);
    run(&test, &["validate"], 0);
}

#[test]
fn the_loader_finds_ids_outside_the_range() {
    for &(value, is_id) in VALUES {
        let name = format!("actions/{}-x.yaml", value.trim_start_matches('-'));
        let test = plan().file(&name, action(value, "X")).file(
            "logframe/1000000-x.yaml",
            "id: 1000000\noutcome: O\nobjectives:\n  - text: T\n    outputs: [P]\n",
        );
        let out = Test::run_in(&test, &["validate", "--format", "json"]);
        let findings = out.json();
        let on_file = |file: &str| -> Vec<String> {
            findings
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["file"] == format!("data/{file}"))
                .map(|f| f["code"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            on_file("logframe/1000000-x.yaml"),
            ["invalid-id"],
            "{findings:#}"
        );
        let codes = on_file(&name);
        match value {
            _ if is_id => assert!(codes.is_empty(), "{value}: {codes:?}"),
            "DRINO" => assert_eq!(codes, ["wrong-type"], "{value}"),
            _ => assert_eq!(codes, ["invalid-id"], "{value}"),
        }
        if !is_id && value != "DRINO" {
            let finding = findings
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["file"] == format!("data/{name}"))
                .unwrap();
            assert_eq!(finding["line"], 1);
            let why = if value.starts_with('-') || value == "0" {
                "is not positive"
            } else {
                "is too large"
            };
            assert_eq!(finding["message"], format!("action id {value} {why}"));
            assert_eq!(
                finding["help"],
                "ids run from 1 to 999999: give it a free one in that range, and rename the file to match"
            );
        }
    }
}

#[test]
fn import_refuses_a_row_whose_id_is_out_of_the_range() {
    for &(value, is_id) in VALUES {
        let table = format!(
            "#\tACTION\tLEAD PARTNER\tINVOLVED\tLOCATION\tSCOPE\tTIMELINE\tSTATUS\tFINANCING\n{value}\tBorder training\tDCAF\t\tALB-GRE\tBorder police\tQ3 2019\t\tGIZ\n"
        );
        let test = plan().file("../list.tsv", table);
        if is_id {
            let out = run(&test, &["import", "list.tsv"], 0);
            assert!(
                out.stdout
                    .starts_with("added action 999999: data/actions/999999-border-training.yaml\n"),
                "{}",
                out.stdout
            );
            continue;
        }
        let out = run(&test, &["import", "list.tsv"], 2);
        let (code, reason) = if value == "DRINO" {
            ("wrong-type", "ids are whole numbers from 1 to 999999")
        } else {
            ("invalid-id", "ids run from 1 to 999999")
        };
        assert!(
            out.stderr.starts_with(&format!(
                "error[{code}]: `{value}` is not an id: {reason}\n --> list.tsv:2: row 1, column `#`\n  = help: leave `#` empty to take the next free one\n"
            )),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn when_the_range_is_used_up_the_next_id_says_so() {
    let test = plan()
        .file("actions/999999-z.yaml", action("999999", "Last"))
        .file(
            "logframe/999999-z.yaml",
            "id: 999999\noutcome: O\nobjectives:\n  - text: T\n    outputs: [P]\n",
        );
    let out = run(
        &test,
        &[
            "add-action",
            "--title",
            "One more",
            "--lead",
            "DCAF",
            "--timeline",
            "2019",
        ],
        2,
    );
    assert_eq!(
        out.stderr,
        "error: no id is left for a new action: a new id is one more than the highest in use, and ids end at 999999\n  help: give the record with id 999999 a free lower id (an action: `iisg renumber 999999 --to NEW`), then try again\n"
    );
    let out = run(
        &test,
        &[
            "add-logframe",
            "--outcome",
            "O2",
            "--objective",
            "T",
            "--output",
            "P",
        ],
        2,
    );
    assert!(
        out.stderr
            .starts_with("error: no id is left for a new logframe row"),
        "{}",
        out.stderr
    );
    let table = "#\tACTION\tLEAD PARTNER\tINVOLVED\tLOCATION\tSCOPE\tTIMELINE\tSTATUS\tFINANCING\n\tBorder training\tDCAF\t\tALB-GRE\tBorder police\tQ3 2019\t\tGIZ\n";
    let test = test.file("../list.tsv", table);
    let out = run(&test, &["import", "list.tsv"], 2);
    assert!(
        out.stderr.starts_with("error[no-free-id]: no id is left for this row: ids end at 999999, and the next one would be past it\n --> list.tsv:2: row 1, column `#`\n  = help: give the row a free id in `#`\n"),
        "{}",
        out.stderr
    );
    // Two files with the last id: no renumber to a next id past the range is suggested.
    let test = test.file("actions/999999-y.yaml", action("999999", "Twin"));
    let out = Test::run_in(&test, &["validate", "--format", "json"]);
    let findings = out.json();
    let duplicate = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "duplicate-id")
        .unwrap();
    assert_eq!(
        duplicate["help"],
        "give one of them a free id, and rename its file to match"
    );
    let out = run(&test, &["renumber", "999999", "--to", "1"], 2);
    assert!(
        out.stderr
            .ends_with("  help: choose an id from 1 to 999999 that no action uses\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_id_past_the_range_does_not_wrap_the_next_one() {
    let test = plan().file(
        "actions/9223372036854775807-x.yaml",
        action("9223372036854775807", "Far"),
    );
    let out = run(
        &test,
        &[
            "add-action",
            "--title",
            "Next",
            "--lead",
            "DCAF",
            "--timeline",
            "2019",
        ],
        0,
    );
    assert_eq!(out.stdout, "added action 2: data/actions/002-next.yaml\n");
}
