//! `iisg`: a plan of actions kept as plain YAML files, listed, checked and reported on.
//!
//! The binary is a thin shell over [`run`]; everything else lives in layers, each using only
//! the ones below it: `command` → `render` → `analysis`/`store` → `model`.

pub mod analysis;
pub mod check;
pub mod command;
pub mod diagnostic;
pub mod error;
pub mod model;
pub mod render;
pub mod store;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, ValueEnum};

use command::{Command, Context};
pub use error::Error;
use render::Style;

/// Keep a plan of actions in plain YAML files: list, check, change and report on it.
#[derive(Debug, Parser)]
#[command(name = "iisg", version, max_term_width = 100)]
pub struct Cli {
    /// The plan's folder, the one holding plan.yaml [default: data/ in the working
    /// directory or the nearest folder above it]
    #[arg(long, global = true, env = "IISG_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// When to colour the output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    fn style(self, terminal: bool) -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => terminal && !no_color,
        };
        Style { terminal, color }
    }
}

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
            let text = e.render().to_string();
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
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => return fail(&Error::WorkingDirectory(e), err, err_style),
    };
    let mut context = Context {
        data: cli.data.clone(),
        cwd,
        style: cli.color.style(std::io::stdout().is_terminal()),
        err_style,
        interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
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
