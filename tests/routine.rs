//! The secretariat's routine without opening a YAML file: the plan's own fields (`plan show`,
//! `plan set`), removing a record (`remove`), and edits that mean what they say.

use crate::test::Test;

/// The lines `git diff -U0` shows removed and added, without the file headers.
fn diff_lines(test: &Test) -> Vec<String> {
    test.git(&["diff", "--no-color", "-U0"])
        .lines()
        .filter(|l| {
            (l.starts_with('-') || l.starts_with('+'))
                && !l.starts_with("---")
                && !l.starts_with("+++")
        })
        .map(ToString::to_string)
        .collect()
}

/// Runs a command that must be refused: exit 2, and every file as it was.
fn refused(test: &Test, args: &[&str]) -> crate::test::Output {
    let before = test.snapshot_files();
    let out = Test::run_in(test, args);
    assert_eq!(out.code, 2, "{args:?}\n{}\n{}", out.stdout, out.stderr);
    assert!(
        before == test.snapshot_files(),
        "{args:?} changed a file\n{}",
        out.stderr
    );
    out
}

#[test]
fn plan_show_as_a_table_and_as_json() {
    let test = Test::shipped();
    let out = Test::run_in(&test, &["plan", "show"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("plan_show_table", out.stdout);
    let out = Test::run_in(&test, &["plan", "show", "--format", "json"]);
    insta::assert_snapshot!("plan_show_json", out.stdout);
}

/// Marking an action completed is refused while `as_of` says its month has not come; moving
/// `as_of` to today lets it through.
#[test]
fn as_of_today_lets_an_action_be_completed() {
    let test = Test::shipped();
    let out = refused(&test, &["edit", "22", "--status", "completed"]);
    assert!(
        out.stderr.contains("completed-before-start")
            && out.stderr.contains("iisg plan set --as-of today"),
        "{}",
        out.stderr
    );
    let out = Test::run_in(&test, &["plan", "set", "--as-of", "today"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let today = chrono::Local::now().date_naive().to_string();
    assert_eq!(
        out.stdout,
        format!("plan: as_of: 2019-02-26 → {today}\nwrote data/plan.yaml\n")
    );
    let out = Test::run_in(&test, &["edit", "22", "--status", "completed"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("action 22: status: planned → completed"),
        "{}",
        out.stdout
    );
    Test::run_in(&test, &["validate"]);
    let json = Test::run_in(&test, &["plan", "show", "--format", "json"]).json();
    assert_eq!(json["as_of"], today.as_str());
}

/// Each field changes its own line and nothing else; a key the file lacks gets a line of its
/// own, after the key before it.
#[test]
fn plan_set_changes_only_its_line() {
    let test = Test::repo();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--as-of", "2019-06-30"],
            &["-as_of: 2019-02-26", "+as_of: 2019-06-30"],
        ),
        (
            &["--title", "IISG Response Action 2018-2020"],
            &[
                "-title: IISG Response Action 2018-2019",
                "+title: IISG Response Action 2018-2020",
            ],
        ),
        (
            &["--period", "2018-07", "2020-06"],
            &["-  end: 2019-12", "+  end: 2020-06"],
        ),
        (
            &["--period", "June 2018", "2019-12"],
            &["-  start: 2018-07", "+  start: 2018-06"],
        ),
        (
            &["--issued", "2019-03-01"],
            &["-issued: 2019-02-26", "+issued: 2019-03-01"],
        ),
        (
            &["--coordinator", "dcaf ljubljana"],
            &["-coordinator: IISG-SG", "+coordinator: DCAF"],
        ),
    ];
    for (flags, expected) in cases {
        let mut args = vec!["plan", "set"];
        args.extend_from_slice(flags);
        let out = Test::run_in(&test, &args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert_eq!(diff_lines(&test), *expected, "{args:?}");
        test.git(&["checkout", "-q", "--", "data"]);
    }

    // `as_of` commented out: a new line, the comment kept.
    let plan = test.data().join("plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replace("as_of:", "# as_of:")).unwrap();
    test.commit("No as_of");
    let out = Test::run_in(&test, &["plan", "set", "--as-of", "2019-05-14"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.lines().next(),
        Some("plan: as_of: (none) → 2019-05-14")
    );
    assert_eq!(diff_lines(&test), ["+as_of: 2019-05-14"]);
    let text = std::fs::read_to_string(&plan).unwrap();
    assert!(
        text.contains("  end: 2019-12\nas_of: 2019-05-14\n# as_of: 2019-02-26\n"),
        "{text}"
    );

    let out = Test::run_in(&test, &["plan", "set", "--as-of", "2019-05-14"]);
    assert_eq!(out.stdout, "plan: nothing to change\n");
}

/// Dates and months that are not, and changes that would add an error, are refused with
/// what is wrong, and nothing is written.
#[test]
fn bad_dates_are_refused_and_nothing_written() {
    let test = Test::shipped();
    let cases: &[(&[&str], &str)] = &[
        (&["--as-of", "2019-13-01"], "there is no month 13"),
        (&["--as-of", "2019-02-30"], "February 2019 has no day 30"),
        (&["--as-of", "26/02/2019"], "write it as YYYY-MM-DD"),
        (&["--as-of", "1019-02-26"], "the year 1019 is outside"),
        (&["--issued", "tomorrow"], "`tomorrow` is not a date"),
        (
            &["--period", "2018-13", "2019-12"],
            "`2018-13` is not a month",
        ),
        (&["--period", "2018-07"], "2 values required"),
        (&["--period", "2019-12", "2018-07"], "error[bad-period]"),
        (&["--as-of", "2019-01-01"], "error[completed-before-start]"),
        (&["--coordinator", "NOBODY"], "unknown partner `NOBODY`"),
        (&["--title", " "], "title cannot be empty"),
        (&[], "required arguments were not provided"),
    ];
    for (flags, message) in cases {
        let mut args = vec!["plan", "set"];
        args.extend_from_slice(flags);
        let out = refused(&test, &args);
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
    }
}

const TUZI: &str = "data/actions/012-joint-operation-tuzi-ii.yaml";

#[test]
fn remove_with_yes() {
    let test = Test::repo();
    let out = Test::run_in(&test, &["remove", "12", "--yes"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, format!("removed action 12: {TUZI}\n"));
    assert!(
        out.stderr.contains(&format!(
            "git keeps the file's history: `git checkout HEAD -- {TUZI}`"
        )),
        "{}",
        out.stderr
    );
    assert_eq!(test.git(&["status", "--short"]), format!(" D {TUZI}\n"));
    let out = Test::run_in(&test, &["show", "12"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert_eq!(Test::run_in(&test, &["validate"]).code, 0);

    // The hint works.
    test.git(&["checkout", "HEAD", "--", TUZI]);
    assert_eq!(test.git(&["status", "--short"]), "");

    // A logframe row; a need that nothing answers any more is said.
    let out = Test::run_in(&test, &["remove", "--logframe", "16", "-y"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "removed logframe row 16: data/logframe/16-concluding-bi-lateral-readmission-agreements.yaml\n"
    );
    let out = Test::run_in(&test, &["remove", "7", "--yes"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("note: `BP-2` is now answered by no action and no logframe row"),
        "{}",
        out.stderr
    );
}

/// Off a terminal, only `--yes` removes; no record with the id, or two, refuse too.
#[test]
fn remove_without_yes_off_a_terminal_is_refused() {
    let test = Test::shipped();
    let out = refused(&test, &["remove", "12"]);
    assert!(
        out.stderr.contains(&format!(
            "not removing action 12 `Joint Operation TUZI II` ({TUZI}) without a yes"
        )) && out.stderr.contains("`iisg remove 12 --yes`"),
        "{}",
        out.stderr
    );
    let out = refused(&test, &["remove", "--logframe", "3"]);
    assert!(
        out.stderr.contains("`iisg remove --logframe 3 --yes`"),
        "{}",
        out.stderr
    );
    let out = refused(&test, &["remove", "29", "--yes"]);
    assert!(out.stderr.contains("no action has id 29"), "{}", out.stderr);
    let out = refused(&test, &["remove", "--logframe", "17", "--yes"]);
    assert!(
        out.stderr.contains("no logframe row has id 17"),
        "{}",
        out.stderr
    );
    let out = refused(&test, &["remove", "0", "--yes"]);
    assert!(out.stderr.contains("is not an id"), "{}", out.stderr);
    refused(&test, &["remove", "--yes"]);
    refused(&test, &["remove", "12", "--logframe", "3", "--yes"]);

    let twin =
        std::fs::read_to_string(test.data().join("actions/012-joint-operation-tuzi-ii.yaml"))
            .unwrap();
    let test = test.file("actions/012-copy.yaml", twin);
    let out = refused(&test, &["remove", "12", "--yes"]);
    assert!(
        out.stderr.contains("two files hold action 12"),
        "{}",
        out.stderr
    );
}

/// Runs `iisg ARGS` on a terminal (tmux), waits for `question`, types `answer` and Enter;
/// the screen at the end.
fn on_a_terminal(test: &Test, args: &str, question: &str, answer: &str) -> String {
    let terminal = crate::test::Terminal::start(test, args, (200, 30));
    terminal.answer(question, answer);
    terminal.wait_for("EXIT=");
    terminal.screen()
}

/// On a terminal, `remove` asks; only a yes removes.
#[test]
fn remove_asks_on_a_terminal() {
    let test = Test::shipped();
    let question = format!("Remove action 12 `Joint Operation TUZI II` ({TUZI})? [y/N]");
    let before = test.snapshot_files();
    for no in ["", "n"] {
        let shown = on_a_terminal(&test, "remove 12", &question, no);
        assert!(
            shown.contains("action 12: nothing was removed") && shown.contains("EXIT=0"),
            "{shown}"
        );
        assert!(before == test.snapshot_files(), "{no:?} removed a file");
    }
    let shown = on_a_terminal(&test, "remove 12", &question, "y");
    assert!(
        shown.contains(&format!("removed action 12: {TUZI}")) && shown.contains("EXIT=0"),
        "{shown}"
    );
    assert!(
        !test
            .data()
            .join("actions/012-joint-operation-tuzi-ii.yaml")
            .exists()
    );
}

/// `edit ID ARGS` in the repository `test`: exit 0, then the lines `git diff -U0` shows, and
/// the action's financing as `show` gives it (`JOO?` for tentative money); the files are put
/// back after.
fn edited(test: &Test, args: &[&str]) -> (Vec<String>, Vec<String>) {
    let out = Test::run_in(test, args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    let diff = diff_lines(test);
    let json = Test::run_in(test, &["show", args[1], "--format", "json"]).json();
    let financing = json["financing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let source = f["source"].as_str().unwrap();
            if f["tentative"] == true {
                format!("{source}?")
            } else {
                source.to_string()
            }
        })
        .collect();
    test.git(&["checkout", "-q", "--", "data"]);
    (diff, financing)
}

/// List flags take effect in the order given: remove-then-add is "as now written", in the
/// entry's old place; add-then-remove removes.
#[test]
fn financing_flags_in_the_order_given() {
    let test = Test::repo();
    // Action 6: JOO? and TAIEX?. JOO's money is now confirmed.
    let (diff, financing) = edited(
        &test,
        &[
            "edit",
            "6",
            "--remove-financing",
            "JOO",
            "--add-financing",
            "JOO",
        ],
    );
    assert_eq!(financing, ["JOO", "TAIEX?"]);
    assert_eq!(
        diff,
        ["-  - source: JOO", "-    tentative: true", "+  - JOO"]
    );
    let (_, financing) = edited(
        &test,
        &[
            "edit",
            "6",
            "--add-financing",
            "JOO",
            "--remove-financing",
            "JOO",
        ],
    );
    assert_eq!(financing, ["TAIEX?"]);

    // Action 11: JOO and BMI-AT, both confirmed. JOO's money is in doubt again.
    let (diff, financing) = edited(
        &test,
        &[
            "edit",
            "11",
            "--remove-financing",
            "JOO",
            "--add-financing",
            "JOO?",
        ],
    );
    assert_eq!(financing, ["JOO?", "BMI-AT"]);
    assert_eq!(
        diff,
        [
            "-financing: [JOO, BMI-AT]",
            "+financing: [{source: JOO, tentative: true}, BMI-AT]"
        ]
    );
    let (_, financing) = edited(
        &test,
        &[
            "edit",
            "11",
            "--add-financing",
            "JOO?",
            "--remove-financing",
            "JOO",
        ],
    );
    assert_eq!(financing, ["BMI-AT"]);

    // Other lists likewise: a place removed and given again stays; one added then removed
    // never arrives.
    let out = Test::run_in(
        &test,
        &[
            "edit",
            "7",
            "--remove-location",
            "SRB",
            "--add-location",
            "SRB",
            "--add-involved",
            "IOM",
            "--remove-involved",
            "IOM",
        ],
    );
    assert_eq!(
        out.stdout, "action 7: nothing to change\n",
        "{}",
        out.stderr
    );
}

#[test]
fn confirm_financing() {
    let test = Test::repo();
    let (diff, financing) = edited(&test, &["edit", "5", "--confirm-financing", "taiex"]);
    assert_eq!(financing, ["JOO?", "TAIEX"]);
    assert_eq!(
        diff,
        ["-  - source: TAIEX", "-    tentative: true", "+  - TAIEX"]
    );

    // Already confirmed: a note, and nothing changes.
    let before = test.snapshot_files();
    let out = Test::run_in(&test, &["edit", "11", "--confirm-financing", "JOO"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "action 11: nothing to change\n");
    assert!(
        out.stderr
            .contains("note: action 11: `JOO`'s money is confirmed already"),
        "{}",
        out.stderr
    );
    assert!(before == test.snapshot_files());

    let out = refused(&test, &["edit", "11", "--confirm-financing", "GIZ"]);
    assert!(
        out.stderr
            .contains("`GIZ` is not among the action's financing")
            && out.stderr.contains("`--add-financing GIZ`"),
        "{}",
        out.stderr
    );
    let out = refused(&test, &["edit", "11", "--confirm-financing", "NOPE"]);
    assert!(
        out.stderr.contains("unknown funding source `NOPE`"),
        "{}",
        out.stderr
    );
    // A refused flag refuses the whole edit, the others with it.
    refused(
        &test,
        &[
            "edit",
            "6",
            "--confirm-financing",
            "JOO",
            "--confirm-financing",
            "GIZ",
        ],
    );
}

/// `--add-notes` adds a line and keeps the notes; `--notes` replaces them.
#[test]
fn add_notes_keeps_the_old_notes() {
    let test = Test::repo();
    let old = "Location as written: ALB-GRE; FYROM-GRE; SRB, MNE, BiH. Status as written: \
               Planning / Implementation.";
    let out = Test::run_in(
        &test,
        &[
            "edit",
            "7",
            "--add-notes",
            "Status Agreement with ALB in force since May 2019.",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "action 7: notes: + Status Agreement with ALB in force since May 2019.\n\
         wrote data/actions/007-joint-operation-with-executive-powers-on-the.yaml\n"
    );
    // The folded block keeps its lines, and gains a paragraph.
    assert_eq!(
        diff_lines(&test),
        ["+", "+  Status Agreement with ALB in force since May 2019."]
    );
    let json = Test::run_in(&test, &["show", "7", "--format", "json"]).json();
    assert_eq!(
        json["notes"],
        format!("{old}\nStatus Agreement with ALB in force since May 2019.")
    );
    assert_eq!(Test::run_in(&test, &["validate"]).code, 0);

    let out = Test::run_in(&test, &["edit", "7", "--add-notes", "- and a second"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = Test::run_in(&test, &["show", "7", "--format", "json"]).json();
    assert_eq!(
        json["notes"],
        format!("{old}\nStatus Agreement with ALB in force since May 2019.\n- and a second")
    );
    test.git(&["checkout", "-q", "--", "data"]);

    // No notes yet: the key is added.
    let out = Test::run_in(
        &test,
        &["edit", "12", "--add-notes", "Asked for by MNE in May."],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(diff_lines(&test), ["+notes: Asked for by MNE in May."]);
    test.git(&["checkout", "-q", "--", "data"]);

    // `--notes` replaces; `--notes` then `--add-notes` replaces and adds.
    let out = Test::run_in(
        &test,
        &["edit", "7", "--notes", "New", "--add-notes", "Line"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = Test::run_in(&test, &["show", "7", "--format", "json"]).json();
    assert_eq!(json["notes"], "New\nLine");
    test.git(&["checkout", "-q", "--", "data"]);

    // The other way round the added line would be lost: refused.
    let out = refused(
        &test,
        &["edit", "7", "--add-notes", "Line", "--notes", "New"],
    );
    assert!(
        out.stderr.contains("`--notes` replaces the notes"),
        "{}",
        out.stderr
    );
    refused(&test, &["edit", "7", "--add-notes", "  "]);
}
