//! `iisg show ID`: one action in full.

use super::Context;
use crate::error::Error;
use crate::model::Action;
use crate::render::{self, action::ActionDetail};
use crate::store::{Actions, Plan, Texts};

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

/// Runs `iisg show`.
///
/// # Errors
/// When the plan cannot be read or no action has the id.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    // Everything but the actions, then the actions read one by one, keeping the one asked for.
    let wanted = |action: &Action| action.number() == Some(args.id);
    let plan = Plan::read(context.read_dir()?, Actions::Where(&wanted), Texts::Drop);
    context.refuse_unreadable(&plan)?;
    let action = plan.action(args.id).ok_or(Error::NoSuchAction(args.id))?;
    let detail = ActionDetail::new(&plan, action);
    let text = match args.format {
        Format::Table => detail.grid().table(context.style),
        Format::Json => render::json(&detail),
    };
    context.out.write_all(text.as_bytes())?;
    Ok(0)
}
