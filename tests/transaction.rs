//! Every change is all or nothing, across a crash: commands killed at each system call of
//! their transaction (strace's fault injection) and at random instants, then any other
//! command, for changes of a few files (each synced) and of many (synced at once); writes
//! outside the plan; modes, owners and read-only files.

use std::collections::BTreeMap;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::test::Test;

/// The plan as a reader sees it: every file below `data/` that is not hidden, with its text.
fn visible(test: &Test) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for (path, bytes) in test.snapshot_files() {
        let relative = path.strip_prefix(test.data()).map(Path::to_path_buf);
        let Ok(relative) = relative else { continue };
        if relative
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            continue;
        }
        files.insert(
            relative.to_string_lossy().to_string(),
            String::from_utf8_lossy(&bytes).to_string(),
        );
    }
    files
}

/// Hidden files iisg made and left in the plan's folders.
fn hidden(test: &Test) -> Vec<String> {
    test.snapshot_files()
        .into_iter()
        .filter_map(|(path, _)| {
            let name = path.file_name()?.to_string_lossy().to_string();
            name.starts_with(".iisg").then_some(name)
        })
        .collect()
}

/// The shipped plan's first six rows of the List of Actions, each row's cells changed by
/// `change`, as a TSV table.
fn rows(change: fn(&mut Vec<String>)) -> String {
    let table = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/list-of-actions.tsv"),
    )
    .unwrap();
    let mut out = String::new();
    for (n, line) in table.lines().take(7).enumerate() {
        let mut cells: Vec<String> = line.split('\t').map(String::from).collect();
        if n > 0 {
            change(&mut cells);
        }
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// Six new actions: the rows with their ids left out.
fn new_rows() -> String {
    rows(|cells| {
        cells[0].clear();
        cells[1].push_str(" (again)");
    })
}

/// The same rows with their ids, each with a new scope: an update of six files.
fn updated_rows() -> String {
    rows(|cells| cells[5] = "Scope rewritten by the import".into())
}

/// How many copies of shipped actions [`copies`] adds: with the 28 shipped ones, more files
/// than iisg syncs one by one (32), so that an update of all of them is synced at once.
const COPIES: usize = 12;

/// Adds copies of the first [`COPIES`] shipped actions under ids 101…, and writes
/// `update.tsv`: every row of the document and a row for each copy, each with a new scope,
/// an update of 40 files in one transaction.
fn copies(test: &Test) {
    let actions = test.data().join("actions");
    let mut names: Vec<_> = std::fs::read_dir(&actions)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    for (n, name) in names.iter().take(COPIES).enumerate() {
        let text = std::fs::read_to_string(actions.join(name)).unwrap();
        let id = 101 + n;
        let text = text.replacen(&format!("id: {}\n", n + 1), &format!("id: {id}\n"), 1);
        assert!(text.contains(&format!("id: {id}\n")), "{name}");
        std::fs::write(actions.join(format!("{id:03}-copy.yaml")), text).unwrap();
    }
    let table = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/list-of-actions.tsv"),
    )
    .unwrap();
    let mut out = String::new();
    let lines: Vec<&str> = table.lines().collect();
    let rows = lines[1..].iter().chain(&lines[1..=COPIES]).enumerate();
    out.push_str(lines[0]);
    out.push('\n');
    for (n, line) in rows {
        let mut cells: Vec<String> = line.split('\t').map(String::from).collect();
        if n >= lines.len() - 1 {
            cells[0] = (101 + n - (lines.len() - 1)).to_string();
        }
        cells[5] = "Scope rewritten by the import".into();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    std::fs::write(test.data().join("../update.tsv"), out).unwrap();
}

/// A writer of the shipped plan, set up anew for every run.
struct Case {
    name: &'static str,
    args: Vec<&'static str>,
    setup: fn(&Test),
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "import of new rows",
            args: vec!["import", "new.tsv"],
            setup: |t| std::fs::write(t.data().join("../new.tsv"), new_rows()).unwrap(),
        },
        Case {
            name: "import --update",
            args: vec!["import", "--update", "update.tsv"],
            setup: |t| std::fs::write(t.data().join("../update.tsv"), updated_rows()).unwrap(),
        },
        Case {
            name: "renumber",
            args: vec!["renumber", "28", "--to", "40"],
            setup: |_| {},
        },
        Case {
            name: "add-action",
            args: vec![
                "add-action",
                "--title",
                "Crash course",
                "--lead",
                "DCAF",
                "--timeline",
                "2019",
                "--location",
                "WB",
            ],
            setup: |_| {},
        },
        Case {
            name: "edit",
            args: vec![
                "edit",
                "4",
                "--status",
                "completed",
                "--add-involved",
                "IOM",
            ],
            setup: |_| {},
        },
        Case {
            name: "import --update of 40 files, synced at once",
            args: vec!["import", "--update", "update.tsv"],
            setup: copies,
        },
    ]
}

fn iisg() -> &'static str {
    env!("CARGO_BIN_EXE_iisg")
}

fn run_in(test: &Test, command: &mut Command) -> std::process::Output {
    command
        .current_dir(test.data().parent().unwrap())
        .env_remove("IISG_DATA")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// What the plan looks like before the case's command runs.
fn before(case: &Case) -> BTreeMap<String, String> {
    let test = Test::shipped();
    (case.setup)(&test);
    visible(&test)
}

/// What the plan looks like after the case's command ran undisturbed.
fn after(case: &Case) -> BTreeMap<String, String> {
    let test = Test::shipped();
    (case.setup)(&test);
    let out = run_in(&test, Command::new(iisg()).args(&case.args));
    assert!(out.status.success(), "{}: {out:?}", case.name);
    visible(&test)
}

/// After a crash: the next command (`validate`) resolves what was left, the plan holds all
/// of the change or none, validate finds no error, and the next writer leaves no hidden file.
fn check_after_crash(test: &Test, case: &Case, what: &str, states: [&BTreeMap<String, String>; 2]) {
    let out = run_in(
        test,
        Command::new(iisg()).args(["validate", "--format", "json"]),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}, {what}: {stderr}",
        case.name
    );
    let now = visible(test);
    assert!(
        now == *states[0] || now == *states[1],
        "{}, {what}: the plan holds part of the change\n{stderr}\n{:#?}",
        case.name,
        now.keys()
            .filter(|k| states[0].get(*k) != now.get(*k))
            .collect::<Vec<_>>()
    );
    // Any writer tidies what a killed one left.
    let out = run_in(
        test,
        Command::new(iisg()).args(["edit", "1", "--status", "completed"]),
    );
    assert!(out.status.success(), "{}, {what}: {out:?}", case.name);
    assert_eq!(hidden(test), Vec::<String>::new(), "{}, {what}", case.name);
}

fn strace() -> &'static str {
    assert!(
        Command::new("strace").arg("-V").output().is_ok(),
        "strace is needed for this test: apt-get install strace"
    );
    "strace"
}

/// The case's command set up anew and run under strace with this fault injected
/// (`fsync:error=EIO:when=3`): the plan's folder, and what the command gave.
fn injected(case: &Case, inject: &str) -> (Test, std::process::Output) {
    let test = Test::shipped();
    (case.setup)(&test);
    let out = run_in(
        &test,
        Command::new(strace())
            .args(["-f", "-qq", "-o", "/dev/null"])
            .arg(format!("--inject={inject}"))
            .arg(iisg())
            .args(&case.args),
    );
    (test, out)
}

/// Each writer killed (SIGKILL, as `kill -9` does) on entering its n-th call of each system
/// call that writes, for every n until the command gets through untouched.
#[test]
fn killed_at_every_system_call_all_or_nothing() {
    let mut kills = 0;
    for case in cases() {
        let before = before(&case);
        let after = after(&case);
        assert_ne!(before, after, "{}", case.name);
        for syscall in ["write", "fsync", "syncfs", "linkat", "rename", "unlink"] {
            for n in 1.. {
                let (test, out) = injected(&case, &format!("{syscall}:signal=KILL:when={n}"));
                if out.status.success() {
                    assert_eq!(visible(&test), after, "{}: {syscall} #{n}", case.name);
                    break;
                }
                kills += 1;
                check_after_crash(
                    &test,
                    &case,
                    &format!("killed at {syscall} #{n}"),
                    [&before, &after],
                );
                assert!(n < 400, "{}: {syscall} never got through", case.name);
            }
        }
    }
    assert!(kills > 100, "only {kills} kills");
}

/// The calls of these system calls (`fsync,syncfs`) that the case's command makes, run
/// undisturbed, as strace shows them, each descriptor with its path.
fn traced(case: &Case, syscalls: &str) -> Vec<String> {
    let test = Test::shipped();
    (case.setup)(&test);
    let log = test.data().join("../strace.log");
    let out = run_in(
        &test,
        Command::new(strace())
            .args(["-f", "-qq", "-y", "-o"])
            .arg(&log)
            .arg(format!("--trace={syscalls}"))
            .arg(iisg())
            .args(&case.args),
    );
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&log).unwrap();
    text.lines()
        .filter(|l| !l.contains("resumed>"))
        .map(String::from)
        .collect()
}

/// How many times the case's command makes this system call, run undisturbed.
fn calls(case: &Case, syscall: &str) -> usize {
    traced(case, syscall)
        .iter()
        .filter(|l| l.contains(&format!("{syscall}(")))
        .count()
}

/// Each writer's n-th call of each such system call fails (a full disk, an I/O error), for
/// every n: the command exits 2 and the plan is as before — or the error names each file
/// that differs and where its old contents are — or the failure was harmless and the change
/// went through whole.
#[test]
fn a_failing_system_call_changes_nothing() {
    for case in cases() {
        let before = before(&case);
        let after = after(&case);
        for (syscall, error) in [
            ("write", "ENOSPC"),
            ("fsync", "EIO"),
            ("syncfs", "EIO"),
            ("linkat", "ENOSPC"),
            ("rename", "EIO"),
            ("unlink", "EIO"),
        ] {
            for n in 1..=calls(&case, syscall) {
                let (test, out) = injected(&case, &format!("{syscall}:error={error}:when={n}"));
                let now = visible(&test);
                let what = format!("{}: {syscall} #{n} fails", case.name);
                let stderr = String::from_utf8_lossy(&out.stderr).to_string();
                if out.status.success() {
                    assert_eq!(now, after, "{what}");
                    continue;
                }
                assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
                if stderr.contains("could not be undone") {
                    assert!(
                        stderr.contains("old contents are in") || stderr.contains("it is new"),
                        "{what}: {stderr}"
                    );
                } else if stderr.contains("error: cannot write the output") {
                    // The terminal, not the plan, failed: before or after the commit.
                    assert!(now == before || now == after, "{what}: {stderr}");
                } else {
                    assert_eq!(now, before, "{what}: {stderr}");
                }
                check_after_crash(&test, &case, &what, [&before, &after]);
            }
        }
    }
}

/// A change of many files is made durable in the order its journal relies on, with one
/// `syncfs` instead of a `fsync` of each file: every new text and backup made, then the
/// file system synced, and only then the journal written; the journal synced before the
/// first file is renamed; the folders synced after the last rename, before the journal goes.
#[test]
fn a_large_change_is_synced_at_once_in_the_journals_order() {
    let case = cases().pop().unwrap();
    let calls = traced(&case, "openat,fsync,syncfs,linkat,rename,unlink");
    let text = calls.join("\n");
    let at = |what: &dyn Fn(&str) -> bool| -> Vec<usize> {
        calls
            .iter()
            .enumerate()
            .filter(|(_, l)| what(l))
            .map(|(n, _)| n)
            .collect()
    };
    let hidden = |l: &str| l.contains(".iisg-tx-") && (l.contains(".new") || l.contains(".old"));
    let staged = at(&|l| (l.contains("openat(") || l.contains("linkat(")) && hidden(l));
    let syncfs = at(&|l| l.contains("syncfs("));
    let journal = at(&|l| l.contains("openat(") && l.contains("-journal.tmp"));
    let journal_placed = at(&|l| l.contains("rename(") && l.contains(".iisg-journal\""));
    let renames = at(&|l| l.contains("rename(") && l.contains(".new\""));
    let journal_removed = at(&|l| l.contains("unlink(") && l.contains(".iisg-journal\""));
    let folder_syncs =
        at(&|l| l.contains("fsync(") && (l.contains("/data>)") || l.contains("/data/actions>)")));
    assert_eq!(syncfs.len(), 1, "one syncfs:\n{text}");
    assert!(staged.len() >= 2 * 40, "{}: {text}", staged.len());
    assert_eq!(
        at(&|l| l.contains("fsync(") && hidden(l)),
        Vec::<usize>::new()
    );
    assert!(
        staged.iter().all(|&n| n < syncfs[0]),
        "staged after the syncfs"
    );
    assert!(syncfs[0] < journal[0], "the journal before the syncfs");
    assert!(
        folder_syncs
            .iter()
            .any(|&n| journal_placed[0] < n && n < renames[0])
    );
    assert!(
        folder_syncs
            .iter()
            .any(|&n| renames[renames.len() - 1] < n && n < journal_removed[0])
    );
    assert_eq!(renames.len(), 40);
}

/// `kill -9` at random instants of each writer, then any other command.
#[test]
fn killed_at_random_instants_all_or_nothing() {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for case in cases() {
        let before = before(&case);
        let after = after(&case);
        for round in 0..25 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let test = Test::shipped();
            (case.setup)(&test);
            let mut child = Command::new(iisg())
                .args(&case.args)
                .current_dir(test.data().parent().unwrap())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .stdin(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_micros(seed % 12_000));
            let _ = child.kill();
            let _ = child.wait();
            check_after_crash(&test, &case, &format!("round {round}"), [&before, &after]);
        }
    }
}

/// A change interrupted after its journal was written is rolled back by the next command,
/// which says so.
#[test]
fn the_next_command_says_what_it_rolled_back() {
    let before = visible(&Test::shipped());
    // The third link is the third new file appearing: the journal is written by then.
    let (test, out) = injected(&cases()[0], "linkat:signal=KILL:when=3");
    assert!(!out.status.success());
    assert_eq!(
        visible(&test).len(),
        before.len() + 2,
        "two of the six files are there"
    );
    let out = run_in(&test, Command::new(iisg()).args(["list"]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("`iisg import new.tsv`")
            && stderr.contains("was interrupted; its change was rolled back: restored"),
        "{stderr}"
    );
    assert_eq!(visible(&test), before);
}

/// A journal that cannot be obeyed safely (here: a file it names was edited since) is an
/// error of `validate`, and every writer refuses until it is resolved.
#[test]
fn an_unresolvable_journal_is_reported_not_obeyed() {
    let (test, out) = injected(&cases()[1], "rename:signal=KILL:when=4");
    assert!(!out.status.success());
    let rewritten = test.data().join("actions/001-joint-operation-drino.yaml");
    let mut text = std::fs::read_to_string(&rewritten).unwrap();
    assert!(text.contains("rewritten by the import"), "{text}");
    text.push_str("# edited by hand after the crash\n");
    // Written in place, as some editors do: same file, other bytes.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&rewritten)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .unwrap();
    let out = run_in(&test, Command::new(iisg()).args(["validate"]));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("error[interrupted-change]"), "{stdout}");
    assert!(
        stdout.contains("001-joint-operation-drino.yaml"),
        "{stdout}"
    );
    let out = run_in(
        &test,
        Command::new(iisg()).args(["edit", "2", "--status", "planned"]),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot be resolved safely"),
        "{out:?}"
    );
    assert!(
        std::fs::read_to_string(&rewritten)
            .unwrap()
            .ends_with("after the crash\n")
    );
}

#[test]
fn export_writes_only_regular_files_outside_the_plan() {
    let test = Test::shipped();
    // The odd files live beside the test's folder: reading a FIFO would block the snapshot.
    let odd = tempfile::tempdir().unwrap();
    let root = odd.path().to_path_buf();
    let fifo = root.join("fifo");
    crate::test::mkfifo(&fifo);
    std::fs::create_dir(root.join("folder")).unwrap();
    std::os::unix::net::UnixListener::bind(root.join("socket")).unwrap();
    std::os::unix::fs::symlink(root.join("elsewhere.md"), root.join("link.md")).unwrap();
    let before = test.snapshot_files();
    let odd_path = |name: &str| root.join(name).to_string_lossy().to_string();
    for target in [
        "/dev/null".to_string(),
        odd_path("fifo"),
        odd_path("folder"),
        odd_path("socket"),
        odd_path("link.md"),
    ]
    .into_iter()
    .chain(
        [
            "data/plan.yaml",
            "data/actions/001-joint-operation-drino.yaml",
            "data/new.md",
            "data/actions",
            "data/../data/x.md",
        ]
        .map(String::from),
    ) {
        let out = run_in(
            &test,
            Command::new(iisg()).args(["export", "--format", "markdown", "-o", &target]),
        );
        assert_eq!(out.status.code(), Some(2), "{target}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("nothing was written")
                || String::from_utf8_lossy(&out.stderr).contains("refusing to write"),
            "{target}: {out:?}"
        );
    }
    assert_eq!(before, test.snapshot_files());
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert!(!root.join("elsewhere.md").exists());
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(meta.file_type().is_char_device());
    // A regular file is replaced, keeping its mode.
    let out_file = test.data().parent().unwrap().join("paper.md");
    std::fs::write(&out_file, "old").unwrap();
    std::fs::set_permissions(&out_file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = run_in(
        &test,
        Command::new(iisg()).args(["export", "--format", "markdown", "-o", "paper.md"]),
    );
    assert!(out.status.success(), "{out:?}");
    assert!(std::fs::read_to_string(&out_file).unwrap().starts_with('#'));
    assert_eq!(std::fs::metadata(&out_file).unwrap().mode() & 0o777, 0o640);
}

/// Every rewrite keeps the file's mode and owner.
#[test]
fn rewrites_keep_mode_and_owner() {
    let root = rustix_is_root();
    for case in cases().into_iter().filter(|c| c.name != "add-action") {
        let test = Test::shipped();
        (case.setup)(&test);
        let file = match case.name {
            "renumber" => "actions/028-train-the-trainers-course-bridging-the-gap.yaml",
            "edit" => "actions/004-joint-operation.yaml",
            _ => "actions/001-joint-operation-drino.yaml",
        };
        let path = test.data().join(file);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        if root {
            std::os::unix::fs::chown(&path, Some(4321), Some(4321)).unwrap();
        }
        let out = run_in(&test, Command::new(iisg()).args(&case.args));
        assert!(out.status.success(), "{}: {out:?}", case.name);
        let written = if case.name == "renumber" {
            test.data()
                .join("actions/040-train-the-trainers-course-bridging-the-gap.yaml")
        } else {
            path
        };
        if case.name.starts_with("import of new") {
            continue;
        }
        let meta = std::fs::metadata(&written).unwrap();
        assert_eq!(meta.mode() & 0o777, 0o600, "{}", case.name);
        if root {
            assert_eq!((meta.uid(), meta.gid()), (4321, 4321), "{}", case.name);
        }
    }
}

fn rustix_is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A read-only file or folder is refused by every writer alike, exit 2, nothing written.
#[test]
fn read_only_is_refused_everywhere() {
    for case in cases() {
        let test = Test::shipped();
        (case.setup)(&test);
        let file = match case.name {
            "renumber" => "actions/028-train-the-trainers-course-bridging-the-gap.yaml",
            "edit" => "actions/004-joint-operation.yaml",
            _ => "actions/001-joint-operation-drino.yaml",
        };
        let target = if case.name == "add-action" || case.name == "import of new rows" {
            test.data().join("actions")
        } else {
            test.data().join(file)
        };
        let mode = if target.is_dir() { 0o555 } else { 0o444 };
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(mode)).unwrap();
        let before = test.snapshot_files();
        let out = run_in(&test, Command::new(iisg()).args(&case.args));
        assert_eq!(out.status.code(), Some(2), "{}: {out:?}", case.name);
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("read-only"),
            "{}: {out:?}",
            case.name
        );
        assert_eq!(before, test.snapshot_files(), "{}", case.name);
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(mode | 0o200)).unwrap();
    }
    // init into a read-only folder.
    let test = Test::empty();
    let root = test.data().parent().unwrap().join("new");
    std::fs::create_dir(&root).unwrap();
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = run_in(&test, Command::new(iisg()).args(["init", "new"]));
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("read-only"),
        "{out:?}"
    );
    assert_eq!(std::fs::read_dir(&root).unwrap().count(), 0);
}

/// `init` killed at every system call: afterwards there is no plan or the whole plan, and the
/// next `init` removes what the killed one left.
#[test]
fn init_killed_leaves_no_half_plan() {
    let strace = strace();
    let whole = {
        let test = Test::empty();
        let out = run_in(
            &test,
            Command::new(iisg()).args(["init", "--example", "repo"]),
        );
        assert!(out.status.success());
        let mut files = test.snapshot_files();
        files.retain(|(p, _)| p.starts_with(test.data().parent().unwrap().join("repo/data")));
        files.len()
    };
    for syscall in ["write", "fsync", "rename", "mkdir"] {
        for n in (1..).step_by(if syscall == "write" || syscall == "fsync" {
            7
        } else {
            1
        }) {
            let test = Test::empty();
            let out = run_in(
                &test,
                Command::new(strace)
                    .args(["-f", "-qq", "-o", "/dev/null"])
                    .arg(format!("--inject={syscall}:signal=KILL:when={n}"))
                    .arg(iisg())
                    .args(["init", "--example", "repo"]),
            );
            let repo = test.data().parent().unwrap().join("repo");
            let plan: Vec<_> = test
                .snapshot_files()
                .into_iter()
                .filter(|(p, _)| p.starts_with(repo.join("data")))
                .collect();
            assert!(
                plan.is_empty() || plan.len() == whole,
                "{syscall} #{n}: {} of {whole} files",
                plan.len()
            );
            if out.status.success() {
                break;
            }
            if plan.is_empty() {
                let out = run_in(
                    &test,
                    Command::new(iisg()).args(["init", "--example", "repo"]),
                );
                assert!(out.status.success(), "{syscall} #{n}: {out:?}");
                let left: Vec<_> = std::fs::read_dir(&repo)
                    .unwrap()
                    .flatten()
                    .map(|e| e.file_name())
                    .collect();
                assert_eq!(
                    left,
                    vec![std::ffi::OsString::from("data")],
                    "{syscall} #{n}"
                );
            }
            assert!(n < 2000);
        }
    }
}

/// The editor's copy is in a private folder, and kept (with its place said) when the change
/// is refused.
#[test]
fn the_editors_copy_is_private_and_kept_when_refused() {
    let test = Test::shipped();
    let root = test.data().parent().unwrap().to_path_buf();
    let script = root.join("editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nstat -c '%a %U' \"$(dirname \"$1\")\" > \"$REPORT\"\necho \"$1\" >> \"$REPORT\"\nsed -i 's/^lead: .*/lead: [NOBODY]/' \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let report = root.join("report.txt");
    let out = run_in(
        &test,
        Command::new(iisg())
            .args(["edit", "4"])
            .env("VISUAL", &script)
            .env("REPORT", &report),
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let seen = std::fs::read_to_string(&report).unwrap();
    let mut lines = seen.lines();
    assert!(lines.next().unwrap().starts_with("700 "), "{seen}");
    let copy = lines.next().unwrap();
    assert!(!copy.contains(&format!("iisg-{}", std::process::id())));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("your edited copy is kept in `{copy}`")),
        "{stderr}"
    );
    assert!(
        std::fs::read_to_string(copy)
            .unwrap()
            .contains("lead: [NOBODY]")
    );
    std::fs::remove_dir_all(Path::new(copy).parent().unwrap()).unwrap();
}
