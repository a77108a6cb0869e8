//! `renumber`: two branches each added "action 29"; after the merge one of them moves to a
//! free id, with only its `id:` line changed and its file renamed.

use crate::test::{Output, Test};

fn add(test: &Test, title: &str) {
    let out = Test::run_in(
        test,
        &[
            "add-action",
            "--title",
            title,
            "--lead",
            "DCAF",
            "--timeline",
            "Q3 2019",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// The shipped plan where branches `a` and `b` each added action 29, merged.
fn merged() -> Test {
    let test = Test::repo();
    test.git(&["checkout", "-q", "-b", "a"]);
    add(&test, "Border surveillance training");
    test.commit("Action 29 on a");
    test.git(&["checkout", "-q", "main"]);
    test.git(&["checkout", "-q", "-b", "b"]);
    add(&test, "Document fraud workshop");
    test.commit("Action 29 on b");
    test.git(&["merge", "-q", "--no-edit", "a"]);
    test
}

/// Runs and checks that it exits 2 and nothing under the folder changed.
fn refused(test: &Test, args: &[&str]) -> Output {
    let before = test.snapshot_files();
    let out = Test::run_in(test, args);
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        before,
        test.snapshot_files(),
        "a refused command changed files"
    );
    out
}

#[test]
fn renumber_resolves_a_duplicate_id_from_a_merge() {
    let test = merged();
    let out = Test::run_in(&test, &["validate"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("error[duplicate-id]"), "{}", out.stdout);
    assert!(
        out.stdout.contains("`iisg renumber 29 --to 30`"),
        "{}",
        out.stdout
    );

    let actions = test.data().join("actions");
    let old = actions.join("029-document-fraud-workshop.yaml");
    let before = std::fs::read_to_string(&old).unwrap();
    let out = Test::run_in(&test, &["renumber", "29", "--to", "30"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "action 29 is now action 30: data/actions/029-document-fraud-workshop.yaml → data/actions/030-document-fraud-workshop.yaml\n"
    );
    assert!(!old.exists());
    assert!(
        actions
            .join("029-border-surveillance-training.yaml")
            .exists()
    );
    let after = std::fs::read_to_string(actions.join("030-document-fraud-workshop.yaml")).unwrap();
    let differing: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(b, a)| b != a)
        .collect();
    assert_eq!(differing, [("id: 29", "id: 30")]);
    assert_eq!(before.replace("id: 29\n", "id: 30\n"), after);

    let out = Test::run_in(&test, &["validate"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    // git sees a rename with a one-line change.
    test.git(&["add", "-A"]);
    let diff = test.git(&["diff", "--cached", "-M", "--numstat"]);
    assert_eq!(
        diff,
        "1\t1\tdata/actions/{029-document-fraud-workshop.yaml => 030-document-fraud-workshop.yaml}\n"
    );
}

#[test]
fn file_picks_which_one_moves() {
    let test = merged();
    let out = Test::run_in(
        &test,
        &[
            "renumber",
            "29",
            "--to",
            "31",
            "--file",
            "data/actions/029-border-surveillance-training.yaml",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let actions = test.data().join("actions");
    assert!(
        actions
            .join("031-border-surveillance-training.yaml")
            .exists()
    );
    assert!(actions.join("029-document-fraud-workshop.yaml").exists());
    let list = Test::run_in(&test, &["show", "31", "--format", "json"]);
    assert_eq!(list.json()["title"], "Border surveillance training");
}

#[test]
fn a_single_action_can_be_renumbered_too() {
    let test = Test::shipped();
    let out = Test::run_in(&test, &["renumber", "28", "--to", "100"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let moved = test
        .data()
        .join("actions/100-train-the-trainers-course-bridging-the-gap.yaml");
    assert!(
        std::fs::read_to_string(moved)
            .unwrap()
            .contains("\nid: 100\n")
    );
    assert_eq!(Test::run_in(&test, &["validate"]).code, 0);
}

#[test]
fn refusals_change_nothing() {
    let test = merged();
    let out = refused(&test, &["renumber", "29", "--to", "28"]);
    assert!(
        out.stderr.contains(
            "error: id 28 is taken: `data/actions/028-train-the-trainers-course-bridging-the-gap.yaml` uses it"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("30 is the next one"), "{}", out.stderr);
    let out = refused(&test, &["renumber", "29", "--to", "29"]);
    assert!(out.stderr.contains("id 29 is taken"), "{}", out.stderr);
    let out = refused(&test, &["renumber", "99", "--to", "30"]);
    assert!(out.stderr.contains("no action has id 99"), "{}", out.stderr);
    for bad in ["0", "-3"] {
        let out = refused(&test, &["renumber", "29", "--to", bad]);
        assert!(
            out.stderr
                .contains(&format!("`{bad}` is not an id: ids run from 1 to 999999")),
            "{}",
            out.stderr
        );
    }
    let out = refused(
        &test,
        &[
            "renumber",
            "29",
            "--to",
            "30",
            "--file",
            "004-joint-operation.yaml",
        ],
    );
    assert!(
        out.stderr
            .contains("`004-joint-operation.yaml` does not hold action 29"),
        "{}",
        out.stderr
    );
    // A file name that uses the number, even if its id differs, takes it too.
    std::fs::write(
        test.data().join("actions/040-stray.yaml"),
        crate::test::action(41, "Stray", "planned", "2019"),
    )
    .unwrap();
    let out = refused(&test, &["renumber", "29", "--to", "40"]);
    assert!(out.stderr.contains("id 40 is taken"), "{}", out.stderr);
}
