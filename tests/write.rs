//! Changing the plan safely: add-action, edit, add-logframe, init. Every refusal exits 2 and
//! leaves data/ exactly as it was.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::test::Test;

fn ids(test: &Test) -> Vec<i64> {
    let out = Test::run_in(test, &["list", "--format", "json"]);
    out.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

/// Runs and checks that nothing under the folder changed.
fn refused(test: &Test, args: &[&str]) -> crate::test::Output {
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

const EVERY_FLAG: &[&str] = &[
    "add-action",
    "--title",
    "Border surveillance training",
    "--lead",
    "DCAF Ljubljana",
    "--lead",
    "frontex",
    "--involved",
    "EUROPOL,IOM",
    "--location",
    "FYROM-GRE",
    "--location",
    "Western Balkans",
    "--scope",
    "Border police",
    "--timeline",
    "Q3 2019",
    "--status",
    "requested",
    "--requested-by",
    "ME",
    "--financing",
    "IPA II 2017",
    "--financing",
    "TAIEX?",
    "--addresses",
    "bp-7c",
    "--notes",
    "Asked for at the May meeting: see the minutes.",
];

#[test]
fn add_action_with_every_flag() {
    let test = Test::shipped();
    let out = Test::run_in(&test, EVERY_FLAG);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "added action 29: data/actions/029-border-surveillance-training.yaml\n"
    );
    insta::assert_snapshot!(
        std::fs::read_to_string(
            test.data()
                .join("actions/029-border-surveillance-training.yaml")
        )
        .unwrap()
    );
    assert_eq!(ids(&test).last(), Some(&29));
    let json = Test::run_in(&test, &["show", "29", "--format", "json"]).json();
    assert_eq!(json["lead"], serde_json::json!(["DCAF", "FRONTEX"]));
    assert_eq!(json["locations"], serde_json::json!(["MKD-GRE", "WB"]));
    assert_eq!(json["requested_by"], "MNE");
    assert_eq!(
        json["financing"][1],
        serde_json::json!({"source": "TAIEX", "tentative": true})
    );
    let out = Test::run_in(&test, &["validate"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn add_action_dry_run_writes_nothing() {
    let test = Test::shipped();
    let mut args = EVERY_FLAG.to_vec();
    args.push("--dry-run");
    let before = test.snapshot_files();
    let out = Test::run_in(&test, &args);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.starts_with("# Action 29.\nid: 29\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("would write data/actions/029-"),
        "{}",
        out.stderr
    );
    assert_eq!(before, test.snapshot_files());
}

#[test]
fn add_action_refusals_write_nothing() {
    let test = Test::shipped();
    let out = refused(
        &test,
        &[
            "add-action",
            "--title",
            "X",
            "--lead",
            "DCFA",
            "--timeline",
            "2019",
        ],
    );
    assert!(
        out.stderr.contains("unknown partner `DCFA`")
            && out.stderr.contains("did you mean `DCAF`?"),
        "{}",
        out.stderr
    );
    let out = refused(&test, &["add-action", "--title", "X", "--lead", "DCAF"]);
    assert!(
        out.stderr.contains("missing `--timeline`"),
        "{}",
        out.stderr
    );
    let out = refused(
        &test,
        &["add-action", "--lead", "DCAF", "--timeline", "2019"],
    );
    assert!(out.stderr.contains("missing `--title`"), "{}", out.stderr);
    let out = refused(
        &test,
        &[
            "add-action",
            "--title",
            "X",
            "--lead",
            "DCAF",
            "--timeline",
            "Summer 2019",
        ],
    );
    assert!(out.stderr.contains("error[bad-timeline]"), "{}", out.stderr);
    assert!(out.stderr.contains("nothing was written"), "{}", out.stderr);
    let out = refused(
        &test,
        &[
            "add-action",
            "--title",
            "X",
            "--lead",
            "DCAF",
            "--timeline",
            "2019",
            "--addresses",
            "BP-99",
        ],
    );
    assert!(
        out.stderr.contains("unknown need `BP-99`"),
        "{}",
        out.stderr
    );
    let out = refused(
        &test,
        &[
            "add-action",
            "--title",
            "X",
            "--lead",
            "DCAF",
            "--timeline",
            "June 2019",
            "--status",
            "completed",
        ],
    );
    assert!(
        out.stderr.contains("completed-before-start"),
        "{}",
        out.stderr
    );
}

#[test]
fn hostile_titles_land_in_data_actions() {
    let long = "x".repeat(500);
    for title in [
        "../../../etc/passwd",
        "/etc/passwd",
        "a/b\\c",
        "..",
        ".hidden",
        "🚀 launch 🚀",
        long.as_str(),
        "CON",
        "x\ny",
    ] {
        let test = Test::shipped();
        let before = test.snapshot_files();
        let out = Test::run_in(
            &test,
            &[
                "add-action",
                "--title",
                title,
                "--lead",
                "DCAF",
                "--timeline",
                "2019",
            ],
        );
        assert_eq!(out.code, 0, "{title:?}: {}", out.stderr);
        let path = out.stdout.trim().rsplit(' ').next().unwrap().to_string();
        assert!(path.starts_with("data/actions/029-"), "{title:?} → {path}");
        let name = path.trim_start_matches("data/actions/");
        assert!(
            !name.contains('/') && !name.starts_with('.') && name.len() <= 60,
            "{name}"
        );
        let json = Test::run_in(&test, &["show", "29", "--format", "json"]).json();
        assert_eq!(json["title"], title, "the title is kept as given");
        // The new file is the only change anywhere under the temporary root.
        let mut after = test.snapshot_files();
        let new = test.data().join("actions").join(name);
        assert!(after.iter().any(|(p, _)| *p == new), "{new:?}");
        after.retain(|(p, _)| *p != new);
        assert_eq!(before, after);
    }
}

#[test]
fn twenty_add_actions_at_once_take_twenty_ids() {
    let test = Test::shipped();
    let children: Vec<_> = (0..20)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_iisg"))
                .args([
                    "add-action",
                    "--title",
                    &format!("Parallel {i}"),
                    "--lead",
                    "DCAF",
                    "--timeline",
                    "2019",
                ])
                .current_dir(test.data().parent().unwrap())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut all = ids(&test);
    assert_eq!(all.len(), 48);
    all.dedup();
    assert_eq!(all, (1..=48).collect::<Vec<_>>());
    assert_eq!(Test::run_in(&test, &["validate"]).code, 0);
}

const COMMENTED: &str = "# Action 4, as the secretariat keeps it.\nid: 4\ntitle: 'Joint Operation'   # quoted on purpose\nlead: [DCAF]\ninvolved:\n  - EUROPOL  # since March\n  - FRONTEX\n\nlocations: [BIH]\nscope: Criminal police and border police\ntimeline: By May 2019\nstatus: planned   # to be confirmed\nfinancing: []\naddresses: [BP-6, CP-2, CP-3]\n";

#[test]
fn edit_changes_one_line_and_keeps_comments() {
    let test = Test::shipped().file("actions/004-joint-operation.yaml", COMMENTED);
    let out = Test::run_in(&test, &["edit", "4", "--status", "completed"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "action 4: status: planned → completed\nwrote data/actions/004-joint-operation.yaml\n"
    );
    let after =
        std::fs::read_to_string(test.data().join("actions/004-joint-operation.yaml")).unwrap();
    assert_eq!(
        after,
        COMMENTED.replace("status: planned   #", "status: completed   #")
    );
}

#[test]
fn edit_lists_and_missing_keys() {
    let test = Test::shipped().file("actions/004-joint-operation.yaml", COMMENTED);
    let out = Test::run_in(
        &test,
        &[
            "edit",
            "4",
            "--add-involved",
            "IOM",
            "--remove-involved",
            "europol",
            "--add-financing",
            "GIZ",
            "--add-financing",
            "TAIEX?",
            "--notes",
            "Moved: see minutes",
            "--title",
            "Joint Operation BiH",
            "--remove-addresses",
            "CP-3",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(
        std::fs::read_to_string(test.data().join("actions/004-joint-operation.yaml")).unwrap()
    );
    let json = Test::run_in(&test, &["show", "4", "--format", "json"]).json();
    assert_eq!(json["involved"], serde_json::json!(["FRONTEX", "IOM"]));
    assert_eq!(json["notes"], "Moved: see minutes");
    assert_eq!(json["title"], "Joint Operation BiH");
}

#[test]
fn edit_refusals_leave_the_file() {
    let test = Test::shipped().file("actions/004-joint-operation.yaml", COMMENTED);
    let out = refused(&test, &["edit", "4", "--timeline", "someday"]);
    assert!(out.stderr.contains("bad-timeline"), "{}", out.stderr);
    let out = refused(&test, &["edit", "4", "--add-involved", "NOBODY"]);
    assert!(
        out.stderr.contains("unknown partner `NOBODY`"),
        "{}",
        out.stderr
    );
    let out = refused(&test, &["edit", "4", "--remove-involved", "IOM"]);
    assert!(
        out.stderr
            .contains("not among the action's involved partners"),
        "{}",
        out.stderr
    );
    let out = refused(&test, &["edit", "99", "--status", "completed"]);
    assert!(out.stderr.contains("no action has id 99"), "{}", out.stderr);
    // An action that is already wrong can still be edited, as long as the edit adds nothing wrong.
    let test = Test::shipped().file(
        "actions/004-joint-operation.yaml",
        COMMENTED.replace("By May 2019", "Soonish"),
    );
    let out = Test::run_in(&test, &["edit", "4", "--status", "postponed"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn edit_in_an_editor() {
    let test = Test::shipped();
    let out = test.run_with(
        &["edit", "6"],
        &[
            ("EDITOR", "sed -i s/status:\\ planned/status:\\ cancelled/"),
            ("VISUAL", ""),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("action 6: status: planned → cancelled"),
        "{}",
        out.stdout
    );
    // A broken result, with no terminal to ask on: refused, the original untouched.
    let before = test.snapshot_files();
    let out = test.run_with(
        &["edit", "6"],
        &[("EDITOR", "sed -i s/status:.*/status:\\ someday/")],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("`status` has an unknown value `someday`"),
        "{}",
        out.stderr
    );
    assert_eq!(before, test.snapshot_files());
    let out = test.run_with(&["edit", "6"], &[("EDITOR", "false")]);
    assert_eq!(out.code, 2);
    assert_eq!(before, test.snapshot_files());
}

#[test]
fn read_only_and_full_disk_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let test = Test::shipped();
    let actions = test.data().join("actions");
    std::fs::set_permissions(&actions, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = refused(
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
    assert!(out.stderr.contains("read-only"), "{}", out.stderr);
    let out = refused(&test, &["edit", "4", "--status", "completed"]);
    assert!(out.stderr.contains("read-only"), "{}", out.stderr);
    std::fs::set_permissions(&actions, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A full disk, simulated: no file may grow past 0 bytes.
    let before = test.snapshot_files();
    let out = Command::new("bash")
        .args([
            "-c",
            &format!(
                "trap '' XFSZ; ulimit -f 0; exec {} edit 4 --status completed",
                env!("CARGO_BIN_EXE_iisg")
            ),
        ])
        .current_dir(test.data().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no file was changed"));
    assert_eq!(
        before,
        test.snapshot_files(),
        "the old file survives and no temporary is left"
    );
}

#[test]
fn edits_do_not_write_through_links() {
    let test = Test::shipped();
    let outside = test.data().parent().unwrap().join("outside.yaml");
    let real = test.data().join("actions/004-joint-operation.yaml");
    std::fs::rename(&real, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &real).unwrap();
    let out = refused(&test, &["edit", "4", "--status", "completed"]);
    assert!(out.stderr.contains("error[not-a-file]"), "{}", out.stderr);
    assert!(out.stderr.contains("symbolic link"), "{}", out.stderr);
    assert!(
        !std::fs::read_to_string(&outside)
            .unwrap()
            .contains("status: completed")
    );
}

#[test]
fn edit_killed_at_random_instants_leaves_a_whole_file() {
    let test = Test::shipped();
    let file = test.data().join("actions/004-joint-operation.yaml");
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for round in 0..200 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let status = if round % 2 == 0 {
            "completed"
        } else {
            "planned"
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_iisg"))
            .args(["edit", "4", "--status", status])
            .current_dir(test.data().parent().unwrap())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(seed % 4000));
        let _ = child.kill();
        let _ = child.wait();
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains("status: completed\n") || text.contains("status: planned\n"),
            "round {round}: {text}"
        );
        assert!(
            iisg::store::parse_record::<iisg::model::Action>(&text, "a.yaml").is_ok(),
            "round {round}"
        );
    }
    // Leftover temporary files are never read as actions.
    let out = Test::run_in(&test, &["validate", "--format", "json"]);
    assert!(
        out.json()
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["severity"] == "warning"),
        "{}",
        out.stdout
    );
}

#[test]
fn add_logframe_pairs_outputs_with_objectives() {
    let test = Test::shipped();
    let out = Test::run_in(
        &test,
        &[
            "add-logframe",
            "--outcome",
            "Enhanced cooperation on readmission",
            "--objective",
            "Countries agree procedures",
            "--output",
            "Signed protocol",
            "--output",
            "Contact points",
            "--objective",
            "Trained staff",
            "--output",
            "Course held",
            "--addresses",
            "BP-3",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "added logframe row 17: data/logframe/17-enhanced-cooperation-on-readmission.yaml\n"
    );
    insta::assert_snapshot!(
        std::fs::read_to_string(
            test.data()
                .join("logframe/17-enhanced-cooperation-on-readmission.yaml")
        )
        .unwrap()
    );
    assert_eq!(Test::run_in(&test, &["validate"]).code, 0);
    let out = refused(
        &test,
        &["add-logframe", "--outcome", "X", "--addresses", "ZZ-1"],
    );
    assert!(out.stderr.contains("unknown need `ZZ-1`"), "{}", out.stderr);
    let out = refused(&test, &["add-logframe", "--objective", "Y"]);
    assert!(out.stderr.contains("missing `--outcome`"), "{}", out.stderr);
}

#[test]
fn init_an_empty_plan_and_the_example() {
    let test = Test::empty();
    let out = Test::run_in(&test, &["init", "fresh"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = Test::run_in(&test, &["--data", "fresh", "validate"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.ends_with("0 errors, 0 warnings in 4 files\n"),
        "{}",
        out.stdout
    );
    let plan = std::fs::read_to_string(
        test.data()
            .parent()
            .unwrap()
            .join("fresh/data/partners.yaml"),
    )
    .unwrap();
    assert!(
        plan.starts_with("# Organisations"),
        "the registries explain their fields"
    );
    let out = Test::run_in(&test, &["init", "tryme", "--example"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let listed = Test::run_in(&test, &["--data", "tryme", "list", "--format", "json"]);
    assert_eq!(listed.json().as_array().unwrap().len(), 28);
    let out = refused(&test, &["init", "tryme"]);
    assert!(
        out.stderr.contains("a plan is already there"),
        "{}",
        out.stderr
    );
    let out = refused(&test, &["init", "tryme", "--example"]);
    assert!(out.stderr.contains("never overwrites"), "{}", out.stderr);
}

/// The prompts, through a real terminal (tmux).
#[test]
fn add_action_asks_on_a_terminal() {
    let test = Test::shipped();
    let terminal = crate::test::Terminal::start(&test, "add-action --location WB", (120, 30));
    terminal.answer("Title:", "Border workshop");
    terminal.wait_for("Lead partner(s):");
    terminal.type_text("fron");
    terminal.wait_for("Lead partner(s): fron");
    terminal.keys(&["Tab"]);
    terminal.wait_for("Lead partner(s): FRONTEX");
    terminal.keys(&["Enter"]);
    terminal.answer("Timeline:", "Summer");
    terminal.wait_for("is not a timeline");
    for _ in 0.."Summer".len() {
        terminal.keys(&["BSpace"]);
    }
    terminal.type_text("By June 2019");
    terminal.keys(&["Enter"]);
    terminal.wait_for("EXIT=");
    let shown = terminal.screen();
    assert!(shown.contains("added action 29"), "{shown}");
    let json = Test::run_in(&test, &["show", "29", "--format", "json"]).json();
    assert_eq!(json["lead"], serde_json::json!(["FRONTEX"]));
    assert_eq!(json["timeline"], "By June 2019");
    assert_eq!(json["locations"], serde_json::json!(["WB"]));
}

/// With neither `VISUAL` nor `EDITOR`, the editor is git's `core.editor`.
#[test]
fn the_editor_falls_back_to_git_core_editor() {
    let test = Test::shipped();
    let root = test.data().parent().unwrap().to_path_buf();
    let script = root.join("git-editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nsed -i 's/^status: planned/status: completed/' \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_iisg"))
        .args(["edit", "4"])
        .current_dir(&root)
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .env("GIT_CONFIG_COUNT", "1")
        .env("GIT_CONFIG_KEY_0", "core.editor")
        .env("GIT_CONFIG_VALUE_0", &script)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text =
        std::fs::read_to_string(test.data().join("actions/004-joint-operation.yaml")).unwrap();
    assert!(text.contains("status: completed"), "{text}");
}

/// An example line of a template (`# key: value`, `#  - code: X`): the line without its `# `.
fn example(line: &str) -> Option<&str> {
    line.strip_prefix("# ").filter(|rest| {
        let key = rest.trim_start().trim_start_matches("- ");
        key.split_once(':').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        })
    })
}

/// `init`'s templates: with the `# ` of every example line removed (as a person would), each
/// file is still valid, and the whole plan validates with no error; `init` says what next.
#[test]
fn init_templates_stay_valid_when_uncommented() {
    let test = Test::empty();
    let root = test.data().parent().unwrap().join("fresh");
    let out = Command::new(env!("CARGO_BIN_EXE_iisg"))
        .args(["init", "fresh"])
        .current_dir(test.data().parent().unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("next: cd fresh && `iisg partner add"),
        "{stdout}"
    );
    let mut uncommented = 0;
    for name in [
        "plan.yaml",
        "partners.yaml",
        "funding.yaml",
        "locations.yaml",
    ] {
        let path = root.join("data").join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<String> = text
            .lines()
            .map(|line| match example(line) {
                Some(rest) => {
                    uncommented += 1;
                    rest.to_string()
                }
                None => line.to_string(),
            })
            .collect();
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    }
    assert!(uncommented >= 15, "{uncommented} example lines");
    let out = Command::new(env!("CARGO_BIN_EXE_iisg"))
        .args(["validate", "--format", "json"])
        .current_dir(&root)
        .output()
        .unwrap();
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<&serde_json::Value> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

/// With no field given, every field is asked, status and needs included, and each answer is
/// checked as it is typed: an unknown place is refused at its prompt (with how to add it),
/// and nothing typed before is lost.
#[test]
fn add_action_asks_every_field_and_checks_each() {
    let test = Test::shipped();
    let terminal = crate::test::Terminal::start(&test, "add-action", (150, 40));
    let answer = |prompt: &str, text: &str| terminal.answer(prompt, text);
    let wait_for = |text: &str| terminal.wait_for(text);
    answer("Title:", "Interpreters pool");
    answer("Lead partner(s):", "DCAF");
    answer("Involved partners:", "");
    answer("Locations:", "Atlantis");
    // A typo is answered no, and the question comes again.
    answer(
        "`Atlantis` is no location yet. Add it to locations.yaml? [y/N]",
        "n",
    );
    terminal.type_text("WB");
    terminal.keys(&["Enter"]);
    answer("Scope:", "Interpreters");
    answer("Timeline:", "By June 2019");
    answer("Financing:", "NORAD?");
    answer("Status:", "in progress");
    answer("Needs it answers:", "BP-7a");
    wait_for("EXIT=");
    let shown = terminal.screen();
    assert!(shown.contains("added action 29"), "{shown}");
    let json = Test::run_in(&test, &["show", "29", "--format", "json"]).json();
    assert_eq!(json["title"], "Interpreters pool");
    assert_eq!(json["locations"], serde_json::json!(["WB"]));
    assert_eq!(json["status"], "in-progress");
    assert_eq!(json["addresses"], serde_json::json!(["BP-7a"]));
}

#[test]
fn add_action_adds_an_unknown_code_on_the_spot() {
    let test = Test::repo();
    let terminal = crate::test::Terminal::start(&test, "add-action", (150, 40));
    let answer = |prompt: &str, text: &str| terminal.answer(prompt, text);
    answer("Title:", "Drina valley patrols");
    answer("Lead partner(s):", "DCAF");
    answer("Involved partners:", "");
    answer("Locations:", "Drina valley, ALB");
    answer(
        "`Drina valley` is no location yet. Add it to locations.yaml? [y/N]",
        "y",
    );
    answer("Full name of DRINA-VALLEY:", "");
    answer("Kind of place:", "site");
    answer("Lies within:", "WB");
    answer("Scope:", "Border police");
    answer("Timeline:", "By June 2019");
    answer("Financing:", "Sida?");
    answer(
        "`Sida` is no funding source yet. Add it to funding.yaml? [y/N]",
        "y",
    );
    answer(
        "Full name of SIDA:",
        "Swedish International Development Cooperation Agency",
    );
    answer("Provided by (a partner):", "");
    answer("Status:", "");
    answer("Needs it answers:", "");
    terminal.wait_for("EXIT=");
    let shown = terminal.screen();
    assert!(shown.contains("added action 29"), "{shown}");
    assert!(shown.contains("wrote data/funding.yaml"), "{shown}");
    let json = Test::run_in(&test, &["show", "29", "--format", "json"]).json();
    assert_eq!(
        json["locations"],
        serde_json::json!(["DRINA-VALLEY", "ALB"])
    );
    assert_eq!(json["financing"][0]["source"], "SIDA");
    assert_eq!(json["financing"][0]["tentative"], true);
    let places = std::fs::read_to_string(test.data().join("locations.yaml")).unwrap();
    assert!(
        places.ends_with("  - code: DRINA-VALLEY\n    name: Drina valley\n    kind: site\n    within: [WB]\n    aliases: []\n"),
        "{places}"
    );
    // Found by `list --location WB` (it lies within WB), and the plan is clean.
    let found = Test::run_in(&test, &["list", "--location", "WB", "--format", "json"]);
    assert!(
        found.stdout.contains("Drina valley patrols"),
        "{}",
        found.stdout
    );
    let out = Test::run_in(&test, &["validate"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    // Three files in all, each only what was added.
    let status = test.git(&["status", "--porcelain"]);
    let mut files: Vec<&str> = status.lines().collect();
    files.sort_unstable();
    assert_eq!(
        files,
        [
            " M data/funding.yaml",
            " M data/locations.yaml",
            "?? data/actions/029-drina-valley-patrols.yaml"
        ],
        "{status}"
    );
}
