//! Files that cannot be read are reported with their path and line, all of them, and
//! nothing panics.

use crate::test::{Test, action};

fn broken(name: &str, contents: &str) -> crate::test::Output {
    let test = Test::new()
        .file("actions/001-ok.yaml", action(1, "Fine", "planned", "2019"))
        .file(name, contents)
        .args(["list"]);
    let before = test.snapshot_files();
    // The broken file is named and left out; the others are listed; exit 1.
    let out = test.status(1);
    assert_eq!(
        before,
        test.snapshot_files(),
        "a read-only command changed files"
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(out.stdout.contains("Fine"), "{}", out.stdout);
    assert!(out.stderr.contains("left out"), "{}", out.stderr);
    out
}

#[test]
fn syntax_error_with_path_line_and_column() {
    let out = broken(
        "actions/002-bad.yaml",
        "id: 2\ntitle: [unclosed\nlead: []\n",
    );
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn unknown_field_names_the_accepted_ones() {
    let mut text = action(2, "B", "planned", "2019");
    text.push_str("colour: red\n");
    let out = broken("actions/002-b.yaml", &text);
    assert!(
        out.stderr
            .contains("error[unknown-field]: unknown field `colour`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("data/actions/002-b.yaml:10:1"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("expected one of `id`, `title`"),
        "{}",
        out.stderr
    );
}

#[test]
fn wrong_type_names_the_field() {
    let text = action(2, "B", "planned", "2019").replace("id: 2", "id: two");
    let out = broken("actions/002-b.yaml", &text);
    assert!(
        out.stderr.contains("`id` must be a whole number"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("data/actions/002-b.yaml:1:5"),
        "{}",
        out.stderr
    );
}

#[test]
fn unknown_status_lists_the_statuses() {
    let out = broken("actions/002-b.yaml", &action(2, "B", "maybe", "2019"));
    assert!(
        out.stderr.contains("`status` has an unknown value `maybe`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("`in-progress`"), "{}", out.stderr);
}

#[test]
fn missing_field() {
    let text = action(2, "B", "planned", "2019").replace("lead: [DCAF]\n", "");
    let out = broken("actions/002-b.yaml", &text);
    assert!(
        out.stderr.contains("missing field `lead`"),
        "{}",
        out.stderr
    );
}

#[test]
fn every_broken_file_in_one_run() {
    let test = Test::new()
        .file("actions/001-a.yaml", "id: [\n")
        .file("actions/002-b.yaml", "id: 2\nnope: 1\n")
        .file("logframe/01-c.yaml", "id: 1\noutcome: x\nobjectives: 3\n")
        .file("partners.yaml", "partners: {}\n")
        .args(["list"]);
    let out = test.status(1);
    for file in [
        "data/actions/001-a.yaml:",
        "data/actions/002-b.yaml:2:1",
        "data/logframe/01-c.yaml:3:",
        "data/partners.yaml:1:",
    ] {
        assert!(out.stderr.contains(file), "{file} not in\n{}", out.stderr);
    }
    assert!(
        out.stderr
            .contains("warning: 4 files could not be read and are left out"),
        "{}",
        out.stderr
    );
}

#[test]
fn hostile_inputs_are_refused_quickly() {
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    broken("actions/002-bomb.yaml", bomb);
    broken("actions/003-deep.yaml", &"[".repeat(100_000));
    broken("actions/004-deep.yaml", &"- ".repeat(50_000));
    let out = broken("actions/005-bytes.yaml", "id: 5\ntitle: caf\u{e9}\n");
    assert!(!out.stderr.contains("not-utf8"));
    let test = Test::new()
        .file(
            "actions/006-latin1.yaml",
            b"id: 6\ntitle: caf\xe9\n".as_slice(),
        )
        .args(["list"]);
    let out = test.status(1);
    assert!(out.stderr.contains("error[not-utf8]"), "{}", out.stderr);
    assert!(
        out.stderr.contains("data/actions/006-latin1.yaml:2:11"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_oversized_file_is_refused_unread() {
    let big = format!("{}\n", "# padding\n".repeat(500_000));
    let out = broken("actions/002-big.yaml", &big);
    assert!(
        out.stderr.contains("error[file-too-large]"),
        "{}",
        out.stderr
    );
}

#[test]
fn bom_crlf_and_tabs_in_text_are_legal() {
    let windows_file = format!(
        "\u{feff}{}",
        action(2, "B\tand tab", "planned", "2019").replace('\n', "\r\n")
    );
    let test = Test::new()
        .file("actions/002-b.yaml", windows_file)
        .args(["list", "--format", "json"]);
    let json = test.status(0).json();
    assert_eq!(json[0]["title"], "B\tand tab");
}

#[test]
fn backups_and_hidden_files_are_not_actions() {
    let test = Test::new()
        .file("actions/001-a.yaml", action(1, "A", "planned", "2019"))
        .file("actions/001-a.yaml~", "garbage: [")
        .file("actions/.001-a.yaml.swp", "garbage: [")
        .file("actions/.001-a.yaml.tmp1234", "garbage: [")
        .file("actions/#001-a.yaml#", "garbage: [")
        .file("actions/README.md", "# notes")
        .args(["list", "--format", "json"]);
    assert_eq!(test.status(0).json().as_array().unwrap().len(), 1);
}

/// A FIFO where an action file should be (no writer, or a writer that says nothing) is
/// reported, not waited on: files are opened without blocking. The command runs under
/// `timeout`, so a regression fails here instead of hanging the suite.
#[test]
fn a_fifo_in_the_plan_is_reported_not_waited_on() {
    let test = Test::new().file("actions/001-a.yaml", action(1, "A", "planned", "2019"));
    let fifo = test.data().join("actions/002-fifo.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let out = std::process::Command::new("timeout")
        .args(["60", env!("CARGO_BIN_EXE_iisg"), "--data"])
        .arg(test.data())
        .args(["validate", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let about_fifo = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("002-fifo.yaml"))
        .cloned();
    assert!(
        about_fifo.is_some_and(|f| f["severity"] == "error"),
        "{findings:#}"
    );
}
