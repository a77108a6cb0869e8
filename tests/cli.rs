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
    let mut names = vec![String::new()];
    names.extend(cli.get_subcommands().map(|s| s.get_name().to_string()));
    for name in names {
        let mut args = vec![];
        if !name.is_empty() {
            args.push(name.as_str());
        }
        args.push("--help");
        let out = Test::empty().args(args).status(0);
        let label = if name.is_empty() { "iisg" } else { &name };
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
