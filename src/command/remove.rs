//! `iisg remove ID` and `iisg remove --logframe N`: take an action or a logframe row out of
//! the plan, its file removed in one judged transaction, after a yes.
//!
//! One record names another by id: an action's `contributes_to` names logframe rows, and the
//! judge refuses a row's removal while any does (an `unknown-logframe-row` error at each
//! action). Nothing names an action. What a removal can leave behind is a need that nothing
//! answers any more: it is said.

use super::{Context, prompt};
use crate::analysis::coverage::coverage;
use crate::error::Error;
use crate::model::{Action, LogframeRow};
use crate::render::terminal;
use crate::store::{Change, Loaded, Plan, Record, Repo, Texts};

/// Arguments of `iisg remove`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("record").required(true).args(["id", "logframe"])))]
pub struct Args {
    /// The action's id
    #[arg(value_parser = super::input::IdParser, allow_negative_numbers = true)]
    pub id: Option<i64>,
    /// Remove the logframe row with this id instead of an action
    #[arg(
        long,
        value_name = "N",
        value_parser = super::input::IdParser,
        allow_negative_numbers = true
    )]
    pub logframe: Option<i64>,
    /// Remove it without asking; needed where there is no terminal to ask on (scripts, CI)
    #[arg(long, short)]
    pub yes: bool,
}

/// The record to remove, as read.
struct Target {
    /// `action` or `logframe row`.
    kind: &'static str,
    id: i64,
    /// Its title, or a logframe row's outcome.
    title: String,
    /// Its file inside the plan's folder.
    relative: String,
    /// Its file as shown to the user.
    shown: String,
    /// The file's text when read: the removal is refused if it no longer holds it.
    text: String,
}

impl Target {
    /// `action 12 `Joint Operation TUZI II` (data/actions/012-joint-operation-tuzi-ii.yaml)`.
    fn describe(&self) -> String {
        format!(
            "{} {} `{}` ({})",
            self.kind, self.id, self.title, self.shown
        )
    }
}

/// Runs `iisg remove`.
///
/// # Errors
/// When no record has the id, two files hold it, there is no yes, the removal would add an
/// error to the plan, or the file cannot be removed; nothing is changed then.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let dir = context.data_dir()?;
    let mut confirmed = None;
    if !args.yes {
        // Asked before the lock is taken, so that no other command waits while a person
        // thinks; the removal is refused if the file changed meanwhile.
        let plan = context.load_for_change(dir.clone(), Texts::Keep)?;
        let target = find(context, &plan, args)?;
        if !context.interactive {
            return Err(Error::Refused {
                message: format!(
                    "not removing {} without a yes, and there is no terminal to ask on; \
                     nothing was removed",
                    target.describe()
                ),
                help: Some(format!(
                    "add `--yes` to remove it: `iisg remove {}--yes`",
                    flag(args)
                )),
            });
        }
        let question = format!("Remove {}?", terminal::clean(&target.describe()));
        if !prompt::confirm(&question)? {
            writeln!(
                context.out,
                "{} {}: nothing was removed",
                target.kind, target.id
            )?;
            return Ok(0);
        }
        confirmed = Some(target.text);
    }
    let lock = context.lock(&dir)?;
    let mut plan = context.load_for_change(dir, Texts::Keep)?;
    let target = find(context, &plan, args)?;
    if confirmed.is_some_and(|text| text != target.text) {
        return Err(Error::Refused {
            message: format!(
                "{} changed while you were asked; nothing was removed",
                target.describe()
            ),
            help: Some("look at it again (`iisg show ID`), then run the command again".into()),
        });
    }
    let answered_before = coverage(&plan).nothing;
    let removal = Change::Remove {
        relative: target.relative.clone(),
        old: target.text.clone(),
    };
    context.apply(&mut plan, &lock, &[removal])?;
    writeln!(
        context.out,
        "removed {} {}: {}",
        target.kind, target.id, target.shown
    )?;
    let note = context.err_style.paint("1", "note:");
    for need in coverage(&plan).nothing {
        if !answered_before.contains(&need) {
            writeln!(
                context.err,
                "{note} `{need}` is now answered by no action and no logframe row"
            )?;
        }
    }
    if Repo::open(&plan.dir).is_ok() {
        writeln!(
            context.err,
            "{note} git keeps the file's history: `git checkout HEAD -- {}` brings it back",
            target.shown
        )?;
    }
    Ok(0)
}

/// The command line's choice, as typed before `--yes`: `12 ` or `--logframe 3 `.
fn flag(args: &Args) -> String {
    match (args.logframe, args.id) {
        (Some(row), _) => format!("--logframe {row} "),
        (None, Some(id)) => format!("{id} "),
        (None, None) => String::new(),
    }
}

/// The one record the arguments name; when there is none, the files that could not be read
/// are named first (one of them may be it).
fn find(context: &mut Context, plan: &Plan, args: &Args) -> Result<Target, Error> {
    let (found, missing) = match (args.logframe, args.id) {
        (Some(row), _) => (
            one::<LogframeRow>(plan, row, "logframe row", |r| r.outcome.value.clone())?,
            Error::Refused {
                message: format!("no logframe row has id {row}"),
                help: Some(format!(
                    "the logframe rows are the files of `{}`, each named by its id",
                    plan.dir.show(LogframeRow::FOLDER)
                )),
            },
        ),
        (None, Some(id)) => (
            one::<Action>(plan, id, "action", |a| a.title.value.clone())?,
            Error::NoSuchAction(id),
        ),
        (None, None) => return Err(Error::Missing("logframe")),
    };
    if let Some(target) = found {
        return Ok(target);
    }
    context.tell_left_out(plan)?;
    Err(missing)
}

/// The record of kind `T` with this id, if any; refused when two files hold it.
fn one<T: Record>(
    plan: &Plan,
    id: i64,
    kind: &'static str,
    title: impl Fn(&T) -> String,
) -> Result<Option<Target>, Error> {
    let holding: Vec<&Loaded<T>> = T::records(plan)
        .iter()
        .filter(|r| r.record.id() == id)
        .collect();
    match holding[..] {
        [] => Ok(None),
        [loaded] => Ok(Some(Target {
            kind,
            id,
            title: title(&loaded.record),
            relative: loaded.relative(),
            shown: loaded.file.shown().to_string(),
            text: loaded.file.text.clone(),
        })),
        [first, second, ..] => Err(Error::Refused {
            message: format!(
                "two files hold {kind} {id}: `{}` and `{}`; nothing was removed",
                first.file.shown(),
                second.file.shown()
            ),
            help: Some(if T::FOLDER == Action::FOLDER {
                format!("give one of them a free id first: `iisg renumber {id} --file PATH --to N`")
            } else {
                "give one of them a free id first (its `id:` line and its file name)".into()
            }),
        }),
    }
}
