//! `iisg report`: who does what, what is funded, where, when, what is late, what nothing
//! answers, and where partners may duplicate each other.

use std::io::IsTerminal;

use chrono::NaiveDate;

use super::{Context, Format};
use crate::analysis::{coverage, overlap, report};
use crate::check;
use crate::diagnostic;
use crate::error::Error;
use crate::render::{self, gantt, report as show, report::Layout};
use crate::store::{Actions, Plan, Texts};

/// Arguments of `iisg report`.
#[derive(Clone, Debug, clap::Args)]
// One flag per report, as the design's command line has them; clap keeps them exclusive.
#[allow(clippy::struct_excessive_bools)]
#[command(group(clap::ArgGroup::new("report").multiple(false)))]
pub struct Args {
    /// Per partner: actions led (joint leads count for each), involved in, by status, funding
    #[arg(
        long,
        group = "report",
        help_heading = "Reports (one; none for a summary)"
    )]
    pub by_partner: bool,
    /// Per status: how many actions, and which
    #[arg(
        long,
        group = "report",
        help_heading = "Reports (one; none for a summary)"
    )]
    pub by_status: bool,
    /// Per funding source: actions and how many tentative; then the actions with none
    #[arg(
        long,
        group = "report",
        help_heading = "Reports (one; none for a summary)"
    )]
    pub by_financing: bool,
    /// Per place, nested as the registry says, rolled up into the places that contain it
    #[arg(
        long,
        group = "report",
        help_heading = "Reports (one; none for a summary)"
    )]
    pub by_location: bool,
    /// A Gantt chart over the plan's period, by month
    #[arg(
        long,
        group = "report",
        help_heading = "Reports (one; none for a summary)"
    )]
    pub timeline: bool,
    /// Each need of Annex 1 with what answers it, and the needs nothing answers
    #[arg(
        long,
        group = "report",
        help_heading = "Reports (one; none for a summary)"
    )]
    pub coverage: bool,
    /// Possible duplication between actions, strongest first
    #[arg(
        long,
        group = "report",
        help_heading = "Reports (one; none for a summary)"
    )]
    pub overlaps: bool,
    /// What should have finished by `as_of` and has not
    #[arg(
        long,
        group = "report",
        help_heading = "Reports (one; none for a summary)"
    )]
    pub overdue: bool,
    /// The date the date reports measure against [default: `as_of` in plan.yaml, else today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `iisg report`.
///
/// # Errors
/// When the plan cannot be read.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let dir = context.read_dir()?;
    let plan = Plan::read(dir, Actions::All, Texts::Drop);
    let left_out = context.tell_left_out(&plan)? | context.tell_duplicate_ids(&plan)?;
    let as_of = plan.as_of(args.as_of);
    let layout = match args.format {
        Format::Table | Format::Json => Layout::Table,
        Format::Csv => Layout::Csv,
        Format::Markdown => Layout::Markdown,
    };
    let json = args.format == Format::Json;
    let style = context.style;
    let text = if args.by_partner {
        let rows = report::by_partner(&plan);
        if json {
            render::json(&rows)
        } else {
            show::write(&show::by_partner(&rows), layout, style)
        }
    } else if args.by_status {
        let rows = report::by_status(&plan);
        if json {
            render::json(&rows)
        } else {
            show::write(&show::by_status(&rows), layout, style)
        }
    } else if args.by_financing {
        let data = report::by_financing(&plan);
        if json {
            render::json(&data)
        } else {
            show::write(&show::by_financing(&data), layout, style)
        }
    } else if args.by_location {
        let rows = report::by_location(&plan);
        if json {
            render::json(&rows)
        } else {
            show::write(&show::by_location(&rows), layout, style)
        }
    } else if args.timeline {
        let data = report::timeline(&plan, as_of);
        match args.format {
            Format::Json => render::json(&data),
            Format::Table => gantt::chart(&data, terminal_width(style.terminal), style),
            Format::Csv => show::write(&show::timeline_rows(&data, false), layout, style),
            Format::Markdown => show::write(&show::timeline_rows(&data, true), layout, style),
        }
    } else if args.coverage {
        let data = coverage::coverage(&plan);
        if json {
            render::json(&data)
        } else {
            show::write(&show::coverage(&data), layout, style)
        }
    } else if args.overlaps {
        let rows = overlap::ranked(&plan);
        if json {
            render::json(&rows)
        } else {
            show::write(&show::overlaps(&rows), layout, style)
        }
    } else if args.overdue {
        let rows = report::overdue(&plan, as_of);
        if json {
            render::json(&rows)
        } else {
            show::write(&show::overdue(&rows), layout, style)
        }
    } else {
        let counts = diagnostic::count(&check::check(&plan, check::Options { as_of }));
        let data = report::summary(&plan, as_of, counts);
        if json {
            render::json(&data)
        } else {
            show::write(&show::summary(&data), layout, style)
        }
    };
    context.out.write_all(text.as_bytes())?;
    // Files left out are findings: the data is not all there.
    Ok(u8::from(left_out))
}

/// The terminal's width when writing to one; `COLUMNS`, else 100, otherwise.
fn terminal_width(terminal: bool) -> usize {
    let from_env = || std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
    let measured = (terminal && std::io::stdout().is_terminal())
        .then(|| {
            crossterm::terminal::size()
                .ok()
                .map(|(w, _)| usize::from(w))
        })
        .flatten();
    measured.or_else(from_env).unwrap_or(100).max(40)
}
