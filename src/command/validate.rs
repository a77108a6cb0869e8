//! `iisg validate`: every rule over the whole plan, every finding in one run.

use chrono::NaiveDate;

use super::Context;
use crate::check;
use crate::diagnostic::{Code, Diagnostic, count};
use crate::error::Error;
use crate::render::{self, diagnostic as show};
use crate::store;

/// Arguments of `iisg validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 1) on warnings too, not only on errors
    #[arg(long)]
    pub strict: bool,
    /// The date the date rules measure against [default: `as_of` in plan.yaml, else today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Explain one rule, with an example, and exit
    #[arg(long, value_name = "CODE", conflicts_with = "list_rules")]
    pub explain: Option<String>,
    /// List every rule with its severity and description, and exit
    #[arg(long)]
    pub list_rules: bool,
}

/// How `validate` prints its findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Like rustc: the place, the source line with a caret, a help line; then a count.
    Human,
    /// An array of findings.
    Json,
    /// GitHub Actions workflow commands, which annotate a pull request.
    Github,
}

/// Runs `iisg validate`.
///
/// # Errors
/// When there is no plan to validate, or `--explain` names no rule.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    if let Some(name) = &args.explain {
        let code = Code::from_name(name).ok_or_else(|| {
            Error::BadArgument(format!(
                "no rule is called `{name}`; `iisg validate --list-rules` lists them"
            ))
        })?;
        context.out.write_all(show::explain(code).as_bytes())?;
        return Ok(0);
    }
    if args.list_rules {
        let text = match args.format {
            Format::Json => render::json(&show::rules()),
            Format::Human | Format::Github => show::rules_grid().table(context.style),
        };
        context.out.write_all(text.as_bytes())?;
        return Ok(0);
    }
    let dir = context.data_dir()?;
    let timeout = context.lock_timeout;
    let (plan, findings) = read_and_check(dir, args.as_of, timeout, &mut |dir| {
        context.hold_shared(dir)
    })?;
    let text = match args.format {
        Format::Human => {
            // A batch at a time, its files read again: the report of 72,000 findings of a
            // plan of 100,000 actions is never held whole (20 MB), nor every text it quotes.
            for batch in findings.chunks(4096) {
                let texts = plan.texts(batch.iter().map(|f| f.file.as_str()));
                let source = |shown: &str| texts.get(shown).map(AsRef::as_ref);
                let text = show::report(batch, &source, context.style);
                context.out.write_all(text.as_bytes())?;
            }
            show::summary(&findings, plan.file_count())
        }
        Format::Json => {
            render::write_json(context.out, &findings)?;
            String::new()
        }
        Format::Github => show::github(&findings),
    };
    context.out.write_all(text.as_bytes())?;
    // Freeing a plan of 100,000 files takes 40 ms: a worker does it, and the process may
    // end before it is done.
    let files = plan.file_count();
    crate::par::drop_later(plan, files);
    let (errors, warnings) = count(&findings);
    let failing = errors > 0 || (args.strict && warnings > 0);
    Ok(u8::from(failing))
}

/// Every finding of the plan in `dir`, as `validate` tells them: a change a killed iisg
/// left half-made first, then every rule's. `hold` takes the shared lock, after looking for
/// that change (which takes the lock exclusive) and before reading. `iisg serve` checks
/// through here too.
///
/// # Errors
/// When `hold` cannot take the lock.
pub fn read_and_check(
    dir: store::DataDir,
    as_of: Option<NaiveDate>,
    timeout: std::time::Duration,
    hold: &mut dyn FnMut(&store::DataDir) -> Result<(), Error>,
) -> Result<(store::Plan, Vec<Diagnostic>), Error> {
    let interrupted = interrupted(&dir, timeout);
    hold(&dir)?;
    let (plan, mut findings) = check::read_and_check(dir, as_of);
    findings.splice(0..0, interrupted);
    Ok((plan, findings))
}

/// A change that a killed iisg left half-made and that could not be resolved (the data
/// folder is read-only, or a file changed since): the plan may hold part of it. `iisg
/// serve` tells it first among its findings too.
#[must_use]
pub fn interrupted(dir: &store::DataDir, timeout: std::time::Duration) -> Option<Diagnostic> {
    if !store::pending(dir) {
        return None;
    }
    // Taking the lock tries once more to resolve it, and says why it cannot.
    let wait = store::Wait {
        timeout,
        waiting: &mut |_| {},
    };
    let reason = match dir.lock_waiting(wait) {
        Err(e) => e.to_string(),
        Ok(_) => return None,
    };
    Some(
        Diagnostic::new(Code::InterruptedChange, reason, dir.show(store::JOURNAL)).help(
            "the plan may hold part of a change: check the files it names with `git status` \
             and `git diff`, restore or finish them by hand, then remove the journal",
        ),
    )
}
