//! A hostile plan, run through every reading command and output format: links to secrets are
//! reported and never followed, control characters never reach a terminal raw (checked on a
//! real pseudo-terminal, colour on and off), inputs that never end are refused at once.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::test::Test;

/// What a secret file holds, and what the environment of the command holds.
const SECRET: &str = "SECRET-TOKEN-5f3a9c";

/// Every reading command with every output format.
const READERS: &[&[&str]] = &[
    &["validate"],
    &["validate", "--format", "json"],
    &["validate", "--format", "github"],
    &["list"],
    &["list", "--format", "json"],
    &["list", "--format", "csv"],
    &["list", "--format", "markdown"],
    &["show", "4"],
    &["report"],
    &["report", "--by-partner"],
    &["report", "--timeline"],
    &["report", "--coverage"],
    &["report", "--format", "json"],
    &["export", "--format", "markdown"],
    &["export", "--format", "html"],
    &["export", "--format", "csv"],
    &["export", "--format", "json"],
];

fn run(test: &Test, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_iisg"))
        .args(args)
        .current_dir(test.data().parent().unwrap())
        .env_remove("IISG_DATA")
        .env("NO_COLOR", "1")
        .env("IISG_TEST_SECRET", SECRET)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The shipped plan with links where plan files belong: to a secret file, to the process's
/// own environment, to a folder, and dangling; in the actions, the forums and as a registry.
fn linked() -> Test {
    let test = Test::shipped();
    let root = test.data().parent().unwrap().to_path_buf();
    std::fs::write(
        root.join("secret.yaml"),
        format!("id: 34\ntitle: {SECRET}\n"),
    )
    .unwrap();
    let link = |target: &Path, at: &str| {
        std::os::unix::fs::symlink(target, test.data().join(at)).unwrap();
    };
    link(&root.join("secret.yaml"), "actions/034-secret.yaml");
    link(Path::new("/proc/self/environ"), "actions/035-env.yaml");
    link(Path::new("/etc"), "actions/036-folder.yaml");
    link(Path::new("/nonexistent/iisg"), "actions/037-dangling.yaml");
    link(Path::new("/proc/self/environ"), "forums/zz.yaml");
    std::fs::rename(test.data().join("funding.yaml"), root.join("funding.yaml")).unwrap();
    link(&root.join("funding.yaml"), "funding.yaml");
    test
}

#[test]
fn links_to_secrets_are_reported_and_never_followed() {
    let test = linked();
    for args in READERS {
        let out = run(&test, args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!text.contains(SECRET), "{args:?} shows the secret:\n{text}");
        assert!(!text.contains("PATH="), "{args:?} shows the environment");
        assert!(out.status.code().is_some(), "{args:?}: {out:?}");
    }
    let out = run(&test, &["validate", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let linked: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "not-a-file")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    for file in [
        "data/actions/034-secret.yaml",
        "data/actions/035-env.yaml",
        "data/actions/036-folder.yaml",
        "data/actions/037-dangling.yaml",
        "data/forums/zz.yaml",
        "data/funding.yaml",
    ] {
        assert!(linked.contains(&file), "{file} not reported: {linked:?}");
    }
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn odd_entries_in_record_folders_are_all_reported() {
    let test = Test::shipped();
    let actions = test.data().join("actions");
    std::fs::create_dir(actions.join("040-x.yaml")).unwrap();
    std::fs::create_dir(actions.join("old")).unwrap();
    std::fs::write(actions.join("notes.txt"), "x").unwrap();
    crate::test::mkfifo(&actions.join("041-fifo.yaml"));
    let bad_name: &std::ffi::OsStr =
        std::os::unix::ffi::OsStrExt::from_bytes(b"042-caf\xe9.yaml".as_slice());
    std::fs::write(actions.join(bad_name), "id: 42\ntitle: [broken\n").unwrap();
    // Passed over in silence: editor backups and hidden files.
    std::fs::write(actions.join("004-joint-operation.yaml~"), "x").unwrap();
    std::fs::write(actions.join(".004-joint-operation.yaml.swp"), "x").unwrap();
    let out = run(&test, &["validate", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String)> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["file"].as_str().unwrap().starts_with("data/actions/0")
                || ["data/actions/old", "data/actions/notes.txt"]
                    .contains(&f["file"].as_str().unwrap())
        })
        .filter(|f| f["code"] != "lead-also-involved")
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (code, file) in [
        ("not-a-file", "data/actions/040-x.yaml"),
        ("not-a-file", "data/actions/041-fifo.yaml"),
        ("bad-file-name", "data/actions/042-caf\u{fffd}.yaml"),
        ("stray-file", "data/actions/old"),
        ("stray-file", "data/actions/notes.txt"),
    ] {
        assert!(
            found.contains(&(code.to_string(), file.to_string())),
            "{code} {file}: {found:?}"
        );
    }
    assert_eq!(found.len(), 5, "{found:?}");
    assert_eq!(out.status.code(), Some(1), "the errors fail validate");
}

/// Text with every kind of escape a terminal obeys: a title change (OSC … BEL), a screen
/// clear (CSI), a colour, a bell, a carriage return, C1 and a right-to-left override.
const HOSTILE: &str = "Evil \u{1b}]0;pwned\u{7} \u{1b}[2J\u{1b}[31mred\u{1b}[0m\r\u{85}\u{202e}txt";

/// The shipped plan with hostile text in a title, a scope, a registry name, a need and the
/// author and subject of a commit.
fn hostile_repo() -> Test {
    let test = Test::repo();
    let quoted = serde_json::to_string(HOSTILE).unwrap();
    let edit = |file: &str, from: &str, to: &str| {
        let path = test.data().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "actions/004-joint-operation.yaml",
        "title: Joint Operation\n",
        &format!("title: {quoted}\n"),
    );
    edit(
        "actions/004-joint-operation.yaml",
        "scope: Criminal police and border police\n",
        &format!("scope: {quoted}\n"),
    );
    edit(
        "partners.yaml",
        "name: European Union Agency for Law Enforcement Cooperation\n",
        &format!("name: {quoted}\n"),
    );
    let forum = std::fs::read_to_string(test.data().join("forums/bp.yaml")).unwrap();
    let need = forum
        .lines()
        .find(|l| l.trim_start().starts_with("text: "))
        .unwrap()
        .to_string();
    let indent = &need[..need.find("text").unwrap()];
    edit("forums/bp.yaml", &need, &format!("{indent}text: {quoted}"));
    test.git(&["add", "-A"]);
    test.git(&[
        "-c",
        &format!("user.name={HOSTILE}"),
        "commit",
        "-q",
        "-m",
        &format!("Hostile {HOSTILE}"),
    ]);
    test
}

/// What a command writes to a real pseudo-terminal (`script`), colour as asked.
fn on_a_terminal(test: &Test, args: &[&str], color: &str) -> Vec<u8> {
    let bin = env!("CARGO_BIN_EXE_iisg");
    let line = std::iter::once(bin)
        .chain(["--color", color])
        .chain(args.iter().copied())
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let out = Command::new("script")
        .args(["-q", "-e", "-c", &line, "/dev/null"])
        .current_dir(test.data().parent().unwrap())
        .env_remove("IISG_DATA")
        .env_remove("NO_COLOR")
        .env("COLUMNS", "120")
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    out.stdout
}

/// The escape sequences in what reached the terminal: every one must be a colour (SGR).
fn non_colour_escapes(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == 0x1b {
            let rest = &bytes[i + 1..];
            let sgr = rest.first() == Some(&b'[')
                && rest[1..]
                    .iter()
                    .position(|c| !(c.is_ascii_digit() || *c == b';'))
                    .is_some_and(|end| rest[1 + end] == b'm');
            if !sgr {
                found
                    .push(String::from_utf8_lossy(&bytes[i..(i + 8).min(bytes.len())]).to_string());
            }
        } else if (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t')) || b == 0x7f {
            found.push(format!("byte {b:#04x}"));
        }
        i += 1;
    }
    found
}

#[test]
fn control_characters_never_reach_a_terminal_raw() {
    assert!(
        Command::new("script").arg("-V").output().is_ok(),
        "`script` (util-linux) is needed for this test"
    );
    let test = hostile_repo();
    let commands: Vec<Vec<&str>> = READERS
        .iter()
        .map(|a| a.to_vec())
        .chain([
            vec!["log", "4"],
            vec!["changes", "--since", "HEAD~1"],
            vec!["show", "4"],
            vec!["report", "--by-partner"],
        ])
        .collect();
    for color in ["always", "never"] {
        for args in &commands {
            let bytes = on_a_terminal(&test, args, color);
            let text = String::from_utf8_lossy(&bytes);
            // `script` turns each newline into CR LF; a raw CR from the data would stand alone.
            let lone_cr = text.replace("\r\n", "\n").contains('\r');
            let escapes = non_colour_escapes(&bytes);
            assert!(
                escapes.is_empty() && !lone_cr,
                "{args:?} --color {color}: {escapes:?}\n{text}"
            );
            assert!(
                !text.contains('\u{85}') && !text.contains('\u{202e}'),
                "{args:?}: {text}"
            );
            if color == "never" {
                assert!(
                    !bytes.contains(&0x1b),
                    "{args:?}: colour off, yet an escape"
                );
            }
        }
    }
    // The text is shown, escaped, not dropped.
    // (A table fitted to the terminal may wrap the title: compare without the layout.)
    let shown = String::from_utf8_lossy(&on_a_terminal(&test, &["show", "4"], "never")).to_string();
    let unwrapped: String = shown
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '│' | '┆' | '|'))
        .collect();
    assert!(unwrapped.contains("Evil\\u001b]0;pwned\\u0007"), "{shown}");
    let log = String::from_utf8_lossy(&on_a_terminal(&test, &["log", "4"], "never")).to_string();
    assert!(log.contains("Evil \\u001b]0;pwned"), "{log}");
}

#[test]
fn json_escapes_as_json_does() {
    let test = hostile_repo();
    let out = run(&test, &["list", "--format", "json"]);
    let actions: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let four = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == 4)
        .unwrap();
    assert_eq!(four["title"], HOSTILE, "the data comes back whole");
}

/// Inputs that never end, or are far too large, are refused at once, under a time limit.
#[test]
fn endless_inputs_are_refused_at_once() {
    let test = Test::shipped();
    let root = test.data().parent().unwrap().to_path_buf();
    let fifo = root.join("table.tsv");
    crate::test::mkfifo(&fifo);
    let big = root.join("big.tsv");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    let before = test.snapshot_files_except(&[&fifo, &big]);
    for input in ["/dev/zero", "/dev/urandom", "table.tsv", "big.tsv", "."] {
        let out = Command::new("timeout")
            .args(["10", env!("CARGO_BIN_EXE_iisg"), "import", input])
            .current_dir(&root)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{input}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("not a regular file") || stderr.contains("bytes, more than"),
            "{input}: {stderr}"
        );
    }
    assert_eq!(before, test.snapshot_files_except(&[&fifo, &big]));
}
