//! One file per subcommand: parse its arguments, call below, hand the data to render.

pub mod add_action;
pub mod add_logframe;
pub mod changes;
pub mod cli;
pub mod completions;
pub mod edit;
pub mod export;
pub mod import;
pub mod indicator;
pub mod init;
pub mod input;
pub mod list;
pub mod log;
pub mod man;
pub mod plan;
pub mod progress;
pub mod prompt;
pub mod registry;
pub mod remove;
pub mod renumber;
pub mod report;
pub mod schema;
pub mod serve;
pub mod show;
pub mod validate;

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use crate::check;
use crate::diagnostic::{self, Diagnostic};
use crate::error::Error;
use crate::render::{self, Style};
use crate::store::{self, Actions, Change, DataDir, Lock, Plan, Record, Recovered, Texts};

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add an action: every field as a flag, or asked for on a terminal.
    AddAction(add_action::Args),
    /// Add a row to the logical framework: an outcome, its objectives and their outputs.
    AddLogframe(add_logframe::Args),
    /// What changed between two git revisions, in the whole plan, field by field.
    Changes(changes::Args),
    /// Print a completion script for bash, zsh, fish or PowerShell.
    Completions(completions::Args),
    /// Change an action: only the edited values' text changes; with no flags, in an editor.
    Edit(edit::Args),
    /// The funding sources: add, edit, rename (in every file), remove or list them.
    Funding(registry::Args<registry::FundingFlags>),
    /// Export the whole plan: a Markdown document, an HTML dashboard, CSV or JSON.
    Export(export::Args),
    /// Read a table of actions (the document's List of Actions, TSV or CSV) into the plan.
    Import(import::Args),
    /// A logframe row's indicators: add, edit or remove them (baseline, targets, unit, …).
    Indicator(indicator::Args),
    /// Start a new plan in DIR/data: empty, or the shipped IISG plan with --example.
    Init(init::Args),
    /// The places: add (inside another with --within), edit, rename, remove or list them.
    Location(registry::Args<registry::LocationFlags>),
    /// List actions, filtered, as a table, JSON, CSV or Markdown.
    List(list::Args),
    /// One record's history in git: each commit that changed it, through renumbers.
    Log(log::Args),
    /// Print the manual page, or write every page into a folder.
    Man(man::Args),
    /// The partners: add, edit, rename (in every file), remove or list them.
    Partner(registry::Args<registry::PartnerFlags>),
    /// The plan's own fields in plan.yaml: show them, or set the title, dates and period.
    Plan(plan::Args),
    /// An indicator's progress: a value a month, quarter or year; add, edit or remove them.
    Progress(progress::Args),
    /// Remove an action, or a logframe row, from the plan: asks first, or needs --yes.
    Remove(remove::Args),
    /// Give an action a free id and rename its file (when two branches took one id).
    Renumber(renumber::Args),
    /// Reports for a meeting: partners, money, places, time, coverage, overlaps, what is late.
    Report(report::Args),
    /// Print the JSON Schema of each kind of plan file, for editors and other tools.
    Schema(schema::Args),
    /// The plan in a browser: summary, actions, findings, reports, forms, JSON; who may come in.
    Serve(serve::Args),
    /// Show one action: every field, the names behind its codes, the needs it answers.
    Show(show::Args),
    /// Check the whole plan: every rule, every finding of every file in one run.
    Validate(validate::Args),
}

/// How `list` and `report` print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tables fitted to the terminal, plain ASCII when piped.
    Table,
    /// The data as JSON.
    Json,
    /// Comma-separated rows with a header (several tables: a blank line between).
    Csv,
    /// Markdown tables that paste into a meeting paper.
    Markdown,
}

/// What every command gets: where the plan is, how to draw, where to write.
pub struct Context<'a> {
    /// `--data` or `IISG_DATA`, if given.
    pub data: Option<PathBuf>,
    /// The working directory, where the search for `data/` starts.
    pub cwd: PathBuf,
    /// How standard output is drawn.
    pub style: Style,
    /// How standard error is drawn.
    pub err_style: Style,
    /// Someone is at a terminal to answer questions.
    pub interactive: bool,
    /// How long to wait for the plan's lock.
    pub lock_timeout: std::time::Duration,
    /// The shared lock a reading command holds while it reads.
    pub shared: Option<Lock>,
    /// The parsed command line, for what the derived arguments do not keep (the order of
    /// repeated flags).
    pub matches: clap::ArgMatches,
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error.
    pub err: &'a mut dyn Write,
}

impl Context<'_> {
    /// The plan's folder: as named, or found by walking up. A change that a killed iisg left
    /// half-made there is resolved first, and said on standard error; when it cannot be, a
    /// warning says so and reading goes on (writing commands refuse when they take the lock).
    ///
    /// # Errors
    /// When there is none.
    pub fn data_dir(&mut self) -> Result<DataDir, Error> {
        let dir = self.find_data_dir()?;
        if store::pending(&dir) {
            match self.lock(&dir) {
                Ok(lock) => drop(lock),
                Err(Error::Write(e)) => {
                    let warning = self.err_style.paint("1;33", "warning:");
                    writeln!(self.err, "{warning} {e}")?;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(dir)
    }

    /// The plan's folder, as [`Context::data_dir`], held with a shared lock until the command
    /// ends: for a command that only reads, so that it never reads half of a change that
    /// another command is making.
    ///
    /// # Errors
    /// When there is no plan, or the lock cannot be had in time.
    pub fn read_dir(&mut self) -> Result<DataDir, Error> {
        let dir = self.data_dir()?;
        self.hold_shared(&dir)?;
        Ok(dir)
    }

    /// Takes the plan's lock shared until the command ends ([`Context::read_dir`]).
    ///
    /// # Errors
    /// When the lock cannot be had in time.
    pub fn hold_shared(&mut self, dir: &DataDir) -> Result<(), Error> {
        let wait = self.lock_timeout;
        let (err, style) = (&mut *self.err, self.err_style);
        let lock = dir.read_lock(store::Wait {
            timeout: wait,
            waiting: &mut |holder| tell_waiting(err, style, holder, wait),
        })?;
        self.shared = Some(lock);
        Ok(())
    }

    /// Takes the plan's write lock, saying when it has to wait and what it resolved of an
    /// interrupted change.
    ///
    /// # Errors
    /// When the lock cannot be had in time, or an interrupted change cannot be resolved.
    pub fn lock(&mut self, dir: &DataDir) -> Result<Lock, Error> {
        let wait = self.lock_timeout;
        let (err, style) = (&mut *self.err, self.err_style);
        let mut lock = dir.lock_waiting(store::Wait {
            timeout: wait,
            waiting: &mut |holder| tell_waiting(err, style, holder, wait),
        })?;
        self.tell_recovered(dir, lock.recovered.take())?;
        Ok(lock)
    }

    fn tell_recovered(&mut self, dir: &DataDir, recovered: Option<Recovered>) -> Result<(), Error> {
        let Some(recovered) = recovered else {
            return Ok(());
        };
        let note = self.err_style.paint("1", "note:");
        let (done, verb) = if recovered.completed {
            ("completed", "finished")
        } else {
            ("rolled back", "restored")
        };
        let mut files: Vec<String> = recovered
            .files
            .iter()
            .take(5)
            .map(|f| format!("`{}`", dir.show(f)))
            .collect();
        if recovered.files.len() > 5 {
            files.push(format!("and {} more", recovered.files.len() - 5));
        }
        let files = if files.is_empty() {
            "no file had changed yet".to_string()
        } else {
            format!("{verb} {}", files.join(", "))
        };
        writeln!(
            self.err,
            "{note} `{}` (pid {}) was interrupted; its change was {done}: {files}",
            recovered.command, recovered.pid
        )?;
        Ok(())
    }

    fn find_data_dir(&self) -> Result<DataDir, Error> {
        match &self.data {
            Some(dir) => {
                let mut found = DataDir::named(&self.cwd.join(dir))?;
                let given = dir.to_string_lossy().trim_end_matches('/').to_string();
                // Show paths as the user wrote the folder, not as joined to the cwd.
                found.shown = if found.path.ends_with("data") && !given.ends_with("data") {
                    format!("{given}/data")
                } else if given.is_empty() {
                    "/".into()
                } else {
                    given
                };
                Ok(found)
            }
            None => Ok(DataDir::discover(&self.cwd)?),
        }
    }

    /// Loads the whole plan for a command that changes it: refused while `plan.yaml` or a
    /// registry cannot be read (every check depends on them), naming it; other files that
    /// cannot be read are named on standard error and left out. `texts` says whether the
    /// action files keep their text (for commands that patch or quote them).
    ///
    /// # Errors
    /// When `plan.yaml` or a registry could not be read.
    pub fn load_for_change(&mut self, dir: DataDir, texts: Texts) -> Result<Plan, Error> {
        let plan = Plan::read(dir, Actions::All, texts);
        self.refuse_unreadable_basis(&plan)?;
        self.tell_left_out(&plan)?;
        Ok(plan)
    }

    /// Refuses a change while `plan.yaml` or a registry cannot be read, showing why.
    ///
    /// # Errors
    /// [`Error::Refused`], naming the files.
    pub fn refuse_unreadable_basis(&mut self, plan: &Plan) -> Result<(), Error> {
        let Some(refusal) = unreadable_basis(plan) else {
            return Ok(());
        };
        let findings: Vec<Diagnostic> = plan
            .problems
            .iter()
            .filter(|p| is_error(p))
            .cloned()
            .collect();
        self.tell_findings(plan, &findings)?;
        Err(refusal)
    }

    /// Names on standard error the files of `plan` that could not be read, each with why,
    /// and says that they are left out; whether there were any (a reading command then
    /// exits 1: the data has findings).
    ///
    /// # Errors
    /// When standard error cannot be written.
    pub fn tell_left_out(&mut self, plan: &Plan) -> Result<bool, Error> {
        // Warnings (a stray file in a record folder) are for `validate` to tell.
        let errors: Vec<Diagnostic> = plan
            .problems
            .iter()
            .filter(|p| is_error(p))
            .cloned()
            .collect();
        if errors.is_empty() {
            return Ok(false);
        }
        self.tell_findings(plan, &errors)?;
        let count = errors.len();
        writeln!(
            self.err,
            "{} {count} file{} could not be read and {} left out; `iisg validate` checks the whole plan",
            self.err_style.paint("1;33", "warning:"),
            if count == 1 { "" } else { "s" },
            if count == 1 { "is" } else { "are" },
        )?;
        Ok(true)
    }
}

impl Context<'_> {
    /// Names on standard error every id that two or more files hold, with the files, and
    /// how to mend it; whether there was any (the command then exits 1).
    ///
    /// # Errors
    /// When standard error cannot be written.
    pub fn tell_duplicate_ids(&mut self, plan: &Plan) -> Result<bool, Error> {
        // Sorted pairs, not a map of lists: 2.4 MB at 100,000 actions, where a list for
        // each id took 13.
        let mut ids: Vec<(i64, &str)> = plan
            .actions
            .iter()
            .map(|a| (a.record.id.value, a.file.shown()))
            .collect();
        ids.sort_unstable();
        let mut any = false;
        for group in ids.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
            any = true;
            let id = group[0].0;
            let files: Vec<String> = group.iter().map(|(_, f)| format!("`{f}`")).collect();
            writeln!(
                self.err,
                "{} {} files hold action {id}: {}\n  {} give all but one a free id: `iisg \
                 renumber {id} --file PATH --to N`",
                self.err_style.paint("1;33", "warning:"),
                files.len(),
                files.join(", "),
                self.err_style.paint("1", "help:"),
            )?;
        }
        Ok(any)
    }
}

/// The refusal of any change while `plan.yaml` or a registry cannot be read (every check
/// depends on them), naming the files; `None` when they all read.
#[must_use]
pub fn unreadable_basis(plan: &Plan) -> Option<Error> {
    let names: Vec<String> = [
        "plan.yaml",
        "partners.yaml",
        "funding.yaml",
        "locations.yaml",
    ]
    .into_iter()
    .map(|name| plan.dir.show(name))
    .filter(|shown| {
        plan.problems
            .iter()
            .any(|p| p.file == *shown && is_error(p))
    })
    .map(|shown| format!("`{shown}`"))
    .collect();
    if names.is_empty() {
        return None;
    }
    Some(Error::Refused {
        message: format!(
            "iisg changes nothing while {} cannot be read: every change is checked against it",
            names.join(" and ")
        ),
        help: Some("fix what the finding above names; `iisg validate` shows every finding".into()),
    })
}

fn is_error(finding: &Diagnostic) -> bool {
    finding.severity == diagnostic::Severity::Error
}

impl Context<'_> {
    /// Puts `changes` into the plan in memory and checks the whole plan with them. What the
    /// change adds is told on standard error: errors anywhere, warnings about the files it
    /// writes; errors refuse it. Findings the plan already had do not count against it.
    ///
    /// # Errors
    /// [`Error::Rejected`] when the change would add errors.
    pub fn judge(&mut self, plan: &mut Plan, changes: &[Change]) -> Result<(), Error> {
        let baseline = check::baseline(plan);
        self.judge_against(plan, &baseline, changes)
    }

    /// [`Context::judge`], with the findings the plan had before the change already known.
    ///
    /// # Errors
    /// [`Error::Rejected`] when the change would add errors.
    pub fn judge_against(
        &mut self,
        plan: &mut Plan,
        baseline: &[Diagnostic],
        changes: &[Change],
    ) -> Result<(), Error> {
        self.judge_except(plan, baseline, changes, &|_| false)
    }

    /// [`Context::judge_against`], where the findings `expected` picks are the change's
    /// intended outcome and not told (a registry entry just added is used by no file yet).
    ///
    /// # Errors
    /// [`Error::Rejected`] when the change would add errors.
    pub fn judge_except(
        &mut self,
        plan: &mut Plan,
        baseline: &[Diagnostic],
        changes: &[Change],
        expected: &dyn Fn(&Diagnostic) -> bool,
    ) -> Result<(), Error> {
        let findings = check::judge(plan, baseline, changes, expected);
        self.refuse_errors(plan, &findings)
    }

    /// Judges `changes` ([`Context::judge`]) and, when the plan would have no new error,
    /// writes them all as one transaction.
    ///
    /// # Errors
    /// When the change is refused or cannot be written; nothing is changed then.
    pub fn apply(&mut self, plan: &mut Plan, lock: &Lock, changes: &[Change]) -> Result<(), Error> {
        self.judge(plan, changes)?;
        store::commit(&plan.dir, lock, changes)?;
        Ok(())
    }

    /// Prints `findings` about `plan`'s files to standard error, and refuses the change when
    /// any is an error.
    ///
    /// # Errors
    /// [`Error::Rejected`] when some finding is an error.
    pub fn refuse_errors(&mut self, plan: &Plan, findings: &[Diagnostic]) -> Result<(), Error> {
        self.tell_findings(plan, findings)?;
        let (errors, _) = diagnostic::count(findings);
        if errors > 0 {
            return Err(Error::Rejected { count: errors });
        }
        Ok(())
    }

    /// Prints findings about `plan`'s files to standard error, each with its source line.
    fn tell_findings(&mut self, plan: &Plan, findings: &[Diagnostic]) -> std::io::Result<()> {
        let source = |file: &str| plan.sources.get(file).map(|f| f.text.as_str());
        for finding in findings {
            let text = render::diagnostic::human(finding, &source, self.err_style);
            writeln!(self.err, "{text}")?;
        }
        Ok(())
    }
}

impl Context<'_> {
    /// Adds a new record file: judges the plan with it, then prints it instead with
    /// `dry_run`, or creates it under a name no file has yet, moving to the next id when a
    /// file of that name appeared meanwhile. `render` gives the file's text for an id.
    ///
    /// # Errors
    /// When the record would add errors to the plan, or the file cannot be written.
    pub fn add_record<T: Record>(
        &mut self,
        (plan, lock): (&mut Plan, &Lock),
        (id, slug): (i64, &str),
        (render, with): (&dyn Fn(i64) -> String, &[Change]),
        what: &str,
        dry_run: bool,
    ) -> Result<u8, Error> {
        let changes = |id| record_changes::<T>((id, slug), render, with);
        self.judge(plan, &changes(id))?;
        if dry_run {
            for change in changes(id) {
                writeln!(self.err, "would write {}", plan.dir.show(change.relative()))?;
            }
            self.out.write_all(render(id).as_bytes())?;
            return Ok(0);
        }
        let (id, changes) =
            create_record::<T>(plan, lock, (id, slug), render, with).map_err(|e| match e {
                Error::NoFreeId(_) => Error::NoFreeId(what.to_string()),
                e => e,
            })?;
        for change in &changes[..changes.len() - 1] {
            writeln!(self.out, "wrote {}", plan.dir.show(change.relative()))?;
        }
        let shown = plan.dir.show(changes[changes.len() - 1].relative());
        writeln!(self.out, "added {what} {id}: {shown}")?;
        Ok(0)
    }
}

/// The changes that add a record of id `id`: `with`, then its new file (`render` gives its
/// text for an id).
#[must_use]
pub fn record_changes<T: Record>(
    (id, slug): (i64, &str),
    render: &dyn Fn(i64) -> String,
    with: &[Change],
) -> Vec<Change> {
    let mut all = with.to_vec();
    all.push(Change::Create {
        relative: store::file_name::<T>(id, slug),
        text: render(id),
    });
    all
}

/// Writes a new record, judged already, with `with` as one transaction, under a name no
/// file has yet: when a file of that name appeared meanwhile, under the next id. The id
/// taken and the changes written, the record's file last.
///
/// # Errors
/// When the files cannot be written, or no id is left.
pub fn create_record<T: Record>(
    plan: &Plan,
    lock: &Lock,
    (id, slug): (i64, &str),
    render: &dyn Fn(i64) -> String,
    with: &[Change],
) -> Result<(i64, Vec<Change>), Error> {
    // Never past the last id of the range.
    for id in id..=(id + 999).min(*crate::model::IDS.end()) {
        let changes = record_changes::<T>((id, slug), render, with);
        match store::commit(&plan.dir, lock, &changes) {
            Ok(()) => return Ok((id, changes)),
            Err(store::WriteError::Exists(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::NoFreeId(T::FOLDER.to_string()))
}

/// Says on standard error that iisg waits for the plan's lock, and how long it will.
fn tell_waiting(err: &mut dyn Write, style: Style, holder: &str, wait: std::time::Duration) {
    let _ = writeln!(
        err,
        "{} waiting for the plan's lock, held by {holder}; giving up after {} s \
         (`--lock-timeout`)",
        style.paint("1", "note:"),
        wait.as_secs()
    );
}

/// Runs a subcommand; the result is the exit code.
///
/// # Errors
/// When the command could not run (exit code 2).
pub fn run(command: &Command, context: &mut Context) -> Result<u8, Error> {
    match command {
        Command::AddAction(args) => add_action::run(args, context),
        Command::AddLogframe(args) => add_logframe::run(args, context),
        Command::Changes(args) => changes::run(args, context),
        Command::Completions(args) => completions::run(args, context),
        Command::Edit(args) => edit::run(args, context),
        Command::Export(args) => export::run(args, context),
        Command::Import(args) => import::run(args, context),
        Command::Indicator(args) => indicator::run(args, context),
        Command::Init(args) => init::run(args, context),
        Command::List(args) => list::run(args, context),
        Command::Log(args) => log::run(args, context),
        Command::Man(args) => man::run(args, context),
        Command::Plan(args) => plan::run(args, context),
        Command::Partner(args) => registry::run(args, context),
        Command::Location(args) => registry::run(args, context),
        Command::Funding(args) => registry::run(args, context),
        Command::Progress(args) => progress::run(args, context),
        Command::Remove(args) => remove::run(args, context),
        Command::Renumber(args) => renumber::run(args, context),
        Command::Report(args) => report::run(args, context),
        Command::Schema(args) => schema::run(args, context),
        Command::Serve(args) => serve::run(args, context),
        Command::Show(args) => show::run(args, context),
        Command::Validate(args) => validate::run(args, context),
    }
}
