//! `iisg changes --since REV [--until REV]`: the actions and logframe rows added, removed or
//! modified between two git revisions (or a revision and the working tree), with the fields
//! that changed.

use super::{Context, Format};
use crate::analysis::changes;
use crate::error::Error;
use crate::render;
use crate::store::{Actions, Plan, Repo, Texts};

/// Arguments of `iisg changes`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The older revision: a commit, branch or tag (`HEAD~3`, `main`, `v1.0`)
    #[arg(long, value_name = "REV")]
    pub since: String,
    /// The newer revision [default: the working tree, with changes not yet committed]
    #[arg(long, value_name = "REV")]
    pub until: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `iisg changes`.
///
/// # Errors
/// When git is missing, the plan is not in a git repository, or a revision is unknown.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let dir = context.data_dir()?;
    let repo = Repo::open(&dir)?;
    let since = repo.commit(&args.since)?;
    let until = args.until.as_deref().map(|r| repo.commit(r)).transpose()?;
    let old = repo.plan_at(&since)?;
    skipped(context, &old, &format!("`{}`", args.since))?;
    let new = if let (Some(commit), Some(name)) = (&until, &args.until) {
        let plan = repo.plan_at(commit)?;
        skipped(context, &plan, &format!("`{name}`"))?;
        plan
    } else {
        let plan = Plan::read(dir, Actions::All, Texts::Keep);
        skipped(context, &plan, "the working tree")?;
        plan
    };
    let found = changes::compare(&old, &new);
    let text = match args.format {
        Format::Table if found.is_empty() => {
            let until = args
                .until
                .as_deref()
                .map_or_else(|| "the working tree".to_string(), |r| format!("`{r}`"));
            format!(
                "no action or logframe row changed between `{}` and {until}\n",
                args.since
            )
        }
        Format::Table => render::changes::grid(&found).table(context.style),
        Format::Json => render::json(&found),
        Format::Csv => render::changes::csv_grid(&found).csv(),
        Format::Markdown => render::changes::grid(&found).markdown(),
    };
    context.out.write_all(text.as_bytes())?;
    Ok(0)
}

/// Warns about the record files of a version that could not be read: they are left out of
/// the comparison. (Other files do not take part in it.)
fn skipped(context: &mut Context, plan: &Plan, at: &str) -> Result<(), Error> {
    let records = [plan.dir.show("actions/"), plan.dir.show("logframe/")];
    for problem in &plan.problems {
        if records.iter().any(|r| problem.file.starts_with(r.as_str())) {
            let place = match problem.line {
                0 => problem.file.clone(),
                line => format!("{}:{line}:{}", problem.file, problem.column),
            };
            writeln!(
                context.err,
                "{} skipped `{place}` at {at}: {}",
                context.err_style.paint("1;33", "warning:"),
                problem.message
            )?;
        }
    }
    Ok(())
}
