//! `iisg`: a plan of actions kept as plain YAML files, listed, checked and reported on.
//!
//! The binary is a thin shell over [`run`]; everything else lives in layers, each using only
//! the ones below it: `command` → `import` → `render` → `check`/`analysis`/`store` →
//! `model`.

pub mod analysis;
pub mod check;
pub mod command;
pub mod diagnostic;
pub mod error;
pub mod import;
pub mod model;
pub mod par;
pub mod render;
pub mod store;
pub mod web;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};

use clap::{CommandFactory, FromArgMatches};

use command::Context;
pub use command::cli::{Cli, ColorChoice};
pub use error::Error;
use render::Style;

/// Runs iisg with these arguments (the first is the program name), writing to `out` and
/// `err`; returns the exit code: 0 success, 1 findings at the failing level, 2 could not run.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let parsed = Cli::command()
        .try_get_matches_from(args)
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let text = render::terminal::clean(&e.render().to_string()).into_owned();
            return if e.use_stderr() {
                let _ = err.write_all(text.as_bytes());
                2
            } else {
                let _ = out.write_all(text.as_bytes());
                0
            };
        }
    };
    let err_style = cli.color.style(std::io::stderr().is_terminal());
    let out_style = cli.color.style(std::io::stdout().is_terminal());
    // Nothing the plan, its file names or its history hold reaches a terminal raw.
    let mut out = render::terminal::Clean::new(out, out_style.color);
    let mut err = render::terminal::Clean::new(err, err_style.color);
    let (out, err): (&mut dyn Write, &mut dyn Write) = (&mut out, &mut err);
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => return fail(&Error::WorkingDirectory(e), err, err_style),
    };
    let mut context = Context {
        data: cli.data.clone(),
        cwd,
        style: out_style,
        err_style,
        interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
        lock_timeout: std::time::Duration::from_secs(cli.lock_timeout),
        shared: None,
        matches,
        out,
        err,
    };
    match command::run(&cli.command, &mut context) {
        Ok(code) => code,
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => fail(&e, context.err, err_style),
    }
}

fn fail(error: &Error, err: &mut dyn Write, style: Style) -> u8 {
    let mut text = format!("{} {error}\n", style.paint("1;31", "error:"));
    if let Some(help) = error.help() {
        text = format!("{text}  {} {help}\n", style.paint("1", "help:"));
    }
    let _ = err.write_all(text.as_bytes());
    2
}
