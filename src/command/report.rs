//! `iisg report`: who does what, what is funded, where, when, what is late, what nothing
//! answers, and where partners may duplicate each other.

use std::io::IsTerminal;

use chrono::NaiveDate;

use super::{Context, Format};
use crate::analysis::{coverage, overlap, report, results};
use crate::check;
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
    /// Each logframe row's indicators: baseline → latest value → target, the share of the way
    #[arg(
        long,
        group = "report",
        help_heading = "Reports (one; none for a summary)"
    )]
    pub results: bool,
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
    let data = Data::new(args, &plan);
    let style = context.style;
    let text = match (args.format, &data) {
        (Format::Json, _) => data.json(),
        (Format::Table, Data::Timeline(data)) => {
            gantt::chart(data, terminal_width(style.terminal), style)
        }
        (Format::Table, _) => show::write(&data.sections(false), Layout::Table, style),
        (Format::Csv, _) => show::write(&data.sections(false), Layout::Csv, style),
        (Format::Markdown, _) => show::write(&data.sections(true), Layout::Markdown, style),
    };
    context.out.write_all(text.as_bytes())?;
    if let Data::Overlaps(o) = &data
        && o.partial
    {
        let note = context.err_style.paint("1", "note:");
        writeln!(context.err, "{note} {}", overlap::PARTIAL)?;
    }
    // Files left out are findings: the data is not all there.
    Ok(u8::from(left_out))
}

/// One report, computed: what `--format json` prints, and what the tables show.
#[derive(Clone, Debug)]
pub enum Data {
    /// `--by-partner`.
    ByPartner(Vec<report::PartnerRow>),
    /// `--by-status`.
    ByStatus(Vec<report::StatusRow>),
    /// `--by-financing`.
    ByFinancing(report::FundingReport),
    /// `--by-location`.
    ByLocation(Vec<report::PlaceRow>),
    /// `--timeline`.
    Timeline(report::TimelineReport),
    /// `--coverage`.
    Coverage(coverage::Coverage),
    /// `--overlaps`.
    Overlaps(overlap::Overlaps),
    /// `--overdue`.
    Overdue(Vec<report::OverdueRow>),
    /// `--results`.
    Results(results::Results),
    /// No flag: the summary.
    Summary(report::Summary),
}

impl Data {
    /// The report `args` asks for, over `plan`. `iisg serve` reports through here too.
    #[must_use]
    pub fn new(args: &Args, plan: &Plan) -> Self {
        let as_of = plan.as_of(args.as_of);
        if args.by_partner {
            Self::ByPartner(report::by_partner(plan))
        } else if args.by_status {
            Self::ByStatus(report::by_status(plan))
        } else if args.by_financing {
            Self::ByFinancing(report::by_financing(plan))
        } else if args.by_location {
            Self::ByLocation(report::by_location(plan))
        } else if args.timeline {
            Self::Timeline(report::timeline(plan, as_of))
        } else if args.coverage {
            Self::Coverage(coverage::coverage(plan))
        } else if args.overlaps {
            Self::Overlaps(overlap::ranked(plan))
        } else if args.overdue {
            Self::Overdue(report::overdue(plan, as_of))
        } else if args.results {
            Self::Results(results::results(plan))
        } else {
            let counts = check::count(plan, check::Options { as_of });
            Self::Summary(report::summary(plan, as_of, counts))
        }
    }

    /// How many rows the report has that grow with the plan (one an action: the timeline,
    /// the overdue, the overlaps); 0 for the others.
    #[must_use]
    pub fn long_rows(&self) -> usize {
        match self {
            Self::Timeline(data) => data.actions.len(),
            Self::Overdue(rows) => rows.len(),
            Self::Overlaps(o) => o.cases.len(),
            _ => 0,
        }
    }

    /// Keeps only `take` of those rows after the first `skip`: one page of them, before
    /// its tables are made.
    pub fn keep_rows(&mut self, skip: usize, take: usize) {
        fn keep<T>(rows: &mut Vec<T>, skip: usize, take: usize) {
            rows.drain(..skip.min(rows.len()));
            rows.truncate(take);
        }
        match self {
            Self::Timeline(data) => keep(&mut data.actions, skip, take),
            Self::Overdue(rows) => keep(rows, skip, take),
            Self::Overlaps(o) => keep(&mut o.cases, skip, take),
            _ => {}
        }
    }

    /// What `--format json` prints.
    #[must_use]
    pub fn json(&self) -> String {
        match self {
            Self::ByPartner(rows) => render::json(rows),
            Self::ByStatus(rows) => render::json(rows),
            Self::ByFinancing(data) => render::json(data),
            Self::ByLocation(rows) => render::json(rows),
            Self::Timeline(data) => render::json(data),
            Self::Coverage(data) => render::json(data),
            Self::Overlaps(o) => render::json(&o.cases),
            Self::Overdue(rows) => render::json(rows),
            Self::Results(data) => render::json(data),
            Self::Summary(data) => render::json(data),
        }
    }

    /// The report as titled tables; `bars` draws the timeline's bars in a column.
    #[must_use]
    pub fn sections(&self, bars: bool) -> Vec<show::Section> {
        match self {
            Self::ByPartner(rows) => show::by_partner(rows),
            Self::ByStatus(rows) => show::by_status(rows),
            Self::ByFinancing(data) => show::by_financing(data),
            Self::ByLocation(rows) => show::by_location(rows),
            Self::Timeline(data) => show::timeline_rows(data, bars),
            Self::Coverage(data) => show::coverage(data),
            Self::Overlaps(o) => show::overlaps(&o.cases),
            Self::Overdue(rows) => show::overdue(rows),
            Self::Results(data) => show::results(data),
            Self::Summary(data) => show::summary(data),
        }
    }
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
