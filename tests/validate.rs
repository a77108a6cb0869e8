//! `iisg validate`: each rule triggered by a small broken plan, silent on a clean one, and
//! the shipped plan's deliberate warnings.

use crate::test::{Output, PARTNERS, PLAN, Test, action, shipped_data};

/// A clean plan: one action that uses every registry entry.
fn clean() -> Test {
    Test::new().file("actions/001-a.yaml", action(1, "A", "planned", "2019"))
}

/// Runs validate as JSON; checks nothing was written and no panic happened.
fn validate(test: Test, args: &[&str]) -> (Output, Vec<serde_json::Value>) {
    let test = test
        .args(["validate", "--format", "json"])
        .args(args.iter().copied());
    let before = test.snapshot_files();
    let out = test.run();
    assert_eq!(before, test.snapshot_files(), "validate changed a file");
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    let findings = out.json().as_array().unwrap().clone();
    (out, findings)
}

/// Asserts the plan gives a finding of `code` in `file` at `line`, with the exit code the
/// code's severity implies, and that the human output names `file:line`.
fn finds(test: Test, code: &str, file: &str, line: u64) -> serde_json::Value {
    let (out, findings) = validate(test, &[]);
    let found = findings
        .iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {findings:#?}"))
        .clone();
    assert_eq!(found["file"], format!("data/{file}"), "{found:#}");
    assert_eq!(found["line"], line, "{found:#}");
    for key in ["severity", "message", "column", "help"] {
        assert!(found.get(key).is_some(), "{key} missing in {found:#}");
    }
    let errors = findings.iter().any(|f| f["severity"] == "error");
    assert_eq!(out.code, i32::from(errors), "exit code with {findings:#?}");
    found
}

fn with_action(name: &str, text: &str) -> Test {
    clean().file(&format!("actions/{name}"), text)
}

fn variant(id: u32, from: &str, to: &str) -> String {
    let text = action(id, "B", "planned", "2019");
    assert!(text.contains(from), "{from:?} not in the base action");
    text.replacen(from, to, 1)
}

#[test]
fn a_clean_plan_has_no_findings() {
    let (out, findings) = validate(clean(), &["--strict"]);
    assert_eq!(findings, Vec::<serde_json::Value>::new());
    assert_eq!(out.code, 0);
    let out = clean().args(["validate"]).status(0);
    assert_eq!(out.stdout, "0 errors, 0 warnings in 5 files\n");
}

#[test]
fn unknown_codes_with_did_you_mean() {
    let f = finds(
        with_action("002-b.yaml", &variant(2, "lead: [DCAF]", "lead: [DCFA]")),
        "unknown-partner",
        "actions/002-b.yaml",
        3,
    );
    assert_eq!(f["help"], "did you mean `DCAF`?");
    assert_eq!(f["column"], 8);
    let f = finds(
        with_action(
            "002-b.yaml",
            &variant(2, "involved: [EUROPOL, FRONTEX]", "involved: [Frontex]"),
        ),
        "unknown-partner",
        "actions/002-b.yaml",
        4,
    );
    assert_eq!(
        f["help"],
        "`Frontex` is a name or alias of `FRONTEX`: files use the code"
    );
    finds(
        with_action(
            "002-b.yaml",
            &variant(2, "[IPA-II-2017, GIZ]", "[IPA-2017]"),
        ),
        "unknown-funding",
        "actions/002-b.yaml",
        9,
    );
    let tentative = variant(2, "[IPA-II-2017, GIZ]", "[{source: NOPE, tentative: true}]");
    finds(
        with_action("002-b.yaml", &tentative),
        "unknown-funding",
        "actions/002-b.yaml",
        9,
    );
    finds(
        with_action("002-b.yaml", &variant(2, "[ALB-GRE]", "[ALB-GRE, Narnia]")),
        "unknown-location",
        "actions/002-b.yaml",
        5,
    );
    let mut text = action(2, "B", "planned", "2019");
    text.push_str("addresses: [BP-13]\n");
    finds(
        with_action("002-b.yaml", &text),
        "unknown-need",
        "actions/002-b.yaml",
        10,
    );
}

#[test]
fn ids_and_file_names() {
    let test = clean().file("actions/001-b.yaml", action(1, "B", "planned", "2019"));
    let f = finds(test, "duplicate-id", "actions/001-a.yaml", 1);
    assert_eq!(
        f["help"],
        "give one of them a free id: `iisg renumber 1 --to 2`"
    );
    let test = clean().file("actions/001-b.yaml", action(1, "B", "planned", "2019"));
    let (_, findings) = validate(test, &[]);
    assert_eq!(
        findings
            .iter()
            .filter(|f| f["code"] == "duplicate-id")
            .count(),
        2
    );
    finds(
        with_action("007-x.yaml", &action(8, "X", "planned", "2019")),
        "file-name-mismatch",
        "actions/007-x.yaml",
        1,
    );
    finds(
        with_action("000-x.yaml", &action(0, "X", "planned", "2019")),
        "invalid-id",
        "actions/000-x.yaml",
        1,
    );
    finds(
        with_action("002-b.yaml", &variant(2, "title: B", "title: \"\"")),
        "empty-field",
        "actions/002-b.yaml",
        2,
    );
    finds(
        with_action("002-b.yaml", &variant(2, "lead: [DCAF]", "lead: []")),
        "empty-field",
        "actions/002-b.yaml",
        3,
    );
}

#[test]
fn timelines_and_dates() {
    let f = finds(
        with_action("002-b.yaml", &action(2, "B", "planned", "Summer 2019")),
        "bad-timeline",
        "actions/002-b.yaml",
        7,
    );
    assert!(f["help"].as_str().unwrap().contains("By May 2019"), "{f}");
    finds(
        with_action("002-b.yaml", &action(2, "B", "completed", "June 2019")),
        "completed-before-start",
        "actions/002-b.yaml",
        8,
    );
    finds(
        with_action("002-b.yaml", &action(2, "B", "planned", "By January 2019")),
        "overdue",
        "actions/002-b.yaml",
        7,
    );
    finds(
        with_action("002-b.yaml", &action(2, "B", "planned", "March 2020")),
        "timeline-outside-period",
        "actions/002-b.yaml",
        7,
    );
    let text = action(2, "B", "completed", "July 2018")
        .replace("[IPA-II-2017, GIZ]", "[{source: GIZ, tentative: true}]");
    finds(
        with_action("002-b.yaml", &text),
        "completed-unfunded",
        "actions/002-b.yaml",
        8,
    );
    finds(
        clean().file(
            "plan.yaml",
            PLAN.replace(
                "start: 2018-07\n  end: 2019-12",
                "start: 2019-12\n  end: 2018-07",
            ),
        ),
        "bad-period",
        "plan.yaml",
        4,
    );
}

#[test]
fn as_of_moves_the_date_rules() {
    let test = clean().file(
        "actions/002-b.yaml",
        action(2, "B", "planned", "By April 2019"),
    );
    let (out, findings) = validate(test, &[]);
    assert!(findings.is_empty() && out.code == 0);
    let test = clean().file(
        "actions/002-b.yaml",
        action(2, "B", "planned", "By April 2019"),
    );
    let (out, findings) = validate(test, &["--as-of", "2019-06-01"]);
    assert_eq!(findings[0]["code"], "overdue");
    assert_eq!(out.code, 0);
    let test = clean().file(
        "actions/002-b.yaml",
        action(2, "B", "planned", "By April 2019"),
    );
    let (out, _) = validate(test, &["--as-of", "2019-06-01", "--strict"]);
    assert_eq!(out.code, 1);
    // Completed before as_of is fine; cancelled is never overdue.
    let test = clean().file(
        "actions/002-b.yaml",
        action(2, "B", "cancelled", "By January 2019"),
    );
    assert!(validate(test, &[]).1.is_empty());
}

#[test]
fn partners_and_lists() {
    finds(
        with_action(
            "002-b.yaml",
            &variant(
                2,
                "involved: [EUROPOL, FRONTEX]",
                "involved: [DCAF, EUROPOL]",
            ),
        ),
        "lead-also-involved",
        "actions/002-b.yaml",
        4,
    );
    finds(
        with_action(
            "002-b.yaml",
            &variant(
                2,
                "involved: [EUROPOL, FRONTEX]",
                "involved: [EUROPOL, EUROPOL]",
            ),
        ),
        "repeated-code",
        "actions/002-b.yaml",
        4,
    );
}

#[test]
fn registries() {
    let twice = format!("{PARTNERS}  - code: DCAF\n    name: Again\n");
    finds(
        clean().file("partners.yaml", twice),
        "duplicate-code",
        "partners.yaml",
        9,
    );
    let unused = format!("{PARTNERS}  - code: CTI\n    name: Counter-Terrorism Initiative\n");
    finds(
        clean().file("partners.yaml", unused),
        "unused-registry-entry",
        "partners.yaml",
        9,
    );
    let ambiguous = format!(
        "{PARTNERS}  - code: EPOL\n    name: Europol office\n    aliases: [DCAF Ljubljana]\n"
    );
    let test = clean().file("partners.yaml", ambiguous).file(
        "actions/002-b.yaml",
        variant(2, "lead: [DCAF]", "lead: [EPOL]"),
    );
    finds(test, "ambiguous-alias", "partners.yaml", 9);
    let nameless = PARTNERS.replace("name: European Border and Coast Guard Agency", "name: \"\"");
    finds(
        clean().file("partners.yaml", nameless),
        "empty-field",
        "partners.yaml",
        7,
    );
    let bad_parent = "locations:\n  - code: WB\n    name: Western Balkans\n  - code: ALB\n    name: Albania\n    within: [WB]\n  - code: GRC\n    name: Greece\n    within: [EUU]\n  - code: ALB-GRE\n    name: border\n    within: [ALB, GRC]\n";
    finds(
        clean().file("locations.yaml", bad_parent),
        "unknown-location",
        "locations.yaml",
        9,
    );
}

const FORUM: &str = "code: BP\nname: Border police\nneeds:\n  - id: BP-1\n    text: One\n  - id: BP-2\n    text: Two\n    items:\n      - id: BP-2a\n        text: Two a\n";

#[test]
fn needs_and_logframe() {
    let mut text = action(2, "B", "planned", "2019");
    text.push_str("addresses: [BP-2a]\n");
    let test = clean()
        .file("forums/bp.yaml", FORUM)
        .file("actions/002-b.yaml", text);
    let f = finds(test, "need-not-addressed", "forums/bp.yaml", 4);
    assert!(f["message"].as_str().unwrap().contains("BP-1"));
    // BP-2 counts as answered through its sub-item: one finding only.
    let mut text = action(2, "B", "planned", "2019");
    text.push_str("addresses: [BP-2a]\n");
    let (_, findings) = validate(
        clean()
            .file("forums/bp.yaml", FORUM)
            .file("actions/002-b.yaml", text),
        &[],
    );
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let row = "id: 1\noutcome: Better borders\naddresses: [BP-1, BP-2]\nobjectives: []\n";
    let f = finds(
        clean()
            .file("forums/bp.yaml", FORUM)
            .file("logframe/01-x.yaml", row),
        "logframe-without-outputs",
        "logframe/01-x.yaml",
        4,
    );
    assert_eq!(f["severity"], "warning");
    let row = "id: 1\noutcome: Better borders\naddresses: [BP-1, BP-2]\nobjectives:\n  - text: Patrols\n    outputs: [Procedures]\n";
    assert!(
        validate(
            clean()
                .file("forums/bp.yaml", FORUM)
                .file("logframe/01-x.yaml", row),
            &["--strict"]
        )
        .1
        .is_empty()
    );
    let twice = format!("{FORUM}  - id: BP-1\n    text: Again\n");
    finds(
        clean().file("forums/bp.yaml", twice),
        "duplicate-code",
        "forums/bp.yaml",
        11,
    );
}

#[test]
fn possible_overlap() {
    let a = action(2, "Border surveillance training", "planned", "May 2019");
    let b = action(
        3,
        "Training in border surveillance",
        "planned",
        "By June 2019",
    )
    .replace("lead: [DCAF]", "lead: [FRONTEX]")
    .replace("involved: [EUROPOL, FRONTEX]", "involved: [EUROPOL]")
    .replace("locations: [ALB-GRE]", "locations: [ALB]");
    let test = clean()
        .file("actions/002-a.yaml", &a)
        .file("actions/003-b.yaml", &b);
    let f = finds(test, "possible-overlap", "actions/003-b.yaml", 2);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("action 3 may overlap action 2"),
        "{f}"
    );
    // The same lead makes a series, not a duplicate; other audiences do not overlap.
    let same_lead = b.replace("lead: [FRONTEX]", "lead: [DCAF]");
    let test = clean()
        .file("actions/002-a.yaml", &a)
        .file("actions/003-b.yaml", same_lead);
    assert!(
        validate(test, &[])
            .1
            .iter()
            .all(|f| f["code"] != "possible-overlap")
    );
    let other_audience = b.replace("scope: Border police", "scope: Prosecutors");
    let test = clean()
        .file("actions/002-a.yaml", &a)
        .file("actions/003-b.yaml", other_audience);
    assert!(
        validate(test, &[])
            .1
            .iter()
            .all(|f| f["code"] != "possible-overlap")
    );
}

#[test]
fn unreadable_files_are_findings_too() {
    let f = finds(
        with_action("002-b.yaml", "id: 2\ntitle: x: y\n"),
        "syntax",
        "actions/002-b.yaml",
        2,
    );
    assert_eq!(f["severity"], "error");
    finds(
        with_action(
            "002-b.yaml",
            &format!("{}colour: red\n", action(2, "B", "planned", "2019")),
        ),
        "unknown-field",
        "actions/002-b.yaml",
        10,
    );
    finds(
        with_action("002-b.yaml", &action(2, "B", "someday", "2019")),
        "wrong-type",
        "actions/002-b.yaml",
        8,
    );
    finds(
        with_action("002-b.yaml", &variant(2, "id: 2", "id: 2\nid: 3")),
        "duplicate-key",
        "actions/002-b.yaml",
        2,
    );
    finds(
        with_action("002-b.yaml", &variant(2, "lead: [DCAF]\n", "")),
        "missing-field",
        "actions/002-b.yaml",
        8,
    );
    let test = clean().file("actions/002-b.yaml", b"id: 2\ntitle: caf\xe9\n".as_slice());
    finds(test, "not-utf8", "actions/002-b.yaml", 2);
    let test = clean();
    std::os::unix::fs::symlink("/nonexistent/iisg", test.data().join("actions/003-c.yaml"))
        .unwrap();
    let (out, findings) = validate(test, &[]);
    // A link is never followed, dangling or not.
    assert_eq!(findings[0]["code"], "not-a-file");
    assert_eq!(out.code, 1);
}

#[test]
fn three_broken_files_three_findings_and_the_rest_still_checked() {
    let test = clean()
        .file("actions/002-b.yaml", "id: [\n")
        .file(
            "actions/003-c.yaml",
            variant(3, "lead: [DCAF]", "lead: [DCFA]"),
        )
        .file("actions/004-d.yaml", action(4, "D", "planned", "someday"))
        .file("partners.yaml", "partners: {}\n");
    let (out, findings) = validate(test, &[]);
    assert_eq!(out.code, 1);
    let codes: Vec<&str> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"syntax") || codes.contains(&"wrong-type"),
        "{codes:?}"
    );
    assert!(codes.contains(&"bad-timeline"), "{codes:?}");
    // With partners.yaml unreadable, its codes are not checked: one finding says so,
    // instead of one `unknown-partner` per action.
    assert!(!codes.contains(&"unknown-partner"), "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| **c == "unchecked").count(),
        1,
        "{codes:?}"
    );
    let files: Vec<&str> = findings
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    // What every other file depends on first (the unreadable registry), then by file.
    assert_eq!(files[..2], ["data/partners.yaml", "data/partners.yaml"]);
    let mut sorted = files[2..].to_vec();
    sorted.sort_unstable();
    assert_eq!(files[2..], sorted, "the other findings are sorted by file");
}

#[test]
fn human_output_and_count_line() {
    let test = clean().file(
        "actions/002-b.yaml",
        variant(2, "lead: [DCAF]", "lead: [DCFA]"),
    );
    let out = test.args(["validate"]).status(1);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn the_shipped_plan() {
    let out = Test::shipped().args(["validate"]).status(0);
    insta::assert_snapshot!("shipped_human", out.stdout);
    assert!(
        out.stdout.ends_with("0 errors, 9 warnings in 51 files\n"),
        "{}",
        out.stdout
    );
    Test::shipped().args(["validate", "--strict"]).status(1);
    let out = Test::shipped()
        .args(["validate", "--format", "github"])
        .status(0);
    assert!(
        out.stdout
            .lines()
            .all(|l| l.starts_with("::warning file=data/")),
        "{}",
        out.stdout
    );
    assert_eq!(out.stdout.lines().count(), 9);
    let out = Test::shipped()
        .args(["validate", "--format", "json"])
        .status(0);
    insta::assert_snapshot!("shipped_json", out.stdout);
}

#[test]
fn github_annotations_are_escaped() {
    let test = clean().file(
        "actions/002-b.yaml",
        action(2, "B", "planned", "\"Summer, 2019: 100%\""),
    );
    let out = test.args(["validate", "--format", "github"]).status(1);
    let line = out.stdout.lines().next().unwrap();
    assert!(
        line.starts_with("::error file=data/actions/002-b.yaml,line=7,col=11,title=bad-timeline::"),
        "{line}"
    );
    assert!(
        line.contains("100%25") && line.contains("%0Ahelp: "),
        "{line}"
    );
}

#[test]
fn rules_can_be_listed_and_explained() {
    let out = Test::empty()
        .args(["validate", "--list-rules", "--format", "json"])
        .status(0);
    let rules = out.json();
    let codes: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    for code in [
        "unknown-partner",
        "duplicate-id",
        "bad-timeline",
        "completed-before-start",
        "overdue",
        "lead-also-involved",
        "need-not-addressed",
        "possible-overlap",
        "unused-registry-entry",
    ] {
        assert!(codes.contains(&code), "{code}");
    }
    let out = Test::empty()
        .args(["validate", "--explain", "lead-also-involved"])
        .status(0);
    insta::assert_snapshot!(out.stdout);
    let out = Test::empty()
        .args(["validate", "--explain", "nope"])
        .status(2);
    assert!(
        out.stderr.contains("no rule is called `nope`"),
        "{}",
        out.stderr
    );
}

#[test]
fn hostile_plans_do_not_hang_or_panic() {
    let started = std::time::Instant::now();
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    let test = clean()
        .file("actions/002-bomb.yaml", bomb)
        .file("actions/003-deep.yaml", "[".repeat(100_000))
        .file("actions/004-big.yaml", "#".repeat(20 * 1024 * 1024))
        .file("actions/005-tabs.yaml", "id:\t5\n\ttitle: x\n")
        .file("partners.yaml", "- &x [*x]\n");
    let (out, findings) = validate(test, &[]);
    assert_eq!(out.code, 1);
    assert!(findings.len() >= 5, "{findings:#?}");
    // Not a benchmark: a generous bound that only a hang would break.
    assert!(started.elapsed().as_secs() < 30);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let broken = || {
        clean().file(
            "actions/002-b.yaml",
            variant(2, "lead: [DCAF]", "lead: [DCFA]"),
        )
    };
    let out = broken().args(["validate"]).status(1);
    assert!(!out.stdout.contains('\x1b'), "piped output is plain");
    let out = broken().args(["--color", "always", "validate"]).status(1);
    assert!(
        out.stdout.contains("\x1b[1;31merror[unknown-partner]"),
        "{}",
        out.stdout
    );
    let out = broken().args(["validate", "--color", "never"]).status(1);
    assert!(!out.stdout.contains('\x1b'));
}

/// `validate` checks actions as it reads them and keeps none; `edit` and the others check a
/// whole loaded plan. Both must find the same things, on a plan that trips rules of every
/// kind: per action, across actions (ids, duplicates), and over the plan (needs, registries).
#[test]
fn validate_finds_what_the_whole_plan_check_finds() {
    let shipped = |name: &str| std::fs::read_to_string(shipped_data().join(name)).unwrap();
    let test = Test::shipped()
        .file("actions/033-x.yaml", "id: 33\ntitle: 'unclosed\n")
        .file(
            "actions/030-copy.yaml",
            shipped("actions/001-joint-operation-drino.yaml")
                .replace("id: 1", "id: 30")
                .replace("lead: [DCAF]", "lead: [NOBODY, SELEC]"),
        )
        .file("actions/031-twice.yaml", variant(31, "id: 31", "id: 3"))
        .file(
            "actions/032-b.yaml",
            variant(32, "status: planned", "status: completed"),
        )
        .file(
            "partners.yaml",
            shipped("partners.yaml") + "  - code: SPARE\n    name: Nobody uses this\n",
        );
    let out = Test::run_in(
        &test,
        &["validate", "--format", "json", "--as-of", "2019-06-01"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let streamed = out.json();
    let dir = iisg::store::DataDir {
        path: test.data(),
        shown: "data".into(),
    };
    let plan = iisg::store::Plan::read(dir, iisg::store::Actions::All, iisg::store::Texts::Keep);
    let as_of = chrono::NaiveDate::from_ymd_opt(2019, 6, 1).unwrap();
    let whole = iisg::check::check(&plan, iisg::check::Options { as_of });
    assert_eq!(streamed, serde_json::to_value(&whole).unwrap());
    // serve's pages keep only where each finding is and find it again when shown: the same
    // findings in the same order, a page from the middle too, with what is told first.
    let listing = iisg::check::Listing::new(&plan, iisg::check::Options { as_of }, Vec::new());
    assert_eq!(listing.iter(0).collect::<Vec<_>>(), whole);
    assert_eq!(serde_json::to_value(&listing).unwrap(), streamed);
    assert_eq!(listing.count(), iisg::diagnostic::count(&whole));
    assert_eq!(listing.iter(3).take(4).collect::<Vec<_>>(), whole[3..7]);
    let told = whole[whole.len() - 1].clone();
    let listing =
        iisg::check::Listing::new(&plan, iisg::check::Options { as_of }, vec![told.clone()]);
    let mut expected = vec![told];
    expected.extend(whole.iter().cloned());
    assert_eq!(listing.iter(0).collect::<Vec<_>>(), expected);
    assert_eq!(listing.len(), whole.len() + 1);
    let codes: std::collections::BTreeSet<&str> = streamed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    let expected = [
        "syntax",
        "unknown-partner",
        "duplicate-id",
        "file-name-mismatch",
        "possible-overlap",
        "unused-registry-entry",
        "need-not-addressed",
        "overdue",
    ];
    for code in expected {
        assert!(codes.contains(code), "no {code} in {codes:?}");
    }
}

/// A funding entry is a code or a mapping; what is wrong inside the mapping is reported
/// where it is written, not as "no form fitted".
#[test]
fn funding_entries_are_checked_where_they_are_wrong() {
    let cases = [
        (
            "[5]",
            "wrong-type",
            13,
            "must be a funding source code, or `{source: CODE, tentative: true}`",
        ),
        (
            "[{source: GIZ, tentatve: true}]",
            "unknown-field",
            27,
            "unknown field `tentatve`",
        ),
        (
            "[GIZ, {tentative: true}]",
            "missing-field",
            19,
            "missing field `source`",
        ),
        ("[GIZ, [A]]", "wrong-type", 18, "not sequence"),
        ("[~]", "wrong-type", 13, "must be a funding source code"),
    ];
    for (financing, code, column, message) in cases {
        let text = variant(2, "[IPA-II-2017, GIZ]", financing);
        let found = finds(
            with_action("002-b.yaml", &text),
            code,
            "actions/002-b.yaml",
            9,
        );
        assert_eq!(found["column"], column, "{financing}: {found:#}");
        let said = found["message"].as_str().unwrap();
        assert!(said.contains(message), "{financing}: {said}");
    }
}

/// A key written twice is an error at the second one, with its own rule.
#[test]
fn a_key_written_twice_is_reported_where_it_repeats() {
    let text = variant(
        2,
        "scope: Border police\n",
        "scope: Border police\nscope: Again\n",
    );
    let found = finds(
        with_action("002-b.yaml", &text),
        "duplicate-key",
        "actions/002-b.yaml",
        7,
    );
    assert_eq!(found["column"], 1);
}

/// A YAML merge key is expanded, and a key written beside it wins, as YAML 1.1 says: a
/// file that merges reads as the one it stands for, findings and all.
#[test]
fn a_merge_key_is_expanded_and_written_keys_win() {
    let text = variant(
        2,
        "scope: Border police\n",
        "<<: {scope: Merged scope, status: completed}\nscope: Border police\n",
    )
    .replacen("status: planned\n", "", 1);
    let (out, findings) = validate(with_action("002-b.yaml", &text), &[]);
    assert!(
        !findings.iter().any(|f| f["severity"] == "error"),
        "{findings:#?}"
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let shown = with_action("002-b.yaml", &text)
        .args(["show", "2", "--format", "json"])
        .status(0)
        .json();
    assert_eq!(shown["scope"], "Border police", "{shown:#}");
    assert_eq!(shown["status"], "completed", "{shown:#}");
    // Merged under a key the record does not know, it is refused where it is written.
    let text = variant(2, "scope: Border police\n", "<<: {colour: red}\nscope: x\n");
    let found = finds(
        with_action("002-b.yaml", &text),
        "unknown-field",
        "actions/002-b.yaml",
        6,
    );
    assert!(
        found["message"].as_str().unwrap().contains("colour"),
        "{found:#}"
    );
}

/// However many files share an id, each finding names a few of the others and counts the
/// rest: the report grows with the files, not with their square.
#[test]
fn an_id_many_files_share_names_a_few_and_counts_the_rest() {
    let mut test = clean();
    for n in 2..=6 {
        test = test.file(
            &format!("actions/00{n}-x.yaml"),
            action(1, "T", "planned", "2019"),
        );
    }
    let (_, findings) = validate(test, &[]);
    let duplicates: Vec<&str> = findings
        .iter()
        .filter(|f| f["code"] == "duplicate-id")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(duplicates.len(), 6, "{findings:#?}");
    assert_eq!(
        duplicates[0],
        "action id 1 is also used by data/actions/002-x.yaml, data/actions/003-x.yaml, data/actions/004-x.yaml and 2 more"
    );
}

/// Hostile at scale: 3,000 actions alike in every way the duplicate rule compares, half of
/// them under another lead, and all with one id. Each action is reported at most once per
/// rule and each finding stays short, so the report grows with the plan, not its square.
#[test]
fn a_plan_of_identical_actions_gives_a_report_linear_in_size() {
    let n = 3000;
    let mut test = clean();
    for i in 2..=n {
        let mut text = action(1, "Joint Operation X", "planned", "2019");
        if i % 2 == 0 {
            text = text.replace("lead: [DCAF]", "lead: [FRONTEX]");
        }
        test = test.file(&format!("actions/{i:04}-x.yaml"), text);
    }
    let (out, findings) = validate(test, &[]);
    let count = |code: &str| findings.iter().filter(|f| f["code"] == code).count();
    assert_eq!(count("duplicate-id"), n);
    let overlaps = count("possible-overlap");
    assert!(overlaps > 0 && overlaps < n, "{overlaps} overlaps");
    let longest = findings
        .iter()
        .map(|f| f["message"].as_str().unwrap().len())
        .max()
        .unwrap();
    assert!(longest < 200, "a finding of {longest} bytes");
    assert!(out.stdout.len() < n * 2 * 600, "{} bytes", out.stdout.len());
}
