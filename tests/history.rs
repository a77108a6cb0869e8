//! The plan's history in git: `changes` between revisions and `log` of one action. Each test
//! makes a git repository holding a copy of the shipped plan.

use serde_json::json;

use crate::test::Test;

const ADD: &[&str] = &[
    "add-action",
    "--title",
    "Border surveillance training",
    "--lead",
    "DCAF",
    "--timeline",
    "Q3 2019",
];

fn ok(test: &Test, args: &[&str]) -> crate::test::Output {
    let out = Test::run_in(test, args);
    assert_eq!(out.code, 0, "{args:?}\n{}\n{}", out.stdout, out.stderr);
    out
}

/// `(id, kind, change)` of each change `changes` lists.
fn listed(test: &Test, args: &[&str]) -> Vec<(i64, String, String)> {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let out = ok(test, &args);
    let rows = out.json();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_i64().unwrap(),
                c["kind"].as_str().unwrap().to_string(),
                c["change"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn changes_since_head_lists_an_edit_and_an_addition() {
    let test = Test::repo();
    ok(&test, &["edit", "4", "--status", "completed"]);
    ok(&test, ADD);
    let out = ok(&test, &["changes", "--since", "HEAD", "--format", "json"]);
    assert_eq!(
        out.json(),
        json!([
            {
                "id": 4,
                "kind": "action",
                "change": "modified",
                "title": "Joint Operation",
                "file": "data/actions/004-joint-operation.yaml",
                "fields": [{"field": "status", "old": "planned", "new": "completed"}],
            },
            {
                "id": 29,
                "kind": "action",
                "change": "added",
                "title": "Border surveillance training",
                "file": "data/actions/029-border-surveillance-training.yaml",
                "fields": [],
            },
        ])
    );
    assert_eq!(out.stderr, "");
    let table = ok(&test, &["changes", "--since", "HEAD"]);
    insta::assert_snapshot!(table.stdout);
    let csv = ok(&test, &["changes", "--since", "HEAD", "--format", "csv"]);
    assert_eq!(
        csv.stdout,
        "kind,id,change,title,field,old,new\n\
         action,4,modified,Joint Operation,status,planned,completed\n\
         action,29,added,Border surveillance training,,,\n"
    );
    let markdown = ok(
        &test,
        &["changes", "--since", "HEAD", "--format", "markdown"],
    );
    assert!(
        markdown
            .stdout
            .contains("| action | 4 | modified | Joint Operation | status: planned → completed |"),
        "{}",
        markdown.stdout
    );
}

#[test]
fn changes_between_two_commits() {
    let test = Test::repo();
    ok(&test, &["edit", "4", "--status", "completed"]);
    ok(&test, ADD);
    test.commit("Action 4 done; action 29");
    ok(&test, &["edit", "5", "--status", "cancelled"]);
    test.commit("Action 5 cancelled");
    // Not committed: no part of `--until HEAD`.
    ok(&test, &["edit", "6", "--status", "cancelled"]);

    let first = [(4, "action", "modified"), (29, "action", "added")]
        .map(|(i, k, c)| (i, k.to_string(), c.to_string()));
    let second = vec![(5, "action".to_string(), "modified".to_string())];
    assert_eq!(
        listed(
            &test,
            &["changes", "--since", "HEAD~2", "--until", "HEAD~1"]
        ),
        first
    );
    assert_eq!(
        listed(&test, &["changes", "--since", "HEAD~1", "--until", "HEAD"]),
        second
    );
    assert_eq!(
        listed(&test, &["changes", "--since", "HEAD~1"]).len(),
        2,
        "5 and 6"
    );
    let branch = test.git(&["rev-parse", "--abbrev-ref", "HEAD"]);
    assert_eq!(
        listed(
            &test,
            &["changes", "--since", "HEAD~2", "--until", branch.trim()]
        )
        .len(),
        3
    );
}

#[test]
fn a_renamed_file_with_the_same_fields_is_no_change() {
    let test = Test::repo();
    test.git(&[
        "mv",
        "data/actions/004-joint-operation.yaml",
        "data/actions/004-joint-operation-bih.yaml",
    ]);
    test.commit("Rename action 4's file");
    assert_eq!(listed(&test, &["changes", "--since", "HEAD~1"]), []);
    let out = ok(&test, &["changes", "--since", "HEAD~1", "--until", "HEAD"]);
    assert_eq!(
        out.stdout,
        "no action or logframe row changed between `HEAD~1` and `HEAD`\n"
    );
    // Renamed and changed: modified, not removed and added.
    ok(&test, &["edit", "4", "--status", "completed"]);
    assert_eq!(
        listed(&test, &["changes", "--since", "HEAD~1"]),
        [(4, "action".into(), "modified".into())]
    );
}

#[test]
fn removed_actions_and_changed_logframe_rows() {
    let test = Test::repo();
    std::fs::remove_file(
        test.data()
            .join("actions/028-train-the-trainers-course-bridging-the-gap.yaml"),
    )
    .unwrap();
    let row = test
        .data()
        .join("logframe/02-increasing-the-use-of-mixed-patrols-along-the.yaml");
    let text = std::fs::read_to_string(&row).unwrap();
    std::fs::write(&row, format!("{text}notes: Agreed at the May meeting.\n")).unwrap();
    let out = ok(&test, &["changes", "--since", "HEAD", "--format", "json"]);
    let rows = out.json();
    assert_eq!(rows[0]["id"], 28);
    assert_eq!(rows[0]["change"], "removed");
    assert_eq!(
        rows[0]["title"],
        "Train the Trainers Course – bridging the gap between theory and practice in the field of migration management"
    );
    assert_eq!(rows[1]["kind"], "logframe");
    assert_eq!(rows[1]["id"], 2);
    assert_eq!(rows[1]["change"], "modified");
    assert_eq!(
        rows[1]["fields"],
        json!([{"field": "notes", "old": "", "new": "Agreed at the May meeting."}])
    );
    assert_eq!(rows.as_array().unwrap().len(), 2);
}

#[test]
fn a_file_that_does_not_read_at_a_revision_is_skipped_with_a_warning() {
    let test = Test::repo();
    let bad = test.data().join("actions/029-half-written.yaml");
    std::fs::write(&bad, "id: 29\ntitle: 'unclosed\n").unwrap();
    test.commit("Half-written action");
    std::fs::remove_file(&bad).unwrap();
    ok(&test, ADD);
    let out = ok(&test, &["changes", "--since", "HEAD", "--format", "json"]);
    assert_eq!(out.json().as_array().unwrap().len(), 1, "{}", out.stdout);
    assert!(
        out.stderr
            .starts_with("warning: skipped `data/actions/029-half-written.yaml:"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("at `HEAD`"), "{}", out.stderr);
}

#[test]
fn outside_a_git_repository_is_an_error() {
    let test = Test::shipped();
    let root = test.data().parent().unwrap().to_path_buf();
    // Never find a repository above the temporary folder either.
    let ceiling = root.parent().unwrap().to_string_lossy().to_string();
    let env = [("GIT_CEILING_DIRECTORIES", ceiling.as_str())];
    for args in [&["changes", "--since", "HEAD"][..], &["log", "4"]] {
        let out = test.run_with(args, &env);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("is not inside a git repository"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("help: "), "{}", out.stderr);
    }
}

#[test]
fn an_unknown_revision_is_an_error() {
    let test = Test::repo();
    for revision in ["no-such-branch", "HEAD~5", "--help"] {
        let out = Test::run_in(&test, &["changes", &format!("--since={revision}")]);
        assert_eq!(out.code, 2, "{revision}: {}", out.stderr);
        assert!(
            out.stderr
                .contains(&format!("error: unknown revision `{revision}`")),
            "{}",
            out.stderr
        );
    }
    let out = Test::run_in(&test, &["changes", "--since", "HEAD", "--until", "nope"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown revision `nope`"),
        "{}",
        out.stderr
    );
}

#[test]
fn without_git_installed_is_an_error() {
    let test = Test::repo();
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().to_string_lossy().to_string();
    let out = test.run_with(&["changes", "--since", "HEAD"], &[("PATH", &path)]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("cannot run `git`"), "{}", out.stderr);
    assert!(out.stderr.contains("install git"), "{}", out.stderr);
}

#[test]
fn log_shows_each_commit_that_changed_the_action() {
    let test = Test::repo();
    ok(&test, &["edit", "4", "--status", "completed"]);
    test.commit("Action 4 done");
    ok(&test, &["edit", "5", "--status", "cancelled"]);
    test.commit("Action 5 cancelled");
    test.git(&[
        "mv",
        "data/actions/004-joint-operation.yaml",
        "data/actions/004-joint-operation-bih.yaml",
    ]);
    test.commit("Rename action 4's file");
    ok(&test, &["edit", "4", "--scope", "Border police"]);
    test.commit("Action 4: border police only");

    let out = ok(&test, &["log", "4", "--format", "json"]);
    let rows = out.json();
    let seen: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["subject"].as_str().unwrap(),
                r["change"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("Action 4: border police only", "modified"),
            ("Action 4 done", "modified"),
            ("Ship the plan", "added"),
        ]
    );
    assert_eq!(
        rows[0]["fields"],
        json!([{"field": "scope", "old": "Criminal police and border police", "new": "Border police"}])
    );
    assert_eq!(
        rows[1]["fields"],
        json!([{"field": "status", "old": "planned", "new": "completed"}])
    );
    assert_eq!(rows[0]["author"], "t");
    assert_eq!(rows[0]["commit"].as_str().unwrap().len(), 40);

    let table = ok(&test, &["log", "4"]);
    assert!(
        table.stdout.contains("| status: planned → completed"),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains("Action 4: border police only"),
        "{}",
        table.stdout
    );
    assert!(
        !table.stdout.contains("Action 5 cancelled"),
        "{}",
        table.stdout
    );
    let csv = ok(&test, &["log", "4", "--format", "csv"]);
    assert_eq!(csv.stdout.lines().count(), 4, "a header and three rows");
}

#[test]
fn log_of_an_action_not_yet_committed_or_unknown() {
    let test = Test::repo();
    ok(&test, ADD);
    let out = ok(&test, &["log", "29"]);
    assert_eq!(
        out.stdout,
        "action 29 is in no commit yet: its history starts when it is committed\n"
    );
    assert_eq!(ok(&test, &["log", "29", "--format", "json"]).stdout, "[]\n");
    let out = Test::run_in(&test, &["log", "99"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no action has id 99"), "{}", out.stderr);
    std::fs::remove_file(
        test.data()
            .join("actions/029-border-surveillance-training.yaml"),
    )
    .unwrap();
    ok(&test, ADD);
    test.commit("Action 29");
    std::fs::remove_file(
        test.data()
            .join("actions/029-border-surveillance-training.yaml"),
    )
    .unwrap();
    test.commit("Drop action 29");
    let out = ok(&test, &["log", "29", "--format", "json"]);
    let rows = out.json();
    let changes: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["removed", "added"]);
}
