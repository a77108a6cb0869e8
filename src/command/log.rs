//! `iisg log ID`: the history of one action, from git: each commit that added, changed or
//! removed it, newest first, with the fields it changed.

use super::{Context, Format};
use crate::analysis::history;
use crate::error::Error;
use crate::model::Action;
use crate::render::{self, changes::EventRow};
use crate::store::{Actions, Plan, Repo, Texts};

/// Arguments of `iisg log`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The action's id
    #[arg(value_parser = super::input::IdParser, allow_negative_numbers = true)]
    pub id: i64,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `iisg log`.
///
/// # Errors
/// When git is missing, the plan is not in a git repository, or no commit and no file holds
/// the action.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let dir = context.data_dir()?;
    let repo = Repo::open(&dir)?;
    let events = history::action(&repo, args.id)?;
    if events.is_empty() {
        let wanted = |action: &Action| action.number() == Some(args.id);
        let plan = Plan::read(dir, Actions::Where(&wanted), Texts::Drop);
        if plan.action(args.id).is_none() {
            return Err(Error::NoSuchAction(args.id));
        }
        if args.format == Format::Table {
            writeln!(
                context.out,
                "action {} is in no commit yet: its history starts when it is committed",
                args.id
            )?;
            return Ok(0);
        }
    }
    let text = match args.format {
        Format::Table => render::changes::history_grid(&events).table(context.style),
        Format::Json => {
            let rows: Vec<EventRow> = events.iter().map(EventRow::new).collect();
            render::json(&rows)
        }
        Format::Csv => render::changes::history_csv_grid(&events).csv(),
        Format::Markdown => render::changes::history_grid(&events).markdown(),
    };
    context.out.write_all(text.as_bytes())?;
    Ok(0)
}
