//! Syntax and type errors reported where they start, named and placed like rustc: an
//! unclosed bracket or quote where it opened, a tab at the tab, a merge conflict, a tag,
//! ids, statuses and months that say what to write; an unclosed quote in an imported
//! table; free-text flags that begin with `-`; any text written so that it reads back.

use serde_json::Value;

use crate::test::{PLAN, Test, action};

/// Action 4 as the shipped plan writes it (with the test registries): line 2 `id`, 3
/// `title`, 4 `lead`, 5 `involved`, 6 `locations`, 7 `scope`, 8 `timeline`, 9 `status`,
/// 10 `financing`.
const ACTION_4: &str = "# Action 4.
id: 4
title: Joint Operation
lead: [DCAF]
involved: [EUROPOL, FRONTEX]
locations: [ALB-GRE]
scope: Criminal police and border police
timeline: By May 2019
status: planned
financing: [IPA-II-2017, GIZ]
";

const FILE: &str = "data/actions/004-joint-operation.yaml";

/// Action 4 with one piece of it replaced.
fn edited(from: &str, to: &str) -> String {
    assert!(ACTION_4.contains(from), "{from:?} not in action 4");
    ACTION_4.replacen(from, to, 1)
}

/// A clean plan (action 1 uses every registry entry) and action 4 as `text`.
fn plan_with(text: &str) -> Test {
    Test::new()
        .file("actions/001-a.yaml", action(1, "A", "planned", "2019"))
        .file("actions/004-joint-operation.yaml", text)
}

/// The findings of `validate --format json` about `file`, and the human output.
fn validate(test: &Test, file: &str) -> (Vec<Value>, String) {
    let json = Test::run_in(test, &["validate", "--format", "json"]);
    assert!(!json.stderr.contains("panicked"), "{}", json.stderr);
    let findings: Vec<Value> = json.json().as_array().unwrap().clone();
    let human = Test::run_in(test, &["validate"]);
    assert_eq!(human.code, json.code, "{}", human.stdout);
    let about: Vec<Value> = findings.into_iter().filter(|f| f["file"] == file).collect();
    (about, human.stdout)
}

/// Asserts that validate gives one finding about `file`: of `code` at `line:column`, whose
/// message holds `says` and none of the old wrong texts `not`, with a help; the human
/// output shows it at `file:line:column` with the same message and help. The finding.
fn finds_in(
    test: &Test,
    file: &str,
    code: &str,
    (line, column): (u64, u64),
    says: &str,
    not: &[&str],
) -> Value {
    let (findings, human) = validate(test, file);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let found = findings[0].clone();
    assert_eq!(found["code"], code, "{found:#}");
    assert_eq!(
        (found["line"].as_u64(), found["column"].as_u64()),
        (Some(line), Some(column)),
        "{found:#}"
    );
    let message = found["message"].as_str().unwrap();
    assert!(message.contains(says), "{found:#}");
    for old in not {
        assert!(!message.contains(old), "old text {old:?} in {found:#}");
        assert!(!human.contains(old), "old text {old:?} in\n{human}");
    }
    let help = found["help"]
        .as_str()
        .unwrap_or_else(|| panic!("no help in {found:#}"));
    let head = format!("error[{code}]: {message}\n");
    assert!(human.contains(&head), "{head:?} not in\n{human}");
    assert!(
        human.contains(&format!("--> {file}:{line}:{column}\n")),
        "{human}"
    );
    assert!(human.contains(&format!("= help: {help}\n")), "{human}");
    found
}

fn finds(text: &str, code: &str, at: (u64, u64), says: &str, not: &[&str]) -> Value {
    finds_in(&plan_with(text), FILE, code, at, says, not)
}

/// Action 4 as `text` reads without a finding about its file.
fn reads(text: &str) {
    let (findings, _) = validate(&plan_with(text), FILE);
    assert_eq!(findings, Vec::<Value>::new(), "{text}");
}

#[test]
fn the_base_action_is_clean() {
    reads(ACTION_4);
}

/// Point 1: An unclosed bracket, brace or quote is reported where it opened, not where the
/// parser gave up.
#[test]
fn unclosed_brackets_and_quotes_where_they_open() {
    let f = finds(
        &edited("lead: [DCAF]", "lead: [DCAF"),
        "syntax",
        (4, 7),
        "unclosed `[`",
        &["illegal placement"],
    );
    assert!(
        f["help"]
            .as_str()
            .unwrap()
            .contains("close it with `]`; the parser noticed at line 5"),
        "{f:#}"
    );
    finds(
        &edited("lead: [DCAF]", "lead: {source: DCAF"),
        "syntax",
        (4, 7),
        "unclosed `{`",
        &["sequence start", "did not find expected"],
    );
    finds(
        &edited("title: Joint Operation", "title: \"Joint Operation"),
        "syntax",
        (3, 8),
        "unclosed `\"`",
        &[],
    );
    finds(
        &edited("title: Joint Operation", "title: 'Joint Operation"),
        "syntax",
        (3, 8),
        "unclosed `'`",
        &[],
    );
    // Closed, lines later, by the quote that opens another value.
    let mut runaway = edited("title: Joint Operation", "title: \"Joint Operation");
    runaway.push_str("notes: \"x\"\n");
    finds(
        &runaway,
        "syntax",
        (3, 8),
        "runs on to line 11",
        &["invalid trailing content"],
    );
    let f = finds(
        &edited("title: Joint Operation", "title: 'Europol's day'"),
        "syntax",
        (3, 8),
        "at the `'` in `Europol's`",
        &["invalid trailing content"],
    );
    assert!(
        f["help"].as_str().unwrap().contains("`Europol''s`"),
        "{f:#}"
    );
}

/// Point 2: A tab is reported at its own line and column, as a tab.
#[test]
fn tabs_at_the_tab() {
    finds(
        &edited("scope: Criminal", "\tscope: Criminal"),
        "syntax",
        (7, 1),
        "a tab in the indentation",
        &["did not find expected key"],
    );
    // The parser notices this one on the line before, in the plain value it was reading.
    let f = finds(
        &edited(
            "financing: [IPA-II-2017, GIZ]",
            "financing:\n  - source: GIZ\n\t  tentative: true",
        ),
        "syntax",
        (12, 1),
        "a tab in the indentation",
        &["while scanning a plain scalar"],
    );
    assert_eq!(f["help"], "replace the tab with spaces");
    // A tab after `key:` separates, as YAML allows: read as written.
    reads(&edited("scope: Criminal", "scope:\tCriminal"));
}

/// Point 3: Git's conflict markers are a merge conflict, with its lines and what to do.
#[test]
fn merge_conflict_markers() {
    let f = finds(
        &edited(
            "status: planned\n",
            "<<<<<<< HEAD\nstatus: planned\n=======\nstatus: completed\n>>>>>>> other\n",
        ),
        "merge-conflict",
        (9, 1),
        "an unresolved git merge conflict (lines 9–13)",
        &["simple key expected"],
    );
    assert!(
        f["help"]
            .as_str()
            .unwrap()
            .contains("then `git add` the file"),
        "{f:#}"
    );
    let out = plan_with(&edited(
        "status: planned\n",
        "<<<<<<< HEAD\nstatus: planned\n=======\n",
    ))
    .args(["validate", "--explain", "merge-conflict"])
    .status(0);
    assert!(out.stdout.contains("merge conflict"), "{}", out.stdout);
}

/// Point 4: An id is plain digits: `004` is 4, as the file name writes it; `"4"` is text.
#[test]
fn ids_in_plain_digits() {
    reads(&edited("id: 4", "id: 004"));
    let f = finds(
        &edited("id: 4", "id: \"4\""),
        "wrong-type",
        (2, 5),
        "`id` must be a number, not text in quotes",
        &[],
    );
    assert_eq!(f["help"], "write `4`, without quotes");
    let f = finds(
        &edited("id: 4", "id: 0x4"),
        "wrong-type",
        (2, 5),
        "plain digits",
        &[],
    );
    assert_eq!(f["help"], "write `4`");
    finds(
        &edited("id: 4", "id: four"),
        "wrong-type",
        (2, 5),
        "`id` must be a whole number, not `four`",
        &[],
    );
}

/// Point 5: An explicit tag is refused where it is written.
#[test]
fn tags_are_refused() {
    let f = finds(
        &edited("status: planned", "status: !!python/object:x planned"),
        "yaml-tag",
        (9, 9),
        "`status` has the YAML tag `!!python/object:x`",
        &[],
    );
    assert!(
        f["help"]
            .as_str()
            .unwrap()
            .starts_with("remove `!!python/object:x`"),
        "{f:#}"
    );
    finds(
        &edited("status: planned", "status: !!str planned"),
        "yaml-tag",
        (9, 9),
        "`!!str`",
        &[],
    );
    finds(
        &edited("lead: [DCAF]", "lead: [!custom DCAF]"),
        "yaml-tag",
        (4, 8),
        "`!custom`",
        &[],
    );
    // A `!` in text is text.
    reads(&edited("title: Joint Operation", "title: Joint Operation!"));
}

/// Point 6: A status opened as a list and not closed is the unclosed bracket; a closed list
/// names the statuses.
#[test]
fn a_status_list() {
    finds(
        &edited("status: planned", "status: [broken"),
        "syntax",
        (9, 9),
        "unclosed `[`",
        &["externally tagged enum"],
    );
    let f = finds(
        &edited("status: planned", "status: [a, b]"),
        "wrong-type",
        (9, 9),
        "`status` must be one of `requested`, `planned`, `in-progress`, `completed`, `postponed`, `cancelled`, not a list",
        &["externally tagged enum"],
    );
    assert_eq!(
        f["help"],
        "write one value, without brackets, e.g. `status: planned`"
    );
}

/// Point 7: An unterminated quote in an imported table is refused at the quote.
#[test]
fn an_unclosed_quote_in_a_table() {
    let test = Test::new();
    let table = "#,ACTION,LEAD PARTNER,INVOLVED,LOCATION,SCOPE,TIMELINE,STATUS,FINANCING\n\
                 29,\"Border training,DCAF,,ALB,Border police,2019,,\n\
                 30,Document fraud,FRONTEX,,ALB,Border police,2019,,\n";
    std::fs::write(test.data().join("../new.csv"), table).unwrap();
    let before = test.snapshot_files();
    let out = Test::run_in(&test, &["import", "new.csv"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        before,
        test.snapshot_files(),
        "a refused import changed files"
    );
    assert!(
        out.stderr.contains(
            "error: cannot read `new.csv` as a table: line 2, column 4 (row 1, column `ACTION`): \
             the `\"` that opens this cell is never closed"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("help: close the cell with `\"`"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("lead"), "{}", out.stderr);
}

/// Point 8: A month in a year the plan cannot cover says which years it can.
#[test]
fn months_outside_the_years_a_plan_covers() {
    let test = plan_with(ACTION_4).file(
        "plan.yaml",
        PLAN.replace("start: 2018-07", "start: 1000-01"),
    );
    let f = finds_in(
        &test,
        "data/plan.yaml",
        "wrong-type",
        (3, 10),
        "`start` has the year 1000, outside the years a plan may cover (1900–2199)",
        &["is not a month"],
    );
    assert_eq!(f["help"], "check the year of `1000-01`");
    let (findings, _) = validate(&plan_with(&edited("By May 2019", "1000-01")), FILE);
    let timeline = findings
        .iter()
        .find(|f| f["code"] == "bad-timeline")
        .unwrap();
    assert_eq!(
        timeline["message"],
        "`1000-01`: the year 1000 is outside the years a plan may cover, 1900–2199"
    );
    assert_eq!(
        (timeline["line"].as_u64(), timeline["column"].as_u64()),
        (Some(8), Some(11))
    );
}

/// Point 9: The free-text flags take values that begin with `-`.
#[test]
fn free_text_flags_take_values_that_begin_with_a_dash() {
    let test = plan_with(ACTION_4);
    let out = Test::run_in(
        &test,
        &[
            "add-action",
            "--title",
            "---",
            "--lead",
            "DCAF",
            "--scope",
            "-x",
            "--timeline",
            "2019",
            "--notes",
            "- first point",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let show = Test::run_in(&test, &["list", "--format", "json"]);
    let added = show
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == 5)
        .unwrap()
        .clone();
    assert_eq!(
        (&added["title"], &added["scope"], &added["notes"]),
        (&"---".into(), &"-x".into(), &"- first point".into())
    );
    let out = Test::run_in(
        &test,
        &["edit", "4", "--title", "-5 days", "--timeline", "-"],
    );
    assert_eq!(
        out.code, 2,
        "a timeline of `-` is refused by validation, not by clap: {}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("unexpected argument"),
        "{}",
        out.stderr
    );
    let out = Test::run_in(&test, &["edit", "4", "--title", "-5 days"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text =
        std::fs::read_to_string(test.data().join("actions/004-joint-operation.yaml")).unwrap();
    assert!(text.contains("title: \"-5 days\"\n"), "{text}");
    // A forgotten value is still caught.
    let out = Test::run_in(&test, &["add-action", "--title", "--lead", "DCAF"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

/// Point 10: Control characters in a title are written as escapes and read back as typed.
#[test]
fn control_characters_in_a_title_read_back() {
    let test = plan_with(ACTION_4);
    let title = "a\u{7f}b\u{85}c\u{2028}d\u{1}e";
    let out = Test::run_in(
        &test,
        &[
            "add-action",
            "--title",
            title,
            "--lead",
            "DCAF",
            "--scope",
            "x",
            "--timeline",
            "2019",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let show = Test::run_in(&test, &["list", "--format", "json"]);
    let added = show
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == 5)
        .unwrap()
        .clone();
    assert_eq!(added["title"], title);
    let file = added["file"].as_str().unwrap().to_string();
    let text = std::fs::read_to_string(test.data().join("..").join(&file)).unwrap();
    assert!(
        text.contains("title: \"a\\x7fb\\x85c\\u2028d\\x01e\"\n"),
        "{text}"
    );
    let (findings, _) = validate(&test, &file);
    assert_eq!(findings, Vec::<Value>::new());
}

/// How the findings look to a person: each at its place, with the source line, a caret and
/// a help.
#[test]
fn as_rustc_shows_them() {
    let test = plan_with(&edited("lead: [DCAF]", "lead: [DCAF"))
        .file(
            "actions/005-b.yaml",
            edited("id: 4\n", "id: 5\n").replace("scope: Criminal", "\tscope: Criminal"),
        )
        .file(
            "actions/006-c.yaml",
            edited("id: 4\n", "id: 6\n").replace(
                "status: planned\n",
                "<<<<<<< HEAD\nstatus: planned\n=======\nstatus: completed\n>>>>>>> other\n",
            ),
        )
        .file(
            "actions/007-d.yaml",
            edited("id: 4\n", "id: 7\n")
                .replace("status: planned", "status: !!python/object:x planned"),
        );
    let out = Test::run_in(&test, &["validate"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stdout);
}
