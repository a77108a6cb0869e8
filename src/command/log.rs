//! `iisg log ID | --logframe N | --partner CODE | --location CODE | --funding CODE`: the
//! history of one record from git, followed through renamed files and renumbers: each
//! commit that added, changed, renumbered or removed it, newest first, with the fields it
//! changed and the title it had then.

use super::{Context, Format};
use crate::analysis::history::{self, Subject};
use crate::error::Error;
use crate::model::{Entry, RegistryKind};
use crate::render::{self, changes::EventRow};
use crate::store::{Actions, Plan, Repo, Texts};

/// Arguments of `iisg log`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("record").required(true).multiple(false)))]
pub struct Args {
    /// The action's id
    #[arg(value_parser = super::input::IdParser, allow_negative_numbers = true, group = "record")]
    pub id: Option<i64>,
    /// A logframe row's history instead, by its id
    #[arg(long, value_name = "N", value_parser = super::input::IdParser, group = "record")]
    pub logframe: Option<i64>,
    /// A partner's history, by its code, name or alias
    #[arg(long, value_name = "CODE", group = "record")]
    pub partner: Option<String>,
    /// A place's history, by its code, name or alias
    #[arg(long, value_name = "CODE", group = "record")]
    pub location: Option<String>,
    /// A funding source's history, by its code, name or alias
    #[arg(long, value_name = "CODE", group = "record")]
    pub funding: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `iisg log`.
///
/// # Errors
/// When git is missing, the plan is not in a git repository, or no commit and no file holds
/// the record.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let dir = context.data_dir()?;
    let repo = Repo::open(&dir)?;
    let plan = Plan::read(dir, Actions::Where(&|_| false), Texts::Drop);
    let (subject, noun) = subject(args, &plan);
    let history = history::follow(&repo, &subject)?;
    for line in &history.skipped {
        writeln!(
            context.err,
            "{} skipped {line}",
            context.err_style.paint("1;33", "warning:")
        )?;
    }
    let events = history.events;
    if events.is_empty() {
        let here = match &subject {
            Subject::Action(id) => {
                let wanted = |action: &crate::model::Action| action.number() == Some(*id);
                let mut plan = plan;
                plan.read_actions(Actions::Where(&wanted), Texts::Drop);
                if plan.action(*id).is_none() {
                    return Err(Error::NoSuchAction(*id));
                }
                true
            }
            Subject::Logframe(id) => plan.logframe.iter().any(|r| r.record.id.value == *id),
            Subject::Entry(kind, code) => match kind {
                RegistryKind::Partners => plan.partners.get(code).is_some(),
                RegistryKind::Funding => plan.funding.get(code).is_some(),
                RegistryKind::Locations => plan.places.get(code).is_some(),
            },
        };
        if !here {
            return Err(Error::BadArgument(format!(
                "no commit and no file holds {noun}"
            )));
        }
        if args.format == Format::Table {
            writeln!(
                context.out,
                "{noun} is in no commit yet: its history starts when it is committed"
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

/// What to follow, and how a message names it. A registry entry is named by its code, or
/// by a name or alias the plan knows now; a code the plan no longer has is taken as it is.
fn subject(args: &Args, plan: &Plan) -> (Subject, String) {
    if let Some(id) = args.logframe {
        return (Subject::Logframe(id), format!("logframe row {id}"));
    }
    let entry = [
        (RegistryKind::Partners, &args.partner),
        (RegistryKind::Locations, &args.location),
        (RegistryKind::Funding, &args.funding),
    ]
    .into_iter()
    .find_map(|(kind, text)| Some((kind, text.as_deref()?)));
    if let Some((kind, text)) = entry {
        let known = match kind {
            RegistryKind::Partners => plan.partners.resolve(text).map(|e| e.code().value.clone()),
            RegistryKind::Funding => plan.funding.resolve(text).map(|e| e.code().value.clone()),
            RegistryKind::Locations => plan.places.resolve(text).map(|e| e.code().value.clone()),
        };
        let code = known.unwrap_or_else(|| text.trim().to_string());
        let noun = format!("{} `{code}`", kind.noun());
        return (Subject::Entry(kind, code), noun);
    }
    let id = args.id.unwrap_or_default();
    (Subject::Action(id), format!("action {id}"))
}
