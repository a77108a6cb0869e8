//! The registries kept by command (`iisg partner|location|funding add|edit|rename|remove|
//! list`), and the work after a coordination meeting done with commands only.

use crate::test::Test;

fn ok(test: &Test, args: &[&str]) -> String {
    let out = Test::run_in(test, args);
    assert_eq!(out.code, 0, "{args:?}\n{}\n{}", out.stdout, out.stderr);
    out.stdout
}

/// Every changed line of the working tree against HEAD: (file, removed, added).
fn changed_lines(test: &Test) -> Vec<(String, Vec<String>, Vec<String>)> {
    let diff = test.git(&["diff", "-U0", "--no-color", "HEAD"]);
    let mut files: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    for line in diff.lines() {
        if let Some(names) = line.strip_prefix("diff --git a/") {
            let name = names.split(" b/").next().unwrap();
            files.push((name.to_string(), Vec::new(), Vec::new()));
        } else if line.starts_with("+++") || line.starts_with("---") {
        } else if let Some(removed) = line.strip_prefix('-') {
            files.last_mut().unwrap().1.push(removed.to_string());
        } else if let Some(added) = line.strip_prefix('+') {
            files.last_mut().unwrap().2.push(added.to_string());
        }
    }
    files
}

#[test]
fn after_the_meeting_with_commands_only() {
    let test = Test::repo();
    // New partner, a place inside WB, a funding source the partner provides.
    ok(
        &test,
        &[
            "partner",
            "add",
            "CTN",
            "--name",
            "Counter-Trafficking Network",
            "--kind",
            "regional-initiative",
            "--alias",
            "CT Net",
        ],
    );
    ok(
        &test,
        &[
            "location",
            "add",
            "DRINA",
            "--name",
            "Drina valley",
            "--kind",
            "site",
            "--within",
            "Western Balkans",
        ],
    );
    ok(
        &test,
        &[
            "funding",
            "add",
            "SIDA",
            "--name",
            "Swedish development aid",
            "--provider",
            "ct net",
        ],
    );
    let out = ok(
        &test,
        &[
            "add-action",
            "--title",
            "Drina border workshop",
            "--lead",
            "CTN",
            "--location",
            "DRINA",
            "--scope",
            "Border police",
            "--timeline",
            "March 2019",
            "--financing",
            "SIDA?",
            "--status",
            "planned",
        ],
    );
    assert!(out.contains("29"), "{out}");
    let found = ok(&test, &["list", "--location", "WB", "--format", "json"]);
    assert!(found.contains("Drina border workshop"), "{found}");
    // The statuses as of the end of the year; two actions done, written as people write.
    ok(&test, &["plan", "set", "--as-of", "2019-12-31"]);
    ok(
        &test,
        &[
            "edit",
            "29",
            "--status",
            "Completed",
            "--confirm-financing",
            "SIDA",
        ],
    );
    ok(&test, &["edit", "7", "--status", "done"]);
    ok(&test, &["edit", "5", "--confirm-financing", "JOO"]);
    // A partner code used by 15 actions, renamed everywhere in one change.
    let out = ok(&test, &["partner", "rename", "DCAF", "DCAF-LJ"]);
    assert!(out.contains("15 references"), "{out}");
    // Removing a partner in use is refused, naming who uses it; nothing changes.
    let before = test.snapshot_files();
    let out = Test::run_in(&test, &["partner", "remove", "EUROPOL"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("action 1 (involved)"), "{}", out.stderr);
    assert_eq!(before, test.snapshot_files());
    ok(&test, &["remove", "28", "--yes"]);
    // Clean, and git shows only the lines that changed.
    let out = Test::run_in(&test, &["validate", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let findings = out.json();
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["severity"] != "error"),
        "{findings:?}"
    );
    only_the_meeting_lines_changed(&test);
}

/// The walkthrough's diff: each file changed only where the work said.
fn only_the_meeting_lines_changed(test: &Test) {
    for (file, removed, added) in changed_lines(test) {
        match file.as_str() {
            "data/partners.yaml" => {
                assert_eq!(removed, ["  - code: DCAF"], "{file}");
                assert_eq!(added.len(), 5, "{file}: {added:?}");
            }
            "data/locations.yaml" | "data/funding.yaml" => {
                assert!(removed.is_empty(), "{file}: {removed:?}");
                assert_eq!(added.len(), 5 - usize::from(file.ends_with("funding.yaml")));
            }
            "data/plan.yaml" => assert_eq!(removed.len(), 1, "{removed:?}"),
            _ if file.starts_with("data/actions/029") => assert!(removed.is_empty()),
            _ if file.starts_with("data/actions/028") => assert!(added.is_empty()),
            "data/actions/005-study-visit-s-to-joo.yaml" => {
                assert_eq!(
                    removed,
                    ["  - source: JOO", "    tentative: true"],
                    "{file}"
                );
                assert!(added == ["  - JOO"], "{added:?}");
            }
            "data/actions/007-joint-operation-with-executive-powers-on-the.yaml" => {
                assert_eq!(removed, ["status: in-progress"], "{file}");
                assert_eq!(added, ["status: completed"], "{file}");
            }
            _ => {
                // Every other action: the rename's one line, and nothing else.
                assert_eq!(removed.len(), 1, "{file}: {removed:?}");
                assert!(removed[0].contains("DCAF"), "{file}: {removed:?}");
                assert_eq!(added, [removed[0].replace("DCAF", "DCAF-LJ")], "{file}");
            }
        }
    }
}

#[test]
fn rename_reaches_every_kind_of_reference() {
    let test = Test::shipped();
    // Quoted, long-form funding and block lists are found too.
    let path = test.data().join("actions/005-study-visit-s-to-joo.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("lead: [JOO]", "lead:\n  - \"JOO\"")).unwrap();
    let out = ok(&test, &["partner", "rename", "joo", "JOO-VIE"]);
    assert!(out.contains("renamed partner JOO to JOO-VIE"), "{out}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("lead:\n  - JOO-VIE\n"), "{text}");
    assert!(text.contains("involved: [JOO-VIE]"), "{text}");
    // The funding source JOO is another registry's entry: untouched.
    assert!(text.contains("  - source: JOO\n"), "{text}");
    let funding = std::fs::read_to_string(test.data().join("funding.yaml")).unwrap();
    assert!(funding.contains("provider: JOO-VIE"), "{funding}");
    ok(&test, &["funding", "rename", "JOO", "JOO-BUDGET"]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("  - source: JOO-BUDGET\n    tentative: true"),
        "{text}"
    );
    // Forums name partners and places.
    ok(&test, &["partner", "rename", "PCC-SEE", "PCCSEE"]);
    ok(&test, &["location", "rename", "TIA", "TIRANA"]);
    let forums: String = std::fs::read_dir(test.data().join("forums"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(forums.contains("host: PCCSEE"), "{forums}");
    assert!(forums.contains("place: TIRANA"), "{forums}");
    assert!(!forums.contains("place: TIA\n"), "{forums}");
    let out = Test::run_in(&test, &["validate"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn refusals_change_nothing() {
    let test = Test::shipped();
    let before = test.snapshot_files();
    let refused = |args: &[&str], says: &str| {
        let out = Test::run_in(&test, args);
        assert_eq!(out.code, 2, "{args:?}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
        assert_eq!(before, test.snapshot_files(), "{args:?}");
    };
    refused(
        &["partner", "add", "DCAF", "--name", "Again"],
        "has a partner `DCAF` already",
    );
    refused(
        &["partner", "add", "NEW ONE", "--name", "X"],
        "cannot be a partner code",
    );
    refused(
        &["partner", "add", "X;Y", "--name", "X"],
        "cannot be a partner code",
    );
    refused(&["partner", "add", "NEW"], "needs its full name");
    refused(
        &["partner", "add", "NEW", "--name", "  "],
        "cannot be empty",
    );
    refused(
        &["location", "add", "NEW", "--name", "Somewhere"],
        "needs its kind",
    );
    refused(
        &[
            "location",
            "add",
            "NEW",
            "--name",
            "Somewhere",
            "--kind",
            "site",
            "--within",
            "Narnia",
        ],
        "unknown location `Narnia`",
    );
    refused(
        &[
            "funding",
            "add",
            "NEW",
            "--name",
            "X",
            "--provider",
            "NOBODY",
        ],
        "unknown partner",
    );
    refused(
        &["partner", "edit", "NOBODY", "--name", "X"],
        "unknown partner `NOBODY`",
    );
    refused(
        &["partner", "edit", "DCAF", "--remove-alias", "nope"],
        "has no alias `nope`",
    );
    refused(
        &["location", "edit", "WB", "--within", "WB"],
        "cannot lie within itself",
    );
    refused(
        &["partner", "rename", "DCAF", "EUROPOL"],
        "has a partner `EUROPOL` already",
    );
    refused(
        &["partner", "rename", "DCAF", "a/b"],
        "cannot be a partner code",
    );
    refused(
        &["partner", "remove", "DCAF"],
        "still named by action 1 (lead)",
    );
    refused(&["location", "remove", "SEE"], "location WB (within)");
    refused(&["funding", "remove", "GIZ"], "(financing)");
    // A place inside itself through another is a cycle the check refuses.
    refused(
        &["location", "edit", "SEE", "--within", "ALB"],
        "lies within `SEE` already",
    );
    // With a file the plan cannot read, no code changes: that file may name it.
    std::fs::write(
        test.data().join("actions/030-broken.yaml"),
        "id: 30\ntitle: [\n",
    )
    .unwrap();
    let before = test.snapshot_files();
    let out = Test::run_in(&test, &["partner", "rename", "DCAF", "DCAF-LJ"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("could not be read"), "{}", out.stderr);
    assert_eq!(before, test.snapshot_files());
}

#[test]
fn edit_and_remove_change_only_the_entry() {
    let test = Test::shipped();
    let path = test.data().join("partners.yaml");
    let before = std::fs::read_to_string(&path).unwrap();
    ok(
        &test,
        &[
            "partner",
            "add",
            "CTN",
            "--name",
            "Network: CT",
            "--alias",
            "CT Net",
        ],
    );
    let added = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        added,
        format!("{before}  - code: CTN\n    name: \"Network: CT\"\n    aliases: [CT Net]\n")
    );
    // By an alias, in any case; the kind is added, an alias taken away.
    ok(
        &test,
        &[
            "partner",
            "edit",
            "ct net",
            "--kind",
            "network",
            "--alias",
            "CTN Network",
            "--remove-alias",
            "ct net",
        ],
    );
    let edited = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        edited,
        format!(
            "{before}  - code: CTN\n    name: \"Network: CT\"\n    kind: network\n    aliases: [CTN Network]\n"
        )
    );
    let out = ok(&test, &["partner", "edit", "CTN", "--kind", "network"]);
    assert!(out.contains("nothing to change"), "{out}");
    ok(&test, &["partner", "remove", "CTN"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    // A registry the plan does not have yet, or an empty one, takes its first entry.
    let test = Test::new().file("partners.yaml", "# Partners.\npartners: []\n");
    ok(&test, &["partner", "add", "ONE", "--name", "The first"]);
    let text = std::fs::read_to_string(test.data().join("partners.yaml")).unwrap();
    assert_eq!(
        text,
        "# Partners.\npartners:\n  - code: ONE\n    name: The first\n    aliases: []\n"
    );
    // A list written in brackets cannot take a line: refused, said why.
    let test = Test::new().file("partners.yaml", "partners: [{code: DCAF, name: D}]\n");
    let out = Test::run_in(&test, &["partner", "add", "ONE", "--name", "The first"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("one entry a block"), "{}", out.stderr);
}

#[test]
fn list_shows_each_entry_and_its_use() {
    let test = Test::shipped();
    let out = ok(&test, &["partner", "list", "--format", "json"]);
    let partners = serde_json::from_str::<serde_json::Value>(&out).unwrap();
    let dcaf = partners
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "DCAF")
        .unwrap();
    assert_eq!(dcaf["references"], 15, "{dcaf}");
    let out = ok(&test, &["location", "list"]);
    assert!(out.contains("Western Balkans"), "{out}");
    assert!(out.contains("Within"), "{out}");
    let test = Test::new().file("funding.yaml", "funding:\n");
    let out = ok(&test, &["funding", "list"]);
    assert!(
        out.contains("No funding yet: `iisg funding add CODE --name NAME`"),
        "{out}"
    );
}
