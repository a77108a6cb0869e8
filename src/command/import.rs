//! `iisg import FILE`: the document's List of Actions (or any table with its columns) as
//! action files, checked as a whole and written all or nothing.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use super::Context;
use crate::check;
use crate::error::Error;
use crate::model::cell::{self, mend_hyphenation};
use crate::model::{
    Action, ActionDraft, Entry, Funding, IDS, Registry, Status, lookup_key, parse_id,
};
use crate::render::cell::from_spreadsheet;
use crate::store::yaml;
use crate::store::{self, Change, Loaded, Plan, RegistryKind, Texts, file_name, read_table, slug};

/// Arguments of `iisg import`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// The table: TSV or CSV (the delimiter is found from the header), whose header names the
    /// document's columns — #, ACTION, LEAD PARTNER, INVOLVED, LOCATION, SCOPE, TIMELINE,
    /// STATUS, FINANCING — in any order and case
    pub file: PathBuf,
    /// Show which actions and files would be added or updated, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Add the names no registry knows to partners.yaml, funding.yaml or locations.yaml
    /// instead of refusing the table
    #[arg(long)]
    pub add_missing: bool,
    /// Rewrite the actions whose id the plan already has, instead of refusing the table
    #[arg(long)]
    pub update: bool,
}

/// A column of the document's List of Actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Id,
    Action,
    Lead,
    Involved,
    Location,
    Scope,
    Timeline,
    Status,
    Financing,
}

impl Column {
    const ALL: [Self; 9] = [
        Self::Id,
        Self::Action,
        Self::Lead,
        Self::Involved,
        Self::Location,
        Self::Scope,
        Self::Timeline,
        Self::Status,
        Self::Financing,
    ];

    /// The heading as the document writes it.
    fn heading(self) -> &'static str {
        match self {
            Self::Id => "#",
            Self::Action => "ACTION",
            Self::Lead => "LEAD PARTNER",
            Self::Involved => "INVOLVED",
            Self::Location => "LOCATION",
            Self::Scope => "SCOPE",
            Self::Timeline => "TIMELINE",
            Self::Status => "STATUS",
            Self::Financing => "FINANCING",
        }
    }

    /// How a note names the column (`Location as written: …`).
    fn label(self) -> &'static str {
        match self {
            Self::Lead => "Lead",
            Self::Involved => "Involved",
            Self::Location => "Location",
            Self::Status => "Status",
            Self::Financing => "Financing",
            _ => self.heading(),
        }
    }

    /// The column a header cell names: the document's headings, and the ones `list` and
    /// `export` write, in any case and spacing.
    fn named(header: &str) -> Option<Self> {
        if header.trim() == "#" {
            return Some(Self::Id);
        }
        Some(match lookup_key(header).as_str() {
            "id" | "no" => Self::Id,
            "action" | "title" => Self::Action,
            "leadpartner" | "lead" | "leadpartners" => Self::Lead,
            "involved" | "involvedpartners" => Self::Involved,
            "location" | "locations" => Self::Location,
            "scope" => Self::Scope,
            "timeline" => Self::Timeline,
            "status" => Self::Status,
            "financing" | "funding" => Self::Financing,
            _ => return None,
        })
    }
}

/// Something wrong with one row (or the header), told with its line and column.
struct Problem {
    line: u64,
    row: usize,
    column: Option<Column>,
    message: String,
    help: Option<String>,
}

/// A name no registry knows.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Missing {
    kind: RegistryKind,
    text: String,
}

/// One data row read into an action.
struct Row {
    line: u64,
    number: usize,
    id: Option<i64>,
    draft: ActionDraft,
}

/// What the import will do to one action.
enum Outcome {
    Add { id: i64, relative: String },
    Update { id: i64, relative: String },
    Unchanged { id: i64, shown: String },
}

/// Runs `iisg import`.
///
/// # Errors
/// When the table cannot be read, names what no registry knows, clashes with the plan's
/// ids, or would leave the plan with errors; nothing is written then.
pub fn run(args: &Args, context: &mut Context) -> Result<u8, Error> {
    // The table is read (and refused) before the plan's lock is taken: a slow or hostile
    // input never holds up another writer.
    let shown_file = args.file.to_string_lossy().to_string();
    let table =
        read_table(&context.cwd.join(&args.file), &shown_file).map_err(|e| Error::Refused {
            message: e.to_string(),
            help: e.help().map(ToString::to_string),
        })?;
    let columns = columns(&table.headers)?;
    let dir = context.data_dir()?;
    let lock = context.lock(&dir)?;
    let mut plan = context.load_for_change(dir, Texts::Keep)?;
    let as_of = plan.as_of(None);
    let baseline = check::check(&plan, check::Options { as_of });

    let (mut rows, mut problems, missing) = read_rows(&table.rows, &columns, &plan);
    let mut changes = Vec::new();
    let mut added_entries = Vec::new();
    if args.add_missing && !missing.is_empty() {
        added_entries = add_missing(&mut plan, &missing, &mut changes)?;
        (rows, problems, _) = read_rows(&table.rows, &columns, &plan);
    }
    let next = plan.next_id::<Action>();
    let targets = assign_ids(&mut rows, &plan, (next, args.update), &mut problems);
    if !problems.is_empty() {
        return refuse_problems(context, &problems, &shown_file);
    }

    let outcomes = stage_rows(&mut plan, &rows, targets, &mut changes)?;
    context.judge_against(&mut plan, &baseline, &changes)?;
    if !args.dry_run {
        store::commit(&plan.dir, &lock, &changes)?;
    }
    tell(context, &plan, args, &added_entries, &outcomes)
}

/// Stages every row's file in the plan: a new file for a new id, the existing file
/// rewritten for an id the plan has.
fn stage_rows(
    plan: &mut Plan,
    rows: &[Row],
    targets: Vec<Option<Loaded<Action>>>,
    changes: &mut Vec<Change>,
) -> Result<Vec<Outcome>, Error> {
    let mut outcomes = Vec::new();
    for (row, target) in rows.iter().zip(targets) {
        let id = row.draft.id;
        match target {
            None => {
                let relative = file_name::<Action>(id, &slug(&row.draft.title, 48));
                let text = yaml::action(&row.draft);
                stage(plan, &relative, &text)?;
                changes.push(Change::Create {
                    relative: relative.clone(),
                    text,
                });
                outcomes.push(Outcome::Add { id, relative });
            }
            Some(loaded) => {
                let old = ActionDraft::from(&*loaded.record);
                let mut new = row.draft.clone();
                new.addresses.clone_from(&old.addresses);
                if new.notes.is_none() {
                    new.notes.clone_from(&old.notes);
                }
                if new == old {
                    outcomes.push(Outcome::Unchanged {
                        id,
                        shown: loaded.file.shown.clone(),
                    });
                    continue;
                }
                let relative = loaded.relative();
                let text = rewritten(&loaded, &new);
                stage(plan, &relative, &text)?;
                changes.push(Change::Replace {
                    relative: relative.clone(),
                    old: loaded.file.text.clone(),
                    text,
                });
                outcomes.push(Outcome::Update { id, relative });
            }
        }
    }
    Ok(outcomes)
}

/// One line per registry entry and action added or updated, then the counts.
fn tell(
    context: &mut Context,
    plan: &Plan,
    args: &Args,
    added_entries: &[(Missing, String)],
    outcomes: &[Outcome],
) -> Result<u8, Error> {
    let verb = |done: &'static str, would: &'static str| if args.dry_run { would } else { done };
    for (missing, code) in added_entries {
        writeln!(
            context.out,
            "{} {} `{code}` ({}) to {}",
            verb("added", "would add"),
            kind_name(missing.kind),
            missing.text,
            plan.dir.show(missing.kind.file())
        )?;
    }
    let (mut added, mut updated, mut unchanged) = (0, 0, 0);
    for outcome in outcomes {
        match outcome {
            Outcome::Add { id, relative } => {
                added += 1;
                let shown = plan.dir.show(relative);
                let word = verb("added", "would add");
                writeln!(context.out, "{word} action {id}: {shown}")?;
            }
            Outcome::Update { id, relative } => {
                updated += 1;
                let shown = plan.dir.show(relative);
                let word = verb("updated", "would update");
                writeln!(context.out, "{word} action {id}: {shown}")?;
            }
            Outcome::Unchanged { id, shown } => {
                unchanged += 1;
                writeln!(context.out, "unchanged action {id}: {shown}")?;
            }
        }
    }
    let tail = if args.dry_run {
        "; dry run, nothing was written"
    } else {
        ""
    };
    writeln!(
        context.out,
        "{}: {added} added, {updated} updated, {unchanged} unchanged{tail}",
        args.file.display()
    )?;
    Ok(0)
}

/// Where each column is in the table.
fn columns(headers: &[String]) -> Result<[usize; 9], Error> {
    let mut found: [Option<usize>; 9] = [None; 9];
    let mut unknown = Vec::new();
    for (index, header) in headers.iter().enumerate() {
        if header.trim().is_empty() {
            continue;
        }
        match Column::named(header) {
            Some(column) => {
                let slot = &mut found[column as usize];
                if slot.is_some() {
                    return Err(Error::Refused {
                        message: format!("the table names the column `{header}` twice"),
                        help: Some("keep one of them".into()),
                    });
                }
                *slot = Some(index);
            }
            None => unknown.push(format!("`{header}`")),
        }
    }
    let expected = Column::ALL
        .iter()
        .map(|c| c.heading())
        .collect::<Vec<_>>()
        .join(", ");
    if !unknown.is_empty() {
        return Err(Error::Refused {
            message: format!(
                "the table has columns iisg does not know: {}",
                unknown.join(", ")
            ),
            help: Some(format!(
                "the header names the document's columns, in any order and case: {expected}"
            )),
        });
    }
    let absent: Vec<String> = Column::ALL
        .iter()
        .filter(|c| found[**c as usize].is_none())
        .map(|c| format!("`{}`", c.heading()))
        .collect();
    if !absent.is_empty() {
        return Err(Error::Refused {
            message: format!(
                "the table has no {} column{}",
                absent.join(", "),
                if absent.len() == 1 { "" } else { "s" }
            ),
            help: Some(format!(
                "the first line names the document's columns, in any order and case: {expected}"
            )),
        });
    }
    Ok(found.map(Option::unwrap_or_default))
}

/// Reads every row; gathers what is wrong and what no registry knows.
fn read_rows(
    rows: &[(u64, Vec<String>)],
    columns: &[usize; 9],
    plan: &Plan,
) -> (Vec<Row>, Vec<Problem>, Vec<Missing>) {
    let mut problems = Vec::new();
    let mut missing = Vec::new();
    let mut out = Vec::new();
    for (number, (line, cells)) in rows.iter().enumerate() {
        let mut reader = RowReader {
            line: *line,
            row: number + 1,
            cells,
            columns,
            problems: &mut problems,
            missing: &mut missing,
            notes: Vec::new(),
        };
        out.push(reader.read(plan));
    }
    missing.sort();
    missing.dedup();
    (out, problems, missing)
}

/// Reads the cells of one row.
struct RowReader<'a> {
    line: u64,
    row: usize,
    cells: &'a [String],
    columns: &'a [usize; 9],
    problems: &'a mut Vec<Problem>,
    missing: &'a mut Vec<Missing>,
    notes: Vec<String>,
}

impl RowReader<'_> {
    /// The cell's text: hyphenation mended, trimmed, and without the apostrophe `export`
    /// puts before text a spreadsheet would run as a formula (taken off last, so that a
    /// text that begins with a tab reads back whole).
    fn cell(&self, column: Column) -> String {
        let text = self
            .cells
            .get(self.columns[column as usize])
            .map_or("", String::as_str);
        from_spreadsheet(mend_hyphenation(text).trim()).to_string()
    }

    fn problem(&mut self, column: Column, message: String, help: Option<String>) {
        self.problems.push(Problem {
            line: self.line,
            row: self.row,
            column: Some(column),
            message,
            help,
        });
    }

    fn read(&mut self, plan: &Plan) -> Row {
        let id_text = self.cell(Column::Id);
        let id = if id_text.is_empty() {
            None
        } else {
            match parse_id(id_text.trim_end_matches('.')) {
                Ok(id) => Some(id),
                Err(reason) => {
                    self.problem(
                        Column::Id,
                        format!("`{id_text}` is not an id: {reason}"),
                        Some("leave `#` empty to take the next free one".into()),
                    );
                    None
                }
            }
        };
        let mut involved_cell = self.cell(Column::Involved);
        let lead = self.codes(&plan.partners, RegistryKind::Partners, Column::Lead, None);
        if let Some(rest) = strip_words(&involved_cell, "in collaboration with") {
            self.note(Column::Involved);
            involved_cell = rest.to_string();
        }
        let involved = self.codes(
            &plan.partners,
            RegistryKind::Partners,
            Column::Involved,
            Some(&involved_cell),
        );
        let locations = self.codes(
            &plan.places,
            RegistryKind::Locations,
            Column::Location,
            None,
        );
        let status_cell = self.cell(Column::Status);
        let (status, requested_by) = if let Some(found) = cell::status(&status_cell) {
            if found.keep_wording {
                self.note(Column::Status);
            }
            let by = found.requested_by.and_then(|by| {
                let codes = self.codes(
                    &plan.places,
                    RegistryKind::Locations,
                    Column::Status,
                    Some(&by),
                );
                codes.into_iter().next().map(|(code, _)| code)
            });
            (found.status, by)
        } else {
            let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
            self.problem(
                Column::Status,
                format!("`{status_cell}` is not a status"),
                Some(format!(
                    "write one of {}, `Planning / Implementation`, `Requested by <place>`, or leave it empty for planned",
                    names.join(", ")
                )),
            );
            (Status::Planned, None)
        };
        let financing = self
            .codes(
                &plan.funding,
                RegistryKind::Funding,
                Column::Financing,
                None,
            )
            .into_iter()
            .map(|(source, tentative)| Funding { source, tentative })
            .collect();
        let notes = (!self.notes.is_empty()).then(|| self.notes.join(" "));
        let codes = |list: Vec<(String, bool)>| list.into_iter().map(|(c, _)| c).collect();
        Row {
            line: self.line,
            number: self.row,
            id,
            draft: ActionDraft {
                id: id.unwrap_or(0),
                title: self.cell(Column::Action),
                lead: codes(lead),
                involved: codes(involved),
                locations: codes(locations),
                scope: self.cell(Column::Scope),
                timeline: self.cell(Column::Timeline),
                status,
                requested_by,
                financing,
                addresses: None,
                notes,
            },
        }
    }

    /// Keeps the cell's wording in a note: `Location as written: WB (PCC SEE).`
    fn note(&mut self, column: Column) {
        let text = self.cell(column);
        let stop = if text.ends_with('.') { "" } else { "." };
        let note = format!("{} as written: {text}{stop}", column.label());
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// The codes of a cell (or of `text` read from it), reporting unknown names.
    fn codes<E: Entry>(
        &mut self,
        registry: &Registry<E>,
        kind: RegistryKind,
        column: Column,
        text: Option<&str>,
    ) -> Vec<(String, bool)> {
        let cell_text = text.map_or_else(|| self.cell(column), ToString::to_string);
        let found = cell::codes(registry, &cell_text);
        if found.keep_wording {
            self.note(column);
        }
        for name in found.unknown {
            let help = match registry.suggest(&name) {
                Some(code) => format!(
                    "did you mean `{code}`? Or pass `--add-missing` to add `{name}` to {}",
                    kind.file()
                ),
                None => format!(
                    "correct the name, add it to {} first, or pass `--add-missing`",
                    kind.file()
                ),
            };
            self.problem(
                column,
                format!("unknown {} `{name}`", kind_name(kind)),
                Some(help),
            );
            self.missing.push(Missing { kind, text: name });
        }
        found.codes
    }
}

/// `text` without a leading phrase, in any case.
fn strip_words<'a>(text: &'a str, words: &str) -> Option<&'a str> {
    let head = text.get(..words.len())?;
    head.eq_ignore_ascii_case(words)
        .then(|| text[words.len()..].trim())
        .filter(|rest| !rest.is_empty())
}

fn kind_name(kind: RegistryKind) -> &'static str {
    match kind {
        RegistryKind::Partners => "partner",
        RegistryKind::Funding => "funding source",
        RegistryKind::Locations => "location",
    }
}

/// Gives every row its id (one after the plan's `next` and the table's highest for a row
/// without one), and finds the action each existing id names. Refuses ids given twice, ids
/// the plan has unless `update`, and rows left without an id when the range is used up.
fn assign_ids(
    rows: &mut [Row],
    plan: &Plan,
    (next, update): (Option<i64>, bool),
    problems: &mut Vec<Problem>,
) -> Vec<Option<Loaded<Action>>> {
    let highest_given = rows.iter().filter_map(|r| r.id).max().unwrap_or(0);
    // Both are in the range, so this is at most one past its end: no overflow.
    let mut plan_next = next.unwrap_or(IDS.end() + 1).max(highest_given + 1);
    let mut seen: BTreeMap<i64, usize> = BTreeMap::new();
    let mut targets = Vec::new();
    for row in rows.iter_mut() {
        let mut problem = |message: String, help: Option<String>| {
            problems.push(Problem {
                line: row.line,
                row: row.number,
                column: Some(Column::Id),
                message,
                help,
            });
        };
        let id = match row.id {
            Some(id) => id,
            None if IDS.contains(&plan_next) => {
                plan_next += 1;
                plan_next - 1
            }
            None => {
                problem(
                    format!(
                        "no id is left for this row: ids end at {}, and the next one would be past it",
                        IDS.end()
                    ),
                    Some("give the row a free id in `#`".into()),
                );
                targets.push(None);
                continue;
            }
        };
        row.draft.id = id;
        if let Some(first) = seen.insert(id, row.number) {
            problem(format!("id {id} is given to row {first} too"), None);
        }
        let existing: Vec<&Loaded<Action>> = plan
            .actions
            .iter()
            .filter(|a| a.record.id.value == id)
            .collect();
        targets.push(match existing.as_slice() {
            [] => None,
            [one] if update => Some((*one).clone()),
            [one] => {
                problem(
                    format!("action {id} exists: {}", one.file.shown),
                    Some("pass `--update` to rewrite it from the table, or leave `#` empty to add the row as a new action".into()),
                );
                None
            }
            [one, two, ..] => {
                problem(
                    format!("two files hold action {id}: {} and {}", one.file.shown, two.file.shown),
                    None,
                );
                None
            }
        });
    }
    targets
}

/// Appends an entry for every missing name to its registry, in memory; the registry files'
/// new text joins the changes to write. Returns each name with the code it was given.
fn add_missing(
    plan: &mut Plan,
    missing: &[Missing],
    changes: &mut Vec<Change>,
) -> Result<Vec<(Missing, String)>, Error> {
    let mut added = Vec::new();
    for kind in [
        RegistryKind::Partners,
        RegistryKind::Funding,
        RegistryKind::Locations,
    ] {
        let names: Vec<&Missing> = missing.iter().filter(|m| m.kind == kind).collect();
        if names.is_empty() {
            continue;
        }
        let shown = plan.dir.show(kind.file());
        let old = plan.sources.get(&shown).map(|f| f.text.clone());
        let mut text = old.clone().unwrap_or_else(|| format!("{}:\n", kind.key()));
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let mut taken: HashSet<String> = codes_of(plan, kind);
        for name in names {
            let code = new_code(&name.text, &taken);
            taken.insert(code.clone());
            text.push_str(&yaml::registry_entry(&code, &name.text));
            added.push((name.clone(), code));
        }
        plan.stage_registry(kind, text.clone())
            .map_err(|finding| Error::Refused {
                message: format!(
                    "cannot add the missing names to {shown}: {}",
                    finding.message
                ),
                help: Some(format!(
                    "add them to {shown} by hand (its list must be one entry a line), then import again"
                )),
            })?;
        let relative = kind.file().to_string();
        changes.push(match old {
            Some(old) => Change::Replace {
                relative,
                old,
                text,
            },
            None => Change::Create { relative, text },
        });
    }
    Ok(added)
}

fn codes_of(plan: &Plan, kind: RegistryKind) -> HashSet<String> {
    fn all<E: Entry>(registry: &Registry<E>) -> HashSet<String> {
        registry
            .entries()
            .iter()
            .map(|e| e.code().value.clone())
            .collect()
    }
    match kind {
        RegistryKind::Partners => all(&plan.partners),
        RegistryKind::Funding => all(&plan.funding),
        RegistryKind::Locations => all(&plan.places),
    }
}

/// A code for a new registry entry: the name in upper-case ASCII and hyphens
/// (`Border Police Academy` → `BORDER-POLICE-ACADEMY`), numbered when taken.
fn new_code(name: &str, taken: &HashSet<String>) -> String {
    let base = slug(name, 32).to_uppercase();
    let mut code = base.clone();
    let mut n = 2;
    while taken.contains(&code) {
        code = format!("{base}-{n}");
        n += 1;
    }
    code
}

fn stage(plan: &mut Plan, relative: &str, text: &str) -> Result<(), Error> {
    plan.stage::<Action>(relative, text.to_string())
        .map_err(|finding| Error::Refused {
            message: format!(
                "the action written for {relative} does not read back: {}",
                finding.message
            ),
            help: None,
        })
}

/// The updated file: patched in place when that reads back as the new action, else written
/// anew.
fn rewritten(loaded: &Loaded<Action>, new: &ActionDraft) -> String {
    store::rewrite_action(loaded, new).unwrap_or_else(|_| yaml::action(new))
}

fn refuse_problems(context: &mut Context, problems: &[Problem], file: &str) -> Result<u8, Error> {
    let style = context.err_style;
    for problem in problems {
        let column = problem
            .column
            .map(|c| format!(", column `{}`", c.heading()))
            .unwrap_or_default();
        writeln!(
            context.err,
            "{} {file}:{}: row {}{column}: {}",
            style.paint("1;31", "error:"),
            problem.line,
            problem.row,
            problem.message
        )?;
        if let Some(help) = &problem.help {
            writeln!(context.err, "  {} {help}", style.paint("1", "help:"))?;
        }
    }
    let count = problems.len();
    Err(Error::Refused {
        message: format!(
            "{count} problem{} in `{file}`; nothing was written",
            if count == 1 { "" } else { "s" }
        ),
        help: Some("fix the rows named above, then import again".into()),
    })
}
