//! `iisg show ID`: one action in full.

use super::Context;
use crate::error::Error;
use crate::model::Action;
use crate::render::{self, action::ActionDetail};
use crate::store::{Actions, DataDir, Plan, Texts};

/// Arguments of `iisg show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The action's id
    #[arg(value_parser = super::input::IdParser, allow_negative_numbers = true)]
    pub id: i64,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// How `show` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table of fields.
    Table,
    /// One JSON object.
    Json,
}

/// Reads what `show` shows from `dir`: everything but the actions, then the actions read
/// one by one, keeping those with the id. `iisg serve` reads through here too.
#[must_use]
pub fn read(id: i64, dir: DataDir) -> Plan {
    let wanted = |action: &Action| action.number() == Some(id);
    Plan::read(dir, Actions::Where(&wanted), Texts::Drop)
}

/// Runs `iisg show`.
///
/// # Errors
/// When the plan cannot be read or no action has the id.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let plan = read(args.id, context.read_dir()?);
    let left_out = context.tell_left_out(&plan)?;
    let action = plan.action(args.id).ok_or(Error::NoSuchAction(args.id))?;
    let twins: Vec<&str> = plan
        .actions
        .iter()
        .filter(|a| a.record.number() == Some(args.id))
        .map(|a| a.file.shown())
        .collect();
    if twins.len() > 1 {
        writeln!(
            context.err,
            "{} {} files hold action {}: {}; this is `{}`\n  {} give the others a free id: `iisg renumber {} --file PATH --to N`",
            context.err_style.paint("1;33", "warning:"),
            twins.len(),
            args.id,
            twins
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", "),
            action.file.shown(),
            context.err_style.paint("1", "help:"),
            args.id,
        )?;
    }
    let left_out = left_out || twins.len() > 1;
    let detail = ActionDetail::new(&plan, action);
    let text = match args.format {
        Format::Table => detail.grid().table(context.style),
        Format::Json => render::json(&detail),
    };
    context.out.write_all(text.as_bytes())?;
    // Files left out are findings: the data is not all there.
    Ok(u8::from(left_out))
}
