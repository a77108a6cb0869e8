//! `iisg changes --since REV [--until REV]`: what was added, removed or modified in the whole
//! plan between two git revisions (or a revision and the working tree), field by field.

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
    let versions = repo.versions(&since, until.as_deref())?;
    let old = versions.old;
    let scope = |shown: &str| !versions.unchanged.contains(shown);
    skipped(context, &old, &scope, &format!("`{}`", args.since))?;
    let until_name = args
        .until
        .as_deref()
        .map_or_else(|| "the working tree".to_string(), |r| format!("`{r}`"));
    let new = versions
        .new
        .unwrap_or_else(|| Plan::read(dir, Actions::All, Texts::Keep));
    skipped(context, &new, &scope, &until_name)?;
    let found = changes::compare(&old, &new, &scope);
    let text = match args.format {
        Format::Table if found.is_empty() => {
            format!(
                "nothing in the plan changed between `{}` and {until_name}\n",
                args.since
            )
        }
        Format::Table => render::changes::grid(&found).table(context.style),
        Format::Json => render::json(&found),
        Format::Csv => render::changes::csv_grid(&found).csv(),
        Format::Markdown => {
            // Since the date the older version's statuses describe, or its commit's day.
            let since_day = old
                .info
                .as_ref()
                .and_then(|i| i.record.as_of())
                .map_or_else(|| format!("`{}`", args.since), changes::long_date);
            let summary = render::changes::summary(&since_day, &changes::summary(&found));
            if found.is_empty() {
                summary
            } else {
                format!("{summary}\n{}", render::changes::grid(&found).markdown())
            }
        }
    };
    context.out.write_all(text.as_bytes())?;
    Ok(0)
}

/// Warns about the files of a version that could not be read among those compared: they
/// are left out of the comparison.
fn skipped(
    context: &mut Context,
    plan: &Plan,
    scope: &dyn Fn(&str) -> bool,
    at: &str,
) -> Result<(), Error> {
    for problem in &plan.problems {
        if scope(&problem.file) {
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
