//! One broken file never blocks the rest: reading commands use every file they can read and
//! name the ones left out (exit 1); a broken registry is one finding, first, and what only
//! follows from it is folded into one line; writers name the registry when they refuse.

use crate::test::Test;

/// The shipped plan with a tab pasted into `partners.yaml`.
fn tab_in_partners() -> Test {
    let test = Test::shipped();
    let path = test.data().join("partners.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("    name: Geneva", "\tname: Geneva", 1),
    )
    .unwrap();
    test
}

#[test]
fn a_broken_registry_is_one_finding_first() {
    let test = tab_in_partners();
    let out = Test::run_in(&test, &["validate", "--format", "json"]);
    assert_eq!(out.code, 1);
    let findings = out.json();
    let findings = findings.as_array().unwrap();
    assert_eq!(findings[0]["file"], "data/partners.yaml", "{findings:?}");
    assert_eq!(findings[0]["severity"], "error");
    let errors = findings.iter().filter(|f| f["severity"] == "error").count();
    assert!(errors <= 5, "{errors} errors: {findings:?}");
    assert!(
        findings.iter().all(|f| f["code"] != "unknown-partner"),
        "{findings:?}"
    );
    let folded: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["code"] == "unchecked")
        .collect();
    assert_eq!(folded.len(), 1, "{findings:?}");
    assert!(
        folded[0]["message"]
            .as_str()
            .unwrap()
            .contains("partner references not checked"),
        "{folded:?}"
    );
    // Human output: the cause is at the top, not at line 582.
    let out = Test::run_in(&test, &["validate"]);
    assert!(out.stdout.starts_with("error["), "{}", out.stdout);
    let place = out.stdout.lines().nth(1).unwrap();
    assert!(place.contains("--> data/partners.yaml:"), "{}", out.stdout);
}

#[test]
fn readers_go_on_without_the_broken_files() {
    let test = Test::shipped();
    std::fs::write(
        test.data()
            .join("actions/009-europol-joint-action-days-focusing-on-ocgs.yaml"),
        "id: 9\ntitle: [unclosed\n",
    )
    .unwrap();
    for args in [
        &["list"][..],
        &["list", "--format", "json"],
        &["show", "4"],
        &["report"],
        &["export", "--format", "csv"],
    ] {
        let out = Test::run_in(&test, args);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("data/actions/009-europol-joint-action-days-focusing-on-ocgs.yaml"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stderr.contains("left out"), "{args:?}: {}", out.stderr);
        assert!(!out.stdout.is_empty(), "{args:?}");
    }
    let out = Test::run_in(&test, &["list", "--format", "json"]);
    assert_eq!(
        out.json().as_array().unwrap().len(),
        27,
        "the other 27 actions"
    );
}

#[test]
fn writers_name_the_unreadable_registry() {
    let test = tab_in_partners();
    let before = test.snapshot_files();
    let out = Test::run_in(
        &test,
        &[
            "add-action",
            "--title",
            "X",
            "--lead",
            "DCAF",
            "--timeline",
            "2019",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("iisg changes nothing while `data/partners.yaml` cannot be read"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("unknown partner"), "{}", out.stderr);
    let out = Test::run_in(&test, &["edit", "4", "--status", "completed"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`data/partners.yaml` cannot be read"),
        "{}",
        out.stderr
    );
    assert_eq!(before, test.snapshot_files());
}

#[test]
fn every_reader_names_a_duplicated_id() {
    let test = Test::shipped();
    let four =
        std::fs::read_to_string(test.data().join("actions/004-joint-operation.yaml")).unwrap();
    std::fs::write(
        test.data().join("actions/004-twin.yaml"),
        four.replace("title: Joint Operation", "title: Twin"),
    )
    .unwrap();
    for args in [
        &["show", "4"][..],
        &["list"],
        &["report"],
        &["export", "--format", "csv"],
    ] {
        let out = Test::run_in(&test, args);
        assert_eq!(out.code, 1, "{args:?}");
        assert!(
            out.stderr.contains("2 files hold action 4"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("iisg renumber 4"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("004-twin.yaml"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

/// `status: Planned` in one file is a finding that says what to write; the rest of the plan
/// is listed.
#[test]
fn a_status_as_people_write_it_is_read_with_a_fix() {
    let test = Test::shipped();
    let edit = |file: &str, status: &str| {
        let path = test.data().join("actions").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let line = text.lines().find(|l| l.starts_with("status:")).unwrap();
        std::fs::write(&path, text.replace(line, &format!("status: {status}"))).unwrap();
    };
    edit("001-joint-operation-drino.yaml", "Planned");
    edit("002-joint-operation-tuzi.yaml", "\"Done\"");
    edit("003-joint-operation-drino-2.yaml", "In Progress");
    // Read as the statuses they name: nothing is left out.
    let out = Test::run_in(
        &test,
        &["list", "--format", "json", "--status", "completed"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"id\": 2"), "{}", out.stdout);
    let out = Test::run_in(
        &test,
        &["list", "--format", "json", "--status", "in-progress"],
    );
    assert!(out.stdout.contains("\"id\": 3"), "{}", out.stdout);
    // validate says what to write, at the value, and does not fail on it.
    let out = Test::run_in(&test, &["validate", "--format", "json"]);
    let findings = out.json();
    let spelt: Vec<_> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "status-spelling")
        .collect();
    assert_eq!(spelt.len(), 3, "{findings:?}");
    assert_eq!(spelt[0]["severity"], "warning");
    assert_eq!(spelt[0]["line"], 9);
    assert_eq!(spelt[0]["column"], 9);
    assert_eq!(spelt[0]["help"], "write `status: planned`");
    assert_eq!(spelt[1]["help"], "write `status: completed`");
    assert_eq!(
        spelt[2]["message"],
        "`In Progress` is read as `in-progress`"
    );
    // A word that names no status stays an error, pointed at the word.
    edit("004-joint-operation.yaml", "Someday");
    let out = Test::run_in(&test, &["validate"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("status: Someday\n  |         ^^^^^^^"),
        "{}",
        out.stdout
    );
}
