//! `iisg plan show` and `iisg plan set`: the plan's own fields in `plan.yaml` — its title,
//! the date it was issued, the months it covers, the date its statuses describe (`as_of`)
//! and who keeps it — shown, and changed in place without opening the file.

use chrono::NaiveDate;

use super::{Context, input, show};
use crate::error::Error;
use crate::model::{Month, PlanDraft};
use crate::render::{self, plan::PlanView};
use crate::store::{self, Actions, Change, Plan, Texts};

/// The plan file, inside the plan's folder.
const FILE: &str = "plan.yaml";

/// Arguments of `iisg plan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do with the plan's own fields
    #[command(subcommand)]
    pub command: Subcommand,
}

/// `iisg plan show` or `iisg plan set`.
#[derive(Debug, clap::Subcommand)]
pub enum Subcommand {
    /// Show the plan's title, dates, period and coordinator.
    Show(ShowArgs),
    /// Change the plan's title, dates, period or coordinator: only those values change in
    /// plan.yaml, every other byte stays.
    Set(SetArgs),
}

/// Arguments of `iisg plan show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = show::Format::Table)]
    pub format: show::Format,
}

/// Arguments of `iisg plan set`.
#[derive(Debug, Default, clap::Args)]
#[command(group(
    clap::ArgGroup::new("fields")
        .required(true)
        .multiple(true)
        .args(["as_of", "title", "period", "issued", "coordinator"])
))]
pub struct SetArgs {
    /// The date the statuses describe: YYYY-MM-DD, or `today` (the date the checks for
    /// overdue and completed actions measure against)
    #[arg(long, value_name = "DATE", value_parser = input::date, help_heading = "Fields")]
    pub as_of: Option<NaiveDate>,
    /// The plan's title
    #[arg(long, allow_hyphen_values = true, help_heading = "Fields")]
    pub title: Option<String>,
    /// The months the plan covers, first and last: YYYY-MM (or `July 2018`)
    #[arg(long, num_args = 2, value_names = ["START", "END"], value_parser = input::month, help_heading = "Fields")]
    pub period: Option<Vec<Month>>,
    /// The date the plan was issued: YYYY-MM-DD, or `today`
    #[arg(long, value_name = "DATE", value_parser = input::date, help_heading = "Fields")]
    pub issued: Option<NaiveDate>,
    /// The body that keeps the plan: a partner's code, name or alias
    #[arg(long, value_name = "PARTNER", help_heading = "Fields")]
    pub coordinator: Option<String>,
}

/// Runs `iisg plan`.
///
/// # Errors
/// When `plan.yaml` cannot be read, a value is unknown, the change would add an error to the
/// plan, or the file cannot be written; nothing is written then.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    match &args.command {
        Subcommand::Show(args) => run_show(args, context),
        Subcommand::Set(args) => run_set(args, context),
    }
}

fn run_show(args: &ShowArgs, context: &mut Context) -> Result<u8, Error> {
    let plan = Plan::read(context.read_dir()?, Actions::None, Texts::Drop);
    let left_out = context.tell_left_out(&plan)?;
    let loaded = plan.info.as_ref().ok_or_else(|| unreadable(&plan))?;
    let view = PlanView::new(&plan, loaded);
    let text = match args.format {
        show::Format::Table => view.grid().table(context.style),
        show::Format::Json => render::json(&view),
    };
    context.out.write_all(text.as_bytes())?;
    Ok(u8::from(left_out))
}

fn run_set(args: &SetArgs, context: &mut Context) -> Result<u8, Error> {
    let dir = context.data_dir()?;
    let lock = context.lock(&dir)?;
    let mut plan = context.load_for_change(dir, Texts::Keep)?;
    let Some(set) = set(&plan, args)? else {
        writeln!(context.out, "plan: nothing to change")?;
        return Ok(0);
    };
    context.apply(&mut plan, &lock, std::slice::from_ref(&set.change))?;
    for change in set.old.changes(&set.new) {
        let shown = |v: &str| {
            if v.is_empty() {
                "(none)".to_string()
            } else {
                v.to_string()
            }
        };
        writeln!(
            context.out,
            "plan: {}: {} → {}",
            change.field,
            shown(&change.old),
            shown(&change.new)
        )?;
    }
    writeln!(context.out, "wrote {}", plan.dir.show(FILE))?;
    Ok(0)
}

/// A change to `plan.yaml` worked out: its fields before and after, and the change that
/// writes them.
#[derive(Clone, Debug)]
pub struct Set {
    /// The fields as read.
    pub old: PlanDraft,
    /// The fields as set.
    pub new: PlanDraft,
    /// `plan.yaml` with only the values set rewritten.
    pub change: Change,
}

/// What `plan set` does with `args`, before it is judged: `None` when nothing changes.
/// The web server's plan form calls it too.
///
/// # Errors
/// When the title is empty, `plan.yaml` cannot be read or edited in place, or the
/// coordinator is unknown.
pub fn set(plan: &Plan, args: &SetArgs) -> Result<Option<Set>, Error> {
    if args.title.as_ref().is_some_and(|t| t.trim().is_empty()) {
        return Err(Error::BadArgument(
            "the plan's title cannot be empty; nothing was written".into(),
        ));
    }
    let loaded = plan.info.clone().ok_or_else(|| unreadable(plan))?;
    let old = PlanDraft::from(&*loaded.record);
    let mut new = old.clone();
    if let Some(title) = &args.title {
        new.title.clone_from(title);
    }
    if let Some(issued) = args.issued {
        new.issued = Some(issued);
    }
    if let Some([start, end]) = args.period.as_deref() {
        new.period = (*start, *end);
    }
    if let Some(as_of) = args.as_of {
        new.as_of = Some(as_of);
    }
    if let Some(coordinator) = &args.coordinator {
        new.coordinator = input::resolve(&plan.partners, Some(coordinator))?;
    }
    if new == old {
        return Ok(None);
    }
    let text = store::rewrite_plan(&loaded, &new).map_err(|e| Error::Refused {
        message: format!("{e}; nothing was written"),
        help: Some(format!(
            "plan.yaml is written in a form iisg cannot edit in place: change it in an \
             editor (`{}`)",
            loaded.file.shown()
        )),
    })?;
    let change = Change::Replace {
        relative: FILE.into(),
        old: loaded.file.text.clone(),
        text,
    };
    Ok(Some(Set { old, new, change }))
}

/// `plan.yaml` could not be read: the findings were told already.
fn unreadable(plan: &Plan) -> Error {
    Error::Refused {
        message: format!("`{}` could not be read", plan.dir.show(FILE)),
        help: Some("fix what the finding above names; `iisg validate` shows every finding".into()),
    }
}
