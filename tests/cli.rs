//! The command line itself: clap's own consistency checks and every `--help`.

use clap::CommandFactory;

use crate::test::Test;

#[test]
fn clap_definition_is_consistent() {
    iisg::Cli::command().debug_assert();
}

#[test]
fn every_help_text() {
    let cli = iisg::Cli::command();
    // Every subcommand, and the subcommands of those that have them (`plan set`).
    let mut names: Vec<Vec<String>> = vec![vec![]];
    for command in cli.get_subcommands() {
        let name = command.get_name().to_string();
        names.push(vec![name.clone()]);
        for nested in command.get_subcommands() {
            names.push(vec![name.clone(), nested.get_name().to_string()]);
        }
    }
    for name in names {
        let mut args: Vec<&str> = name.iter().map(String::as_str).collect();
        args.push("--help");
        let out = Test::empty().args(args).status(0);
        let label = if name.is_empty() {
            "iisg".to_string()
        } else {
            name.join("-")
        };
        insta::assert_snapshot!(format!("help_{label}"), out.stdout);
    }
}

#[test]
fn usage_errors_exit_2() {
    let out = Test::empty().args(["frobnicate"]).status(2);
    assert!(
        out.stderr.contains("unrecognized subcommand"),
        "{}",
        out.stderr
    );
    Test::empty().args(["show", "x"]).status(2);
    Test::empty().args(["--version"]).status(0);
}

/// The hook that `.pre-commit-hooks.yaml` offers runs a real command on the plan's files.
#[test]
fn pre_commit_hook_runs_validate() {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Hook {
        id: String,
        name: String,
        description: String,
        entry: String,
        language: String,
        files: String,
        pass_filenames: bool,
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let hooks: Vec<Hook> = serde_saphyr::from_str(&text).unwrap();
    let [hook] = &hooks[..] else {
        panic!("one hook")
    };
    assert_eq!(hook.id, "iisg-validate");
    assert!(!hook.name.is_empty() && !hook.description.is_empty());
    assert_eq!(hook.language, "rust");
    assert_eq!(hook.files, "^data/");
    assert!(
        !hook.pass_filenames,
        "validate checks the whole plan, not files"
    );
    let args: Vec<&str> = hook.entry.split(' ').collect();
    assert_eq!(args[0], "iisg");
    // The entry runs as it is written, on a plan.
    Test::shipped().args(args[1..].to_vec()).status(0);
}

#[test]
fn completion_scripts_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = Test::empty().args(["completions", shell]).status(0);
        assert!(out.stdout.contains("add-action"), "{shell}: {}", out.stdout);
        assert!(out.stdout.contains("import"), "{shell}");
    }
    Test::empty().args(["completions", "tcsh"]).status(2);
}

#[test]
fn manual_pages() {
    let out = Test::empty().args(["man"]).status(0);
    assert!(out.stdout.starts_with(".ie"), "{}", &out.stdout[..40]);
    assert!(out.stdout.contains(".TH iisg 1"), "{}", out.stdout);
    assert!(out.stdout.contains("add\\-action"));
    let test = Test::empty().cwd("man");
    let out = Test::run_in(&test, &["man", "-o", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("wrote "), "{}", out.stdout);
    let page = std::fs::read_to_string(test.data().join("../man/iisg-import.1")).unwrap();
    assert!(page.contains(".TH iisg-import 1"), "{page}");
    assert!(page.contains("add\\-missing"), "{page}");
}
