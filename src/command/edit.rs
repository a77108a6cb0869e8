//! `iisg edit ID`: change an action in place. With flags, only the edited values' text
//! changes; without, the file opens in `$VISUAL`/`$EDITOR` and is written back only if it
//! validates.

use std::path::PathBuf;
use std::process::Command;

use super::{Context, input, prompt};
use crate::error::Error;
use crate::model::{Action, ActionDraft, FieldChange, Status};
use crate::store::{self, Actions, Change, Loaded, Plan, Texts, WriteError, parse_record};

/// Arguments of `iisg edit`.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct Args {
    /// The action's id
    #[arg(value_parser = super::input::IdParser, allow_negative_numbers = true)]
    pub id: i64,
    /// A new title
    #[arg(long, allow_hyphen_values = true, help_heading = "Fields")]
    pub title: Option<String>,
    /// A new scope
    #[arg(long, allow_hyphen_values = true, help_heading = "Fields")]
    pub scope: Option<String>,
    /// A new timeline
    #[arg(long, allow_hyphen_values = true, help_heading = "Fields")]
    pub timeline: Option<String>,
    /// A new status: requested, planned, in-progress, completed, postponed or cancelled, in any case; done,
    /// ongoing, on hold and the like are understood
    #[arg(long, value_parser = Status::parse_words, help_heading = "Fields")]
    pub status: Option<Status>,
    /// Who requested it (a place)
    #[arg(long, value_name = "PLACE", help_heading = "Fields")]
    pub requested_by: Option<String>,
    /// New notes
    #[arg(long, allow_hyphen_values = true, help_heading = "Fields")]
    pub notes: Option<String>,
    /// The lead partners, replacing the current ones (repeatable)
    #[arg(long, value_name = "PARTNER", help_heading = "Lists")]
    pub lead: Vec<String>,
    /// Add an involved partner (repeatable)
    #[arg(long, value_name = "PARTNER", help_heading = "Lists")]
    pub add_involved: Vec<String>,
    /// Remove an involved partner (repeatable)
    #[arg(long, value_name = "PARTNER", help_heading = "Lists")]
    pub remove_involved: Vec<String>,
    /// Add a place (repeatable)
    #[arg(long, value_name = "PLACE", help_heading = "Lists")]
    pub add_location: Vec<String>,
    /// Remove a place (repeatable)
    #[arg(long, value_name = "PLACE", help_heading = "Lists")]
    pub remove_location: Vec<String>,
    /// Add a funding source; end it with `?` when tentative (repeatable). A source already
    /// there changes to confirmed or tentative as written.
    #[arg(long, value_name = "SOURCE", help_heading = "Lists")]
    pub add_financing: Vec<String>,
    /// Remove a funding source (repeatable)
    #[arg(long, value_name = "SOURCE", help_heading = "Lists")]
    pub remove_financing: Vec<String>,
    /// Add an Annex 1 need it answers (repeatable)
    #[arg(long, value_name = "NEED", help_heading = "Lists")]
    pub add_addresses: Vec<String>,
    /// Remove a need (repeatable)
    #[arg(long, value_name = "NEED", help_heading = "Lists")]
    pub remove_addresses: Vec<String>,
}

impl Args {
    fn has_flags(&self) -> bool {
        self.title.is_some()
            || self.scope.is_some()
            || self.timeline.is_some()
            || self.status.is_some()
            || self.requested_by.is_some()
            || self.notes.is_some()
            || !self.lead.is_empty()
            || !self.add_involved.is_empty()
            || !self.remove_involved.is_empty()
            || !self.add_location.is_empty()
            || !self.remove_location.is_empty()
            || !self.add_financing.is_empty()
            || !self.remove_financing.is_empty()
            || !self.add_addresses.is_empty()
            || !self.remove_addresses.is_empty()
    }
}

/// Runs `iisg edit`.
///
/// # Errors
/// When there is no such action, a value is unknown, the change would make the plan wrong,
/// or the file cannot be written; the file is untouched then.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    if args.has_flags() {
        with_flags(args, context)
    } else {
        in_editor(args.id, context)
    }
}

/// The one loaded action with this id; when there is none, the files that could not be read
/// are named first (one of them may be the action).
fn found(context: &mut Context, plan: &Plan, id: i64) -> Result<Loaded<Action>, Error> {
    match find(plan, id) {
        Ok(loaded) => Ok(loaded.clone()),
        Err(Error::NoSuchAction(id)) => {
            context.tell_left_out(plan)?;
            Err(Error::NoSuchAction(id))
        }
        Err(e) => Err(e),
    }
}

/// The one loaded action with this id.
fn find(plan: &Plan, id: i64) -> Result<&Loaded<Action>, Error> {
    let mut matches = plan
        .actions
        .iter()
        .filter(|a| a.record.number() == Some(id));
    let found = matches.next().ok_or(Error::NoSuchAction(id))?;
    if let Some(other) = matches.next() {
        return Err(Error::Refused {
            message: format!(
                "two files hold action {id}: {} and {}",
                found.file.shown, other.file.shown
            ),
            help: Some(format!(
                "give one of them a free id first: `iisg renumber {id} --to N`"
            )),
        });
    }
    Ok(found)
}

fn with_flags(args: &Args, context: &mut Context) -> Result<u8, Error> {
    let dir = context.data_dir()?;
    let lock = context.lock(&dir)?;
    let mut plan = context.load_for_change(dir, Texts::Keep)?;
    let loaded = found(context, &plan, args.id)?;
    let old = ActionDraft::from(&*loaded.record);
    let new = apply(args, &plan, &old)?;
    if new == old {
        writeln!(context.out, "action {}: nothing to change", args.id)?;
        return Ok(0);
    }
    let text = store::rewrite_action(&loaded, &new).map_err(|_| not_in_place())?;
    context.apply(&mut plan, &lock, &[replacement(&loaded, text)])?;
    report(context, args.id, &old.changes(&new), &loaded.file.shown)
}

/// The change that gives the action's file `text`.
fn replacement(loaded: &Loaded<Action>, text: String) -> Change {
    Change::Replace {
        relative: loaded.relative(),
        old: loaded.file.text.clone(),
        text,
    }
}

fn not_in_place() -> Error {
    Error::Refused {
        message: "this file is written in a form iisg cannot edit in place; nothing was written"
            .into(),
        help: Some("make the change in an editor: `iisg edit ID` with no flags".into()),
    }
}

fn report(
    context: &mut Context,
    id: i64,
    changes: &[FieldChange],
    file: &str,
) -> Result<u8, Error> {
    for change in changes {
        writeln!(
            context.out,
            "action {id}: {}: {} → {}",
            change.field,
            shown(&change.old),
            shown(&change.new)
        )?;
    }
    writeln!(context.out, "wrote {file}")?;
    Ok(0)
}

fn shown(value: &str) -> &str {
    if value.is_empty() { "(none)" } else { value }
}

/// The action as the flags would leave it.
fn apply(args: &Args, plan: &Plan, old: &ActionDraft) -> Result<ActionDraft, Error> {
    let mut new = old.clone();
    if let Some(title) = &args.title {
        new.title.clone_from(title);
    }
    if let Some(scope) = &args.scope {
        new.scope.clone_from(scope);
    }
    if let Some(timeline) = &args.timeline {
        new.timeline.clone_from(timeline);
    }
    if let Some(status) = args.status {
        new.status = status;
    }
    if let Some(by) = &args.requested_by {
        new.requested_by = input::resolve(&plan.places, "location", Some(by))?;
    }
    if let Some(notes) = &args.notes {
        new.notes = Some(notes.clone());
    }
    if !args.lead.is_empty() {
        new.lead = input::codes(&plan.partners, "partner", &args.lead)?;
    }
    let involved = input::codes(&plan.partners, "partner", &args.add_involved)?;
    add(&mut new.involved, involved);
    let gone = input::codes(&plan.partners, "partner", &args.remove_involved)?;
    remove(&mut new.involved, &gone, "involved partners")?;
    add(
        &mut new.locations,
        input::codes(&plan.places, "location", &args.add_location)?,
    );
    let gone = input::codes(&plan.places, "location", &args.remove_location)?;
    remove(&mut new.locations, &gone, "locations")?;
    for funding in input::funding(plan, &args.add_financing)? {
        match new
            .financing
            .iter_mut()
            .find(|f| f.source == funding.source)
        {
            Some(existing) => existing.tentative = funding.tentative,
            None => new.financing.push(funding),
        }
    }
    for gone in input::funding(plan, &args.remove_financing)? {
        let before = new.financing.len();
        new.financing.retain(|f| f.source != gone.source);
        if new.financing.len() == before {
            return Err(not_there(&gone.source, "financing"));
        }
    }
    if !args.add_addresses.is_empty() || !args.remove_addresses.is_empty() {
        let mut needs = new.addresses.clone().unwrap_or_default();
        add(&mut needs, input::needs(plan, &args.add_addresses)?);
        remove(
            &mut needs,
            &input::needs(plan, &args.remove_addresses)?,
            "addresses",
        )?;
        new.addresses = Some(needs);
    }
    Ok(new)
}

fn add(list: &mut Vec<String>, codes: Vec<String>) {
    for code in codes {
        if !list.contains(&code) {
            list.push(code);
        }
    }
}

fn remove(list: &mut Vec<String>, codes: &[String], what: &'static str) -> Result<(), Error> {
    for code in codes {
        let before = list.len();
        list.retain(|c| c != code);
        if list.len() == before {
            return Err(not_there(code, what));
        }
    }
    Ok(())
}

fn not_there(code: &str, what: &str) -> Error {
    Error::Refused {
        message: format!("`{code}` is not among the action's {what}; nothing was written"),
        help: Some("`iisg show ID` shows the action as it is".into()),
    }
}

/// Opens a copy in the editor; writes it back only when it validates. The copy lives in a
/// private folder (mode 0700, a name nobody can guess); when the change is refused, the
/// copy is kept and its place said, so that nothing typed is lost.
fn in_editor(id: i64, context: &mut Context) -> Result<u8, Error> {
    let dir = context.data_dir()?;
    let plan = context.load_for_change(dir.clone(), Texts::Keep)?;
    let loaded = found(context, &plan, id)?;
    drop(plan);
    let folder = store::private_folder("iisg-edit-")?;
    let name = loaded.relative().trim_start_matches("actions/").to_string();
    let copy = folder.join(&name);
    let io = |path: &PathBuf, source| {
        Error::Write(WriteError::Io {
            path: path.clone(),
            source,
        })
    };
    write_private(&copy, &loaded.file.text).map_err(|e| io(&copy, e))?;
    let result = loop {
        if let Err(e) = open_editor(&copy) {
            break Err(e);
        }
        let text = match read_private(&copy) {
            Ok(text) => text,
            Err(e) => break Err(io(&copy, e)),
        };
        if text == loaded.file.text {
            writeln!(context.out, "action {id}: nothing changed")?;
            break Ok(0);
        }
        // Judged and written under the lock, against the plan as it is now: the file must
        // still hold what the editor was opened on.
        let written = context.lock(&dir).and_then(|lock| {
            let mut plan = Plan::read(dir.clone(), Actions::All, Texts::Keep);
            context.apply(&mut plan, &lock, &[replacement(&loaded, text.clone())])
        });
        match written {
            Ok(()) => {
                let old = ActionDraft::from(&*loaded.record);
                let new = parse_record::<Action>(&text, &loaded.file.shown)
                    .map_or_else(|_| old.clone(), |a| ActionDraft::from(&a));
                break report(context, id, &old.changes(&new), &loaded.file.shown);
            }
            Err(rejected) if context.interactive => {
                writeln!(context.err, "{rejected}")?;
                if prompt::choose("Re-open the editor (r) or abort (a)?", &['r', 'a'])? == 'a' {
                    break Err(Error::Interrupted);
                }
            }
            Err(rejected) => break Err(rejected),
        }
    };
    if result.is_ok() {
        let _ = std::fs::remove_file(&copy);
        let _ = std::fs::remove_dir(&folder);
    } else if read_private(&copy).is_ok_and(|t| t != loaded.file.text) {
        writeln!(
            context.err,
            "{} your edited copy is kept in `{}`",
            context.err_style.paint("1", "note:"),
            copy.display()
        )?;
    } else {
        let _ = std::fs::remove_file(&copy);
        let _ = std::fs::remove_dir(&folder);
    }
    result
}

/// Writes a new file only its owner can read, never through a link.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

/// Reads the copy back, never through a link, at most as much as a plan file may hold.
fn read_private(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read as _;
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::other("the copy was replaced by a link"));
    }
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(store::MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)?;
    Ok(text)
}

/// Runs the editor on a file, through the shell so that editors with arguments (`code
/// --wait`) work: the first of `$VISUAL`, `$EDITOR`, git's `core.editor`, then `nano` (which
/// says on screen how to save and leave) where it is installed, else `vi`.
fn open_editor(path: &PathBuf) -> Result<(), Error> {
    let set = |value: Option<String>| value.filter(|e| !e.trim().is_empty());
    let editor = set(std::env::var("VISUAL").ok())
        .or_else(|| set(std::env::var("EDITOR").ok()))
        .or_else(|| {
            let out = Command::new("git")
                .args(["config", "--get", "core.editor"])
                .stdin(std::process::Stdio::null())
                .output()
                .ok()?;
            set(String::from_utf8(out.stdout)
                .ok()
                .map(|e| e.trim().to_string()))
        })
        .unwrap_or_else(|| {
            let nano = Command::new("sh")
                .args(["-c", "command -v nano"])
                .stdout(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if nano { "nano" } else { "vi" }.into()
        });
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("iisg-editor")
        .arg(path)
        .status()
        .map_err(|e| Error::Refused {
            message: format!("cannot start the editor `{editor}`: {e}"),
            help: Some("set VISUAL or EDITOR to an editor that is installed".into()),
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Refused {
            message: format!("the editor `{editor}` failed ({status}); nothing was written"),
            help: None,
        })
    }
}
