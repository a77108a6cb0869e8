//! Importing a table of actions: a header and rows of cell strings, each row with its line —
//! what the TSV and CSV reader gives, and what a spreadsheet or document reader will — read
//! against the plan into the changes that would write it, and every finding about it in one
//! run: each cell's problems, the ids, and the validation rules over the plan with every row
//! in it, each told at the table's row and column.
//!
//! The steps, top to bottom: find the nine columns ([`columns`]); read each row into an
//! action ([`row`]); add the names no registry knows (`--add-missing`, [`registry`]); give
//! each row its id ([`ids`]); stage every row's file in the plan; check the plan; trace each
//! new finding back to its row ([`trace`]).

pub mod columns;
mod ids;
pub mod registry;
pub mod row;
mod trace;

use std::collections::{HashMap, HashSet};

pub use columns::{Column, Columns};
use ids::Target;
pub use registry::Added;
use row::Row;
use trace::{Told, Trace};

use crate::check;
use crate::diagnostic::Diagnostic;
use crate::model::{Action, ActionDraft};
use crate::store::{self, Change, Loaded, Plan, Table, file_name, slug, yaml};

/// How an import treats what the plan has already.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Rewrite the actions whose id the plan has, instead of refusing those rows.
    pub update: bool,
    /// Add the names no registry knows to the registries, instead of refusing them.
    pub add_missing: bool,
}

/// What the import does to one row's action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A new action file.
    Add {
        /// The action's id.
        id: i64,
        /// Its file, inside the plan's folder.
        relative: String,
    },
    /// An existing action rewritten.
    Update {
        /// The action's id.
        id: i64,
        /// Its file, inside the plan's folder.
        relative: String,
    },
    /// An existing action the row leaves as it is.
    Unchanged {
        /// The action's id.
        id: i64,
        /// Its file, as shown.
        shown: String,
    },
}

/// A table, imported: what to write and everything found.
#[derive(Debug, Default)]
pub struct Import {
    /// The changes that write it, registries first; write them only when no finding is an
    /// error.
    pub changes: Vec<Change>,
    /// The registry entries added for names no registry knew.
    pub added: Vec<Added>,
    /// What happens to each row's action.
    pub outcomes: Vec<Outcome>,
    /// Every finding: the table's, by row and column, then those about other files.
    pub findings: Vec<Diagnostic>,
}

impl Import {
    /// How many findings are errors: any refuses the table.
    #[must_use]
    pub fn errors(&self) -> usize {
        crate::diagnostic::count(&self.findings).0
    }
}

/// Imports `table` (shown to the user as `file`) into `plan`, whose findings before the
/// import are `baseline`: every row's file is staged in the plan, and the findings are what
/// the table has wrong and what the rules find that the plan did not have (errors anywhere,
/// warnings about the files the import writes).
#[must_use]
pub fn import(
    table: &Table,
    file: &str,
    plan: &mut Plan,
    baseline: &[Diagnostic],
    options: Options,
) -> Import {
    let (columns, mut findings) = Columns::find(&table.headers, file);
    let Some(columns) = columns else {
        return Import {
            findings,
            ..Import::default()
        };
    };
    let mut read = row::read_rows(&table.rows, columns, plan, file);
    let mut changes = Vec::new();
    let mut added = registry::AddedAll::default();
    if options.add_missing && !read.missing.is_empty() {
        added = registry::add_missing(plan, &read.missing, &mut changes);
        read = row::read_rows(&table.rows, columns, plan, file);
    }
    findings.append(&mut read.findings);
    let mut rows = read.rows;
    let targets = ids::assign(&mut rows, plan, options.update, file, &mut findings);
    let (outcomes, staged) = stage_rows(plan, &rows, targets, &mut changes, file, &mut findings);

    let mut trace = Trace::new(file, &rows, &added.appended, plan.dir.show("actions/"));
    let mut touched: HashSet<String> = added.appended.iter().map(|a| a.shown.clone()).collect();
    let by_file: HashMap<&str, &Loaded<Action>> =
        plan.actions.iter().map(|a| (a.file.shown(), a)).collect();
    for (shown, row, stand_in) in staged {
        if let Some(loaded) = by_file.get(shown.as_str()) {
            trace.staged(shown.clone(), row, stand_in, &loaded.record);
        }
        touched.insert(shown);
    }
    let mut elsewhere = added.findings;
    for finding in check::new_findings(plan, baseline, &touched) {
        match trace.tell(finding) {
            Told::Row(finding) => findings.push(finding),
            Told::Elsewhere(finding) => elsewhere.push(finding),
            Told::Dropped => {}
        }
    }
    // Row by row, and in a row, left to right as the table has its columns.
    findings.sort_by_key(|f| {
        let cell = f.cell.as_ref();
        let place = cell
            .and_then(|c| c.column.as_deref())
            .and_then(Column::named)
            .map(|c| columns.index(c));
        (cell.map_or(0, |c| c.row), place)
    });
    findings.append(&mut elsewhere);
    Import {
        changes,
        added: added.added,
        outcomes,
        findings,
    }
}

/// Stages every row's file in the plan: a new file for a new id (and for a stand-in, which
/// is not among the changes), the existing file rewritten for an id the plan has. Gives what
/// happens to each row, and each staged file (as shown) with its row's index and whether it
/// is a stand-in.
fn stage_rows(
    plan: &mut Plan,
    rows: &[Row],
    targets: Vec<Target>,
    changes: &mut Vec<Change>,
    file: &str,
    findings: &mut Vec<Diagnostic>,
) -> (Vec<Outcome>, Vec<(String, usize, bool)>) {
    let mut outcomes = Vec::new();
    let mut staged = Vec::new();
    for (index, (row, target)) in rows.iter().zip(targets).enumerate() {
        let id = row.draft.id;
        let stand_in = matches!(target, Target::StandIn);
        let (relative, text, change) = match target {
            Target::Skip => continue,
            Target::New | Target::StandIn => {
                let relative = file_name::<Action>(id, &slug(&row.draft.title, 48));
                let text = yaml::action(&row.draft);
                let change = (!stand_in).then(|| Change::Create {
                    relative: relative.clone(),
                    text: text.clone(),
                });
                if change.is_some() {
                    outcomes.push(Outcome::Add {
                        id,
                        relative: relative.clone(),
                    });
                }
                (relative, text, change)
            }
            Target::Existing(loaded) => {
                let old = ActionDraft::from(&*loaded.record);
                let mut new = row.draft.clone();
                new.addresses.clone_from(&old.addresses);
                new.contributes_to.clone_from(&old.contributes_to);
                if new.notes.is_none() {
                    new.notes.clone_from(&old.notes);
                }
                if new == old {
                    outcomes.push(Outcome::Unchanged {
                        id,
                        shown: loaded.file.shown().to_string(),
                    });
                    continue;
                }
                let relative = loaded.relative();
                // Patched in place when that reads back as the new action, else written anew.
                let text =
                    store::rewrite_action(&loaded, &new).unwrap_or_else(|_| yaml::action(&new));
                let change = Change::Replace {
                    relative: relative.clone(),
                    old: loaded.file.text.clone(),
                    text: text.clone(),
                };
                outcomes.push(Outcome::Update {
                    id,
                    relative: relative.clone(),
                });
                (relative, text, Some(change))
            }
        };
        if let Err(finding) = plan.stage::<Action>(&relative, text) {
            findings.push(
                Diagnostic::new(
                    finding.code,
                    format!(
                        "the action this row makes does not read back: {}",
                        finding.message
                    ),
                    file,
                )
                .in_table(row.line, row.number, None),
            );
            continue;
        }
        changes.extend(change);
        staged.push((plan.dir.show(&relative), index, stand_in));
    }
    (outcomes, staged)
}
