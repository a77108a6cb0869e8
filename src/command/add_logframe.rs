//! `iisg add-logframe`: a new row of the logical framework, checked before it is written.

use super::{Context, input, prompt};
use crate::error::Error;
use crate::model::{LogframeDraft, LogframeRow};
use crate::store::yaml;
use crate::store::{Texts, slug};

/// Arguments of `iisg add-logframe`.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct Args {
    /// The outcome, as written
    #[arg(long, help_heading = "Fields")]
    pub outcome: Option<String>,
    /// An objective under the outcome (repeatable, in order)
    #[arg(long, value_name = "TEXT", help_heading = "Fields")]
    pub objective: Vec<String>,
    /// An output of the objective given before it (repeatable)
    #[arg(long, value_name = "TEXT", help_heading = "Fields")]
    pub output: Vec<String>,
    /// An Annex 1 need the row answers (repeatable)
    #[arg(long = "addresses", value_name = "NEED", help_heading = "Fields")]
    pub addresses: Vec<String>,
    /// Free text
    #[arg(long, help_heading = "Fields")]
    pub notes: Option<String>,
    /// Print the file that would be written, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `iisg add-logframe`.
///
/// # Errors
/// When a value is missing or unknown, the row would make the plan wrong, or the file
/// cannot be written; nothing is written then.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let mut objectives = objectives(args, context)?;
    let mut outcome = args.outcome.clone();
    if context.interactive && outcome.is_none() {
        outcome = Some(prompt::ask("Outcome:", "as written", None, true, None)?);
        loop {
            let text = prompt::ask(
                "Objective:",
                "Enter when there are no more",
                None,
                false,
                None,
            )?;
            if text.is_empty() {
                break;
            }
            let mut outputs = Vec::new();
            loop {
                let output = prompt::ask(
                    "  Output:",
                    "Enter when there are no more",
                    None,
                    false,
                    None,
                )?;
                if output.is_empty() {
                    break;
                }
                outputs.push(output);
            }
            objectives.push((text, outputs));
        }
    }
    let outcome = outcome.ok_or(Error::Missing("outcome"))?;
    let dir = context.data_dir()?;
    let lock = context.lock(&dir)?;
    let mut plan = context.load_for_change(dir, Texts::Keep)?;
    let draft = LogframeDraft {
        id: plan
            .next_id::<LogframeRow>()
            .ok_or_else(|| Error::NoFreeId("logframe row".into()))?,
        outcome,
        addresses: input::needs(&plan, &args.addresses)?,
        objectives,
        notes: args.notes.clone().filter(|n| !n.trim().is_empty()),
    };
    let slug = slug(&draft.outcome, 48);
    let render = |id| {
        yaml::logframe_row(&LogframeDraft {
            id,
            ..draft.clone()
        })
    };
    context.add_record::<LogframeRow>(
        (&mut plan, &lock),
        (draft.id, &slug),
        (&render, &[]),
        "logframe row",
        args.dry_run,
    )
}

/// The objectives with their outputs: each `--output` belongs to the `--objective` given
/// before it on the command line.
fn objectives(args: &Args, context: &Context) -> Result<Vec<(String, Vec<String>)>, Error> {
    let matches = context.matches.subcommand_matches("add-logframe");
    let positions = |id: &str| -> Vec<usize> {
        matches
            .and_then(|m| m.indices_of(id))
            .map(Iterator::collect)
            .unwrap_or_default()
    };
    let objective_at = positions("objective");
    let output_at = positions("output");
    let mut objectives: Vec<(String, Vec<String>)> = args
        .objective
        .iter()
        .map(|o| (o.clone(), Vec::new()))
        .collect();
    for (output, at) in args.output.iter().zip(
        output_at
            .iter()
            .copied()
            .chain(std::iter::repeat(usize::MAX)),
    ) {
        let owner = objective_at.iter().rposition(|&o| o < at);
        match owner {
            Some(index) => objectives[index].1.push(output.clone()),
            None => {
                return Err(Error::Refused {
                    message: format!("the output `{output}` comes before any `--objective`"),
                    help: Some("give each `--output` after the `--objective` it belongs to".into()),
                });
            }
        }
    }
    Ok(objectives)
}
