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
                c["id"].as_i64().unwrap_or(-1),
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
        "nothing in the plan changed between `HEAD~1` and `HEAD`\n"
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

/// `(subject, change, id, title)` of each event `log ARGS` lists.
fn events(test: &Test, args: &[&str]) -> Vec<(String, String, String, String)> {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let out = ok(test, &args);
    out.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let id = match &r["id"] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (
                r["subject"].as_str().unwrap().to_string(),
                r["change"].as_str().unwrap().to_string(),
                id,
                r["title"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn event(subject: &str, change: &str, id: &str, title: &str) -> (String, String, String, String) {
    (subject.into(), change.into(), id.into(), title.into())
}

/// Two branches that each added action 29, merged.
fn two_branches_each_adding_29() -> Test {
    let test = Test::repo();
    test.git(&["checkout", "-q", "-b", "workshop"]);
    ok(
        &test,
        &[
            "add-action",
            "--title",
            "Document fraud workshop",
            "--lead",
            "DCAF",
            "--timeline",
            "Q3 2019",
        ],
    );
    test.commit("Action 29: document fraud workshop");
    test.git(&["checkout", "-q", "main"]);
    ok(&test, ADD);
    test.commit("Action 29: border surveillance training");
    test.git(&["merge", "-q", "--no-edit", "workshop"]);
    test
}

#[test]
fn log_follows_a_renumbered_action_and_tells_two_29s_apart() {
    let test = two_branches_each_adding_29();
    ok(&test, &["renumber", "29", "--to", "30"]);
    test.commit("Renumber the workshop");
    ok(&test, &["edit", "30", "--status", "in-progress"]);
    test.commit("Workshop held");
    assert_eq!(
        events(&test, &["log", "30"]),
        [
            event("Workshop held", "modified", "30", "Document fraud workshop"),
            event(
                "Renumber the workshop",
                "renumbered",
                "30",
                "Document fraud workshop"
            ),
            event(
                "Action 29: document fraud workshop",
                "added",
                "29",
                "Document fraud workshop"
            ),
        ]
    );
    assert_eq!(
        events(&test, &["log", "29"]),
        [event(
            "Action 29: border surveillance training",
            "added",
            "29",
            "Border surveillance training"
        )]
    );
    let table = ok(&test, &["log", "30"]);
    assert!(
        table.stdout.contains("renumbered 29 → 30"),
        "{}",
        table.stdout
    );
    // The action that left an id is found by it once no file holds the id.
    std::fs::remove_file(
        test.data()
            .join("actions/029-border-surveillance-training.yaml"),
    )
    .unwrap();
    test.commit("Drop the training");
    let seen: Vec<String> = events(&test, &["log", "29"])
        .into_iter()
        .map(|e| format!("{} {}", e.1, e.3))
        .collect();
    assert_eq!(
        seen,
        [
            "removed Border surveillance training",
            "added Border surveillance training"
        ]
    );
}

#[test]
fn log_follows_a_renamed_file_and_keeps_each_title_it_had() {
    let test = Test::repo();
    ok(&test, &["edit", "4", "--title", "Joint Operation BIH"]);
    test.commit("Action 4 named");
    test.git(&[
        "mv",
        "data/actions/004-joint-operation.yaml",
        "data/actions/004-joint-operation-bih.yaml",
    ]);
    test.commit("Rename action 4's file");
    ok(&test, &["edit", "4", "--status", "completed"]);
    test.commit("Action 4 done");
    assert_eq!(
        events(&test, &["log", "4"]),
        [
            event("Action 4 done", "modified", "4", "Joint Operation BIH"),
            event("Action 4 named", "modified", "4", "Joint Operation BIH"),
            event("Ship the plan", "added", "4", "Joint Operation"),
        ]
    );
}

#[test]
fn a_merge_of_two_branches_that_both_changed_an_action() {
    let test = Test::repo();
    test.git(&["checkout", "-q", "-b", "money"]);
    ok(&test, &["edit", "4", "--title", "Joint Operation BIH"]);
    test.commit("Action 4 named");
    test.git(&["checkout", "-q", "main"]);
    ok(&test, &["edit", "4", "--status", "completed"]);
    test.commit("Action 4 done");
    test.git(&["merge", "-q", "--no-edit", "money"]);
    let seen: Vec<(String, String)> = events(&test, &["log", "4"])
        .into_iter()
        .map(|e| (e.0, e.1))
        .collect();
    // Each branch's commit once; the merge took each field from a parent, so it is not listed.
    let subjects: Vec<&str> = seen.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(subjects.len(), 3, "{seen:?}");
    assert!(subjects.contains(&"Action 4 named"), "{seen:?}");
    assert!(subjects.contains(&"Action 4 done"), "{seen:?}");
    assert_eq!(subjects[2], "Ship the plan");
    // A merge that changes a value neither parent had is listed, with that field only.
    test.git(&["checkout", "-q", "-b", "scope"]);
    ok(&test, &["edit", "4", "--scope", "Border police"]);
    test.commit("Scope: border police");
    test.git(&["checkout", "-q", "main"]);
    ok(&test, &["edit", "4", "--scope", "Criminal police"]);
    test.commit("Scope: criminal police");
    let conflicted = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "merge",
            "-q",
            "scope",
        ])
        .current_dir(test.dir.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(!conflicted.status.success(), "a conflict");
    let file = test.data().join("actions/004-joint-operation.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut resolved = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with("<<<<<<<") {
            resolved.push_str("scope: Border police and prosecutors\n");
            skipping = true;
        } else if line.starts_with(">>>>>>>") {
            skipping = false;
        } else if !skipping {
            resolved.push_str(line);
            resolved.push('\n');
        }
    }
    std::fs::write(&file, resolved).unwrap();
    test.commit("Merge scope: both");
    let out = ok(&test, &["log", "4", "--format", "json"]);
    let rows = out.json();
    assert_eq!(rows[0]["subject"], "Merge scope: both");
    assert_eq!(
        rows[0]["fields"],
        json!([{"field": "scope", "old": "Criminal police", "new": "Border police and prosecutors"}])
    );
}

#[test]
fn log_of_a_logframe_row_and_of_registry_entries() {
    let test = Test::repo();
    let row = test
        .data()
        .join("logframe/02-increasing-the-use-of-mixed-patrols-along-the.yaml");
    let text = std::fs::read_to_string(&row).unwrap();
    std::fs::write(&row, format!("{text}notes: Agreed in May.\n")).unwrap();
    test.commit("Row 2: a note");
    let rows = events(&test, &["log", "--logframe", "2"]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].1, "modified");

    ok(
        &test,
        &[
            "partner",
            "add",
            "UNODC",
            "--name",
            "United Nations Office on Drugs and Crime",
        ],
    );
    test.commit("UNODC joins");
    ok(
        &test,
        &["partner", "edit", "UNODC", "--alias", "UN drugs office"],
    );
    test.commit("UNODC alias");
    ok(&test, &["partner", "rename", "UNODC", "UNODC-SEE"]);
    test.commit("UNODC is UNODC-SEE");
    assert_eq!(
        events(&test, &["log", "--partner", "UN drugs office"])
            .into_iter()
            .map(|e| (e.0, e.1, e.2))
            .collect::<Vec<_>>(),
        [
            (
                "UNODC is UNODC-SEE".into(),
                "renamed".into(),
                "UNODC-SEE".into()
            ),
            ("UNODC alias".into(), "modified".into(), "UNODC".into()),
            ("UNODC joins".into(), "added".into(), "UNODC".into()),
        ]
    );
    let table = ok(&test, &["log", "--partner", "UNODC-SEE"]);
    assert!(
        table.stdout.contains("renamed UNODC → UNODC-SEE"),
        "{}",
        table.stdout
    );
    assert_eq!(events(&test, &["log", "--location", "ALB"]).len(), 1);
    let out = Test::run_in(&test, &["log", "--funding", "NOPE"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn changes_cover_registries_forums_and_the_plan() {
    let test = Test::repo();
    ok(
        &test,
        &[
            "partner",
            "add",
            "UNODC",
            "--name",
            "United Nations Office on Drugs and Crime",
        ],
    );
    ok(
        &test,
        &["partner", "edit", "DCAF", "--alias", "DCAF Geneva"],
    );
    ok(&test, &["plan", "set", "--as-of", "2019-06-30"]);
    ok(&test, &["edit", "4", "--status", "completed"]);
    ok(&test, &["edit", "5", "--status", "completed"]);
    ok(&test, ADD);
    let out = ok(&test, &["changes", "--since", "HEAD", "--format", "json"]);
    let rows = out.json();
    let seen: Vec<(String, String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_string(),
                r["id"].to_string(),
                r["change"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("action", "4", "modified"),
        ("action", "5", "modified"),
        ("action", "29", "added"),
        ("partner", "\"DCAF\"", "modified"),
        ("partner", "\"UNODC\"", "added"),
        ("plan", "null", "modified"),
    ]
    .map(|(k, i, c)| (k.to_string(), i.to_string(), c.to_string()));
    assert_eq!(seen, expected);
    let plan = rows.as_array().unwrap().last().unwrap();
    assert_eq!(
        plan["fields"],
        json!([{"field": "as_of", "old": "2019-02-26", "new": "2019-06-30"}])
    );
    test.commit("June");
    // Between two commits too, and the summary for the meeting.
    let out = ok(
        &test,
        &[
            "changes", "--since", "HEAD~1", "--until", "HEAD", "--format", "markdown",
        ],
    );
    let first = out.stdout.lines().next().unwrap();
    assert_eq!(
        first,
        "Since 26 February 2019: 2 actions completed, 1 action added, 1 partner joined, \
         1 partner changed; as_of moved to 30 June 2019."
    );
    assert!(
        out.stdout.contains("| partner | UNODC | added |"),
        "{}",
        out.stdout
    );
    // A forum's need.
    let forum = test.data().join("forums/bp.yaml");
    let text = std::fs::read_to_string(&forum).unwrap();
    let changed = text.replacen("text: ", "text: Amended — ", 1);
    assert_ne!(text, changed);
    std::fs::write(&forum, changed).unwrap();
    let rows = listed(&test, &["changes", "--since", "HEAD"]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0].1.as_str(), rows[0].2.as_str()),
        ("need", "modified")
    );
}

#[test]
fn a_huge_blob_in_the_history_is_never_read() {
    let test = Test::repo();
    // 300 MB of zeros, hashed from a stream into the repository and committed under
    // data/actions without ever being a file.
    let huge = 300 * 1024 * 1024;
    let mut hash = std::process::Command::new("git")
        .args(["hash-object", "-w", "--stdin"])
        .current_dir(test.dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = hash.stdin.take().unwrap();
        let block = vec![0u8; 1024 * 1024];
        for _ in 0..huge / block.len() {
            stdin.write_all(&block).unwrap();
        }
    }
    let out = hash.wait_with_output().unwrap();
    let oid = String::from_utf8(out.stdout).unwrap().trim().to_string();
    test.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("100644,{oid},data/actions/004-joint-operation.yaml"),
    ]);
    test.git(&["commit", "-q", "-m", "A huge blob"]);
    test.git(&[
        "checkout",
        "-q",
        "--",
        "data/actions/004-joint-operation.yaml",
    ]);
    std::fs::write(
        test.data().join("actions/004-joint-operation.yaml"),
        crate::test::action(4, "Joint Operation", "completed", "July 2018"),
    )
    .unwrap();
    test.commit("Action 4 back");
    for args in [
        &["log", "4"][..],
        &["changes", "--since", "HEAD~1", "--until", "HEAD"],
        &["changes", "--since", "HEAD~1"],
    ] {
        let mut command = vec!["-f", "%M", env!("CARGO_BIN_EXE_iisg")];
        command.extend(args);
        let run = std::process::Command::new("/usr/bin/time")
            .args(&command)
            .current_dir(test.dir.path())
            .env("NO_COLOR", "1")
            .output();
        let Ok(run) = run else { continue };
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{args:?}: {stderr}");
        assert!(
            stderr.contains("skipped `data/actions/004-joint-operation.yaml")
                && stderr.contains("bytes, more than"),
            "{args:?}: {stderr}"
        );
        let peak_kb: u64 = stderr.lines().last().unwrap().trim().parse().unwrap();
        assert!(peak_kb < 100 * 1024, "{args:?}: {peak_kb} KB");
    }
}

#[test]
fn control_characters_in_old_commits_are_cleaned() {
    let test = Test::repo();
    let file = test.data().join("actions/004-joint-operation.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace(
            "title: Joint Operation",
            "title: \"Joint \\e[31mOperation\\a\"",
        ),
    )
    .unwrap();
    test.git(&["add", "-A"]);
    test.git(&["commit", "-q", "-m", "evil \u{1b}[2J subject"]);
    for args in [&["log", "4"][..], &["changes", "--since", "HEAD~1"]] {
        let out = ok(&test, args);
        assert!(!out.stdout.contains('\u{1b}'), "{}", out.stdout);
        assert!(!out.stdout.contains('\u{7}'), "{}", out.stdout);
        assert!(out.stdout.contains("\\u001b"), "{}", out.stdout);
    }
}
