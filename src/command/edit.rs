//! `iisg edit ID`: change an action in place. With flags, only the edited values' text
//! changes; without, the file opens in `$VISUAL`/`$EDITOR` and is written back only if it
//! validates.
//!
//! The list and notes flags take effect in the order they are given on the command line, so
//! `--remove-financing JOO --add-financing JOO` means "JOO, as now written", and the reverse
//! order removes it. An entry the action keeps keeps its place in the list.

use std::path::PathBuf;
use std::process::Command;

use super::{Context, input, prompt};
use crate::error::Error;
use crate::model::{Action, ActionDraft, FieldChange, Funding, Status};
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
    /// New notes, replacing the old ones
    #[arg(long, allow_hyphen_values = true, help_heading = "Fields")]
    pub notes: Option<String>,
    /// A line to add at the end of the notes, keeping what they say (repeatable)
    #[arg(
        long,
        value_name = "TEXT",
        allow_hyphen_values = true,
        help_heading = "Fields"
    )]
    pub add_notes: Vec<String>,
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
    /// there changes to confirmed or tentative as written. The list flags take effect in the
    /// order given: `--remove-financing JOO --add-financing JOO?` keeps JOO in its place, now
    /// tentative; the other way round removes it.
    #[arg(long, value_name = "SOURCE", help_heading = "Lists")]
    pub add_financing: Vec<String>,
    /// Remove a funding source (repeatable)
    #[arg(long, value_name = "SOURCE", help_heading = "Lists")]
    pub remove_financing: Vec<String>,
    /// Turn a source's tentative money into confirmed money (repeatable)
    #[arg(long, value_name = "SOURCE", help_heading = "Lists")]
    pub confirm_financing: Vec<String>,
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
            || !self.add_notes.is_empty()
            || !self.lead.is_empty()
            || !self.add_involved.is_empty()
            || !self.remove_involved.is_empty()
            || !self.add_location.is_empty()
            || !self.remove_location.is_empty()
            || !self.add_financing.is_empty()
            || !self.remove_financing.is_empty()
            || !self.confirm_financing.is_empty()
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
                found.file.shown(),
                other.file.shown()
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
    found(context, &plan, args.id)?;
    let steps = steps(args, context.matches.subcommand_matches("edit"));
    let edited = edited(&plan, args, &steps)?;
    for note in &edited.notes {
        let label = context.err_style.paint("1", "note:");
        writeln!(context.err, "{label} action {}: {note}", args.id)?;
    }
    let Some(change) = edited.change()? else {
        writeln!(context.out, "action {}: nothing to change", args.id)?;
        return Ok(0);
    };
    context.apply(&mut plan, &lock, &[change])?;
    let file = edited.loaded.file.shown();
    report(context, args.id, &edited.old.changes(&edited.new), file)
}

/// An edit worked out against the plan: the action as read and as the edit leaves it.
#[derive(Clone, Debug)]
pub struct Edited {
    /// The action as read, with its file's text.
    pub loaded: Loaded<Action>,
    /// Its fields as read.
    pub old: ActionDraft,
    /// Its fields once edited.
    pub new: ActionDraft,
    /// What to tell that is not a change (money confirmed already).
    pub notes: Vec<String>,
}

impl Edited {
    /// The change that writes the edit, every other byte of the file kept; `None` when the
    /// edit changes nothing.
    ///
    /// # Errors
    /// When the file is written in a form that cannot be edited in place.
    pub fn change(&self) -> Result<Option<Change>, Error> {
        if self.new == self.old {
            return Ok(None);
        }
        let text = store::rewrite_action(&self.loaded, &self.new).map_err(|_| not_in_place())?;
        Ok(Some(replacement(&self.loaded, text)))
    }
}

/// The edit of action `args.id` in `plan`: the fields of `args` (title, scope, timeline,
/// status, requested by, lead), then `steps` in their order. What `edit` does with flags and
/// the web server with a form or a `PATCH`, before it is judged.
///
/// # Errors
/// When there is no such action (or two), a value is unknown, or a step cannot be taken.
pub fn edited(plan: &Plan, args: &Args, steps: &[Step]) -> Result<Edited, Error> {
    let loaded = find(plan, args.id)?.clone();
    let old = ActionDraft::from(&*loaded.record);
    let (new, notes) = apply(args, steps, plan, &old)?;
    Ok(Edited {
        loaded,
        old,
        new,
        notes,
    })
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
        // Lines added to the notes are shown alone, not with all the notes twice.
        let added = (change.field == "notes" && !change.old.is_empty())
            .then(|| change.new.strip_prefix(change.old.as_str()))
            .flatten();
        match added {
            Some(lines) => {
                for line in lines.lines().filter(|l| !l.is_empty()) {
                    writeln!(context.out, "action {id}: notes: + {line}")?;
                }
            }
            None => writeln!(
                context.out,
                "action {id}: {}: {} → {}",
                change.field,
                shown(&change.old),
                shown(&change.new)
            )?,
        }
    }
    writeln!(context.out, "wrote {file}")?;
    Ok(0)
}

fn shown(value: &str) -> &str {
    if value.is_empty() { "(none)" } else { value }
}

/// One list or notes flag with its value, to be taken in command-line order; or a whole
/// list given anew (a form's field, a `PATCH`'s key), each value a code, name or alias.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step<'a> {
    /// The involved partners, all of them.
    Involved(&'a [String]),
    /// The places, all of them.
    Locations(&'a [String]),
    /// The funding, all of it (`CODE?` tentative).
    Financing(&'a [String]),
    /// The needs it answers, all of them.
    Addresses(&'a [String]),
    /// `--add-involved`.
    AddInvolved(&'a str),
    /// `--remove-involved`.
    RemoveInvolved(&'a str),
    /// `--add-location`.
    AddLocation(&'a str),
    /// `--remove-location`.
    RemoveLocation(&'a str),
    /// `--add-financing`.
    AddFinancing(&'a str),
    /// `--remove-financing`.
    RemoveFinancing(&'a str),
    /// `--confirm-financing`.
    ConfirmFinancing(&'a str),
    /// `--add-addresses`.
    AddAddresses(&'a str),
    /// `--remove-addresses`.
    RemoveAddresses(&'a str),
    /// `--notes`: the notes replaced (empty: none).
    Notes(&'a str),
    /// `--add-notes`.
    AddNotes(&'a str),
}

/// A flag's id, its values, and the step each value makes.
type Flag<'a> = (&'static str, &'a [String], fn(&'a str) -> Step<'a>);

/// The list and notes flags in the order they were given: by their place on the command
/// line, which `matches` keeps (without it, as the flags are declared, adds before removes).
fn steps<'a>(args: &'a Args, matches: Option<&clap::ArgMatches>) -> Vec<Step<'a>> {
    let flags: [Flag<'a>; 11] = [
        ("add_involved", &args.add_involved, Step::AddInvolved),
        (
            "remove_involved",
            &args.remove_involved,
            Step::RemoveInvolved,
        ),
        ("add_location", &args.add_location, Step::AddLocation),
        (
            "remove_location",
            &args.remove_location,
            Step::RemoveLocation,
        ),
        ("add_financing", &args.add_financing, Step::AddFinancing),
        (
            "remove_financing",
            &args.remove_financing,
            Step::RemoveFinancing,
        ),
        (
            "confirm_financing",
            &args.confirm_financing,
            Step::ConfirmFinancing,
        ),
        ("add_addresses", &args.add_addresses, Step::AddAddresses),
        (
            "remove_addresses",
            &args.remove_addresses,
            Step::RemoveAddresses,
        ),
        ("notes", args.notes.as_slice(), Step::Notes),
        ("add_notes", &args.add_notes, Step::AddNotes),
    ];
    let at = |id: &str, count: usize, declared: usize| -> Vec<usize> {
        matches
            .and_then(|m| m.indices_of(id))
            .map(Iterator::collect::<Vec<usize>>)
            .filter(|at| at.len() == count)
            .unwrap_or_else(|| (0..count).map(|i| (declared + 1) * 100_000 + i).collect())
    };
    let mut steps: Vec<(usize, Step<'a>)> = Vec::new();
    for (declared, (id, values, step)) in flags.into_iter().enumerate() {
        let places = at(id, values.len(), declared);
        steps.extend(places.into_iter().zip(values.iter().map(|v| step(v))));
    }
    steps.sort_by_key(|(place, _)| *place);
    steps.into_iter().map(|(_, step)| step).collect()
}

/// The action as the flags would leave it, with notes to tell (money already confirmed).
fn apply(
    args: &Args,
    steps: &[Step],
    plan: &Plan,
    old: &ActionDraft,
) -> Result<(ActionDraft, Vec<String>), Error> {
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
        // Nothing given (a form's blank choice) is no requester.
        let by = Some(by.as_str()).filter(|b| !b.trim().is_empty());
        new.requested_by = input::resolve(&plan.places, by)?;
    }
    if !args.lead.is_empty() {
        new.lead = input::codes(&plan.partners, &args.lead)?;
    }
    let mut editing = Editing {
        needs: new.addresses.clone().unwrap_or_default(),
        new,
        notes: Vec::new(),
        added_notes: false,
    };
    for step in steps {
        editing.take(*step, plan)?;
    }
    let Editing {
        mut new,
        needs,
        notes,
        ..
    } = editing;
    if steps.iter().any(|s| {
        matches!(
            s,
            Step::AddAddresses(_) | Step::RemoveAddresses(_) | Step::Addresses(_)
        )
    }) {
        let before = old.addresses.as_deref().unwrap_or_default();
        new.addresses = Some(in_place(before, needs, Clone::clone));
    }
    new.involved = in_place(&old.involved, new.involved, Clone::clone);
    new.locations = in_place(&old.locations, new.locations, Clone::clone);
    new.financing = in_place(&old.financing, new.financing, |f: &Funding| {
        f.source.clone()
    });
    Ok((new, notes))
}

/// An action part-way through the list and notes flags.
struct Editing {
    new: ActionDraft,
    /// The needs it addresses, so far.
    needs: Vec<String>,
    /// What to tell that is not a change.
    notes: Vec<String>,
    /// Whether `--add-notes` came already.
    added_notes: bool,
}

impl Editing {
    /// Takes one flag.
    fn take(&mut self, step: Step, plan: &Plan) -> Result<(), Error> {
        let new = &mut self.new;
        let one = |value: &str| vec![value.to_string()];
        let partners = |v| input::codes(&plan.partners, &one(v));
        let places = |v| input::codes(&plan.places, &one(v));
        match step {
            Step::Involved(all) => new.involved = input::codes(&plan.partners, all)?,
            Step::Locations(all) => new.locations = input::codes(&plan.places, all)?,
            Step::Financing(all) => new.financing = input::funding(plan, all)?,
            Step::Addresses(all) => self.needs = input::needs(plan, all)?,
            Step::AddInvolved(v) => add(&mut new.involved, partners(v)?),
            Step::RemoveInvolved(v) => {
                remove(&mut new.involved, &partners(v)?, "involved partners")?;
            }
            Step::AddLocation(v) => add(&mut new.locations, places(v)?),
            Step::RemoveLocation(v) => remove(&mut new.locations, &places(v)?, "locations")?,
            Step::AddFinancing(v) => {
                for funding in input::funding(plan, &one(v))? {
                    match new
                        .financing
                        .iter_mut()
                        .find(|f| f.source == funding.source)
                    {
                        Some(existing) => existing.tentative = funding.tentative,
                        None => new.financing.push(funding),
                    }
                }
            }
            Step::RemoveFinancing(v) => {
                for gone in input::funding(plan, &one(v))? {
                    let before = new.financing.len();
                    new.financing.retain(|f| f.source != gone.source);
                    if new.financing.len() == before {
                        return Err(not_there(&gone.source, "financing"));
                    }
                }
            }
            Step::ConfirmFinancing(v) => {
                for wanted in input::funding(plan, &one(v))? {
                    if let Some(note) = confirm(&mut new.financing, &wanted.source)? {
                        self.notes.push(note);
                    }
                }
            }
            Step::AddAddresses(v) => add(&mut self.needs, input::needs(plan, &one(v))?),
            Step::RemoveAddresses(v) => {
                remove(&mut self.needs, &input::needs(plan, &one(v))?, "addresses")?;
            }
            Step::Notes(text) => {
                if self.added_notes {
                    return Err(Error::Refused {
                        message: "`--notes` replaces the notes, and with them the line \
                                  `--add-notes` gave before it; nothing was written"
                            .into(),
                        help: Some(
                            "give `--notes` first to replace the notes and then add lines, or \
                             only `--add-notes` to keep them"
                                .into(),
                        ),
                    });
                }
                // Notes replaced by nothing are no notes.
                new.notes = Some(text.to_string()).filter(|t| !t.trim().is_empty());
            }
            Step::AddNotes(text) => {
                if text.trim().is_empty() {
                    return Err(Error::BadArgument(
                        "`--add-notes` needs some text; nothing was written".into(),
                    ));
                }
                new.add_notes(text);
                self.added_notes = true;
            }
        }
        Ok(())
    }
}

/// Turns `source`'s tentative money into confirmed money; a note when it is confirmed
/// already.
///
/// # Errors
/// When the action has no such source.
fn confirm(financing: &mut [Funding], source: &str) -> Result<Option<String>, Error> {
    match financing.iter_mut().find(|f| f.source == source) {
        Some(f) if f.tentative => {
            f.tentative = false;
            Ok(None)
        }
        Some(_) => Ok(Some(format!(
            "`{source}`'s money is confirmed already; nothing to confirm"
        ))),
        None => Err(Error::Refused {
            message: format!(
                "`{source}` is not among the action's financing, so there is nothing to \
                 confirm; nothing was written"
            ),
            help: Some(format!(
                "to add it as confirmed money: `--add-financing {source}`"
            )),
        }),
    }
}

/// The list `new`, with the entries it shares with `old` (by `key`) in their old places and
/// order, then the others as they came: a source removed and added again stays where it was.
fn in_place<T: Clone, K: PartialEq>(old: &[T], new: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let old_keys: Vec<K> = old.iter().map(&key).collect();
    let (mut kept, added): (Vec<T>, Vec<T>) = new
        .into_iter()
        .partition(|item| old_keys.contains(&key(item)));
    kept.sort_by_key(|item| old_keys.iter().position(|k| *k == key(item)));
    kept.extend(added);
    kept
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
                let new = parse_record::<Action>(&text, loaded.file.shown())
                    .map_or_else(|_| old.clone(), |a| ActionDraft::from(&a));
                break report(context, id, &old.changes(&new), loaded.file.shown());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_kept_keep_their_places() {
        let codes = |v: &[&str]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
        let case = |old: &[&str], new: &[&str], expected: &[&str]| {
            assert_eq!(
                in_place(&codes(old), codes(new), Clone::clone),
                codes(expected)
            );
        };
        case(&["A", "B", "C"], &["B", "C", "A"], &["A", "B", "C"]);
        case(&["A", "B", "C"], &["C", "D", "A"], &["A", "C", "D"]);
        case(&["A", "B"], &[], &[]);
        case(&[], &["B", "A"], &["B", "A"]);
    }

    #[test]
    fn steps_follow_the_command_line() {
        use clap::{CommandFactory, FromArgMatches};
        let line = [
            "iisg",
            "edit",
            "6",
            "--remove-financing",
            "JOO",
            "--add-notes",
            "x",
            "--add-financing",
            "JOO",
            "--notes",
            "n",
            "--remove-financing",
            "TAIEX",
        ];
        let matches = crate::Cli::command().try_get_matches_from(line).unwrap();
        let cli = crate::Cli::from_arg_matches(&matches).unwrap();
        let crate::command::Command::Edit(args) = cli.command else {
            panic!("not edit")
        };
        assert_eq!(
            steps(&args, matches.subcommand_matches("edit")),
            [
                Step::RemoveFinancing("JOO"),
                Step::AddNotes("x"),
                Step::AddFinancing("JOO"),
                Step::Notes("n"),
                Step::RemoveFinancing("TAIEX"),
            ]
        );
        // Without the command line's places: as declared, adds before removes, `--notes`
        // before `--add-notes`.
        assert_eq!(
            steps(&args, None),
            [
                Step::AddFinancing("JOO"),
                Step::RemoveFinancing("JOO"),
                Step::RemoveFinancing("TAIEX"),
                Step::Notes("n"),
                Step::AddNotes("x"),
            ]
        );
    }
}
