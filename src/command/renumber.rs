//! `iisg renumber ID --to NEW`: give an action a free id. When two branches each added "action
//! 29", the merge holds two files with one id; this moves one of them to a free id: only the
//! `id:` value changes in the text, and the file is renamed to match.
//!
//! Actions only: logframe rows are few and added rarely enough to renumber by hand.

use std::path::PathBuf;

use super::Context;
use crate::error::Error;
use crate::model::{Action, ActionDraft, IDS};
use crate::store::{self, Change, Loaded, Plan, Texts};

/// Arguments of `iisg renumber`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The action's id now
    #[arg(value_parser = super::input::IdParser, allow_negative_numbers = true)]
    pub id: i64,
    /// Its new id: a number from 1 to 999999 that no action and no file name uses
    #[arg(
        long,
        value_name = "NEW",
        value_parser = super::input::IdParser,
        allow_negative_numbers = true
    )]
    pub to: i64,
    /// Which file to renumber when several hold the id [default: the one whose name sorts
    /// last, usually the one added last]
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
}

/// Runs `iisg renumber`.
///
/// # Errors
/// When no action has the id, the new id is taken, the change would add an error to the
/// plan, or the files cannot be written; nothing is changed then. (Clap refuses an id
/// outside the range.)
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let dir = context.data_dir()?;
    let lock = context.lock(&dir)?;
    let mut plan = context.load_for_change(dir, Texts::Keep)?;
    let loaded = pick(&plan, args)?.clone();
    refuse_taken(&plan, args.to)?;

    let old_relative = format!("actions/{}", file_name(&loaded));
    let new_relative = format!("actions/{}", renamed(&file_name(&loaded), args.to));
    let mut renumbered = ActionDraft::from(&*loaded.record);
    renumbered.id = args.to;
    let text = store::rewrite_action(&loaded, &renumbered).map_err(|_| not_in_place())?;
    // The new file and the old one's removal are one change: never the action twice.
    let rename = Change::Rename {
        from: old_relative.clone(),
        old: loaded.file.text.clone(),
        to: new_relative.clone(),
        text,
    };
    context.apply(&mut plan, &lock, &[rename])?;
    writeln!(
        context.out,
        "action {} is now action {}: {} → {}",
        args.id,
        args.to,
        plan.dir.show(&old_relative),
        plan.dir.show(&new_relative)
    )?;
    Ok(0)
}

/// The file to renumber: the one `--file` names, or of several with the id the one whose
/// name sorts last.
fn pick<'a>(plan: &'a Plan, args: &Args) -> Result<&'a Loaded<Action>, Error> {
    let mut holding: Vec<&Loaded<Action>> = plan
        .actions
        .iter()
        .filter(|a| a.record.number() == Some(args.id))
        .collect();
    holding.sort_by_key(|a| file_name(a));
    let Some(file) = &args.file else {
        return holding.pop().ok_or(Error::NoSuchAction(args.id));
    };
    let wanted = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if holding.is_empty() {
        return Err(Error::NoSuchAction(args.id));
    }
    let names: Vec<String> = holding.iter().map(|a| a.file.shown().to_string()).collect();
    holding
        .into_iter()
        .find(|a| file_name(a) == wanted)
        .ok_or_else(|| Error::Refused {
            message: format!(
                "`{}` does not hold action {}; nothing was written",
                file.display(),
                args.id
            ),
            help: Some(format!(
                "action {} is in {}",
                args.id,
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        })
}

/// Refuses an id that an action, or the name of a file in the actions folder, already uses.
fn refuse_taken(plan: &Plan, id: i64) -> Result<(), Error> {
    let by_record = plan.actions.iter().find(|a| a.record.id.value == id);
    let by_name = plan
        .actions
        .iter()
        .find(|a| leading_number(&file_name(a)) == Some(id));
    if let Some(taken) = by_record.or(by_name) {
        let help = match plan.next_id::<Action>() {
            Some(next) => format!("choose a free id: {next} is the next one"),
            None => format!(
                "choose an id from {} to {} that no action uses",
                IDS.start(),
                IDS.end()
            ),
        };
        return Err(Error::Refused {
            message: format!(
                "id {id} is taken: `{}` uses it; nothing was written",
                taken.file.shown()
            ),
            help: Some(help),
        });
    }
    Ok(())
}

fn not_in_place() -> Error {
    Error::Refused {
        message: "the file's `id` is written in a form iisg cannot change in place; nothing was \
                  written"
            .into(),
        help: Some("change `id` in an editor and rename the file to match".into()),
    }
}

/// The file's name, without its folder.
fn file_name(loaded: &Loaded<Action>) -> String {
    loaded
        .file
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// The number a file name starts with.
fn leading_number(name: &str) -> Option<i64> {
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The file name with the new id in front, zero-padded as new files are, keeping the slug:
/// `029-border-training.yaml` → `030-border-training.yaml`.
fn renamed(name: &str, id: i64) -> String {
    let rest = name.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = if rest.starts_with(['-', '.']) {
        rest.to_string()
    } else {
        format!("-{rest}")
    };
    format!("{id:03}{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str, id: i64, expected: &str) {
        assert_eq!(renamed(name, id), expected, "{name}");
    }

    #[test]
    fn names_keep_their_slug() {
        case("029-border-training.yaml", 30, "030-border-training.yaml");
        case("29-x.yaml", 1000, "1000-x.yaml");
        case("029.yaml", 7, "007.yaml");
        case("training.yaml", 30, "030-training.yaml");
    }
}
