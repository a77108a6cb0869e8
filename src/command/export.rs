//! `iisg export`: the whole plan as one document — Markdown for the meeting paper, an HTML
//! dashboard, CSV of the List of Actions, or JSON of everything.

use std::path::PathBuf;

use super::Context;
use crate::error::Error;
use crate::render::{self, action, document, html};
use crate::store::{self, Texts};

/// Arguments of `iisg export`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// What to write
    #[arg(long, value_enum)]
    pub format: Format,
    /// Write to this file (replaced atomically) instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The plan as a document: title, List of Actions, Annex 1 by forum, Annex 2.
    Markdown,
    /// One self-contained page: the actions (filter, sort), a timeline, coverage, partners.
    Html,
    /// The List of Actions, one row per action, in the document's nine columns.
    Csv,
    /// Everything: plan, registries, forums and needs, actions, logframe.
    Json,
}

/// Runs `iisg export`.
///
/// # Errors
/// When the plan cannot be read or the file cannot be written.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let plan = context.load_readable(Texts::Drop)?;
    let text = match args.format {
        Format::Markdown => document::markdown(&plan),
        Format::Html => html::dashboard(&plan),
        Format::Csv => action::grid(&document::action_rows(&plan)).csv(),
        Format::Json => render::json(&document::everything(&plan)),
    };
    match &args.output {
        Some(path) => {
            store::replace(&context.cwd.join(path), text.as_bytes())?;
            writeln!(context.out, "wrote {}", path.display())?;
        }
        None => context.out.write_all(text.as_bytes())?,
    }
    Ok(0)
}
