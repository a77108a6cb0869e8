//! `iisg export`: the whole plan as one document — Markdown for the meeting paper, an HTML
//! dashboard, CSV of the List of Actions, or JSON of everything.

use std::path::PathBuf;

use super::Context;
use crate::error::Error;
use crate::render::{self, action, document, html};
use crate::store::{self, Actions, Plan, Texts};

/// Arguments of `iisg export`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// What to write
    #[arg(long, value_enum)]
    pub format: Format,
    /// Write to this file instead of standard output: a new file, or a regular file replaced
    /// atomically (never a device, FIFO, folder or link, nor anything in the plan's folder)
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
    let dir = context.read_dir()?;
    let plan = Plan::read(dir, Actions::All, Texts::Drop);
    let left_out = context.tell_left_out(&plan)? | context.tell_duplicate_ids(&plan)?;
    if let Some(path) = &args.output {
        refuse_inside(&plan, &context.cwd.join(path))?;
    }
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
    // Files left out are findings: the data is not all there.
    Ok(u8::from(left_out))
}

/// An export never lands in the plan's folder, where it would replace or add a plan file.
fn refuse_inside(plan: &store::Plan, path: &std::path::Path) -> Result<(), Error> {
    if plan.dir.contains(path) {
        return Err(Error::Refused {
            message: format!(
                "refusing to write `{}`: it is inside the plan's folder `{}`; nothing was written",
                path.display(),
                plan.dir.shown
            ),
            help: Some("write the export somewhere outside the plan's folder".into()),
        });
    }
    Ok(())
}
