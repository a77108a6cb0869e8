//! One file per subcommand: parse its arguments, call below, hand the data to render.

pub mod list;
pub mod show;
pub mod validate;

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use crate::error::Error;
use crate::render::{self, Style};
use crate::store::{DataDir, Plan};

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List actions, filtered, as a table, JSON, CSV or Markdown.
    List(list::Args),
    /// Show one action: every field, the names behind its codes, the needs it answers.
    Show(show::Args),
    /// Check the whole plan: every rule, every finding of every file in one run.
    Validate(validate::Args),
}

/// What every command gets: where the plan is, how to draw, where to write.
pub struct Context<'a> {
    /// `--data` or `IISG_DATA`, if given.
    pub data: Option<PathBuf>,
    /// The working directory, where the search for `data/` starts.
    pub cwd: PathBuf,
    /// How standard output is drawn.
    pub style: Style,
    /// How standard error is drawn.
    pub err_style: Style,
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error.
    pub err: &'a mut dyn Write,
}

impl Context<'_> {
    /// The plan's folder: as named, or found by walking up.
    ///
    /// # Errors
    /// When there is none.
    pub fn data_dir(&self) -> Result<DataDir, Error> {
        match &self.data {
            Some(dir) => DataDir::named(&self.cwd.join(dir)).map(|mut d| {
                d.shown = dir.to_string_lossy().trim_end_matches('/').to_string();
                if d.shown.is_empty() {
                    d.shown = "/".into();
                }
                d
            }),
            None => DataDir::discover(&self.cwd),
        }
    }

    /// Loads the whole plan, refusing to go on when some file could not be read.
    ///
    /// # Errors
    /// When there is no plan, or some of its files could not be read.
    pub fn load_readable(&mut self) -> Result<Plan, Error> {
        let plan = Plan::load(self.data_dir()?);
        if plan.problems.is_empty() {
            return Ok(plan);
        }
        let source = |shown: &str| plan.sources.get(shown).map(|f| f.text.as_str());
        for problem in &plan.problems {
            let text = render::diagnostic::human(problem, &source, self.err_style);
            writeln!(self.err, "{text}")?;
        }
        Err(Error::Unreadable {
            count: plan.problems.len(),
        })
    }
}

/// Runs a subcommand; the result is the exit code.
///
/// # Errors
/// When the command could not run (exit code 2).
pub fn run(command: &Command, context: &mut Context) -> Result<u8, Error> {
    match command {
        Command::List(args) => list::run(args, context),
        Command::Show(args) => show::run(args, context),
        Command::Validate(args) => validate::run(args, context),
    }
}
