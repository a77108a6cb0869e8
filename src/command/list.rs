//! `iisg list`: the actions that pass the filters.

use chrono::NaiveDate;

use super::input::resolve;
use super::{Context, Format};
use crate::analysis::filter::Filter;
use crate::error::Error;
use crate::model::{Action, Month, MonthError, Status};
use crate::render::{self, action::ActionRow};
use crate::store::{Actions, DataDir, Loaded, Plan, Texts};

/// Arguments of `iisg list`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which actions.
    #[command(flatten)]
    pub filters: Filters,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table, help_heading = "Output")]
    pub format: Format,
}

/// The filters of `list`, and of the exports that choose actions (`export --format ics`).
#[derive(Clone, Debug, Default, clap::Args)]
pub struct Filters {
    /// Only actions with this status (repeat or separate with commas for several): the
    /// status names in any case, or words such as done or ongoing
    #[arg(long, value_parser = Status::parse_words, value_delimiter = ',', help_heading = "Filters")]
    pub status: Vec<Status>,
    /// Only actions this partner leads or is involved in (code, name or alias)
    #[arg(long, value_name = "PARTNER", help_heading = "Filters")]
    pub partner: Option<String>,
    /// Only actions this partner leads (code, name or alias)
    #[arg(long, value_name = "PARTNER", help_heading = "Filters")]
    pub lead: Option<String>,
    /// Only actions in this place or any place inside it (code, name or alias)
    #[arg(long, value_name = "PLACE", help_heading = "Filters")]
    pub location: Option<String>,
    /// Only actions this funding source pays for, confirmed or tentative
    #[arg(long, value_name = "SOURCE", help_heading = "Filters")]
    pub financing: Option<String>,
    /// Only actions whose window ends before this month (`2019-06`, `June 2019`) or day
    /// (`2019-06-15`)
    #[arg(long, value_name = "MONTH", help_heading = "Filters")]
    pub due_before: Option<String>,
    /// Only actions whose window ended before the plan's `as_of` date and that are neither
    /// completed nor cancelled
    #[arg(long, help_heading = "Filters")]
    pub overdue: bool,
    /// The date `--overdue` measures against [default: `as_of` in plan.yaml, else today]
    #[arg(long, value_name = "DATE", help_heading = "Filters")]
    pub as_of: Option<NaiveDate>,
    /// Only actions whose title or scope contains this text (any case)
    #[arg(long, value_name = "TEXT", help_heading = "Filters")]
    pub search: Option<String>,
}

impl Filters {
    /// Whether any filter is given.
    #[must_use]
    pub fn any(&self) -> bool {
        !self.status.is_empty()
            || self.partner.is_some()
            || self.lead.is_some()
            || self.location.is_some()
            || self.financing.is_some()
            || self.due_before.is_some()
            || self.overdue
            || self.search.is_some()
    }
}

/// Runs `iisg list`.
///
/// # Errors
/// When the plan cannot be read or a filter names something unknown.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let (plan, filter) = read(&args.filters, context.read_dir()?);
    let left_out = context.tell_left_out(&plan)? | context.tell_duplicate_ids(&plan)?;
    filter?;
    let rows = rows(&plan);
    let text = match args.format {
        // An empty table says nothing to a person: say it in words.
        Format::Table if rows.is_empty() => {
            if plan.next_id::<Action>() == Some(1) {
                "The plan has no actions yet: `iisg add-action` adds one, `iisg import FILE` a \
                 table of them.\n"
                    .to_string()
            } else {
                "No action matches.\n".to_string()
            }
        }
        Format::Table => render::action::grid(&rows).table(context.style),
        Format::Json => render::json(&rows),
        Format::Csv => render::action::grid(&rows).csv(),
        Format::Markdown => render::action::grid(&rows).markdown(),
    };
    context.out.write_all(text.as_bytes())?;
    // Files left out are findings: the data is not all there.
    Ok(u8::from(left_out))
}

/// Reads what `list` lists from `dir`: the registries, to read the filters, then only the
/// actions that pass them; and the filter, or why a flag names nothing. The plan comes
/// back in both cases, so that every file that cannot be read is told before a filter
/// that names nothing. `iisg serve` reads through here too.
pub fn read(args: &Filters, dir: DataDir) -> (Plan, Result<Filter, Error>) {
    let mut plan = Plan::read(dir, Actions::None, Texts::Drop);
    let filter = filter(args, &plan);
    let keep = |action: &Action| filter.as_ref().is_ok_and(|f| f.matches(action));
    plan.read_actions(Actions::Where(&keep), Texts::Drop);
    (plan, filter)
}

/// The plan's actions as `list` prints them, sorted by id (and file, for a duplicate id).
#[must_use]
pub fn rows(plan: &Plan) -> Vec<ActionRow<'_>> {
    sorted(plan.actions.iter())
        .into_iter()
        .map(ActionRow::new)
        .collect()
}

/// The actions of a plan read whole that pass `filter`, in `list`'s order: what [`read`]
/// and [`rows`] give, for `iisg serve`, which keeps the plan read and makes rows only of
/// the page it shows.
#[must_use]
pub fn matching<'a>(plan: &'a Plan, filter: &Filter) -> Vec<&'a Loaded<Action>> {
    sorted(plan.actions.iter().filter(|a| filter.matches(&a.record)))
}

fn sorted<'a>(actions: impl Iterator<Item = &'a Loaded<Action>>) -> Vec<&'a Loaded<Action>> {
    let mut actions: Vec<_> = actions.collect();
    actions.sort_by(|a, b| {
        (a.record.id.value, a.file.shown()).cmp(&(b.record.id.value, b.file.shown()))
    });
    actions
}

/// Turns the flags into a filter of registry codes.
///
/// # Errors
/// When a flag names nothing the registries know, or a day that is none.
pub fn filter(args: &Filters, plan: &Plan) -> Result<Filter, Error> {
    let as_of = plan.as_of(args.as_of);
    Ok(Filter {
        statuses: args.status.clone(),
        partner: resolve(&plan.partners, args.partner.as_deref())?,
        lead: resolve(&plan.partners, args.lead.as_deref())?,
        places: resolve(&plan.places, args.location.as_deref())?
            .map(|code| plan.places.within_closure(&code)),
        financing: resolve(&plan.funding, args.financing.as_deref())?,
        due_before: args.due_before.as_deref().map(parse_day).transpose()?,
        overdue_at: args.overdue.then_some(as_of),
        search: args.search.as_ref().map(|s| s.to_lowercase()),
    })
}

/// A day (`2019-06-15`), or a month (`2019-06`, `June 2019`) meaning its first day.
fn parse_day(text: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .or_else(|| Month::parse(text).map(Month::first_day))
        .ok_or_else(|| {
            Error::BadArgument(match Month::read(text) {
                Err(why @ (MonthError::Year(_) | MonthError::NoSuchMonth(_))) => {
                    format!("`{text}`: {why}")
                }
                _ => format!(
                    "`{text}` is not a month or a day: write `2019-06`, `June 2019` or `2019-06-15`"
                ),
            })
        })
}
