//! Each row's id: the one its `#` gives, or the next free one; and the plan's action it names.

use std::collections::{BTreeMap, HashMap};

use super::columns::Column;
use super::row::Row;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Action, IDS};
use crate::store::{Loaded, Plan};

/// What a row's action becomes.
#[derive(Debug)]
pub enum Target {
    /// A new file.
    New,
    /// The plan's action with the row's id, rewritten (`--update`).
    Existing(Loaded<Action>),
    /// The row's id cannot be used, and that is told: its action is checked under a free id
    /// nothing else takes, so that the rules still judge its other cells. Never written.
    StandIn,
    /// Not checked by the rules: no id is free even for a stand-in.
    Skip,
}

/// Gives every row its id (one after the plan's next and the table's highest for a row
/// without one), and finds the action each existing id names. Ids given twice, ids the plan
/// has (unless `update`) and rows left without an id are findings at the row's `#`.
pub fn assign(
    rows: &mut [Row],
    plan: &Plan,
    update: bool,
    file: &str,
    findings: &mut Vec<Diagnostic>,
) -> Vec<Target> {
    let highest_given = rows.iter().filter_map(|r| r.id).max().unwrap_or(0);
    // Both are in the range, so this is at most one past its end: no overflow.
    let mut next = plan
        .next_id::<Action>()
        .unwrap_or(IDS.end() + 1)
        .max(highest_given + 1);
    let mut existing: HashMap<i64, Vec<&Loaded<Action>>> = HashMap::new();
    for action in &plan.actions {
        existing
            .entry(action.record.id.value)
            .or_default()
            .push(action);
    }
    let mut seen: BTreeMap<i64, usize> = BTreeMap::new();
    let mut targets = Vec::with_capacity(rows.len());
    for row in rows.iter_mut() {
        let mut problem = |row: &mut Row, code, message: String, help: Option<&str>| {
            let mut finding = Diagnostic::new(code, message, file).in_table(
                row.line,
                row.number,
                Some(Column::Id.heading()),
            );
            finding.help = help.map(ToString::to_string);
            findings.push(finding);
            if !row.bad.contains(&Column::Id) {
                row.bad.push(Column::Id);
            }
        };
        if row.bad.contains(&Column::Id) {
            targets.push(Target::StandIn);
            continue;
        }
        let id = match row.id {
            Some(id) => id,
            None if IDS.contains(&next) => {
                next += 1;
                next - 1
            }
            None => {
                problem(
                    row,
                    Code::NoFreeId,
                    format!(
                        "no id is left for this row: ids end at {}, and the next one would be past it",
                        IDS.end()
                    ),
                    Some("give the row a free id in `#`"),
                );
                targets.push(Target::StandIn);
                continue;
            }
        };
        row.draft.id = id;
        if let Some(first) = seen.insert(id, row.number) {
            problem(
                row,
                Code::DuplicateId,
                format!("id {id} is given to row {first} too"),
                Some(
                    "give one of the rows another id, or leave its `#` empty to take the next free one",
                ),
            );
            targets.push(Target::StandIn);
            continue;
        }
        targets.push(match existing.get(&id).map(Vec::as_slice) {
            None | Some([]) => Target::New,
            Some([one]) if update => Target::Existing((*one).clone()),
            Some([one]) => {
                problem(
                    row,
                    Code::DuplicateId,
                    format!("action {id} exists: {}", one.file.shown()),
                    Some("pass `--update` to rewrite it from the table, or leave `#` empty to add the row as a new action"),
                );
                Target::StandIn
            }
            Some([one, two, ..]) => {
                problem(
                    row,
                    Code::DuplicateId,
                    format!(
                        "two files hold action {id}: {} and {}",
                        one.file.shown(), two.file.shown()
                    ),
                    None,
                );
                Target::StandIn
            }
        });
    }
    stand_ins(rows, &mut targets, next);
    targets
}

/// Gives each stand-in a free id, after every real one, so that no row's id depends on
/// another's mistake; a stand-in left without one is skipped.
fn stand_ins(rows: &mut [Row], targets: &mut [Target], mut next: i64) {
    for (row, target) in rows.iter_mut().zip(targets) {
        if matches!(target, Target::StandIn) {
            if IDS.contains(&next) {
                row.draft.id = next;
                next += 1;
            } else {
                *target = Target::Skip;
            }
        }
    }
}
